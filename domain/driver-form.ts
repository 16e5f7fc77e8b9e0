import Decimal from "decimal.js";
import { formatNumber, ungrouped } from "./money.ts";

/*
 * Planning drivers (测算因素): the form a planner fills in to enter a driver's value for a unit and year
 * (participants, the per-capita overspend…) or to correct it, validated field by field. Problems are
 * codes with their parameters; the page renders them, naming the field, in its language.
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

/**
 * Why a field was refused: a code with its parameters (`text` is what was typed), rendered by the page
 * from the message catalogue of its language (app/i18n.ts drvErr…, app/drivers-messages.ts), naming the field.
 */
export type DriverProblem =
  | { code: "required" }
  | { code: "tooLong"; max: number }
  | { code: "year" | "code" | "value" | "decimals" | "tooLarge" | "status" | "wholeCount"; text: string }
  | { code: "differsFromCode"; expected: string };

/** Measures that count people or things: their values are whole numbers (half a participant is a typo). */
export const COUNT_MEASURES: ReadonlySet<string> = new Set(["人", "人次", "户", "户次", "家", "个", "名", "次", "件", "所"]);

export type DriverProblems = Partial<Record<DriverField, DriverProblem>>;

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
    .replace(/[．]/g, ".");
  // Thousands separators by the one rule for typed and imported numbers (money.ts ungrouped).
  const plain = ungrouped(normalized);
  const shape = plain === null ? null : /^(\d+)(?:\.(\d+))?$/.exec(plain);
  if (plain === null || !shape) return { error: "value" };
  if ((shape[2] ?? "").length > 4) return { error: "decimals" };
  const number = new Decimal(plain);
  if (number.greaterThanOrEqualTo("1e13")) return { error: "tooLarge" };
  return { value: number.toFixed() };
}

/**
 * Validates the driver form; every problem is reported at its field.
 * parseDriverForm({ year: "2024", code: "mh-participants", name: "参加人数", value: "520", measure: "人",
 * status: "actual", document: "附件6-1" }) → { values: { year: 2024, code: "MH-PARTICIPANTS", value: "520", … } }
 */
export function parseDriverForm(form: Record<string, string | undefined>): { values: DriverValues } | { errors: DriverProblems } {
  const errors: DriverProblems = {};
  const required = (field: "name" | "measure" | "document") => {
    const value = text(form[field]);
    if (value === null) errors[field] = { code: "required" };
    else if (value.length > MAX_LENGTH[field]) errors[field] = { code: "tooLong", max: MAX_LENGTH[field] };
    return value ?? "";
  };

  const yearText = text(form.year);
  let year = 0;
  if (yearText === null) errors.year = { code: "required" };
  else if (!/^\d{4}$/.test(yearText) || Number(yearText) < 2000 || Number(yearText) > 2100) errors.year = { code: "year", text: yearText };
  else year = Number(yearText);

  const codeText = text(form.code);
  const code = (codeText ?? "").toUpperCase();
  if (codeText === null) errors.code = { code: "required" };
  else if (!DRIVER_CODE.test(code)) errors.code = { code: "code", text: codeText };

  const name = required("name");

  const valueText = text(form.value);
  let value = "";
  if (valueText === null) errors.value = { code: "required" };
  else {
    const parsed = parseDriverValue(valueText);
    if ("error" in parsed) errors.value = { code: parsed.error, text: valueText };
    else value = parsed.value;
  }

  const measure = required("measure");

  const statusText = text(form.status);
  if (statusText === null) errors.status = { code: "required" };
  else if (!(DRIVER_STATUSES as readonly string[]).includes(statusText)) errors.status = { code: "status", text: statusText };

  const document = required("document");

  const note = text(form.note);
  if (note !== null && note.length > MAX_LENGTH.note) errors.note = { code: "tooLong", max: MAX_LENGTH.note };

  if (value !== "" && COUNT_MEASURES.has(measure) && !Number.isInteger(Number(value))) errors.value = { code: "wholeCount", text: valueText ?? "" };

  if (Object.keys(errors).length > 0) return { errors };
  return { values: { year, code, name, value, measure, status: statusText as DriverStatus, document, note } };
}

/**
 * A code keeps its name and measure across a unit's years (a series in 人 cannot take a year in 元): the
 * problems of a value against the unit's other years of the same code, or none.
 * sameSeries({ name: "参加人数", measure: "元" }, [{ name: "参加人数", measure: "人" }]) → { measure: { code: "differsFromCode", expected: "人" } }
 */
export function sameSeries(values: Pick<DriverValues, "name" | "measure">, others: ReadonlyArray<{ name: string; measure: string }>): DriverProblems {
  const first = others[0];
  if (!first) return {};
  const problems: DriverProblems = {};
  if (values.name !== first.name) problems.name = { code: "differsFromCode", expected: first.name };
  if (values.measure !== first.measure) problems.measure = { code: "differsFromCode", expected: first.measure };
  return problems;
}

/** A driver's value as people read it: grouped, trailing zeros trimmed: formatDriverValue("32245.0000") → "32,245", ("2391.4300") → "2,391.43". */
export function formatDriverValue(value: string): string {
  return formatNumber(value);
}

/** A driver's value as typed back into the form (no grouping, no trailing zeros): driverInputValue("520.0000") → "520". */
export function driverInputValue(value: string): string {
  return new Decimal(value).toFixed();
}
