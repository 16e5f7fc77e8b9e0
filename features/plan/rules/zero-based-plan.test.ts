import { describe, expect, it } from "vitest";
import { planLines, type BaseLine, type PlanStandard } from "./zero-based-plan.ts";
import { inForce } from "../../../domain/plan-formulas.ts";
import { applyOverride, parseOverrideForm as parseOverrideMessages } from "./override.ts";
import { render } from "../../../messages/index.ts";

/** The override form's problems as the Chinese page shows them. */
function parseOverrideForm(form: Record<string, string | undefined>) {
  const parsed = parseOverrideMessages(form);
  if (!("errors" in parsed)) return parsed;
  return { errors: Object.fromEntries(Object.entries(parsed.errors).map(([field, problem]) => [field, render("zh", problem!)])) };
}
import { groupPlan } from "./totals.ts";
import { lineHistories } from "./history.ts";

const standard = (over: Partial<PlanStandard>): PlanStandard => ({
  id: 1,
  code: "PREM-SUBSIDY",
  revision: 1,
  name: "城乡居民基本医疗保险个人缴费补助",
  category: "资助参保",
  value: "310.0000",
  unit: "元/人",
  form: "定额",
  beneficiaryGroup: null,
  effectiveFrom: "2024-01-01",
  effectiveTo: null,
  document: "沪医保规〔2023〕2号",
  ...over,
});

const line = (over: Partial<BaseLine>): BaseLine => ({
  lineId: 2,
  projectId: 10,
  projectName: "医疗救助",
  unitId: 5,
  unitName: "马桥",
  lineNo: 2,
  composition: "内扣社区医疗互助帮困资金",
  item: "城乡居民基本医疗保险个人缴费补助资金",
  fundLevel: "镇级",
  fundType: "当年财政拨款",
  initial: "46500.00",
  adjusted: "32880.00",
  unitPrice: "310.00",
  quantity: "150",
  basis: "沪医保规〔2023〕2号",
  months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  functionalCode: null,
  functionalName: null,
  economicCode: null,
  economicName: null,
  standardId: 1,
  ...over,
});

