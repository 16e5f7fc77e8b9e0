import type { Transaction } from "kysely";
import type { DB } from "../../../db/pool.ts";
import type { Database } from "../../../db/schema.ts";
import { pickDeclarations, type DeclaredIndicator } from "../rules/targets.ts";

/**
 * The declared indicators (绩效目标) the plan of a target year is held to, per plan project: those of the
 * target year's project of the same unit and name when one was filed (a declaration for next year), else
 * the plan's base-year project's own (rules/targets.ts pickDeclarations). One query over both
 * candidates; every indicator of the chosen declaration, in declared order (targetAgreement keeps the
 * quantity targets). declaredQuantities(db, { targetYear: 2025, projects: plan.units.flatMap(…) })
 */
export async function declaredQuantities(
  db: DB | Transaction<Database>,
  input: { targetYear: number; projects: ReadonlyArray<{ projectId: number; unitId: number; projectName: string }> },
): Promise<DeclaredIndicator[]> {
  const { targetYear, projects } = input;
  if (projects.length === 0) return [];
  const projectIds = [...new Set(projects.map((p) => p.projectId))];
  const unitIds = [...new Set(projects.map((p) => p.unitId))];
  const names = [...new Set(projects.map((p) => p.projectName))];
  const rows = await db
    .selectFrom("performance_indicator as i")
    .innerJoin("project as p", "p.id", "i.project_id")
    .select([
      "p.id as projectId",
      "p.fiscal_year as fiscalYear",
      "p.unit_id as unitId",
      "p.name as projectName",
      "i.sort_order as sortOrder",
      "i.level1",
      "i.level2",
      "i.name",
      "i.target",
    ])
    .where((eb) =>
      eb.or([
        eb("p.id", "in", projectIds),
        eb.and([eb("p.fiscal_year", "=", targetYear), eb("p.unit_id", "in", unitIds), eb("p.name", "in", names)]),
      ]),
    )
    .orderBy("p.id")
    .orderBy("i.sort_order")
    .orderBy("i.id")
    .execute();
  return pickDeclarations(targetYear, projects, rows);
}
