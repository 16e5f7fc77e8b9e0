import { isIsoDate, todayInChina } from "./dates.ts";
import { money, parseAmount, ungrouped } from "./money.ts";
import { roleAllows, type Role } from "./permissions.ts";
import { BATCH_STATUS } from "./history.ts";
import { msg, type Message } from "../messages/index.ts";

/*
 * Correcting the ledger (issue 11 §4, docs/decisions/011-corrections.md): the rules of 更正 (a payment's
 * fields corrected in place, with a reason), 冲销 (a reversing entry mirroring a payment, with a reason)
 * and 撤销导入 (who may undo an import batch). Problems are codes; the UI renders them in its language.
 */

/** A payment's correctable fields, validated. */
export interface PaymentValues {
  paidOn: string;
  kind: "batch" | "transfer";
  budgetLineId: number | null;
  personTimes: number | null;
  amount: string;
  dueOn: string | null;
  returnedCount: number;
  returnedAmount: string;
  reissuedOn: string | null;
  note: string | null;
}

/** A stored payment as the correction form shows it (every field as text, empty for none). */
export function paymentFormValues(payment: PaymentValues): Record<string, string> {
  return {
    paidOn: payment.paidOn,
    kind: payment.kind,
    budgetLineId: payment.budgetLineId === null ? "" : String(payment.budgetLineId),
    personTimes: payment.personTimes === null ? "" : String(payment.personTimes),
    amount: payment.amount,
    dueOn: payment.dueOn ?? "",
    returnedCount: String(payment.returnedCount),
    returnedAmount: payment.returnedAmount,
    reissuedOn: payment.reissuedOn ?? "",
    note: payment.note ?? "",
  };
}

export type PaymentField = keyof PaymentValues | "reason" | "form";

/**
 * What is wrong with a field, as a message (corErr_*; `detail` shows a date range or the value typed):
 * { code: "corErr_invalidDate", params: { detail: "2024-02-30" } }.
 */
export type CorrectionProblem = Message;

export type FieldProblems = Partial<Record<PaymentField, CorrectionProblem>>;

/** The longest reason or note kept. */
export const MAX_TEXT = 500;

/** A required reason (更正原因 / 冲销原因 / 撤销原因): trimmed, 1–500 characters. */
export function parseReason(text: string | undefined): { reason: string } | { problem: CorrectionProblem } {
  const reason = (text ?? "").trim();
  if (reason === "") return { problem: msg("corErr_required") };
  if (reason.length > MAX_TEXT) return { problem: msg("corErr_tooLong") };
  return { reason };
}

/**
 * Validates a submitted correction of a payment against its project's budget lines; every problem per
 * field. The rules are the ledger's (migration 0001): amount > 0, returns within the payment, a
 * re-issue on or after the payment and only of a returned amount, a due date only for a transfer.
 * Example: parsePaymentCorrection({ amount: "1,000", paidOn: "2024-07-02", kind: "batch", reason: "金额录错", … }, [12])
 * → { values: { amount: "1000.00", … }, reason: "金额录错" }.
 */
