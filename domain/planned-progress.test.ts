import { describe, expect, it } from "vitest";
import { timeProgress } from "./execution.ts";
import { isBehindPlan, planFigures, plannedAmount, plannedShare, previousYearRate, sameDayLastYear, totalPlanFigures, type PlanLine } from "./planned-progress.ts";

/** 马桥's 2024 batches per month (seeds/001 表1-4-2, the differences of the cumulative figures): a year's profile. */
const MAQIAO_2024_BATCHES = ["87149.70", "35722.10", "30010.15", "44492.61", "38118.25", "92940.10", "62703.06", "21047.14", "69446.96", "55438.40", "44688.65", "57561.19"];
/** 马桥's 2023 as the demo books it: one annual total on 2023-12-31 (表1-3-3 gives no months). */
const ANNUAL_TOTAL_IN_DECEMBER = [...Array<string>(11).fill("0.00"), "1155200.00"];
/** 马桥 2024's eight lines of 表1-3-1 (all 1–12 月), as two budgets: 社区医疗互助帮困资金 and the rest. */
const MUTUAL_AID = "546000.00";
const OTHER_LINES = "804000.00";

const whole = (adjusted: string): PlanLine => ({ adjusted, months: null });
/** The plan as shown: amount, percentage and basis (without the exact fraction). */
const plan = (input: Parameters<typeof plannedAmount>[0]) => {
  const { planned, plannedProgress, basis } = plannedAmount(input);
  return { planned, plannedProgress, basis };
};

describe("the planned share of a line", () => {
  it("spreads a line scheduled in one month over that month's days", () => {
    expect(plannedShare(2024, [7], null, "2024-06-30")).toMatchObject({ numerator: 0n, fromProfile: false });
    const mid = plannedShare(2024, [7], null, "2024-07-16");
    expect(Number(mid.numerator) / Number(mid.denominator)).toBeCloseTo(16 / 31, 12);
    const end = plannedShare(2024, [7], null, "2024-07-31");
    expect(end.numerator).toBe(end.denominator);
  });

  it("is 0 before the fiscal year and the whole line after it", () => {
    expect(plannedShare(2024, null, null, "2023-12-31").numerator).toBe(0n);
    const after = plannedShare(2024, [3], null, "2025-01-01");
    expect(after.numerator).toBe(after.denominator);
  });
});

