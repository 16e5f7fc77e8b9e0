import { sql, type Transaction } from "kysely";
import type { DB } from "../../../db/pool.ts";
import type { Database } from "../../../db/schema.ts";
import { localTime } from "../../../db/time.ts";

/* 导入记录: the import batches, with each one's projects, units, rows and amount (undo.ts undoes them). */

/** One project's part of an import batch: rows and their amount (payments, adjustments, lines' initial budget). */
export interface BatchPart {
  projectId: number | null;
  projectName: string;
  fiscalYear: number | null;
  unitId: number | null;
  unitName: string;
  rows: number;
  amount: string | null;
}

/** An import batch as 导入记录 lists it. */
export interface ImportBatchSummary {
  id: number;
  kind: "budget-lines" | "adjustments" | "payments";
  fileName: string;
  userId: number | null;
  username: string;
  importedAt: string;
  rowsRead: number;
  rowsAdded: number;
  rowsUpdated: number;
  effectsRecorded: boolean;
  undoneAt: string | null;
  undoneBy: string | null;
  undoReason: string | null;
  parts: BatchPart[];
  /** The units of the batch's projects: whose batch it is. */
  unitIds: number[];
}


/** The newest import batches (at most `limit`), or the ones asked for, with their projects and units. */
export async function listImportBatches(db: DB | Transaction<Database>, options: { ids?: readonly number[]; limit?: number; beforeId?: number } = {}): Promise<ImportBatchSummary[]> {
  let query = db
    .selectFrom("import_batch")
    .select([
      "id",
      "kind",
      "file_name as fileName",
      "user_id as userId",
      "username",
      localTime("imported_at").as("importedAt"),
      "rows_read as rowsRead",
      "rows_added as rowsAdded",
      "rows_updated as rowsUpdated",
      "effects_recorded as effectsRecorded",
      sql<string | null>`CASE WHEN undone_at IS NULL THEN NULL ELSE ${localTime("undone_at")} END`.as("undoneAt"),
      "undone_by as undoneBy",
      "undo_reason as undoReason",
    ])
    .orderBy("id", "desc")
    .limit(options.limit ?? 200);
  if (options.ids) query = query.where("id", "in", options.ids.length > 0 ? [...options.ids] : [-1]);
  if (options.beforeId !== undefined) query = query.where("id", "<", options.beforeId);
  const batches = await query.execute();
  const parts = await batchParts(db, batches.map((batch) => batch.id));
  return batches.map((batch) => {
    const own = parts.get(batch.id) ?? [];
    const unitIds = [...new Set(own.map((part) => part.unitId).filter((unitId): unitId is number => unitId !== null))];
    return { ...batch, parts: own, unitIds };
  });
}

/**
 * The newest `limit` batches that `visible` lets a user see, newest first: read page by page, so that other
 * units' batches (filtered out) never crowd a user's own out of the list; at most `scan` batches are read.
 */
export async function listVisibleBatches(
  db: DB,
  visible: (batch: ImportBatchSummary) => boolean,
  options: { limit?: number; scan?: number; page?: number } = {},
): Promise<ImportBatchSummary[]> {
  const limit = options.limit ?? 200;
  const pageSize = options.page ?? 500;
  const scan = options.scan ?? 20_000;
  const found: ImportBatchSummary[] = [];
  let beforeId: number | undefined;
  for (let read = 0; found.length < limit && read < scan; ) {
    const page = await listImportBatches(db, { limit: pageSize, beforeId });
    if (page.length === 0) break;
    read += page.length;
    found.push(...page.filter(visible));
    beforeId = page.at(-1)!.id;
  }
  return found.slice(0, limit);
}

/**
 * Each batch's projects with rows and amount: a payments import from its own audit entries (one per
 * batch and project, migration 0009); an adjustments or budget-lines import from what it recorded while
 * it stands, from the undo's audit entries once undone (a project it created is gone by then).
 */
async function batchParts(db: DB | Transaction<Database>, batchIds: readonly number[]): Promise<Map<number, BatchPart[]>> {
  const byBatch = new Map<number, BatchPart[]>();
  if (batchIds.length === 0) return byBatch;
  const ids = sql`${[...batchIds]}::int[]`;
  const result = await sql<{ batch_id: number; project_id: number | null; project_name: string | null; fiscal_year: number | null; unit_id: number | null; unit_name: string | null; rows: number; amount: string | null }>`
    WITH b AS (SELECT id, kind, undone_at FROM import_batch WHERE id = ANY(${ids})),
    parts AS (
      SELECT b.id AS batch_id, a.project_id, (a.after->>'rows')::int AS rows, (a.after->>'amount')::numeric AS amount,
             NULL::int AS unit_id, NULL::text AS project_name
        FROM b JOIN audit_log a ON a.table_name = 'import_batch' AND a.record_id = b.id::text AND a.action = 'insert'
       WHERE b.kind = 'payments'
      UNION ALL
      SELECT b.id, a.project_id, (a.after->>'rows')::int, (a.after->>'amount')::numeric, (a.after->>'unit_id')::int, a.after->>'project_name'
        FROM b JOIN audit_log a ON a.table_name = 'import_batch' AND a.record_id = b.id::text AND a.action = 'update'
       WHERE b.kind <> 'payments' AND b.undone_at IS NOT NULL
      UNION ALL
      SELECT b.id, l.project_id, count(*)::int, sum(ad.amount), NULL, NULL
        FROM b JOIN import_batch_effect e ON e.import_batch_id = b.id AND e.table_name = 'budget_adjustment'
        JOIN budget_adjustment ad ON ad.id = e.record_id JOIN budget_line l ON l.id = ad.budget_line_id
       WHERE b.undone_at IS NULL GROUP BY b.id, l.project_id
      UNION ALL
      SELECT b.id, l.project_id, count(*)::int, sum(l.initial_amount), NULL, NULL
        FROM b JOIN import_batch_effect e ON e.import_batch_id = b.id AND e.table_name = 'budget_line'
        JOIN budget_line l ON l.id = e.record_id
       WHERE b.undone_at IS NULL GROUP BY b.id, l.project_id)
    SELECT parts.batch_id, parts.project_id, coalesce(p.name, parts.project_name) AS project_name, p.fiscal_year,
           coalesce(p.unit_id, parts.unit_id) AS unit_id, u.name AS unit_name, parts.rows, parts.amount::numeric(18,2)::text AS amount
      FROM parts LEFT JOIN project p ON p.id = parts.project_id LEFT JOIN org_unit u ON u.id = coalesce(p.unit_id, parts.unit_id)
     ORDER BY parts.batch_id, u.name, p.fiscal_year, project_name`.execute(db);
  for (const row of result.rows) {
    const list = byBatch.get(row.batch_id) ?? [];
    list.push({ projectId: row.project_id, projectName: row.project_name ?? "", fiscalYear: row.fiscal_year, unitId: row.unit_id, unitName: row.unit_name ?? "", rows: row.rows, amount: row.amount });
    byBatch.set(row.batch_id, list);
  }
  return byBatch;
}
