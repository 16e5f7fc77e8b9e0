import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import type { DB } from "../db/pool.ts";
import { withActor } from "../db/audit.ts";
import { getDeclaration, saveDeclarationAs } from "../db/declarations.ts";
import { loadPlan, type UnitPlan } from "../features/plan/queries/plan.ts";
import { saveOverride } from "../features/plan/queries/overrides.ts";
import { declaredQuantities } from "../features/plan/queries/targets.ts";
import { findUnitByName } from "../db/units.ts";
import { declarationInputOf, validateDeclaration } from "../domain/declaration.ts";
import { targetAgreement } from "../features/plan/rules/targets.ts";

/*
 * 预算与绩效目标相符 on the seeded demo: the 2025 plan's quantities against the declared quantity targets.
 * The demo declares the targets of 闵行区医疗保障局's eleven 2024 projects (seeds/003, db/demo/declarations.json);
 * their 数量指标 with a number and a unit other than % are what the plan is held to. 马桥's 2024 project
 * declares none (华漕's 医疗救助总人次 reads 目标人群基本覆盖, 宝山's 参保人数 应保尽保), so the test files a
 * 2025 declaration for 马桥's 医疗救助 through the declaration form's own save.
 */

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const MINHANG = "上海市闵行区医疗保障局";
const planner = { userId: null, username: "maqiao.planner" };

type Row = [level1: string, level2: string, name: string, target: string, weight: string];

/** Files indicator rows on a project's declaration as the edit form would (validated, audited). */
async function declare(db: DB, projectId: number, rows: Row[]): Promise<void> {
  const stored = (await getDeclaration(db, projectId))!;
  const input = declarationInputOf(stored);
  input.indicators.push(...rows.map(([level1, level2, name, target, weight]) => ({ id: "", level1, level2, name, target, weight })));
  const result = validateDeclaration(input);
  if ("errors" in result) throw new Error(JSON.stringify(result.errors));
  expect(await saveDeclarationAs(db, planner, projectId, stored.stamp, result.values)).toBe("saved");
}

/** The plan's projects as declaredQuantities takes them. */
const projectsOf = (plan: UnitPlan) => plan.units.flatMap((u) => u.projects.map((p) => ({ projectId: p.projectId, unitId: u.unitId, projectName: p.projectName })));

async function agreement(db: DB, plan: UnitPlan) {
  const indicators = await declaredQuantities(db, { targetYear: plan.targetYear, projects: projectsOf(plan) });
  return targetAgreement(plan.lines, indicators);
}

