import { describe, expect, it } from "vitest";
import { dayBefore, formatStandardValue, parseStandardForm, standardLabel } from "./standard-form.ts";
import { render, type Language } from "../messages/index.ts";

/** The form's outcome with its problems rendered in a language (the values as they are). */
function rendered(result: ReturnType<typeof parseStandardForm>, language: Language = "zh") {
  if ("values" in result) return result;
  return { errors: Object.fromEntries(Object.entries(result.errors).map(([field, problem]) => [field, render(language, problem)])) };
}

describe("expenditure standard form", () => {
  it("accepts the outpatient cap of 沪医保规〔2022〕12号 and normalises it", () => {
    expect(
      parseStandardForm({
        code: "ma-op-cap",
        name: "门急诊医疗救助年度救助限额",
        category: "市级门急诊救助",
        value: "2,800",
        unit: "元/人/年",
        form: "限额",
        careType: "门急诊",
        effectiveFrom: "2023-01-01",
        document: "沪医保规〔2022〕12号",
      }),
    ).toEqual({
      values: {
        code: "MA-OP-CAP",
        name: "门急诊医疗救助年度救助限额",
        category: "市级门急诊救助",
        value: "2800.0000",
        unit: "元/人/年",
        form: "限额",
        beneficiaryGroup: null,
        careType: "门急诊",
        effectiveFrom: "2023-01-01",
        effectiveTo: null,
        document: "沪医保规〔2022〕12号",
        note: null,
      },
    });
  });

  it("names every wrong field with its reason", () => {
    const wrong = parseStandardForm({ code: "1X", value: "-5", form: "额度", careType: "急诊", effectiveFrom: "2025-03-01", effectiveTo: "2025-02-28" });
    expect("errors" in wrong && wrong.errors.value).toEqual({ code: "stdErrValue", params: { text: "-5" } });
    for (const problem of Object.values("errors" in wrong ? wrong.errors : {})) expect(render("en", problem)).not.toMatch(/[\u3400-\u9fff]/);
    expect(rendered(wrong)).toEqual({
      errors: {
        code: "编码只能用大写字母、数字和连字符，以字母开头（如 MA-OP-CAP）",
        name: "必填",
        category: "必填",
        unit: "必填",
        document: "必填",
        form: "应为 定额、比例 或 限额",
        value: "不是有效的数值（最多四位小数，不能为负）：-5",
        careType: "应为 门急诊、住院 或留空",
        effectiveTo: "失效日期不能早于生效日期",
      },
    });
  });

  it("closes a period the day before and prints values as people read them", () => {
    expect(dayBefore("2023-01-01")).toBe("2022-12-31");
    expect(dayBefore("2024-03-01")).toBe("2024-02-29");
    expect(formatStandardValue("60.0000", "%")).toBe("60%");
    expect(formatStandardValue("130000.0000", "元/人/年")).toBe("130,000 元/人/年");
    expect(formatStandardValue("0.5000", "%")).toBe("0.5%");
  });
});

describe("the unit fits the form", () => {
  const base = { code: "X-RATE", name: "n", category: "c", document: "d", effectiveFrom: "2027-01-01" };
  it("requires % for a rate and a 元-based unit for a fixed amount or a cap", () => {
    expect(rendered(parseStandardForm({ ...base, form: "比例", value: "50", unit: "元" }))).toEqual({ errors: { unit: "比例标准的计量单位应为 %：元" } });
    expect(rendered(parseStandardForm({ ...base, form: "定额", value: "50", unit: "%" }))).toEqual({
      errors: { unit: "定额标准以元计，计量单位应为 元 或 元/…（如 元/人/年）：%" },
    });
    expect(rendered(parseStandardForm({ ...base, form: "限额", value: "50", unit: "人次" }))).toMatchObject({ errors: { unit: expect.stringContaining("限额标准以元计") } });
    expect(rendered(parseStandardForm({ ...base, form: "限额", value: "50", unit: "人次" }), "en")).toEqual({
      errors: { unit: "A standard of the form “Cap” is in yuan: its unit must be yuan (元) or yuan per something (元/…): 人次" },
    });
    expect(parseStandardForm({ ...base, form: "比例", value: "50", unit: "%" })).toHaveProperty("values");
    expect(parseStandardForm({ ...base, form: "定额", value: "50", unit: "元/人" })).toHaveProperty("values");
  });
});

describe("the stored forms and care types", () => {
  it("are named in either language; anything else as stored", () => {
    expect(["定额", "比例", "限额", "门急诊", "住院"].map((value) => render("zh", standardLabel(value)))).toEqual(["定额", "比例", "限额", "门急诊", "住院"]);
    expect(["定额", "比例", "限额", "门急诊", "住院"].map((value) => render("en", standardLabel(value)))).toEqual([
      "Fixed amount",
      "Rate",
      "Cap",
      "Outpatient and emergency",
      "Inpatient",
    ]);
    expect(render("en", standardLabel("其他"))).toBe("其他");
  });
});
