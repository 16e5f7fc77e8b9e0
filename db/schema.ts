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
  performance_indicator: PerformanceIndicatorTable;
}
