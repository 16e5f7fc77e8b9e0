import { sql, type Kysely } from "kysely";

/*
 * A manager who reopens a done rectification item (整改台账) says why: the reason, who reopened it and when are
 * kept on the item (the last reopening; every earlier one stays in the audit trail), shown beside the open item
 * so that its unit knows what to do again. Audited by the item's existing triggers.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE rectification_item
    ADD COLUMN reopen_reason  text,
    ADD COLUMN reopened_by    text,
    ADD COLUMN reopened_by_id integer,
    ADD COLUMN reopened_at    timestamptz,
    ADD CONSTRAINT rectification_item_reopened CHECK (
      (reopen_reason IS NULL AND reopened_by IS NULL AND reopened_at IS NULL)
      OR (btrim(coalesce(reopen_reason, '')) <> '' AND reopened_by IS NOT NULL AND reopened_at IS NOT NULL))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE rectification_item
    DROP CONSTRAINT IF EXISTS rectification_item_reopened,
    DROP COLUMN IF EXISTS reopen_reason, DROP COLUMN IF EXISTS reopened_by,
    DROP COLUMN IF EXISTS reopened_by_id, DROP COLUMN IF EXISTS reopened_at`.execute(db);
}
