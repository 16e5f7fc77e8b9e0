import { describe, expect, it } from "vitest";
import { averageDemandInterval, crostonSba, isIntermittent, tsb } from "./croston.ts";
import { aicc, ets } from "./ets.ts";
import { holt, holtCriterion } from "./holt.ts";
import { lastYearGrowth, naive, seasonalMean, seasonalNaive } from "./naive.ts";
import { ses, sesCriterion } from "./ses.ts";
import { theta } from "./theta.ts";

describe("baselines", () => {
  it("naive repeats the last month", () => {
    expect(naive([3, 5, 4], 2)).toEqual([4, 4]);
  });
  it("seasonal naive repeats last year's same months", () => {
    expect(seasonalNaive([1, 2, 3, 4], 3, 2)).toEqual([3, 4, 3]);
    expect(seasonalNaive([1, 2, 3], 2, 12)).toEqual([3, 3]); // shorter than a year: naive
    // The seasonal mean: the same month over the last three years, repeated a year on.
    expect(seasonalMean([2, 0, 4, 0, 0, 6], 3, 2)).toEqual([2, 2, 2]);
    expect(seasonalMean([1, 2, 3, 4, 5, 6, 7, 8], 2, 2)).toEqual([5, 6]); // the last three of four years
    expect(seasonalMean([1, 2, 3, 4, 5, 6], 2, 2, 2)).toEqual([4, 5]); // two years asked for
    expect(seasonalMean([1, 2, 3], 2, 12)).toEqual([3, 3]);
  });
  it("last year × (1 + g) grows last year's months by last year's growth, compounded per year", () => {
    expect(lastYearGrowth([10, 10, 11, 11], 3, 2).map((v) => +v.toFixed(4))).toEqual([12.1, 12.1, 13.31]);
    // 马桥's 3-year history (万元, executed): 39.00 → 115.52 → 147.17; "last year × (1 + g)" for 2025:
    const annual = lastYearGrowth([115.52, 147.17], 1, 1)[0]!;
    expect(annual).toBeCloseTo((147.17 * 147.17) / 115.52, 10);
  });
});

describe("simple exponential smoothing", () => {
  it("matches the hand computation with α = 0.5 and the least-squares initial level", () => {
    // With l0 = 0 the errors are 10, 7, 2.5 and their sensitivity to l0 is 1, ½, ¼:
    // l0 = (10 + 3.5 + 0.625) / (1 + 0.25 + 0.0625) = 226/21; final level 9.75 + l0/8 = 233/21.
    const fit = ses([10, 12, 11], 2, 0.5);
    expect(fit.forecast[0]).toBeCloseTo(233 / 21, 10);
    expect(fit.forecast[1]).toBeCloseTo(233 / 21, 10);
    const l0 = 226 / 21;
    const e1 = 10 - l0, l1 = l0 + 0.5 * e1, e2 = 12 - l1, l2 = l1 + 0.5 * e2, e3 = 11 - l2;
    expect(sesCriterion([10, 12, 11], 0.5).sse).toBeCloseTo(e1 ** 2 + e2 ** 2 + e3 ** 2, 10);
  });
  it("optimises α: a step series is followed almost fully", () => {
    const fit = ses([5, 5, 5, 5, 9, 9, 9, 9], 1);
    expect(fit.forecast[0]).toBeCloseTo(9, 1);
  });
});

describe("Holt and damped trend", () => {
  it("fits a straight line exactly (l0 = 0, b0 = 1) and extends it", () => {
    const parameters = { alpha: 0.5, beta: 0.3, phi: 1 };
    expect(holtCriterion([1, 2, 3, 4, 5, 6], parameters).sse).toBeCloseTo(0, 10);
    const fit = holt([1, 2, 3, 4, 5, 6], 2, { parameters });
    expect(fit.forecast[0]).toBeCloseTo(7, 8);
    expect(fit.forecast[1]).toBeCloseTo(8, 8);
  });
  it("damps the trend: h steps add φ + φ² + … + φʰ times the slope", () => {
    const fit = holt([1, 2, 3, 4, 5, 6], 2, { parameters: { alpha: 0.5, beta: 0.3, phi: 0.9 } });
    // A damped model cannot fit the line exactly; its forecast grows by less than 1 a month.
    expect(fit.forecast[1]! - fit.forecast[0]!).toBeLessThan(1);
    expect(fit.forecast[1]! - fit.forecast[0]!).toBeGreaterThan(0.5);
    const optimised = holt([1, 2, 3, 4, 5, 6, 7, 8], 1, { damped: true });
    expect(optimised.forecast[0]).toBeGreaterThan(8.5);
    expect(optimised.forecast[0]).toBeLessThanOrEqual(9.0001);
  });
});

describe("Theta", () => {
  it("on a straight line is the mean of the SES level and the extended line", () => {
    // Trend line 1, 2, …, 6 is exact, the θ = 2 line equals the data, SES follows it to 6 (α → 1):
    // h = 1: (6 + 7) / 2 = 6.5; h = 2: (6 + 8) / 2 = 7.
    const fit = theta([1, 2, 3, 4, 5, 6], 2);
    expect(fit.forecast[0]).toBeCloseTo(6.5, 3);
    expect(fit.forecast[1]).toBeCloseTo(7, 3);
  });
});

describe("small ETS", () => {
  it("chooses the level model for a flat series and a trend model for a clean trend", () => {
    expect(ets([5, 5.1, 4.9, 5, 5.1, 4.9, 5, 5], 1).form).toBe("ANN");
    expect(ets([1, 2.01, 3, 3.99, 5, 6.02, 7, 8, 9.01, 10], 1).form).not.toBe("ANN");
  });
  it("penalises parameters by AICc", () => {
    expect(aicc(10, 20, 2)).toBeCloseTo(20 * Math.log(0.5) + 6 + 24 / 16, 10);
  });
});

describe("intermittent demand", () => {
  it("measures the average demand interval and the 1.32 cut-off", () => {
    expect(averageDemandInterval([0, 3, 0, 0, 5, 0])).toBe(3);
    expect(isIntermittent([0, 3, 0, 0, 5, 0])).toBe(true);
    expect(isIntermittent([1, 3, 2, 0, 5, 4])).toBe(false);
  });
  it("Croston-SBA: size 4 every 2nd month → 4 / 2 × (1 − 0.1/2) = 1.9", () => {
    expect(crostonSba([0, 4, 0, 4], 2, 0.1)).toEqual([1.9, 1.9]);
  });
  it("TSB: probability and size smoothed separately", () => {
    // p: 0.5 → 0.45 → 0.505 → 0.4545 → 0.50905; size stays 4.
    expect(tsb([0, 4, 0, 4], 1, 0.1, 0.1)[0]).toBeCloseTo(0.50905 * 4, 10);
  });
});
