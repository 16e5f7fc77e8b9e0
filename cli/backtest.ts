import { parseArgs } from "node:util";
import { libraryForecaster, runM3Backtest, type M3Report } from "../forecasting/backtest/m3-backtest.ts";
import { readM3File } from "../forecasting/backtest/read-m3-file.ts";
import { formatM3Report, formatSyntheticReport } from "../forecasting/backtest/report.ts";
import { generateSynthetic } from "../forecasting/backtest/synthetic.ts";
import { runSyntheticBacktest, type SyntheticReport } from "../forecasting/backtest/synthetic-backtest.ts";

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

export const BACKTEST_USAGE = `  budget backtest [--json] [--m3 FILE] [--series N] [--seed S]
                                         预测方法回测：合成数据（N 条预算行，默认 500，种子 S）及 M3 月度数据
                                         (backtest the forecasting methods on synthetic lines and, given --m3, on M3)`;

/**
 * `budget backtest`: the synthetic backtest (and the M3 one with --m3) as text or JSON.
 * Exit 0 when it ran, 1 when the M3 file cannot be read, 2 on bad arguments.
 */
export async function backtestCommand(args: string[], output: NodeJS.WritableStream): Promise<number> {
  let values: { json?: boolean; m3?: string; series?: string; seed?: string };
  try {
    values = parseArgs({
      args,
      options: { json: { type: "boolean" }, m3: { type: "string" }, series: { type: "string" }, seed: { type: "string" } },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (error) {
    return usageError(`参数错误 bad arguments: ${error instanceof Error ? error.message : String(error)}`);
  }
  const series = values.series === undefined ? 500 : Number(values.series);
  if (!Number.isInteger(series) || series < 1 || series > 100_000) {
    return usageError(`--series 应为 1–100000 的整数 must be a whole number from 1 to 100000: ${values.series}`);
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) return usageError(`--seed 应为非负整数 must be a non-negative whole number: ${values.seed}`);
  if (values.m3 !== undefined && values.m3.trim() === "") return usageError("--m3 需要文件路径 needs a file path");

  let m3: M3Report | undefined;
  if (values.m3 !== undefined) {
    try {
      m3 = runM3Backtest(await readM3File(values.m3), libraryForecaster());
    } catch (error) {
      process.stderr.write(`错误 error: 无法读取 M3 文件 cannot read the M3 file ${values.m3}: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT_FAILED;
    }
  }
  const synthetic: SyntheticReport = runSyntheticBacktest(generateSynthetic({ series, seed }));
  if (values.json) {
    output.write(`${JSON.stringify({ synthetic, m3 }, null, 2)}\n`);
    return EXIT_OK;
  }
  output.write(`${formatSyntheticReport(synthetic)}\n`);
  if (m3) output.write(`\n${formatM3Report(m3)}\n`);
  return EXIT_OK;
}

function usageError(message: string): number {
  process.stderr.write(`错误 error: ${message}\n\n用法 Usage:\n${BACKTEST_USAGE}\n`);
  return EXIT_USAGE;
}
