import { describe, expect, it } from "vitest";
import { geometricMean, mase, maseScale, smape, winkler } from "./accuracy.ts";
import { acf, linearTrend, median, nelderMead, quantileSorted } from "./stats.ts";

describe("accuracy measures", () => {
  it("sMAPE is the M3 symmetric percentage error", () => {
    expect(smape([100, 100], [110, 90])).toBeCloseTo((2000 / 210 + 2000 / 190) / 2, 10);
    expect(smape([0], [0])).toBe(0);
  });
  it("MASE scales by the in-sample seasonal naive error", () => {
    expect(maseScale([1, 2, 3, 2, 3, 4], 3)).toBe(1);
    expect(maseScale([1, 2, 4], 12)).toBe(1.5); // shorter than a year: naive
    expect(mase([10, 12], [11, 11], 2)).toBe(0.5);
  });
  it("Winkler adds 2/α times the miss to the width", () => {
    expect(winkler(10, 8, 11, 0.2)).toBe(3);
    expect(winkler(12, 8, 11, 0.2)).toBe(13);
    expect(winkler(7, 8, 11, 0.05)).toBe(43);
  });
  it("geometric mean of relative errors", () => {
    expect(geometricMean([0.5, 2])).toBeCloseTo(1, 12);
  });
  it("statistics helpers", () => {
    expect(acf([1, 2, 3, 4], 1)[0]).toBeCloseTo(0.25, 12);
    expect(linearTrend([1, 3, 5])).toEqual({ intercept: -1, slope: 2 });
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    const best = nelderMead(([x, y]) => (x! - 1) ** 2 + (y! - 2) ** 2, [0, 0], [[-5, 5], [-5, 5]]);
    expect(best.x[0]).toBeCloseTo(1, 2);
    expect(best.x[1]).toBeCloseTo(2, 2);
  });
});
