import { msg, render, type Message, type PlainKey } from "../messages/index.ts";
import { money, parseAmount } from "./money.ts";

/** The fund levels (资金级次) and types (资金类型) of 表1-3-1, stored as the forms write them. */
export const FUND_LEVELS = ["中央", "市级", "区级", "镇级"] as const;
export const FUND_TYPES = ["当年财政拨款", "上年结转", "其他资金"] as const;

/** The catalogue keys naming the fund levels and types (the stored values stay Chinese). */
const FUND_MESSAGE_KEYS: Readonly<Record<string, PlainKey>> = {
  中央: "drvLevelCentral",
  市级: "drvLevelCity",
  区级: "drvLevelDistrict",
  镇级: "drvLevelTown",
  当年财政拨款: "lineFundCurrentYear",
  上年结转: "lineFundCarriedOver",
  其他资金: "lineFundOther",
};

/** The catalogue key naming a stored fund level or type, or null for any other value: fundKey("镇级") → "drvLevelTown". */
export function fundKey(value: string): PlainKey | null {
  return FUND_MESSAGE_KEYS[value] ?? null;
}

/** A stored fund level or type as a message: fundMessage("镇级") → 镇级 / Town; anything else as stored. */
export function fundMessage(value: string): Message {
  const key = fundKey(value);
  return key ? msg(key) : msg("asWritten", { text: value });
}

/** The editable fields of a budget line (表1-3-1), validated. */
export interface BudgetLineValues {
  composition: string;
  item: string;
  fundLevel: (typeof FUND_LEVELS)[number];
  fundType: (typeof FUND_TYPES)[number];
  initialAmount: string;
  unitPrice: string | null;
  quantity: string | null;
  basis: string | null;
  scheduledMonths: number[] | null;
  functionalCode: string | null;
  functionalName: string | null;
  economicCode: string | null;
  economicName: string | null;
}

export type BudgetLineField = keyof BudgetLineValues;

/**
 * Whether a save would change nothing: every field equal, amounts and quantities by value (26000 = 26000.00),
 * the months as a list. sameBudgetLineValues(stored, { ...stored, initialAmount: "26000" }) → true when stored 26000.00.
 */
export function sameBudgetLineValues(a: BudgetLineValues, b: BudgetLineValues): boolean {
  const sameNumber = (x: string | null, y: string | null) => (x === null || y === null ? x === y : money(x).equals(money(y)));
  const sameMonths = (x: number[] | null, y: number[] | null) => (x === null || y === null ? x === y : x.length === y.length && x.every((month, i) => month === y[i]));
  const texts = ["composition", "item", "fundLevel", "fundType", "basis", "functionalCode", "functionalName", "economicCode", "economicName"] as const;
  return (
    texts.every((field) => a[field] === b[field]) &&
    sameNumber(a.initialAmount, b.initialAmount) &&
    sameNumber(a.unitPrice, b.unitPrice) &&
    sameNumber(a.quantity, b.quantity) &&
    sameMonths(a.scheduledMonths, b.scheduledMonths)
  );
}

/** Free text as typed: trimmed, empty as null, at most 500 characters. Stored verbatim otherwise. */
function optionalText(value: string | undefined): string | null {
  const text = (value ?? "").trim();
  return text === "" ? null : text;
}

/** Months that cannot be read: `detail` says why (`message` is its Chinese text, for logs and older callers). */
export class MonthsError extends Error {
  constructor(readonly detail: Message) {
    super(render("zh", detail));
    this.name = "MonthsError";
  }
}

/**
 * Parses "1-12", "1,2,3" or "1-3,7" into sorted months: parseMonths("1-3,7") → [1, 2, 3, 7].
 * Returns null for empty input and throws a MonthsError for anything else.
 */
