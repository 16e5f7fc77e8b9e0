import { describe, expect, it } from "vitest";
import { maseScale } from "./accuracy.ts";
import { crossValidate, rollingOrigins } from "./cross-validation.ts";
import { calibrate, intervalFromDraws, intervalsFor, simulatePaths } from "./intervals.ts";
import { createRandom, normal, poisson } from "./random.ts";
import { prepareSeries } from "./methods.ts";
import { amountsFollowCalendar } from "./seasonality.ts";
import { ETS_SCREEN } from "./ets-combination.ts";
import { autoEts } from "./methods/ets-family.ts";
import { fitVariants, forecastSeries, NAIVE_SHARE } from "./selection.ts";
import { driftingProfile, oldRegime } from "./test-series.ts";

const noisySeries = (seed: number, n = 36) => {
  const random = createRandom(seed);
  return Array.from({ length: n }, (_, t) => 200 + 2 * t + 15 * normal(random));
};

describe("rolling-origin cross-validation", () => {
  it("places expanding-window origins back from the end", () => {
    expect(rollingOrigins(36, { horizon: 12 })).toEqual([33, 30, 27, 24]);
    expect(rollingOrigins(30, { horizon: 12, origins: 3 })).toEqual([26, 22, 18]);
  });
  it("scores each method on data after its origin only", () => {
    const series = noisySeries(1);
    const cv = crossValidate(series, ["ses", "theta"], { horizon: 12 });
    const last = cv.errors.get("ses")![0]!;
    expect(last.origin).toBe(33);
    expect(last.scaledErrors).toHaveLength(3);
    expect(cv.mase.get("ses")).toBeGreaterThan(0);
  });
});

