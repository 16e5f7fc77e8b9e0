import { FIRST_DATE_YEAR, isIsoDate, LAST_DATE_YEAR } from "../../../domain/dates.ts";
import { misgrouped, money, toAmountString } from "../../../domain/money.ts";
import type { FUND_LEVELS, FUND_TYPES } from "../../../domain/budget-line-form.ts";
import { msg, type Message } from "../../../messages/index.ts";
import { shortened } from "../../../files/table-file-error.ts";

/*
 * Reading one cell of an import file: amounts, whole numbers, dates and the names of fund levels,
 * fund types and payment kinds, as people and Excel write them. Used by rows.ts (every rule and
 * message) and row-reader.ts (the fast path, for cells in the plain form).
 */

/** Spreadsheet letters of a 0-based column index: 7 → "H", 26 → "AA". */
export function columnLetters(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** The label of a 合计 row, in one of its text columns. */
export const TOTAL_LABEL = /^(合计|总计|小计|total)$/i;

/** Full-width digits and punctuation to ASCII, as Excel on Chinese Windows may write them. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}

/** The reason when a number's thousands separators are misplaced (domain/money.ts misgrouped), null when right or absent. */
function groupingProblem(text: string, original: string): Message | null {
  return misgrouped(text) ? msg("impGrouping", { text: shortened(original) }) : null;
}

/** Excel's accounting format shows zero as a dash: “ - ”, “-”, “¥ -   ”, “－”. */
function isAccountingZero(halfWidth: string): boolean {
  return /^[¥￥]?-[¥￥]?$/.test(halfWidth.replace(/\s/g, ""));
}

/** An amount of a cell must be below 1 万亿元 (domain/money.ts MAX_AMOUNT: one rule for forms and imports). */
import { MAX_AMOUNT as MAX_IMPORT_AMOUNT, MAX_AMOUNT_DIGITS } from "../../../domain/money.ts";
export { MAX_AMOUNT_DIGITS, MAX_IMPORT_AMOUNT };
/** The amounts of one file together (row-reader.ts): below 100 万亿元. */
export const MAX_FILE_TOTAL = 1e14;

/** Whether a cell's text holds a NUL (U+0000: an XLSX's _x0000_), which PostgreSQL cannot store in text. */
export function hasNul(text: string): boolean {
  return text.includes("\u0000");
}

/**
 * Parses an amount cell into 元 with exactly 2 decimals: thousands separators (in groups of three),
 * full-width digits, a leading ¥ and the accounting format's zero “ - ” are accepted; a 万元 column
 * is multiplied by 10,000 exactly; more than 2 decimals of 元 and misplaced separators (1,23,456.00)
 * are refused. Example: parseImportAmount("147.174531", 10000) → { amount: "1471745.31" }.
 */
export function parseImportAmount(text: string, factor: 1 | 10000, allowNegative = false): { amount: string } | { error: Message } {
  // The common case, plain 元 with up to 2 decimals, without decimal arithmetic (imports read 100,000s of rows).
  const plain = factor === 1 ? /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text) : null; // 12: MAX_AMOUNT_DIGITS
  if (plain) return { amount: `${plain[1]!.replace(/^0+(?=\d)/, "")}.${(plain[2] ?? "").padEnd(2, "0")}` };
  const halfWidth = toHalfWidth(text);
  if (isAccountingZero(halfWidth)) return { amount: "0.00" };
  const spaced = halfWidth.replace(/[\s¥￥]/g, "");
  const grouping = groupingProblem(spaced, text);
  if (grouping) return { error: grouping };
  const cleaned = spaced.replace(/,/g, "").replace(/^\((.*)\)$/, "-$1");
  if (!/^[-+]?\d+(\.\d+)?$/.test(cleaned)) return { error: msg("impNotNumber", { text: shortened(text) }) };
  const amount = money(cleaned).times(factor);
  if (amount.decimalPlaces() > 2) {
    return { error: factor === 10000 ? msg("impWanCents", { text: shortened(text), yuan: amount.toString() }) : msg("impCents", { text: shortened(text) }) };
  }
  if (amount.isNegative() && !allowNegative) return { error: msg("impNegative", { text: shortened(text) }) };
  if (amount.abs().greaterThanOrEqualTo(MAX_IMPORT_AMOUNT)) return { error: msg("amountOverLimit", { text: shortened(text) }) };
  return { amount: toAmountString(amount) };
}

