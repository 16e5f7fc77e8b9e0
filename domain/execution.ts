import Decimal from "decimal.js";
import { dayNumber, daysBetween, daysInYear, monthOf } from "./dates.ts";
import { difference, money, percentage, sumMoney, toAmountString } from "./money.ts";

/** An amount already as PostgreSQL writes NUMERIC(18,2) stays as it is; anything else is normalised. */
function asAmountString(amount: string): string {
  return /^-?\d+\.\d{2}$/.test(amount) ? amount : toAmountString(money(amount));
}

/** The local rule of the mid-year form: "运行正常（执行率和目标完成度均在75%以上）". */
export const DEFAULT_FLAG_THRESHOLD = "75.00";

/** A budget adjustment (调增 positive, 调减 negative) as the ledger keeps it. */
export interface AdjustmentEntry {
  adjustedOn: string;
  amount: string;
}

/** A payment as the ledger keeps it: the full amount, and what bounced and when it was re-issued. */
export interface PaymentEntry {
  paidOn: string;
  amount: string;
  returnedAmount: string;
  reissuedOn: string | null;
}

/** A transfer (划拨) with the due date of its settlement notice (结算通知书). */
export interface TransferEntry {
  paidOn: string;
  dueOn: string | null;
}

/** The three amounts behind every execution figure, as exact 2-decimal strings in 元. */
export interface BudgetAmounts {
  initial: string;
  adjusted: string;
  executed: string;
}

/** The execution figures of a project or line as of a date; percentages as 2-decimal strings. */
export interface ExecutionFigures extends BudgetAmounts {
  /** 预算执行率 = executed ÷ adjusted; null when nothing is budgeted. */
  executionRate: string | null;
  /** 预算调整率 = (adjusted − initial) ÷ initial; null when the initial budget is zero. */
  adjustmentRate: string | null;
  /** 时间进度 = days elapsed ÷ days in the fiscal year. */
  timeProgress: string;
  /** Execution rate − time progress, in percentage points, from the two displayed figures. */
  gap: string | null;
  /** Execution rate below the threshold (default 75%). */
  flagged: boolean;
}

/**
 * 调整后预算数 as of a date: initial + adjustments dated on or before it.
 * Example (马桥 2024): adjustedBudget("1350000.00", [{adjustedOn: "2024-07-31", amount: "121745.31"}], "2024-12-31") → "1471745.31".
 */
export function adjustedBudget(initial: string, adjustments: readonly AdjustmentEntry[], asOf: string): string {
  const asOfDay = dayNumber(asOf);
  const applied = adjustments.filter((adjustment) => dayNumber(adjustment.adjustedOn) <= asOfDay);
  return toAmountString(money(initial).plus(sumMoney(applied.map((adjustment) => adjustment.amount))));
}

/**
 * What one payment contributes to 执行数 as of a date: its amount once paid, less what bounced
 * until the day that part was re-issued. Example: paymentExecutedAsOf({paidOn: "2024-05-10",
 * amount: "21310.33", returnedAmount: "21310.33", reissuedOn: "2024-05-20"}, "2024-05-15") → 0.
 */
export function paymentExecutedAsOf(payment: PaymentEntry, asOf: string): Decimal {
  const asOfDay = dayNumber(asOf);
  if (dayNumber(payment.paidOn) > asOfDay) return money(0);
  const reissued = payment.reissuedOn !== null && dayNumber(payment.reissuedOn) <= asOfDay;
  return reissued ? money(payment.amount) : money(payment.amount).minus(payment.returnedAmount);
}

/** 预算执行数 as of a date: payments dated on or before it, less returned amounts not re-issued by then. */
export function executedAmount(payments: readonly PaymentEntry[], asOf: string): string {
  return toAmountString(sumMoney(payments.map((payment) => paymentExecutedAsOf(payment, asOf))));
}

/**
 * What is said below a list of payments (the payments grid's pinned rows and its export's rows): 合计 of the
 * amounts and of the returned amounts of every payment listed; 其中…之后支付, the amounts paid after the as-of
 * date (listed and in 合计, not in 净额); and 净额, the listed payments' 预算执行数 as of the date
 * (paymentExecutedAsOf: paid by then, less returned amounts not re-issued by then).
 */