export function parsePaymentCorrection(
  form: Record<string, string | undefined>,
  lineIds: readonly number[],
): { values: PaymentValues; reason: string } | { errors: FieldProblems } {
  const errors: FieldProblems = {};
  const text = (field: PaymentField) => (form[field] ?? "").trim();
  const date = (field: "paidOn" | "dueOn" | "reissuedOn", required: boolean): string | null => {
    const value = text(field);
    if (value === "") {
      if (required) errors[field] = msg("corErr_required");
      return null;
    }
    if (!isIsoDate(value)) errors[field] = msg("corErr_invalidDate", { detail: value });
    return value;
  };
  const count = (field: "personTimes" | "returnedCount"): number | null => {
    const value = ungrouped(text(field));
    if (value === "") return null;
    if (value === null || !/^\d{1,9}$/.test(value)) {
      errors[field] = msg("corErr_invalidCount", { detail: text(field) });
      return null;
    }
    return Number(value);
  };
  const amount = (field: "amount" | "returnedAmount", required: boolean): string | null => {
    if (!required && text(field) === "") return null;
    const parsed = parseAmount(text(field));
    if ("problem" in parsed) {
      errors[field] = required && text(field) === "" ? msg("corErr_required") : msg("corErr_invalidAmount", { detail: text(field) });
      return null;
    }
    return parsed.amount;
  };

  const paidOn = date("paidOn", true);
  const kind = text("kind");
  if (kind !== "batch" && kind !== "transfer") errors.kind = msg("corErr_unknownKind");
  const lineText = text("budgetLineId");
  const budgetLineId = lineText === "" ? null : Number(lineText);
  if (budgetLineId !== null && !lineIds.includes(budgetLineId)) errors.budgetLineId = msg("corErr_unknownLine");
  const personTimes = count("personTimes");
  const paid = amount("amount", true);
  if (paid !== null && !money(paid).greaterThan(0)) errors.amount = msg("corErr_invalidAmount", { detail: text("amount") });
  const dueOn = date("dueOn", false);
  if (dueOn !== null && kind === "batch") errors.dueOn = msg("corErr_dueOnlyTransfer");
  const returnedCount = count("returnedCount") ?? 0;
  if (personTimes !== null && returnedCount > personTimes && !errors.returnedCount) errors.returnedCount = msg("corErr_returnedOverCount");
  const returnedAmount = amount("returnedAmount", false) ?? "0.00";
  if (paid !== null && !errors.returnedAmount && money(returnedAmount).greaterThan(paid)) errors.returnedAmount = msg("corErr_returnedOverAmount");
  const reissuedOn = date("reissuedOn", false);
  if (reissuedOn !== null && !errors.reissuedOn && !errors.returnedAmount) {
    if (money(returnedAmount).isZero()) errors.reissuedOn = msg("corErr_reissueWithoutReturn");
    else if (paidOn !== null && isIsoDate(paidOn) && reissuedOn < paidOn) errors.reissuedOn = msg("corErr_reissueBeforePaid");
  }
  const note = text("note") || null;
  if (note !== null && note.length > MAX_TEXT) errors.note = msg("corErr_tooLong");
  const reason = parseReason(form.reason);
  if ("problem" in reason) errors.reason = reason.problem;

  if (Object.keys(errors).length > 0 || "problem" in reason) return { errors };
  return {
    values: { paidOn: paidOn!, kind: kind as PaymentValues["kind"], budgetLineId, personTimes, amount: paid!, dueOn, returnedCount, returnedAmount, reissuedOn, note },
    reason: reason.reason,
  };
}

/** True when a correction changes nothing of the stored payment (it is then refused as 未作改动). */
export function unchanged(stored: PaymentValues, values: PaymentValues): boolean {
  return (Object.keys(values) as Array<keyof PaymentValues>).every((field) => stored[field] === values[field]);
}

/**
 * The dates a reversal (冲销) of a payment may carry: from the payment's own date to the last day of the
 * project's fiscal year (or the payment's date, for a payment made after it), so that the year's figures
 * see it. reversalDates("2024-03-15", 2024) → { from: "2024-03-15", to: "2024-12-31" }.
 */
export function reversalDates(paidOn: string, fiscalYear: number): { from: string; to: string } {
  const yearEnd = `${fiscalYear}-12-31`;
  return { from: paidOn, to: paidOn > yearEnd ? paidOn : yearEnd };
}

/** The reversal date offered: today (China), kept within reversalDates. */
export function defaultReversalDate(paidOn: string, fiscalYear: number, today: string = todayInChina()): string {
  const { from, to } = reversalDates(paidOn, fiscalYear);
  return today < from ? from : today > to ? to : today;
}

/** Validates a reversal's date and reason. */
export function parseReversal(
  form: Record<string, string | undefined>,
  paidOn: string,
  fiscalYear: number,
): { reversedOn: string; reason: string } | { errors: FieldProblems } {
  const errors: FieldProblems = {};
  const reversedOn = (form.reversedOn ?? "").trim();
  const { from, to } = reversalDates(paidOn, fiscalYear);
  if (reversedOn === "") errors.paidOn = msg("corErr_required");
  else if (!isIsoDate(reversedOn)) errors.paidOn = msg("corErr_invalidDate", { detail: reversedOn });
  else if (reversedOn < from || reversedOn > to) errors.paidOn = msg("corErr_reversalDateRange", { detail: `${from} – ${to}` });
  const reason = parseReason(form.reason);
  if ("problem" in reason) errors.reason = reason.problem;
  if (Object.keys(errors).length > 0 || "problem" in reason) return { errors };
  return { reversedOn, reason: reason.reason };
}

