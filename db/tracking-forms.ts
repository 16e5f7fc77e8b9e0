import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "./pool.ts";
import type { Database, TrackingFormEventTable, TrackingFormIndicatorTable, TrackingFormStatus } from "./schema.ts";
import type { Row } from "./rows.ts";
import type { AuditActor } from "./audit.ts";
import type { DeviationCategory, StageConclusion, TrackingFormFields } from "../domain/tracking.ts";

/*
 * The mid-year tracking forms (运行监控表) and the deviation-cause catalogue. Writes take a
 * transaction opened by withActor, so the audit trail names the user.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** A cause of the catalogue (偏差原因目录). */
export interface DeviationCauseRecord {
  id: number;
  code: string;
  category: DeviationCategory;
  label: string;
  sortOrder: number;
  active: boolean;
}

/** The catalogue in display order; inactive causes only when asked (old forms still show them). */
export async function listDeviationCauses(db: Queryable, options: { includeInactive?: boolean } = {}): Promise<DeviationCauseRecord[]> {
  let query = db
    .selectFrom("deviation_cause")
    .select(["id", "code", "category", "label", "sort_order as sortOrder", "active"])
    .orderBy("sort_order")
    .orderBy("id");
  if (!options.includeInactive) query = query.where("active", "=", true);
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, category: row.category as DeviationCategory }));
}

