import { maseScale } from "./accuracy.ts";
import { amountsFollowCalendar } from "./seasonality.ts";
import { intermittentCandidates, scoreIntermittent } from "./intermittent.ts";
import { crossValidate, meanAbsoluteError, weightedErrors, type CrossValidation, type FitVariant, type OriginErrors, type OriginOptions } from "./cross-validation.ts";
import { etsCombination, type EtsChoice } from "./ets-combination.ts";
import {
  COMBINATION_MEMBERS,
  forecastMethods,
  medianForecast,
  METHOD_LABELS,
  prepareSeries,
  type MethodName,
  type PreparedSeries,
  type PrepareOptions,
  type SeasonalityChoice,
} from "./methods.ts";

/**
 * How the forecast of a series is chosen. Intermittent series (ADI ≥ 1.32) take Croston-SBA, TSB, the seasonal
 * mean or, where their amounts recur with the calendar, seasonal naive: whichever has the lowest rolling-origin
 * CV MASE (INTERMITTENT_CANDIDATES). Regular series:
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
/** Options of selection and forecasting of one series. */
export interface SelectionOptions extends PrepareOptions, Partial<OriginOptions> {
  horizon: number;
  rule?: SelectionRule;
  /** Horizon scored in cross-validation (default: the forecast horizon). */
  cvHorizon?: number;
  /**
   * Rule "median": let the ETS family (by AICc) join the median combination where it cross-validates better
   * (issue 18, ets-combination.ts); candidates as given, none with []. Default: LONG_HISTORY_ETS on histories
   * of at least four whole years (etsHistory), none on shorter ones.
   */
  etsCandidates?: readonly EtsChoice[];
  /** Rule "median", histories under four years: let seasonal naive take NAIVE_SHARE where CV prefers it (default true). */
  naiveMix?: boolean;
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
  /**
   * What the forecast was fitted on, for messages (issue 18): the months of history, the recent window chosen
   * by cross-validation (absent: all of them), the seasonal adjustment and whether the 90% test or
   * cross-validation decided it; `short` when seasonal naive was taken on a short history, `untested` when
   * no whole year was left to cross-validate it on, `belowTwoYears` when it was taken because the history has
   * a whole year but not two.
   */
  fit?: SelectionFit;
  /**
   * When the ETS step ran (histories of four years or more, or options.etsCandidates): the ETS form AICc chose
   * on the whole history, which candidate CV kept ("median": the median of six alone; "etsMedian": the mean of
   * ETS and the median; "etsThetaMedian": the mean of ETS, Theta and the median; "etsArimaTheta": the mean of
   * ETS, ARIMA and Theta; "etsArimaMedian": the mean of ETS, ARIMA and the median; "etsArima": the mean of ETS
   * and ARIMA; "ets": ETS alone), the ARIMA member's form
   * when the kept candidate has one (`arima`: the airline model, or ARIMA(0,1,1) with drift on series without
   * seasonality) and the CV MASE of each candidate compared and of the median (NaN for the others).
   * `kind`, `method`, `weights` and `fit` still describe the median of six, which the reason compares with.
   */
  ets?: { form: string; arima?: "airline" | "drift"; choice: EtsChoice; cvMase: Record<EtsChoice, number> };
  /**
   * Histories under four years only: seasonal naive's share when the forecast is the weighted mean of the median
   * of six and seasonal naive, kept because it cross-validated better than the median alone (NAIVE_SHARE), and
   * that mean's CV MASE. `cvMase` still has the median's (`combination`) and seasonal naive's own.
   */
  naiveMix?: { share: number; cvMase: number };
  /** Intermittent series: whether the amounts recur with the calendar (amountsFollowCalendar; seasonal naive competed). */
  calendar?: boolean;
}

/** What a selected forecast was fitted on (see Selection.fit). */
export interface SelectionFit {
  /** Months of history. */
  months: number;
  /** The last months fitted when cross-validation chose a recent window. */
  window?: number;
  /** The seasonal adjustment of the fitted data (seasonal naive needs none: "none"). */
  seasonality: "none" | "multiplicative" | "additive";
  seasonalityBy: "test" | "cv" | "given";
  short?: boolean;
  untested?: boolean;
  /** Seasonal naive taken because the history has a whole year but not two (no seasonal adjustment possible). */
  belowTwoYears?: boolean;
}

