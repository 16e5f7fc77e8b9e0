import { sql, type ExpressionBuilder, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";

/*
 * Rectification items a manager enters by hand (migration 0021): the projects one may be recorded on, the
 * insert, the correction of its texts and the withdrawal. The project's hand-entered items are numbered 1, 2, … (source_row); the project's row is
 * locked while the next number is taken, so two managers recording at once get different numbers.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** A project an item may be recorded on, as the form lists them. */
export interface ProjectChoice {
  id: number;
  name: string;
  fiscalYear: number;
  unitId: number;
  unitName: string;
}

function selectProjects(db: Queryable) {
  return db
    .selectFrom("project as p")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select(["p.id", "p.name", "p.fiscal_year as fiscalYear", "u.id as unitId", "u.name as unitName"]);
}

/** The projects of the units, of one year or all, newest year first, then by unit and name. */
export async function projectsOfUnits(db: Queryable, unitIds: readonly number[], year?: number): Promise<ProjectChoice[]> {
  let query = selectProjects(db).where("p.unit_id", "in", unitIds.length > 0 ? [...unitIds] : [-1]);
  if (year !== undefined) query = query.where("p.fiscal_year", "=", year);
  return query.orderBy("p.fiscal_year", "desc").orderBy("u.name").orderBy("p.name").orderBy("p.id").execute();
}

/** The project an item would be recorded on (its unit and year), or undefined. */
export async function projectForItem(db: Queryable, projectId: number): Promise<ProjectChoice | undefined> {
  return selectProjects(db).where("p.id", "=", projectId).executeTakeFirst();
}

/** Records a hand-entered item on the project (its unit responsible); returns its id. */
export async function insertManualItem(
  trx: Transaction<Database>,
  item: { projectId: number; unitId: number; indicator: string; measure: string; origin: string; dueOn: string },
): Promise<number> {
  await sql`SELECT id FROM project WHERE id = ${item.projectId} FOR UPDATE`.execute(trx);
  const next = await trx
    .selectFrom("rectification_item")
    .select(sql<number>`coalesce(max(source_row), 0) + 1`.as("row"))
    .where("project_id", "=", item.projectId)
    .where("source", "=", "manual")
    .executeTakeFirstOrThrow();
  const inserted = await trx
    .insertInto("rectification_item")
    .values({
      project_id: item.projectId,
      source: "manual",
      self_evaluation_id: null,
      tracking_form_id: null,
      source_row: Number(next.row),
      indicator: item.indicator,
      measure: item.measure,
      origin: item.origin,
      unit_id: item.unitId,
      due_on: item.dueOn,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/**
 * The item, still at `version`, hand-entered, open and not answered in a plan: the condition of every change of
 * such an item, in the same statement as the change (a plan adopted meanwhile cannot answer what it then changes).
 */
const openManualItem = (itemId: number, version: number) => (eb: ExpressionBuilder<Database, "rectification_item">) =>
  eb.and([
    eb("id", "=", itemId),
    eb("version", "=", version),
    eb("source", "=", "manual"),
    eb("status", "=", "open"),
    eb.not(eb.exists(eb.selectFrom("rectification_response as r").select("r.id").whereRef("r.item_id", "=", "rectification_item.id"))),
  ]);

/** Whether an adopted plan has answered the item (rectification_response). */
async function answeredInPlan(trx: Transaction<Database>, itemId: number): Promise<boolean> {
  return (await trx.selectFrom("rectification_response").select("id").where("item_id", "=", itemId).executeTakeFirst()) !== undefined;
}

/**
 * Withdraws a hand-entered item recorded by mistake (deleted; the audit trail keeps it), when still open, at
 * `version` and not yet answered in an adopted plan: "withdrawn", or why not.
 */
export async function deleteManualItem(trx: Transaction<Database>, itemId: number, version: number): Promise<"withdrawn" | "answered" | "changed"> {
  if (await answeredInPlan(trx, itemId)) return "answered";
  const result = await trx.deleteFrom("rectification_item").where(openManualItem(itemId, version)).executeTakeFirst();
  return result.numDeletedRows > 0n ? "withdrawn" : "changed";
}

/**
 * Corrects a hand-entered item's texts (the issue, what must be done, its origin), when still open, at `version`
 * and not yet answered in an adopted plan (the plan answered what it said): "corrected", or why not.
 */
export async function updateManualItem(
  trx: Transaction<Database>,
  itemId: number,
  version: number,
  texts: { indicator: string; measure: string; origin: string },
): Promise<"corrected" | "answered" | "changed"> {
  if (await answeredInPlan(trx, itemId)) return "answered";
  const result = await trx
    .updateTable("rectification_item")
    .set({ indicator: texts.indicator, measure: texts.measure, origin: texts.origin, updated_at: sql<string>`now()` })
    .where(openManualItem(itemId, version))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n ? "corrected" : "changed";
}
