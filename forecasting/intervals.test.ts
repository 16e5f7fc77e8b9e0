import { describe, expect, it } from "vitest";
import type { OriginErrors } from "./cross-validation.ts";
import { calibrate, centredCalibration, commonErrorSpread, HORIZON_GROWTH, type ErrorSeries } from "./intervals.ts";
import { createRandom, normal } from "./random.ts";

/**
 * Series whose CV forecast is 100 a month at one of four origins (24, 27, 30, 33 of 36 months) and whose
 * actual is 100 × (1 + that origin's common error + the series' own error of sd 10%).
 */
function runOfSeries(commonSd: number, seed: number, perOrigin = 200): ErrorSeries[] {
  const random = createRandom(seed);
  const result: ErrorSeries[] = [];
  for (const origin of [24, 27, 30, 33]) {
    const common = commonSd * normal(random);
    for (let i = 0; i < perOrigin; i++) {
      const actual = 100 * (1 + common + 0.1 * normal(random));
      const steps = Math.min(12, 36 - origin);
      const values = new Array<number>(36).fill(100);
      for (let h = 0; h < steps; h++) values[origin + h] = actual;
      const cvErrors: OriginErrors[] = [{ origin, scale: 10, scaledErrors: new Array<number>(steps).fill((actual - 100) / 10) }];
      result.push({ values, start: 2022 * 12, weight: 1 + (i % 3), cvErrors });
    }
  }
  return result;
}

describe("errors shared by the lines of one run", () => {
  it("a single series has no common part", () => {
    expect(commonErrorSpread(runOfSeries(0.05, 1, 1).slice(0, 1))).toBe(0);
  });

  it("two lines: errors in step are common, opposite errors are not (worked example)", () => {
    // Forecast 100 a month from origin 24 of 36; actual 110 (+10%) or 90 (−10%), scale 10.
    const line = (actual: number): ErrorSeries => ({
      values: [...new Array<number>(24).fill(100), ...new Array<number>(12).fill(actual)],
      start: 2022 * 12,
      weight: 1,
      cvErrors: [{ origin: 24, scale: 10, scaledErrors: new Array<number>(12).fill((actual - 100) / 10) }],
    });
    // c = +10%; independent part 2 × 0.1² ÷ 2² = 0.005; Herfindahl ½: (0.01 − 0.005) ÷ ½ = 0.01 → 10%.
    expect(commonErrorSpread([line(110), line(110)])).toBeCloseTo(0.1, 12);
    expect(commonErrorSpread([line(110), line(90)])).toBe(0);
  });

  it("independent errors give (almost) no common spread", () => {
    expect(commonErrorSpread(runOfSeries(0, 2))).toBeLessThan(0.01);
  });

  it("errors shared at the same origin give their spread", () => {
    // Four origins' common errors of sd 5%: each run's estimate is their root mean square.
    const spreads = [3, 4, 5, 6, 7, 8].map((seed) => commonErrorSpread(runOfSeries(0.05, seed)));
    const rms = Math.sqrt(spreads.reduce((s, v) => s + v * v, 0) / spreads.length);
    expect(rms).toBeGreaterThan(0.035);
    expect(rms).toBeLessThan(0.065);
  });

  it("centres the bootstrapped error paths on zero and keeps the quantile bounds", () => {
    const random = createRandom(8);
    const errors: OriginErrors[] = Array.from({ length: 60 }, () => ({
      origin: 24,
      scale: 1,
      scaledErrors: Array.from({ length: 12 }, () => 0.5 + normal(random)),
    }));
    const calibration = calibrate(errors, 12);
    const centred = centredCalibration(calibration);
    for (let h = 0; h < 12; h++) {
      expect(Math.abs(centred.paths.reduce((s, p) => s + p[h]!, 0) / centred.paths.length)).toBeLessThan(1e-9);
    }
    expect(centred.upper80).toEqual(calibration.upper80);
    // Every path moves by the same amount at a horizon (the mean), so their spread is kept.
    expect(centred.paths[0]![0]! - calibration.paths[0]![0]!).toBeCloseTo(centred.paths[1]![0]! - calibration.paths[1]![0]!, 12);
  });
});

