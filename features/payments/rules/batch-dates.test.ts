import { describe, expect, it } from "vitest";
import { render } from "../../../messages/index.ts";
import { batchDateProblems, type PaymentDates } from "./batch-dates.ts";

/* The 受理 / 审核完成 / 审批 dates of a payment as the import checks them: only on a batch, in order, none after the day paid. */

const row = (dates: Partial<PaymentDates>): PaymentDates => ({
  kind: "batch",
  paidOn: "2024-01-10",
  acceptedOn: null,
  reviewedOn: null,
  approvedOn: null,
  ...dates,
});
const rendered = (dates: Partial<PaymentDates>) => batchDateProblems(row(dates)).map(({ field, message }) => `${field}: ${render("zh", message)}`);

describe("a batch's step dates", () => {
  it("accepts none, some or all of them in order, up to the day paid", () => {
    expect(rendered({})).toEqual([]);
    expect(rendered({ approvedOn: "2024-01-10" })).toEqual([]);
    expect(rendered({ acceptedOn: "2023-12-20", reviewedOn: "2024-01-03", approvedOn: "2024-01-05" })).toEqual([]);
  });

  it("names the later date of a pair out of order, and a date after the day paid", () => {
    expect(rendered({ acceptedOn: "2024-01-05", reviewedOn: "2024-01-03" })).toEqual(["reviewedOn: 审核完成日期（2024年1月3日）早于受理日期（2024年1月5日）"]);
    expect(rendered({ approvedOn: "2024-01-12" })).toEqual(["approvedOn: 审批日期（2024年1月12日）晚于支付日期（2024年1月10日）"]);
    expect(batchDateProblems(row({ acceptedOn: "2024-01-11", approvedOn: "2024-01-05" })).map((problem) => problem.field)).toEqual([
      "acceptedOn",
      "approvedOn",
    ]);
  });

  it("refuses them on a transfer (划拨), at each date given", () => {
    expect(rendered({ kind: "transfer", acceptedOn: "2024-01-02", approvedOn: "2024-01-05" })).toEqual([
      "acceptedOn: 受理日期只适用于社会化发放批次，划拨不填",
      "approvedOn: 审批日期只适用于社会化发放批次，划拨不填",
    ]);
    expect(render("en", batchDateProblems(row({ kind: "transfer", reviewedOn: "2024-01-02" }))[0]!.message)).toBe(
      "reviewed on applies to payment batches only; leave it empty for a transfer",
    );
  });
});
