import { sql, type Transaction } from "kysely";
import type { DB } from "./pool.ts";
import type { Database } from "./schema.ts";
import { getProjectHeader, type IndicatorRecord, type ProjectHeader } from "./projects.ts";
import { withActor, type AuditActor } from "./audit.ts";
import type { DeclarationGoals, DeclarationValues, IndicatorValues } from "../domain/declaration.ts";

/** The fund block of the declaration form (项目资金, 元), from the project's initial budget lines. */
export interface DeclarationFunds {
  /** 项目资金总额 = 年度资金申请总额 (a project here spans one fiscal year). */
  total: string;
  /** 财政资金 = 当年财政拨款 + 上年结转资金. */
  fiscal: string;
  currentYear: string;
  carriedOver: string;
  other: string;
}

/** A stored indicator row with its version. */
export interface DeclaredIndicator extends IndicatorRecord {
  version: number;
}

/** Everything the declaration form shows. */
export interface Declaration {
  project: ProjectHeader;
  funds: DeclarationFunds;
  goals: DeclarationGoals;
  indicators: DeclaredIndicator[];
  /** The versions of the goals and of every indicator: a save is refused when it changed meanwhile. */
  stamp: string;
}

/** Loads a project's declaration (empty goals when none was saved yet), or undefined for no such project. */
export async function getDeclaration(db: DB | Transaction<Database>, projectId: number): Promise<Declaration | undefined> {
  const project = await getProjectHeader(db, projectId);
  if (!project) return undefined;
  const [funds, goals, indicators] = await Promise.all([
    db
      .selectFrom("budget_line")
      .select([
        sql<string>`coalesce(sum(initial_amount), 0)::text`.as("total"),
        sql<string>`coalesce(sum(initial_amount) FILTER (WHERE fund_type IN ('当年财政拨款', '上年结转')), 0)::text`.as("fiscal"),
        sql<string>`coalesce(sum(initial_amount) FILTER (WHERE fund_type = '当年财政拨款'), 0)::text`.as("currentYear"),
        sql<string>`coalesce(sum(initial_amount) FILTER (WHERE fund_type = '上年结转'), 0)::text`.as("carriedOver"),
        sql<string>`coalesce(sum(initial_amount) FILTER (WHERE fund_type = '其他资金'), 0)::text`.as("other"),
      ])
      .where("project_id", "=", projectId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("performance_declaration")
      .select([
        "overall_goal as overallGoal",
        "annual_goal as annualGoal",
        "goal_from_year as goalFromYear",
        "goal_to_year as goalToYear",
        "plan_start as planStart",
        "plan_end as planEnd",
        "version",
      ])
      .where("project_id", "=", projectId)
      .executeTakeFirst(),
    db
      .selectFrom("performance_indicator")
      .select(["id", "level1", "level2", "name", "target", "weight", "version"])
      .where("project_id", "=", projectId)
      .orderBy("sort_order")
      .execute(),
  ]);
  const stamp = [String(goals?.version ?? 0), ...indicators.map((row) => `${row.id}.${row.version}`)].join(":");
  return {
    project,
    funds,
    goals: {
      overallGoal: goals?.overallGoal ?? null,
      annualGoal: goals?.annualGoal ?? null,
      goalFromYear: goals?.goalFromYear ?? null,
      goalToYear: goals?.goalToYear ?? null,
      planStart: goals?.planStart ?? null,
      planEnd: goals?.planEnd ?? null,
    },
    indicators,
    stamp,
  };
}

/** Why a save did not happen. */
export type SaveRefusal = { kind: "conflict" } | { kind: "in-use"; names: string[] };

/**
 * Stores a validated declaration in the transaction: goals upserted, indicator rows updated,
 * added (after the last) or deleted, each statement audited by the triggers. Refuses with "conflict"
 * when the stored declaration no longer matches the stamp the form was loaded with, and with "in-use"
 * when a deleted indicator is referenced elsewhere (e.g. by a tracking form).
 */
async function saveDeclaration(
  trx: Transaction<Database>,
  projectId: number,
  stamp: string,
  values: DeclarationValues,
): Promise<"saved" | SaveRefusal> {
  // The project's row lock serialises concurrent saves of the same declaration.
  await trx.selectFrom("project").select("id").where("id", "=", projectId).forUpdate().executeTakeFirstOrThrow();
  const current = await getDeclaration(trx, projectId);
  if (!current || current.stamp !== stamp) return { kind: "conflict" };
  const stored = new Map(current.indicators.map((row) => [row.id, row]));
  if (values.indicators.some((row) => row.id !== null && !stored.has(row.id))) return { kind: "conflict" };

  const goals = {
    overall_goal: values.overallGoal,
    annual_goal: values.annualGoal,
    goal_from_year: values.goalFromYear,
    goal_to_year: values.goalToYear,
    plan_start: values.planStart,
    plan_end: values.planEnd,
  };
  const goalsChanged =
    current.goals.overallGoal !== values.overallGoal ||
    current.goals.annualGoal !== values.annualGoal ||
    current.goals.goalFromYear !== values.goalFromYear ||
    current.goals.goalToYear !== values.goalToYear ||
    current.goals.planStart !== values.planStart ||
    current.goals.planEnd !== values.planEnd;
  if (goalsChanged) {
    await trx
      .insertInto("performance_declaration")
      .values({ project_id: projectId, ...goals })
      .onConflict((oc) => oc.column("project_id").doUpdateSet(goals))
      .execute();
  }

  const kept = new Set(values.indicators.flatMap((row) => (row.id === null ? [] : [row.id])));
  const removed = current.indicators.filter((row) => !kept.has(row.id));
  if (removed.length > 0) {
    const refusal = await deleteIndicators(trx, removed);
    if (refusal) return refusal;
  }
  for (const row of values.indicators) {
    const before = row.id === null ? undefined : stored.get(row.id);
    if (before && !sameIndicator(before, row)) {
      await trx
        .updateTable("performance_indicator")
        .set({ level1: row.level1, level2: row.level2, name: row.name, target: row.target, weight: row.weight })
        .where("id", "=", before.id)
        .execute();
    }
  }
  const added = values.indicators.filter((row) => row.id === null);
  if (added.length > 0) {
    const { last } = await trx
      .selectFrom("performance_indicator")
      .select(sql<number>`coalesce(max(sort_order), 0)`.as("last"))
      .where("project_id", "=", projectId)
      .executeTakeFirstOrThrow();
    await insertIndicators(trx, projectId, added, Number(last));
  }
  return "saved";
}

/** Inserts indicator rows after the given sort position, in one statement. */
export async function insertIndicators(
  trx: Transaction<Database>,
  projectId: number,
  rows: readonly Omit<IndicatorValues, "id">[],
  after = 0,
): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto("performance_indicator")
    .values(
      rows.map((row, index) => ({
        project_id: projectId,
        sort_order: after + index + 1,
        level1: row.level1,
        level2: row.level2,
        name: row.name,
        target: row.target,
        weight: row.weight,
      })),
    )
    .execute();
}

