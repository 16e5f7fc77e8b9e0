import { describe, expect, it } from "vitest";
import {
  DEFAULT_DEVIATION_CAUSES,
  DEVIATION_CATEGORIES,
  FORM_STATES,
  canTransition,
  estimateFullYear,
  isFrozen,
  nextStates,
  stageConclusion,
  submissionProblems,
  submissionWarnings,
  validateDeviationCauses,
  type TrackedIndicator,
  type TrackingFormInput,
} from "./tracking.ts";
import { isTargetParseError, parseTarget, targetCompletion } from "./targets.ts";
import { ROLES } from "./permissions.ts";

/** 马桥 2024 payments per month (DOMAIN.md, from the cumulative curve of 表1-4-2). */
const MAQIAO_2024_MONTHLY = [
  "87149.70", "35722.10", "30010.15", "44492.61", "38118.25", "92940.10",
  "62703.06", "21047.14", "69446.96", "55438.40", "44688.65", "57561.19",
];

/** An indicator row of the form, its completion computed from target and actual as the app would. */
function indicatorRow(name: string, targetText: string, actual: string | null, judgement?: "达成" | "部分达成" | "未达成"): TrackedIndicator {
  const target = parseTarget(targetText);
  if (isTargetParseError(target)) throw new Error(target.message);
  const { completion, met } = targetCompletion(target, actual, judgement);
  return { indicatorId: name, name, completion, met, deviationCauseCode: null, deviationCause: null, correctiveMeasure: null };
}

/** 华漕's mid-year form of 2024-08-31 (seeds/000): 959,622.79 of 1,109,200.00, every indicator met. */
function huacaoForm(): TrackingFormInput {
  return {
    budget: "1109200.00",
    executed: "959622.79",
    execution: { deviationCauseCode: null, deviationCause: null, correctiveMeasure: null },
    indicators: [
      indicatorRow("全年门急诊医疗救助最高限额", "≤2800元/人", "2800"),
      indicatorRow("全年住院医疗救助最高限额", "≤13万/人", "13"),
      indicatorRow("医疗救助总人次", "目标人群基本覆盖（按年度实际数据填列）", null, "达成"),
      indicatorRow("资金结算准确率", "100.00%", "100.00%"),
      indicatorRow("医疗救助及时率", "100.00%", "100.00%"),
      indicatorRow("救助对象类型覆盖率", "100.00%", "100.00%"),
      indicatorRow("有责违规事件发生数", "0发生", "0发生"),
      indicatorRow("医疗保障制度体系建设", "有效推进", null, "达成"),
    ],
    adjustmentNeeded: false,
    budgetCompletionLikelihood: "确定能完成",
    targetCompletionLikelihood: "确定能完成",
    estimatedFullYearExecution: null,
  };
}

describe("stage conclusion", () => {
  it("is 运行正常 for 华漕: execution 86.51%, every indicator met", () => {
    const form = huacaoForm();
    expect(stageConclusion({ executionRate: "86.51", targetCompletions: form.indicators })).toEqual({ conclusion: "运行正常", failing: [] });
    expect(submissionProblems(form)).toEqual([]);
  });

  it("passes at 75.00 and fails at 74.99, for execution and for indicators", () => {
    const at = (executionRate: string, completion: string) =>
      stageConclusion({ executionRate, targetCompletions: [{ indicatorId: "培训覆盖人次", completion, met: false }] });
    expect(at("75.00", "75.00")).toEqual({ conclusion: "运行正常", failing: [] });
    expect(at("74.99", "75.00")).toEqual({ conclusion: "运行偏差", failing: [{ kind: "execution" }] });
    expect(at("75.00", "74.99")).toEqual({ conclusion: "运行偏差", failing: [{ kind: "indicator", indicatorId: "培训覆盖人次" }] });
    expect(at("74.99", "74.99").failing).toHaveLength(2);
  });

  it("passes a met ≤ indicator, fails one beyond its bound below the threshold and one not reported", () => {
    const within = indicatorRow("全年门急诊医疗救助最高限额", "≤2800元/人", "2000");
    const beyond = indicatorRow("有效投诉率", "<0.05(%)", "0.08");
    const missing = indicatorRow("救助对象满意度", "≥85%", null);
    expect(beyond.completion).toBe("62.50");
    expect(stageConclusion({ executionRate: "90.00", targetCompletions: [within, beyond, missing] }).failing).toEqual([
      { kind: "indicator", indicatorId: "有效投诉率" },
      { kind: "indicator", indicatorId: "救助对象满意度" },
    ]);
  });

  it("takes the threshold as configured, and does not fail a project with nothing budgeted", () => {
    expect(stageConclusion({ executionRate: "80.00", targetCompletions: [], threshold: "85.00" }).conclusion).toBe("运行偏差");
    expect(stageConclusion({ executionRate: null, targetCompletions: [] }).conclusion).toBe("运行正常");
  });
});

