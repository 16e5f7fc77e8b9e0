import { describe, expect, it } from "vitest";
import { estimateFullYear } from "./estimate.ts";
import { MAQIAO_2024_MONTHLY } from "./fixtures.ts";

describe("estimateFullYear", () => {
  it("scales this year's pace by last year's profile, to the cent", () => {
    // 马桥 2024 had paid 412,183.11 of 639,318.31 by August: the same pace gives the same total.
    expect(estimateFullYear(MAQIAO_2024_MONTHLY, "412183.11", 8)).toBe("639318.31");
    // 500,000.00 × 639,318.31 ÷ 412,183.11 = 775,527.0588… → 775,527.06
    expect(estimateFullYear(MAQIAO_2024_MONTHLY, "500000.00", 8)).toBe("775527.06");
    // By June 328,432.91 had been paid: 300,000.00 × 639,318.31 ÷ 328,432.91 = 583,971.603…
    expect(estimateFullYear(MAQIAO_2024_MONTHLY, "300000.00", 6)).toBe("583971.60");
    expect(estimateFullYear(MAQIAO_2024_MONTHLY, "959622.79", 12)).toBe("959622.79");
  });

  it("falls back to a linear pace when last year had paid nothing by that month", () => {
    const lateStart = ["0", "0", "0", "0", "0", "0", "0", "0", "100000.00", "100000.00", "100000.00", "100000.00"];
    expect(estimateFullYear(lateStart, "959622.79", 8)).toBe("1439434.19"); // × 12 ÷ 8 = 1,439,434.185
    expect(estimateFullYear(Array(12).fill("0.00"), "100.00", 3)).toBe("400.00");
  });

  it("keeps the monthly pace for batches only: transfers paid so far count as they are", () => {
    // 马桥 2024 by August: 412,183.11 of batches and 828,145.75 of transfers (the 互助帮困 money, the premium subsidy).
    const none = Array(12).fill("0.00");
    expect(estimateFullYear(none, "1240328.86", 8, "828145.75")).toBe("1446420.42"); // 412,183.11 × 12 ÷ 8 + 828,145.75
    expect(estimateFullYear(none, "1240328.86", 8)).toBe("1860493.29"); // all of it × 12 ÷ 8
    // Transfers are capped at what was executed; last year's profile, where there is one, scales the whole.
    expect(estimateFullYear(none, "100.00", 4, "250.00")).toBe("100.00");
    expect(estimateFullYear(MAQIAO_2024_MONTHLY, "500000.00", 8, "100000.00")).toBe("775527.06");
  });

  it("refuses a profile that is not twelve months, and a month outside 1–12", () => {
    expect(() => estimateFullYear(MAQIAO_2024_MONTHLY.slice(1), "1", 8)).toThrow("上年月度支付数应为 12 个月，实为 11 个");
    expect(() => estimateFullYear(MAQIAO_2024_MONTHLY, "1", 0)).toThrow(RangeError);
    expect(() => estimateFullYear(MAQIAO_2024_MONTHLY, "1", 8.5)).toThrow(RangeError);
  });
});