describe("zero-based plan", () => {
  it("takes a 定额 line's new standard as announced for the target year: 310 → 330 元 × 150 = 49,500", () => {
    const catalogue = [standard({ effectiveTo: "2024-12-31" }), standard({ id: 2, revision: 2, value: "330.0000", effectiveFrom: "2025-01-01", document: "沪医保规〔2024〕5号" })];
    expect(inForce(catalogue, "PREM-SUBSIDY", "2025-01-01")?.value).toBe("330.0000");
    const { lines } = planLines({ targetYear: 2025, lines: [line({})], histories: new Map(), catalogue });
    expect(lines[0]).toMatchObject({
      unitPrice: "330.00",
      quantity: "150.00",
      amount: "49500.00",
      method: "standard",
      basis: "沪医保规〔2024〕5号",
      standard: { code: "PREM-SUBSIDY", revision: 2 },
      // Nothing paid to the line (and its budget not cut to zero): last year's planned quantity stays, flagged for checking.
      quantityCheck: { planned: "150.00", derived: null, flagged: true },
      // Against nothing executed: volume 150 × 310 = 46,500 at last year's price, policy 150 × (330 − 310) = 3,000.
      change: { lastYear: "0.00", volume: "46500.00", policy: "3000.00", unitCost: "0.00", total: "49500.00" },
    });
    expect(lines[0]!.monthly.map((m) => m.amount)).toEqual(new Array(12).fill("4125.00"));
  });

  it("restates a benefit line's unit price under a raised cap (2,500 → 2,800) and leaves settlement rows out", () => {
    const catalogue = [
      standard({ id: 1, code: "MA-OP-RATE-DB", category: "市级门急诊救助", form: "比例", value: "60.0000", unit: "%", effectiveFrom: "2022-01-01" }),
      standard({ id: 2, code: "MA-OP-CAP", category: "市级门急诊救助", form: "限额", value: "2500.0000", unit: "元/人/年", effectiveFrom: "2022-01-01", effectiveTo: "2024-12-31" }),
      standard({ id: 3, code: "MA-OP-CAP", revision: 2, category: "市级门急诊救助", form: "限额", value: "2800.0000", unit: "元/人/年", effectiveFrom: "2025-01-01" }),
    ];
    const outpatient = line({ lineId: 6, item: "市级政策门急诊救助", unitPrice: "1800.00", quantity: "100", initial: "180000.00", standardId: 1 });
    const settlement = line({ lineId: 9, item: "财力结算", unitPrice: null, quantity: null, initial: "0.00", basis: null, standardId: null });
    const planned = planLines({ targetYear: 2025, lines: [outpatient, settlement], histories: new Map(), catalogue });
    const { lines } = planned;
    expect(lines).toHaveLength(1);
    expect(planned.settlement).toEqual([{ lineId: 9, projectId: 10, unitId: 5, item: "财力结算", initial: "0.00", adjusted: "32880.00", executed: "0.00" }]);
    const groups = groupPlan(lines, planned.forecasts, planned.settlement);
    expect(groups.units[0]!.projects[0]!.settlement).toMatchObject({ items: ["财力结算"], adjusted: "32880.00" });
    expect(groups.total.lastYearAdjusted).toBe("65760.00");
    const price = Number(lines[0]!.unitPrice);
    expect(price).toBeGreaterThan(1800);
    expect(price).toBeLessThan(1800 * 1.12);
    expect(lines[0]!.basis).toBe("沪医保规〔2023〕2号");
  });

  it("plans a line with a policy basis whose money came during the year (initial 0: 华漕's 年中追加) from its execution, flagged; not as a settlement row", () => {
    const added = line({ lineId: 21, projectId: 4, item: "医疗救助（市级承担50%）", unitPrice: null, quantity: null, initial: "0.00", adjusted: "554600.00", basis: "沪医保规〔2020〕4号", standardId: null });
    const history = { start: "2024-01", personTimes: [0, 0, 0, 0, 0, 0, 0, 904.5], amounts: [0, 0, 0, 0, 0, 0, 0, 479811.4], executed: "479811.40", allocated: true };
    const planned = planLines({ targetYear: 2025, lines: [added], histories: new Map([[21, history]]), catalogue: [] });
    expect(planned.settlement).toEqual([]);
    expect(planned.lines.map((l) => [l.item, l.method, l.amount, l.lastYear.adjusted, l.lastYear.executed, l.attention.map((a) => a.code)])).toEqual([
      ["医疗救助（市级承担50%）", "executed", "479811.40", "554600.00", "479811.40", ["addedInYear"]],
    ]);
    expect(planned.lines[0]!.attention).toEqual([{ code: "addedInYear", executed: "479811.40", adjusted: "554600.00", rate: "86.51" }]);
  });

  it("shares a project's mixed batches over its benefit lines by planned quantity and amount, keeping its own payments", () => {
    const histories = lineHistories({
      baseYear: 2024,
      lines: [
        { lineId: 5, projectId: 1, baseLineId: 5, quantity: "100", initial: "20000.00", adjusted: "20000.00", hasBasis: true, sharesBatches: true },
        { lineId: 6, projectId: 1, baseLineId: 6, quantity: "300", initial: "60000.00", adjusted: "60000.00", hasBasis: true, sharesBatches: true },
        { lineId: 2, projectId: 1, baseLineId: 2, quantity: "150", initial: "46500.00", adjusted: "46500.00", hasBasis: true, sharesBatches: false },
      ],
      payments: [
        { projectId: 1, lineId: null, month: "2024-03", personTimes: 40, amount: "1000.00" },
        { projectId: 1, lineId: 2, month: "2024-07", personTimes: 0, amount: "32880.00" },
      ],
    });
    expect(histories.get(5)).toMatchObject({ start: "2024-01", executed: "250.00", allocated: true });
    expect(histories.get(5)!.personTimes[2]).toBe(10);
    expect(histories.get(6)!.personTimes[2]).toBe(30);
    expect(histories.get(6)!.executed).toBe("750.00");
    expect(histories.get(2)).toMatchObject({ executed: "32880.00", allocated: false });
    expect(histories.get(2)!.amounts[6]).toBe(32880);
  });

  it("shares a mixed batch by adjusted budget where no line of the project has a planned quantity (华漕: funded during the year)", () => {
    const histories = lineHistories({
      baseYear: 2024,
      lines: [
        { lineId: 1, projectId: 4, baseLineId: 1, quantity: null, initial: "0.00", adjusted: "554600.00", hasBasis: true, sharesBatches: true },
        { lineId: 2, projectId: 4, baseLineId: 2, quantity: null, initial: "0.00", adjusted: "554600.00", hasBasis: true, sharesBatches: true },
        { lineId: 3, projectId: 4, baseLineId: 3, quantity: null, initial: "0.00", adjusted: "0.00", hasBasis: true, sharesBatches: true },
        // A settlement row (no basis) takes no share of payments to individuals.
        { lineId: 4, projectId: 4, baseLineId: 4, quantity: null, initial: "0.00", adjusted: "32880.00", hasBasis: false, sharesBatches: true },
      ],
      payments: [{ projectId: 4, lineId: null, month: "2024-08", personTimes: 1809, amount: "959622.79" }],
    });
    expect([1, 2].map((id) => histories.get(id)!.executed)).toEqual(["479811.40", "479811.39"]);
    expect(histories.get(1)!.personTimes[7]).toBe(904.5);
    expect(histories.get(1)!.allocated).toBe(true);
    expect(histories.has(3)).toBe(false);
    expect(histories.has(4)).toBe(false);
  });

  it("shares a mixed batch to whole cents by largest remainder, so the lines' 上年执行数 add up to the batch", () => {
    const lines = [1, 2, 3].map((lineId) => ({ lineId, projectId: 1, baseLineId: lineId, quantity: "10", initial: "1000.00", adjusted: "1000.00", hasBasis: true, sharesBatches: true }));
    const histories = lineHistories({
      baseYear: 2024,
      lines,
      payments: [
        { projectId: 1, lineId: null, month: "2024-05", personTimes: 3, amount: "100.00" },
        { projectId: 1, lineId: null, month: "2024-06", personTimes: 3, amount: "0.02" },
      ],
    });
    const executed = lines.map((l) => histories.get(l.lineId)!.executed);
    expect(executed).toEqual(["33.35", "33.34", "33.33"]);
    expect(executed.reduce((s, a) => s + Math.round(Number(a) * 100), 0)).toBe(10002);
  });

  it("keeps a 元/万元 slip in 上年执行数 but out of the history the forecast learns from, and notes it on every line it is shared to", () => {
    const lines = [1, 2].map((lineId) => ({ lineId, projectId: 1, baseLineId: lineId, quantity: "10", initial: "1000.00", adjusted: "1000.00", hasBasis: true, sharesBatches: true }));
    const slip = { id: "9", paidOn: "2024-12-20", amount: "50000000.00", personTimes: 1, median: "23739.34" };
    const histories = lineHistories({
      baseYear: 2024,
      lines,
      payments: [
        { projectId: 1, lineId: null, month: "2024-11", personTimes: 10, amount: "1000.00" },
        { projectId: 1, lineId: null, month: "2024-12", personTimes: 11, amount: "50001000.00", fitPersonTimes: 10, fitAmount: "1000.00", slips: [slip] },
      ],
    });
    expect(histories.get(1)).toMatchObject({ executed: "25001000.00", screenedExecuted: "1000.00", slips: [slip] });
    expect(histories.get(1)!.amounts.slice(10)).toEqual([500, 500]);
    expect(histories.get(1)!.personTimes.slice(10)).toEqual([5, 5]);
  });

  it("applies an override: amount = unit price × quantity, the months keep their shape and add up, the change absorbs it", () => {
    const { lines, forecasts } = planLines({ targetYear: 2025, lines: [line({})], histories: new Map(), catalogue: [standard({})] });
    const overridden = applyOverride(lines[0]!, { quantity: "160", unitPrice: "310.00", reason: "2025年新增困难人员10人", by: "maqiao.planner" });
    expect(overridden.amount).toBe("49600.00");
    // Ten more persons at the same price: all of the change is volume.
    expect(overridden.change).toEqual({ lastYear: "0.00", volume: "49600.00", policy: "0.00", unitCost: "0.00", total: "49600.00" });
    // Ten more persons and 10 元 more each: Δquantity × old price to volume, new quantity × Δprice to unit cost.
    const repriced = applyOverride(lines[0]!, { quantity: "160", unitPrice: "320.00", reason: "x", by: "maqiao.planner" });
    expect(repriced.change).toEqual({ lastYear: "0.00", volume: "49600.00", policy: "0.00", unitCost: "1600.00", total: "51200.00" });
    expect(repriced.amount).toBe("51200.00");
    expect(overridden.monthly.reduce((s, m) => s + Math.round(Number(m.amount) * 100), 0)).toBe(4960000);
    expect(overridden.override).toMatchObject({ forecastQuantity: "150.00", quantity: "160.00", reason: "2025年新增困难人员10人" });
    expect(overridden.change.total).toBe("49600.00");
    const groups = groupPlan([overridden], forecasts);
    expect(groups.total.amount).toBe("49600.00");
    expect(groups.units[0]!.projects[0]!.total.lastYearInitial).toBe("46500.00");
  });

  it("refuses an override beyond the bounds or whose amount would not fit the ledger (10^16 元)", () => {
    expect(parseOverrideForm({ quantity: "99999999999999", unitPrice: "99999999999", reason: "x" })).toEqual({
      errors: { quantity: "数量不能超过 1,000,000,000：99999999999999", unitPrice: "单价不能超过 10,000,000,000 元：99999999999" },
    });
    expect(parseOverrideForm({ quantity: "1000000000", unitPrice: "10000000000", reason: "x" })).toEqual({
      errors: { quantity: "金额（单价 × 数量）超过上限 10^16 元：10,000,000,000 × 1,000,000,000" },
    });
    expect(parseOverrideForm({ quantity: "999999", unitPrice: "9999999999.99", reason: "x" })).toHaveProperty("values");
  });

  it("validates an override field by field; a reason is required", () => {
    expect(parseOverrideForm({ quantity: "1,600", unitPrice: "204.33", reason: "新增救助对象" })).toEqual({
      values: { quantity: "1600.00", unitPrice: "204.33", reason: "新增救助对象" },
    });
    expect(parseOverrideForm({ quantity: "-1", unitPrice: "1.005", reason: " " })).toEqual({
      errors: {
        quantity: "数量应为不小于 0、最多两位小数的数：-1",
        unitPrice: "单价：金额最多两位小数（精确到分）",
        reason: "必填：人工调整须说明理由",
      },
    });
  });
});

