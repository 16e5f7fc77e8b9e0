import { msg, type Message } from "../../../messages/index.ts";
import { isIsoDate } from "../../../domain/dates.ts";
import { parseAmount } from "../../../domain/money.ts";
import { JUDGEMENTS, type Judgement } from "../../../domain/targets.ts";
import { LIKELIHOODS, type Likelihood } from "./likelihood.ts";
import { itemMessage } from "./submission.ts";

/*
 * The typed-in fields of the tracking form and how a posted form is read into them: each field that
 * cannot be read gets a message naming it (the input's name → message).
 */

/** The typed-in fields of the form (not the ledger figures, which are never taken from a request). */
export interface TrackingFormFields {
  adjustmentNeeded: boolean | null;
  adjustedBudget: string | null;
  adjustmentDecrease: string | null;
  adjustmentIncrease: string | null;
  preAssessmentBudget: string | null;
  keyTrackingReason: string | null;
  basicInfo: string | null;
  implementationStatus: string | null;
  /** The budget execution's deviation: cause code, cause in words, corrective measure (an indicator row's causeCode, cause, measure). */
  executionCauseCode: string | null;
  executionCause: string | null;
  executionMeasure: string | null;
  estimatedFullYear: string | null;
  estimatedFullYearReason: string | null;
  budgetLikelihood: Likelihood | null;
  targetLikelihood: Likelihood | null;
  problems: string | null;
  measures: string | null;
  leaderSignature: string | null;
  performanceLeadSignature: string | null;
  preparerSignature: string | null;
  /** 需要说明的情况. */
  otherNotes: string | null;
  filledOn: string | null;
}

/** The typed-in fields of one indicator row. */
export interface TrackingIndicatorFields {
  indicatorId: string;
  tracked: boolean;
  untrackedReason: string | null;
  dueTarget: string | null;
  actual: string | null;
  judgement: Judgement | null;
  description: string | null;
  deviation: string | null;
  estimatedFullYear: string | null;
  causeCode: string | null;
  cause: string | null;
  measure: string | null;
  rectify: boolean | null;
  rectifyAdvice: string | null;
}

// The posted texts' check lives in domain/text.ts (shared with the self-evaluation and the workflow).
export { MAX_TEXT, textProblem } from "../../../domain/text.ts";
import { textProblem } from "../../../domain/text.ts";

/**
 * Reads the posted form (field name → value) into typed fields, with a message per field that
 * cannot be read (name → message); indicator fields are named `ind.<indicatorId>.<field>`. Cause codes
 * must be among `causeCodes` (the catalogue's active codes, plus any the stored form already uses).
 * Example: parseTrackingFields(new Map([["adjustedBudget", "1,2"]]), []) → { errors: { adjustedBudget: 调整后预算数：不是有效的金额：1,2 }, … }.
 */
