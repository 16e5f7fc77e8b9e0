import { normalCdf, normalPdf, normalQuantile } from "./normal-distribution.ts";

/**
 * A benefit policy in force: the share of the eligible (self-paid) cost that is paid, and the cap per
 * person-time in 元 (null: no cap). 沪医保规〔2022〕12号 outpatient for 低保: { rate: 0.6, cap: 2800 }.
 */
export interface BenefitPolicy {
  rate: number;
  cap: number | null;
}

/** Eligible cost per person-time modelled as lognormal: ln(cost) ~ N(mu, sigma²). */
export interface CostModel {
  mu: number;
  sigma: number;
}

/** Default spread of eligible medical costs (log-sd) when the data cannot tell it. */
export const DEFAULT_SIGMA = 1;

/** E[min(X, cap)] for X lognormal(m, s): the mean capped payment. */
function cappedMean(m: number, s: number, cap: number | null): number {
  const full = Math.exp(m + (s * s) / 2);
  if (cap === null) return full;
  const logCap = Math.log(cap);
  return full * normalCdf((logCap - m - s * s) / s) + cap * (1 - normalCdf((logCap - m) / s));
}

/**
 * Expected payment per person-time under a policy: E[min(rate × cost, cap)].
 * expectedPayment({ mu: Math.log(2000), sigma: 1 }, { rate: 0.6, cap: 2800 }) → ≈ 1,425 元
 */
export function expectedPayment(model: CostModel, policy: BenefitPolicy): number {
  return cappedMean(model.mu + Math.log(policy.rate), model.sigma, policy.cap);
}

/**
 * The cost model that reproduces an observed mean payment per person-time under a policy, for a given
 * spread: fitCostModel(1424.73, { rate: 0.6, cap: 2800 }).mu ≈ ln 2000.
 */
export function fitCostModel(unitCost: number, policy: BenefitPolicy, sigma = DEFAULT_SIGMA): CostModel {
  if (!(unitCost > 0)) return { mu: Number.NEGATIVE_INFINITY, sigma };
  // The mean payment rises with mu; at the cap it cannot be reached, so stay just below it.
  const target = policy.cap === null ? unitCost : Math.min(unitCost, policy.cap * 0.999);
  let low = Math.log(target / policy.rate) - sigma * sigma / 2 - 1;
  let high = low + 2 + 10 * sigma;
  while (expectedPayment({ mu: high, sigma }, policy) < target) high += 5;
  for (let i = 0; i < 80; i++) {
    const mid = (low + high) / 2;
    if (expectedPayment({ mu: mid, sigma }, policy) < target) low = mid;
    else high = mid;
  }
  return { mu: (low + high) / 2, sigma };
}

/**
 * Restates a mean payment per person-time observed under one policy to another policy (aggregate data):
 * fits the cost model to the observation, then takes its expectation under the new rate and cap.
 * restateUnitCost(1200, { rate: 0.6, cap: 2500 }, { rate: 0.6, cap: 2800 }) → ≈ 1,248 (4% more).
 */
export function restateUnitCost(unitCost: number, from: BenefitPolicy, to: BenefitPolicy, sigma = DEFAULT_SIGMA): number {
  if (!(unitCost > 0)) return 0;
  if (from.rate === to.rate && from.cap === to.cap) return unitCost;
  return expectedPayment(fitCostModel(unitCost, from, sigma), to);
}

/**
 * Fits the cost model to individual payments made under a policy: payments below the cap give the cost
 * distribution's body, the share at the cap its tail (a censored-lognormal moment fit).
 * fitPayments([300, 800, 1500, 2400, 2500, 2500], { rate: 0.6, cap: 2500 }).sigma → ≈ 0.98
 */
export function fitPayments(payments: readonly number[], policy: BenefitPolicy, fallbackSigma = DEFAULT_SIGMA): CostModel {
  const isCapped = (p: number) => policy.cap !== null && p >= policy.cap - 0.005;
  const logs = payments.filter((p) => p > 0 && !isCapped(p)).map((p) => Math.log(p / policy.rate));
  const capped = payments.filter(isCapped).length;
  const positive = logs.length + capped;
  if (positive === 0) return { mu: Number.NEGATIVE_INFINITY, sigma: fallbackSigma };
  const meanLog = logs.reduce((s, v) => s + v, 0) / Math.max(logs.length, 1);
  if (capped === 0 || policy.cap === null) {
    const variance = logs.reduce((s, v) => s + (v - meanLog) ** 2, 0) / Math.max(logs.length - 1, 1);
    return { mu: meanLog, sigma: logs.length > 1 && variance > 0 ? Math.sqrt(variance) : fallbackSigma };
  }
  const logCapCost = Math.log(policy.cap / policy.rate);
  if (logs.length === 0) return { mu: logCapCost + fallbackSigma, sigma: fallbackSigma };
  // z = standardised log cap; the uncapped log mean is mu − sigma·φ(z)/Φ(z), and log cap = mu + sigma·z.
  const z = normalQuantile(Math.min(1 - 1e-6, Math.max(1e-6, 1 - capped / positive)));
  const sigma = (logCapCost - meanLog) / (z + normalPdf(z) / normalCdf(z));
  if (!(sigma > 0)) return { mu: meanLog, sigma: fallbackSigma };
  return { mu: logCapCost - sigma * z, sigma };
}

/**
 * Restates individual payments to another policy: a payment below the old cap reveals its cost, so it is
 * rescaled by the rate and capped anew; a payment at the old cap only tells the cost was at least there,
 * so it takes the model's expectation above that point. With the rate unchanged, raising the cap
 * 2,500 → 2,800 changes only the payments at the old cap.
 * restatePayments([300, 800, 1500, 2400, 2500, 2500], { rate: 0.6, cap: 2500 }, { rate: 0.6, cap: 2800 }) → [300, 800, 1500, 2400, ≈ 2,781, ≈ 2,781]
 */
