import { meanAbsoluteError, type CrossValidation } from "./cross-validation.ts";
import type { MethodName } from "./methods.ts";

/* How an intermittent series' forecast is chosen (decisions 025, 026); selection.ts calls it. */

/**
 * Candidates for intermittent series (ADI ≥ 1.32): Croston-SBA, TSB, the seasonal mean (the same month's mean over
 * the last two or three whole years) and seasonal naive. Issue 18: programme payments made quarterly, half-yearly
 * or yearly, or monthly with a settlement in a fixed month, are intermittent by ADI and follow the calendar, which
 * Croston's and TSB's flat rate cannot; where a payment's month now and then moves, the mean of the years hedges
 * between the months. Seasonal naive competes only where the amounts recur with the calendar
 * (amountsFollowCalendar: over months paid at random CV picked it by chance in a third of series, 3–7% worse); the
 * seasonal mean always does (over months paid at random it is near the flat rate: chance picks cost 0–2.4%,
 * decision 026). They are compared on the same CV origins (scoreIntermittent).
 */
export const INTERMITTENT_CANDIDATES: readonly MethodName[] = ["croston", "tsb", "seasonalMean", "seasonalNaive"];

/** The intermittent candidates that repeat the calendar. */
export const CALENDAR_METHODS: readonly MethodName[] = ["seasonalMean", "seasonalNaive"];

/** The intermittent candidates for a series: seasonal naive only where its amounts follow the calendar. */
export function intermittentCandidates(calendar: boolean): readonly MethodName[] {
  return calendar ? INTERMITTENT_CANDIDATES : INTERMITTENT_CANDIDATES.filter((m) => m !== "seasonalNaive");
}

/**
 * The intermittent candidates' CV MASE, all on the same origins: those with two whole years behind them where there
 * are any (the seasonal mean is then the mean of two or three years), else those with one (seasonal naive is then
 * itself; the seasonal mean, which would be seasonal naive under another name, is not scored: NaN), else all
 * (neither calendar method is scored). scoreIntermittent(cv, ["croston", "tsb", "seasonalMean"], 12).minOrigin → 24
 * when an origin has two years behind it.
 */
export function scoreIntermittent(
  cv: CrossValidation,
  candidates: readonly MethodName[],
  period: number,
): { cvMase: Partial<Record<MethodName, number>>; minOrigin: number } {
  const yearBehind = cv.origins.some((origin) => origin >= period);
  const twoYearsBehind = cv.origins.some((origin) => origin >= 2 * period);
  const minOrigin = twoYearsBehind ? 2 * period : yearBehind ? period : 0;
  const cvMase: Partial<Record<MethodName, number>> = {};
  for (const m of candidates) {
    const scored = !CALENDAR_METHODS.includes(m) || (m === "seasonalMean" ? twoYearsBehind : yearBehind);
    cvMase[m] = scored ? meanAbsoluteError(cv.errors.get(m)!, minOrigin) : Number.NaN;
  }
  return { cvMase, minOrigin };
}
