import Decimal from "decimal.js";
import { isIsoDate } from "./dates.ts";
import type { FundLevel } from "./plan-formulas.ts";

/*
 * Cost shares (分担比例): the form an administrator or planner fills in to add a new version of a cost
 * share, or a new code, validated field by field. Problems are codes with their parameters; the page
 * renders them from the message catalogue of its language (app/i18n.ts, drvShareErr…).
 */

/** The levels in the order of the official forms, with the form's field of each. */
export const SHARE_LEVELS: ReadonlyArray<{ level: FundLevel; field: "central" | "city" | "district" | "town" }> = [
  { level: "中央", field: "central" },
  { level: "市级", field: "city" },
  { level: "区级", field: "district" },
  { level: "镇级", field: "town" },
];

/** Whom a share applies to: towns (镇), subdistricts (街道) or both (全部). */
export const APPLIES_TO = ["镇", "街道", "全部"] as const;
export type AppliesTo = (typeof APPLIES_TO)[number];

/** A validated new cost share version. */
export interface CostShareValues {
  /** Upper case, as the formulas name it: MH-SHARE. */
  code: string;
  name: string;
  spending: string;
  appliesTo: AppliesTo;
  /** Each level's percent as an exact decimal string ("25", "33.3333"), adding to exactly 100. */
  shares: Record<FundLevel, string>;
  effectiveFrom: string;
  document: string;
  note: string | null;
}

export type CostShareField = "code" | "name" | "spending" | "appliesTo" | "central" | "city" | "district" | "town" | "effectiveFrom" | "document" | "note";
/** Where a problem is shown: a field, or the four percents together (their sum). */
export type CostShareErrorField = CostShareField | "total";

/** The form's fields in display order. */
export const COST_SHARE_FIELDS: readonly CostShareField[] = ["code", "name", "spending", "appliesTo", "central", "city", "district", "town", "effectiveFrom", "document", "note"];

/** Why a field was refused; `text` is what was typed. */
export type CostShareProblem =
  | { code: "required" }
  | { code: "tooLong"; max: number }
  | { code: "code"; text: string }
  | { code: "appliesTo"; text: string }
  | { code: "percent"; text: string }
  | { code: "percentDecimals"; text: string }
  | { code: "percentOver100"; text: string }
  | { code: "sum"; sum: string }
  | { code: "date"; text: string };

export type CostShareProblems = Partial<Record<CostShareErrorField, CostShareProblem>>;

const CODE = /^[A-Z][A-Z0-9-]{1,39}$/;
const MAX_LENGTH = { code: 40, name: 200, spending: 200, document: 500, note: 1000 } as const;

const text = (value: string | undefined) => {
  const trimmed = (value ?? "").trim();
  return trimmed === "" ? null : trimmed;
};

/**
 * Reads a percent as typed: full-width digits, a trailing % and a blank (0) allowed; at most 4 decimals,
 * from 0 to 100. parsePercent("25%") → { value: "25" }; parsePercent("") → { value: "0" }; ("12.34567") → { error: "percentDecimals" }.
 */
export function parsePercent(typed: string | undefined): { value: string } | { error: "percent" | "percentDecimals" | "percentOver100" } {
  const normalized = (typed ?? "")
    .trim()
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[．]/g, ".")
    .replace(/[％%]$/, "")
    .trim();
  if (normalized === "") return { value: "0" };
  const shape = /^(\d{1,3})(?:\.(\d+))?$/.exec(normalized);
  if (!shape) return { error: "percent" };
  if ((shape[2] ?? "").length > 4) return { error: "percentDecimals" };
  const number = new Decimal(normalized);
  if (number.greaterThan(100)) return { error: "percentOver100" };
  return { value: number.toFixed() };
}

/**
 * Validates the cost share form: every problem at its field, the sum of the four percents (exactly 100)
 * under them. parseCostShareForm({ code: "mh-share", name: "…", spending: "市民社区医疗互助帮困", appliesTo: "镇",
 * city: "50", district: "20", town: "30", effectiveFrom: "2027-01-01", document: "…" })
 * → { values: { code: "MH-SHARE", shares: { 中央: "0", 市级: "50", 区级: "20", 镇级: "30" }, … } }
 */
export function parseCostShareForm(form: Record<string, string | undefined>): { values: CostShareValues } | { errors: CostShareProblems } {
  const errors: CostShareProblems = {};
  const required = (field: "code" | "name" | "spending" | "document") => {
    const value = text(form[field]);
    if (value === null) errors[field] = { code: "required" };
    else if (value.length > MAX_LENGTH[field]) errors[field] = { code: "tooLong", max: MAX_LENGTH[field] };
    return value ?? "";
  };

  const codeText = required("code");
  const code = codeText.toUpperCase();
  if (codeText !== "" && !errors.code && !CODE.test(code)) errors.code = { code: "code", text: codeText };
  const name = required("name");
  const spending = required("spending");

  const appliesText = text(form.appliesTo);
  if (appliesText === null) errors.appliesTo = { code: "required" };
  else if (!(APPLIES_TO as readonly string[]).includes(appliesText)) errors.appliesTo = { code: "appliesTo", text: appliesText };

  const shares = {} as Record<FundLevel, string>;
  let percentsRead = true;
  for (const { level, field } of SHARE_LEVELS) {
    const parsed = parsePercent(form[field]);
    if ("error" in parsed) {
      errors[field] = { code: parsed.error, text: (form[field] ?? "").trim() };
      percentsRead = false;
    } else shares[level] = parsed.value;
  }
  if (percentsRead) {
    const sum = SHARE_LEVELS.reduce((total, { level }) => total.plus(shares[level]), new Decimal(0));
    if (!sum.equals(100)) errors.total = { code: "sum", sum: sum.toFixed() };
  }

  const from = text(form.effectiveFrom);
  if (from === null) errors.effectiveFrom = { code: "required" };
  else if (!isIsoDate(from) || from < "2000-01-01" || from > "2100-12-31") errors.effectiveFrom = { code: "date", text: from };

  const document = required("document");
  const note = text(form.note);
  if (note !== null && note.length > MAX_LENGTH.note) errors.note = { code: "tooLong", max: MAX_LENGTH.note };

  if (Object.keys(errors).length > 0) return { errors };
  return { values: { code, name, spending, appliesTo: appliesText as AppliesTo, shares, effectiveFrom: from!, document, note } };
}

/** A share's percent as typed back into the form: sharePercentInput("25.0000") → "25". */
export function sharePercentInput(value: string): string {
  return new Decimal(value).toFixed();
}