describe("planned progress (计划进度)", () => {
  it("is the time progress when nothing is scheduled and there is no history (basis even)", () => {
    for (const asOf of ["2024-01-01", "2024-02-29", "2024-06-30", "2024-08-31", "2024-12-31"]) {
      const even = plan({ fiscalYear: 2024, asOf, lines: [whole("1350000.00")], profile: null });
      expect(even.plannedProgress, asOf).toBe(timeProgress(2024, asOf));
      expect(even.basis).toBe("even");
    }
    // Months 1–12, as every line of seeds/001 表1-3-1 records, are the whole year: even too.
    const scheduledAllYear = plan({ fiscalYear: 2024, asOf: "2024-06-30", lines: [{ adjusted: "1350000.00", months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }], profile: null });
    expect(scheduledAllYear).toEqual({ planned: "671311.48", plannedProgress: "49.73", basis: "even" }); // 1,350,000 × 182/366
  });

  it("follows the scheduled months: 互助帮困 scheduled for July keeps June's plan low (basis months)", () => {
    const lines: PlanLine[] = [
      { adjusted: MUTUAL_AID, months: [7] },
      { adjusted: OTHER_LINES, months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
    ];
    // 804,000 × 182/366 = 399,803.28; ÷ 1,350,000 = 29.62 %.
    expect(plan({ fiscalYear: 2024, asOf: "2024-06-30", lines, profile: null })).toEqual({ planned: "399803.28", plannedProgress: "29.62", basis: "months" });
    // The July transfer planned in full by 31 July: 546,000 + 804,000 × 213/366 = 1,013,901.64 → 75.10 %.
    expect(plan({ fiscalYear: 2024, asOf: "2024-07-31", lines, profile: null })).toEqual({ planned: "1013901.64", plannedProgress: "75.10", basis: "months" });
    expect(plan({ fiscalYear: 2024, asOf: "2024-12-31", lines, profile: null }).plannedProgress).toBe("100.00");
  });

  it("follows last year's monthly profile where the project has history (basis profile)", () => {
    // 马桥's 2024 batch profile as the history of a 2025 year: 412,183.11 of 639,318.31 by August.
    const august = plan({ fiscalYear: 2025, asOf: "2025-08-31", lines: [whole("639318.31")], profile: MAQIAO_2024_BATCHES });
    expect(august).toEqual({ planned: "412183.11", plannedProgress: "64.47", basis: "profile" });
    // Mid-June: May's cumulative 235,492.81 and half of June's 92,940.10 → 281,962.86, 44.10 %.
    expect(plan({ fiscalYear: 2025, asOf: "2025-06-15", lines: [whole("639318.31")], profile: MAQIAO_2024_BATCHES })).toEqual({
      planned: "281962.86",
      plannedProgress: "44.10",
      basis: "profile",
    });
  });

  it("reads a year booked as one December total as nothing planned before December (马桥 2024 against its 2023)", () => {
    const lines = [whole(MUTUAL_AID), whole(OTHER_LINES)];
    expect(plan({ fiscalYear: 2024, asOf: "2024-06-30", lines, profile: ANNUAL_TOTAL_IN_DECEMBER })).toEqual({ planned: "0.00", plannedProgress: "0.00", basis: "profile" });
    expect(plan({ fiscalYear: 2024, asOf: "2024-12-16", lines, profile: ANNUAL_TOTAL_IN_DECEMBER }).plannedProgress).toBe("51.61"); // 16/31
    expect(plan({ fiscalYear: 2024, asOf: "2024-12-31", lines, profile: ANNUAL_TOTAL_IN_DECEMBER }).plannedProgress).toBe("100.00");
  });

  it("spreads evenly within the scheduled months when last year paid nothing in them, and ignores negative months", () => {
    const july = plan({ fiscalYear: 2024, asOf: "2024-07-16", lines: [{ adjusted: "3100.00", months: [7] }], profile: ANNUAL_TOTAL_IN_DECEMBER });
    expect(july).toEqual({ planned: "1600.00", plannedProgress: "51.61", basis: "months" });
    // A month of net returns (negative) weighs nothing: January's -100 leaves the curve flat until February.
    const profile = ["-100.00", "100.00", ...Array<string>(10).fill("0.00")];
    expect(plan({ fiscalYear: 2024, asOf: "2024-01-31", lines: [whole("1000.00")], profile }).planned).toBe("0.00");
    expect(plan({ fiscalYear: 2024, asOf: "2024-02-29", lines: [whole("1000.00")], profile }).planned).toBe("1000.00");
  });

  it("is exact: splitting a budget over lines of the same months changes nothing, and odd cents round half-up once", () => {
    const one = plan({ fiscalYear: 2023, asOf: "2023-03-17", lines: [whole("1000.01")], profile: null });
    const split = plan({ fiscalYear: 2023, asOf: "2023-03-17", lines: [whole("333.33"), whole("333.34"), { adjusted: "333.34", months: [] }], profile: null });
    expect(split).toEqual(one);
    expect(one.planned).toBe("208.22"); // 1,000.01 × 76/365 = 208.2212…
  });

  it("has no planned progress when nothing is budgeted", () => {
    expect(plan({ fiscalYear: 2024, asOf: "2024-06-30", lines: [], profile: null })).toEqual({ planned: "0.00", plannedProgress: null, basis: "even" });
  });
});

describe("behind plan (落后计划)", () => {
  it("flags an execution below the threshold's share of the amount planned by the date, from the exact amounts", () => {
    // 马桥 2024 on 30 June: 328,432.91 executed of 1,350,000.00.
    expect(isBehindPlan("328432.91", "671311.48", "75.00")).toBe(true); // even plan, bar 503,483.61
    expect(isBehindPlan("328432.91", "399803.28", "75.00")).toBe(false); // 互助帮困 in July, bar 299,852.46
    expect(isBehindPlan("328432.91", "0.00", "75.00")).toBe(false);
    expect(isBehindPlan("0.00", "0.00", "75.00")).toBe(false);
    // At the year's end the plan is the budget: the threshold rule.
    expect(isBehindPlan("749.99", "1000.00", "75.00")).toBe(true);
    expect(isBehindPlan("750.00", "1000.00", "75.00")).toBe(false);
  });

  it("judges against the unrounded plan: exactly 75 % of an even plan at 8/12 of a year is not behind", () => {
    // 党建工作经费 (10,000.00) with 5,000.00 executed on 2024-08-31: planned 10,000 × 244/366 = 6,666.66…,
    // whose 75 % is exactly 5,000.00; the rounded 6,666.67 would put the bar at 5,000.0025.
    const even = plannedAmount({ fiscalYear: 2024, asOf: "2024-08-31", lines: [whole("10000.00")], profile: null });
    expect([even.planned, even.plannedProgress]).toEqual(["6666.67", "66.67"]);
    expect(isBehindPlan("5000.00", even.exact, "75.00")).toBe(false);
    expect(isBehindPlan("4999.99", even.exact, "75.00")).toBe(true);
    expect(isBehindPlan("5000.00", even.planned, "75.00")).toBe(true);
  });

  it("gives the gap to the plan in percentage points, and a total's plan from the added amounts", () => {
    expect(planFigures({ planned: "0.00", plannedProgress: "0.00" }, { executed: "328432.91", executionRate: "24.33" }, "75.00")).toEqual({
      planned: "0.00",
      plannedProgress: "0.00",
      planGap: "24.33",
      behindPlan: false,
    });
    expect(planFigures({ planned: "671311.48", plannedProgress: "49.73" }, { executed: "328432.91", executionRate: "24.33" }, "75.00")).toMatchObject({ planGap: "-25.40", behindPlan: true });
    // Nothing budgeted or a declaration: no gap, never behind.
    expect(planFigures({ planned: "0.00", plannedProgress: null }, { executed: "10.00", executionRate: null }, "75.00")).toMatchObject({ planGap: null, behindPlan: false });
    expect(totalPlanFigures([{ planned: "100.00" }, { planned: "50.01" }], { adjusted: "300.00", executed: "120.00", executionRate: "40.00" }, "75.00")).toEqual({
      planned: "150.01",
      plannedProgress: "50.00",
      planGap: "-10.00",
      behindPlan: false,
    });
  });
});

describe("the same period last year (上年同期)", () => {
  it("is the same calendar day a year earlier, 29 February → 28 February", () => {
    expect(sameDayLastYear("2024-06-30")).toBe("2023-06-30");
    expect(sameDayLastYear("2024-02-29")).toBe("2023-02-28");
    expect(sameDayLastYear("2025-12-31")).toBe("2024-12-31");
  });

  it("adds the amounts of the rows that have a year before, leaving the others out (not as 0)", () => {
    expect(previousYearRate([{ executed: "60.00", adjusted: "100.00" }, null, { executed: "20.00", adjusted: "100.00" }])).toBe("40.00");
    expect(previousYearRate([null, null])).toBeNull();
    expect(previousYearRate([])).toBeNull();
    expect(previousYearRate([{ executed: "1.00", adjusted: "3.00" }])).toBe("33.33");
  });
});
