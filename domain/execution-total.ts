import { executionFigures, totalAmounts, trackedRows, type BudgetAmounts, type ExecutionFigures } from "./execution.ts";
import { previousYearRate, totalPlanFigures, type PlanFigures, type PreviousYearAmounts } from "./planned-progress.ts";

/** What a total needs of each project row. */
export interface TotalledRow extends BudgetAmounts {
  declarationOnly: boolean;
  planned: string;
  flagged: boolean;
  behindPlan: boolean;
  previousYear: PreviousYearAmounts | null;
}

/** The figures of a total (a unit, the grand total, the grid's or the export's 合计): amounts added, rates recomputed, projects counted. */
export type ExecutionTotal = ExecutionFigures &
  PlanFigures & { projects: number; flaggedProjects: number; behindPlanProjects: number; previousYearRate: string | null };

/**
 * The one definition of a total of project rows: the tracked rows' amounts (declaration-only projects left out:
 * their declared budget is not ledger) added exactly, the execution rate, plan figures and 上年同期执行率 recomputed
 * from the sums, and the projects, flagged and behind-plan projects counted (all rows).
 * executionTotal(rows of 马桥 2024, 2024, "2024-12-31", "75.00").executionRate → the rate of the summed amounts.
 */
export function executionTotal(rows: readonly TotalledRow[], year: number, asOf: string, threshold: string): ExecutionTotal {
  const tracked = trackedRows(rows);
  const figures = executionFigures(totalAmounts(tracked), year, asOf, threshold);
  return {
    ...figures,
    ...totalPlanFigures(tracked, figures, threshold),
    projects: rows.length,
    flaggedProjects: rows.filter((row) => row.flagged).length,
    behindPlanProjects: rows.filter((row) => row.behindPlan).length,
    previousYearRate: previousYearRate(tracked.map((row) => row.previousYear)),
  };
}
