import Decimal from "decimal.js";
import { isIsoDate } from "./dates.ts";
import { formatNumber } from "./money.ts";

/*
 * Expenditure standards (支出标准): the form a planner or administrator fills in to add a standard or a
 * new version of one, validated field by field with reasons in Chinese.
 */

export const STANDARD_FORMS = ["定额", "比例", "限额"] as const;
export type StandardFormKind = (typeof STANDARD_FORMS)[number];
export const CARE_TYPES = ["门急诊", "住院"] as const;

/** A validated new standard version. */
export interface StandardValues {
  code: string;
  name: string;
  category: string;
  /** Up to 4 decimals: 元 for 定额/限额, percent (0–100) for 比例. */
  value: string;
  unit: string;
  form: StandardFormKind;
  beneficiaryGroup: string | null;
  careType: (typeof CARE_TYPES)[number] | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  document: string;
  note: string | null;
}

export type StandardField = keyof StandardValues;

const text = (value: string | undefined) => {
  const trimmed = (value ?? "").trim();
  return trimmed === "" ? null : trimmed;
};

/**
 * Validates the standard form; every problem is reported per field.
 * parseStandardForm({ code: "MA-OP-CAP", value: "2800", form: "限额", … }) → { values } or { errors: { value: "…" } }
 */
export function parseStandardForm(form: Record<string, string | undefined>): { values: StandardValues } | { errors: Partial<Record<StandardField, string>> } {
  const errors: Partial<Record<StandardField, string>> = {};
  const required = (field: StandardField, max = 200) => {
    const value = text(form[field]);
    if (value === null) errors[field] = "必填";
    else if (value.length > max) errors[field] = `最多 ${max} 个字符`;
    return value ?? "";
  };
  const code = required("code", 40).toUpperCase();
  if (code && !errors.code && !/^[A-Z][A-Z0-9-]{1,39}$/.test(code)) errors.code = "编码只能用大写字母、数字和连字符，以字母开头（如 MA-OP-CAP）";
  const name = required("name");
  const category = required("category");
  const unit = required("unit", 40);
  const document = required("document");
  const formKind = text(form.form);
  if (!formKind || !(STANDARD_FORMS as readonly string[]).includes(formKind)) errors.form = "应为 定额、比例 或 限额";
  // The unit must fit the form: a rate is a percent, a fixed amount or a cap is in 元 (per person, per year …).
  else if (unit && !errors.unit) {
    if (formKind === "比例" && unit !== "%") errors.unit = `比例标准的计量单位应为 %：${unit}`;
    if (formKind !== "比例" && !(unit === "元" || unit.startsWith("元/"))) errors.unit = `${formKind}标准以元计，计量单位应为 元 或 元/…（如 元/人/年）：${unit}`;
  }

  const valueText = (text(form.value) ?? "").replace(/[,，\s]/g, "").replace(/%$/, "");
  let value = "";
  if (valueText === "") errors.value = "必填";
  else if (!/^\d{1,14}(\.\d{1,4})?$/.test(valueText)) errors.value = `不是有效的数值（最多四位小数，不能为负）：${form.value}`;
  else {
    value = new Decimal(valueText).toFixed(4);
    if (formKind === "比例" && new Decimal(valueText).greaterThan(100)) errors.value = "比例应在 0–100（%）之间";
  }

  const careText = text(form.careType);
  if (careText !== null && !(CARE_TYPES as readonly string[]).includes(careText)) errors.careType = "应为 门急诊、住院 或留空";

  const from = text(form.effectiveFrom);
  if (from === null) errors.effectiveFrom = "必填";
  else if (!isIsoDate(from)) errors.effectiveFrom = `应为日期 YYYY-MM-DD：${from}`;
  const to = text(form.effectiveTo);
  if (to !== null && !isIsoDate(to)) errors.effectiveTo = `应为日期 YYYY-MM-DD：${to}`;
  else if (to !== null && from !== null && isIsoDate(from) && to < from) errors.effectiveTo = "失效日期不能早于生效日期";

  const note = text(form.note);
  if (note !== null && note.length > 1000) errors.note = "最多 1000 个字符";
  const group = text(form.beneficiaryGroup);
  if (group !== null && group.length > 100) errors.beneficiaryGroup = "最多 100 个字符";

  if (Object.keys(errors).length > 0) return { errors };
  return {
    values: {
      code,
      name,
      category,
      value,
      unit,
      form: formKind as StandardFormKind,
      beneficiaryGroup: group,
      careType: careText as StandardValues["careType"],
      effectiveFrom: from!,
      effectiveTo: to,
      document,
      note,
    },
  };
}

/** The day before an ISO date: dayBefore("2023-01-01") → "2022-12-31". */
export function dayBefore(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/** A standard's value as people read it: formatStandardValue("60.0000", "%") → "60%", ("2800.0000", "元/人/年") → "2,800 元/人/年". */
export function formatStandardValue(value: string, unit: string): string {
  const number = formatNumber(value);
  return unit === "%" ? `${number}%` : `${number} ${unit}`;
}
