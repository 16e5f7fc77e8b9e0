import { sql, type Kysely, type Transaction } from "kysely";
import type { Database, SelfEvaluationTable, TrackingFormStatus } from "../../../db/schema.ts";

/*
 * The self-evaluations of a year (绩效自评表 一览), for the managers' list and the CLI: per sheet the
 * scores as saved (entered) and by the rule, with each departure from the rule.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** A departure as stored: the row's score entered against the rule's. */
export interface StoredDeparture {
  name: string;
  weight: string | null;
  score: string;
  ruleScore: string;
  reason: string | null;
}

export interface SelfEvaluationListRow {
  evaluationId: number;
  projectId: number;
  project: string;
  unit: string;
  status: TrackingFormStatus;
  fundScore: string;
  indicatorScore: string;
  total: string;
  grade: SelfEvaluationTable["grade"];
  ruleTotal: string;
  departures: StoredDeparture[];
}

/** The sheets of a fiscal year (within the units given, if any), by unit and project. */
export async function listSelfEvaluations(db: Queryable, options: { year: number; unitIds?: readonly number[] }): Promise<SelfEvaluationListRow[]> {
  let query = db
    .selectFrom("self_evaluation as e")
    .innerJoin("project as p", "p.id", "e.project_id")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select([
      "e.id as evaluationId",
      "p.id as projectId",
      "p.name as project",
      "u.name as unit",
      "e.status",
      "e.fund_score as fundScore",
      "e.indicator_score as indicatorScore",
      "e.total_score as total",
      "e.grade",
      "e.rule_total as ruleTotal",
    ])
    .where("p.fiscal_year", "=", options.year);
  if (options.unitIds !== undefined) query = query.where("p.unit_id", "in", options.unitIds.length > 0 ? [...options.unitIds] : [-1]);
  const sheets = await query.orderBy("u.name").orderBy("p.name").orderBy("p.id").execute();
  if (sheets.length === 0) return [];
  const departures = await db
    .selectFrom("self_evaluation_indicator")
    .select(["evaluation_id as evaluationId", "name", "weight", sql<string>`score::text`.as("score"), sql<string>`rule_score::text`.as("ruleScore"), "score_reason as reason"])
    .where(
      "evaluation_id",
      "in",
      sheets.map((sheet) => sheet.evaluationId),
    )
    .where("score", "is not", null)
    .where("rule_score", "is not", null)
    .where(sql<boolean>`score <> rule_score`)
    .orderBy("evaluation_id")
    .orderBy("sort_order")
    .execute();
  return sheets.map((sheet) => ({
    ...sheet,
    departures: departures.filter((row) => row.evaluationId === sheet.evaluationId).map(({ evaluationId: _id, ...row }) => row),
  }));
}
