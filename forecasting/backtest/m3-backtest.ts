import { mase, maseScale, smape, winkler } from "../accuracy.ts";
import type { OriginErrors } from "../cross-validation.ts";
import { calibrate, intervalsFor } from "../intervals.ts";
import { forecastMethods, prepareSeries, type MethodName } from "../methods.ts";
import { autoEts } from "../methods/ets-family.ts";
import { forecastSeries, type SelectionOptions, type SelectionRule } from "../selection.ts";

/** The name of the ETS-by-AICc reference forecast in backtest reports. */
export const ETS_REFERENCE = "etsAicc";

/** Methods scored on M3 besides the selected forecast. */
export const M3_METHODS: readonly MethodName[] = ["seasonalNaive", "naive2", "ses", "holt", "damped", "theta", "ets", "combination"];

/** A series to backtest: its values (hold-out last) and how many are held out. */
export interface HoldoutSeries {
  id: string;
  category: string;
  horizon: number;
  values: ArrayLike<number>;
}

/** What a forecaster returns for one training series. */
export interface HoldoutFit {
  /** Point forecasts by method name; "selected" is the library's choice. */
  forecasts: Map<string, number[]>;
  /** Scaled CV errors of the selected forecast on the training data, for interval calibration. */
  cvErrors: OriginErrors[];
  /** MASE scale of the training data. */
  scale: number;
  /** Seconds spent on the selected forecast alone (not on the methods it is compared with), when measured. */
  selectionSeconds?: number;
}

/** Fits on a training series (never the hold-out) and forecasts `horizon` months. */
export type Forecaster = (training: readonly number[], horizon: number) => HoldoutFit;

/** The training part of a series: a fresh copy of the values before the hold-out, the only data fitting sees. */
export function trainingPart(values: ArrayLike<number>, horizon: number): number[] {
  const cut = values.length - horizon;
  const training = new Array<number>(cut);
  for (let i = 0; i < cut; i++) training[i] = values[i]!;
  return training;
}

/**
 * Every series cut to its last `months` of training plus its hold-out (what planners have), shorter ones as
 * they are: cutHistory(m3, 36)[0].values.length → 36 + 18.
 */
export function cutHistory<T extends HoldoutSeries>(series: readonly T[], months: number): T[] {
  return series.map((s) => ({ ...s, values: Array.from(s.values).slice(-(months + s.horizon)) }));
}

/**
 * The library's forecaster for the M3 backtest: every M3 method, the ETS family chosen by AICc as R's
 * forecast::ets chooses it ("etsAicc", the reference of issue 18; not a member of the selection), and the
 * selected forecast with the product's own options (the rolling origins of forecastSeries's default, as the
 * plan's forecasts have them; `options` for trials of other selections).
 */
export function libraryForecaster(rule: SelectionRule = "median", options: Partial<SelectionOptions> = {}): Forecaster {
  return (training, horizon) => {
    const forecasts = new Map<string, number[]>(forecastMethods(prepareSeries(training), M3_METHODS, horizon));
    forecasts.set(ETS_REFERENCE, autoEts(training, horizon).forecast);
    const started = performance.now();
    const selected = forecastSeries(training, { ...options, horizon, rule });
    const selectionSeconds = (performance.now() - started) / 1000;
    forecasts.set("selected", selected.mean);
    return { forecasts, cvErrors: selected.cvErrors, scale: selected.scale, selectionSeconds };
  };
}

/** Accuracy of one method on the hold-out. */
export interface HoldoutScore {
  method: string;
  smape: number;
  mase: number;
  smapeByCategory: Record<string, number>;
}

/** Result of the M3 backtest. */
export interface M3Report {
  series: number;
  /** Shortest and longest hold-out (18 and 18 on M3). */
  horizons: { min: number; max: number };
  categories: Record<string, number>;
  scores: HoldoutScore[];
  /** Interval results of the selected forecast, calibrated on pooled training-data CV errors only. */
  coverage80: number;
  coverage95: number;
  /** Mean Winkler score in MASE-scale units. */
  winkler80: number;
  winkler95: number;
  /** Categories where the selected forecast's sMAPE is worse than Naive2's. */
  worseThanNaive2: string[];
  seconds: number;
  /** Seconds of the selected forecast alone, over all series (issue 18's speed: series ÷ this); NaN when not measured. */
  selectionSeconds: number;
}

