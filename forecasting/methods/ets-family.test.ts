import { describe, expect, it } from "vitest";
import { createRandom, normal } from "../random.ts";
import { admissibleForms, autoEts, etsFormName, etsParameterCount, fitEtsForm } from "./ets-family.ts";

const months = (n: number, f: (t: number) => number) => Array.from({ length: n }, (_, t) => f(t));
const profile = [0.7, 0.8, 1.0, 1.1, 1.2, 1.3, 1.4, 1.2, 1.0, 0.9, 0.8, 0.6];

describe("ETS family (error × trend × season, by AICc)", () => {
  it("offers R's default forms: multiplicative ones only for positive data, seasonal ones from two years", () => {
    const positive = months(48, (t) => 100 + t);
    expect(admissibleForms(positive, 12).map(etsFormName)).toEqual([
      "ANN", "ANA", "AAN", "AAA", "AAdN", "AAdA", "MNN", "MNA", "MNM", "MAN", "MAA", "MAM", "MAdN", "MAdA", "MAdM",
    ]);
    const withZero = positive.map((v, t) => (t === 5 ? 0 : v));
    expect(admissibleForms(withZero, 12).map(etsFormName)).toEqual(["ANN", "ANA", "AAN", "AAA", "AAdN", "AAdA"]);
    expect(admissibleForms(months(20, () => 5), 12).map(etsFormName)).toEqual(["ANN", "AAN", "AAdN", "MNN", "MAN", "MAdN"]);
    // AICc counts α, β, γ, φ, the initial level, trend and m − 1 seasonal states, and σ (as R's ets).
    expect(etsParameterCount({ error: "M", trend: "Ad", season: "M" }, 12)).toBe(18);
    expect(etsParameterCount({ error: "A", trend: "N", season: "N" }, 12)).toBe(3);
  });

  it("fits a flat series with a level model and forecasts the level", () => {
    const model = autoEts(months(30, () => 50), 3);
    expect(model.spec.trend).toBe("N");
    expect(model.spec.season).toBe("N");
    for (const value of model.forecast) expect(value).toBeCloseTo(50, 6);
  });

  it("follows a linear trend with an (additive) trend model", () => {
    const random = createRandom(3);
    const y = months(40, (t) => 100 + 5 * t + normal(random));
    const model = fitEtsForm(y, { error: "A", trend: "A", season: "N" }, 2);
    expect(model.forecast[0]).toBeGreaterThan(295);
    expect(model.forecast[0]).toBeLessThan(305);
    expect(model.forecast[1]! - model.forecast[0]!).toBeCloseTo(5, 0);
    expect(autoEts(y, 2).spec.trend).not.toBe("N");
  });

  it("chooses a seasonal form for a seasonal series and puts the months back", () => {
    const random = createRandom(5);
    const y = months(60, (t) => (200 + t) * profile[t % 12]! * (1 + 0.02 * normal(random)));
    const model = autoEts(y, 12);
    expect(model.spec.season).not.toBe("N");
    // July (index 6) is the peak, December (11) the trough of the next year too.
    const peak = model.forecast.indexOf(Math.max(...model.forecast));
    const trough = model.forecast.indexOf(Math.min(...model.forecast));
    expect(peak).toBe(6);
    expect(trough).toBe(11);
    expect(model.aicc).toBeLessThan(fitEtsForm(y, { error: "A", trend: "A", season: "N" }, 12).aicc);
  });

  it("fits additive forms where months reach zero and stays finite", () => {
    const random = createRandom(7);
    const y = months(48, (t) => (t % 12 === 1 ? 0 : Math.max(0, 30 + 10 * profile[t % 12]! + 3 * normal(random))));
    const model = autoEts(y, 12);
    expect(model.spec.error).toBe("A");
    expect(model.spec.season).not.toBe("M");
    expect(model.forecast.every(Number.isFinite)).toBe(true);
  });

  it("falls back to the last value on a history too short for any form", () => {
    expect(autoEts([4, 6], 2).forecast).toEqual([6, 6]);
  });
});
