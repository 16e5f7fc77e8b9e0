import { maseScale } from "./accuracy.ts";
import { crossValidate, type CrossValidation, type OriginErrors, type OriginOptions } from "./cross-validation.ts";
import { COMBINATION_MEMBERS, forecastMethods, medianForecast, METHOD_LABELS, prepareSeries, type MethodName, type PrepareOptions } from "./methods.ts";

/**
 * How the forecast of a series is chosen. Intermittent series (ADI ≥ 1.32) always take Croston-SBA or TSB,
 * whichever has the lower rolling-origin CV MASE. Regular series:
 * - "median" (default): the combination, the median of Naive2, SES, Holt, damped trend, Theta and ETS;
 * - "weighted": the mean of SES, damped trend and Theta weighted by inverse CV MASE;
 * - "best": the single candidate with the lowest CV MASE (the textbook rule).
 * The default is what the M3 and synthetic backtests favour; see docs/decisions/006-forecasting-methods.md.
 */
export type SelectionRule = "median" | "weighted" | "best";

/** Members of the "weighted" rule. */
export const WEIGHTED_MEMBERS: readonly MethodName[] = ["ses", "damped", "theta"];

/** Candidates of the "best" rule for regular series. */
export const SELECTION_CANDIDATES: readonly MethodName[] = ["ses", "holt", "damped", "theta", "ets", "combination"];
/** Candidates for intermittent series (ADI ≥ 1.32). */
export const INTERMITTENT_CANDIDATES: readonly MethodName[] = ["croston", "tsb"];

/** Options of selection and forecasting of one series. */
export interface SelectionOptions extends PrepareOptions, Partial<OriginOptions> {
  horizon: number;
  rule?: SelectionRule;
  /** Horizon scored in cross-validation (default: the forecast horizon). */
  cvHorizon?: number;
}

/** The chosen forecast of a series and why. */
export interface Selection {
  /** The method, or "combination" for the (weighted) combination. */
  method: MethodName;
  /** Weight of each method in the forecast (one entry of 1 for a single method). */
  weights: Partial<Record<MethodName, number>>;
  /** Cross-validated MASE of each candidate. */
  cvMase: Partial<Record<MethodName, number>>;
  /**
   * How it was chosen, for messages built by the application: the median of six methods, the lowest
   * CV MASE (of an intermittent series' candidates), inverse-MASE weights, or the fallback of a failed model.
   */
  kind: "median" | "best" | "intermittent" | "weighted" | "fallback";
  /** Why, for people: 中文 then English (the library's own wording, for its backtest reports). */
  reason: string;
}

/** A point forecast with its selection and the scaled CV errors of the selected forecast (for interval calibration). */
export interface SeriesForecast {
  mean: number[];
  selection: Selection;
  /** MASE scale of the whole history: intervals and simulated paths are in these units. */
  scale: number;
  /** Scaled cross-validation errors of the selected forecast, per origin. */
  cvErrors: OriginErrors[];
  seasonal: boolean;
  intermittent: boolean;
}

function formatWeights(weights: Partial<Record<MethodName, number>>, cvMase: Partial<Record<MethodName, number>>): string {
  return Object.entries(weights)
    .map(([method, weight]) => `${method} ${(weight! * 100).toFixed(0)}% (MASE ${cvMase[method as MethodName]?.toFixed(2) ?? "—"})`)
    .join(", ");
}

function medianErrors(cv: CrossValidation): OriginErrors[] {
  return cv.origins.map((origin, k) => {
    const members = COMBINATION_MEMBERS.map((m) => cv.errors.get(m)![k]!);
    const scaledErrors = medianForecast(members.map((e) => e.scaledErrors));
    return { origin, scale: members[0]!.scale, scaledErrors };
  });
}

function medianCvMase(cv: CrossValidation): number {
  let total = 0;
  let count = 0;
  for (const origin of medianErrors(cv)) {
    for (const error of origin.scaledErrors) {
      total += Math.abs(error);
      count++;
    }
  }
  return count > 0 ? total / count : Number.NaN;
}

function combineErrors(cv: CrossValidation, weights: Partial<Record<MethodName, number>>): OriginErrors[] {
  const entries = Object.entries(weights) as [MethodName, number][];
  return cv.origins.map((origin, k) => {
    const first = cv.errors.get(entries[0]![0])![k]!;
    const scaledErrors = first.scaledErrors.map((_, h) => entries.reduce((acc, [m, w]) => acc + w * cv.errors.get(m)![k]!.scaledErrors[h]!, 0));
    return { origin, scale: first.scale, scaledErrors };
  });
}

