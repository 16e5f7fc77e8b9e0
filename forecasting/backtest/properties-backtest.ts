import { cutHistory, ETS_REFERENCE, libraryForecaster, runM3Backtest, type Forecaster, type HoldoutSeries } from "./m3-backtest.ts";
import { generateProperties, SERIES_PROPERTIES } from "./properties.ts";
import { textTable } from "./report.ts";

/** The library against seasonal naive on one property set (intervals calibrated within the set). */
export interface PropertyScore {
  property: string;
  series: number;
  /** Mean MASE of the selected forecast and of seasonal naive, over the set's series. */
  mase: number;
  seasonalNaiveMase: number;
  /** Mean MASE of the ETS family chosen by AICc (R's forecast::ets; NaN when the forecaster has none). */
  etsMase: number;
  smape: number;
  seasonalNaiveSmape: number;
  coverage80: number;
  coverage95: number;
}

/** What the property backtest measured. */
export interface PropertyReport {
  /** Months held out, and the months of history every series was cut to (absent: as generated). */
  horizon: number;
  history?: number;
  scores: PropertyScore[];
  seconds: number;
}

/**
 * Backtests each property set apart (generateProperties): runPropertyBacktest(generateProperties()).scores
 * → one row per property with the library's and seasonal naive's mean MASE and the interval coverage.
 */
export function runPropertyBacktest(series: readonly HoldoutSeries[], forecaster: Forecaster = libraryForecaster(), history?: number): PropertyReport {
  const started = performance.now();
  const properties = [...new Set(series.map((s) => s.category))].sort(
    (a, b) => SERIES_PROPERTIES.indexOf(a as never) - SERIES_PROPERTIES.indexOf(b as never),
  );
  const scores = properties.map((property): PropertyScore => {
    const set = series.filter((s) => s.category === property);
    const report = runM3Backtest(set, forecaster);
    const selected = report.scores.find((s) => s.method === "selected")!;
    const naive = report.scores.find((s) => s.method === "seasonalNaive")!;
    const ets = report.scores.find((s) => s.method === ETS_REFERENCE);
    return {
      property,
      series: set.length,
      mase: selected.mase,
      seasonalNaiveMase: naive.mase,
      etsMase: ets?.mase ?? Number.NaN,
      smape: selected.smape,
      seasonalNaiveSmape: naive.smape,
      coverage80: report.coverage80,
      coverage95: report.coverage95,
    };
  });
  return { horizon: series[0]?.horizon ?? 0, ...(history !== undefined ? { history } : {}), scores, seconds: (performance.now() - started) / 1000 };
}

/** The property runs of the benches: 12 and 24 months ahead, with whole histories and cut to their last 36 months. */
export const PROPERTY_RUNS = [
  { label: "12 ahead", horizon: 12 },
  { label: "24 ahead", horizon: 24 },
  { label: "24 ahead, 36 months", horizon: 24, history: 36 },
  { label: "12 ahead, 36 months", horizon: 12, history: 36 },
] as const satisfies ReadonlyArray<{ label: string; horizon: number; history?: number }>;

/** One property run on the seeded sets: runPropertySets(1, PROPERTY_RUNS[2]).history → 36. */
export function runPropertySets(seed: number, run: (typeof PROPERTY_RUNS)[number]): PropertyReport {
  const generated = generateProperties({ seed, horizon: run.horizon });
  if (!("history" in run)) return runPropertyBacktest(generated);
  return runPropertyBacktest(cutHistory(generated, run.history), undefined, run.history);
}

const pct = (value: number) => (Number.isFinite(value) ? `${(100 * value).toFixed(1)}%` : "—");

/** The property backtest as text: per property, the library's MASE against seasonal naive's and ETS's, and coverage. */
export function formatPropertyReport(report: PropertyReport): string {
  const rows = report.scores.map((s) => [
    s.property,
    String(s.series),
    s.mase.toFixed(3),
    s.seasonalNaiveMase.toFixed(3),
    (s.mase / s.seasonalNaiveMase).toFixed(3),
    Number.isFinite(s.etsMase) ? s.etsMase.toFixed(3) : "—",
    s.smape.toFixed(2),
    s.seasonalNaiveSmape.toFixed(2),
    pct(s.coverage80),
    pct(s.coverage95),
    s.mase <= s.seasonalNaiveMase ? "met" : "missed",
    Number.isFinite(s.etsMase) ? (s.mase <= s.etsMase ? "met" : "missed") : "—",
  ]);
  const cut = report.history !== undefined ? `, each fitted on its last ${report.history} months` : "";
  return [
    `Property backtest (issue 18): seeded series by property, ${report.horizon}-month hold-out${cut} (${report.seconds.toFixed(1)} s)`,
    textTable(["property", "series", "MASE", "sNaive MASE", "ratio", "ETS MASE", "sMAPE", "sNaive sMAPE", "cover 80%", "cover 95%", "≤ sNaive", "≤ ETS"], rows),
    "ETS: the ETS family chosen by AICc, as R's forecast::ets chooses it (a reference, not part of the selection).",
  ].join("\n");
}
