import { dayNumber } from "./dates.ts";
import { difference, money, percentage, ratioPercent, sumMoney, toAmountString } from "./money.ts";

/*
 * 计划进度 (planned progress): how much of its budget a project should have executed by a date,
 * by its plan rather than by the calendar. Exact throughout: a share of the year is a fraction of
 * integers (days, or 元 cents of last year's months), amounts are integers of cents (BigInt, as
 * money.ts's fast paths), rounded half-up only when shown.
 */

/** What shapes a project's planned curve. */
export type PlanBasis =
  /** Some line is scheduled (安排月份) in part of the year only: its budget is spread over those months. */
  | "months"
  /** Last year's monthly profile of the same project (same unit and name, year − 1). */
  | "profile"
  /** Neither: the budget is spread evenly over the year's days, the planned progress is the time progress. */
  | "even";

/** A budget line as the plan reads it. */
export interface PlanLine {
  /** 调整后预算数 as of the date, exact 元. */
  adjusted: string;
  /** 安排月份 (1–12); null or empty when none are recorded, which is the whole year. */
  months: readonly number[] | null;
}

/** A project's planned amount as of a date. */
export interface PlannedAmount {
  /** Planned cumulative execution, 元 rounded half-up to the cent. */
  planned: string;
  /** Planned ÷ adjusted × 100, 2 decimals half-up, from the unrounded planned amount; null when nothing is budgeted. */
  plannedProgress: string | null;
  basis: PlanBasis;
}

/** A fraction of integers, exact. */
export interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;
const CENTS = /^-?\d+\.\d{2}$/;

function cents(amount: string): bigint {
  return BigInt((CENTS.test(amount) ? amount : toAmountString(money(amount))).replace(".", ""));
}

/** numerator ÷ denominator rounded half away from zero (as ROUND_HALF_UP does for amounts). */
function roundedQuotient(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (2n * n + d) / (2n * d);
  return negative ? -quotient : quotient;
}

