import Decimal from "decimal.js";
import { splitTotal } from "../../../forecasting/index.ts";
import type { ForecastNote } from "../../../forecasting/index.ts";
import { formatNumber, money, sumMoney } from "../../../domain/money.ts";
import { cents } from "../../../domain/money.ts";
import type { LineHistory, SlipPayment } from "./zero-based-plan.ts";
import { MONTHS_OF_YEAR, monthKey } from "../../../domain/dates.ts";

/* Each base line's monthly history from the payments, mixed batches shared out to the cent. */

/** A batch of payments to individuals not booked to one line (a mixed batch), or a line's own payments, per month. */
export interface MonthlyPayments {
  projectId: number;
  /** null: a mixed batch of the project, to be shared out. */
  lineId: number | null;
  month: string;
  personTimes: number;
  /** Net executed, exact 元. */
  amount: string;
  /** Person-times and net amount without the month's 元/万元 slips (absent: the same as personTimes and amount). */
  fitPersonTimes?: number;
  fitAmount?: string;
  /** The slips left out (db/forecast-input.ts flags them by the import's rule). */
  slips?: SlipPayment[];
}

/** A line of a history year, for sharing out its project's mixed batches and for matching to a base line. */
export interface HistoryLine {
  lineId: number;
  projectId: number;
  /** The base-year line this line continues (same unit, project name, composition and item), if any. */
  baseLineId: number | null;
  /** Planned person-times: the key for sharing out mixed batches. */
  quantity: string | null;
  initial: string;
  /** Adjusted budget: the key when none of the project's lines has a planned quantity (money added during the year). */
  adjusted: string;
  /** Whether the line names a policy basis (依据): only such a line takes a share by adjusted budget, not a settlement row. */
  hasBasis: boolean;
  /** True for lines paid to individuals by person-time (a rate or cap standard, or none): they share mixed batches. */
  sharesBatches: boolean;
}

/**
 * Builds each base line's monthly history from the payments: its own payments, plus a share of its
 * project's mixed batches (person-times by planned quantity, amounts by planned amount — an estimate; by
 * adjusted budget where no line of the project has a planned quantity),
 * from January of the first year with data to December of the base year (or, while that year is in
 * progress, to the last month with payments), empty months as 0.
 * lineHistories({ baseYear: 2024, lines, payments }).get(L6) → 12 months of 人次 and 元
 */
