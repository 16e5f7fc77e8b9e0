import { describe, expect, it } from "vitest";
import { conclusionMessage, conclusionStatement, stageConclusion } from "./conclusion.ts";
import { submissionProblems } from "./submission.ts";
import { huacaoForm, indicatorRow, zh } from "./fixtures.ts";
import { render } from "../../../messages/index.ts";

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

  it("is shown through the catalogue: as the official form states it in Chinese, in English words in English", () => {
    expect(zh(conclusionStatement("运行正常", "75.00"))).toBe("1、运行正常（执行率和目标完成度均在75%以上）。");
    expect(zh(conclusionStatement("运行偏差", "72.50"))).toBe("2、运行偏差（执行率或目标完成度低于72.5%）。");
    expect(render("en", conclusionMessage("运行偏差"))).toBe("Deviation");
    expect(render("en", conclusionStatement("运行正常", "75.00"))).toBe("1. Normal (execution rate and target completion all at least 75%).");
  });
});