describe("budget and targets agree (预算与绩效目标相符)", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let maqiao: number;
  let minhang: number;

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
    maqiao = (await findUnitByName(db, MAQIAO))!.id;
    minhang = (await findUnitByName(db, MINHANG))!.id;
  }, 120_000);
  afterAll(async () => drop?.());

  it("finds the demo's numeric quantity targets as seeded: none for 马桥, seeds/003's for 闵行区医疗保障局", async () => {
    const maqiaoResult = await agreement(db, await loadPlan(db, 2025, maqiao));
    expect(maqiaoResult.length).toBeGreaterThan(0);
    expect(maqiaoResult.flatMap((p) => p.indicators)).toEqual([]);

    const minhangResult = await agreement(db, await loadPlan(db, 2025, minhang));
    expect(minhangResult.length).toBeGreaterThan(0);
    // Every plan project of the unit is held to its own 2024 declaration.
    for (const project of minhangResult) expect(project.declaration, project.projectName).toMatchObject({ year: 2024 });
    // Only 数量指标 with a number and a counted unit: 就医卡发放完成率 =100(%) and the other rates are not quantities.
    const declared = minhangResult
      .filter((p) => p.indicators.length > 0)
      .map((p) => [p.projectName, p.indicators.map((c) => `${c.name} ${c.target}`)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    expect(declared).toEqual([
      ["医保监督管理", ["专家医保监管对象数量 =375.00(家)", "审计单位数量 =100(家)"]],
      ["市民社区医疗互助帮困经费", ["各镇互助帮困人数 =29042.00(人)", "各街道互助帮困人数 =7231.00(人)"]],
      ["智慧闵行医保卫士-“看病钱”守护系统", ["系统整体框架建设完成医疗机构数量 =50.00(家)", "大厅人脸识别试点医院数量 =2.00(家)"]],
      ["武警医疗经费", ["武警官兵人数 =160.00(人)"]],
      ["长护险护理试点工作经费", ["政策宣传 =5000(人)", "培训覆盖人次 =5000.00(人)"]],
    ]);

    // 华漕's 2024 project has a 数量指标 whose target is words.
    const HUACAO = "上海市闵行区华漕镇社区事务受理中心";
    const huacao = { projectId: await projectIdOf(db, HUACAO, 2024, "医疗救助"), unitId: (await findUnitByName(db, HUACAO))!.id, projectName: "医疗救助" };
    const rows = await declaredQuantities(db, { targetYear: 2025, projects: [huacao] });
    expect(rows.find((r) => r.level2 === "数量指标")).toMatchObject({ name: "医疗救助总人次", target: "目标人群基本覆盖（按年度实际数据填列）", declarationYear: 2024 });
  });

  it("matches 闵行's 武警官兵人数 =160.00(人) and the 互助帮困 counts of seeds/003 with the 2025 plan", async () => {
    // The demo's own declarations (seeds/003), as seeded: nothing is filed by the test.
    const plan = await loadPlan(db, 2025, minhang);
    const result = await agreement(db, plan);
    const of = (name: string) => result.find((p) => p.projectName === name)!;

    const armedPolice = of("武警医疗经费");
    expect(armedPolice.declaration).toEqual({ year: 2024, projectId: await projectIdOf(db, MINHANG, 2024, "武警医疗经费") });
    expect(armedPolice.indicators).toHaveLength(1);
    expect(armedPolice.indicators[0]).toMatchObject({
      name: "武警官兵人数",
      target: "=160.00(人)",
      targetValue: "160.00",
      measure: "人",
      match: "item",
      planned: "160.00",
      ratio: "100.00",
      difference: "0.00",
      flagged: false,
      lines: [{ item: "武警医疗经费", quantity: "160.00", measure: "人" }],
    });

    // The district's 32,793 participants (2024) against the towns' and streets' targets together.
    const mutualAid = of("市民社区医疗互助帮困经费");
    expect(mutualAid.indicators.map((c) => [c.name, c.comparedTarget, c.planned, c.ratio, c.difference, c.flagged, c.lines.map((l) => l.item)])).toEqual([
      ["各镇互助帮困人数", "36273.00", "32793.00", "90.41", "-9.59", false, ["市民社区医疗互助帮困经费（区级）"]],
      ["各街道互助帮困人数", "36273.00", "32793.00", "90.41", "-9.59", false, ["市民社区医疗互助帮困经费（区级）"]],
    ]);

    // 长护险's 政策宣传 and 培训覆盖人次: the plan carries the project as one sum (executed), no quantity to compare.
    const care = of("长护险护理试点工作经费").indicators;
    expect(care.map((c) => c.name)).toEqual(["政策宣传", "培训覆盖人次"]);
    for (const indicator of care) expect(indicator).toMatchObject({ planned: null, match: null, flagged: false });
    expect(result.reduce((n, p) => n + p.flagged, 0)).toBe(0);
  });

  it("holds 马桥's plan to a declaration filed for 2025, and flags it when an override leaves it more than a fifth apart", async () => {
    const base = await projectIdOf(db, MAQIAO, 2024, "医疗救助");
    // A 2025 declaration of the same unit and name: 医疗救助总人次 at 2024's 1,896 person-times (seeds/001).
    const filed = await withActor(db, planner, (trx) =>
      trx
        .insertInto("project")
        .values({ fiscal_year: 2025, name: "医疗救助", unit_id: maqiao, category: "特定目标类", declaration_only: true })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    await declare(db, filed.id, [
      ["产出指标", "数量指标", "医疗救助总人次", "=1896.00(人次)", "10"],
      ["产出指标", "质量指标", "资金结算准确率", "100.00%", "10"],
    ]);

    const plan = await loadPlan(db, 2025, maqiao);
    const [project] = await agreement(db, plan);
    expect(project).toMatchObject({ projectId: base, projectName: "医疗救助", declaration: { year: 2025, projectId: filed.id }, flagged: 0 });
    const [total] = project!.indicators;
    // Every 医疗救助 line in person-times. 马桥 has 12 months of history: its volumes repeat last year's months
    // (seasonal naive, issue 18), 区级 112 + 门急诊 1,289 + 住院 112 + 起付线 383 = 1,896, 2024's person-times.
    expect(total!.lines.map((l) => [l.item, l.quantity])).toEqual([
      ["区级政策医疗救助", "112.00"],
      ["市级政策门急诊救助", "1289.00"],
      ["市级政策住院救助", "112.00"],
      ["门急诊起付线补助", "383.00"],
    ]);
    expect(total).toMatchObject({ match: "composition", planned: "1896.00", comparedTarget: "1896.00", ratio: "100.00", difference: "0.00", gap: "0.00", flagged: false });

    const outpatient = plan.lines.find((l) => l.item === "市级政策门急诊救助")!;
    await withActor(db, planner, (trx) =>
      saveOverride(trx, { targetYear: 2025, sourceLineId: outpatient.sourceLineId, quantity: "800", unitPrice: outpatient.unitPrice, reason: "测试：压减门急诊人次", by: planner.username }),
    );
    const [overridden] = await agreement(db, await loadPlan(db, 2025, maqiao));
    // 1,896 − 1,289 + 800 = 1,407 of 1,896: 74.21%, more than a fifth below.
    expect(overridden!.indicators[0]).toMatchObject({ planned: "1407.00", ratio: "74.21", difference: "-25.79", flagged: true });
    expect(overridden!.flagged).toBe(1);
  });
});
