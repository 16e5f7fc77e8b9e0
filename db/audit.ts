import { sql, type Transaction } from "kysely";
import type { DB } from "./pool.ts";
import type { Database } from "./schema.ts";

/** Who makes a change, as the audit trail records it. */
export interface AuditActor {
  userId: number | null;
  username: string;
}

/** The actor of changes made by the CLI and the demo-data loader. */
export const SYSTEM_ACTOR: AuditActor = { userId: null, username: "system" };

/**
 * Runs work in one transaction whose changes the audit triggers attribute to the actor
 * (transaction-local settings budget.user_id / budget.username).
 */
export async function withActor<T>(db: DB, actor: AuditActor, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await setActor(trx, actor);
    return work(trx);
  });
}

/** Attributes the rest of a transaction's changes to the actor. */
export async function setActor(trx: Transaction<Database>, actor: AuditActor): Promise<void> {
  await sql`SELECT set_config('budget.user_id', ${actor.userId === null ? "" : String(actor.userId)}, true),
                   set_config('budget.username', ${actor.username}, true)`.execute(trx);
}

/** One entry of a project's history. */
export interface HistoryEntry {
  id: string;
  at: string;
  username: string;
  action: "insert" | "update" | "delete";
  tableName: string;
  recordId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The audit log's columns as history entries. */
function selectHistory(db: DB) {
  return db
    .selectFrom("audit_log")
    .select([
      "id",
      sql<string>`to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')`.as("at"),
      "username",
      "action",
      "table_name as tableName",
      "record_id as recordId",
      sql<string | null>`before::text`.as("before"),
      sql<string | null>`after::text`.as("after"),
    ]);
}

/**
 * Parses a row image of the trail keeping decimals exact: PostgreSQL writes NUMERIC into jsonb as a
 * JSON number with its scale (338000.00), which JSON.parse would turn into a float; they become
 * strings ("338000.00") instead.
 */
export function parseRowImage(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  const quoted = text.replace(/("(?:[^"\\]|\\.)*")|(-?\d+\.\d+(?:[eE][-+]?\d+)?)/g, (match, string: string | undefined) =>
    string !== undefined ? string : `"${match}"`,
  );
  return JSON.parse(quoted) as Record<string, unknown>;
}

function toEntry(row: Omit<HistoryEntry, "before" | "after"> & { before: string | null; after: string | null }): HistoryEntry {
  return { ...row, before: parseRowImage(row.before), after: parseRowImage(row.after) };
}

/** The audit trail of a project (its own row, lines, adjustments, payments), newest first. */
export async function projectHistory(db: DB, projectId: number, limit = 500): Promise<HistoryEntry[]> {
  const rows = await selectHistory(db).where("project_id", "=", projectId).orderBy("id", "desc").limit(limit).execute();
  return rows.map(toEntry);
}

/** The changes made to one record after a given version (what a stale editor missed), oldest first. */
export async function changesSince(db: DB, tableName: string, recordId: number | string, sinceVersion: number): Promise<HistoryEntry[]> {
  const rows = await selectHistory(db)
    .where("table_name", "=", tableName)
    .where("record_id", "=", String(recordId))
    .where(sql<boolean>`coalesce((after->>'version')::int, 0) > ${sinceVersion}`)
    .orderBy("id")
    .execute();
  return rows.map(toEntry);
}
