import type { DB } from "../db/pool.ts";
import { listImportBatches, undoImport, type ImportBatchSummary } from "../features/import/service.ts";
import { formatAmount, sumMoney } from "../domain/money.ts";
import { cliLanguage, msg, render, translate, type Message, type MessageKey } from "../messages/index.ts";
import { parseCommandLine, UsageError } from "./args.ts";
import { formatTable } from "./table.ts";

/*
 * 导入记录 and 撤销导入 from the command line: the same service as /imports (features/import/service.ts), with
 * administrator rights like every CLI command, audited as `cli`; worded from the catalogue in the CLI's language.
 */

/** The usage lines of this command, slotted into the CLI's usage (cli/main.ts). */
export const IMPORT_LOG_USAGE: Message = msg("cliLogUsage");

const KIND_KEYS = { payments: "cliLogKindPayments", adjustments: "cliLogKindAdjustments", "budget-lines": "cliLogKindBudgetLines" } as const satisfies Record<ImportBatchSummary["kind"], MessageKey>;

/** `budget import-log`: the newest batches first. */
export async function importLogCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const language = cliLanguage();
  const t = (key: MessageKey) => translate(language, key);
  const { values, positionals } = parseCommandLine(args, { limit: { type: "string" }, json: { type: "boolean" } });
  if (positionals.length > 0) throw new UsageError(render(language, msg("cliImpUnexpected", { args: positionals.join(" ") })));
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError(render(language, msg("cliLogBadLimit", { value: values.limit ?? "" })));
  const batches = await listImportBatches(db, "cli", { limit });
  if (values.json === true) {
    output.write(`${JSON.stringify({ batches }, null, 2)}\n`);
    return 0;
  }
  const rows = batches.map((batch) => [
    String(batch.id),
    t(KIND_KEYS[batch.kind]),
    batch.fileName,
    batch.username,
    batch.importedAt,
    `${batch.rowsAdded}+${batch.rowsUpdated}`,
    amountOf(batch.parts),
    batch.undoneAt === null
      ? t("cliLogStanding")
      : render(language, msg("cliLogUndone", { at: batch.undoneAt, user: batch.undoneBy ?? "", reason: batch.undoReason ?? "" })),
  ]);
  const headers = (["cliLogId", "cliLogKind", "cliLogFile", "cliLogUser", "cliLogAt", "cliLogRows", "cliLogAmount", "cliLogStatus"] as const).map(t);
  output.write(formatTable(headers, rows, [true, false, false, false, false, true, true, false]));
  return 0;
}

/** The batch's amount over its projects, exact, with separators ("" when it recorded none). */
function amountOf(parts: ReadonlyArray<{ amount: string | null }>): string {
  const amounts = parts.map((part) => part.amount).filter((amount): amount is string => amount !== null);
  return amounts.length === 0 ? "" : formatAmount(sumMoney(amounts));
}

/** `budget import-undo ID --reason TEXT`: exit 0 undone, 1 refused (what depends on it is listed), 2 bad arguments or no such batch. */
export async function importUndoCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const language = cliLanguage();
  const t = (key: MessageKey) => translate(language, key);
  const { values, positionals } = parseCommandLine(args, { reason: { type: "string" } });
  if (positionals.length !== 1 || !/^[1-9]\d{0,8}$/.test(positionals[0]!)) throw new UsageError(t("cliUndoNeedsId"));
  const batchId = Number(positionals[0]);
  const result = await undoImport(db, "cli", batchId, values.reason ?? "");
  switch (result.outcome) {
    case "invalidReason":
      throw new UsageError(render(language, msg("impPlaced", { place: "--reason", text: result.problem })));
    case "missing":
    case "forbidden": // not for the CLI, which has administrator rights
      throw new UsageError(render(language, msg("cliUndoNoBatch", { id: String(batchId) })));
    case "blocked":
      output.write(`${render(language, msg("cliUndoRefused", { id: String(batchId) }))}\n`);
      for (const blocker of result.blockers) output.write(`  ${render(language, blocker)}\n`);
      return 1;
    case "undone":
      output.write(`${render(language, msg("cliUndoDone", { id: String(batchId), file: result.batch.fileName, reason: result.batch.undoReason ?? "" }))}\n`);
      return 0;
  }
}
