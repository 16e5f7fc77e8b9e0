import type { DB } from "../../db/pool.ts";
import { withActor } from "../../db/audit.ts";
import { roleAllows } from "../../domain/permissions.ts";
import { sumMoney } from "../../domain/money.ts";
import { openTable, TableFileError } from "../../files/read-table.ts";
import { msg, type Message } from "../../messages/index.ts";
import { parseNoticeForm, type NoticeValues } from "./rules/notices.ts";
import { FIELD_COLUMN, noticeColumns, readNoticeRow, type NoticeColumn, type NoticeFileRow, type NoticeRowProblem } from "./rules/notice-import.ts";
import { insertNotice, listNotices, projectChoices, transferChoices, type NoticeProjectChoice, type TransferChoice } from "./queries/notices.ts";
import { changedMeanwhile, type NoticeActor } from "./notices.ts";

/*
 * Settlement notices imported from a CSV or XLSX file (rules/notice-import.ts): checked row by row, every problem
 * named by row and column; written only when no row has one, all rows in one transaction under the acting user
 * (audited as a typed notice). A check writes nothing. Projects are looked up among the projects the user may
 * enter notices for, so that a name outside them tells nothing about other units.
 *
 *   importNotices(db, actor, { bytes, fileName, commit })
 */

/** A file holds at most this many notices (a year's notices of a district are a few hundred). */
export const MAX_NOTICE_ROWS = 2000;
/** The largest notice file accepted. */
export const MAX_NOTICE_FILE_BYTES = 4 * 1024 * 1024;

/** A notice of the file as it will be written. */
export interface ImportedNotice {
  rowNumber: number;
  unitName: string;
  project: string;
  title: string;
  documentNumber: string | null;
  amount: string;
  dueOn: string;
  paidOn: string | null;
}

export type NoticeImportOutcome =
  | { kind: "refused"; status: 400 | 403 | 422; message: Message }
  | { kind: "invalid"; problems: NoticeRowProblem[]; rows: number; notes: Message[] }
  | { kind: "checked" | "imported"; notices: ImportedNotice[]; total: string; notes: Message[] };

const refused = (status: 400 | 403 | 422, message: Message): NoticeImportOutcome => ({ kind: "refused", status, message });

/** The project a row names among the user's, or the problem at its column. */
function projectOf(row: NoticeFileRow, projects: readonly NoticeProjectChoice[]): NoticeProjectChoice | Message {
  const named = projects.filter((project) => project.fiscalYear === row.year && project.name === row.project && (row.unit === null || project.unitName === row.unit));
  if (named.length === 1) return named[0]!;
  if (named.length === 0) return msg("pmImpErrNoProject", { year: row.year, name: row.project });
  return msg("pmImpErrManyProjects", { year: row.year, name: row.project });
}

/**
 * The transfer that settles a notice: the project's one paid on the day, not a reversing entry, settling no
 * other notice (nor one of an earlier row); of several, the one of the notice's amount.
 */
function settlingTransfer(
  values: Pick<NoticeValues, "projectId" | "amount">,
  paidOn: string,
  transfers: readonly TransferChoice[],
  taken: ReadonlySet<string>,
): TransferChoice | Message {
  const free = transfers.filter((transfer) => transfer.projectId === values.projectId && transfer.paidOn === paidOn && transfer.settles === null && !taken.has(transfer.id));
  const chosen = free.length === 1 ? free : free.filter((transfer) => transfer.amount === values.amount);
  if (chosen.length === 1) return chosen[0]!;
  return free.length === 0 ? msg("pmImpErrNoTransfer", { date: paidOn }) : msg("pmImpErrManyTransfers", { date: paidOn });
}

