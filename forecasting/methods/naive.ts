/** Naive: the last observation, repeated: naive([3, 5, 4], 2) → [4, 4]. */
export function naive(values: readonly number[], horizon: number): number[] {
  const last = values[values.length - 1] ?? Number.NaN;
  return new Array<number>(horizon).fill(last);
}

/** Seasonal naive: the same month of the last year: seasonalNaive([1, 2, 3, 4], 3, 2) → [3, 4, 3]. */
export function seasonalNaive(values: readonly number[], horizon: number, period = 12): number[] {
  const n = values.length;
  if (n < period) return naive(values, horizon);
  const result = new Array<number>(horizon);
  for (let h = 0; h < horizon; h++) result[h] = values[n - period + (h % period)]!;
  return result;
}

/**
 * Seasonal mean: the mean of the same month over the last `years` whole years (fewer when the history is
 * shorter: seasonal naive with one, naive under one), for series paid on a calendar whose months now and then
 * move (the selection scores it only on CV origins with two whole years behind them, intermittent.ts):
 * seasonalMean([2, 0, 4, 0, 0, 6], 2, 2, 3) → [2, 2] (the first month: (2 + 4 + 0) / 3; the second: (0 + 0 + 6) / 3).
 */
export function seasonalMean(values: readonly number[], horizon: number, period = 12, years = 3): number[] {
  const n = values.length;
  const k = Math.min(years, Math.floor(n / period));
  if (k < 1) return naive(values, horizon);
  const result = new Array<number>(horizon);
  for (let h = 0; h < horizon; h++) {
    let sum = 0;
    for (let y = 1; y <= k; y++) sum += values[n - y * period + (h % period)]!;
    result[h] = sum / k;
  }
  return result;
}

/**
 * The current practice 上年基数: last year's months × (1 + g), g = last year's growth over the year before
 * (0 with less than two years): lastYearGrowth([10, 10, 11, 11], 2, 2) → [12.1, 12.1] (g = 10%, compounded per year ahead).
 */
export function lastYearGrowth(values: readonly number[], horizon: number, period = 12): number[] {
  const n = values.length;
  if (n < period) return naive(values, horizon);
  let lastYear = 0;
  let yearBefore = 0;
  for (let j = 0; j < period; j++) lastYear += values[n - period + j]!;
  if (n >= 2 * period) for (let j = 0; j < period; j++) yearBefore += values[n - 2 * period + j]!;
  const growth = yearBefore > 0 ? lastYear / yearBefore : 1;
  const result = new Array<number>(horizon);
  for (let h = 0; h < horizon; h++) result[h] = values[n - period + (h % period)]! * growth ** (Math.floor(h / period) + 1);
  return result;
}
