import { sql, type Kysely, type Transaction } from "kysely";
import type { Database, SelfEvaluationIndicatorTable, SelfEvaluationTable, TrackingFormStatus } from "../../../db/schema.ts";
import type { Row } from "../../../db/rows.ts";
import type { AuditActor } from "../../../db/audit.ts";
import { moveSubject, recordTransition, transitionHistory, type WorkflowEvent, type WorkflowStore } from "../../workflow/queries.ts";
import type { FundRowKind } from "../rules/index.ts";

/*
 * One project's year-end self-evaluation (绩效自评表) as stored: the sheet, its funds rows, its
 * indicator rows and its workflow history (features/workflow, table self_evaluation_event). Writes
 * take a transaction opened by withActor, so the audit trail names the user.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** Where the self-evaluation keeps its workflow state and history (migration 0015). */
export const SELF_EVALUATION_WORKFLOW: WorkflowStore = {
  table: "self_evaluation",
  returnCommentColumn: "review_comment",
  historyTable: "self_evaluation_event",
  historySubjectColumn: "evaluation_id",
};

/** What a save writes on the sheet itself: the goals' texts and the scores the rules computed. */
export interface SelfEvaluationWrite {
  expectedGoal: string | null;
  actualSummary: string | null;
  fundScore: string;
  indicatorScore: string;
  totalScore: string;
  ruleTotal: string;
  grade: SelfEvaluationTable["grade"];
}

/** A funds row as stored, in 元. */
export interface FundWrite {
  fundRow: FundRowKind;
  initial: string;
  adjusted: string;
  executed: string;
}

/** An indicator row as stored (the order is the list's). */
export type IndicatorWrite = Omit<Row<SelfEvaluationIndicatorTable>, "id" | "evaluationId" | "sortOrder">;

/** A sheet as stored. */
export interface SelfEvaluationRecord extends SelfEvaluationWrite {
  id: number;
  projectId: number;
  status: TrackingFormStatus;
  reviewComment: string | null;
  updatedAt: string;
  version: number;
}

export interface StoredSelfEvaluation {
  evaluation: SelfEvaluationRecord;
  funds: FundWrite[];
  indicators: Array<IndicatorWrite & { sortOrder: number }>;
  events: WorkflowEvent[];
}

/** A project's sheet with its rows and history, or undefined when it has none. */
export async function getSelfEvaluationOf(db: Queryable, projectId: number): Promise<StoredSelfEvaluation | undefined> {
  const row = await db.selectFrom("self_evaluation").select("id").where("project_id", "=", projectId).executeTakeFirst();
  return row ? getSelfEvaluation(db, row.id) : undefined;
}

/** A sheet by id with its rows and history, or undefined. */
export async function getSelfEvaluation(db: Queryable, evaluationId: number): Promise<StoredSelfEvaluation | undefined> {
  const evaluation = await db
    .selectFrom("self_evaluation")
    .select([
      "id",
      "project_id as projectId",
      "status",
      "expected_goal as expectedGoal",
      "actual_summary as actualSummary",
      "fund_score as fundScore",
      "indicator_score as indicatorScore",
      "total_score as totalScore",
      "rule_total as ruleTotal",
      "grade",
      "review_comment as reviewComment",
      "version",
      sql<string>`to_char(updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`.as("updatedAt"),
    ])
    .where("id", "=", evaluationId)
    .executeTakeFirst();
  if (!evaluation) return undefined;
  const [funds, indicators, events] = await Promise.all([
    db
      .selectFrom("self_evaluation_fund")
      .select(["fund_row as fundRow", "initial", "adjusted", "executed"])
      .where("evaluation_id", "=", evaluationId)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("self_evaluation_indicator")
      .select([
        "indicator_id as indicatorId",
        "sort_order as sortOrder",
        "level1",
        "level2",
        "name",
        "annual_target as annualTarget",
        "weight",
        "actual",
        "judgement",
        "rule_score as ruleScore",
        "score",
        "score_reason as scoreReason",
        "deviation_analysis as deviationAnalysis",
      ])
      .where("evaluation_id", "=", evaluationId)
      .orderBy("sort_order")
      .execute(),
    transitionHistory(db, SELF_EVALUATION_WORKFLOW, evaluationId),
  ]);
  return { evaluation, funds, indicators, events };
}

function sheetColumns(values: SelfEvaluationWrite) {
  return {
    expected_goal: values.expectedGoal,
    actual_summary: values.actualSummary,
    fund_score: values.fundScore,
    indicator_score: values.indicatorScore,
    total_score: values.totalScore,
    rule_total: values.ruleTotal,
    grade: values.grade,
  };
}

function indicatorColumns(row: IndicatorWrite) {
  return {
    indicator_id: row.indicatorId,
    level1: row.level1,
    level2: row.level2,
    name: row.name,
    annual_target: row.annualTarget,
    weight: row.weight,
    actual: row.actual,
    judgement: row.judgement,
    rule_score: row.ruleScore,
    score: row.score,
    score_reason: row.scoreReason,
    deviation_analysis: row.deviationAnalysis,
  };
}