export function restatePayments(payments: readonly number[], from: BenefitPolicy, to: BenefitPolicy, model?: CostModel): number[] {
  const fitted = model ?? fitPayments(payments, from);
  const scale = to.rate / from.rate;
  return payments.map((payment) => {
    const isCapped = from.cap !== null && payment >= from.cap - 0.005;
    if (!isCapped) return to.cap === null ? payment * scale : Math.min(payment * scale, to.cap);
    // X = new payment before the cap, lognormal; known X ≥ threshold.
    const m = fitted.mu + Math.log(to.rate);
    const s = fitted.sigma;
    const threshold = from.cap! * scale;
    if (to.cap !== null && to.cap <= threshold) return to.cap;
    const tailProbability = 1 - normalCdf((Math.log(threshold) - m) / s);
    if (!(tailProbability > 1e-12)) return to.cap ?? threshold;
    const full = Math.exp(m + (s * s) / 2);
    const upperPart = to.cap === null ? 1 : normalCdf((Math.log(to.cap) - m - s * s) / s);
    const body = full * (upperPart - normalCdf((Math.log(threshold) - m - s * s) / s));
    const atCap = to.cap === null ? 0 : to.cap * (1 - normalCdf((Math.log(to.cap) - m) / s));
    return (body + atCap) / tailProbability;
  });
}

/** E[min(X, cap)²] for X lognormal(m, s). */
function cappedSecondMoment(m: number, s: number, cap: number | null): number {
  const full = Math.exp(2 * m + 2 * s * s);
  if (cap === null) return full;
  const logCap = Math.log(cap);
  return full * normalCdf((logCap - m - 2 * s * s) / s) + cap * cap * (1 - normalCdf((logCap - m) / s));
}

/** Coefficient of variation² of single payments seen in monthly means: von Neumann's successive differences. */
function observedSpread(personTimes: readonly number[], amounts: readonly number[]): { mean: number; cv2: number; pairs: number } | undefined {
  let volume = 0;
  let total = 0;
  let months = 0;
  let squares = 0;
  let weights = 0;
  let pairs = 0;
  let previous: { volume: number; mean: number } | undefined;
  for (let t = 0; t < personTimes.length; t++) {
    if (!(personTimes[t]! > 0)) continue;
    volume += personTimes[t]!;
    total += amounts[t]!;
    months++;
    const current = { volume: personTimes[t]!, mean: amounts[t]! / personTimes[t]! };
    if (previous) {
      squares += (current.mean - previous.mean) ** 2;
      weights += 1 / current.volume + 1 / previous.volume;
      pairs++;
    }
    previous = current;
  }
  if (months < 6 || !(total > 0) || !(weights > 0)) return undefined;
  const mean = total / volume;
  return { mean, cv2: squares / weights / (mean * mean), pairs };
}

/** The spread σ whose capped lognormal (fitted to the mean payment) has the coefficient of variation² cv2. */
function sigmaForCv2(mean: number, policy: BenefitPolicy, observed: number): number {
  const modelCv2 = (sigma: number) => {
    const model = fitCostModel(mean, policy, sigma);
    const m = model.mu + Math.log(policy.rate);
    const first = cappedMean(m, sigma, policy.cap);
    return cappedSecondMoment(m, sigma, policy.cap) / (first * first) - 1;
  };
  let low = 0.1;
  let high = 3;
  if (modelCv2(high) < observed) return high;
  if (modelCv2(low) > observed) return low;
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if (modelCv2(mid) < observed) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * Estimates the cost spread σ from monthly aggregates of one policy period: a month of V payments has a
 * mean payment whose variance is Var(payment) ÷ V. Successive months are compared (von Neumann's mean
 * square successive difference), so a slow trend of costs (medical inflation) or of volume does not pass
 * for spread: Σ (m_t − m_t+1)² ÷ Σ (1/V_t + 1/V_t+1) estimates Var(payment); σ is the spread whose capped
 * lognormal has that coefficient of variation. Undefined with fewer than 6 months of payments.
 * estimateSigma(personTimes, amounts, { rate: 0.6, cap: 2500 }) → e.g. 0.8
 */
export function estimateSigma(personTimes: readonly number[], amounts: readonly number[], policy: BenefitPolicy): number | undefined {
  const observed = observedSpread(personTimes, amounts);
  return observed && sigmaForCv2(observed.mean, policy, observed.cv2);
}

/** The estimate of σ with its 80% range (10% and 90% points). */
export interface SigmaEstimate {
  sigma: number;
  lower: number;
  upper: number;
}

/**
 * estimateSigma with its sampling uncertainty: the squared successive differences of k + 1 months estimate
 * Var(payment) with a relative sd of about √(3 ÷ k) (squares of normal differences, neighbours correlated
 * ¼), taken as lognormal around the estimate; its 10% and 90% points map to σ's. Undefined with fewer than 6 months.
 * estimateSigmaRange(personTimes, amounts, { rate: 0.6, cap: 2500 }) → e.g. { sigma: 0.8, lower: 0.65, upper: 0.97 }
 */
export function estimateSigmaRange(personTimes: readonly number[], amounts: readonly number[], policy: BenefitPolicy): SigmaEstimate | undefined {
  const observed = observedSpread(personTimes, amounts);
  if (!observed) return undefined;
  const relative = Math.sqrt(3 / observed.pairs);
  const at = (z: number) => sigmaForCv2(observed.mean, policy, observed.cv2 * Math.exp(z * relative));
  return { sigma: sigmaForCv2(observed.mean, policy, observed.cv2), lower: at(-1.2816), upper: at(1.2816) };
}
