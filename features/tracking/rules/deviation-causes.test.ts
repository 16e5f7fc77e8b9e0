import { describe, expect, it } from "vitest";
import { DEFAULT_DEVIATION_CAUSES, DEVIATION_CATEGORIES, categoryMessage, causeMessage, validateDeviationCauses } from "./deviation-causes.ts";
import { zh } from "./fixtures.ts";
import { render } from "../../../messages/index.ts";

describe("deviation causes", () => {
  it("cover the five national categories and the domain's refinements", () => {
    expect(new Set(DEFAULT_DEVIATION_CAUSES.map((cause) => cause.category))).toEqual(new Set(DEVIATION_CATEGORIES));
    const labels = DEFAULT_DEVIATION_CAUSES.map((cause) => cause.label);
    for (const label of ["政策调整", "受益对象少于预期", "结算滞后", "采购延迟"]) expect(labels).toContain(label);
    expect(validateDeviationCauses(DEFAULT_DEVIATION_CAUSES)).toEqual([]);
  });

  it("reject a broken catalogue with reasons", () => {
    const problems = validateDeviationCauses([
      { code: "policy-change", category: "制度保障", label: "政策调整" },
      { code: "policy-change", category: "制度保障", label: "政策变化" },
      { code: "天气", category: "其他", label: "" },
      { code: "x", category: "资金" as never, label: "资金" },
    ]);
    expect(problems.map((problem) => problem.code)).toEqual(["trCauseCodeDuplicate", "trCauseCodeFormat", "trCauseLabelMissing", "trCauseCategoryUnknown"]);
    expect(problems.map(zh)).toEqual([
      "偏差原因代码“policy-change”重复",
      "第3项偏差原因：代码“天气”应为小写字母、数字和连字符",
      "偏差原因“天气”：缺少名称",
      "偏差原因“x”：类别“资金”不是 经费保障、制度保障、人员保障、硬件条件保障、其他 之一",
    ]);
    expect(validateDeviationCauses([]).map(zh)).toEqual(["偏差原因目录为空"]);
  });

  it("show the stored categories through the catalogue", () => {
    expect(DEVIATION_CATEGORIES.map((category) => render("en", categoryMessage(category)))).toEqual(["Funding", "Rules and institutions", "Staffing", "Facilities", "Other"]);
    expect(zh(categoryMessage("经费保障"))).toBe("经费保障");
  });

  it("name the default causes through the catalogue, and show a renamed or added one as the administrator wrote it", () => {
    for (const cause of DEFAULT_DEVIATION_CAUSES) {
      expect(zh(causeMessage(cause)), cause.code).toBe(cause.label);
      expect(render("en", causeMessage(cause)), cause.code).not.toMatch(/[\u3400-\u9fff]/);
    }
    expect(render("en", causeMessage({ code: "settlement-lag", label: "结算滞后" }))).toBe("Settlement lag");
    expect(render("en", causeMessage({ code: "settlement-lag", label: "医院结算滞后" }))).toBe("医院结算滞后");
    expect(render("en", causeMessage({ code: "weather", label: "天气影响" }))).toBe("天气影响");
  });
});
