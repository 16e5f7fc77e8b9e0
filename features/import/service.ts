import type { DB } from "../../db/pool.ts";
import { msg, type Message, type ParamValue } from "../../messages/index.ts";
import { mayUndoAnyBatch, mayUndoBatch, maySeeBatch, parseReason, type BatchActor } from "../../domain/corrections.ts";
import { openTable, TableFileError, UnknownSheetError, type OpenedTable } from "../../files/read-table.ts";
import { ImportFormatError, missingColumnsProblem, type ImportKind } from "./rules/columns.ts";
import { runImport, type ImportOptions } from "./queries/run.ts";
export { importWithin } from "./queries/run.ts";
import type { Importer } from "./queries/resolve.ts";
import type { ImportReport } from "./rules/report.ts";
import { listImportBatches as listBatches, listVisibleBatches, type ImportBatchSummary } from "./queries/batches.ts";
import { undoImportBatch, type UndoBlocker } from "./queries/undo.ts";

export { IMPORT_KINDS, type ImportKind } from "./rules/columns.ts";
export { IMPORT_PERMISSION, importableKinds } from "./rules/scope.ts";
export { overBudgetKey } from "./rules/over-budget.ts";
export type { Importer } from "./queries/resolve.ts";
export type { ImportReport, ReportRow, RowStatus } from "./rules/report.ts";
export type { BatchPart, ImportBatchSummary } from "./queries/batches.ts";
export type { UndoBlocker } from "./queries/undo.ts";

/*
 * The import's one entry for the pages (app/routes/import.tsx, app/routes/imports.tsx) and the CLI
 * (cli/import.ts, cli/import-log.ts): open the file (the worksheet with the kind's columns), check it
 * and, when asked, import it; list the import batches (导入记录) and undo one (撤销导入). Every outcome
 * carries messages (codes), which the caller renders in its language.
 */

export interface ImportInput {
  kind: ImportKind;
  /** The file: a path (CLI) or uploaded bytes with their name. */
  file: { path: string } | { bytes: Uint8Array; fileName: string };
  /** The name recorded for the batch and shown in reports. */
  fileName: string;
  /** SHA-256 of the bytes: the same file again changes nothing. */
  fileHash: string;
  commit: boolean;
  /** A worksheet named by the user (CLI --sheet); otherwise the first with the kind's columns. */
  sheet?: string;
  acceptOverBudget?: boolean;
  overBudgetSeen?: string;
  onPhase?: ImportOptions["onPhase"];
}

export type ImportOutcome =
  /** The file was read: the report says what was (or would be) imported, or why not. */
  | { outcome: "report"; report: ImportReport }
  /** The file cannot be read, or its header row cannot be used: nothing was done. */
  | { outcome: "fileError"; problem: Message }
  /** The worksheet asked for is not in the workbook (a usage error for the CLI). */
  | { outcome: "unknownSheet"; problem: Message }
  /** A worksheet was named for a CSV file. */
  | { outcome: "sheetOnCsv" };

/** Opens a file for import of a kind: the worksheet named `sheet`, else (several worksheets) the first with the kind's required columns. */
export function openImportTable(file: ImportInput["file"], kind: ImportKind, sheet?: string): Promise<OpenedTable> {
  return openTable(file, { sheet, headerProblem: (headers) => missingColumnsProblem(kind, headers) });
}

/**
 * Checks a file and, when `commit` and every row is valid, imports it (see queries/run.ts), as `importer`.
 * For an importer limited to some units (the web pages), what the report says about units and earlier
 * imports is limited to what they may know (see outOfReach and limitedToReach below).
 */
export async function importFile(db: DB, importer: Importer, input: ImportInput): Promise<ImportOutcome> {
  const outcome = await checkOrImport(db, importer, input);
  if (outcome.outcome !== "report" || importer.unitSubtree === null) return outcome;
  if (!outcome.report.alreadyImported) return { outcome: "report", report: limitedToReach(outcome.report) };
  /*
   * The same bytes were imported before. Whether the file's rows are the importer's to write is checked
   * first: the file checked again as if new (a dry run, nothing written) — when any of its units is out
   * of their reach they get those refusals, as for any such file, and not who imported it and when.
   */
  const recheck = await checkOrImport(db, importer, { ...input, fileHash: `${input.fileHash}:recheck`, commit: false, acceptOverBudget: false });
  if (recheck.outcome !== "report") return recheck;
  const limited = limitedToReach(recheck.report);
  if (!limited.errors.some((problem) => OUT_OF_REACH.has(problem.message.code))) return outcome;
  return { outcome: "report", report: { ...limited, fileHash: input.fileHash } };
}

/** Opens the file and runs the import's checks (and, when asked, the import). */
async function checkOrImport(db: DB, importer: Importer, input: ImportInput): Promise<ImportOutcome> {
  let table: OpenedTable;
  try {
    table = await openImportTable(input.file, input.kind, input.sheet);
  } catch (error) {
    if (error instanceof UnknownSheetError) return { outcome: "unknownSheet", problem: error.detail };
    if (error instanceof TableFileError) return { outcome: "fileError", problem: error.detail };
    throw error;
  }
  if (input.sheet !== undefined && table.format !== "xlsx") {
    await table.close();
    return { outcome: "sheetOnCsv" };
  }
  try {
    const report = await runImport(db, {
      kind: input.kind,
      source: table,
      fileHash: input.fileHash,
      fileName: input.fileName,
      importer,
      commit: input.commit,
      acceptOverBudget: input.acceptOverBudget,
      overBudgetSeen: input.overBudgetSeen,
      onPhase: input.onPhase,
    });
    // The file layer's remarks (worksheet chosen, title rows skipped, formulas read) come after the importer's.
    for (const note of table.notes) report.warnings.push({ rowNumber: 0, column: null, message: note });
    return { outcome: "report", report };
  } catch (error) {
    if (error instanceof TableFileError || error instanceof ImportFormatError) {
      await table.close();
      return { outcome: "fileError", problem: error.detail };
    }
    throw error;
  }
}

