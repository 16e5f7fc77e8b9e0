import { describe, expect, it } from "vitest";
import {
  countMeasure,
  lineMeasure,
  namesSubject,
  pickDeclarations,
  quantityTarget,
  subjectOf,
  targetAgreement,
  type IndicatorRow,
  type PlanQuantityLine,
  type TargetIndicator,
} from "./targets.ts";

/* 预算与绩效目标相符: the declared quantity targets next to the plan's quantities, with the demo's figures. */

let next = 0;
function line(values: Partial<PlanQuantityLine> & Pick<PlanQuantityLine, "item" | "quantity" | "method">): PlanQuantityLine {
  next += 1;
  return { key: `L${next}`, projectId: 1, projectName: "医疗救助", unitId: 7, composition: "医疗救助", standard: null, derivation: null, ...values };
}

const RATE = { unit: "%" };
const PER_HEAD = { unit: "元/人" };
const driver = (code: string, name: string, year: number, measure = "人") => ({ code, name, year, measure });

/** 马桥's 医疗救助 lines for 2025 as the plan proposes them (person-times modelled, premiums per head, formula lines). */
const maqiao: PlanQuantityLine[] = [
  line({ key: "F1", composition: "内扣社区医疗互助帮困资金", item: "筹集2025年医疗互助帮困资金", method: "formula", quantity: "497.00", derivation: { kind: "fundraising", quantity: driver("MH-PARTICIPANTS", "市民社区医疗互助帮困参加人数", 2024) } }),
  line({ key: "F2", composition: "内扣社区医疗互助帮困资金", item: "筹集2025年照护资金", method: "formula", quantity: "497.00", derivation: { kind: "fundraising", quantity: driver("MH-PARTICIPANTS", "市民社区医疗互助帮困参加人数", 2024) } }),
  line({ key: "F3", composition: "内扣社区医疗互助帮困资金", item: "清算2024年医疗资金", method: "formula", quantity: "0.00", derivation: { kind: "clearing", quantity: driver("MH-PARTICIPANTS", "市民社区医疗互助帮困参加人数", 2024) } }),
  line({ key: "F5", composition: "内扣社区医疗互助帮困资金", item: "分担2024年超支资金", method: "formula", quantity: "497.00", derivation: { kind: "overspend", quantity: driver("MH-PARTICIPANTS", "市民社区医疗互助帮困参加人数", 2024) } }),
  line({ key: "L2", composition: "内扣社区医疗互助帮困资金", item: "城乡居民基本医疗保险个人缴费补助资金", method: "standard", quantity: "106.00", standard: PER_HEAD }),
  line({ key: "L4", item: "困难人员居保缴费补助", method: "standard", quantity: "9.00", standard: PER_HEAD }),
  line({ key: "L6", item: "市级政策门急诊救助", method: "model", quantity: "1218.00", standard: RATE }),
  line({ key: "L8", item: "门急诊起付线补助", method: "model", quantity: "362.00", standard: RATE }),
];

const indicator = (name: string, target: string, values: Partial<TargetIndicator> = {}): TargetIndicator => ({
  projectId: 1,
  level1: "产出指标",
  level2: "数量指标",
  name,
  target,
  ...values,
});

const only = (lines: readonly PlanQuantityLine[], indicators: TargetIndicator[]) => {
  const [project] = targetAgreement(lines, indicators);
  return project!;
};