/** NUMERIC columns compare as numbers ("10" and "10.00" are the same score). */
const same = (stored: unknown, written: unknown): boolean =>
  stored === written || (typeof stored === "string" && typeof written === "string" && /^-?\d+(\.\d+)?$/.test(stored) && Number(stored) === Number(written));

/** Writes the funds rows in place (one per kind), so the audit trail shows only real changes. */
async function writeFunds(trx: Transaction<Database>, evaluationId: number, funds: readonly FundWrite[]): Promise<void> {
  const existing = await trx.selectFrom("self_evaluation_fund").selectAll().where("evaluation_id", "=", evaluationId).execute();
  for (const fund of funds) {
    const stored = existing.find((row) => row.fund_row === fund.fundRow);
    const values = { initial: fund.initial, adjusted: fund.adjusted, executed: fund.executed };
    if (!stored) await trx.insertInto("self_evaluation_fund").values({ evaluation_id: evaluationId, fund_row: fund.fundRow, ...values }).execute();
    else if (!same(stored.initial, values.initial) || !same(stored.adjusted, values.adjusted) || !same(stored.executed, values.executed)) {
      await trx.updateTable("self_evaluation_fund").set(values).where("id", "=", stored.id).execute();
    }
  }
}

/**
 * Writes the indicator rows in place, matched by indicator: unchanged rows are left alone, changed ones
 * updated, new ones inserted and rows of indicators no longer listed deleted.
 */
async function writeIndicators(trx: Transaction<Database>, evaluationId: number, rows: readonly IndicatorWrite[]): Promise<void> {
  const existing = await trx.selectFrom("self_evaluation_indicator").selectAll().where("evaluation_id", "=", evaluationId).execute();
  const wanted = new Set(rows.map((row) => row.indicatorId).filter((id) => id !== null));
  const gone = existing.filter((row) => row.indicator_id === null || !wanted.has(row.indicator_id)).map((row) => row.id);
  if (gone.length > 0) await trx.deleteFrom("self_evaluation_indicator").where("id", "in", gone).execute();
  const kept = new Map(existing.filter((row) => !gone.includes(row.id)).map((row) => [row.indicator_id, row]));
  const order = new Map(rows.map((row, index) => [row.indicatorId, index + 1]));
  // Rows that move are first parked beyond the range, so that (evaluation_id, sort_order) stays unique meanwhile.
  const moving = [...kept.values()].filter((row) => order.get(row.indicator_id) !== row.sort_order).map((row) => row.id);
  if (moving.length > 0) {
    await trx.updateTable("self_evaluation_indicator").set({ sort_order: sql<number>`sort_order + 1000000` }).where("id", "in", moving).execute();
  }
  for (const [index, row] of rows.entries()) {
    const values = { ...indicatorColumns(row), sort_order: index + 1 };
    const stored = row.indicatorId === null ? undefined : kept.get(row.indicatorId);
    if (!stored) {
      await trx.insertInto("self_evaluation_indicator").values({ evaluation_id: evaluationId, ...values }).execute();
      continue;
    }
    const changed = moving.includes(stored.id) || (Object.keys(values) as Array<keyof typeof values>).some((column) => !same(stored[column] ?? null, values[column] ?? null));
    if (changed) await trx.updateTable("self_evaluation_indicator").set(values).where("id", "=", stored.id).execute();
  }
}

/** Creates a project's sheet as a draft with its rows, recording the step; returns its id. */
export async function createSelfEvaluation(
  trx: Transaction<Database>,
  projectId: number,
  values: SelfEvaluationWrite,
  funds: readonly FundWrite[],
  indicators: readonly IndicatorWrite[],
  actor: AuditActor,
): Promise<number> {
  const { id } = await trx
    .insertInto("self_evaluation")
    .values({ project_id: projectId, ...sheetColumns(values) })
    .returning("id")
    .executeTakeFirstOrThrow();
  await writeFunds(trx, id, funds);
  await writeIndicators(trx, id, indicators);
  await recordTransition(trx, SELF_EVALUATION_WORKFLOW, id, null, "draft", actor, null);
  return id;
}

/** Saves an editable sheet (draft or returned) when nobody changed it since `expectedVersion`; false otherwise. */
export async function updateSelfEvaluation(
  trx: Transaction<Database>,
  evaluationId: number,
  expectedVersion: number,
  values: SelfEvaluationWrite,
  funds: readonly FundWrite[],
  indicators: readonly IndicatorWrite[],
): Promise<boolean> {
  const result = await trx
    .updateTable("self_evaluation")
    .set(sheetColumns(values))
    .where("id", "=", evaluationId)
    .where("version", "=", expectedVersion)
    .where("status", "in", ["draft", "returned"])
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await writeFunds(trx, evaluationId, funds);
  await writeIndicators(trx, evaluationId, indicators);
  return true;
}

/** Moves a sheet along the workflow from the state the user saw; false when it is no longer in that state. */
export async function moveSelfEvaluation(
  trx: Transaction<Database>,
  evaluationId: number,
  from: TrackingFormStatus,
  to: TrackingFormStatus,
  actor: AuditActor,
  comment: string | null,
): Promise<boolean> {
  return moveSubject(trx, SELF_EVALUATION_WORKFLOW, evaluationId, from, to, actor, comment);
}
