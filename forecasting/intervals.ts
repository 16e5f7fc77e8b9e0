import type { OriginErrors } from "./cross-validation.ts";
import { normal, randomInt, type Random } from "./random.ts";
import { isotonicIncreasing, quantileSorted } from "./stats.ts";

/** The two interval levels the library reports. */
export const LEVELS = [0.8, 0.95] as const;

/** Below this many pooled errors at a horizon, quantiles come from a normal approximation instead. */
const MIN_EMPIRICAL = 40;
/** Below this many complete error paths, annual paths are simulated from the normal approximation. */
const MIN_PATHS = 30;
/**
 * How the bounds of horizons that no CV error reaches grow from the last horizon that one does: ∝ h^0.75, between
 * a random walk's √h and a mis-estimated trend's h (decision 028). Before: normal bounds from the root-mean-square
 * error grown like √h and inflated as if from a single error, far too wide (M3 24 months ahead on 36 months
 * of history: the 80% / 95% intervals covered 91.5% / 99.3%).
 */
export const HORIZON_GROWTH = 0.75;

/** Correlation between horizons of simulated normal paths (forecast errors of one origin move together). */
const PATH_CORRELATION = 0.7;

/** Interval calibration from pooled, scaled backtest errors, per horizon. */
export interface Calibration {
  horizon: number;
  /** Scaled error quantiles per horizon (index h − 1): lower/upper bound of the 80% and 95% intervals. */
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
  /** Root-mean-square scaled error per horizon. */
  rmse: number[];
  /** Complete scaled error paths (length = horizon), for simulating totals. */
  paths: number[][];
  /** Errors pooled at each horizon. */
  counts: number[];
}

/**
 * Calibrates 80%/95% intervals on the pooled scaled CV errors of many series (or of one, then with a normal
 * approximation where errors are few); bounds widen monotonically with the horizon.
 * calibrate(forecasts.flatMap((f) => f.cvErrors), 12).upper80[0] → e.g. 0.9 (in MASE-scale units)
 */
export function calibrate(errors: readonly OriginErrors[], horizon: number): Calibration {
  const byHorizon: number[][] = Array.from({ length: horizon }, () => []);
  const paths: number[][] = [];
  for (const origin of errors) {
    const steps = Math.min(horizon, origin.scaledErrors.length);
    for (let h = 0; h < steps; h++) {
      const value = origin.scaledErrors[h]!;
      if (Number.isFinite(value)) byHorizon[h]!.push(value);
    }
    if (origin.scaledErrors.length >= horizon && origin.scaledErrors.slice(0, horizon).every(Number.isFinite)) {
      paths.push(origin.scaledErrors.slice(0, horizon));
    }
  }
  const rmse = byHorizon.map((values) => Math.sqrt(values.reduce((s, v) => s + v * v, 0) / Math.max(values.length, 1)));
  const counts = byHorizon.map((v) => v.length);
  // Horizons up to the last one that errors reach are calibrated on them (an origin's errors reach every
  // horizon up to its last); those past it grow from its bounds with the horizon (HORIZON_GROWTH). In a pool
  // with enough errors for empirical quantiles, the last horizon is the last with that many: a handful of
  // origins reaching further (a short series' last ones) would set every later bound on their own (029).
  const enough = counts[0]! >= MIN_EMPIRICAL ? MIN_EMPIRICAL : 1;
  const lastKnown = counts.findLastIndex((c) => c >= enough);
  const reached = lastKnown >= 0 ? lastKnown + 1 : horizon;
  const firstKnown = counts.findIndex((c) => c > 0);
  for (let h = 0; h < (firstKnown < 0 ? horizon : firstKnown); h++) rmse[h] = firstKnown < 0 ? 1 : rmse[firstKnown]!;
  // A horizon without errors between two with them (errors that were not numbers) borrows the one before.
  for (let h = firstKnown + 1; h < reached && firstKnown >= 0; h++) if (counts[h] === 0) rmse[h] = rmse[h - 1]!;
  const lower80: number[] = [], upper80: number[] = [], lower95: number[] = [], upper95: number[] = [];
  for (let h = 0; h < reached; h++) {
    const values = byHorizon[h]!;
    if (values.length >= MIN_EMPIRICAL) {
      values.sort((a, b) => a - b);
      lower80.push(quantileSorted(values, 0.1));
      upper80.push(quantileSorted(values, 0.9));
      lower95.push(quantileSorted(values, 0.025));
      upper95.push(quantileSorted(values, 0.975));
    } else {
      // Few errors: normal bounds with a small-sample inflation (√(1 + 2/n) ≈ the t quantile's excess).
      const inflate = Math.sqrt(1 + 2 / Math.max(values.length, 1));
      const sd = rmse[h]! * inflate;
      lower80.push(-1.2816 * sd);
      upper80.push(1.2816 * sd);
      lower95.push(-1.96 * sd);
      upper95.push(1.96 * sd);
    }
  }
  // Bounds widen with the horizon: the monotone fit closest to the per-horizon quantiles, weighted by their errors.
  const weights = counts.slice(0, reached).map((c) => Math.max(c, 1));
  const widen = (bounds: number[]) => isotonicIncreasing(bounds, weights);
  const narrowDown = (bounds: number[]) => isotonicIncreasing(bounds.map((b) => -b), weights).map((b) => -b);
  const fitted = [narrowDown(lower80), widen(upper80), narrowDown(lower95), widen(upper95), rmse.slice(0, reached)];
  for (let h = reached; h < horizon; h++) {
    const grow = ((h + 1) / reached) ** HORIZON_GROWTH;
    for (const bounds of fitted) bounds.push(bounds[reached - 1]! * grow);
  }
  const [l80, u80, l95, u95, spread] = fitted as [number[], number[], number[], number[], number[]];
  return { horizon, lower80: l80, upper80: u80, lower95: l95, upper95: u95, rmse: spread, paths, counts };
}

