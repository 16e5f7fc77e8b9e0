import { describe, expect, it } from "vitest";
import { meanAbsoluteError, type OriginErrors } from "./cross-validation.ts";
import { etsCombination, type EtsChoice } from "./ets-combination.ts";
import { fitAirline } from "./methods/airline.ts";
import { createRandom, normal } from "./random.ts";
import { forecastSeries } from "./selection.ts";
import { driftingProfile } from "./test-series.ts";

const profile = [0.7, 0.8, 1.0, 1.1, 1.2, 1.3, 1.4, 1.2, 1.0, 0.9, 0.8, 0.6];
const seasonal = (seed: number, n: number) => {
  const random = createRandom(seed);
  return Array.from({ length: n }, (_, t) => (300 + 3 * t) * profile[t % 12]! * (1 + 0.05 * normal(random)));
};

describe("ETS joining the median combination by CV", () => {
  it("takes no ETS step by default below four whole years, nor when switched off", () => {
    const plain = forecastSeries(seasonal(1, 47), { horizon: 12 });
    expect(plain.selection.ets).toBeUndefined();
    expect(plain.selection.kind).toBe("median");
    expect(forecastSeries(seasonal(1, 60), { horizon: 12, etsCandidates: [] }).selection.ets).toBeUndefined();
    expect(forecastSeries(seasonal(1, 60), { horizon: 12 }).selection.ets).toBeDefined();
  });

  it("cross-validates ETS on the median's origins and says which candidate it kept", () => {
    const y = seasonal(2, 72);
    const plain = forecastSeries(y, { horizon: 12 });
    const trial = forecastSeries(y, { horizon: 12, etsCandidates: ["median", "etsMedian", "etsThetaMedian"] });
    const ets = trial.selection.ets!;
    expect(ets.form).toMatch(/^[AM](N|A|Ad)[NAM]$/);
    for (const value of Object.values(ets.cvMase)) expect(Number.isNaN(value) || value > 0).toBe(true);
    const best = Math.min(ets.cvMase.median, ets.cvMase.etsMedian, ets.cvMase.etsThetaMedian);
    expect(ets.cvMase[ets.choice]).toBe(best);
    if (ets.choice === "median") expect(trial.mean).toEqual(plain.mean);
    else {
      expect(trial.mean).not.toEqual(plain.mean);
      expect(trial.selection.reason).toContain(`ETS ${ets.form}`);
    }
    expect(trial.mean.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(trial.cvErrors.length).toBeGreaterThan(0);
  });

  it("chooses the candidate with the lower CV MASE, and skips short histories", () => {
    const y = seasonal(3, 48);
    // A median that is far off at every origin: ETS (or its mean with the median) must win.
    const origins = [45, 42, 39, 36];
    const bad: OriginErrors[] = origins.map((origin) => ({ origin, scale: 1, scaledErrors: [40, 40, 40] }));
    const result = etsCombination(y, new Array<number>(12).fill(1), bad, { horizon: 12, period: 12, candidates: ["median", "ets", "etsMedian"] })!;
    expect(result.choice).toBe("ets");
    expect(result.cvMase.ets).toBeLessThan(result.cvMase.etsMedian);
    expect(result.cvErrors.map((o) => o.origin)).toEqual(origins);
    expect(etsCombination(y.slice(0, 30), new Array<number>(12).fill(1), bad, { horizon: 12, period: 12, candidates: ["median", "ets"] })).toBeUndefined();
    // Candidates not asked for are not scored, and a median that cannot be scored does not block the others.
    const nan: OriginErrors[] = origins.map((origin) => ({ origin, scale: 1, scaledErrors: [Number.NaN, Number.NaN, Number.NaN] }));
    const onlyEts = etsCombination(y, new Array<number>(12).fill(1), nan, { horizon: 12, period: 12, candidates: ["median", "ets"] })!;
    expect(onlyEts.choice).toBe("ets");
    expect(onlyEts.cvMase.etsMedian).toBeNaN();
    expect(onlyEts.cvMase.etsThetaMedian).toBeNaN();
  });

  it("scores the mean of ETS and ARIMA as the two members' mean, both fitted on the whole history", () => {
    const y = driftingProfile(1, 150);
    const origins = [147, 144, 141, 138];
    const flat: OriginErrors[] = origins.map((origin) => ({ origin, scale: 1, scaledErrors: new Array<number>(Math.min(12, 150 - origin)).fill(5) }));
    const step = (candidates: EtsChoice[]) => etsCombination(y, new Array<number>(12).fill(1), flat, { horizon: 12, period: 12, candidates })!;
    const both = step(["etsArima"]);
    const ets = step(["ets"]);
    const airline = fitAirline(y, 12, { period: 12 })!;
    expect(both.choice).toBe("etsArima");
    expect(both.arima).toBe("airline");
    both.mean.forEach((v, h) => expect(v).toBeCloseTo((ets.mean[h]! + airline.forecast[h]!) / 2, 9));
    // Scored on the median's origins; the kept errors are the ones its CV MASE was computed from.
    expect(both.cvErrors.map((o) => o.origin)).toEqual(origins);
    expect(both.cvMase.etsArima).toBe(meanAbsoluteError(both.cvErrors));
    expect(both.cvMase.ets).toBeNaN(); // not asked for
    expect(both.cvMase.median).toBe(5); // the median is scored as the reference
    // The same ETS form, fitted on the whole history, whichever candidates are asked for.
    expect(both.form).toBe(ets.form);
  });
});