describe("selection", () => {
  it("takes the median combination for regular series and says why", () => {
    const result = forecastSeries(noisySeries(2), { horizon: 12 });
    expect(result.selection.method).toBe("combination");
    expect(result.selection.reason).toContain("median");
    expect(result.mean).toHaveLength(12);
  });
  it("takes Croston-SBA, TSB or the seasonal mean for an intermittent series, seasonal naive only past the calendar test", () => {
    const chosen = Array.from({ length: 40 }, (_, i) => {
      const random = createRandom(5 + i);
      const series = Array.from({ length: 36 }, () => poisson(random, 0.4));
      return forecastSeries(series, { horizon: 12 });
    }).filter((f) => f.intermittent);
    expect(chosen.length).toBeGreaterThan(30);
    for (const { selection } of chosen) {
      expect(["croston", "tsb", "seasonalMean", "seasonalNaive"]).toContain(selection.method);
      if (selection.method === "seasonalNaive") expect(selection.calendar).toBe(true);
      if (!selection.calendar) expect(selection.cvMase.seasonalNaive).toBeUndefined();
    }
    // Counts at random months: mostly the flat rate (Croston-SBA or TSB).
    expect(chosen.filter((f) => f.selection.method === "croston" || f.selection.method === "tsb").length).toBeGreaterThan(chosen.length / 2);
  });
  it("scores the seasonal mean only on origins with two whole years behind them, the other candidates on the same", () => {
    // 26 months: the origins with a year behind them have one or two; with one it would be seasonal naive.
    const quarterly = (n: number) => Array.from({ length: n }, (_, t) => ((t + 1) % 3 === 0 ? 100 + (t % 7) : 0));
    const short = forecastSeries(quarterly(26), { horizon: 12 }).selection;
    expect(short.cvMase.seasonalMean).toBeNaN();
    expect(short.method).not.toBe("seasonalMean");
    expect(forecastSeries(quarterly(40), { horizon: 12 }).selection.cvMase.seasonalMean).toBeGreaterThan(0);
  });
  it("keeps seasonal naive among an intermittent series' candidates: quarterly payments follow the calendar", () => {
    // Paid at each quarter's end only (ADI 3), 5% more each year, a little noise: intermittent by ADI.
    const random = createRandom(7);
    const series = Array.from({ length: 60 }, (_, t) => ((t + 1) % 3 === 0 ? Math.round(100_000 * 1.05 ** Math.floor(t / 12) * (1 + 0.03 * normal(random))) : 0));
    const result = forecastSeries(series, { horizon: 12 });
    expect([result.intermittent, result.selection.kind, result.selection.method]).toEqual([true, "intermittent", "seasonalNaive"]);
    expect(result.mean).toEqual(series.slice(-12));
    // Scored on the origins with a whole year behind them, against Croston-SBA and TSB on the same origins.
    expect(result.selection.cvMase.seasonalNaive!).toBeLessThan(Math.min(result.selection.cvMase.croston!, result.selection.cvMase.tsb!));
    expect(result.cvErrors.every((o) => o.origin >= 12)).toBe(true);
  });
  it("takes a calendar method for monthly batches with a yearly settlement whose month once moved", () => {
    // Monthly batches of about 10,000 with a settlement of 300,000 in December (paid in January once), and
    // months without payment: intermittent by ADI through the zeros.
    const random = createRandom(13);
    const series = new Array<number>(72).fill(0);
    for (let t = 0; t < 72; t++) if (random() < 0.6) series[t] = Math.round(10_000 * (1 + 0.1 * normal(random)));
    for (let t = 11; t < 72; t += 12) series[Math.min(71, t + (t === 47 ? 1 : 0))]! += 300_000;
    expect(amountsFollowCalendar(series)).toBe(true);
    const result = forecastSeries(series, { horizon: 12 });
    expect([result.intermittent, result.selection.calendar]).toEqual([true, true]);
    expect(["seasonalNaive", "seasonalMean"]).toContain(result.selection.method);
    // The settlement is forecast in its month, not spread flat over the year as Croston-SBA and TSB would.
    expect(result.mean[11]!).toBeGreaterThan(100_000);
    expect(result.selection.cvMase[result.selection.method]!).toBeLessThan(Math.min(result.selection.cvMase.croston!, result.selection.cvMase.tsb!));
  });
  it("leaves seasonal naive out where the amounts do not recur with the calendar", () => {
    // Paid in a random third of the months: seasonal naive would win CV now and then by chance alone.
    const random = createRandom(11);
    const series = Array.from({ length: 60 }, () => (random() < 0.33 ? Math.round(50_000 * (1 + 0.3 * normal(random))) : 0));
    expect(amountsFollowCalendar(series)).toBe(false);
    const result = forecastSeries(series, { horizon: 12 });
    // Seasonal naive is left out; the seasonal mean, close to a flat rate over three such years, competes.
    expect([result.intermittent, result.selection.calendar, result.selection.cvMase.seasonalNaive]).toEqual([true, false, undefined]);
    expect(result.selection.cvMase.seasonalMean).toBeGreaterThan(0);
    expect(["croston", "tsb", "seasonalMean"]).toContain(result.selection.method);
    // Quarterly, every other month, or the same months each year: they recur.
    expect([3, 2].map((every) => amountsFollowCalendar(Array.from({ length: 48 }, (_, t) => (t % every === every - 1 ? 100 : 0))))).toEqual([true, true]);
    // Under two whole years there is no year-on-year comparison to make; a constant series has no error to compare.
    expect(amountsFollowCalendar(Array.from({ length: 23 }, (_, t) => (t % 3 === 2 ? 100 : 0)))).toBe(false);
    expect(amountsFollowCalendar(new Array<number>(36).fill(5))).toBe(false);
    // Over many series paid at random months, few pass (in expectation seasonal naive's error is the larger).
    const passing = Array.from({ length: 200 }, (_, i) => {
      const r = createRandom(100 + i);
      return amountsFollowCalendar(Array.from({ length: 48 }, () => (r() < 0.4 ? Math.round(1000 * (1 + 0.5 * normal(r))) : 0)));
    }).filter(Boolean).length;
    expect(passing).toBeLessThan(10);
  });
  it("does not divide by a month near zero: a payment in a nearly empty month takes month offsets, not an explosion", () => {
    // Three years of about 300 a month with a strong profile; December nearly empty (2, 1) until the last year,
    // when the January batch was paid in December (446): a multiplicative factor of 0.004 would make it 100,000.
    const random = createRandom(21);
    const profile = [2, 0.5, 1.4, 0.8, 0.8, 0.5, 0.3, 1, 1, 2, 1.7, 0.01];
    const series = Array.from({ length: 36 }, (_, t) => Math.round(300 * profile[t % 12]! * (1 + 0.1 * normal(random))));
    series[11] = 2;
    series[23] = 1;
    series[35] = 446;
    expect(prepareSeries(series, { seasonality: "multiplicative" }).form).toBe("additive");
    const result = forecastSeries(series, { horizon: 12 });
    expect(Math.max(...result.mean)).toBeLessThan(3 * Math.max(...series));
  });
  it("can pick the single best method by CV MASE instead", () => {
    const result = forecastSeries(noisySeries(3), { horizon: 12, rule: "best" });
    const best = Object.entries(result.selection.cvMase).sort((a, b) => a[1]! - b[1]!)[0]![0];
    expect(result.selection.method).toBe(best);
  });
});

