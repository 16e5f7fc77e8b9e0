import { sql, type Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";
import type { PlainKey } from "../../../messages/index.ts";
import type { ImportKind } from "../rules/columns.ts";
import type { ImportReport } from "../rules/report.ts";
import type { Importer } from "./resolve.ts";

/*
 * Writing what the checks let through: the import batch, then the new staged rows (status NULL; for
 * budget lines also the updated ones) into the ledger, in one statement per table.
 */

/** Budget-line fields a file may leave out: a column absent from the file leaves the stored value alone. */
export const OPTIONAL_LINE_FIELDS: Array<{ key: string; column: string; staged: string; label: PlainKey }> = [
  { key: "unitPrice", column: "unit_price", staged: "s.unit_price", label: "impColUnitPrice" },
  { key: "quantity", column: "quantity", staged: "s.quantity", label: "impColQuantity" },
  { key: "basis", column: "basis", staged: "s.basis", label: "impColBasis" },
  { key: "months", column: "scheduled_months", staged: "s.months::smallint[]", label: "impColMonths" },
];

/** Records the import batch (which the audit trail and 导入记录 name); returns its id. */
export async function insertBatch(trx: Transaction<Database>, report: ImportReport, fileName: string, importer: Importer): Promise<number> {
  const batch = await trx
    .insertInto("import_batch")
    .values({
      file_hash: report.fileHash,
      kind: report.kind,
      file_name: fileName.slice(0, 300),
      user_id: importer.userId,
      username: importer.username,
      rows_read: report.rowsRead,
      rows_added: report.added,
      rows_updated: report.updated,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return batch.id;
}

/**
 * Writes the new staged rows (status NULL; for budget lines also the updated ones) into the ledger.
 * Payments carry their import batch, which the audit trail records once per project (migration 0009);
 * they are written project by project (in file order within a project), so that the payment ids of one
 * project's part of a batch follow each other, as the audit entry's first and last id suggest, and the
 * index entries of a project land next to each other.
 */
export async function writeRows(trx: Transaction<Database>, kind: ImportKind, present: ReadonlySet<string>, batchId: number): Promise<void> {
  if (kind === "payments") {
    await sql`INSERT INTO payment (project_id, budget_line_id, paid_on, kind, person_times, amount, due_on, returned_count, returned_amount, reissued_on, note, import_batch_id,
                                   accepted_on, reviewed_on, approved_on)
              SELECT project_id, line_id, paid_on, kind, person_times, amount, due_on, coalesce(returned_count, 0), coalesce(returned_amount, 0), reissued_on, note, ${batchId}::int,
                     accepted_on, reviewed_on, approved_on
                FROM import_stage WHERE status IS NULL ORDER BY project_id, row_number`.execute(trx);
  } else if (kind === "adjustments") {
    await sql`INSERT INTO budget_adjustment (budget_line_id, adjusted_on, amount, fund_level, reason, document_number)
              SELECT line_id, adjusted_on, amount, fund_level, reason, document_number
                FROM import_stage WHERE status IS NULL ORDER BY row_number`.execute(trx);
  } else {
    const optional = OPTIONAL_LINE_FIELDS.filter((field) => present.has(field.key));
    await sql`UPDATE budget_line l SET fund_level = s.fund_level, fund_type = s.fund_type, initial_amount = s.initial
                     ${sql.join(optional.map((field) => sql`, ${sql.ref(field.column)} = ${sql.raw(field.staged)}`), sql``)}
                FROM import_stage s WHERE s.status = 'updated' AND l.id = s.line_id`.execute(trx);
    await sql`INSERT INTO budget_line (project_id, line_no, composition, item, fund_level, fund_type, initial_amount, unit_price, quantity, basis, scheduled_months)
              SELECT s.project_id,
                     coalesce((SELECT max(line_no) FROM budget_line WHERE project_id = s.project_id), 0)
                       + row_number() OVER (PARTITION BY s.project_id ORDER BY s.row_number),
                     coalesce(s.composition, ''), s.item, s.fund_level, s.fund_type, s.initial, s.unit_price, s.quantity, s.basis, s.months::smallint[]
                FROM import_stage s WHERE s.status IS NULL ORDER BY s.row_number`.execute(trx);
  }
}