/** A point forecast with its selection and the scaled CV errors of the selected forecast (for interval calibration). */
export interface SeriesForecast {
  mean: number[];
  selection: Selection;
  /** MASE scale of the whole history: intervals and simulated paths are in these units. */
  scale: number;
  /**
   * Scaled cross-validation errors of the selected forecast, per origin: on the origin's own MASE scale, or on the
   * whole history's (`scale`) for origins with under two years of training (comparableErrors).
   */
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

function selectionFit(variant: FitVariant, prepared: PreparedSeries, months: number, given: boolean): SelectionFit {
  const seasonality = !prepared.seasonal ? "none" : prepared.form;
  const seasonalityBy = given ? "given" : variant.seasonality === undefined || variant.seasonality === "test" ? "test" : "cv";
  return { months, ...(variant.window !== undefined ? { window: variant.window } : {}), seasonality, seasonalityBy };
}

/** The window and seasonal adjustment the combination was fitted with, for the reason. */
function describeVariant(variant: FitVariant, prepared: PreparedSeries): string {
  const window = variant.window !== undefined ? `近${variant.window}个月 last ${variant.window} months` : `全部${prepared.values.length}个月 all ${prepared.values.length} months`;
  const seasonality = !prepared.seasonal
    ? "无季节调整 no seasonal adjustment"
    : prepared.form === "additive"
      ? "加法季节调整 additive seasonal adjustment"
      : "乘法季节调整 multiplicative seasonal adjustment";
  const how = variant.seasonality === undefined || variant.seasonality === "test" ? "" : "（交叉验证选定 chosen by CV）";
  return `拟合 fitted on ${window}, ${seasonality}${how}`;
}

/** A CV MASE for the library's reason text: two decimals, "—" when there is none (NaN or absent). */
const shownMase = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value.toFixed(2) : "—");

/**
 * The CV errors of origins whose training could be fitted like the final model (a seasonal fit needs two
 * whole years), for interval calibration; all of them when none could. Errors of origins with under two years
 * of training are put on the whole history's MASE scale (the one intervals are multiplied by): their own scale
 * comes from under a year of seasonal differences (at 12 months from month-to-month ones) and is noise, which
 * a small divisor turns into heavy tails (decision 029, addendum 3). The errors themselves are unchanged.
 * comparableErrors([{ origin: 12, scale: 5, scaledErrors: [2] }], 12, 10, 12) → [{ origin: 12, scale: 10, scaledErrors: [1] }]
 */
function comparableErrors(errors: OriginErrors[], minOrigin: number, scale: number, period: number): OriginErrors[] {
  const comparable = errors.filter((o) => o.origin >= minOrigin);
  const kept = comparable.length > 0 ? comparable : errors;
  return kept.map((o) => (o.origin >= 2 * period ? o : { ...o, scale, scaledErrors: o.scaledErrors.map((e) => (e * o.scale) / scale) }));
}

function combineErrors(cv: CrossValidation, weights: Partial<Record<MethodName, number>>): OriginErrors[] {
  return weightedErrors((Object.entries(weights) as [MethodName, number][]).map(([m, weight]) => ({ errors: cv.errors.get(m)!, weight })));
}

/**
 * The cheap members of the combination (no Nelder–Mead): their mean cross-validated MASE decides the fit
 * variant — which window and which seasonal adjustment the combination is fitted with.
 */
export const VARIANT_PROBES: readonly MethodName[] = ["naive2", "ses", "theta"];

/** Candidate windows (months) for long histories, each when the history has two more years; the whole history is always a candidate. */
export const CANDIDATE_WINDOWS: readonly number[] = [120, 72];

/** The ETS step's candidates in words, for the library's own reasons (the plan page has its messages). */
const ETS_LABELS: Record<EtsChoice, (form: string, arima: string) => string> = {
  median: () => "六法中位数 the median of six",
  ets: (form) => `ETS ${form}`,
  etsMedian: (form) => `ETS ${form} 与六法中位数的平均 mean of ETS ${form} and the median of six`,
  etsThetaMedian: (form) => `ETS ${form}、Theta 与六法中位数的平均 mean of ETS ${form}, Theta and the median of six`,
  etsArimaTheta: (form, arima) => `ETS ${form}、${arima} 与 Theta 的平均 mean of ETS ${form}, ${arima} and Theta`,
  etsArimaMedian: (form, arima) => `ETS ${form}、${arima} 与六法中位数的平均 mean of ETS ${form}, ${arima} and the median of six`,
  etsArima: (form, arima) => `ETS ${form} 与 ${arima} 的平均 mean of ETS ${form} and ${arima}`,
};

