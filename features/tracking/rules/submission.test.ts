import { describe, expect, it } from "vitest";
import { submissionProblems } from "./submission.ts";
import { huacaoForm, indicatorRow, zh } from "./fixtures.ts";

describe("submission problems", () => {
  it("name each missing field of each failing item", () => {
    const form = huacaoForm();
    form.executed = "700000.00"; // 63.11%
    form.indicators = [...form.indicators, indicatorRow("医疗救助总人次（实数）", "≥4180人次", "1809人次")];
    form.budgetCompletionLikelihood = null;
    form.targetCompletionLikelihood = null;
    form.adjustmentNeeded = null;
    expect(submissionProblems(form).map((problem) => zh(problem.message))).toEqual([
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
    expect(submissionProblems(form)[3]).toMatchObject({
      item: { kind: "indicator", indicatorId: "医疗救助总人次（实数）" },
      field: "causeCode",
      message: { code: "trMissingCauseCode" },
    });
  });

  it("are gone once causes and measures are given, and check the cause against the catalogue", () => {
    const form = huacaoForm();
    form.executed = "700000.00";
    form.execution = { causeCode: "settlement-lag", cause: "8 月批次 9 月初结算", measure: "加快审核" };
    expect(submissionProblems(form)).toEqual([]);
    form.execution = { causeCode: "weather", cause: "  ", measure: "加快审核" };
    expect(submissionProblems(form).map((problem) => zh(problem.message))).toEqual([
      "预算执行：偏差原因类别“weather”不在偏差原因目录中",
      "预算执行：缺少偏差原因说明",
    ]);
    expect(submissionProblems({ ...form, causes: [{ code: "weather", category: "其他", label: "天气" }] }).map((problem) => problem.field)).toEqual(["cause"]);
  });

  it("ask for an indicator's completion before its explanation", () => {
    const form = huacaoForm();
    form.indicators = [indicatorRow("医疗救助及时率", "100.00%", null), indicatorRow("制度建设", "建立健全", null, "部分达成")];
    expect(submissionProblems(form).map((problem) => zh(problem.message))).toEqual([
      "指标“医疗救助及时率”：缺少完成情况",
      "指标“制度建设”：缺少偏差原因类别",
      "指标“制度建设”：缺少偏差原因说明",
      "指标“制度建设”：缺少纠偏措施",
    ]);
  });

  it("require the adjusted budget when an adjustment is needed, and that it foots", () => {
    const form = huacaoForm();
    form.adjustmentNeeded = true;
    expect(submissionProblems(form).map((problem) => zh(problem.message))).toEqual(["预算调整：缺少调整后预算数"]);
    form.adjustment = { adjustedBudget: "1000000.00", decrease: "109200.00", increase: null };
    expect(submissionProblems(form)).toEqual([]);
    form.adjustment = { adjustedBudget: "1000000.00", decrease: "100000.00", increase: null };
    expect(submissionProblems(form).map((problem) => zh(problem.message))).toEqual([
      "预算调整：调整后预算数 1000000.00 与 当年预算数 − 调减 + 调增 = 1009200.00 不符",
    ]);
  });

  it("require a reason when the pre-filled full-year estimate is changed", () => {
    const form = { ...huacaoForm(), estimatedFullYearPrefill: "1100000.00", estimatedFullYearExecution: "1050000.00" };
    expect(submissionProblems(form).map((problem) => zh(problem.message))).toEqual(["全年预计执行数：修改了预填值，须说明理由"]);
    expect(submissionProblems({ ...form, estimatedFullYearReason: "9 月起救助对象减少" })).toEqual([]);
    expect(submissionProblems({ ...form, estimatedFullYearExecution: "1100000" })).toEqual([]);
  });
});
