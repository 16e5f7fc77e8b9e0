import { describe, expect, it } from "vitest";
import { deviationMessage, evaluateIndicator } from "./indicator.ts";
import { render } from "../../../messages/index.ts";
import { row, zh } from "./fixtures.ts";

describe("an indicator row", () => {
  it("is read against the target due now, else the annual one", () => {
    expect(evaluateIndicator(row("救助对象满意度", "≥85%", { actual: "80%" }))).toEqual({ qualitative: false, completion: "94.12", met: false, deviation: "-5个百分点", error: null });
    expect(evaluateIndicator(row("医疗救助总人次", "≥4000人次", { dueTarget: "≥2600人次", actual: "1950人次" })).completion).toBe("75.00");
    expect(evaluateIndicator(row("医疗救助总人次", "≥4000人次", { dueTarget: "≥2600人次", actual: "1949人次" })).completion).toBe("74.96");
    expect(evaluateIndicator(row("医疗保障制度体系建设", "有效推进", { judgement: "部分达成" }))).toMatchObject({ qualitative: true, met: false, completion: null });
    expect(zh(evaluateIndicator(row("资金结算准确率", "100.00%", { actual: "很准" })).error)).toMatch(/^实际值“很准”无法读取/);
    expect(zh(evaluateIndicator(row("x", "≥", { actual: "1" })).error)).toBe("指标值“≥”无法识别：第2个字符处应为数字");
    expect(zh(evaluateIndicator(row("x", "≥5人", { actual: "3次" })).error)).toBe("实际值单位“次”与目标单位“人”不一致");
  });

  it("refuses a completion beyond what a form can record", () => {
    const beyond = evaluateIndicator(row("支出方向符合度", "100%", { dueTarget: "≥0.001%", actual: "100%" }));
    expect(beyond).toMatchObject({ qualitative: false, completion: null, met: null, deviation: null, error: { code: "trCompletionOutOfRange" } });
    expect(zh(beyond.error)).toBe("完成百分比 10000000.00% 超出可记录的范围（绝对值最大 9999999.99%），请核对实际完成值和应完成的绩效目标值");
    // The largest recordable one passes: ≥1 against 99,999.9999 → 9,999,999.99%.
    expect(evaluateIndicator(row("x", "≥1", { actual: "99999.9999" })).completion).toBe("9999999.99");
    expect(zh(evaluateIndicator(row("x", "≥1", { actual: "9999999999%" })).error)).toMatch(/^实际值单位|^完成百分比/);
  });

  it("shows a deviation in percentage points in the user's language; other units as the target writes them", () => {
    expect(zh(deviationMessage("-5个百分点"))).toBe("-5个百分点");
    expect(render("en", deviationMessage("-5个百分点"))).toBe("-5 pp");
    expect(render("en", deviationMessage("-2371人"))).toBe("-2371人");
  });
});
