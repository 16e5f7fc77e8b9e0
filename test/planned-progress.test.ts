import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type DB } from "../db/pool.ts";
import { executionReport, projectAmountsAsOf } from "../db/execution.ts";
import { getProjectSummaryLedger } from "../db/projects.ts";
import { previousYearProfile } from "../db/planned-progress.ts";
import { summaryExecution } from "../domain/project-execution.ts";
import { previousYearRate } from "../domain/planned-progress.ts";
import { freshDatabase, projectIdOf } from "./support/database.ts";

const HUACAO_UNIT = "上海市闵行区华漕镇社区事务受理中心";
const MAQIAO_UNIT = "上海市闵行区马桥镇社区事务受理服务中心";

/** The dashboard's planned progress (计划进度) and same period last year (上年同期执行率) on the demo data. */
describe("planned progress and the same period last year on the demo data", () => {
  let db: DB;
  beforeAll(() => {
    db = createDb(inject("demoDatabaseUrl"));
  });
  afterAll(async () => db.destroy());

  const row = async (year: number, asOf: string, unit: string, project = "医疗救助") => {
    const found = (await executionReport(db, { year, asOf })).rows.find((r) => r.unitName === unit && r.projectName === project);
    if (!found) throw new Error(`no row for ${unit} ${project}`);
    return found;
  };

  it("马桥 2024 on 30 June is behind time but not behind plan: its 2023 paid nothing before December", async () => {
    const maqiao = await row(2024, "2024-06-30", MAQIAO_UNIT);
    expect([maqiao.executionRate, maqiao.timeProgress, maqiao.gap]).toEqual(["24.33", "49.73", "-25.40"]); // DOMAIN.md
    expect(maqiao.planBasis).toBe("profile");
    expect([maqiao.plannedProgress, maqiao.planGap, maqiao.behindPlan]).toEqual(["0.00", "24.33", false]);
    // The threshold rule is a separate flag, and still says what it said.
    expect(maqiao.flagged).toBe(true);
    // On 31 July after the 互助帮困 transfer: 76.89 %, still ahead of a plan that waits for December.
    const july = await row(2024, "2024-07-31", MAQIAO_UNIT);
    expect([july.executionRate, july.plannedProgress, july.behindPlan]).toEqual(["76.89", "0.00", false]);
    // At the year's end the plan is the whole budget.
    const december = await row(2024, "2024-12-31", MAQIAO_UNIT);
    expect([december.plannedProgress, december.planned, december.behindPlan]).toEqual(["100.00", "1471745.31", false]);
  });

  it("a project without history or scheduled months follows even progress: the planned progress is the time progress", async () => {
    // Before its budget came on 30 June nothing was budgeted: no planned progress, as no execution rate.
    const march = await row(2024, "2024-03-31", HUACAO_UNIT);
    expect([march.executionRate, march.plannedProgress, march.planGap, march.behindPlan]).toEqual([null, null, null, false]);
    for (const asOf of ["2024-06-30", "2024-08-31", "2024-10-15", "2024-12-31"]) {
      const huacao = await row(2024, asOf, HUACAO_UNIT);
      expect(huacao.planBasis, asOf).toBe("even");
      expect(huacao.plannedProgress, asOf).toBe(huacao.timeProgress);
      expect(huacao.previousYearRate, asOf).toBeNull();
    }
    const august = await row(2024, "2024-08-31", HUACAO_UNIT);
    expect([august.executionRate, august.plannedProgress, august.planGap, august.behindPlan]).toEqual(["86.51", "66.67", "19.84", false]);
  });

  it("上年同期执行率: the same unit's project of the same name, as of the same day a year earlier", async () => {
    // 马桥 2023 as of 2023-06-30: 950,000.00 budgeted, nothing paid yet (its one payment is dated 2023-12-31).
    expect((await row(2024, "2024-06-30", MAQIAO_UNIT)).previousYearRate).toBe("0.00");
    expect((await row(2024, "2024-12-31", MAQIAO_UNIT)).previousYearRate).toBe("100.00");
    // The same figure as the 2023 dashboard shows on that day.
    const maqiao2023 = (await projectAmountsAsOf(db, { year: 2023, asOf: "2023-06-30" })).find((a) => a.unitName === MAQIAO_UNIT)!;
    expect([maqiao2023.adjusted, maqiao2023.executed]).toEqual(["950000.00", "0.00"]);
    // 2024-02-29 looks at 2023-02-28; 马桥 2023 looks at its 2022.
    expect((await row(2024, "2024-02-29", MAQIAO_UNIT)).previousYearRate).toBe("0.00");
    expect((await row(2023, "2023-12-31", MAQIAO_UNIT)).previousYearRate).toBe("100.00");
  });

  it("totals add the planned amounts exactly; the headline counts the projects behind plan", async () => {
    const report = await executionReport(db, { year: 2024, asOf: "2024-08-31" });
    const cents = (amount: string) => BigInt(amount.replace(".", ""));
    expect(cents(report.total.planned)).toBe(report.rows.reduce((sum, r) => sum + cents(r.planned), 0n));
    expect(report.units.reduce((sum, u) => sum + cents(u.planned), 0n)).toBe(cents(report.total.planned));
    expect(report.total.behindPlanProjects).toBe(report.rows.filter((r) => r.behindPlan).length);
  });

  it("totals' 上年同期执行率 add last year's amounts of the projects that have a year before (one rule: previousYearRate)", async () => {
    const report = await executionReport(db, { year: 2024, asOf: "2024-12-31" });
    const withHistory = report.rows.filter((r) => r.previousYear !== null);
    expect(withHistory.length).toBeGreaterThan(0);
    expect(report.total.previousYearRate).toBe(previousYearRate(report.rows.filter((r) => !r.declarationOnly).map((r) => r.previousYear)));
    for (const unit of report.units) {
      expect(unit.previousYearRate).toBe(previousYearRate(report.rows.filter((r) => r.unitId === unit.unitId && !r.declarationOnly).map((r) => r.previousYear)));
    }
    for (const r of report.rows) expect(r.previousYearRate).toBe(previousYearRate([r.previousYear]));
    // By hand: 马桥 alone had a 2023 (1,155,200.00 of 1,155,200.00 by 2023-12-31).
    expect(report.units.find((u) => u.unitName === MAQIAO_UNIT)!.previousYearRate).toBe("100.00");
  });
});

