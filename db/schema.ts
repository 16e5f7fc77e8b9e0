import type { ColumnType, Generated } from "kysely";

/*
 * The typed shape of the database, one interface per table. NUMERIC arrives from pg as a
 * string and stays one (exact money); DATE arrives as "YYYY-MM-DD" (see connection.ts).
 */

/** An amount of NUMERIC(18,2): read as a string, written as a string. */
type Amount = ColumnType<string, string, string>;
/** An amount with a database default. */
type AmountWithDefault = ColumnType<string, string | undefined, string>;

export type UnitLevel = "city" | "district" | "town" | "unit" | "department";
export type FundLevel = "中央" | "市级" | "区级" | "镇级";
export type FundType = "当年财政拨款" | "上年结转" | "其他资金";
export type PaymentKind = "batch" | "transfer";

export interface OrgUnitTable {
  id: Generated<number>;
  parent_id: number | null;
  name: string;
  level: UnitLevel;
  code: string | null;
}

export interface ProjectTable {
  id: Generated<number>;
  fiscal_year: number;
  code: string | null;
  name: string;
  unit_id: number;
  supervising_department: string | null;
  implementing_unit: string | null;
  recurring: ColumnType<boolean, boolean | undefined, boolean>;
  category: string | null;
  note: string | null;
  /** Only a target declaration (绩效目标填报表): no execution recorded, never flagged (migration 0012). */
  declaration_only: ColumnType<boolean, boolean | undefined, boolean>;
  /** Incremented by the database on every update (optimistic concurrency). */
  version: Generated<number>;
}

export interface BudgetLineTable {
  id: Generated<number>;
  project_id: number;
  line_no: number;
  composition: ColumnType<string, string | undefined, string>;
  item: string;
  fund_level: FundLevel;
  fund_type: FundType;
  initial_amount: Amount;
  unit_price: string | null;
  quantity: string | null;
  basis: string | null;
  scheduled_months: number[] | null;
  functional_code: string | null;
  functional_name: string | null;
  economic_code: string | null;
  economic_name: string | null;
  /** The expenditure standard (支出标准) version the line's unit price rests on (migration 0007). */
  standard_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Incremented by the database on every update (optimistic concurrency). */
  version: Generated<number>;
}

export interface BudgetAdjustmentTable {
  id: Generated<number>;
  budget_line_id: number;
  adjusted_on: string;
  amount: Amount;
  fund_level: FundLevel;
  reason: ColumnType<string, string | undefined, string>;
  document_number: string | null;
  /** Incremented by the database on every update (optimistic concurrency). */
  version: Generated<number>;
}

export interface PaymentTable {
  /** bigint: pg returns it as a string. */
  id: Generated<string>;
  project_id: number;
  budget_line_id: number | null;
  paid_on: string;
  kind: PaymentKind;
  person_times: number | null;
  amount: Amount;
  due_on: string | null;
  returned_count: ColumnType<number, number | undefined, number>;
  returned_amount: AmountWithDefault;
  reissued_on: string | null;
  note: string | null;
  /** The import batch a payment came in with (migration 0009); null when entered by hand. */
  import_batch_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** A reversing entry (红字冲销) names the payment it reverses and mirrors it with negative amounts (migration 0011). */
  reverses_payment_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Why the payment was last corrected (更正), or why a reversing entry reverses (migration 0011). */
  correction_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** Incremented by the database on every update (optimistic concurrency). */
  version: Generated<number>;
}

export interface ExecutionMonthlyTable {
  project_id: number;
  month: string;
  executed: Amount;
}

export interface SettingTable {
  key: string;
  value: string;
  id: Generated<string>;
}

/** A timestamp: pg reads timestamptz as a Date; we write ISO strings. */
type Timestamp = ColumnType<Date, string | undefined, string>;

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  unit_id: number;
  roles: string[];
  password_hash: string;
  password_is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: ColumnType<Date | null, string | null | undefined, string | null>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  password_changed_at: Timestamp;
  version: Generated<number>;
}

export interface UserSessionTable {
  token_hash: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: ColumnType<Date, string, string>;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  user_id: number | null;
  username: string;
  action: "insert" | "update" | "delete";
  table_name: string;
  record_id: string;
  project_id: number | null;
  before: unknown;
  after: unknown;
}

export interface ImportBatchTable {
  id: Generated<number>;
  file_hash: string;
  kind: "budget-lines" | "adjustments" | "payments";
  file_name: string;
  user_id: number | null;
  username: string;
  imported_at: Timestamp;
  rows_read: number;
  rows_added: number;
  rows_updated: number;
  /** 撤销导入 (migration 0011): when, by whom and why the batch was undone; null while it stands. */
  undone_at: ColumnType<Date | null, string | null | undefined, string | null>;
  undone_by: ColumnType<string | null, string | null | undefined, string | null>;
  undone_by_id: ColumnType<number | null, number | null | undefined, number | null>;
  undo_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** False for batches imported before migration 0011, whose created lines and adjustments are not recorded. */
  effects_recorded: ColumnType<boolean, boolean | undefined, boolean>;
  /** The newest payment id when the batch came in (set by the database; migration 0011). */
  last_payment_before: ColumnType<string | null, never, never>;
}

