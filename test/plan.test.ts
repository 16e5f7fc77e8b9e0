import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";
import { withActor } from "../db/audit.ts";
import { loadPlan } from "../features/plan/queries/plan.ts";
import { saveOverride } from "../features/plan/queries/overrides.ts";
import { adoptPlanWithin as adoptPlan, AdoptionRefused } from "../features/plan/queries/adoption.ts";
import { findUnitByName } from "../db/units.ts";
import { forecastCommand } from "../cli/forecast.ts";
import { Writable } from "node:stream";
import Decimal from "decimal.js";
import type { DB } from "../db/pool.ts";
import { runImport } from "../features/import/queries/run.ts";
import { executionReport } from "../db/execution.ts";
import { planEquation } from "../features/plan/rules/zero-based-plan.ts";

/* The planner's plan (/plan/:year) on a real PostgreSQL: overrides, adoption in one audited transaction, refusals. */

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const planner = { userId: null, username: "maqiao.planner" };

describe("zero-based plan and adoption", () => {
  let db: DB;
  let url: string;
  let drop: () => Promise<void>;
  let maqiao: number;

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    ({ db, url, drop } = fresh);
    maqiao = (await findUnitByName(db, MAQIAO))!.id;
  }, 120_000);
  afterAll(async () => drop?.());

  it("proposes 马桥's categories for 2025, 互助帮困 as its five derived parts, each as unit price × quantity with its basis", async () => {
    const plan = await loadPlan(db, 2025, maqiao);
    expect(plan.lines.map((l) => l.item)).toEqual([
      "筹集2025年医疗互助帮困资金",
      "筹集2025年照护资金",
      "清算2024年医疗资金",
      "清算2024年照护资金",
      "分担2024年超支资金",
      "城乡居民基本医疗保险个人缴费补助资金",
      "城乡居民基本医疗保险农民个人缴费补助资金",
      "困难人员居保缴费补助",
      "区级政策医疗救助",
      "市级政策门急诊救助",
      "市级政策住院救助",
      "门急诊起付线补助",
    ]);
    for (const line of plan.lines) expect(line.basis).not.toBe("");
    // Every last-year column of the total foots to the ledger: the settlement rows L9–L11 are listed apart, not dropped.
    expect(plan.total).toMatchObject({ lastYearInitial: "1350000.00", lastYearAdjusted: "1471745.31", lastYearExecuted: "1471745.31" });
    const [project] = plan.units[0]!.projects;
    expect(project!.total).toMatchObject({ lastYearInitial: "1350000.00", lastYearAdjusted: "1471745.31", lastYearExecuted: "1471745.31" });
    // The 2024 line 社区医疗互助帮困资金 (1,200 × 455) is replaced by its real build-up; its last-year figures stay on the first part.
    expect(plan.lines[0]).toMatchObject({ method: "formula", quantity: "497.00", unitPrice: "652.50", amount: "324292.50", lastYear: { initial: "546000.00", executed: "795265.75" } });
    expect(plan.lines[0]!.derivation).toMatchObject({ quantity: { code: "MH-PARTICIPANTS", year: 2024, status: "forecast" }, share: { code: "MH-SHARE", level: "镇级", percent: "25" } });
    // 定额 lines without person-times take their quantity from 2024's execution, not from 2024's plan.
    expect(plan.lines[5]).toMatchObject({ quantity: "106.00", unitPrice: "310.00", amount: "32860.00", quantityCheck: { planned: "150.00", derived: "106.00" } });
    // Derived to 0 (no execution in 2024): said why, and adoption will ask for a written basis.
    expect(plan.lines[6]).toMatchObject({ quantity: "0.00", amount: "0.00", attention: [{ code: "zeroDerived" }] });
    expect(plan.lines[7]).toMatchObject({ quantity: "9.00", unitPrice: "480.00", amount: "4320.00" });
    expect(plan.notZeroBased).toMatchObject({ count: 0, of: 12 });
    expect(plan.existing).toEqual([]);
  });

  it("plans 华漕's 年中追加 lines (initial 0, with a basis) from their execution, and the district's 上年执行数 foots to the ledger", async () => {
    const huacao = (await findUnitByName(db, "上海市闵行区华漕镇社区事务受理中心"))!.id;
    const plan = await loadPlan(db, 2025, huacao);
    expect(plan.lines.map((l) => [l.item, l.method, l.lastYear.adjusted, l.attention.map((a) => a.code)])).toEqual([
      ["医疗救助（市级承担50%）", "executed", "554600.00", ["addedInYear"]],
      ["医疗救助（区级承担50%）", "executed", "554600.00", ["addedInYear"]],
    ]);
    expect(plan.total).toMatchObject({ amount: "959622.79", lastYearAdjusted: "1109200.00", lastYearExecuted: "959622.79" });
    // The district as a whole: 上年执行数 as the dashboard has it for 2024 (84,309,222.25), 华漕's 959,622.79 included.
    const district = (await findUnitByName(db, "闵行区"))!.id;
    expect((await loadPlan(db, 2025, district)).total.lastYearExecuted).toBe("84309222.25");
  });

  it("applies an override with its reason, audited under the planner's name", async () => {
    const before = await loadPlan(db, 2025, maqiao);
    const outpatient = before.lines.find((l) => l.item === "市级政策门急诊救助")!;
    await withActor(db, planner, (trx) =>
      saveOverride(trx, { targetYear: 2025, sourceLineId: outpatient.sourceLineId, quantity: "1500", unitPrice: "180.00", reason: "按2024年表1-3-1口径", by: "maqiao.planner" }),
    );
    const after = await loadPlan(db, 2025, maqiao);
    const line = after.lines.find((l) => l.item === "市级政策门急诊救助")!;
    expect(line).toMatchObject({ quantity: "1500.00", unitPrice: "180.00", amount: "270000.00" });
    expect(line.override).toMatchObject({ reason: "按2024年表1-3-1口径", forecastQuantity: outpatient.quantity });
    const audit = await db.selectFrom("audit_log").select(["username", "action", "project_id"]).where("table_name", "=", "plan_override").execute();
    expect(audit).toEqual([{ username: "maqiao.planner", action: "insert", project_id: await projectIdOf(db, MAQIAO, 2024) }]);
  });

  it("`budget forecast` applies the saved overrides by default, as the page does, and leaves them out with --no-overrides", async () => {
    const run = async (args: string[]) => {
      let text = "";
      const output = new Writable({
        write(chunk, _encoding, done) {
          text += String(chunk);
          done();
        },
      });
      expect(await forecastCommand(db, ["--year", "2025", "--unit", MAQIAO, "--json", ...args], output)).toBe(0);
      return JSON.parse(text) as { overrides: boolean; units: Array<{ projects: Array<{ lines: Array<{ item: string; amount: string; override: { reason: string } | null }> }> }> };
    };
    const outpatient = (report: Awaited<ReturnType<typeof run>>) => report.units[0]!.projects[0]!.lines.find((l) => l.item === "市级政策门急诊救助")!;
    const withOverrides = await run([]);
    expect(withOverrides.overrides).toBe(true);
    expect(outpatient(withOverrides)).toMatchObject({ amount: "270000.00", override: { reason: "按2024年表1-3-1口径" } });
    const pure = await run(["--no-overrides"]);
    expect(pure.overrides).toBe(false);
    expect(outpatient(pure).override).toBeNull();
    const forecast = (await loadPlan(db, 2025, maqiao)).lines.find((l) => l.item === "市级政策门急诊救助")!.override!;
    expect(outpatient(pure).amount).not.toBe("270000.00");
    expect(outpatient(pure).amount).toBe(new Decimal(forecast.forecastQuantity).times(forecast.forecastUnitPrice).toFixed(2));
  });

  it("refuses to adopt a plan that changed since it was shown (stale stamp) and writes nothing", async () => {
    const shown = await loadPlan(db, 2025, maqiao);
    const inpatient = shown.lines.find((l) => l.item === "市级政策住院救助")!;
    await withActor(db, planner, (trx) =>
      saveOverride(trx, { targetYear: 2025, sourceLineId: inpatient.sourceLineId, quantity: "130", unitPrice: "2600.00", reason: "按2024年计划", by: "maqiao.planner" }),
    );
    const attempt = withActor(db, planner, (trx) => adoptPlan(trx, { targetYear: 2025, unitId: maqiao, replace: false, by: "maqiao.planner", stamp: shown.stamp }));
    await expect(attempt).rejects.toBeInstanceOf(AdoptionRefused);
    await expect(attempt).rejects.toThrow(/计划在页面显示后已有变化.*未作任何修改/);
    const count = await db.selectFrom("project").select(db.fn.countAll<number>().as("n")).where("fiscal_year", "=", 2025).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    expect((await loadPlan(db, 2025, maqiao)).stamp).not.toBe(shown.stamp);
  });

  it("adopts the plan as 2025's initial budget in one transaction, then refuses a second adoption and changes nothing", async () => {
    const plan = await loadPlan(db, 2025, maqiao);
    // The farmers' premium line is derived to 0: without a written basis the adoption is refused, nothing written.
    const farmers = plan.lines.find((l) => l.item === "城乡居民基本医疗保险农民个人缴费补助资金")!;
    const unexplained = withActor(db, planner, (trx) => adoptPlan(trx, { targetYear: 2025, unitId: maqiao, replace: false, by: "maqiao.planner", stamp: plan.stamp }));
    await expect(unexplained).rejects.toThrow(/须逐条写明依据.*农民个人缴费补助资金.*未作任何修改/);
    const bases = new Map([[farmers.key, "2025年无农民参保对象（镇社保科名单），政策仍有效，按0列支"]]);
    const result = await withActor(db, planner, (trx) => adoptPlan(trx, { targetYear: 2025, unitId: maqiao, replace: false, by: "maqiao.planner", stamp: plan.stamp, bases }));
    expect(result).toEqual({ projects: 1, lines: 12, total: plan.total.amount });
    const projectId = await projectIdOf(db, MAQIAO, 2025);
    const lines = await db
      .selectFrom("budget_line as bl")
      .leftJoin("expenditure_standard as s", "s.id", "bl.standard_id")
      .select(["bl.item", "bl.initial_amount", "bl.unit_price", "bl.quantity", "bl.basis", "s.code"])
      .where("bl.project_id", "=", projectId)
      .orderBy("bl.line_no")
      .execute();
    expect(lines).toHaveLength(12);
    expect(lines[9]).toEqual({ item: "市级政策门急诊救助", initial_amount: "270000.00", unit_price: "180.00", quantity: "1500.00", basis: "沪医保规〔2022〕12号", code: "MA-OP-RATE-DB" });
    expect(lines[5]).toMatchObject({ initial_amount: "32860.00", quantity: "106.00", code: "PREM-SUBSIDY" });
    expect(lines[0]).toMatchObject({ item: "筹集2025年医疗互助帮困资金", initial_amount: "324292.50", unit_price: "652.50", quantity: "497.00", code: "MH-MEDICAL" });
    expect(lines[6]!.basis).toBe("沪医保规〔2022〕7号；编制说明：2025年无农民参保对象（镇社保科名单），政策仍有效，按0列支");
    const audited = await db.selectFrom("audit_log").select(["username", "table_name"]).where("project_id", "=", projectId).execute();
    expect(audited.filter((a) => a.table_name === "budget_line")).toHaveLength(12);
    expect(new Set(audited.map((a) => a.username))).toEqual(new Set(["maqiao.planner"]));

    // The year after, each formula replaces the line it derived for 2025: no part is planned twice.
    const next = await loadPlan(db, 2026, maqiao);
    expect(next.lines.filter((l) => l.method === "formula").map((l) => [l.item, l.lastYear.initial])).toEqual([
      ["筹集2026年医疗互助帮困资金", "324292.50"],
      ["筹集2026年照护资金", "62125.00"],
      ["清算2025年医疗资金", "0.00"],
      ["清算2025年照护资金", "0.00"],
      ["分担2025年超支资金", "380080.75"],
    ]);
    expect(next.lines).toHaveLength(12);

    const again = withActor(db, planner, (trx) => adoptPlan(trx, { targetYear: 2025, unitId: maqiao, replace: false, by: "maqiao.planner", stamp: plan.stamp, bases }));
    await expect(again).rejects.toBeInstanceOf(AdoptionRefused);
    await expect(again).rejects.toThrow(/2025 年预算已存在.*医疗救助.*未作任何修改/);
    const count = await db.selectFrom("project").select(db.fn.countAll<number>().as("n")).where("fiscal_year", "=", 2025).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("replaces an adopted budget only while nothing hangs on it (payments, adjustments, declarations …), naming what does", async () => {
    const oldId = await projectIdOf(db, MAQIAO, 2025);
    const adopt = async () => {
      const { stamp, lines } = await loadPlan(db, 2025, maqiao);
      const bases = new Map(lines.filter((l) => l.attention.length > 0).map((l) => [l.key, "按0列支：2025年无参保对象"]));
      return withActor(db, planner, (trx) => adoptPlan(trx, { targetYear: 2025, unitId: maqiao, replace: true, by: "maqiao.planner", stamp, bases }));
    };
    await adopt();
    const newId = await projectIdOf(db, MAQIAO, 2025);
    expect(newId).not.toBe(oldId);
    await db.insertInto("performance_declaration").values({ project_id: newId, overall_goal: null, annual_goal: null, goal_from_year: null, goal_to_year: null, plan_start: null, plan_end: null }).execute();
    await expect(adopt()).rejects.toThrow(/2025 年预算已在使用，不能替换：.*「医疗救助」（绩效目标申报表 1 份）。未作任何修改/);
    await db.insertInto("payment").values({ project_id: newId, paid_on: "2025-01-10", kind: "batch", person_times: 3, amount: "900.00" }).execute();
    await expect(adopt()).rejects.toThrow(/（支付 1 笔、绩效目标申报表 1 份）/);
    expect(await projectIdOf(db, MAQIAO, 2025)).toBe(newId);
  });

  describe("over HTTP", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(url);
    }, 120_000);
    afterAll(async () => server?.stop());

    it("refuses another unit's plan (404) and overriding another unit's line (403), and asks for a reason (400)", async () => {
      const cookie = await signIn(server.baseUrl, "maqiao.planner");
      const baoshan = (await findUnitByName(db, "上海市宝山区医疗保障局"))!.id;
      const read = await fetch(`${server.baseUrl}/plan/2024?unit=${baoshan}`, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(read.status).toBe(404);
      const baoshanLine = await db
        .selectFrom("budget_line as bl")
        .innerJoin("project as p", "p.id", "bl.project_id")
        .select("bl.id")
        .where("p.unit_id", "=", baoshan)
        .executeTakeFirstOrThrow();
      const post = (fields: Record<string, string>) =>
        fetch(`${server.baseUrl}/plan/2024`, {
          method: "POST",
          headers: { Cookie: cookie, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(fields),
          redirect: "manual",
        });
      expect((await post({ intent: "override", lineId: String(baoshanLine.id), quantity: "1", unitPrice: "1", reason: "x" })).status).toBe(403);
      const maqiaoLine = await db.selectFrom("budget_line").select("id").where("project_id", "=", await projectIdOf(db, MAQIAO, 2023)).executeTakeFirstOrThrow();
      expect((await post({ intent: "override", lineId: String(maqiaoLine.id), quantity: "1", unitPrice: "1", reason: "" })).status).toBe(400);
      // Crafted input is refused, never a server error: an id beyond integer range, a huge amount, an unknown unit.
      expect((await post({ intent: "override", lineId: "99999999999", quantity: "1", unitPrice: "1", reason: "x" })).status).toBe(404);
      expect((await post({ intent: "override", lineId: "1e3", quantity: "1", unitPrice: "1", reason: "x" })).status).toBe(404);
      expect(
        (await post({ intent: "override", lineId: String(maqiaoLine.id), quantity: "99999999999999", unitPrice: "99999999999", reason: "x" })).status,
      ).toBe(400);
      const unknownUnit = await fetch(`${server.baseUrl}/plan/2024?unit=99999999999`, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(unknownUnit.status).toBe(404);
      // An adoption with a stamp that is not the plan's: 409, nothing written.
      const stale = await post({ intent: "adopt", stamp: "stale" });
      expect(stale.status).toBe(409);
      const overrides = await db.selectFrom("plan_override").select("id").where("fiscal_year", "=", 2024).execute();
      expect(overrides).toEqual([]);
    });

    it("lets only the owning unit (or one above it) add a standard version on /standards; refuses backdating", async () => {
      const year = Number(new Date().toISOString().slice(0, 4)) + 1;
      const fields = {
        code: "PREM-SUBSIDY",
        name: "城乡居民基本医疗保险个人缴费补助",
        category: "资助参保",
        value: "330",
        unit: "元/人",
        form: "定额",
        effectiveFrom: `${year}-01-01`,
        document: "沪医保规〔2025〕1号",
      };
      const post = async (username: "maqiao.planner" | "minhang.viewer" | "admin", body: Record<string, string> = fields) =>
        fetch(`${server.baseUrl}/standards`, {
          method: "POST",
          headers: { Cookie: await signIn(server.baseUrl, username), Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(body),
          redirect: "manual",
        });
      expect((await post("minhang.viewer")).status).toBe(403);
      // A town's planner may not change a city-wide standard — not even the reviewer's backdated cut of the outpatient cap.
      expect((await post("maqiao.planner")).status).toBe(403);
      const backdated = { ...fields, code: "ma-op-cap", name: "门急诊医疗救助年度救助限额", category: "市级门急诊救助", unit: "元/人/年", form: "限额", value: "2900", effectiveFrom: "2024-06-01" };
      expect((await post("maqiao.planner", backdated)).status).toBe(403);
      const refused = await post("admin", backdated);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain("不能早于本预算年度的开始");
      expect((await post("admin")).status).toBe(200);
      const versions = await db.selectFrom("expenditure_standard").select(["revision", "value", "effective_to"]).where("code", "=", "PREM-SUBSIDY").orderBy("revision").execute();
      expect(versions).toEqual([
        { revision: 1, value: "310.0000", effective_to: `${year - 1}-12-31` },
        { revision: 2, value: "330.0000", effective_to: null },
      ]);
      const cap = await db.selectFrom("expenditure_standard").select(["revision", "effective_to"]).where("code", "=", "MA-OP-CAP").orderBy("revision").execute();
      expect(cap).toEqual([
        { revision: 1, effective_to: "2022-12-31" },
        { revision: 2, effective_to: null },
      ]);
      // A new code of the planner's own unit is theirs to maintain.
      const own = { ...fields, code: "MQ-TEST", name: "马桥镇测试标准", value: "100" };
      expect((await post("maqiao.planner", own)).status).toBe(200);
      const [mine] = await db.selectFrom("expenditure_standard").select("owner_unit_id").where("code", "=", "MQ-TEST").execute();
      expect(mine!.owner_unit_id).toBe(maqiao);
    });
  });
});

describe("上年执行数 of the plan", () => {
  let db: DB;
  let drop: () => Promise<void>;
  afterAll(async () => drop?.());

  it("foots to the ledger to the cent after an ordinary mixed batch (shares by largest remainder)", async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
    const maqiao = (await findUnitByName(db, MAQIAO))!.id;
    const headers = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "备注"];
    const report = await runImport(db, {
      kind: "payments",
      source: {
        headers,
        rows: (async function* () {
          yield { rowNumber: 2, cells: ["2024", MAQIAO, "医疗救助", "", "2024-11-20", "社会化发放", "7", "5000.00", "十一月第二批"] };
        })(),
      },
      fileHash: "5".repeat(64),
      fileName: "batch.csv",
      importer: { userId: null, username: "maqiao.planner", unitSubtree: null, defaultParentUnitId: null },
      commit: true,
    });
    expect(report.errors).toEqual([]);
    const ledger = (await executionReport(db, { year: 2024, asOf: "2024-12-31" })).rows.filter((row) => row.unitId === maqiao);
    const executed = ledger.reduce((sum, row) => sum.plus(row.executed), new Decimal(0)).toFixed(2);
    expect(executed).toBe("1476745.31");
    const plan = await loadPlan(db, 2025, maqiao);
    expect(plan.total.lastYearExecuted).toBe(executed);
    // Each line's share is whole cents, and the shares add up to what was paid.
    const lines = plan.lines.reduce((sum, line) => sum.plus(line.lastYear.executed), new Decimal(0));
    expect(lines.plus(plan.units[0]!.projects[0]!.settlement?.executed ?? 0).toFixed(2)).toBe(executed);
  });
});

describe("the plan's method text", () => {
  it("shows for every demo plan line an equation that multiplies out to the line's amount", async () => {
    const { db, drop } = await freshDatabase(inject("serverUrl"), { seed: true });
    try {
      const root = await db.selectFrom("org_unit").select("id").where("parent_id", "is", null).execute();
      let checked = 0;
      for (const { id } of root) {
        for (const year of [2024, 2025]) {
          const plan = await loadPlan(db, year, id);
          for (const line of plan.lines) {
            const equation = planEquation(line);
            expect(equation.amount, `${year} ${line.unitName} ${line.item}`).toBe(line.amount);
            expect(new Decimal(equation.quantity).times(equation.unitPrice).toFixed(2)).toBe(line.amount);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(20);
    } finally {
      await drop();
    }
  });
});
