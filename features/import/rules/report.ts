import type { Message } from "../../../messages/index.ts";
import { money, toAmountString, ungrouped } from "../../../domain/money.ts";
import type { HeaderMapping, ImportKind } from "./columns.ts";
import type { RowProblem } from "./rows.ts";

/*
 * What an import reports: counts, errors, warnings, the rows for the dry-run grid, the payments over
 * their project's budget. Plain data (messages as codes with parameters): the page and the CLI render
 * it in their language; it travels as JSON.
 */

/** A report lists at most this many errors, warnings of one kind, grid rows and over-budget payments. */
export const MAX_LISTED = 1_000;

export type RowStatus = "new" | "updated" | "unchanged" | "duplicate" | "error" | "total";

/** A note on a grid row: a message, led by its column when it is about one cell. */
export interface RowNote {
  column: string | null;
  message: Message;
}

export interface ReportRow {
  rowNumber: number;
  status: RowStatus;
  /** 年度 of the row (absent for 合计 rows; null for an unreadable row whose 年度 is not a year): two years of the same line look alike without it. */
  year?: number | null;
  unit: string;
  project: string;
  item: string;
  amount: string;
  /** 支付日期 of a payment, 调整日期 of an adjustment (ISO; an unreadable row's as written); null for budget lines. */
  date?: string | null;
  /** 支付方式 of a payment as stored (batch / transfer). */
  paymentKind?: "batch" | "transfer" | null;
  /** 人次 of a payment batch. */
  personTimes?: number | null;
  notes: RowNote[];
}

/** A payment row larger than its project's adjusted budget for the year (decision 012); amounts in 元. */
export interface OverBudgetPayment {
  rowNumber: number;
  unit: string;
  project: string;
  year: number;
  amount: string;
  /** 调整后预算数 at the end of the year (the initial budget when nothing was adjusted). */
  budget: string;
}

export interface ImportReport {
  kind: ImportKind;
  fileHash: string;
  /** Data rows read (合计 rows included). */
  rowsRead: number;
  added: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  errors: RowProblem[];
  /** Errors beyond the first MAX_LISTED are counted here. */
  moreErrors: number;
  /**
   * Rows with at least one error (a row may have several: one per bad cell), listed or not; a
   * file-level error (row 0, as for an empty file) counts as one. errors.length + moreErrors counts messages.
   */
  errorRows: number;
  warnings: RowProblem[];
  newUnits: string[];
  /** "2024 unit project" of each project the import creates. */
  newProjects: string[];
  /** The status of each row, for the dry-run grid (the first MAX_LISTED rows, and every row with a note). */
  rows: ReportRow[];
  /**
   * New payments each larger than its project's whole adjusted budget for the year (the first
   * MAX_LISTED; overBudgetCount counts them all): imported only when acknowledged (acceptOverBudget).
   */
  overBudget: OverBudgetPayment[];
  overBudgetCount: number;
  /** The commit was refused because over-budget payments were not acknowledged: nothing was written. */
  overBudgetRefused: boolean;
  /** The same file (by content) was imported before and stands (not undone): nothing was done. */
  alreadyImported: boolean;
  committed: boolean;
}

/**
 * A report being written: the report itself (an explicit value, returned by finish) and the numbers
 * of the rows with errors, which errorRows counts.
 */
export class ReportBuilder {
  readonly report: ImportReport;
  private readonly errorRowNumbers = new Set<number>();

  constructor(kind: ImportKind, fileHash: string) {
    this.report = {
      kind,
      fileHash,
      rowsRead: 0,
      added: 0,
      updated: 0,
      unchanged: 0,
      duplicates: 0,
      errors: [],
      moreErrors: 0,
      errorRows: 0,
      warnings: [],
      newUnits: [],
      newProjects: [],
      rows: [],
      overBudget: [],
      overBudgetCount: 0,
      overBudgetRefused: false,
      alreadyImported: false,
      committed: false,
    };
  }

  /** Whether any error was found (listed or counted). */
  get hasErrors(): boolean {
    return this.report.errors.length > 0 || this.report.moreErrors > 0;
  }

  addError(problem: RowProblem): void {
    if (this.report.errors.length < MAX_LISTED) this.report.errors.push(problem);
    else this.report.moreErrors += 1;
    this.errorRowNumbers.add(problem.rowNumber);
  }

  addWarning(rowNumber: number, column: string | null, message: Message): void {
    this.report.warnings.push({ rowNumber, column, message });
  }

  /** A row for the grid: the first MAX_LISTED, and every row with a note. */
  listRow(row: ReportRow): void {
    if (this.report.rows.length < MAX_LISTED || row.notes.length > 0) this.report.rows.push(row);
  }

  /** The report, its lists in row order and its error rows counted. */
  finish(): ImportReport {
    this.report.rows.sort((a, b) => a.rowNumber - b.rowNumber);
    this.report.errors.sort((a, b) => a.rowNumber - b.rowNumber);
    this.report.errorRows = this.errorRowNumbers.size;
    return this.report;
  }
}

/**
 * What the dry-run grid shows of a row that could not be read, so that it can be found without opening the
 * file: its cells as written (unit, project, item, date: at most 100 characters each), and its 年度, 人次 and
 * amount where they are plain numbers (the amount in 元, by its column's unit); blank where not.
 * unreadableRow(mapping, ["2024", "马桥", "医疗救助", "", "2024-12-26", "社会化发放", "2", "abc"]) → { year: 2024, …, amount: "" }
 */
export function unreadableRow(mapping: HeaderMapping, cells: readonly string[]): Pick<ReportRow, "year" | "unit" | "project" | "item" | "amount" | "date" | "personTimes"> {
  const column = (key: string) => mapping.columns.find((c) => c.spec.key === key);
  const text = (key: string) => {
    const found = column(key);
    return found ? (cells[found.index] ?? "").trim().slice(0, 100) : "";
  };
  const amountColumn = column("amount") ?? column("initial");
  const written = amountColumn ? (cells[amountColumn.index] ?? "").trim() : "";
  const amountText = ungrouped(written) ?? "";
  return {
    year: /^\d{4}$/.test(text("year")) ? Number(text("year")) : null,
    unit: text("unit"),
    project: text("project"),
    item: text("item"),
    amount: amountColumn && /^-?\d{1,12}(\.\d{1,2})?$/.test(amountText) ? toAmountString(money(amountText).times(amountColumn.factor)) : "",
    date: text("date") || null,
    personTimes: /^\d{1,9}$/.test(text("personTimes")) ? Number(text("personTimes")) : null,
  };
}
