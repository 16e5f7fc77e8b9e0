import type { Transaction } from "kysely";
import type { DB } from "../../../db/pool.ts";
import type { Database } from "../../../db/schema.ts";
import { todayInChina } from "../../../domain/dates.ts";
import { openItemsOfProjects, previousEvaluations, responsesFor, type PlanOpenItem, type PreviousEvaluation } from "../../rectification/queries/plan.ts";
import { itemState } from "../../rectification/rules/index.ts";

/*
 * The performance results the plan shows per base-year project (issue 14, results applied): last year's
 * self-evaluation (grade, total, the indicators scored below their weight) and the open rectification
 * items, with any response already given for the planned year. Adopting the plan asks for a response
 * to each open item (queries/adoption.ts).
 */

export type { PlanOpenItem, PreviousEvaluation, Shortfall } from "../../rectification/queries/plan.ts";

/** A base-year project's results as the plan page shows them. */
export interface ProjectPerformance {
  projectId: number;
  evaluation: PreviousEvaluation | null;
  /** Each with the response already given, and how many days it is overdue today (0: not overdue), as 整改台账 counts. */
  openItems: Array<PlanOpenItem & { response: string | null; daysOverdue: number }>;
}

/** The results of the plan's base-year projects, for the planned year `planYear`. */
export async function planPerformance(db: DB | Transaction<Database>, planYear: number, projectIds: readonly number[], today: string = todayInChina()): Promise<ProjectPerformance[]> {
  const evaluations = await previousEvaluations(db, projectIds);
  const items = await openItemsOfProjects(db, projectIds);
  const responses = await responsesFor(db, items.map((item) => item.itemId), planYear);
  return projectIds.map((projectId) => ({
    projectId,
    evaluation: evaluations.find((evaluation) => evaluation.projectId === projectId) ?? null,
    openItems: items
      .filter((item) => item.planProjectId === projectId)
      .map((item) => ({ ...item, response: responses.get(item.itemId)?.response ?? null, daysOverdue: itemState("open", item.dueOn, today).daysOverdue })),
  }));
}