/** The codes of the refusals for a unit (or parent unit) out of the importer's reach, said alike whether it exists or not. */
const OUT_OF_REACH = new Set<Message["code"]>(["secUnitOutOfReach", "secParentOutOfReach"]);

/**
 * "Unknown unit" and "you may not import into this unit" said as one ("does not exist or you may not
 * import into it"), and so for parent units: to someone who may not see a unit, whether it exists is
 * not told. outOfReach(msg("impUnknownUnit", { unit: "某中心" })) → msg("secUnitOutOfReach", { unit: "某中心" }).
 */
export function outOfReach(message: Message): Message {
  const params = (message.params ?? {}) as Record<string, ParamValue>;
  if (message.code === "impUnknownUnit" || message.code === "impUnitNotAllowed") return msg("secUnitOutOfReach", { unit: params.unit ?? "" });
  if (message.code === "impNoParent" || message.code === "impParentNotAllowed") return msg("secParentOutOfReach", { parent: params.parent ?? "" });
  return message;
}

/** The report with every unit refusal said as outOfReach does (errors, warnings and the rows' notes). */
function limitedToReach(report: ImportReport): ImportReport {
  const problem = <P extends { message: Message }>(item: P): P => ({ ...item, message: outOfReach(item.message) });
  return {
    ...report,
    errors: report.errors.map(problem),
    warnings: report.warnings.map(problem),
    rows: report.rows.map((row) => ({ ...row, notes: row.notes.map(problem) })),
  };
}

/** Whether a report refuses the file (errors, or payments over budget not acknowledged). */
export function refused(report: ImportReport): boolean {
  return report.errors.length > 0 || report.moreErrors > 0 || report.overBudgetRefused;
}

/**
 * Who looks at or undoes import batches: a signed-in user (their roles and units decide what they may
 * see and undo), or "cli" — the command line, with administrator rights, audited as `cli`.
 */
export type BatchUser = BatchActor & { username: string };
export type BatchViewer = BatchUser | "cli";

/** An import batch as 导入记录 lists it, with whether the viewer may undo it. */
export type ListedBatch = ImportBatchSummary & { canUndo: boolean };

/**
 * 导入记录: the newest batches (at most `limit`, 200 unless said) that the viewer may see, newest first,
 * each with whether the viewer may undo it (the CLI: every batch not undone).
 */
export async function listImportBatches(db: DB, viewer: BatchViewer, options: { limit?: number } = {}): Promise<ListedBatch[]> {
  if (viewer === "cli") {
    const batches = await listBatches(db, { limit: options.limit });
    return batches.map((batch) => ({ ...batch, canUndo: batch.undoneAt === null }));
  }
  const batches = await listVisibleBatches(db, (batch) => maySeeBatch(viewer, batch), { limit: options.limit });
  return batches.map((batch) => ({ ...batch, canUndo: batch.undoneAt === null && mayUndoBatch(viewer, batch) }));
}

export type UndoImportOutcome =
  /** Undone: the batch as it now stands. */
  | { outcome: "undone"; batch: ImportBatchSummary }
  /** Refused: what depends on the batch (nothing was written). */
  | { outcome: "blocked"; blockers: UndoBlocker[] }
  /** The reason is missing or too long. */
  | { outcome: "invalidReason"; problem: Message }
  /** No batch with that id. */
  | { outcome: "missing" }
  /**
   * The user may not undo it: their role undoes no batch at all (unitId null, checked before the batch
   * is looked at), or the batch is another unit's (unitId: one of its units outside theirs; -1: none, a
   * planner's undo of someone else's batch). The caller refuses and logs it as any write out of scope.
   */
  | { outcome: "forbidden"; unitId: number | null };

/**
 * 撤销导入: undoes batch `batchId` as a whole, with a reason (required, at most 500 characters), as
 * `actor`: checks the actor's rights, the reason, then what depends on the batch (queries/undo.ts).
 * For the CLI the batch is looked up only by the undo itself (a bad reason is reported first).
 */
export async function undoImport(db: DB, actor: BatchViewer, batchId: number, reasonText: string): Promise<UndoImportOutcome> {
  if (actor !== "cli") {
    if (!mayUndoAnyBatch(actor.roles)) return { outcome: "forbidden", unitId: null };
    const [batch] = batchId > 0 ? await listBatches(db, { ids: [batchId] }) : [];
    if (!batch) return { outcome: "missing" };
    if (!mayUndoBatch(actor, batch)) return { outcome: "forbidden", unitId: batch.unitIds.find((unitId) => !actor.unitSubtree.has(unitId)) ?? -1 };
  }
  const reason = parseReason(reasonText);
  if ("problem" in reason) return { outcome: "invalidReason", problem: reason.problem };
  const done = await undoImportBatch(db, actor === "cli" ? { userId: null, username: "cli" } : { userId: actor.userId, username: actor.username }, batchId, reason.reason);
  if (done === "missing") return { outcome: "missing" };
  if ("blockers" in done) return { outcome: "blocked", blockers: done.blockers };
  return { outcome: "undone", batch: done.undone };
}
