import { maseScale } from "./accuracy.ts";
import { meanAbsoluteError, type OriginErrors } from "./cross-validation.ts";
import { airlineMinimum, fitAirline } from "./methods/airline.ts";
import { autoEts, fitEtsForm, type EtsModel } from "./methods/ets-family.ts";

/**
 * Issue 18 (docs/decisions/017-forecast-selection.md "Part 2", 020, 021, 024; the default on histories of four
 * years or more): the ETS family chosen by AICc (methods/ets-family.ts) and an ARIMA (methods/airline.ts) as
 * members of a combination chosen per series out of sample. Given the median combination's forecast and CV
 * errors (and Theta's), ETS and ARIMA are cross-validated on the same origins and scale (both fitted on the
 * whole history; ETS's form is the one AICc chose on it; parameters are refitted at each origin,
 * warm-started), and the candidate with the lowest CV MASE is kept: "median" (the median of six alone),
 * "etsMedian" (mean of ETS and the median), "etsThetaMedian" (mean of ETS, Theta and the median),
 * "etsArimaTheta" (mean of ETS, ARIMA and Theta: the reference ETS/ARIMA/Theta combination, with a fixed
 * ARIMA form — the airline ARIMA(0,1,1)(0,1,1) on seasonal series, ARIMA(0,1,1) with drift on the others),
 * "etsArimaMedian" (mean of ETS, that ARIMA and the median), "etsArima" (mean of ETS and that ARIMA: the two
 * members whose month profile moves with the data) or "ets" (ETS alone).
 */
export type EtsChoice = "median" | "etsMedian" | "ets" | "etsThetaMedian" | "etsArimaTheta" | "etsArimaMedian" | "etsArima";

/** What the ETS step found on a series. */
export interface EtsCombination {
  /** The ETS form AICc chose on the whole history, e.g. "MAdM". */
  form: string;
  /** The ARIMA member's form, when the kept candidate has it: the airline model or ARIMA(0,1,1) with drift. */
  arima?: "airline" | "drift";
  choice: EtsChoice;
  /** CV MASE of each candidate on the common origins (the median's always, as the reference; NaN where not compared). */
  cvMase: Record<EtsChoice, number>;
  mean: number[];
  /** Scaled CV errors of the chosen candidate, per origin. */
  cvErrors: OriginErrors[];
}

/** Options of the ETS step. */
export interface EtsCombinationOptions {
  horizon: number;
  period: number;
  /** The candidates compared ("median" keeps today's forecast; the product's are selection.ts's LONG_HISTORY_ETS). */
  candidates: readonly EtsChoice[];
  /** Fewest months of history for any ETS step (default three years; the product's default step starts at etsHistory). */
  minMonths?: number;
  /** Whether the series is seasonal: the ARIMA member is the airline model if so (default), else ARIMA(0,1,1) with drift. */
  seasonal?: boolean;
  /** Theta's forecast and CV errors at the same origins (for "etsThetaMedian" and "etsArimaTheta"). */
  theta?: { mean: readonly number[]; errors: readonly OriginErrors[] };
}

/** The candidates that have the ARIMA member. */
const ARIMA_CHOICES: readonly EtsChoice[] = ["etsArimaTheta", "etsArimaMedian", "etsArima"];

/**
 * Nelder–Mead evaluations of the refit at each CV origin (warm-started from the whole history's fit, a few
 * months longer). 40 until decision 027: 15 moved no set's mean MASE by more than 0.001 and saved a fifth of the step.
 */
export const CV_EVALUATIONS = 15;

/**
 * How the step's ETS form is chosen by AICc: every admissible form screened with 6 evaluations per smoothing
 * parameter, the 3 best refitted in full (methods/ets-family.ts autoEts `screen`) until their likelihoods agree
 * within 1e-4 and their parameters within 1% of each range; the CV refits stop there too. Against fitting every
 * form in full, on the 1,835 M3 and generated histories of four years or more: the same form (or one with a
 * lower AICc) on 1,805, in about 45% of the time of 15 evaluations and fits to 1e-6 (1,829; decisions 023 and
 * 027). Keeping only the best 2 saved little more and chose a form with a 31% different forecast on one of 40
 * test series.
 */
export const ETS_SCREEN = { evaluations: 6, keep: 3, tolerance: 1e-4, spread: 1e-2 } as const;

const clamp = (forecast: number[], nonNegative: boolean) => (nonNegative ? forecast.map((v) => (v >= 0 ? v : 0)) : forecast);

/**
 * A model refitted at each of the median's CV origins (on the data before it) and scored on the same scale
 * (that of all the data before the origin, as the median's); undefined when a fit fails.
 * `fit(training, steps)` returns the forecast, or undefined.
 */
function refitErrors(
  values: readonly number[],
  medianErrors: readonly OriginErrors[],
  period: number,
  nonNegative: boolean,
  fit: (training: readonly number[], steps: number) => number[] | undefined,
): OriginErrors[] | undefined {
  const result: OriginErrors[] = [];
  for (const { origin, scaledErrors } of medianErrors) {
    const before = values.slice(0, origin);
    const raw = fit(before, scaledErrors.length);
    if (!raw || !raw.every(Number.isFinite)) return undefined;
    const forecast = clamp(raw, nonNegative);
    const scale = maseScale(before, period);
    result.push({ origin, scale, scaledErrors: forecast.map((f, h) => (values[origin + h]! - f) / scale) });
  }
  return result;
}

