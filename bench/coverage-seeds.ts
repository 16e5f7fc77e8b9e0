/**
 * Interval coverage of the generated property sets over several seeds together (decision 029): one seed's
 * 200 series per set move a cell by 3–4 points, and seeds 1–5 against 6–10 (1,000 series per cell each) still by
 * up to 1.9; ten seeds give 2,000 series per cell (addendum 3).
 *
 *   npm run bench:coverage [-- --seeds 10 --first 1]
 *
 * Prints, per property, the 80% / 95% coverage 12 and 24 months ahead, with whole histories and cut to the
 * last 36 months (the mean over the seeds; every seed has the same number of points), and marks the cells
 * outside 75–85% / 92–97%.
 */
import { SERIES_PROPERTIES } from "../forecasting/backtest/properties.ts";
import { PROPERTY_RUNS, runPropertySets } from "../forecasting/backtest/properties-backtest.ts";
import { textTable, withinCoverageBand } from "../forecasting/backtest/report.ts";

const at = process.argv.indexOf("--seeds");
const seeds = at > 0 ? Number(process.argv[at + 1]) : 10;
// Seeds first…first + seeds − 1 (`--seeds 5 --first 6`: seeds 6–10).
const from = process.argv.indexOf("--first");
const first = from > 0 ? Number(process.argv[from + 1]) : 1;

const sums = new Map<string, { c80: number; c95: number }>();
const started = performance.now();
for (let seed = first; seed < first + seeds; seed++) {
  for (const run of PROPERTY_RUNS) {
    for (const score of runPropertySets(seed, run).scores) {
      const key = `${score.property}|${run.label}`;
      const sum = sums.get(key) ?? { c80: 0, c95: 0 };
      sum.c80 += score.coverage80 / seeds;
      sum.c95 += score.coverage95 / seeds;
      sums.set(key, sum);
    }
  }
}
let outside = 0;
const rows = SERIES_PROPERTIES.map((property) => [
  property,
  ...PROPERTY_RUNS.map((run) => {
    const { c80, c95 } = sums.get(`${property}|${run.label}`)!;
    const inBand = withinCoverageBand(c80, c95);
    if (!inBand) outside++;
    return `${(100 * c80).toFixed(1)} / ${(100 * c95).toFixed(1)}${inBand ? "" : " ✘"}`;
  }),
]);
console.log(`Coverage 80% / 95% of the generated property sets, seeds ${first}–${first + seeds - 1} together (${200 * seeds} series per cell):`);
console.log(textTable(["property", ...PROPERTY_RUNS.map((r) => r.label)], rows));
console.log(`${rows.length * PROPERTY_RUNS.length - outside} of ${rows.length * PROPERTY_RUNS.length} cells within 75–85% / 92–97% (${((performance.now() - started) / 1000).toFixed(0)} s)`);
