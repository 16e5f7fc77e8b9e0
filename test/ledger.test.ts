import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "kysely";
import { freshDatabase } from "./support/database.ts";
import type { DB } from "../db/pool.ts";

/** The schema's own guards: money checks, foreign keys, and the rollup trigger's consistency. */
describe("ledger schema", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let projectId: number;
  let otherProjectId: number;
  let lineId: number;
  let otherLineId: number;

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl")));
    const { id: unitId } = await db.insertInto("org_unit").values({ name: "测试单位", level: "unit", parent_id: null }).returning("id").executeTakeFirstOrThrow();
    const project = (name: string) =>
      db.insertInto("project").values({ fiscal_year: 2024, name, unit_id: unitId, supervising_department: null, implementing_unit: null, category: null, code: null, note: null }).returning("id").executeTakeFirstOrThrow();
    projectId = (await project("医疗救助")).id;
    otherProjectId = (await project("其他项目")).id;
    const line = (project: number, item: string) =>
      db
        .insertInto("budget_line")
        .values({ project_id: project, line_no: 1, item, fund_level: "镇级", fund_type: "当年财政拨款", initial_amount: "1000.00", unit_price: null, quantity: null, basis: null, scheduled_months: [1, 2, 3], functional_code: "2101301", functional_name: "城乡医疗救助", economic_code: "30307", economic_name: "医疗费补助" })
        .returning("id")
        .executeTakeFirstOrThrow();
    lineId = (await line(projectId, "市级政策门急诊救助")).id;
    otherLineId = (await line(otherProjectId, "别的明细")).id;
  });

  afterAll(async () => drop());

  const payment = (overrides: Record<string, unknown> = {}) => ({
    project_id: projectId,
    budget_line_id: null,
    paid_on: "2024-03-10",
    kind: "batch" as const,
    person_times: 10,
    amount: "100.00",
    due_on: null,
    returned_count: 0,
    returned_amount: "0.00",
    reissued_on: null,
    note: null,
    ...overrides,
  });

  it.each([
    ["a negative amount", { amount: "-1.00" }],
    ["a zero amount", { amount: "0.00" }],
    ["NaN", { amount: "NaN" }],
    ["more returned than paid", { returned_amount: "100.01", returned_count: 1 }],
    ["a re-issue before the payment", { returned_amount: "10.00", returned_count: 1, reissued_on: "2024-03-09" }],
    ["a re-issue of nothing returned", { reissued_on: "2024-03-20" }],
    ["a due date on a batch", { due_on: "2024-03-01" }],
    ["an unknown kind", { kind: "cash" }],
  ])("refuses a payment with %s", async (_label, overrides) => {
    await expect(db.insertInto("payment").values(payment(overrides) as never).execute()).rejects.toThrow();
  });

  it("refuses a payment on a line of another project", async () => {
    await expect(db.insertInto("payment").values(payment({ budget_line_id: otherLineId })).execute()).rejects.toThrow(/foreign key/);
  });

  it("refuses a zero adjustment and a negative initial budget", async () => {
    await expect(
      db.insertInto("budget_adjustment").values({ budget_line_id: lineId, adjusted_on: "2024-07-01", amount: "0.00", fund_level: "市级", reason: "x", document_number: null }).execute(),
    ).rejects.toThrow();
    await expect(db.updateTable("budget_line").set({ initial_amount: "-5.00" }).where("id", "=", lineId).execute()).rejects.toThrow();
  });

  it("refuses an unknown fund level and a malformed classification code", async () => {
    await expect(db.updateTable("budget_line").set({ fund_level: "省级" as never }).where("id", "=", lineId).execute()).rejects.toThrow();
    await expect(db.updateTable("budget_line").set({ functional_code: "21013A" }).where("id", "=", lineId).execute()).rejects.toThrow();
  });

  it("stores amounts exactly and returns them as strings, dates as ISO strings", async () => {
    const [row] = await db.insertInto("payment").values(payment({ amount: "0.10" })).returning(["amount", "paid_on"]).execute();
    expect(row).toEqual({ amount: "0.10", paid_on: "2024-03-10" });
  });

  it("keeps the monthly rollup equal to the payments through inserts, updates and deletes", async () => {
    const recomputed = async () =>
      (
        await sql<{ project_id: number; month: string; executed: string }>`
          SELECT project_id, month::text, sum(executed)::numeric(18,2)::text AS executed FROM (
            SELECT project_id, date_trunc('month', paid_on)::date AS month, amount - returned_amount AS executed FROM payment
            UNION ALL
            SELECT project_id, date_trunc('month', reissued_on)::date, returned_amount FROM payment WHERE reissued_on IS NOT NULL
          ) c GROUP BY project_id, month HAVING sum(executed) <> 0 ORDER BY project_id, month`.execute(db)
      ).rows;
    const rollup = async () =>
      (
        await sql<{ project_id: number; month: string; executed: string }>`
          SELECT project_id, month::text, executed::text FROM execution_monthly WHERE executed <> 0 ORDER BY project_id, month`.execute(db)
      ).rows;

    await db
      .insertInto("payment")
      .values([
        payment({ paid_on: "2024-04-30", amount: "250.00", returned_count: 1, returned_amount: "50.00", reissued_on: "2024-05-02" }),
        payment({ paid_on: "2024-05-15", amount: "99.99" }),
        payment({ project_id: otherProjectId, paid_on: "2024-05-15", amount: "1.01", kind: "transfer", due_on: "2024-05-10", person_times: null }),
      ])
      .execute();
    expect(await rollup()).toEqual(await recomputed());

    await db.updateTable("payment").set({ reissued_on: "2024-06-01" }).where("reissued_on", "=", "2024-05-02").execute();
    await db.updateTable("payment").set({ paid_on: "2024-07-01" }).where("amount", "=", "99.99").execute();
    expect(await rollup()).toEqual(await recomputed());

    await db.deleteFrom("payment").where("amount", "=", "250.00").execute();
    expect(await rollup()).toEqual(await recomputed());
    expect((await rollup()).length).toBeGreaterThan(0);
  });

  it("lets a project with payments be deleted, taking its rollup with it", async () => {
    const { id: unitId } = await db.selectFrom("org_unit").select("id").executeTakeFirstOrThrow();
    const { id } = await db.insertInto("project").values({ fiscal_year: 2024, name: "待删除项目", unit_id: unitId, supervising_department: null, implementing_unit: null, category: null, code: null, note: null }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("payment").values(payment({ project_id: id, amount: "5.00" })).execute();
    expect(await db.selectFrom("execution_monthly").select("executed").where("project_id", "=", id).execute()).toEqual([{ executed: "5.00" }]);
    await db.deleteFrom("project").where("id", "=", id).execute();
    expect(await db.selectFrom("execution_monthly").select("executed").where("project_id", "=", id).execute()).toEqual([]);
  });

  it("rolls the rollup back with the transaction that failed", async () => {
    const before = await db.selectFrom("execution_monthly").selectAll().orderBy("project_id").orderBy("month").execute();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("payment").values(payment({ paid_on: "2024-09-09", amount: "777.00" })).execute();
        await trx.insertInto("payment").values(payment({ amount: "-1.00" })).execute();
      }),
    ).rejects.toThrow();
    expect(await db.selectFrom("execution_monthly").selectAll().orderBy("project_id").orderBy("month").execute()).toEqual(before);
  });
});
