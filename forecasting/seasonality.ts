import { acf } from "./stats.ts";

/** Months in a year: the seasonal period of every series in this library unless told otherwise. */
export const MONTHS = 12;

/** Smallest seasonal index used for dividing, so that structurally empty months do not divide by zero. */
const MIN_INDEX = 1e-3;

/**
 * The M3/M4 seasonality test: the lag-`period` autocorrelation exceeds its 90% limit
 * (1.645 / √n · √(1 + 2 Σ r_k², k < period)); needs at least 3 full years.
 * isSeasonal([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, … 3 years]) → true
 */
export function isSeasonal(values: readonly number[], period = MONTHS): boolean {
  const n = values.length;
  if (period <= 1 || n < 3 * period) return false;
  const r = acf(values, period);
  let sumSquares = 0;
  for (let k = 0; k < period - 1; k++) sumSquares += r[k]! ** 2;
  const limit = (1.645 / Math.sqrt(n)) * Math.sqrt(1 + 2 * sumSquares);
  return Math.abs(r[period - 1]!) > limit;
}

/**
 * Classical multiplicative seasonal indices (R `decompose(type = "multiplicative")$figure`):
 * ratios to the centred 2×period moving average, averaged per position, normalised to mean 1.
 * Position 0 is the first observation. Returns undefined when the series is too short or the
 * moving average is not positive.
 * classicalIndices(twoYearsOfSales)?.length → 12
 */
export function classicalIndices(values: readonly number[], period = MONTHS): number[] | undefined {
  const figure = positionAverages(values, period, (value, trend) => (trend > 0 ? value / trend : undefined), 1);
  return figure && normaliseIndices(figure);
}

/**
 * The classical decomposition's step shared by both forms: each observation set against the centred 2×period
 * moving average (`compare`: its ratio or difference; undefined stops, e.g. a trend not positive for a ratio),
 * averaged per position (`empty` where a position has none). Undefined when the series is shorter than two periods.
 */
function positionAverages(
  values: readonly number[],
  period: number,
  compare: (value: number, trend: number) => number | undefined,
  empty: number,
): number[] | undefined {
  const n = values.length;
  if (n < 2 * period) return undefined;
  const half = period >> 1;
  const even = period % 2 === 0;
  const sums = new Array<number>(period).fill(0);
  const counts = new Array<number>(period).fill(0);
  for (let t = half; t < n - half; t++) {
    let trend = 0;
    if (even) {
      trend = 0.5 * values[t - half]! + 0.5 * values[t + half]!;
      for (let j = -half + 1; j < half; j++) trend += values[t + j]!;
    } else {
      for (let j = -half; j <= half; j++) trend += values[t + j]!;
    }
    const compared = compare(values[t]!, trend / period);
    if (compared === undefined) return undefined;
    sums[t % period]! += compared;
    counts[t % period]!++;
  }
  return sums.map((sum, i) => (counts[i]! > 0 ? sum / counts[i]! : empty));
}

/** Scales seasonal indices to mean 1: normaliseIndices([2, 4]) → [0.667, 1.333]. */
export function normaliseIndices(indices: readonly number[]): number[] {
  let total = 0;
  for (const value of indices) total += value;
  const m = total / indices.length;
  return m > 0 ? indices.map((value) => value / m) : indices.map(() => 1);
}

/**
 * Seasonal indices pooled over several series of the same calendar (e.g. the lines of one town, or the
 * years of a short series): each full year is divided by its mean, and the ratios are averaged per month,
 * weighted by the year's total. Series must start at the same calendar month.
 * pooledIndices([[1, 3, 1, 3], [2, 6, 2, 6]], 2) → [0.5, 1.5]
 */
export function pooledIndices(seriesList: ReadonlyArray<readonly number[]>, period = MONTHS): number[] | undefined {
  const sums = new Array<number>(period).fill(0);
  let weight = 0;
  for (const series of seriesList) {
    for (let start = 0; start + period <= series.length; start += period) {
      let total = 0;
      for (let j = 0; j < period; j++) total += series[start + j]!;
      if (!(total > 0)) continue;
      for (let j = 0; j < period; j++) sums[j]! += series[start + j]!;
      weight += total;
    }
  }
  if (weight === 0) return undefined;
  return normaliseIndices(sums.map((s) => s / weight));
}

/** A series with its seasonal indices removed, and the means to put them back. */
export interface Deseasonalised {
  /** Seasonally adjusted values (observed ÷ index). */
  adjusted: number[];
  /** Indices by position modulo the period, starting at the series' first observation; all 1 when not seasonal. */
  indices: number[];
  /** Whether seasonality was found (or supplied) and removed. */
  seasonal: boolean;
}

/**
 * Removes multiplicative seasonality when the 90% test finds it (the Naive2/Theta recipe of M3), or with
 * the given indices (e.g. pooled ones for a short series).
 * deseasonalise(sales).adjusted — the seasonally adjusted series
 */
export function deseasonalise(values: readonly number[], period = MONTHS, given?: readonly number[]): Deseasonalised {
  let indices: number[] | undefined = given ? [...given] : undefined;
  if (!indices && isSeasonal(values, period)) indices = classicalIndices(values, period);
  if (!indices) return { adjusted: [...values], indices: new Array<number>(period).fill(1), seasonal: false };
  const adjusted = new Array<number>(values.length);
  let previous = Number.NaN;
  for (let t = 0; t < values.length; t++) {
    const index = indices[t % period]!;
    const value = index > MIN_INDEX ? values[t]! / index : previous;
    adjusted[t] = value;
    if (Number.isFinite(value)) previous = value;
  }
  // Leading structurally-empty months take the first adjusted value.
  const firstFinite = adjusted.findIndex((v) => Number.isFinite(v));
  for (let t = 0; t < firstFinite; t++) adjusted[t] = adjusted[firstFinite]!;
  if (firstFinite < 0) return { adjusted: [...values], indices: new Array<number>(period).fill(1), seasonal: false };
  return { adjusted, indices, seasonal: true };
}