describe("deviation causes", () => {
  it("cover the five national categories and the domain's refinements", () => {
    expect(new Set(DEFAULT_DEVIATION_CAUSES.map((cause) => cause.category))).toEqual(new Set(DEVIATION_CATEGORIES));
    const labels = DEFAULT_DEVIATION_CAUSES.map((cause) => cause.label);
    for (const label of ["政策调整", "受益对象少于预期", "结算滞后", "采购延迟"]) expect(labels).toContain(label);
    expect(validateDeviationCauses(DEFAULT_DEVIATION_CAUSES)).toEqual([]);
  });

  it("reject a broken catalogue with reasons", () => {
    expect(
      validateDeviationCauses([
        { code: "policy-change", category: "制度保障", label: "政策调整" },
        { code: "policy-change", category: "制度保障", label: "政策变化" },
        { code: "天气", category: "其他", label: "" },
        { code: "x", category: "资金" as never, label: "资金" },
      ]),
    ).toEqual([
      "偏差原因代码“policy-change”重复",
      "第3项偏差原因：代码“天气”应为小写字母、数字和连字符",
      "偏差原因“天气”：缺少名称",
      "偏差原因“x”：类别“资金”不是 经费保障、制度保障、人员保障、硬件条件保障、其他 之一",
    ]);
    expect(validateDeviationCauses([])).toEqual(["偏差原因目录为空"]);
  });
});

describe("submission problems", () => {
  it("name each missing field of each failing item, in Chinese", () => {
    const form = huacaoForm();
    form.executed = "700000.00"; // 63.11%
    form.indicators = [...form.indicators, indicatorRow("医疗救助总人次（实数）", "≥4180人次", "1809人次")];
    form.budgetCompletionLikelihood = null;
    form.targetCompletionLikelihood = null;
    form.adjustmentNeeded = null;
    expect(submissionProblems(form).map((problem) => problem.message)).toEqual([
      "预算执行：缺少偏差原因类别",
      "预算执行：缺少偏差原因说明",
      "预算执行：缺少纠偏措施",
      "指标“医疗救助总人次（实数）”：缺少偏差原因类别",
      "指标“医疗救助总人次（实数）”：缺少偏差原因说明",
      "指标“医疗救助总人次（实数）”：缺少纠偏措施",
      "缺少年度预算完成可能性",
      "缺少年度绩效目标完成可能性",
      "缺少“是否需要预算调整”",
    ]);
    expect(submissionProblems(form)[3]).toMatchObject({ item: { kind: "indicator", indicatorId: "医疗救助总人次（实数）" }, field: "deviationCauseCode" });
  });

  it("are gone once causes and measures are given, and check the cause against the catalogue", () => {
    const form = huacaoForm();
    form.executed = "700000.00";
    form.execution = { deviationCauseCode: "settlement-lag", deviationCause: "8 月批次 9 月初结算", correctiveMeasure: "加快审核" };
    expect(submissionProblems(form)).toEqual([]);
    form.execution = { deviationCauseCode: "weather", deviationCause: "  ", correctiveMeasure: "加快审核" };
    expect(submissionProblems(form).map((problem) => problem.message)).toEqual([
      "预算执行：偏差原因类别“weather”不在偏差原因目录中",
      "预算执行：缺少偏差原因说明",
    ]);
    expect(submissionProblems({ ...form, causes: [{ code: "weather", category: "其他", label: "天气" }] }).map((problem) => problem.field)).toEqual([
      "deviationCause",
    ]);
  });

  it("ask for an indicator's completion before its explanation", () => {
    const form = huacaoForm();
    form.indicators = [indicatorRow("医疗救助及时率", "100.00%", null), indicatorRow("制度建设", "建立健全", null, "部分达成")];
    expect(submissionProblems(form).map((problem) => problem.message)).toEqual([
      "指标“医疗救助及时率”：缺少完成情况",
      "指标“制度建设”：缺少偏差原因类别",
      "指标“制度建设”：缺少偏差原因说明",
      "指标“制度建设”：缺少纠偏措施",
    ]);
  });

  it("require the adjusted budget when an adjustment is needed, and that it foots", () => {
    const form = huacaoForm();
    form.adjustmentNeeded = true;
    expect(submissionProblems(form).map((problem) => problem.message)).toEqual(["预算调整：缺少调整后预算数"]);
    form.adjustment = { adjustedBudget: "1000000.00", decrease: "109200.00", increase: null };
    expect(submissionProblems(form)).toEqual([]);
    form.adjustment = { adjustedBudget: "1000000.00", decrease: "100000.00", increase: null };
    expect(submissionProblems(form).map((problem) => problem.message)).toEqual([
      "预算调整：调整后预算数 1000000.00 与 当年预算数 − 调减 + 调增 = 1009200.00 不符",
    ]);
  });

  it("require a reason when the pre-filled full-year estimate is changed", () => {
    const form = { ...huacaoForm(), estimatedFullYearPrefill: "1100000.00", estimatedFullYearExecution: "1050000.00" };
    expect(submissionProblems(form).map((problem) => problem.message)).toEqual(["全年预计执行数：修改了预填值，须说明理由"]);
    expect(submissionProblems({ ...form, estimatedFullYearReason: "9 月起救助对象减少" })).toEqual([]);
    expect(submissionProblems({ ...form, estimatedFullYearExecution: "1100000" })).toEqual([]);
  });
});