describe("selection that generalises (issue 18)", () => {
  const profile = [1.6, 0.5, 0.9, 1, 1, 1.1, 1, 0.95, 0.9, 1, 1.05, 1.4];
  const seasonal = (n: number, seed: number, level = (_t: number) => 100) => {
    const random = createRandom(seed);
    return Array.from({ length: n }, (_, t) => level(t) * profile[t % 12]! * (1 + 0.04 * normal(random)));
  };
  it("keeps seasonality where months reach zero: additive, chosen out of sample", () => {
    const withZeros = seasonal(48, 3).map((v, t) => (t % 7 === 3 ? 0 : Math.round(v)));
    expect(prepareSeries(withZeros, { seasonality: "additive" })).toMatchObject({ seasonal: true, form: "additive" });
    expect(fitVariants(withZeros, 12, false, false).map((v) => v.seasonality)).toEqual(["none", "additive"]);
    // The median of six alone (the ETS step, which four years take by default, switched off).
    const result = forecastSeries(withZeros, { horizon: 12, etsCandidates: [] });
    expect(result.seasonal).toBe(true);
    expect(result.selection.reason).toContain("additive seasonal adjustment");
    expect(result.selection.fit).toEqual({ months: 48, seasonality: "additive", seasonalityBy: "cv" });
    // January (1.6) is forecast above February (0.5), as the data show; with the ETS step too.
    expect(result.mean[0]! - result.mean[1]!).toBeGreaterThan(50);
    const stepped = forecastSeries(withZeros, { horizon: 12 });
    expect(stepped.selection.fit).toEqual({ months: 48, seasonality: "additive", seasonalityBy: "cv" });
    expect(stepped.mean[0]! - stepped.mean[1]!).toBeGreaterThan(25);
  });
  it("lets a long history choose a recent window when its early part behaves differently", () => {
    const regime = seasonal(168, 4, (t) => (t < 80 ? 50 + 3 * t : 290 - 0.2 * (t - 80)));
    expect(fitVariants(regime, 12, true, false).map((v) => v.window)).toEqual([undefined, 120, 72]);
    const { selection } = forecastSeries(regime, { horizon: 12 });
    expect(selection.reason).toMatch(/last (72|120) months/);
    expect([72, 120]).toContain(selection.fit?.window);
  });
  it("takes seasonal naive on short histories when it cross-validates better, or with no whole year to test on", () => {
    const short = seasonal(20, 5);
    expect(forecastSeries(short, { horizon: 12 }).selection).toMatchObject({ kind: "best", method: "seasonalNaive" });
    const year = seasonal(14, 6);
    const result = forecastSeries(year, { horizon: 12 });
    expect(result.selection).toMatchObject({ method: "seasonalNaive", fit: { months: 14, short: true, untested: true } });
    expect(result.mean).toEqual(year.slice(2)); // last year's months
  });
  it("takes seasonal naive on every history with a whole year but not two, even where the combination cross-validates better", () => {
    // A steady climb without a month profile: the combination's CV error is far lower, but under two years
    // no seasonal adjustment can be estimated and one or two origins cannot overrule that.
    const climbing = Array.from({ length: 20 }, (_, t) => 100 + 5 * t + (t % 2));
    const result = forecastSeries(climbing, { horizon: 12 });
    expect(result.selection.cvMase.combination!).toBeLessThan(result.selection.cvMase.seasonalNaive!);
    expect(result.selection).toMatchObject({ kind: "best", method: "seasonalNaive", fit: { months: 20, short: true, belowTwoYears: true } });
    expect(result.selection.reason).toMatch(/under two whole years/);
    expect(result.mean).toEqual(climbing.slice(8));
    // Two whole years and a half: cross-validation decides again, and here the combination wins.
    const longer = Array.from({ length: 30 }, (_, t) => 100 + 5 * t + (t % 2));
    expect(forecastSeries(longer, { horizon: 12 }).selection).toMatchObject({ kind: "median", method: "combination" });
    // A pooled month profile adjusts even a short history: the combination, not seasonal naive.
    const pooled = forecastSeries(climbing, { horizon: 12, indices: new Array<number>(12).fill(1) });
    expect(pooled.selection.fit?.belowTwoYears).toBeUndefined();
    expect(pooled.selection.method).toBe("combination");
  });
});