export function parseTrackingFields(
  get: (name: string) => string | null,
  indicatorIds: readonly string[],
  options: { causeCodes?: readonly string[]; indicatorNames?: Readonly<Record<string, string>> } = {},
): { fields: TrackingFormFields; indicators: TrackingIndicatorFields[]; errors: Record<string, Message> } {
  const errors: Record<string, Message> = {};
  const text = (name: string, label: Message): string | null => {
    const value = get(name);
    if (value === null || value.trim() === "") return null;
    const problem = textProblem(value, label);
    if (problem !== null) {
      errors[name] = problem;
      return null;
    }
    return value.trim();
  };
  /** A cause code of the catalogue; `item` names what it explains (预算执行, 指标“…”). */
  const causeCode = (name: string, item: Message): string | null => {
    const code = text(name, msg("trfCauseCodeOf", { item }));
    if (code === null || options.causeCodes === undefined || options.causeCodes.includes(code)) return code;
    errors[name] = msg("trCauseNotListed", { item, code: code.length > 40 ? `${code.slice(0, 40)}…` : code });
    return null;
  };
  const amount = (name: string, label: Message): string | null => {
    const value = get(name);
    if (value === null || value.trim() === "") return null;
    const parsed = parseAmount(value);
    if ("problem" in parsed) {
      errors[name] = msg("trItemProblem", { item: label, problem: parsed.problem });
      return null;
    }
    return parsed.amount;
  };
  const yesNo = (name: string): boolean | null => {
    const value = get(name);
    return value === "yes" ? true : value === "no" ? false : null;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], refusal: Message): T | null => {
    const value = get(name)?.trim() ?? "";
    if (value === "") return null;
    if (!(allowed as readonly string[]).includes(value)) {
      errors[name] = refusal;
      return null;
    }
    return value as T;
  };
  const filledOn = text("filledOn", msg("trFilledOn"));
  if (filledOn !== null && !isIsoDate(filledOn)) errors.filledOn = msg("trFilledOnInvalid");
  const execution = itemMessage({ kind: "execution" });
  const fields: TrackingFormFields = {
    adjustmentNeeded: yesNo("adjustmentNeeded"),
    adjustedBudget: amount("adjustedBudget", msg("trfAdjustedBudget")),
    adjustmentDecrease: amount("adjustmentDecrease", msg("trDecrease")),
    adjustmentIncrease: amount("adjustmentIncrease", msg("trIncrease")),
    preAssessmentBudget: amount("preAssessmentBudget", msg("trfPreAssessment")),
    keyTrackingReason: text("keyTrackingReason", msg("trKeyReason")),
    basicInfo: text("basicInfo", msg("trfBasicInfo")),
    implementationStatus: text("implementationStatus", msg("trfImplementation")),
    executionCauseCode: causeCode("executionCauseCode", execution),
    executionCause: text("executionCause", msg("trExecutionDeviation")),
    executionMeasure: text("executionMeasure", msg("trfExecutionMeasure")),
    estimatedFullYear: amount("estimatedFullYear", msg("trfEstimate")),
    estimatedFullYearReason: text("estimatedFullYearReason", msg("trfEstimateReason")),
    budgetLikelihood: oneOf("budgetLikelihood", LIKELIHOODS, msg("trNotALikelihood", { label: msg("trBudgetLikelihood") })),
    targetLikelihood: oneOf("targetLikelihood", LIKELIHOODS, msg("trNotALikelihood", { label: msg("trTargetLikelihood") })),
    problems: text("problems", msg("trProblems")),
    measures: text("measures", msg("trMeasures")),
    leaderSignature: text("leaderSignature", msg("trLeader")),
    performanceLeadSignature: text("performanceLeadSignature", msg("trPerformanceLead")),
    preparerSignature: text("preparerSignature", msg("trPreparer")),
    otherNotes: text("otherNotes", msg("trfOtherNotes")),
    filledOn: errors.filledOn ? null : filledOn,
  };
  const indicators = indicatorIds.map((id): TrackingIndicatorFields => {
    const name = (field: string) => `ind.${id}.${field}`;
    const item = itemMessage({ kind: "indicator", name: options.indicatorNames?.[id] ?? id });
    return {
      indicatorId: id,
      tracked: get(name("tracked")) !== "no",
      untrackedReason: text(name("untrackedReason"), msg("trfUntrackedReasonOf", { item })),
      dueTarget: text(name("dueTarget"), msg("trfDueTargetOf", { item })),
      actual: text(name("actual"), msg("trfActualOf", { item })),
      judgement: oneOf(name("judgement"), JUDGEMENTS, msg("trNotAJudgement", { label: msg("trfJudgementOf", { item }) })),
      description: text(name("description"), msg("trfDescriptionOf", { item })),
      deviation: text(name("deviation"), msg("trfDeviationOf", { item })),
      estimatedFullYear: text(name("estimatedFullYear"), msg("trfEstimateOf", { item })),
      causeCode: causeCode(name("causeCode"), item),
      cause: text(name("cause"), msg("trfCauseOf", { item })),
      measure: text(name("measure"), msg("trfMeasureOf", { item })),
      rectify: yesNo(name("rectify")),
      rectifyAdvice: text(name("rectifyAdvice"), msg("trfRectifyAdviceOf", { item })),
    };
  });
  return { fields, indicators, errors };
}
