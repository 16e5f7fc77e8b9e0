import { ETS_REFERENCE, type M3Report } from "./m3-backtest.ts";
import type { SyntheticReport } from "./synthetic-backtest.ts";

/** Published and recomputed M3 monthly anchors (sMAPE, h = 1–18) and the targets of issue 5. */
export const M3_ANCHORS = { seasonalNaive: 17.24, naive2: 16.77, ses: 14.26, theta: 13.93, thetaPublished: 13.85 } as const;

/** Targets of the synthetic backtest and the speed test. */
export const TARGETS = {
  relativeMase: 0.9,
  coverage80: [0.72, 0.88] as const,
  coverage95: 0.9,
  annualBias: 0.03,
  seriesPerSecond: 1000,
  m3Selected: 13.85,
} as const;

/** Issue 18's interval target: 80% intervals covering 75–85% and 95% intervals 92–97% of the held-out months. */
export const withinCoverageBand = (coverage80: number, coverage95: number) =>
  coverage80 >= 0.75 && coverage80 <= 0.85 && coverage95 >= 0.92 && coverage95 <= 0.97;

const width = (text: string) => [...text].reduce((sum, ch) => sum + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);

/** A fixed-width text table (CJK characters count double): textTable(["a"], [["1"]]) → "a\n-\n1". */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const cells = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...cells.map((row) => width(row[c] ?? ""))));
  const line = (row: readonly string[]) =>
    row.map((cell, c) => (c === 0 ? cell + " ".repeat(widths[c]! - width(cell)) : " ".repeat(widths[c]! - width(cell)) + cell)).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const pct = (value: number, digits = 1) => (Number.isFinite(value) ? `${(100 * value).toFixed(digits)}%` : "—");
const fixed = (value: number | undefined, digits = 2) => (value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : "—");
const verdict = (ok: boolean) => (ok ? "met" : "missed");

/** Whether a backtest ran on the M3 monthly set itself (1,428 series, h = 18): only then are its published anchors shown. */
const isM3 = (report: M3Report) => report.series === 1428 && report.horizons.min === 18 && report.horizons.max === 18;

/**
 * The report of a monthly file (M3 or another in its format) as text (English: a report of the library,
 * printed as is by `budget backtest` in either language): per method and category, the selected forecast
 * against seasonal naive and the ETS reference, anchors and targets on M3. `history`: months the series were cut to.
 */
export function formatM3Report(report: M3Report, history?: number): string {
  const categories = Object.keys(report.categories);
  const m3 = isM3(report) && history === undefined;
  const rows = report.scores.map((s) => [
    s.method,
    fixed(s.smape),
    ...(m3 ? [fixed(M3_ANCHORS[s.method as keyof typeof M3_ANCHORS] as number | undefined)] : []),
    fixed(s.mase, 3),
    ...categories.map((c) => fixed(s.smapeByCategory[c])),
  ]);
  const score = (method: string) => report.scores.find((s) => s.method === method);
  const selected = score("selected");
  const naive = score("seasonalNaive");
  const ets = score(ETS_REFERENCE);
  const h = report.horizons.min === report.horizons.max ? `h = 1–${report.horizons.max}` : `h = 1–H (H = ${report.horizons.min}–${report.horizons.max} by series)`;
  const cut = history !== undefined ? `, each fitted on its last ${history} months` : "";
  const versus = (other: typeof naive, name: string) =>
    other ? `selected MASE ${fixed(selected?.mase, 3)} vs ${name} ${fixed(other.mase, 3)} (ratio ${fixed((selected?.mase ?? Number.NaN) / other.mase, 3)}): ${verdict((selected?.mase ?? Infinity) <= other.mase)}` : undefined;
  return [
    `${m3 ? "M3 monthly backtest" : "Monthly backtest"}: ${report.series} series, fit on n − h${cut}, sMAPE and MASE over ${h} (${report.seconds.toFixed(1)} s)`,
    textTable(["method", "sMAPE", ...(m3 ? ["anchor"] : []), "MASE", ...categories.map((c) => `${c} (${report.categories[c]})`)], rows),
    ...(m3 ? [`selected sMAPE ${fixed(selected?.smape)} (target ≤ ${TARGETS.m3Selected}): ${verdict((selected?.smape ?? Infinity) <= TARGETS.m3Selected)}`] : []),
    versus(naive, "seasonal naive"),
    versus(ets, "ETS by AICc (as forecast::ets)"),
    `categories worse than Naive2: ${report.worseThanNaive2.length === 0 ? "none" : report.worseThanNaive2.join(", ")}: ${verdict(report.worseThanNaive2.length === 0)}`,
    `intervals of the selected forecast: 80% coverage ${pct(report.coverage80)}, 95% coverage ${pct(report.coverage95)} (target 75–85% / 92–97%): ` +
      `${verdict(withinCoverageBand(report.coverage80, report.coverage95))}; ` +
      `Winkler (scaled) 80% ${fixed(report.winkler80)}, 95% ${fixed(report.winkler95)}`,
    Number.isFinite(report.selectionSeconds) && report.selectionSeconds > 0
      ? `speed of the selected forecast alone: ${report.series} series in ${report.selectionSeconds.toFixed(2)} s = ${(report.series / report.selectionSeconds).toFixed(0)} series/s ` +
        `(one thread; target ≥ ${TARGETS.seriesPerSecond}: ${verdict(report.series / report.selectionSeconds >= TARGETS.seriesPerSecond)})`
      : undefined,
  ]
    .filter((line) => line !== undefined)
    .join("\n");
}