describe("the ETS step on long histories", () => {
  const monthly = (n: number, seed: number) => {
    const random = createRandom(seed);
    return Array.from({ length: n }, (_, t) => (500 + 3 * t) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 12)) * (1 + 0.05 * normal(random)));
  };
  it("runs by default from four whole years of history, not below, and can be switched off", () => {
    const long = forecastSeries(monthly(48, 1), { horizon: 12 });
    expect(long.selection.ets).toBeDefined();
    expect(Object.keys(long.selection.ets!.cvMase).sort()).toEqual(["ets", "etsArima", "etsArimaMedian", "etsArimaTheta", "etsMedian", "etsThetaMedian", "median"]);
    // The kept candidate is the one with the lowest CV MASE of the three default ones (ETS and the airline model,
    // with the median, with Theta, or alone); the median's own CV MASE is there as the reference, the others are not scored.
    const { cvMase, choice } = long.selection.ets!;
    expect(["etsArimaMedian", "etsArimaTheta", "etsArima"]).toContain(choice);
    expect(cvMase[choice]).toBe(Math.min(cvMase.etsArimaMedian, cvMase.etsArimaTheta, cvMase.etsArima));
    expect(cvMase.median).toBeGreaterThan(0);
    expect(cvMase.etsThetaMedian).toBeNaN();
    expect(cvMase.ets).toBeNaN();
    expect(forecastSeries(monthly(47, 1), { horizon: 12 }).selection.ets).toBeUndefined();
    expect(forecastSeries(monthly(48, 1), { horizon: 12, etsCandidates: [] }).selection.ets).toBeUndefined();
    // The airline model needs three years at every origin: asked for on 40 months (origins 28–37), it is not there.
    const forty = forecastSeries(monthly(40, 1), { horizon: 12, etsCandidates: ["median", "etsArimaMedian", "etsArimaTheta"] }).selection.ets!;
    expect(forty.cvMase.etsArimaMedian).toBeNaN();
    expect(forty.choice).toBe("median");
  });
  it("keeps the median's forecast exactly when the median is a candidate and cross-validates best", () => {
    const choices = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      const values = monthly(96, seed);
      const result = forecastSeries(values, { horizon: 12, etsCandidates: ["median", "etsArimaMedian", "etsArimaTheta"] });
      const without = forecastSeries(values, { horizon: 12, etsCandidates: [] });
      choices.add(result.selection.ets!.choice === "median" ? "median" : "other");
      if (result.selection.ets!.choice === "median") expect(result.mean).toEqual(without.mean);
      else expect(result.mean).not.toEqual(without.mean);
    }
    expect([...choices].sort()).toEqual(["median", "other"]); // both branches were taken
  });
  it("fits ETS on the whole history even where the median takes a recent window", () => {
    // An old regime in the first 70 months: CV picks a recent window for the median; ETS's form is AICc's on all 150 months.
    for (let seed = 1; seed <= 3; seed++) {
      const values = oldRegime(seed);
      const selection = forecastSeries(values, { horizon: 12 }).selection;
      expect(selection.fit?.window).toBeDefined();
      expect(selection.ets!.form).toBe(autoEts(values, 12, { period: 12, screen: ETS_SCREEN }).form);
    }
  });
});

