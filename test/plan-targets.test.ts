import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import type { DB } from "../db/connection.ts";
import { withActor } from "../db/audit.ts";
import { getDeclaration, saveDeclarationAs } from "../db/declarations.ts";
import { loadPlan, saveOverride, type UnitPlan } from "../db/plan.ts";
import { declaredQuantities } from "../db/plan-targets.ts";
import { findUnitByName } from "../db/units.ts";
import { declarationInputOf, validateDeclaration } from "../domain/declaration.ts";
import { targetAgreement } from "../domain/plan-targets.ts";

/*
 * 预算与绩效目标相符 on the seeded demo: the 2025 plan's quantities against the declared quantity targets.
 * The demo's performance_indicator rows hold no 数量指标 with a number (华漕's 医疗救助总人次 reads
 * 目标人群基本覆盖, 宝山's 参保人数 应保尽保; 马桥 and 闵行区医疗保障局's 2024 projects have none), so the
 * test files seeds/003's indicators for 闵行's 武警医疗经费 and 市民社区医疗互助帮困经费 (2024) through the
 * declaration form's own save, and a 2025 declaration for 马桥's 医疗救助.
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

  it("finds no numeric quantity target in the demo as seeded", async () => {
    for (const unitId of [maqiao, minhang]) {
      const result = await agreement(db, await loadPlan(db, 2025, unitId));
      expect(result.length).toBeGreaterThan(0);
      expect(result.flatMap((p) => p.indicators)).toEqual([]);
    }
    // The one demo project with a 数量指标 among the plan's units' 2024 projects (华漕) has no plan line, and its target is words.
    const HUACAO = "上海市闵行区华漕镇社区事务受理中心";
    const huacao = { projectId: await projectIdOf(db, HUACAO, 2024, "医疗救助"), unitId: (await findUnitByName(db, HUACAO))!.id, projectName: "医疗救助" };
    const rows = await declaredQuantities(db, { targetYear: 2025, projects: [huacao] });
    expect(rows.find((r) => r.level2 === "数量指标")).toMatchObject({ name: "医疗救助总人次", target: "目标人群基本覆盖（按年度实际数据填列）", declarationYear: 2024 });
  });

  it("matches 闵行's 武警官兵人数 =160.00(人) and the 互助帮困 counts of seeds/003 with the 2025 plan", async () => {
    await declare(db, await projectIdOf(db, MINHANG, 2024, "武警医疗经费"), [
      ["成本指标", "经济成本指标", "成本控制有效性", "有效", "10"],
      ["产出指标", "数量指标", "就医卡发放完成率", "=100(%)", "10"],
      ["产出指标", "数量指标", "武警官兵人数", "=160.00(人)", "10"],
      ["产出指标", "质量指标", "就医卡发放准确率", "=100(%)", "10"],
      ["产出指标", "质量指标", "武警医疗经费使用合规性", "合规", "5"],
      ["产出指标", "时效指标", "报销费用发放及时率", "=100.00(%)", "10"],
      ["产出指标", "时效指标", "就医卡发放及时性", "及时", "10"],
      ["效益指标", "社会效益指标", "武警官兵就医方便程度", "明显提高", "5"],
      ["效益指标", "社会效益指标", "有效投诉率", "<0.05(%)", "5"],
      ["效益指标", "社会效益指标", "有责投诉处置率", "=100.00(%)", "5"],
      ["效益指标", "可持续影响指标", "长效管理机制健全性", "建立健全", "5"],
      ["满意度指标", "服务对象满意度指标", "武警官兵满意度", "≥95(%)", "5"],
    ]);
    await declare(db, await projectIdOf(db, MINHANG, 2024, "市民社区医疗互助帮困经费"), [
      ["成本指标", "经济成本指标", "各镇互助帮困照护筹集经费(未含镇财政资金)", "≤3630250.00(元)", "2"],
      ["成本指标", "经济成本指标", "各街道互助帮困照护筹集经费(含街道)", "≤1807750.00(元)", "2"],
      ["成本指标", "经济成本指标", "各街道互助帮困筹集经费(含街道)", "≤9436455.00(元)", "2"],
      ["成本指标", "经济成本指标", "各街道互助帮困缺经费(含街道)", "≤10803114.00(元)", "2"],
      ["成本指标", "经济成本指标", "各镇互助帮困缺经费(未含镇财政资金)", "≤21694374.00(元)", "2"],
      ["成本指标", "经济成本指标", "各镇互助帮困筹集经费(未含镇财政资金)", "≤18949905.00(元)", "2"],
      ["产出指标", "数量指标", "各镇互助帮困人数", "=29042.00(人)", "2"],
      ["产出指标", "数量指标", "各街道互助帮困人数", "=7231.00(人)", "2"],
      ["产出指标", "数量指标", "帮困对象卡册发放率", "=100.00(%)", "2"],
      ["产出指标", "数量指标", "参保人员网上登记率", "=100.00(%)", "2"],
      ["产出指标", "质量指标", "卡册发放准确率", "=100.00(%)", "5"],
      ["产出指标", "时效指标", "受理时效性", "及时", "5"],
      ["效益指标", "社会效益指标", "有效投诉率", "<0.05(%)", "5"],
      ["满意度指标", "服务对象满意度指标", "帮困对象满意度", "≥85.00(%)", "5"],
    ]);
    await declare(db, await projectIdOf(db, MINHANG, 2024, "长护险护理试点工作经费"), [["产出指标", "数量指标", "培训覆盖人次", "=5000.00(人)", "10"]]);

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

    // 长护险's 培训覆盖人次: the plan carries the project as one sum (executed), no quantity to compare.
    expect(of("长护险护理试点工作经费").indicators[0]).toMatchObject({ name: "培训覆盖人次", planned: null, match: null, flagged: false });
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
    // Every 医疗救助 line in person-times: 区级 106 + 门急诊 1,218 + 住院 106 + 起付线 362 = 1,792.
    expect(total!.lines.map((l) => [l.item, l.quantity])).toEqual([
      ["区级政策医疗救助", "106.00"],
      ["市级政策门急诊救助", "1218.00"],
      ["市级政策住院救助", "106.00"],
      ["门急诊起付线补助", "362.00"],
    ]);
    expect(total).toMatchObject({ match: "composition", planned: "1792.00", comparedTarget: "1896.00", ratio: "94.51", difference: "-5.49", gap: "-104.00", flagged: false });

    const outpatient = plan.lines.find((l) => l.item === "市级政策门急诊救助")!;
    await withActor(db, planner, (trx) =>
      saveOverride(trx, { targetYear: 2025, sourceLineId: outpatient.sourceLineId, quantity: "800", unitPrice: outpatient.unitPrice, reason: "测试：压减门急诊人次", by: planner.username }),
    );
    const [overridden] = await agreement(db, await loadPlan(db, 2025, maqiao));
    expect(overridden!.indicators[0]).toMatchObject({ planned: "1374.00", ratio: "72.47", difference: "-27.53", flagged: true });
    expect(overridden!.flagged).toBe(1);
  });
});