/** A member of the candidates: its forecast and its CV errors at the median's origins. */
interface Member {
  mean: readonly number[];
  errors: readonly OriginErrors[];
}

/** The equal-weight mean of members, forecast and CV errors alike. */
function meanOf(members: readonly Member[], medianErrors: readonly OriginErrors[]): Member {
  const count = members.length;
  return {
    mean: members[0]!.mean.map((_, h) => members.reduce((sum, m) => sum + m.mean[h]!, 0) / count),
    errors: medianErrors.map((o, k) => ({
      origin: o.origin,
      scale: o.scale,
      scaledErrors: o.scaledErrors.map((_, h) => members.reduce((sum, m) => sum + m.errors[k]!.scaledErrors[h]!, 0) / count),
    })),
  };
}

/**
 * Whether ETS joins the median combination on this series, by CV: etsCombination(y, medianMean, medianCv,
 * { horizon: 12, period: 12, candidates: ["median", "etsMedian"] }) → { choice: "etsMedian", form: "MAdM", … }
 * or undefined (too short, no origins, or ETS failed). ETS's form is chosen by AICc on the data it is fitted on
 * and its CV refits (like the ARIMA member's) start from that fit's parameters: a little optimistic (on M3,
 * 0.2% lower CV error than fresh fits), the same for every candidate that has ETS.
 */
export function etsCombination(
  values: readonly number[],
  medianMean: readonly number[],
  medianErrors: readonly OriginErrors[],
  options: EtsCombinationOptions,
): EtsCombination | undefined {
  const { horizon, period, candidates } = options;
  if (values.length < (options.minMonths ?? 3 * period) || medianErrors.length === 0) return undefined;
  const nonNegative = values.every((v) => v >= 0);
  // ETS on the whole history (decision 024: a recent window chosen for it by CV lost more on drifting month
  // profiles and long stable series than it gained on old regimes), refitted at each origin from the fit's parameters.
  const model = autoEts(values, horizon, { period, screen: ETS_SCREEN });
  if (!model.forecast.every(Number.isFinite)) return undefined;
  const etsErrors = refitErrors(values, medianErrors, period, nonNegative, (training, steps) =>
    fitEtsForm(training, model.spec, steps, { period, start: model.parameters, step: 0.1, maxEvaluations: CV_EVALUATIONS, tolerance: ETS_SCREEN.tolerance, spread: ETS_SCREEN.spread }).forecast,
  );
  if (!etsErrors) return undefined;
  const ets: Member = { mean: clamp(model.forecast, nonNegative), errors: etsErrors };
  const median: Member = { mean: medianMean, errors: medianErrors };
  const theta: Member | undefined = options.theta ? { mean: options.theta.mean, errors: options.theta.errors } : undefined;
  // The ARIMA member (whole history), where a candidate has it and every origin has its three years: the
  // airline model on seasonal series, ARIMA(0,1,1) with drift on the others (decision 021: the airline on
  // every series cost M3's demographic series their lead over Naive2).
  const arimaForm = options.seasonal === false ? "drift" : "airline";
  let arima: Member | undefined;
  if (candidates.some((c) => ARIMA_CHOICES.includes(c)) && medianErrors.every((o) => o.origin >= airlineMinimum(period))) {
    const seasonal = arimaForm === "airline";
    const whole = fitAirline(values, horizon, { period, seasonal });
    const errors =
      whole && whole.forecast.every(Number.isFinite)
        ? refitErrors(values, medianErrors, period, nonNegative, (training, steps) =>
            fitAirline(training, steps, { period, seasonal, start: [whole.theta, seasonal ? whole.seasonalTheta : whole.drift], maxEvaluations: CV_EVALUATIONS })?.forecast,
          )
        : undefined;
    if (whole && errors) arima = { mean: clamp(whole.forecast, nonNegative), errors };
  }
  const members: Record<EtsChoice, Member[] | undefined> = {
    median: [median],
    etsMedian: [ets, median],
    ets: [ets],
    etsThetaMedian: theta ? [ets, theta, median] : undefined,
    etsArimaTheta: theta && arima ? [ets, arima, theta] : undefined,
    etsArimaMedian: arima ? [ets, arima, median] : undefined,
    etsArima: arima ? [ets, arima] : undefined,
  };
  const built = new Map<EtsChoice, Member>();
  const cvMase = {} as Record<EtsChoice, number>;
  for (const choice of Object.keys(members) as EtsChoice[]) {
    const list = members[choice];
    // Only the candidates asked for are scored, and the median as the reference; the others are NaN (shown as —).
    if (!list || (choice !== "median" && !candidates.includes(choice))) {
      cvMase[choice] = Number.NaN;
      continue;
    }
    const member = list.length === 1 ? list[0]! : meanOf(list, medianErrors);
    built.set(choice, member);
    cvMase[choice] = meanAbsoluteError(member.errors);
  }
  // The lowest CV MASE among the candidates that could be scored; the median alone when none could.
  let choice: EtsChoice = "median";
  let best = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const score = cvMase[candidate];
    if (Number.isFinite(score) && score < best) {
      best = score;
      choice = candidate;
    }
  }
  const kept = built.get(choice) ?? median;
  return {
    form: model.form,
    ...(ARIMA_CHOICES.includes(choice) ? { arima: arimaForm } : {}),
    choice,
    cvMase,
    mean: [...kept.mean],
    cvErrors: kept.errors.map((o) => ({ ...o })),
  };
}
