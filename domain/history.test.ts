import { describe, expect, it } from "vitest";
import { BATCH_STATUS, changedFields, fieldChanges, fieldFormat } from "./history.ts";

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

describe("audit history as stored, for a page to show in its language", () => {
  it("keeps the stored values: codes, booleans and amounts as they are", () => {
    expect(changedFields({ kind: "batch", recurring: true, amount: "56307.81", version: 1 }, { kind: "transfer", recurring: false, amount: "56307.81", version: 2 })).toEqual([
      { field: "recurring", before: true, after: false },
      { field: "kind", before: "batch", after: "transfer" },
    ]);
    // Listed in the forms' order, not the row image's (jsonb puts shorter keys first).
    expect(changedFields(null, { last_payment_id: 33, first_payment_id: 1, file_name: "支付.xlsx" }).map((change) => change.field)).toEqual([
      "file_name",
      "first_payment_id",
      "last_payment_id",
    ]);
    // Bookkeeping is not content: timestamps, users and record references are left out.
    expect(changedFields(null, { at: "2026-12-03T08:16:45+00:00", user_id: 5, evaluation_id: 12, to_status: "draft" })).toEqual([{ field: "to_status", before: null, after: "draft" }]);
    expect(fieldFormat("to_status", "accepted")).toBe("form-state");
    expect(fieldFormat("status", "open")).toBe("item-state");
    expect(changedFields({ note: "x" }, null)).toEqual([{ field: "note", before: "x", after: null }]);
    expect(changedFields({ note: null }, { note: undefined })).toEqual([]);
  });

  it("says how each value is shown", () => {
    expect(fieldFormat("amount", "-56307.81")).toBe("money");
    expect(fieldFormat("initial_amount", "1.00")).toBe("money");
    expect(fieldFormat("returned_amount", "0.00")).toBe("money");
    expect(fieldFormat("kind", "batch")).toBe("payment-kind");
    expect(fieldFormat("kind", "payments")).toBe("text");
    expect(fieldFormat("status", BATCH_STATUS.undone)).toBe("batch-status");
    expect(fieldFormat("status", "已确认超预算支付")).toBe("text");
    expect(fieldFormat("active", true)).toBe("boolean");
    expect(fieldFormat("person_times", 40)).toBe("text");
  });
});
