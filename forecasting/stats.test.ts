import { describe, expect, it } from "vitest";
import { isotonicIncreasing } from "./stats.ts";

describe("isotonic regression (pool-adjacent-violators)", () => {
  it("pools adjacent values that fall, weighted, and leaves rising ones alone", () => {
    expect(isotonicIncreasing([1, 3, 2, 4])).toEqual([1, 2.5, 2.5, 4]);
    expect(isotonicIncreasing([1, 3, 2, 4], [1, 1, 3, 1])).toEqual([1, 2.25, 2.25, 4]);
    expect(isotonicIncreasing([3, 2, 1])).toEqual([2, 2, 2]);
    expect(isotonicIncreasing([1, 2, 3])).toEqual([1, 2, 3]);
    expect(isotonicIncreasing([])).toEqual([]);
  });
  it("keeps the weighted mean of the values", () => {
    const values = [5, 1, 4, 2, 8, 3];
    const weights = [1, 2, 1, 3, 1, 2];
    const fitted = isotonicIncreasing(values, weights);
    const mean = (xs: number[]) => xs.reduce((s, x, i) => s + x * weights[i]!, 0);
    expect(mean(fitted)).toBeCloseTo(mean(values), 12);
    for (let i = 1; i < fitted.length; i++) expect(fitted[i]).toBeGreaterThanOrEqual(fitted[i - 1]!);
  });
});