export interface PaymentListTotals {
  amount: Decimal;
  returned: Decimal;
  paidAfter: Decimal;
  net: Decimal;
}

export const NO_PAYMENTS: PaymentListTotals = { amount: money(0), returned: money(0), paidAfter: money(0), net: money(0) };

/** The totals with one more payment listed (the export adds them up page by page as it writes them). */
export function withPayment(totals: PaymentListTotals, payment: PaymentEntry, asOf: string): PaymentListTotals {
  return {
    amount: totals.amount.plus(payment.amount),
    returned: totals.returned.plus(payment.returnedAmount),
    paidAfter: dayNumber(payment.paidOn) > dayNumber(asOf) ? totals.paidAfter.plus(payment.amount) : totals.paidAfter,
    net: totals.net.plus(paymentExecutedAsOf(payment, asOf)),
  };
}

/** The totals of listed payments: paymentListTotals(rows, "2024-12-31").net → 预算执行数 of those rows as of that day. */
export function paymentListTotals(payments: readonly PaymentEntry[], asOf: string): PaymentListTotals {
  return payments.reduce((totals, payment) => withPayment(totals, payment, asOf), NO_PAYMENTS);
}

/**
 * 时间进度: days elapsed through the date ÷ days in the fiscal year, 2 decimals half-up,
 * clamped to 0–100. Example: timeProgress(2024, "2024-08-31") → "66.67" (244 ÷ 366).
 */
export function timeProgress(fiscalYear: number, asOf: string): string {
  const key = `${fiscalYear}|${asOf}`;
  const cached = timeProgressCache.get(key);
  if (cached !== undefined) return cached;
  const value = computeTimeProgress(fiscalYear, asOf);
  if (timeProgressCache.size > 10_000) timeProgressCache.clear();
  timeProgressCache.set(key, value);
  return value;
}

// The dashboard asks for the same year and date once per project: remember the answer.
const timeProgressCache = new Map<string, string>();

function computeTimeProgress(fiscalYear: number, asOf: string): string {
  const elapsed = daysBetween(`${fiscalYear}-01-01`, asOf) + 1;
  const clamped = Math.min(Math.max(elapsed, 0), daysInYear(fiscalYear));
  return percentage(String(clamped), String(daysInYear(fiscalYear))) ?? "0.00";
}

/** Percentage points between two displayed percentages: percentagePoints("86.51", "66.67") → "19.84". */
export function percentagePoints(rate: string, reference: string): string {
  return money(rate).minus(reference).toFixed(2);
}

/** True when an execution rate is below the flag threshold; a project with nothing budgeted is not flagged. */
export function isBelowThreshold(rate: string | null, threshold: string = DEFAULT_FLAG_THRESHOLD): boolean {
  return rate !== null && money(rate).lessThan(threshold);
}

/**
 * All execution figures from the three exact amounts.
 * Example (华漕, as of 2024-08-31): executionFigures({initial: "1109200.00", adjusted: "1109200.00",
 * executed: "959622.79"}, 2024, "2024-08-31") → executionRate "86.51", timeProgress "66.67", gap "19.84", flagged false.
 */
export function executionFigures(
  amounts: BudgetAmounts,
  fiscalYear: number,
  asOf: string,
  threshold: string = DEFAULT_FLAG_THRESHOLD,
): ExecutionFigures {
  const executionRate = percentage(amounts.executed, amounts.adjusted);
  const adjustmentRate = percentage(difference(amounts.adjusted, amounts.initial), amounts.initial);
  const progress = timeProgress(fiscalYear, asOf);
  return {
    initial: asAmountString(amounts.initial),
    adjusted: asAmountString(amounts.adjusted),
    executed: asAmountString(amounts.executed),
    executionRate,
    adjustmentRate,
    timeProgress: progress,
    gap: executionRate === null ? null : percentagePoints(executionRate, progress),
    flagged: isBelowThreshold(executionRate, threshold),
  };
}

