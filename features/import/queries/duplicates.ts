import { sql, type Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";
import type { Message } from "../../../messages/index.ts";
import type { ImportKind } from "../rules/columns.ts";
import { MAX_LISTED, type ReportBuilder } from "../rules/report.ts";
import { note } from "./copy.ts";
import { listWarnings } from "./warnings.ts";
import { OPTIONAL_LINE_FIELDS } from "./write.ts";

/*
 * Duplicates and rows already in the ledger, found set-based in import_stage: a row repeating an
 * earlier one of the file is skipped; a row the ledger has is unchanged (or, for a payment with other
 * bounce figures, an error); a budget line the ledger has with other figures is updated, each change noted.
 */

/**
 * A payment's 备注 as its natural key takes it: without white space, so that a line break typed with
 * Alt+Enter, or spaces a program adds or drops, do not make a payment already in the ledger a second
 * one; an empty note is none. The in-file hash (stage.ts, noteKey) takes it the same way.
 */
const NOTE_KEY = (column: ReturnType<typeof sql.ref>) => sql`nullif(regexp_replace(${column}, '[[:space:]\u3000]+', '', 'g'), '')`;

function naturalKey(kind: ImportKind) {
  // NULLs are alike here (PARTITION BY), as in the ledger match (IS NOT DISTINCT FROM).
  if (kind === "payments") return sql`project_id, line_id, paid_on, kind, amount, person_times, ${NOTE_KEY(sql.ref("note"))}`;
  if (kind === "adjustments") return sql`line_id, adjusted_on, amount, fund_level, reason`;
  return sql`project_id, coalesce(composition, ''), item`;
}

/** Duplicates inside the file: the first one counts, the others are skipped and each named in a warning. */
export async function skipDuplicates(trx: Transaction<Database>, kind: ImportKind, out: ReportBuilder): Promise<void> {
  const duplicate = note("impDuplicateOf", { row: sql`d.first_row` });
  const { rows: skipped } = await sql<{ row_number: number; message: Message; total: number }>`
    WITH u AS (
      UPDATE import_stage s SET status = 'duplicate', notes = jsonb_build_array(${duplicate})
        FROM (SELECT row_number, first_row
                FROM (SELECT row_number, min(row_number) OVER (PARTITION BY ${naturalKey(kind)}) AS first_row FROM import_stage WHERE status IS NULL) w
               WHERE first_row <> row_number) d
       WHERE d.row_number = s.row_number
      RETURNING s.row_number, s.notes->0 AS message)
    SELECT row_number, message, count(*) OVER ()::int AS total FROM u ORDER BY row_number LIMIT ${MAX_LISTED}`.execute(trx);
  // Each skipped row is named, so that a genuine payment taken for a duplicate does not go unseen.
  listWarnings(out, skipped, "impWhatDuplicates");
}

/** Rows already in the ledger: unchanged (re-importing a file changes nothing); budget lines with other figures: updated. */
export async function matchLedger(trx: Transaction<Database>, kind: ImportKind, present: ReadonlySet<string>, projectIds: readonly number[], out: ReportBuilder): Promise<void> {
  const unchanged = sql`jsonb_build_array(${note("impUnchanged")})`;
  if (kind === "payments") {
    // The same payment with other bounce or re-issue figures is an error: not silently skipped, not doubled.
    const matched = await sql<{ row_number: number; status: string; message: Message }>`
      WITH existing AS MATERIALIZED (
        -- The ledger's payments of the projects in the file, first (often none: then nothing else is read).
        SELECT * FROM payment WHERE project_id = ANY(${[...projectIds]}::int[])),
      m AS (
        SELECT s.row_number,
               bool_or(p.returned_count = coalesce(s.returned_count, 0) AND p.returned_amount = coalesce(s.returned_amount, 0)
                       AND p.reissued_on IS NOT DISTINCT FROM s.reissued_on) AS same
          FROM existing p
          JOIN import_stage s ON p.project_id = s.project_id AND p.budget_line_id IS NOT DISTINCT FROM s.line_id
                             AND p.paid_on = s.paid_on AND p.kind = s.kind AND p.amount = s.amount
                             AND p.person_times IS NOT DISTINCT FROM s.person_times AND ${NOTE_KEY(sql.ref("p.note"))} IS NOT DISTINCT FROM ${NOTE_KEY(sql.ref("s.note"))}
         WHERE s.status IS NULL
         GROUP BY s.row_number)
      UPDATE import_stage s
         SET status = CASE WHEN m.same THEN 'unchanged' ELSE 'error' END,
             notes = CASE WHEN m.same THEN ${unchanged} ELSE jsonb_build_array(${note("impBounceDiffers")}) END
        FROM m WHERE m.row_number = s.row_number
      RETURNING s.row_number, s.status, s.notes->0 AS message`.execute(trx);
    for (const row of matched.rows.filter((r) => r.status === "error").sort((a, b) => a.row_number - b.row_number)) {
      out.addError({ rowNumber: row.row_number, column: "退回金额", message: row.message });
    }
    // A new row that is a ledger payment in every key field but its 备注: either a second payment that
    // day (two transfers of the same amount) or the same payment with its 备注 corrected, which would
    // book it twice. It stays new, but is named in a warning, so that the dry run shows it.
    const near = note("impNearDuplicate", { note: sql`coalesce(n.note, '')` });
    const nearRows = await sql<{ row_number: number; message: Message; total: number }>`
      WITH existing AS MATERIALIZED (
        SELECT project_id, budget_line_id, paid_on, kind, amount, person_times, note FROM payment WHERE project_id = ANY(${[...projectIds]}::int[])),
      n AS (
        SELECT DISTINCT ON (s.row_number) s.row_number, p.note
          FROM existing p
          JOIN import_stage s ON p.project_id = s.project_id AND p.budget_line_id IS NOT DISTINCT FROM s.line_id
                             AND p.paid_on = s.paid_on AND p.kind = s.kind AND p.amount = s.amount
                             AND p.person_times IS NOT DISTINCT FROM s.person_times
         WHERE s.status IS NULL
         ORDER BY s.row_number, p.note),
      u AS (
        UPDATE import_stage s SET notes = jsonb_build_array(${near})
          FROM n WHERE n.row_number = s.row_number
        RETURNING s.row_number, s.notes->0 AS message)
      SELECT row_number, message, count(*) OVER ()::int AS total FROM u ORDER BY row_number LIMIT ${MAX_LISTED}`.execute(trx);
    listWarnings(out, nearRows.rows, "impWhatNear");
  } else if (kind === "adjustments") {
    await sql`UPDATE import_stage s SET status = 'unchanged', notes = ${unchanged}
              FROM budget_adjustment a
              WHERE s.status IS NULL AND a.budget_line_id = s.line_id AND a.adjusted_on = s.adjusted_on
                AND a.amount = s.amount AND a.fund_level = s.fund_level AND a.reason = s.reason`.execute(trx);
  } else {
    // Only the columns the file has are compared (and later written); each change is listed.
    const optional = OPTIONAL_LINE_FIELDS.filter((field) => present.has(field.key));
    const change = (label: Parameters<typeof note>[0], before: ReturnType<typeof sql>, after: ReturnType<typeof sql>) =>
      note("impChange", { field: note(label), before, after });
    const changes = [
      sql`CASE WHEN l.initial_amount <> s.initial THEN ${change("impColInitial", sql`l.initial_amount::text`, sql`s.initial::text`)} END`,
      sql`CASE WHEN l.fund_level <> s.fund_level THEN ${change("impColFundLevel", sql`l.fund_level`, sql`s.fund_level`)} END`,
      sql`CASE WHEN l.fund_type <> s.fund_type THEN ${change("impColFundType", sql`l.fund_type`, sql`s.fund_type`)} END`,
      ...optional.map(
        (field) => sql`CASE WHEN l.${sql.ref(field.column)} IS DISTINCT FROM ${sql.raw(field.staged)}
                       THEN ${change(field.label, sql`coalesce(l.${sql.ref(field.column)}::text, '')`, sql`coalesce(${sql.raw(field.staged)}::text, '')`)} END`,
      ),
    ];
    await sql`UPDATE import_stage s SET notes = nullif(to_jsonb(array_remove(ARRAY[${sql.join(changes)}]::jsonb[], NULL)), '[]'::jsonb)
              FROM budget_line l WHERE s.status IS NULL AND l.id = s.line_id`.execute(trx);
    await sql`UPDATE import_stage s SET status = CASE WHEN notes IS NULL THEN 'unchanged' ELSE 'updated' END
              WHERE s.status IS NULL AND s.line_id IS NOT NULL`.execute(trx);
  }
}
