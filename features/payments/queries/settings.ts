import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";
import { readStoredBatchRules, readStoredWarningDays, type BatchRules } from "../rules/settings.ts";

/*
 * The payment time rules as settings (table setting, audited like every setting): batch_rules (JSON, the
 * rules of 闵医保规发〔2022〕1号 by default) and notice_warning_days (working days, 5 by default). A missing or
 * unreadable value reads as the default (rules/settings.ts). Writes take the caller's transaction (withActor).
 */

type Queryable = Kysely<Database> | Transaction<Database>;

const BATCH_RULES_KEY = "batch_rules";
const WARNING_DAYS_KEY = "notice_warning_days";

/** The batch rules in force. */
export async function getBatchRules(db: Queryable): Promise<BatchRules> {
  const row = await db.selectFrom("setting").select("value").where("key", "=", BATCH_RULES_KEY).executeTakeFirst();
  return readStoredBatchRules(row?.value);
}

/** Stores the batch rules (already checked: batchRulesProblems), as the transaction's actor. */
export async function setBatchRules(db: Queryable, rules: Readonly<BatchRules>): Promise<void> {
  const value = JSON.stringify({ ...rules, acceptanceDays: [...rules.acceptanceDays].sort((a, b) => a - b) });
  await db
    .insertInto("setting")
    .values({ key: BATCH_RULES_KEY, value })
    .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
    .execute();
}

/** The working days ahead within which an unpaid notice is listed as due soon. */
export async function getNoticeWarningDays(db: Queryable): Promise<number> {
  const row = await db.selectFrom("setting").select("value").where("key", "=", WARNING_DAYS_KEY).executeTakeFirst();
  return readStoredWarningDays(row?.value);
}

/** Stores the warning's working days (already checked: 0–60), as the transaction's actor. */
export async function setNoticeWarningDays(db: Queryable, days: number): Promise<void> {
  const value = String(days);
  await db
    .insertInto("setting")
    .values({ key: WARNING_DAYS_KEY, value })
    .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
    .execute();
}