/**
 * The figures of a project that exists only as a target declaration (绩效目标填报表): its declared
 * budget is shown, but no execution is recorded for it, so it has no execution rate or gap and is
 * never flagged. Example (宝山 2023 医疗救助资金, declared 35,475,000.00): executionRate null, flagged false.
 */
export function declarationOnlyFigures(amounts: BudgetAmounts, fiscalYear: number, asOf: string): ExecutionFigures {
  return { ...executionFigures(amounts, fiscalYear, asOf), executionRate: null, gap: null, flagged: false };
}

/** The rows whose amounts count in totals: the executed ledger, without declaration-only projects (their declared budget is not ledger). */
export function trackedRows<T extends { declarationOnly: boolean }>(rows: readonly T[]): T[] {
  return rows.filter((row) => !row.declarationOnly);
}

/** Sums several projects' amounts into one, exactly (for unit and grand totals). */
export function totalAmounts(rows: readonly BudgetAmounts[]): BudgetAmounts {
  return {
    initial: toAmountString(sumMoney(rows.map((row) => row.initial))),
    adjusted: toAmountString(sumMoney(rows.map((row) => row.adjusted))),
    executed: toAmountString(sumMoney(rows.map((row) => row.executed))),
  };
}

/**
 * Days a transfer was paid after its due date, or 0 when on time or without a due date.
 * Example (马桥): daysLate({paidOn: "2024-07-02", dueOn: "2024-06-20"}) → 12.
 */
export function daysLate(transfer: TransferEntry): number {
  if (transfer.dueOn === null) return 0;
  return Math.max(0, daysBetween(transfer.dueOn, transfer.paidOn));
}

/** One month of the cumulative execution curve. */
export interface MonthlyExecution {
  month: string;
  /** Executed within the month (payments, less bounces, plus re-issues). */
  executed: string;
  /** Executed from the start of the year through the month's end. */
  cumulative: string;
}

/**
 * Executed per month of a fiscal year and cumulatively, each month as of its last day.
 * Example (马桥 2024 batches): the cumulative of "2024-01" is "87149.70", of "2024-12" "639318.31".
 */
export function monthlyExecution(payments: readonly PaymentEntry[], fiscalYear: number): MonthlyExecution[] {
  const result: MonthlyExecution[] = [];
  let previous = money(0);
  for (let month = 1; month <= 12; month += 1) {
    const lastDay = new Date(Date.UTC(fiscalYear, month, 0)).toISOString().slice(0, 10);
    const cumulative = money(executedAmount(payments, lastDay));
    result.push({
      month: monthOf(lastDay),
      executed: toAmountString(cumulative.minus(previous)),
      cumulative: toAmountString(cumulative),
    });
    previous = cumulative;
  }
  return result;
}

/**
 * The self-evaluation's funds score (预算执行率 row, weight 10): 10 × execution rate, at most 10,
 * 2 decimals half-up. Example (003 医疗救助, 96.27%): fundScore("96.27") → "9.63".
 */
export function fundScore(executionRate: string | null, weight = 10): string {
  if (executionRate === null) return "0.00";
  const score = money(weight).times(executionRate).dividedBy(100);
  return Decimal.min(score, weight).toFixed(2, Decimal.ROUND_HALF_UP);
}

/** A self-evaluation grade (评分等级). */
export type Grade = "优" | "良" | "合格" | "不合格";

/** The lowest total of each grade but the last (the bands are a setting; these are Shanghai's). */
export interface GradeBands {
  优: string;
  良: string;
  合格: string;
}

/** Shanghai's bands: 优 ≥ 90, 良 80–90, 合格 60–80, 不合格 < 60. */
export const DEFAULT_GRADE_BANDS: Readonly<GradeBands> = { 优: "90", 良: "80", 合格: "60" };

/** The grade of a total score by the bands (Shanghai's unless given): grade("89.65") → "良". */
export function grade(score: string, bands: Readonly<GradeBands> = DEFAULT_GRADE_BANDS): Grade {
  const value = money(score);
  if (value.greaterThanOrEqualTo(bands.优)) return "优";
  if (value.greaterThanOrEqualTo(bands.良)) return "良";
  if (value.greaterThanOrEqualTo(bands.合格)) return "合格";
  return "不合格";
}
