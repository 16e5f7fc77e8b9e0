import { describe, expect, it } from "vitest";
import { expectedPayment, fitCostModel, fitPayments, restatePayments, restateUnitCost } from "./policy.ts";

const OLD_CAP = { rate: 0.6, cap: 2500 }; // outpatient assistance for 低保 before 2023
const NEW_CAP = { rate: 0.6, cap: 2800 }; // 沪医保规〔2022〕12号, from 2023
const payments = [300, 800, 1500, 2400, 2500, 2500];

describe("policy restatement (worked example)", () => {
  it("a cap raised 2,500 → 2,800 changes only the payments at the old cap", () => {
    const restated = restatePayments(payments, OLD_CAP, NEW_CAP);
    expect(restated.slice(0, 4)).toEqual([300, 800, 1500, 2400]);
    for (const value of restated.slice(4)) {
      expect(value).toBeGreaterThan(2500);
      expect(value).toBeLessThanOrEqual(2800);
    }
    expect(restated[4]).toBeCloseTo(2781, -1);
  });
  it("a rate change 60% → 70% scales the others, up to the cap", () => {
    const restated = restatePayments([300, 800, 1500, 2400, 2800], NEW_CAP, { rate: 0.7, cap: 2800 });
    expect(restated[0]).toBeCloseTo(350, 10);
    expect(restated[1]).toBeCloseTo(933.33, 2);
    expect(restated[2]).toBeCloseTo(1750, 10);
    expect(restated[3]).toBe(2800); // 2,400 × 7/6 = 2,800: now at the cap
    expect(restated[4]).toBe(2800); // was at the cap, stays there
  });
  it("fits the cost distribution from the body and the share at the cap", () => {
    const model = fitPayments(payments, OLD_CAP);
    expect(model.sigma).toBeGreaterThan(0.5);
    expect(model.sigma).toBeLessThan(1.5);
    // The model reproduces the observed share at the cap: 2 of 6.
    const share = 1 - normalShareBelow(Math.log(2500 / 0.6), model.mu, model.sigma);
    expect(share).toBeCloseTo(2 / 6, 6);
  });
  it("restates an aggregate unit cost through the fitted model", () => {
    const model = { mu: Math.log(2000), sigma: 1 };
    const mean = expectedPayment(model, NEW_CAP);
    expect(fitCostModel(mean, NEW_CAP).mu).toBeCloseTo(Math.log(2000), 6);
    const raised = restateUnitCost(1200, OLD_CAP, NEW_CAP);
    expect(raised).toBeGreaterThan(1200);
    expect(raised).toBeLessThan(1200 * 2800 / 2500);
    expect(restateUnitCost(1200, OLD_CAP, { rate: 0.7, cap: null })).toBeGreaterThan(1200 * 7 / 6); // no cap: more than the rate
    expect(restateUnitCost(180, OLD_CAP, OLD_CAP)).toBe(180);
  });
});

function normalShareBelow(x: number, mu: number, sigma: number): number {
  // Φ((x − μ)/σ) through erf by series is overkill here: integrate numerically.
  const z = (x - mu) / sigma;
  let total = 0;
  const steps = 20000;
  const low = -10;
  const width = (z - low) / steps;
  for (let i = 0; i < steps; i++) {
    const u = low + (i + 0.5) * width;
    total += Math.exp(-0.5 * u * u) * width;
  }
  return total / Math.sqrt(2 * Math.PI);
}

describe("cost spread from monthly aggregates", () => {
  it("recovers σ from how much the monthly mean payment varies with the number of payments", async () => {
    const { createRandom, lognormal, poisson } = await import("./random.ts");
    const { estimateSigma } = await import("./policy.ts");
    const random = createRandom(21);
    const personTimes: number[] = [];
    const amounts: number[] = [];
    for (let t = 0; t < 36; t++) {
      const volume = poisson(random, 150);
      let amount = 0;
      for (let k = 0; k < volume; k++) amount += Math.min(0.6 * lognormal(random, Math.log(3000), 0.8), 2500);
      personTimes.push(volume);
      amounts.push(amount);
    }
    const sigma = estimateSigma(personTimes, amounts, OLD_CAP)!;
    expect(sigma).toBeGreaterThan(0.55);
    expect(sigma).toBeLessThan(1.1);
    expect(estimateSigma([1, 2], [100, 200], OLD_CAP)).toBeUndefined();
  });

  it("does not take a cost trend (medical inflation) for spread, and gives an 80% range that narrows with data", async () => {
    const { createRandom, lognormal, poisson } = await import("./random.ts");
    const { estimateSigma, estimateSigmaRange } = await import("./policy.ts");
    const months = (count: number, seed: number) => {
      const random = createRandom(seed);
      const personTimes: number[] = [];
      const amounts: number[] = [];
      for (let t = 0; t < count; t++) {
        // Costs rise 12% a year and volume doubles over the period: the mean payment drifts by far more
        // than sampling would make it vary (a deviation-from-the-overall-mean estimate reads this as spread).
        const volume = poisson(random, 100 * (1 + t / count));
        let amount = 0;
        for (let k = 0; k < volume; k++) amount += Math.min(0.6 * lognormal(random, Math.log(2000) + Math.log(1.12) * (t / 12), 0.7), 2500);
        personTimes.push(volume);
        amounts.push(amount);
      }
      return { personTimes, amounts };
    };
    const estimates = [31, 32, 33, 34, 35, 36].map((seed) => {
      const { personTimes, amounts } = months(36, seed);
      return estimateSigma(personTimes, amounts, OLD_CAP)!;
    });
    // True σ 0.7. The estimate is noisy (35 successive differences; a capped spread varies little with σ),
    // but not pushed up by the trend: comparing with the overall mean payment gave the 3.0 bound every time.
    const sorted = [...estimates].sort((x, y) => x - y);
    expect((sorted[2]! + sorted[3]!) / 2).toBeGreaterThan(0.55);
    expect((sorted[2]! + sorted[3]!) / 2).toBeLessThan(1.0);
    for (const estimate of estimates) expect(estimate).toBeLessThan(2.5);
    const short = months(12, 40);
    const long = months(48, 40);
    const a = estimateSigmaRange(short.personTimes, short.amounts, OLD_CAP)!;
    const b = estimateSigmaRange(long.personTimes, long.amounts, OLD_CAP)!;
    for (const range of [a, b]) {
      expect(range.lower).toBeLessThan(range.sigma);
      expect(range.sigma).toBeLessThan(range.upper);
    }
    expect(b.upper - b.lower).toBeLessThan(a.upper - a.lower);
    expect(a.sigma).toBe(estimateSigma(short.personTimes, short.amounts, OLD_CAP));
  });
});