describe("what counts as a quantity target", () => {
  it("reads count measures through the existing target parser, 万 as ten thousand", () => {
    expect(quantityTarget({ level2: "数量指标", target: "=160.00(人)" })).toMatchObject({ operator: "=", measure: "人" });
    expect(quantityTarget({ level2: "数量指标", target: "≥1500人次" })!.value.toFixed(2)).toBe("1500.00");
    expect(quantityTarget({ level2: "数量指标", target: "≥0.15万人次" })!.value.toFixed(2)).toBe("1500.00");
    expect(quantityTarget({ level2: "数量指标", target: "=50.00(家)" })).toMatchObject({ measure: "家" });
    expect(countMeasure("名")).toEqual({ measure: "人", scale: "1" });
  });

  it("leaves out percentages, amounts, qualitative values, bare numbers, zero and other level-2 indicators", () => {
    for (const target of ["=100(%)", "≤2800元/人", "≤3630250.00(元)", "目标人群基本覆盖（按年度实际数据填列）", "应保尽保", "100", "=0.00(例)", "9 月 30 日前", "≥"]) {
      expect(quantityTarget({ level2: "数量指标", target }), target).toBeNull();
    }
    expect(quantityTarget({ level2: "质量指标", target: "=160.00(人)" })).toBeNull();
  });

  it("knows what a line's quantity counts", () => {
    expect(lineMeasure(maqiao[0]!)).toEqual({ measure: "人", scale: "1" });
    expect(lineMeasure(maqiao[4]!)).toEqual({ measure: "人", scale: "1" });
    expect(lineMeasure(maqiao[6]!)).toEqual({ measure: "人次", scale: "1" });
    expect(lineMeasure(line({ item: "x", method: "standard", quantity: "3.00", standard: { unit: "元/人/年" } }))!.measure).toBe("人");
    expect(lineMeasure(line({ item: "党建工作经费", method: "executed", quantity: "1.00" }))).toBeNull();
    expect(lineMeasure(line({ item: "x", method: "carried", quantity: "1.00" }))).toBeNull();
  });

  it("finds the subject an indicator counts", () => {
    expect(subjectOf("武警官兵人数")).toBe("武警官兵");
    expect(subjectOf("各镇互助帮困人数")).toBe("互助帮困");
    expect(subjectOf("医疗救助总人次")).toBe("医疗救助");
    expect(subjectOf("医疗救助对象规模人次")).toBe("医疗救助对象");
    expect(namesSubject("武警官兵", "武警医疗经费")).toBe(true);
    expect(namesSubject("武警官兵", "市民社区医疗互助帮困参加人数")).toBe(false);
    expect(namesSubject("住院救助", "市级政策门急诊救助")).toBe(false);
    expect(namesSubject("医疗救助", "医疗救助")).toBe(true);
  });
});

