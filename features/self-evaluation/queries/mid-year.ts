import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";
import type { Judgement } from "../../../domain/targets.ts";

/*
 * The mid-year tracking form (运行监控表) offered as a start for the self-evaluation: the latest
 * accepted revision of the project's latest period, its implementation status and its indicator rows.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** A tracking form's indicator row as the self-evaluation offers it. */
export interface MidYearRow {
  indicatorId: number;
  actual: string | null;
  judgement: Judgement | null;
  cause: string | null;
  measure: string | null;
}

/** The project's latest accepted tracking form (latest period end, then revision), or undefined. */
export async function latestAcceptedTracking(
  db: Queryable,
  projectId: number,
): Promise<{ periodEnd: string; implementationStatus: string | null; rows: MidYearRow[] } | undefined> {
  const form = await db
    .selectFrom("tracking_form")
    .select(["id", "period_end as periodEnd", "implementation_status as implementationStatus"])
    .where("project_id", "=", projectId)
    .where("status", "=", "accepted")
    .orderBy("period_end", "desc")
    .orderBy("revision", "desc")
    .executeTakeFirst();
  if (!form) return undefined;
  const rows = await db
    .selectFrom("tracking_form_indicator")
    .select(["indicator_id as indicatorId", "actual", "judgement", "cause", "measure"])
    .where("form_id", "=", form.id)
    .where("indicator_id", "is not", null)
    .orderBy("sort_order")
    .execute();
  return {
    periodEnd: form.periodEnd,
    implementationStatus: form.implementationStatus,
    rows: rows.map((row) => ({ ...row, indicatorId: row.indicatorId!, judgement: row.judgement as Judgement | null })),
  };
}
