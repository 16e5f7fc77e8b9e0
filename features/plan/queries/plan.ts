import { sql, type Transaction } from "kysely";
import type { DB } from "../../../db/pool.ts";
import type { Database } from "../../../db/schema.ts";
import { forecastInput } from "../../../db/forecast-input.ts";
import { unitSubtreeIds } from "../../../db/units.ts";
import { planLines, type PlanLine } from "../rules/zero-based-plan.ts";
import { applyOverride } from "../rules/override.ts";
import { groupPlan, type PlanGroups } from "../rules/totals.ts";
import { notZeroBased } from "../rules/derived-lines.ts";
import { targetAgreement, type ProjectTargetAgreement } from "../rules/targets.ts";
import { planStamp, type ExistingProject } from "../rules/adoption.ts";
import { declaredQuantities } from "./targets.ts";

/* Loading the plan of a year for a unit (the forecast with the planners' overrides), and the page's choice of unit and year. */

/** The plan of a target year for a unit (and the units below it): proposed lines with overrides applied, grouped. */
export interface UnitPlan extends PlanGroups {
  targetYear: number;
  baseYear: number;
  lines: PlanLine[];
  /** A stamp of the plan as computed (planStamp): the page posts it back with an adoption. */
  stamp: string;
  /** The target year's projects of the plan's units that exist already (adoption would meet them). */
  existing: ExistingProject[];
  /** Lines not zero-based (沿用上年基数 and the like): count and share of the proposed amount. */
  notZeroBased: ReturnType<typeof notZeroBased>;
  /** Per project, the declared quantity targets (绩效目标 数量指标) next to the planned quantities. */
  targets: ProjectTargetAgreement[];
}

/**
 * Builds the plan of a target year for a unit: the forecast from the ledger and the standards, with the
 * planners' overrides (quantity, unit price, reason) applied. loadPlan(db, 2025, maqiaoUnitId).total.amount
 */
export async function loadPlan(db: DB | Transaction<Database>, targetYear: number, unitId: number): Promise<UnitPlan> {
  const input = await forecastInput(db, { targetYear, unitId });
  const { lines, forecasts, settlement } = planLines(input);
  const planned = await withOverrides(db, targetYear, lines);
  return {
    targets: await planTargets(db, targetYear, planned),
    targetYear,
    baseYear: input.baseYear,
    lines: planned,
    stamp: planStamp(planned),
    ...groupPlan(planned, forecasts, settlement),
    existing: await existingProjects(db, targetYear, unitId),
    notZeroBased: notZeroBased(planned),
  };
}

/** The declared quantity targets of the plan's projects next to its planned quantities (flagged beyond 20%). */
export async function planTargets(db: DB | Transaction<Database>, targetYear: number, lines: readonly PlanLine[]): Promise<ProjectTargetAgreement[]> {
  const projects = [...new Map(lines.map((l) => [l.projectId, { projectId: l.projectId, unitId: l.unitId, projectName: l.projectName }])).values()];
  return targetAgreement(lines, await declaredQuantities(db, { targetYear, projects }));
}

/** Proposed lines with the planners' saved overrides of the target year applied (the page's and the CLI's default). */
export async function withOverrides(db: DB | Transaction<Database>, targetYear: number, lines: PlanLine[]): Promise<PlanLine[]> {
  const overrides = lines.length
    ? await db
        .selectFrom("plan_override")
        .select(["source_line_id", "quantity", "unit_price", "reason", "updated_by"])
        .where("fiscal_year", "=", targetYear)
        .where("source_line_id", "in", lines.map((l) => l.sourceLineId))
        .execute()
    : [];
  const byLine = new Map(overrides.map((o) => [o.source_line_id, o]));
  return lines.map((line) => {
    // A formula line is changed through its drivers, not overridden.
    const override = line.method === "formula" ? undefined : byLine.get(line.sourceLineId);
    return override ? applyOverride(line, { quantity: override.quantity, unitPrice: override.unit_price, reason: override.reason, by: override.updated_by }) : line;
  });
}

async function existingProjects(db: DB | Transaction<Database>, year: number, unitId: number): Promise<ExistingProject[]> {
  const units = await unitSubtreeIds(db, unitId);
  if (units.length === 0) return [];
  return db
    .selectFrom("project as p")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select([
      "p.id as projectId",
      "p.name as projectName",
      "u.name as unitName",
      sql<string>`coalesce((SELECT sum(bl.initial_amount) FROM budget_line bl WHERE bl.project_id = p.id), 0)::numeric(18,2)::text`.as("initial"),
      sql<number>`(SELECT count(*)::int FROM payment pm WHERE pm.project_id = p.id)`.as("payments"),
      sql<number>`(SELECT count(*)::int FROM budget_adjustment a JOIN budget_line bl ON bl.id = a.budget_line_id WHERE bl.project_id = p.id)`.as("adjustments"),
      sql<number>`(SELECT count(*)::int FROM performance_indicator i WHERE i.project_id = p.id)`.as("indicators"),
      sql<number>`(SELECT count(*)::int FROM performance_declaration d WHERE d.project_id = p.id)`.as("declarations"),
      sql<number>`(SELECT count(*)::int FROM tracking_form f WHERE f.project_id = p.id)`.as("trackingForms"),
      sql<number>`(SELECT count(*)::int FROM plan_override o JOIN budget_line bl ON bl.id = o.source_line_id WHERE bl.project_id = p.id)`.as("overrides"),
    ])
    .where("p.fiscal_year", "=", year)
    .where("p.unit_id", "in", units)
    .orderBy("u.name")
    .orderBy("p.name")
    .execute();
}

/**
 * Units of a subtree with projects in the base year, to choose the planning unit from (admins, managers),
 * after the user's own unit — whose plan is the whole subtree's (`all`) — when it has none of its own.
 */
export async function planUnits(db: DB, baseYear: number, subtree: readonly number[], ownUnitId?: number): Promise<Array<{ id: number; name: string; all?: boolean }>> {
  if (subtree.length === 0) return [];
  const units: Array<{ id: number; name: string; all?: boolean }> = await db
    .selectFrom("org_unit as u")
    .select(["u.id", "u.name"])
    .where("u.id", "in", [...subtree])
    .where((eb) => eb.exists(eb.selectFrom("project as p").select("p.id").whereRef("p.unit_id", "=", "u.id").where("p.fiscal_year", "=", baseYear)))
    .orderBy("u.name")
    .execute();
  if (ownUnitId === undefined || units.some((u) => u.id === ownUnitId) || units.length < 2) return units;
  const own = await db.selectFrom("org_unit").select(["id", "name"]).where("id", "=", ownUnitId).executeTakeFirst();
  return own ? [{ ...own, all: true }, ...units] : units;
}

/** The year to plan next: the year after the latest fiscal year with payments (else with projects), or undefined. */
export async function nextPlanYear(db: DB): Promise<number | undefined> {
  const row = await sql<{ year: number | null }>`
    SELECT coalesce(
      (SELECT max(p.fiscal_year) FROM project p WHERE EXISTS (SELECT 1 FROM payment pm WHERE pm.project_id = p.id)),
      (SELECT max(fiscal_year) FROM project)) AS year`.execute(db);
  const year = row.rows[0]?.year;
  return year === null || year === undefined ? undefined : year + 1;
}
