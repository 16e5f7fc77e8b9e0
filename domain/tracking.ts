import Decimal from "decimal.js";
import { DEFAULT_FLAG_THRESHOLD } from "./execution.ts";
import { isIsoDate } from "./dates.ts";
import { money, parseAmountInput, percentage, sumMoney, toAmountString } from "./money.ts";
import { roleAllows, type Permission, type Role } from "./permissions.ts";
import { JUDGEMENTS, isTargetParseError, parseTarget, targetCompletion, type Judgement } from "./targets.ts";

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

/** One indicator row of the form as typed in (主要跟踪指标), before its completion is computed. */
export interface TrackingIndicatorInput extends DeviationExplanation {
  indicatorId: string;
  /** 三级指标. */
  name: string;
  /** 年度指标值 as declared. */
  annualTarget: string;
  /** 应完成的绩效目标值 at the tracking date; the annual target when blank. */
  dueTarget: string | null;
  /** Chosen as a key indicator of this tracking (主要跟踪指标); untracked rows do not count. */
  tracked: boolean;
  /** Why the row is not tracked; required for an untracked row before submission. */
  untrackedReason?: string | null;
  /** 实际完成值 of a quantitative target, e.g. "1809人次". */
  actual: string | null;
  /** 达成 / 部分达成 / 未达成 of a qualitative target. */
  judgement: Judgement | null;
}

/** An indicator row's computed reading: completion and deviation, or why it cannot be read. */
export interface IndicatorEvaluation {
  qualitative: boolean;
  completion: string | null;
  met: boolean | null;
  /** Numeric where the target is quantitative: "-2371人", "0个百分点". */
  deviation: string | null;
  /** A Chinese reason when the target or the actual cannot be read. */
  error: string | null;
}

/** The largest completion a form records (±9,999,999.99%); beyond it the figures are surely mistyped. */
export const MAX_COMPLETION = "9999999.99";

/**
 * Reads one indicator row against its due target (else the annual target): quantitative ones from
 * the actual, qualitative ones from the judgement. Example: evaluateIndicator({ …, annualTarget:
 * "≥85%", actual: "80%" }) → { completion: "94.12", met: false, deviation: "-5个百分点", … }.
 * A completion beyond ±MAX_COMPLETION (a due target of "≥0.001%" against an actual of "100%") is an
 * error naming it, not a reading.
 */
export function evaluateIndicator(row: TrackingIndicatorInput): IndicatorEvaluation {
  const targetText = blank(row.dueTarget) ? row.annualTarget : (row.dueTarget as string);
  const target = parseTarget(targetText);
  if (isTargetParseError(target)) {
    return { qualitative: false, completion: null, met: null, deviation: null, error: `指标值“${targetText}”无法识别：${target.message}` };
  }
  if (target.kind === "qualitative") {
    const result = targetCompletion(target, null, row.judgement ?? undefined);
    return { qualitative: true, completion: result.completion, met: result.met, deviation: null, error: null };
  }
  try {
    const result = targetCompletion(target, blank(row.actual) ? null : (row.actual as string).trim());
    if (result.completion !== null && money(result.completion).abs().greaterThan(MAX_COMPLETION)) {
      const shown = result.completion.length > 24 ? `${result.completion.slice(0, 20)}…` : result.completion;
      return {
        qualitative: false,
        completion: null,
        met: null,
        deviation: null,
        error: `完成百分比 ${shown}% 超出可记录的范围（绝对值最大 ${MAX_COMPLETION}%），请核对实际完成值和应完成的绩效目标值`,
      };
    }
    return { qualitative: false, completion: result.completion, met: result.met, deviation: result.deviation, error: null };
  } catch (error) {
    return { qualitative: false, completion: null, met: null, deviation: null, error: (error as Error).message };
  }
}

/** The whole form as the rules see it: what the ledger says, what was typed in, and the indicator rows. */
export type TrackingFormDraft = Omit<TrackingFormInput, "indicators"> & { indicators: readonly TrackingIndicatorInput[] };

/** Everything the form page shows that is computed: per-row readings, the stage conclusion, problems and warnings. */
export interface TrackingEvaluation {
  executionRate: string | null;
  conclusion: StageConclusion;
  failing: TrackedItem[];
  /** In the order of the input rows. */
  indicators: IndicatorEvaluation[];
  /** What keeps the form from being submitted (empty: it may be submitted). */
  problems: SubmissionProblem[];
  warnings: string[];
}

