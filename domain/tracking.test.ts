import { describe, expect, it } from "vitest";
import {
  DEFAULT_DEVIATION_CAUSES,
  DEVIATION_CATEGORIES,
  FORM_STATES,
  canTransition,
  estimateFullYear,
  evaluateIndicator,
  evaluateTrackingForm,
  parseTrackingFields,
  textProblem,
  type TrackingIndicatorInput,
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

describe("the form as typed in", () => {
  const row = (name: string, annualTarget: string, values: Partial<TrackingIndicatorInput> = {}): TrackingIndicatorInput => ({
    indicatorId: name,
    name,
    annualTarget,
    dueTarget: null,
    tracked: true,
    actual: null,
    judgement: null,
    deviationCauseCode: null,
    deviationCause: null,
    correctiveMeasure: null,
    ...values,
  });
  const answered = { adjustmentNeeded: false, budgetCompletionLikelihood: "确定能完成", targetCompletionLikelihood: "确定能完成" } as const;
  const noExplanation = { deviationCauseCode: null, deviationCause: null, correctiveMeasure: null };

  it("reads each row against the target due now, else the annual one", () => {
    expect(evaluateIndicator(row("救助对象满意度", "≥85%", { actual: "80%" }))).toEqual({ qualitative: false, completion: "94.12", met: false, deviation: "-5个百分点", error: null });
    expect(evaluateIndicator(row("医疗救助总人次", "≥4000人次", { dueTarget: "≥2600人次", actual: "1950人次" })).completion).toBe("75.00");
    expect(evaluateIndicator(row("医疗救助总人次", "≥4000人次", { dueTarget: "≥2600人次", actual: "1949人次" })).completion).toBe("74.96");
    expect(evaluateIndicator(row("医疗保障制度体系建设", "有效推进", { judgement: "部分达成" }))).toMatchObject({ qualitative: true, met: false, completion: null });
    expect(evaluateIndicator(row("资金结算准确率", "100.00%", { actual: "很准" })).error).toMatch(/^实际值“很准”无法读取/);
    expect(evaluateIndicator(row("x", "≥", { actual: "1" })).error).toBe("指标值“≥”无法识别：第2个字符处应为数字");
  });

  it("concludes 运行正常 for 华漕 with its indicators reported, leaving untracked ones out", () => {
    const evaluation = evaluateTrackingForm({
      budget: "1109200.00",
      executed: "959622.79",
      execution: noExplanation,
      ...answered,
      estimatedFullYearExecution: null,
      indicators: [
        row("全年门急诊医疗救助最高限额", "≤2800元/人", { actual: "2800" }),
        row("医疗救助总人次", "目标人群基本覆盖（按年度实际数据填列）", { judgement: "达成" }),
        row("救助对象对经办便捷程度的满意度", "≥85%", { tracked: false, untrackedReason: "年中尚未开展满意度调查" }),
      ],
    });
    expect(evaluation).toMatchObject({ executionRate: "86.51", conclusion: "运行正常", failing: [], problems: [], warnings: [] });
  });

  it("wants a reason for leaving an indicator out, and at least one indicator tracked", () => {
    const form = { budget: "1109200.00", executed: "959622.79", execution: noExplanation, ...answered, estimatedFullYearExecution: null };
    const oneLeftOut = evaluateTrackingForm({
      ...form,
      indicators: [row("医疗救助及时率", "100.00%", { actual: "100%" }), row("救助对象满意度", "≥85%", { tracked: false, untrackedReason: "  " })],
    });
    expect(oneLeftOut.problems).toEqual([
      { item: { kind: "indicator", indicatorId: "救助对象满意度" }, field: "untrackedReason", message: "指标“救助对象满意度”：不纳入跟踪须说明理由" },
    ]);
    // Leaving out the failing indicator does not hide it without a word, and not all may be left out.
    const allLeftOut = evaluateTrackingForm({
      ...form,
      indicators: [row("医疗救助及时率", "100.00%", { actual: "10%", tracked: false, untrackedReason: "不跟踪" })],
    });
    expect(allLeftOut.problems.map((problem) => problem.message)).toEqual(["主要跟踪指标：至少须有一项指标纳入跟踪"]);
    // A project without indicators needs none.
    expect(evaluateTrackingForm({ ...form, indicators: [] }).problems).toEqual([]);
  });

  it("refuses a completion beyond what a form can record", () => {
    expect(evaluateIndicator(row("支出方向符合度", "100%", { dueTarget: "≥0.001%", actual: "100%" }))).toEqual({
      qualitative: false,
      completion: null,
      met: null,
      deviation: null,
      error: "完成百分比 10000000.00% 超出可记录的范围（绝对值最大 9999999.99%），请核对实际完成值和应完成的绩效目标值",
    });
    // The largest recordable one passes: ≥1 against 99,999.9999 → 9,999,999.99%.
    expect(evaluateIndicator(row("x", "≥1", { actual: "99999.9999" })).completion).toBe("9999999.99");
    expect(evaluateIndicator(row("x", "≥1", { actual: "9999999999%" })).error).toMatch(/^实际值单位|^完成百分比/);
  });

  it("flags an indicator below the threshold and one not reported, and names what is missing", () => {
    const evaluation = evaluateTrackingForm({
      budget: "1109200.00",
      executed: "959622.79",
      execution: noExplanation,
      ...answered,
      estimatedFullYearExecution: "800000.00",
      indicators: [row("医疗救助及时率", "100.00%", { actual: "70%" }), row("救助对象满意度", "≥85%"), row("资金结算准确率", "100%", { actual: "准" })],
    });
    expect(evaluation.conclusion).toBe("运行偏差");
    expect(evaluation.failing).toEqual([
      { kind: "indicator", indicatorId: "医疗救助及时率" },
      { kind: "indicator", indicatorId: "救助对象满意度" },
      { kind: "indicator", indicatorId: "资金结算准确率" },
    ]);
    expect(evaluation.problems.map((problem) => problem.message)).toEqual([
      "指标“资金结算准确率”：实际值“准”无法读取：第1个字符处应为数字，而不是“准”",
      "指标“救助对象满意度”：缺少完成情况",
      "指标“医疗救助及时率”：缺少偏差原因类别",
      "指标“医疗救助及时率”：缺少偏差原因说明",
      "指标“医疗救助及时率”：缺少纠偏措施",
    ]);
    // The current rate passes, the estimate does not: a warning, not a refusal.
    expect(evaluation.warnings).toEqual(["全年预计执行率 72.12% 低于 75%"]);
  });

  it("parses the posted fields, naming each one it cannot read", () => {
    const posted = new Map<string, string>([
      ["adjustmentNeeded", "yes"],
      ["adjustedBudget", "1,200,000"],
      ["adjustmentIncrease", "90,800"],
      ["estimatedFullYear", "1.005"],
      ["budgetLikelihood", "一定能"],
      ["filledOn", "2024-02-30"],
      ["ind.7.tracked", "no"],
      ["ind.8.actual", " 1809人次 "],
      ["ind.8.judgement", "达成"],
      ["ind.8.rectify", "no"],
    ]);
    const { fields, indicators, errors } = parseTrackingFields((name) => posted.get(name) ?? null, ["7", "8"]);
    expect(fields).toMatchObject({ adjustmentNeeded: true, adjustedBudget: "1200000.00", adjustmentIncrease: "90800.00", adjustmentDecrease: null, estimatedFullYear: null, filledOn: null });
    expect(errors).toEqual({
      estimatedFullYear: "全年预计执行数：金额最多两位小数（精确到分）",
      budgetLikelihood: "年度项目预算完成可能性：应为 确定能完成 / 有可能完成 / 确定不能完成 之一",
      filledOn: "填报日期：应为有效日期（YYYY-MM-DD）",
    });
    expect(indicators.map((indicator) => [indicator.indicatorId, indicator.tracked, indicator.actual, indicator.judgement, indicator.rectify])).toEqual([
      ["7", false, null, null, null],
      ["8", true, "1809人次", "达成", false],
    ]);
  });

  it("refuses cause codes outside the catalogue and texts the database cannot store, naming the indicator", () => {
    const posted = new Map<string, string>([
      ["executionCauseCode", "bogus"],
      ["ind.7.causeCode", "settlement-lag"],
      ["ind.8.causeCode", "bogus"],
      ["ind.8.measure", "按月\u0000核对"],
      ["problems", "x".repeat(4001)],
      ["measures", "第一行\n第二行\t缩进"],
    ]);
    const { fields, indicators, errors } = parseTrackingFields((name) => posted.get(name) ?? null, ["7", "8"], {
      causeCodes: ["settlement-lag", "other"],
      indicatorNames: { "7": "医疗救助及时率", "8": "医疗救助总人次" },
    });
    expect(errors).toEqual({
      executionCauseCode: "预算执行：偏差原因类别“bogus”不在目录中",
      "ind.8.causeCode": "指标“医疗救助总人次”：偏差原因类别“bogus”不在目录中",
      "ind.8.measure": "指标“医疗救助总人次”纠偏措施：含有无效的控制字符",
      problems: "存在问题：最多 4000 个字",
    });
    expect(fields.measures).toBe("第一行\n第二行\t缩进");
    expect(indicators[0]!.causeCode).toBe("settlement-lag");
    expect(textProblem("正常的文字", "x")).toBeNull();
  });
});
