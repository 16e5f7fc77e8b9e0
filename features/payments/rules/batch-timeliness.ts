import { ratioPercent } from "../../../domain/money.ts";
import { addWorkingDays, CalendarNotCoveredError, isWorkingDay, workingDaysBetween, type WorkCalendar } from "../../../domain/workdays.ts";
import type { Message } from "../../../messages/index.ts";
import type { BatchRules } from "./settings.ts";

/*
 * Whether a payment batch (社会化发放) kept the time rules of 闵医保规发〔2022〕1号 (features/payments/rules/
 * settings.ts), each rule on its own, counted in working days (domain/workdays.ts: holidays and make-up
 * working days), and per month the timeliness rate (及时率) and the cadence (at least two batches a month).
 *
 *   acceptance  受理 on an acceptance day (10th, 20th, month end); one that is not a working day moves to the
 *               next working day (顺延). Accepted later: late by the working days after that day.
 *   review      审核完成 by the review-th working day after acceptance (10): on the 10th on time, the 11th late by 1.
 *   payment     支付 by the payment-th working day after approval (审批, 5).
 *   report      备案: a month's batches reported to the district centre by the reportByDay-th of the next month
 *               (10; moved to the next working day when not one), judged per month (judgeReport), not per batch.
 *
 * A rule whose dates are not recorded is "missing"; one whose dates lie in a year the working-day calendar
 * does not cover is "not-covered" (with the calendar's message), never guessed from the weekly rule.
 */

/** The dates of a batch as recorded (null: not recorded). */
export interface BatchDates {
  paidOn: string;
  acceptedOn: string | null;
  reviewedOn: string | null;
  approvedOn: string | null;
}

export const BATCH_RULES = ["acceptance", "review", "payment", "report"] as const;
export type BatchRule = (typeof BATCH_RULES)[number];

/** One rule's judgement of a batch; the deadline is the last day that keeps it (YYYY-MM-DD). */
export type RuleJudgement =
  | { rule: BatchRule; status: "on-time"; deadline: string }
  | { rule: BatchRule; status: "late"; deadline: string; workingDaysLate: number }
  | { rule: BatchRule; status: "missing" }
  /** The later date comes before the earlier one (paid before approval). */
  | { rule: BatchRule; status: "out-of-order" }
  | { rule: BatchRule; status: "not-covered"; problem: Message };

/** A batch on time (every rule kept), late (a rule broken), or incomplete (no rule broken, one not judged). */
export type BatchVerdict = "on-time" | "late" | "incomplete";

export interface BatchTimeliness {
  verdict: BatchVerdict;
  rules: RuleJudgement[];
  /** The most working days a rule was missed by (0 unless late). */
  workingDaysLate: number;
}

const DAYS_IN_MONTH = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (n: number) => String(n).padStart(2, "0");

/** The acceptance days of a month as dates, a day past the month's end taken as its last: acceptanceDates("2024-02", [10, 20, 31]) → […-10, …-20, 2024-02-29]. */
export function acceptanceDates(month: string, days: readonly number[]): string[] {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const last = DAYS_IN_MONTH(year, m);
  return [...new Set(days.map((day) => Math.min(day, last)))].sort((a, b) => a - b).map((day) => `${month}-${pad(day)}`);
}

/** The month before a YYYY-MM. */
function previousMonth(month: string): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${pad(m - 1)}`;
}

/** The month after a YYYY-MM. */
export function nextMonth(month: string): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${pad(m + 1)}`;
}

/** A day, or the next working day when it is not one (顺延). */
function onWorkingDay(date: string, calendar: WorkCalendar): string {
  return isWorkingDay(date, calendar) ? date : addWorkingDays(date, 1, calendar);
}

/** A rule judged by a deadline: on time up to and including it, else late by the working days after it. */
function byDeadline(rule: BatchRule, date: string, deadline: string, calendar: WorkCalendar): RuleJudgement {
  if (date <= deadline) return { rule, status: "on-time", deadline };
  return { rule, status: "late", deadline, workingDaysLate: workingDaysBetween(deadline, date, calendar) };
}