/** What a budget-lines or adjustments import created or changed (migration 0011), for undoing it. */
export interface ImportBatchEffectTable {
  import_batch_id: number;
  table_name: "org_unit" | "project" | "budget_line" | "budget_adjustment";
  record_id: number;
  action: "insert" | "update";
  /** An updated row as it was before the import. */
  before: unknown;
  /** The row's version right after the import (null for units). */
  version: number | null;
}

export interface PerformanceIndicatorTable {
  id: Generated<number>;
  project_id: number;
  sort_order: number;
  level1: string;
  level2: string;
  name: string;
  target: string;
  weight: string | null;
  version: Generated<number>;
}

/** 绩效目标填报表: goals and planned dates of a project's target declaration (one per project). */
export interface PerformanceDeclarationTable {
  id: Generated<number>;
  project_id: number;
  overall_goal: string | null;
  annual_goal: string | null;
  goal_from_year: number | null;
  goal_to_year: number | null;
  plan_start: string | null;
  plan_end: string | null;
  version: Generated<number>;
}

export type StandardForm = "定额" | "比例" | "限额";

/** One version of an expenditure standard (支出标准); a change is a new revision, never an update. */
export interface ExpenditureStandardTable {
  id: Generated<number>;
  code: string;
  /** The unit that sets the standard (the city's, a district's): only it and the units above it add versions. */
  owner_unit_id: number;
  revision: number;
  name: string;
  /** The policy a standard belongs to; a rate and the cap of one category go together. */
  category: string;
  /** NUMERIC(18,4): 元 for 定额/限额, percent for 比例. */
  value: string;
  unit: string;
  form: StandardForm;
  beneficiary_group: string | null;
  care_type: "门急诊" | "住院" | null;
  effective_from: string;
  effective_to: string | null;
  document: string;
  note: string | null;
  version: Generated<number>;
}

/** A planner's override of a proposed line's quantity or unit price for a fiscal year, with the reason. */
export interface PlanOverrideTable {
  id: Generated<number>;
  fiscal_year: number;
  source_line_id: number;
  quantity: string;
  unit_price: string;
  reason: string;
  updated_by: string;
  updated_at: Timestamp;
  version: Generated<number>;
}

/** 偏差原因: the configurable deviation-cause catalogue of the tracking form (migration 0008). */
export interface DeviationCauseTable {
  id: Generated<number>;
  code: string;
  category: string;
  label: string;
  sort_order: number;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  version: Generated<number>;
}

export type TrackingFormStatus = "draft" | "submitted" | "returned" | "resubmitted" | "accepted";