describe("a base year in progress", () => {
  it("ends the history at the last month with payments of the line's projects, not at December", () => {
    const months = Array.from({ length: 20 }, (_, k) => `${2024 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`);
    const histories = lineHistories({
      baseYear: 2025,
      lines: [
        { lineId: 1, projectId: 1, baseLineId: 11, quantity: "100", initial: "1000.00", adjusted: "1000.00", hasBasis: true, sharesBatches: true },
        { lineId: 11, projectId: 2, baseLineId: 11, quantity: "100", initial: "1000.00", adjusted: "1000.00", hasBasis: true, sharesBatches: true },
      ],
      payments: months.map((month) => ({ projectId: month < "2025" ? 1 : 2, lineId: month < "2025" ? 1 : 11, month, personTimes: 10, amount: "100.00" })),
    });
    expect(histories.get(11)).toMatchObject({ start: "2024-01", executed: "800.00" });
    expect(histories.get(11)!.personTimes).toHaveLength(20);
    const { lines } = planLines({
      targetYear: 2026,
      lines: [line({ lineId: 11, standardId: null, unitPrice: "10.00", quantity: "100", initial: "1000.00" })],
      histories,
      catalogue: [],
      draws: 200,
    });
    // A constant 10 person-times and 10 元 each month: the forecast of 2026 is 120 × 10 元, not dragged down by empty months.
    expect(lines[0]).toMatchObject({ method: "model", quantity: "120.00", unitPrice: "10.00", amount: "1200.00" });
  });
});