/**
 * Chooses the forecast of one series by rolling-origin cross-validation on MASE and forecasts it:
 * forecastSeries(monthlyPersonTimes, { horizon: 12 }).selection.reason → "组合预测 … / combination of …"
 */
export function forecastSeries(values: readonly number[], options: SelectionOptions): SeriesForecast {
  const rule = options.rule ?? "median";
  const horizon = options.horizon;
  const period = options.period ?? 12;
  const prepared = prepareSeries(values, options);
  const candidates = prepared.intermittent
    ? INTERMITTENT_CANDIDATES
    : rule === "best"
      ? SELECTION_CANDIDATES
      : rule === "weighted"
        ? WEIGHTED_MEMBERS
        : COMBINATION_MEMBERS;
  const cv = crossValidate(values, candidates, { ...options, horizon: options.cvHorizon ?? horizon });
  const cvMase: Partial<Record<MethodName, number>> = {};
  for (const [method, value] of cv.mase) cvMase[method] = value;
  const usable = (m: MethodName) => Number.isFinite(cv.mase.get(m));
  let weights: Partial<Record<MethodName, number>>;
  let method: MethodName;
  let reason: string;
  if (!prepared.intermittent && rule === "median") {
    const forecasts = forecastMethods(prepared, ["combination"], horizon);
    const ranked = COMBINATION_MEMBERS.filter(usable).sort((a, b) => cv.mase.get(a)! - cv.mase.get(b)!);
    return {
      mean: forecasts.get("combination")!,
      selection: {
        kind: "median",
        method: "combination",
        weights: Object.fromEntries(COMBINATION_MEMBERS.map((m) => [m, 1 / COMBINATION_MEMBERS.length])),
        cvMase: { ...cvMase, combination: medianCvMase(cv) },
        reason:
          `六法中位数组合（回测显示优于按交叉验证择一）/ median of six methods (backtests favour it over picking one by CV); ` +
          `交叉验证 MASE cross-validated: combination ${medianCvMase(cv).toFixed(2)}, ` +
          ranked.map((m) => `${m} ${cvMase[m]!.toFixed(2)}`).join(", "),
      },
      scale: maseScale(values, period),
      cvErrors: medianErrors(cv),
      seasonal: prepared.seasonal,
      intermittent: false,
    };
  }
  if (prepared.intermittent || rule === "best") {
    const ranked = candidates.filter(usable).sort((a, b) => cv.mase.get(a)! - cv.mase.get(b)!);
    method = ranked[0] ?? candidates[0]!;
    weights = { [method]: 1 };
    reason = prepared.intermittent
      ? `间歇序列（ADI ≥ 1.32），交叉验证 MASE 最低 / intermittent series, lowest CV MASE: ${METHOD_LABELS[method]} (${cvMase[method]?.toFixed(2) ?? "—"})`
      : `交叉验证 MASE 最低 / lowest CV MASE: ${METHOD_LABELS[method]} (${cvMase[method]?.toFixed(2) ?? "—"})`;
  } else {
    method = "combination";
    const members = WEIGHTED_MEMBERS;
    const raw = members.map((m) => (rule === "weighted" && usable(m) && cv.mase.get(m)! > 0 ? 1 / cv.mase.get(m)! : 1));
    const total = raw.reduce((a, b) => a + b, 0);
    weights = Object.fromEntries(members.map((m, i) => [m, raw[i]! / total]));
    reason = `组合预测（按交叉验证 MASE 倒数加权）/ combination weighted by inverse CV MASE: ${formatWeights(weights, cvMase)}`;
  }
  const used = Object.keys(weights) as MethodName[];
  const forecasts = forecastMethods(prepared, used, horizon);
  const mean = new Array<number>(horizon).fill(0);
  for (const m of used) {
    const forecast = forecasts.get(m)!;
    for (let h = 0; h < horizon; h++) mean[h]! += weights[m]! * forecast[h]!;
  }
  return {
    mean,
    selection: { kind: prepared.intermittent ? "intermittent" : rule === "best" ? "best" : "weighted", method, weights, cvMase, reason },
    scale: maseScale(values, period),
    cvErrors: cv.origins.length > 0 ? combineErrors(cv, weights) : [],
    seasonal: prepared.seasonal,
    intermittent: prepared.intermittent,
  };
}
