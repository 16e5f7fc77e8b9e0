import { money } from "../../../domain/money.ts";
import { parseMonths, type FUND_LEVELS, type FUND_TYPES } from "../../../domain/budget-line-form.ts";
import type { HeaderMapping, ImportKind, MappedColumn } from "./columns.ts";
import { msg, type Message } from "../../../messages/index.ts";
import {
  alias,
  columnLetters,
  FUND_LEVEL_ALIASES,
  hasNul,
  FUND_TYPE_ALIASES,
  parseImportAmount,
  parseImportDate,
  parseImportInteger,
  PAYMENT_KIND_ALIASES,
  TOTAL_LABEL,
  toHalfWidth,
} from "./cells.ts";
import { batchDateProblems } from "../../payments/rules/batch-dates.ts";
import { shortened } from "../../../files/table-file-error.ts";

/*
 * Reading one data row of an import file with every rule and message: its cells (cells.ts), stray
 * cells without a header, and the checks between fields. row-reader.ts reads plain rows faster and
 * sends every other row here.
 */

/**
 * A problem with one cell or row, for the person who made the file: row number (0: the whole file), the
 * column's header as the file writes it (or the column's Chinese name), and why, as a message.
 */
export interface RowProblem {
  rowNumber: number;
  column: string | null;
  message: Message;
}

interface RowBase {
  rowNumber: number;
  year: number;
  unit: string;
  project: string;
}

export interface BudgetLineRow extends RowBase {
  composition: string;
  item: string;
  fundLevel: (typeof FUND_LEVELS)[number];
  fundType: (typeof FUND_TYPES)[number];
  initial: string;
  unitPrice: string | null;
  quantity: string | null;
  basis: string | null;
  months: number[] | null;
  parent: string | null;
}

export interface AdjustmentRow extends RowBase {
  item: string;
  date: string;
  amount: string;
  fundLevel: (typeof FUND_LEVELS)[number];
  reason: string;
  documentNumber: string | null;
}

export interface PaymentRow extends RowBase {
  item: string | null;
  date: string;
  kind: "batch" | "transfer";
  personTimes: number | null;
  amount: string;
  dueDate: string | null;
  returnedCount: number;
  returnedAmount: string;
  reissuedOn: string | null;
  note: string | null;
  /** A batch's 受理 / 审核完成 / 审批 dates (optional columns; undefined when the file has no such column). */
  acceptedOn?: string | null;
  reviewedOn?: string | null;
  approvedOn?: string | null;
}

export type ImportRow<K extends ImportKind> = K extends "budget-lines" ? BudgetLineRow : K extends "adjustments" ? AdjustmentRow : PaymentRow;

/** A 合计 row: its amounts, to check that the file foots. */
export interface TotalRow {
  rowNumber: number;
  amounts: Record<string, string>;
}

/**
 * Reads one data row of a file: every cell of the kind's columns parsed and checked. Returns the
 * typed row, a 合计 row (to check footing), or the list of problems with row and column.
 */
