import Decimal from "decimal.js";
import { DEFAULT_FLAG_THRESHOLD } from "./execution.ts";
import { money, percentage, sumMoney, toAmountString } from "./money.ts";
import { roleAllows, type Permission, type Role } from "./permissions.ts";

/**
 * The rules of the mid-year tracking form (附件2-1 财政项目支出绩效运行监控): the stage conclusion,
 * the deviation causes, what a submission must carry, the full-year estimate and the workflow.
 */

/** 阶段性跟踪结论. */
export type StageConclusion = "运行正常" | "运行偏差";

/** An item of the form that can fail the 75% rule: the budget execution or one indicator. */
export type TrackedItem = { kind: "execution" } | { kind: "indicator"; indicatorId: string };

/** One indicator's completion as targetCompletion reports it. */
export interface IndicatorCompletion {
  indicatorId: string;
  completion: string | null;
  met: boolean | null;
}

/**
 * The stage conclusion: 运行正常 when the execution rate and every indicator reach the threshold
 * (at least, so 75.00 passes and 74.99 fails); an indicator also passes when it is met (a ≤ bound
 * kept); an indicator not yet reported fails; a project with nothing budgeted (rate null) does not
 * fail on execution. Example (华漕 2024-08-31): stageConclusion({ executionRate: "86.51",
 * targetCompletions: [{ indicatorId: "资金结算准确率", completion: "100.00", met: true }] }) → 运行正常.
 */
export function stageConclusion(input: {
  executionRate: string | null;
  targetCompletions: readonly IndicatorCompletion[];
  threshold?: string;
}): { conclusion: StageConclusion; failing: TrackedItem[] } {
  const threshold = money(input.threshold ?? DEFAULT_FLAG_THRESHOLD);
  const failing: TrackedItem[] = [];
  if (input.executionRate !== null && money(input.executionRate).lessThan(threshold)) failing.push({ kind: "execution" });
  for (const item of input.targetCompletions) {
    const passes = item.met === true || (item.completion !== null && money(item.completion).greaterThanOrEqualTo(threshold));
    if (!passes) failing.push({ kind: "indicator", indicatorId: item.indicatorId });
  }
  return { conclusion: failing.length === 0 ? "运行正常" : "运行偏差", failing };
}

/** The national categories of deviation causes (偏差原因) of the monitoring form. */
export const DEVIATION_CATEGORIES = ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"] as const;
export type DeviationCategory = (typeof DEVIATION_CATEGORIES)[number];

/** A deviation cause: a stable code, its national category and the label the form shows. */
export interface DeviationCause {
  code: string;
  category: DeviationCategory;
  label: string;
}

/**
 * The default catalogue: one general entry per national category plus the domain's refinements.
 * Admins may replace it (validateDeviationCauses checks a replacement).
 */
export const DEFAULT_DEVIATION_CAUSES: readonly DeviationCause[] = [
  { code: "funding", category: "经费保障", label: "经费保障不足" },
  { code: "funds-arrived-late", category: "经费保障", label: "资金下达滞后" },
  { code: "settlement-lag", category: "经费保障", label: "结算滞后" },
  { code: "institution", category: "制度保障", label: "制度保障不足" },
  { code: "policy-change", category: "制度保障", label: "政策调整" },
  { code: "staffing", category: "人员保障", label: "人员保障不足" },
  { code: "facilities", category: "硬件条件保障", label: "硬件条件保障不足" },
  { code: "procurement-delay", category: "硬件条件保障", label: "采购延迟" },
  { code: "fewer-beneficiaries", category: "其他", label: "受益对象少于预期" },
  { code: "demand-unpredictable", category: "其他", label: "申请人数及金额无法预估" },
  { code: "other", category: "其他", label: "其他" },
];

/**
 * The problems of a deviation-cause catalogue, in Chinese; empty when it is usable:
 * validateDeviationCauses([{ code: "x", category: "其他", label: "" }]) → ["偏差原因“x”：缺少名称"].
 */