/** Monthly 80% and 95% bounds around a point forecast. */
export interface Intervals {
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
}

/**
 * Monthly intervals: point forecast + scale × calibrated scaled-error quantiles, clamped at 0 for
 * non-negative series. intervalsFor([100, 100], 10, calibration).upper95 → e.g. [118, 121]
 */
export function intervalsFor(mean: readonly number[], scale: number, calibration: Calibration, nonNegative = true): Intervals {
  const bound = (quantiles: readonly number[]) =>
    mean.map((m, h) => {
      const value = m + scale * quantiles[Math.min(h, quantiles.length - 1)]!;
      return nonNegative ? Math.max(0, value) : value;
    });
  return {
    lower80: bound(calibration.lower80),
    upper80: bound(calibration.upper80),
    lower95: bound(calibration.lower95),
    upper95: bound(calibration.upper95),
  };
}

/**
 * Simulated future paths: the point forecast plus scale × a calibrated error path — a bootstrap of complete
 * pooled CV paths when there are enough, else correlated normal paths with the calibrated per-horizon spread.
 * simulatePaths([100, 100], 10, calibration, 1000, random).length → 1000
 */
export function simulatePaths(
  mean: readonly number[],
  scale: number,
  calibration: Calibration,
  draws: number,
  random: Random,
  nonNegative = true,
): Float64Array[] {
  const horizon = mean.length;
  const result: Float64Array[] = [];
  const bootstrap = calibration.paths.length >= MIN_PATHS;
  const keep = Math.sqrt(1 - PATH_CORRELATION ** 2);
  for (let d = 0; d < draws; d++) {
    const path = new Float64Array(horizon);
    const errors = bootstrap ? calibration.paths[randomInt(random, calibration.paths.length)]! : undefined;
    const common = errors ? 0 : normal(random);
    for (let h = 0; h < horizon; h++) {
      const k = Math.min(h, calibration.horizon - 1);
      const error = errors ? errors[k]! : calibration.rmse[k]! * (PATH_CORRELATION * common + keep * normal(random));
      const value = mean[h]! + scale * error;
      path[h] = nonNegative ? Math.max(0, value) : value;
    }
    result.push(path);
  }
  return result;
}

