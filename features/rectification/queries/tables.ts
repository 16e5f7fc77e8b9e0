import type { ColumnType, Generated } from "kysely";
import type { RectificationSource, RectificationStatus } from "../rules/index.ts";

/*
 * The rectification tables' types (migration 0016), merged into db/schema.ts's Database by module
 * augmentation: db/schema.ts stands at the 500-line limit (test/layers.test.ts), so they live here
 * until it is split; type-only, nothing at run time.
 */

type Timestamp = ColumnType<Date, string | undefined, string>;

/** 整改台账: one rectification item, raised from an accepted self-evaluation's or tracking form's indicator row. */
export interface RectificationItemTable {
  id: Generated<number>;
  project_id: number;
  source: RectificationSource;
  self_evaluation_id: number | null;
  tracking_form_id: number | null;
  /** The source indicator row's sort order and its name. */
  source_row: number;
  indicator: string;
  measure: string;
  /** The responsible unit: the project's. */
  unit_id: number;
  due_on: string;
  status: ColumnType<RectificationStatus, RectificationStatus | undefined, RectificationStatus>;
  evidence: string | null;
  evidence_on: string | null;
  closed_by: string | null;
  closed_by_id: number | null;
  closed_at: ColumnType<Date | null, string | null | undefined, string | null>;
  /** A hand-entered item's origin (来源说明: an audit report, …); null for items raised from a form (migration 0021). */
  origin: ColumnType<string | null, string | null | undefined, string | null>;
  /** Why a manager last reopened it, who and when (migration 0020). */
  reopen_reason: ColumnType<string | null, string | null | undefined, string | null>;
  reopened_by: ColumnType<string | null, string | null | undefined, string | null>;
  reopened_by_id: ColumnType<number | null, number | null | undefined, number | null>;
  reopened_at: ColumnType<Date | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

/** A planner's response to an open item, written when the project's plan of `plan_year` was adopted. */
export interface RectificationResponseTable {
  id: Generated<number>;
  item_id: number;
  plan_year: number;
  response: string;
  user_id: number | null;
  username: string;
  at: Timestamp;
}

declare module "../../../db/schema.ts" {
  interface Database {
    rectification_item: RectificationItemTable;
    rectification_response: RectificationResponseTable;
  }
}
