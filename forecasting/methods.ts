import { crostonSba, isIntermittent, tsb } from "./methods/croston.ts";
import { aicc } from "./methods/ets.ts";
import { holt, type HoltParameters } from "./methods/holt.ts";
import { lastYearGrowth, naive, seasonalMean, seasonalNaive } from "./methods/naive.ts";
import { ses, type SmoothingFit } from "./methods/ses.ts";
import { theta } from "./methods/theta.ts";
import { additiveIndices, classicalIndices, deseasonalise, fullYears, isSeasonal, MONTHS, yearlyProfile } from "./seasonality.ts";

/** Every forecasting method of the library, by name. */
export const METHOD_NAMES = [
  "seasonalNaive",
  "naive2",
  "lastYearGrowth",
  "ses",
  "holt",
  "damped",
  "theta",
  "ets",
  "croston",
  "tsb",
  "seasonalMean",
  "combination",
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** Methods that only serve as yardsticks and are never selected. */
export const BASELINES: readonly MethodName[] = ["seasonalNaive", "naive2", "lastYearGrowth"];

/** The members of the combination: its forecast is their median, month by month. */
export const COMBINATION_MEMBERS: readonly MethodName[] = ["naive2", "ses", "holt", "damped", "theta", "ets"];

/** 中文 labels of the methods, for reports and the planner page. */
export const METHOD_LABELS: Record<MethodName, string> = {
  seasonalNaive: "季节朴素 seasonal naive",
  naive2: "季节调整朴素 Naive2",
  lastYearGrowth: "上年基数×(1+增长率) last year × (1+g)",
  ses: "简单指数平滑 SES",
  holt: "Holt 线性趋势 Holt",
  damped: "阻尼趋势 damped trend",
  theta: "Theta 法 Theta",
  ets: "指数平滑状态空间 ETS",
  croston: "Croston-SBA 间歇需求 Croston-SBA",
  tsb: "TSB 间歇需求 TSB",
  seasonalMean: "近两至三年同月均值 seasonal mean (same month, last two or three years)",
  combination: "组合预测（六法中位数）combination (median of Naive2, SES, Holt, damped, Theta, ETS)",
};

/** How seasonality is removed and put back: month factors (× and ÷) or month offsets (+ and −). */
export type SeasonalForm = "multiplicative" | "additive";

/** A series prepared once for all methods: its seasonal adjustment and intermittency. */
export interface PreparedSeries {
  values: readonly number[];
  adjusted: number[];
  /** Month factors (multiplicative) or offsets (additive), by position from the first observation; 1 (or 0) when not seasonal. */
  indices: number[];
  seasonal: boolean;
  /** How the indices apply (meaningful when `seasonal`). */
  form: SeasonalForm;
  intermittent: boolean;
  period: number;
  /** Whether forecasts are clamped at zero (all history ≥ 0). */
  nonNegative: boolean;
}

/**
 * Which seasonal adjustment to use: "test" (default) — the 90% autocorrelation test (variance analysis for
 * 2–3 years), multiplicative, additive where months reach zero; "multiplicative" / "additive" — that form
 * without a test (as cross-validation asks for it); "none".
 */
export type SeasonalityChoice = "test" | SeasonalForm | "none";

/**
 * How far above the median adjusted month a multiplicatively adjusted month may be before month offsets are used
 * instead (decision 026): a payment in a nearly empty month, divided by that month's tiny factor.
 */
export const EXPLODED = 10;

/**
 * Whether a multiplicative adjustment exploded: some adjusted month above EXPLODED × the median of their sizes.
 * Counted, not sorted: the median sizes[k] (k = ⌊count / 2⌋ of the ascending finite sizes) is positive when at
 * most k sizes are 0, and EXPLODED × it is below the largest when at least k + 1 sizes are.
 */
function exploded(adjusted: readonly number[]): boolean {
  let count = 0;
  let largest = 0;
  for (const value of adjusted) {
    const size = Math.abs(value);
    if (!Number.isFinite(size)) continue;
    count++;
    if (size > largest) largest = size;
  }
  const k = Math.floor(count / 2);
  let zeros = 0;
  let below = 0;
  for (const value of adjusted) {
    const size = Math.abs(value);
    if (!Number.isFinite(size)) continue;
    if (size === 0) zeros++;
    if (EXPLODED * size < largest) below++;
  }
  return count > 0 && zeros <= k && below >= k + 1;
}

/** Options for preparing a series. */
export interface PrepareOptions {
  period?: number;
  /** Seasonal indices to use instead of the series' own (e.g. pooled across years or lines), position 0 = first observation. */
  indices?: readonly number[];
  /** Seasonal adjustment to use (default "test"); ignored when `indices` are given. */
  seasonality?: SeasonalityChoice;
}

const notSeasonal = (values: readonly number[], period: number) => ({
  adjusted: [...values],
  indices: new Array<number>(period).fill(1),
  seasonal: false,
  form: "multiplicative" as SeasonalForm,
});

/** Removes additive month offsets: adjusted = value − offset. */
function removeOffsets(values: readonly number[], offsets: readonly number[], period: number) {
  const adjusted = values.map((v, t) => v - offsets[t % period]!);
  return { adjusted, indices: [...offsets], seasonal: true, form: "additive" as SeasonalForm };
}

/** The month profile of 2–3 whole years (variance analysis), as factors, when it is usable. */
function shortProfile(values: readonly number[], period: number) {
  return values.length >= 2 * period && values.length < 3 * period ? yearlyProfile(fullYears(values, period), period) : undefined;
}

/**
 * Seasonally adjusts a series (90% ACF test, classical multiplicative indices, additive ones where months
 * reach zero, or given ones) and checks intermittency: prepareSeries(monthlyPersonTimes).seasonal → true
 * for a seasonal series of 3+ years. prepareSeries(y, { seasonality: "none" }) leaves it as it is.
 */
export function prepareSeries(values: readonly number[], options: PrepareOptions = {}): PreparedSeries {
  const period = options.period ?? MONTHS;
  const intermittent = values.length > 0 && isIntermittent(values);
  const nonNegative = values.every((v) => v >= 0);
  const positive = values.every((v) => v > 0);
  const choice = options.seasonality ?? "test";
  const base = { values, intermittent, period, nonNegative };
  if (options.indices) return { ...base, ...deseasonalise(values, period, options.indices), form: "multiplicative" };
  if (intermittent || choice === "none" || values.length < 2 * period) return { ...base, ...notSeasonal(values, period) };
  const profile = shortProfile(values, period);
  if (choice === "test") {
    const seasonal = profile ? profile.significant : isSeasonal(values, period);
    if (!seasonal) return { ...base, ...notSeasonal(values, period) };
  }
  const form: SeasonalForm = choice === "additive" || (choice === "test" && !positive) ? "additive" : "multiplicative";
  if (form === "multiplicative") {
    const indices = profile ? profile.indices : classicalIndices(values, period);
    if (!indices) return { ...base, ...notSeasonal(values, period) };
    // A month near zero divides a payment that came in it anyway into an explosion of the level (a factor of 0.004
    // makes 446 into 107,673): month offsets instead where the adjusted months exceed EXPLODED × their median.
    const adjusted = deseasonalise(values, period, indices);
    if (!exploded(adjusted.adjusted)) return { ...base, ...adjusted, form };
  }
  const offsets = additiveIndices(values, period);
  return { ...base, ...(offsets ? removeOffsets(values, offsets, period) : notSeasonal(values, period)) };
}

/**
 * Holt's and the damped trend's parameters carried from one fit of a series to the next, a few months longer
 * (cross-validation's origins, then the whole history): read as warm starts, replaced by each new fit.
 */
export type TrendChain = { holt?: HoltParameters; damped?: HoltParameters };

/**
 * Point forecasts of several methods on one prepared series, sharing work (the combination reuses its
 * members): forecastMethods(prepareSeries(y), ["ses", "theta"], 12).get("theta") → 12 numbers.
 * With `chain`, Holt's and the damped trend's fits start from its parameters and leave theirs in it.
 */
export function forecastMethods(prepared: PreparedSeries, methods: readonly MethodName[], horizon: number, chain?: TrendChain): Map<MethodName, number[]> {
  const cache = new Map<MethodName, number[]>();
  const fits = new Map<string, SmoothingFit>();
  const fit = (name: "ses" | "holt" | "damped") => {
    let result = fits.get(name);
    if (!result) {
      if (name === "ses") result = ses(adjusted, horizon);
      else {
        const trended = holt(adjusted, horizon, { damped: name === "damped", start: chain?.[name] });
        if (chain && trended.fitted) chain[name] = trended.fitted;
        result = trended;
      }
      fits.set(name, result);
    }
    return result;
  };
  const { values, adjusted, indices, period } = prepared;
  const n = values.length;
  const reseason = (forecast: number[]) => {
    if (!prepared.seasonal) return forecast;
    if (prepared.form === "additive") for (let h = 0; h < forecast.length; h++) forecast[h] = forecast[h]! + indices[(n + h) % period]!;
    else for (let h = 0; h < forecast.length; h++) forecast[h] = forecast[h]! * indices[(n + h) % period]!;
    return forecast;
  };
  const compute = (method: MethodName): number[] => {
    const cached = cache.get(method);
    if (cached) return cached;
    let result: number[];
    switch (method) {
      case "seasonalNaive":
        result = seasonalNaive(values, horizon, period);
        break;
      case "lastYearGrowth":
        result = lastYearGrowth(values, horizon, period);
        break;
      case "naive2":
        result = reseason(naive(adjusted, horizon));
        break;
      case "ses":
      case "holt":
      case "damped":
        result = reseason([...fit(method).forecast]);
        break;
      case "theta":
        result = reseason(theta(adjusted, horizon).forecast);
        break;
      case "ets": {
        // The small ETS picks among the same three fits by AICc (see methods/ets.ts).
        const n = adjusted.length;
        const forms = n >= 8 ? [fit("ses"), fit("holt"), fit("damped")] : [fit("ses")];
        const scores = forms.map((f) => aicc(f.sse, n, f.parameters));
        result = reseason([...forms[scores.indexOf(Math.min(...scores))]!.forecast]);
        break;
      }
      case "seasonalMean":
        result = seasonalMean(values, horizon, period);
        break;
      case "croston":
        result = crostonSba(values, horizon);
        break;
      case "tsb":
        result = tsb(values, horizon);
        break;
      case "combination": {
        result = medianForecast(COMBINATION_MEMBERS.map(compute));
        break;
      }
    }
    if (prepared.nonNegative) for (let h = 0; h < horizon; h++) if (!(result[h]! >= 0)) result[h] = Math.max(0, result[h]!) || 0;
    cache.set(method, result);
    return result;
  };
  const out = new Map<MethodName, number[]>();
  for (const method of methods) out.set(method, compute(method));
  return out;
}

/** Point forecast of one method: forecastWith([5, 5, 5, 5], "ses", 3) → [5, 5, 5]. */
export function forecastWith(values: readonly number[], method: MethodName, horizon: number, options: PrepareOptions = {}): number[] {
  return forecastMethods(prepareSeries(values, options), [method], horizon).get(method)!;
}

/** Median of several forecasts, month by month: medianForecast([[1, 2], [3, 4], [10, 0]]) → [3, 2]. */
export function medianForecast(forecasts: ReadonlyArray<readonly number[]>): number[] {
  const horizon = forecasts[0]?.length ?? 0;
  const k = forecasts.length;
  const result = new Array<number>(horizon);
  const column = new Float64Array(k);
  for (let h = 0; h < horizon; h++) {
    for (let i = 0; i < k; i++) {
      const value = forecasts[i]![h]!;
      let j = i - 1;
      while (j >= 0 && column[j]! > value) {
        column[j + 1] = column[j]!;
        j--;
      }
      column[j + 1] = value;
    }
    result[h] = k % 2 === 1 ? column[k >> 1]! : (column[(k >> 1) - 1]! + column[k >> 1]!) / 2;
  }
  return result;
}
