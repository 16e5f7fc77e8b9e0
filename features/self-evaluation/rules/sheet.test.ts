import { describe, expect, it } from "vitest";
import { render } from "../../../messages/index.ts";
import { grade } from "../../../domain/execution.ts";
import { actualSummaryProblem, evaluateSelfEvaluation, fundsRows, problemFieldName, readIndicator, sheetTotals, type SheetIndicator } from "./index.ts";

const row = (overrides: Partial<SheetIndicator> & Pick<SheetIndicator, "key" | "name" | "target" | "weight">): SheetIndicator => ({
  actual: null,
  judgement: null,
  score: null,
  scoreReason: null,
  deviationAnalysis: null,
  ...overrides,
});

/** 003 长护险护理试点工作经费 as entered (weights 90; 培训覆盖人次 2,629 of 5,000 scored 9.50). */
const LTC: SheetIndicator[] = [
  row({ key: "1", name: "成本控制有效性", target: "有效", weight: "10.00", judgement: "达成" }),
  row({ key: "2", name: "政策宣传", target: "=5000(人)", weight: "10.00", actual: "5000.00(人)" }),
  row({ key: "3", name: "培训覆盖人次", target: "=5000.00(人)", weight: "10.00", actual: "2629.00(人)", score: "9.50", scoreReason: "护理员共2635人，已基本全覆盖", deviationAnalysis: "可适当增加培训安排次数" }),
  row({ key: "4", name: "宣传活动主题符合性", target: "符合", weight: "5.00", judgement: "达成" }),
  row({ key: "5", name: "培训考核合格率", target: "=100.00(%)", weight: "10.00", actual: "100.00(%)" }),
  row({ key: "6", name: "宣传、培训工作完成及时性", target: "及时", weight: "10.00", judgement: "达成" }),
  row({ key: "7", name: "长护险政策知晓率提升情况", target: "提升", weight: "5.00", judgement: "达成" }),
  row({ key: "8", name: "有责投诉处置率", target: "=100.00(%)", weight: "10.00", actual: "100.00(%)" }),
  row({ key: "9", name: "长效管理制度建立情况", target: "建立健全", weight: "5.00", judgement: "达成", score: "4.50", deviationAnalysis: "进一步完善长效管理制度" }),
  row({ key: "10", name: "培训对象满意度", target: "≥90(%)", weight: "5.00", actual: "97.53(%)" }),
  row({ key: "11", name: "护理对象满意度", target: "≥90.00(%)", weight: "10.00", actual: "98.06(%)" }),
];
const LTC_FUNDS = { initial: "172200.00", adjusted: "172200.00", executed: "172000.00" };

describe("funds rows", () => {
  it("shows 医疗救助's 412.00 / 329.00 / 316.73 万元 at 96.27%, score 9.63 on the total row only", () => {
    const total = { initial: "4120000.00", adjusted: "3290000.00", executed: "3167300.00" };
    const rows = fundsRows(total, [{ ...total, fundType: "当年财政拨款" }]);
    expect(rows.map((r) => [r.kind, r.initialWan, r.adjustedWan, r.executedWan, r.executionRate, r.weight, r.score])).toEqual([
      ["total", "412.00", "329.00", "316.73", "96.27", "10.00", "9.63"],
      ["当年财政拨款", "412.00", "329.00", "316.73", "96.27", null, null],
      ["上年结转", "0.00", "0.00", "0.00", null, null, null],
      ["其他资金", "0.00", "0.00", "0.00", null, null, null],
    ]);
  });

  it("takes the rate from exact 元: 城乡居民医保 14,355.00 / 12,759.15 → 88.88%, 8.89 (1.28 ÷ 1.44 万元 would give 88.89)", () => {
    const [total] = fundsRows({ initial: "233500.00", adjusted: "14355.00", executed: "12759.15" }, []);
    expect([total!.adjustedWan, total!.executedWan, total!.executionRate, total!.score]).toEqual(["1.44", "1.28", "88.88", "8.89"]);
  });

  it("adds payments booked to no line to the lines' one fund type, so that the rows add to the total (华漕 95.96 of 110.92 万元)", () => {
    const total = { initial: "0.00", adjusted: "1109200.00", executed: "959600.00" };
    const rows = fundsRows(total, [{ initial: "0.00", adjusted: "1109200.00", executed: "0.00", fundType: "当年财政拨款" }]);
    expect(rows.map((r) => [r.kind, r.adjustedWan, r.executedWan, r.executionRate])).toEqual([
      ["total", "110.92", "95.96", "86.51"],
      ["当年财政拨款", "110.92", "95.96", "86.51"],
      ["上年结转", "0.00", "0.00", null],
      ["其他资金", "0.00", "0.00", null],
    ]);
  });

  it("puts what mixed lines do not account for under 当年财政拨款", () => {
    const rows = fundsRows({ initial: "300.00", adjusted: "300.00", executed: "250.00" }, [
      { initial: "100.00", adjusted: "100.00", executed: "50.00", fundType: "上年结转" },
      { initial: "100.00", adjusted: "100.00", executed: "50.00", fundType: "其他资金" },
    ]);
    expect(rows.map((r) => [r.kind, r.initial, r.executed])).toEqual([
      ["total", "300.00", "250.00"],
      ["当年财政拨款", "100.00", "150.00"],
      ["上年结转", "100.00", "50.00"],
      ["其他资金", "100.00", "50.00"],
    ]);
  });
});

