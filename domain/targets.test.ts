import { describe, expect, it } from "vitest";
import {
  indicatorScore,
  isTargetParseError,
  parseActual,
  parseTarget,
  targetCompletion,
  TargetError,
  type ParsedTarget,
  type TargetParseError,
} from "./targets.ts";
import { SHEETS_003, TARGET_STRINGS, TARGET_STRINGS_002, TARGET_STRINGS_003, TARGET_STRINGS_004 } from "./target-strings.fixture.ts";
import { money, sumMoney } from "./money.ts";
import { render } from "../messages/index.ts";

/** A parsed target in one line, for tables of expectations: "≤ 2800 元/人", "定性". */
function reading(parsed: ParsedTarget | TargetParseError): string {
  if (isTargetParseError(parsed)) return `错误：${parsed.message}`;
  if (parsed.kind === "qualitative") return "定性";
  return [parsed.operator, parsed.value, parsed.unit, parsed.note === null ? "" : `(${parsed.note})`].filter((part) => part !== "").join(" ");
}

function target(text: string): ParsedTarget {
  const parsed = parseTarget(text);
  if (isTargetParseError(parsed)) throw new Error(parsed.message);
  return parsed;
}

describe("the target strings of seeds/002, 003 and 004", () => {
  it("were transcribed completely: 22 of 002, 129 of 003, 23 of 004", () => {
    expect(TARGET_STRINGS_002).toHaveLength(22);
    expect(TARGET_STRINGS_003).toHaveLength(129);
    expect(TARGET_STRINGS_004).toHaveLength(23);
    expect(new Set(TARGET_STRINGS_003.map((row) => row.project)).size).toBe(11);
    expect(sumMoney(TARGET_STRINGS_002.map((row) => row.weight ?? "0")).toFixed(2)).toBe("90.00"); // 002's self-evaluation sheet
  });

  it("carry weights summing to 90 per 003 sheet, and scores that add up to the sheet's total", () => {
    for (const sheet of SHEETS_003) {
      const rows = TARGET_STRINGS_003.filter((row) => row.project === sheet.project);
      expect(sumMoney(rows.map((row) => row.weight ?? "0")).toFixed(2), sheet.project).toBe("90.00");
      const known = rows.filter((row) => row.score !== null).map((row) => row.score ?? "0");
      const lost = sheet.project === "医保监督管理" ? "14.00" : "0"; // the merged row of three, see the fixture
      expect(sumMoney([sheet.fundScore, lost, ...known]).toFixed(2), sheet.project).toBe(sheet.total);
    }
  });

  it("all parse, none is an error", () => {
    for (const sample of TARGET_STRINGS) {
      const parsed = parseTarget(sample.text);
      expect(isTargetParseError(parsed), `${sample.file} ${sample.indicator}: ${sample.text}`).toBe(false);
    }
  });

  it("read as the documents mean them", () => {
    const expected: Record<string, string> = {
      "目标人群基本覆盖（按年度实际数据填列）": "定性",
      "100%（16 个）": "= 100 % (16 个)",
      "100%": "= 100 %",
      "人大审查批准后 60 日内": "定性",
      "9 月 30 日前": "定性",
      "2800 元/人": "= 2800 元/人",
      "13 万/人": "= 13 万元/人",
      "13 万元/人": "= 13 万元/人",
      "≥70%": "≥ 70 %",
      "逐步提高": "定性",
      "0 发生": "= 0 发生",
      "按季度公布": "定性",
      "建立健全": "定性",
      "有效推进": "定性",
      "XX%（目标人群应保尽保）": "定性",
      "定期开展": "定性",
      "≥90%": "≥ 90 %",
      "≥80%": "≥ 80 %",
      "目标人群基本覆盖": "定性",
      "目标人群应保尽保": "定性",
      "有效": "定性",
      "=100(%)": "= 100 %",
      "相符": "定性",
      "及时": "定性",
      "较活动前提高": "定性",
      "≥95(%)": "≥ 95 %",
      "=50.00(家)": "= 50.00 家",
      "=2.00(家)": "= 2.00 家",
      "=100.00(%)": "= 100.00 %",
      "提升（避免医患矛盾）": "定性",
      "减少": "定性",
      "提升": "定性",
      "≥95.00(%)": "≥ 95.00 %",
      "=5000(人)": "= 5000 人",
      "=5000.00(人)": "= 5000.00 人",
      "符合": "定性",
      "≥90(%)": "≥ 90 %",
      "≥90.00(%)": "≥ 90.00 %",
      "无重大纠纷": "定性",
      "≤0.05(%)": "≤ 0.05 %",
      "保障": "定性",
      "≥85(%)": "≥ 85 %",
      "=160.00(人)": "= 160.00 人",
      "合规": "定性",
      "明显提高": "定性",
      "<0.05(%)": "< 0.05 %",
      "=375.00(家)": "= 375.00 家",
      "=100(家)": "= 100 家",
      "较 2023 年减少": "定性",
      "健全": "定性",
      "=0.00(例)": "= 0.00 例",
      "有效缓解": "定性",
      "准确": "定性",
      "稳步拓展": "定性",
      "≥85.00(%)": "≥ 85.00 %",
      "≤3630250.00(元)": "≤ 3630250.00 元",
      "≤1807750.00(元)": "≤ 1807750.00 元",
      "≤9436455.00(元)": "≤ 9436455.00 元",
      "≤10803114.00(元)": "≤ 10803114.00 元",
      "≤21694374.00(元)": "≤ 21694374.00 元",
      "≤18949905.00(元)": "≤ 18949905.00 元",
      "=29042.00(人)": "= 29042.00 人",
      "=7231.00(人)": "= 7231.00 人",
      "认为减轻": "定性",
      "应保尽保": "定性",
      "有所缓解": "定性",
      "成效明显": "定性",
      "<10 次": "< 10 次",
      "符合救助条件的对象按规定纳入救助范围": "定性",
      "全区": "定性",
      "满意": "定性",
    };
    const distinct = [...new Set(TARGET_STRINGS.map((sample) => sample.text))];
    expect(Object.keys(expected).sort()).toEqual(distinct.sort());
    for (const text of distinct) expect(reading(parseTarget(text)), text).toBe(expected[text]);
  });

  it("spot checks: ≤2800元/人, ≤3630250.00(元), =160.00(人)", () => {
    expect(parseTarget("≤2800元/人")).toEqual({ kind: "quantitative", operator: "≤", value: "2800", unit: "元/人", note: null, text: "≤2800元/人" });
    expect(parseTarget("≤3630250.00(元)")).toMatchObject({ operator: "≤", value: "3630250.00", unit: "元" });
    expect(parseTarget("=160.00(人)")).toMatchObject({ operator: "=", value: "160.00", unit: "人" });
  });
});

