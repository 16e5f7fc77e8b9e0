import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "kysely";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import type { DB } from "../db/pool.ts";
import { getDeclaration, saveDeclarationAs } from "../db/declarations.ts";
import { projectHistory } from "../db/audit.ts";
import { declarationInputOf, validateDeclaration, type DeclarationInput } from "../domain/declaration.ts";
import { isTargetParseError, parseTarget } from "../domain/targets.ts";
import { withActor } from "../db/audit.ts";
import { createTrackingForm } from "../features/tracking/queries/forms.ts";
import { loadTrackingForm, trackingWrite } from "../features/tracking/queries/view.ts";

const BAOSHAN = "上海市宝山区医疗保障局";
const MINHANG = "上海市闵行区医疗保障局";
const PLANNER = { userId: null, username: "maqiao.planner" };

/** The form as the edit page would submit the stored declaration back. */
async function asSubmitted(db: DB, projectId: number): Promise<{ input: DeclarationInput; stamp: string }> {
  const declaration = (await getDeclaration(db, projectId))!;
  return { stamp: declaration.stamp, input: declarationInputOf(declaration) };
}

function valid(input: DeclarationInput) {
  const result = validateDeclaration(input);
  if ("errors" in result) throw new Error(JSON.stringify(result.errors));
  return result.values;
}

