import { describe, expect, it } from "vitest";
import { render } from "../messages/index.ts";
import { defaultReversalDate, mayUndoBatch, maySeeBatch, parsePaymentCorrection, parseReversal, reversalDates, reversingAmounts, unchanged } from "./corrections.ts";

const valid = {
  paidOn: "2024-07-02",
  kind: "batch",
  budgetLineId: "",
  personTimes: "79",
  amount: "56,307.81",
  dueOn: "",
  returnedCount: "1",
  returnedAmount: "250",
  reissuedOn: "2024-07-15",
  note: " 7月第一批 ",
  reason: "金额录错",
};

describe("parsePaymentCorrection", () => {
  it("reads a correction as the ledger stores it", () => {
    expect(parsePaymentCorrection(valid, [12])).toEqual({
      values: { paidOn: "2024-07-02", kind: "batch", budgetLineId: null, personTimes: 79, amount: "56307.81", dueOn: null, returnedCount: 1, returnedAmount: "250.00", reissuedOn: "2024-07-15", note: "7月第一批" },
      reason: "金额录错",
    });
  });

  it("names every wrong field with its reason", () => {
    const result = parsePaymentCorrection(
      { ...valid, paidOn: "2024-02-30", amount: "0", personTimes: "-3", budgetLineId: "99", dueOn: "2024-08-01", returnedAmount: "1.005", reissuedOn: "2024-06-01", reason: "  " },
      [12],
    );
    expect(result).toEqual({
      errors: {
        paidOn: { code: "corErr_invalidDate", params: { detail: "2024-02-30" } },
        amount: { code: "corErr_invalidAmount", params: { detail: "0" } },
        personTimes: { code: "corErr_invalidCount", params: { detail: "-3" } },
        budgetLineId: { code: "corErr_unknownLine" },
        dueOn: { code: "corErr_dueOnlyTransfer" },
        returnedAmount: { code: "corErr_invalidAmount", params: { detail: "1.005" } },
        reason: { code: "corErr_required" },
      },
    });
  });

  it("keeps returns within the payment and a re-issue after it", () => {
    expect(parsePaymentCorrection({ ...valid, returnedAmount: "60000", returnedCount: "80" }, [])).toEqual({
      errors: { returnedAmount: { code: "corErr_returnedOverAmount" }, returnedCount: { code: "corErr_returnedOverCount" } },
    });
    expect(parsePaymentCorrection({ ...valid, reissuedOn: "2024-07-01" }, [])).toEqual({ errors: { reissuedOn: { code: "corErr_reissueBeforePaid" } } });
    expect(parsePaymentCorrection({ ...valid, returnedAmount: "", returnedCount: "" }, [])).toEqual({ errors: { reissuedOn: { code: "corErr_reissueWithoutReturn" } } });
  });

  it("sees a correction that changes nothing", () => {
    const parsed = parsePaymentCorrection(valid, []);
    if ("errors" in parsed) throw new Error("expected values");
    expect(unchanged(parsed.values, { ...parsed.values })).toBe(true);
    expect(unchanged(parsed.values, { ...parsed.values, note: null })).toBe(false);
  });
});

describe("reversal (红字冲销)", () => {
  it("mirrors every amount, the re-issue on or after the reversal date", () => {
    const original = { amount: "5000.00", personTimes: 20, returnedCount: 1, returnedAmount: "250.00", reissuedOn: "2024-08-01" };
    expect(reversingAmounts(original, "2024-09-05")).toEqual({ amount: "-5000.00", personTimes: -20, returnedCount: -1, returnedAmount: "-250.00", reissuedOn: "2024-09-05" });
    expect(reversingAmounts({ ...original, reissuedOn: "2024-10-01" }, "2024-09-05").reissuedOn).toBe("2024-10-01");
    expect(reversingAmounts({ ...original, returnedAmount: "0.00", returnedCount: 0, reissuedOn: null, personTimes: null }, "2024-09-05")).toEqual({
      amount: "-5000.00",
      personTimes: null,
      returnedCount: 0,
      returnedAmount: "0.00",
      reissuedOn: null,
    });
  });

  it("is dated between the payment and the end of its fiscal year", () => {
    expect(reversalDates("2024-03-15", 2024)).toEqual({ from: "2024-03-15", to: "2024-12-31" });
    expect(reversalDates("2025-01-10", 2024)).toEqual({ from: "2025-01-10", to: "2025-01-10" });
    expect(defaultReversalDate("2024-03-15", 2024, "2026-12-02")).toBe("2024-12-31");
    expect(defaultReversalDate("2024-03-15", 2024, "2024-05-01")).toBe("2024-05-01");
    expect(parseReversal({ reversedOn: "2024-03-14", reason: "重复" }, "2024-03-15", 2024)).toEqual({ errors: { paidOn: { code: "corErr_reversalDateRange", params: { detail: "2024-03-15 – 2024-12-31" } } } });
    expect(parseReversal({ reversedOn: "2024-09-30", reason: "" }, "2024-03-15", 2024)).toEqual({ errors: { reason: { code: "corErr_required" } } });
    const range = parseReversal({ reversedOn: "2024-03-14", reason: "重复" }, "2024-03-15", 2024);
    expect("errors" in range && render("zh", range.errors.paidOn!)).toBe("冲销日期须在 2024-03-15 – 2024-12-31 之间");
    expect("errors" in range && render("en", range.errors.paidOn!)).toBe("The reversal date must lie within 2024-03-15 – 2024-12-31");
    expect(parseReversal({ reversedOn: "2024-09-30", reason: "重复发放" }, "2024-03-15", 2024)).toEqual({ reversedOn: "2024-09-30", reason: "重复发放" });
  });
});

describe("who may undo an import batch", () => {
  const town = new Set([7]);
  const district = new Set([3, 7, 8]);
  const batch = { userId: 11, unitIds: [7] };
  it("the importer, a manager or an administrator over every unit it touched", () => {
    expect(mayUndoBatch({ userId: 11, roles: ["planner"], unitSubtree: town }, batch)).toBe(true);
    expect(mayUndoBatch({ userId: 12, roles: ["planner"], unitSubtree: town }, batch)).toBe(false);
    expect(mayUndoBatch({ userId: 13, roles: ["manager"], unitSubtree: district }, batch)).toBe(true);
    expect(mayUndoBatch({ userId: 13, roles: ["manager"], unitSubtree: district }, { userId: 11, unitIds: [7, 9] })).toBe(false);
    expect(mayUndoBatch({ userId: 14, roles: ["viewer"], unitSubtree: district }, batch)).toBe(false);
    expect(mayUndoBatch({ userId: 15, roles: ["admin"], unitSubtree: district }, batch)).toBe(true);
    // The importer who has since lost the unit may not.
    expect(mayUndoBatch({ userId: 11, roles: ["planner"], unitSubtree: new Set([8]) }, batch)).toBe(false);
  });
  it("shows a batch to whoever holds all its units, its importer and administrators", () => {
    expect(maySeeBatch({ userId: 14, roles: ["viewer"], unitSubtree: district }, batch)).toBe(true);
    expect(maySeeBatch({ userId: 14, roles: ["viewer"], unitSubtree: new Set([8]) }, batch)).toBe(false);
    expect(maySeeBatch({ userId: 11, roles: ["planner"], unitSubtree: new Set([8]) }, batch)).toBe(true);
    expect(maySeeBatch({ userId: 14, roles: ["manager"], unitSubtree: district }, { userId: 11, unitIds: [] })).toBe(false);
  });
});