/** The synthetic backtest as text: per method, intervals, the cap-change replay and the targets. */
export function formatSyntheticReport(report: SyntheticReport): string {
  const categories = [...new Set(report.scores.flatMap((s) => Object.keys(s.annualErrorByCategory)))];
  const rows = report.scores.map((s) => [
    s.method,
    fixed(s.mase, 3),
    fixed(s.relativeMase, 3),
    fixed(s.smape),
    pct(s.annualError),
    pct(s.annualBias, 2),
    ...categories.map((c) => pct(s.annualErrorByCategory[c] ?? Number.NaN)),
  ]);
  const selected = report.scores.find((s) => s.method === "selected")!;
  const baseline = report.scores.find((s) => s.method === "lastYearGrowth")!;
  const i = report.intervals;
  const cap = report.capChange;
  return [
    `Synthetic backtest: ${report.lines} lines × origins ${report.origins.join(", ")} = ${report.forecasts} forecasts of 12 months (${report.seconds.toFixed(1)} s)`,
    textTable(["method", "MASE", "rel. MASE", "sMAPE", "annual err", "annual bias", ...categories.map((c) => `err ${c}`)], rows),
    `relative MASE vs seasonal naive ${fixed(selected.relativeMase, 3)} (target ≤ ${TARGETS.relativeMase}): ${verdict(selected.relativeMase <= TARGETS.relativeMase)}`,
    `annual-total error ${pct(selected.annualError)} vs last year × (1+g) ${pct(baseline.annualError)}: ${verdict(selected.annualError < baseline.annualError)}; ` +
      `better in ${report.categoriesBetterThanLastYearGrowth.length} of ${categories.length} categories (${report.categoriesBetterThanLastYearGrowth.join(", ")})`,
    `annual bias ${pct(selected.annualBias, 2)} (target within ±3%): ${verdict(Math.abs(selected.annualBias) <= TARGETS.annualBias)}`,
    `monthly coverage 80% ${pct(i.monthlyCoverage80)} (target 72–88%): ${verdict(i.monthlyCoverage80 >= 0.72 && i.monthlyCoverage80 <= 0.88)}; ` +
      `95% ${pct(i.monthlyCoverage95)} (target ≥ 90%): ${verdict(i.monthlyCoverage95 >= 0.9)}`,
    `annual coverage 80% ${pct(i.annualCoverage80)}, 95% ${pct(i.annualCoverage95)}; Winkler (scaled, monthly) 80% ${fixed(i.monthlyWinkler80)}, 95% ${fixed(i.monthlyWinkler95)}`,
    `cap change 2,500 → 2,800 replayed from ${cap.origin}: ${cap.lines} outpatient lines, ${pct(cap.linesInside80)} of their 2023 totals inside the 80% interval; ` +
      `all together: forecast ${cap.total.forecast}, 80% [${cap.total.lower80}, ${cap.total.upper80}], actual ${cap.total.actual} → ${cap.total.inside80 ? "inside" : "outside"}; ` +
      `error ${pct(cap.totalError, 2)} vs last year × (1+g) ${pct(cap.lastYearGrowthError, 2)}`,
  ].join("\n");
}
