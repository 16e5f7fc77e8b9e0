import { maseScale } from "./accuracy.ts";
import type { OriginErrors } from "./cross-validation.ts";
import { airlineMinimum, fitAirline, type AirlineModel } from "./methods/airline.ts";
import { autoEts, fitEtsForm, type EtsModel } from "./methods/ets-family.ts";

/**
 * Issue 18 (docs/decisions/017-forecast-selection.md "Part 2", 020; the default on histories of four years or more): the ETS
 * family chosen by AICc (methods/ets-family.ts) as a member of a combination chosen per series out of
 * sample. Given the median combination's forecast and CV errors (and Theta's), ETS is cross-validated on the
 * same origins and scale (its form is the one AICc chose on the whole history; its parameters are refitted
 * at each origin, warm-started), and the candidate with the lowest CV MASE is kept: "median" (the median of
 * six alone), "etsMedian" (mean of ETS and the median), "etsThetaMedian" (mean of ETS, Theta and the
 * median), "etsArimaTheta" (mean of ETS, the airline ARIMA(0,1,1)(0,1,1) and Theta: the reference
 * ETS/ARIMA/Theta combination, with a fixed ARIMA form) or "ets" (ETS alone).
 */
export type EtsChoice = "median" | "etsMedian" | "ets" | "etsThetaMedian" | "etsArimaTheta";

/** What the ETS step found on a series. */
export interface EtsCombination {
  /** The ETS form AICc chose, e.g. "MAdM". */
  form: string;
  choice: EtsChoice;
  /** CV MASE of each candidate on the common origins. */
  cvMase: Record<EtsChoice, number>;
  mean: number[];
  /** Scaled CV errors of the chosen candidate, per origin. */
  cvErrors: OriginErrors[];
}

/** Options of the ETS step. */
export interface EtsCombinationOptions {
  horizon: number;
  period: number;
  /** Candidates allowed (default: median and the mean of ETS and median). */
  candidates?: readonly EtsChoice[];
  /** Fewest months of history for the step (default 3 years). */
  minMonths?: number;
  /** Whether the series is seasonal (the airline model, with its seasonal difference, is offered only then). */
  seasonal?: boolean;
  /** Theta's forecast and CV errors at the same origins (for "etsThetaMedian"). */
  theta?: { mean: readonly number[]; errors: readonly OriginErrors[] };
}

/** Nelder–Mead evaluations of the refit at each CV origin (warm-started). */
export const CV_EVALUATIONS = 40;

const clamp = (forecast: number[], nonNegative: boolean) => (nonNegative ? forecast.map((v) => (v >= 0 ? v : 0)) : forecast);

function meanAbsolute(errors: readonly OriginErrors[]): number {
  let total = 0;
  let count = 0;
  for (const origin of errors) {
    for (const error of origin.scaledErrors) {
      total += Math.abs(error);
      count++;
    }
  }
  return count > 0 ? total / count : Number.NaN;
}

/** The airline model cross-validated at the median's origins, on the same scale (refitted, warm-started). */
function airlineErrors(values: readonly number[], model: AirlineModel, medianErrors: readonly OriginErrors[], period: number, nonNegative: boolean): OriginErrors[] | undefined {
  const result: OriginErrors[] = [];
  for (const { origin, scaledErrors } of medianErrors) {
    const training = values.slice(0, origin);
    const fit = fitAirline(training, scaledErrors.length, { period, start: [model.theta, model.seasonalTheta], maxEvaluations: CV_EVALUATIONS });
    if (!fit || !fit.forecast.every(Number.isFinite)) return undefined;
    const forecast = clamp(fit.forecast, nonNegative);
    const scale = maseScale(training, period);
    result.push({ origin, scale, scaledErrors: forecast.map((f, h) => (values[origin + h]! - f) / scale) });
  }
  return result;
}

/** ETS (the form chosen on the whole history) cross-validated at the median's origins, on the same scale. */
function etsErrors(values: readonly number[], model: EtsModel, medianErrors: readonly OriginErrors[], period: number, nonNegative: boolean): OriginErrors[] | undefined {
  const result: OriginErrors[] = [];
  for (const { origin, scaledErrors } of medianErrors) {
    const training = values.slice(0, origin);
    const steps = scaledErrors.length;
    // Refitted at the origin, starting from the whole history's parameters.
    const fit = fitEtsForm(training, model.spec, steps, { period, start: model.parameters, step: 0.1, maxEvaluations: CV_EVALUATIONS });
    if (!fit.forecast.every(Number.isFinite)) return undefined;
    const forecast = clamp(fit.forecast, nonNegative);
    const scale = maseScale(training, period);
    result.push({ origin, scale, scaledErrors: forecast.map((f, h) => (values[origin + h]! - f) / scale) });
  }
  return result;
}