export function lineHistories(input: { baseYear: number; lines: readonly HistoryLine[]; payments: readonly MonthlyPayments[] }): Map<number, LineHistory> {
  // The lines that share a project's mixed batches: those with planned person-times; where the project has none
  // (华漕's lines, funded during the year without a quantity), those with a policy basis and an adjusted budget,
  // by it — so that its payments are in its lines and their executed add up to the project's (settlement rows,
  // without a basis, take no share of payments to individuals).
  const byQuantity = new Map<number, HistoryLine[]>();
  const byAdjusted = new Map<number, HistoryLine[]>();
  for (const line of input.lines) {
    if (!line.sharesBatches) continue;
    if (line.quantity !== null && !money(line.quantity).isZero()) byQuantity.set(line.projectId, [...(byQuantity.get(line.projectId) ?? []), line]);
    else if (line.hasBasis && money(line.adjusted).greaterThan(0)) byAdjusted.set(line.projectId, [...(byAdjusted.get(line.projectId) ?? []), line]);
  }
  const byLine = new Map(input.lines.map((l) => [l.lineId, l]));
  // Per base line and month: v, a what the forecast learns from (slips left out), e the executed amount.
  type Cell = { v: number; a: Decimal; e: Decimal };
  const series = new Map<number, { months: Map<string, Cell>; allocated: boolean; slips: Map<string, SlipPayment> }>();
  const add = (baseLineId: number, month: string, v: number, a: Decimal, e: Decimal, allocated: boolean, slips: readonly SlipPayment[]) => {
    const entry = series.get(baseLineId) ?? { months: new Map(), allocated: false, slips: new Map() };
    const cell = entry.months.get(month) ?? { v: 0, a: money(0), e: money(0) };
    cell.v += v;
    cell.a = cell.a.plus(a);
    cell.e = cell.e.plus(e);
    entry.months.set(month, cell);
    entry.allocated ||= allocated;
    for (const slip of slips) entry.slips.set(slip.id, slip);
    series.set(baseLineId, entry);
  };
  for (const payment of input.payments) {
    const fitPersonTimes = payment.fitPersonTimes ?? payment.personTimes;
    const fitAmount = payment.fitAmount ?? payment.amount;
    const slips = payment.slips ?? [];
    if (payment.lineId !== null) {
      const line = byLine.get(payment.lineId);
      if (line?.baseLineId != null) add(line.baseLineId, payment.month, fitPersonTimes, money(fitAmount), money(payment.amount), false, slips);
      continue;
    }
    const quantified = byQuantity.get(payment.projectId);
    const shares = quantified ?? byAdjusted.get(payment.projectId) ?? [];
    if (shares.length === 0) continue;
    // The amount is shared out to the cent by largest remainder, so the lines' shares add up to the batch: by
    // planned amount (by planned person-times where none has one), else by adjusted budget.
    const totalInitial = sumMoney(shares.map((l) => l.initial));
    const weights = shares.map((l) => (!quantified ? money(l.adjusted) : totalInitial.isZero() ? money(l.quantity!) : money(l.initial)).toNumber());
    const executedShares = splitTotal(cents(payment.amount), weights);
    const fitShares = splitTotal(cents(fitAmount), weights);
    // Person-times by planned person-times, or as the amounts where there are none.
    const personWeights = quantified ? shares.map((l) => money(l.quantity!)) : weights.map((w) => money(w));
    const totalPersons = sumMoney(personWeights);
    shares.forEach((line, k) => {
      if (line.baseLineId === null) return;
      const quantityShare = personWeights[k]!.dividedBy(totalPersons).toNumber();
      add(line.baseLineId, payment.month, fitPersonTimes * quantityShare, money(fitShares[k]!), money(executedShares[k]!), true, slips);
    });
  }
  // A base year still in progress ends at the last month with any payment of the line's projects: the
  // months after it are not yet known, not zero (the models then forecast the rest of it too).
  const lastMonth = new Map<number, string>();
  for (const payment of input.payments) if ((lastMonth.get(payment.projectId) ?? "") < payment.month) lastMonth.set(payment.projectId, payment.month);
  const family = new Map<number, string>();
  for (const line of input.lines) {
    const last = lastMonth.get(line.projectId);
    if (line.baseLineId !== null && last !== undefined && (family.get(line.baseLineId) ?? "") < last) family.set(line.baseLineId, last);
  }
  const result = new Map<number, LineHistory>();
  for (const [baseLineId, entry] of series) {
    const firstYear = Math.min(...[...entry.months.keys()].map((m) => Number(m.slice(0, 4))));
    const end = [family.get(baseLineId) ?? monthKey(input.baseYear, 12), monthKey(input.baseYear, 12)].sort()[0]!;
    const personTimes: number[] = [];
    const amounts: number[] = [];
    let executed = money(0);
    let screened = money(0);
    for (let year = firstYear; year <= input.baseYear; year++) {
      for (const m of MONTHS_OF_YEAR) {
        if (monthKey(year, m) > end) break;
        const cell = entry.months.get(monthKey(year, m));
        personTimes.push(cell ? cell.v : 0);
        amounts.push(cell ? cell.a.toNumber() : 0);
        if (year === input.baseYear && cell) {
          executed = executed.plus(cell.e);
          screened = screened.plus(cell.a);
        }
      }
    }
    result.set(baseLineId, {
      start: monthKey(firstYear, 1),
      personTimes,
      amounts,
      executed: cents(executed),
      screenedExecuted: cents(screened),
      allocated: entry.allocated,
      slips: [...entry.slips.values()],
    });
  }
  return result;
}

/** The notes of the payments left out of a line's history as 元/万元 slips: slipNotes(history) → [{ code: "slipPayment", params: { id: "137", ratio: "2,106", … } }]. */
export function slipNotes(history: LineHistory | undefined): ForecastNote[] {
  return (history?.slips ?? []).map((slip) => ({
    code: "slipPayment",
    params: {
      id: slip.id,
      date: slip.paidOn,
      amount: slip.amount,
      personTimes: slip.personTimes ?? "—",
      median: slip.median,
      ratio: formatNumber(money(slip.amount).abs().dividedBy(slip.median).toDecimalPlaces(0, Decimal.ROUND_DOWN)),
    },
  }));
}
