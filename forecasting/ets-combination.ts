import { maseScale } from "./accuracy.ts";
import type { OriginErrors } from "./cross-validation.ts";
import { airlineMinimum, fitAirline } from "./methods/airline.ts";
import { autoEts, fitEtsForm } from "./methods/ets-family.ts";

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
  /** The candidates compared ("median" keeps today's forecast; the product's are selection.ts's LONG_HISTORY_ETS). */
  candidates: readonly EtsChoice[];
  /** Fewest months of history for any ETS step (default three years; the product's default step starts at etsHistory). */
  minMonths?: number;
  /** Whether the series is seasonal (the airline model, with its seasonal difference, is offered only then). */
  seasonal?: boolean;
  /** Theta's forecast and CV errors at the same origins (for "etsThetaMedian" and "etsArimaTheta"). */
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

/**
 * A model refitted at each of the median's CV origins (on the data before it) and scored on the same scale;
 * undefined when a fit fails. `fit(training, steps)` returns the forecast, or undefined.
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
    const training = values.slice(0, origin);
    const raw = fit(training, scaledErrors.length);
    if (!raw || !raw.every(Number.isFinite)) return undefined;
    const forecast = clamp(raw, nonNegative);
    const scale = maseScale(training, period);
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
 * or undefined (too short, no origins, or ETS failed). ETS's form is chosen by AICc on the whole history and
 * its CV refits (like the airline model's) start from the whole history's parameters: a little optimistic
 * (on M3, 0.2% lower CV error than fresh fits), the same for every candidate that has ETS.
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
  const model = autoEts(values, horizon, { period });
  if (!model.forecast.every(Number.isFinite)) return undefined;
  // Refitted at each origin, starting from the whole history's parameters.
  const etsCv = refitErrors(values, medianErrors, period, nonNegative, (training, steps) =>
    fitEtsForm(training, model.spec, steps, { period, start: model.parameters, step: 0.1, maxEvaluations: CV_EVALUATIONS }).forecast,
  );
  if (!etsCv) return undefined;
  const ets: Member = { mean: clamp(model.forecast, nonNegative), errors: etsCv };
  const median: Member = { mean: medianMean, errors: medianErrors };
  const theta: Member | undefined = options.theta ? { mean: options.theta.mean, errors: options.theta.errors } : undefined;
  // The airline model, where the ETS/ARIMA/Theta mean is a candidate, the series is seasonal (the model
  // differences by a year) and every origin has enough history for it.
  let airline: Member | undefined;
  if (candidates.includes("etsArimaTheta") && options.seasonal === true && theta && medianErrors.every((o) => o.origin >= airlineMinimum(period))) {
    const whole = fitAirline(values, horizon, { period });
    const cv =
      whole && whole.forecast.every(Number.isFinite)
        ? refitErrors(values, medianErrors, period, nonNegative, (training, steps) =>
            fitAirline(training, steps, { period, start: [whole.theta, whole.seasonalTheta], maxEvaluations: CV_EVALUATIONS })?.forecast,
          )
        : undefined;
    if (whole && cv) airline = { mean: clamp(whole.forecast, nonNegative), errors: cv };
  }
  const members: Record<EtsChoice, Member[] | undefined> = {
    median: [median],
    etsMedian: [ets, median],
    ets: [ets],
    etsThetaMedian: theta ? [ets, theta, median] : undefined,
    etsArimaTheta: theta && airline ? [ets, airline, theta] : undefined,
  };
  const built = new Map<EtsChoice, Member>();
  const cvMase = {} as Record<EtsChoice, number>;
  for (const choice of Object.keys(members) as EtsChoice[]) {
    const list = members[choice];
    // Only the candidates asked for are scored; the others are NaN (shown as —).
    if (!list || !candidates.includes(choice)) {
      cvMase[choice] = Number.NaN;
      continue;
    }
    const member = list.length === 1 ? list[0]! : meanOf(list, medianErrors);
    built.set(choice, member);
    cvMase[choice] = meanAbsolute(member.errors);
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
  return { form: model.form, choice, cvMase, mean: [...kept.mean], cvErrors: kept.errors.map((o) => ({ ...o })) };
}