/** Quantiles of simulated values: intervalFromDraws([1, 2, 3, …, 100]) → { lower80: 10.9, upper80: 90.1, … }. */
export function intervalFromDraws(draws: ArrayLike<number>): { lower80: number; upper80: number; lower95: number; upper95: number } {
  const sorted = Array.from(draws).sort((a, b) => a - b);
  return {
    lower80: quantileSorted(sorted, 0.1),
    upper80: quantileSorted(sorted, 0.9),
    lower95: quantileSorted(sorted, 0.025),
    upper95: quantileSorted(sorted, 0.975),
  };
}

/**
 * A calibration whose error paths are centred on zero at every horizon, so simulated paths spread around the
 * point forecast: the mean of pooled CV errors is one past window's shared error, not a lasting bias (the
 * common part of the error is simulated separately, see commonErrorSpread). Quantile bounds are kept.
 * centredCalibration(calibrate(errors, 12)).paths → the same paths less their mean per horizon
 */
export function centredCalibration(calibration: Calibration): Calibration {
  const count = calibration.paths.length;
  if (count === 0) return calibration;
  const mean = new Array<number>(calibration.horizon).fill(0);
  for (const path of calibration.paths) for (let h = 0; h < calibration.horizon; h++) mean[h]! += path[h]! / count;
  return { ...calibration, paths: calibration.paths.map((path) => path.map((value, h) => value - mean[h]!)) };
}

/** The CV errors of one series of a run, with what is needed to add them up with the others. */
export interface ErrorSeries {
  /** The series (the actuals of the CV origins are read from it). */
  values: readonly number[];
  /** Calendar month of values[0] as year × 12 + month − 1, so that origins of different series line up. */
  start: number;
  /** Weight of the series in the total (for person-times: the unit cost; for a unit cost: the person-times). */
  weight: number;
  cvErrors: readonly OriginErrors[];
}

/**
 * Spread (sd of the relative error) that the series of one run share — forecasts made at the same time go
 * wrong together (a method's lag behind a common trend, a shared shock). At each calendar CV origin the
 * weighted total's relative error c = Σ w·(actual − forecast) ÷ Σ w·forecast is squared, less what the
 * series' errors would give if independent (Σ (w·error)² ÷ (Σ w·forecast)²), divided by 1 − the
 * Herfindahl index of the weights (method of moments); the mean over origins, if positive, is the common
 * variance. A single series has no common part: commonErrorSpread([{ values, start: 24240, weight: 1, cvErrors }]) → 0
 */
export function commonErrorSpread(series: readonly ErrorSeries[]): number {
  const groups = new Map<number, { error: number; forecast: number; squares: number; forecastSquares: number }>();
  for (const s of series) {
    if (!(s.weight > 0) || !Number.isFinite(s.weight)) continue;
    for (const origin of s.cvErrors) {
      let error = 0;
      let forecast = 0;
      for (let h = 0; h < origin.scaledErrors.length; h++) {
        const actual = s.values[origin.origin + h];
        const scaled = origin.scaledErrors[h]!;
        if (actual === undefined || !Number.isFinite(scaled) || !Number.isFinite(actual)) continue;
        error += origin.scale * scaled;
        forecast += actual - origin.scale * scaled;
      }
      if (!(forecast > 0)) continue;
      const key = s.start + origin.origin;
      const group = groups.get(key) ?? { error: 0, forecast: 0, squares: 0, forecastSquares: 0 };
      group.error += s.weight * error;
      group.forecast += s.weight * forecast;
      group.squares += (s.weight * error) ** 2;
      group.forecastSquares += (s.weight * forecast) ** 2;
      groups.set(key, group);
    }
  }
  let sum = 0;
  let count = 0;
  for (const group of groups.values()) {
    const total2 = group.forecast * group.forecast;
    const herfindahl = group.forecastSquares / total2;
    if (!(herfindahl < 0.99)) continue;
    sum += ((group.error * group.error) / total2 - group.squares / total2) / (1 - herfindahl);
    count++;
  }
  return count > 0 && sum > 0 ? Math.sqrt(sum / count) : 0;
}
