import { msg, translate, type Message, type PlainKey } from "../messages/index.ts";

/**
 * The audit trail read as changes (变更记录): which fields of a row image changed, and the catalogue
 * keys naming the fields, tables and actions, as a finance officer reads them (pages show them in
 * their language through app/history-text.ts).
 */

/** The catalogue key naming each field the audit trail may name. */
export const FIELD_MESSAGE_KEYS: Readonly<Record<string, PlainKey>> = {
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

/** The catalogue key naming each audited table (a record is named "支付 #12", "Payment #12"). */
export const TABLE_MESSAGE_KEYS: Readonly<Record<string, PlainKey>> = {
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

/** The catalogue key naming each audit action (新增 / Added …). */
export const ACTION_MESSAGE_KEYS: Readonly<Record<string, PlainKey>> = { insert: "corA_insert", update: "corA_update", delete: "corA_delete" };

/** The Chinese name of each field (for tests and logs that read the trail; pages use FIELD_MESSAGE_KEYS). */
export const FIELD_LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(FIELD_MESSAGE_KEYS).map(([field, key]) => [field, translate("zh", key)]),
);

/** A field's name as a message: fieldName("amount") → 金额 / Amount; an unknown field by its column name. */
export function fieldName(field: string): Message {
  const key = FIELD_MESSAGE_KEYS[field];
  return key ? msg(key) : msg("asWritten", { text: field });
}

/** Fields that are bookkeeping, not content: not listed as changes. */
const IGNORED = new Set(["id", "version", "project_id", "budget_line_id", "unit_id", "created_at", "password_changed_at", "key"]);

/** Fields whose values are amounts in 元 (shown with thousands separators). */
const MONEY_FIELDS = new Set(["amount", "initial_amount", "unit_price", "returned_amount"]);

/** The status an import batch's audit entries record: 已导入 while it stands, 已撤销 once undone (db/import-undo.ts). */
export const BATCH_STATUS = { standing: "已导入", undone: "已撤销" } as const;

/**
 * How a field's value is shown: an amount in 元, a payment kind (batch/transfer), an import batch's
 * status, a yes/no, or as stored. fieldFormat("amount", "1000.00") → "money"; fieldFormat("kind", "batch") → "payment-kind".
 */
export type FieldFormat = "money" | "payment-kind" | "batch-status" | "boolean" | "text";

export function fieldFormat(field: string, value: unknown): FieldFormat {
  if (MONEY_FIELDS.has(field)) return "money";
  if (field === "kind" && (value === "batch" || value === "transfer")) return "payment-kind";
  if (field === "status" && (value === BATCH_STATUS.standing || value === BATCH_STATUS.undone)) return "batch-status";
  if (typeof value === "boolean") return "boolean";
  return "text";
}

/** One changed field with the values of the two row images as stored (null when absent). */
export interface RawChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** One changed field: its Chinese label and the values before and after, as Chinese text (for tests and logs). */
export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(",");
  if (typeof value === "boolean") return translate("zh", value ? "yes" : "no");
  return String(value);
}

/**
 * The fields that differ between two row images (an insert lists every filled field, a delete every
 * former one), with their values as stored, for a page to show in its language:
 * changedFields({amount: "1000.00", version: 1}, {amount: "1200.00", version: 2}) → [{field: "amount", before: "1000.00", after: "1200.00"}].
 */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): RawChange[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: RawChange[] = [];
  for (const field of fields) {
    if (IGNORED.has(field)) continue;
    const was = before?.[field] ?? null;
    const now = after?.[field] ?? null;
    if (show(was) === show(now)) continue;
    changes.push({ field, before: was, after: now });
  }
  return changes;
}

/**
 * The changed fields in Chinese, values as text (for tests and logs that read the audit trail; pages
 * render changedFields in the user's language).
 * Example: fieldChanges({initial_amount: "1000.00"}, {initial_amount: "1200.00"})
 * → [{field: "initial_amount", label: "年初预算", before: "1000.00", after: "1200.00"}].
 */
export function fieldChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  return changedFields(before, after).map(({ field, before: was, after: now }) => ({ field, label: FIELD_LABELS[field] ?? field, before: show(was), after: show(now) }));
}
