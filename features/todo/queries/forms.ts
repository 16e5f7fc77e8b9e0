import { sql } from "kysely";
import type { DB } from "../../../db/pool.ts";
import type { TrackingFormStatus } from "../../../db/schema.ts";

/*
 * What the to-do list reads that the forms' own lists do not give cheaply: the fiscal years of the
 * units' projects, and the self-evaluations of any year in given states (the managers' list reads one
 * year at a time, with scores and departures the to-do list does not need).
 */

/** The fiscal years of the projects of the units, latest first. */
export async function projectYears(db: DB, unitIds: readonly number[]): Promise<number[]> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom("project")
    .select("fiscal_year as year")
    .distinct()
    .where("unit_id", "in", [...unitIds])
    .orderBy("fiscal_year", "desc")
    .execute();
  return rows.map((row) => row.year);
}

/** A self-evaluation sheet as the to-do list needs it. */
export interface SheetInState {
  projectId: number;
  project: string;
  fiscalYear: number;
  unit: string;
  status: TrackingFormStatus;
  /** Last saved or moved, Shanghai time: 2025-01-20 10:30. */
  updatedAt: string;
}

/** The self-evaluations of projects of the units in one of the states (of one fiscal year when given), by unit and project. */
export async function sheetsInStates(
  db: DB,
  options: { unitIds: readonly number[]; states: readonly TrackingFormStatus[]; year?: number },
): Promise<SheetInState[]> {
  if (options.unitIds.length === 0 || options.states.length === 0) return [];
  let query = db
    .selectFrom("self_evaluation as e")
    .innerJoin("project as p", "p.id", "e.project_id")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select([
      "p.id as projectId",
      "p.name as project",
      "p.fiscal_year as fiscalYear",
      "u.name as unit",
      "e.status",
      sql<string>`to_char(e.updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`.as("updatedAt"),
    ])
    .where("p.unit_id", "in", [...options.unitIds])
    .where("e.status", "in", [...options.states]);
  if (options.year !== undefined) query = query.where("p.fiscal_year", "=", options.year);
  return query.orderBy("u.name").orderBy("p.name").orderBy("p.id").execute();
}
