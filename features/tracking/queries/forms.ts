import { sql, type Kysely, type Transaction } from "kysely";
import type { Database, TrackingFormIndicatorTable, TrackingFormStatus } from "../../../db/schema.ts";
import type { Row } from "../../../db/rows.ts";
import type { AuditActor } from "../../../db/audit.ts";
import { moveSubject, recordTransition, transitionHistory, type WorkflowEvent, type WorkflowStore } from "../../workflow/queries.ts";
import { newRevisionComment, type StageConclusion, type TrackingFormFields } from "../rules/index.ts";

/*
 * One project's mid-year tracking form (运行监控表): its revisions, each with its indicator rows and
 * its workflow history (features/workflow, table tracking_form_event). Writes take a transaction
 * opened by withActor, so the audit trail names the user.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** Where the tracking form keeps its workflow state and history (migration 0008). */
export const TRACKING_FORM_WORKFLOW: WorkflowStore = {
  table: "tracking_form",
  returnCommentColumn: "review_comment",
  historyTable: "tracking_form_event",
  historySubjectColumn: "form_id",
};

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
export type TrackingEventRecord = WorkflowEvent;

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
    transitionHistory(db, TRACKING_FORM_WORKFLOW, formId),
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
  await recordTransition(trx, TRACKING_FORM_WORKFLOW, id, null, "draft", actor, null);
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
  return moveSubject(trx, TRACKING_FORM_WORKFLOW, formId, from, to, actor, comment);
}

/** Opens a new draft revision of an accepted form, copying its content; returns the new id, or null when the form is not accepted. */
export async function newTrackingRevision(trx: Transaction<Database>, formId: number, actor: AuditActor): Promise<number | null> {
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
  if (!created) return null;
  await sql`
    INSERT INTO tracking_form_indicator (form_id, indicator_id, sort_order, level1, level2, name, annual_target, tracked, untracked_reason, due_target,
      actual, judgement, description, completion, met, deviation, estimated_full_year, cause_code, cause, measure, rectify, rectify_advice)
    SELECT ${created.id}, indicator_id, sort_order, level1, level2, name, annual_target, tracked, untracked_reason, due_target,
           actual, judgement, description, completion, met, deviation, estimated_full_year, cause_code, cause, measure, rectify, rectify_advice
      FROM tracking_form_indicator WHERE form_id = ${formId}`.execute(trx);
  await recordTransition(trx, TRACKING_FORM_WORKFLOW, created.id, null, "draft", actor, newRevisionComment(created.revision - 1));
  return created.id;
}
