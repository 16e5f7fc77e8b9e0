import { holt } from "./holt.ts";
import { ses, type SmoothingFit } from "./ses.ts";

/** AICc of an additive-error model from its SSE: n·ln(SSE/n) + 2k + 2k(k+1)/(n−k−1), k counting σ too. */
export function aicc(sse: number, n: number, parameters: number): number {
  const k = parameters + 1;
  const penalty = n - k - 1 > 0 ? (2 * k * (k + 1)) / (n - k - 1) : Number.POSITIVE_INFINITY;
  return n * Math.log(Math.max(sse, 1e-300) / n) + 2 * k + penalty;
}

/** Which exponential-smoothing form the small ETS chose. */
export type EtsForm = "ANN" | "AAN" | "AAdN";

/**
 * A small ETS: additive-error level (ANN), trend (AAN) and damped-trend (AAdN) models, chosen by AICc;
 * seasonality is handled outside by decomposition. ets([5, 5, 5, 5, 5, 5], 2).forecast → [5, 5] (form ANN).
 */
export function ets(values: readonly number[], horizon: number): SmoothingFit & { form: EtsForm } {
  const n = values.length;
  const candidates: Array<SmoothingFit & { form: EtsForm }> = [{ ...ses(values, horizon), form: "ANN" }];
  if (n >= 8) {
    candidates.push({ ...holt(values, horizon), form: "AAN" });
    candidates.push({ ...holt(values, horizon, { damped: true }), form: "AAdN" });
  }
  let best = candidates[0]!;
  let bestScore = aicc(best.sse, n, best.parameters);
  for (const candidate of candidates.slice(1)) {
    const score = aicc(candidate.sse, n, candidate.parameters);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
