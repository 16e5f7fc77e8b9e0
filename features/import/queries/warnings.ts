import { sql, type Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";
import type { AuditActor } from "../../../db/audit.ts";
import { SLIP_RATIO } from "../../../domain/money.ts";
import { msg, type Message, type PlainKey } from "../../../messages/index.ts";
import type { ImportKind } from "../rules/columns.ts";
import { MAX_LISTED, type ReportBuilder } from "../rules/report.ts";
import { note, withNote } from "./copy.ts";

export { MAX_LISTED } from "../rules/report.ts";

/*
 * The import's warnings: data that is possible but suspicious — 元/万元 slips, dates outside the
 * fiscal year, payments beyond the budget — found set-based in the staged rows (import_stage, see
 * stage.ts) and noted in each row's notes (说明) as well as in the report, as messages. A single payment larger than
 * its project's whole budget for the year is imported only when acknowledged
 * (docs/decisions/012-payment-over-budget.md).
 */

/** An amount this many times its project's median, or this many times smaller, looks like a 元/万元 slip (domain/money.ts). */
const { larger: SLIP_LARGER, smaller: SLIP_SMALLER } = SLIP_RATIO;

/** An amount as a message parameter (the message formats it: {amount:money}). */
const AMOUNT = (amount: ReturnType<typeof sql>) => sql`(${amount})::numeric(18,2)::text`;

/** A ratio as a whole number, as a message parameter ({ratio:int}): 2000.4 → "2000". */
const RATIO = (ratio: ReturnType<typeof sql>) => sql`round(${ratio}, 0)::text`;

/**
 * A project's budget for its whole year, as the execution report (db/execution.ts) has it at 12-31:
 * the initial amounts of its lines and the adjustments dated within the year (调整后预算数; the initial
 * budget when nothing was adjusted).
 */
export const YEAR_BUDGET = (projectId: ReturnType<typeof sql>, year: ReturnType<typeof sql>) => sql`(
    coalesce((SELECT sum(initial_amount) FROM budget_line WHERE project_id = ${projectId}), 0)
  + coalesce((SELECT sum(a.amount) FROM budget_adjustment a JOIN budget_line l ON l.id = a.budget_line_id
               WHERE l.project_id = ${projectId} AND a.adjusted_on <= make_date(${year}, 12, 31)), 0))`;

/** Suspicious but possible data: 元/万元 slips, dates outside the year, payments beyond the budget. */
export async function addWarnings(trx: Transaction<Database>, kind: ImportKind, out: ReportBuilder, projectIds: readonly number[] | null): Promise<void> {
  const amount = sql.ref(kind === "budget-lines" ? "initial" : "amount");
  // The projects whose ledger entries the file's amounts are compared with (a budget-lines file names few).
  const projects = projectIds === null ? sql`(SELECT array_agg(DISTINCT project_id) FROM import_stage)::int[]` : sql`${[...projectIds]}::int[]`;
  // The ledger's entries of the same kind as the file's rows: a file of one row has a scale to be
  // compared with too. Budget lines the file changes count with the file's amount, not the stored one.
  const ledger =
    kind === "payments"
      ? sql`SELECT project_id, amount FROM payment WHERE project_id = ANY(${projects})`
      : kind === "adjustments"
        ? sql`SELECT l.project_id, a.amount FROM budget_adjustment a JOIN budget_line l ON l.id = a.budget_line_id WHERE l.project_id = ANY(${projects})`
        : sql`SELECT l.project_id, l.initial_amount AS amount FROM budget_line l
               WHERE l.project_id = ANY(${projects}) AND NOT EXISTS (SELECT 1 FROM import_stage s WHERE s.line_id = l.id AND s.status = 'updated')`;
  // The file's new (and changed) rows with the ledger's rows of their projects: their median, once per
  // project (MATERIALIZED: as a plain subquery the planner may re-run it per row). Zero amounts (a
  // budget line of 0 初始) have no scale and are left out of both sides. A slip is noted in the row's
  // 说明 as well as in the warnings, with the median and the ratio, so that a reader can check it.
  const slip = sql`CASE WHEN abs(s.${amount}) >= m.median
      THEN ${note("impSlipLarger", { median: AMOUNT(sql`m.median`), ratio: RATIO(sql`abs(s.${amount}) / m.median`) })}
      ELSE ${note("impSlipSmaller", { median: AMOUNT(sql`m.median`), ratio: RATIO(sql`m.median / abs(s.${amount})`) })} END`;
  const slips = await sql<{ row_number: number; message: Message; total: number }>`
    WITH m AS MATERIALIZED (
      SELECT project_id, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY amount)::numeric, 2) AS median
        FROM (SELECT project_id, abs(${amount}) AS amount FROM import_stage
               WHERE (status IS NULL OR status = 'updated') AND ${amount} <> 0
              UNION ALL
              SELECT project_id, abs(amount) FROM (${ledger}) l WHERE amount <> 0) a
       GROUP BY project_id HAVING count(*) >= 3),
    u AS (
      UPDATE import_stage s SET notes = ${withNote(sql`s.notes`, slip)}
        FROM m
       WHERE m.project_id = s.project_id AND (s.status IS NULL OR s.status = 'updated') AND s.${amount} <> 0 AND m.median > 0
         AND (abs(s.${amount}) >= m.median * ${SLIP_LARGER} OR abs(s.${amount}) * ${SLIP_SMALLER} <= m.median)
      RETURNING s.row_number, ${slip} AS message)
    SELECT row_number, message, count(*) OVER ()::int AS total FROM u ORDER BY row_number LIMIT ${MAX_LISTED}`.execute(trx);
  listWarnings(out, slips.rows, "impWhatSlips");
  if (kind !== "budget-lines") {
    const dateColumn = sql.ref(kind === "payments" ? "paid_on" : "adjusted_on");
    const outsideText = note("impOutsideYear", { date: sql`${dateColumn}::text`, year: sql`year` });
    const outside = await sql<{ row_number: number; message: Message; total: number }>`
      WITH u AS (
        UPDATE import_stage SET notes = ${withNote(sql`notes`, outsideText)}
         WHERE status IS NULL AND extract(year FROM ${dateColumn}) <> year
        RETURNING row_number, ${outsideText} AS message)
      SELECT row_number, message, count(*) OVER ()::int AS total FROM u ORDER BY row_number LIMIT ${MAX_LISTED}`.execute(trx);
    listWarnings(out, outside.rows, "impWhatOutside");
  }
  if (kind === "payments") {
    await findPaymentsOverBudget(trx, out);
    await findBackfilledLines(trx, out);
    // The figures of the execution report (db/execution.ts) at the end of the project's year, after
    // the import: each payment counts payment_contribution as of 12-31 of the year (migration 0014,
    // the one SQL definition of domain/execution.ts); the budget is initial + adjustments up to then.
    const beyond = await sql<{ project: string; unit: string; year: number; paid: string; adjusted: string }>`
      WITH touched AS (
        SELECT project_id, unit, project, year,
               sum(payment_contribution(paid_on, amount, returned_amount, reissued_on, make_date(year, 12, 31))) AS importing
          FROM import_stage WHERE status IS NULL GROUP BY project_id, unit, project, year),
      budget AS (
        SELECT t.project_id, ${YEAR_BUDGET(sql`t.project_id`, sql`t.year`)} AS adjusted FROM touched t),
      paid AS (
        SELECT t.project_id,
               coalesce((SELECT sum(payment_contribution(paid_on, amount, returned_amount, reissued_on, make_date(t.year, 12, 31)))
                           FROM payment WHERE project_id = t.project_id), 0) + t.importing AS paid
          FROM touched t)
      SELECT t.project, t.unit, t.year, paid.paid::numeric(18,2)::text AS paid, budget.adjusted::numeric(18,2)::text AS adjusted
        FROM touched t JOIN budget USING (project_id) JOIN paid USING (project_id)
       WHERE paid.paid > budget.adjusted`.execute(trx);
    for (const row of beyond.rows) {
      out.addWarning(0, null, msg("impOverspent", { year: row.year, unit: row.unit, project: row.project, paid: row.paid, adjusted: row.adjusted }));
    }
  }
}

/**
 * Payments dated before a line's latest payment already in the ledger (the file fills in months the
 * ledger has passed): where the ledger holds the year as one total (the demo's 2022–2023 lines, dated 12-31),
 * monthly payments added beside it count the year twice. A row without 项目明细 is compared with all of its
 * project's payments, a row with one with that line's and the project's unassigned ones. One warning per line
 * (a line is of one year), at the file's first row for it, with the ledger's payments to compare; a monthly
 * file that continues the ledger (from its latest day on) says nothing.
 */
async function findBackfilledLines(trx: Transaction<Database>, out: ReportBuilder): Promise<void> {
  const { rows } = await sql<{ row_number: number; message: Message; total: number }>`
    WITH f AS (
      SELECT project_id, line_id, min(row_number) AS row_number, min(unit) AS unit, min(project) AS project, min(item) AS item,
             min(year) AS year, min(paid_on) AS first_on, count(*) AS payments, sum(amount) AS amount
        FROM import_stage WHERE status IS NULL AND project_id IS NOT NULL GROUP BY project_id, line_id),
    e AS (
      SELECT f.project_id, f.line_id, max(p.paid_on) AS latest, count(*) AS payments, sum(p.amount) AS amount
        FROM f JOIN payment p ON p.project_id = f.project_id
                                AND (f.line_id IS NULL OR p.budget_line_id IS NULL OR p.budget_line_id = f.line_id)
       GROUP BY f.project_id, f.line_id)
    SELECT f.row_number,
           ${note("impBackfill", {
             year: sql`f.year`,
             unit: sql`f.unit`,
             project: sql`f.project`,
             item: sql`coalesce(f.item, '')`,
             rows: sql`f.payments::text`,
             amount: AMOUNT(sql`f.amount`),
             first: sql`f.first_on::text`,
             latest: sql`e.latest::text`,
             payments: sql`e.payments::text`,
             existing: AMOUNT(sql`e.amount`),
           })} AS message,
           count(*) OVER ()::int AS total
      FROM f JOIN e ON e.project_id = f.project_id AND e.line_id IS NOT DISTINCT FROM f.line_id
     WHERE f.first_on < e.latest
     ORDER BY f.row_number LIMIT ${MAX_LISTED}`.execute(trx);
  listWarnings(out, rows, "impWhatBackfill");
}

/**
 * New payments each larger than its project's whole budget for the year: marked in the staged rows
 * (over_budget holds the budget), noted in the row's 说明 and listed in report.overBudget, which the
 * import page and the CLI show apart from the other warnings and ask to be acknowledged.
 */
async function findPaymentsOverBudget(trx: Transaction<Database>, out: ReportBuilder): Promise<void> {
  const over = note("impOverBudgetRow", { amount: AMOUNT(sql`s.amount`), year: sql`s.year`, budget: AMOUNT(sql`b.budget`) });
  const { rows } = await sql<{ row_number: number; unit: string; project: string; year: number; amount: string; budget: string; total: number }>`
    WITH b AS MATERIALIZED (
      SELECT t.project_id, ${YEAR_BUDGET(sql`t.project_id`, sql`t.year`)}::numeric(18,2) AS budget
        FROM (SELECT DISTINCT project_id, year FROM import_stage WHERE status IS NULL) t),
    u AS (
      UPDATE import_stage s SET over_budget = b.budget, notes = ${withNote(sql`s.notes`, over)}
        FROM b WHERE b.project_id = s.project_id AND s.status IS NULL AND s.amount > b.budget
      RETURNING s.row_number, s.unit, s.project, s.year, s.amount::text AS amount, b.budget::text AS budget)
    SELECT *, count(*) OVER ()::int AS total FROM u ORDER BY row_number LIMIT ${MAX_LISTED}`.execute(trx);
  const report = out.report;
  report.overBudget = rows.map((row) => ({ rowNumber: row.row_number, unit: row.unit, project: row.project, year: row.year, amount: row.amount, budget: row.budget }));
  report.overBudgetCount = rows[0]?.total ?? 0;
}

/**
 * Records in the audit trail that the importer acknowledged the over-budget payments of a batch: one
 * entry per project, beside the batch's own (migration 0009), with the rows (the first 20 named). The
 * status and the note are messages (code and parameters), so that the history shows them in either
 * language; entries written before hold their Chinese text.
 */
export async function recordOverBudgetAcknowledgement(trx: Transaction<Database>, actor: AuditActor, batchId: number, fileName: string): Promise<void> {
  const status: Message = msg("impObAckStatus");
  // Amounts grouped here (the history fills the text in without formatting): 50,000,000.00.
  const grouped = (amount: ReturnType<typeof sql>) => sql`to_char(${amount}, 'FM9,999,999,999,999,990.00')`;
  const row = note("impObAckRow", { row: sql`row_number`, amount: grouped(sql`amount`), year: sql`year`, budget: grouped(sql`over_budget`) });
  await sql`
    INSERT INTO audit_log (user_id, username, action, table_name, record_id, project_id, before, after)
    SELECT ${actor.userId}::int, ${actor.username}, 'update', 'import_batch', ${String(batchId)}, project_id, NULL,
           jsonb_build_object(
             'status', ${JSON.stringify(status)}::jsonb,
             'file_name', ${fileName}::text,
             'rows', count(*),
             'note', jsonb_agg(row_note ORDER BY row_number) FILTER (WHERE rank <= 20)
                     || CASE WHEN count(*) > 20 THEN jsonb_build_array(${note("impObAckMore", { count: sql`count(*)` })}) ELSE '[]'::jsonb END)
      FROM (SELECT project_id, row_number, row_number() OVER (PARTITION BY project_id ORDER BY row_number) AS rank, ${row} AS row_note
              FROM import_stage WHERE status IS NULL AND over_budget IS NOT NULL) r
     GROUP BY project_id`.execute(trx);
}

/** Rows' warnings, the first MAX_LISTED of them (each row's notes have their own), and how many more ("……另有 N 行…"). */
export function listWarnings(out: ReportBuilder, rows: ReadonlyArray<{ row_number: number; message: Message; total: number }>, what: PlainKey): void {
  for (const row of rows) out.addWarning(row.row_number, null, row.message);
  const more = (rows[0]?.total ?? 0) - rows.length;
  if (more > 0) out.addWarning(0, null, msg("impMoreRows", { count: more, what: msg(what) }));
}
