import { describe, expect, it } from "vitest";
import { libraryForecaster, runM3Backtest, trainingPart, type Forecaster, type HoldoutSeries } from "./m3-backtest.ts";
import { parseM3Csv } from "./m3.ts";
import { generateProperties, SERIES_PROPERTIES } from "./properties.ts";
import { formatPropertyReport, runPropertyBacktest } from "./properties-backtest.ts";
import { generateSynthetic } from "./synthetic.ts";
import { lineAtOrigin, runSyntheticBacktest } from "./synthetic-backtest.ts";

const CSV = `id,n,h,category,start_year,start_month,values
T1,42,6,MICRO,1990,1,${Array.from({ length: 42 }, (_, t) => (100 + t + 10 * Math.sin((t * Math.PI) / 6)).toFixed(1)).join(" ")}
T2,40,6,MACRO,1991,4,${Array.from({ length: 40 }, (_, t) => (50 + ((t * 7) % 5)).toFixed(1)).join(" ")}`;

/** A series whose hold-out throws when read while `armed`. */
function guarded(values: number[], horizon: number) {
  const cut = values.length - horizon;
  const state = { armed: true };
  const proxy = new Proxy(values, {
    get(target, key, receiver) {
      if (state.armed && typeof key === "string" && /^\d+$/.test(key) && Number(key) >= cut) {
        throw new Error(`hold-out value ${key} read during fitting`);
      }
      return Reflect.get(target, key, receiver);
    },
  });
  return { proxy, state };
}

describe("M3 backtest", () => {
  const series = parseM3Csv(CSV);

  it("parses the competition's CSV", () => {
    expect(series).toHaveLength(2);
    expect(series[0]).toMatchObject({ id: "T1", category: "MICRO", horizon: 6, startYear: 1990 });
    expect(series[0]!.values).toHaveLength(42);
    expect(() => parseM3Csv("id,n\n")).toThrow(/header/);
    expect(() => parseM3Csv(CSV.replace("T2,40", "T2,41"))).toThrow(/line 3/);
  });

  it("never lets the hold-out reach the fitting code", () => {
    const guards = series.map((s) => guarded(s.values, s.horizon));
    const inner = libraryForecaster();
    let fitted = 0;
    const forecaster: Forecaster = (training, horizon) => {
      const guard = guards[fitted]!;
      expect(training).toHaveLength(series[fitted]!.values.length - horizon);
      const fit = inner(training, horizon); // would throw if any hold-out value were read
      guard.state.armed = false; // scoring may now read the hold-out
      fitted++;
      return fit;
    };
    const holdout: HoldoutSeries[] = series.map((s, i) => ({ ...s, values: guards[i]!.proxy }));
    const report = runM3Backtest(holdout, forecaster);
    expect(fitted).toBe(2);
    expect(report.scores.find((s) => s.method === "selected")!.smape).toBeGreaterThan(0);
    // A guard that is never disarmed fails the run as soon as anything reads the hold-out.
    const armed = guarded(series[0]!.values, 6);
    expect(() => trainingPart(armed.proxy, 6)).not.toThrow();
    expect(() => armed.proxy[36]).toThrow(/hold-out/);
  });

  it("forecasts do not change when the hold-out does", () => {
    const changed = series.map((s) => ({ ...s, values: [...s.values.slice(0, -s.horizon), ...new Array<number>(s.horizon).fill(1e9)] }));
    const forecaster = libraryForecaster();
    for (let i = 0; i < series.length; i++) {
      const a = forecaster(trainingPart(series[i]!.values, 6), 6).forecasts;
      const b = forecaster(trainingPart(changed[i]!.values, 6), 6).forecasts;
      expect([...b]).toEqual([...a]);
    }
  });
});

describe("synthetic backtest", () => {
  it("is reproducible from its seed", () => {
    const a = generateSynthetic({ series: 5, seed: 42 });
    const b = generateSynthetic({ series: 5, seed: 42 });
    expect(b).toEqual(a);
    expect(a[0]!.personTimes).toHaveLength(60);
  });

  it("uses only policies announced by the origin", () => {
    const line = generateSynthetic({ series: 40, seed: 1 }).find((l) => l.category === "outpatient")!;
    expect(lineAtOrigin(line, "2022-09").target.policy.cap).toBe(2500); // 2,800 announced in 2022-10
    expect(lineAtOrigin(line, "2022-12").target.policy.cap).toBe(2800);
    expect(lineAtOrigin(line, "2022-12").amounts).toHaveLength(36);
  });

  it("a small subset beats last year × (1 + g) on the annual total", () => {
    const lines = generateSynthetic({ series: 40, seed: 2 });
    const report = runSyntheticBacktest(lines, { origins: ["2023-12"], draws: 300 });
    const selected = report.scores.find((s) => s.method === "selected")!;
    const baseline = report.scores.find((s) => s.method === "lastYearGrowth")!;
    expect(report.forecasts).toBe(40);
    expect(selected.annualError).toBeLessThan(baseline.annualError);
    expect(report.intervals.monthlyCoverage95).toBeGreaterThan(report.intervals.monthlyCoverage80);
  });
});

describe("property backtest", () => {
  it("generates each property reproducibly, with the property's shape", () => {
    const a = generateProperties({ perProperty: 20, seed: 3 });
    expect(generateProperties({ perProperty: 20, seed: 3 })).toEqual(a);
    expect(a).toHaveLength(20 * SERIES_PROPERTIES.length);
    const of = (p: string) => a.filter((s) => s.category === p);
    expect(of("zeros").some((s) => Array.from(s.values).includes(0))).toBe(true);
    expect(of("regime").every((s) => s.values.length >= 132)).toBe(true);
    expect(of("short").every((s) => s.values.length - s.horizon >= 12 && s.values.length - s.horizon <= 48)).toBe(true);
    // The month profile moves: the first two years' month shares differ from the last two's far more than a
    // regular series' do (whose profile stays, only noise differs).
    const shares = (years: number[]) => {
      const profile = new Array<number>(12).fill(0);
      for (let t = 0; t < years.length; t++) profile[t % 12]! += years[t]!;
      const mean = profile.reduce((a, b) => a + b, 0) / 12;
      return profile.map((v) => v / mean);
    };
    const change = (s: (typeof a)[number]) => {
      const training = Array.from(s.values).slice(0, -s.horizon);
      const first = shares(training.slice(0, 24));
      const last = shares(training.slice(-24));
      return first.reduce((sum, v, m) => sum + Math.abs(v - last[m]!), 0) / 12;
    };
    const meanChange = (p: string) => of(p).reduce((sum, s) => sum + change(s), 0) / of(p).length;
    expect(of("seasonDrift").every((s) => s.values.length - s.horizon >= 96 && s.values.length - s.horizon <= 240)).toBe(true);
    expect(meanChange("seasonDrift")).toBeGreaterThan(2 * meanChange("regular"));
  });
  it("scores the library against seasonal naive per property", () => {
    const report = runPropertyBacktest(generateProperties({ perProperty: 15, seed: 2 }));
    expect(report.scores.map((s) => s.property)).toEqual([...SERIES_PROPERTIES]);
    for (const score of report.scores) {
      expect(score.series).toBe(15);
      expect(score.mase).toBeGreaterThan(0);
      expect(score.coverage95).toBeGreaterThanOrEqual(score.coverage80);
    }
    expect(formatPropertyReport(report)).toContain("levelShift");
  });
});