/** Runs a judgement, answering "not-covered" when the calendar does not cover a date it needs. */
function judged(rule: BatchRule, work: () => RuleJudgement): RuleJudgement {
  try {
    return work();
  } catch (error) {
    if (error instanceof CalendarNotCoveredError) return { rule, status: "not-covered", problem: error.problem };
    throw error;
  }
}

/**
 * The acceptance rule: accepted on the latest acceptance day on or before it (moved to the next working day
 * when not one). judgeAcceptance("2024-01-12", rules, calendar) → late by 2 (Wed 10 Jan + Thu, Fri).
 */
export function judgeAcceptance(acceptedOn: string, rules: Pick<BatchRules, "acceptanceDays">, calendar: WorkCalendar): RuleJudgement {
  return judged("acceptance", () => {
    const month = acceptedOn.slice(0, 7);
    const candidates = [...acceptanceDates(previousMonth(month), rules.acceptanceDays), ...acceptanceDates(month, rules.acceptanceDays)];
    const scheduled = candidates.filter((day) => day <= acceptedOn).pop()!;
    return byDeadline("acceptance", acceptedOn, onWorkingDay(scheduled, calendar), calendar);
  });
}

/**
 * A batch against each rule, and its verdict. Example (春节 2024): accepted Thu 8 Feb, the review's 10th
 * working day is Wed 28 Feb (10–17 Feb off, Sunday 18 Feb worked): reviewed on 28 Feb on time, 29 Feb late by 1.
 */
export function judgeBatch(batch: BatchDates, rules: BatchRules, calendar: WorkCalendar): BatchTimeliness {
  const judgements: RuleJudgement[] = [
    batch.acceptedOn === null ? { rule: "acceptance", status: "missing" } : judgeAcceptance(batch.acceptedOn, rules, calendar),
    batch.acceptedOn === null || batch.reviewedOn === null
      ? { rule: "review", status: "missing" }
      : batch.reviewedOn < batch.acceptedOn
        ? { rule: "review", status: "out-of-order" }
        : judged("review", () => byDeadline("review", batch.reviewedOn!, addWorkingDays(batch.acceptedOn!, rules.reviewWorkingDays, calendar), calendar)),
    batch.approvedOn === null
      ? { rule: "payment", status: "missing" }
      : batch.paidOn < batch.approvedOn
        ? { rule: "payment", status: "out-of-order" }
        : judged("payment", () => byDeadline("payment", batch.paidOn, addWorkingDays(batch.approvedOn!, rules.paymentWorkingDays, calendar), calendar)),
  ];
  const late = judgements.filter((judgement) => judgement.status === "late");
  const verdict: BatchVerdict = late.length > 0 ? "late" : judgements.every((judgement) => judgement.status === "on-time") ? "on-time" : "incomplete";
  return { verdict, rules: judgements, workingDaysLate: Math.max(0, ...late.map((judgement) => judgement.workingDaysLate)) };
}

/** A month's batches against the rules: 及时率 and cadence. */
export interface MonthTimeliness {
  /** YYYY-MM: the month the batches were paid in. */
  month: string;
  /** Every batch paid in the month (dated or not). */
  batches: number;
  onTime: number;
  late: number;
  /** Batches not judged in full (a date missing or not covered by the calendar): counted, not on time. */
  incomplete: number;
  /** 及时率 = batches on time ÷ batches × 100, 2 decimals half-up; null without batches. */
  rate: string | null;
  /** The batches the month needs (December: fewer), and whether it had them. */
  minBatches: number;
  cadenceMet: boolean;
  /** 备案: the month's report is due at the district centre by this day of the next month. */
  reportDue: string;
  /** The day the month was reported (备案日期), null when not recorded. */
  reportedOn: string | null;
  /** The report against the rule: null without batches; "missing" when batches were paid and no report is recorded. */
  report: RuleJudgement | null;
}