/** A non-negative whole number (人次): separators in groups of three and full-width digits accepted. */
export function parseImportInteger(text: string): { value: number } | { error: Message } {
  const spaced = toHalfWidth(text).replace(/\s/g, "");
  const grouping = groupingProblem(spaced, text);
  if (grouping) return { error: grouping };
  const cleaned = spaced.replace(/,/g, "");
  if (!/^\d{1,9}$/.test(cleaned)) return { error: msg("impNotWhole", { text: shortened(text) }) };
  return { value: Number(cleaned) };
}

/**
 * Parses a date cell: 2024-07-02, 2024/7/2, 2024.7.2, 2024年7月2日 or 20240702, also with the time
 * Excel adds to a date cell formatted with one, when it is midnight (2024/7/2 0:00, 2024-07-02 00:00:00);
 * any other time of day, and impossible dates, are refused.
 */
export function parseImportDate(text: string): { date: string } | { error: Message } {
  const cleaned = toHalfWidth(text).trim();
  const match =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/.exec(cleaned) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(cleaned);
  if (!match) return { error: msg("impNotDate", { text: shortened(text) }) };
  const [, year, month, day, hours, minutes, seconds, fraction] = match;
  if (hours !== undefined && (Number(hours) !== 0 || Number(minutes) !== 0 || Number(seconds ?? "0") !== 0 || /[1-9]/.test(fraction ?? ""))) {
    return { error: msg("impDateTime", { text: shortened(text), time: `${hours}:${minutes}${seconds ? `:${seconds}` : ""}` }) };
  }
  const iso = `${year}-${month!.padStart(2, "0")}-${day!.padStart(2, "0")}`;
  if (Number(year) < FIRST_DATE_YEAR || Number(year) > LAST_DATE_YEAR) return { error: msg("dateOutOfRange", { text: shortened(text), first: FIRST_DATE_YEAR, last: LAST_DATE_YEAR }) };
  if (!isIsoDate(iso)) return { error: msg("impNoSuchDate", { text: shortened(text) }) };
  return { date: iso };
}

export const FUND_LEVEL_ALIASES: Record<string, (typeof FUND_LEVELS)[number]> = {
  中央: "中央", 中央级: "中央", central: "中央",
  市级: "市级", 市: "市级", city: "市级",
  区级: "区级", 区: "区级", district: "区级",
  镇级: "镇级", 镇: "镇级", 街镇: "镇级", town: "镇级",
};
export const FUND_TYPE_ALIASES: Record<string, (typeof FUND_TYPES)[number]> = {
  当年财政拨款: "当年财政拨款", 财政拨款: "当年财政拨款", current: "当年财政拨款",
  上年结转: "上年结转", 结转: "上年结转", "carry-over": "上年结转",
  其他资金: "其他资金", 其他: "其他资金", other: "其他资金",
};
export const PAYMENT_KIND_ALIASES: Record<string, "batch" | "transfer"> = {
  社会化发放: "batch", 发放: "batch", batch: "batch",
  划拨: "transfer", 拨付: "transfer", 转拨: "transfer", transfer: "transfer",
};

/** An alias's canonical value; undefined for anything else (“constructor” included). */
export function alias<T>(aliases: Record<string, T>, text: string): T | undefined {
  const key = text.toLowerCase();
  return Object.hasOwn(aliases, key) ? aliases[key] : undefined;
}
