import { sql, type Transaction } from "kysely";
import type { DB } from "../../../db/pool.ts";
import type { Database } from "../../../db/schema.ts";
import type { Message } from "../../../messages/index.ts";
import { setActor, type AuditActor } from "../../../db/audit.ts";
import { projectAmountsAsOf } from "../../../db/execution.ts";
import { difference, money } from "../../../domain/money.ts";
import { BATCH_STATUS } from "../../../domain/history.ts";
import { localTime } from "../../../db/time.ts";
import { takeLedgerTurn } from "../../../db/ledger-lock.ts";
import { listImportBatches, type ImportBatchSummary } from "./batches.ts";

/*
 * 撤销导入: undoing an import batch as a whole (docs/decisions/011-corrections.md).
 *
 * What the batch put in the ledger: a payments import its payments (payment.import_batch_id, their ids
 * between the first and last id of the import's audit entries); an adjustments or budget-lines import
 * what import_batch_effect recorded (migration 0011): adjustments, lines, projects and units it
 * created, and the lines it changed with their values before.
 *
 * What depends on it — and then the undo is refused, naming it:
 * - a later change of one of its rows: a payment corrected (更正; a re-issue is recorded on the bounced
 *   payment itself, by such a correction) or reversed (冲销), an adjustment or budget line edited since;
 * - rows that refer to what it created: payments, adjustments or next year's plan overrides on a line
 *   it created; lines, payments, indicators, a declaration or tracking forms of a project it created;
 *   units, projects or users in a unit it created;
 * - payments that use the budget it added: payments recorded after the batch that take a project's
 *   year-end execution (the dashboard's figure, db/execution.ts) beyond its adjusted budget without the
 *   batch's adjustments or initial amounts (and beyond what it had spent before the batch).
 * Tracking forms are not dependants: a draft follows the ledger at once, a submitted or accepted form
 * keeps the figures it stored.
 */

export { listImportBatches, listVisibleBatches, type BatchPart, type ImportBatchSummary } from "./batches.ts";

/** Why a batch cannot be undone: a message (corBlk_*) naming the rows and figures. */
export type UndoBlocker = Message;

type BlockerCode =
  | "alreadyUndone"
  | "notRecorded"
  | "paymentCorrected"
  | "paymentReversed"
  | "linePaid"
  | "lineAdjusted"
  | "linePlanned"
  | "recordChanged"
  | "adjustmentChanged"
  | "projectInUse"
  | "unitInUse"
  | "overBudget"
  | "more";

/** A blocker's message from its code and the row's values; `what` (lines, payments …) names a kind of record (corWhat_*). */
function blocker(code: BlockerCode, params: Record<string, string>): UndoBlocker {
  const { what, ...rest } = params;
  return { code: `corBlk_${code}`, params: what === undefined ? rest : { ...rest, what: { code: `corWhat_${what}` } } } as UndoBlocker;
}

/** At most this many dependants of one kind are named; the rest are counted. */
const NAMED = 10;

/** What the batch's rows are, for the checks and the undo. */
interface BatchRows {
  /** The payment id range of a payments import (null when it added none). */
  paymentRange: { from: string; to: string } | null;
}

async function batchRows(trx: Transaction<Database>, batchId: number): Promise<BatchRows> {
  const range = await sql<{ from: string | null; to: string | null }>`
    SELECT min((after->>'first_payment_id')::bigint)::text AS "from", max((after->>'last_payment_id')::bigint)::text AS "to"
      FROM audit_log WHERE table_name = 'import_batch' AND record_id = ${String(batchId)} AND action = 'insert'`.execute(trx);
  const row = range.rows[0];
  return { paymentRange: row?.from && row.to ? { from: row.from, to: row.to } : null };
}

type Row = Record<string, string | number | null>;

