import { sql, type Transaction } from "kysely";
import { poolOf, type DB } from "../../../db/pool.ts";
import type { Database } from "../../../db/schema.ts";
import { setActor } from "../../../db/audit.ts";
import { localTime } from "../../../db/time.ts";
import { takeLedgerTurn } from "../../../db/ledger-lock.ts";
import { msg, type Message } from "../../../messages/index.ts";
import type pg from "pg";
import { ImportFormatError, mapHeaders, type HeaderMapping, type ImportKind } from "../rules/columns.ts";
import { overBudgetKey } from "../rules/over-budget.ts";
import { MAX_LISTED, ReportBuilder, type ImportReport, type RowStatus } from "../rules/report.ts";
import { onConnection } from "./copy.ts";
import { matchLedger, skipDuplicates } from "./duplicates.ts";
import { KeyResolver, resolveBudgetLines, type Importer } from "./resolve.ts";
import { checkTotals, stageRows, type ImportSource } from "./stage.ts";
import { addWarnings, recordOverBudgetAcknowledgement } from "./warnings.ts";
import { insertBatch, writeRows } from "./write.ts";

export type { Importer } from "./resolve.ts";
export type { ImportSource } from "./stage.ts";
export type { ImportReport, OverBudgetPayment, ReportRow, RowStatus } from "../rules/report.ts";

/*
 * One import, dry run or for real, in one transaction on one connection: rows are parsed and checked
 * as they stream from the file and copied into a temporary table (stage.ts), with their unit, project
 * and line looked up once per distinct name (resolve.ts); duplicates and rows already in the ledger are
 * found set-based (duplicates.ts), suspicious data noted (warnings.ts); everything is written at once
 * (write.ts) — or not at all.
 */

export interface ImportOptions {
  kind: ImportKind;
  source: ImportSource;
  fileHash: string;
  fileName: string;
  importer: Importer;
  commit: boolean;
  /**
   * The importer has checked the payments larger than their project's whole budget for the year
   * (report.overBudget) and imports them all the same; without it such a file is not committed.
   */
  acceptOverBudget?: boolean;
  /**
   * What the user saw when they ticked it (overBudgetKey of the dry run's report): if the commit finds a
   * different list (a budget changed meanwhile), it is refused like an unacknowledged one. The CLI omits it.
   */
  overBudgetSeen?: string;
  /** Told the milliseconds of each phase (read, resolve, write, commit): for the benchmark. */
  onPhase?: (phase: "read" | "resolve" | "write" | "commit", milliseconds: number) => void;
}

/** Thrown to roll a dry run (or a refused import) back after its report is complete. */
class Rollback extends Error {
  constructor() {
    super("rollback");
  }
}

/**
 * Checks a file and, when asked and when every row is valid, imports it in one transaction.
 * Throws an ImportFormatError (with its message) for a file-level problem (missing columns).
 */
export async function runImport(db: DB, options: ImportOptions): Promise<ImportReport> {
  const { kind, source, fileHash, importer } = options;
  const mapping = mapHeaders(kind, source.headers);
  const out = new ReportBuilder(kind, fileHash);
  for (const header of mapping.ignored) out.addWarning(0, header, msg("impUnrecognisedColumn", { header }));
  const report = out.report;

  // An undone batch (撤销导入) does not count: its file, corrected or not, may come in again.
  const previous = await standingBatch(db, fileHash, kind);
  if (previous) {
    alreadyImported(out, previous);
    return out.finish();
  }

  let phaseStart = performance.now();
  const phase = (name: "read" | "resolve" | "write" | "commit") => {
    const now = performance.now();
    options.onPhase?.(name, now - phaseStart);
    phaseStart = now;
  };
  // One connection for the whole transaction: the rows are copied on it, the SQL runs on it.
  const client = await poolOf(db).connect();
  let broken: Error | undefined;
  try {
    await onConnection(client).transaction().execute(async (trx) => {
      await setActor(trx, importer);
      if (options.commit) {
        // Committing imports take turns, from before their first check to their commit: a second
        // import of the same rows (or of the same file) sees the first one's rows and batch.
        await takeLedgerTurn(trx);
        const earlier = await standingBatch(trx, fileHash, kind);
        if (earlier) {
          alreadyImported(out, earlier);
          throw new Rollback();
        }
      }
      await importRows(trx, client, options, mapping, out, phase);
    });
    if (report.committed) phase("commit");
  } catch (error) {
    if (!(error instanceof Rollback)) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  } finally {
    // A connection left mid-COPY by an error is closed rather than returned to the pool.
    client.release(broken !== undefined && !(broken instanceof ImportFormatError) ? broken : undefined);
  }
  return out.finish();
}

/**
 * The import's work inside a transaction held on `client`: stage, check and classify the rows, then —
 * when asked, with no errors and the over-budget payments acknowledged — write them with their batch
 * (report.committed). Throws Rollback when nothing is to be written.
 */