describe("targetAgreement", () => {
  it("compares 医疗救助总人次 with the sum of the project's person-time lines: 1,218 + 362 = 1,580 against 1,500", () => {
    const project = only(maqiao, [indicator("医疗救助总人次", "≥1500人次", { declarationYear: 2025, declaredProjectId: 40 })]);
    expect(project.declaration).toEqual({ year: 2025, projectId: 40 });
    expect(project.indicators).toEqual([
      {
        name: "医疗救助总人次",
        level1: "产出指标",
        level2: "数量指标",
        target: "≥1500人次",
        operator: "≥",
        targetValue: "1500.00",
        measure: "人次",
        comparedTarget: "1500.00",
        together: [],
        match: "composition",
        lines: [
          { key: "L6", item: "市级政策门急诊救助", composition: "医疗救助", quantity: "1218.00", measure: "人次" },
          { key: "L8", item: "门急诊起付线补助", composition: "医疗救助", quantity: "362.00", measure: "人次" },
        ],
        setAside: [],
        planned: "1580.00",
        ratio: "105.33",
        difference: "5.33",
        gap: "80.00",
        flagged: false,
      },
    ]);
    expect(project.flagged).toBe(0);
  });

  it("prefers lines whose item names the subject when the indicator is not a total", () => {
    const inpatient = line({ key: "L7", item: "市级政策住院救助", method: "model", quantity: "106.00", standard: RATE });
    const [check] = only([...maqiao, inpatient], [indicator("住院救助人次", "=100(人次)")]).indicators;
    expect(check).toMatchObject({ match: "item", planned: "106.00", ratio: "106.00", difference: "6.00", flagged: false });
    expect(check!.lines.map((l) => l.item)).toEqual(["市级政策住院救助"]);
    // A total takes every person-time line of the 医疗救助 composition: 1,218 + 362 + 106.
    expect(only([...maqiao, inpatient], [indicator("医疗救助总人次", "=1500(人次)")]).indicators[0]).toMatchObject({ match: "composition", planned: "1686.00" });
  });

  it("matches 武警官兵人数 =160.00(人) with the 武警医疗经费 line's 160 officers; other indicators of the sheet are not quantities", () => {
    const armedPolice = line({
      key: "F9",
      projectId: 2,
      projectName: "武警医疗经费",
      composition: "武警医疗经费",
      item: "武警医疗经费",
      method: "formula",
      quantity: "160.00",
      derivation: { kind: "quantity", quantity: driver("ARMED-POLICE", "武警官兵人数", 2025) },
    });
    const project = only(
      [armedPolice],
      [
        indicator("就医卡发放完成率", "=100(%)", { projectId: 2 }),
        indicator("武警官兵人数", "=160.00(人)", { projectId: 2 }),
        indicator("就医卡发放准确率", "=100(%)", { projectId: 2, level2: "质量指标" }),
        indicator("武警医疗经费使用合规性", "合规", { projectId: 2, level2: "质量指标" }),
        indicator("报销费用发放及时率", "=100.00(%)", { projectId: 2, level2: "时效指标" }),
      ],
    );
    expect(project).toMatchObject({ projectId: 2, projectName: "武警医疗经费", declaration: { year: null, projectId: null }, flagged: 0 });
    expect(project.indicators).toHaveLength(1);
    expect(project.indicators[0]).toMatchObject({
      name: "武警官兵人数",
      targetValue: "160.00",
      measure: "人",
      match: "item",
      planned: "160.00",
      ratio: "100.00",
      difference: "0.00",
      gap: "0.00",
      flagged: false,
      lines: [{ key: "F9", item: "武警医疗经费", quantity: "160.00" }],
    });
  });

  it("flags a difference of more than 20%, not one of exactly 20%", () => {
    const officers = [
      line({ projectId: 2, projectName: "武警医疗经费", composition: "武警医疗经费", item: "武警医疗经费", method: "formula", quantity: "160.00", derivation: { kind: "quantity", quantity: driver("ARMED-POLICE", "武警官兵人数", 2025) } }),
    ];
    expect(only(officers, [indicator("武警官兵人数", "=200.00(人)", { projectId: 2 })]).indicators[0]).toMatchObject({ difference: "-20.00", flagged: false });
    const over = only(officers, [indicator("武警官兵人数", "=201(人)", { projectId: 2 })]);
    expect(over.indicators[0]).toMatchObject({ ratio: "79.60", difference: "-20.40", gap: "-41.00", flagged: true });
    expect(over.flagged).toBe(1);
    const persons = only(maqiao, [indicator("医疗救助总人次", "=1300(人次)")]);
    expect(persons.indicators[0]).toMatchObject({ planned: "1580.00", ratio: "121.54", difference: "21.54", flagged: true });
  });

  it("ignores a % or 元 target and qualitative ones, also under 数量指标", () => {
    const project = only(maqiao, [
      indicator("救助对象覆盖率", "100%"),
      indicator("各镇互助帮困照护筹集经费(未含镇财政资金)", "≤3630250.00(元)"),
      indicator("全年门急诊医疗救助最高限额", "≤2800元/人"),
      indicator("医疗救助总人次", "目标人群基本覆盖（按年度实际数据填列）"),
      indicator("参保人数", "应保尽保"),
    ]);
    expect(project.indicators).toEqual([]);
    expect(project.declaration).toEqual({ year: null, projectId: null });
  });

  it("returns a target without a plausible line as 无对应计划数量: planned null, not flagged", () => {
    const training = line({ projectId: 3, projectName: "长护险护理试点工作经费", composition: "长护险护理试点工作经费", item: "长护险护理试点工作经费", method: "executed", quantity: "1.00" });
    const project = only([training], [indicator("培训覆盖人次", "=5000.00(人)", { projectId: 3 })]);
    expect(project.indicators[0]).toMatchObject({ targetValue: "5000.00", match: null, lines: [], planned: null, ratio: null, difference: null, gap: null, flagged: false });
    expect(project.flagged).toBe(0);
    // A project without any indicator has no declaration.
    expect(only([training], []).declaration).toBeNull();
  });

  it("counts a driver once and leaves out clearings and overspend shares: 互助帮困 participants 497, not the premium subsidies", () => {
    const [check] = only(maqiao, [indicator("互助帮困参加人数", "=497(人)")]).indicators;
    expect(check).toMatchObject({ match: "item", planned: "497.00", ratio: "100.00", flagged: false });
    expect(check!.lines.map((l) => l.key)).toEqual(["F1"]);
    expect(check!.setAside.map((l) => [l.key, l.reason])).toEqual([
      ["F2", "sameDriver"],
      ["F3", "clearing"],
      ["F5", "overspend"],
    ]);
  });

  it("falls back to all lines of the measure when no line names the subject", () => {
    const hardship = [maqiao[5]!, maqiao[6]!];
    const [check] = only(hardship, [indicator("资助参保人数", "=10(人)")]).indicators;
    expect(check).toMatchObject({ match: "measure", planned: "9.00", ratio: "90.00", flagged: false });
    expect(check!.lines.map((l) => l.item)).toEqual(["困难人员居保缴费补助"]);
  });

  it("compares the parts of one count together: 各镇 29,042 + 各街道 7,231 against the district's 32,793 participants", () => {
    const mutualAid = line({
      key: "F15",
      projectId: 15,
      projectName: "市民社区医疗互助帮困经费",
      composition: "市民社区医疗互助帮困经费",
      item: "市民社区医疗互助帮困经费（区级）",
      method: "formula",
      quantity: "32793.00",
      derivation: { kind: "quantity", quantity: driver("MH-PARTICIPANTS", "市民社区医疗互助帮困参加人数（全区，各镇和街道）", 2024) },
    });
    const project = only(
      [mutualAid],
      [
        indicator("各镇互助帮困照护筹集经费(未含镇财政资金)", "≤3630250.00(元)", { projectId: 15, level1: "成本指标", level2: "经济成本指标" }),
        indicator("各镇互助帮困人数", "=29042.00(人)", { projectId: 15 }),
        indicator("各街道互助帮困人数", "=7231.00(人)", { projectId: 15 }),
        indicator("帮困对象卡册发放率", "=100.00(%)", { projectId: 15 }),
      ],
    );
    expect(project.indicators.map((c) => [c.name, c.targetValue, c.comparedTarget, c.together, c.planned, c.ratio, c.difference, c.flagged])).toEqual([
      ["各镇互助帮困人数", "29042.00", "36273.00", ["各街道互助帮困人数"], "32793.00", "90.41", "-9.59", false],
      ["各街道互助帮困人数", "7231.00", "36273.00", ["各镇互助帮困人数"], "32793.00", "90.41", "-9.59", false],
    ]);
    // Alone, each part would be compared with the whole.
    expect(only([mutualAid], [indicator("各街道互助帮困人数", "=7231.00(人)", { projectId: 15 })]).indicators[0]).toMatchObject({ comparedTarget: "7231.00", flagged: true });
  });

  it("keeps one entry per plan project in the order of the lines", () => {
    const lines = [maqiao[6]!, line({ projectId: 2, projectName: "武警医疗经费", item: "武警医疗经费", method: "executed", quantity: "1.00" }), maqiao[7]!];
    expect(targetAgreement(lines, []).map((p) => [p.projectId, p.projectName, p.indicators.length])).toEqual([
      [1, "医疗救助", 0],
      [2, "武警医疗经费", 0],
    ]);
  });
});