/** Runs a dependants query and turns its rows into blockers (and a "more" line past NAMED). */
async function collect(trx: Transaction<Database>, blockers: UndoBlocker[], code: BlockerCode, query: ReturnType<typeof sql<Row>>): Promise<void> {
  const rows = (await query.execute(trx)).rows;
  for (const row of rows.slice(0, NAMED)) {
    blockers.push(blocker(code, Object.fromEntries(Object.entries(row).filter(([key]) => key !== "total").map(([key, value]) => [key, value === null ? "" : String(value)]))));
  }
  const total = Number(rows[0]?.total ?? rows.length);
  if (total > NAMED) blockers.push(blocker("more", { count: String(total - NAMED) }));
}

const LAST_CHANGE = (table: string, id: ReturnType<typeof sql>) => sql`(SELECT to_char(a.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' ' || a.username
    FROM audit_log a WHERE a.table_name = ${table} AND a.record_id = ${id}::text AND a.action = 'update' ORDER BY a.id DESC LIMIT 1)`;

/** Everything that depends on the batch (see the header); empty when it can be undone. */
async function undoBlockers(trx: Transaction<Database>, batch: ImportBatchSummary, rows: BatchRows): Promise<UndoBlocker[]> {
  const blockers: UndoBlocker[] = [];
  if (batch.undoneAt !== null) return [blocker("alreadyUndone", { at: batch.undoneAt, username: batch.undoneBy ?? "" })];
  if (batch.kind !== "payments" && !batch.effectsRecorded) return [blocker("notRecorded", {})];
  const id = batch.id;
  if (batch.kind === "payments") {
    if (rows.paymentRange === null) return blockers;
    const { from, to } = rows.paymentRange;
    const ofBatch = sql`pay.import_batch_id = ${id} AND pay.id BETWEEN ${from}::bigint AND ${to}::bigint`;
    await collect(trx, blockers, "paymentCorrected", sql<Row>`
      SELECT pay.id::text AS payment, p.name AS project, pay.paid_on::text AS date, pay.amount::text AS amount,
             ${LAST_CHANGE("payment", sql`pay.id`)} AS change, count(*) OVER () AS total
        FROM payment pay JOIN project p ON p.id = pay.project_id
       WHERE ${ofBatch} AND pay.version > 1 ORDER BY pay.id LIMIT ${NAMED}`);
    await collect(trx, blockers, "paymentReversed", sql<Row>`
      SELECT pay.id::text AS payment, p.name AS project, r.id::text AS reversal, r.paid_on::text AS date, count(*) OVER () AS total
        FROM payment r JOIN payment pay ON pay.id = r.reverses_payment_id JOIN project p ON p.id = pay.project_id
       WHERE r.reverses_payment_id IS NOT NULL AND ${ofBatch} ORDER BY pay.id LIMIT ${NAMED}`);
    return blockers;
  }

  const effects = (table: string, action?: string) =>
    sql`SELECT record_id, version, before FROM import_batch_effect WHERE import_batch_id = ${id} AND table_name = ${table} ${action ? sql`AND action = ${action}` : sql``}`;
  // A later change of a line or adjustment the batch created or changed.
  await collect(trx, blockers, "recordChanged", sql<Row>`
    SELECT p.name AS project, coalesce(l.item, '') AS item, ${LAST_CHANGE("budget_line", sql`l.id`)} AS change, count(*) OVER () AS total
      FROM (${effects("budget_line")}) e JOIN budget_line l ON l.id = e.record_id JOIN project p ON p.id = l.project_id
     WHERE l.version > e.version ORDER BY l.id LIMIT ${NAMED}`);
  await collect(trx, blockers, "adjustmentChanged", sql<Row>`
    SELECT p.name AS project, l.item, ad.adjusted_on::text AS date, ad.amount::text AS amount,
           ${LAST_CHANGE("budget_adjustment", sql`ad.id`)} AS change, count(*) OVER () AS total
      FROM (${effects("budget_adjustment")}) e JOIN budget_adjustment ad ON ad.id = e.record_id
      JOIN budget_line l ON l.id = ad.budget_line_id JOIN project p ON p.id = l.project_id
     WHERE ad.version > e.version ORDER BY ad.id LIMIT ${NAMED}`);
  if (batch.kind === "budget-lines") {
    const created = effects("budget_line", "insert");
    // Rows that refer to a line the batch created.
    for (const [code, table, column] of [
      ["linePaid", "payment", "budget_line_id"],
      ["lineAdjusted", "budget_adjustment", "budget_line_id"],
      ["linePlanned", "plan_override", "source_line_id"],
    ] as const) {
      await collect(trx, blockers, code, sql<Row>`
        SELECT p.name AS project, l.item, count(*)::text AS count, count(*) OVER () AS total
          FROM (${created}) e JOIN budget_line l ON l.id = e.record_id JOIN project p ON p.id = l.project_id
          JOIN ${sql.table(table)} x ON ${sql.ref(`x.${column}`)} = l.id
         GROUP BY p.name, l.item, l.id ORDER BY l.id LIMIT ${NAMED}`);
    }
    // What else a project the batch created holds (its own lines aside).
    await collect(trx, blockers, "projectInUse", sql<Row>`
      WITH cp AS (SELECT e.record_id AS id, p.name FROM (${effects("project")}) e JOIN project p ON p.id = e.record_id),
      what AS (
        SELECT cp.name, 'lines' AS what, count(*) AS n FROM cp JOIN budget_line l ON l.project_id = cp.id
         WHERE l.id NOT IN (SELECT record_id FROM (${created}) c) GROUP BY cp.name
        UNION ALL SELECT cp.name, 'payments', count(*) FROM cp JOIN payment pay ON pay.project_id = cp.id AND pay.budget_line_id IS NULL GROUP BY cp.name
        UNION ALL SELECT cp.name, 'indicators', count(*) FROM cp JOIN performance_indicator i ON i.project_id = cp.id GROUP BY cp.name
        UNION ALL SELECT cp.name, 'declaration', count(*) FROM cp JOIN performance_declaration d ON d.project_id = cp.id GROUP BY cp.name
        UNION ALL SELECT cp.name, 'trackingForms', count(*) FROM cp JOIN tracking_form f ON f.project_id = cp.id GROUP BY cp.name)
      SELECT name AS project, what, n::text AS count, count(*) OVER () AS total FROM what ORDER BY name, what LIMIT ${NAMED}`);
    // What else a unit the batch created holds.
    await collect(trx, blockers, "unitInUse", sql<Row>`
      WITH cu AS (SELECT u.id, u.name FROM (${effects("org_unit")}) e JOIN org_unit u ON u.id = e.record_id),
      what AS (
        SELECT cu.name, 'units' AS what, count(*) AS n FROM cu JOIN org_unit c ON c.parent_id = cu.id
         WHERE c.id NOT IN (SELECT record_id FROM (${effects("org_unit")}) x) GROUP BY cu.name
        UNION ALL SELECT cu.name, 'projects', count(*) FROM cu JOIN project p ON p.unit_id = cu.id
         WHERE p.id NOT IN (SELECT record_id FROM (${effects("project")}) x) GROUP BY cu.name
        UNION ALL SELECT cu.name, 'users', count(*) FROM cu JOIN app_user a ON a.unit_id = cu.id GROUP BY cu.name)
      SELECT name AS unit, what, n::text AS count, count(*) OVER () AS total FROM what ORDER BY name, what LIMIT ${NAMED}`);
  }
  blockers.push(...(await budgetUsed(trx, batch)));
  return blockers;
}