/** Lines scheduled in part of the year, and the dashboard's plan against the project chart's, on a database of its own. */
describe("planned progress from scheduled months (安排月份)", () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    fresh = await freshDatabase(inject("serverUrl"), { seed: true });
  });
  afterAll(async () => fresh?.drop());

  it("spreads a line scheduled for September–December over those months (basis months)", async () => {
    const huacao = await projectIdOf(fresh.db, HUACAO_UNIT);
    // 华漕's two lines, 554,600.00 each from 30 June: the city's half scheduled for the last four months.
    await fresh.db.updateTable("budget_line").set({ scheduled_months: [9, 10, 11, 12] }).where("project_id", "=", huacao).where("line_no", "=", 1).execute();
    const report = await executionReport(fresh.db, { year: 2024, asOf: "2024-08-31" });
    const row = report.rows.find((r) => r.projectId === huacao)!;
    // 554,600 × 244/366 = 369,733.33 of 1,109,200.00: 33.33 %.
    expect([row.planBasis, row.planned, row.plannedProgress, row.timeProgress, row.behindPlan]).toEqual(["months", "369733.33", "33.33", "66.67", false]);
  });

  it("the dashboard's planned amount is the project chart's at the as-of date, for every project on many dates", async () => {
    const projects = await fresh.db.selectFrom("project").select(["id", "fiscal_year"]).execute();
    let compared = 0;
    for (const asOf of ["2023-06-30", "2023-12-31", "2024-01-15", "2024-02-29", "2024-06-30", "2024-07-31", "2024-09-10", "2024-12-31"]) {
      const year = Number(asOf.slice(0, 4));
      const rows = (await executionReport(fresh.db, { year, asOf })).rows;
      for (const project of projects.filter((p) => p.fiscal_year === year)) {
        const ledger = (await getProjectSummaryLedger(fresh.db, project.id))!;
        const view = summaryExecution(ledger, asOf, undefined, await previousYearProfile(fresh.db, project.id));
        const dashboard = rows.find((r) => r.projectId === project.id)!;
        expect([view.chart.at(-1)?.planned, view.planBasis], `project ${project.id} ${asOf}`).toEqual([dashboard.planned, dashboard.planBasis]);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });
});
