import type { SheetProblem } from "./indicators.ts";

/**
 * The input of the form a problem is about, so the page can mark it: indicator rows as
 * `ind.<key>.<field>` (actual, judgement, score, scoreReason, deviationAnalysis, weight, target),
 * the sheet's own fields by name (actualSummary, weights). Example: ind.12.deviationAnalysis.
 */
export function problemFieldName(problem: Pick<SheetProblem, "item" | "field">): string {
  return problem.item.kind === "indicator" ? `ind.${problem.item.key}.${problem.field}` : problem.field;
}