/**
 * The candidates of the ETS step on long histories, the three combinations of ETS and ARIMA (the airline model,
 * or ARIMA(0,1,1) with drift on series without seasonality): with the median of six, with Theta (the reference
 * ETS/ARIMA/Theta combination), or the two alone — whichever cross-validates best.
 * ETS alone followed a drifting month profile best but lost on old regimes, long stable series and M3
 * (docs/decisions/020); the median of six alone and ETS/Theta/median as candidates let CV's four origins pick
 * a member that lags a drifting profile (021); the mean of ETS and ARIMA, both of whose month profiles move with
 * the data, brought drifting profiles level with ETS alone (024).
 */
export const LONG_HISTORY_ETS: readonly EtsChoice[] = ["etsArimaMedian", "etsArimaTheta", "etsArima"];

/**
 * Histories of at least this many months (four whole years) take the ETS step by default. With combinations
 * only among its candidates it made every generated set and M3 better (020, 021). Below it the ARIMA member
 * cannot be cross-validated (it needs three years at every origin), and the step would cost ≈ 1.3 ms a series
 * (36-month histories from ≈ 1,700 to ≈ 550 series/s, under the 1,000 wanted); histories under four years may
 * take a third of seasonal naive instead (022). etsHistory(12) → 48
 */
export const etsHistory = (period: number) => 4 * period;

/**
 * Seasonal naive's share in the mean that histories under four years may take instead of the median of six:
 * 2 parts median, 1 part last year's same months, where that cross-validates better (decision 022). Three
 * years of classical month indices lag a profile that moves every year; last year's months do not.
 */
export const NAIVE_SHARE = 1 / 3;

/**
 * Histories shorter than this many periods' worth of months (2 years + 6 months) are "short": too short to
 * compare a seasonal and a non-seasonal fit out of sample (cross-validation keeps two years of training), so
 * seasonal naive competes with the combination instead. shortHistory(12) → 30.
 */
export const shortHistory = (period: number) => 2 * period + 6;

/**
 * The fit variants compared on a series: windows × seasonal adjustments. Seasonality found by the 90% test
 * stays (the test rarely finds what is not there); where the test finds none, seasonal (multiplicative, or
 * additive where months reach zero) and non-seasonal fits are compared out of sample — the test misses
 * seasonality on short or noisy histories. Given (pooled) indices and short histories: the test only.
 * fitVariants(tenYearsMonthly, 12, false, false) → [{ seasonality: "none" }, { seasonality: "multiplicative" }, { window: 120, seasonality: "none" }, …]
 */
export function fitVariants(values: readonly number[], period: number, testedSeasonal: boolean, given: boolean): FitVariant[] {
  const n = values.length;
  const windows: Array<number | undefined> = [undefined, ...(given ? [] : CANDIDATE_WINDOWS.filter((w) => n > w + 2 * period))];
  const positive = values.every((v) => v > 0);
  const forms: SeasonalityChoice[] = given || testedSeasonal || n < shortHistory(period) ? ["test"] : ["none", positive ? "multiplicative" : "additive"];
  return windows.flatMap((window) => forms.map((seasonality) => ({ window, seasonality })));
}

/**
 * The variant whose probes have the lowest mean CV MASE (the first — whole history, no seasonality — on
 * ties), with the probes' cross-validation on it (reused by the full one); no cross-validation with one variant.
 */
export function chooseVariant(
  values: readonly number[],
  variants: readonly FitVariant[],
  options: OriginOptions & PrepareOptions,
): { variant: FitVariant; probes?: CrossValidation } {
  if (variants.length <= 1) return { variant: variants[0] ?? {} };
  let best: { variant: FitVariant; probes?: CrossValidation } = { variant: variants[0]! };
  let bestScore = Number.POSITIVE_INFINITY;
  for (const variant of variants) {
    const cv = crossValidate(values, VARIANT_PROBES, { ...options, ...variant });
    let score = 0;
    for (const probe of VARIANT_PROBES) score += cv.mase.get(probe)! / VARIANT_PROBES.length;
    if (score < bestScore) {
      best = { variant, probes: cv };
      bestScore = score;
    }
  }
  return best;
}