export function parseMonths(text: string): number[] | null {
  const cleaned = text.replace(/[月\s]/g, "").replace(/[，、]/g, ",").replace(/[－—~～至]/g, "-");
  if (cleaned === "") return null;
  const months = new Set<number>();
  for (const part of cleaned.split(",")) {
    const range = /^(\d{1,2})(?:-(\d{1,2}))?$/.exec(part);
    if (!range) throw new MonthsError(msg("lineMonthsUnreadable", { part }));
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (from < 1 || to > 12 || from > to) throw new MonthsError(msg("lineMonthsRange", { part }));
    for (let month = from; month <= to; month += 1) months.add(month);
  }
  return [...months].sort((a, b) => a - b);
}

/** Formats months as the forms write them: formatMonths([1,2,3,7]) → "1-3,7". */
export function formatMonths(months: readonly number[] | null): string {
  if (!months || months.length === 0) return "";
  const parts: string[] = [];
  let start = months[0]!;
  let previous = start;
  for (const month of [...months.slice(1), Number.NaN]) {
    if (month === previous + 1) {
      previous = month;
      continue;
    }
    parts.push(start === previous ? `${start}` : `${start}-${previous}`);
    start = month;
    previous = month;
  }
  return parts.join(",");
}

/** The problems of a budget-line form, per field. */
export type BudgetLineErrors = Partial<Record<BudgetLineField, Message>>;

/** The longest free text kept in a field. */
const MAX_TEXT = 500;

/**
 * Validates a submitted budget-line form; every problem is reported per field as a message.
 * When both unit price and quantity are given, the initial amount must equal their product.
 */
export function parseBudgetLineForm(form: Record<string, string | undefined>): { values: BudgetLineValues } | { errors: BudgetLineErrors } {
  const errors: BudgetLineErrors = {};
  const text = (field: BudgetLineField, required = false) => {
    const value = optionalText(form[field]);
    if (required && value === null) errors[field] = msg("fieldRequired");
    else if (value !== null && value.length > MAX_TEXT) errors[field] = msg("fieldTooLong", { max: MAX_TEXT });
    return value;
  };
  const amount = (field: BudgetLineField, required: boolean) => {
    const raw = form[field] ?? "";
    if (!required && raw.trim() === "") return null;
    const parsed = parseAmount(raw);
    if ("problem" in parsed) {
      errors[field] = parsed.problem;
      return null;
    }
    return parsed.amount;
  };

  const composition = text("composition") ?? "";
  const item = text("item", true) ?? "";
  const fundLevel = form.fundLevel as BudgetLineValues["fundLevel"];
  if (!FUND_LEVELS.includes(fundLevel)) errors.fundLevel = msg("lineFundLevelMissing");
  const fundType = form.fundType as BudgetLineValues["fundType"];
  if (!FUND_TYPES.includes(fundType)) errors.fundType = msg("lineFundTypeMissing");
  const initialAmount = amount("initialAmount", true);
  const unitPrice = amount("unitPrice", false);
  const quantity = amount("quantity", false);
  const basis = text("basis");
  let scheduledMonths: number[] | null = null;
  try {
    scheduledMonths = parseMonths(form.scheduledMonths ?? "");
  } catch (error) {
    if (!(error instanceof MonthsError)) throw error;
    errors.scheduledMonths = error.detail;
  }
  const functionalCode = text("functionalCode");
  if (functionalCode !== null && !/^\d{3,7}$/.test(functionalCode)) errors.functionalCode = msg("lineFunctionalCodeFormat");
  const economicCode = text("economicCode");
  if (economicCode !== null && !/^\d{3,5}$/.test(economicCode)) errors.economicCode = msg("lineEconomicCodeFormat");
  if (initialAmount !== null && unitPrice !== null && quantity !== null) {
    const product = (BigInt(unitPrice.replace(".", "")) * BigInt(quantity.replace(".", ""))) / 100n;
    if (product !== BigInt(initialAmount.replace(".", ""))) errors.initialAmount = msg("lineAmountIsProduct");
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    values: {
      composition,
      item,
      fundLevel,
      fundType,
      initialAmount: initialAmount!,
      unitPrice,
      quantity,
      basis,
      scheduledMonths,
      functionalCode,
      functionalName: text("functionalName"),
      economicCode,
      economicName: text("economicName"),
    },
  };
}
