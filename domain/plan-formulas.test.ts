import { describe, expect, it } from "vitest";
import { derive, driverInput, equationText, itemName, type CostShareVersion, type DriverValue, type FormulaStandard, type PlanFormula } from "./plan-formulas.ts";
import { notZeroBased } from "../features/plan/rules/derived-lines.ts";
import { forecastDriver } from "../forecasting/index.ts";

/* Lines derived from drivers × standard × cost share: seeds/001's 互助帮困 composition of 马桥, by hand. */

const UNIT = 7;
const standards: FormulaStandard[] = [
  { id: 1, code: "MH-MEDICAL", revision: 2, name: "医疗", value: "2740.0000", unit: "元/人/年", effectiveFrom: "2024-01-01", effectiveTo: null, document: "沪医保规〔2023〕11号" },
  { id: 2, code: "MH-CARE", revision: 1, name: "照护", value: "500.0000", unit: "元/人/年", effectiveFrom: "2024-01-01", effectiveTo: null, document: "沪医保规〔2023〕11号" },
  { id: 3, code: "MH-CONTRIB", revision: 1, name: "个人缴费", value: "130.0000", unit: "元/人/年", effectiveFrom: "2024-01-01", effectiveTo: null, document: "沪医保规〔2023〕11号" },
];
const shares: CostShareVersion[] = [
  {
    id: 1,
    code: "MH-SHARE",
    revision: 1,
    name: "互助帮困分担",
    spending: "市民社区医疗互助帮困",
    appliesTo: "镇",
    shares: { 中央: "0.0000", 市级: "50.0000", 区级: "25.0000", 镇级: "25.0000" },
    effectiveFrom: "2024-01-01",
    effectiveTo: null,
    document: "附件6-1",
  },
];
const driver = (code: string, year: number, value: string, status: "actual" | "estimated" = "actual"): DriverValue => ({
  unitId: UNIT,
  year,
  code,
  name: code,
  value,
  measure: "人",
  status,
  document: `doc ${code} ${year}`,
});
const drivers = [driver("P", 2022, "460"), driver("P", 2023, "497"), driver("OVER", 2023, "3059")];
const formula = (over: Partial<PlanFormula>): PlanFormula => ({
  id: 1,
  unitId: UNIT,
  projectName: "医疗救助",
  seq: 1,
  composition: "内扣社区医疗互助帮困资金",
  item: "筹集{Y}年医疗互助帮困资金",
  kind: "fundraising",
  quantityDriver: "P",
  quantityOffset: -1,
  minusOffset: null,
  priceStandard: "MH-MEDICAL",
  priceLess: "MH-CONTRIB",
  priceDriver: null,
  priceOffset: null,
  shareCode: "MH-SHARE",
  shareLevel: "镇级",
  replacesItem: null,
  fundLevel: "镇级",
  document: "附件6-1",
  effectiveFrom: 2024,
  effectiveTo: null,
  ...over,
});
const at2024 = (f: PlanFormula) => derive({ formula: f, targetYear: 2024, drivers, standards, shares });