/** Puts seasonality back on a forecast that starts right after the series' last observation. */
export function reseasonalise(forecast: readonly number[], indices: readonly number[], observed: number): number[] {
  const period = indices.length;
  return forecast.map((value, h) => value * indices[(observed + h) % period]!);
}

/** Upper 90% point of the F distribution by Paulson's normal approximation: fCritical90(11, 12) ≈ 2.2. */
export function fCritical90(d1: number, d2: number): number {
  const z = (f: number) => {
    const a = 2 / (9 * d1);
    const b = 2 / (9 * d2);
    const c = Math.cbrt(f);
    return ((1 - b) * c - (1 - a)) / Math.sqrt(b * c * c + a);
  };
  let low = 0;
  let high = 100;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (z(mid) < 1.2816) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * Seasonal indices from whole years (each divided by its mean, averaged per month) and whether the month
 * effect is significant by a one-way analysis of variance at 90% — the test for series too short for the
 * autocorrelation test (fewer than 3 years), pooling years of one line or of several.
 * yearlyProfile([[1, 3, 1, 3], [1, 3, 1, 3]], 4) → { indices: [0.5, 1.5, 0.5, 1.5], significant: true }
 */
export function yearlyProfile(years: ReadonlyArray<readonly number[]>, period = MONTHS): { indices: number[]; significant: boolean } | undefined {
  const ratios: number[][] = [];
  const weights: number[] = [];
  for (const year of years) {
    if (year.length < period) continue;
    let total = 0;
    for (let j = 0; j < period; j++) total += year[j]!;
    if (!(total > 0)) continue;
    const m = total / period;
    ratios.push(year.slice(0, period).map((v) => v / m));
    weights.push(total);
  }
  if (ratios.length === 0) return undefined;
  const weightSum = weights.reduce((s, w) => s + w, 0);
  const profile = new Array<number>(period).fill(0);
  ratios.forEach((r, y) => r.forEach((v, j) => (profile[j]! += (v * weights[y]!) / weightSum)));
  const indices = normaliseIndices(profile);
  if (ratios.length < 2) return { indices, significant: false };
  const monthMeans = new Array<number>(period).fill(0);
  for (const r of ratios) r.forEach((v, j) => (monthMeans[j]! += v / ratios.length));
  const grand = monthMeans.reduce((s, v) => s + v, 0) / period;
  let between = 0;
  let within = 0;
  for (let j = 0; j < period; j++) between += ratios.length * (monthMeans[j]! - grand) ** 2;
  for (const r of ratios) r.forEach((v, j) => (within += (v - monthMeans[j]!) ** 2));
  const d1 = period - 1;
  // Each year is divided by its own mean, so the year effect is gone: a two-way layout without replication.
  const d2 = (ratios.length - 1) * (period - 1);
  const f = within > 0 ? between / d1 / (within / d2) : Number.POSITIVE_INFINITY;
  return { indices, significant: f > fCritical90(d1, d2) };
}

/** Whole years of a series from its first observation: fullYears([1, 2, 3, 4, 5], 2) → [[1, 2], [3, 4]]. */
export function fullYears(values: readonly number[], period = MONTHS): number[][] {
  const years: number[][] = [];
  for (let start = 0; start + period <= values.length; start += period) years.push(values.slice(start, start + period) as number[]);
  return years;
}

/**
 * Classical additive seasonal figure (R `decompose(type = "additive")$figure`): differences from the centred
 * 2×period moving average, averaged per position, centred to mean 0 — usable where months reach zero.
 * Position 0 is the first observation. additiveIndices(twoYearsWithEmptyMonths)?.length → 12
 */
export function additiveIndices(values: readonly number[], period = MONTHS): number[] | undefined {
  const figure = positionAverages(values, period, (value, trend) => value - trend, 0);
  if (!figure) return undefined;
  const m = figure.reduce((sum, value) => sum + value, 0) / period;
  return figure.map((value) => value - m);
}

/** How far below the error around the mean seasonal naive's in-sample error must be (amountsFollowCalendar). */
export const AMOUNT_CALENDAR_RATIO = 0.8;

/**
 * Whether a series' amounts recur with the calendar (decision 026): seasonal naive's in-sample mean absolute
 * error (each month against the same month a year before) is below AMOUNT_CALENDAR_RATIO of the error around the
 * mean over the same months. Over months that do not depend on the calendar the first is at least the second
 * in expectation (by Jensen's inequality, E|X − X′| ≥ E|X − μ| for independent X, X′ alike; equal for months paid
 * one amount or nothing, where the margin alone keeps chance out: about 6% of such series of four years pass); a
 * yearly settlement, quarterly payments or a lump in a fixed month bring it far below. Needs two whole years:
 * amountsFollowCalendar([0, 0, 90, 1, 0, 80, …]) → true.
 */
export function amountsFollowCalendar(values: readonly number[], period = MONTHS): boolean {
  const n = values.length;
  if (n < 2 * period) return false;
  let sum = 0;
  for (let t = period; t < n; t++) sum += values[t]!;
  const mean = sum / (n - period);
  let lagged = 0;
  let flat = 0;
  for (let t = period; t < n; t++) {
    lagged += Math.abs(values[t]! - values[t - period]!);
    flat += Math.abs(values[t]! - mean);
  }
  return flat > 0 && lagged < AMOUNT_CALENDAR_RATIO * flat;
}