/** The amounts of a payment as stored: what its reversing entry mirrors. */
export interface MirroredAmounts {
  amount: string;
  personTimes: number | null;
  returnedCount: number;
  returnedAmount: string;
  reissuedOn: string | null;
}

/**
 * The reversing entry (红字冲销) of a payment dated reversedOn: every amount negated, so that from that
 * date on the pair counts nothing — also the returned part: a re-issue dated before the reversal is
 * mirrored on the reversal's date, a later one on its own date.
 * reversingAmounts({ amount: "5000.00", personTimes: 20, returnedCount: 1, returnedAmount: "250.00", reissuedOn: null }, "2024-09-05")
 * → { amount: "-5000.00", personTimes: -20, returnedCount: -1, returnedAmount: "-250.00", reissuedOn: null }.
 */
export function reversingAmounts(original: MirroredAmounts, reversedOn: string): MirroredAmounts {
  const negate = (amount: string) => (money(amount).isZero() ? "0.00" : amount.startsWith("-") ? amount.slice(1) : `-${amount}`);
  return {
    amount: negate(original.amount),
    personTimes: original.personTimes === null ? null : -original.personTimes,
    returnedCount: original.returnedCount === 0 ? 0 : -original.returnedCount,
    returnedAmount: negate(original.returnedAmount),
    reissuedOn: original.reissuedOn === null ? null : original.reissuedOn < reversedOn ? reversedOn : original.reissuedOn,
  };
}

/** The user acting on an import batch, as the rules see them. */
export interface BatchActor {
  userId: number;
  roles: readonly Role[];
  unitSubtree: ReadonlySet<number>;
}

/** An import batch as the rules see it: who imported it and which units its rows belong to. */
export interface BatchScope {
  userId: number | null;
  /** The units of the projects the batch's rows belong to (of the units it created, their parents' scope applies). */
  unitIds: readonly number[];
}

/**
 * Who may see an import batch in 导入记录: administrators; the user who imported it; anyone whose units
 * hold every unit the batch touched (a batch that touched nothing: its importer and administrators).
 */
export function maySeeBatch(actor: BatchActor, batch: BatchScope): boolean {
  if (roleAllows(actor.roles, "administer") || actor.userId === batch.userId) return true;
  return batch.unitIds.length > 0 && batch.unitIds.every((unitId) => actor.unitSubtree.has(unitId));
}

/**
 * Who may undo an import batch (撤销导入): the user who imported it, a manager or an administrator —
 * each only when every unit the batch touched is theirs (their unit or below it).
 * mayUndoBatch({ userId: 3, roles: ["planner"], unitSubtree: new Set([7]) }, { userId: 3, unitIds: [7] }) → true.
 */
export function mayUndoBatch(actor: BatchActor, batch: BatchScope): boolean {
  const inScope = batch.unitIds.every((unitId) => actor.unitSubtree.has(unitId));
  if (!inScope) return false;
  if (roleAllows(actor.roles, "administer")) return true;
  if (batch.unitIds.length === 0) return actor.userId === batch.userId;
  return actor.roles.includes("manager") || actor.userId === batch.userId;
}

/** Whether a role could undo some batch at all (others are refused before any batch is looked at). */
export function mayUndoAnyBatch(roles: readonly Role[]): boolean {
  return roles.some((role) => role === "admin" || role === "manager" || roleAllows([role], "edit-payment") || roleAllows([role], "edit-budget"));
}


/**
 * What an audit entry records of the corrections, for 变更记录: an undone import batch, a reversing
 * entry or a corrected payment; null for any other entry.
 */
export function correctionKind(entry: { tableName: string; action: string; after: Record<string, unknown> | null }): "undo" | "reverse" | "correct" | null {
  if (entry.tableName === "import_batch" && entry.action === "update" && entry.after?.status === BATCH_STATUS.undone) return "undo";
  if (entry.tableName === "payment" && entry.action === "insert" && entry.after?.reverses_payment_id != null) return "reverse";
  if (entry.tableName === "payment" && entry.action === "update" && entry.after?.correction_reason != null) return "correct";
  return null;
}
