import { geometricMean, mase, maseScale, smape, winkler } from "../accuracy.ts";
import { forecastBudgetLines, totalForecast, type BudgetLineInput, type ForecastOptions } from "../budget-line.ts";
import { forecastMethods, METHOD_NAMES, prepareSeries, type MethodName } from "../methods.ts";
import type { SyntheticCategory, SyntheticLine } from "./synthetic.ts";

/** Methods applied straight to the monthly amounts, as yardsticks for the zero-based forecast. */
export const SYNTHETIC_METHODS: readonly MethodName[] = METHOD_NAMES;

/** The name of the library's forecast (volume × restated unit cost, selected methods) in reports. */
export const SELECTED = "selected";

/** Accuracy of one method over all lines and origins. */
export interface MethodScore {
  method: string;
  /** Mean MASE (scaled by the training window's seasonal-naive error). */
  mase: number;
  /** Geometric mean of MASE ÷ seasonal naive's MASE. */
  relativeMase: number;
  smape: number;
  /** Mean absolute percentage error of the annual total. */
  annualError: number;
  /** Σ(forecast − actual) ÷ Σ actual of annual totals. */
  annualBias: number;
  annualErrorByCategory: Record<string, number>;
}

/** What the synthetic backtest measured. */
export interface SyntheticReport {
  lines: number;
  origins: string[];
  forecasts: number;
  scores: MethodScore[];
  /** Monthly and annual interval coverage and Winkler scores (MASE-scale units) of the selected forecast. */
  intervals: {
    monthlyCoverage80: number;
    monthlyCoverage95: number;
    annualCoverage80: number;
    annualCoverage95: number;
    monthlyWinkler80: number;
    monthlyWinkler95: number;
  };
  /** The cap change 2,500 → 2,800 of 2023 replayed from the end of 2022. */
  capChange: {
    origin: string;
    lines: number;
    /** Share of the outpatient lines whose actual 2023 total lies in the 80% interval. */
    linesInside80: number;
    /** The outpatient lines together: forecast, 80% interval and actual. */
    total: { forecast: string; lower80: string; upper80: string; actual: string; inside80: boolean };
    /** Annual total error of the outpatient lines together: zero-based forecast vs last year × (1+g). */
    totalError: number;
    lastYearGrowthError: number;
  };
  categoriesBetterThanLastYearGrowth: string[];
  seconds: number;
}

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/** The line as a forecaster sees it at an origin: history to the origin, policies announced by then. */
export function lineAtOrigin(line: SyntheticLine, origin: string): BudgetLineInput {
  const cut = monthIndex(origin) - monthIndex(line.start) + 1;
  const known = line.policies.filter((p) => monthIndex(p.announced) <= monthIndex(origin));
  const targetYear = Math.floor(monthIndex(origin) / 12) + 1;
  const inTarget = known.filter((p) => monthIndex(p.from) <= targetYear * 12).at(-1) ?? known.at(-1)!;
  const { announced: _announced, from: _from, ...policy } = inTarget;
  return {
    id: line.id,
    name: line.category,
    kind: line.kind,
    start: line.start,
    personTimes: line.personTimes.slice(0, cut),
    amounts: line.amounts.slice(0, cut),
    policies: known.map(({ announced: _a, ...p }) => p),
    target: { year: targetYear, policy },
    sigma: undefined,
  };
}

interface Accumulator {
  mase: number[];
  ratio: number[];
  smape: number[];
  ape: number[];
  signed: number;
  actual: number;
  byCategory: Map<string, number[]>;
}

/**
 * Replays budgeting at each origin (default the ends of 2021, 2022 and 2023): forecasts the next calendar
 * year of every line with the library and with each method on the amounts, and scores them against what
 * happened. runSyntheticBacktest(generateSynthetic({ series: 500 })).scores → per method.
 */
