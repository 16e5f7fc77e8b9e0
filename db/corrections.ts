import { sql, type Transaction } from "kysely";
import type { DB } from "./pool.ts";
import type { Database } from "./schema.ts";
import { reversingAmounts, type PaymentValues } from "../domain/corrections.ts";
import { money } from "../domain/money.ts";
import { YEAR_BUDGET } from "../features/import/queries/warnings.ts";
import { takeLedgerTurn } from "./ledger-lock.ts";
import { changedFields } from "../domain/history.ts";
import { changesSince, withActor, type AuditActor } from "./audit.ts";
import type { MissedChanges } from "./budget-lines.ts";

/*
 * 更正 and 冲销 of one payment (docs/decisions/011-corrections.md). A correction updates the payment in
 * place when nobody changed it since the version the user saw; the audit trigger keeps the old values
 * and the reason (correction_reason) in the project's 变更记录. A reversal inserts the reversing entry
 * (negative mirror, reverses_payment_id), audited as a new payment; the original stays as it was.
 */

/** A payment with what its correction page needs: its project, unit, lines and correction state. */
export interface CorrectablePayment extends PaymentValues {
  id: string;
  version: number;
  projectId: number;
  projectName: string;
  fiscalYear: number;
  unitId: number;
  unitName: string;
  importBatchId: number | null;
  correctionReason: string | null;
  /** The payment this one reverses (it is a reversing entry), or null. */
  reversesPaymentId: string | null;
  /** The reversing entry of this payment, or null. */
  reversedById: string | null;
  lines: Array<{ id: number; lineNo: number; item: string }>;
}

/** Loads a payment for correction, or undefined. */
export async function getCorrectablePayment(db: DB | Transaction<Database>, paymentId: string): Promise<CorrectablePayment | undefined> {
  const row = await db
    .selectFrom("payment as pay")
    .innerJoin("project as p", "p.id", "pay.project_id")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select([
      "pay.id",
      "pay.version",
      "pay.project_id as projectId",
      "p.name as projectName",
      "p.fiscal_year as fiscalYear",
      "p.unit_id as unitId",
      "u.name as unitName",
      "pay.paid_on as paidOn",
      "pay.kind",
      "pay.budget_line_id as budgetLineId",
      "pay.person_times as personTimes",
      "pay.amount",
      "pay.due_on as dueOn",
      "pay.returned_count as returnedCount",
      "pay.returned_amount as returnedAmount",
      "pay.reissued_on as reissuedOn",
      "pay.note",
      "pay.import_batch_id as importBatchId",
      "pay.correction_reason as correctionReason",
      "pay.reverses_payment_id as reversesPaymentId",
      sql<string | null>`(SELECT r.id FROM payment r WHERE r.reverses_payment_id = pay.id)`.as("reversedById"),
    ])
    .where("pay.id", "=", paymentId)
    .executeTakeFirst();
  if (!row) return undefined;
  const lines = await db
    .selectFrom("budget_line")
    .select(["id", "line_no as lineNo", "item"])
    .where("project_id", "=", row.projectId)
    .orderBy("line_no")
    .execute();
  return { ...row, lines };
}

/** Why a payment cannot be corrected or reversed (besides a stale version). */
export type CorrectionRefusal = "conflict" | "is-reversal" | "reversed" | "missing";

/** A corrected amount larger than its project's whole budget for the year, not confirmed (decision 012): the budget, exact 元. */
export type OverBudgetRefusal = { overBudget: string };

/**
 * Corrects a payment in place when its version is still `expectedVersion`; the reason goes with the
 * change into the audit trail. Returns the new version or why nothing was written.
 */
export async function correctPayment(
  trx: Transaction<Database>,
  paymentId: string,
  expectedVersion: number,
  values: PaymentValues,
  reason: string,
  options: { acceptOverBudget?: boolean } = {},
): Promise<{ version: number } | CorrectionRefusal | OverBudgetRefusal> {
  await takeLedgerTurn(trx);
  const refusal = await lockForCorrection(trx, paymentId, expectedVersion);
  if (refusal) return refusal;
  // As an import (decision 012): one payment larger than its project's whole budget for the year is written
  // only when the user confirms it (the audit trail keeps who changed the amount, from what, and why).
  // Only a raised amount asks again: correcting the date of a payment confirmed at import does not.
  const { budget, amount } = await sql<{ budget: string; amount: string }>`
    SELECT ${YEAR_BUDGET(sql`p.id`, sql`p.fiscal_year`)}::numeric(18,2)::text AS budget, pay.amount::text AS amount
      FROM payment pay JOIN project p ON p.id = pay.project_id WHERE pay.id = ${paymentId}`.execute(trx).then((r) => r.rows[0]!);
  const raisedOver = money(values.amount).greaterThan(budget) && money(values.amount).greaterThan(amount);
  if (raisedOver && !options.acceptOverBudget) return { overBudget: budget };
  const updated = await trx
    .updateTable("payment")
    .set({
      paid_on: values.paidOn,
      kind: values.kind,
      budget_line_id: values.budgetLineId,
      person_times: values.personTimes,
      amount: values.amount,
      due_on: values.dueOn,
      returned_count: values.returnedCount,
      returned_amount: values.returnedAmount,
      reissued_on: values.reissuedOn,
      note: values.note,
      correction_reason: reason,
    })
    .where("id", "=", paymentId)
    .where("version", "=", expectedVersion)
    .returning("version")
    .executeTakeFirstOrThrow();
  return updated;
}