/** Stores the goals of a declaration that has none yet (demo data). */
export async function insertDeclarationGoals(trx: Transaction<Database>, projectId: number, goals: DeclarationGoals): Promise<void> {
  await trx
    .insertInto("performance_declaration")
    .values({
      project_id: projectId,
      overall_goal: goals.overallGoal,
      annual_goal: goals.annualGoal,
      goal_from_year: goals.goalFromYear,
      goal_to_year: goals.goalToYear,
      plan_start: goals.planStart,
      plan_end: goals.planEnd,
    })
    .execute();
}

function sameIndicator(stored: DeclaredIndicator, submitted: IndicatorValues): boolean {
  return (
    stored.level1 === submitted.level1 &&
    stored.level2 === submitted.level2 &&
    stored.name === submitted.name &&
    stored.target === submitted.target &&
    stored.weight === submitted.weight
  );
}

/** Deletes indicator rows, each under a savepoint, so that rows still referenced elsewhere are named, not fatal. */
async function deleteIndicators(trx: Transaction<Database>, rows: readonly DeclaredIndicator[]): Promise<SaveRefusal | null> {
  const inUse: string[] = [];
  for (const row of rows) {
    await sql`SAVEPOINT delete_indicator`.execute(trx);
    try {
      await trx.deleteFrom("performance_indicator").where("id", "=", row.id).execute();
      await sql`RELEASE SAVEPOINT delete_indicator`.execute(trx);
    } catch (error) {
      if ((error as { code?: string }).code !== "23503") throw error;
      await sql`ROLLBACK TO SAVEPOINT delete_indicator`.execute(trx);
      inUse.push(row.name);
    }
  }
  return inUse.length > 0 ? { kind: "in-use", names: inUse } : null;
}

class Refused extends Error {
  constructor(readonly refusal: SaveRefusal) {
    super(refusal.kind);
  }
}

/**
 * Saves a declaration as the actor in one transaction (audited); all or nothing: a refusal rolls
 * every change of the save back.
 */
export async function saveDeclarationAs(
  db: DB,
  actor: AuditActor,
  projectId: number,
  stamp: string,
  values: DeclarationValues,
): Promise<"saved" | SaveRefusal> {
  try {
    return await withActor(db, actor, async (trx) => {
      const outcome = await saveDeclaration(trx, projectId, stamp, values);
      if (outcome !== "saved") throw new Refused(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    throw error;
  }
}