describe("seasonal naive's share on histories under four years", () => {
  it("takes two parts the median and one part last year's months where that cross-validates better", () => {
    const values = driftingProfile(1, 36);
    const mixed = forecastSeries(values, { horizon: 12 });
    const plain = forecastSeries(values, { horizon: 12, naiveMix: false });
    expect(NAIVE_SHARE).toBeCloseTo(1 / 3, 12);
    expect(plain.selection.naiveMix).toBeUndefined();
    expect(mixed.selection.naiveMix?.share).toBe(NAIVE_SHARE);
    expect(mixed.selection.naiveMix!.cvMase).toBeLessThan(plain.selection.cvMase.combination!);
    mixed.mean.forEach((v, h) => expect(v).toBeCloseTo((2 / 3) * plain.mean[h]! + (1 / 3) * values[24 + h]!, 9));
    expect(Object.values(mixed.selection.weights).reduce((a, b) => a + b!, 0)).toBeCloseTo(1, 12);
    expect(mixed.selection.weights.seasonalNaive).toBe(NAIVE_SHARE);
    expect(mixed.selection.reason).toMatch(/the median of six weighted with seasonal naive \(33\.3%\)/);
    // Its CV errors are the same mix of the two's errors, origin by origin (the intervals are calibrated on them),
    // from the origins with two whole years of training.
    const naive = crossValidate(values, ["seasonalNaive"], { horizon: 12, seasonality: "none" }).errors.get("seasonalNaive")!;
    expect(mixed.cvErrors.length).toBeGreaterThan(0);
    for (const origin of mixed.cvErrors) {
      expect(origin.origin).toBeGreaterThanOrEqual(24);
      const k = naive.findIndex((o) => o.origin === origin.origin);
      const median = plain.cvErrors.find((o) => o.origin === origin.origin);
      expect(median).toBeDefined();
      origin.scaledErrors.forEach((e, h) => expect(e).toBeCloseTo((2 / 3) * median!.scaledErrors[h]! + (1 / 3) * naive[k]!.scaledErrors[h]!, 9));
    }
  });
  it("keeps the median where it cross-validates better, and from four years on takes the ETS step instead", () => {
    // A steady profile on a steep trend: last year's months lag the trend.
    const random = createRandom(3);
    const trending = Array.from({ length: 36 }, (_, t) => (500 + 25 * t) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 12)) * (1 + 0.02 * normal(random)));
    const kept = forecastSeries(trending, { horizon: 12 });
    expect(kept.selection.naiveMix).toBeUndefined();
    expect(kept.mean).toEqual(forecastSeries(trending, { horizon: 12, naiveMix: false }).mean);
    const fourYears = forecastSeries(driftingProfile(1, 48), { horizon: 12 }).selection;
    expect(fourYears.naiveMix).toBeUndefined();
    expect(fourYears.ets).toBeDefined();
    // A pooled month profile is not mixed with last year's months.
    expect(forecastSeries(driftingProfile(1, 36), { horizon: 12, indices: new Array<number>(12).fill(1) }).selection.naiveMix).toBeUndefined();
  });
});

