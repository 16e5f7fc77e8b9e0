import type { DB } from "./connection.ts";
import { DEFAULT_FLAG_THRESHOLD } from "../domain/execution.ts";

/** The execution-rate threshold below which a project is flagged (setting flag_threshold, default 75.00). */
export async function getFlagThreshold(db: DB): Promise<string> {
  const row = await db.selectFrom("setting").select("value").where("key", "=", "flag_threshold").executeTakeFirst();
  return row?.value ?? DEFAULT_FLAG_THRESHOLD;
}
