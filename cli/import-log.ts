import type { DB } from "../db/pool.ts";
import { listImportBatches, undoImportBatch } from "../features/import/queries/undo.ts";
import { parseReason } from "../domain/corrections.ts";
import { formatAmount, sumMoney } from "../domain/money.ts";
import { translate, type MessageKey } from "../app/i18n.ts";
import { blockerText, problemText } from "../app/corrections-text.ts";
import { parseCommandLine, UsageError } from "./args.ts";
import { formatTable } from "./table.ts";

/*
 * 导入记录 and 撤销导入 from the command line: the same service as /imports (features/import/queries/undo.ts), with
 * administrator rights like every CLI command, audited as `cli`; refusals worded from the app's catalogue.
 */

export const IMPORT_LOG_USAGE = `  budget import-log [--limit N] [--json]
                                         导入记录：最近导入的文件（编号、类型、文件名、导入人、时间、行数、状态）
                                         (the import log: recent files with id, kind, user, time, rows, status)
  budget import-undo ID --reason TEXT    撤销导入：整批撤销，须说明原因；有依赖时拒绝并列出 (undo a whole batch, with a reason)`;

const KIND_KEYS = { payments: "corKindPayments", adjustments: "corKindAdjustments", "budget-lines": "corKindBudgetLines" } as const satisfies Record<string, MessageKey>;
const zh = (key: MessageKey) => translate("zh", key);

/** `budget import-log`: the newest batches first. */
export async function importLogCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { limit: { type: "string" }, json: { type: "boolean" } });
  if (positionals.length > 0) throw new UsageError(`多余的参数 unexpected arguments: ${positionals.join(" ")}`);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError(`--limit 应为 1–10000 的整数 (--limit must be a whole number 1–10000): ${values.limit}`);
  const batches = await listImportBatches(db, { limit });
  if (values.json === true) {
    output.write(`${JSON.stringify({ batches }, null, 2)}\n`);
    return 0;
  }
  const rows = batches.map((batch) => [
    String(batch.id),
    zh(KIND_KEYS[batch.kind]),
    batch.fileName,
    batch.username,
    batch.importedAt,
    `${batch.rowsAdded}+${batch.rowsUpdated}`,
    amountOf(batch.parts),
    batch.undoneAt === null ? "已导入" : `已撤销 ${batch.undoneAt} ${batch.undoneBy ?? ""}：${batch.undoReason ?? ""}`,
  ]);
  output.write(formatTable(["编号", "类型", "文件名", "导入人", "导入时间", "新增+更新", "金额(元)", "状态"], rows, [true, false, false, false, false, true, true, false]));
  return 0;
}

/** The batch's amount over its projects, exact, with separators ("" when it recorded none). */
function amountOf(parts: ReadonlyArray<{ amount: string | null }>): string {
  const amounts = parts.map((part) => part.amount).filter((amount): amount is string => amount !== null);
  return amounts.length === 0 ? "" : formatAmount(sumMoney(amounts));
}

/** `budget import-undo ID --reason TEXT`: exit 0 undone, 1 refused (what depends on it is listed), 2 bad arguments or no such batch. */
export async function importUndoCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { reason: { type: "string" } });
  if (positionals.length !== 1 || !/^[1-9]\d{0,8}$/.test(positionals[0]!)) throw new UsageError("请给出一个导入批次编号 (give one import batch id, see budget import-log)");
  const reason = parseReason(values.reason ?? "");
  if ("problem" in reason) throw new UsageError(`--reason：${problemText(zh, reason.problem)} (a reason is required)`);
  const batchId = Number(positionals[0]);
  const outcome = await undoImportBatch(db, { userId: null, username: "cli" }, batchId, reason.reason);
  if (outcome === "missing") throw new UsageError(`没有编号为 ${batchId} 的导入批次 (no import batch ${batchId})`);
  if ("blockers" in outcome) {
    output.write(`未撤销 not undone: 导入批次 #${batchId}\n`);
    for (const blocker of outcome.blockers) output.write(`  ${blockerText(zh, blocker)}\n`);
    return 1;
  }
  output.write(`已撤销导入批次 #${batchId}（${outcome.undone.fileName}）undone; 原因 reason: ${reason.reason}\n`);
  return 0;
}
