import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import type { DB } from "../db/connection.ts";
import { runImport, type ImportReport } from "../db/import.ts";
import { IMPORT_KINDS, ImportFormatError, missingColumnsProblem, type ImportKind } from "../domain/import/columns.ts";
import { openTable, TableFileError, UnknownSheetError, type OpenedTable } from "../files/read-table.ts";
import { parseCommandLine, UsageError } from "./args.ts";

export const IMPORT_USAGE = `  budget import FILE --kind budget-lines|adjustments|payments [--sheet NAME] [--dry-run] [--json]
                                         导入 XLSX/CSV（先检查，全部通过才一次性写入）(import a file: all rows or none);
                                         多个工作表时读取第一个含所需列的，--sheet 指定工作表 (--sheet picks the worksheet)`;

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
  return `${lines.join("\n")}\n`;
}

/**
 * Opens a file for import of a kind, as the CLI and the import page do: the worksheet named `sheet`,
 * else (several worksheets) the first whose header has the kind's required columns.
 */
export function openImportTable(source: Parameters<typeof openTable>[0], kind: ImportKind, sheet?: string): Promise<OpenedTable> {
  return openTable(source, { sheet, headerProblem: (headers) => missingColumnsProblem(kind, headers) });
}

/**
 * budget import FILE --kind KIND [--sheet NAME] [--dry-run] [--json]: exit 0 when imported (or, dry,
 * when clean), 1 with the error list when the data is rejected, 2 on bad arguments (an unknown sheet included).
 */
export async function importCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { kind: { type: "string" }, sheet: { type: "string" }, "dry-run": { type: "boolean" }, json: { type: "boolean" } } as const);
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
    });
    for (const note of table.notes) report.warnings.push({ rowNumber: 0, column: null, message: note });
  } catch (error) {
    if (!(error instanceof TableFileError || error instanceof ImportFormatError)) throw error;
    if (json) output.write(`${JSON.stringify({ file, kind, error: error.message }, null, 2)}\n`);
    else process.stderr.write(`错误 error: ${error.message}\n`);
    return 1;
  }
  output.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatImportReport(report, file, dryRun));
  return report.errors.length > 0 || report.moreErrors > 0 ? 1 : 0;
}
