import { sql, type Transaction } from "kysely";
import type { Database } from "./schema.ts";

/**
 * Writes to the ledger's payments take turns (a transaction-level advisory lock): committing imports, their
 * undo, and corrections and reversals. So payment ids are handed out in commit order, which the undo's
 * "paid since this batch" check relies on, and an import sees the rows of the one before it.
 */
export async function takeLedgerTurn(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('budget-import'))`.execute(trx);
}
