import { createHash } from "node:crypto";
import { msg, render, type Message } from "../messages";
import { sql, type Transaction } from "kysely";
import type { DB } from "./pool.ts";
import { insertBudgetLines, insertProject } from "./ledger-write.ts";
import type { Database, FundLevel, FundType } from "./schema.ts";
import { forecastInput } from "./forecast-input.ts";
import { unitSubtreeIds } from "./units.ts";
import { planLines, type PlanLine } from "../domain/zero-based-plan.ts";
import { applyOverride } from "../domain/plan-override.ts";
import { groupPlan, type PlanGroups } from "../domain/plan-totals.ts";
import { NEEDS_BASIS, notZeroBased } from "../domain/plan-derived-lines.ts";
import { targetAgreement, type ProjectTargetAgreement } from "../domain/plan-targets.ts";
import { declaredQuantities } from "./plan-targets.ts";
import { formatAmount } from "../domain/money.ts";

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

/** A project of the target year that exists already, with what hangs on it (a replacement would delete it). */
export interface ExistingProject {
  projectId: number;
  projectName: string;
  unitName: string;
  initial: string;
  payments: number;
  adjustments: number;
  /** 绩效目标 indicators, the 绩效目标申报表 and 运行监控 tracking forms of the project. */
  indicators: number;
  declarations: number;
  trackingForms: number;
  /** Planners' overrides of the year after that rest on the project's lines. */
  overrides: number;
}

/** What hangs on an existing project, as messages: inUse(p) → [支付 3 笔, 绩效指标 5 项] (empty: nothing). */
export function inUse(project: ExistingProject): Message[] {
  const parts: Array<[number, Message]> = [
    [project.payments, msg("planUsePayments", { count: project.payments })],
    [project.adjustments, msg("planUseAdjustments", { count: project.adjustments })],
    [project.indicators, msg("planUseIndicators", { count: project.indicators })],
    [project.declarations, msg("planUseDeclarations", { count: project.declarations })],
    [project.trackingForms, msg("planUseTrackingForms", { count: project.trackingForms })],
    [project.overrides, msg("planUseOverrides", { count: project.overrides })],
  ];
  return parts.filter(([n]) => n > 0).map(([, message]) => message);
}

/**
 * A stamp of the plan as shown: each line's source, quantity, unit price, amount, standard, basis and months.
 * The page posts it with an adoption; the server recomputes the plan and refuses when the stamp differs (the
 * ledger, the standards or an override changed meanwhile). planStamp(plan.lines) → 64 hex digits
 */
