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
  // Performance forms (运行监控表, 绩效自评表), rectification items and plan responses
  annual_target: "annualTarget",
  actual: "corF_actual",
  judgement: "corF_judgement",
  score: "corF_score",
  rule_score: "corF_ruleScore",
  score_reason: "corF_scoreReason",
  deviation_analysis: "corF_deviationAnalysis",
  from_status: "corF_fromStatus",
  to_status: "corStatus",
  comment: "corF_comment",
  review_comment: "corF_reviewComment",
  expected_goal: "corF_expectedGoal",
  actual_summary: "corF_actualSummary",
  fund_score: "corF_fundScore",
  indicator_score: "corF_indicatorScore",
  total_score: "corF_totalScore",
  rule_total: "corF_ruleTotal",
  grade: "corF_grade",
  fund_row: "corF_fundRow",
  initial: "corF_initial",
  adjusted: "corF_adjusted",
  executed: "corF_executed",
  period_start: "corF_periodStart",
  period_end: "corF_periodEnd",
  revision: "corF_revision",
  budget: "corF_budget",
  execution_rate: "corF_executionRate",
  threshold: "corF_threshold",
  stage_conclusion: "corF_stageConclusion",
  adjustment_needed: "corF_adjustmentNeeded",
  adjusted_budget: "corF_adjustedBudget",
  adjustment_decrease: "corF_adjustmentDecrease",
  adjustment_increase: "corF_adjustmentIncrease",
  pre_assessment_budget: "corF_preAssessmentBudget",
  key_tracking_reason: "corF_keyTrackingReason",
  basic_info: "corF_basicInfo",
  implementation_status: "corF_implementationStatus",
  execution_cause_code: "corF_executionCauseCode",
  execution_cause: "corF_executionCause",
  execution_measure: "corF_executionMeasure",
  estimated_full_year: "corF_estimatedFullYear",
  estimated_full_year_prefill: "corF_estimatedFullYearPrefill",
  estimated_full_year_reason: "corF_estimatedFullYearReason",
  budget_likelihood: "corF_budgetLikelihood",
  target_likelihood: "corF_targetLikelihood",
  problems: "corF_problems",
  measures: "corF_measures",
  leader_signature: "corF_leaderSignature",
  performance_lead_signature: "corF_performanceLeadSignature",
  preparer_signature: "corF_preparerSignature",
  other_notes: "corF_otherNotes",
  filled_on: "corF_filledOn",
  tracked: "corF_tracked",
  untracked_reason: "corF_untrackedReason",
  due_target: "corF_dueTarget",
  description: "corF_description",
  completion: "corF_completion",
  met: "corF_met",
  deviation: "corF_deviation",
  cause_code: "corF_causeCode",
  cause: "corF_cause",
  measure: "corF_measure",
  rectify: "corF_rectify",
  rectify_advice: "corF_rectifyAdvice",
  source: "corF_source",
  source_row: "corF_sourceRow",
  indicator: "corF_indicator",
  evidence: "corF_evidence",
  evidence_on: "corF_evidenceOn",
  closed_by: "corF_closedBy",
  reopen_reason: "corF_reopenReason",
  reopened_by: "corF_reopenedBy",
  origin: "corF_origin",
  response: "corF_response",
  plan_year: "corF_planYear",
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
  plan_override: "corT_planOverride",
  tracking_form: "corT_trackingForm",
  tracking_form_indicator: "corT_trackingFormIndicator",
  tracking_form_event: "corT_trackingFormEvent",
  self_evaluation: "corT_selfEvaluation",
  self_evaluation_fund: "corT_selfEvaluationFund",
  self_evaluation_indicator: "corT_selfEvaluationIndicator",
  self_evaluation_event: "corT_selfEvaluationEvent",
  rectification_item: "corT_rectificationItem",
  rectification_response: "corT_rectificationResponse",
  expenditure_standard: "corT_standard",
  cost_share: "corT_costShare",
  plan_driver: "corT_planDriver",
  plan_formula: "corT_planFormula",
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

/** Each labelled field's place in the order changes are listed in. */
const FIELD_ORDER = new Map(Object.keys(FIELD_MESSAGE_KEYS).map((field, index) => [field, index]));

/** Fields that are bookkeeping, not content: not listed as changes. */
const IGNORED = new Set([
  "id",
  "version",
  "project_id",
  "budget_line_id",
  "unit_id",
  "created_at",
  "updated_at",
  "password_changed_at",
  "password_hash",
  "key",
  // References between records and who/when of a step: the row names the record, the columns 时间/操作人 the rest.
  "at",
  "user_id",
  "evaluation_id",
  "form_id",
  "indicator_id",
  "self_evaluation_id",
  "tracking_form_id",
  "item_id",
  "source_line_id",
  "closed_by_id",
  "closed_at",
  "reopened_by_id",
  "reopened_at",
  "owner_unit_id",
]);

/** Fields whose values are amounts in 元 (shown with thousands separators). */
const MONEY_FIELDS = new Set([
  "amount",
  "initial_amount",
  "unit_price",
  "returned_amount",
  "initial",
  "adjusted",
  "executed",
  "budget",
  "adjusted_budget",
  "adjustment_decrease",
  "adjustment_increase",
  "pre_assessment_budget",
  "estimated_full_year_prefill",
]);

/** The states of the forms' workflow and of a rectification item, as stored (shown by name). */
const FORM_STATES = new Set(["draft", "submitted", "returned", "resubmitted", "accepted"]);
const ITEM_STATES = new Set(["open", "done"]);

/** The status an import batch's audit entries record: 已导入 while it stands, 已撤销 once undone (db/import-undo.ts). */
export const BATCH_STATUS = { standing: "已导入", undone: "已撤销" } as const;

/**
 * How a field's value is shown: an amount in 元, a payment kind (batch/transfer), an import batch's
 * status, a yes/no, or as stored. fieldFormat("amount", "1000.00") → "money"; fieldFormat("kind", "batch") → "payment-kind".
 */
export type FieldFormat = "money" | "payment-kind" | "batch-status" | "form-state" | "item-state" | "boolean" | "text";

export function fieldFormat(field: string, value: unknown): FieldFormat {
  if (MONEY_FIELDS.has(field)) return "money";
  if (field === "kind" && (value === "batch" || value === "transfer")) return "payment-kind";
  if (field === "status" && (value === BATCH_STATUS.standing || value === BATCH_STATUS.undone)) return "batch-status";
  if ((field === "status" || field === "from_status" || field === "to_status") && FORM_STATES.has(String(value))) return "form-state";
  if (field === "status" && ITEM_STATES.has(String(value))) return "item-state";
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
  // In the forms' order (FIELD_MESSAGE_KEYS), not the stored row image's (jsonb orders keys by length:
  // 末笔支付编号 would come before 首笔支付编号); fields without a label last.
  const order = (field: string) => FIELD_ORDER.get(field) ?? Number.MAX_SAFE_INTEGER;
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort((a, b) => order(a) - order(b));
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
