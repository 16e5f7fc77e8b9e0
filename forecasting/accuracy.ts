/**
 * Symmetric MAPE in percent, averaged over the horizons (the M3 definition, 200·|a − f| / (|a| + |f|);
 * a horizon where both are 0 counts 0): smape([100, 100], [110, 90]) → 10.03.
 */
export function smape(actual: readonly number[], forecast: readonly number[]): number {
  let total = 0;
  for (let h = 0; h < actual.length; h++) {
    const a = actual[h]!;
    const f = forecast[h]!;
    const denominator = Math.abs(a) + Math.abs(f);
    total += denominator === 0 ? 0 : (200 * Math.abs(a - f)) / denominator;
  }
  return total / actual.length;
}

/**
 * The MASE scale: in-sample mean absolute error of the seasonal naive forecast (lag `period`), or of the
 * naive forecast when the series is shorter than two periods or the seasonal one is 0:
 * maseScale([1, 2, 3, 2, 3, 4], 3) → 1.
 */
export function maseScale(insample: readonly number[], period = 12): number {
  const scaleAt = (lag: number) => {
    let total = 0;
    let count = 0;
    for (let t = lag; t < insample.length; t++) {
      total += Math.abs(insample[t]! - insample[t - lag]!);
      count++;
    }
    return count > 0 ? total / count : 0;
  };
  const seasonal = insample.length > period ? scaleAt(period) : 0;
  if (seasonal > 0) return seasonal;
  const plain = scaleAt(1);
  if (plain > 0) return plain;
  const level = insample.reduce((s, v) => s + Math.abs(v), 0) / Math.max(insample.length, 1);
  return level > 0 ? level : 1;
}

/** Mean absolute scaled error: mase([10, 12], [11, 11], 2) → 0.5. */
export function mase(actual: readonly number[], forecast: readonly number[], scale: number): number {
  let total = 0;
  for (let h = 0; h < actual.length; h++) total += Math.abs(actual[h]! - forecast[h]!);
  return total / actual.length / scale;
}

/**
 * Winkler score of one interval at level 1 − α: its width plus 2/α times any miss:
 * winkler(10, 8, 11, 0.2) → 3; winkler(12, 8, 11, 0.2) → 3 + 10·1 = 13.
 */
export function winkler(actual: number, lower: number, upper: number, alpha: number): number {
  const width = upper - lower;
  if (actual < lower) return width + (2 / alpha) * (lower - actual);
  if (actual > upper) return width + (2 / alpha) * (actual - upper);
  return width;
}

/** Geometric mean of positive numbers (zeros and non-finite values are skipped): geometricMean([0.5, 2]) → 1. */
export function geometricMean(values: readonly number[]): number {
  let total = 0;
  let count = 0;
  for (const value of values) {
    if (value > 0 && Number.isFinite(value)) {
      total += Math.log(value);
      count++;
    }
  }
  return count === 0 ? Number.NaN : Math.exp(total / count);
}
