import { linearTrend } from "../stats.ts";
import { ses, type SmoothingFit } from "./ses.ts";

/**
 * The classical Theta method (Assimakopoulos & Nikolopoulos 2000, as coded for the M4 benchmarks):
 * the mean of the linear trend line (θ = 0) and SES on the θ = 2 line, i.e. SES with half the trend's slope
 * as drift. theta([1, 2, 3, 4, 5, 6], 1).forecast ≈ [6.5…7] — between the SES level and the trend line.
 */
export function theta(values: readonly number[], horizon: number): SmoothingFit {
  const n = values.length;
  if (n < 3) return ses(values, horizon);
  const { intercept, slope } = linearTrend(values);
  const thetaLine = new Array<number>(n);
  for (let t = 0; t < n; t++) thetaLine[t] = 2 * values[t]! - (intercept + slope * (t + 1));
  const smoothed = ses(thetaLine, horizon);
  const forecast = new Array<number>(horizon);
  for (let h = 0; h < horizon; h++) forecast[h] = 0.5 * smoothed.forecast[h]! + 0.5 * (intercept + slope * (n + h + 1));
  return { forecast, sse: smoothed.sse / 4, parameters: 4 };
}