describe("indicator rows", () => {
  it("marks 培训覆盖人次 2,629 of 5,000 entered 9.50 as a departure from the rule's 5.26", () => {
    const reading = readIndicator(LTC[2]!);
    expect(reading).toMatchObject({ ruleScore: "5.26", score: "9.50", departure: true, belowWeight: true, problems: [] });
  });

  it("needs a reason for a departure and an analysis below the weight, each naming the indicator and field", () => {
    const reading = readIndicator({ ...LTC[2]!, scoreReason: " ", deviationAnalysis: null });
    expect(reading.problems.map((p) => [problemFieldName(p), render("zh", p.message)])).toEqual([
      ["ind.3.scoreReason", "指标“培训覆盖人次”：得分9.50与按规则计算的5.26不同，须说明理由"],
      ["ind.3.deviationAnalysis", "指标“培训覆盖人次”：得分低于分值，须填写偏差原因分析及改进措施"],
    ]);
    expect(render("en", reading.problems[0]!.message)).toBe("Indicator “培训覆盖人次”: the score 9.50 differs from the rule's 5.26: give the reason");
  });

  it("takes a qualitative score within its judgement's band as the rule's, and the band's top when none is entered", () => {
    expect(readIndicator(LTC[8]!)).toMatchObject({ qualitative: true, ruleScore: "4.50", score: "4.50", departure: false, belowWeight: true, problems: [] });
    expect(readIndicator(LTC[0]!)).toMatchObject({ ruleScore: "10.00", score: "10.00", departure: false, belowWeight: false });
    expect(readIndicator({ ...LTC[0]!, judgement: "部分达成" })).toMatchObject({ ruleScore: "8.00", belowWeight: true });
    const outside = readIndicator({ ...LTC[0]!, score: "5.00", deviationAnalysis: "…" });
    expect(outside.ruleScore).toBeNull();
    expect(outside.problems.map((p) => p.field)).toEqual(["score"]);
  });

  it("counts a met upper bound as full marks and a met target scored lower as a departure", () => {
    expect(readIndicator(row({ key: "a", name: "参保人员投诉率", target: "≤0.05(%)", weight: "10.00", actual: "0.00(%)" })).score).toBe("10.00");
    const satisfaction = readIndicator(row({ key: "b", name: "系统使用人员满意度", target: "≥95.00(%)", weight: "10.00", actual: "95.00(%)", score: "9.00" }));
    expect(satisfaction).toMatchObject({ ruleScore: "10.00", score: "9.00", departure: true });
    expect(satisfaction.problems.map((p) => p.field)).toEqual(["scoreReason", "deviationAnalysis"]);
  });

  it("names what is missing or unreadable", () => {
    const fields = (r: SheetIndicator) => readIndicator(r).problems.map((p) => p.field);
    expect(fields(row({ key: "a", name: "x", target: "=100(%)", weight: "10.00" }))).toEqual(["actual"]);
    expect(fields(row({ key: "a", name: "x", target: "及时", weight: "10.00" }))).toEqual(["judgement"]);
    expect(fields(row({ key: "a", name: "x", target: "=100(%)", weight: "10.00", actual: "abc" }))).toEqual(["actual"]);
    expect(fields(row({ key: "a", name: "x", target: "=100(%)", weight: "10.00", actual: "100(%)", score: "-1" }))).toEqual(["score"]);
    expect(fields(row({ key: "a", name: "x", target: "=100(%)", weight: "10.00", actual: "100(%)", score: "12" }))).toEqual(["score"]);
    expect(fields(row({ key: "a", name: "x", target: "=100(%)", weight: null, actual: "100(%)" }))).toEqual(["weight"]);
  });
});

