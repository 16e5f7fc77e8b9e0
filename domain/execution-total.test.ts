import { describe, expect, it } from "vitest";
import { executionTotal, type TotalledRow } from "./execution-total.ts";

const row = (initial: string, adjusted: string, executed: string, extra: Partial<TotalledRow> = {}): TotalledRow => ({
  initial,
  adjusted,
  executed,
  declarationOnly: false,
  planned: adjusted,
  flagged: false,
  behindPlan: false,
  previousYear: null,
  ...extra,
});

describe("the total of project rows (dashboard 合计, unit totals, the export's 合计)", () => {
  const rows = [
    row("100000.00", "120000.00", "60000.00", { flagged: true, planned: "80000.00", previousYear: { executed: "50000.00", adjusted: "100000.00" } }),
    row("50000.00", "50000.00", "49999.99", { planned: "40000.00" }),
    row("0.00", "30000.00", "0.01", { behindPlan: true, flagged: true, planned: "20000.00", previousYear: { executed: "30000.00", adjusted: "100000.00" } }),
    // Declaration only: counted as a project, its declared budget and last year left out of every sum.
    row("35475000.00", "35475000.00", "0.00", { declarationOnly: true, previousYear: { executed: "1.00", adjusted: "1.00" } }),
  ];

  it("adds the tracked rows' amounts exactly and recomputes the rates from the sums, checkable by hand", () => {
    const total = executionTotal(rows, 2024, "2024-08-31", "75.00");
    expect([total.initial, total.adjusted, total.executed]).toEqual(["150000.00", "200000.00", "110000.00"]);
    expect(total.executionRate).toBe("55.00"); // 110,000.00 ÷ 200,000.00
    expect(total.planned).toBe("140000.00"); // 80,000 + 40,000 + 20,000
    expect(total.plannedProgress).toBe("70.00"); // 140,000 ÷ 200,000
    expect(total.previousYearRate).toBe("40.00"); // (50,000 + 30,000) ÷ (100,000 + 100,000)
  });

  it("counts every project, the flagged and the behind-plan ones", () => {
    const total = executionTotal(rows, 2024, "2024-08-31", "75.00");
    expect([total.projects, total.flaggedProjects, total.behindPlanProjects]).toEqual([4, 2, 1]);
  });

  it("has no rate and no last year where nothing is budgeted or known", () => {
    const total = executionTotal([row("0.00", "0.00", "0.00")], 2024, "2024-08-31", "75.00");
    expect([total.executionRate, total.previousYearRate, total.projects]).toEqual([null, null, 1]);
  });
});
