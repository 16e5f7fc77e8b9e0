import Decimal from "decimal.js";
import { money, sumMoney } from "../../../domain/money.ts";

/**
 * 全年预计执行数: this year's cumulative execution scaled by last year's payment profile,
 * current × (last year's total ÷ last year's cumulative through the same month), to the cent; when
 * last year had paid nothing by then, linear — but only the batches (社会化发放) keep a monthly pace:
 * (current − transfers) × 12 ÷ month + transfers, a 划拨 being a planned lump sum, counted as paid (马桥
 * 2024 by August: 412,183.11 of batches and 828,145.75 of transfers give 1,446,420.42 against a year-end
 * 1,471,745.31; all of it × 12 ÷ 8 gave 1,860,493.29, 117% of the budget, and a false call to raise it).
 * Example (马桥's 2024 profile, 412,183.11 of 639,318.31 paid by August):
 * estimateFullYear(monthly2024, "500000.00", 8) → "775527.06".
 * A profile that is not twelve months, or a month outside 1–12, is a programming error (RangeError).
 */
export function estimateFullYear(previousYearMonthly: readonly string[], currentCumulative: string, asOfMonth: number, transfersToDate = "0.00"): string {
  if (previousYearMonthly.length !== 12) throw new RangeError(`上年月度支付数应为 12 个月，实为 ${previousYearMonthly.length} 个`);
  if (!Number.isInteger(asOfMonth) || asOfMonth < 1 || asOfMonth > 12) throw new RangeError(`月份应为 1–12：${asOfMonth}`);
  const current = money(currentCumulative);
  const lastYearTotal = sumMoney(previousYearMonthly);
  const lastYearToDate = sumMoney(previousYearMonthly.slice(0, asOfMonth));
  // Transfers within what was executed (never more, nor below zero).
  const transfers = Decimal.max(0, Decimal.min(money(transfersToDate), current));
  const estimate = lastYearToDate.greaterThan(0)
    ? current.times(lastYearTotal).dividedBy(lastYearToDate)
    : current.minus(transfers).times(12).dividedBy(asOfMonth).plus(transfers);
  return estimate.toFixed(2, Decimal.ROUND_HALF_UP);
}