describe("the whole sheet", () => {
  it("reproduces 长护险's printed 98.99 优 (funds 9.99) with the departure listed, and 93.75 by the rule", () => {
    const result = evaluateSelfEvaluation({ total: LTC_FUNDS, lines: [{ ...LTC_FUNDS, fundType: "当年财政拨款" }], actualSummary: "印制宣传折页…", indicators: LTC });
    expect([result.fundScore, result.weightSum, result.indicatorScore, result.total, result.grade]).toEqual(["9.99", "90.00", "89.00", "98.99", "优"]);
    expect([result.ruleIndicatorScore, result.ruleTotal, result.ruleGrade]).toEqual(["84.76", "94.75", "优"]);
    expect(result.departures).toEqual([{ key: "3", name: "培训覆盖人次", weight: "10.00", ruleScore: "5.26", score: "9.50", reason: "护理员共2635人，已基本全覆盖" }]);
    expect(result.problems).toEqual([]);
  });

  it("refuses weights that do not add to 90, naming the sum, and a missing 实际完成情况", () => {
    const result = evaluateSelfEvaluation({ total: LTC_FUNDS, lines: [], actualSummary: " ", indicators: LTC.slice(1) });
    expect(result.problems.map((p) => [problemFieldName(p), render("zh", p.message)])).toEqual([
      ["weights", "指标分值合计为80.00，应为90.00；请先修改绩效目标的分值"],
      ["actualSummary", "缺少年度总体目标的实际完成情况"],
    ]);
  });

  it("grades by the bands given (Shanghai's by default)", () => {
    const result = evaluateSelfEvaluation({ total: LTC_FUNDS, lines: [], actualSummary: "x", indicators: LTC, gradeBands: { 优: "99", 良: "80", 合格: "60" } });
    expect(result.grade).toBe("良");
    expect(grade("89.65")).toBe("良");
    expect(grade("89.65", { 优: "85", 良: "70", 合格: "50" })).toBe("优");
  });

  it("adds up 总分 by one rule, the sheet's and the form's as the user types: sheetTotals gives the evaluation's figures", () => {
    const bands = { 优: "99", 良: "80", 合格: "60" };
    for (const indicators of [LTC, LTC.map((r) => ({ ...r, score: null })), LTC.map((r, i) => (i === 4 ? { ...r, actual: null } : r))]) {
      const result = evaluateSelfEvaluation({ total: LTC_FUNDS, lines: [], actualSummary: "x", indicators, gradeBands: bands });
      const typed = sheetTotals(result.fundScore, indicators.map((r) => readIndicator(r)), result.gradeBands);
      expect(typed).toEqual({
        indicatorScore: result.indicatorScore,
        ruleIndicatorScore: result.ruleIndicatorScore,
        total: result.total,
        ruleTotal: result.ruleTotal,
        grade: result.grade,
        ruleGrade: result.ruleGrade,
      });
      expect(result.gradeBands).toEqual(bands);
    }
    // A row without a score yet counts 0: 培训考核合格率 (10.00) missing its actual.
    expect(sheetTotals("9.99", LTC.map((r, i) => readIndicator(i === 4 ? { ...r, actual: null } : r))).total).toBe("88.99");
    expect(actualSummaryProblem(" \n")?.field).toBe("actualSummary");
    expect(actualSummaryProblem("印制宣传折页")).toBeNull();
  });
});