describe("calibration across horizons", () => {
  it("widens the bounds with the horizon by the monotone fit, not a running maximum", () => {
    // One noisy high quantile at h = 2 no longer lifts every later horizon to it.
    const random = createRandom(15);
    const errors: OriginErrors[] = Array.from({ length: 400 }, () => ({ origin: 24, scale: 1, scaledErrors: Array.from({ length: 6 }, () => normal(random)) }));
    for (const e of errors.slice(0, 30)) e.scaledErrors[1] = 4;
    const calibration = calibrate(errors, 6);
    for (let h = 1; h < 6; h++) expect(calibration.upper80[h]).toBeGreaterThanOrEqual(calibration.upper80[h - 1]!);
    // Its raw 90% quantile is 2.0 and the others 1.26–1.32: a running maximum would put 2.0 at h = 2–6.
    expect(calibration.upper80[1]).toBeLessThan(1.5);
    expect(calibration.upper80[5]).toBeLessThan(1.5);
    expect(calibration.upper80[5]).toBeGreaterThan(1.3);
  });

  it("grows the bounds past the last horizon any error reaches from that horizon's own bounds (∝ h^HORIZON_GROWTH)", () => {
    const random = createRandom(28);
    // 400 origins whose errors reach 6 months ahead; 12 months are asked for.
    const errors: OriginErrors[] = Array.from({ length: 400 }, () => ({ origin: 24, scale: 1, scaledErrors: Array.from({ length: 6 }, () => normal(random)) }));
    const calibration = calibrate(errors, 12);
    for (let h = 6; h < 12; h++) {
      const grow = ((h + 1) / 6) ** HORIZON_GROWTH;
      expect(calibration.upper80[h]).toBeCloseTo(calibration.upper80[5]! * grow, 12);
      expect(calibration.lower95[h]).toBeCloseTo(calibration.lower95[5]! * grow, 12);
      expect(calibration.rmse[h]).toBeCloseTo(calibration.rmse[5]! * grow, 12);
    }
    // Not a normal bound inflated as if from a single error (√3 × 1.96 × rmse ≈ 3.4 × √2 at 12 months).
    expect(calibration.upper95[11]).toBeLessThan(1.96 * calibration.rmse[11]! * 1.1);
  });
  it("grows the pooled bounds from the last horizon with enough errors, not from a handful of origins that reach further", () => {
    const random = createRandom(30);
    // 400 origins reach 6 months ahead, 2 (one short series' last origins) reach 12 with large errors.
    const errors: OriginErrors[] = Array.from({ length: 400 }, () => ({ origin: 24, scale: 1, scaledErrors: Array.from({ length: 6 }, () => normal(random)) }));
    errors.push(...[0, 1].map(() => ({ origin: 24, scale: 1, scaledErrors: Array.from({ length: 12 }, () => 6) })));
    const calibration = calibrate(errors, 12);
    expect(calibration.counts.slice(5, 7)).toEqual([402, 2]);
    for (let h = 6; h < 12; h++) expect(calibration.upper95[h]).toBeCloseTo(calibration.upper95[5]! * ((h + 1) / 6) ** HORIZON_GROWTH, 12);
    // One series alone (fewer errors than the empirical quantiles need at any horizon) keeps every horizon it reaches.
    const alone = calibrate(errors.slice(398), 12);
    expect(alone.upper95[11]).toBeGreaterThan(alone.upper95[5]!);
    expect(alone.counts[11]).toBe(2);
  });
  it("gives a horizon whose errors are all missing the spread of the one before, not zero", () => {
    const random = createRandom(29);
    const errors: OriginErrors[] = Array.from({ length: 20 }, () => ({ origin: 24, scale: 1, scaledErrors: [normal(random), Number.NaN, normal(random)] }));
    const calibration = calibrate(errors, 3);
    expect(calibration.counts).toEqual([20, 0, 20]);
    expect(calibration.rmse[1]).toBe(calibration.rmse[0]);
    expect(calibration.upper80[1]).toBeGreaterThanOrEqual(calibration.upper80[0]!);
    expect(calibration.lower95[1]).toBeLessThan(0);
  });
});
