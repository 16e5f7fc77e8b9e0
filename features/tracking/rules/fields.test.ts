import { describe, expect, it } from "vitest";
import { parseTrackingFields, textProblem } from "./fields.ts";
import { problemFieldName } from "./problem-field.ts";
import { msg, type Message } from "../../../messages/index.ts";
import { zh } from "./fixtures.ts";

const rendered = (errors: Record<string, Message>) => Object.fromEntries(Object.entries(errors).map(([name, message]) => [name, zh(message)]));

describe("the posted form", () => {
  it("is parsed, naming each field it cannot read", () => {
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
    expect(rendered(errors)).toEqual({
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
    expect(rendered(errors)).toEqual({
      executionCauseCode: "预算执行：偏差原因类别“bogus”不在目录中",
      "ind.8.causeCode": "指标“医疗救助总人次”：偏差原因类别“bogus”不在目录中",
      "ind.8.measure": "指标“医疗救助总人次”纠偏措施：含有无效的控制字符",
      problems: "存在问题：最多 4000 个字",
    });
    expect(fields.measures).toBe("第一行\n第二行\t缩进");
    expect(indicators[0]!.causeCode).toBe("settlement-lag");
    expect(textProblem("正常的文字", msg("trProblems"))).toBeNull();
  });

  it("names the input each submission problem is about", () => {
    expect(problemFieldName({ item: { kind: "indicator", indicatorId: "12" }, field: "measure" })).toBe("ind.12.measure");
    expect(problemFieldName({ item: { kind: "indicator", indicatorId: "12" }, field: "completion" })).toBe("ind.12.actual");
    expect(problemFieldName({ item: { kind: "execution" }, field: "causeCode" })).toBe("executionCauseCode");
    expect(problemFieldName({ item: { kind: "form" }, field: "budgetCompletionLikelihood" })).toBe("budgetLikelihood");
    expect(problemFieldName({ item: { kind: "form" }, field: "adjustedBudget" })).toBe("adjustedBudget");
  });
});
