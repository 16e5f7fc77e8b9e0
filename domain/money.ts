import Decimal from "decimal.js";
import { msg, type Message } from "../messages";

/**
 * Decimal arithmetic for money: 40 significant digits and half-up rounding, so that every
 * amount of NUMERIC(18,2) and every sum of them is exact. Amounts cross boundaries as strings.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

/** An amount string with exactly 2 decimals, e.g. "959622.79" or "-0.10". */
const CENTS = /^-?\d+\.\d{2}$/;

/**
 * n ÷ d × 100 as a 2-decimal string, rounded half away from zero (decimal.js's ROUND_HALF_UP), in
 * integers: ratioPercent(95962279n, 110920000n) → "86.51"; null when d is 0.
 */
export function ratioPercent(numerator: bigint, denominator: bigint): string | null {
  if (denominator === 0n) return null;
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const hundredths = (n * 10000n * 2n + d) / (2n * d); // round(n × 10000 ÷ d), half up
  const whole = (hundredths / 100n).toString();
  const fraction = (hundredths % 100n).toString().padStart(2, "0");
  return `${negative && hundredths !== 0n ? "-" : ""}${whole}.${fraction}`;
}

/** 元 per 万元. */
const YUAN_PER_WAN = new Money(10_000);

/** The display unit of amounts: 元 or 万元 (10,000 元). */
export type AmountUnit = "yuan" | "wan";

/** Parses an amount string (as PostgreSQL returns NUMERIC) into an exact decimal, e.g. money("959622.79"). */
export function money(value: string | number | Decimal): Decimal {
  const amount = new Money(value);
  if (!amount.isFinite()) throw new RangeError(`not a finite amount: ${String(value)}`);
  return amount;
}

/** Sums amount strings exactly: sumMoney(["0.10", "0.20"]) → "0.30". */
export function sumMoney(values: Iterable<string | Decimal>): Decimal {
  let cents = 0n;
  let total = new Money(0);
  for (const value of values) {
    if (typeof value === "string" && CENTS.test(value)) cents += BigInt(value.replace(".", ""));
    else total = total.plus(value);
  }
  return cents === 0n ? total : total.plus(new Money(cents.toString()).dividedBy(100));
}

/** An amount as a string with exactly 2 decimals, half-up: toAmountString(money("1.005")) → "1.01". */
export function toAmountString(amount: Decimal): string {
  return amount.toFixed(2, Decimal.ROUND_HALF_UP);
}

/**
 * A ratio as a percentage with 2 decimals, half-up, from exact amounts, or null when the
 * denominator is zero: percentage("959622.79", "1109200.00") → "86.51".
 */
export function percentage(numerator: string | Decimal, denominator: string | Decimal): string | null {
  // Amount strings with cents (as PostgreSQL returns NUMERIC(18,2)) take an exact integer path: the
  // dashboard computes tens of thousands of rates per request.
  if (typeof numerator === "string" && typeof denominator === "string" && CENTS.test(numerator) && CENTS.test(denominator)) {
    return ratioPercent(BigInt(numerator.replace(".", "")), BigInt(denominator.replace(".", "")));
  }
  const denominatorValue = money(denominator);
  if (denominatorValue.isZero()) return null;
  return money(numerator).times(100).dividedBy(denominatorValue).toFixed(2, Decimal.ROUND_HALF_UP);
}

/** Converts 元 to 万元 for display, 2 decimals half-up: yuanToWan("1471745.31") → "147.17". */
export function yuanToWan(amount: string | Decimal): string {
  return money(amount).dividedBy(YUAN_PER_WAN).toFixed(2, Decimal.ROUND_HALF_UP);
}

/**
 * Whether amounts shown in 万元 no longer add up to their total shown in 万元 (each rounded on its own), so
 * that a table must say 因四舍五入，合计数与分项之和可能存在尾差: wanRoundsApart(["3333.00", "3333.00", "3333.00"],
 * "9999.00") → true (0.33 × 3 = 0.99, the total 1.00).
 */
export function wanRoundsApart(amounts: Iterable<string>, total: string): boolean {
  const shown = sumMoney([...amounts].map((amount) => yuanToWan(amount)));
  return !shown.equals(yuanToWan(total));
}

/** Converts 万元 to 元 exactly (no rounding is needed for 2-decimal 万元): wanToYuan("147.17") → "1471700.00". */
export function wanToYuan(amount: string | Decimal): string {
  return toAmountString(money(amount).times(YUAN_PER_WAN));
}

/**
 * Formats an amount for people: thousands separators and 2 decimals, in 元 or 万元,
 * e.g. formatAmount("1471745.31", "wan") → "147.17"; formatAmount("1471745.31", "yuan") → "1,471,745.31".
 */
