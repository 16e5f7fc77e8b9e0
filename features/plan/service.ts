import type { DB } from "../../db/pool.ts";
import { withActor, type AuditActor } from "../../db/audit.ts";
import { decide, roleAllows, type Role } from "../../domain/permissions.ts";
import { msg, type Message } from "../../messages/index.ts";
import { parseOverrideForm, type OverrideErrors } from "./rules/override.ts";
import { loadPlan, planUnits, type UnitPlan } from "./queries/plan.ts";
import { removeOverride, saveOverride, unitOfLine } from "./queries/overrides.ts";
import { adoptPlanWithin, AdoptionRefused } from "./queries/adoption.ts";
import { planPerformance, type ProjectPerformance } from "./queries/performance.ts";

/*
 * The zero-based plan (下年预算编制, /plan/:year) as the page and the CLI use it: one entry per thing a
 * user does. Each takes the database, the acting user (let through the route's guard for the planning
 * unit) and the parsed input, and returns an outcome carrying messages (codes), never HTTP:
 *
 *   planPage(db, user, { year, unitId })                         the units to choose from, the plan (null: the forecast failed) and
 *                                                                per project last year's self-evaluation and open rectification items
 *   overridePlanLine(db, actor, { year, lineId, quantity, … })   saves a planner's override of a proposed line
 *   resetPlanLine(db, actor, { year, lineId })                   removes it: the line goes back to the forecast
 *   adoptPlan(db, actor, { year, unitId, replace, stamp, bases, responses })
 *                                                                writes the plan as the year's initial budget (年初预算), with the
 *                                                                responses to the open rectification items
 *
 * The `budget forecast` command reads the same plan through loadPlan's parts (queries/plan.ts).
 */

export { nextPlanYear, type UnitPlan } from "./queries/plan.ts";
export type { ProjectPerformance } from "./queries/performance.ts";
export { inUse, type ExistingProject } from "./rules/adoption.ts";
export type { OverrideErrors } from "./rules/override.ts";

/** Who acts: for the audit trail and the check that they plan for the line's unit. */
export interface PlanActor extends AuditActor {
  roles: readonly Role[];
  /** The user's unit and every unit below it. */
  unitSubtree: readonly number[];
}

/** The plan page of a year for a planning unit: the units to choose from, whether the user may plan, and the plan. */
export async function planPage(
  db: DB,
  user: { unitId: number; unitSubtree: readonly number[]; roles: readonly Role[] },
  request: { year: number; unitId: number },
): Promise<{ units: Array<{ id: number; name: string; all?: boolean }>; canPlan: boolean; plan: UnitPlan | null; performance: ProjectPerformance[] }> {
  const units = await planUnits(db, request.year - 1, user.unitSubtree, user.unitId);
  const canPlan = roleAllows(user.roles, "edit-budget");
  // No 500 from data: a line whose model fails falls back inside the forecast (forecastBudgetLines); should
  // the plan as a whole still fail, the page says so instead of the plan, and the error goes to the log.
  let plan: UnitPlan;
  try {
    plan = await loadPlan(db, request.year, request.unitId);
  } catch (error) {
    console.error(`plan ${request.year} unit ${request.unitId}: the forecast failed`, error);
    return { units, canPlan, plan: null, performance: [] };
  }
  const projectIds = plan.units.flatMap((unit) => unit.projects.map((project) => project.projectId));
  return { units, canPlan, plan, performance: await planPerformance(db, request.year, projectIds) };
}

/**
 * What became of an override or a reset: done with its message; the line unknown (or not a line of the
 * base year: 404); the line's unit not one the user plans for (403: the route's guard refuses and logs it);
 * the form's problems by field (400).
 */
export type PlanLineOutcome =
  | { outcome: "saved"; message: Message }
  | { outcome: "reset"; message: Message }
  | { outcome: "unknownLine"; errors: OverrideErrors }
  | { outcome: "forbidden"; unitId: number }
  | { outcome: "invalid"; errors: OverrideErrors };

type LineCheck = { outcome: "ok" } | Extract<PlanLineOutcome, { outcome: "unknownLine" | "forbidden" }>;

