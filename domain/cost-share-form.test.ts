import { describe, expect, it } from "vitest";
import { parseCostShareForm, parsePercent, sharePercentInput, type CostShareErrorField } from "./cost-share-form.ts";
import { costShareProblemText, costShareRefusalText } from "../app/drivers-messages.ts";
import type { Language } from "../app/i18n.ts";

/** 闵行区's 互助帮困 share (seeds/001 附件6-1) with the town's part raised from 25% to 30% — an invented new version. */
const valid = {
  code: "mh-share",
  name: "市民社区医疗互助帮困资金筹集及超支分担（个人缴费后余额）",
  spending: "市民社区医疗互助帮困",
  appliesTo: "镇",
  central: "",
  city: "50",
  district: "20",
  town: "30",
  effectiveFrom: "2027-01-01",
  document: "闵行区医疗保障局、财政局 2026 年通知（示例）",
  note: "",
};

/** The form's problems as the page shows them, from the catalogue of the language (app/i18n.ts). */
function shown(form: Record<string, string | undefined>, language: Language = "zh") {
  const parsed = parseCostShareForm(form);
  if ("values" in parsed) return parsed;
  return { errors: Object.fromEntries(Object.entries(parsed.errors).map(([field, problem]) => [field, costShareProblemText(language, field as CostShareErrorField, problem)])) };
}

describe("cost share form (分担比例)", () => {
  it("accepts a new version of MH-SHARE: code upper-cased, a blank level is 0, percents exact decimal strings", () => {
    expect(parseCostShareForm(valid)).toEqual({
      values: {
        code: "MH-SHARE",
        name: "市民社区医疗互助帮困资金筹集及超支分担（个人缴费后余额）",
        spending: "市民社区医疗互助帮困",
        appliesTo: "镇",
        shares: { 中央: "0", 市级: "50", 区级: "20", 镇级: "30" },
        effectiveFrom: "2027-01-01",
        document: "闵行区医疗保障局、财政局 2026 年通知（示例）",
        note: null,
      },
    });
  });

  it("adds the percents exactly (thirds to 4 decimals, a trailing %, full-width digits)", () => {
    const thirds = parseCostShareForm({ ...valid, central: "0", city: "33.3333", district: "33.3333", town: "33.3334" });
    expect(thirds).toMatchObject({ values: { shares: { 中央: "0", 市级: "33.3333", 区级: "33.3333", 镇级: "33.3334" } } });
    expect(parseCostShareForm({ ...valid, city: "５０%", district: "20.00", town: "30％" })).toMatchObject({ values: { shares: { 市级: "50", 区级: "20", 镇级: "30" } } });
    // 0.1 + 0.2 is not 0.30000000000000004 here: the sum is exact.
    expect(parseCostShareForm({ ...valid, central: "0.1", city: "0.2", district: "49.7", town: "50" })).toHaveProperty("values");
    expect(parseCostShareForm({ ...valid, district: "", town: "50" })).toHaveProperty("values.shares.区级", "0");
  });

  it("refuses percents that do not add up to exactly 100, and shows the sum", () => {
    expect(parseCostShareForm({ ...valid, town: "25" })).toEqual({ errors: { total: { code: "sum", sum: "95" } } });
    expect(shown({ ...valid, town: "25" })).toEqual({ errors: { total: "四级分担比例合计应为 100%，现为 95%" } });
    expect(shown({ ...valid, town: "30.0001" })).toEqual({ errors: { total: "四级分担比例合计应为 100%，现为 100.0001%" } });
    expect(shown({ ...valid, city: "", district: "", town: "" })).toEqual({ errors: { total: "四级分担比例合计应为 100%，现为 0%" } });
    expect(shown({ ...valid, town: "35" }, "en")).toEqual({ errors: { total: "The four shares must add up to 100%; they add up to 105%" } });
  });

  it("refuses a percent that is negative, not a number, over 100 or with more than 4 decimals, at its field (no sum then)", () => {
    expect(parsePercent("-5")).toEqual({ error: "percent" });
    expect(parsePercent("1e2")).toEqual({ error: "percent" });
    expect(parsePercent("abc")).toEqual({ error: "percent" });
    expect(parsePercent("100.5")).toEqual({ error: "percentOver100" });
    expect(parsePercent("25.12345")).toEqual({ error: "percentDecimals" });
    expect(parsePercent("100")).toEqual({ value: "100" });
    expect(parsePercent(" 0 ")).toEqual({ value: "0" });
    expect(shown({ ...valid, central: "-5", city: "120", district: "20.12345" })).toEqual({
      errors: {
        central: "中央比例不是有效的数值（0–100，最多四位小数）：-5",
        city: "市级比例不能超过 100%：120",
        district: "区级比例最多四位小数：20.12345",
      },
    });
    expect(shown({ ...valid, town: "x" }, "en")).toEqual({ errors: { town: "Town share is not a valid number (0 to 100, at most 4 decimals): x" } });
  });

  it("names every other wrong field with its reason", () => {
    expect(shown({ code: "1X", appliesTo: "区", city: "100", effectiveFrom: "2027-02-30" })).toEqual({
      errors: {
        code: "代码只能用大写字母、数字和连字符，以字母开头，2–40 个字符（如 MH-SHARE）：1X",
        name: "名称必填",
        spending: "支出事项必填",
        appliesTo: "适用应为 镇、街道 或 全部：区",
        effectiveFrom: "生效日期应为 YYYY-MM-DD 格式的日期（2000–2100 年）：2027-02-30",
        document: "依据文件必填",
      },
    });
    expect(shown({ ...valid, code: "", appliesTo: "", effectiveFrom: "" })).toEqual({
      errors: { code: "代码必填", appliesTo: "适用必填", effectiveFrom: "生效日期必填" },
    });
    expect(shown({ ...valid, document: "文".repeat(501), note: "注".repeat(1001), code: `M${"X".repeat(40)}` })).toEqual({
      errors: { code: "代码最多 40 个字符", document: "依据文件最多 500 个字符", note: "备注最多 1000 个字符" },
    });
    expect(shown({ ...valid, document: " ", effectiveFrom: "1999-12-31" }, "en")).toEqual({
      errors: { document: "Document is required", effectiveFrom: "Effective from must be a date YYYY-MM-DD (years 2000–2100): 1999-12-31" },
    });
  });

  it("renders the refusals of the database side in both languages, whom it applies to by name", () => {
    expect(costShareRefusalText("zh", { code: "backdated", yearStart: "2026-01-01", date: "2025-07-01" })).toBe(
      "生效日期不能早于本预算年度的开始 2026-01-01（不能追溯改变已执行的分担比例）：2025-07-01",
    );
    expect(costShareRefusalText("zh", { code: "notAfterLatest", revision: 1, from: "2024-01-01" })).toBe("新版本的生效日期应晚于现行第 1 版的生效日期 2024-01-01（历史版本不能改写）");
    expect(costShareRefusalText("en", { code: "appliesChanged", appliesTo: "街道" })).toBe("Applies to must stay as before (Subdistricts); for other units add a new code");
    expect(costShareRefusalText("zh", { code: "appliesChanged", appliesTo: "街道" })).toBe("适用应与原分担比例一致（街道）；适用范围不同请新增代码");
  });

  it("types a stored percent back without trailing zeros", () => {
    expect(sharePercentInput("25.0000")).toBe("25");
    expect(sharePercentInput("33.3330")).toBe("33.333");
    expect(sharePercentInput("0.0000")).toBe("0");
  });
});