describe("parseTarget", () => {
  it("reads operator, exact value and unit", () => {
    const cases: Record<string, string> = {
      "=100(%)": "= 100 %",
      "≥95(%)": "≥ 95 %",
      "<10次": "< 10 次",
      "≤0.05(%)": "≤ 0.05 %",
      "≤13万/人": "≤ 13 万元/人",
      "0发生": "= 0 发生",
      "1809人次": "= 1809 人次",
      "100.00%": "= 100.00 %",
      " ≥ 90 % ": "≥ 90 %",
      "≤3,630,250.00(元)": "≤ 3630250.00 元",
      "=0.1": "= 0.1",
    };
    for (const [text, expected] of Object.entries(cases)) expect(reading(parseTarget(text)), text).toBe(expected);
  });

  it("reads full-width forms and two-character operators", () => {
    const cases: Record<string, string> = {
      "＞85%": "> 85 %",
      "＜2800元/人": "< 2800 元/人",
      "≧95%": "≥ 95 %",
      "≦0.05%": "≤ 0.05 %",
      "＝１００（％）": "= 100 %",
      "≥９５．５％": "≥ 95.5 %",
      ">=90%": "≥ 90 %",
      "<=2800元/人": "≤ 2800 元/人",
      "＞＝90%": "≥ 90 %",
      "１８０９人次": "= 1809 人次",
    };
    for (const [text, expected] of Object.entries(cases)) expect(reading(parseTarget(text)), text).toBe(expected);
  });

  it("reads words, dates and placeholders as qualitative", () => {
    const texts = ["及时", "有效", "准确", "建立健全", "逐步提高", "较2023年减少", "应保尽保", "有效推进", "目标人群基本覆盖"];
    const phrases = ["9月30日前", "人大审查批准后60日内", "XX%（目标人群应保尽保）", "2023年底前完成", "60日内", "90%以上", "24小时内"];
    for (const text of [...texts, ...phrases]) {
      expect(parseTarget(text), text).toEqual({ kind: "qualitative", text });
    }
  });

  it("names the position and what was expected in a malformed expression", () => {
    const cases: [string, number, string, string][] = [
      ["≥", 1, "数字", "第2个字符处应为数字"],
      ["≥abc%", 1, "数字", "第2个字符处应为数字，而不是“a”"],
      ["==5", 1, "数字", "第2个字符处应为数字，而不是“=”"],
      ["≥9.5.1%", 4, "单位或结尾", "第5个字符处应为单位或结尾，而不是“.”"],
      ["<=-", 2, "数字", "第3个字符处应为数字，而不是“-”"],
      ["≥-5%", 1, "数字", "第2个字符处应为数字，而不是“-”"],
      ["9.", 2, "小数点后的数字", "第3个字符处应为小数点后的数字"],
      ["9.5.1%", 3, "单位或结尾", "第4个字符处应为单位或结尾，而不是“.”"],
      ["=100(%", 6, "“）”", "第7个字符处应为“）”"],
      ["≥95(%)x", 6, "结尾", "第7个字符处应为结尾，而不是“x”"],
      ["≤9月30日前", 3, "单位或结尾", "第4个字符处应为单位或结尾，而不是“3”"],
      ["≠5", 0, "比较符 =、≥、≤、<、>", "第1个字符处应为比较符 =、≥、≤、<、>，而不是“≠”"],
      ["  ≥", 3, "数字", "第4个字符处应为数字"],
      ["-", 0, "比较符、数字或文字", "第1个字符处应为比较符、数字或文字，而不是“-”"],
    ];
    for (const [text, position, expected, message] of cases) {
      const parsed = parseTarget(text);
      expect(parsed, text).toMatchObject({ error: true, position, expected, message });
      if (!isTargetParseError(parsed)) continue;
      expect(render("zh", parsed.problem), text).toBe(message);
      expect(render("en", parsed.problem), text).not.toMatch(/[\u3400-\u9fff]/);
    }
    expect(parseTarget("  ")).toMatchObject({ error: true, position: 0, expected: "指标值", problem: { code: "tgtParseEmpty" }, message: "指标值为空" });
    const broken = parseTarget("≥abc%");
    expect(isTargetParseError(broken) && render("en", broken.problem)).toBe("at character 2: a digit expected, not “a”");
  });

  it("refuses typos a finance officer makes: a Chinese digit after the number, bounds that contradict each other", () => {
    expect(parseTarget("≥8五%")).toMatchObject({ error: true, position: 2, message: "第3个字符处应为单位或结尾，而不是“五”" });
    expect(parseTarget("8五%")).toMatchObject({ kind: "qualitative" }); // no operator: a phrase, as 3天内
    expect(parseTarget("100%以上以下")).toMatchObject({ error: true, position: 6, message: "第7个字符处应为单位或结尾，而不是“以”" });
    expect(parseTarget("≥90%以内以内")).toMatchObject({ error: true, position: 6 });
    // Units with 万, 千, 百 and phrases with one bound still read.
    expect(parseTarget("≥5万元")).toMatchObject({ kind: "quantitative", value: "5", unit: "万元" });
    expect(parseTarget("≤3千克")).toMatchObject({ kind: "quantitative", unit: "千克" });
    expect(parseTarget("100%以上")).toMatchObject({ kind: "qualitative" });
  });
});

