import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import type { DB } from "../db/pool.ts";
import { importFile, openImportTable, refused, IMPORT_KINDS, type ImportKind, type ImportReport } from "../features/import/service.ts";
import { problemText, reportText } from "../features/import/rules/render.ts";
import { cliLanguage, msg, render, type Language, type Message } from "../messages/index.ts";
import { parseCommandLine, UsageError } from "./args.ts";

export { openImportTable };

/** The usage lines of this command, slotted into the CLI's usage (cli/main.ts). */
export const IMPORT_USAGE: Message = msg("cliImpUsage");

/** The SHA-256 of a file's bytes, streamed. */
export async function fileHash(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Prints a report as a person reads it, in the CLI's language: summary, then every error and warning with row and column. */
export function formatImportReport(report: ImportReport, fileName: string, dryRun: boolean, language: Language = cliLanguage()): string {
  const text = (message: Message) => render(language, message);
  const lines: string[] = [];
  const verdict = report.alreadyImported
    ? msg("cliImpAlready")
    : report.errors.length > 0 || report.moreErrors > 0
      ? msg("importRejected")
      : report.overBudgetRefused
        ? msg("cliImpOverBudgetRefused")
        : report.committed
          ? msg("imported")
          : dryRun
            ? msg("cliImpDryRunPassed")
            : msg("obNotImported");
  lines.push(text(msg("cliImpHeadline", { file: fileName, kind: report.kind, verdict })));
  lines.push(
    text(
      msg("cliImpSummary", {
        read: report.rowsRead,
        added: report.added,
        updated: report.updated,
        unchanged: report.unchanged,
        duplicates: report.duplicates,
        errors: report.errorRows,
        totals: report.rows.filter((row) => row.status === "total").length,
        warnings: report.warnings.length,
      }),
    ),
  );
  if (report.newUnits.length > 0) lines.push(text(msg("cliImpNewUnits", { names: report.newUnits.join(language === "zh" ? "、" : ", ") })));
  if (report.newProjects.length > 0) lines.push(text(msg("cliImpNewProjects", { names: report.newProjects.join(language === "zh" ? "、" : ", ") })));
  // "错误 第2行 “支付日期”列：…"; a problem of the whole file: "错误：…".
  const line = (label: Message, problem: ImportReport["errors"][number]) => problemText(language, problem, text(label));
  for (const error of report.errors) lines.push(line(msg("cliImpError"), error));
  if (report.moreErrors > 0) lines.push(text(msg("impMoreErrors", { count: report.moreErrors })));
  for (const warning of report.warnings) lines.push(line(msg("cliImpHint"), warning));
  lines.push(...overBudgetLines(report, dryRun, language));
  return `${lines.join("\n")}\n`;
}

/** The payments larger than their project's whole budget for the year, set apart, and what to do (decision 012). */
function overBudgetLines(report: ImportReport, dryRun: boolean, language: Language): string[] {
  if (report.overBudgetCount === 0) return [];
  const text = (message: Message) => render(language, message);
  const lines = ["", text(msg("cliImpObNotice", { count: report.overBudgetCount }))];
  for (const payment of report.overBudget) {
    lines.push(`  ${text(msg("cliImpObRow", { row: payment.rowNumber, unit: payment.unit, project: payment.project, year: payment.year, amount: payment.amount, budget: payment.budget }))}`);
  }
  if (report.overBudgetCount > report.overBudget.length) lines.push(`  ${text(msg("obMore", { count: report.overBudgetCount - report.overBudget.length }))}`);
  if (report.committed) lines.push(text(msg("cliImpObAccepted")));
  else if (report.overBudgetRefused || dryRun) lines.push(text(msg("cliImpObCheck")));
  return lines;
}

/**
 * budget import FILE --kind KIND [--sheet NAME] [--dry-run] [--accept-over-budget] [--json]: exit 0 when
 * imported (or, dry, when clean), 1 with the error list when the data is rejected or payments over their
 * project's budget were not acknowledged, 2 on bad arguments (an unknown sheet included).
 */
export async function importCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const language = cliLanguage();
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
  if (!file) throw new UsageError(render(language, msg("cliImpMissingFile")));
  if (extra.length > 0) throw new UsageError(render(language, msg("cliImpUnexpected", { args: extra.join(" ") })));
  if (!kind || !(IMPORT_KINDS as readonly string[]).includes(kind)) throw new UsageError(render(language, msg("cliImpBadKind", { kinds: IMPORT_KINDS.join("|") })));
  if (!existsSync(file)) throw new UsageError(render(language, msg("cliImpNoSuchFile", { file })));
  if (sheet !== undefined && sheet.trim() === "") throw new UsageError(render(language, msg("cliImpSheetName")));

  const result = await importFile(db, { userId: null, username: "cli", unitSubtree: null, defaultParentUnitId: null }, {
    kind: kind as ImportKind,
    file: { path: file },
    fileName: file.split(/[\\/]/).pop() ?? file,
    fileHash: await fileHash(file),
    commit: !dryRun,
    sheet,
    acceptOverBudget: values["accept-over-budget"] ?? false,
  });
  if (result.outcome === "unknownSheet") throw new UsageError(render(language, result.problem));
  if (result.outcome === "sheetOnCsv") throw new UsageError(render(language, msg("cliImpSheetOnCsv")));
  if (result.outcome === "fileError") {
    const error = render(language, result.problem);
    if (json) output.write(`${JSON.stringify({ file, kind, error, code: result.problem.code }, null, 2)}\n`);
    else process.stderr.write(`${render(language, msg("impPlaced", { place: msg("cliImpError"), text: error }))}\n`);
    return 1;
  }
  const { report } = result;
  // --json: the report with its messages as text in the CLI's language (the shape reports had before their messages were codes).
  output.write(json ? `${JSON.stringify(reportText(language, report), null, 2)}\n` : formatImportReport(report, file, dryRun, language));
  if (report.overBudgetRefused) {
    process.stderr.write(`${render(language, msg("impPlaced", { place: msg("cliImpError"), text: msg("cliImpObRefused", { count: report.overBudgetCount }) }))}\n`);
  }
  return refused(report) ? 1 : 0;
}
