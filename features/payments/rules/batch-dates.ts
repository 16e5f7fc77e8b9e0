import { msg, type Message, type PlainKey } from "../../../messages/index.ts";

/*
 * The dates a payment batch may carry besides the day it was paid — 受理 (accepted), 审核完成 (reviewed),
 * 审批 (approved) — and how they must relate: only a batch (社会化发放) has them, and they follow each other,
 * accepted ≤ reviewed ≤ approved ≤ paid. The import checks every row by these rules (the database checks
 * the order of the three among themselves).
 */

export const BATCH_DATE_FIELDS = ["acceptedOn", "reviewedOn", "approvedOn"] as const;
export type BatchDateField = (typeof BATCH_DATE_FIELDS)[number];

/** The catalogue keys naming the dates (the import's column names too). */
export const BATCH_DATE_LABELS = {
  acceptedOn: "pmColAcceptedOn",
  reviewedOn: "pmColReviewedOn",
  approvedOn: "pmColApprovedOn",
  paidOn: "impColPaidOn",
} as const satisfies Record<BatchDateField | "paidOn", PlainKey>;

/** A payment's dates as a row of the import has them (null: not given). */
export interface PaymentDates {
  kind: "batch" | "transfer";
  paidOn: string;
  acceptedOn: string | null;
  reviewedOn: string | null;
  approvedOn: string | null;
}

/**
 * What is wrong with a payment's batch dates, at most one problem per date field:
 * batchDateProblems({ kind: "batch", paidOn: "2024-01-10", acceptedOn: "2024-01-12", reviewedOn: null, approvedOn: null })
 * → [{ field: "acceptedOn", message: 受理日期2024年1月12日晚于支付日期2024年1月10日 }].
 */
export function batchDateProblems(row: PaymentDates): Array<{ field: BatchDateField; message: Message }> {
  const filled = BATCH_DATE_FIELDS.filter((field) => row[field] !== null);
  if (filled.length === 0) return [];
  if (row.kind !== "batch") return filled.map((field) => ({ field, message: msg("pmBatchDatesOnlyBatch", { field: msg(BATCH_DATE_LABELS[field]) }) }));
  const problems: Array<{ field: BatchDateField; message: Message }> = [];
  const chain: Array<BatchDateField | "paidOn"> = [...BATCH_DATE_FIELDS, "paidOn"];
  const dateOf = (field: BatchDateField | "paidOn") => (field === "paidOn" ? row.paidOn : row[field]);
  for (const field of filled) {
    const position = chain.indexOf(field);
    const date = row[field]!;
    // Each date follows every filled date before it in the chain (the later one is named), and none follows the day paid.
    const before = chain.slice(0, position).find((other) => dateOf(other) !== null && dateOf(other)! > date);
    const after = date > row.paidOn ? ("paidOn" as const) : undefined;
    const other = before ?? after;
    if (other === undefined) continue;
    const params = { field: msg(BATCH_DATE_LABELS[field]), date, other: msg(BATCH_DATE_LABELS[other]), otherDate: dateOf(other)! };
    problems.push({ field, message: msg(before !== undefined ? "pmBatchDateBefore" : "pmBatchDateAfter", params) });
  }
  return problems;
}