export function validateDeviationCauses(causes: readonly DeviationCause[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  if (causes.length === 0) problems.push("偏差原因目录为空");
  causes.forEach((cause, index) => {
    const code = cause.code.trim();
    if (!/^[a-z0-9][a-z0-9-]*$/.test(code)) {
      problems.push(`第${index + 1}项偏差原因：代码“${cause.code}”应为小写字母、数字和连字符`);
    }
    if (seen.has(code)) problems.push(`偏差原因代码“${code}”重复`);
    seen.add(code);
    if (!(DEVIATION_CATEGORIES as readonly string[]).includes(cause.category)) {
      problems.push(`偏差原因“${code}”：类别“${cause.category}”不是 ${DEVIATION_CATEGORIES.join("、")} 之一`);
    }
    if (cause.label.trim() === "") problems.push(`偏差原因“${code}”：缺少名称`);
  });
  return problems;
}

/** 预算完成可能性 / 目标完成可能性. */
export const LIKELIHOODS = ["确定能完成", "有可能完成", "确定不能完成"] as const;
export type Likelihood = (typeof LIKELIHOODS)[number];

/** What a failing item must carry: cause code, cause text and corrective measure (偏差原因, 纠偏措施). */
export interface DeviationExplanation {
  deviationCauseCode: string | null;
  deviationCause: string | null;
  correctiveMeasure: string | null;
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

/** A field that keeps the form from being submitted, and the Chinese message that names it. */
export interface SubmissionProblem {
  item: TrackedItem | { kind: "form" };
  field: string;
  message: string;
}

const blank = (text: string | null | undefined): boolean => text === null || text === undefined || text.trim() === "";
const amountOrZero = (amount: string | null): string => (amount === null || blank(amount) ? "0" : amount);

function explanationProblems(
  item: TrackedItem,
  label: string,
  explanation: DeviationExplanation,
  causes: readonly DeviationCause[],
): SubmissionProblem[] {
  const problems: SubmissionProblem[] = [];
  const code = explanation.deviationCauseCode?.trim() ?? "";
  if (code === "") {
    problems.push({ item, field: "deviationCauseCode", message: `${label}：缺少偏差原因类别` });
  } else if (!causes.some((cause) => cause.code === code)) {
    problems.push({ item, field: "deviationCauseCode", message: `${label}：偏差原因类别“${code}”不在偏差原因目录中` });
  }
  if (blank(explanation.deviationCause)) problems.push({ item, field: "deviationCause", message: `${label}：缺少偏差原因说明` });
  if (blank(explanation.correctiveMeasure)) problems.push({ item, field: "correctiveMeasure", message: `${label}：缺少纠偏措施` });
  return problems;
}

/**
 * Why the form cannot be submitted yet, each message naming the item and the missing field in
 * Chinese: every failing item (execution below the threshold, an indicator below it) needs a cause
 * code from the catalogue, the cause in words and a corrective measure; the two likelihoods and the
 * adjustment answer are always required. Example: a form whose indicator 医疗救助总人次 fails without
 * a measure → [{ …, message: "指标“医疗救助总人次”：缺少纠偏措施" }].
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
        message: `指标“${indicator.name}”：缺少完成情况`,
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
      problems.push(...explanationProblems(item, "预算执行", form.execution, causes));
    } else {
      const indicator = reported.find((candidate) => candidate.indicatorId === item.indicatorId);
      if (indicator) problems.push(...explanationProblems(item, `指标“${indicator.name}”`, indicator, causes));
    }
  }

  if (form.budgetCompletionLikelihood === null) {
    problems.push({ item: wholeForm, field: "budgetCompletionLikelihood", message: "缺少年度预算完成可能性" });
  }
  if (form.targetCompletionLikelihood === null) {
    problems.push({ item: wholeForm, field: "targetCompletionLikelihood", message: "缺少年度绩效目标完成可能性" });
  }
  if (form.adjustmentNeeded === null) {
    problems.push({ item: wholeForm, field: "adjustmentNeeded", message: "缺少“是否需要预算调整”" });
  } else if (form.adjustmentNeeded) {
    const { adjustedBudget = null, decrease = null, increase = null } = form.adjustment ?? {};
    if (adjustedBudget === null || blank(adjustedBudget)) {
      problems.push({ item: wholeForm, field: "adjustedBudget", message: "预算调整：缺少调整后预算数" });
    } else if (!blank(decrease) || !blank(increase)) {
      const expected = money(form.budget).minus(amountOrZero(decrease)).plus(amountOrZero(increase));
      if (!expected.equals(money(adjustedBudget))) {
        const stated = toAmountString(money(adjustedBudget));
        problems.push({
          item: wholeForm,
          field: "adjustedBudget",
          message: `预算调整：调整后预算数 ${stated} 与 当年预算数 − 调减 + 调增 = ${toAmountString(expected)} 不符`,
        });
      }
    }
  }

  const prefill = form.estimatedFullYearPrefill ?? null;
  const estimate = form.estimatedFullYearExecution;
  const changed = prefill !== null && estimate !== null && !blank(prefill) && !blank(estimate) && !money(prefill).equals(money(estimate));
  if (changed && blank(form.estimatedFullYearReason)) {
    problems.push({ item: wholeForm, field: "estimatedFullYearReason", message: "全年预计执行数：修改了预填值，须说明理由" });
  }
  return problems;
}

/** A percentage for people: "75.00" → "75", "74.50" → "74.5". */
const plainPercent = (rate: string): string => money(rate).toFixed();

/**
 * Warnings that do not block submission: the estimated full-year execution rate below the
 * threshold (even when the current rate passes), or above 100%. Example: budget 1,109,200.00 and an
 * estimate of 800,000.00 → ["全年预计执行率 72.12% 低于 75%"].
 */
export function submissionWarnings(form: TrackingFormInput): string[] {
  const warnings: string[] = [];
  const estimate = form.estimatedFullYearExecution;
  if (estimate === null || blank(estimate)) return warnings;
  const rate = percentage(estimate, form.budget);
  if (rate === null) return warnings;
  const threshold = form.threshold ?? DEFAULT_FLAG_THRESHOLD;
  if (money(rate).lessThan(threshold)) warnings.push(`全年预计执行率 ${rate}% 低于 ${plainPercent(threshold)}%`);
  if (money(rate).greaterThan(100)) warnings.push(`全年预计执行率 ${rate}% 超过 100%，可能需要调增预算`);
  return warnings;
}

/**
 * 全年预计执行数: this year's cumulative execution scaled by last year's payment profile,
 * current × (last year's total ÷ last year's cumulative through the same month), to the cent; when
 * last year had paid nothing by then, linear: current × 12 ÷ month. Example (马桥's 2024 profile,
 * 412,183.11 of 639,318.31 paid by August): estimateFullYear(monthly2024, "500000.00", 8) → "775527.06".
 */
export function estimateFullYear(previousYearMonthly: readonly string[], currentCumulative: string, asOfMonth: number): string {
  if (previousYearMonthly.length !== 12) throw new RangeError(`上年月度支付数应为 12 个月，实为 ${previousYearMonthly.length} 个`);
  if (!Number.isInteger(asOfMonth) || asOfMonth < 1 || asOfMonth > 12) throw new RangeError(`月份应为 1–12：${asOfMonth}`);
  const current = money(currentCumulative);
  const lastYearTotal = sumMoney(previousYearMonthly);
  const lastYearToDate = sumMoney(previousYearMonthly.slice(0, asOfMonth));
  const estimate = lastYearToDate.greaterThan(0)
    ? current.times(lastYearTotal).dividedBy(lastYearToDate)
    : current.times(12).dividedBy(asOfMonth);
  return estimate.toFixed(2, Decimal.ROUND_HALF_UP);
}

/** The states of a tracking form. */
export const FORM_STATES = ["draft", "submitted", "returned", "resubmitted", "accepted"] as const;
export type FormState = (typeof FORM_STATES)[number];

/** The Chinese names of the states, as the UI shows them. */
export const FORM_STATE_LABELS: Record<FormState, string> = {
  draft: "草稿",
  submitted: "已提交",
  returned: "已退回",
  resubmitted: "已重新提交",
  accepted: "已通过",
};

/** Each allowed step and the permission it needs: submitters submit, managers review. */
const TRANSITIONS: Record<FormState, Partial<Record<FormState, Permission>>> = {
  draft: { submitted: "submit-form" },
  submitted: { returned: "review-form", accepted: "review-form" },
  returned: { resubmitted: "submit-form" },
  resubmitted: { returned: "review-form", accepted: "review-form" },
  accepted: {},
};

/**
 * True when a user with the role may move a form from one state to the other: submitters submit
 * drafts and resubmit returned forms, managers return or accept (re)submitted ones; accepted is frozen.
 * Example: canTransition("submitted", "returned", "manager") → true; canTransition("accepted", "returned", "manager") → false.
 */
export function canTransition(from: FormState, to: FormState, role: Role): boolean {
  const permission = TRANSITIONS[from][to];
  return permission !== undefined && roleAllows([role], permission);
}

/** The states a user with the role can move a form to from its state: nextStates("draft", "submitter") → ["submitted"]. */
export function nextStates(from: FormState, role: Role): FormState[] {
  return FORM_STATES.filter((to) => canTransition(from, to, role));
}

/** True when the form can no longer be edited (accepted; a change needs a new version). */
export function isFrozen(state: FormState): boolean {
  return state === "accepted";
}
