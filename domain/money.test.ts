import { describe, expect, it } from "vitest";
import { difference, formatAmount, money, percentage, sumMoney, toAmountString, wanRoundsApart, wanToYuan, yuanToWan } from "./money.ts";

describe("money", () => {
  it("adds cents exactly where floats drift", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(toAmountString(sumMoney(["0.10", "0.20"]))).toBe("0.30");
    // 马桥's 互助帮困 fund-raising and clearing (DOMAIN.md)
    expect(toAmountString(sumMoney(["324292.50", "62125.00", "24142.50", "4625.00", "380080.75"]))).toBe("795265.75");
  });

  it("rounds percentages half-up to 2 decimals from exact amounts", () => {
    expect(percentage("959622.79", "1109200.00")).toBe("86.51"); // 华漕
    expect(percentage("121745.31", "1350000.00")).toBe("9.02"); // 马桥 adjustment rate
    expect(percentage("1", "8")).toBe("12.50");
    expect(percentage("1", "800")).toBe("0.13"); // 0.125 → half-up
    expect(percentage("5", "0")).toBeNull();
  });

  it("does not give 003's printed 88.88% from the rounded 1.28/1.44 万元 (only unrounded 元 can)", () => {
    expect(percentage("1.28", "1.44")).toBe("88.89");
  });

  it("converts between 元 and 万元", () => {
    expect(yuanToWan("1471745.31")).toBe("147.17");
    expect(yuanToWan("1109200.00")).toBe("110.92");
    expect(wanToYuan("147.17")).toBe("1471700.00");
    expect(wanToYuan("0.01")).toBe("100.00");
  });

  it("formats amounts with separators in 元 and 万元", () => {
    expect(formatAmount("1471745.31")).toBe("1,471,745.31");
    expect(formatAmount("1471745.31", "wan")).toBe("147.17");
    expect(formatAmount("-304254.69")).toBe("-304,254.69");
    expect(formatAmount("0")).toBe("0.00");
    expect(difference("1471745.31", "1350000.00")).toBe("121745.31");
  });

  it("refuses what is not an amount", () => {
    expect(() => money("abc")).toThrow();
    expect(() => money(Number.NaN)).toThrow();
  });
});

describe("integer fast paths agree with decimal.js", () => {
  it("on rates, sums and differences, including negatives and half-way cases", async () => {
    const { default: Decimal } = await import("decimal.js");
    const slow = (n: string, d: string) => new Decimal(n).times(100).dividedBy(d).toFixed(2, Decimal.ROUND_HALF_UP);
    const cases: Array<[string, string]> = [
      ["959622.79", "1109200.00"], ["1.00", "800.00"], ["-1.00", "800.00"], ["1.00", "-800.00"], ["0.00", "5.00"],
      ["12759.15", "14355.00"], ["14460000.00", "16000000.00"], ["3167300.00", "3290000.00"], ["-0.01", "3.00"],
    ];
    for (const [n, d] of cases) expect(percentage(n, d), `${n}/${d}`).toBe(slow(n, d));
    for (let i = 0; i < 2000; i += 1) {
      const n = `${(i * 7919) % 100000}.${String((i * 31) % 100).padStart(2, "0")}`;
      const d = `${1 + ((i * 104729) % 99999)}.${String((i * 17) % 100).padStart(2, "0")}`;
      expect(percentage(n, d)).toBe(slow(n, d));
      expect(difference(n, d)).toBe(new Decimal(n).minus(d).toFixed(2));
    }
    expect(toAmountString(sumMoney(["0.10", "0.20", new Decimal("0.005")]))).toBe("0.31");
    expect(difference("0.05", "0.10")).toBe("-0.05");
  });
});

describe("wanRoundsApart", () => {
  it("says when rows in 万元 do not add to the total in 万元", () => {
    expect(wanRoundsApart(["3333.00", "3333.00", "3333.00"], "9999.00")).toBe(true); // 0.33 × 3 = 0.99, the total 1.00
    expect(wanRoundsApart(["1000000.00", "2500000.00"], "3500000.00")).toBe(false);
    expect(wanRoundsApart([], "0.00")).toBe(false);
  });
});

describe("an amount typed or imported stays below 1 万亿元 (MAX_AMOUNT)", () => {
  it("refuses 9999999999999999.99 at the field, takes 999,999,999,999.99", async () => {
    const { parseAmount } = await import("./money.ts");
    expect(parseAmount("9999999999999999.99")).toEqual({ problem: { code: "amountOverLimit", params: { text: "9999999999999999.99" } } });
    expect(parseAmount("1000000000000")).toMatchObject({ problem: { code: "amountOverLimit" } });
    expect(parseAmount("999,999,999,999.99")).toEqual({ amount: "999999999999.99" });
    expect(parseAmount("-1000000000000", { allowNegative: true })).toMatchObject({ problem: { code: "amountOverLimit" } });
  });
});

describe("thousands separators in a typed amount (one rule with the import's)", () => {
  it("takes groups of three, full-width commas included, and refuses misplaced ones at the field", async () => {
    const { parseAmount } = await import("./money.ts");
    expect(parseAmount("1,446,420.42")).toEqual({ amount: "1446420.42" });
    expect(parseAmount("1，446，420.42")).toEqual({ amount: "1446420.42" });
    expect(parseAmount(" 1446420 ")).toEqual({ amount: "1446420.00" });
    // A digit missing or extra: 1,44,6420 had been read as 1,446,420.00 without a word.
    expect(parseAmount("1,44,6420")).toEqual({ problem: { code: "amountGrouping", params: { text: "1,44,6420" } } });
    expect(parseAmount("1,0000.00")).toMatchObject({ problem: { code: "amountGrouping" } });
    expect(parseAmount("1,234.5,6")).toMatchObject({ problem: { code: "amountGrouping" } });
    expect(parseAmount("-1,234.50", { allowNegative: true })).toEqual({ amount: "-1234.50" });
    // Not a number at all: said so, whatever its commas.
    for (const text of ["¥1,234.00", "1,234元", "abc,def"]) expect(parseAmount(text), text).toMatchObject({ problem: { code: "amountInvalid" } });
  });
});

describe("thousands separators in the other typed numbers (standards, drivers, overrides, corrections)", () => {
  it("refuses misplaced ones as the amounts do", async () => {
    const { parseStandardForm } = await import("./standard-form.ts");
    const { parseDriverValue } = await import("./driver-form.ts");
    const { parseOverrideForm } = await import("../features/plan/rules/override.ts");
    expect(parseDriverValue("1,234.5")).toEqual({ value: "1234.5" });
    expect(parseDriverValue("1,23,4")).toEqual({ error: "value" });
    expect(parseOverrideForm({ quantity: "1,600", unitPrice: "204.33", reason: "核定" })).toMatchObject({ values: { quantity: "1600.00" } });
    expect(parseOverrideForm({ quantity: "16,00", unitPrice: "204.33", reason: "核定" })).toMatchObject({ errors: { quantity: { code: "planOvQuantityInvalid" } } });
    const standard = { code: "X-CAP", name: "n", category: "c", document: "d", effectiveFrom: "2027-01-01", form: "限额", unit: "元/人/年" };
    expect(parseStandardForm({ ...standard, value: "2,800" })).toMatchObject({ values: { value: "2800.0000" } });
    expect(parseStandardForm({ ...standard, value: "2,80,0" })).toMatchObject({ errors: { value: { code: "stdErrValue" } } });
  });
});