/**
 * Fits every series on its first n − h values, forecasts h months and scores sMAPE (the M3 measure),
 * MASE and interval coverage on the hold-out: runM3Backtest(parseM3Csv(text)).scores → per method.
 */
export function runM3Backtest(series: readonly HoldoutSeries[], forecaster: Forecaster = libraryForecaster()): M3Report {
  const started = performance.now();
  const fits = series.map((s) => forecaster(trainingPart(s.values, s.horizon), s.horizon));
  const maxHorizon = Math.max(...series.map((s) => s.horizon));
  const calibration = calibrate(fits.flatMap((f) => f.cvErrors), maxHorizon);
  const methods = [...(fits[0]?.forecasts.keys() ?? [])];
  const categories: Record<string, number> = {};
  const totals = new Map<string, { smape: number; mase: number; byCategory: Record<string, number> }>(
    methods.map((m) => [m, { smape: 0, mase: 0, byCategory: {} }]),
  );
  let covered80 = 0, covered95 = 0, points = 0, winkler80 = 0, winkler95 = 0;
  series.forEach((s, i) => {
    const fit = fits[i]!;
    const n = s.values.length;
    const actual: number[] = [];
    for (let t = n - s.horizon; t < n; t++) actual.push(s.values[t]!);
    const training = trainingPart(s.values, s.horizon);
    const scale = maseScale(training);
    categories[s.category] = (categories[s.category] ?? 0) + 1;
    for (const method of methods) {
      const forecast = fit.forecasts.get(method)!;
      const total = totals.get(method)!;
      const error = smape(actual, forecast);
      total.smape += error;
      total.mase += mase(actual, forecast, scale);
      total.byCategory[s.category] = (total.byCategory[s.category] ?? 0) + error;
    }
    const selected = fit.forecasts.get("selected");
    if (selected) {
      const bounds = intervalsFor(selected, fit.scale, calibration);
      actual.forEach((a, h) => {
        points++;
        if (a >= bounds.lower80[h]! && a <= bounds.upper80[h]!) covered80++;
        if (a >= bounds.lower95[h]! && a <= bounds.upper95[h]!) covered95++;
        winkler80 += winkler(a, bounds.lower80[h]!, bounds.upper80[h]!, 0.2) / fit.scale;
        winkler95 += winkler(a, bounds.lower95[h]!, bounds.upper95[h]!, 0.05) / fit.scale;
      });
    }
  });
  const scores: HoldoutScore[] = methods.map((method) => {
    const total = totals.get(method)!;
    return {
      method,
      smape: total.smape / series.length,
      mase: total.mase / series.length,
      smapeByCategory: Object.fromEntries(Object.entries(total.byCategory).map(([c, v]) => [c, v / categories[c]!])),
    };
  });
  const naive2 = scores.find((s) => s.method === "naive2");
  const chosen = scores.find((s) => s.method === "selected");
  const worseThanNaive2 = naive2 && chosen ? Object.keys(categories).filter((c) => chosen.smapeByCategory[c]! > naive2.smapeByCategory[c]!) : [];
  return {
    series: series.length,
    horizons: { min: Math.min(...series.map((s) => s.horizon)), max: maxHorizon },
    categories,
    scores,
    coverage80: points ? covered80 / points : Number.NaN,
    coverage95: points ? covered95 / points : Number.NaN,
    winkler80: points ? winkler80 / points : Number.NaN,
    winkler95: points ? winkler95 / points : Number.NaN,
    worseThanNaive2,
    seconds: (performance.now() - started) / 1000,
    selectionSeconds: fits.every((f) => f.selectionSeconds !== undefined) ? fits.reduce((sum, f) => sum + f.selectionSeconds!, 0) : Number.NaN,
  };
}
