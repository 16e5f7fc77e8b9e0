import { msg, type Message } from "../../../messages/index.ts";
import { money, percentage, toAmountString } from "../../../domain/money.ts";
import { stageConclusion, type IndicatorCompletion, type TrackedItem } from "./conclusion.ts";
import { DEFAULT_DEVIATION_CAUSES, type DeviationCause } from "./deviation-causes.ts";
import type { Likelihood } from "./likelihood.ts";
import { amountOrZero, blank } from "./text.ts";

/*
 * What a submission of the tracking form must carry: every failing item explained (cause code from
 * the catalogue, cause in words, corrective measure), the likelihoods and the adjustment answered,
 * a changed full-year estimate explained. Problems are messages naming the item and the field.
 */

/** What a failing item must carry: cause code, cause text and corrective measure (偏差原因, 纠偏措施). */
export interface DeviationExplanation {
  causeCode: string | null;
  cause: string | null;
  measure: string | null;
}

/** One indicator row of the form, with its completion (from targetCompletion) and explanation. */
export interface TrackedIndicator extends IndicatorCompletion, DeviationExplanation {
  /** 三级指标, for the messages. */
  name: string;
}

/** The fields of a mid-year tracking form that the submission rules look at; amounts in 元. */
export interface TrackingFormInput {
  /** 当年预算数 as of the period end (from the ledger). */
  budget: string;
  /** 预算执行数 as of the period end (from the ledger). */
  executed: string;
  /** The flag threshold in percent, default 75.00. */
  threshold?: string;
  /** The explanation of the budget execution, required when it fails. */
  execution: DeviationExplanation;
  indicators: readonly TrackedIndicator[];
  /** 是否需要预算调整; null when not answered. */
  adjustmentNeeded: boolean | null;
  /** 调整后预算数, 调减金额, 调增金额 when an adjustment is needed. */
  adjustment?: { adjustedBudget: string | null; decrease: string | null; increase: string | null };
  budgetCompletionLikelihood: Likelihood | null;
  targetCompletionLikelihood: Likelihood | null;
  /** 全年预计执行数 as submitted. */
  estimatedFullYearExecution: string | null;
  /** The pre-filled estimate (estimateFullYear); changing it needs a reason. */
  estimatedFullYearPrefill?: string | null;
  estimatedFullYearReason?: string | null;
  /** The deviation-cause catalogue in force; the default catalogue when absent. */
  causes?: readonly DeviationCause[];
}

/** A field that keeps the form from being submitted, and the message that names it. */
export interface SubmissionProblem {
  item: TrackedItem | { kind: "form" };
  field: string;
  message: Message;
}

/** The item a message is about: 预算执行 / Budget execution, or 指标“…” / Indicator “…”. */
export function itemMessage(item: { kind: "execution" } | { kind: "indicator"; name: string }): Message {
  return item.kind === "execution" ? msg("trItemExecution") : msg("trItemIndicator", { name: item.name });
}

function explanationProblems(item: TrackedItem, label: Message, explanation: DeviationExplanation, causes: readonly DeviationCause[]): SubmissionProblem[] {
  const problems: SubmissionProblem[] = [];
  const code = explanation.causeCode?.trim() ?? "";
  if (code === "") {
    problems.push({ item, field: "causeCode", message: msg("trMissingCauseCode", { item: label }) });
  } else if (!causes.some((cause) => cause.code === code)) {
    problems.push({ item, field: "causeCode", message: msg("trCauseNotInCatalogue", { item: label, code }) });
  }
  if (blank(explanation.cause)) problems.push({ item, field: "cause", message: msg("trMissingCause", { item: label }) });
  if (blank(explanation.measure)) problems.push({ item, field: "measure", message: msg("trMissingMeasure", { item: label }) });
  return problems;
}

/**
 * Why the form cannot be submitted yet, each message naming the item and the missing field: every
 * failing item (execution below the threshold, an indicator below it) needs a cause code from the
 * catalogue, the cause in words and a corrective measure; the two likelihoods and the adjustment
 * answer are always required. Example: a form whose indicator 医疗救助总人次 fails without a measure
 * → [{ …, field: "measure", message: 指标“医疗救助总人次”：缺少纠偏措施 (trMissingMeasure) }].
 */
export function submissionProblems(form: TrackingFormInput): SubmissionProblem[] {
  const causes = form.causes ?? DEFAULT_DEVIATION_CAUSES;
  const problems: SubmissionProblem[] = [];
  const wholeForm = { kind: "form" } as const;

  const reported = form.indicators.filter((indicator) => indicator.completion !== null || indicator.met !== null);
  for (const indicator of form.indicators) {
    if (!reported.includes(indicator)) {
      problems.push({
        item: { kind: "indicator", indicatorId: indicator.indicatorId },
        field: "completion",
        message: msg("trMissingCompletion", { item: itemMessage({ kind: "indicator", name: indicator.name }) }),
      });
    }
  }
  const { failing } = stageConclusion({
    executionRate: percentage(form.executed, form.budget),
    targetCompletions: reported,
    threshold: form.threshold,
  });
  for (const item of failing) {
    if (item.kind === "execution") {
      problems.push(...explanationProblems(item, itemMessage(item), form.execution, causes));
    } else {
      const indicator = reported.find((candidate) => candidate.indicatorId === item.indicatorId);
      if (indicator) problems.push(...explanationProblems(item, itemMessage({ kind: "indicator", name: indicator.name }), indicator, causes));
    }
  }

  if (form.budgetCompletionLikelihood === null) {
    problems.push({ item: wholeForm, field: "budgetCompletionLikelihood", message: msg("trMissingBudgetLikelihood") });
  }
  if (form.targetCompletionLikelihood === null) {
    problems.push({ item: wholeForm, field: "targetCompletionLikelihood", message: msg("trMissingTargetLikelihood") });
  }
  if (form.adjustmentNeeded === null) {
    problems.push({ item: wholeForm, field: "adjustmentNeeded", message: msg("trMissingAdjustmentAnswer") });
  } else if (form.adjustmentNeeded) {
    const { adjustedBudget = null, decrease = null, increase = null } = form.adjustment ?? {};
    if (adjustedBudget === null || blank(adjustedBudget)) {
      problems.push({ item: wholeForm, field: "adjustedBudget", message: msg("trMissingAdjustedBudget") });
    } else if (!blank(decrease) || !blank(increase)) {
      const expected = money(form.budget).minus(amountOrZero(decrease)).plus(amountOrZero(increase));
      if (!expected.equals(money(adjustedBudget))) {
        problems.push({
          item: wholeForm,
          field: "adjustedBudget",
          message: msg("trAdjustedBudgetMismatch", { stated: toAmountString(money(adjustedBudget)), expected: toAmountString(expected) }),
        });
      }
    }
  }

  const prefill = form.estimatedFullYearPrefill ?? null;
  const estimate = form.estimatedFullYearExecution;
  const changed = prefill !== null && estimate !== null && !blank(prefill) && !blank(estimate) && !money(prefill).equals(money(estimate));
  if (changed && blank(form.estimatedFullYearReason)) {
    problems.push({ item: wholeForm, field: "estimatedFullYearReason", message: msg("trEstimateReasonMissing") });
  }
  return problems;
}