/**
 * Projects whose later payments use budget the batch added: the batch's net addition to the project (its
 * adjustments; the initial amounts of the lines it created, and what it added to lines it changed) is
 * positive, and the year-end execution (the dashboard's rule, db/execution.ts) exceeds both the adjusted
 * budget without the batch and what the payments recorded before the batch came to — so payments made
 * since spend what the batch added. A project already over its budget before the batch does not block it.
 */
async function budgetUsed(trx: Transaction<Database>, batch: ImportBatchSummary): Promise<UndoBlocker[]> {
  const added = await sql<{ project_id: number; fiscal_year: number; unit_id: number; added: string; later: string }>`
    WITH x AS (
      SELECT l.project_id, ad.amount AS added
        FROM import_batch_effect e JOIN budget_adjustment ad ON ad.id = e.record_id JOIN budget_line l ON l.id = ad.budget_line_id
       WHERE e.import_batch_id = ${batch.id} AND e.table_name = 'budget_adjustment'
      UNION ALL
      SELECT l.project_id, l.initial_amount - coalesce((e.before->>'initial_amount')::numeric, 0)
        FROM import_batch_effect e JOIN budget_line l ON l.id = e.record_id
       WHERE e.import_batch_id = ${batch.id} AND e.table_name = 'budget_line')
    SELECT p.id AS project_id, p.fiscal_year, p.unit_id, sum(x.added)::numeric(18,2)::text AS added,
           -- What the payments recorded after the batch add to the year-end execution (the rule of db/execution.ts).
           coalesce((SELECT sum(CASE WHEN pay.paid_on <= make_date(p.fiscal_year, 12, 31) THEN pay.amount - pay.returned_amount ELSE 0 END
                               + CASE WHEN pay.reissued_on <= make_date(p.fiscal_year, 12, 31) THEN pay.returned_amount ELSE 0 END)
                       FROM payment pay JOIN import_batch b ON b.id = ${batch.id}
                      WHERE pay.project_id = p.id AND pay.id > coalesce(b.last_payment_before, 0)), 0)::numeric(18,2)::text AS later
      FROM x JOIN project p ON p.id = x.project_id
     GROUP BY p.id, p.fiscal_year, p.unit_id HAVING sum(x.added) > 0`.execute(trx);
  const blockers: UndoBlocker[] = [];
  for (const project of added.rows) {
    const [amounts] = (await projectAmountsAsOf(trx, { year: project.fiscal_year, asOf: `${project.fiscal_year}-12-31`, unitIds: [project.unit_id] })).filter(
      (row) => row.projectId === project.project_id,
    );
    if (!amounts) continue;
    const without = difference(amounts.adjusted, project.added);
    const before = difference(amounts.executed, project.later);
    const covered = money(before).greaterThan(without) ? before : without;
    if (money(amounts.executed).greaterThan(covered)) {
      blockers.push(
        blocker("overBudget", { project: amounts.projectName, year: String(project.fiscal_year), executed: amounts.executed, budget: without, added: project.added, used: difference(amounts.executed, covered) }),
      );
    }
  }
  return blockers;
}