export function formatAmount(amount: string | Decimal, unit: AmountUnit = "yuan"): string {
  const fixed = unit === "wan" ? yuanToWan(amount) : toAmountString(money(amount));
  const negative = fixed.startsWith("-");
  const [whole = "0", cents = "00"] = (negative ? fixed.slice(1) : fixed).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}.${cents}`;
}

/** A quantity or rate as people read it, grouped and without trailing zeros: formatNumber("1218.00") → "1,218", ("32880.50") → "32,880.5". */
export function formatNumber(value: string | Decimal): string {
  const [whole = "0", fraction] = new Decimal(value).toFixed().split(".");
  const negative = whole.startsWith("-");
  const grouped = (negative ? whole.slice(1) : whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

/** An amount in the chosen display unit as a plain 2-decimal string, for grids and exports. */
export function amountInUnit(amount: string | Decimal, unit: AmountUnit): string {
  return unit === "wan" ? yuanToWan(amount) : toAmountString(money(amount));
}

/** The exact difference of two amounts as a 2-decimal string: difference("1471745.31", "1350000.00") → "121745.31". */
export function difference(minuend: string | Decimal, subtrahend: string | Decimal): string {
  if (typeof minuend === "string" && typeof subtrahend === "string" && CENTS.test(minuend) && CENTS.test(subtrahend)) {
    const cents = BigInt(minuend.replace(".", "")) - BigInt(subtrahend.replace(".", ""));
    const sign = cents < 0n ? "-" : "";
    const digits = (cents < 0n ? -cents : cents).toString().padStart(3, "0");
    return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
  }
  return toAmountString(money(minuend).minus(subtrahend));
}

/**
 * An amount (a budget line, an adjustment, a payment: typed or imported) must be below 1 万亿元 (10^12 元: 12
 * digits before the point). The ledger's columns are NUMERIC(18, 2) (below 10^16), and so are the sums the
 * reports make of them: with each amount below 10^12 (and an import file's below 10^14, features/import) they
 * cannot overflow ("numeric field overflow", a 500 before issue 17). No budget line or payment of a unit comes near.
 */
export const MAX_AMOUNT_DIGITS = 12;
export const MAX_AMOUNT = `1e${MAX_AMOUNT_DIGITS}`;

/**
 * Whether a number's thousands separators are misplaced (the one rule for typed and imported amounts): after
 * the first group of 1–3 digits, groups of exactly 3, none after the decimal point; false without separators.
 * misgrouped("1,234,567.89") → false; misgrouped("1,23,456.00") and misgrouped("1,0000.00") → true (a digit
 * missing or extra). Expects half-width text without currency signs or spaces.
 */
export function misgrouped(text: string): boolean {
  if (!text.includes(",")) return false;
  const point = text.indexOf(".");
  const integer = (point === -1 ? text : text.slice(0, point)).replace(/^[-+(]+/, "");
  const fraction = point === -1 ? "" : text.slice(point + 1);
  return !(/^\d{1,3}(,\d{3})+$/.test(integer) && !fraction.includes(","));
}

/**
 * A typed number without its thousands separators (full-width commas and spaces read as the user meant them), or
 * null when the separators are misplaced (misgrouped): ungrouped("1，234.5") → "1234.5"; ungrouped("1,23,4") → null.
 */
export function ungrouped(text: string): string | null {
  const written = text.replace(/[，]/g, ",").replace(/\s/g, "");
  return misgrouped(written) ? null : written.replace(/,/g, "");
}

/**
 * Parses an amount typed by a person: optional thousands separators (in groups of three) and full-width digits,
 * at most 2 decimals, below MAX_AMOUNT (1 万亿元). Returns the 2-decimal string or the problem as a message.
 * Example: parseAmount("1,350,000") → { amount: "1350000.00" }; parseAmount("1.005") → { problem: { code: "amountTooPrecise" } };
 * parseAmount("1,44,6420") → { problem: { code: "amountGrouping", … } }.
 */
export function parseAmount(text: string, options: { allowNegative?: boolean } = {}): { amount: string } | { problem: Message } {
  const halfWidth = text
    .trim()
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[．]/g, ".")
    .replace(/[－]/g, "-")
    .replace(/[，]/g, ",")
    .replace(/\s/g, "");
  // Misplaced separators in what is otherwise a number ("1,44,6420"); anything else is not an amount at all.
  if (/^-?[\d,]+(\.[\d,]*)?$/.test(halfWidth) && misgrouped(halfWidth)) return { problem: msg("amountGrouping", { text: text.trim().slice(0, 40) }) };
  const normalized = halfWidth.replace(/,/g, "");
  if (normalized === "") return { problem: msg("amountRequired") };
  if (!/^-?\d{1,16}(\.\d+)?$/.test(normalized)) return { problem: msg("amountInvalid", { text }) };
  if (/\.\d{3,}$/.test(normalized)) return { problem: msg("amountTooPrecise") };
  const amount = money(normalized);
  if (amount.isNegative() && !options.allowNegative) return { problem: msg("amountNegative") };
  if (amount.abs().greaterThanOrEqualTo(MAX_AMOUNT)) return { problem: msg("amountOverLimit", { text }) };
  return { amount: toAmountString(amount) };
}

/**
 * A 元/万元 slip (a slip is 10,000×): an amount at least `larger` times its project's median amount, or
 * `smaller` times below it. Upwards the bar is lower: a payment too large by a slip inflates every figure
 * after it (the import warns of it; the plan leaves it out of what the forecast learns from), while a
 * small one (a single person's 30 元 among batches) is often genuine.
 */
export const SLIP_RATIO = { larger: 1_000, smaller: 5_000 } as const;

/** An exact 元 string; a negative zero (a float effect that rounds away) reads "0.00". */
export const cents = (value: string | number | Decimal): string => {
  const amount = money(value);
  return toAmountString(amount.abs().lessThan("0.005") ? money(0) : amount);
};
/** price × quantity as an exact 元 string. */
export const times = (price: string, quantity: string): string => toAmountString(money(price).times(quantity));