describe("parseActual", () => {
  it("reads a value with or without unit, but not a bound", () => {
    expect(parseActual("2629.00(人)")).toEqual({ value: "2629.00", unit: "人" });
    expect(parseActual("95")).toEqual({ value: "95", unit: "" });
    expect(parseActual("＜2800元/人")).toMatchObject({ error: true, position: 0 });
    expect(parseActual("达成指标")).toMatchObject({ error: true, position: 0 });
  });
});

describe("targetCompletion", () => {
  it("is actual ÷ target for ≥ and =, uncapped, with met and a numeric deviation", () => {
    expect(targetCompletion(target("=5000.00(人)"), "2629.00(人)")).toEqual({
      completion: "52.58",
      met: false,
      deviation: "-2371人",
      exceededBy: null,
      band: null,
    });
    expect(targetCompletion(target("≥100%"), "75.38")).toMatchObject({ completion: "75.38", met: false, deviation: "-24.62个百分点" });
    expect(targetCompletion(target("1809人次"), "1809")).toMatchObject({ completion: "100.00", met: true, deviation: "0人次" });
    expect(targetCompletion(target("=160.00(人)"), "176")).toMatchObject({ completion: "110.00", met: true, deviation: "0人" });
    expect(targetCompletion(target(">85%"), "85")).toMatchObject({ completion: "100.00", met: false, deviation: "0个百分点" });
  });

  it("crosses 75% at exactly 75.00", () => {
    expect(targetCompletion(target("=100(%)"), "75")).toMatchObject({ completion: "75.00", met: false });
    expect(targetCompletion(target("=100(%)"), "74.99")).toMatchObject({ completion: "74.99", met: false });
    expect(targetCompletion(target("=5000(人)"), "3750")).toMatchObject({ completion: "75.00" });
    expect(targetCompletion(target("=5000(人)"), "3749")).toMatchObject({ completion: "74.98" });
    expect(targetCompletion(target("=10000(人)"), "7499.5")).toMatchObject({ completion: "75.00" }); // 74.995 rounds half-up
  });

  it("is met within a ≤ or < bound, and beyond it says how far", () => {
    expect(targetCompletion(target("≤2800元/人"), "2800")).toEqual({ completion: "100.00", met: true, deviation: "0元/人", exceededBy: "0.00", band: null });
    expect(targetCompletion(target("≤2800元/人"), "1200")).toMatchObject({ completion: "100.00", met: true });
    expect(targetCompletion(target("≤2800元/人"), "3500")).toEqual({ completion: "80.00", met: false, deviation: "700元/人", exceededBy: "25.00", band: null });
    expect(targetCompletion(target("≤0.05(%)"), "0.00(%)")).toMatchObject({ completion: "100.00", met: true });
    expect(targetCompletion(target("<0.05(%)"), "0.04")).toMatchObject({ met: true });
    expect(targetCompletion(target("<0.05(%)"), "0.05")).toMatchObject({ completion: "100.00", met: false, deviation: "0个百分点", exceededBy: "0.00" });
    expect(targetCompletion(target("<10 次"), "12")).toMatchObject({ completion: "83.33", met: false, deviation: "2次", exceededBy: "20.00" });
  });

  it("accepts an actual written as a bound when it settles the target, as the 000 form reports caps", () => {
    const met = { completion: "100.00", met: true, deviation: "0元/人", exceededBy: "0.00", band: null };
    expect(targetCompletion(target("≤2800元/人"), "＜2800元/人")).toEqual(met); // 000: 全年门急诊医疗救助最高限额
    expect(targetCompletion(target("≤13万/人"), "＜13万/人")).toMatchObject({ met: true }); // 000: 住院
    expect(targetCompletion(target("≤2800元/人"), "≤2800元/人")).toEqual(met);
    expect(targetCompletion(target("<10 次"), "<10次")).toMatchObject({ met: true });
    expect(targetCompletion(target("≥95%"), "≥98%")).toEqual({ completion: "100.00", met: true, deviation: "0个百分点", exceededBy: null, band: null });
    expect(() => targetCompletion(target("<10 次"), "≤10次")).toThrow("实际值“≤10次”是一个范围，不能说明是否达到“<10 次”：请填写具体数值");
    expect(() => targetCompletion(target("≤2800元/人"), "<3000元/人")).toThrow("请填写具体数值");
    expect(() => targetCompletion(target("≥95%"), "≤98%")).toThrow("请填写具体数值");
    expect(() => targetCompletion(target("≤2800元/人"), "<2800人")).toThrow("实际值单位“人”与目标单位“元/人”不一致");
  });

  it("handles zero targets: 0发生 is met only at 0", () => {
    expect(targetCompletion(target("0发生"), "0")).toEqual({ completion: "100.00", met: true, deviation: "0发生", exceededBy: null, band: null });
    expect(targetCompletion(target("0发生"), "2")).toEqual({ completion: "0.00", met: false, deviation: "2发生", exceededBy: null, band: null });
    expect(targetCompletion(target("=0.00(例)"), "0.00(例)")).toMatchObject({ met: true });
    expect(targetCompletion(target("≤0%"), "0.5")).toMatchObject({ completion: "0.00", met: false });
    expect(targetCompletion(target("≥0%"), "3")).toMatchObject({ completion: "100.00", met: true }); // 001 成本节约率 ≥0%
  });

  it("is unknown until there is an actual value, and refuses a mismatched unit", () => {
    expect(targetCompletion(target("≥90%"), null)).toEqual({ completion: null, met: null, deviation: null, exceededBy: null, band: null });
    expect(() => targetCompletion(target("=5000(人)"), "3000(万元)")).toThrow("实际值单位“万元”与目标单位“人”不一致");
    expect(() => targetCompletion(target("=5000(人)"), "三千")).toThrow(RangeError);
    try {
      targetCompletion(target("=5000(人)"), "3000(万元)");
    } catch (error) {
      expect(error).toBeInstanceOf(TargetError);
      expect(render("en", (error as TargetError).detail)).toBe("The actual's unit “万元” differs from the target's unit “人”");
    }
  });

  it("maps qualitative judgements to their band", () => {
    const qualitative = target("建立健全");
    expect(targetCompletion(qualitative, null)).toMatchObject({ completion: null, met: null });
    expect(targetCompletion(qualitative, null, "达成")).toEqual({
      completion: "100.00",
      met: true,
      deviation: null,
      exceededBy: null,
      band: { from: "80.00", to: "100.00" },
    });
    expect(targetCompletion(qualitative, null, "部分达成")).toMatchObject({ completion: null, met: false, band: { from: "60.00", to: "80.00" } });
    expect(targetCompletion(qualitative, null, { judgement: "部分达成", completion: "78" })).toMatchObject({ completion: "78.00", met: false });
    expect(targetCompletion(qualitative, null, "未达成")).toMatchObject({ completion: null, met: false, band: { from: "0.00", to: "60.00" } });
    expect(() => targetCompletion(qualitative, null, { judgement: "未达成", completion: "70" })).toThrow("“未达成”的完成度应在 0.00%–60.00% 之间");
  });
});