/**
 * Whether ETS joins the median combination on this series, by CV: etsCombination(y, medianMean, medianCv, { horizon: 12, period: 12 })
 * → { choice: "etsMedian", form: "MAdM", … } or undefined (too short, no origins, or ETS failed).
 */
export function etsCombination(
  values: readonly number[],
  medianMean: readonly number[],
  medianErrors: readonly OriginErrors[],
  options: EtsCombinationOptions,
): EtsCombination | undefined {
  const { horizon, period } = options;
  const candidates = options.candidates ?? ["median", "etsMedian"];
  if (values.length < (options.minMonths ?? 3 * period) || medianErrors.length === 0) return undefined;
  const nonNegative = values.every((v) => v >= 0);
  const model = autoEts(values, horizon, { period });
  if (!model.forecast.every(Number.isFinite)) return undefined;
  const ets = etsErrors(values, model, medianErrors, period, nonNegative);
  if (!ets) return undefined;
  const etsForecast = clamp(model.forecast, nonNegative);
  const averaged: OriginErrors[] = medianErrors.map((o, k) => ({
    origin: o.origin,
    scale: o.scale,
    scaledErrors: o.scaledErrors.map((e, h) => (e + ets[k]!.scaledErrors[h]!) / 2),
  }));
  const theta = options.theta;
  const three: OriginErrors[] = theta
    ? medianErrors.map((o, k) => ({
        origin: o.origin,
        scale: o.scale,
        scaledErrors: o.scaledErrors.map((e, h) => (e + ets[k]!.scaledErrors[h]! + theta.errors[k]!.scaledErrors[h]!) / 3),
      }))
    : [];
  // The airline model, where the ETS/ARIMA/Theta mean is a candidate, the series is seasonal (the model
  // differences by a year) and every origin has enough history for it.
  const wantsArima =
    candidates.includes("etsArimaTheta") && options.seasonal === true && theta !== undefined && medianErrors.every((o) => o.origin >= airlineMinimum(period));
  const airline = wantsArima ? fitAirline(values, horizon, { period }) : undefined;
  const airlineCv = airline && airline.forecast.every(Number.isFinite) ? airlineErrors(values, airline, medianErrors, period, nonNegative) : undefined;
  const reference: OriginErrors[] =
    airlineCv && theta
      ? medianErrors.map((o, k) => ({
          origin: o.origin,
          scale: o.scale,
          scaledErrors: o.scaledErrors.map((_, h) => (ets[k]!.scaledErrors[h]! + airlineCv[k]!.scaledErrors[h]! + theta.errors[k]!.scaledErrors[h]!) / 3),
        }))
      : [];
  const errors: Record<EtsChoice, OriginErrors[]> = { median: [...medianErrors], etsMedian: averaged, ets, etsThetaMedian: three, etsArimaTheta: reference };
  const cvMase = {
    median: meanAbsolute(medianErrors),
    etsMedian: meanAbsolute(averaged),
    ets: meanAbsolute(ets),
    etsThetaMedian: theta ? meanAbsolute(three) : Number.NaN,
    etsArimaTheta: airlineCv ? meanAbsolute(reference) : Number.NaN,
  };
  let choice: EtsChoice = "median";
  for (const candidate of candidates) if (candidate !== "median" && cvMase[candidate] < cvMase[choice]) choice = candidate;
  const mean =
    choice === "median"
      ? [...medianMean]
      : choice === "ets"
        ? etsForecast
        : choice === "etsThetaMedian"
          ? medianMean.map((m, h) => (m + etsForecast[h]! + theta!.mean[h]!) / 3)
          : choice === "etsArimaTheta"
            ? clamp(airline!.forecast, nonNegative).map((a, h) => (etsForecast[h]! + a + theta!.mean[h]!) / 3)
            : medianMean.map((m, h) => (m + etsForecast[h]!) / 2);
  return { form: model.form, choice, cvMase, mean, cvErrors: errors[choice] };
}
