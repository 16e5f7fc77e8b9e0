import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { AuditActor } from "../../db/audit.ts";
import type { WorkflowState } from "./rules.ts";

/*
 * Storing the review workflow (rules.ts) for any subject table: the move itself, guarded by the
 * state the user saw, and its history (who, when, from which state to which, with what comment).
 * No table of its own: each feature keeps its subjects' `status` column and a history table shaped
 * like the tracking form's (migration 0008):
 *
 *   CREATE TABLE <history> (id serial PRIMARY KEY, <subject>_id int NOT NULL REFERENCES <subject>,
 *     from_status text, to_status text NOT NULL, comment text, user_id int, username text NOT NULL,
 *     at timestamptz NOT NULL DEFAULT now());
 *
 * API (writes take a transaction opened by withActor, so the audit trail names the user):
 *   WorkflowStore                       where a feature keeps state and history (table and column names,
 *                                       fixed strings of the feature, never user input).
 *   recordTransition(trx, store, id, from, to, actor, comment)
 *                                       appends a step to the history (from null: the subject was created).
 *   moveSubject(trx, store, id, from, to, actor, comment) → boolean
 *                                       moves the subject when it is still in `from` and records the step;
 *                                       false when someone moved it meanwhile (refusal "stale"). A return's
 *                                       comment is also written to store.returnCommentColumn, if any.
 *   currentState(db, store, id)         the subject's state, or undefined when there is no such subject.
 *   transitionHistory(db, store, id)    the steps, oldest first, the time as text (Shanghai time).
 */

type Queryable = Kysely<Database> | Transaction<Database>;

export interface WorkflowStore {
  /** The subject table, with an integer primary key `id`. */
  table: string;
  /** The column holding the state; "status" when absent. */
  statusColumn?: string;
  /** A column of the subject that keeps the latest return's comment (the tracking form's review_comment). */
  returnCommentColumn?: string;
  /** The history table and its column naming the subject. */
  historyTable: string;
  historySubjectColumn: string;
}

/** One step of the history. */
export interface WorkflowEvent {
  id: number;
  fromStatus: WorkflowState | null;
  toStatus: WorkflowState;
  comment: string | null;
  username: string;
  /** The user's name as people know it (the username when the account is gone). */
  displayName: string;
  /** "2024-09-02 10:15:00", Shanghai time. */
  at: string;
}

/** Appends a step to the subject's history. */
export async function recordTransition(
  trx: Transaction<Database>,
  store: WorkflowStore,
  subjectId: number,
  from: WorkflowState | null,
  to: WorkflowState,
  actor: AuditActor,
  comment: string | null,
): Promise<void> {
  await sql`
    INSERT INTO ${sql.table(store.historyTable)} (${sql.ref(store.historySubjectColumn)}, from_status, to_status, comment, user_id, username)
    VALUES (${subjectId}, ${from}, ${to}, ${comment}, ${actor.userId}, ${actor.username})`.execute(trx);
}

/**
 * Moves a subject from the state the user saw to the next one and records the step; false when it
 * is no longer in that state (someone else moved it meanwhile). Check the move with checkTransition first.
 */
export async function moveSubject(
  trx: Transaction<Database>,
  store: WorkflowStore,
  subjectId: number,
  from: WorkflowState,
  to: WorkflowState,
  actor: AuditActor,
  comment: string | null,
): Promise<boolean> {
  const status = sql.ref(store.statusColumn ?? "status");
  const keepComment = to === "returned" && store.returnCommentColumn ? sql`, ${sql.ref(store.returnCommentColumn)} = ${comment}` : sql``;
  const result = await sql`
    UPDATE ${sql.table(store.table)} SET ${status} = ${to}${keepComment}
     WHERE id = ${subjectId} AND ${status} = ${from}`.execute(trx);
  if ((result.numAffectedRows ?? 0n) === 0n) return false;
  await recordTransition(trx, store, subjectId, from, to, actor, comment);
  return true;
}

/** The subject's current state, or undefined when there is no such subject. */
export async function currentState(db: Queryable, store: WorkflowStore, subjectId: number): Promise<WorkflowState | undefined> {
  const result = await sql<{ status: WorkflowState }>`
    SELECT ${sql.ref(store.statusColumn ?? "status")} AS status FROM ${sql.table(store.table)} WHERE id = ${subjectId}`.execute(db);
  return result.rows[0]?.status;
}

/** The subject's history, oldest first. */
export async function transitionHistory(db: Queryable, store: WorkflowStore, subjectId: number): Promise<WorkflowEvent[]> {
  const result = await sql<WorkflowEvent>`
    SELECT h.id, h.from_status AS "fromStatus", h.to_status AS "toStatus", h.comment, h.username,
           coalesce(nullif(btrim(u.display_name), ''), h.username) AS "displayName",
           to_char(h.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') AS at
      FROM ${sql.table(store.historyTable)} h LEFT JOIN app_user u ON u.id = h.user_id
     WHERE ${sql.ref(`h.${store.historySubjectColumn}`)} = ${subjectId}
     ORDER BY h.id`.execute(db);
  return result.rows;
}