/**
 * Evaluates a tracking form: each tracked indicator's completion, the stage conclusion (execution
 * rate and every tracked indicator at least the threshold), the submission problems naming each
 * missing field, and the warnings. Example: 华漕 as of 2024-08-31 with every tracked indicator met
 * → { executionRate: "86.51", conclusion: "运行正常", problems: [] , … }.
 */
export function evaluateTrackingForm(form: TrackingFormDraft): TrackingEvaluation {
  const readings = form.indicators.map(evaluateIndicator);
  const tracked = form.indicators.map((row, index) => ({ row, reading: readings[index]! })).filter(({ row }) => row.tracked);
  const indicators: TrackedIndicator[] = tracked.map(({ row, reading }) => ({
    indicatorId: row.indicatorId,
    name: row.name,
    completion: reading.completion,
    met: reading.met,
    deviationCauseCode: row.deviationCauseCode,
    deviationCause: row.deviationCause,
    correctiveMeasure: row.correctiveMeasure,
  }));
  const executionRate = percentage(form.executed, form.budget);
  const { failing } = stageConclusion({
    executionRate,
    targetCompletions: indicators.filter((indicator) => indicator.completion !== null || indicator.met !== null),
    threshold: form.threshold,
  });
  const unreadable = new Map(tracked.filter(({ reading }) => reading.error !== null).map(({ row, reading }) => [row.indicatorId, { row, reading }]));
  const problems: SubmissionProblem[] = [];
  // Leaving an indicator out of the tracking must be explained, and not every indicator may be left out.
  for (const row of form.indicators) {
    if (!row.tracked && blank(row.untrackedReason)) {
      problems.push({ item: { kind: "indicator", indicatorId: row.indicatorId }, field: "untrackedReason", message: `指标“${row.name}”：不纳入跟踪须说明理由` });
    }
  }
  if (form.indicators.length > 0 && tracked.length === 0) {
    problems.push({ item: { kind: "form" }, field: "tracked", message: "主要跟踪指标：至少须有一项指标纳入跟踪" });
  }
  for (const { row, reading } of unreadable.values()) {
    problems.push({ item: { kind: "indicator", indicatorId: row.indicatorId }, field: "actual", message: `指标“${row.name}”：${reading.error}` });
  }
  for (const problem of submissionProblems({ ...form, indicators })) {
    const item = problem.item;
    if (item.kind === "indicator" && problem.field === "completion" && unreadable.has(item.indicatorId)) continue;
    problems.push(problem);
  }
  // Not yet reported counts as failing too, so the page highlights it.
  const allFailing: TrackedItem[] = [...failing];
  for (const indicator of indicators) {
    if (indicator.completion === null && indicator.met === null) allFailing.push({ kind: "indicator", indicatorId: indicator.indicatorId });
  }
  return {
    executionRate,
    conclusion: allFailing.length === 0 ? "运行正常" : "运行偏差",
    failing: allFailing,
    indicators: readings,
    problems,
    warnings: submissionWarnings({ ...form, indicators }),
  };
}

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

/** Longest text accepted in one field. */
const MAX_TEXT = 4000;

/**
 * The problem with a posted text, or null: too long, or holding control characters the database
 * cannot store (NUL) or a form cannot show. textProblem("a\u0000b", "存在问题") → "存在问题：含有无效的控制字符".
 */
export function textProblem(value: string, label: string): string | null {
  if (value.length > MAX_TEXT) return `${label}：最多 ${MAX_TEXT} 个字`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) return `${label}：含有无效的控制字符`;
  return null;
}

/**
 * Reads the posted form (field name → value) into typed fields, with a Chinese message per field that
 * cannot be read (name → message); indicator fields are named `ind.<indicatorId>.<field>`. Cause codes
 * must be among `causeCodes` (the catalogue's active codes, plus any the stored form already uses).
 * Example: parseTrackingFields(new Map([["adjustedBudget", "1,2"]]), []) → { errors: { adjustedBudget: "调整后预算数：不是有效的金额：1,2" }, … }.
 */