function centsToAmount(value: bigint): string {
  const sign = value < 0n ? "-" : "";
  const digits = (value < 0n ? -value : value).toString().padStart(3, "0");
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The scheduled months as the plan reads them: 1–12, sorted, once each; none means the whole year. */
function scheduledMonths(months: readonly number[] | null): readonly number[] {
  if (months === null || months.length === 0) return ALL_MONTHS;
  const valid = [...new Set(months)].filter((month) => Number.isInteger(month) && month >= 1 && month <= 12).sort((a, b) => a - b);
  return valid.length === 0 || valid.length === 12 ? ALL_MONTHS : valid;
}

// The dashboard asks for the same year, months and date once per project: remember the shares without a
// profile, and the planned progress of a budget spread by them alone (the same for any budget), so that
// 20,000 rows share one string rather than hold one each.
const evenShares = new Map<string, Fraction & { fromProfile: boolean; progress: string | null }>();

/**
 * The share of a line's budget planned by a date, with whether last year's profile set it: the
 * budget is spread over the scheduled months, each month weighted by last year's executed amount
 * in it (negative months count as 0) when those add up to more than 0 over the scheduled months, else
 * by its number of days; within a month the share accrues by day. Before the year 0, after it 1.
 * Example: plannedShare(2024, [7], null, "2024-07-16") → 16/31 of the line; with the months 1–12 and no
 * profile the share is the time progress (days elapsed ÷ days in the year).
 */
export function plannedShare(
  fiscalYear: number,
  months: readonly number[] | null,
  profile: readonly string[] | null,
  asOf: string,
): Fraction & { fromProfile: boolean } {
  const schedule = scheduledMonths(months);
  return profile === null ? evenShare(fiscalYear, schedule, asOf) : computeShare(fiscalYear, schedule, profile, asOf);
}

/** plannedShare without a profile, remembered, with the planned progress of any budget spread by it. */
function evenShare(fiscalYear: number, schedule: readonly number[], asOf: string): Fraction & { fromProfile: boolean; progress: string | null } {
  const key = `${fiscalYear}|${schedule === ALL_MONTHS ? "all" : schedule.join(",")}|${asOf}`;
  const cached = evenShares.get(key);
  if (cached) return cached;
  if (evenShares.size > 10_000) evenShares.clear();
  const computed = computeShare(fiscalYear, schedule, null, asOf);
  const share = { ...computed, progress: ratioPercent(computed.numerator, computed.denominator) };
  evenShares.set(key, share);
  return share;
}

function computeShare(fiscalYear: number, schedule: readonly number[], profile: readonly string[] | null, asOf: string): Fraction & { fromProfile: boolean } {
  const profileCents = profile?.length === 12 ? profile.map((amount) => (amount.startsWith("-") ? 0n : cents(amount))) : null;
  const profileTotal = profileCents ? schedule.reduce((sum, month) => sum + profileCents[month - 1]!, 0n) : 0n;
  const fromProfile = profileTotal > 0n;
  const weight = (month: number): bigint => (fromProfile ? profileCents![month - 1]! : BigInt(daysInMonth(fiscalYear, month)));
  const day = dayNumber(asOf);
  if (day < dayNumber(`${fiscalYear}-01-01`)) return { numerator: 0n, denominator: 1n, fromProfile };
  if (day > dayNumber(`${fiscalYear}-12-31`)) return { numerator: 1n, denominator: 1n, fromProfile };
  const month = Number(asOf.slice(5, 7));
  const dayOfMonth = BigInt(Number(asOf.slice(8, 10)));
  const monthDays = BigInt(daysInMonth(fiscalYear, month));
  let total = 0n;
  let before = 0n;
  for (const scheduled of schedule) {
    total += weight(scheduled);
    if (scheduled < month) before += weight(scheduled);
  }
  const current = schedule.includes(month) ? weight(month) : 0n;
  return { numerator: before * monthDays + current * dayOfMonth, denominator: total * monthDays, fromProfile };
}

/**
 * 计划进度 of a project as of a date. The rule: each line's budget (调整后预算数 as of the date) is
 * spread over its scheduled months (安排月份; none recorded = the whole year); where the project has
 * history (the same unit and project name the year before), over those months in the proportions
 * last year's execution took in them (its monthly profile), else evenly by day; within a month by
 * day. The planned amount is the sum over the lines; the planned progress is it ÷ the adjusted budget.
 * The basis names what shaped the curve: last year's profile, else lines scheduled in part of the year
 * ("months"), else "even" (the planned progress is then the time progress).
 * Example (马桥 2024, its lines 1–12, its 2023 booked as one total on 2023-12-31): as of 2024-06-30 the
 * planned progress is "0.00" (basis "profile"); the same lines without history: "49.73", basis "even".
 * `exact` is the planned amount in cents, unrounded, for judging against it (isBehindPlan).
 */
export function plannedAmount(input: { fiscalYear: number; asOf: string; lines: readonly PlanLine[]; profile: readonly string[] | null }): PlannedAmount & { exact: Fraction } {
  const { fiscalYear, asOf, profile } = input;
  const only = input.lines.length === 1 ? input.lines[0]! : null;
  if (profile === null && only !== null) {
    // One budget over one schedule (most projects: the whole year, no history): its share's progress.
    const months = scheduledMonths(only.months);
    const share = evenShare(fiscalYear, months, asOf);
    const amount = cents(only.adjusted);
    return {
      planned: centsToAmount(roundedQuotient(amount * share.numerator, share.denominator)),
      plannedProgress: amount === 0n ? null : share.progress,
      basis: months.length < 12 && amount !== 0n ? "months" : "even",
      exact: { numerator: amount * share.numerator, denominator: share.denominator },
    };
  }
  // Lines with the same months share one fraction: add their budgets first (the grouping changes nothing exact).
  const groups = new Map<string, { months: readonly number[]; adjusted: bigint }>();
  let adjusted = 0n;
  for (const line of input.lines) {
    const months = scheduledMonths(line.months);
    const key = months === ALL_MONTHS ? "all" : months.join(",");
    const amount = cents(line.adjusted);
    adjusted += amount;
    const group = groups.get(key);
    if (group) group.adjusted += amount;
    else groups.set(key, { months, adjusted: amount });
  }
  let numerator = 0n;
  let denominator = 1n;
  let fromProfile = false;
  let partYear = false;
  for (const group of groups.values()) {
    const share = plannedShare(fiscalYear, group.months, profile, asOf);
    fromProfile ||= share.fromProfile && group.adjusted !== 0n;
    partYear ||= group.months.length < 12 && group.adjusted !== 0n;
    // numerator / denominator + adjusted × share, over a common denominator.
    numerator = numerator * share.denominator + group.adjusted * share.numerator * denominator;
    denominator *= share.denominator;
  }
  return {
    planned: centsToAmount(roundedQuotient(numerator, denominator)),
    plannedProgress: adjusted === 0n ? null : ratioPercent(numerator, denominator * adjusted),
    basis: fromProfile ? "profile" : partYear ? "months" : "even",
    exact: { numerator, denominator },
  };
}

/** The plan figures of a dashboard row, beside its execution figures. */
export interface PlanFigures {
  /** Planned cumulative execution as of the date (元). */
  planned: string;
  /** 计划进度 (%), null when nothing is budgeted. */
  plannedProgress: string | null;
  /** 与计划差: execution rate − planned progress, percentage points, from the two displayed figures. */
  planGap: string | null;
  /** 落后计划 (see isBehindPlan). */
  behindPlan: boolean;
}

/**
 * 落后计划: executed less than the threshold's share (75%, the flag threshold, a setting) of the amount
 * planned by the date, from the exact amounts (the planned amount unrounded when given as a fraction of
 * cents). At the year's end the plan is the whole budget and this is the threshold rule itself; before
 * it, a project is judged against its own plan. Nothing planned is never behind.
 * Example (马桥 2024 on 30 June, 328,432.91 executed): isBehindPlan("328432.91", "399803.28", "75.00") → false
 * (the bar is 299,852.46); against an even plan of 671,311.48 → true (the bar is 503,483.61).
 */
export function isBehindPlan(executed: string, planned: string | Fraction, threshold: string): boolean {
  const { numerator, denominator } = typeof planned === "string" ? { numerator: cents(planned), denominator: 1n } : planned;
  if (numerator <= 0n) return false;
  // executed < planned × threshold ÷ 100, in cents: executed × denominator × 10,000 < numerator × threshold (in cents).
  return cents(executed) * denominator * 10_000n < numerator * cents(threshold);
}

/**
 * The plan figures of a row from its plan and execution: planFigures(plannedAmount(…), {executed: "328432.91",
 * executionRate: "24.33"}, "75.00") with planned progress "0.00" → planGap "24.33", behindPlan false.
 */
export function planFigures(
  plan: Pick<PlannedAmount, "planned" | "plannedProgress"> & { exact?: Fraction },
  execution: { executed: string; executionRate: string | null },
  threshold: string,
): PlanFigures {
  const judged = execution.executionRate !== null && plan.plannedProgress !== null;
  return {
    planned: plan.planned,
    plannedProgress: plan.plannedProgress,
    planGap: judged ? pointsBetween(execution.executionRate!, plan.plannedProgress!) : null,
    behindPlan: judged && isBehindPlan(execution.executed, plan.exact ?? plan.planned, threshold),
  };
}

// Rates and plans repeat across a dashboard's rows: one string per distinct difference.
const differences = new Map<string, string>();

function pointsBetween(rate: string, reference: string): string {
  const key = `${rate}|${reference}`;
  const cached = differences.get(key);
  if (cached !== undefined) return cached;
  if (differences.size > 20_000) differences.clear();
  const points = difference(rate, reference);
  differences.set(key, points);
  return points;
}

/**
 * The plan figures of a total (a unit, the grid's 合计): the rows' planned amounts added exactly and
 * divided by the adjusted budgets added, as the execution rate of a total is.
 */
export function totalPlanFigures(rows: ReadonlyArray<{ planned: string }>, total: { adjusted: string; executed: string; executionRate: string | null }, threshold: string): PlanFigures {
  const planned = toAmountString(sumMoney(rows.map((row) => row.planned)));
  return planFigures({ planned, plannedProgress: percentage(planned, total.adjusted) }, total, threshold);
}

/** 上年同期: the same calendar day a year earlier, 29 February → 28 February: sameDayLastYear("2024-02-29") → "2023-02-28". */
export function sameDayLastYear(asOf: string): string {
  const year = Number(asOf.slice(0, 4)) - 1;
  const monthDay = asOf.slice(4);
  return monthDay === "-02-29" ? `${year}-02-28` : `${year}${monthDay}`;
}

/** A project's same period last year: the year before's project (same unit and name) as of the same day then. */
export interface PreviousYearAmounts {
  executed: string;
  adjusted: string;
}

/**
 * 上年同期执行率 of a project, or of a total: the year before's executed ÷ its adjusted budget, over the rows that
 * have a year before (the others are left out, not counted as 0); null when none has.
 * previousYearRate([{ executed: "60.00", adjusted: "100.00" }, null, { executed: "20.00", adjusted: "100.00" }]) → "40.00".
 */
export function previousYearRate(rows: ReadonlyArray<PreviousYearAmounts | null>): string | null {
  const known = rows.filter((row): row is PreviousYearAmounts => row !== null);
  if (known.length === 0) return null;
  return percentage(toAmountString(sumMoney(known.map((row) => row.executed))), toAmountString(sumMoney(known.map((row) => row.adjusted))));
}
