import type { MessageKey } from "./i18n";
import { BATCH_STATUS, FIELD_LABELS, fieldFormat, type RawChange } from "../domain/history";
import { amountText } from "./corrections-text";

/*
 * The audit trail in the user's language (变更记录, and what a stale editor missed): the names of the
 * tables, actions and fields that domain/history.ts lists the changes by, and their values shown as
 * the rest of the pages show them (amounts with thousands separators, payment kinds by name).
 */

type Translate = (key: MessageKey) => string;

/** The message key of each field the audit trail may name (every field of FIELD_LABELS). */
export const FIELD_KEYS: Record<string, MessageKey> = {
  name: "corF_name",
  code: "projectCode",
  fiscal_year: "fiscalYear",
  supervising_department: "supervisingDepartment",
  implementing_unit: "implementingUnit",
  recurring: "corF_recurring",
  category: "category",
  note: "note",
  line_no: "lineNo",
  composition: "composition",
  item: "item",
  fund_level: "fundLevel",
  fund_type: "fundType",
  initial_amount: "corF_initialAmount",
  unit_price: "corF_unitPrice",
  quantity: "quantity",
  basis: "basis",
  scheduled_months: "months",
  functional_code: "functionalCode",
  functional_name: "functionalName",
  economic_code: "economicCode",
  economic_name: "economicName",
  adjusted_on: "adjustedOn",
  amount: "amount",
  reason: "reason",
  document_number: "documentNumber",
  paid_on: "paidOn",
  kind: "kind",
  person_times: "personTimes",
  due_on: "dueOn",
  returned_count: "corReturnedCount",
  returned_amount: "corReturnedAmount",
  reissued_on: "reissuedOn",
  username: "username",
  display_name: "displayName",
  roles: "roles",
  active: "corF_active",
  failed_logins: "corF_failedLogins",
  locked_until: "lockedUntil",
  password_is_demo: "demoPassword",
  value: "corF_value",
  level1: "level1",
  level2: "level2",
  target: "annualTarget",
  weight: "weight",
  sort_order: "lineNo",
  standard_id: "corF_standardId",
  declaration_only: "declarationOnly",
  parent_id: "corF_parentId",
  level: "corF_level",
  overall_goal: "overallGoal",
  annual_goal: "annualGoal",
  goal_from_year: "goalFromYear",
  goal_to_year: "goalToYear",
  plan_start: "planStart",
  plan_end: "planEnd",
  import_batch_id: "corF_importBatchId",
  file_name: "corFile",
  rows: "corF_rows",
  first_payment_id: "corF_firstPaymentId",
  last_payment_id: "corF_lastPaymentId",
  correction_reason: "corF_correctionReason",
  reverses_payment_id: "corF_reversesPaymentId",
  status: "corStatus",
  undo_reason: "corUndoReason",
  project_name: "project",
};

/** The message key of each audited table (a record is named "支付 #12", "Payment #12"). */
export const TABLE_KEYS: Record<string, MessageKey> = {
  project: "corT_project",
  budget_line: "corT_budgetLine",
  budget_adjustment: "corT_budgetAdjustment",
  payment: "corT_payment",
  app_user: "corT_appUser",
  setting: "corT_setting",
  performance_indicator: "corT_performanceIndicator",
  performance_declaration: "corT_performanceDeclaration",
  org_unit: "corT_orgUnit",
  import_batch: "corT_importBatch",
};

const ACTION_KEYS: Record<string, MessageKey> = { insert: "corA_insert", update: "corA_update", delete: "corA_delete" };

/** A field's name: fieldLabel(t, "amount") → "金额" / "Amount"; an unknown field by its Chinese label or column name. */
export function fieldLabel(t: Translate, field: string): string {
  const key = FIELD_KEYS[field];
  return key ? t(key) : (FIELD_LABELS[field] ?? field);
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
    case "boolean":
      return t(value ? "yes" : "no");
    case "text":
      return Array.isArray(value) ? value.join(",") : String(value);
  }
}

/** One change on one line: changeText(t, {field: "amount", before: "88888.00", after: "8888.00"}) → "金额 88,888.00 → 8,888.00". */
export function changeText(t: Translate, change: RawChange): string {
  return `${fieldLabel(t, change.field)} ${fieldValue(t, change.field, change.before) || "—"} → ${fieldValue(t, change.field, change.after) || "—"}`;
}