export function runSyntheticBacktest(
  lines: readonly SyntheticLine[],
  options: ForecastOptions & { origins?: string[] } = {},
): SyntheticReport {
  const started = performance.now();
  const origins = options.origins ?? ["2021-12", "2022-12", "2023-12"];
  const names = [...SYNTHETIC_METHODS, SELECTED];
  const acc = new Map<string, Accumulator>(names.map((m) => [m, { mase: [], ratio: [], smape: [], ape: [], signed: 0, actual: 0, byCategory: new Map() }]));
  let points = 0, in80 = 0, in95 = 0, annualPoints = 0, annualIn80 = 0, annualIn95 = 0, winkler80 = 0, winkler95 = 0;
  let capChange: SyntheticReport["capChange"] | undefined;
  let forecasts = 0;
  for (const origin of origins) {
    const inputs = lines.map((line) => lineAtOrigin(line, origin));
    const selected = forecastBudgetLines(inputs, options);
    const capLines: { index: number; inside: boolean }[] = [];
    lines.forEach((line, i) => {
      const input = inputs[i]!;
      const cut = input.amounts.length;
      const actual = line.amounts.slice(cut, cut + 12);
      if (actual.length < 12) return;
      forecasts++;
      const training = input.amounts;
      const scale = maseScale(training);
      const byMethod = new Map<string, number[]>(forecastMethods(prepareSeries(training), SYNTHETIC_METHODS, 12));
      const chosen = selected[i]!;
      byMethod.set(SELECTED, chosen.monthly.map((m) => Number(m.amount)));
      const actualTotal = actual.reduce((s, v) => s + v, 0);
      const snaiveMase = mase(actual, byMethod.get("seasonalNaive")!, scale);
      for (const [method, forecast] of byMethod) {
        const a = acc.get(method)!;
        const value = mase(actual, forecast, scale);
        a.mase.push(value);
        if (snaiveMase > 0 && value > 0) a.ratio.push(value / snaiveMase);
        a.smape.push(smape(actual, forecast));
        const total = forecast.reduce((s, v) => s + v, 0);
        if (actualTotal > 0) {
          const ape = Math.abs(total - actualTotal) / actualTotal;
          a.ape.push(ape);
          const list = a.byCategory.get(line.category) ?? [];
          list.push(ape);
          a.byCategory.set(line.category, list);
        }
        a.signed += total - actualTotal;
        a.actual += actualTotal;
      }
      chosen.monthly.forEach((m, h) => {
        const value = actual[h]!;
        points++;
        if (value >= Number(m.lower80) && value <= Number(m.upper80)) in80++;
        if (value >= Number(m.lower95) && value <= Number(m.upper95)) in95++;
        winkler80 += winkler(value, Number(m.lower80), Number(m.upper80), 0.2) / scale;
        winkler95 += winkler(value, Number(m.lower95), Number(m.upper95), 0.05) / scale;
      });
      annualPoints++;
      const inside80 = actualTotal >= Number(chosen.interval80.lower) && actualTotal <= Number(chosen.interval80.upper);
      if (inside80) annualIn80++;
      if (actualTotal >= Number(chosen.interval95.lower) && actualTotal <= Number(chosen.interval95.upper)) annualIn95++;
      if (origin === "2022-12" && line.category === ("outpatient" satisfies SyntheticCategory)) capLines.push({ index: i, inside: inside80 });
    });
    if (capLines.length > 0) {
      const chosenLines = capLines.map((c) => selected[c.index]!);
      const total = totalForecast(chosenLines);
      const cut = inputs[capLines[0]!.index]!.amounts.length;
      const actual = capLines.reduce((s, c) => s + lines[c.index]!.amounts.slice(cut, cut + 12).reduce((x, v) => x + v, 0), 0);
      const baseline = capLines.reduce((s, c) => {
        const training = inputs[c.index]!.amounts;
        return s + forecastMethods(prepareSeries(training), ["lastYearGrowth"], 12).get("lastYearGrowth")!.reduce((x, v) => x + v, 0);
      }, 0);
      capChange = {
        origin,
        lines: capLines.length,
        linesInside80: capLines.filter((c) => c.inside).length / capLines.length,
        total: {
          forecast: total.amount,
          lower80: total.interval80.lower,
          upper80: total.interval80.upper,
          actual: actual.toFixed(2),
          inside80: actual >= Number(total.interval80.lower) && actual <= Number(total.interval80.upper),
        },
        totalError: (Number(total.amount) - actual) / actual,
        lastYearGrowthError: (baseline - actual) / actual,
      };
    }
  }
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / Math.max(values.length, 1);
  const scores: MethodScore[] = names.map((method) => {
    const a = acc.get(method)!;
    return {
      method,
      mase: mean(a.mase),
      relativeMase: geometricMean(a.ratio),
      smape: mean(a.smape),
      annualError: mean(a.ape),
      annualBias: a.actual > 0 ? a.signed / a.actual : Number.NaN,
      annualErrorByCategory: Object.fromEntries([...a.byCategory].map(([c, v]) => [c, mean(v)])),
    };
  });
  const chosen = scores.find((s) => s.method === SELECTED)!;
  const baseline = scores.find((s) => s.method === "lastYearGrowth")!;
  return {
    lines: lines.length,
    origins,
    forecasts,
    scores,
    intervals: {
      monthlyCoverage80: in80 / Math.max(points, 1),
      monthlyCoverage95: in95 / Math.max(points, 1),
      annualCoverage80: annualIn80 / Math.max(annualPoints, 1),
      annualCoverage95: annualIn95 / Math.max(annualPoints, 1),
      monthlyWinkler80: winkler80 / Math.max(points, 1),
      monthlyWinkler95: winkler95 / Math.max(points, 1),
    },
    capChange: capChange ?? {
      origin: "2022-12",
      lines: 0,
      linesInside80: Number.NaN,
      total: { forecast: "0.00", lower80: "0.00", upper80: "0.00", actual: "0.00", inside80: false },
      totalError: Number.NaN,
      lastYearGrowthError: Number.NaN,
    },
    categoriesBetterThanLastYearGrowth: Object.keys(chosen.annualErrorByCategory).filter(
      (c) => chosen.annualErrorByCategory[c]! < (baseline.annualErrorByCategory[c] ?? Number.POSITIVE_INFINITY),
    ),
    seconds: (performance.now() - started) / 1000,
  };
}
