import { describe, expect, it } from "vitest";
import { levelMessage, validateDeclaration as validate, type DeclarationInput, type DeclarationValues, type IndicatorInput } from "./declaration.ts";
import { render, type Language } from "../messages/index.ts";

/** validateDeclaration with its errors and warnings rendered in a language (Chinese unless asked). */
function validateDeclaration(
  input: DeclarationInput,
  language: Language = "zh",
): { errors: Record<string, string> } | { values: DeclarationValues; warnings: string[] } {
  const result = validate(input);
  if ("errors" in result) {
    return { errors: Object.fromEntries(Object.entries(result.errors).map(([field, problem]) => [field, render(language, problem)])) };
  }
  return { values: result.values, warnings: result.warnings.map((warning) => render(language, warning)) };
}

const row = (fields: Partial<IndicatorInput> = {}): IndicatorInput => ({
  id: "",
  level1: "产出指标",
  level2: "质量指标",
  name: "资金结算准确率",
  target: "100%",
  weight: "",
  ...fields,
});

const input = (fields: Partial<DeclarationInput> = {}): DeclarationInput => ({
  overallGoal: "",
  annualGoal: "确保资金发放及时、准确、足额",
  goalFromYear: "2023",
  goalToYear: "2023",
  planStart: "2023-01-01",
  planEnd: "2023-12-31",
  indicators: [
    row(),
    row({ level1: "效益指标", level2: "社会效益指标", name: "救助对象类型覆盖率" }),
    row({ level1: "满意度指标", level2: "服务对象满意度指标", name: "政策知晓率", target: "≥90%" }),
  ],
  ...fields,
});

describe("the target declaration form", () => {
  it("accepts the form as seeds/004 fills it, trimming text and storing empty fields as null", () => {
    const result = validateDeclaration(
      input({ overallGoal: "  ", indicators: [row({ name: " 参保人数 ", level2: "数量指标", target: "应保尽保" })] }),
    );
    expect(result).toHaveProperty("values");
    if (!("values" in result)) return;
    expect(result.values.overallGoal).toBeNull();
    expect(result.values.goalFromYear).toBe(2023);
    expect(result.values.indicators).toEqual([
      { id: null, level1: "产出指标", level2: "数量指标", name: "参保人数", target: "应保尽保", weight: null },
    ]);
    expect(result.warnings).toEqual(["尚未设置效益指标", "尚未设置满意度指标"]);
  });

  it("names the row and the reason for a malformed target, a level 2 outside its level 1 and a duplicate", () => {
    const result = validateDeclaration(
      input({
        indicators: [
          row(),
          row({ target: "≥abc%", name: "补助发放准确率" }),
          row({ level1: "效益指标", level2: "数量指标", name: "覆盖范围" }),
          row({ id: "7" }),
        ],
      }),
    );
    expect(result).toEqual({
      errors: {
        "indicators.1.target": "年度指标值无法识别：第2个字符处应为数字，而不是“a”",
        "indicators.2.level2": "效益指标下的二级指标应为 经济效益指标、社会效益指标、生态效益指标、可持续影响指标 之一",
        "indicators.3.name": "与第 1 行重复（同一二级指标下三级指标不能重名）",
      },
    });
  });

  it("checks dates, years and weights at their boundaries", () => {
    expect(validateDeclaration(input({ planStart: "2023-02-30" }))).toEqual({ errors: { planStart: "日期无效，应为 YYYY-MM-DD" } });
    expect(validateDeclaration(input({ planStart: "2023-12-31", planEnd: "2023-01-01" }))).toEqual({
      errors: { planEnd: "计划完成日期不能早于计划开始日期" },
    });
    expect(validateDeclaration(input({ goalFromYear: "2024", goalToYear: "2023" }))).toEqual({
      errors: { goalToYear: "截止年度不能早于起始年度" },
    });
    expect(validateDeclaration(input({ goalFromYear: "23" }))).toEqual({ errors: { goalFromYear: "应为 2000 至 2100 之间的四位年份" } });
    const weights = (values: string[]) => input({ indicators: values.map((weight, index) => row({ name: `指标${index}`, weight })) });
    expect(validateDeclaration(weights(["50", "50.00"]))).toHaveProperty("values");
    expect(validateDeclaration(weights(["50", "50.01"]))).toEqual({ errors: { indicators: "分值合计 100.01，不能超过 100" } });
    expect(validateDeclaration(weights(["5.001"]))).toEqual({
      errors: { "indicators.0.weight": "分值应为 0 至 100 之间的数，最多两位小数" },
    });
    const partly = validateDeclaration(weights(["5", ""]));
    expect("values" in partly && partly.values.indicators.map((indicator) => indicator.weight)).toEqual(["5.00", null]);
    expect("values" in partly && partly.warnings).toContain("1 个指标未填分值");
    // Weights adding to 50 are saved, with the reason the self-evaluation will refuse them; 90 and 100 pass.
    const fifty = validateDeclaration(weights(["30", "20"]));
    expect("values" in fifty && fifty.warnings).toContain("指标分值合计 50.00：年终绩效自评要求合计 90（项目资金 10 分另计），否则自评表不能提交");
    for (const total of [["45", "45"], ["50", "50"]]) {
      const passing = validateDeclaration(weights(total));
      expect("values" in passing && passing.warnings.filter((warning) => warning.startsWith("指标分值合计"))).toEqual([]);
    }
  });

  it("requires a name and a target in every row", () => {
    expect(validateDeclaration(input({ indicators: [row({ name: "", target: " " })] }))).toEqual({
      errors: { "indicators.0.name": "请填写三级指标名称", "indicators.0.target": "请填写年度指标值" },
    });
  });

  it("returns its problems as messages, in English without Chinese but the names typed", () => {
    const result = validate(input({ indicators: [row({ target: "≥abc%", name: "补助发放准确率" }), row({ level1: "效益指标", level2: "数量指标", name: "覆盖范围" })] }));
    expect("errors" in result && result.errors["indicators.0.target"]).toEqual({
      code: "tgtErrTargetUnreadable",
      params: { reason: { code: "tgtParseExpectedFound", params: { position: 2, expected: { code: "tgtExpDigit" }, found: "a" } } },
    });
    expect(validateDeclaration(input({ indicators: [row({ target: "≥abc%" }), row({ level1: "效益指标", level2: "数量指标", name: "覆盖范围" })] }), "en")).toEqual({
      errors: {
        "indicators.0.target": "The annual target cannot be read: at character 2: a digit expected, not “a”",
        "indicators.1.level2": "Level 2 under Benefit must be one of Economic benefit, Social benefit, Ecological benefit, Sustainable impact",
      },
    });
    expect(validateDeclaration(input({ indicators: [row()] }), "en")).toMatchObject({ warnings: ["No Benefit indicators yet", "No Satisfaction indicators yet"] });
    expect(render("en", levelMessage("服务对象满意度指标"))).toBe("Beneficiary satisfaction");
    expect(render("en", levelMessage("自定义指标"))).toBe("自定义指标");
  });
});
