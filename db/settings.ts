import type { Kysely, Transaction } from "kysely";
import type { DB } from "./pool.ts";
import type { Database } from "./schema.ts";
import { DEFAULT_FLAG_THRESHOLD } from "../domain/execution.ts";

/** The execution-rate threshold below which a project is flagged (setting flag_threshold, default 75.00). */
export async function getFlagThreshold(db: DB): Promise<string> {
  const row = await db.selectFrom("setting").select("value").where("key", "=", "flag_threshold").executeTakeFirst();
  return row?.value ?? DEFAULT_FLAG_THRESHOLD;
}

/** Sets the flag threshold (a percentage with up to 2 decimals, 0–100), as the given transaction's actor. */
export async function setFlagThreshold(db: Kysely<Database> | Transaction<Database>, value: string): Promise<void> {
  await db
    .insertInto("setting")
    .values({ key: "flag_threshold", value })
    .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
    .execute();
}
