import { sql } from "kysely";
import type { DB } from "./pool.ts";
import { declarationOnlyFigures, executionFigures, type BudgetAmounts, type ExecutionFigures } from "../domain/execution.ts";
import { addDays } from "../domain/dates.ts";
import { executionTotal, type ExecutionTotal } from "../domain/execution-total.ts";
import { difference, percentage, sumMoney, toAmountString } from "../domain/money.ts";
import { planFigures, plannedAmount, previousYearRate, sameDayLastYear, type PlanBasis, type PlanFigures, type PlanLine, type PreviousYearAmounts } from "../domain/planned-progress.ts";
import { planInputs, type PlanInputs } from "./planned-progress.ts";
import { getFlagThreshold } from "./settings.ts";
import { listUnits, unitSubtreeIds } from "./units.ts";

/** The three amounts of one project as of a date, straight from the ledger. */
export interface ProjectAmounts extends BudgetAmounts {
  projectId: number;
  projectName: string;
  projectCode: string | null;
  unitId: number;
  unitName: string;
  /** Only a target declaration: no execution recorded (see declarationOnlyFigures). */
  declarationOnly: boolean;
}

/**
 * The first day whose payments the monthly rollup does not cover for an as-of date: the first of
 * the as-of month, or of the next month when the as-of date is a month's last day.
 */
function rollupEnd(asOf: string): string {
  const [year, month] = asOf.split("-").map(Number) as [number, number];
  const nextDay = addDays(asOf, 1);
  const isMonthEnd = nextDay.endsWith("-01");
  const end = isMonthEnd ? new Date(Date.UTC(year, month, 1)) : new Date(Date.UTC(year, month - 1, 1));
  return end.toISOString().slice(0, 10);
}

/**
 * Initial, adjusted and executed amounts of every project of a fiscal year as of a date:
 * adjusted = initial + adjustments dated ≤ asOf; executed = payments dated ≤ asOf less returned
 * amounts not re-issued by asOf (domain/execution.ts). Whole months come from the execution_monthly
 * rollup, the rest of the as-of month from the payments' dated contributions in it
 * (payment_contributions, migration 0014 — the rollup's own definition).
 */
export async function projectAmountsAsOf(
  db: DB,
  options: { year: number; asOf: string; unitIds?: readonly number[]; projectIds?: readonly number[] },
): Promise<ProjectAmounts[]> {
  const { year, asOf } = options;
  const partialFrom = rollupEnd(asOf);
  const unitFilter =
    options.unitIds === undefined ? sql`TRUE` : sql`p.unit_id = ANY(${sql.val([...options.unitIds])}::int[])`;
  const projectFilter = options.projectIds === undefined ? sql`TRUE` : sql`p.id = ANY(${sql.val([...options.projectIds])}::int[])`;
  const result = await sql<{
    project_id: number;
    project_name: string;
    project_code: string | null;
    unit_id: number;
    unit_name: string;
    declaration_only: boolean;
    initial: string;
    adjusted: string;
    executed: string;
  }>`
    WITH p AS (
      SELECT p.id, p.name, p.code, p.unit_id, p.declaration_only FROM project p WHERE p.fiscal_year = ${year} AND ${unitFilter} AND ${projectFilter}
    ),
    initial AS (
      SELECT bl.project_id, sum(bl.initial_amount) AS amount
        FROM budget_line bl JOIN p ON p.id = bl.project_id GROUP BY bl.project_id
    ),
    adjustment AS (
      SELECT bl.project_id, sum(ba.amount) AS amount
        FROM budget_adjustment ba JOIN budget_line bl ON bl.id = ba.budget_line_id JOIN p ON p.id = bl.project_id
       WHERE ba.adjusted_on <= ${asOf}::date GROUP BY bl.project_id
    ),
    executed AS (
      SELECT project_id, sum(amount) AS amount FROM (
        SELECT em.project_id, em.executed AS amount
          FROM execution_monthly em JOIN p ON p.id = em.project_id
         WHERE em.month < ${partialFrom}::date
        UNION ALL
        SELECT pay.project_id, c.executed
          FROM payment pay JOIN p ON p.id = pay.project_id
         CROSS JOIN LATERAL payment_contributions(pay.paid_on, pay.amount, pay.returned_amount, pay.reissued_on) c
         WHERE (pay.paid_on BETWEEN ${partialFrom}::date AND ${asOf}::date OR pay.reissued_on BETWEEN ${partialFrom}::date AND ${asOf}::date)
           AND c.contributed_on BETWEEN ${partialFrom}::date AND ${asOf}::date
      ) parts GROUP BY project_id
    )
    SELECT p.id AS project_id, p.name AS project_name, p.code AS project_code, p.unit_id, u.name AS unit_name, p.declaration_only,
           coalesce(i.amount, 0)::numeric(18,2)::text AS initial,
           (coalesce(i.amount, 0) + coalesce(a.amount, 0))::numeric(18,2)::text AS adjusted,
           coalesce(e.amount, 0)::numeric(18,2)::text AS executed
      FROM p
      JOIN org_unit u ON u.id = p.unit_id
      LEFT JOIN initial i ON i.project_id = p.id
      LEFT JOIN adjustment a ON a.project_id = p.id
      LEFT JOIN executed e ON e.project_id = p.id
     ORDER BY u.name, p.name, p.id`.execute(db);
  return result.rows.map((row) => ({
    projectId: row.project_id,
    projectName: row.project_name,
    projectCode: row.project_code,
    unitId: row.unit_id,
    unitName: row.unit_name,
    declarationOnly: row.declaration_only,
    initial: row.initial,
    adjusted: row.adjusted,
    executed: row.executed,
  }));
}