describe("target declarations (绩效目标填报表)", () => {
  let db: DB;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
  });
  afterAll(async () => drop());

  it("carries the demo declarations of seeds/004, seeds/002 and seeds/003, every target readable", async () => {
    const mutualAid = (await getDeclaration(db, await projectIdOf(db, BAOSHAN, 2023, "市民社区医疗互助帮困计划资金")))!;
    expect(mutualAid.funds).toEqual({
      total: "91520000.00",
      fiscal: "91520000.00",
      currentYear: "91520000.00",
      carriedOver: "0",
      other: "0",
    });
    expect(mutualAid.goals.planStart).toBe("2023-01-01");
    expect(mutualAid.goals.annualGoal).toMatch(/^配合基本医疗保险制度改革.*促进社会进步。$/);
    expect(mutualAid.indicators.map((row) => [row.level2, row.name, row.target])).toEqual([
      ["数量指标", "参保人数", "应保尽保"],
      ["质量指标", "资金发放准确性", "准确"],
      ["时效指标", "资金发放及时性", "及时"],
      ["成本指标", "支出方向符合度", "100%"],
      ["经济效益指标", "帮困对象医疗费用负担减轻程度", "有所缓解"],
      ["社会效益指标", "帮困对象覆盖范围", "稳步拓展"],
      ["生态效益指标", "政策知晓率", "逐步提高"],
      ["可持续影响指标", "对健全医疗保障制度体系的作用", "成效明显"],
      ["服务对象满意度指标", "全年来信来访有效投诉人次", "<10 次"],
    ]);
    const counts = await db
      .selectFrom("performance_indicator as i")
      .innerJoin("project as p", "p.id", "i.project_id")
      .innerJoin("org_unit as u", "u.id", "p.unit_id")
      .select(["u.name as unit", "p.name", sql<string>`count(*)::text`.as("n"), sql<string | null>`sum(i.weight)::text`.as("weights")])
      .groupBy(["u.name", "p.name"])
      .orderBy("u.name")
      .orderBy("p.name")
      .execute();
    // 90 points for the indicators; the other 10 of the national template score budget execution.
    expect(counts).toEqual([
      { unit: "上海市医疗保障局", name: "市对区专项转移支付（城乡医疗救助专项补助）", n: "19", weights: "90.00" },
      { unit: BAOSHAN, name: "医保网络运行维护", n: "5", weights: null },
      { unit: BAOSHAN, name: "医疗救助资金", n: "9", weights: null },
      { unit: BAOSHAN, name: "市民社区医疗互助帮困计划资金", n: "9", weights: null },
      // seeds/003: the eleven 2024 自评表 of 闵行区医疗保障局, each with its declared 分值.
      { unit: MINHANG, name: "党建工作经费", n: "8", weights: "90.00" },
      { unit: MINHANG, name: "医保监督管理", n: "16", weights: "90.00" },
      { unit: MINHANG, name: "医疗救助", n: "13", weights: "90.00" },
      { unit: MINHANG, name: "城乡居民医保资金区本级财政筹集资金", n: "8", weights: "90.00" },
      { unit: MINHANG, name: "市民社区医疗互助帮困经费", n: "23", weights: "90.00" },
      { unit: MINHANG, name: "智慧闵行医保卫士-“看病钱”守护系统", n: "13", weights: "90.00" },
      { unit: MINHANG, name: "武警医疗经费", n: "12", weights: "90.00" },
      { unit: MINHANG, name: "残疾人就业保障金", n: "9", weights: "90.00" },
      { unit: MINHANG, name: "法律顾问费", n: "8", weights: "90.00" },
      { unit: MINHANG, name: "长护险护理试点工作经费", n: "11", weights: "90.00" },
      { unit: MINHANG, name: "闵行医保基金监督检查系统运维", n: "8", weights: "90.00" },
      { unit: "上海市闵行区华漕镇社区事务受理中心", name: "医疗救助", n: "9", weights: null },
      // seeds/001 表1-5-1: 马桥's 2024 targets, the 分值 推定 (db/demo/README.md).
      { unit: "上海市闵行区马桥镇社区事务受理服务中心", name: "医疗救助", n: "14", weights: "90.00" },
    ]);

    // 武警医疗经费 (seeds/003): the 2024 goals and the rows as the 自评表 declares them, without the actual values.
    const armedPolice = (await getDeclaration(db, await projectIdOf(db, MINHANG, 2024, "武警医疗经费")))!;
    expect(armedPolice.goals).toMatchObject({ overallGoal: null, goalFromYear: 2024, goalToYear: 2024, planStart: "2024-01-01", planEnd: "2024-12-31" });
    expect(armedPolice.goals.annualGoal).toMatch(/^按照本市基本医疗保险的药品、服务、诊疗项目的规定.*确保武警部队的稳定和全面建设。$/);
    expect(armedPolice.indicators.map((row) => [row.level1, row.level2, row.name, row.target, row.weight])).toEqual([
      ["成本指标", "经济成本指标", "成本控制有效性", "有效", "10.00"],
      ["产出指标", "数量指标", "就医卡发放完成率", "=100(%)", "10.00"],
      ["产出指标", "数量指标", "武警官兵人数", "=160.00(人)", "10.00"],
      ["产出指标", "质量指标", "就医卡发放准确率", "=100(%)", "10.00"],
      ["产出指标", "质量指标", "武警医疗经费使用合规性", "合规", "5.00"],
      ["产出指标", "时效指标", "报销费用发放及时率", "=100.00(%)", "10.00"],
      ["产出指标", "时效指标", "就医卡发放及时性", "及时", "10.00"],
      ["效益指标", "社会效益指标", "武警官兵就医方便程度", "明显提高", "5.00"],
      ["效益指标", "社会效益指标", "有效投诉率", "<0.05(%)", "5.00"],
      ["效益指标", "社会效益指标", "有责投诉处置率", "=100.00(%)", "5.00"],
      ["效益指标", "可持续影响指标", "长效管理机制健全性", "建立健全", "5.00"],
      ["满意度指标", "服务对象满意度指标", "武警官兵满意度", "≥95(%)", "5.00"],
    ]);
    // 医疗救助 repeats 救助对象条件符合率 (质量指标 and 经济效益指标, 5 points each): both rows kept as the sheet prints them.
    const assistance = (await getDeclaration(db, await projectIdOf(db, MINHANG, 2024, "医疗救助")))!;
    expect(assistance.indicators.filter((row) => row.name === "救助对象条件符合率").map((row) => [row.level1, row.level2, row.target, row.weight])).toEqual([
      ["产出指标", "质量指标", "=100.00(%)", "5.00"],
      ["效益指标", "经济效益指标", "=100.00(%)", "5.00"],
    ]);
    // The stored declaration passes the form's own validation as it stands.
    expect("errors" in validateDeclaration(declarationInputOf(assistance))).toBe(false);
    const targets = await db.selectFrom("performance_indicator").select("target").execute();
    expect(targets.filter((row) => isTargetParseError(parseTarget(row.target)))).toEqual([]);
  });

  it("saves goals and indicator changes in one audited transaction, appending new rows", async () => {
    const projectId = await projectIdOf(db, BAOSHAN, 2023, "医保网络运行维护");
    const { input, stamp } = await asSubmitted(db, projectId);
    const before = (await projectHistory(db, projectId)).length;
    input.annualGoal = "提高中心、街镇计算机网络系统运行安全，全年故障修复不超过 24 小时。";
    input.indicators[0]!.target = "全区 24 个点位";
    input.indicators.splice(3, 1); // 工作人员满意度
    input.indicators.push({ id: "", level1: "效益指标", level2: "可持续影响指标", name: "系统可用率", target: "≥99.5%", weight: "" });
    expect(await saveDeclarationAs(db, PLANNER, projectId, stamp, valid(input))).toBe("saved");

    const after = (await getDeclaration(db, projectId))!;
    expect(after.goals.annualGoal).toBe(input.annualGoal);
    expect(after.indicators.map((row) => `${row.name} ${row.target}`)).toEqual([
      "覆盖面 全区 24 个点位",
      "计划及时性 及时",
      "维护维修及时 及时",
      "服务对象满意 满意",
      "系统可用率 ≥99.5%",
    ]);
    const history = await projectHistory(db, projectId);
    const entries = history.slice(0, history.length - before);
    expect(entries.map((entry) => `${entry.tableName} ${entry.action}`).sort()).toEqual([
      "performance_declaration update",
      "performance_indicator delete",
      "performance_indicator insert",
      "performance_indicator update",
    ]);
    expect(new Set(entries.map((entry) => entry.username))).toEqual(new Set(["maqiao.planner"]));
    expect(after.stamp).not.toBe(stamp);
  });

  it("refuses a save from a stale form and changes nothing", async () => {
    const projectId = await projectIdOf(db, BAOSHAN, 2023, "医疗救助资金");
    const first = await asSubmitted(db, projectId);
    const second = await asSubmitted(db, projectId);
    first.input.indicators[1]!.target = "≥99%";
    expect(await saveDeclarationAs(db, PLANNER, projectId, first.stamp, valid(first.input))).toBe("saved");
    second.input.annualGoal = "另一人的修改";
    expect(await saveDeclarationAs(db, PLANNER, projectId, second.stamp, valid(second.input))).toEqual({ kind: "conflict" });
    const stored = (await getDeclaration(db, projectId))!;
    expect(stored.goals.annualGoal).toMatch(/^严格依据规定标准发放救助资金/);
    expect(stored.indicators[1]!.target).toBe("≥99%");
  });

  it("refuses to delete an indicator a tracking form reports on, naming it, and rolls the whole save back", async () => {
    const projectId = await projectIdOf(db, BAOSHAN, 2023, "市民社区医疗互助帮困计划资金");
    // A real draft of the mid-year tracking form for the project: one row per declared indicator.
    const view = (await loadTrackingForm(db, projectId, { periodEnd: null }))!;
    const { values, indicators } = trackingWrite(view);
    const formId = await withActor(db, { userId: null, username: "baoshan.submitter" }, (trx) =>
      createTrackingForm(trx, { projectId, periodStart: view.periodStart, periodEnd: view.periodEnd }, values, indicators, { userId: null, username: "baoshan.submitter" }),
    );
    const { input, stamp } = await asSubmitted(db, projectId);
    const referenced = input.indicators[8]!;
    input.annualGoal = "不应保存的修改";
    input.indicators = input.indicators.filter((row) => row !== referenced);
    expect(await saveDeclarationAs(db, PLANNER, projectId, stamp, valid(input))).toEqual({
      kind: "in-use",
      names: ["全年来信来访有效投诉人次"],
    });
    const stored = (await getDeclaration(db, projectId))!;
    expect(stored.indicators).toHaveLength(9);
    expect(stored.goals.annualGoal).toMatch(/^配合基本医疗保险制度改革/);
    expect(stored.stamp).toBe(stamp);
    // The form's rows are all still there.
    const rows = await db.selectFrom("tracking_form_indicator").select("name").where("form_id", "=", formId).orderBy("sort_order").execute();
    expect(rows.map((row) => row.name)).toEqual(stored.indicators.map((row) => row.name));
    expect(rows.map((row) => row.name)).toContain("全年来信来访有效投诉人次");
  });
});
