/*
 * npm run bench:forecast — the forecasting library's backtests and speed (issue 5).
 *
 *   npx tsx bench/forecast.ts [--m3 FILE] [--series 500] [--seed 1] [--speed 10000]
 *
 * 1. Synthetic backtest: 500 seeded budget lines (2020–2024), origins at the ends of 2021–2023.
 * 2. Property backtest (issue 18): 200 seeded series each with zeros, level shifts, old regimes, short histories,
 *    drifting month profiles, long stable histories; 12 and 24 months ahead, with whole histories and cut to 36 months.
 * 3. M3 monthly backtest on --m3 FILE, or $M3_FILE, or ../shared/benchmarks/m3-monthly.csv when present
 *    (the product never reads it; only this bench does). Also the "weighted" and "best" rules, every series
 *    cut to its last 36 months of training (what planners have), and 24 months ahead, whole and cut.
 * 4. Speed: selection + forecast of 10,000 series of 36 months (series/s, peak memory), and the full
 *    zero-based forecast (volume × unit cost, intervals by simulation) of 10,000 lines.
 * 5. The speed of the ETS step (ETS and ARIMA joining by CV; the default on histories of four years or more):
 *    five- and nine-year histories with and without it.
 * Prints a report and writes bench/results/forecast-latest.json.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { forecastBudgetLines } from "../forecasting/budget-line.ts";
import { cutHistory, libraryForecaster, runM3Backtest, type M3Report } from "../forecasting/backtest/m3-backtest.ts";
import { readM3File } from "../forecasting/backtest/read-m3-file.ts";
import { formatM3Report, formatSyntheticReport, TARGETS } from "../forecasting/backtest/report.ts";
import { generateProperties } from "../forecasting/backtest/properties.ts";
import { formatPropertyReport, PROPERTY_RUNS, runPropertySets } from "../forecasting/backtest/properties-backtest.ts";
import { generateSynthetic } from "../forecasting/backtest/synthetic.ts";
import { lineAtOrigin, runSyntheticBacktest } from "../forecasting/backtest/synthetic-backtest.ts";
import { forecastSeries, LONG_HISTORY_ETS } from "../forecasting/selection.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const option = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const seriesCount = Number(option("series") ?? 500);
const seed = Number(option("seed") ?? 1);
const speedCount = Number(option("speed") ?? 10_000);
const m3Path = option("m3") ?? process.env.M3_FILE ?? path.join(ROOT, "..", "shared", "benchmarks", "m3-monthly.csv");

let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const sampler = setInterval(sample, 50);

console.log(`预测库基准 forecasting bench — Node ${process.version}, ${new Date().toISOString()}\n`);

const synthetic = runSyntheticBacktest(generateSynthetic({ series: seriesCount, seed }));
console.log(formatSyntheticReport(synthetic));

// The properties 12 and 24 months ahead, with their whole histories and cut to the last 36 months.
const [properties, properties24, properties24cut, properties12cut] = PROPERTY_RUNS.map((run) => {
  const report = runPropertySets(seed, run);
  console.log(`\n${formatPropertyReport(report)}`);
  return report;
});

let m3: M3Report | undefined;
const m3Rules: Record<string, { smape: number; worseThanNaive2: string[] }> = {};
const m3Ahead24: Record<string, unknown> = {};
let m3Short: { series: number; smape: number; mase: number; seasonalNaiveSmape: number; seasonalNaiveMase: number; coverage80: number; coverage95: number } | undefined;
if (existsSync(m3Path)) {
  const series = await readM3File(m3Path);
  m3 = runM3Backtest(series, libraryForecaster("median"));
  console.log(`\n${formatM3Report(m3)}`);
  for (const rule of ["weighted", "best"] as const) {
    const report = runM3Backtest(series, libraryForecaster(rule));
    const selected = report.scores.find((s) => s.method === "selected")!;
    m3Rules[rule] = { smape: selected.smape, worseThanNaive2: report.worseThanNaive2 };
  }
  // Every series cut to 36 months of training (+ its 18-month hold-out): what planners have.
  const cut = cutHistory(series, 36);
  const short = runM3Backtest(cut, libraryForecaster("median"));
  const score = (m: string) => short.scores.find((x) => x.method === m)!;
  m3Short = {
    series: cut.length,
    smape: score("selected").smape,
    mase: score("selected").mase,
    seasonalNaiveSmape: score("seasonalNaive").smape,
    seasonalNaiveMase: score("seasonalNaive").mase,
    coverage80: short.coverage80,
    coverage95: short.coverage95,
  };
  console.log(
    `M3 cut to 36 months of training: selected sMAPE ${m3Short.smape.toFixed(2)}, MASE ${m3Short.mase.toFixed(3)}; seasonal naive ${m3Short.seasonalNaiveSmape.toFixed(2)}, ` +
      `${m3Short.seasonalNaiveMase.toFixed(3)}; coverage 80% ${(100 * m3Short.coverage80).toFixed(1)}%, 95% ${(100 * m3Short.coverage95).toFixed(1)}%`,
  );
  // M3 24 months ahead (the last 24 values held out), with whole histories and cut to 36 months.
  const ahead24 = series.map((s) => ({ ...s, horizon: 24 }));
  for (const [label, set] of [["whole histories", ahead24], ["each fitted on its last 36 months", cutHistory(ahead24, 36)]] as const) {
    const r = runM3Backtest(set, libraryForecaster("median"));
    const m = (name: string) => r.scores.find((x) => x.method === name)!.mase.toFixed(3);
    m3Ahead24[label] = { selected: Number(m("selected")), seasonalNaive: Number(m("seasonalNaive")), etsAicc: Number(m("etsAicc")), coverage80: r.coverage80, coverage95: r.coverage95 };
    console.log(
      `M3 24 months ahead, ${label}: selected MASE ${m("selected")}, seasonal naive ${m("seasonalNaive")}, ETS by AICc ${m("etsAicc")}, Theta ${m("theta")}; ` +
        `coverage ${(100 * r.coverage80).toFixed(1)}% / ${(100 * r.coverage95).toFixed(1)}%`,
    );
  }
  console.log(
    `other selection rules on M3: ${Object.entries(m3Rules)
      .map(([rule, r]) => `${rule} ${r.smape.toFixed(2)} (worse than Naive2 in: ${r.worseThanNaive2.join(", ") || "none"})`)
      .join("; ")}`,
  );
} else {
  console.log(`\nM3 file not found (${m3Path}); pass --m3 FILE or set M3_FILE to run the M3 backtest.`);
}

// Speed: person-time series of 36 months (2022–2024), selection (CV) + forecast of 12 months.
const speedLines = generateSynthetic({ series: speedCount, seed: seed + 1000, start: "2022-01", months: 36 });
const speedSeries = speedLines.map((l) => l.personTimes);
sample();
const cpuBefore = process.cpuUsage();
let started = performance.now();
for (const values of speedSeries) forecastSeries(values, { horizon: 12 });
const selectionSeconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
sample();
// The whole zero-based forecast of the same lines for 2025 (volume and unit cost, 1,000 simulated paths each).
const inputs = speedLines.map((l) => lineAtOrigin(l, "2024-12"));
started = performance.now();
forecastBudgetLines(inputs, { draws: 1000 });
const linesSeconds = (performance.now() - started) / 1000;
sample();
clearInterval(sampler);
const maxRssKb = process.resourceUsage().maxRSS;
const speed = {
  series: speedSeries.length,
  months: 36,
  selectionSeconds,
  seriesPerSecond: speedSeries.length / selectionSeconds,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  budgetLinesSeconds: linesSeconds,
  budgetLinesPerSecond: inputs.length / linesSeconds,
  peakRssMb: Math.max(peakRss, maxRssKb * 1024) / 2 ** 20,
};
console.log(
  `\n速度 speed: selection + forecast of ${speed.series} series × 36 months in ${speed.selectionSeconds.toFixed(2)} s = ` +
    `${speed.seriesPerSecond.toFixed(0)} series/s (one thread; target ≥ ${TARGETS.seriesPerSecond}: ${speed.seriesPerSecond >= TARGETS.seriesPerSecond ? "met" : "missed"}); ` +
    `full zero-based line forecasts (volume + unit cost + 1,000 paths) ${speed.budgetLinesPerSecond.toFixed(0)} lines/s; peak RSS ${speed.peakRssMb.toFixed(0)} MB`,
);

// 5. Issue 18: the speed of the ETS step (ETS and ARIMA joining by CV; the default on histories of four years
// or more), the default against the same forecast without it, back to back (the machine's load varies).
const etsStep: Record<string, unknown> = { candidates: LONG_HISTORY_ETS };
{
  const rate = (series: readonly number[][], options: object) => {
    const t = performance.now();
    for (const values of series) forecastSeries(values, { horizon: 12, ...options });
    return series.length / ((performance.now() - t) / 1000);
  };
  // Five-year histories (the synthetic lines of 2020–2024) and nine-year ones (the generated long set).
  const fiveYears = generateSynthetic({ series: 2000, seed: seed + 3000, start: "2020-01", months: 60 }).map((l) => l.personTimes);
  const longSeries = generateProperties({ seed: seed + 2000, perProperty: 1000 })
    .filter((s) => s.category === "long")
    .map((s) => Array.from(s.values).slice(0, 108));
  const fiveDefault = rate(fiveYears, {});
  const fiveWithout = rate(fiveYears, { etsCandidates: [] });
  const longDefault = rate(longSeries, {});
  const longWithout = rate(longSeries, { etsCandidates: [] });
  etsStep.speed = {
    fiveYearSeries: fiveYears.length,
    fiveYearSeriesPerSecond: { default: fiveDefault, withoutEts: fiveWithout },
    longSeries: longSeries.length,
    longSeriesPerSecond: { default: longDefault, withoutEts: longWithout },
  };
  console.log(
    `\nspeed with the ETS step (candidates ${LONG_HISTORY_ETS.join(", ")}): ${fiveYears.length} series × 60 months: default ${fiveDefault.toFixed(0)} series/s, ` +
      `without the step ${fiveWithout.toFixed(0)} series/s; ${longSeries.length} series × 108 months: default ${longDefault.toFixed(0)} series/s, without it ${longWithout.toFixed(0)} series/s`,
  );
}

const resultsDir = path.join(ROOT, "bench", "results");
await mkdir(resultsDir, { recursive: true });
const file = path.join(resultsDir, "forecast-latest.json");
await writeFile(
  file,
  `${JSON.stringify({ ranAt: new Date().toISOString(), node: process.version, targets: TARGETS, synthetic, properties, properties24, properties24cut, properties12cut, m3, m3Short, m3Ahead24, m3Rules, speed, etsStep }, null, 2)}\n`,
);
console.log(`\n结果 results: ${path.relative(ROOT, file)}`);