export function parseImportRow<K extends ImportKind>(
  kind: K,
  mapping: HeaderMapping,
  cells: readonly string[],
  rowNumber: number,
): { row: ImportRow<K> } | { total: TotalRow } | { problems: RowProblem[] } {
  // A NUL in a cell (an XLSX's _x0000_): no text column of PostgreSQL takes it, nor would a message quoting it.
  const nul = cells.findIndex((text, index) => hasNul(text) && (index >= mapping.width || mapping.unheaded.includes(index) || mapping.columns.some((column) => column.index === index)));
  if (nul !== -1) {
    const column = mapping.columns.find((candidate) => candidate.index === nul);
    return { problems: [{ rowNumber, column: column?.header ?? null, message: msg("cellHasNul", { position: nul + 1, letter: columnLetters(nul) }) }] };
  }
  const stray = strayCellProblem(mapping, cells, rowNumber);
  if (stray) return { problems: [stray] };
  const problems: RowProblem[] = [];
  const values: Record<string, unknown> = {};
  const raw = (column: MappedColumn) => (cells[column.index] ?? "").trim();

  // A 合计 row: the label stands in one of the text columns, amounts beside it.
  const labelled = mapping.columns.some((column) => column.spec.type === "text" && TOTAL_LABEL.test(raw(column)));
  if (labelled) {
    const amounts: Record<string, string> = {};
    for (const column of mapping.columns) {
      if (column.spec.type !== "amount" && column.spec.type !== "signed-amount") continue;
      const parsed = parseImportAmount(raw(column), column.factor, true);
      if (raw(column) !== "" && "amount" in parsed) amounts[column.spec.key] = parsed.amount;
    }
    return { total: { rowNumber, amounts } };
  }

  for (const column of mapping.columns) {
    const text = raw(column);
    const problem = (message: Message) => problems.push({ rowNumber, column: column.header, message });
    if (text === "") {
      if (column.spec.required) problem(msg("impRequired"));
      values[column.spec.key] = null;
      continue;
    }
    switch (column.spec.type) {
      case "year": {
        const year = Number(toHalfWidth(text).replace(/年$/, ""));
        if (!Number.isInteger(year) || year < 2000 || year > 2100) problem(msg("impBadYear", { text: shortened(text) }));
        values.year = year;
        break;
      }
      case "text":
        if (text.length > 500) problem(msg("impTooLong", { count: 500 }));
        values[column.spec.key] = text;
        break;
      case "amount":
      case "signed-amount": {
        const parsed = parseImportAmount(text, column.spec.key === "quantity" ? 1 : column.factor, column.spec.type === "signed-amount");
        if ("error" in parsed) problem(parsed.error);
        else if (column.spec.type === "signed-amount" && parsed.amount === "0.00") problem(msg("impZeroAdjustment"));
        else values[column.spec.key] = parsed.amount;
        break;
      }
      case "date": {
        const parsed = parseImportDate(text);
        if ("error" in parsed) problem(parsed.error);
        else values[column.spec.key] = parsed.date;
        break;
      }
      case "integer": {
        const parsed = parseImportInteger(text);
        if ("error" in parsed) problem(parsed.error);
        else values[column.spec.key] = parsed.value;
        break;
      }
      case "months":
        try {
          values.months = parseMonths(toHalfWidth(text));
        } catch (error) {
          problem(monthsProblem((error as Error).message));
        }
        break;
      case "fund-level": {
        const level = alias(FUND_LEVEL_ALIASES, text);
        if (!level) problem(msg("impFundLevel", { text: shortened(text) }));
        values[column.spec.key] = level;
        break;
      }
      case "fund-type": {
        const type = alias(FUND_TYPE_ALIASES, text);
        if (!type) problem(msg("impFundType", { text: shortened(text) }));
        values[column.spec.key] = type;
        break;
      }
      case "payment-kind": {
        const paymentKind = alias(PAYMENT_KIND_ALIASES, text);
        if (!paymentKind) problem(msg("impPaymentKind", { text: shortened(text) }));
        values[column.spec.key] = paymentKind;
        break;
      }
    }
  }
  if (problems.length === 0) problems.push(...crossFieldProblems(kind, values, mapping, rowNumber));
  if (problems.length > 0) return { problems };

  return { row: buildRow(kind, values, rowNumber) };
}

/** parseMonths's refusal (domain/budget-line-form.ts throws Chinese text) as a message: the part it names, and why. */
function monthsProblem(thrown: string): Message {
  const part = thrown.slice(thrown.indexOf("：") + 1);
  return thrown.startsWith("月份应在") ? msg("impMonthsRange", { text: shortened(part) }) : msg("impMonthsUnreadable", { text: shortened(part) });
}

/**
 * A non-empty cell in a column without a header: its value would be silently dropped. Beyond the last
 * header it is most often an amount split by an unquoted thousands separator in a CSV
 * (…,3,1,234.56 read as 人次 3, 金额 1 and a stray “234.56”), so the row is refused, naming the
 * position: strayCellProblem(mapping of 7 headers, [..., "3", "1", "234.56"], 2) →
 * { rowNumber: 2, column: null, message: impStrayBeyond (“第8列（H列）没有表头，却有内容“234.56”：…”) }. Empty cells there are fine.
 */
export function strayCellProblem(mapping: HeaderMapping, cells: readonly string[], rowNumber: number): RowProblem | null {
  const at = (index: number) => (cells[index] ?? "").trim() !== "";
  let index = mapping.unheaded.find(at);
  const beyond = index === undefined;
  if (beyond) {
    for (let c = mapping.width; c < cells.length && index === undefined; c++) if (at(c)) index = c;
  }
  if (index === undefined) return null;
  const where = { position: index + 1, letter: columnLetters(index), text: cells[index]!.trim() };
  const message = beyond ? msg("impStrayBeyond", { ...where, width: mapping.width }) : msg("impStrayUnheaded", where);
  return { rowNumber, column: null, message };
}

/** The typed row from the checked values of its cells. */
export function buildRow<K extends ImportKind>(kind: K, values: Record<string, unknown>, rowNumber: number): ImportRow<K> {
  // Every property spelled out (no spread of a shared base object): this runs for 100,000s of rows.
  if (kind === "budget-lines") {
    const row: BudgetLineRow = {
      rowNumber,
      year: values.year as number,
      unit: values.unit as string,
      project: values.project as string,
      composition: (values.composition as string | null) ?? "",
      item: values.item as string,
      fundLevel: values.fundLevel as BudgetLineRow["fundLevel"],
      fundType: values.fundType as BudgetLineRow["fundType"],
      initial: values.initial as string,
      unitPrice: (values.unitPrice as string | null) ?? null,
      quantity: (values.quantity as string | null) ?? null,
      basis: (values.basis as string | null) ?? null,
      months: (values.months as number[] | null) ?? null,
      parent: (values.parent as string | null) ?? null,
    };
    return row as ImportRow<K>;
  }
  if (kind === "adjustments") {
    const row: AdjustmentRow = {
      rowNumber,
      year: values.year as number,
      unit: values.unit as string,
      project: values.project as string,
      item: values.item as string,
      date: values.date as string,
      amount: values.amount as string,
      fundLevel: values.fundLevel as AdjustmentRow["fundLevel"],
      reason: values.reason as string,
      documentNumber: (values.documentNumber as string | null) ?? null,
    };
    return row as ImportRow<K>;
  }
  const row: PaymentRow = {
    rowNumber,
    year: values.year as number,
    unit: values.unit as string,
    project: values.project as string,
    item: (values.item as string | null) ?? null,
    date: values.date as string,
    kind: values.kind as PaymentRow["kind"],
    personTimes: (values.personTimes as number | null) ?? null,
    amount: values.amount as string,
    dueDate: (values.dueDate as string | null) ?? null,
    returnedCount: (values.returnedCount as number | null) ?? 0,
    returnedAmount: (values.returnedAmount as string | null) ?? "0.00",
    reissuedOn: (values.reissuedOn as string | null) ?? null,
    note: (values.note as string | null) ?? null,
    acceptedOn: values.acceptedOn as string | null | undefined,
    reviewedOn: values.reviewedOn as string | null | undefined,
    approvedOn: values.approvedOn as string | null | undefined,
  };
  return row as ImportRow<K>;
}