describe("intervals", () => {
  const forecasts = Array.from({ length: 60 }, (_, i) => forecastSeries(noisySeries(100 + i), { horizon: 12 }));
  const calibration = calibrate(forecasts.flatMap((f) => f.cvErrors), 12);
  it("property: the 80% interval lies inside the 95% interval at every horizon", () => {
    for (const f of forecasts) {
      const bounds = intervalsFor(f.mean, f.scale, calibration);
      for (let h = 0; h < 12; h++) {
        expect(bounds.lower95[h]).toBeLessThanOrEqual(bounds.lower80[h]!);
        expect(bounds.lower80[h]).toBeLessThanOrEqual(bounds.upper80[h]!);
        expect(bounds.upper80[h]).toBeLessThanOrEqual(bounds.upper95[h]!);
      }
    }
  });
  it("widens with the horizon", () => {
    expect(calibration.upper95[11]! - calibration.lower95[11]!).toBeGreaterThanOrEqual(calibration.upper95[0]! - calibration.lower95[0]!);
  });
  it("simulates annual totals from whole error paths, not by adding monthly bounds", () => {
    const f = forecasts[0]!;
    const paths = simulatePaths(f.mean, f.scale, calibration, 2000, createRandom(1));
    const annual = intervalFromDraws(paths.map((p) => p.reduce((s, v) => s + v, 0)));
    const monthly = intervalsFor(f.mean, f.scale, calibration);
    const addedBounds = monthly.upper95.reduce((s, v) => s + v, 0) - monthly.lower95.reduce((s, v) => s + v, 0);
    expect(annual.upper95 - annual.lower95).toBeLessThan(addedBounds);
    expect(annual.lower95).toBeLessThanOrEqual(annual.lower80);
    expect(annual.upper80).toBeLessThanOrEqual(annual.upper95);
  });
  it("are calibrated on the origins with two whole years of training, seasonal or not (decision 028)", () => {
    // 36 months without seasonality, 24 ahead: CV has origins at 30, 24, 18 and 12 months; the last two's errors,
    // from a third of the history or less, are not what the whole history's forecast will make.
    const random = createRandom(28);
    let level = 1000;
    const walk = Array.from({ length: 36 }, () => (level += 20 * normal(random)));
    const result = forecastSeries(walk, { horizon: 24 });
    expect(result.seasonal).toBe(false);
    expect(rollingOrigins(36, { horizon: 24 })).toEqual([30, 24, 18, 12]);
    expect(result.cvErrors.map((o) => o.origin).sort((a, b) => a - b)).toEqual([24, 30]);
    // Shorter histories, where no origin has two years behind it, keep all of theirs.
    expect(forecastSeries(walk.slice(0, 30), { horizon: 12 }).cvErrors.length).toBeGreaterThan(0);
  });
  it("puts the errors of origins with under two years of training on the whole history's scale (decision 029, addendum 3)", () => {
    // 20 months with a season: seasonal naive; its errors from the CV origins with a whole year behind them, at 14
    // and 17 months, whose own scales come from 2 and 5 seasonal differences.
    const random = createRandom(29);
    const values = Array.from({ length: 20 }, (_, t) => 1000 * (1 + 0.4 * Math.sin((2 * Math.PI * t) / 12)) * (1 + 0.1 * normal(random)));
    const result = forecastSeries(values, { horizon: 12 });
    expect(result.selection.method).toBe("seasonalNaive");
    expect(result.scale).toBe(maseScale(values));
    const origins = result.cvErrors.map((o) => o.origin).sort((a, b) => a - b);
    expect(origins).toEqual([14, 17]);
    for (const o of result.cvErrors) {
      expect(o.scale).toBe(result.scale);
      // The error is the same: actual less last year's month.
      o.scaledErrors.forEach((e, h) => expect(e * o.scale).toBeCloseTo(values[o.origin + h]! - values[o.origin + h - 12]!, 9));
    }
    // An origin with two years behind it keeps its own scale.
    const longer = Array.from({ length: 40 }, (_, t) => 1000 * (1 + 0.4 * Math.sin((2 * Math.PI * t) / 12)) * (1 + 0.1 * normal(random)));
    const own = forecastSeries(longer, { horizon: 12 }).cvErrors;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((o) => o.origin >= 24 && o.scale === maseScale(longer.slice(0, o.origin)))).toBe(true);
    // The median of six on 26 months of a trend (no origin with two years behind it: all are kept), the same.
    const trend = Array.from({ length: 26 }, (_, t) => 1000 + 25 * t + 10 * normal(random));
    const median = forecastSeries(trend, { horizon: 12 });
    expect([median.selection.kind, median.selection.fit?.short]).toEqual(["median", undefined]);
    expect(median.cvErrors.length).toBeGreaterThan(0);
    for (const o of median.cvErrors) {
      expect(o.origin).toBeLessThan(24);
      expect(o.scale).toBe(median.scale);
    }
  });
  it("falls back to normal bounds from a single series' few errors", () => {
    const single = calibrate(forecasts[0]!.cvErrors, 12);
    expect(single.upper80[0]).toBeGreaterThan(0);
    expect(single.lower80[0]).toBeLessThan(0);
    expect(single.upper95[0]).toBeGreaterThan(single.upper80[0]!);
  });
});
