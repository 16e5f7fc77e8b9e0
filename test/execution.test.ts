import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type DB } from "../db/pool.ts";
import { executionReport, fiscalYears, projectAmountsAsOf } from "../db/execution.ts";
import { getProjectLedger } from "../db/projects.ts";
import { findUnitByName } from "../db/units.ts";
import { projectExecution } from "../domain/project-execution.ts";
import { fundScore } from "../domain/execution.ts";
import { isTargetParseError, parseTarget } from "../domain/targets.ts";
import expected from "../db/demo/expected.json" with { type: "json" };

const HUACAO_UNIT = "上海市闵行区华漕镇社区事务受理中心";
const MAQIAO_UNIT = "上海市闵行区马桥镇社区事务受理服务中心";
const MINHANG_BUREAU = "上海市闵行区医疗保障局";

/** The dashboard's figures from the seeded demo database, against DOMAIN.md and the documents. */
describe("execution report on the demo data", () => {
  let db: DB;
  beforeAll(() => {
    db = createDb(inject("demoDatabaseUrl"));
  });
  afterAll(async () => db.destroy());

  const row = async (year: number, asOf: string, unit: string, project: string) => {
    const report = await executionReport(db, { year, asOf });
    const found = report.rows.find((r) => r.unitName === unit && r.projectName === project);
    if (!found) throw new Error(`no row for ${unit} ${project}`);
    return found;
  };

  it("shows 华漕's 医疗救助 at 86.51% as of 2024-08-31, against 66.67% time progress, not flagged", async () => {
    const huacao = await row(2024, "2024-08-31", HUACAO_UNIT, "医疗救助");
    expect(huacao).toMatchObject({
      adjusted: "1109200.00",
      executed: "959622.79",
      executionRate: "86.51",
      timeProgress: "66.67",
      gap: "19.84",
      flagged: false,
    });
  });

  it("shows 马桥 2024 adjusted 1,471,745.31 (+9.02%) and 100.00% executed at year end", async () => {
    const maqiao = await row(2024, "2024-12-31", MAQIAO_UNIT, "医疗救助");
    expect(maqiao).toMatchObject({
      initial: expected.maqiao2024.initial,
      adjusted: "1471745.31",
      executed: "1471745.31",
      executionRate: "100.00",
      adjustmentRate: "9.02",
    });
  });

  it("reproduces 马桥's three-year history (表1-3-3)", async () => {
    const y2022 = await row(2022, "2022-12-31", MAQIAO_UNIT, "医疗救助");
    const y2023 = await row(2023, "2023-12-31", MAQIAO_UNIT, "医疗救助");
    expect([y2022.initial, y2022.adjusted, y2022.executed]).toEqual(["450000.00", "390000.00", "390000.00"]);
    expect([y2023.initial, y2023.adjusted, y2023.executed]).toEqual(["950000.00", "1155200.00", "1155200.00"]);
  });

  it("reproduces 003's execution rates and fund scores from the 元 amounts", async () => {
    const report = await executionReport(db, { year: 2024, asOf: "2024-12-31" });
    for (const sheet of expected.minhangMedicalSecurity2024) {
      const found = report.rows.find((r) => r.unitName === MINHANG_BUREAU && r.projectName === sheet.name);
      expect(found, sheet.name).toBeDefined();
      expect([found!.adjusted, found!.executed, found!.executionRate], sheet.name).toEqual([sheet.adjusted, sheet.executed, sheet.executionRate]);
      expect(found!.executionRate, sheet.name).toBe(sheet.documentExecutionRate);
      expect(fundScore(found!.executionRate), sheet.name).toBe(sheet.documentFundScore);
    }
    const resident = report.rows.find((r) => r.unitName === MINHANG_BUREAU && r.projectName === "城乡居民医保资金区本级财政筹集资金")!;
    expect([resident.adjusted, resident.executed, resident.executionRate, fundScore(resident.executionRate)]).toEqual(["14355.00", "12759.15", "88.88", "8.89"]);
    const police = report.rows.find((r) => r.unitName === MINHANG_BUREAU && r.projectName === "武警医疗经费")!;
    expect([police.adjusted, police.executed, police.executionRate, fundScore(police.executionRate)]).toEqual(["160000.00", "144595.00", "90.37", "9.04"]);
    const assistance = report.rows.find((r) => r.unitName === MINHANG_BUREAU && r.projectName === "医疗救助")!;
    expect([assistance.executionRate, fundScore(assistance.executionRate)]).toEqual(["96.27", "9.63"]);
  });

  it("books 002's 2023 city-to-district transfer as executed: 25,522 of 25,522 万元", async () => {
    const report = await executionReport(db, { year: 2023, asOf: "2023-12-31" });
    const transfer = report.rows.find((r) => r.projectName === "市对区专项转移支付（城乡医疗救助专项补助）")!;
    expect([transfer.adjusted, transfer.executed, transfer.executionRate, transfer.flagged]).toEqual(["255220000.00", "255220000.00", "100.00", false]);
  });

  it("shows 宝山's declaration-only projects (004) without an execution rate, not flagged, outside the totals", async () => {
    const report = await executionReport(db, { year: 2023, asOf: "2024-08-31" });
    const declared = report.rows.filter((r) => r.declarationOnly);
    expect(declared.map((r) => [r.projectName, r.adjusted, r.executionRate, r.gap, r.flagged])).toEqual([
      ["医保网络运行维护", "110200.00", null, null, false],
      ["医疗救助资金", "35475000.00", null, null, false],
      ["市民社区医疗互助帮困计划资金", "91520000.00", null, null, false],
    ]);
    const baoshan = report.units.find((u) => u.unitName === "上海市宝山区医疗保障局")!;
    expect([baoshan.projects, baoshan.flaggedProjects, baoshan.adjusted, baoshan.executionRate, baoshan.flagged]).toEqual([3, 0, "0.00", null, false]);
    // 2023: 马桥 1,155,200.00 + the city transfer 255,220,000.00, both fully executed.
    expect([report.total.projects, report.total.flaggedProjects, report.total.adjusted, report.total.executed, report.total.executionRate]).toEqual([5, 0, "256375200.00", "256375200.00", "100.00"]);
  });

  it("totals foot: the grand total is the exact sum of the rows, unit totals of their projects", async () => {
    const report = await executionReport(db, { year: 2024, asOf: "2024-08-31" });
    const cents = (amount: string) => BigInt(amount.replace(".", ""));
    expect(report.rows.some((r) => r.declarationOnly)).toBe(false); // 2024 has none; totals are of every row
    for (const field of ["initial", "adjusted", "executed"] as const) {
      const sum = report.rows.reduce((total, r) => total + cents(r[field]), 0n);
      expect(cents(report.total[field]), field).toBe(sum);
      const unitSum = report.units.reduce((total, u) => total + cents(u[field]), 0n);
      expect(unitSum, field).toBe(sum);
    }
    expect(report.total.flaggedProjects).toBe(report.rows.filter((r) => r.flagged).length);
  });

  it("agrees with the pure domain rules for every project on every week of 2024 (rollup + partial month)", async () => {
    const projects = await db.selectFrom("project").select("id").where("fiscal_year", "=", 2024).execute();
    const ledgers = await Promise.all(projects.map(async (p) => (await getProjectLedger(db, p.id))!));
    const dates: string[] = [];
    for (let day = Date.UTC(2024, 0, 1); day <= Date.UTC(2025, 0, 31); day += 5 * 86_400_000) dates.push(new Date(day).toISOString().slice(0, 10));
    dates.push("2024-02-29", "2024-05-31", "2024-06-30", "2024-07-02", "2024-11-14", "2024-11-15", "2024-12-31");
    for (const asOf of dates) {
      const amounts = await projectAmountsAsOf(db, { year: 2024, asOf });
      for (const ledger of ledgers) {
        const view = projectExecution({ fiscalYear: 2024, ...ledger }, asOf);
        const fromSql = amounts.find((a) => a.projectId === ledger.project.id)!;
        expect([fromSql.initial, fromSql.adjusted, fromSql.executed], `${ledger.project.unitName} ${ledger.project.name} ${asOf}`).toEqual([
          view.figures.initial,
          view.figures.adjusted,
          view.figures.executed,
        ]);
      }
    }
  });

  it("filters by a unit's subtree", async () => {
    const maqiaoTown = await findUnitByName(db, "马桥镇");
    const minhang = await findUnitByName(db, "闵行区");
    const town = await executionReport(db, { year: 2024, asOf: "2024-12-31", unitId: maqiaoTown!.id });
    expect(town.rows.map((r) => r.unitName)).toEqual([MAQIAO_UNIT]);
    const district = await executionReport(db, { year: 2024, asOf: "2024-12-31", unitId: minhang!.id });
    expect(new Set(district.rows.map((r) => r.unitName))).toEqual(new Set([MAQIAO_UNIT, HUACAO_UNIT, MINHANG_BUREAU]));
    expect(district.units.find((unit) => unit.unitName === MAQIAO_UNIT)!.unitPath).toEqual(["上海市", "闵行区", "马桥镇"]);
  });

  it("lists the fiscal years with projects, newest first", async () => {
    expect(await fiscalYears(db)).toEqual([2024, 2023, 2022]);
  });
});