export function planStamp(lines: readonly PlanLine[]): string {
  const text = lines.map((l) => [l.key, l.quantity, l.unitPrice, l.amount, l.standard?.id ?? "", l.basis, l.fundLevel, l.fundType, l.months.join(",")].join("|"));
  return createHash("sha256").update(text.join("\n")).digest("hex");
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

/** The unit of a budget line's project (for the guard), or undefined. */
export async function unitOfLine(db: DB, lineId: number): Promise<{ unitId: number; fiscalYear: number } | undefined> {
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

/** Why an adoption was refused: the message says it in the user's language. */
export class AdoptionRefused extends Error {
  constructor(readonly problem: Message) {
    super(render("zh", problem));
  }
}

/**
 * Adopts the plan as the target year's initial budget (年初预算), in the caller's transaction: one project
 * per base project with the proposed lines (unit price × quantity, basis, months, standard version, fund
 * level and type of the source line). Refuses when the recomputed plan differs from the one the page showed
 * (`stamp`), and when a project of that year exists already — unless `replace` is set and nothing hangs on
 * those projects yet (payments, adjustments, indicators, declarations, tracking forms, next year's
 * overrides): then they are deleted and written anew (all audited).
 */
export async function adoptPlan(
  trx: Transaction<Database>,
  options: { targetYear: number; unitId: number; replace: boolean; by: string; stamp: string; bases?: ReadonlyMap<string, string> },
): Promise<{ projects: number; lines: number; total: string }> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`plan-adopt:${options.targetYear}`}))`.execute(trx);
  const plan = await loadPlan(trx, options.targetYear, options.unitId);
  if (plan.lines.length === 0) throw new AdoptionRefused(msg("planAdoptNoLines", { year: plan.baseYear }));
  if (plan.stamp !== options.stamp) {
    throw new AdoptionRefused(msg("planAdoptStale", { year: options.targetYear }));
  }
  // A line that is not zero-based (or derived to 0) is adopted only with a written basis, kept as its 依据.
  const unexplained = plan.lines.filter((l) => l.attention.some((a) => NEEDS_BASIS.has(a.code)) && !(options.bases?.get(l.key) ?? "").trim());
  if (unexplained.length > 0) {
    throw new AdoptionRefused(
      msg("planAdoptNeedsBasis", { lines: unexplained.map((l) => msg("planLineName", { project: l.projectName, item: l.item })) }),
    );
  }
  const projectNames = new Set(plan.lines.map((l) => `${l.unitId}|${l.projectName}`));
  const clashing = [];
  for (const existing of plan.existing) {
    const row = await trx.selectFrom("project").select(["id", "unit_id"]).where("id", "=", existing.projectId).executeTakeFirstOrThrow();
    if (projectNames.has(`${row.unit_id}|${existing.projectName}`)) clashing.push(existing);
  }
  if (clashing.length > 0) {
    const names = clashing.map((p) => msg("planExistingProject", { unit: p.unitName, project: p.projectName, initial: p.initial }));
    const used = clashing.filter((p) => inUse(p).length > 0);
    if (!options.replace) throw new AdoptionRefused(msg("planAdoptExists", { year: options.targetYear, projects: names }));
    if (used.length > 0) {
      throw new AdoptionRefused(
        msg("planAdoptInUse", {
          year: options.targetYear,
          projects: used.map((p) => msg("planProjectInUse", { unit: p.unitName, project: p.projectName, uses: inUse(p) })),
        }),
      );
    }
    await trx.deleteFrom("project").where("id", "in", clashing.map((p) => p.projectId)).execute();
  }
  let lines = 0;
  for (const unit of plan.units) {
    for (const planned of unit.projects) {
      const base = await trx
        .selectFrom("project")
        .select(["code", "supervising_department", "implementing_unit", "recurring", "category"])
        .where("id", "=", planned.projectId)
        .executeTakeFirstOrThrow();
      const projectId = await insertProject(trx, {
        fiscal_year: options.targetYear,
        code: base.code,
        name: planned.projectName,
        unit_id: unit.unitId,
        supervising_department: base.supervising_department,
        implementing_unit: base.implementing_unit,
        recurring: base.recurring,
        category: base.category,
        note: `${options.targetYear} 年年初预算：由 ${plan.baseYear} 年预算明细按零基预算（标准 × 数量）编制并采纳（${options.by}）。`,
      });
      await insertBudgetLines(
        trx,
        projectId,
        planned.lines.map((line) => ({
          composition: line.composition,
          item: line.item,
          fund_level: line.fundLevel as FundLevel,
          fund_type: line.fundType as FundType,
          initial_amount: line.amount,
          unit_price: line.unitPrice,
          quantity: line.quantity,
          basis: adoptedBasis(line, options.bases?.get(line.key)),
          scheduled_months: line.months,
          functional_code: line.functionalCode,
          functional_name: line.functionalName,
          economic_code: line.economicCode,
          economic_name: line.economicName,
          standard_id: line.standard?.id ?? null,
        })),
      );
      lines += planned.lines.length;
    }
  }
  return { projects: plan.units.reduce((n, u) => n + u.projects.length, 0), lines, total: plan.total.amount };
}

/** The 依据 an adopted line keeps: the documents it rests on, and the planner's written basis where one was needed. */
function adoptedBasis(line: PlanLine, written: string | undefined): string | null {
  const refund = line.attention.find((a) => a.code === "negativeClearing");
  const parts = [
    line.basis,
    refund && refund.code === "negativeClearing" ? `清算为负：应退回 ${formatAmount(refund.refund)} 元，不列支出` : "",
    written?.trim() ? `编制说明：${written.trim()}` : "",
  ].filter(Boolean);
  return parts.length > 0 ? parts.join("；") : null;
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
