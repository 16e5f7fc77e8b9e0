import Decimal from "decimal.js";

/** Decimal for money in this library: 40 digits, half-up (the same rules as domain/money.ts). */
const Yuan = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/**
 * A model's float amount as exact 元, rounded once to cents half-up: toYuan(1350000.005) → "1350000.01".
 * Non-finite results are a bug upstream and throw.
 */
export function toYuan(amount: number): string {
  if (!Number.isFinite(amount)) throw new RangeError(`not a finite amount: ${amount}`);
  return new Yuan(amount).toFixed(2, Decimal.ROUND_HALF_UP);
}

/**
 * Splits an exact total (元, 2 decimals) over months in proportion to weights by the largest-remainder
 * method, so the parts add up to the total exactly: splitTotal("100.00", [1, 1, 1]) → ["33.34", "33.33", "33.33"].
 * Weights ≤ 0 get nothing unless all are, then the split is even.
 */
export function splitTotal(total: string, weights: readonly number[]): string[] {
  const cents = new Yuan(total).times(100);
  if (!cents.isInteger()) throw new RangeError(`total must have at most 2 decimals: ${total}`);
  return largestRemainder(cents, weights).map((value) => value.dividedBy(100).toFixed(2));
}

/**
 * Splits a whole number over months in proportion to weights, by the same largest-remainder method, so the
 * parts add up to it (a monthly schedule of person-times): splitInteger(10, [1, 1, 1]) → [4, 3, 3].
 */
export function splitInteger(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total)) throw new RangeError(`total must be a whole number: ${total}`);
  return largestRemainder(new Yuan(total), weights).map((value) => value.toNumber());
}

/** Whole units (cents, persons) shared by weights: floors, then one more each to the largest fractions. Weights ≤ 0 get nothing unless all are. */
function largestRemainder(units: Decimal, weights: readonly number[]): Decimal[] {
  if (weights.length === 0) return [];
  const positive = weights.map((w) => (w > 0 && Number.isFinite(w) ? w : 0));
  const sumWeights = positive.reduce((s, w) => s + w, 0);
  const shares = sumWeights > 0 ? positive.map((w) => new Yuan(w).dividedBy(sumWeights)) : positive.map(() => new Yuan(1).dividedBy(positive.length));
  const sign = units.isNegative() ? -1 : 1;
  const magnitude = units.abs();
  const exact = shares.map((share) => magnitude.times(share));
  const floors = exact.map((value) => value.floor());
  let remainder = magnitude.minus(floors.reduce((s, v) => s.plus(v), new Yuan(0))).toNumber();
  const order = exact.map((value, i) => ({ i, fraction: value.minus(floors[i]!) })).sort((a, b) => b.fraction.comparedTo(a.fraction) || a.i - b.i);
  for (const { i } of order) {
    if (remainder <= 0) break;
    floors[i] = floors[i]!.plus(1);
    remainder--;
  }
  return floors.map((value) => value.times(sign));
}

/** Exact sum of 元 strings: addYuan(["0.10", "0.20"]) → "0.30". */
export function addYuan(amounts: readonly string[]): string {
  return amounts.reduce((s, a) => s.plus(a), new Yuan(0)).toFixed(2);
}

/** Exact difference of 元 strings: subtractYuan("1471745.31", "1350000.00") → "121745.31". */
export function subtractYuan(a: string, b: string): string {
  return new Yuan(a).minus(b).toFixed(2);
}

/** Unit price of an exact amount over a quantity, to cents half-up: unitPrice("546000.00", 455) → "1200.00". */
export function unitPrice(amount: string, quantity: number): string {
  return quantity > 0 ? new Yuan(amount).dividedBy(quantity).toFixed(2, Decimal.ROUND_HALF_UP) : "0.00";
}

/** Exact product of a standard (元) and a whole quantity: timesQuantity("310.00", 150) → "46500.00". */
export function timesQuantity(standard: string | number, quantity: number): string {
  return new Yuan(standard).times(quantity).toFixed(2, Decimal.ROUND_HALF_UP);
}