/** 及时率 from counts, 2 decimals half-up: timelinessRate(25, 26) → "96.15"; null without batches. */
export function timelinessRate(onTime: number, batches: number): string | null {
  return ratioPercent(BigInt(onTime), BigInt(batches));
}

/**
 * The months' timeliness: every batch paid in the month counts (batchCounts, by month), those among `dated`
 * judged by judgeBatch; a batch without its dates is not on time. Months not listed are left out.
 * Example: a month of 2 batches, both on time → rate "100.00", cadence met (2 ≥ 2).
 */
export function monthlyTimeliness(
  input: { months: readonly string[]; batchCounts: ReadonlyMap<string, number>; dated: readonly BatchDates[]; reports?: ReadonlyMap<string, string> },
  rules: BatchRules,
  calendar: WorkCalendar,
): MonthTimeliness[] {
  const verdicts = new Map<string, { onTime: number; late: number }>();
  for (const batch of input.dated) {
    const month = batch.paidOn.slice(0, 7);
    const counts = verdicts.get(month) ?? { onTime: 0, late: 0 };
    const { verdict } = judgeBatch(batch, rules, calendar);
    if (verdict === "on-time") counts.onTime += 1;
    else if (verdict === "late") counts.late += 1;
    verdicts.set(month, counts);
  }
  return input.months.map((month) => {
    const batches = input.batchCounts.get(month) ?? 0;
    const { onTime, late } = verdicts.get(month) ?? { onTime: 0, late: 0 };
    const minBatches = month.endsWith("-12") ? rules.minBatchesDecember : rules.minBatchesPerMonth;
    const reportedOn = input.reports?.get(month) ?? null;
    return {
      month,
      batches,
      onTime,
      late,
      incomplete: Math.max(0, batches - onTime - late),
      rate: timelinessRate(onTime, batches),
      minBatches,
      cadenceMet: batches >= minBatches,
      reportDue: reportDueDay(month, rules),
      reportedOn,
      report: batches === 0 && reportedOn === null ? null : reportedOn === null ? { rule: "report", status: "missing" } : judgeReport(month, reportedOn, rules, calendar),
    };
  });
}

/**
 * 备案 of a month's batches (YYYY-MM) reported on a day: due by the reportByDay-th of the next month (the month's
 * last day when shorter), moved to the next working day when that is not one; late by the working days after it.
 * judgeReport("2024-09", "2024-10-10", rules, calendar) → on time: 10 October 2024 is a working day (国庆 1–7 Oct).
 */
export function judgeReport(month: string, reportedOn: string, rules: Pick<BatchRules, "reportByDay">, calendar: WorkCalendar): RuleJudgement {
  return judged("report", () => byDeadline("report", reportedOn, onWorkingDay(reportDueDay(month, rules), calendar), calendar));
}

/** 备案: the day of the next month a month's batches are due at the district centre: reportDueDay("2024-12", rules) → "2025-01-10". */
export function reportDueDay(month: string, rules: Pick<BatchRules, "reportByDay">): string {
  const following = nextMonth(month);
  const [year, m] = following.split("-").map(Number) as [number, number];
  return `${following}-${pad(Math.min(rules.reportByDay, DAYS_IN_MONTH(year, m)))}`;
}

/** The months' totals: batches, on time, late, incomplete and the rate over them all. */
export function timelinessTotal(months: readonly MonthTimeliness[]): {
  batches: number;
  onTime: number;
  late: number;
  incomplete: number;
  rate: string | null;
  monthsShort: number;
} {
  const sum = (pick: (month: MonthTimeliness) => number) => months.reduce((total, month) => total + pick(month), 0);
  const batches = sum((month) => month.batches);
  const onTime = sum((month) => month.onTime);
  return {
    batches,
    onTime,
    late: sum((month) => month.late),
    incomplete: sum((month) => month.incomplete),
    rate: timelinessRate(onTime, batches),
    monthsShort: months.filter((month) => !month.cadenceMet).length,
  };
}
