import { maseScale } from "./accuracy.ts";
import { forecastMethods, prepareSeries, type MethodName, type PreparedSeries, type PrepareOptions, type SeasonalityChoice, type TrendChain } from "./methods.ts";

/** Where the rolling origins of a cross-validation sit and how far they look. */
export interface OriginOptions {
  /** Longest horizon evaluated. */
  horizon: number;
  /** Number of origins (default 4). */
  origins?: number;
  /** Months between origins (default ⌈horizon / origins⌉). */
  step?: number;
  /** Shortest training window (default 24 months, or horizon + 6 when the series is short). */
  minTrain?: number;
}

/** A way of fitting a series: on its last `window` months only (default all), with a given seasonal adjustment. */
export interface FitVariant {
  window?: number;
  seasonality?: SeasonalityChoice;
}

/**
 * Training lengths of the expanding-window origins, last origin first: n − step, n − 2·step, …, never below
 * the minimum training window. rollingOrigins(36, { horizon: 12 }) → [33, 30, 27, 24].
 */
export function rollingOrigins(n: number, options: OriginOptions): number[] {
  const count = options.origins ?? 4;
  const step = options.step ?? Math.max(1, Math.ceil(options.horizon / count));
  const minTrain = options.minTrain ?? Math.min(24, Math.max(6, n - options.horizon));
  const result: number[] = [];
  for (let i = 1; i <= count; i++) {
    const origin = n - i * step;
    if (origin < minTrain) break;
    result.push(origin);
  }
  return result;
}

/** The errors of one method at one origin, scaled by that window's MASE scale. */
export interface OriginErrors {
  /** Training length at this origin. */
  origin: number;
  /** MASE scale of the training window (in SeriesForecast.cvErrors, of the whole history for origins under two years: selection.ts comparableErrors). */
  scale: number;
  /** (actual − forecast) ÷ scale for horizons 1…, as many as the data allow. */
  scaledErrors: number[];
}

/** Cross-validation result of a set of methods on one series. */
export interface CrossValidation {
  origins: number[];
  /** Mean absolute scaled error over all origins and horizons, per method. */
  mase: Map<MethodName, number>;
  /** Scaled errors per method and origin. */
  errors: Map<MethodName, OriginErrors[]>;
  /** Holt's and the damped trend's parameters at the last origin (when fitted): the whole history's fit starts there. */
  chain: TrendChain;
  /** The training data prepared at each origin (as `origins`), for more methods on the same variant. */
  prepared: PreparedSeries[];
}

/**
 * Rolling-origin (expanding-window) cross-validation: refits every method at each origin on the data before
 * it (its last `window` months when given, with the given seasonal adjustment) and scores the following months. crossValidate(y, ["ses", "theta"], { horizon: 12 }).mase.get("ses") → e.g. 0.71
 * The origins are fitted earliest first: Holt's and the damped trend's fits start from the previous origin's
 * (a full search at the first only; decision 027), so no fit sees data after its origin. `prepared`: the
 * training data as an earlier cross-validation of the same series, origins and variant prepared it.
 */
export function crossValidate(
  values: readonly number[],
  methods: readonly MethodName[],
  options: OriginOptions & PrepareOptions & FitVariant,
  prepared?: readonly PreparedSeries[],
): CrossValidation {
  const origins = rollingOrigins(values.length, options);
  const period = options.period ?? 12;
  const errors = new Map<MethodName, OriginErrors[]>(methods.map((m) => [m, new Array<OriginErrors>(origins.length)]));
  const chain: TrendChain = {};
  const preparedAt = new Array<PreparedSeries>(origins.length);
  for (let k = origins.length - 1; k >= 0; k--) {
    const origin = origins[k]!;
    // Every variant is scored on the same scale: that of all the data before the origin.
    const before = values.slice(0, origin);
    const training = options.window !== undefined && options.window < origin ? values.slice(origin - options.window, origin) : before;
    const steps = Math.min(options.horizon, values.length - origin);
    const scale = maseScale(before, period);
    const series = prepared?.[k] ?? prepareSeries(training, { period, indices: options.indices, seasonality: options.seasonality });
    preparedAt[k] = series;
    const forecasts = forecastMethods(series, methods, steps, chain);
    for (const method of methods) {
      const forecast = forecasts.get(method)!;
      const scaledErrors = new Array<number>(steps);
      for (let h = 0; h < steps; h++) scaledErrors[h] = (values[origin + h]! - forecast[h]!) / scale;
      errors.get(method)![k] = { origin, scale, scaledErrors };
    }
  }
  const mase = new Map<MethodName, number>(methods.map((m) => [m, meanAbsoluteError(errors.get(m)!)]));
  return { origins, mase, errors, chain, prepared: preparedAt };
}

/**
 * Mean absolute scaled error of CV errors (their CV MASE), over the origins with at least `minOrigin` months of
 * training; NaN when none: meanAbsoluteError(errors) → e.g. 0.84. The one rule for every candidate's CV MASE.
 */
export function meanAbsoluteError(errors: readonly OriginErrors[], minOrigin = 0): number {
  let total = 0;
  let count = 0;
  for (const origin of errors) {
    if (origin.origin < minOrigin) continue;
    for (const error of origin.scaledErrors) {
      total += Math.abs(error);
      count++;
    }
  }
  return count > 0 ? total / count : Number.NaN;
}

/**
 * The CV errors of a weighted mean of forecasts, origin by origin: Σ weight × error, on the same origins (origin
 * and scale taken from the first part): weightedErrors([{ errors: median, weight: 2 / 3 }, { errors: naive, weight: 1 / 3 }]).
 */
export function weightedErrors(parts: ReadonlyArray<{ errors: readonly OriginErrors[]; weight: number }>): OriginErrors[] {
  return parts[0]!.errors.map((first, k) => ({
    origin: first.origin,
    scale: first.scale,
    scaledErrors: first.scaledErrors.map((_, h) => parts.reduce((acc, part) => acc + part.weight * part.errors[k]!.scaledErrors[h]!, 0)),
  }));
}