/** The outcome of an undo: done (with the batch as it now stands), or refused with what depends on it. */
export type UndoOutcome = { undone: ImportBatchSummary } | { blockers: UndoBlocker[] } | "missing";


/**
 * Undoes an import batch in one transaction, audited as the actor: checks what depends on it (nothing
 * is written when something does), removes what it added, restores the budget lines it changed, marks
 * it undone with the reason, and writes one audit entry per project it touched (撤销导入 in 变更记录).
 * The execution rollup follows in the same transaction (its triggers), so the dashboard does at once.
 */
export async function undoImportBatch(db: DB, actor: AuditActor, batchId: number, reason: string): Promise<UndoOutcome> {
  return db.transaction().execute(async (trx) => {
    await setActor(trx, actor);
    await takeLedgerTurn(trx);
    const locked = await trx.selectFrom("import_batch").select("id").where("id", "=", batchId).forUpdate().executeTakeFirst();
    if (!locked) return "missing";
    const [batch] = await listImportBatches(trx, { ids: [batchId] });
    const rows = await batchRows(trx, batchId);
    await lockRows(trx, batch!, rows);
    const blockers = await undoBlockers(trx, batch!, rows);
    if (blockers.length > 0) return { blockers };

    if (batch!.kind === "payments" && rows.paymentRange) {
      await sql`DELETE FROM payment WHERE import_batch_id = ${batchId} AND id BETWEEN ${rows.paymentRange.from}::bigint AND ${rows.paymentRange.to}::bigint`.execute(trx);
    } else if (batch!.kind === "adjustments") {
      await sql`DELETE FROM budget_adjustment WHERE id IN (SELECT record_id FROM import_batch_effect WHERE import_batch_id = ${batchId} AND table_name = 'budget_adjustment')`.execute(trx);
    } else if (batch!.kind === "budget-lines") {
      await undoBudgetLines(trx, batchId);
    }
    await trx
      .updateTable("import_batch")
      .set({ undone_at: sql<string>`now()`, undone_by: actor.username, undone_by_id: actor.userId, undo_reason: reason })
      .where("id", "=", batchId)
      .execute();
    const parts = batch!.parts.length > 0 ? batch!.parts : [null];
    for (const part of parts) {
      await trx
        .insertInto("audit_log")
        .values({
          user_id: actor.userId,
          username: actor.username,
          action: "update",
          table_name: "import_batch",
          record_id: String(batchId),
          project_id: part?.projectId ?? null,
          before: JSON.stringify({ status: BATCH_STATUS.standing }),
          after: JSON.stringify({
            status: BATCH_STATUS.undone,
            file_name: batch!.fileName,
            rows: part?.rows ?? 0,
            amount: part?.amount ?? null,
            undo_reason: reason,
            project_name: part?.projectName ?? null,
            unit_id: part?.unitId ?? null,
          }),
        })
        .execute();
    }
    const [undone] = await listImportBatches(trx, { ids: [batchId] });
    return { undone: undone! };
  });
}