/**
 * Reverses a payment (红字冲销) on a date: inserts its negative mirror naming it, with the reason,
 * when its version is still `expectedVersion`. Returns the reversing entry's id or why nothing was written.
 */
export async function reversePayment(
  trx: Transaction<Database>,
  paymentId: string,
  expectedVersion: number,
  reversedOn: string,
  reason: string,
): Promise<{ reversalId: string } | CorrectionRefusal> {
  await takeLedgerTurn(trx);
  const refusal = await lockForCorrection(trx, paymentId, expectedVersion);
  if (refusal) return refusal;
  const original = (await getCorrectablePayment(trx, paymentId))!;
  const mirror = reversingAmounts(original, reversedOn);
  const inserted = await trx
    .insertInto("payment")
    .values({
      project_id: original.projectId,
      budget_line_id: original.budgetLineId,
      paid_on: reversedOn,
      kind: original.kind,
      person_times: mirror.personTimes,
      amount: mirror.amount,
      due_on: null,
      returned_count: mirror.returnedCount,
      returned_amount: mirror.returnedAmount,
      reissued_on: mirror.reissuedOn,
      note: original.note,
      reverses_payment_id: paymentId,
      correction_reason: reason,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { reversalId: inserted.id };
}

/** Locks the payment row and checks that it may still be changed by the user who saw expectedVersion. */
async function lockForCorrection(trx: Transaction<Database>, paymentId: string, expectedVersion: number): Promise<CorrectionRefusal | null> {
  const row = await trx
    .selectFrom("payment")
    .select(["version", "reverses_payment_id as reverses", sql<boolean>`EXISTS (SELECT 1 FROM payment r WHERE r.reverses_payment_id = payment.id)`.as("reversed")])
    .where("id", "=", paymentId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return "missing";
  if (row.reverses !== null) return "is-reversal";
  if (row.reversed) return "reversed";
  if (row.version !== expectedVersion) return "conflict";
  return null;
}

/** A correction or reversal refused because the payment changed since the user's version: what they missed. */
export type StaleRefusal = { missed: MissedChanges };

/** The changes made to a payment since a version, fields as stored. */
async function missedChanges(db: DB, paymentId: string, sinceVersion: number): Promise<StaleRefusal> {
  const missed = await changesSince(db, "payment", paymentId, sinceVersion);
  return { missed: missed.map((entry) => ({ at: entry.at, username: entry.username, changes: changedFields(entry.before, entry.after) })) };
}

/** correctPayment as the actor in its own transaction (audited); a stale version answers with what the user missed. */
export async function correctPaymentAs(
  db: DB,
  actor: AuditActor,
  paymentId: string,
  expectedVersion: number,
  values: PaymentValues,
  reason: string,
  options: { acceptOverBudget?: boolean } = {},
): Promise<{ version: number } | Exclude<CorrectionRefusal, "conflict"> | OverBudgetRefusal | StaleRefusal> {
  const outcome = await withActor(db, actor, (trx) => correctPayment(trx, paymentId, expectedVersion, values, reason, options));
  return outcome === "conflict" ? missedChanges(db, paymentId, expectedVersion) : outcome;
}

/** reversePayment as the actor in its own transaction (audited); a stale version answers with what the user missed. */
export async function reversePaymentAs(
  db: DB,
  actor: AuditActor,
  paymentId: string,
  expectedVersion: number,
  reversedOn: string,
  reason: string,
): Promise<{ reversalId: string } | Exclude<CorrectionRefusal, "conflict"> | StaleRefusal> {
  const outcome = await withActor(db, actor, (trx) => reversePayment(trx, paymentId, expectedVersion, reversedOn, reason));
  return outcome === "conflict" ? missedChanges(db, paymentId, expectedVersion) : outcome;
}

/** How a listed payment stands: a reversing entry (of which payment), reversed (by which entry), corrected. */
export interface PaymentMark {
  reverses: string | null;
  reversedBy: string | null;
  corrected: boolean;
}

/** The correction marks of some payments, by id (only those with a mark). */
export async function paymentMarks(db: DB, paymentIds: readonly string[]): Promise<Record<string, PaymentMark>> {
  if (paymentIds.length === 0) return {};
  const rows = await sql<{ id: string; reverses: string | null; reversed_by: string | null; corrected: boolean }>`
    SELECT p.id, p.reverses_payment_id AS reverses, r.id AS reversed_by, p.correction_reason IS NOT NULL AND p.reverses_payment_id IS NULL AS corrected
      FROM payment p LEFT JOIN payment r ON r.reverses_payment_id = p.id
     WHERE p.id = ANY(${[...paymentIds]}::bigint[])
       AND (p.reverses_payment_id IS NOT NULL OR r.id IS NOT NULL OR p.correction_reason IS NOT NULL)`.execute(db);
  return Object.fromEntries(rows.rows.map((row) => [row.id, { reverses: row.reverses, reversedBy: row.reversed_by, corrected: row.corrected }]));
}
