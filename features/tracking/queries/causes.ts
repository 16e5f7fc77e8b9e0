import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";
import type { DeviationCategory } from "../rules/index.ts";

/*
 * The deviation-cause catalogue (偏差原因目录) of the tracking form. Writes take a transaction opened
 * by withActor, so the audit trail names the user.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** A cause of the catalogue (偏差原因目录). */
export interface DeviationCauseRecord {
  id: number;
  code: string;
  category: DeviationCategory;
  label: string;
  sortOrder: number;
  active: boolean;
}

/** The catalogue in display order; inactive causes only when asked (old forms still show them). */
export async function listDeviationCauses(db: Queryable, options: { includeInactive?: boolean } = {}): Promise<DeviationCauseRecord[]> {
  let query = db
    .selectFrom("deviation_cause")
    .select(["id", "code", "category", "label", "sort_order as sortOrder", "active"])
    .orderBy("sort_order")
    .orderBy("id");
  if (!options.includeInactive) query = query.where("active", "=", true);
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, category: row.category as DeviationCategory }));
}

/** Adds a cause at the end of the catalogue; false when its code is taken (e.g. added by someone else meanwhile). */
export async function addDeviationCause(trx: Transaction<Database>, cause: { code: string; category: DeviationCategory; label: string }): Promise<boolean> {
  const { next } = await trx
    .selectFrom("deviation_cause")
    .select(sql<number>`coalesce(max(sort_order), 0) + 10`.as("next"))
    .executeTakeFirstOrThrow();
  const inserted = await trx
    .insertInto("deviation_cause")
    .values({ code: cause.code, category: cause.category, label: cause.label, sort_order: next })
    .onConflict((conflict) => conflict.column("code").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Changes a cause's name, category or whether it may still be chosen (codes never change: forms refer to them). */
export async function updateDeviationCause(
  trx: Transaction<Database>,
  id: number,
  change: { category: DeviationCategory; label: string; active: boolean },
): Promise<boolean> {
  const result = await trx.updateTable("deviation_cause").set(change).where("id", "=", id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
