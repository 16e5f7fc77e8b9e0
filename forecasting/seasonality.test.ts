import { describe, expect, it } from "vitest";
import { additiveIndices, classicalIndices, deseasonalise, fCritical90, fullYears, isSeasonal, pooledIndices, reseasonalise, yearlyProfile } from "./seasonality.ts";

const profile = [1.2, 0.7, 0.9, 1, 1, 1.1, 1, 0.95, 0.9, 1, 1.05, 1.2];
const mean = profile.reduce((s, v) => s + v, 0) / 12;
const normalised = profile.map((v) => v / mean);

describe("seasonality", () => {
  it("recovers the indices of an exactly multiplicative series", () => {
    const series = Array.from({ length: 48 }, (_, t) => 500 * profile[t % 12]!);
    expect(isSeasonal(series)).toBe(true);
    classicalIndices(series)!.forEach((value, i) => expect(value).toBeCloseTo(normalised[i]!, 10));
    const { adjusted, indices } = deseasonalise(series);
    adjusted.forEach((value) => expect(value).toBeCloseTo(500 * mean, 8));
    expect(reseasonalise([500 * mean], indices, 48)[0]).toBeCloseTo(500 * profile[0]!, 8);
  });
  it("recovers the offsets of an exactly additive series, zeros included", () => {
    const offsets = [50, -100, -20, 0, 0, 10, 0, -5, -10, 0, 5, 70];
    const series = Array.from({ length: 36 }, (_, t) => 100 + offsets[t % 12]!);
    expect(series).toContain(0);
    additiveIndices(series)!.forEach((value, i) => expect(value).toBeCloseTo(offsets[i]!, 8));
    expect(additiveIndices(series.slice(0, 20))).toBeUndefined();
  });
  it("needs three years for the autocorrelation test", () => {
    expect(isSeasonal(Array.from({ length: 35 }, (_, t) => profile[t % 12]!))).toBe(false);
  });
  it("pools years of several lines", () => {
    expect(pooledIndices([[1, 3, 1, 3], [2, 6, 2, 6]], 2)).toEqual([0.5, 1.5]);
    expect(fullYears([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4]]);
  });
  it("tests the month effect of whole years by variance analysis at 90%", () => {
    expect(fCritical90(11, 12)).toBeCloseTo(2.17, 1); // tables: F(0.90; 11, 12) = 2.17
    expect(yearlyProfile([[1, 3, 1, 3], [1.1, 2.9, 1, 3]], 4)!.significant).toBe(true);
    expect(yearlyProfile([[1, 3, 1, 3], [3, 1, 3, 1]], 4)!.significant).toBe(false);
  });
});
