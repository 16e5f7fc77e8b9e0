import type { MessageKey } from "./i18n";
import { ACTION_MESSAGE_KEYS, BATCH_STATUS, FIELD_MESSAGE_KEYS, TABLE_MESSAGE_KEYS, fieldFormat, type RawChange } from "../domain/history";
import { formatAmount } from "../domain/money";
import { fundKey } from "../domain/budget-line-form";
import { levelKey } from "../domain/declaration";
import { gradeKey } from "../features/self-evaluation/rules";
import { storedText } from "../features/import/rules/render";
import { JUDGEMENT_KEYS, JUDGEMENTS, type Judgement } from "../domain/targets";

/** An amount as stored, shown as money: amountText("-56307.81") → "-56,307.81"; anything else as it is. */
export function amountText(value: string): string {
  return /^-?\d+(\.\d+)?$/.test(value) ? formatAmount(value) : value;
}

/*
 * The audit trail in the user's language (变更记录, and what a stale editor missed): the names of the
 * tables, actions and fields that domain/history.ts lists the changes by, and their values shown as
 * the rest of the pages show them (amounts with thousands separators, payment kinds by name).
 */

type Translate = (key: MessageKey) => string;

const FORM_STATE_KEYS = { draft: "wfDraft", submitted: "wfSubmitted", returned: "wfReturned", resubmitted: "wfResubmitted", accepted: "wfAccepted" } as const;

/** The catalogue keys of the fields, tables and actions (domain/history.ts). */
export const FIELD_KEYS = FIELD_MESSAGE_KEYS;
export const TABLE_KEYS = TABLE_MESSAGE_KEYS;
const ACTION_KEYS = ACTION_MESSAGE_KEYS;

/** A field's name: fieldLabel(t, "amount") → "金额" / "Amount"; an unknown field by its column name. */
export function fieldLabel(t: Translate, field: string): string {
  const key = FIELD_KEYS[field];
  return key ? t(key) : field;
}

/** A record's name: recordLabel(t, "payment", "12") → "支付 #12" / "Payment #12". */
export function recordLabel(t: Translate, table: string, recordId: string): string {
  const key = TABLE_KEYS[table];
  return `${key ? t(key) : table} #${recordId}`;
}

/** An audit action: actionLabel(t, "insert") → "新增" / "Added". */
export function actionLabel(t: Translate, action: string): string {
  const key = ACTION_KEYS[action];
  return key ? t(key) : action;
}

/** A value as stored, shown: fieldValue(t, "amount", "56307.81") → "56,307.81"; fieldValue(t, "kind", "batch") → "社会化发放". */
export function fieldValue(t: Translate, field: string, value: unknown): string {
  if (value === null || value === undefined) return "";
  switch (fieldFormat(field, value)) {
    case "money":
      return amountText(String(value));
    case "payment-kind":
      return t(value === "transfer" ? "transfer" : "batch");
    case "batch-status":
      return t(value === BATCH_STATUS.undone ? "corUndone" : "corStanding");
    case "form-state":
      return t(FORM_STATE_KEYS[value as keyof typeof FORM_STATE_KEYS]);
    case "item-state":
      return t(value === "done" ? "rcStateDone" : "rcStateOpen");
    case "boolean":
      return t(value ? "yes" : "no");
    case "text": {
      if (field === "source" && (value === "self-evaluation" || value === "tracking")) return t(value === "tracking" ? "corT_trackingForm" : "corT_selfEvaluation");
      if (field === "fund_row" && value === "total") return t("seFundsTotal");
      if (field === "judgement" && typeof value === "string" && (JUDGEMENTS as readonly string[]).includes(value)) return t(JUDGEMENT_KEYS[value as Judgement]);
      // Fixed choices stored as the forms write them (镇级, 产出指标, 优) are named in the user's language:
      // 资金级次 and 资金类型 (a budget line's, a self-evaluation's funds row), the indicator levels, the grade.
      const fixed = typeof value !== "string" || !Object.hasOwn(FIXED_CHOICES, field) ? null : FIXED_CHOICES[field]!(value);
      return fixed ? t(fixed) : storedText(t, value); // messages stored as codes (features/import), else as before
    }
  }
}

/** The catalogue key of a fixed choice stored as text, by field (null: not one of the choices, shown as stored). */
const FIXED_CHOICES: Readonly<Record<string, (value: string) => MessageKey | null>> = {
  fund_level: fundKey,
  fund_type: fundKey,
  fund_row: fundKey,
  level1: levelKey,
  level2: levelKey,
  grade: gradeKey,
};

/** One change on one line: changeText(t, {field: "amount", before: "88888.00", after: "8888.00"}) → "金额 88,888.00 → 8,888.00". */
export function changeText(t: Translate, change: RawChange): string {
  return `${fieldLabel(t, change.field)} ${fieldValue(t, change.field, change.before) || "—"} → ${fieldValue(t, change.field, change.after) || "—"}`;
}

/** A value as stored, as text: arrays joined by commas, yes/no by name; amounts as stored (no separators). */
function storedValue(t: Translate, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(",");
  if (typeof value === "boolean") return t(value ? "yes" : "no");
  return String(value);
}

/**
 * One change with the values as stored, as the editor of a record that changed meanwhile sees it:
 * storedChangeText(t, {field: "initial_amount", before: "338000.00", after: "364000.00"}) → "年初预算 338000.00 → 364000.00".
 */
export function storedChangeText(t: Translate, change: RawChange): string {
  return `${fieldLabel(t, change.field)} ${storedValue(t, change.before) || "—"} → ${storedValue(t, change.after) || "—"}`;
}