/** Locks what the undo removes or restores, so that no correction or new reference slips in between check and write. */
async function lockRows(trx: Transaction<Database>, batch: ImportBatchSummary, rows: BatchRows): Promise<void> {
  if (batch.kind === "payments") {
    if (rows.paymentRange) {
      await sql`SELECT id FROM payment WHERE import_batch_id = ${batch.id} AND id BETWEEN ${rows.paymentRange.from}::bigint AND ${rows.paymentRange.to}::bigint FOR UPDATE`.execute(trx);
    }
    return;
  }
  await sql`SELECT id FROM budget_adjustment WHERE id IN (SELECT record_id FROM import_batch_effect WHERE import_batch_id = ${batch.id} AND table_name = 'budget_adjustment') FOR UPDATE`.execute(trx);
  await sql`SELECT id FROM budget_line WHERE id IN (SELECT record_id FROM import_batch_effect WHERE import_batch_id = ${batch.id} AND table_name = 'budget_line') FOR UPDATE`.execute(trx);
  await sql`SELECT id FROM project WHERE id IN (SELECT record_id FROM import_batch_effect WHERE import_batch_id = ${batch.id} AND table_name = 'project') FOR UPDATE`.execute(trx);
}

/** A budget-lines batch: the lines it changed get their values back; the lines, projects and units it created go. */
async function undoBudgetLines(trx: Transaction<Database>, batchId: number): Promise<void> {
  await sql`UPDATE budget_line l
               SET fund_level = b.fund_level, fund_type = b.fund_type, initial_amount = b.initial_amount, unit_price = b.unit_price,
                   quantity = b.quantity, basis = b.basis, scheduled_months = b.scheduled_months
              FROM import_batch_effect e CROSS JOIN LATERAL jsonb_populate_record(NULL::budget_line, e.before) b
             WHERE e.import_batch_id = ${batchId} AND e.table_name = 'budget_line' AND e.action = 'update' AND l.id = e.record_id`.execute(trx);
  for (const table of ["budget_line", "project"] as const) {
    await sql`DELETE FROM ${sql.table(table)} WHERE id IN (
                SELECT record_id FROM import_batch_effect WHERE import_batch_id = ${batchId} AND table_name = ${table} AND action = 'insert')`.execute(trx);
  }
  // Units one by one, the newest first: a unit the batch created under another one it created goes before it.
  const units = await sql<{ id: number }>`SELECT record_id AS id FROM import_batch_effect WHERE import_batch_id = ${batchId} AND table_name = 'org_unit' ORDER BY record_id DESC`.execute(trx);
  for (const unit of units.rows) await trx.deleteFrom("org_unit").where("id", "=", unit.id).execute();
}
