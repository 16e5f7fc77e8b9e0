import { sql, type Transaction } from "kysely";
import type { Database, FundLevel, FundType } from "../../../db/schema.ts";
import { insertBudgetLines, insertProject } from "../../../db/ledger-write.ts";
import { msg, render, type Message } from "../../../messages/index.ts";
import { NEEDS_BASIS } from "../rules/derived-lines.ts";
import { adoptedBasis, inUse } from "../rules/adoption.ts";
import { loadPlan } from "./plan.ts";
import type { AuditActor } from "../../../db/audit.ts";
import { responseErrors, responseField } from "../../rectification/rules/index.ts";
import { openItemsOfProjects, saveResponses } from "../../rectification/queries/plan.ts";

/** Why an adoption was refused: the message says it in the user's language; `fields`: errors of the form's fields (response:ID → message). */
export class AdoptionRefused extends Error {
  constructor(
    readonly problem: Message,
    readonly fields: Readonly<Record<string, Message>> = {},
  ) {
    super(render("zh", problem));
  }
}

/**
 * Adopts the plan as the target year's initial budget (年初预算), in the caller's transaction: one project
 * per base project with the proposed lines (unit price × quantity, basis, months, standard version, fund
 * level and type of the source line). Refuses (AdoptionRefused) when the recomputed plan differs from the
 * one the page showed (`stamp`), and when a project of that year exists already — unless `replace` is set
 * and nothing hangs on those projects yet (payments, adjustments, indicators, declarations, tracking forms,
 * next year's overrides): then they are deleted and written anew (all audited). A base-year project with
 * open rectification items (整改台账) needs a response to each (`responses`, by item id), refused naming the
 * items that lack one; the responses are kept per item and planned year, under `responder` (else `by`).
 */
export async function adoptPlanWithin(
  trx: Transaction<Database>,
  options: {
    targetYear: number;
    unitId: number;
    replace: boolean;
    by: string;
    stamp: string;
    bases?: ReadonlyMap<string, string>;
    responses?: ReadonlyMap<number, string>;
    responder?: AuditActor;
  },
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
  // Open rectification items of the plan's projects: each needs a response, kept with the adoption.
  const openItems = await openItemsOfProjects(trx, plan.units.flatMap((u) => u.projects.map((p) => p.projectId)));
  const unanswered = responseErrors(openItems, options.responses ?? new Map());
  if (Object.keys(unanswered).length > 0) {
    const items = openItems.filter((item) => responseField(item.itemId) in unanswered).map((item) => msg("rcItemName", { project: item.projectName, indicator: item.indicator }));
    throw new AdoptionRefused(msg("rcAdoptNeedsResponses", { items }), unanswered);
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
  const answered = [...new Map(openItems.map((item) => [item.itemId, { itemId: item.itemId, response: options.responses!.get(item.itemId)!.trim() }])).values()];
  await saveResponses(trx, options.targetYear, answered, options.responder ?? { userId: null, username: options.by });
  return { projects: plan.units.reduce((n, u) => n + u.projects.length, 0), lines, total: plan.total.amount };
}
