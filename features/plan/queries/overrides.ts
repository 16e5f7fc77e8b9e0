import { sql, type Transaction } from "kysely";
import type { DB } from "../../../db/pool.ts";
import type { Database } from "../../../db/schema.ts";

/* The planners' overrides of proposed lines (plan_override): the line's unit for the permission check, save, remove. */

/** The unit and year of a budget line's project (for the permission check), or undefined. */
export async function unitOfLine(db: DB | Transaction<Database>, lineId: number): Promise<{ unitId: number; fiscalYear: number } | undefined> {
  return db
    .selectFrom("budget_line as bl")
    .innerJoin("project as p", "p.id", "bl.project_id")
    .select(["p.unit_id as unitId", "p.fiscal_year as fiscalYear"])
    .where("bl.id", "=", lineId)
    .executeTakeFirst();
}

/** Saves (or replaces) a planner's override of a proposed line; audited through the transaction's actor. */
export async function saveOverride(
  trx: Transaction<Database>,
  values: { targetYear: number; sourceLineId: number; quantity: string; unitPrice: string; reason: string; by: string },
): Promise<void> {
  await trx
    .insertInto("plan_override")
    .values({
      fiscal_year: values.targetYear,
      source_line_id: values.sourceLineId,
      quantity: values.quantity,
      unit_price: values.unitPrice,
      reason: values.reason,
      updated_by: values.by,
    })
    .onConflict((oc) =>
      oc.columns(["fiscal_year", "source_line_id"]).doUpdateSet({
        quantity: values.quantity,
        unit_price: values.unitPrice,
        reason: values.reason,
        updated_by: values.by,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

/** Removes an override: the line goes back to the forecast. */
export async function removeOverride(trx: Transaction<Database>, targetYear: number, sourceLineId: number): Promise<void> {
  await trx.deleteFrom("plan_override").where("fiscal_year", "=", targetYear).where("source_line_id", "=", sourceLineId).execute();
}
