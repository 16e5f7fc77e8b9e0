import type { SubmissionProblem } from "./submission.ts";

/*
 * Which input of the form page a submission problem is about, so the page can mark it: the rules
 * name an item (execution, indicator, whole form) and a field; the page names inputs as
 * parseTrackingFields reads them.
 */

const INDICATOR_FIELD: Record<string, string> = {
  completion: "actual",
};
const EXECUTION_FIELD: Record<string, string> = {
  causeCode: "executionCauseCode",
  cause: "executionCause",
  measure: "executionMeasure",
};
const FORM_FIELD: Record<string, string> = {
  budgetCompletionLikelihood: "budgetLikelihood",
  targetCompletionLikelihood: "targetLikelihood",
};

/** The input a submission problem is about, e.g. indicator 12's missing measure → "ind.12.measure". */
export function problemFieldName(problem: Pick<SubmissionProblem, "item" | "field">): string {
  const { item, field } = problem;
  if (item.kind === "execution") return EXECUTION_FIELD[field] ?? field;
  if (item.kind === "indicator") return `ind.${item.indicatorId}.${INDICATOR_FIELD[field] ?? field}`;
  return FORM_FIELD[field] ?? field;
}
