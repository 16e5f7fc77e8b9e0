import { sql, type Kysely, type Transaction } from "kysely";
import type { Database, SelfEvaluationTable, TrackingFormStatus } from "../../../db/schema.ts";
import type { AuditActor } from "../../../db/audit.ts";
import type { RectificationSource } from "../rules/index.ts";

/*
 * What the next year's plan (features/plan) reads of the performance results of its base-year projects:
 * each project's self-evaluation (grade, total, the indicators scored below their weight), the open
 * rectification items (the project's, and those of the same unit's project of the same name in earlier
 * years still open), the responses already given for the planned year; and the responses an adoption
 * writes (per item and planned year, audited).
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** An indicator scored below its weight. */
export interface Shortfall {
  name: string;
  score: string;
  weight: string;
}

/** A base-year project's self-evaluation as the plan shows it. */
export interface PreviousEvaluation {
  projectId: number;
  evaluationId: number;
  status: TrackingFormStatus;
  total: string;
  /** The funds score (of 10): below 10, part of what the total lacks. */
  fundScore: string;
  grade: SelfEvaluationTable["grade"];
  shortfalls: Shortfall[];
  /** The shortfalls whose entered score departs from the rule's: indicator name → the rule's score. */
  ruleScores: Record<string, string>;
}

/** The self-evaluations of the projects (one per project at most), with their shortfalls. */
export async function previousEvaluations(db: Queryable, projectIds: readonly number[]): Promise<PreviousEvaluation[]> {
  if (projectIds.length === 0) return [];
  const sheets = await db
    .selectFrom("self_evaluation")
    .select(["id as evaluationId", "project_id as projectId", "status", "total_score as total", sql<string>`fund_score::text`.as("fundScore"), "grade"])
    .where("project_id", "in", [...projectIds])
    .execute();
  if (sheets.length === 0) return [];
  const shortfalls = await db
    .selectFrom("self_evaluation_indicator")
    .select([
      "evaluation_id as evaluationId",
      "name",
      sql<string>`coalesce(score, rule_score)::text`.as("score"),
      sql<string>`weight::text`.as("weight"),
      sql<string | null>`case when score is not null and rule_score is not null and score <> rule_score then rule_score::text end`.as("ruleScore"),
    ])
    .where("evaluation_id", "in", sheets.map((sheet) => sheet.evaluationId))
    .where("weight", "is not", null)
    .where((eb) => eb(eb.fn.coalesce("score", "rule_score"), "<", eb.ref("weight")))
    .orderBy("evaluation_id")
    .orderBy("sort_order")
    .execute();
  return sheets.map((sheet) => {
    const own = shortfalls.filter((row) => row.evaluationId === sheet.evaluationId);
    return {
      ...sheet,
      shortfalls: own.map(({ name, score, weight }) => ({ name, score, weight })),
      ruleScores: Object.fromEntries(own.filter((row) => row.ruleScore !== null).map((row) => [row.name, row.ruleScore!])),
    };
  });
}

/** An open item a base-year project of the plan carries (its own or an earlier year's project of the same name and unit). */
export interface PlanOpenItem {
  /** The base-year project of the plan it is shown with. */
  planProjectId: number;
  itemId: number;
  projectId: number;
  projectName: string;
  fiscalYear: number;
  source: RectificationSource;
  /** A hand-entered item's origin; null for an item raised from a form. */
  origin: string | null;
  indicator: string;
  measure: string;
  dueOn: string;
}

/** The open items of the plan's base-year projects, by project and item. */
export async function openItemsOfProjects(db: Queryable, projectIds: readonly number[]): Promise<PlanOpenItem[]> {
  if (projectIds.length === 0) return [];
  return db
    .selectFrom("project as base")
    .innerJoin("project as q", (join) => join.onRef("q.unit_id", "=", "base.unit_id").onRef("q.name", "=", "base.name").onRef("q.fiscal_year", "<=", "base.fiscal_year"))
    .innerJoin("rectification_item as i", "i.project_id", "q.id")
    .select([
      "base.id as planProjectId",
      "i.id as itemId",
      "q.id as projectId",
      "q.name as projectName",
      "q.fiscal_year as fiscalYear",
      "i.source",
      "i.origin",
      "i.indicator",
      "i.measure",
      sql<string>`i.due_on::text`.as("dueOn"),
    ])
    .where("base.id", "in", [...projectIds])
    .where("i.status", "=", "open")
    .orderBy("base.id")
    .orderBy("q.fiscal_year")
    .orderBy("i.id")
    .execute();
}

/** The responses already given to the items for the planned year (item id → text). */
export async function responsesFor(db: Queryable, itemIds: readonly number[], planYear: number): Promise<Map<number, { response: string; username: string }>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("rectification_response")
    .select(["item_id as itemId", "response", "username"])
    .where("item_id", "in", [...itemIds])
    .where("plan_year", "=", planYear)
    .execute();
  return new Map(rows.map((row) => [row.itemId, { response: row.response, username: row.username }]));
}

/** Writes (or, adopting again, replaces) the responses to open items for the planned year. */
export async function saveResponses(trx: Transaction<Database>, planYear: number, responses: ReadonlyArray<{ itemId: number; response: string }>, actor: AuditActor): Promise<void> {
  if (responses.length === 0) return;
  await trx
    .insertInto("rectification_response")
    .values(responses.map((r) => ({ item_id: r.itemId, plan_year: planYear, response: r.response, user_id: actor.userId, username: actor.username })))
    .onConflict((conflict) =>
      conflict.columns(["item_id", "plan_year"]).doUpdateSet((eb) => ({
        response: eb.ref("excluded.response"),
        user_id: eb.ref("excluded.user_id"),
        username: eb.ref("excluded.username"),
        at: sql<string>`now()`,
      })),
    )
    .execute();
}
