import { describe, expect, it } from "vitest";
import {
  adjustedBudget,
  daysLate,
  executedAmount,
  executionFigures,
  fundScore,
  grade,
  isBelowThreshold,
  monthlyExecution,
  timeProgress,
  type PaymentEntry,
} from "./execution.ts";
import { DEMO_PROJECTS } from "../db/seed.ts";

const paid = (paidOn: string, amount: string, returnedAmount = "0.00", reissuedOn: string | null = null): PaymentEntry => ({
  paidOn,
  amount,
  returnedAmount,
  reissuedOn,
});

describe("time progress", () => {
  it("is days elapsed through the date over days in the fiscal year", () => {
    expect(timeProgress(2024, "2024-08-31")).toBe("66.67"); // 244 / 366, the mid-year form's 8/12
    expect(timeProgress(2024, "2024-12-31")).toBe("100.00");
    expect(timeProgress(2024, "2024-01-01")).toBe("0.27");
    expect(timeProgress(2023, "2023-06-30")).toBe("49.59"); // 181 / 365
  });

  it("is clamped outside the fiscal year", () => {
    expect(timeProgress(2024, "2023-12-31")).toBe("0.00");
    expect(timeProgress(2024, "2025-03-01")).toBe("100.00");
  });
});

describe("execution figures", () => {
  it("reproduces 华漕's mid-year form: 959,622.79 of 1,109,200.00 is 86.51%, normal", () => {
    const figures = executionFigures({ initial: "1109200.00", adjusted: "1109200.00", executed: "959622.79" }, 2024, "2024-08-31");
    expect(figures.executionRate).toBe("86.51");
    expect(figures.timeProgress).toBe("66.67");
    expect(figures.gap).toBe("19.84");
    expect(figures.flagged).toBe(false);
  });

  it("reproduces 马桥's adjustment rate 9.02% and 100.00% execution", () => {
    const figures = executionFigures({ initial: "1350000.00", adjusted: "1471745.31", executed: "1471745.31" }, 2024, "2024-12-31");
    expect(figures.adjustmentRate).toBe("9.02");
    expect(figures.executionRate).toBe("100.00");
    expect(figures.gap).toBe("0.00");
  });

  it("flags below the threshold, at two decimals, and never a project without budget", () => {
    expect(isBelowThreshold("74.99")).toBe(true);
    expect(isBelowThreshold("75.00")).toBe(false);
    expect(isBelowThreshold("80.00", "85.00")).toBe(true);
    expect(isBelowThreshold(null)).toBe(false);
    const empty = executionFigures({ initial: "0.00", adjusted: "0.00", executed: "0.00" }, 2024, "2024-08-31");
    expect(empty.executionRate).toBeNull();
    expect(empty.adjustmentRate).toBeNull();
    expect(empty.gap).toBeNull();
    expect(empty.flagged).toBe(false);
  });

  it("takes adjustments dated on or before the as-of date", () => {
    const adjustments = [
      { adjustedOn: "2024-07-15", amount: "426000.00" },
      { adjustedOn: "2024-12-31", amount: "-304254.69" },
    ];
    expect(adjustedBudget("1350000.00", adjustments, "2024-07-14")).toBe("1350000.00");
    expect(adjustedBudget("1350000.00", adjustments, "2024-07-15")).toBe("1776000.00");
    expect(adjustedBudget("1350000.00", adjustments, "2024-12-31")).toBe("1471745.31");
  });

  it("counts a bounced payment only once re-issued", () => {
    const payments = [paid("2024-05-10", "21310.33", "21310.33", "2024-05-31"), paid("2024-05-20", "100.00")];
    expect(executedAmount(payments, "2024-05-09")).toBe("0.00");
    expect(executedAmount(payments, "2024-05-10")).toBe("0.00");
    expect(executedAmount(payments, "2024-05-20")).toBe("100.00");
    expect(executedAmount(payments, "2024-05-31")).toBe("21410.33");
    expect(executedAmount([paid("2024-05-10", "500.00", "120.00")], "2024-12-31")).toBe("380.00");
  });
});

describe("late transfers", () => {
  it("counts the days after the due date (马桥's two premium transfers)", () => {
    expect(daysLate({ paidOn: "2024-07-02", dueOn: "2024-06-20" })).toBe(12);
    expect(daysLate({ paidOn: "2024-11-15", dueOn: "2024-11-14" })).toBe(1);
    expect(daysLate({ paidOn: "2024-06-19", dueOn: "2024-06-20" })).toBe(0);
    expect(daysLate({ paidOn: "2024-06-19", dueOn: null })).toBe(0);
  });
});

describe("马桥 2024 monthly batches (表1-4-2)", () => {
  const maqiao = DEMO_PROJECTS.find((project) => project.key === "maqiao-2024-medical-assistance")!;
  const batches = maqiao.payments
    .filter((payment) => payment.kind === "batch")
    .map((payment) => paid(payment.date, payment.amount, payment.returnedAmount, payment.reissuedOn));

  it("has 26 batches", () => {
    expect(batches).toHaveLength(26);
  });

  it("reproduces the cumulative figures by month, net of bounces not yet re-issued", () => {
    const cumulative = monthlyExecution(batches, 2024).map((month) => month.cumulative);
    expect(cumulative).toEqual([
      "87149.70", "122871.80", "152881.95", "197374.56", "235492.81", "328432.91",
      "391135.97", "412183.11", "481630.07", "537068.47", "581757.12", "639318.31",
    ]);
  });
});

describe("self-evaluation funds score (003)", () => {
  it("is 10 × execution rate, at most 10", () => {
    expect(fundScore("96.27")).toBe("9.63"); // 医疗救助 316.73 / 329.00
    expect(fundScore("100.00")).toBe("10.00");
    expect(fundScore("104.00")).toBe("10.00");
    expect(fundScore(null)).toBe("0.00");
  });

  it("grades totals as Shanghai's documents do", () => {
    expect(grade("89.65")).toBe("良"); // 马桥's post-evaluation
    expect(grade("90.00")).toBe("优");
    expect(grade("60.00")).toBe("合格");
    expect(grade("59.99")).toBe("不合格");
  });
});

describe("the project chart", () => {
  it("ends at the as-of date and computes even progress from the exact day count", async () => {
    const { projectExecution } = await import("./project-execution.ts");
    const view = projectExecution(
      {
        fiscalYear: 2024,
        lines: [{ id: 1, initialAmount: "366000.00" }],
        adjustments: [],
        payments: [
          { budgetLineId: 1, paidOn: "2024-08-10", amount: "100.00", returnedAmount: "0.00", reissuedOn: null, dueOn: null, kind: "batch", personTimes: 1 },
          { budgetLineId: 1, paidOn: "2024-08-20", amount: "50.00", returnedAmount: "0.00", reissuedOn: null, dueOn: null, kind: "batch", personTimes: 1 },
        ],
      },
      "2024-08-15",
    );
    const august = view.chart.at(-1)!;
    expect(august).toMatchObject({ month: "2024-08", cumulative: "100.00", executed: "100.00" });
    expect(august.cumulative).toBe(view.figures.executed);
    // 366,000.00 × 228 ÷ 366 days (1 Jan – 15 Aug)
    expect(august.evenProgress).toBe("228000.00");
    expect(view.chart[6]).toMatchObject({ month: "2024-07", evenProgress: "213000.00" });
  });
});
