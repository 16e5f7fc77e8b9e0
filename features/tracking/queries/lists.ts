import { sql } from "kysely";
import type { DB } from "../../../db/pool.ts";
import type { TrackingFormStatus } from "../../../db/schema.ts";
import type { StageConclusion } from "../rules/index.ts";

/*
 * The tracking forms across projects: the managers' list (latest revision per project and period),
 * the projects that have not filed yet, and the dashboard's stated causes and measures.
 */

/** One row of the managers' list: the latest revision of a project's form for a period. */
export interface SubmissionRow {
  formId: number;
  projectId: number;
  projectName: string;
  fiscalYear: number;
  unitName: string;
  periodStart: string;
  periodEnd: string;
  revision: number;
  status: TrackingFormStatus;
  stageConclusion: StageConclusion;
  executionRate: string | null;
  budget: string;
  executed: string;
  updatedAt: string;
}

/** The latest revision of every form of projects in the given units, filtered by year, status and conclusion. */
export async function listSubmissions(
  db: DB,
  options: { unitIds: readonly number[]; year?: number; status?: TrackingFormStatus; conclusion?: StageConclusion },
): Promise<SubmissionRow[]> {
  if (options.unitIds.length === 0) return [];
  const result = await sql<SubmissionRow>`
    SELECT * FROM (
      SELECT DISTINCT ON (f.project_id, f.period_end)
             f.id AS "formId", f.project_id AS "projectId", p.name AS "projectName", p.fiscal_year AS "fiscalYear", u.name AS "unitName",
             f.period_start AS "periodStart", f.period_end AS "periodEnd", f.revision, f.status, f.stage_conclusion AS "stageConclusion",
             f.execution_rate::text AS "executionRate", f.budget::text AS budget, f.executed::text AS executed,
             to_char(f.updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "updatedAt"
        FROM tracking_form f
        JOIN project p ON p.id = f.project_id
        JOIN org_unit u ON u.id = p.unit_id
       WHERE p.unit_id = ANY(${sql.val([...options.unitIds])}::int[])
         AND (${options.year ?? null}::int IS NULL OR p.fiscal_year = ${options.year ?? null}::int)
       ORDER BY f.project_id, f.period_end, f.revision DESC
    ) latest
    WHERE (${options.status ?? null}::text IS NULL OR status = ${options.status ?? null}::text)
      AND (${options.conclusion ?? null}::text IS NULL OR "stageConclusion" = ${options.conclusion ?? null}::text)
    ORDER BY "fiscalYear" DESC, "unitName", "projectName", "periodEnd"`.execute(db);
  return result.rows;
}

/** A project in scope with no tracking form for its default period (31 August) yet: 未填报. */
export interface UnfiledProject {
  projectId: number;
  projectName: string;
  fiscalYear: number;
  unitName: string;
  periodEnd: string;
}

/** The projects of the given units (and year) without any revision of a form for 31 August of their year. */
export async function listUnfiled(db: DB, options: { unitIds: readonly number[]; year?: number }): Promise<UnfiledProject[]> {
  if (options.unitIds.length === 0) return [];
  const result = await sql<UnfiledProject>`
    SELECT p.id AS "projectId", p.name AS "projectName", p.fiscal_year AS "fiscalYear", u.name AS "unitName",
           to_char(make_date(p.fiscal_year, 8, 31), 'YYYY-MM-DD') AS "periodEnd"
      FROM project p
      JOIN org_unit u ON u.id = p.unit_id
     WHERE p.unit_id = ANY(${sql.val([...options.unitIds])}::int[])
       AND (${options.year ?? null}::int IS NULL OR p.fiscal_year = ${options.year ?? null}::int)
       AND NOT EXISTS (SELECT 1 FROM tracking_form f WHERE f.project_id = p.id AND f.period_end = make_date(p.fiscal_year, 8, 31))
     ORDER BY p.fiscal_year DESC, u.name, p.name`.execute(db);
  return result.rows;
}

/** A failing item's stated cause and measure, as the dashboard lists them. */
export interface StatedDeviation {
  /** The indicator's name; null for the budget execution (预算执行, shown through the catalogue: trItemExecution). */
  item: string | null;
  /** The chosen cause's code and label (the label as stored: causeMessage names a default cause in the user's language). */
  causeCode: string | null;
  causeLabel: string | null;
  cause: string | null;
  measure: string | null;
}

/** The latest form of one project whose conclusion was 运行偏差, with its stated causes and measures. */
export interface ProjectDeviations {
  projectId: number;
  projectName: string;
  unitName: string;
  formId: number;
  periodEnd: string;
  status: TrackingFormStatus;
  executionRate: string | null;
  deviations: StatedDeviation[];
}

/**
 * For the dashboard, in one query: each project of the year (within the units) whose latest tracking
 * form up to the as-of date concluded 运行偏差, with the causes and measures it states. Drafts do not count:
 * a unit's unsent work is not yet what it states (the latest form it has sent is shown instead).
 */
export async function statedDeviations(db: DB, options: { year: number; asOf: string; unitIds: readonly number[] }): Promise<ProjectDeviations[]> {
  if (options.unitIds.length === 0) return [];
  const result = await sql<Omit<ProjectDeviations, "deviations"> & { deviations: StatedDeviation[] | null }>`
    SELECT f.project_id AS "projectId", p.name AS "projectName", u.name AS "unitName", f.id AS "formId",
           f.period_end::text AS "periodEnd", f.status, f.execution_rate::text AS "executionRate",
           (SELECT json_agg(json_build_object('item', d.item, 'causeCode', d."causeCode", 'causeLabel', d."causeLabel", 'cause', d.cause, 'measure', d.measure) ORDER BY d.ord) FROM (
              SELECT 0 AS ord, NULL::text AS item, ec.code AS "causeCode", ec.label AS "causeLabel", f.execution_cause AS cause, f.execution_measure AS measure
               WHERE f.execution_cause_code IS NOT NULL OR f.execution_cause IS NOT NULL OR f.execution_measure IS NOT NULL
              UNION ALL
              SELECT i.sort_order, i.name, ic.code, ic.label, i.cause, i.measure
                FROM tracking_form_indicator i LEFT JOIN deviation_cause ic ON ic.code = i.cause_code
               WHERE i.form_id = f.id AND i.tracked AND (i.cause_code IS NOT NULL OR i.cause IS NOT NULL OR i.measure IS NOT NULL)
            ) d) AS deviations
      FROM (
        SELECT DISTINCT ON (tf.project_id) tf.*
          FROM tracking_form tf JOIN project pp ON pp.id = tf.project_id
         WHERE pp.fiscal_year = ${options.year} AND pp.unit_id = ANY(${sql.val([...options.unitIds])}::int[])
           AND tf.period_end <= ${options.asOf}::date AND tf.status <> 'draft'
         ORDER BY tf.project_id, tf.period_end DESC, tf.revision DESC
      ) f
      JOIN project p ON p.id = f.project_id
      JOIN org_unit u ON u.id = p.unit_id
      LEFT JOIN deviation_cause ec ON ec.code = f.execution_cause_code
     WHERE f.stage_conclusion = '运行偏差'
     ORDER BY u.name, p.name`.execute(db);
  return result.rows.map((row) => ({ ...row, deviations: row.deviations ?? [] }));
}