describe("submission warnings", () => {
  it("flag an estimated full-year execution below the threshold even when the current rate passes", () => {
    const form = { ...huacaoForm(), estimatedFullYearExecution: "800000.00" };
    expect(stageConclusion({ executionRate: "86.51", targetCompletions: form.indicators }).conclusion).toBe("运行正常");
    expect(submissionWarnings(form)).toEqual(["全年预计执行率 72.12% 低于 75%"]);
    expect(submissionWarnings({ ...form, estimatedFullYearExecution: "831900.00" })).toEqual([]); // exactly 75.00%
    expect(submissionWarnings({ ...form, estimatedFullYearExecution: "831899.00" })).toEqual([]); // 74.9999…, shown and judged as 75.00
    expect(submissionWarnings({ ...form, estimatedFullYearExecution: "831788.00" })).toEqual(["全年预计执行率 74.99% 低于 75%"]);
    expect(submissionWarnings({ ...form, estimatedFullYearExecution: "800000.00", threshold: "72.50" })).toEqual(["全年预计执行率 72.12% 低于 72.5%"]);
    expect(submissionWarnings({ ...form, estimatedFullYearExecution: "1200000.00" })).toEqual(["全年预计执行率 108.19% 超过 100%，可能需要调增预算"]);
    expect(submissionWarnings({ ...form, estimatedFullYearExecution: null })).toEqual([]);
  });
});

describe("estimateFullYear", () => {
  it("scales this year's pace by last year's profile, to the cent", () => {
    // 马桥 2024 had paid 412,183.11 of 639,318.31 by August: the same pace gives the same total.
    expect(estimateFullYear(MAQIAO_2024_MONTHLY, "412183.11", 8)).toBe("639318.31");
    // 500,000.00 × 639,318.31 ÷ 412,183.11 = 775,527.0588… → 775,527.06
    expect(estimateFullYear(MAQIAO_2024_MONTHLY, "500000.00", 8)).toBe("775527.06");
    // By June 328,432.91 had been paid: 300,000.00 × 639,318.31 ÷ 328,432.91 = 583,971.603…
    expect(estimateFullYear(MAQIAO_2024_MONTHLY, "300000.00", 6)).toBe("583971.60");
    expect(estimateFullYear(MAQIAO_2024_MONTHLY, "959622.79", 12)).toBe("959622.79");
  });

  it("falls back to a linear pace when last year had paid nothing by that month", () => {
    const lateStart = ["0", "0", "0", "0", "0", "0", "0", "0", "100000.00", "100000.00", "100000.00", "100000.00"];
    expect(estimateFullYear(lateStart, "959622.79", 8)).toBe("1439434.19"); // × 12 ÷ 8 = 1,439,434.185
    expect(estimateFullYear(Array(12).fill("0.00"), "100.00", 3)).toBe("400.00");
  });

  it("refuses a profile that is not twelve months, and a month outside 1–12", () => {
    expect(() => estimateFullYear(MAQIAO_2024_MONTHLY.slice(1), "1", 8)).toThrow("上年月度支付数应为 12 个月，实为 11 个");
    expect(() => estimateFullYear(MAQIAO_2024_MONTHLY, "1", 0)).toThrow(RangeError);
    expect(() => estimateFullYear(MAQIAO_2024_MONTHLY, "1", 8.5)).toThrow(RangeError);
  });
});

describe("workflow", () => {
  it("lets submitters submit and resubmit, managers return and accept", () => {
    expect(canTransition("draft", "submitted", "submitter")).toBe(true);
    expect(canTransition("submitted", "returned", "manager")).toBe(true);
    expect(canTransition("returned", "resubmitted", "submitter")).toBe(true);
    expect(canTransition("resubmitted", "returned", "manager")).toBe(true);
    expect(canTransition("resubmitted", "accepted", "manager")).toBe(true);
    expect(canTransition("submitted", "accepted", "manager")).toBe(true);
  });

  it("refuses everything else, and freezes accepted forms", () => {
    expect(canTransition("draft", "submitted", "manager")).toBe(false);
    expect(canTransition("submitted", "accepted", "submitter")).toBe(false);
    expect(canTransition("returned", "submitted", "submitter")).toBe(false);
    expect(canTransition("draft", "accepted", "manager")).toBe(false);
    for (const role of ROLES) {
      for (const to of FORM_STATES) expect(canTransition("accepted", to, role), `${role} → ${to}`).toBe(false);
    }
    expect(nextStates("draft", "submitter")).toEqual(["submitted"]);
    expect(nextStates("resubmitted", "manager")).toEqual(["returned", "accepted"]);
    expect(nextStates("submitted", "admin")).toEqual([]);
    expect(isFrozen("accepted")).toBe(true);
    expect(isFrozen("returned")).toBe(false);
  });
});
