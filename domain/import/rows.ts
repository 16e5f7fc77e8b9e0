import { isIsoDate } from "../dates.ts";
import { money, toAmountString } from "../money.ts";
import { FUND_LEVELS, FUND_TYPES, parseMonths } from "../budget-line-form.ts";
import type { HeaderMapping, ImportKind, MappedColumn } from "./columns.ts";

/** A problem with one cell or row, for the person who made the file: row number, column header, reason in Chinese. */
export interface RowProblem {
  rowNumber: number;
  column: string | null;
  message: string;
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
}

export type ImportRow<K extends ImportKind> = K extends "budget-lines" ? BudgetLineRow : K extends "adjustments" ? AdjustmentRow : PaymentRow;

/** A 合计 row: its amounts, to check that the file foots. */
export interface TotalRow {
  rowNumber: number;
  amounts: Record<string, string>;
}

const TOTAL_LABEL = /^(合计|总计|小计|total)$/i;

/** Full-width digits and punctuation to ASCII, as Excel on Chinese Windows may write them. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}

/**
 * Why the thousands separators of a number are misplaced, null when they are right or absent: after
 * the first group of 1–3 digits, groups of exactly 3, and none after the decimal point.
 * groupingProblem("1,234,567.89") → null; groupingProblem("1,23,456.00") and ("1,0000.00") → the reason.
 * Expects half-width text without currency signs and spaces.
 */
