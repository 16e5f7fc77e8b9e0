import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import type { DB } from "../db/pool.ts";
import { runImport, type ImportReport } from "../db/import.ts";
import { IMPORT_KINDS, ImportFormatError, missingColumnsProblem, type ImportKind } from "../domain/import/columns.ts";
import { openTable, TableFileError, UnknownSheetError, type OpenedTable } from "../files/read-table.ts";
import { parseCommandLine, UsageError } from "./args.ts";
import { formatAmount } from "../domain/money.ts";

export const IMPORT_USAGE = `  budget import FILE --kind budget-lines|adjustments|payments [--sheet NAME] [--dry-run] [--accept-over-budget] [--json]
                                         导入 XLSX/CSV（先检查，全部通过才一次性写入）(import a file: all rows or none);
                                         多个工作表时读取第一个含所需列的，--sheet 指定工作表 (--sheet picks the worksheet);
                                         单笔支付超过其项目全年调整后预算时，核对后须加 --accept-over-budget 才导入
                                         (a payment larger than its project's budget for the year needs --accept-over-budget)`;

/** The SHA-256 of a file's bytes, streamed. */
export async function fileHash(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Prints a report as a person reads it: summary, then every error and warning with row and column. */
export function formatImportReport(report: ImportReport, fileName: string, dryRun: boolean): string {
  const lines: string[] = [];
  const verdict = report.alreadyImported
    ? "该文件此前已导入，未作改动 already imported, nothing changed"
    : report.errors.length > 0 || report.moreErrors > 0
      ? "有错误，未导入任何行 rejected: nothing imported"
      : report.overBudgetRefused
        ? "有超预算支付未经确认，未导入任何行 payments over budget not acknowledged: nothing imported"
        : report.committed
        ? "已导入 imported"
        : dryRun
          ? "检查通过（试运行，未写入）dry run passed, nothing written"
          : "未导入 not imported";
  lines.push(`${fileName}（${report.kind}）：${verdict}`);
  lines.push(
    `读取 ${report.rowsRead} 行：新增 ${report.added}，更新 ${report.updated}，已存在 ${report.unchanged}，重复 ${report.duplicates}，错误 ${report.errorRows}，` +
      `合计行（已核对，不导入）${report.rows.filter((row) => row.status === "total").length}，提示 ${report.warnings.length}`,
  );
  if (report.newUnits.length > 0) lines.push(`新建单位 new units: ${report.newUnits.join("、")}`);
  if (report.newProjects.length > 0) lines.push(`新建项目 new projects: ${report.newProjects.join("、")}`);
  const where = (problem: { rowNumber: number; column: string | null }) =>
    [problem.rowNumber > 0 ? `第${problem.rowNumber}行` : "", problem.column ? `“${problem.column}”列` : ""].filter(Boolean).join(" ");
  const line = (label: string, problem: { rowNumber: number; column: string | null; message: string }) => {
    const place = where(problem);
    return `${label}${place ? ` ${place}` : ""}：${problem.message}`;
  };
  for (const error of report.errors) lines.push(line("错误", error));
  if (report.moreErrors > 0) lines.push(`……另有 ${report.moreErrors} 个错误`);
  for (const warning of report.warnings) lines.push(line("提示", warning));
  lines.push(...overBudgetLines(report, dryRun));
  return `${lines.join("\n")}\n`;
}

/** The payments larger than their project's whole budget for the year, set apart, and what to do (decision 012). */
function overBudgetLines(report: ImportReport, dryRun: boolean): string[] {
  if (report.overBudgetCount === 0) return [];
  const lines = [
    "",
    `注意：${report.overBudgetCount} 笔支付的单笔金额超过其项目全年调整后预算，疑似元/万元混淆 ` +
      `(WARNING: ${report.overBudgetCount} payment(s) larger than their project's adjusted budget for the year: 元/万元 slips?)`,
  ];
  for (const payment of report.overBudget) {
    lines.push(`  第${payment.rowNumber}行 ${payment.unit} ${payment.project}（${payment.year}年）：支付 ${formatAmount(payment.amount)} 元 > 调整后预算 ${formatAmount(payment.budget)} 元`);
  }
  if (report.overBudgetCount > report.overBudget.length) lines.push(`  ……另有 ${report.overBudgetCount - report.overBudget.length} 笔`);
  if (report.committed) lines.push("已按 --accept-over-budget 确认导入，确认记入变更记录 (acknowledged with --accept-over-budget; recorded in the audit trail)");
  else if (report.overBudgetRefused || dryRun) {
    lines.push("请逐笔核对原始凭证；确认无误后加 --accept-over-budget 导入 (check each against its voucher; if right, import with --accept-over-budget)");
  }
  return lines;
}

/**
 * Opens a file for import of a kind, as the CLI and the import page do: the worksheet named `sheet`,
 * else (several worksheets) the first whose header has the kind's required columns.
 */
export function openImportTable(source: Parameters<typeof openTable>[0], kind: ImportKind, sheet?: string): Promise<OpenedTable> {
  return openTable(source, { sheet, headerProblem: (headers) => missingColumnsProblem(kind, headers) });
}

/**
 * budget import FILE --kind KIND [--sheet NAME] [--dry-run] [--accept-over-budget] [--json]: exit 0 when
 * imported (or, dry, when clean), 1 with the error list when the data is rejected or payments over their
 * project's budget were not acknowledged, 2 on bad arguments (an unknown sheet included).
 */
export async function importCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    kind: { type: "string" },
    sheet: { type: "string" },
    "dry-run": { type: "boolean" },
    "accept-over-budget": { type: "boolean" },
    json: { type: "boolean" },
  } as const);
  const [file, ...extra] = positionals;
  const { kind, json, sheet } = values;
  const dryRun = values["dry-run"] ?? false;
  if (!file) throw new UsageError("缺少文件 missing FILE");
  if (extra.length > 0) throw new UsageError(`多余的参数 unexpected arguments: ${extra.join(" ")}`);
  if (!kind || !(IMPORT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind 应为 ${IMPORT_KINDS.join("|")}`);
  if (!existsSync(file)) throw new UsageError(`文件不存在 no such file: ${file}`);

  if (sheet !== undefined && sheet.trim() === "") throw new UsageError("--sheet 需要工作表名称 (--sheet needs a worksheet name)");

  let report: ImportReport;
  try {
    let table: OpenedTable;
    try {
      table = await openImportTable({ path: file }, kind as ImportKind, sheet);
    } catch (error) {
      if (error instanceof UnknownSheetError) throw new UsageError(error.message);
      throw error;
    }
    if (sheet !== undefined && table.format !== "xlsx") {
      await table.close();
      throw new UsageError("--sheet 只适用于 XLSX 工作簿 (--sheet applies to XLSX workbooks only)");
    }
    report = await runImport(db, {
      kind: kind as ImportKind,
      source: table,
      fileHash: await fileHash(file),
      fileName: file.split(/[\\/]/).pop() ?? file,
      importer: { userId: null, username: "cli", unitSubtree: null, defaultParentUnitId: null },
      commit: !dryRun,
      acceptOverBudget: values["accept-over-budget"] ?? false,
    });
    for (const note of table.notes) report.warnings.push({ rowNumber: 0, column: null, message: note });
  } catch (error) {
    if (!(error instanceof TableFileError || error instanceof ImportFormatError)) throw error;
    if (json) output.write(`${JSON.stringify({ file, kind, error: error.message }, null, 2)}\n`);
    else process.stderr.write(`错误 error: ${error.message}\n`);
    return 1;
  }
  output.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatImportReport(report, file, dryRun));
  if (report.overBudgetRefused) {
    process.stderr.write(
      `错误 error: ${report.overBudgetCount} 笔支付超过其项目全年调整后预算，未导入任何行；核对无误后加 --accept-over-budget 重新导入 ` +
        `(${report.overBudgetCount} payment(s) exceed their project's budget for the year: nothing imported; check them, then run again with --accept-over-budget)\n`,
    );
  }
  return report.errors.length > 0 || report.moreErrors > 0 || report.overBudgetRefused ? 1 : 0;
}
