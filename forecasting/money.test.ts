import { describe, expect, it } from "vitest";
import { addYuan, splitInteger, splitTotal, subtractYuan, timesQuantity, toYuan, unitPrice } from "./money.ts";
import { createRandom } from "./random.ts";

describe("money at the output", () => {
  it("rounds a float result once to cents, half-up", () => {
    expect(toYuan(1350000.005)).toBe("1350000.01");
    expect(toYuan(959622.794)).toBe("959622.79");
    expect(() => toYuan(Number.NaN)).toThrow();
  });
  it("splits a total by largest remainder so months add up exactly", () => {
    expect(splitTotal("100.00", [1, 1, 1])).toEqual(["33.34", "33.33", "33.33"]);
    expect(splitTotal("0.05", [0, 0])).toEqual(["0.03", "0.02"]);
    expect(splitTotal("-10.00", [1, 2])).toEqual(["-3.33", "-6.67"]);
  });
  it("property: any monthly split adds up to the annual total to the cent", () => {
    const random = createRandom(11);
    for (let trial = 0; trial < 200; trial++) {
      const total = (random() * 1e7).toFixed(2);
      const weights = Array.from({ length: 12 }, () => (random() < 0.1 ? 0 : random() * 1000));
      const months = splitTotal(total, weights);
      expect(addYuan(months)).toBe(total);
      months.forEach((m, i) => weights[i] === 0 && expect(m).toBe("0.00"));
    }
  });
  it("splits whole person-times by largest remainder: the months add up to the year's quantity", () => {
    expect(splitInteger(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(splitInteger(5, new Array(12).fill(1)).reduce((a, b) => a + b, 0)).toBe(5);
    const random = createRandom(12);
    for (let trial = 0; trial < 200; trial++) {
      const total = Math.floor(random() * 5000);
      const weights = Array.from({ length: 12 }, () => (random() < 0.1 ? 0 : random() * 300));
      const months = splitInteger(total, weights);
      expect(months.reduce((a, b) => a + b, 0)).toBe(total);
      months.forEach((m, i) => {
        expect(Number.isInteger(m)).toBe(true);
        if (weights[i] === 0) expect(m).toBe(0);
      });
    }
  });
  it("standard × quantity and unit prices are exact", () => {
    expect(timesQuantity("310.00", 150)).toBe("46500.00"); // 表1-3-1 城乡居民基本医疗保险个人缴费补助资金
    expect(unitPrice("546000.00", 455)).toBe("1200.00");
    expect(subtractYuan("1471745.31", "1350000.00")).toBe("121745.31");
  });
});