describe("a modelled benefit line under a raised cap", () => {
  it("restates the history under the target year's cap from the catalogue: the policy effect is positive, the rate unchanged", () => {
    const catalogue = [
      standard({ id: 1, code: "MA-OP-RATE-DB", category: "市级门急诊救助", form: "比例", value: "60.0000", unit: "%", effectiveFrom: "2022-01-01", document: "沪医保规〔2022〕12号" }),
      standard({ id: 2, code: "MA-OP-CAP", category: "市级门急诊救助", form: "限额", value: "2500.0000", unit: "元/人/年", effectiveFrom: "2022-01-01", effectiveTo: "2022-12-31", document: "旧" }),
      standard({ id: 3, code: "MA-OP-CAP", revision: 2, category: "市级门急诊救助", form: "限额", value: "2800.0000", unit: "元/人/年", effectiveFrom: "2023-01-01", document: "沪医保规〔2022〕12号" }),
    ];
    const personTimes = new Array(12).fill(100);
    // Monthly mean payments vary around 1,200 元 (the cost spread the restatement estimates from them).
    const means = [900, 1500, 1100, 1300, 800, 1600, 1000, 1400, 1200, 1250, 1150, 1200];
    const histories = new Map([[6, { start: "2022-01", personTimes, amounts: means.map((m) => m * 100), executed: "1440000.00", allocated: false }]]);
    const { lines } = planLines({ targetYear: 2023, lines: [line({ lineId: 6, standardId: 1, unitPrice: "1200.00", quantity: "1200", initial: "1440000.00" })], histories, catalogue, draws: 200 });
    const [planned] = lines;
    expect(planned).toMatchObject({ method: "model", basis: "沪医保规〔2022〕12号", standard: { code: "MA-OP-RATE-DB" } });
    expect(Number(planned!.unitPrice)).toBeGreaterThan(1200);
    expect(Number(planned!.unitPrice)).toBeLessThan(1200 * 1.12);
    expect(Number(planned!.change.policy)).toBeGreaterThan(0);
    expect(Number(planned!.quantity)).toBe(1200);
  });
});