describe("pickDeclarations", () => {
  const row = (projectId: number, fiscalYear: number, unitId: number, projectName: string, sortOrder: number, name: string, target: string): IndicatorRow => ({
    projectId,
    fiscalYear,
    unitId,
    projectName,
    sortOrder,
    level1: "产出指标",
    level2: "数量指标",
    name,
    target,
  });
  const rows = [
    row(10, 2024, 5, "武警医疗经费", 2, "武警官兵人数", "=160.00(人)"),
    row(10, 2024, 5, "武警医疗经费", 1, "就医卡发放完成率", "=100(%)"),
    row(20, 2025, 5, "武警医疗经费", 1, "武警官兵人数", "=170(人)"),
    row(11, 2024, 5, "市民社区医疗互助帮困经费", 1, "各镇互助帮困人数", "=29042.00(人)"),
    row(30, 2025, 6, "市民社区医疗互助帮困经费", 1, "各镇互助帮困人数", "=1(人)"),
  ];

  it("takes the target year's declaration of the same unit and name, else the base year's, saying which", () => {
    const picked = pickDeclarations(
      2025,
      [
        { projectId: 10, unitId: 5, projectName: "武警医疗经费" },
        { projectId: 11, unitId: 5, projectName: "市民社区医疗互助帮困经费" },
        { projectId: 12, unitId: 5, projectName: "党建工作经费" },
      ],
      rows,
    );
    expect(picked.map((i) => [i.projectId, i.declaredProjectId, i.declarationYear, i.name, i.target])).toEqual([
      [10, 20, 2025, "武警官兵人数", "=170(人)"],
      [11, 11, 2024, "各镇互助帮困人数", "=29042.00(人)"],
    ]);
  });

  it("keeps the base year's rows in declared order", () => {
    const picked = pickDeclarations(2025, [{ projectId: 10, unitId: 5, projectName: "武警医疗经费" }], rows.filter((r) => r.fiscalYear === 2024));
    expect(picked.map((i) => i.name)).toEqual(["就医卡发放完成率", "武警官兵人数"]);
  });
});
