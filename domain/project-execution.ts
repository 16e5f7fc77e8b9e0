import {
  adjustedBudget,
  daysLate,
  executedAmount,
  executionFigures,
  monthlyExecution,
  type AdjustmentEntry,
  type ExecutionFigures,
  type PaymentEntry,
  type TransferEntry,
} from "./execution.ts";
import { dayNumber, daysBetween, daysInYear } from "./dates.ts";
import { money, toAmountString } from "./money.ts";
import { plannedAmount, type PlanBasis } from "./planned-progress.ts";

/** The parts of a budget line the execution view needs. */
export interface LineInput {
  id: number;
  initialAmount: string;
  /** 安排月份, for the planned curve (none: the whole year). */
  scheduledMonths?: readonly number[] | null;
}

/** The parts of an adjustment the execution view needs. */
export interface LineAdjustmentInput extends AdjustmentEntry {
  budgetLineId: number;
}

/** The parts of a payment the execution view needs. */
export interface LinePaymentInput extends PaymentEntry, TransferEntry {
  budgetLineId: number | null;
  kind: "batch" | "transfer";
  personTimes: number | null;
}

/** A line's figures as of a date; executed counts only payments attributed to the line. */
export interface LineExecution extends ExecutionFigures {
  lineId: number;
}

/** A payment's state as of a date: paid yet? bounced part outstanding? transfer late? */
export interface PaymentStatus {
  /** Paid on or before the as-of date. */
  paid: boolean;
  /** A bounced part not yet re-issued by the as-of date. */
  returnedOutstanding: boolean;
  /** Days a transfer was paid after its due date (0 when on time). */
  daysLate: number;
}

/** One point of the cumulative chart: executed, even time progress and the adjusted budget, at a month's end. */
export interface ChartPoint {
  month: string;
  executed: string;
  cumulative: string;
  /** Adjusted budget × time progress at the month's end (均衡进度). */
  evenProgress: string;
  /** The planned cumulative execution at the month's end (计划进度, domain/planned-progress.ts). */
  planned: string;
  adjusted: string;
}

/** The whole execution view of one project as of a date. */
export interface ProjectExecution {
  figures: ExecutionFigures;
  lines: LineExecution[];
  /** Payments not attributed to a line (project level). */
  unattributedExecuted: string;
  payments: PaymentStatus[];
  chart: ChartPoint[];
  /** What shaped the planned curve: lines scheduled in part of the year, last year's profile, or even. */
  planBasis: PlanBasis;
  /** Person-times of batches paid by the as-of date. */
  personTimes: number;
  /** Payments made by the as-of date (the heading's count: one scope with the person-times and late transfers). */
  paymentsToDate: number;
  /** Transfers paid by the as-of date after their due date. */
  lateTransfers: number;
}

/**
 * Computes a project's execution view from its ledger: project and line figures as of a date,
 * each payment's status, and the monthly cumulative curve against even time progress and against
 * the plan (from the lines' scheduled months and `profile`, last year's monthly executed amounts).
 */