async function importRows(
  trx: Transaction<Database>,
  client: pg.PoolClient,
  options: ImportOptions,
  mapping: HeaderMapping,
  out: ReportBuilder,
  phase: (name: "read" | "resolve" | "write" | "commit") => void,
): Promise<void> {
  const { kind, source, importer } = options;
  const report = out.report;
  // Sorts and hashes over 100,000s of staged rows stay in memory (this transaction only).
  await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
  const keys = kind === "budget-lines" ? null : new KeyResolver(kind, importer);
  const { totals, maybeDuplicates } = await stageRows(trx, client, kind, mapping, source, out, keys);
  phase("read");
  await checkTotals(trx, kind, totals, mapping, out);
  const present = new Set(mapping.columns.map((column) => column.spec.key));
  await classify(trx, kind, importer, out, present, keys, maybeDuplicates);
  phase("resolve");
  if (out.hasErrors || !options.commit) throw new Rollback();
  const seenOther = options.overBudgetSeen !== undefined && options.overBudgetSeen !== overBudgetKey(report.overBudgetCount, report.overBudget);
  if (report.overBudgetCount > 0 && (!options.acceptOverBudget || seenOther)) {
    report.overBudgetRefused = true;
    throw new Rollback();
  }
  try {
    const batchId = await insertBatch(trx, report, options.fileName, importer);
    await writeRows(trx, kind, present, batchId);
    if (report.overBudgetCount > 0) await recordOverBudgetAcknowledgement(trx, importer, batchId, options.fileName.slice(0, 300));
    phase("write");
  } catch (error) {
    // A rule the checks above missed: the database refuses, the transaction rolls back, the person learns why.
    const code = (error as { code?: string }).code ?? "";
    if (!code.startsWith("23")) throw error;
    throw new ImportFormatError(msg("impDbRefused", { reason: (error as Error).message }));
  }
  report.committed = true;
}

/**
 * Imports rows inside a transaction the caller holds on `client` (the demo seed, db/seed.ts): written
 * with the caller's other work or not at all, as `options.importer`, through the same checks as any
 * file. Returns the report; report.committed is false when the rows were refused (nothing written).
 */
export async function importWithin(trx: Transaction<Database>, client: pg.PoolClient, options: Omit<ImportOptions, "commit" | "onPhase">): Promise<ImportReport> {
  const mapping = mapHeaders(options.kind, options.source.headers);
  const out = new ReportBuilder(options.kind, options.fileHash);
  await setActor(trx, options.importer);
  try {
    await importRows(trx, client, { ...options, commit: true }, mapping, out, () => {});
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  // The staging table would go with the caller's commit; the next import of the transaction makes its own.
  await sql`DROP TABLE IF EXISTS import_stage`.execute(trx);
  return out.finish();
}

/** The standing (not undone) batch of a file and kind, if any. */
function standingBatch(db: DB | Transaction<Database>, fileHash: string, kind: ImportKind) {
  return db.selectFrom("import_batch").select([localTime("imported_at").as("importedAt"), "username"]).where("file_hash", "=", fileHash).where("kind", "=", kind).where("undone_at", "is", null).executeTakeFirst();
}

function alreadyImported(out: ReportBuilder, previous: { importedAt: string; username: string }): void {
  out.report.alreadyImported = true;
  out.addWarning(0, null, msg("impAlreadyImportedBy", { at: previous.importedAt, user: previous.username }));
}

/**
 * Resolves units, projects and lines into import_stage and marks rows as error, duplicate, unchanged or
 * updated (a row left with status NULL is new); adds the warnings; counts the rows and lists them for the grid.
 */
async function classify(
  trx: Transaction<Database>,
  kind: ImportKind,
  importer: Importer,
  out: ReportBuilder,
  present: ReadonlySet<string>,
  keys: KeyResolver | null,
  maybeDuplicates: boolean,
): Promise<void> {
  if (kind === "budget-lines") await resolveBudgetLines(trx, importer, out);
  // Statistics for the columns the next statements join and filter on (all columns would cost more).
  await sql`ANALYZE import_stage (row_number, project_id, line_id, status)`.execute(trx);
  // Duplicates inside the file: searched for only when two rows may share a key.
  if (maybeDuplicates) await skipDuplicates(trx, kind, out);
  await matchLedger(trx, kind, present, keys?.projectIds() ?? [], out);
  await addWarnings(trx, kind, out, keys?.projectIds() ?? null);

  const report = out.report;
  const counts = await sql<{ status: string; n: number }>`SELECT coalesce(status, 'new') AS status, count(*)::int AS n FROM import_stage GROUP BY 1`.execute(trx);
  for (const { status, n } of counts.rows) {
    if (status === "new") report.added = n;
    if (status === "updated") report.updated = n;
    if (status === "unchanged") report.unchanged = n;
    if (status === "duplicate") report.duplicates = n;
  }
  // The dry run shows what identifies a row to its reader: the date (and for payments the kind and 人次) besides the amount.
  const extra =
    kind === "payments"
      ? sql`paid_on::text AS date, kind AS payment_kind, person_times`
      : kind === "adjustments"
        ? sql`adjusted_on::text AS date, NULL::text AS payment_kind, NULL::int AS person_times`
        : sql`NULL::text AS date, NULL::text AS payment_kind, NULL::int AS person_times`;
  const listed = await sql<{
    row_number: number;
    status: RowStatus;
    year: number | null;
    unit: string;
    project: string;
    item: string | null;
    amount: string;
    date: string | null;
    payment_kind: "batch" | "transfer" | null;
    person_times: number | null;
    notes: Message[] | null;
  }>`
    SELECT row_number, coalesce(status, 'new') AS status, year, unit, project, item, ${sql.ref(kind === "budget-lines" ? "initial" : "amount")}::text AS amount, ${extra}, notes
      FROM import_stage
     WHERE row_number IN (SELECT row_number FROM import_stage ORDER BY row_number LIMIT ${MAX_LISTED}) OR notes IS NOT NULL
     ORDER BY row_number LIMIT ${MAX_LISTED * 2}`.execute(trx);
  for (const row of listed.rows) {
    const notes = (row.notes ?? []).map((message) => ({ column: null, message }));
    report.rows.push({
      rowNumber: row.row_number,
      status: row.status,
      year: row.year,
      unit: row.unit,
      project: row.project,
      item: row.item ?? "",
      amount: row.amount,
      date: row.date,
      paymentKind: row.payment_kind,
      personTimes: row.person_times,
      notes,
    });
  }
}
