import { msg, type Message } from "../../../messages/index.ts";

/*
 * The time rules of payment batches (社会化发放) and settlement notices, as settings. The defaults are those
 * of 闵医保规发〔2022〕1号 (seeds/001 一(六)2): "每月10日、20日、月底分三批进行救助受理，并在10个工作日内完成……审核，
 * 报……审批"; "根据审批结果，5个工作日内将救助资金发放……，并于次月10日前将救助情况报区医保中心备案"; and the town's
 * practice the evaluation accepted (B221): at least two batches a month, one in December (年终关账).
 */

/** The batch rules (setting batch_rules, JSON). */
export interface BatchRules {
  /** Days of the month on which batches are accepted (受理); a day past the month's end means its last day: [10, 20, 31]. */
  acceptanceDays: number[];
  /** 审核: completed within this many working days of acceptance. */
  reviewWorkingDays: number;
  /** 发放: paid within this many working days of approval (审批). */
  paymentWorkingDays: number;
  /** 备案: the month's batches reported to the district centre by this day of the next month. */
  reportByDay: number;
  /** At least this many batches a month … */
  minBatchesPerMonth: number;
  /** … and this many in December (year-end closing). */
  minBatchesDecember: number;
}

export type BatchRuleField = keyof BatchRules;

/** 闵医保规发〔2022〕1号, with the town's two batches a month (one in December). */
export const DEFAULT_BATCH_RULES: Readonly<BatchRules> = Object.freeze({
  acceptanceDays: [10, 20, 31],
  reviewWorkingDays: 10,
  paymentWorkingDays: 5,
  reportByDay: 10,
  minBatchesPerMonth: 2,
  minBatchesDecember: 1,
});

/** Notices due within this many working days and unpaid are listed as due soon (setting notice_warning_days). */
export const DEFAULT_NOTICE_WARNING_DAYS = 5;

/** Bounds of each rule (inclusive). */
const BOUNDS: Record<Exclude<BatchRuleField, "acceptanceDays">, [number, number]> = {
  reviewWorkingDays: [0, 60],
  paymentWorkingDays: [0, 60],
  reportByDay: [1, 31],
  minBatchesPerMonth: [0, 31],
  minBatchesDecember: [0, 31],
};
/** Bounds of the warning's working days. */
export const NOTICE_WARNING_BOUNDS: readonly [number, number] = [0, 60];

const wholeIn = (value: unknown, [low, high]: readonly [number, number]): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= low && value <= high;

/** Why a set of batch rules cannot be stored, one problem per field (empty: fine). */
export function batchRulesProblems(rules: Readonly<Record<BatchRuleField, unknown>>): Partial<Record<BatchRuleField, Message>> {
  const problems: Partial<Record<BatchRuleField, Message>> = {};
  const days = rules.acceptanceDays;
  if (!Array.isArray(days) || days.length === 0 || days.length > 31 || !days.every((day) => wholeIn(day, [1, 31])) || new Set(days).size !== days.length) {
    // Typed text that is not a list of days (typedTimeRules keeps it as typed) is named in the message.
    problems.acceptanceDays = typeof days === "string" ? msg("pmRuleAcceptanceDaysText", { text: days }) : msg("pmRuleAcceptanceDays");
  }
  for (const [field, bounds] of Object.entries(BOUNDS) as Array<[Exclude<BatchRuleField, "acceptanceDays">, [number, number]]>) {
    if (!wholeIn(rules[field], bounds)) problems[field] = msg("pmRuleWhole", { low: bounds[0], high: bounds[1] });
  }
  return problems;
}

/**
 * The batch rules as stored (JSON), the defaults for a missing value and for any field that cannot be
 * read: readStoredBatchRules('{"reviewWorkingDays":15}') → the defaults with review in 15 working days.
 */
export function readStoredBatchRules(stored: string | undefined): BatchRules {
  const rules: BatchRules = { ...DEFAULT_BATCH_RULES, acceptanceDays: [...DEFAULT_BATCH_RULES.acceptanceDays] };
  if (stored === undefined) return rules;
  let parsed: Partial<Record<BatchRuleField, unknown>>;
  try {
    parsed = JSON.parse(stored) as Partial<Record<BatchRuleField, unknown>>;
  } catch {
    return rules;
  }
  if (typeof parsed !== "object" || parsed === null) return rules;
  const candidate = { ...rules, ...parsed } as Record<BatchRuleField, unknown>;
  const problems = batchRulesProblems(candidate);
  for (const field of Object.keys(rules) as BatchRuleField[]) {
    if (field in parsed && problems[field] === undefined) (rules as unknown as Record<string, unknown>)[field] = candidate[field];
  }
  rules.acceptanceDays = [...rules.acceptanceDays].sort((a, b) => a - b);
  return rules;
}

/** The stored warning days, the default when missing or unreadable: readStoredWarningDays("3") → 3. */
export function readStoredWarningDays(stored: string | undefined): number {
  if (stored === undefined || !/^\d{1,2}$/.test(stored)) return DEFAULT_NOTICE_WARNING_DAYS;
  const days = Number(stored);
  return wholeIn(days, NOTICE_WARNING_BOUNDS) ? days : DEFAULT_NOTICE_WARNING_DAYS;
}

/** The fields of the time rules' form on /admin: the batch rules and the notices' warning days. */
export const TIME_RULE_FIELDS = ["acceptanceDays", "reviewWorkingDays", "paymentWorkingDays", "reportByDay", "minBatchesPerMonth", "minBatchesDecember", "warningDays"] as const;
export type TimeRuleField = (typeof TIME_RULE_FIELDS)[number];

/**
 * The time rules as typed on /admin, for saveTimeRules to check: acceptance days separated by commas, 、 or
 * spaces ("10, 20, 31" → [10, 20, 31]), the others whole numbers. A text that is not one stays text, so that
 * the check refuses it at its field: typedTimeRules({ …, reviewWorkingDays: "十" }).rules.reviewWorkingDays → "十".
 */
export function typedTimeRules(texts: Readonly<Record<TimeRuleField, string>>): { rules: Record<BatchRuleField, unknown>; warningDays: unknown } {
  const whole = (text: string): unknown => (/^\d{1,3}$/.test(text.trim()) ? Number(text.trim()) : text);
  const parts = texts.acceptanceDays.split(/[\s,，、;；]+/).filter((part) => part !== "");
  const days = parts.map(whole);
  return {
    rules: {
      acceptanceDays: days.every((day) => typeof day === "number") ? days : texts.acceptanceDays,
      reviewWorkingDays: whole(texts.reviewWorkingDays),
      paymentWorkingDays: whole(texts.paymentWorkingDays),
      reportByDay: whole(texts.reportByDay),
      minBatchesPerMonth: whole(texts.minBatchesPerMonth),
      minBatchesDecember: whole(texts.minBatchesDecember),
    },
    warningDays: whole(texts.warningDays),
  };
}