describe("a 定额 line without monthly person-times", () => {
  const mutualAid = standard({ id: 7, code: "MH-MINHANG", value: "1200.0000", unit: "元/人", effectiveFrom: "2024-01-01", document: "闵医保发〔2023〕4号" });
  const history = (executed: string) => ({ start: "2024-01", personTimes: new Array(12).fill(0), amounts: new Array(12).fill(0), executed, allocated: false });

  it("derives the quantity from last year's execution, not last year's plan: 795,265.75 ÷ 1,200 ≈ 663 persons, not 455", () => {
    const base = line({ lineId: 1, item: "社区医疗互助帮困资金", initial: "546000.00", adjusted: "795265.75", unitPrice: "1200.00", quantity: "455", basis: "闵医保发〔2023〕4号", standardId: 7 });
    const { lines } = planLines({ targetYear: 2025, lines: [base], histories: new Map([[1, history("795265.75")]]), catalogue: [mutualAid] });
    expect(lines[0]).toMatchObject({
      method: "standard",
      quantity: "663.00",
      unitPrice: "1200.00",
      amount: "795600.00",
      basis: "闵医保发〔2023〕4号",
      quantityCheck: { planned: "455.00", derived: "663.00", flagged: true },
      // 663 × 1,200 − 795,265.75: all volume (rounding to whole persons), no policy change.
      change: { lastYear: "795265.75", volume: "334.25", policy: "0.00", unitCost: "0.00", total: "334.25" },
    });
    expect(render("zh", lines[0]!.reason)).toContain("795,265.75 ÷ 1,200 元 ≈ 663（上年计划 455，差异较大，请核实）");
  });

  it("premium subsidy: 32,880 ÷ 310 ≈ 106 persons (planned 150), priced at the target year's standard", () => {
    const catalogue = [standard({ effectiveTo: "2024-12-31" }), standard({ id: 2, revision: 2, value: "330.0000", effectiveFrom: "2025-01-01", document: "沪医保规〔2024〕5号" })];
    const { lines } = planLines({ targetYear: 2025, lines: [line({})], histories: new Map([[2, history("32880.00")]]), catalogue });
    expect(lines[0]).toMatchObject({
      quantity: "106.00",
      unitPrice: "330.00",
      amount: "34980.00",
      quantityCheck: { planned: "150.00", derived: "106.00", flagged: true },
      // Volume 106 × 310 − 32,880 = −20; policy 106 × 20 = 2,120; they add up to the change 2,100.
      change: { lastYear: "32880.00", volume: "-20.00", policy: "2120.00", unitCost: "0.00", total: "2100.00" },
    });
  });

  it("a line cut to zero with nothing paid plans no persons; a small gap is not flagged", () => {
    const farmer = line({ lineId: 3, item: "农民个人缴费补助", initial: "2400.00", adjusted: "0.00", unitPrice: "30.00", quantity: "80", standardId: 1 });
    const close = line({ lineId: 4, item: "困难人员居保缴费补助", initial: "9600.00", adjusted: "9600.00", unitPrice: "310.00", quantity: "30", standardId: 1 });
    const { lines } = planLines({ targetYear: 2025, lines: [farmer, close], histories: new Map([[4, history("8680.00")]]), catalogue: [standard({})] });
    expect(lines[0]).toMatchObject({ quantity: "0.00", amount: "0.00", quantityCheck: { planned: "80.00", derived: "0.00", flagged: true } });
    // Planned at 0 persons the year after, the line is still a category (priced), not a settlement row.
    const next = planLines({ targetYear: 2026, lines: [{ ...farmer, initial: "0.00", adjusted: "0.00", quantity: "0.00" }], histories: new Map(), catalogue: [standard({})] });
    expect(next.lines.map((l) => l.item)).toEqual(["农民个人缴费补助"]);
    expect(next.settlement).toEqual([]);
    expect(lines[1]).toMatchObject({ quantity: "28.00", amount: "8680.00", quantityCheck: { planned: "30.00", derived: "28.00", flagged: false } });
  });
});

