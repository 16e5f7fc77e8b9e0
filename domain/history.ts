/**
 * The audit trail read as changes (变更记录): which fields of a row image changed, and the Chinese name of
 * each field, as a finance officer reads them (for messages and tests; pages name them in their
 * language through app/history-text.ts).
 */

export const FIELD_LABELS: Record<string, string> = {
  name: "名称",
  code: "项目代码",
  fiscal_year: "预算年度",
  supervising_department: "主管部门",
  implementing_unit: "实施单位",
  recurring: "是否经常性项目",
  category: "项目类别",
  note: "备注",
  line_no: "序号",
  composition: "项目构成",
  item: "项目明细",
  fund_level: "资金级次",
  fund_type: "资金类型",
  initial_amount: "年初预算",
  unit_price: "单价",
  quantity: "数量",
  basis: "依据",
  scheduled_months: "安排月份",
  functional_code: "功能分类科目编码",
  functional_name: "功能分类科目名称",
  economic_code: "部门经济分类编码",
  economic_name: "部门经济分类名称",
  adjusted_on: "调整日期",
  amount: "金额",
  reason: "调整原因",
  document_number: "文号",
  paid_on: "支付日期",
  kind: "支付方式",
  person_times: "人次",
  due_on: "到期日",
  returned_count: "退回人次",
  returned_amount: "退回金额",
  reissued_on: "重发日期",
  username: "用户名",
  display_name: "姓名",
  roles: "角色",
  active: "启用",
  failed_logins: "连续登录失败次数",
  locked_until: "锁定至",
  password_is_demo: "演示密码",
  value: "值",
  level1: "一级指标",
  level2: "二级指标",
  target: "年度指标值",
  weight: "分值",
  sort_order: "序号",
  parent_id: "上级单位",
  level: "层级",
  overall_goal: "项目总目标",
  annual_goal: "年度总目标",
  goal_from_year: "目标起始年度",
  goal_to_year: "目标截止年度",
  plan_start: "计划开始日期",
  plan_end: "计划完成日期",
  // An imported file's audit entry (one per batch and project; migration 0009).
  import_batch_id: "导入批次",
  file_name: "文件名",
  rows: "行数",
  first_payment_id: "首笔支付编号",
  last_payment_id: "末笔支付编号",
  // 更正, 冲销 and 撤销导入 (migration 0011).
  correction_reason: "更正/冲销原因",
  reverses_payment_id: "冲销的支付编号",
  status: "状态",
  undo_reason: "撤销原因",
  project_name: "项目名称",
  standard_id: "关联支出标准编号",
  declaration_only: "仅申报",
};

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

/** One changed field: its Chinese label and the values before and after, as text. */
export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(",");
  if (typeof value === "boolean") return value ? "是" : "否";
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
 * The changed fields in Chinese, values as text (for messages and tests that read the audit trail).
 * Example: fieldChanges({initial_amount: "1000.00"}, {initial_amount: "1200.00"})
 * → [{field: "initial_amount", label: "年初预算", before: "1000.00", after: "1200.00"}].
 */
export function fieldChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  return changedFields(before, after).map(({ field, before: was, after: now }) => ({ field, label: FIELD_LABELS[field] ?? field, before: show(was), after: show(now) }));
}
