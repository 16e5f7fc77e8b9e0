import Decimal from "decimal.js";
import { formatNumber } from "./money.ts";

/*
 * Planning drivers (测算因素): the form a planner fills in to enter a driver's value for a unit and year
 * (participants, the per-capita overspend…) or to correct it, validated field by field. Every reason
 * names the field, in Chinese as on the official forms (English on request, for the English page).
 */

export const DRIVER_STATUSES = ["actual", "estimated"] as const;
export type DriverStatus = (typeof DRIVER_STATUSES)[number];

/** A validated driver value (the unit is chosen and checked by the route). */
export interface DriverValues {
  year: number;
  /** Upper case, as the plan's formulas name it: MH-PARTICIPANTS. */
  code: string;
  name: string;
  /** A non-negative decimal string with at most 4 decimals, never a float: "520", "2391.4343". */
  value: string;
  /** 人, 元/人, % … */
  measure: string;
  status: DriverStatus;
  document: string;
  note: string | null;
}

export type DriverField = keyof DriverValues;

/** The fields in the form's order. */
export const DRIVER_FIELDS: readonly DriverField[] = ["year", "code", "name", "value", "measure", "status", "document", "note"];

export const DRIVER_CODE = /^[A-Z][A-Z0-9-]{1,39}$/;
const MAX_LENGTH = { name: 100, measure: 20, document: 500, note: 1000 } as const;

type Language = "zh" | "en";

const FIELD_NAMES: Record<Language, Record<DriverField, string>> = {
  zh: { year: "年度", code: "代码", name: "名称", value: "数值", measure: "计量单位", status: "状态", document: "依据文件", note: "备注" },
  en: { year: "Year", code: "Code", name: "Name", value: "Value", measure: "Measure", status: "Status", document: "Document", note: "Note" },
};

/** The reasons, per language: each names its field. */
const REASONS = {
  zh: {
    required: (field: string) => `${field}必填`,
    tooLong: (field: string, max: number) => `${field}最多 ${max} 个字符`,
    year: (text: string) => `年度应为 2000–2100 之间的整数：${text}`,
    code: (text: string) => `代码只能用大写字母、数字和连字符，以字母开头，2–40 个字符（如 MH-PARTICIPANTS）：${text}`,
    value: (text: string) => `数值不是有效的非负数（千分位用逗号，最多四位小数）：${text}`,
    decimals: (text: string) => `数值最多四位小数：${text}`,
    tooLarge: (text: string) => `数值应小于 10,000,000,000,000：${text}`,
    status: (text: string) => `状态应为 实际 或 预计：${text}`,
  },
  en: {
    required: (field: string) => `${field} is required`,
    tooLong: (field: string, max: number) => `${field}: at most ${max} characters`,
    year: (text: string) => `Year must be a whole number from 2000 to 2100: ${text}`,
    code: (text: string) => `Code: capital letters, digits and hyphens only, starting with a letter, 2–40 characters (e.g. MH-PARTICIPANTS): ${text}`,
    value: (text: string) => `Value is not a valid non-negative number (commas between thousands, at most 4 decimals): ${text}`,
    decimals: (text: string) => `Value: at most 4 decimals: ${text}`,
    tooLarge: (text: string) => `Value must be below 10,000,000,000,000: ${text}`,
    status: (text: string) => `Status must be actual or estimated: ${text}`,
  },
} satisfies Record<Language, Record<string, (...args: never[]) => string>>;

const text = (value: string | undefined) => {
  const trimmed = (value ?? "").trim();
  return trimmed === "" ? null : trimmed;
};

/**
 * Reads a number as typed: full-width digits and commas allowed, commas only between groups of three
 * ("32,245", not "3,2245"). Returns the canonical decimal string ("32245", "2391.4343") or the reason.
 * parseDriverValue("1,234.50") → { value: "1234.5" }; parseDriverValue("-1") → { error: "value" }.
 */
export function parseDriverValue(typed: string): { value: string } | { error: "value" | "decimals" | "tooLarge" } {
  const normalized = typed
    .trim()
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[．]/g, ".")
    .replace(/[，]/g, ",")
    .replace(/\s/g, "");
  const shape = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(normalized);
  if (!shape) return { error: "value" };
  if ((shape[2] ?? "").length > 4) return { error: "decimals" };
  const number = new Decimal(normalized.replace(/,/g, ""));
  if (number.greaterThanOrEqualTo("1e13")) return { error: "tooLarge" };
  return { value: number.toFixed() };
}

/**
 * Validates the driver form; every problem is reported at its field, in Chinese unless English is asked for.
 * parseDriverForm({ year: "2024", code: "mh-participants", name: "参加人数", value: "520", measure: "人",
 * status: "actual", document: "附件6-1" }) → { values: { year: 2024, code: "MH-PARTICIPANTS", value: "520", … } }
 */
export function parseDriverForm(
  form: Record<string, string | undefined>,
  language: Language = "zh",
): { values: DriverValues } | { errors: Partial<Record<DriverField, string>> } {
  const reasons = REASONS[language];
  const names = FIELD_NAMES[language];
  const errors: Partial<Record<DriverField, string>> = {};
  const required = (field: "name" | "measure" | "document") => {
    const value = text(form[field]);
    if (value === null) errors[field] = reasons.required(names[field]);
    else if (value.length > MAX_LENGTH[field]) errors[field] = reasons.tooLong(names[field], MAX_LENGTH[field]);
    return value ?? "";
  };

  const yearText = text(form.year);
  let year = 0;
  if (yearText === null) errors.year = reasons.required(names.year);
  else if (!/^\d{4}$/.test(yearText) || Number(yearText) < 2000 || Number(yearText) > 2100) errors.year = reasons.year(yearText);
  else year = Number(yearText);

  const codeText = text(form.code);
  const code = (codeText ?? "").toUpperCase();
  if (codeText === null) errors.code = reasons.required(names.code);
  else if (!DRIVER_CODE.test(code)) errors.code = reasons.code(codeText);

  const name = required("name");

  const valueText = text(form.value);
  let value = "";
  if (valueText === null) errors.value = reasons.required(names.value);
  else {
    const parsed = parseDriverValue(valueText);
    if ("error" in parsed) errors.value = reasons[parsed.error](valueText);
    else value = parsed.value;
  }

  const measure = required("measure");

  const statusText = text(form.status);
  if (statusText === null) errors.status = reasons.required(names.status);
  else if (!(DRIVER_STATUSES as readonly string[]).includes(statusText)) errors.status = reasons.status(statusText);

  const document = required("document");

  const note = text(form.note);
  if (note !== null && note.length > MAX_LENGTH.note) errors.note = reasons.tooLong(names.note, MAX_LENGTH.note);

  if (Object.keys(errors).length > 0) return { errors };
  return { values: { year, code, name, value, measure, status: statusText as DriverStatus, document, note } };
}

/** A driver's value as people read it: grouped, trailing zeros trimmed: formatDriverValue("32245.0000") → "32,245", ("2391.4300") → "2,391.43". */
export function formatDriverValue(value: string): string {
  return formatNumber(value);
}

/** A driver's value as typed back into the form (no grouping, no trailing zeros): driverInputValue("520.0000") → "520". */
export function driverInputValue(value: string): string {
  return new Decimal(value).toFixed();
}
