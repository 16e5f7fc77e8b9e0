import { describe, expect, it } from "vitest";
import { formatMonths, fundMessage, MonthsError, parseBudgetLineForm, parseMonths } from "./budget-line-form.ts";
import { render } from "../messages/index.ts";
import { parseAmount } from "./money.ts";

/** parseAmount with the problem as the Chinese form shows it. */
function parseAmountInput(text: string, options?: { allowNegative?: boolean }) {
  const parsed = parseAmount(text, options);
  return "problem" in parsed ? { error: render("zh", parsed.problem) } : parsed;
}

describe("amount input", () => {
  it("accepts separators and full-width digits, at most 2 decimals", () => {
    expect(parseAmountInput("1,350,000")).toEqual({ amount: "1350000.00" });
    expect(parseAmountInput("１２３４．５")).toEqual({ amount: "1234.50" });
    expect(parseAmountInput(" 0.1 ")).toEqual({ amount: "0.10" });
    expect(parseAmountInput("1.005")).toEqual({ error: "金额最多两位小数（精确到分）" });
    expect(parseAmountInput("-5")).toEqual({ error: "金额不能为负数" });
    expect(parseAmountInput("-5", { allowNegative: true })).toEqual({ amount: "-5.00" });
    expect(parseAmountInput("12万")).toHaveProperty("error");
    expect(parseAmountInput("")).toEqual({ error: "请填写金额" });
  });
});

describe("months", () => {
  it("reads the forms' ways of writing months and writes them back compactly", () => {
    expect(parseMonths("1-12月")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(parseMonths("1-3,7")).toEqual([1, 2, 3, 7]);
    expect(parseMonths("3、1")).toEqual([1, 3]);
    expect(parseMonths("")).toBeNull();
    expect(() => parseMonths("0-3")).toThrow("1–12");
    expect(() => parseMonths("一月")).toThrow("无法识别");
    expect(() => parseMonths("13")).toThrow(MonthsError);
    try {
      parseMonths("1-13");
    } catch (error) {
      expect((error as MonthsError).detail).toEqual({ code: "lineMonthsRange", params: { part: "1-13" } });
      expect(render("en", (error as MonthsError).detail)).toBe("Months are 1–12: 1-13");
    }
    expect(formatMonths([1, 2, 3, 7, 9, 10])).toBe("1-3,7,9-10");
    expect(formatMonths(null)).toBe("");
  });
});

describe("budget line form", () => {
  const valid = {
    composition: "医疗救助",
    item: "市级政策门急诊救助",
    fundLevel: "镇级",
    fundType: "当年财政拨款",
    unitPrice: "180",
    quantity: "1,500",
    initialAmount: "270,000",
    basis: "沪医保规〔2022〕12号",
    scheduledMonths: "1-12",
    functionalCode: "2101301",
    functionalName: "城乡医疗救助",
    economicCode: "30307",
    economicName: "医疗费补助",
  };

  it("accepts 表1-3-1's line: 180 × 1,500 = 270,000", () => {
    const parsed = parseBudgetLineForm(valid);
    expect(parsed).toHaveProperty("values");
    if ("values" in parsed) expect(parsed.values).toMatchObject({ initialAmount: "270000.00", quantity: "1500.00", scheduledMonths: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] });
  });

  it("names every wrong field, as messages in either language", () => {
    const parsed = parseBudgetLineForm({ ...valid, item: " ", fundLevel: "省级", initialAmount: "270001", economicCode: "303-07" });
    expect(parsed).toEqual({
      errors: {
        item: { code: "fieldRequired" },
        fundLevel: { code: "lineFundLevelMissing" },
        initialAmount: { code: "lineAmountIsProduct" },
        economicCode: { code: "lineEconomicCodeFormat" },
      },
    });
    if (!("errors" in parsed)) return;
    const zh = Object.fromEntries(Object.entries(parsed.errors).map(([field, problem]) => [field, render("zh", problem)]));
    expect(zh).toEqual({
      item: "必填",
      fundLevel: "请选择资金级次",
      initialAmount: "年初预算应等于 单价 × 数量",
      economicCode: "部门经济分类编码应为 3–5 位数字，如 30307",
    });
    for (const problem of Object.values(parsed.errors)) expect(render("en", problem)).not.toMatch(/[\u3400-\u9fff]/);
    const amounts = parseBudgetLineForm({ ...valid, unitPrice: "", quantity: "", initialAmount: "1.005", basis: "x".repeat(501) });
    expect("errors" in amounts && render("en", amounts.errors.initialAmount!)).toBe("An amount has at most two decimals (to the cent)");
    expect("errors" in amounts && render("zh", amounts.errors.basis!)).toBe("最多 500 个字符");
  });

  it("names the stored fund levels and types in either language", () => {
    expect(render("zh", fundMessage("镇级"))).toBe("镇级");
    expect(render("en", fundMessage("镇级"))).toBe("Town");
    expect(render("en", fundMessage("当年财政拨款"))).toBe("Current-year appropriation");
    expect(render("en", fundMessage("省级"))).toBe("省级");
  });

  it("keeps free text verbatim, including markup and quotes", () => {
    const parsed = parseBudgetLineForm({ ...valid, basis: `<b>"依据"</b>'; --` });
    expect("values" in parsed && parsed.values.basis).toBe(`<b>"依据"</b>'; --`);
  });
});