export function parseTrackingFields(
  get: (name: string) => string | null,
  indicatorIds: readonly string[],
  options: { causeCodes?: readonly string[]; indicatorNames?: Readonly<Record<string, string>> } = {},
): { fields: TrackingFormFields; indicators: TrackingIndicatorFields[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const text = (name: string, label: string): string | null => {
    const value = get(name);
    if (value === null || value.trim() === "") return null;
    const problem = textProblem(value, label);
    if (problem !== null) {
      errors[name] = problem;
      return null;
    }
    return value.trim();
  };
  /** A cause code of the catalogue; `item` names what it explains ("预算执行", "指标“…”"). */
  const causeCode = (name: string, item: string): string | null => {
    const code = text(name, `${item}的偏差原因类别`);
    if (code === null || options.causeCodes === undefined || options.causeCodes.includes(code)) return code;
    errors[name] = `${item}：偏差原因类别“${code.length > 40 ? `${code.slice(0, 40)}…` : code}”不在目录中`;
    return null;
  };
  const amount = (name: string, label: string): string | null => {
    const value = get(name);
    if (value === null || value.trim() === "") return null;
    const parsed = parseAmountInput(value);
    if ("error" in parsed) {
      errors[name] = `${label}：${parsed.error}`;
      return null;
    }
    return parsed.amount;
  };
  const yesNo = (name: string): boolean | null => {
    const value = get(name);
    return value === "yes" ? true : value === "no" ? false : null;
  };
  const oneOf = <T extends string>(name: string, label: string, allowed: readonly T[]): T | null => {
    const value = get(name)?.trim() ?? "";
    if (value === "") return null;
    if (!(allowed as readonly string[]).includes(value)) {
      errors[name] = `${label}：应为 ${allowed.join(" / ")} 之一`;
      return null;
    }
    return value as T;
  };
  const filledOn = text("filledOn", "填报日期");
  if (filledOn !== null && !isIsoDate(filledOn)) errors.filledOn = "填报日期：应为有效日期（YYYY-MM-DD）";
  const fields: TrackingFormFields = {
    adjustmentNeeded: yesNo("adjustmentNeeded"),
    adjustedBudget: amount("adjustedBudget", "调整后预算数"),
    adjustmentDecrease: amount("adjustmentDecrease", "调减金额"),
    adjustmentIncrease: amount("adjustmentIncrease", "调增金额"),
    preAssessmentBudget: amount("preAssessmentBudget", "事前绩效评估评审预算"),
    keyTrackingReason: text("keyTrackingReason", "选择重点跟踪理由"),
    basicInfo: text("basicInfo", "项目基本情况"),
    implementationStatus: text("implementationStatus", "项目具体实施情况"),
    executionCauseCode: causeCode("executionCauseCode", "预算执行"),
    executionCause: text("executionCause", "预算执行偏差原因"),
    executionMeasure: text("executionMeasure", "预算执行纠偏措施"),
    estimatedFullYear: amount("estimatedFullYear", "全年预计执行数"),
    estimatedFullYearReason: text("estimatedFullYearReason", "全年预计执行数修改理由"),
    budgetLikelihood: oneOf("budgetLikelihood", "年度项目预算完成可能性", LIKELIHOODS),
    targetLikelihood: oneOf("targetLikelihood", "年度绩效目标完成可能性", LIKELIHOODS),
    problems: text("problems", "存在问题"),
    measures: text("measures", "改进措施"),
    leaderSignature: text("leaderSignature", "领导（签字）"),
    performanceLeadSignature: text("performanceLeadSignature", "绩效负责人（签字）"),
    preparerSignature: text("preparerSignature", "经办人（签字）"),
    otherNotes: text("otherNotes", "需要说明的情况"),
    filledOn: errors.filledOn ? null : filledOn,
  };
  const indicators = indicatorIds.map((id): TrackingIndicatorFields => {
    const name = (field: string) => `ind.${id}.${field}`;
    const item = `指标“${options.indicatorNames?.[id] ?? id}”`;
    return {
      indicatorId: id,
      tracked: get(name("tracked")) !== "no",
      untrackedReason: text(name("untrackedReason"), `${item}不纳入跟踪的理由`),
      dueTarget: text(name("dueTarget"), `${item}应完成的绩效目标值`),
      actual: text(name("actual"), `${item}实际完成值`),
      judgement: oneOf(name("judgement"), `${item}完成情况判断`, JUDGEMENTS),
      description: text(name("description"), `${item}情况描述`),
      deviation: text(name("deviation"), `${item}偏差情况`),
      estimatedFullYear: text(name("estimatedFullYear"), `${item}全年预计完成值`),
      causeCode: causeCode(name("causeCode"), item),
      cause: text(name("cause"), `${item}偏差原因`),
      measure: text(name("measure"), `${item}纠偏措施`),
      rectify: yesNo(name("rectify")),
      rectifyAdvice: text(name("rectifyAdvice"), `${item}整改建议`),
    };
  });
  return { fields, indicators, errors };
}
