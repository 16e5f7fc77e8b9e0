import { describe, expect, it } from "vitest";
import { COMBINATION_MEMBERS, forecastMethods, forecastWith, medianForecast, METHOD_NAMES, prepareSeries } from "./methods.ts";
import { createRandom, normal } from "./random.ts";

const seasonalSeries = (years: number, seed = 7) => {
  const random = createRandom(seed);
  const profile = [1.2, 0.7, 0.9, 1, 1, 1.1, 1, 0.95, 0.9, 1, 1.05, 1.2];
  return Array.from({ length: years * 12 }, (_, t) => 100 * (1 + 0.01 * t) * profile[t % 12]! * (1 + 0.03 * normal(random)));
};

describe("every method", () => {
  it("forecasts a constant series as that constant", () => {
    for (const length of [6, 24, 36, 60]) {
      const constant = new Array<number>(length).fill(1234.5);
      const forecasts = forecastMethods(prepareSeries(constant), METHOD_NAMES, 12);
      for (const method of METHOD_NAMES) {
        const expected = method === "croston" ? 1234.5 * 0.95 : 1234.5; // SBA's bias correction
        forecasts.get(method)!.forEach((value) => expect(value, `${method}, n = ${length}`).toBeCloseTo(expected, 4));
      }
    }
  });
  it("never forecasts below zero for a non-negative series", () => {
    const falling = Array.from({ length: 36 }, (_, t) => Math.max(0, 100 - 4 * t));
    for (const [method, forecast] of forecastMethods(prepareSeries(falling), METHOD_NAMES, 24)) {
      expect(Math.min(...forecast), method).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("seasonal adjustment and the combination", () => {
  it("removes a clear seasonal pattern and puts it back on the forecast", () => {
    const series = seasonalSeries(4);
    const prepared = prepareSeries(series);
    expect(prepared.seasonal).toBe(true);
    const forecast = forecastWith(series, "naive2", 12);
    expect(forecast[1]! / forecast[0]!).toBeCloseTo(prepared.indices[1]! / prepared.indices[0]!, 10); // Feb / Jan
    expect(forecast[1]).toBeLessThan(forecast[0]!);
  });
  it("finds seasonality in two whole years by variance analysis", () => {
    expect(prepareSeries(seasonalSeries(2)).seasonal).toBe(true);
    // White noise is flagged at about the test's 10% level, not more.
    let flagged = 0;
    for (let seed = 0; seed < 200; seed++) {
      const random = createRandom(seed);
      if (prepareSeries(Array.from({ length: 24 }, () => 100 + normal(random))).seasonal) flagged++;
    }
    expect(flagged / 200).toBeLessThan(0.15);
  });
  it("is the month-by-month median of its six members", () => {
    const series = seasonalSeries(5);
    const forecasts = forecastMethods(prepareSeries(series), [...COMBINATION_MEMBERS, "combination"], 6);
    expect(forecasts.get("combination")).toEqual(medianForecast(COMBINATION_MEMBERS.map((m) => forecasts.get(m)!)));
    expect(medianForecast([[1, 2], [3, 4], [10, 0]])).toEqual([3, 2]);
    expect(medianForecast([[1], [2], [3], [10]])).toEqual([2.5]);
  });
});