export function projectExecution(
  ledger: {
    fiscalYear: number;
    lines: readonly LineInput[];
    adjustments: readonly LineAdjustmentInput[];
    payments: readonly LinePaymentInput[];
    profile?: readonly string[] | null;
  },
  asOf: string,
  threshold?: string,
): ProjectExecution {
  const { fiscalYear, lines, adjustments, payments } = ledger;
  // The plan as of a date: each line's budget then, over its months, shaped by last year's profile.
  const planAsOf = (date: string) =>
    plannedAmount({
      fiscalYear,
      asOf: date,
      lines: lines.map((line) => ({
        adjusted: adjustedBudget(line.initialAmount, adjustments.filter((a) => a.budgetLineId === line.id), date),
        months: line.scheduledMonths ?? null,
      })),
      profile: ledger.profile ?? null,
    });
  const lineFigures = lines.map((line) => ({
    lineId: line.id,
    ...executionFigures(
      {
        initial: line.initialAmount,
        adjusted: adjustedBudget(line.initialAmount, adjustments.filter((a) => a.budgetLineId === line.id), asOf),
        executed: executedAmount(payments.filter((p) => p.budgetLineId === line.id), asOf),
      },
      fiscalYear,
      asOf,
      threshold,
    ),
  }));
  const initial = toAmountString(lines.reduce((sum, line) => sum.plus(line.initialAmount), money(0)));
  const figures = executionFigures(
    { initial, adjusted: adjustedBudget(initial, adjustments, asOf), executed: executedAmount(payments, asOf) },
    fiscalYear,
    asOf,
    threshold,
  );
  const asOfDay = dayNumber(asOf);
  let previousCumulative = money(0);
  const chart = monthlyExecution(payments, fiscalYear)
    .filter((point) => dayNumber(`${point.month}-01`) <= asOfDay)
    .map((point) => {
      const monthEnd = new Date(Date.UTC(Number(point.month.slice(0, 4)), Number(point.month.slice(5, 7)), 0))
        .toISOString()
        .slice(0, 10);
      // The as-of month ends at the as-of date, so the curve meets the headline figure.
      const cutoff = dayNumber(monthEnd) > asOfDay ? asOf : monthEnd;
      const cumulative = cutoff === monthEnd ? point.cumulative : executedAmount(payments, cutoff);
      const executed = toAmountString(money(cumulative).minus(previousCumulative));
      previousCumulative = money(cumulative);
      const adjusted = adjustedBudget(initial, adjustments, cutoff);
      // Even progress from the exact day count (244/366), not from the rounded percentage.
      const elapsed = Math.min(Math.max(daysBetween(`${fiscalYear}-01-01`, cutoff) + 1, 0), daysInYear(fiscalYear));
      const evenProgress = toAmountString(money(adjusted).times(elapsed).dividedBy(daysInYear(fiscalYear)));
      return { month: point.month, executed, cumulative, evenProgress, planned: planAsOf(cutoff).planned, adjusted };
    });
  const batchPersonTimes = payments
    .filter((payment) => payment.kind === "batch" && dayNumber(payment.paidOn) <= asOfDay)
    .reduce((sum, payment) => sum + (payment.personTimes ?? 0), 0);
  return {
    figures,
    lines: lineFigures,
    unattributedExecuted: executedAmount(payments.filter((p) => p.budgetLineId === null), asOf),
    payments: payments.map((payment) => ({
      paid: dayNumber(payment.paidOn) <= asOfDay,
      returnedOutstanding:
        dayNumber(payment.paidOn) <= asOfDay &&
        money(payment.returnedAmount).greaterThan(0) &&
        (payment.reissuedOn === null || dayNumber(payment.reissuedOn) > asOfDay),
      daysLate: payment.kind === "transfer" ? daysLate(payment) : 0,
    })),
    chart,
    planBasis: planAsOf(asOf).basis,
    personTimes: batchPersonTimes,
    paymentsToDate: payments.filter((payment) => dayNumber(payment.paidOn) <= asOfDay).length,
    lateTransfers: payments.filter((payment) => payment.kind === "transfer" && dayNumber(payment.paidOn) <= asOfDay && daysLate(payment) > 0).length,
  };
}

/**
 * A project's execution view from its grouped payments (db getProjectSummaryLedger): the figures, line
 * figures, curve and person-times as projectExecution gives them from the payments one by one, the
 * late transfers counted payment by payment; no per-payment statuses (list those with paymentStatuses).
 */
export function summaryExecution(
  ledger: {
    project: { fiscalYear: number };
    lines: readonly LineInput[];
    adjustments: readonly LineAdjustmentInput[];
    paymentGroups: ReadonlyArray<LinePaymentInput & { count: number }>;
  },
  asOf: string,
  threshold?: string,
  /** Last year's monthly executed amounts of the same project, for the planned curve (null: no history). */
  profile: readonly string[] | null = null,
): Omit<ProjectExecution, "payments"> {
  const { payments: _perGroup, ...view } = projectExecution(
    { fiscalYear: ledger.project.fiscalYear, lines: ledger.lines, adjustments: ledger.adjustments, payments: ledger.paymentGroups, profile },
    asOf,
    threshold,
  );
  // Counted payment by payment (a group stands for `count` payments of one day, kind and line).
  const asOfDay = dayNumber(asOf);
  const toDate = ledger.paymentGroups.filter((group) => dayNumber(group.paidOn) <= asOfDay);
  const paymentsToDate = toDate.reduce((sum, group) => sum + group.count, 0);
  const lateTransfers = toDate.filter((group) => group.kind === "transfer" && daysLate(group) > 0).reduce((sum, group) => sum + group.count, 0);
  return { ...view, paymentsToDate, lateTransfers };
}

/** Each listed payment's state as of a date (paid? bounced part outstanding? days late). */
export function paymentStatuses(fiscalYear: number, payments: readonly LinePaymentInput[], asOf: string): ProjectExecution["payments"] {
  return projectExecution({ fiscalYear, lines: [], adjustments: [], payments }, asOf).payments;
}