function groupingProblem(text: string, original: string): string | null {
  if (!text.includes(",")) return null;
  const point = text.indexOf(".");
  const integer = (point === -1 ? text : text.slice(0, point)).replace(/^[-+(]+/, "");
  const fraction = point === -1 ? "" : text.slice(point + 1);
  if (/^\d{1,3}(,\d{3})+$/.test(integer) && !fraction.includes(",")) return null;
  return `“${original}”的千位分隔符位置不对：应从个位起每三位一组（如 1,234,567.89），请检查是否输错了数字`;
}

/** Excel's accounting format shows zero as a dash: “ - ”, “-”, “¥ -   ”, “－”. */
function isAccountingZero(halfWidth: string): boolean {
  return /^[¥￥]?-[¥￥]?$/.test(halfWidth.replace(/\s/g, ""));
}

/**
 * Parses an amount cell into 元 with exactly 2 decimals: thousands separators (in groups of three),
 * full-width digits, a leading ¥ and the accounting format's zero “ - ” are accepted; a 万元 column
 * is multiplied by 10,000 exactly; more than 2 decimals of 元 and misplaced separators (1,23,456.00)
 * are refused. Example: parseImportAmount("147.174531", 10000) → { amount: "1471745.31" }.
 */
export function parseImportAmount(text: string, factor: 1 | 10000, allowNegative = false): { amount: string } | { error: string } {
  // The common case, plain 元 with up to 2 decimals, without decimal arithmetic (imports read 100,000s of rows).
  const plain = factor === 1 ? /^(\d{1,16})(?:\.(\d{1,2}))?$/.exec(text) : null;
  if (plain) return { amount: `${plain[1]!.replace(/^0+(?=\d)/, "")}.${(plain[2] ?? "").padEnd(2, "0")}` };
  const halfWidth = toHalfWidth(text);
  if (isAccountingZero(halfWidth)) return { amount: "0.00" };
  const spaced = halfWidth.replace(/[\s¥￥]/g, "");
  const grouping = groupingProblem(spaced, text);
  if (grouping) return { error: grouping };
  const cleaned = spaced.replace(/,/g, "").replace(/^\((.*)\)$/, "-$1");
  if (!/^[-+]?\d+(\.\d+)?$/.test(cleaned)) return { error: `“${text}”不是数字` };
  const amount = money(cleaned).times(factor);
  if (amount.decimalPlaces() > 2) {
    return { error: factor === 10000 ? `${text} 万元 = ${amount.toString()} 元，超过两位小数（精确到分）` : `金额“${text}”超过两位小数（精确到分）` };
  }
  if (amount.isNegative() && !allowNegative) return { error: `金额不能为负数：${text}` };
  if (amount.abs().greaterThanOrEqualTo("1e16")) return { error: `金额过大：${text}` };
  return { amount: toAmountString(amount) };
}

/** A non-negative whole number (人次): separators in groups of three and full-width digits accepted. */
export function parseImportInteger(text: string): { value: number } | { error: string } {
  const spaced = toHalfWidth(text).replace(/\s/g, "");
  const grouping = groupingProblem(spaced, text);
  if (grouping) return { error: grouping };
  const cleaned = spaced.replace(/,/g, "");
  if (!/^\d{1,9}$/.test(cleaned)) return { error: `“${text}”不是非负整数` };
  return { value: Number(cleaned) };
}

/**
 * Parses a date cell: 2024-07-02, 2024/7/2, 2024.7.2, 2024年7月2日 or 20240702, also with the time
 * Excel adds to a date cell formatted with one, when it is midnight (2024/7/2 0:00, 2024-07-02 00:00:00);
 * any other time of day, and impossible dates, are refused.
 */
export function parseImportDate(text: string): { date: string } | { error: string } {
  const cleaned = toHalfWidth(text).trim();
  const match =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/.exec(cleaned) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(cleaned);
  if (!match) return { error: `“${text}”不是日期（应为 YYYY-MM-DD）` };
  const [, year, month, day, hours, minutes, seconds, fraction] = match;
  if (hours !== undefined && (Number(hours) !== 0 || Number(minutes) !== 0 || Number(seconds ?? "0") !== 0 || /[1-9]/.test(fraction ?? ""))) {
    return { error: `“${text}”带有时刻 ${hours}:${minutes}${seconds ? `:${seconds}` : ""}：日期列只填日期（时刻只能是 0:00）` };
  }
  const iso = `${year}-${month!.padStart(2, "0")}-${day!.padStart(2, "0")}`;
  if (!isIsoDate(iso)) return { error: `日期不存在：${text}` };
  return { date: iso };
}

const FUND_LEVEL_ALIASES: Record<string, (typeof FUND_LEVELS)[number]> = {
  中央: "中央", 中央级: "中央", central: "中央",
  市级: "市级", 市: "市级", city: "市级",
  区级: "区级", 区: "区级", district: "区级",
  镇级: "镇级", 镇: "镇级", 街镇: "镇级", town: "镇级",
};
const FUND_TYPE_ALIASES: Record<string, (typeof FUND_TYPES)[number]> = {
  当年财政拨款: "当年财政拨款", 财政拨款: "当年财政拨款", current: "当年财政拨款",
  上年结转: "上年结转", 结转: "上年结转", "carry-over": "上年结转",
  其他资金: "其他资金", 其他: "其他资金", other: "其他资金",
};
const PAYMENT_KIND_ALIASES: Record<string, "batch" | "transfer"> = {
  社会化发放: "batch", 发放: "batch", batch: "batch",
  划拨: "transfer", 拨付: "transfer", 转拨: "transfer", transfer: "transfer",
};

/** An alias's canonical value; undefined for anything else (“constructor” included). */
function alias<T>(aliases: Record<string, T>, text: string): T | undefined {
  const key = text.toLowerCase();
  return Object.hasOwn(aliases, key) ? aliases[key] : undefined;
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
    const problem = (message: string) => problems.push({ rowNumber, column: column.header, message });
    if (text === "") {
      if (column.spec.required) problem("必填");
      values[column.spec.key] = null;
      continue;
    }
    switch (column.spec.type) {
      case "year": {
        const year = Number(toHalfWidth(text).replace(/年$/, ""));
        if (!Number.isInteger(year) || year < 2000 || year > 2100) problem(`“${text}”不是有效的年度`);
        values.year = year;
        break;
      }
      case "text":
        if (text.length > 500) problem("超过 500 个字符");
        values[column.spec.key] = text;
        break;
      case "amount":
      case "signed-amount": {
        const parsed = parseImportAmount(text, column.spec.key === "quantity" ? 1 : column.factor, column.spec.type === "signed-amount");
        if ("error" in parsed) problem(parsed.error);
        else if (column.spec.type === "signed-amount" && parsed.amount === "0.00") problem("调整金额不能为 0");
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
          problem((error as Error).message);
        }
        break;
      case "fund-level": {
        const level = alias(FUND_LEVEL_ALIASES, text);
        if (!level) problem(`资金级次应为 ${FUND_LEVELS.join("/")}：${text}`);
        values[column.spec.key] = level;
        break;
      }
      case "fund-type": {
        const type = alias(FUND_TYPE_ALIASES, text);
        if (!type) problem(`资金类型应为 ${FUND_TYPES.join("/")}：${text}`);
        values[column.spec.key] = type;
        break;
      }
      case "payment-kind": {
        const paymentKind = alias(PAYMENT_KIND_ALIASES, text);
        if (!paymentKind) problem(`支付方式应为 社会化发放 或 划拨：${text}`);
        values[column.spec.key] = paymentKind;
        break;
      }
    }
  }
  if (problems.length === 0) problems.push(...crossFieldProblems(kind, values, mapping, rowNumber));
  if (problems.length > 0) return { problems };

  return { row: buildRow(kind, values, rowNumber) };
}

