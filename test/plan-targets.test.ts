import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase } from "./support/database.ts";
import { loadPlan } from "../db/plan.ts";
import { findUnitByName } from "../db/units.ts";
import type { DB } from "../db/connection.ts";

describe("explore", () => {
  let db: DB;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    ({ db, drop } = fresh);
  }, 120_000);
  afterAll(async () => drop?.());
  it("prints", async () => {
    for (const name of ["上海市闵行区马桥镇社区事务受理服务中心", "上海市闵行区华漕镇社区事务受理中心", "上海市闵行区医疗保障局"]) {
      const unit = (await findUnitByName(db, name))!;
      const plan = await loadPlan(db, 2025, unit.id);
      for (const l of plan.lines)
        console.log(name, l.projectId, l.projectName, "|", l.composition, "|", l.item, l.method, l.quantity, l.unitPrice, l.standard?.code, l.standard?.unit, l.derivation?.kind, l.derivation?.quantity.name, l.derivation?.quantity.measure, l.derivation?.quantity.year, l.forecast?.quantity);
    }
    const rows = await db.selectFrom("performance_indicator as i").innerJoin("project as p", "p.id", "i.project_id").select(["p.id", "p.fiscal_year", "p.name", "i.level2", "i.name as ind", "i.target"]).execute();
    for (const r of rows) console.log(JSON.stringify(r));
    expect(1).toBe(1);
  });
});
