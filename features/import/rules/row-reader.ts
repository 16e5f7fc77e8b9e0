import type { HeaderMapping, ImportKind, MappedColumn } from "./columns.ts";
import { alias, FUND_LEVEL_ALIASES, FUND_TYPE_ALIASES, hasNul, MAX_AMOUNT_DIGITS, MAX_FILE_TOTAL, PAYMENT_KIND_ALIASES, TOTAL_LABEL } from "./cells.ts";
import { buildRow, parseImportRow } from "./rows.ts";
import { msg } from "../../../messages/index.ts";
import { FIRST_DATE_YEAR, LAST_DATE_YEAR } from "../../../domain/dates.ts";

/*
 * The fast path of reading an import file's rows (imports read 100,000s of them): cells in the plain
 * form are read without the general parsers; any other row goes to parseImportRow (rows.ts).
 */

/** How a column is read on the fast path; "general": always by parseImportRow (signed amounts, 万元, months). */
type Fast = "year" | "text" | "amount" | "date" | "integer" | "fund-level" | "fund-type" | "payment-kind" | "general";

/** How each column of a file is read on the fast path. */
interface FastColumn {
  index: number;
  key: string;
  required: boolean;
  type: Fast;
}

function fastType(column: MappedColumn): Fast {
  const type = column.spec.type;
  if (type === "amount") return column.factor === 1 || column.spec.key === "quantity" ? "amount" : "general";
  return type === "signed-amount" || type === "months" ? "general" : type;
}

/**
 * The row reader for one file's columns: parseImportRow's result, faster. Rows whose cells are all
 * in the plain form (ASCII digits, 元 with up to 2 decimals, ISO dates, canonical names) and pass the
 * cross-field rules are read directly; any other row — full-width digits, separators, 万元, errors,
 * a 合计 row — goes through parseImportRow itself, so there is one set of rules and messages.
 * Example: readRow(["2024", "马桥镇…", "医疗救助", "", "2024-07-02", "划拨", "", "56307.81", …], 2).
 */
export function rowReader<K extends ImportKind>(
  kind: K,
  mapping: HeaderMapping,
): (cells: readonly string[], rowNumber: number) => ReturnType<typeof parseImportRow<K>> {
  const columns: FastColumn[] = mapping.columns.map((column) => ({ index: column.index, key: column.spec.key, required: column.spec.required, type: fastType(column) }));
  const general = columns.some((column) => column.type === "general") || mapping.unheaded.length > 0;
  const width = mapping.width;
  const amountColumn = mapping.columns.find((column) => column.spec.key === "amount" || column.spec.key === "initial")?.header ?? null;
  let total = 0;
  const read = (cells: readonly string[], rowNumber: number) => {
    // Cells beyond the header (or under an empty header): parseImportRow refuses the row when one is filled.
    const values = general || cells.length > width ? null : readPlainCells(columns, cells);
    if (values === null || !passesCrossFieldRules(kind, values)) return parseImportRow(kind, mapping, cells, rowNumber);
    return { row: buildRow(kind, values, rowNumber) };
  };
  return (cells, rowNumber) => {
    const result = read(cells, rowNumber);
    if (!("row" in result)) return result;
    // The file's amounts together stay below MAX_FILE_TOTAL, so that no sum of the import overflows (cells.ts).
    const row = result.row as { amount?: string; initial?: string };
    total += Math.abs(Number(row.initial ?? row.amount ?? 0));
    if (total < MAX_FILE_TOTAL) return result;
    return { problems: [{ rowNumber, column: amountColumn, message: msg("importTotalOverLimit") }] };
  };
}

