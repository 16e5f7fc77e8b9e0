import type { Insertable, Transaction } from "kysely";
import type { BudgetLineTable, Database, ProjectTable } from "./schema.ts";

/*
 * The one way a project and its budget lines (表1-3-1) are created: by the import (a project a file
 * names that the ledger does not have), by plan adoption (next year's projects from the zero-based
 * plan) and by the demo seed. Payments and adjustments come in through the import (features/import),
 * corrections through db/corrections.ts.
 */

/** A new project's fields (the database fills id and version). */
export type NewProject = Omit<Insertable<ProjectTable>, "id" | "version">;

/** A new budget line's fields, without the project and number (given by insertBudgetLines). */
export type NewBudgetLine = Omit<Insertable<BudgetLineTable>, "id" | "version" | "project_id" | "line_no">;

/** Creates a project; returns its id. */
export async function insertProject(trx: Transaction<Database>, project: NewProject): Promise<number> {
  const { id } = await trx.insertInto("project").values(project).returning("id").executeTakeFirstOrThrow();
  return id;
}

/**
 * Appends budget lines to a project, numbered after its last line (1, 2, … for a new project), in the
 * order given; returns their ids in that order.
 */
export async function insertBudgetLines(trx: Transaction<Database>, projectId: number, lines: readonly NewBudgetLine[]): Promise<number[]> {
  if (lines.length === 0) return [];
  const last = await trx.selectFrom("budget_line").select((eb) => eb.fn.max("line_no").as("n")).where("project_id", "=", projectId).executeTakeFirst();
  const start = Number(last?.n ?? 0);
  const rows = await trx
    .insertInto("budget_line")
    .values(lines.map((line, index) => ({ ...line, project_id: projectId, line_no: start + index + 1 })))
    .returning(["id", "line_no"])
    .execute();
  return rows.sort((a, b) => a.line_no - b.line_no).map((row) => row.id);
}
