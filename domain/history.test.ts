import { describe, expect, it } from "vitest";
import { fieldChanges } from "./history.ts";

describe("audit history in Chinese", () => {
  it("lists only the fields that changed, with Chinese labels", () => {
    expect(fieldChanges({ initial_amount: "1000.00", item: "门急诊", version: 1 }, { initial_amount: "1200.00", item: "门急诊", version: 2 })).toEqual([
      { field: "initial_amount", label: "年初预算", before: "1000.00", after: "1200.00" },
    ]);
  });

  it("shows an insert as every filled field", () => {
    expect(fieldChanges(null, { amount: "32880.00", kind: "transfer", note: null }).map((c) => c.label)).toEqual(["金额", "支付方式"]);
  });
});
