import { cutHistory, libraryForecaster, runM3Backtest, type HoldoutSeries, type M3Report } from "../forecasting/backtest/m3-backtest.ts";
import { readM3File } from "../forecasting/backtest/read-m3-file.ts";
import { formatM3Report, formatSyntheticReport } from "../forecasting/backtest/report.ts";
import { generateProperties } from "../forecasting/backtest/properties.ts";
import { formatPropertyReport, runPropertyBacktest, type PropertyReport } from "../forecasting/backtest/properties-backtest.ts";
import { generateSynthetic } from "../forecasting/backtest/synthetic.ts";
import { runSyntheticBacktest, type SyntheticReport } from "../forecasting/backtest/synthetic-backtest.ts";
import { cliLanguage, msg, render, type Message } from "../messages/index.ts";
import { parseCommandLine, UsageError } from "./args.ts";

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** The usage lines of this command, slotted into the CLI's usage (cli/main.ts) and printed under its own errors. */
export const BACKTEST_USAGE: Message = msg("cliBacktestUsage");

/** A message in the CLI's language. */
const text = (message: Message) => render(cliLanguage(), message);

/**
 * `budget backtest`: the synthetic backtest (and the M3 one with --m3) as text or JSON.
 * Exit 0 when it ran, 1 when the M3 file cannot be read, 2 on bad arguments.
 */
export async function backtestCommand(args: string[], output: NodeJS.WritableStream): Promise<number> {
  let values: { json?: boolean; m3?: string; series?: string; seed?: string; horizon?: string; history?: string };
  try {
    const parsed = parseCommandLine(args, {
      json: { type: "boolean" },
      m3: { type: "string" },
      series: { type: "string" },
      seed: { type: "string" },
      horizon: { type: "string" },
      history: { type: "string" },
    } as const);
    if (parsed.positionals.length > 0) return usageError(msg("cliUnexpectedArgs", { args: parsed.positionals.join(" ") }));
    values = parsed.values;
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message);
    throw error;
  }
  const series = values.series === undefined ? 500 : Number(values.series);
  if (!Number.isInteger(series) || series < 1 || series > 100_000) {
    return usageError(msg("cliBacktestSeries", { value: values.series ?? "" }));
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) return usageError(msg("cliBacktestSeed", { value: values.seed ?? "" }));
  if (values.m3 !== undefined && values.m3.trim() === "") return usageError(msg("cliBacktestM3Path"));
  const horizon = values.horizon === undefined ? 12 : Number(values.horizon);
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 60) return usageError(msg("cliBacktestHorizon", { value: values.horizon ?? "" }));
  const history = values.history === undefined ? undefined : Number(values.history);
  if (history !== undefined && (!Number.isInteger(history) || history < 12 || history > 1000)) {
    return usageError(msg("cliBacktestHistory", { value: values.history ?? "" }));
  }
  const cut = <T extends HoldoutSeries>(series: T[]) => (history === undefined ? series : cutHistory(series, history));

  let m3: M3Report | undefined;
  if (values.m3 !== undefined) {
    try {
      m3 = runM3Backtest(cut(await readM3File(values.m3)), libraryForecaster());
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${text(msg("cliError", { text: msg("cliBacktestM3Unreadable", { file: values.m3, reason }) }))}\n`);
      return EXIT_FAILED;
    }
  }
  const synthetic: SyntheticReport = runSyntheticBacktest(generateSynthetic({ series, seed }));
  // The properties real budget series have (zeros, level shifts, old regimes, short histories): 200 series each (fewer with a small --series).
  const properties: PropertyReport = runPropertyBacktest(cut(generateProperties({ seed, perProperty: Math.min(200, series), horizon })), undefined, history);
  if (values.json) {
    output.write(`${JSON.stringify({ synthetic, properties, m3 }, null, 2)}\n`);
    return EXIT_OK;
  }
  output.write(`${formatSyntheticReport(synthetic)}\n`);
  output.write(`\n${formatPropertyReport(properties)}\n`);
  if (m3) output.write(`\n${formatM3Report(m3, history)}\n`);
  return EXIT_OK;
}

/** Prints a bad argument with this command's usage (not the whole CLI's): exit 2. */
function usageError(problem: string | Message): number {
  process.stderr.write(`${text(msg("cliError", { text: problem }))}\n\n${text(msg("cliUsageHeading"))}\n${text(BACKTEST_USAGE)}\n`);
  return EXIT_USAGE;
}
