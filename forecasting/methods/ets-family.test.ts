import { describe, expect, it } from "vitest";
import { ETS_SCREEN } from "../ets-combination.ts";
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

  it("computes the multiplicative-error likelihood n·log(SSE/n) + 2·Σ log|ŷ| and the forecast exactly, at any scale", () => {
    const values = Array.from({ length: 120 }, (_, t) => (100 + t) * (1 + 0.3 * Math.sin(t / 2)));
    // The same recursions written out month by month (R's etscalc.c: level, then trend from the level's
    // change, then season), with one log per month; the library rewrites them to run faster.
    const direct = (data: number[], phi: number, parameters: { alpha: number; beta: number; gamma: number }) => {
      let level = 0, trend = 0;
      const seasons: number[] = [];
      { // R's initial states as the library takes them: first three years' profile, a line through 10 months
        const sums = new Array<number>(12).fill(0);
        for (let y = 0; y < 3; y++) {
          const mean = data.slice(12 * y, 12 * y + 12).reduce((a, b) => a + b, 0) / 12;
          for (let j = 0; j < 12; j++) sums[j]! += data[12 * y + j]! / mean;
        }
        const norm = sums.reduce((a, b) => a + b, 0) / 36;
        for (let j = 0; j < 12; j++) seasons.push(sums[j]! / 3 / norm);
        const adjusted = data.slice(0, 10).map((v, t) => v / seasons[t]!);
        const meanX = 5.5, meanY = adjusted.reduce((a, b) => a + b, 0) / 10;
        let sxy = 0, sxx = 0;
        adjusted.forEach((a, t) => { sxy += (t + 1 - meanX) * (a - meanY); sxx += (t + 1 - meanX) ** 2; });
        trend = sxy / sxx;
        level = meanY - trend * meanX;
      }
      let sse = 0, logs = 0;
      data.forEach((y, t) => {
        const s = seasons[t % 12]!;
        const q = level + phi * trend;
        const yhat = q * s;
        const e = (y - yhat) / yhat;
        sse += e * e;
        logs += Math.log(Math.abs(yhat));
        const newLevel = q + parameters.alpha * (y / s - q);
        trend = phi * trend + (parameters.beta / parameters.alpha) * (newLevel - level - phi * trend);
        seasons[t % 12] = s + parameters.gamma * (y / q - s);
        level = newLevel;
      });
      let damping = 0;
      const forecast = Array.from({ length: 12 }, (_, h) => {
        damping += phi ** (h + 1);
        return (level + damping * trend) * seasons[(data.length + h) % 12]!;
      });
      return { likelihood: data.length * Math.log(sse / data.length) + 2 * logs, forecast };
    };
    for (const [trend, phi] of [["A", 1], ["Ad", 0.9]] as const) {
      const spec = { error: "M", trend, season: "M" } as const;
      const parameters = { alpha: 0.3, beta: 0.01, gamma: 0.1, phi };
      const model = fitEtsForm(values, spec, 12, { parameters });
      const expected = direct(values, phi, parameters);
      expect(model.likelihood).toBeCloseTo(expected.likelihood, 6);
      model.forecast.forEach((value, h) => expect(value / expected.forecast[h]! - 1).toBeCloseTo(0, 10));
      const scaled = values.map((v) => v * 1e9); // products of ŷ would overflow without the library's care
      expect(fitEtsForm(scaled, spec, 12, { parameters }).likelihood).toBeCloseTo(direct(scaled, phi, parameters).likelihood, 6);
    }
  });

  it("screening the forms (the ETS step's choice) finds the form and forecast that fitting every form in full finds", () => {
    // 40 seeded five-year series: trends, month profiles and noise of different sizes.
    let same = 0;
    let largest = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const random = createRandom(seed);
      const slope = (seed % 5) - 2;
      const season = (seed % 4) * 0.1;
      const noise = 0.02 + (seed % 3) * 0.04;
      const y = months(60, (t) => (500 + slope * 3 * t) * (1 + season * Math.sin((2 * Math.PI * t) / 12)) * (1 + noise * normal(random)));
      const full = autoEts(y, 12);
      const screened = autoEts(y, 12, { screen: ETS_SCREEN });
      if (screened.form === full.form) same++;
      // Never a worse fit than the full search by more than its optimiser's tolerance.
      expect(screened.aicc).toBeLessThan(full.aicc + 0.5);
      for (let h = 0; h < 12; h++) largest = Math.max(largest, Math.abs(screened.forecast[h]! / full.forecast[h]! - 1));
    }
    expect(same).toBeGreaterThanOrEqual(38);
    expect(largest).toBeLessThan(0.02);
  });
});
