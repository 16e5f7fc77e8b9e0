import { alias, parseImportAmount, parseImportDate, toHalfWidth } from "../../import/rules/cells.ts";
import { joined, shortened } from "../../../files/table-file-error.ts";
import { msg, type Message } from "../../../messages/index.ts";
import type { NoticeField } from "./notices.ts";

/*
 * A file of settlement notices (结算通知书) as offices keep them in Excel: one notice a row under a header row.
 *
 *   required  项目 · 通知名称 · 下发单位 · 金额（元） · 到期日
 *   optional  年度 (default: the due date's year) · 预算单位 (needed when units of the user share a project
 *             name) · 文号 · 下发日期 · 结算支付日期 (the project's transfer paid that day settles it) · 备注
 *
 * Headers are matched by name (Chinese or English, full-width or half-width, any order; columns not listed
 * here are ignored with a note). A cell is read as the ledger's import reads it (amounts with separators,
 * dates as 2024/6/20 or 2024年6月20日); the notice itself is then checked by parseNoticeForm, as a typed one.
 */

export const NOTICE_COLUMNS = ["year", "unit", "project", "documentNumber", "title", "issuer", "amount", "issuedOn", "dueOn", "paidOn", "note"] as const;
export type NoticeColumn = (typeof NOTICE_COLUMNS)[number];

const REQUIRED: readonly NoticeColumn[] = ["project", "title", "issuer", "amount", "dueOn"];

/** The catalogue's name of each column (the template's header). */
export const NOTICE_COLUMN_LABELS = {
  year: "pmImpColYear",
  unit: "pmImpColUnit",
  project: "pmColProject",
  documentNumber: "pmColDocumentNumber",
  title: "pmColTitle",
  issuer: "pmColIssuer",
  amount: "pmColAmountYuan",
  issuedOn: "pmColIssuedOn",
  dueOn: "pmColDueOn",
  paidOn: "pmImpColPaidOn",
  note: "pmColNote",
} as const satisfies Record<NoticeColumn, string>;

/** Header names (normalised: half-width, lower case, no spaces or brackets) → column. */
const HEADERS: Record<string, NoticeColumn> = {
  年度: "year", 预算年度: "year", year: "year", fiscalyear: "year",
  预算单位: "unit", 单位: "unit", 单位名称: "unit", unit: "unit",
  项目: "project", 项目名称: "project", project: "project",
  文号: "documentNumber", 通知书文号: "documentNumber", documentnumber: "documentNumber", document: "documentNumber",
  通知名称: "title", 通知书名称: "title", 名称: "title", 标题: "title", title: "title", notice: "title",
  下发单位: "issuer", 发文单位: "issuer", issuer: "issuer", issuedby: "issuer",
  金额: "amount", 金额元: "amount", 结算金额: "amount", amount: "amount", amountyuan: "amount",
  下发日期: "issuedOn", 发文日期: "issuedOn", issuedon: "issuedOn",
  到期日: "dueOn", 到期日期: "dueOn", 截止日期: "dueOn", 划拨截止日期: "dueOn", dueon: "dueOn", duedate: "dueOn",
  结算支付日期: "paidOn", 支付日期: "paidOn", 划拨日期: "paidOn", paidon: "paidOn",
  备注: "note", note: "note",
};

const normalised = (header: string) => toHalfWidth(header).toLowerCase().replace(/[\s()（）]/g, "");

/** The column of each known header, or the problems with the header row (a required column missing, one twice). */
export function noticeColumns(headers: readonly string[]): { columns: Map<NoticeColumn, number>; ignored: string[] } | { problems: Message[] } {
  const columns = new Map<NoticeColumn, number>();
  const ignored: string[] = [];
  const problems: Message[] = [];
  headers.forEach((header, index) => {
    const column = alias(HEADERS, normalised(header));
    if (column === undefined) {
      if (header.trim() !== "") ignored.push(header);
    } else if (columns.has(column)) problems.push(msg("pmImpDuplicateColumn", { column: shortened(header) }));
    else columns.set(column, index);
  });
  const missing = REQUIRED.filter((column) => !columns.has(column));
  if (missing.length > 0) problems.push(msg("pmImpMissingColumns", { columns: joined(missing.map((column) => msg(NOTICE_COLUMN_LABELS[column])), "impList") }));
  return problems.length > 0 ? { problems } : { columns, ignored };
}

/** A row read: the notice form's texts (projectId still to be resolved), where to find the project, the settling day. */
export interface NoticeFileRow {
  rowNumber: number;
  year: number;
  unit: string | null;
  project: string;
  fields: Partial<Record<NoticeField, string>>;
  paidOn: string | null;
}

/** A problem of a row, at its column (null: the header row as a whole). */
export interface NoticeRowProblem {
  rowNumber: number;
  column: NoticeColumn | null;
  message: Message;
}

/**
 * Reads one data row: cells into the notice form's texts, amounts and dates as the ledger import reads them, with
 * the problems of the cells it could not read (their fields left empty, to be checked no further).
 * Example: cells 项目 "医疗救助", 金额 "32,880.00", 到期日 "2024/6/20" → fields { amount: "32880.00", dueOn: "2024-06-20" }, year 2024.
 */
export function readNoticeRow(cells: readonly string[], columns: ReadonlyMap<NoticeColumn, number>, rowNumber: number): { row: NoticeFileRow; problems: NoticeRowProblem[] } {
  const problems: NoticeRowProblem[] = [];
  const cell = (column: NoticeColumn) => {
    const index = columns.get(column);
    return index === undefined ? "" : (cells[index] ?? "").trim();
  };
  const date = (column: "issuedOn" | "dueOn" | "paidOn"): string | null => {
    const text = cell(column);
    if (text === "") return null;
    const read = parseImportDate(text);
    if ("error" in read) {
      problems.push({ rowNumber, column, message: read.error });
      return null;
    }
    return read.date;
  };
  const fields: Partial<Record<NoticeField, string>> = {
    documentNumber: cell("documentNumber"),
    title: cell("title"),
    issuer: cell("issuer"),
    note: cell("note"),
  };
  const amountText = cell("amount");
  if (amountText !== "") {
    const amount = parseImportAmount(amountText, 1);
    if ("error" in amount) problems.push({ rowNumber, column: "amount", message: amount.error });
    else fields.amount = amount.amount;
  } else fields.amount = "";
  const dueOn = date("dueOn");
  fields.dueOn = dueOn ?? "";
  fields.issuedOn = date("issuedOn") ?? "";
  const paidOn = date("paidOn");
  const project = cell("project");
  if (project === "") problems.push({ rowNumber, column: "project", message: msg("pmErrRequired") });
  const yearText = toHalfWidth(cell("year"));
  let year = dueOn === null ? 0 : Number(dueOn.slice(0, 4));
  if (yearText !== "") {
    if (/^\d{4}$/.test(yearText)) year = Number(yearText);
    else problems.push({ rowNumber, column: "year", message: msg("pmImpErrYear", { text: shortened(yearText) }) });
  }
  // The row's other fields are still checked (parseNoticeForm), so that every problem of a row is listed at once.
  return { row: { rowNumber, year, unit: cell("unit") || null, project, fields, paidOn }, problems };
}

/** The file's column of a field of the notice form (where parseNoticeForm's problem is shown). */
export const FIELD_COLUMN: Record<NoticeField, NoticeColumn> = {
  projectId: "project",
  documentNumber: "documentNumber",
  title: "title",
  issuer: "issuer",
  amount: "amount",
  issuedOn: "issuedOn",
  dueOn: "dueOn",
  paymentId: "paidOn",
  note: "note",
};
