import { parseAmountInput } from "./money.ts";

export const FUND_LEVELS = ["中央", "市级", "区级", "镇级"] as const;
export const FUND_TYPES = ["当年财政拨款", "上年结转", "其他资金"] as const;

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

/** Free text as typed: trimmed, empty as null, at most 500 characters. Stored verbatim otherwise. */
function optionalText(value: string | undefined): string | null {
  const text = (value ?? "").trim();
  return text === "" ? null : text;
}

/**
 * Parses "1-12", "1,2,3" or "1-3,7" into sorted months: parseMonths("1-3,7") → [1, 2, 3, 7].
 * Returns null for empty input and throws a Chinese message for anything else.
 */
export function parseMonths(text: string): number[] | null {
  const cleaned = text.replace(/[月\s]/g, "").replace(/[，、]/g, ",").replace(/[－—~～至]/g, "-");
  if (cleaned === "") return null;
  const months = new Set<number>();
  for (const part of cleaned.split(",")) {
    const range = /^(\d{1,2})(?:-(\d{1,2}))?$/.exec(part);
    if (!range) throw new Error(`无法识别的月份：${part}`);
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (from < 1 || to > 12 || from > to) throw new Error(`月份应在 1–12 之间：${part}`);
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

/**
 * Validates a submitted budget-line form; every problem is reported per field in Chinese.
 * When both unit price and quantity are given, the initial amount must equal their product.
 */
export function parseBudgetLineForm(form: Record<string, string | undefined>):
  | { values: BudgetLineValues }
  | { errors: Partial<Record<BudgetLineField, string>> } {
  const errors: Partial<Record<BudgetLineField, string>> = {};
  const text = (field: BudgetLineField, required = false) => {
    const value = optionalText(form[field]);
    if (required && value === null) errors[field] = "必填";
    else if (value !== null && value.length > 500) errors[field] = "最多 500 个字符";
    return value;
  };
  const amount = (field: BudgetLineField, required: boolean) => {
    const raw = form[field] ?? "";
    if (!required && raw.trim() === "") return null;
    const parsed = parseAmountInput(raw);
    if ("error" in parsed) {
      errors[field] = parsed.error;
      return null;
    }
    return parsed.amount;
  };

  const composition = text("composition") ?? "";
  const item = text("item", true) ?? "";
  const fundLevel = form.fundLevel as BudgetLineValues["fundLevel"];
  if (!FUND_LEVELS.includes(fundLevel)) errors.fundLevel = "请选择资金级次";
  const fundType = form.fundType as BudgetLineValues["fundType"];
  if (!FUND_TYPES.includes(fundType)) errors.fundType = "请选择资金类型";
  const initialAmount = amount("initialAmount", true);
  const unitPrice = amount("unitPrice", false);
  const quantity = amount("quantity", false);
  const basis = text("basis");
  let scheduledMonths: number[] | null = null;
  try {
    scheduledMonths = parseMonths(form.scheduledMonths ?? "");
  } catch (error) {
    errors.scheduledMonths = (error as Error).message;
  }
  const functionalCode = text("functionalCode");
  if (functionalCode !== null && !/^\d{3,7}$/.test(functionalCode)) errors.functionalCode = "功能分类科目编码应为 3–7 位数字，如 2101301";
  const economicCode = text("economicCode");
  if (economicCode !== null && !/^\d{3,5}$/.test(economicCode)) errors.economicCode = "部门经济分类编码应为 3–5 位数字，如 30307";
  if (initialAmount !== null && unitPrice !== null && quantity !== null) {
    const product = (BigInt(unitPrice.replace(".", "")) * BigInt(quantity.replace(".", ""))) / 100n;
    if (product !== BigInt(initialAmount.replace(".", ""))) errors.initialAmount = "年初预算应等于 单价 × 数量";
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