/** Cross-validates `methods`, taking those already in `known` (same origins and variant) from it. */
function crossValidateWith(values: readonly number[], methods: readonly MethodName[], options: OriginOptions & PrepareOptions & FitVariant, known?: CrossValidation): CrossValidation {
  if (!known) return crossValidate(values, methods, options);
  const missing = methods.filter((m) => !known.mase.has(m));
  const rest = crossValidate(values, missing, options, known.prepared);
  const pick = <T>(m: MethodName, a: Map<MethodName, T>, b: Map<MethodName, T>) => (a.has(m) ? a.get(m)! : b.get(m)!);
  return {
    origins: rest.origins,
    chain: rest.chain,
    prepared: rest.prepared,
    mase: new Map(methods.map((m) => [m, pick(m, known.mase, rest.mase)])),
    errors: new Map(methods.map((m) => [m, pick(m, known.errors, rest.errors)])),
  };
}

/**
 * Chooses the forecast of one series by rolling-origin cross-validation on MASE and forecasts it:
 * forecastSeries(monthlyPersonTimes, { horizon: 12 }).selection.reason → "组合预测 … / combination of …"
 */
export function forecastSeries(values: readonly number[], options: SelectionOptions): SeriesForecast {
  const rule = options.rule ?? "median";
  const horizon = options.horizon;
  const period = options.period ?? 12;
  // The MASE scale of the whole history: intervals and simulated paths are in its units.
  const scale = maseScale(values, period);
  const cvOptions = { ...options, horizon: options.cvHorizon ?? horizon };
  const first = prepareSeries(values, options);
  const { variant, probes } =
    !first.intermittent && rule === "median"
      ? chooseVariant(values, fitVariants(values, period, first.seasonal, options.indices !== undefined), cvOptions)
      : { variant: {} as FitVariant, probes: undefined };
  const fitted = variant.window !== undefined ? values.slice(values.length - variant.window) : values;
  const prepared = (variant.seasonality ?? "test") !== "test" || variant.window !== undefined ? prepareSeries(fitted, { ...options, ...variant }) : first;
  const calendar = prepared.intermittent && amountsFollowCalendar(values, period);
  const candidates = prepared.intermittent
    ? intermittentCandidates(calendar)
    : rule === "best"
      ? SELECTION_CANDIDATES
      : rule === "weighted"
        ? WEIGHTED_MEMBERS
        : COMBINATION_MEMBERS;
  const cv = crossValidateWith(values, candidates, { ...cvOptions, ...variant }, probes);
  const cvMase: Partial<Record<MethodName, number>> = {};
  for (const [method, value] of cv.mase) cvMase[method] = value;
  const usable = (m: MethodName) => Number.isFinite(cv.mase.get(m));
  let weights: Partial<Record<MethodName, number>>;
  let method: MethodName;
  let reason: string;
  if (!prepared.intermittent && rule === "median") {
    // Seasonal naive is scored on the origins with a whole year of training (before that it is naive).
    const naiveCv = crossValidate(values, ["seasonalNaive"], { ...cvOptions, seasonality: "none" }); // it needs no adjustment
    const naiveScore = meanAbsoluteError(naiveCv.errors.get("seasonalNaive")!, period);
    const combinationScore = meanAbsoluteError(medianErrors(cv), period);
    cvMase.seasonalNaive = naiveScore; // NaN (shown as —) when no origin had a whole year behind it
    const combinationMase = Number.isNaN(combinationScore) ? meanAbsoluteError(medianErrors(cv)) : combinationScore;
    // It competes on short histories, where the combination's seasonality cannot be decided out of sample.
    // Under two whole years the combination cannot be seasonally adjusted at all, and the one or two CV
    // origins past a whole year are too few to overrule that: seasonal naive from a whole year on.
    const short = values.length < shortHistory(period);
    // (Not with given month indices: a pooled profile seasonally adjusts even a short history.)
    const belowTwoYears = options.indices === undefined && values.length >= period && values.length < 2 * period;
    const naiveWins = belowTwoYears || (Number.isNaN(naiveScore) ? values.length >= period && !prepared.seasonal : naiveScore < combinationScore);
    if (short && naiveWins) {
      const scored = Number.isFinite(naiveScore);
      return {
        mean: forecastMethods(first, ["seasonalNaive"], horizon).get("seasonalNaive")!,
        selection: {
          kind: "best",
          method: "seasonalNaive",
          weights: { seasonalNaive: 1 },
          cvMase: { ...cvMase, combination: combinationMase },
          fit: { months: values.length, seasonality: "none", seasonalityBy: "cv", short: true, ...(scored ? {} : { untested: true }), ...(belowTwoYears ? { belowTwoYears } : {}) },
          reason: belowTwoYears
            ? `不足两年，无法估计季节，取上年同月 / under two whole years, no seasonal adjustment can be estimated: ${METHOD_LABELS.seasonalNaive}`
            : scored
            ? `短序列，交叉验证 MASE 低于六法组合 / short history, lower CV MASE than the median of six: ${METHOD_LABELS.seasonalNaive} (${naiveScore.toFixed(2)} vs ${combinationScore.toFixed(2)})`
            : `短序列，不足一年可供交叉验证，取上年同月 / short history, no whole year to cross-validate on: ${METHOD_LABELS.seasonalNaive}`,
        },
        scale,
        // Its errors from origins with a whole year behind them (before that it was naive), when there are any.
        cvErrors: comparableErrors(naiveCv.errors.get("seasonalNaive")!, period, scale, period),
        seasonal: true,
        intermittent: false,
      };
    }
    // Holt's and the damped trend's fits on the whole history start where the last CV origin's ended.
    const forecasts = forecastMethods(prepared, ["combination", "theta"], horizon, { ...cv.chain });
    const ranked = COMBINATION_MEMBERS.filter(usable).sort((a, b) => cv.mase.get(a)! - cv.mase.get(b)!);
    const median = medianErrors(cv);
    const etsCandidates = options.etsCandidates ?? (values.length >= etsHistory(period) ? LONG_HISTORY_ETS : []);
    const withEts =
      etsCandidates.some((c) => c !== "median") && options.indices === undefined
        ? etsCombination(values, forecasts.get("combination")!, median, {
            horizon,
            period,
            candidates: etsCandidates,
            seasonal: prepared.seasonal,
            theta: { mean: forecasts.get("theta")!, errors: cv.errors.get("theta")! },
          })
        : undefined;
    // Intervals from origins with two whole years behind them (all when none has): a seasonal fit needs them, and
    // shorter trainings' errors are larger than the whole history's will be (decision 028).
    const minOrigin = 2 * period;
    const medianWeights = Object.fromEntries(COMBINATION_MEMBERS.map((m) => [m, 1 / COMBINATION_MEMBERS.length]));
    // What Selection.ets says: the step's result without its forecast and errors.
    const etsSummary = withEts && (({ mean: _mean, cvErrors: _errors, ...summary }) => summary)(withEts);
    if (withEts && etsSummary && withEts.choice !== "median") {
      const arima = withEts.arima === "drift" ? "ARIMA(0,1,1) 带漂移 with drift" : "航空模型 airline ARIMA(0,1,1)(0,1,1)12";
      const label = ETS_LABELS[withEts.choice](withEts.form, arima);
      return {
        mean: withEts.mean,
        selection: {
          kind: "median",
          method: "combination",
          weights: medianWeights,
          cvMase: { ...cvMase, combination: combinationMase },
          fit: selectionFit(variant, prepared, values.length, false),
          ets: etsSummary,
          reason:
            `交叉验证选定 chosen by CV: ${label} (MASE ${withEts.cvMase[withEts.choice].toFixed(2)} vs ${withEts.cvMase.median.toFixed(2)}); ` +
            `${describeVariant(variant, prepared)}; ` +
            ranked.map((m) => `${m} ${cvMase[m]!.toFixed(2)}`).join(", "),
        },
        scale,
        cvErrors: comparableErrors(withEts.cvErrors, minOrigin, scale, period),
        seasonal: prepared.seasonal,
        intermittent: false,
      };
    }
    // Under four years (no ETS step): two parts the median, one part seasonal naive, where that cross-validates
    // better on the origins with a whole year behind them (seasonal naive's errors before that are naive's).
    if (options.naiveMix !== false && (!withEts || withEts.choice === "median") && options.indices === undefined && values.length < etsHistory(period)) {
      const mixErrors = weightedErrors([
        { errors: median, weight: 1 - NAIVE_SHARE },
        { errors: naiveCv.errors.get("seasonalNaive")!, weight: NAIVE_SHARE },
      ]);
      const mixScore = meanAbsoluteError(mixErrors, period);
      if (mixScore < combinationScore) {
        const naive = forecastMethods(first, ["seasonalNaive"], horizon).get("seasonalNaive")!;
        const weights: Partial<Record<MethodName, number>> = Object.fromEntries(COMBINATION_MEMBERS.map((m) => [m, (1 - NAIVE_SHARE) / COMBINATION_MEMBERS.length]));
        weights.seasonalNaive = NAIVE_SHARE;
        return {
          mean: forecasts.get("combination")!.map((v, h) => (1 - NAIVE_SHARE) * v + NAIVE_SHARE * naive[h]!),
          selection: {
            kind: "median",
            method: "combination",
            weights,
            cvMase: { ...cvMase, combination: combinationMase },
            fit: selectionFit(variant, prepared, values.length, false),
            naiveMix: { share: NAIVE_SHARE, cvMase: mixScore },
            reason:
              `六法中位数与上年同月加权平均（季节朴素占 ${(NAIVE_SHARE * 100).toFixed(1)}%），交叉验证 MASE 更低 / the median of six weighted with seasonal naive (${(NAIVE_SHARE * 100).toFixed(1)}%), lower CV MASE ` +
              `(${mixScore.toFixed(2)} vs ${combinationScore.toFixed(2)}, ${METHOD_LABELS.seasonalNaive} ${naiveScore.toFixed(2)}); ${describeVariant(variant, prepared)}`,
          },
          scale,
          // Intervals from origins with two whole years behind them (the seasonal naive part needs one).
          cvErrors: comparableErrors(mixErrors, minOrigin, scale, period),
          seasonal: prepared.seasonal,
          intermittent: false,
        };
      }
    }
    return {
      mean: forecasts.get("combination")!,
      selection: {
        kind: "median",
        method: "combination",
        weights: medianWeights,
        cvMase: { ...cvMase, combination: combinationMase },
        fit: selectionFit(variant, prepared, values.length, options.indices !== undefined),
        ...(etsSummary ? { ets: etsSummary } : {}),
        reason:
          `六法中位数组合（回测显示优于按交叉验证择一）/ median of six methods (backtests favour it over picking one by CV); ` +
          `${describeVariant(variant, prepared)}; ` +
          `交叉验证 MASE cross-validated: combination ${combinationMase.toFixed(2)}, ` +
          ranked.map((m) => `${m} ${cvMase[m]!.toFixed(2)}`).join(", "),
      },
      scale,
      cvErrors: comparableErrors(median, minOrigin, scale, period),
      seasonal: prepared.seasonal,
      intermittent: false,
    };
  }
  let minOrigin = 0;
  if (prepared.intermittent) {
    const scores = scoreIntermittent(cv, candidates, period);
    minOrigin = scores.minOrigin;
    Object.assign(cvMase, scores.cvMase);
  }
  if (prepared.intermittent || rule === "best") {
    const score = (m: MethodName) => (prepared.intermittent ? cvMase[m]! : cv.mase.get(m)!);
    const ranked = candidates.filter((m) => Number.isFinite(score(m))).sort((a, b) => score(a) - score(b));
    method = ranked[0] ?? candidates[0]!;
    weights = { [method]: 1 };
    reason = prepared.intermittent
      ? `间歇序列（ADI ≥ 1.32），交叉验证 MASE 最低 / intermittent series, lowest CV MASE: ${METHOD_LABELS[method]} (${shownMase(cvMase[method])})`
      : `交叉验证 MASE 最低 / lowest CV MASE: ${METHOD_LABELS[method]} (${shownMase(cvMase[method])})`;
  } else {
    method = "combination";
    const members = WEIGHTED_MEMBERS;
    const raw = members.map((m) => (rule === "weighted" && usable(m) && cv.mase.get(m)! > 0 ? 1 / cv.mase.get(m)! : 1));
    const total = raw.reduce((a, b) => a + b, 0);
    weights = Object.fromEntries(members.map((m, i) => [m, raw[i]! / total]));
    reason = `组合预测（按交叉验证 MASE 倒数加权）/ combination weighted by inverse CV MASE: ${formatWeights(weights, cvMase)}`;
  }
  const used = Object.keys(weights) as MethodName[];
  const forecasts = forecastMethods(prepared, used, horizon, { ...cv.chain });
  const mean = new Array<number>(horizon).fill(0);
  for (const m of used) {
    const forecast = forecasts.get(m)!;
    for (let h = 0; h < horizon; h++) mean[h]! += weights[m]! * forecast[h]!;
  }
  return {
    mean,
    selection: { kind: prepared.intermittent ? "intermittent" : rule === "best" ? "best" : "weighted", method, weights, cvMase, reason, ...(prepared.intermittent ? { calendar } : {}) },
    scale,
    cvErrors: cv.origins.length > 0 ? comparableErrors(combineErrors(cv, weights), minOrigin, scale, period) : [],
    seasonal: prepared.seasonal,
    intermittent: prepared.intermittent,
  };
}
