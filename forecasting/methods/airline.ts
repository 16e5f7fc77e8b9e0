import { nelderMead } from "../stats.ts";

/**
 * The airline model, ARIMA(0,1,1)(0,1,1)ₘ (Box & Jenkins 1976): the classic seasonal ARIMA for monthly data,
 * on logarithms where every value is positive (as the airline passengers were), else on the values.
 * (1 − B)(1 − Bᵐ) y_t = (1 + θB)(1 + ΘBᵐ) e_t, fitted by conditional sum of squares (residuals before the
 * first differenced value taken as 0; θ, Θ within (−0.99, 0.99) so that the model is invertible), forecast
 * with the future shocks at 0 and, on logarithms, the exponent of the log forecast (a median, not a mean).
 * For series without seasonality, its non-seasonal part alone: ARIMA(0,1,1) with drift,
 * (1 − B) y_t = μ + (1 + θB) e_t, θ and μ estimated together by conditional sum of squares (as R's
 * Arima(y, c(0,1,1), include.drift = TRUE, method = "CSS") does).
 */
export interface AirlineModel {
  /** "airline" ARIMA(0,1,1)(0,1,1)ₘ, or "drift" ARIMA(0,1,1) with drift. */
  form: "airline" | "drift";
  theta: number;
  /** Θ (0 for the "drift" form). */
  seasonalTheta: number;
  /** μ per month, on the fitted scale (0 for the airline form). */
  drift: number;
  /** Whether the model was fitted on logarithms. */
  logs: boolean;
  /** Conditional sum of squared residuals. */
  sse: number;
  forecast: number[];
}

const BOUND = 0.99;

/**
 * When the fit stops: sums of squares within 1e-6 of each other and θs within 1% of their range (1e-9 and 0.1%
 * until decision 027, which moved no backtest's mean MASE by more than 0.001).
 */
const AIRLINE_PRECISION = { tolerance: 1e-6, spread: 1e-2 } as const;

/** Residuals e_t of the differenced series w under (θ, Θ): e_t = w_t − θ e_{t−1} − Θ e_{t−m} − θΘ e_{t−m−1}. */
function residuals(w: Float64Array, theta: number, seasonal: number, period: number, out: Float64Array): number {
  let sse = 0;
  for (let t = 0; t < w.length; t++) {
    const e1 = t >= 1 ? out[t - 1]! : 0;
    const em = t >= period ? out[t - period]! : 0;
    const em1 = t >= period + 1 ? out[t - period - 1]! : 0;
    const e = w[t]! - theta * e1 - seasonal * em - theta * seasonal * em1;
    out[t] = e;
    sse += e * e;
  }
  return sse;
}

/** At least three years of values (the airline form: 13 used up by differencing by a month and a year, 23 differenced values left; the drift form asks the same, so that both are offered on the same histories). */
export const airlineMinimum = (period: number) => 3 * period;

/**
 * Fits the airline model and forecasts `horizon` months; undefined when the series is too short
 * (airlineMinimum). fitAirline(monthlyPassengers, 12)?.forecast → 12 months; `start` warm-starts (θ, Θ), or
 * (θ, μ) for the drift form;
 * `seasonal: false` fits ARIMA(0,1,1) with drift instead: fitAirline(y, 12, { seasonal: false })?.form → "drift".
 */
export function fitAirline(
  values: readonly number[],
  horizon: number,
  options: { period?: number; start?: readonly [number, number]; maxEvaluations?: number; seasonal?: boolean } = {},
): AirlineModel | undefined {
  const seasonalPart = options.seasonal ?? true;
  const period = options.period ?? 12;
  const lag = seasonalPart ? period : 0;
  const n = values.length;
  if (n < airlineMinimum(period)) return undefined;
  const logs = values.every((v) => v > 0);
  const y = values.map((v) => (logs ? Math.log(v) : v));
  // w_t = y_t − y_{t−1} − y_{t−m} + y_{t−m−1}, t = m + 1 … n − 1 (without the seasonal part: y_t − y_{t−1} − μ).
  const w = new Float64Array(n - lag - 1);
  for (let t = lag + 1; t < n; t++) w[t - lag - 1] = y[t]! - y[t - 1]! - (lag ? y[t - lag]! - y[t - lag - 1]! : 0);
  const e = new Float64Array(w.length);
  let best: { x: number[] };
  if (seasonalPart) {
    best = nelderMead(
      ([theta, seasonal]) => residuals(w, theta!, seasonal!, period, e),
      options.start ? [...options.start] : [-0.4, -0.6],
      [
        [-BOUND, BOUND],
        [-BOUND, BOUND],
      ],
      { maxEvaluations: options.maxEvaluations ?? 120, ...AIRLINE_PRECISION, step: 0.1 },
    );
  } else {
    // θ and the drift μ together by conditional sum of squares, μ within the range of the monthly changes.
    let low = Number.POSITIVE_INFINITY, high = Number.NEGATIVE_INFINITY, mean = 0;
    for (let t = 0; t < w.length; t++) {
      low = Math.min(low, w[t]!);
      high = Math.max(high, w[t]!);
      mean += w[t]! / w.length;
    }
    const centred = new Float64Array(w.length);
    const sse = ([theta, mu]: number[]) => {
      for (let t = 0; t < w.length; t++) centred[t] = w[t]! - mu!;
      return residuals(centred, theta!, 0, period, e);
    };
    best = nelderMead(sse, options.start ? [...options.start] : [-0.4, mean], [[-BOUND, BOUND], [low, high > low ? high : low + 1e-9]], {
      maxEvaluations: options.maxEvaluations ?? 120,
      ...AIRLINE_PRECISION,
      step: 0.1,
    });
  }
  const theta = best.x[0]!;
  const seasonal = seasonalPart ? best.x[1]! : 0;
  const drift = seasonalPart ? 0 : best.x[1]!;
  const sse = residuals(seasonalPart ? w : w.map((v) => v - drift), theta, seasonal, period, e);
  // Forecast: the MA part from the last residuals, then undo the differencing.
  const extended = [...y];
  const shocks = Array.from(e);
  for (let h = 0; h < horizon; h++) {
    const k = shocks.length; // the index of this step's (zero) shock
    const e1 = k >= 1 ? shocks[k - 1]! : 0;
    const em = k >= period ? shocks[k - period]! : 0;
    const em1 = k >= period + 1 ? shocks[k - period - 1]! : 0;
    const wHat = drift + theta * e1 + seasonal * em + theta * seasonal * em1;
    shocks.push(0);
    const t = extended.length;
    extended.push(wHat + extended[t - 1]! + (lag ? extended[t - lag]! - extended[t - lag - 1]! : 0));
  }
  const forecast = extended.slice(n).map((v) => (logs ? Math.exp(v) : v));
  return { form: seasonalPart ? "airline" : "drift", theta, seasonalTheta: seasonal, drift, logs, sse, forecast };
}
