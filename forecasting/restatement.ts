import type { BudgetLineInput, PolicyPeriod, TargetPolicy } from "./budget-line.ts";
import { DEFAULT_SIGMA, estimateSigmaRange, expectedPayment, fitCostModel, type BenefitPolicy } from "./policy.ts";

/*
 * A line's history restated under the target year's policy (rate and cap, or a 定额 standard), with the
 * uncertainty of that restatement; the policy in force in a month. Used by budget-line.ts.
 */

export const monthIndex = (month: string): number => {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) throw new RangeError(`month must be YYYY-MM: ${month}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
};
const monthName = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;

/** The policy in force in a month: the latest period starting at or before it. */
export function policyAt(policies: readonly PolicyPeriod[], month: string): PolicyPeriod | undefined {
  const at = monthIndex(month);
  let best: PolicyPeriod | undefined;
  for (const period of policies) if (monthIndex(period.from) <= at && (!best || monthIndex(period.from) > monthIndex(best.from))) best = period;
  return best;
}

/**
 * The policy a month is restated from: the one in force, or for months before the earliest known period that
 * earliest one (nothing known says the policy was different then; assuming 100% and no cap made a step at the
 * first known period, which the forecast carried on). undefined only without any period.
 */
function policyFrom(policies: readonly PolicyPeriod[], month: string): PolicyPeriod | undefined {
  return policyAt(policies, month) ?? earliestPolicy(policies);
}

/** The period that starts first, undefined without any. */
const earliestPolicy = (policies: readonly PolicyPeriod[]): PolicyPeriod | undefined =>
  policies.length === 0 ? undefined : policies.reduce((earliest, p) => (monthIndex(p.from) < monthIndex(earliest.from) ? p : earliest));

/** How many of a line's months lie before its earliest known policy period (0 without any period). */
export function monthsBeforePolicies(line: BudgetLineInput): { months: number; from: string } | undefined {
  const first = earliestPolicy(line.policies);
  if (!first) return undefined;
  const months = Math.min(line.amounts.length, Math.max(0, monthIndex(first.from) - monthIndex(line.start)));
  return months > 0 ? { months, from: first.from } : undefined;
}

const benefitPolicy = (p: TargetPolicy | undefined): BenefitPolicy => ({ rate: p?.rate ?? 1, cap: p?.cap ?? null });

/**
 * Restates a benefit line's monthly amounts under the target policy: the months of each policy period are
 * scaled by expected payment (target) ÷ expected payment (then), from a cost model fitted to that period's
 * mean payment. restateHistory(line)[k] = what month k would have cost under the target year's rate and cap.
 */
export function restateHistory(line: BudgetLineInput): number[] {
  return restatement(line).restated;
}

/** The spread assumed when the data cannot tell it, with the range drawn around it. */
const FALLBACK_SIGMA = { sigma: DEFAULT_SIGMA, lower: 0.6, upper: 1.4 };

/**
 * The restated history, and the same under the 10% and 90% points of the estimated cost spread σ (equal to
 * it when σ is given or nothing is restated): how uncertain the restatement is.
 */
export function restatement(line: BudgetLineInput): { restated: number[]; lower: number[]; upper: number[] } {
  const n = line.amounts.length;
  const start = monthIndex(line.start);
  if (line.kind === "standard") {
    const target = line.target.policy.standard;
    const restated = line.amounts.map((amount, t) => {
      const then = policyFrom(line.policies, monthName(start + t))?.standard;
      return target !== undefined && then ? (amount * target) / then : amount;
    });
    return { restated, lower: restated, upper: restated };
  }
  const to = benefitPolicy(line.target.policy);
  const groups = new Map<PolicyPeriod | undefined, number[]>();
  for (let t = 0; t < n; t++) {
    const period = policyFrom(line.policies, monthName(start + t));
    groups.set(period, [...(groups.get(period) ?? []), t]);
  }
  const restated = [...line.amounts];
  const lower = [...line.amounts];
  const upper = [...line.amounts];
  for (const [period, months] of groups) {
    const from = benefitPolicy(period);
    if (from.rate === to.rate && from.cap === to.cap) continue;
    const volume = months.reduce((s, t) => s + line.personTimes[t]!, 0);
    const amount = months.reduce((s, t) => s + line.amounts[t]!, 0);
    if (!(volume > 0 && amount > 0)) continue;
    const spread =
      line.sigma !== undefined
        ? { sigma: line.sigma, lower: line.sigma, upper: line.sigma }
        : (estimateSigmaRange(months.map((t) => line.personTimes[t]!), months.map((t) => line.amounts[t]!), from) ?? FALLBACK_SIGMA);
    const ratio = (sigma: number) => {
      const model = fitCostModel(amount / volume, from, sigma);
      return expectedPayment(model, to) / expectedPayment(model, from);
    };
    const mid = ratio(spread.sigma);
    const low = spread.lower === spread.sigma ? mid : ratio(spread.lower);
    const high = spread.upper === spread.sigma ? mid : ratio(spread.upper);
    for (const t of months) {
      restated[t] = line.amounts[t]! * mid;
      lower[t] = line.amounts[t]! * low;
      upper[t] = line.amounts[t]! * high;
    }
  }
  return { restated, lower, upper };
}

/** Last 12 months restated under the 10% / 90% points of σ, ÷ as restated under its estimate. */
export function lastYearRange(r: { restated: number[]; lower: number[]; upper: number[] }): { lower: number; upper: number } {
  const base = Math.max(0, r.restated.length - 12);
  const sum = (values: number[]) => values.slice(base).reduce((s, v) => s + v, 0);
  const restated = sum(r.restated);
  return restated > 0 ? { lower: sum(r.lower) / restated, upper: sum(r.upper) / restated } : { lower: 1, upper: 1 };
}

/**
 * How uncertain the restatement of last year's amounts is: last year restated under the 10% and 90% points
 * of the estimated cost spread σ, relative to restateHistory's (both 1 when σ is given or nothing changes).
 * restatementRange(lineBeforeCapRaise) → e.g. { lower: 0.99, upper: 1.02 }
 */
export function restatementRange(line: BudgetLineInput): { lower: number; upper: number } {
  return lastYearRange(restatement(line));
}