/** One row of the execution report: a project's amounts and figures, with its unit's path. */
export interface ExecutionRow extends ExecutionFigures, PlanFigures {
  projectId: number;
  projectName: string;
  projectCode: string | null;
  unitId: number;
  unitName: string;
  /** Only a target declaration: no rate, never flagged, left out of the unit and grand totals. */
  declarationOnly: boolean;
  /** What shaped the planned curve (计划进度): lines scheduled in part of the year, last year's profile, or even. */
  planBasis: PlanBasis;
  /** The same project (unit, name) the year before, as of the same day then; null without one. */
  previousYear: PreviousYearAmounts | null;
  /** 上年同期执行率 (previousYearRate of previousYear); null without one. */
  previousYearRate: string | null;
}

/** The execution report of a fiscal year as of a date: one row per project, unit totals and the grand total. */
export interface ExecutionReport {
  year: number;
  asOf: string;
  threshold: string;
  rows: ExecutionRow[];
  units: Array<{ unitId: number; unitName: string; unitPath: string[] } & ExecutionTotal>;
  total: ExecutionTotal;
}

/**
 * The managers' execution report: every project of the year (optionally of one unit's subtree)
 * as of a date, with execution rate, time progress, gap and flag, planned progress (计划进度), its gap
 * and flag, the same period last year (上年同期执行率), plus unit and grand totals.
 */
export async function executionReport(
  db: DB,
  options: { year: number; asOf: string; unitId?: number },
): Promise<ExecutionReport> {
  const { year, asOf } = options;
  const [threshold, units, unitIds] = await Promise.all([
    getFlagThreshold(db),
    listUnits(db),
    options.unitId === undefined ? Promise.resolve(undefined) : unitSubtreeIds(db, options.unitId),
  ]);
  // The plan's inputs and the year before's amounts (same day then) are read while the amounts are.
  const [amounts, { plans, previous }] = await Promise.all([
    projectAmountsAsOf(db, { year, asOf, unitIds }),
    planInputs(db, { year, asOf, unitIds }).then(async (plans) => ({ plans, previous: await previousYearAmounts(db, plans, year, asOf, unitIds) })),
  ]);
  const unitById = new Map(units.map((unit) => [unit.id, unit]));
  const rows: ExecutionRow[] = amounts.map((row) => {
    const figures = row.declarationOnly ? declarationOnlyFigures(row, year, asOf) : executionFigures(row, year, asOf, threshold);
    const input = plans.get(row.projectId);
    const plan = plannedAmount({ fiscalYear: year, asOf, lines: planLines(row.adjusted, input), profile: input?.profile ?? null });
    const before = input?.previousId == null ? undefined : previous.get(input.previousId);
    return {
      projectId: row.projectId,
      projectName: row.projectName,
      projectCode: row.projectCode,
      unitId: row.unitId,
      unitName: row.unitName,
      declarationOnly: row.declarationOnly,
      ...figures,
      // A declaration-only project has no execution to judge against a plan.
      ...planFigures(row.declarationOnly ? { planned: plan.planned, plannedProgress: null } : plan, figures, threshold),
      planBasis: plan.basis,
      ...previousYearOf(before),
    };
  });

  const byUnit = new Map<number, ExecutionRow[]>();
  for (const row of rows) byUnit.set(row.unitId, [...(byUnit.get(row.unitId) ?? []), row]);
  const unitTotals = [...byUnit.entries()].map(([unitId, unitRows]) => ({
    unitId,
    unitName: unitRows[0]!.unitName,
    // Ancestor names, city first (上海市, 闵行区, 马桥镇): once per unit, not once per project.
    unitPath: unitById.get(unitId)?.ancestors ?? [],
    ...executionTotal(unitRows, year, asOf, threshold),
  }));

  return { year, asOf, threshold, rows, units: unitTotals, total: executionTotal(rows, year, asOf, threshold) };
}

/** A row's year before (a declaration-only one has no execution to compare) and its rate. */
function previousYearOf(before: ProjectAmounts | undefined): Pick<ExecutionRow, "previousYear" | "previousYearRate"> {
  const previousYear = before === undefined || before.declarationOnly ? null : { executed: before.executed, adjusted: before.adjusted };
  return { previousYear, previousYearRate: previousYearRate([previousYear]) };
}

/** A project's lines as the plan reads them: the part-year lines, and the rest of the budget over the whole year. */
function planLines(adjusted: string, input: PlanInputs | undefined): PlanLine[] {
  if (!input || input.partYear.length === 0) return [{ adjusted, months: null }];
  return [...input.partYear, { adjusted: difference(adjusted, toAmountString(sumMoney(input.partYear.map((line) => line.adjusted)))), months: null }];
}

/** The amounts of the projects' previous years as of the same day a year earlier, by previous project id. */
async function previousYearAmounts(db: DB, plans: ReadonlyMap<number, PlanInputs>, year: number, asOf: string, unitIds: readonly number[] | undefined): Promise<Map<number, ProjectAmounts>> {
  const projectIds = [...new Set([...plans.values()].flatMap((plan) => (plan.previousId === null ? [] : [plan.previousId])))];
  if (projectIds.length === 0) return new Map();
  const amounts = await projectAmountsAsOf(db, { year: year - 1, asOf: sameDayLastYear(asOf), unitIds, projectIds });
  return new Map(amounts.map((row) => [row.projectId, row]));
}

/** The fiscal years that have projects (of the given units, when given), newest first. */
export async function fiscalYears(db: DB, unitIds?: readonly number[]): Promise<number[]> {
  let query = db.selectFrom("project").select("fiscal_year").distinct().orderBy("fiscal_year", "desc");
  if (unitIds !== undefined) query = query.where("unit_id", "in", unitIds.length > 0 ? [...unitIds] : [-1]);
  const rows = await query.execute();
  return rows.map((row) => row.fiscal_year);
}
