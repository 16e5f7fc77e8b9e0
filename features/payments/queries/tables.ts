import type { ColumnType, Generated } from "kysely";

/*
 * The types of migrations 0018 and 0019, merged into db/schema.ts by module augmentation (db/schema.ts stands at the
 * 500-line limit, test/layers.test.ts): a payment batch's 受理 / 审核完成 / 审批 dates, and the settlement
 * notices (结算通知书), the months' 备案 dates. Type-only, nothing at run time.
 */

/** An optional DATE column, read as YYYY-MM-DD, left out of inserts that do not know it. */
type OptionalDate = ColumnType<string | null, string | null | undefined, string | null>;
type Timestamp = ColumnType<Date, string | undefined, string>;

/** 结算通知书: a notice to transfer an amount by a due date, and the transfer payment that settles it. */
export interface SettlementNoticeTable {
  id: Generated<number>;
  project_id: number;
  /** 文号, when the notice carries one. */
  document_number: string | null;
  title: string;
  /** 下发单位: who issued it (闵行区医疗保障局、闵行区财政局). */
  issuer: string;
  /** NUMERIC(18,2), 元. */
  amount: string;
  issued_on: string | null;
  due_on: string;
  /** The transfer that settles it (bigint, read as a string); null while unpaid. */
  payment_id: string | null;
  note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

/** 备案: the day a project's batches of a month were reported to the district centre (migration 0019). */
export interface BatchReportTable {
  id: Generated<number>;
  project_id: number;
  /** The month's first day (YYYY-MM-01). */
  month: string;
  reported_on: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

declare module "../../../db/schema.ts" {
  interface PaymentTable {
    /** 受理: the day the batch was accepted (migration 0018). */
    accepted_on: OptionalDate;
    /** 审核完成: the day its review was completed. */
    reviewed_on: OptionalDate;
    /** 审批: the day it was approved. */
    approved_on: OptionalDate;
  }
  interface Database {
    settlement_notice: SettlementNoticeTable;
    batch_report: BatchReportTable;
  }
}