/** 运行监控表 (附件2-1): one revision of a project's mid-year tracking form (migration 0008). */
export interface TrackingFormTable {
  id: Generated<number>;
  project_id: number;
  period_start: string;
  period_end: string;
  revision: ColumnType<number, number | undefined, number>;
  status: ColumnType<TrackingFormStatus, TrackingFormStatus | undefined, TrackingFormStatus>;
  /** The ledger as of period_end, written at every save (not typed in). */
  budget: Amount;
  executed: Amount;
  execution_rate: string | null;
  threshold: string;
  stage_conclusion: "运行正常" | "运行偏差";
  adjustment_needed: boolean | null;
  adjusted_budget: string | null;
  adjustment_decrease: string | null;
  adjustment_increase: string | null;
  pre_assessment_budget: string | null;
  key_tracking_reason: string | null;
  basic_info: string | null;
  implementation_status: string | null;
  execution_cause_code: string | null;
  execution_cause: string | null;
  execution_measure: string | null;
  estimated_full_year: string | null;
  estimated_full_year_prefill: string | null;
  estimated_full_year_reason: string | null;
  budget_likelihood: string | null;
  target_likelihood: string | null;
  problems: string | null;
  measures: string | null;
  leader_signature: string | null;
  performance_lead_signature: string | null;
  preparer_signature: string | null;
  /** 需要说明的情况. */
  other_notes: string | null;
  filled_on: string | null;
  review_comment: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

/** One indicator row of a tracking form (主要跟踪指标), a snapshot of the indicator with what was reported. */
export interface TrackingFormIndicatorTable {
  id: Generated<number>;
  form_id: number;
  indicator_id: number | null;
  sort_order: number;
  level1: string;
  level2: string;
  name: string;
  annual_target: string;
  tracked: ColumnType<boolean, boolean | undefined, boolean>;
  /** Why a row is not tracked (required when tracked is false). */
  untracked_reason: string | null;
  due_target: string | null;
  actual: string | null;
  judgement: string | null;
  description: string | null;
  completion: string | null;
  met: boolean | null;
  deviation: string | null;
  estimated_full_year: string | null;
  cause_code: string | null;
  cause: string | null;
  measure: string | null;
  rectify: boolean | null;
  rectify_advice: string | null;
}

/** A step of a tracking form's workflow (append-only). */
export interface TrackingFormEventTable {
  id: Generated<number>;
  form_id: number;
  from_status: TrackingFormStatus | null;
  to_status: TrackingFormStatus;
  comment: string | null;
  user_id: number | null;
  username: string;
  at: Timestamp;
}

/** 绩效自评表 (seeds/003): a project's year-end self-evaluation (migration 0015); scores as saved. */
export interface SelfEvaluationTable {
  id: Generated<number>;
  project_id: number;
  status: ColumnType<TrackingFormStatus, TrackingFormStatus | undefined, TrackingFormStatus>;
  /** 预期目标 (the declaration's, as saved) and 实际完成情况. */
  expected_goal: string | null;
  actual_summary: string | null;
  fund_score: string;
  indicator_score: string;
  total_score: string;
  rule_total: string;
  grade: "优" | "良" | "合格" | "不合格";
  review_comment: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}
/** One funds row of a self-evaluation (年度资金总额 or one fund type), in 元 as of 31 December. */
export interface SelfEvaluationFundTable {
  id: Generated<number>;
  evaluation_id: number;
  fund_row: "total" | FundType;
  initial: Amount;
  adjusted: Amount;
  executed: Amount;
}
/** One indicator row of a self-evaluation: the declared indicator's snapshot with what was entered. */
export interface SelfEvaluationIndicatorTable {
  id: Generated<number>;
  evaluation_id: number;
  indicator_id: number | null;
  sort_order: number;
  level1: string;
  level2: string;
  name: string;
  annual_target: string;
  weight: string | null;
  actual: string | null;
  judgement: "达成" | "部分达成" | "未达成" | null;
  /** The rule's score, and the score entered (null: the rule's). */
  rule_score: string | null;
  score: string | null;
  score_reason: string | null;
  deviation_analysis: string | null;
}
/** A step of a self-evaluation's workflow (append-only). */
export interface SelfEvaluationEventTable {
  id: Generated<number>;
  evaluation_id: number;
  from_status: TrackingFormStatus | null;
  to_status: TrackingFormStatus;
  comment: string | null;
  user_id: number | null;
  username: string;
  at: Timestamp;
}

export interface Database {
  org_unit: OrgUnitTable;
  project: ProjectTable;
  budget_line: BudgetLineTable;
  budget_adjustment: BudgetAdjustmentTable;
  payment: PaymentTable;
  execution_monthly: ExecutionMonthlyTable;
  setting: SettingTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  audit_log: AuditLogTable;
  import_batch: ImportBatchTable;
  import_batch_effect: ImportBatchEffectTable;
  performance_indicator: PerformanceIndicatorTable;
  deviation_cause: DeviationCauseTable;
  tracking_form: TrackingFormTable;
  tracking_form_indicator: TrackingFormIndicatorTable;
  tracking_form_event: TrackingFormEventTable;
  performance_declaration: PerformanceDeclarationTable;
  expenditure_standard: ExpenditureStandardTable;
  plan_override: PlanOverrideTable;
  cost_share: CostShareTable;
  plan_driver: PlanDriverTable;
  plan_formula: PlanFormulaTable;
  self_evaluation: SelfEvaluationTable;
  self_evaluation_fund: SelfEvaluationFundTable;
  self_evaluation_indicator: SelfEvaluationIndicatorTable;
  self_evaluation_event: SelfEvaluationEventTable;
}

/** A version of a cost-sharing rule (分担比例): the share of each level, in percent, adding to 100. */
export interface CostShareTable {
  id: Generated<number>;
  code: string;
  owner_unit_id: number;
  revision: number;
  name: string;
  /** The kind of spending shared (e.g. 市民社区医疗互助帮困). */
  spending: string;
  applies_to: "镇" | "街道" | "全部";
  central_pct: ColumnType<string, string | undefined, never>;
  city_pct: ColumnType<string, string | undefined, never>;
  district_pct: ColumnType<string, string | undefined, never>;
  town_pct: ColumnType<string, string | undefined, never>;
  effective_from: string;
  effective_to: string | null;
  document: string;
  note: string | null;
  version: Generated<number>;
}

/** A planning driver (测算因素) of a unit and year: participants, beneficiaries, a per-capita amount… */
export interface PlanDriverTable {
  id: Generated<number>;
  unit_id: number;
  fiscal_year: number;
  code: string;
  name: string;
  /** NUMERIC(18,4). */
  value: string;
  measure: string;
  status: "actual" | "estimated";
  document: string;
  note: string | null;
  updated_by: string;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

/** How a planned line is derived from drivers × standard × share (测算公式), for target years from effective_from. */
export interface PlanFormulaTable {
  id: Generated<number>;
  unit_id: number;
  project_name: string;
  seq: number;
  composition: string;
  item: string;
  kind: "fundraising" | "clearing" | "overspend" | "quantity";
  quantity_driver: string;
  quantity_offset: number;
  minus_offset: number | null;
  price_standard: string | null;
  price_less: string | null;
  price_driver: string | null;
  price_offset: number | null;
  share_code: string | null;
  share_level: FundLevel | null;
  replaces_item: string | null;
  fund_level: FundLevel;
  document: string;
  effective_from: number;
  effective_to: number | null;
  note: string | null;
  version: Generated<number>;
}
