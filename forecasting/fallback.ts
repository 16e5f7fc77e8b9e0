import type { BudgetLineForecast, BudgetLineInput } from "./budget-line.ts";
import { splitInteger, splitTotal, subtractYuan, timesQuantity, toYuan, unitPrice } from "./money.ts";
import { screenHistory, type ForecastNote } from "./outliers.ts";

const finite = (value: number) => (Number.isFinite(value) ? value : 0);
const sum = (values: readonly number[]) => values.reduce((s, v) => s + finite(v), 0);

/** The error of a failed forecast as one short line of text (for the fallback's note). */
function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.slice(0, 200);
}

/**
 * The forecast of a line whose model failed: its last 12 months as screened (outliers replaced, see
 * screenHistory) carried into the target year — person-times and amount (a standard line: the standard ×
 * those person-times), by calendar month; fewer months are scaled to a year. No intervals (the bounds are
 * the amount), no change split beyond the total (all in unit cost and other). Its notes say so, with the
 * error. Never throws for finite or non-finite histories.
 * fallbackForecast(line, 2000, new RangeError("…")).notes.at(-1)?.code → "fallbackError"
 */
export function fallbackForecast(line: BudgetLineInput, drawCount: number, error: unknown): BudgetLineForecast {
  const screened = screenHistory(line.personTimes, line.amounts, line.start);
  const n = screened.personTimes.length;
  const base = Math.max(0, n - 12);
  const months = n - base;
  const [startYear, startMonth] = line.start.split("-").map(Number) as [number, number];
  const calendar = (t: number) => (startYear * 12 + startMonth - 1 + t) % 12;
  const volumeWeights = new Array<number>(12).fill(0);
  const amountWeights = new Array<number>(12).fill(0);
  for (let t = base; t < n; t++) {
    volumeWeights[calendar(t)]! += Math.max(0, finite(screened.personTimes[t]!));
    amountWeights[calendar(t)]! += Math.max(0, finite(screened.amounts[t]!));
  }
  const scale = months > 0 ? 12 / months : 0;
  const quantity = Math.round(sum(volumeWeights) * scale);
  const standard = line.kind === "standard" ? line.target.policy.standard : undefined;
  const amount = standard !== undefined && Number.isFinite(standard) ? timesQuantity(standard, quantity) : toYuan(sum(amountWeights) * scale);
  const monthly = splitTotal(amount, amountWeights);
  const quantities = splitInteger(quantity, volumeWeights);
  const lastYear = toYuan(sum(line.amounts.slice(base)));
  const total = subtractYuan(amount, lastYear);
  const reason = errorText(error);
  const notes: ForecastNote[] = [...screened.notes, { code: "fallbackError", params: { error: reason } }];
  return {
    id: line.id,
    name: line.name,
    year: line.target.year,
    quantity,
    unitPrice: standard !== undefined && Number.isFinite(standard) ? toYuan(standard) : unitPrice(amount, quantity),
    amount,
    interval80: { lower: amount, upper: amount },
    interval95: { lower: amount, upper: amount },
    monthly: monthly.map((monthAmount, k) => ({
      month: `${line.target.year}-${String(k + 1).padStart(2, "0")}`,
      quantity: quantities[k]!,
      amount: monthAmount,
      lower80: monthAmount,
      upper80: monthAmount,
      lower95: monthAmount,
      upper95: monthAmount,
    })),
    method: {
      volume: { kind: "fallback", method: "seasonalNaive", weights: { seasonalNaive: 1 }, cvMase: {}, reason: "模型预测失败，沿用近12个月 model failed: last 12 months carried" },
      unitCost: "mean",
    },
    reason: `模型预测失败（${reason}），改按近12个月（已排除异常月）的人次和金额，未计算区间 the model failed; last 12 months (screened) carried, no intervals`,
    basis: [line.target.policy.basis].filter(Boolean).join("；"),
    change: { lastYear, volume: "0.00", policy: "0.00", unitCost: total, total },
    draws: new Float64Array(Math.max(0, drawCount)).fill(Number(amount)),
    notes,
  };
}
