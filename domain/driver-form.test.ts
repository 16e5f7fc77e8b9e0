import { describe, expect, it } from "vitest";
import { driverInputValue, formatDriverValue, parseDriverForm, parseDriverValue, sameSeries, type DriverField } from "./driver-form.ts";
import { driverProblemText } from "../app/drivers-messages.ts";
import type { Language } from "../app/i18n.ts";

/** The form's problems as the page shows them: each code rendered from the catalogue of the language (app/i18n.ts). */
function shown(form: Record<string, string | undefined>, language: Language = "zh") {
  const parsed = parseDriverForm(form);
  if ("values" in parsed) return parsed;
  return { errors: Object.fromEntries(Object.entries(parsed.errors).map(([field, problem]) => [field, driverProblemText(language, field as DriverField, problem)])) };
}

const valid = {
  year: "2024",
  code: "MH-PARTICIPANTS",
  name: "市民社区医疗互助帮困参加人数",
  value: "520",
  measure: "人",
  status: "actual",
  document: "附件6-1：马桥镇2024年520人",
  note: "",
};

describe("planning driver form (测算因素)", () => {
  it("accepts 马桥's 2024 participants and normalises code, value and blanks", () => {
    expect(parseDriverForm({ ...valid, code: " mh-participants ", name: " 市民社区医疗互助帮困参加人数 " })).toEqual({
      values: {
        year: 2024,
        code: "MH-PARTICIPANTS",
        name: "市民社区医疗互助帮困参加人数",
        value: "520",
        measure: "人",
        status: "actual",
        document: "附件6-1：马桥镇2024年520人",
        note: null,
      },
    });
  });

  it("keeps a value with thousands separators and 4 decimals exact, as a decimal string", () => {
    const parsed = parseDriverForm({ ...valid, value: "1,234,567.8912", measure: "元/人", status: "estimated", note: "推定" });
    expect(parsed).toMatchObject({ values: { value: "1234567.8912", status: "estimated", note: "推定" } });
    // Past a float's precision: still exact.
    expect(parseDriverValue("9,999,999,999,999.9999")).toEqual({ value: "9999999999999.9999" });
    expect(parseDriverValue("0")).toEqual({ value: "0" });
    expect(parseDriverValue("3059.00")).toEqual({ value: "3059" });
    expect(parseDriverValue("０.５")).toEqual({ value: "0.5" });
    expect(parseDriverValue("32，245")).toEqual({ value: "32245" });
  });

  it("refuses negative, malformed, over-precise and too large values", () => {
    expect(parseDriverValue("-1")).toEqual({ error: "value" });
    expect(parseDriverValue("1e3")).toEqual({ error: "value" });
    expect(parseDriverValue("abc")).toEqual({ error: "value" });
    expect(parseDriverValue("3,2245")).toEqual({ error: "value" });
    expect(parseDriverValue("1,2,3")).toEqual({ error: "value" });
    expect(parseDriverValue(".5")).toEqual({ error: "value" });
    expect(parseDriverValue("0.12345")).toEqual({ error: "decimals" });
    expect(parseDriverValue("10000000000000")).toEqual({ error: "tooLarge" });
    expect(parseDriverValue("10,000,000,000,000")).toEqual({ error: "tooLarge" });
  });

  it("reports each problem as a code with what was typed", () => {
    expect(parseDriverForm({ ...valid, year: "1999", value: "0.12345", name: "", document: "文".repeat(501) })).toEqual({
      errors: { year: { code: "year", text: "1999" }, value: { code: "decimals", text: "0.12345" }, name: { code: "required" }, document: { code: "tooLong", max: 500 } },
    });
  });

  it("names every wrong field with its reason, in Chinese", () => {
    expect(shown({ year: "1999", code: "1X", value: "-5", status: "forecast" })).toEqual({
      errors: {
        year: "年度应为 2000–2100 之间的整数：1999",
        code: "代码只能用大写字母、数字和连字符，以字母开头，2–40 个字符（如 MH-PARTICIPANTS）：1X",
        name: "名称必填",
        value: "数值不是有效的非负数（千分位用逗号，最多四位小数）：-5",
        measure: "计量单位必填",
        status: "状态应为 实际 或 预计：forecast",
        document: "依据文件必填",
      },
    });
    expect(shown({})).toEqual({
      errors: {
        year: "年度必填",
        code: "代码必填",
        name: "名称必填",
        value: "数值必填",
        measure: "计量单位必填",
        status: "状态必填",
        document: "依据文件必填",
      },
    });
  });

  it("checks years at both ends and the lengths of the texts", () => {
    expect(parseDriverForm({ ...valid, year: "2000" })).toHaveProperty("values.year", 2000);
    expect(parseDriverForm({ ...valid, year: "2100" })).toHaveProperty("values.year", 2100);
    expect(shown({ ...valid, year: "2101" })).toEqual({ errors: { year: "年度应为 2000–2100 之间的整数：2101" } });
    expect(shown({ ...valid, year: "2024.5" })).toEqual({ errors: { year: "年度应为 2000–2100 之间的整数：2024.5" } });
    expect(parseDriverForm({ ...valid, code: "M" })).toHaveProperty("errors.code");
    expect(parseDriverForm({ ...valid, code: `M${"X".repeat(39)}` })).toHaveProperty("values.code");
    expect(parseDriverForm({ ...valid, code: `M${"X".repeat(40)}` })).toHaveProperty("errors.code");
    expect(parseDriverForm({ ...valid, code: "MH_PARTICIPANTS" })).toHaveProperty("errors.code");
    expect(parseDriverForm({ ...valid, name: "名".repeat(100) })).toHaveProperty("values");
    expect(shown({ ...valid, name: "名".repeat(101) })).toEqual({ errors: { name: "名称最多 100 个字符" } });
    expect(shown({ ...valid, document: "文".repeat(501) })).toEqual({ errors: { document: "依据文件最多 500 个字符" } });
    expect(shown({ ...valid, document: "   " })).toEqual({ errors: { document: "依据文件必填" } });
    expect(shown({ ...valid, value: "0.12345" })).toEqual({ errors: { value: "数值最多四位小数：0.12345" } });
    expect(shown({ ...valid, value: "10000000000000" })).toEqual({ errors: { value: "数值应小于 10,000,000,000,000：10000000000000" } });
  });

  it("gives the reasons in English for the English page", () => {
    expect(shown({ ...valid, document: "", value: "x" }, "en")).toEqual({
      errors: {
        value: "Value is not a valid non-negative number (commas between thousands, at most 4 decimals): x",
        document: "Document is required",
      },
    });
  });

  it("formats values for people and for the form", () => {
    expect(formatDriverValue("32245.0000")).toBe("32,245");
    expect(formatDriverValue("2391.4343")).toBe("2,391.4343");
    expect(formatDriverValue("903.7000")).toBe("903.7");
    expect(driverInputValue("520.0000")).toBe("520");
  });
});

describe("a driver's series", () => {
  it("takes whole numbers for counts of people and keeps the code's name and measure", () => {
    const half = parseDriverForm({ year: "2024", code: "MH-PARTICIPANTS", name: "参加人数", value: "510.5", measure: "人", status: "actual", document: "附件6-1" });
    expect(half).toEqual({ errors: { value: { code: "wholeCount", text: "510.5" } } });
    const perCapita = parseDriverForm({ year: "2024", code: "MH-OVERSPEND-PC", name: "人均超支额", value: "3059.5", measure: "元/人", status: "estimated", document: "测算" });
    expect("values" in perCapita).toBe(true);
    expect(sameSeries({ name: "参加人数", measure: "元" }, [{ name: "参加人数", measure: "人" }])).toEqual({ measure: { code: "differsFromCode", expected: "人" } });
    expect(sameSeries({ name: "别的名称", measure: "人" }, [])).toEqual({});
  });
});