/** Checks a file of notices and, with commit and no problem in any row, writes them all. */
export async function importNotices(db: DB, actor: NoticeActor, file: { bytes: Uint8Array; fileName: string; commit: boolean }): Promise<NoticeImportOutcome> {
  if (!roleAllows(actor.roles, "edit-payment")) return refused(403, msg("pmForbidden"));
  // The role may enter notices (above): for every unit of the actor's subtree, and no other.
  const unitIds = actor.unitSubtree;
  const fileRows: NoticeFileRow[] = [];
  const problems: NoticeRowProblem[] = [];
  const notes: Message[] = [];
  try {
    const table = await openTable({ bytes: file.bytes, fileName: file.fileName }, { maxBytes: MAX_NOTICE_FILE_BYTES });
    const mapped = noticeColumns(table.headers);
    if ("problems" in mapped) {
      await table.close();
      return { kind: "invalid", problems: mapped.problems.map((message) => ({ rowNumber: table.headerRowNumber, column: null, message })), rows: 0, notes: [] };
    }
    if (mapped.ignored.length > 0) notes.push(msg("pmImpIgnoredColumns", { columns: mapped.ignored.join("、") }));
    for await (const row of table.rows) {
      if (fileRows.length >= MAX_NOTICE_ROWS) {
        await table.close();
        return refused(422, msg("pmImpTooManyRows", { max: MAX_NOTICE_ROWS }));
      }
      const read = readNoticeRow(row.cells, mapped.columns, row.rowNumber);
      fileRows.push(read.row);
      problems.push(...read.problems);
    }
    notes.push(...table.notes);
  } catch (error) {
    if (error instanceof TableFileError) return refused(422, error.rowNumber === undefined ? error.detail : msg("pmImpFileAt", { row: error.rowNumber, text: error.detail }));
    throw error;
  }
  if (fileRows.length === 0) return refused(422, msg("pmImpNoRows"));

  const years = [...new Set(fileRows.map((row) => row.year))];
  const projects = (await Promise.all(years.map((year) => projectChoices(db, unitIds, year)))).flat();
  const transfers = await transferChoices(
    db,
    projects.map((project) => project.id),
  );
  const existing = (await Promise.all(years.map((year) => listNotices(db, { unitIds, year })))).flat();
  const taken = new Set<string>();
  const seen = new Map<string, number>();
  const ready: Array<{ values: NoticeValues; shown: ImportedNotice }> = [];
  for (const row of fileRows) {
    // A cell already refused (readNoticeRow) is not checked again: one problem per cell.
    const refusedCells = new Set(problems.filter((problem) => problem.rowNumber === row.rowNumber).map((problem) => problem.column));
    const at = (column: NoticeColumn, message: Message) => {
      if (!refusedCells.has(column)) problems.push({ rowNumber: row.rowNumber, column, message });
    };
    // No year (the due date unreadable or missing, no 年度): the project cannot be looked up; the date's problem says why.
    const project = row.project === "" || row.year === 0 ? null : projectOf(row, projects);
    if (project !== null && !("id" in project)) at(row.unit === null ? "project" : "unit", project);
    const projectId = project !== null && "id" in project ? project.id : null;
    const parsed = parseNoticeForm({ ...row.fields, projectId: String(projectId ?? 1) });
    if ("errors" in parsed) {
      for (const [field, message] of Object.entries(parsed.errors)) at(FIELD_COLUMN[field as keyof typeof FIELD_COLUMN], message);
      continue;
    }
    if (projectId === null || project === null || !("id" in project) || refusedCells.size > 0) continue;
    const values = parsed.values;
    // The same notice twice: by 文号 where it has one, else by name, due date and amount.
    const key = [project.id, values.documentNumber ?? `${values.title}|${values.dueOn}|${values.amount}`].join("|");
    const stored = existing.find((notice) => [notice.projectId, notice.documentNumber ?? `${notice.title}|${notice.dueOn}|${notice.amount}`].join("|") === key);
    if (stored) {
      at(values.documentNumber === null ? "title" : "documentNumber", msg("pmImpErrDuplicate", { notice: stored.id }));
      continue;
    }
    if (seen.has(key)) {
      at(values.documentNumber === null ? "title" : "documentNumber", msg("pmImpErrDuplicateInFile", { row: seen.get(key)! }));
      continue;
    }
    seen.set(key, row.rowNumber);
    if (row.paidOn !== null) {
      const transfer = settlingTransfer(values, row.paidOn, transfers, taken);
      if (!("id" in transfer)) {
        at("paidOn", transfer);
        continue;
      }
      taken.add(transfer.id);
      values.paymentId = transfer.id;
    }
    ready.push({
      values,
      shown: { rowNumber: row.rowNumber, unitName: project.unitName, project: project.name, title: values.title, documentNumber: values.documentNumber, amount: values.amount, dueOn: values.dueOn, paidOn: row.paidOn },
    });
  }
  if (problems.length > 0) return { kind: "invalid", problems: problems.sort((a, b) => a.rowNumber - b.rowNumber), rows: fileRows.length, notes };
  const notices = ready.map((entry) => entry.shown);
  const total = sumMoney(notices.map((notice) => notice.amount)).toFixed(2);
  if (!file.commit) return { kind: "checked", notices, total, notes };
  try {
    await withActor(db, actor, async (trx) => {
      for (const entry of ready) await insertNotice(trx, entry.values);
    });
  } catch (error) {
    // A transfer taken or a project removed by someone else meanwhile: nothing written.
    if (changedMeanwhile(error)) return refused(422, msg("pmChangedMeanwhile"));
    throw error;
  }
  return { kind: "imported", notices, total, notes };
}