describe("derive", () => {
  it("reproduces the five parts of 马桥's 2024 互助帮困 composition to the cent (795,265.75)", () => {
    const parts = [
      at2024(formula({})),
      at2024(formula({ priceStandard: "MH-CARE", priceLess: null })),
      at2024(formula({ kind: "clearing", minusOffset: -2 })),
      at2024(formula({ kind: "clearing", minusOffset: -2, priceStandard: "MH-CARE", priceLess: null })),
      at2024(formula({ kind: "overspend", priceStandard: null, priceLess: null, priceDriver: "OVER", priceOffset: -1 })),
    ];
    expect(parts.map((p) => [p.netQuantity, p.unitPrice, p.amount])).toEqual([
      ["497.00", "652.50", "324292.50"],
      ["497.00", "125.00", "62125.00"],
      ["37.00", "652.50", "24142.50"],
      ["37.00", "125.00", "4625.00"],
      ["497.00", "764.75", "380080.75"],
    ]);
    expect(parts.reduce((s, p) => s + Math.round(Number(p.amount) * 100), 0)).toBe(79526575);
    expect(parts.every((p) => p.interval80 === null && p.missing.length === 0)).toBe(true);
    expect(equationText(parts[2]!)).toBe("(497 − 460) × (2,740 − 130) × 25% = 37 × 652.50 = 24,142.50");
    expect(parts[0]!.documents).toEqual(["附件6-1", "沪医保规〔2023〕11号"]);
  });

  it("forecasts a driver not yet known from its history, with an interval that carries into the amount", () => {
    const d = derive({ formula: formula({}), targetYear: 2025, drivers, standards, shares });
    expect(d.quantity).toMatchObject({ year: 2024, status: "forecast", value: "497" });
    expect(d.amount).toBe("324292.50");
    expect(Number(d.interval80!.lower)).toBeLessThan(324292.5);
    expect(Number(d.interval95!.upper)).toBeGreaterThan(Number(d.interval80!.upper));
  });

  it("names what is missing instead of guessing: no driver history, no standard in force, no share", () => {
    const d = derive({ formula: formula({ quantityDriver: "NONE" }), targetYear: 2024, drivers, standards, shares });
    expect(d.missing).toEqual(["NONE 2023"]);
    expect(d.amount).toBe("0.00");
    const early = derive({ formula: formula({}), targetYear: 2023, drivers, standards, shares });
    expect(early.missing).toEqual(["MH-MEDICAL 2023", "MH-CONTRIB 2023", "MH-SHARE 2023"]);
  });

  it("takes an entered value (actual or estimated) before any forecast", () => {
    expect(driverInput([...drivers, driver("P", 2024, "520", "estimated")], UNIT, "P", 2024)).toMatchObject({ value: "520", status: "estimated", interval80: null });
    expect(driverInput(drivers, UNIT + 1, "P", 2024).status).toBe("missing");
  });

  it("fills the year placeholders of an item's name", () => {
    expect(itemName("清算{Y-1}年医疗资金（{Y}年度）", 2025)).toBe("清算2024年医疗资金（2025年度）");
  });
});

describe("forecastDriver", () => {
  it("holds the last value, with an interval from the year-on-year changes (at least 10% a year) widening with the horizon", () => {
    const one = forecastDriver([{ year: 2022, value: 460 }, { year: 2023, value: 497 }], 2024)!;
    expect(one).toMatchObject({ value: 497, from: 2023, spread: 0.1 });
    const two = forecastDriver([{ year: 2022, value: 460 }, { year: 2023, value: 497 }], 2025)!;
    expect(two.interval80.upper - two.value).toBeCloseTo((one.interval80.upper - one.value) * Math.SQRT2, 6);
    const volatile = forecastDriver([{ year: 2020, value: 100 }, { year: 2021, value: 150 }, { year: 2022, value: 100 }], 2023)!;
    expect(volatile.spread).toBeGreaterThan(0.3);
    expect(volatile.interval95.lower).toBeGreaterThanOrEqual(0);
    expect(forecastDriver([{ year: 2025, value: 1 }], 2024)).toBeUndefined();
  });
});

describe("notZeroBased", () => {
  it("counts lines carried at last year's base and their share of the money, to 2 decimals from exact 元", () => {
    const lines = [
      { amount: "969.00", attention: [] },
      { amount: "31.00", attention: [{ code: "carried" as const }] },
      { amount: "0.00", attention: [{ code: "zeroDerived" as const, executed: "0.00" }] },
    ];
    expect(notZeroBased(lines)).toEqual({ count: 1, of: 3, amount: "31.00", share: "3.10", toConfirm: 2 });
    expect(notZeroBased([]).share).toBeNull();
  });
});