describe("standards of other owners", () => {
  it("pairs a rate only with a cap of the same owning unit: another unit's cap in the category changes nothing", () => {
    const catalogue = [
      standard({ id: 1, code: "MA-OP-RATE-DB", category: "市级门急诊救助", form: "比例", value: "60.0000", unit: "%", effectiveFrom: "2022-01-01", ownerUnitId: 1 }),
      standard({ id: 2, code: "MQ-OP-CAP", category: "市级门急诊救助", form: "限额", value: "100.0000", unit: "元/人/年", effectiveFrom: "2022-01-01", effectiveTo: "2024-12-31", ownerUnitId: 2 }),
      standard({ id: 3, code: "MQ-OP-CAP", revision: 2, category: "市级门急诊救助", form: "限额", value: "50.0000", unit: "元/人/年", effectiveFrom: "2025-01-01", ownerUnitId: 2 }),
    ];
    const outpatient = line({ lineId: 6, item: "市级政策门急诊救助", unitPrice: "1800.00", quantity: "100", initial: "180000.00", standardId: 1 });
    const { lines } = planLines({ targetYear: 2025, lines: [outpatient], histories: new Map(), catalogue });
    expect(lines[0]).toMatchObject({ unitPrice: "1800.00" });
    expect(render("zh", lines[0]!.reason)).toContain("MA-OP-RATE-DB 标准未变");
  });
});