describe("indicatorScore", () => {
  it("gives 5.26 of 10 for 003's 培训覆盖人次 (2,629 of 5,000), where the sheet wrote 9.50", () => {
    expect(indicatorScore("10.00", target("=5000.00(人)"), "2629.00(人)")).toBe("5.26");
  });

  it("gives full marks when met, and weight × bound ÷ actual beyond a bound", () => {
    expect(indicatorScore("10", target("≥95(%)"), "97.53")).toBe("10.00");
    expect(indicatorScore("2", target("≤3630250.00(元)"), "3630250.00(元)")).toBe("2.00");
    expect(indicatorScore("10", target("≤2800元/人"), "3500")).toBe("8.00");
    expect(indicatorScore("5", target("0发生"), "1")).toBe("0.00");
    expect(indicatorScore("5", target("=100%"), "0")).toBe("0.00");
  });

  it("scores qualitative judgements at the upper end of their band unless a score is given", () => {
    const qualitative = target("及时");
    expect(indicatorScore("10", qualitative, "达成")).toBe("10.00");
    expect(indicatorScore("10", qualitative, "部分达成")).toBe("8.00");
    expect(indicatorScore("10", qualitative, "未达成")).toBe("6.00");
    expect(indicatorScore("10", qualitative, { judgement: "达成", score: "9.7" })).toBe("9.70");
    expect(() => indicatorScore("10", qualitative, { judgement: "部分达成", score: "9" })).toThrow("“部分达成”的得分应在 6.00–8.00 分之间");
    expect(() => indicatorScore("10", qualitative, "达成指标")).toThrow(RangeError);
  });

  it("agrees with 003's sheets except where the documents deducted by judgement", () => {
    const differences: string[] = [];
    for (const row of TARGET_STRINGS_003) {
      const parsed = target(row.text);
      if (row.actual === undefined || row.weight === undefined) continue;
      if (parsed.kind === "qualitative") {
        // Every qualitative row is "达成指标"; the sheets' scores stay within 达成's band (80–100% of the weight).
        expect(row.actual).toBe("达成指标");
        if (row.score !== null && row.score !== undefined) {
          expect(money(row.score).dividedBy(row.weight).times(100).greaterThanOrEqualTo(80), row.indicator).toBe(true);
        }
        continue;
      }
      const score = indicatorScore(row.weight, parsed, row.actual);
      if (row.score !== null && score !== row.score) differences.push(`${row.project} ${row.indicator}: ${row.score} → ${score}`);
    }
    expect(differences).toEqual([
      "智慧闵行医保卫士-“看病钱”守护系统 系统使用人员满意度: 9.00 → 10.00",
      "长护险护理试点工作经费 培训覆盖人次: 9.50 → 5.26",
      "法律顾问费 有责投诉处置率: 9.50 → 10.00",
      "闵行医保基金监督检查系统运维 系统使用人员满意度: 9.00 → 10.00",
      "市民社区医疗互助帮困经费 各镇互助帮困人数: 1.00 → 1.82",
      "市民社区医疗互助帮困经费 各街道互助帮困人数: 1.00 → 1.78",
    ]);
    // The merged row of 医保监督管理: 14.00 on the sheet, 5.00 + 2.67 + 5.00 by the rule (200 of 375 家).
    expect(indicatorScore("5.00", target("=375.00(家)"), "200.00(家)")).toBe("2.67");
  });
});