/**
 * A payment row read on the fast path (row-reader.ts) with the batch-date rules applied, which that path does
 * not know: the row's problems at their columns, or the result as it was (every other result unchanged).
 */
export function checkBatchDates<K extends ImportKind>(kind: K, mapping: HeaderMapping, parsed: ReturnType<typeof parseImportRow<K>>): ReturnType<typeof parseImportRow<K>> {
  if (kind !== "payments" || !("row" in parsed)) return parsed;
  const row = parsed.row as PaymentRow;
  if (row.acceptedOn == null && row.reviewedOn == null && row.approvedOn == null) return parsed;
  const problems = batchDateRowProblems(row, mapping);
  return problems.length > 0 ? { problems } : parsed;
}

function batchDateRowProblems(row: Pick<PaymentRow, "rowNumber" | "kind" | "date" | "acceptedOn" | "reviewedOn" | "approvedOn">, mapping: HeaderMapping): RowProblem[] {
  const header = (key: string) => mapping.columns.find((column) => column.spec.key === key)?.header ?? key;
  return batchDateProblems({ kind: row.kind, paidOn: row.date, acceptedOn: row.acceptedOn ?? null, reviewedOn: row.reviewedOn ?? null, approvedOn: row.approvedOn ?? null }).map(
    (problem) => ({ rowNumber: row.rowNumber, column: header(problem.field), message: problem.message }),
  );
}

/** Checks between fields of one row (the database enforces the same; here the person learns which cell). */
function crossFieldProblems(kind: ImportKind, values: Record<string, unknown>, mapping: HeaderMapping, rowNumber: number): RowProblem[] {
  const problems: RowProblem[] = [];
  const header = (key: string) => mapping.columns.find((column) => column.spec.key === key)?.header ?? key;
  if (kind === "budget-lines") {
    const { initial, unitPrice, quantity } = values as { initial: string; unitPrice: string | null; quantity: string | null };
    if (unitPrice && quantity && !money(unitPrice).times(quantity).equals(initial)) {
      problems.push({ rowNumber, column: header("initial"), message: msg("impInitialMismatch", { initial, price: unitPrice, quantity }) });
    }
  }
  if (kind === "payments") {
    const { amount, returnedAmount, returnedCount, reissuedOn, date, dueDate, kind: paymentKind, personTimes } = values as {
      amount: string; returnedAmount: string | null; returnedCount: number | null; reissuedOn: string | null; date: string; dueDate: string | null; kind: string; personTimes: number | null;
    };
    if (returnedAmount && money(returnedAmount).greaterThan(amount)) problems.push({ rowNumber, column: header("returnedAmount"), message: msg("impReturnedExceeds") });
    if (returnedCount && personTimes !== null && returnedCount > personTimes) problems.push({ rowNumber, column: header("returnedCount"), message: msg("impReturnedCountExceeds") });
    if (reissuedOn && (!returnedAmount || money(returnedAmount).isZero())) problems.push({ rowNumber, column: header("reissuedOn"), message: msg("impReissueWithoutReturn") });
    if (reissuedOn && reissuedOn < date) problems.push({ rowNumber, column: header("reissuedOn"), message: msg("impReissueBeforePaid") });
    if (dueDate && paymentKind === "batch") problems.push({ rowNumber, column: header("dueDate"), message: msg("impDueOnlyTransfer") });
    if (money(amount).isZero()) problems.push({ rowNumber, column: header("amount"), message: msg("impPaymentPositive") });
    const steps = values as { acceptedOn?: string | null; reviewedOn?: string | null; approvedOn?: string | null };
    const kindRead = paymentKind === "transfer" ? "transfer" : "batch";
    problems.push(...batchDateRowProblems({ rowNumber, kind: kindRead, date, acceptedOn: steps.acceptedOn ?? null, reviewedOn: steps.reviewedOn ?? null, approvedOn: steps.approvedOn ?? null }, mapping));
  }
  return problems;
}
