import { describe, expect, it } from "vitest";
import { evaluateTrackingForm } from "./evaluation.ts";
import { row, zh } from "./fixtures.ts";

const answered = { adjustmentNeeded: false, budgetCompletionLikelihood: "确定能完成", targetCompletionLikelihood: "确定能完成" } as const;
const noExplanation = { causeCode: null, cause: null, measure: null };

describe("the form as typed in", () => {
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
    expect(oneLeftOut.problems).toMatchObject([{ item: { kind: "indicator", indicatorId: "救助对象满意度" }, field: "untrackedReason" }]);
    expect(oneLeftOut.problems.map((problem) => zh(problem.message))).toEqual(["指标“救助对象满意度”：不纳入跟踪须说明理由"]);
    // Leaving out the failing indicator does not hide it without a word, and not all may be left out.
    const allLeftOut = evaluateTrackingForm({
      ...form,
      indicators: [row("医疗救助及时率", "100.00%", { actual: "10%", tracked: false, untrackedReason: "不跟踪" })],
    });
    expect(allLeftOut.problems.map((problem) => zh(problem.message))).toEqual(["主要跟踪指标：至少须有一项指标纳入跟踪"]);
    // A project without indicators (马桥 2023, no declaration) cannot be submitted: its targets are declared first.
    expect(evaluateTrackingForm({ ...form, indicators: [] }).problems.map((problem) => zh(problem.message))).toEqual([
      "主要跟踪指标：此项目没有绩效指标，不能提交；请先填报绩效目标（绩效目标填报表）",
    ]);
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
    expect(evaluation.problems.map((problem) => zh(problem.message))).toEqual([
      "指标“资金结算准确率”：实际值“准”无法读取：第1个字符处应为数字，而不是“准”",
      "指标“救助对象满意度”：缺少完成情况",
      "指标“医疗救助及时率”：缺少偏差原因类别",
      "指标“医疗救助及时率”：缺少偏差原因说明",
      "指标“医疗救助及时率”：缺少纠偏措施",
    ]);
    // The current rate passes, the estimate does not: a warning, not a refusal.
    expect(evaluation.warnings.map(zh)).toEqual(["全年预计执行率 72.12% 低于 75%"]);
  });
});
