import { describe, expect, it } from "vitest";
import { executedAmount, paymentListTotals, type PaymentEntry } from "../domain/execution.ts";
import { toAmountString } from "../domain/money.ts";

/** What is said below a list of payments (the payments grid's pinned rows and its export's rows). */
describe("paymentListTotals", () => {
  const payments: PaymentEntry[] = [
    { paidOn: "2024-03-10", amount: "1000.00", returnedAmount: "0.00", reissuedOn: null },
    // Bounced in part, re-issued before the as-of date: counts whole.
    { paidOn: "2024-05-10", amount: "2131.33", returnedAmount: "100.33", reissuedOn: "2024-05-20" },
    // Bounced, re-issued after the as-of date: the returned part is not executed yet.
    { paidOn: "2024-06-30", amount: "500.10", returnedAmount: "200.05", reissuedOn: "2024-07-02" },
    // Bounced and never re-issued.
    { paidOn: "2024-06-01", amount: "300.00", returnedAmount: "300.00", reissuedOn: null },
    // Paid after the as-of date: listed and in 合计, not in 净额.
    { paidOn: "2024-07-01", amount: "49.99", returnedAmount: "0.00", reissuedOn: null },
  ];
  const strings = (asOf: string) => {
    const totals = paymentListTotals(payments, asOf);
    return { amount: toAmountString(totals.amount), returned: toAmountString(totals.returned), paidAfter: toAmountString(totals.paidAfter), net: toAmountString(totals.net) };
  };

  it("adds amounts and returned amounts of every row, the rows paid after the date apart, and 净额 as 预算执行数", () => {
    // 净额 = 1000 + 2131.33 (re-issued by then) + (500.10 − 200.05) + (300.00 − 300.00); the row of 1 July is not in it.
    expect(strings("2024-06-30")).toEqual({ amount: "3981.42", returned: "600.38", paidAfter: "49.99", net: "3431.38" });
    // Once the 30 June bounce is re-issued, it counts whole.
    expect(strings("2024-07-02")).toEqual({ amount: "3981.42", returned: "600.38", paidAfter: "0.00", net: "3681.42" });
  });

  it("净额 is the domain's 执行数 of the same rows on every day of the year", () => {
    for (let day = Date.UTC(2024, 0, 1); day <= Date.UTC(2024, 11, 31); day += 86_400_000) {
      const asOf = new Date(day).toISOString().slice(0, 10);
      expect(strings(asOf).net, asOf).toBe(executedAmount(payments, asOf));
    }
  });
});