/** The values of a row whose every cell is in the plain form; null when one is not (or is empty but required). */
function readPlainCells(columns: readonly FastColumn[], cells: readonly string[]): Record<string, unknown> | null {
  const values: Record<string, unknown> = {};
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c]!;
    const text = (cells[column.index] ?? "").trim();
    if (text === "") {
      if (column.required) return null;
      values[column.key] = null;
      continue;
    }
    let value: unknown;
    switch (column.type) {
      case "year":
        value = plainYear(text);
        break;
      case "text":
        value = text.length > 500 || (text.length <= 5 && TOTAL_LABEL.test(text)) || hasNul(text) ? undefined : text;
        break;
      case "amount":
        value = plainAmount(text);
        break;
      case "date":
        value = plainDate(text);
        break;
      case "integer":
        value = plainInteger(text);
        break;
      case "fund-level":
        value = alias(FUND_LEVEL_ALIASES, text);
        break;
      case "fund-type":
        value = alias(FUND_TYPE_ALIASES, text);
        break;
      case "payment-kind":
        value = alias(PAYMENT_KIND_ALIASES, text);
        break;
      default:
        value = undefined;
    }
    if (value === undefined) return null;
    values[column.key] = value;
  }
  return values;
}

/** The cross-field rules of crossFieldProblems, on plain values: false sends the row to parseImportRow for its messages. */
function passesCrossFieldRules(kind: ImportKind, values: Record<string, unknown>): boolean {
  if (kind === "budget-lines") return !(values.unitPrice && values.quantity);
  if (kind !== "payments") return true;
  const amount = cents(values.amount as string);
  const returnedAmount = values.returnedAmount == null ? 0 : cents(values.returnedAmount as string);
  if (amount === null || returnedAmount === null || amount === 0 || returnedAmount > amount) return false;
  const returnedCount = values.returnedCount as number | null | undefined;
  const personTimes = values.personTimes as number | null | undefined;
  if (returnedCount && personTimes != null && returnedCount > personTimes) return false;
  const reissuedOn = values.reissuedOn as string | null | undefined;
  if (reissuedOn && (returnedAmount === 0 || reissuedOn < (values.date as string))) return false;
  return !(values.dueDate && values.kind === "batch");
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function plainYear(text: string): number | undefined {
  if (text.length !== 4) return undefined;
  for (let i = 0; i < 4; i++) if (!isDigit(text.charCodeAt(i))) return undefined;
  const year = Number(text);
  return year >= 2000 && year <= 2100 ? year : undefined;
}

/** 元 with up to 12 integer digits (MAX_AMOUNT_DIGITS) and up to 2 decimals, as "1234.50"; what parseImportAmount's plain case returns. */
function plainAmount(text: string): string | undefined {
  const n = text.length;
  let point = -1;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code === 46 && point === -1) point = i;
    else if (!isDigit(code)) return undefined;
  }
  const integerEnd = point === -1 ? n : point;
  const decimals = point === -1 ? 0 : n - point - 1;
  if (integerEnd === 0 || (point !== -1 && (decimals < 1 || decimals > 2))) return undefined;
  let start = 0;
  while (start < integerEnd - 1 && text.charCodeAt(start) === 48) start++;
  if (integerEnd - start > MAX_AMOUNT_DIGITS) return undefined; // parseImportAmount refuses it, with its message
  const fraction = decimals === 2 ? text.slice(point + 1) : decimals === 1 ? `${text.slice(point + 1)}0` : "00";
  return `${text.slice(start, integerEnd)}.${fraction}`;
}

/** An amount "1234.50" in cents, when that is exact in a double; null otherwise. */
function cents(amount: string): number | null {
  return amount.length > 16 ? null : Number(amount.replace(".", ""));
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** YYYY-MM-DD that is a real date in the ledger's years (1900–2199); what parseImportDate returns for it. */
function plainDate(text: string): string | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  for (let i = 0; i < 10; i++) if (i !== 4 && i !== 7 && !isDigit(text.charCodeAt(i))) return undefined;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return undefined;
  if (year < FIRST_DATE_YEAR || year > LAST_DATE_YEAR || (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))) return undefined;
  return text;
}

function plainInteger(text: string): number | undefined {
  if (text.length > 9) return undefined;
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return undefined;
  return Number(text);
}