/** The line must be a base-year line (the year before `year`) of a unit this user plans for. */
async function checkLine(db: DB, actor: PlanActor, year: number, lineId: number | null): Promise<LineCheck> {
  const line = lineId !== null ? await unitOfLine(db, lineId) : undefined;
  if (!line || line.fiscalYear !== year - 1) return { outcome: "unknownLine", errors: { quantity: msg("planUnknownLine") } };
  const decision = decide({ roles: actor.roles, unitSubtree: new Set(actor.unitSubtree) }, "edit-budget", line.unitId);
  return decision === "allowed" ? { outcome: "ok" } : { outcome: "forbidden", unitId: line.unitId };
}

/**
 * Saves a planner's override of a proposed line of `year` (quantity and unit price, with the reason), audited.
 * `lineId` is the base-year line it rests on (null: the form's id was unreadable).
 */
export async function overridePlanLine(
  db: DB,
  actor: PlanActor,
  input: { year: number; lineId: number | null; quantity: string; unitPrice: string; reason: string },
): Promise<PlanLineOutcome> {
  const check = await checkLine(db, actor, input.year, input.lineId);
  if (check.outcome !== "ok") return check;
  const parsed = parseOverrideForm({ quantity: input.quantity, unitPrice: input.unitPrice, reason: input.reason });
  if ("errors" in parsed) return { outcome: "invalid", errors: parsed.errors };
  const sourceLineId = input.lineId!;
  await withActor(db, actor, (trx) => saveOverride(trx, { targetYear: input.year, sourceLineId, ...parsed.values, by: actor.username }));
  return { outcome: "saved", message: msg("planOverrideSaved") };
}

/** Removes the override of a line of `year`, audited: the line goes back to the forecast. */
export async function resetPlanLine(db: DB, actor: PlanActor, input: { year: number; lineId: number | null }): Promise<PlanLineOutcome> {
  const check = await checkLine(db, actor, input.year, input.lineId);
  if (check.outcome !== "ok") return check;
  const sourceLineId = input.lineId!;
  await withActor(db, actor, (trx) => removeOverride(trx, input.year, sourceLineId));
  return { outcome: "reset", message: msg("planBackToForecast") };
}

/** A written basis (依据说明) is at most this long. */
export const MAX_WRITTEN_BASIS = 500;

/**
 * What became of an adoption: written (with its figures); a basis too long or a response to an open
 * rectification item missing (400, with the fields' errors: response:ID → message); refused, nothing changed (409).
 */
export type AdoptOutcome =
  | { outcome: "adopted"; message: Message }
  | { outcome: "invalid"; problem: Message; errors?: Readonly<Record<string, Message>> }
  | { outcome: "refused"; problem: Message };

/**
 * Adopts the plan of `year` for the planning unit as that year's initial budget, in one audited transaction
 * (queries/adoption.ts): `stamp` is the plan as the page showed it, `bases` the written bases by line key
 * (L345, F12), `replace` allows replacing that year's projects while nothing hangs on them.
 */
export async function adoptPlan(
  db: DB,
  actor: PlanActor,
  input: { year: number; unitId: number; replace: boolean; stamp: string; bases: ReadonlyMap<string, string>; responses?: ReadonlyMap<number, string> },
): Promise<AdoptOutcome> {
  if ([...input.bases.values()].some((text) => text.length > MAX_WRITTEN_BASIS)) return { outcome: "invalid", problem: msg("planBasisTooLong") };
  const { year, unitId, replace, stamp, bases, responses } = input;
  const responder = { userId: actor.userId, username: actor.username };
  try {
    const result = await withActor(db, actor, (trx) => adoptPlanWithin(trx, { targetYear: year, unitId, replace, by: actor.username, stamp, bases, responses, responder }));
    return { outcome: "adopted", message: msg("planAdopted", { year: input.year, projects: result.projects, lines: result.lines, total: result.total }) };
  } catch (error) {
    if (error instanceof AdoptionRefused) {
      return Object.keys(error.fields).length > 0 ? { outcome: "invalid", problem: error.problem, errors: error.fields } : { outcome: "refused", problem: error.problem };
    }
    throw error;
  }
}