describe("performance targets of the demo data", () => {
  let db: DB;
  beforeAll(() => {
    db = createDb(inject("demoDatabaseUrl"));
  });
  afterAll(async () => db.destroy());

  it("keeps 华漕's nine indicators of the mid-year form (000), each readable", async () => {
    const unit = await findUnitByName(db, HUACAO_UNIT);
    const project = await db.selectFrom("project").select("id").where("unit_id", "=", unit!.id).where("fiscal_year", "=", 2024).executeTakeFirstOrThrow();
    const ledger = (await getProjectLedger(db, project.id))!;
    expect(ledger.indicators).toHaveLength(9);
    const readings = ledger.indicators.map((indicator) => parseTarget(indicator.target));
    expect(readings.some(isTargetParseError)).toBe(false);
    expect(readings[0]).toMatchObject({ kind: "quantitative", operator: "≤", value: "2800", unit: "元/人" });
    expect(readings[2]).toMatchObject({ kind: "qualitative" });
    expect(ledger.indicators.map((indicator) => indicator.level1)).toEqual(["成本指标", "成本指标", "产出指标", "产出指标", "产出指标", "效益指标", "效益指标", "效益指标", "满意度指标"]);
  });
});

describe("马桥's project page figures", () => {
  let db: DB;
  beforeAll(() => {
    db = createDb(inject("demoDatabaseUrl"));
  });
  afterAll(async () => db.destroy());

  it("reconciles 1,471,745.31 = 795,265.75 互助帮困 + 32,880.00 + 4,281.25 transfers + 639,318.31 in 26 batches", async () => {
    const unit = await findUnitByName(db, MAQIAO_UNIT);
    const project = await db.selectFrom("project").select("id").where("unit_id", "=", unit!.id).where("fiscal_year", "=", 2024).executeTakeFirstOrThrow();
    const ledger = (await getProjectLedger(db, project.id))!;
    const view = projectExecution({ fiscalYear: 2024, ...ledger }, "2024-12-31");
    const batches = ledger.payments.filter((p) => p.kind === "batch");
    expect(batches).toHaveLength(26);
    expect(batches.reduce((sum, p) => sum + (p.personTimes ?? 0), 0)).toBe(1896);
    expect(view.chart.map((point) => point.month)).toHaveLength(12);
    expect(view.figures.executed).toBe("1471745.31");
    const late = ledger.payments.map((p, i) => ({ ...p, ...view.payments[i]! })).filter((p) => p.daysLate > 0);
    expect(late.map((p) => [p.amount, p.paidOn, p.daysLate])).toEqual([
      ["32880.00", "2024-07-02", 12],
      ["4281.25", "2024-11-15", 1],
    ]);
    const sumCents = (rows: { amount: string }[]) => rows.reduce((s, p) => s + BigInt(p.amount.replace(".", "")), 0n);
    expect(sumCents(batches)).toBe(63931831n);
    expect(sumCents(ledger.payments.filter((p) => p.kind === "transfer"))).toBe(79526575n + 3288000n + 428125n);
  });
});
