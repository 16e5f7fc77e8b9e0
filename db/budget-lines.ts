import type { Transaction } from "kysely";
import type { DB } from "./pool.ts";
import type { Database } from "./schema.ts";
import { sameBudgetLineValues, type BudgetLineValues } from "../domain/budget-line-form.ts";
import { changedFields, type RawChange } from "../domain/history.ts";
import { changesSince, withActor, type AuditActor } from "./audit.ts";

/** A budget line as its edit form needs it, with the unit that owns it and its version. */
export interface EditableBudgetLine extends BudgetLineValues {
  id: number;
  projectId: number;
  projectName: string;
  fiscalYear: number;
  unitId: number;
  unitName: string;
  lineNo: number;
  version: number;
}

/** Loads a budget line with its project's unit (the unit the guard checks), or undefined. */
export async function getBudgetLine(db: DB | Transaction<Database>, lineId: number): Promise<EditableBudgetLine | undefined> {
  return db
    .selectFrom("budget_line as l")
    .innerJoin("project as p", "p.id", "l.project_id")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select([
      "l.id",
      "l.project_id as projectId",
      "p.name as projectName",
      "p.fiscal_year as fiscalYear",
      "p.unit_id as unitId",
      "u.name as unitName",
      "l.line_no as lineNo",
      "l.version",
      "l.composition",
      "l.item",
      "l.fund_level as fundLevel",
      "l.fund_type as fundType",
      "l.initial_amount as initialAmount",
      "l.unit_price as unitPrice",
      "l.quantity",
      "l.basis",
      "l.scheduled_months as scheduledMonths",
      "l.functional_code as functionalCode",
      "l.functional_name as functionalName",
      "l.economic_code as economicCode",
      "l.economic_name as economicName",
    ])
    .where("l.id", "=", lineId)
    .executeTakeFirst();
}

/**
 * Saves a budget line only if nobody changed it since the version the user edited. Returns the
 * new version, or "conflict" (nothing written) when the stored version differs.
 */
export async function updateBudgetLine(
  trx: Transaction<Database>,
  lineId: number,
  expectedVersion: number,
  values: BudgetLineValues,
): Promise<{ version: number } | "conflict"> {
  const updated = await trx
    .updateTable("budget_line")
    .set({
      composition: values.composition,
      item: values.item,
      fund_level: values.fundLevel,
      fund_type: values.fundType,
      initial_amount: values.initialAmount,
      unit_price: values.unitPrice,
      quantity: values.quantity,
      basis: values.basis,
      scheduled_months: values.scheduledMonths,
      functional_code: values.functionalCode,
      functional_name: values.functionalName,
      economic_code: values.economicCode,
      economic_name: values.economicName,
    })
    .where("id", "=", lineId)
    .where("version", "=", expectedVersion)
    .returning("version")
    .executeTakeFirst();
  return updated ?? "conflict";
}

/** What a stale editor missed: each change since their version, who made it and when, fields as stored. */
export type MissedChanges = Array<{ at: string; username: string; changes: RawChange[] }>;

/**
 * Saves a budget line as the actor (audited) when nobody changed it since `expectedVersion` (a save that changes
 * nothing writes nothing); otherwise nothing is written and the changes made meanwhile are returned, for the editor to see.
 */
export async function saveBudgetLine(
  db: DB,
  actor: AuditActor,
  lineId: number,
  expectedVersion: number,
  values: BudgetLineValues,
): Promise<{ kind: "saved"; version: number } | { kind: "conflict"; missed: MissedChanges }> {
  const result = await withActor(db, actor, async (trx) => {
    // Saved unchanged (the form sent back as it came): nothing to write, so no entry in the history.
    const stored = await getBudgetLine(trx, lineId);
    if (stored?.version === expectedVersion && sameBudgetLineValues(stored, values)) return { version: stored.version };
    return updateBudgetLine(trx, lineId, expectedVersion, values);
  });
  if (result !== "conflict") return { kind: "saved", version: result.version };
  const missed = await changesSince(db, "budget_line", lineId, expectedVersion);
  return { kind: "conflict", missed: missed.map((entry) => ({ at: entry.at, username: entry.username, changes: changedFields(entry.before, entry.after) })) };
}