/** Spreadsheet letters of a 0-based column index: 7 → "H", 26 → "AA". */
function columnLetters(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * A non-empty cell in a column without a header: its value would be silently dropped. Beyond the last
 * header it is most often an amount split by an unquoted thousands separator in a CSV
 * (…,3,1,234.56 read as 人次 3, 金额 1 and a stray “234.56”), so the row is refused, naming the
 * position: strayCellProblem(mapping of 7 headers, [..., "3", "1", "234.56"], 2) →
 * { rowNumber: 2, column: null, message: "第8列（H列）没有表头，却有内容“234.56”：…" }. Empty cells there are fine.
 */
export function strayCellProblem(mapping: HeaderMapping, cells: readonly string[], rowNumber: number): RowProblem | null {
  const at = (index: number) => (cells[index] ?? "").trim() !== "";
  let index = mapping.unheaded.find(at);
  const beyond = index === undefined;
  if (beyond) {
    for (let c = mapping.width; c < cells.length && index === undefined; c++) if (at(c)) index = c;
  }
  if (index === undefined) return null;
  const where = `第${index + 1}列（${columnLetters(index)}列）没有表头，却有内容“${cells[index]!.trim()}”`;
  const cause = beyond
    ? `该行比表头（${mapping.width}列）多出字段：金额中的千位分隔符是否未加引号（CSV 中应写作 "1,234.56" 或 1234.56）？`
    : "请为该列填写表头，或删除该列的内容";
  return { rowNumber, column: null, message: `${where}：${cause}` };
}

/** The typed row from the checked values of its cells. */
function buildRow<K extends ImportKind>(kind: K, values: Record<string, unknown>, rowNumber: number): ImportRow<K> {
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
  };
  return row as ImportRow<K>;
}

/** Checks between fields of one row (the database enforces the same; here the person learns which cell). */
function crossFieldProblems(kind: ImportKind, values: Record<string, unknown>, mapping: HeaderMapping, rowNumber: number): RowProblem[] {
  const problems: RowProblem[] = [];
  const header = (key: string) => mapping.columns.find((column) => column.spec.key === key)?.header ?? key;
  if (kind === "budget-lines") {
    const { initial, unitPrice, quantity } = values as { initial: string; unitPrice: string | null; quantity: string | null };
    if (unitPrice && quantity && !money(unitPrice).times(quantity).equals(initial)) {
      problems.push({ rowNumber, column: header("initial"), message: `年初预算 ${initial} ≠ 单价 ${unitPrice} × 数量 ${quantity}` });
    }
  }
  if (kind === "payments") {
    const { amount, returnedAmount, returnedCount, reissuedOn, date, dueDate, kind: paymentKind, personTimes } = values as {
      amount: string; returnedAmount: string | null; returnedCount: number | null; reissuedOn: string | null; date: string; dueDate: string | null; kind: string; personTimes: number | null;
    };
    if (returnedAmount && money(returnedAmount).greaterThan(amount)) problems.push({ rowNumber, column: header("returnedAmount"), message: "退回金额大于支付金额" });
    if (returnedCount && personTimes !== null && returnedCount > personTimes) problems.push({ rowNumber, column: header("returnedCount"), message: "退回人次大于人次" });
    if (reissuedOn && (!returnedAmount || money(returnedAmount).isZero())) problems.push({ rowNumber, column: header("reissuedOn"), message: "有重发日期但没有退回金额" });
    if (reissuedOn && reissuedOn < date) problems.push({ rowNumber, column: header("reissuedOn"), message: "重发日期早于支付日期" });
    if (dueDate && paymentKind === "batch") problems.push({ rowNumber, column: header("dueDate"), message: "只有划拨才有到期日" });
    if (money(amount).isZero()) problems.push({ rowNumber, column: header("amount"), message: "支付金额必须大于 0" });
  }
  return problems;
}

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
  return (cells, rowNumber) => {
    // Cells beyond the header (or under an empty header): parseImportRow refuses the row when one is filled.
    const values = general || cells.length > width ? null : readPlainCells(columns, cells);
    if (values === null || !passesCrossFieldRules(kind, values)) return parseImportRow(kind, mapping, cells, rowNumber);
    return { row: buildRow(kind, values, rowNumber) };
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
        value = text.length > 500 || (text.length <= 5 && TOTAL_LABEL.test(text)) ? undefined : text;
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

/** 元 with up to 16 integer digits and up to 2 decimals, as "1234.50"; what parseImportAmount's plain case returns. */
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
  if (integerEnd === 0 || integerEnd > 16 || (point !== -1 && (decimals < 1 || decimals > 2))) return undefined;
  let start = 0;
  while (start < integerEnd - 1 && text.charCodeAt(start) === 48) start++;
  const fraction = decimals === 2 ? text.slice(point + 1) : decimals === 1 ? `${text.slice(point + 1)}0` : "00";
  return `${text.slice(start, integerEnd)}.${fraction}`;
}

/** An amount "1234.50" in cents, when that is exact in a double; null otherwise. */
function cents(amount: string): number | null {
  return amount.length > 16 ? null : Number(amount.replace(".", ""));
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** YYYY-MM-DD that is a real date; what parseImportDate returns for it. */
function plainDate(text: string): string | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  for (let i = 0; i < 10; i++) if (i !== 4 && i !== 7 && !isDigit(text.charCodeAt(i))) return undefined;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return undefined;
  if (year < 100 || (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))) return undefined;
  return text;
}

function plainInteger(text: string): number | undefined {
  if (text.length > 9) return undefined;
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return undefined;
  return Number(text);
}
