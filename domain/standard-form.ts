import Decimal from "decimal.js";
import { isIsoDate } from "./dates.ts";
import { formatNumber, ungrouped } from "./money.ts";
import { msg, type Message, type PlainKey } from "../messages/index.ts";

/*
 * Expenditure standards (支出标准): the form a planner or administrator fills in to add a standard or a
 * new version of one, validated field by field with reasons as messages.
 */

/** The forms of a standard and the care types, stored as the policy documents write them. */
export const STANDARD_FORMS = ["定额", "比例", "限额"] as const;
export type StandardFormKind = (typeof STANDARD_FORMS)[number];
export const CARE_TYPES = ["门急诊", "住院"] as const;

/** The catalogue keys naming the stored forms and care types. */
const LABEL_KEYS: Readonly<Record<string, PlainKey>> = {
  定额: "stdFormFixed",
  比例: "stdFormRate",
  限额: "stdFormCap",
  门急诊: "stdCareOutpatient",
  住院: "stdCareInpatient",
};

/** A stored form or care type as a message: standardLabel("限额") → 限额 / Cap; anything else as stored. */
export function standardLabel(value: string): Message {
  const key = LABEL_KEYS[value];
  return key ? msg(key) : msg("asWritten", { text: value });
}

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

/** The problems of a standard form, per field. */
export type StandardErrors = Partial<Record<StandardField, Message>>;

/**
 * Validates the standard form; every problem is reported per field.
 * parseStandardForm({ code: "MA-OP-CAP", value: "2800", form: "限额", … }) → { values } or { errors: { value: Message } }
 */
export function parseStandardForm(form: Record<string, string | undefined>): { values: StandardValues } | { errors: StandardErrors } {
  const errors: StandardErrors = {};
  const required = (field: StandardField, max = 200) => {
    const value = text(form[field]);
    if (value === null) errors[field] = msg("fieldRequired");
    else if (value.length > max) errors[field] = msg("fieldTooLong", { max });
    return value ?? "";
  };
  const code = required("code", 40).toUpperCase();
  if (code && !errors.code && !/^[A-Z][A-Z0-9-]{1,39}$/.test(code)) errors.code = msg("stdErrCodeFormat");
  const name = required("name");
  const category = required("category");
  const unit = required("unit", 40);
  const document = required("document");
  const formKind = text(form.form);
  if (!formKind || !(STANDARD_FORMS as readonly string[]).includes(formKind)) errors.form = msg("stdErrForm");
  // The unit must fit the form: a rate is a percent, a fixed amount or a cap is in 元 (per person, per year …).
  else if (unit && !errors.unit) {
    if (formKind === "比例" && unit !== "%") errors.unit = msg("stdErrRateUnit", { unit });
    if (formKind !== "比例" && !(unit === "元" || unit.startsWith("元/"))) errors.unit = msg("stdErrAmountUnit", { form: standardLabel(formKind), unit });
  }

  const valueText = ungrouped((text(form.value) ?? "").replace(/%\s*$/, ""));
  let value = "";
  if (valueText === "") errors.value = msg("fieldRequired");
  else if (valueText === null || !/^\d{1,14}(\.\d{1,4})?$/.test(valueText)) errors.value = msg("stdErrValue", { text: form.value ?? "" });
  else {
    value = new Decimal(valueText).toFixed(4);
    if (formKind === "比例" && new Decimal(valueText).greaterThan(100)) errors.value = msg("stdErrRateOver100");
  }

  const careText = text(form.careType);
  if (careText !== null && !(CARE_TYPES as readonly string[]).includes(careText)) errors.careType = msg("stdErrCareType");

  const from = text(form.effectiveFrom);
  if (from === null) errors.effectiveFrom = msg("fieldRequired");
  else if (!isIsoDate(from)) errors.effectiveFrom = msg("stdErrDate", { text: from });
  const to = text(form.effectiveTo);
  if (to !== null && !isIsoDate(to)) errors.effectiveTo = msg("stdErrDate", { text: to });
  else if (to !== null && from !== null && isIsoDate(from) && to < from) errors.effectiveTo = msg("stdErrToBeforeFrom");

  const note = text(form.note);
  if (note !== null && note.length > 1000) errors.note = msg("fieldTooLong", { max: 1000 });
  const group = text(form.beneficiaryGroup);
  if (group !== null && group.length > 100) errors.beneficiaryGroup = msg("fieldTooLong", { max: 100 });

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
