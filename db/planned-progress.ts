import { sql } from "kysely";
import type { DB } from "./pool.ts";
import type { PlanLine } from "../domain/planned-progress.ts";

/*
 * What the plan (计划进度, domain/planned-progress.ts) reads besides a project's amounts: the lines
 * scheduled in part of the year (安排月份 other than the whole year) with their budgets as of the date,
 * and the project's history — the same unit and project name the year before (as the tracking form's
 * estimate finds it) — with that year's monthly executed amounts from the execution_monthly rollup
 * (the one definition of 执行数, decision 015).
 */

/** A project's plan inputs; projects without part-year lines or history are not listed. */
export interface PlanInputs {
  /** Lines scheduled in part of the year, grouped by their months, with their adjusted budgets as of the date. */
  partYear: PlanLine[];
  /** The same project the year before (lowest id when several), or null. */
  previousId: number | null;
  /** Its executed amount in each month of its fiscal year (12 amount strings), or null without history. */
  profile: string[] | null;
}

/**
 * The plan inputs of every project of a year (of the given units) as of a date, by project id.
 * Example (demo): 马桥 2024 医疗救助 → { partYear: [], previousId: <its 2023>, profile: [0 × 11, "1155200.00"] }.
 */
export async function planInputs(db: DB, options: { year: number; asOf: string; unitIds?: readonly number[] }): Promise<Map<number, PlanInputs>> {
  const { year, asOf } = options;
  const unitFilter = options.unitIds === undefined ? sql`TRUE` : sql`p.unit_id = ANY(${sql.val([...options.unitIds])}::int[])`;
  const result = await sql<{ project_id: number; previous_id: number | null; months: number[] | null; adjusted: string | null; profile: string[] | null }>`
    WITH p AS (
      SELECT p.id, p.unit_id, p.name FROM project p WHERE p.fiscal_year = ${year} AND ${unitFilter}
    ),
    part_year AS (
      SELECT bl.project_id, bl.scheduled_months::int[] AS months,
             sum(bl.initial_amount + coalesce((SELECT sum(ba.amount) FROM budget_adjustment ba
                                                WHERE ba.budget_line_id = bl.id AND ba.adjusted_on <= ${asOf}::date), 0)) AS adjusted
        FROM budget_line bl JOIN p ON p.id = bl.project_id
       WHERE cardinality(bl.scheduled_months) BETWEEN 1 AND 11
       GROUP BY bl.project_id, bl.scheduled_months
    ),
    previous AS (
      SELECT DISTINCT ON (p.id) p.id AS project_id, q.id AS previous_id
        FROM p JOIN project q ON q.unit_id = p.unit_id AND q.name = p.name AND q.fiscal_year = ${year - 1}
       ORDER BY p.id, q.id
    ),
    profile AS (
      SELECT pr.project_id, pr.previous_id,
             array_agg(coalesce(em.executed, 0)::numeric(18,2)::text ORDER BY m.month) AS profile
        FROM previous pr
       CROSS JOIN generate_series(1, 12) AS m (month)
        LEFT JOIN execution_monthly em ON em.project_id = pr.previous_id AND em.month = make_date(${year - 1}, m.month, 1)
       GROUP BY pr.project_id, pr.previous_id
    )
    SELECT project_id, NULL::int AS previous_id, months, adjusted::numeric(18,2)::text AS adjusted, NULL::text[] AS profile FROM part_year
    UNION ALL
    SELECT project_id, previous_id, NULL, NULL, profile FROM profile`.execute(db);
  const inputs = new Map<number, PlanInputs>();
  for (const row of result.rows) {
    const entry = inputs.get(row.project_id) ?? { partYear: [], previousId: null, profile: null };
    if (row.months !== null && row.adjusted !== null) entry.partYear.push({ months: row.months, adjusted: row.adjusted });
    if (row.profile !== null) {
      entry.previousId = row.previous_id;
      entry.profile = row.profile;
    }
    inputs.set(row.project_id, entry);
  }
  return inputs;
}

/**
 * One project's history for its chart: the monthly executed amounts of the same project (unit and
 * name) the year before, within that year, or null when there is none — as planInputs reads them.
 */
export async function previousYearProfile(db: DB, projectId: number): Promise<string[] | null> {
  const result = await sql<{ profile: string[] }>`
    WITH previous AS (
      SELECT q.id, q.fiscal_year
        FROM project p JOIN project q ON q.unit_id = p.unit_id AND q.name = p.name AND q.fiscal_year = p.fiscal_year - 1
       WHERE p.id = ${projectId}
       ORDER BY q.id LIMIT 1
    )
    SELECT array_agg(coalesce(em.executed, 0)::numeric(18,2)::text ORDER BY m.month) AS profile
      FROM previous pr
     CROSS JOIN generate_series(1, 12) AS m (month)
      LEFT JOIN execution_monthly em ON em.project_id = pr.id AND em.month = make_date(pr.fiscal_year, m.month, 1)
    HAVING count(*) > 0`.execute(db);
  return result.rows[0]?.profile ?? null;
}