/** Adds a cause at the end of the catalogue; false when its code is taken (e.g. added by someone else meanwhile). */
export async function addDeviationCause(trx: Transaction<Database>, cause: { code: string; category: DeviationCategory; label: string }): Promise<boolean> {
  const { next } = await trx
    .selectFrom("deviation_cause")
    .select(sql<number>`coalesce(max(sort_order), 0) + 10`.as("next"))
    .executeTakeFirstOrThrow();
  const inserted = await trx
    .insertInto("deviation_cause")
    .values({ code: cause.code, category: cause.category, label: cause.label, sort_order: next })
    .onConflict((conflict) => conflict.column("code").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Changes a cause's name, category or whether it may still be chosen (codes never change: forms refer to them). */
export async function updateDeviationCause(
  trx: Transaction<Database>,
  id: number,
  change: { category: DeviationCategory; label: string; active: boolean },
): Promise<boolean> {
  const result = await trx.updateTable("deviation_cause").set(change).where("id", "=", id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** What a save writes: the typed-in fields, the ledger snapshot and the computed conclusion. */
export interface TrackingFormWrite extends TrackingFormFields {
  budget: string;
  executed: string;
  executionRate: string | null;
  threshold: string;
  stageConclusion: StageConclusion;
  estimatedFullYearPrefill: string | null;
}

/** One revision of a tracking form as stored. */
export interface TrackingFormRecord extends TrackingFormWrite {
  id: number;
  projectId: number;
  periodStart: string;
  periodEnd: string;
  revision: number;
  status: TrackingFormStatus;
  reviewComment: string | null;
  updatedAt: string;
  version: number;
}

/** One indicator row as stored: the indicator's snapshot and what was reported. */
export type TrackingIndicatorRecord = Omit<Row<TrackingFormIndicatorTable>, "id" | "formId">;

/** A step of the workflow (the time as text, Shanghai time). */
export type TrackingEventRecord = Omit<Row<TrackingFormEventTable>, "formId" | "userId" | "at"> & { at: string };

const FORM_COLUMNS = [
  "id",
  "project_id as projectId",
  "period_start as periodStart",
  "period_end as periodEnd",
  "revision",
  "status",
  "budget",
  "executed",
  "execution_rate as executionRate",
  "threshold",
  "stage_conclusion as stageConclusion",
  "adjustment_needed as adjustmentNeeded",
  "adjusted_budget as adjustedBudget",
  "adjustment_decrease as adjustmentDecrease",
  "adjustment_increase as adjustmentIncrease",
  "pre_assessment_budget as preAssessmentBudget",
  "key_tracking_reason as keyTrackingReason",
  "basic_info as basicInfo",
  "implementation_status as implementationStatus",
  "execution_cause_code as executionCauseCode",
  "execution_cause as executionCause",
  "execution_measure as executionMeasure",
  "estimated_full_year as estimatedFullYear",
  "estimated_full_year_prefill as estimatedFullYearPrefill",
  "estimated_full_year_reason as estimatedFullYearReason",
  "budget_likelihood as budgetLikelihood",
  "target_likelihood as targetLikelihood",
  "problems",
  "measures",
  "leader_signature as leaderSignature",
  "performance_lead_signature as performanceLeadSignature",
  "preparer_signature as preparerSignature",
  "other_notes as otherNotes",
  "filled_on as filledOn",
  "review_comment as reviewComment",
  "version",
] as const;

/** The revisions of a project's form for a period, newest first. */
export async function formRevisions(
  db: Queryable,
  projectId: number,
  periodEnd: string,
): Promise<Array<{ id: number; revision: number; status: TrackingFormStatus; stageConclusion: StageConclusion }>> {
  return db
    .selectFrom("tracking_form")
    .select(["id", "revision", "status", "stage_conclusion as stageConclusion"])
    .where("project_id", "=", projectId)
    .where("period_end", "=", periodEnd)
    .orderBy("revision", "desc")
    .execute();
}

/** One revision with its indicator rows and workflow history, or undefined. */
export async function getTrackingForm(
  db: Queryable,
  formId: number,
): Promise<{ form: TrackingFormRecord; indicators: TrackingIndicatorRecord[]; events: TrackingEventRecord[] } | undefined> {
  const form = await db
    .selectFrom("tracking_form")
    .select([...FORM_COLUMNS, sql<string>`to_char(updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`.as("updatedAt")])
    .where("id", "=", formId)
    .executeTakeFirst();
  if (!form) return undefined;
  const [indicators, events] = await Promise.all([
    db
      .selectFrom("tracking_form_indicator")
      .select([
        "indicator_id as indicatorId",
        "sort_order as sortOrder",
        "level1",
        "level2",
        "name",
        "annual_target as annualTarget",
        "tracked",
        "untracked_reason as untrackedReason",
        "due_target as dueTarget",
        "actual",
        "judgement",
        "description",
        "completion",
        "met",
        "deviation",
        "estimated_full_year as estimatedFullYear",
        "cause_code as causeCode",
        "cause",
        "measure",
        "rectify",
        "rectify_advice as rectifyAdvice",
      ])
      .where("form_id", "=", formId)
      .orderBy("sort_order")
      .execute(),
    db
      .selectFrom("tracking_form_event")
      .select([
        "id",
        "from_status as fromStatus",
        "to_status as toStatus",
        "comment",
        "username",
        sql<string>`to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')`.as("at"),
      ])
      .where("form_id", "=", formId)
      .orderBy("id")
      .execute(),
  ]);
  return {
    form: {
      ...form,
      budgetLikelihood: form.budgetLikelihood as TrackingFormRecord["budgetLikelihood"],
      targetLikelihood: form.targetLikelihood as TrackingFormRecord["targetLikelihood"],
    },
    indicators,
    events,
  };
}

export type TrackingIndicatorWrite = Omit<TrackingIndicatorRecord, "sortOrder">;

function formColumns(values: TrackingFormWrite) {
  return {
    budget: values.budget,
    executed: values.executed,
    execution_rate: values.executionRate,
    threshold: values.threshold,
    stage_conclusion: values.stageConclusion,
    adjustment_needed: values.adjustmentNeeded,
    adjusted_budget: values.adjustedBudget,
    adjustment_decrease: values.adjustmentDecrease,
    adjustment_increase: values.adjustmentIncrease,
    pre_assessment_budget: values.preAssessmentBudget,
    key_tracking_reason: values.keyTrackingReason,
    basic_info: values.basicInfo,
    implementation_status: values.implementationStatus,
    execution_cause_code: values.executionCauseCode,
    execution_cause: values.executionCause,
    execution_measure: values.executionMeasure,
    estimated_full_year: values.estimatedFullYear,
    estimated_full_year_prefill: values.estimatedFullYearPrefill,
    estimated_full_year_reason: values.estimatedFullYearReason,
    budget_likelihood: values.budgetLikelihood,
    target_likelihood: values.targetLikelihood,
    problems: values.problems,
    measures: values.measures,
    leader_signature: values.leaderSignature,
    performance_lead_signature: values.performanceLeadSignature,
    preparer_signature: values.preparerSignature,
    other_notes: values.otherNotes,
    filled_on: values.filledOn,
  };
}

function indicatorColumns(row: TrackingIndicatorWrite) {
  return {
    indicator_id: row.indicatorId,
    level1: row.level1,
    level2: row.level2,
    name: row.name,
    annual_target: row.annualTarget,
    tracked: row.tracked,
    untracked_reason: row.untrackedReason,
    due_target: row.dueTarget,
    actual: row.actual,
    judgement: row.judgement,
    description: row.description,
    completion: row.completion,
    met: row.met,
    deviation: row.deviation,
    estimated_full_year: row.estimatedFullYear,
    cause_code: row.causeCode,
    cause: row.cause,
    measure: row.measure,
    rectify: row.rectify,
    rectify_advice: row.rectifyAdvice,
  };
}

/**
 * Writes a form's indicator rows in place, matched by indicator: unchanged rows are left alone,
 * changed ones updated, new ones inserted and rows of indicators no longer listed deleted, so the
 * audit trail shows only what a save really changed.
 */
async function writeIndicators(trx: Transaction<Database>, formId: number, rows: readonly TrackingIndicatorWrite[]): Promise<void> {
  const existing = await trx.selectFrom("tracking_form_indicator").selectAll().where("form_id", "=", formId).execute();
  const wanted = new Set(rows.map((row) => row.indicatorId).filter((id) => id !== null));
  const gone = existing.filter((row) => row.indicator_id === null || !wanted.has(row.indicator_id)).map((row) => row.id);
  if (gone.length > 0) await trx.deleteFrom("tracking_form_indicator").where("id", "in", gone).execute();
  const kept = new Map(existing.filter((row) => !gone.includes(row.id)).map((row) => [row.indicator_id, row]));
  const order = new Map(rows.map((row, index) => [row.indicatorId, index + 1]));
  // Rows that move are first parked beyond the range, so that (form_id, sort_order) stays unique meanwhile.
  const moving = [...kept.values()].filter((row) => order.get(row.indicator_id) !== row.sort_order).map((row) => row.id);
  if (moving.length > 0) {
    await trx
      .updateTable("tracking_form_indicator")
      .set({ sort_order: sql<number>`sort_order + 1000000` })
      .where("id", "in", moving)
      .execute();
  }
  for (const [index, row] of rows.entries()) {
    const values = { ...indicatorColumns(row), sort_order: index + 1 };
    const stored = row.indicatorId === null ? undefined : kept.get(row.indicatorId);
    if (!stored) {
      await trx.insertInto("tracking_form_indicator").values({ form_id: formId, ...values }).execute();
      continue;
    }
    const changed =
      moving.includes(stored.id) ||
      (Object.keys(values) as Array<keyof typeof values>).some((column) => (stored[column] ?? null) !== (values[column] ?? null));
    if (changed) await trx.updateTable("tracking_form_indicator").set(values).where("id", "=", stored.id).execute();
  }
}

async function addEvent(
  trx: Transaction<Database>,
  formId: number,
  fromStatus: TrackingFormStatus | null,
  toStatus: TrackingFormStatus,
  actor: AuditActor,
  comment: string | null,
): Promise<void> {
  await trx
    .insertInto("tracking_form_event")
    .values({ form_id: formId, from_status: fromStatus, to_status: toStatus, comment, user_id: actor.userId, username: actor.username })
    .execute();
}

/** Creates the first revision of a project's form for a period, as a draft; returns its id. */
export async function createTrackingForm(
  trx: Transaction<Database>,
  form: { projectId: number; periodStart: string; periodEnd: string },
  values: TrackingFormWrite,
  indicators: readonly TrackingIndicatorWrite[],
  actor: AuditActor,
): Promise<number> {
  const { id } = await trx
    .insertInto("tracking_form")
    .values({ project_id: form.projectId, period_start: form.periodStart, period_end: form.periodEnd, ...formColumns(values) })
    .returning("id")
    .executeTakeFirstOrThrow();
  await writeIndicators(trx, id, indicators);
  await addEvent(trx, id, null, "draft", actor, null);
  return id;
}

/**
 * Saves an editable revision (draft or returned) when nobody changed it since `expectedVersion`;
 * false when it was changed meanwhile or is no longer editable.
 */
export async function updateTrackingForm(
  trx: Transaction<Database>,
  formId: number,
  expectedVersion: number,
  values: TrackingFormWrite,
  indicators: readonly TrackingIndicatorWrite[],
): Promise<boolean> {
  const result = await trx
    .updateTable("tracking_form")
    .set(formColumns(values))
    .where("id", "=", formId)
    .where("version", "=", expectedVersion)
    .where("status", "in", ["draft", "returned"])
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await writeIndicators(trx, formId, indicators);
  return true;
}

/**
 * Moves a revision along the workflow from the state the user saw, recording the step (and, on
 * return, the reviewer's comment); false when the revision is no longer in that state.
 */
export async function moveTrackingForm(
  trx: Transaction<Database>,
  formId: number,
  from: TrackingFormStatus,
  to: TrackingFormStatus,
  actor: AuditActor,
  comment: string | null,
): Promise<boolean> {
  const result = await trx
    .updateTable("tracking_form")
    .set(to === "returned" ? { status: to, review_comment: comment } : { status: to })
    .where("id", "=", formId)
    .where("status", "=", from)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await addEvent(trx, formId, from, to, actor, comment);
  return true;
}

/** Opens a new draft revision of an accepted form, copying its content; returns the new id. */
export async function newTrackingRevision(trx: Transaction<Database>, formId: number, actor: AuditActor): Promise<number> {
  const copied = await sql<{ id: number; revision: number }>`
    INSERT INTO tracking_form (project_id, period_start, period_end, revision, status, budget, executed, execution_rate, threshold,
      stage_conclusion, adjustment_needed, adjusted_budget, adjustment_decrease, adjustment_increase, pre_assessment_budget,
      key_tracking_reason, basic_info, implementation_status, execution_cause_code, execution_cause, execution_measure,
      estimated_full_year, estimated_full_year_prefill, estimated_full_year_reason, budget_likelihood, target_likelihood,
      problems, measures, leader_signature, performance_lead_signature, preparer_signature, other_notes, filled_on)
    SELECT project_id, period_start, period_end,
           (SELECT max(o.revision) + 1 FROM tracking_form o WHERE o.project_id = f.project_id AND o.period_end = f.period_end),
           'draft', budget, executed, execution_rate, threshold,
           stage_conclusion, adjustment_needed, adjusted_budget, adjustment_decrease, adjustment_increase, pre_assessment_budget,
           key_tracking_reason, basic_info, implementation_status, execution_cause_code, execution_cause, execution_measure,
           estimated_full_year, estimated_full_year_prefill, estimated_full_year_reason, budget_likelihood, target_likelihood,
           problems, measures, leader_signature, performance_lead_signature, preparer_signature, other_notes, filled_on
      FROM tracking_form f WHERE f.id = ${formId} AND f.status = 'accepted'
    RETURNING id, revision`.execute(trx);
  const created = copied.rows[0];
  if (!created) throw new Error(`运行监控表 ${formId} 未审核通过，不能新建版本`);
  await sql`
    INSERT INTO tracking_form_indicator (form_id, indicator_id, sort_order, level1, level2, name, annual_target, tracked, untracked_reason, due_target,
      actual, judgement, description, completion, met, deviation, estimated_full_year, cause_code, cause, measure, rectify, rectify_advice)
    SELECT ${created.id}, indicator_id, sort_order, level1, level2, name, annual_target, tracked, untracked_reason, due_target,
           actual, judgement, description, completion, met, deviation, estimated_full_year, cause_code, cause, measure, rectify, rectify_advice
      FROM tracking_form_indicator WHERE form_id = ${formId}`.execute(trx);
  await addEvent(trx, created.id, null, "draft", actor, `由第${created.revision - 1}版新建`);
  return created.id;
}

/** The twelve monthly executed amounts of the same project (unit and name) the year before, or null when there is none. */
export async function previousYearMonthly(db: Queryable, projectId: number): Promise<string[] | null> {
  const previous = await db
    .selectFrom("project as p")
    .innerJoin("project as q", (join) =>
      join.onRef("q.unit_id", "=", "p.unit_id").onRef("q.name", "=", "p.name").on(sql<boolean>`q.fiscal_year = p.fiscal_year - 1`),
    )
    .select(["q.id", "q.fiscal_year as year"])
    .where("p.id", "=", projectId)
    .orderBy("q.id")
    .executeTakeFirst();
  if (!previous) return null;
  const rows = await db
    .selectFrom("execution_monthly")
    .select([sql<number>`extract(month FROM month)::int`.as("month"), "executed"])
    .where("project_id", "=", previous.id)
    .execute();
  const monthly = Array.from({ length: 12 }, () => "0.00");
  for (const row of rows) monthly[row.month - 1] = row.executed;
  return monthly;
}

/** One row of the managers' list: the latest revision of a project's form for a period. */
export interface SubmissionRow {
  formId: number;
  projectId: number;
  projectName: string;
  fiscalYear: number;
  unitName: string;
  periodStart: string;
  periodEnd: string;
  revision: number;
  status: TrackingFormStatus;
  stageConclusion: StageConclusion;
  executionRate: string | null;
  budget: string;
  executed: string;
  updatedAt: string;
}

/** The latest revision of every form of projects in the given units, filtered by year, status and conclusion. */
export async function listSubmissions(
  db: DB,
  options: { unitIds: readonly number[]; year?: number; status?: TrackingFormStatus; conclusion?: StageConclusion },
): Promise<SubmissionRow[]> {
  if (options.unitIds.length === 0) return [];
  const result = await sql<SubmissionRow>`
    SELECT * FROM (
      SELECT DISTINCT ON (f.project_id, f.period_end)
             f.id AS "formId", f.project_id AS "projectId", p.name AS "projectName", p.fiscal_year AS "fiscalYear", u.name AS "unitName",
             f.period_start AS "periodStart", f.period_end AS "periodEnd", f.revision, f.status, f.stage_conclusion AS "stageConclusion",
             f.execution_rate::text AS "executionRate", f.budget::text AS budget, f.executed::text AS executed,
             to_char(f.updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "updatedAt"
        FROM tracking_form f
        JOIN project p ON p.id = f.project_id
        JOIN org_unit u ON u.id = p.unit_id
       WHERE p.unit_id = ANY(${sql.val([...options.unitIds])}::int[])
         AND (${options.year ?? null}::int IS NULL OR p.fiscal_year = ${options.year ?? null}::int)
       ORDER BY f.project_id, f.period_end, f.revision DESC
    ) latest
    WHERE (${options.status ?? null}::text IS NULL OR status = ${options.status ?? null}::text)
      AND (${options.conclusion ?? null}::text IS NULL OR "stageConclusion" = ${options.conclusion ?? null}::text)
    ORDER BY "fiscalYear" DESC, "unitName", "projectName", "periodEnd"`.execute(db);
  return result.rows;
}

/** A project in scope with no tracking form for its default period (31 August) yet: 未填报. */
export interface UnfiledProject {
  projectId: number;
  projectName: string;
  fiscalYear: number;
  unitName: string;
  periodEnd: string;
}

/** The projects of the given units (and year) without any revision of a form for 31 August of their year. */
export async function listUnfiled(db: DB, options: { unitIds: readonly number[]; year?: number }): Promise<UnfiledProject[]> {
  if (options.unitIds.length === 0) return [];
  const result = await sql<UnfiledProject>`
    SELECT p.id AS "projectId", p.name AS "projectName", p.fiscal_year AS "fiscalYear", u.name AS "unitName",
           to_char(make_date(p.fiscal_year, 8, 31), 'YYYY-MM-DD') AS "periodEnd"
      FROM project p
      JOIN org_unit u ON u.id = p.unit_id
     WHERE p.unit_id = ANY(${sql.val([...options.unitIds])}::int[])
       AND (${options.year ?? null}::int IS NULL OR p.fiscal_year = ${options.year ?? null}::int)
       AND NOT EXISTS (SELECT 1 FROM tracking_form f WHERE f.project_id = p.id AND f.period_end = make_date(p.fiscal_year, 8, 31))
     ORDER BY p.fiscal_year DESC, u.name, p.name`.execute(db);
  return result.rows;
}

/** A failing item's stated cause and measure, as the dashboard lists them. */
export interface StatedDeviation {
  /** "预算执行" or the indicator's name. */
  item: string;
  causeLabel: string | null;
  cause: string | null;
  measure: string | null;
}

/** The latest form of one project whose conclusion was 运行偏差, with its stated causes and measures. */
export interface ProjectDeviations {
  projectId: number;
  projectName: string;
  unitName: string;
  formId: number;
  periodEnd: string;
  status: TrackingFormStatus;
  executionRate: string | null;
  deviations: StatedDeviation[];
}

/**
 * For the dashboard, in one query: each project of the year (within the units) whose latest tracking
 * form up to the as-of date concluded 运行偏差, with the causes and measures it states.
 */
export async function statedDeviations(db: DB, options: { year: number; asOf: string; unitIds: readonly number[] }): Promise<ProjectDeviations[]> {
  if (options.unitIds.length === 0) return [];
  const result = await sql<Omit<ProjectDeviations, "deviations"> & { deviations: StatedDeviation[] | null }>`
    SELECT f.project_id AS "projectId", p.name AS "projectName", u.name AS "unitName", f.id AS "formId",
           f.period_end::text AS "periodEnd", f.status, f.execution_rate::text AS "executionRate",
           (SELECT json_agg(json_build_object('item', d.item, 'causeLabel', d."causeLabel", 'cause', d.cause, 'measure', d.measure) ORDER BY d.ord) FROM (
              SELECT 0 AS ord, '预算执行' AS item, ec.label AS "causeLabel", f.execution_cause AS cause, f.execution_measure AS measure
               WHERE f.execution_cause_code IS NOT NULL OR f.execution_cause IS NOT NULL OR f.execution_measure IS NOT NULL
              UNION ALL
              SELECT i.sort_order, i.name, ic.label, i.cause, i.measure
                FROM tracking_form_indicator i LEFT JOIN deviation_cause ic ON ic.code = i.cause_code
               WHERE i.form_id = f.id AND i.tracked AND (i.cause_code IS NOT NULL OR i.cause IS NOT NULL OR i.measure IS NOT NULL)
            ) d) AS deviations
      FROM (
        SELECT DISTINCT ON (tf.project_id) tf.*
          FROM tracking_form tf JOIN project pp ON pp.id = tf.project_id
         WHERE pp.fiscal_year = ${options.year} AND pp.unit_id = ANY(${sql.val([...options.unitIds])}::int[])
           AND tf.period_end <= ${options.asOf}::date
         ORDER BY tf.project_id, tf.period_end DESC, tf.revision DESC
      ) f
      JOIN project p ON p.id = f.project_id
      JOIN org_unit u ON u.id = p.unit_id
      LEFT JOIN deviation_cause ec ON ec.code = f.execution_cause_code
     WHERE f.stage_conclusion = '运行偏差'
     ORDER BY u.name, p.name`.execute(db);
  return result.rows.map((row) => ({ ...row, deviations: row.deviations ?? [] }));
}
