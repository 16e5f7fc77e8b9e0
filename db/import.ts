import { Kysely, PostgresDialect, sql, type Transaction } from "kysely";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { once } from "node:events";
import { poolOf, type DB } from "./pool.ts";
import type { Database } from "./schema.ts";
import { setActor, type AuditActor } from "./audit.ts";
import { ImportFormatError, mapHeaders, type HeaderMapping, type ImportKind } from "../domain/import/columns.ts";
import { rowReader, type BudgetLineRow, type AdjustmentRow, type PaymentRow, type RowProblem, type TotalRow } from "../domain/import/rows.ts";
import { money, toAmountString } from "../domain/money.ts";
import { localTime } from "./time.ts";
import { takeLedgerTurn } from "./ledger-lock.ts";
import { overBudgetKey } from "../domain/import/over-budget.ts";
import { addWarnings, listWarnings, MAX_LISTED, recordOverBudgetAcknowledgement } from "./import-warnings.ts";

/*
 * One import, dry run or for real, in one transaction on one connection: rows are parsed and checked
 * as they stream from the file and copied (COPY FROM STDIN) into a temporary table, with their unit,
 * project and line looked up once per distinct name; duplicates and rows already in the ledger are
 * found set-based; everything is written at once — or not at all.
 */

/** The rows of a file as the file layer (files/read-table.ts) gives them. */
export interface ImportSource {
  headers: string[];
  rows: AsyncIterable<{ rowNumber: number; cells: string[] }>;
}

/** Who imports: the audit actor, and the units they may write to (null: all, as for the CLI). */
export interface Importer extends AuditActor {
  unitSubtree: readonly number[] | null;
  /** Where new units of a budget-lines file go when it names no 上级单位. */
  defaultParentUnitId: number | null;
}

export type RowStatus = "new" | "updated" | "unchanged" | "duplicate" | "error" | "total";

export interface ImportReport {
  kind: ImportKind;
  fileHash: string;
  /** Data rows read (合计 rows included). */
  rowsRead: number;
  added: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  errors: RowProblem[];
  /** Errors beyond the first MAX_LISTED are counted here. */
  moreErrors: number;
  /**
   * Rows with at least one error (a row may have several: one per bad cell), listed or not; a
   * file-level error (row 0, as for an empty file) counts as one. errors.length + moreErrors counts messages.
   */
  errorRows: number;
  warnings: RowProblem[];
  newUnits: string[];
  newProjects: string[];
  /** The status of each row, for the dry-run grid (the first MAX_LISTED rows, and every row with a message). */
  rows: Array<{ rowNumber: number; status: RowStatus; unit: string; project: string; item: string; amount: string; message: string }>;
  /**
   * New payments each larger than its project's whole adjusted budget for the year (the first
   * MAX_LISTED; overBudgetCount counts them all): imported only when acknowledged (acceptOverBudget).
   */
  overBudget: OverBudgetPayment[];
  overBudgetCount: number;
  /** The commit was refused because over-budget payments were not acknowledged: nothing was written. */
  overBudgetRefused: boolean;
  /** The same file (by content) was imported before and stands (not undone): nothing was done. */
  alreadyImported: boolean;
  committed: boolean;
}

/** A payment row larger than its project's adjusted budget for the year (decision 012); amounts in 元. */
export interface OverBudgetPayment {
  rowNumber: number;
  unit: string;
  project: string;
  year: number;
  amount: string;
  /** 调整后预算数 at the end of the year (the initial budget when nothing was adjusted). */
  budget: string;
}

/** COPY data is sent in pieces of about this many characters. */
const COPY_CHUNK = 256 * 1024;

/** What a kind stages per row: column name → SQL type. */
const STAGE_COLUMNS: Record<ImportKind, Array<[string, string]>> = {
  "budget-lines": [
    ["year", "int"], ["unit", "text"], ["project", "text"], ["composition", "text"], ["item", "text"], ["fund_level", "text"],
    ["fund_type", "text"], ["initial", "numeric"], ["unit_price", "numeric"], ["quantity", "numeric"], ["basis", "text"],
    ["months", "text"], ["parent", "text"],
  ],
  adjustments: [
    ["year", "int"], ["unit", "text"], ["project", "text"], ["item", "text"], ["adjusted_on", "date"], ["amount", "numeric"],
    ["fund_level", "text"], ["reason", "text"], ["document_number", "text"],
  ],
  payments: [
    ["year", "int"], ["unit", "text"], ["project", "text"], ["item", "text"], ["paid_on", "date"], ["kind", "text"],
    ["person_times", "int"], ["amount", "numeric"], ["due_on", "date"], ["returned_count", "int"], ["returned_amount", "numeric"],
    ["reissued_on", "date"], ["note", "text"],
  ],
};

function stageValues(kind: ImportKind, row: BudgetLineRow | AdjustmentRow | PaymentRow): Array<string | number | null> {
  if (kind === "budget-lines") {
    const r = row as BudgetLineRow;
    return [r.year, r.unit, r.project, r.composition, r.item, r.fundLevel, r.fundType, r.initial, r.unitPrice, r.quantity, r.basis, r.months ? `{${r.months.join(",")}}` : null, r.parent];
  }
  if (kind === "adjustments") {
    const r = row as AdjustmentRow;
    return [r.year, r.unit, r.project, r.item, r.date, r.amount, r.fundLevel, r.reason, r.documentNumber];
  }
  const r = row as PaymentRow;
  return [r.year, r.unit, r.project, r.item, r.date, r.kind, r.personTimes, r.amount, r.dueDate, r.returnedCount, r.returnedAmount, r.reissuedOn, r.note];
}

/** Budget-line fields a file may leave out: a column absent from the file leaves the stored value alone. */
const OPTIONAL_LINE_FIELDS: Array<{ key: string; column: string; staged: string; label: string }> = [
  { key: "unitPrice", column: "unit_price", staged: "s.unit_price", label: "单价" },
  { key: "quantity", column: "quantity", staged: "s.quantity", label: "数量" },
  { key: "basis", column: "basis", staged: "s.basis", label: "依据" },
  { key: "months", column: "scheduled_months", staged: "s.months::smallint[]", label: "安排月份" },
];

/** Thrown to roll a dry run (or a refused import) back after its report is complete. */
class Rollback extends Error {
  constructor(readonly report: ImportReport) {
    super("rollback");
  }
}

/**
 * Checks a file and, when asked and when every row is valid, imports it in one transaction.
 * Throws an Error with a Chinese message for a file-level problem (missing columns).
 */
export async function runImport(
  db: DB,
  options: {
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
  },
): Promise<ImportReport> {
  const { kind, source, fileHash, importer } = options;
  const mapping = mapHeaders(kind, source.headers);
  const report: ImportReport = {
    kind,
    fileHash,
    rowsRead: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    errors: [],
    moreErrors: 0,
    errorRows: 0,
    warnings: mapping.ignored.map((header) => ({ rowNumber: 0, column: header, message: `未识别的列“${header}”，已忽略` })),
    newUnits: [],
    newProjects: [],
    rows: [],
    overBudget: [],
    overBudgetCount: 0,
    overBudgetRefused: false,
    alreadyImported: false,
    committed: false,
  };

  // An undone batch (撤销导入) does not count: its file, corrected or not, may come in again.
  const previous = await standingBatch(db, fileHash, kind);
  if (previous) {
    alreadyImported(report, previous);
    return report;
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
          alreadyImported(report, earlier);
          throw new Rollback(report);
        }
      }
      // Sorts and hashes over 100,000s of staged rows stay in memory (this transaction only).
      await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
      const keys = kind === "budget-lines" ? null : new KeyResolver(kind, importer);
      const { totals, maybeDuplicates } = await stageRows(trx, client, kind, mapping, source, report, keys);
      phase("read");
      await checkTotals(trx, kind, totals, mapping, report);
      const present = new Set(mapping.columns.map((column) => column.spec.key));
      await resolve(trx, kind, importer, report, present, keys, maybeDuplicates);
      phase("resolve");
      if (report.errors.length > 0 || report.moreErrors > 0 || !options.commit) throw new Rollback(report);
      const seenOther = options.overBudgetSeen !== undefined && options.overBudgetSeen !== overBudgetKey(report.overBudgetCount, report.overBudget);
      if (report.overBudgetCount > 0 && (!options.acceptOverBudget || seenOther)) {
        report.overBudgetRefused = true;
        throw new Rollback(report);
      }
      try {
        const batch = await trx
          .insertInto("import_batch")
          .values({
            file_hash: fileHash,
            kind,
            file_name: options.fileName.slice(0, 300),
            user_id: importer.userId,
            username: importer.username,
            rows_read: report.rowsRead,
            rows_added: report.added,
            rows_updated: report.updated,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await write(trx, kind, present, batch.id);
        if (report.overBudgetCount > 0) await recordOverBudgetAcknowledgement(trx, importer, batch.id, options.fileName.slice(0, 300));
        phase("write");
      } catch (error) {
        // A rule the checks above missed: the database refuses, the transaction rolls back, the person learns why.
        const code = (error as { code?: string }).code ?? "";
        if (!code.startsWith("23")) throw error;
        throw new ImportFormatError(`数据库拒绝写入（未导入任何行）：${(error as Error).message}`);
      }
      report.committed = true;
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
  report.rows.sort((a, b) => a.rowNumber - b.rowNumber);
  report.errors.sort((a, b) => a.rowNumber - b.rowNumber);
  report.errorRows = errorRowsOf.get(report)?.size ?? 0;
  return report;
}



/** The standing (not undone) batch of a file and kind, if any. */
function standingBatch(db: DB | Transaction<Database>, fileHash: string, kind: ImportKind) {
  return db.selectFrom("import_batch").select([localTime("imported_at").as("importedAt"), "username"]).where("file_hash", "=", fileHash).where("kind", "=", kind).where("undone_at", "is", null).executeTakeFirst();
}

function alreadyImported(report: ImportReport, previous: { importedAt: string; username: string }): void {
  report.alreadyImported = true;
  report.warnings.push({ rowNumber: 0, column: null, message: `同一文件已于 ${previous.importedAt} 由 ${previous.username} 导入，本次不作任何改动` });
}

/** A Kysely on one pooled connection, which it never releases (runImport does). */
function onConnection(client: pg.PoolClient): Kysely<Database> {
  const pinned = { query: client.query.bind(client), release: () => {} };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: { connect: async () => pinned, end: async () => {} } }) });
}

/** The numbers of the rows with errors, per report (a row may have several errors). */
const errorRowsOf = new WeakMap<ImportReport, Set<number>>();

function addError(report: ImportReport, problem: RowProblem): void {
  if (report.errors.length < MAX_LISTED) report.errors.push(problem);
  else report.moreErrors += 1;
  const rows = errorRowsOf.get(report) ?? new Set<number>();
  rows.add(problem.rowNumber);
  errorRowsOf.set(report, rows);
}

/** Rows naming units, projects or items not looked up yet wait for this many, then are resolved together. */
const CHUNK_ROWS = 4_096;

/**
 * Streams the file's rows through the row reader and copies them into the temporary table
 * import_stage (COPY FROM STDIN); returns the 合计 rows met on the way. Adjustments and payments
 * arrive with their unit, project and line resolved (KeyResolver) and, when those fail, as errors.
 */
async function stageRows(
  trx: Transaction<Database>,
  client: pg.PoolClient,
  kind: ImportKind,
  mapping: HeaderMapping,
  source: ImportSource,
  report: ImportReport,
  keys: KeyResolver | null,
): Promise<{ totals: TotalRow[]; maybeDuplicates: boolean }> {
  const columns = STAGE_COLUMNS[kind];
  await sql`CREATE TEMP TABLE import_stage (
      row_number int NOT NULL,
      ${sql.join(columns.map(([name, type]) => sql`${sql.id(name)} ${sql.raw(type)}`))},
      unit_id int, project_id int, line_id int, status text, message text, over_budget numeric
    ) ON COMMIT DROP`.execute(trx);

  const totals: TotalRow[] = [];
  const readRow = rowReader(kind, mapping);
  const split = splitAmountCheck(mapping);
  let splitWarnings = 0;
  const naturalKeys = new KeyHashes();
  const copy = new CopyWriter(client, `COPY import_stage (row_number, ${columns.map(([name]) => name).join(", ")}, unit_id, project_id, line_id, status, message) FROM STDIN`);
  let text = "";
  // Synchronous per row (an await per row costs a promise each); the text goes out in large pieces.
  const stage = (row: BudgetLineRow | AdjustmentRow | PaymentRow, key: ResolvedKey | null) => {
    if (key?.problem) {
      addError(report, { rowNumber: row.rowNumber, column: key.problem.column, message: key.problem.message });
      text += copyLine(row.rowNumber, stageValues(kind, row), key.unitId, key.projectId, null, "error", key.problem.message);
    } else {
      naturalKeys.add(naturalKeyHash(kind, row));
      text += copyLine(row.rowNumber, stageValues(kind, row), key?.unitId ?? null, key?.projectId ?? null, key?.lineId ?? null, null, null);
    }
  };
  const send = async () => {
    await copy.write(text);
    text = "";
  };
  // Rows naming what was not met before wait, and are looked up together between two COPYs (the
  // connection does one thing at a time); the rest go straight on.
  let waiting: Array<BudgetLineRow | AdjustmentRow | PaymentRow> = [];
  const resolveWaiting = async () => {
    if (!keys || waiting.length === 0) return;
    await copy.close();
    await keys.resolve(trx, waiting);
    const resolved = waiting;
    waiting = [];
    for (const row of resolved) {
      stage(row, keys.of(row)!);
      if (text.length >= COPY_CHUNK) await send();
    }
  };
  try {
    for await (const { rowNumber, cells } of source.rows) {
      report.rowsRead += 1;
      const parsed = readRow(cells, rowNumber);
      const splitProblem = split(cells);
      if (splitProblem && splitWarnings++ < MAX_LISTED) report.warnings.push({ rowNumber, column: splitProblem.column, message: splitProblem.message });
      if ("problems" in parsed) {
        for (const problem of parsed.problems) addError(report, problem);
        listRow(report, { rowNumber, status: "error", unit: "", project: "", item: "", amount: "", message: parsed.problems.map((p) => (p.column ? `${p.column}：${p.message}` : p.message)).join("；") });
        continue;
      }
      if ("total" in parsed) {
        totals.push(parsed.total);
        listRow(report, { rowNumber, status: "total", unit: "", project: "合计", item: "", amount: parsed.total.amounts.initial ?? parsed.total.amounts.amount ?? "", message: "合计行：已核对，不导入" });
        continue;
      }
      const key = keys ? keys.of(parsed.row) : null;
      if (key === undefined) {
        waiting.push(parsed.row);
        if (waiting.length >= CHUNK_ROWS) await resolveWaiting();
      } else {
        stage(parsed.row, key);
        if (text.length >= COPY_CHUNK) await send();
      }
    }
    await resolveWaiting();
    if (text !== "") await send();
  } finally {
    await copy.close();
  }
  if (report.rowsRead === 0) addError(report, { rowNumber: 0, column: null, message: "文件中没有数据行" });
  return { totals, maybeDuplicates: naturalKeys.repeated };
}

/**
 * An amount of 1–3 digits followed by a text cell of exactly 3 digits (and cents): most likely an
 * amount such as 1,234.56 whose thousands separator was not quoted in a CSV, split over two columns
 * (the row still has as many fields as the header when its last field was left out). A warning, since
 * 金额 1 with 备注 "234" can be true.
 */
function splitAmountCheck(mapping: HeaderMapping): (cells: readonly string[]) => { column: string; message: string } | null {
  const byIndex = new Map(mapping.columns.map((column) => [column.index, column]));
  const pairs = mapping.columns
    .filter((column) => (column.spec.type === "amount" || column.spec.type === "signed-amount") && byIndex.get(column.index + 1)?.spec.type === "text")
    .map((column) => ({ index: column.index, header: column.header, next: byIndex.get(column.index + 1)!.header }));
  if (pairs.length === 0) return () => null;
  return (cells) => {
    for (const pair of pairs) {
      const amount = (cells[pair.index] ?? "").trim();
      const after = (cells[pair.index + 1] ?? "").trim();
      if (/^-?\d{1,3}$/.test(amount) && /^\d{3}(\.\d{1,2})?$/.test(after)) {
        return { column: pair.header, message: `金额“${amount}”与下一列“${pair.next}”的“${after}”疑似一个被千位分隔符拆开的数（${amount},${after}）：CSV 中带千位分隔符的数字须加引号` };
      }
    }
    return null;
  };
}

/**
 * The hash of a row's natural key in the file's own terms (names, not ids): rows that the ledger
 * would take for the same entry (naturalKey, on ids) hash alike, so a file whose hashes all differ
 * has no duplicates (a collision only costs the exact search). Fields are mixed in one after the
 * other, without building a text or an object per row.
 */
function naturalKeyHash(kind: ImportKind, row: BudgetLineRow | AdjustmentRow | PaymentRow): number {
  HASH[0] = 0xdeadbeef;
  HASH[1] = 0x41c6ce57;
  mixCode(row.year);
  mixText(row.unit);
  mixText(row.project);
  if (kind === "payments") {
    const r = row as PaymentRow;
    mixText(r.item);
    mixText(r.date);
    mixText(r.kind);
    mixText(r.amount);
    mixCode(r.personTimes === null ? -1 : r.personTimes);
    // Two payments alike but for their 备注 are two payments (its white space aside: see NOTE_KEY).
    mixText(noteKey(r.note));
  } else if (kind === "adjustments") {
    const r = row as AdjustmentRow;
    mixText(r.item);
    mixText(r.date);
    mixText(r.amount);
    mixText(r.fundLevel);
    mixText(r.reason);
  } else {
    const r = row as BudgetLineRow;
    mixText(r.composition);
    mixText(r.item);
  }
  // cyrb53's finish (a public-domain 53-bit string hash).
  let h1 = HASH[0]!;
  let h2 = HASH[1]!;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The state of naturalKeyHash between fields. */
const HASH = new Int32Array(2);

function mixCode(code: number): void {
  HASH[0] = Math.imul(HASH[0]! ^ code, 2654435761);
  HASH[1] = Math.imul(HASH[1]! ^ code, 1597334677);
}

/** Mixes a text and a separator (null: a marker no text gives). */
function mixText(text: string | null): void {
  if (text === null) return mixCode(-2);
  let h1 = HASH[0]!;
  let h2 = HASH[1]!;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  HASH[0] = Math.imul(h1 ^ -1, 2654435761);
  HASH[1] = Math.imul(h2 ^ -1, 1597334677);
}

/**
 * Whether any two of the 53-bit hashes added are equal, kept in typed arrays rather than a Set of
 * numbers, so that memory stays small and the garbage collector has nothing to follow: a repeated
 * hash sends the file through the exact search in SQL.
 */
class KeyHashes {
  private high = new Uint32Array(1 << 16);
  private low = new Uint32Array(1 << 16);
  private count = 0;
  repeated = false;

  add(hash: number): void {
    if (this.repeated) return;
    // Slot 0/0 marks an empty place: a hash of 0 is stored as 1 (a false "repeated" at worst).
    const high = Math.floor(hash / 4294967296) || 0;
    const low = hash >>> 0 || (high === 0 ? 1 : 0);
    if (this.insert(high, low)) this.repeated = true;
    else if (++this.count * 2 > this.high.length) this.grow();
  }

  /** Stores a hash; true when it was there already. */
  private insert(high: number, low: number): boolean {
    const mask = this.high.length - 1;
    for (let slot = (low ^ high) & mask; ; slot = (slot + 1) & mask) {
      if (this.high[slot] === 0 && this.low[slot] === 0) {
        this.high[slot] = high;
        this.low[slot] = low;
        return false;
      }
      if (this.high[slot] === high && this.low[slot] === low) return true;
    }
  }

  private grow(): void {
    const [high, low] = [this.high, this.low];
    this.high = new Uint32Array(high.length * 2);
    this.low = new Uint32Array(low.length * 2);
    for (let slot = 0; slot < high.length; slot++) if (high[slot] !== 0 || low[slot] !== 0) this.insert(high[slot]!, low[slot]!);
  }
}

/** COPY … FROM STDIN on a connection, opened on the first write, with back-pressure; closed and reopened as needed. */
class CopyWriter {
  private stream: ReturnType<typeof copyFrom> | null = null;
  private finished: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: pg.PoolClient,
    private readonly statement: string,
  ) {}

  async write(text: string): Promise<void> {
    if (!this.stream) {
      this.stream = this.client.query(copyFrom(this.statement));
      this.finished = once(this.stream, "finish");
      this.finished.catch(() => {}); // awaited in close(); a failure also ends the race below
    }
    if (!this.stream.write(text)) await Promise.race([once(this.stream, "drain"), this.finished]);
  }

  /** Ends the COPY and waits until the server has taken every row (throws its error, if any). */
  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.stream = null;
    stream.end();
    await this.finished;
  }
}

/** A (year, unit, project, item) of an adjustments or payments file, resolved, with the first problem of its rows. */
interface ResolvedKey {
  unitId: number | null;
  projectId: number | null;
  lineId: number | null;
  problem: { column: string; message: string } | null;
}

/**
 * Units, projects and lines of adjustments and payments, looked up once per distinct
 * (year, unit, project, item) of the file, in one query per chunk of rows that brings new ones.
 */
class KeyResolver {
  /** unit → project → item (NO_ITEM for none) → year → resolved: lookups without building a key per row. */
  private readonly known = new Map<string, Map<string, Map<string, Map<number, ResolvedKey>>>>();

  constructor(
    private readonly kind: ImportKind,
    private readonly importer: Importer,
  ) {}

  /** The row's names resolved; undefined when not looked up yet. */
  of(row: BudgetLineRow | AdjustmentRow | PaymentRow): ResolvedKey | undefined {
    return this.known.get(row.unit)?.get(row.project)?.get(itemOf(row))?.get(row.year);
  }

  private remember(row: { year: number; unit: string; project: string; item: string | null }, resolved: ResolvedKey): void {
    const byProject = this.known.get(row.unit) ?? new Map<string, Map<string, Map<number, ResolvedKey>>>();
    const byItem = byProject.get(row.project) ?? new Map<string, Map<number, ResolvedKey>>();
    const byYear = byItem.get(row.item ?? NO_ITEM) ?? new Map<number, ResolvedKey>();
    byYear.set(row.year, resolved);
    byItem.set(row.item ?? NO_ITEM, byYear);
    byProject.set(row.project, byItem);
    this.known.set(row.unit, byProject);
  }

  /** The projects the file's rows name that exist. */
  projectIds(): number[] {
    const ids = new Set<number>();
    for (const byProject of this.known.values()) {
      for (const byItem of byProject.values()) {
        for (const byYear of byItem.values()) for (const key of byYear.values()) if (key.projectId !== null) ids.add(key.projectId);
      }
    }
    return [...ids];
  }

  async resolve(trx: Transaction<Database>, rows: ReadonlyArray<BudgetLineRow | AdjustmentRow | PaymentRow>): Promise<void> {
    const unknown = new Map<string, { year: number; unit: string; project: string; item: string | null }>();
    for (const row of rows) {
      const key = `${row.year}\u0000${row.unit}\u0000${row.project}\u0000${itemOf(row)}`;
      if (!this.of(row) && !unknown.has(key)) unknown.set(key, { year: row.year, unit: row.unit, project: row.project, item: (row as PaymentRow).item ?? null });
    }
    const wanted = [...unknown.values()];
    const { rows: found } = await sql<{ i: string; unit_id: number | null; project_id: number | null; line_id: number | null; lines: number }>`
      SELECT k.i::text AS i, u.id AS unit_id, p.id AS project_id, l.line_id, coalesce(l.lines, 0)::int AS lines
        FROM unnest(${wanted.map((k) => k.year)}::int[], ${wanted.map((k) => k.unit)}::text[], ${wanted.map((k) => k.project)}::text[], ${wanted.map((k) => k.item)}::text[])
             WITH ORDINALITY AS k(year, unit, project, item, i)
        LEFT JOIN org_unit u ON u.name = k.unit
        LEFT JOIN project p ON p.fiscal_year = k.year AND p.unit_id = u.id AND p.name = k.project
        LEFT JOIN LATERAL (SELECT min(l.id) AS line_id, count(*) AS lines FROM budget_line l WHERE l.project_id = p.id AND l.item = k.item) l ON true`.execute(trx);
    for (const row of found) {
      const name = wanted[Number(row.i) - 1]!;
      this.remember(name, { unitId: row.unit_id, projectId: row.project_id, lineId: row.line_id, problem: this.problemOf(name, row) });
    }
  }

  /** The first problem, in the order a person fixes them: unit, ambiguous item, permission, project, item. */
  private problemOf(
    key: { year: number; unit: string; project: string; item: string | null },
    found: { unit_id: number | null; project_id: number | null; line_id: number | null; lines: number },
  ): ResolvedKey["problem"] {
    if (found.unit_id === null) return { column: "预算单位", message: `未知的预算单位“${key.unit}”` };
    // An item under two compositions of one project is ambiguous: the row must not pick one silently.
    if (key.item !== null && found.project_id !== null && found.lines > 1) return { column: "项目明细", message: `项目中有多条同名明细“${key.item}”，无法确定是哪一条` };
    if (this.importer.unitSubtree !== null && !this.importer.unitSubtree.includes(found.unit_id)) return { column: "预算单位", message: `无权导入到该单位：${key.unit}` };
    if (found.project_id === null) return { column: "项目名称", message: `未找到项目：${key.year} 年 ${key.unit} ${key.project}` };
    // An item must name exactly one line of the project (payments may leave it empty).
    if (found.line_id === null && (this.kind !== "payments" || key.item !== null)) return { column: "项目明细", message: `项目中没有该明细：${key.item ?? ""}` };
    return null;
  }
}

/** Stands for "no item" among item names (a name is never empty: empty cells are null). */
const NO_ITEM = "";

function itemOf(row: BudgetLineRow | AdjustmentRow | PaymentRow): string {
  return (row as PaymentRow).item ?? NO_ITEM;
}

/** One row in COPY's text format: tab-separated, \N for null, backslash escapes; then its resolution. */
function copyLine(
  rowNumber: number,
  values: ReadonlyArray<string | number | null>,
  unitId: number | null,
  projectId: number | null,
  lineId: number | null,
  status: string | null,
  message: string | null,
): string {
  let line = String(rowNumber);
  for (let index = 0; index < values.length; index++) line += copyField(values[index]);
  return `${line}${copyField(unitId)}${copyField(projectId)}${copyField(lineId)}${copyField(status)}${copyField(message)}\n`;
}

function copyField(value: string | number | null | undefined): string {
  return value === null || value === undefined ? "\t\\N" : typeof value === "number" ? `\t${value}` : `\t${copyText(value)}`;
}

const COPY_SPECIAL = /[\\\t\n\r]/;

function copyText(text: string): string {
  if (!COPY_SPECIAL.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (char) => (char === "\\" ? "\\\\" : char === "\t" ? "\\t" : char === "\n" ? "\\n" : "\\r"));
}

/** The staged columns that a 合计 row's amounts are checked against. */
const SUMMED: Record<string, string> = { initial: "initial", amount: "amount", returnedAmount: "returned_amount", unitPrice: "unit_price" };

/** A 合计 row must equal the sum of the valid rows above it (since the previous 合计). */
async function checkTotals(trx: Transaction<Database>, kind: ImportKind, totals: readonly TotalRow[], mapping: HeaderMapping, report: ImportReport): Promise<void> {
  if (totals.length === 0) return;
  const summed = Object.entries(SUMMED).filter(([, column]) => STAGE_COLUMNS[kind].some(([name]) => name === column));
  // One pass for all 合计 rows: width_bucket puts the rows between 合计 row i − 1 and 合计 row i in segment i − 1.
  const { rows } = await sql<Record<string, string | null>>`
    SELECT width_bucket(row_number, ${totals.map((total) => total.rowNumber)}::int[])::text AS segment,
           ${sql.join(summed.map(([key, column]) => sql`sum(${sql.ref(column)})::text AS ${sql.id(key)}`))}
      FROM import_stage GROUP BY 1`.execute(trx);
  const sums = new Map(rows.map((row) => [Number(row.segment), row]));
  totals.forEach((total, index) => {
    for (const [key, stated] of Object.entries(total.amounts)) {
      const computed = toAmountString(money(sums.get(index)?.[key] ?? "0"));
      const header = mapping.columns.find((c) => c.spec.key === key)?.header ?? key;
      if (computed !== stated) {
        report.warnings.push({ rowNumber: total.rowNumber, column: header, message: `合计行不平：写明 ${stated}，上方各行之和 ${computed}（差 ${toAmountString(money(stated).minus(computed))}）` });
      }
    }
  });
}

function listRow(report: ImportReport, row: ImportReport["rows"][number]): void {
  if (report.rows.length < MAX_LISTED || row.message !== "") report.rows.push(row);
}

/**
 * Resolves units, projects and lines into the temporary table import_stage (the staged rows with
 * unit_id, project_id, line_id, status, message); marks rows as error, duplicate, unchanged or
 * updated. A row left with status NULL is new.
 */
async function resolve(
  trx: Transaction<Database>,
  kind: ImportKind,
  importer: Importer,
  report: ImportReport,
  present: ReadonlySet<string>,
  keys: KeyResolver | null,
  maybeDuplicates: boolean,
): Promise<void> {
  if (kind === "budget-lines") await resolveBudgetLines(trx, importer, report);
  // Statistics for the columns the next statements join and filter on (all columns would cost more).
  await sql`ANALYZE import_stage (row_number, project_id, line_id, status)`.execute(trx);

  // Duplicates inside the file: the first one counts (searched for only when two rows may share a key).
  if (maybeDuplicates) {
    const key = naturalKey(kind);
    const { rows: skipped } = await sql<{ row_number: number; message: string; total: number }>`
      WITH u AS (
        UPDATE import_stage s SET status = 'duplicate', message = '与第' || d.first_row || '行重复，已跳过'
          FROM (SELECT row_number, first_row
                  FROM (SELECT row_number, min(row_number) OVER (PARTITION BY ${key}) AS first_row FROM import_stage WHERE status IS NULL) w
                 WHERE first_row <> row_number) d
         WHERE d.row_number = s.row_number
        RETURNING s.row_number, s.message)
      SELECT row_number, message, count(*) OVER ()::int AS total FROM u ORDER BY row_number LIMIT ${MAX_LISTED}`.execute(trx);
    // Each skipped row is named, so that a genuine payment taken for a duplicate does not go unseen.
    listWarnings(report, skipped, "与前面的行重复，已跳过");
  }

  // Already in the ledger: unchanged (re-importing a file changes nothing).
  if (kind === "payments") {
    // The same payment with other bounce or re-issue figures is an error: not silently skipped, not doubled.
    const matched = await sql<{ row_number: number; status: string; message: string }>`
      WITH existing AS MATERIALIZED (
        -- The ledger's payments of the projects in the file, first (often none: then nothing else is read).
        SELECT * FROM payment WHERE project_id = ANY(${keys?.projectIds() ?? []}::int[])),
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
             message = CASE WHEN m.same THEN '已存在' ELSE '该笔支付已在台账中，但退回或重发信息不同：请在台账中修改该笔支付，不要重复导入' END
        FROM m WHERE m.row_number = s.row_number
      RETURNING s.row_number, s.status, s.message`.execute(trx);
    for (const row of matched.rows.filter((r) => r.status === "error").sort((a, b) => a.row_number - b.row_number)) {
      addError(report, { rowNumber: row.row_number, column: "退回金额", message: row.message });
    }
    // A new row that is a ledger payment in every key field but its 备注: either a second payment that
    // day (two transfers of the same amount) or the same payment with its 备注 corrected, which would
    // book it twice. It stays new, but is named in a warning, so that the dry run shows it.
    const near = await sql<{ row_number: number; message: string; total: number }>`
      WITH existing AS MATERIALIZED (
        SELECT project_id, budget_line_id, paid_on, kind, amount, person_times, note FROM payment WHERE project_id = ANY(${keys?.projectIds() ?? []}::int[])),
      n AS (
        SELECT DISTINCT ON (s.row_number) s.row_number, p.note
          FROM existing p
          JOIN import_stage s ON p.project_id = s.project_id AND p.budget_line_id IS NOT DISTINCT FROM s.line_id
                             AND p.paid_on = s.paid_on AND p.kind = s.kind AND p.amount = s.amount
                             AND p.person_times IS NOT DISTINCT FROM s.person_times
         WHERE s.status IS NULL
         ORDER BY s.row_number, p.note),
      u AS (
        UPDATE import_stage s
           SET message = '台账中已有同日、同方式、同金额的支付，仅备注不同（台账备注“' || coalesce(n.note, '') || '”）：如只是改了备注，请在台账中修改，不要重复导入'
          FROM n WHERE n.row_number = s.row_number
        RETURNING s.row_number, s.message)
      SELECT row_number, message, count(*) OVER ()::int AS total FROM u ORDER BY row_number LIMIT ${MAX_LISTED}`.execute(trx);
    listWarnings(report, near.rows, "与台账中的支付仅备注不同");
  } else if (kind === "adjustments") {
    await sql`UPDATE import_stage s SET status = 'unchanged', message = '已存在'
              FROM budget_adjustment a
              WHERE s.status IS NULL AND a.budget_line_id = s.line_id AND a.adjusted_on = s.adjusted_on
                AND a.amount = s.amount AND a.fund_level = s.fund_level AND a.reason = s.reason`.execute(trx);
  } else {
    // Only the columns the file has are compared (and later written); each change is listed.
    const optional = OPTIONAL_LINE_FIELDS.filter((field) => present.has(field.key));
    const changes = [
      sql`CASE WHEN l.initial_amount <> s.initial THEN '年初预算 ' || l.initial_amount || ' → ' || s.initial END`,
      sql`CASE WHEN l.fund_level <> s.fund_level THEN '资金级次 ' || l.fund_level || ' → ' || s.fund_level END`,
      sql`CASE WHEN l.fund_type <> s.fund_type THEN '资金类型 ' || l.fund_type || ' → ' || s.fund_type END`,
      ...optional.map(
        (field) => sql`CASE WHEN l.${sql.ref(field.column)} IS DISTINCT FROM ${sql.raw(field.staged)}
                       THEN ${field.label} || ' ' || coalesce(l.${sql.ref(field.column)}::text, '') || ' → ' || coalesce(${sql.raw(field.staged)}::text, '') END`,
      ),
    ];
    await sql`UPDATE import_stage s SET message = concat_ws('；', ${sql.join(changes)})
              FROM budget_line l WHERE s.status IS NULL AND l.id = s.line_id`.execute(trx);
    await sql`UPDATE import_stage s SET status = CASE WHEN message = '' THEN 'unchanged' ELSE 'updated' END
              WHERE s.status IS NULL AND s.line_id IS NOT NULL`.execute(trx);
  }
  await addWarnings(trx, kind, report, keys?.projectIds() ?? null);

  const counts = await sql<{ status: string; n: number }>`SELECT coalesce(status, 'new') AS status, count(*)::int AS n FROM import_stage GROUP BY 1`.execute(trx);
  for (const { status, n } of counts.rows) {
    if (status === "new") report.added = n;
    if (status === "updated") report.updated = n;
    if (status === "unchanged") report.unchanged = n;
    if (status === "duplicate") report.duplicates = n;
  }
  const listed = await sql<{ row_number: number; status: RowStatus; unit: string; project: string; item: string | null; amount: string; message: string | null }>`
    SELECT row_number, coalesce(status, 'new') AS status, unit, project, item, ${sql.ref(kind === "budget-lines" ? "initial" : "amount")}::text AS amount, message
      FROM import_stage
     WHERE row_number IN (SELECT row_number FROM import_stage ORDER BY row_number LIMIT ${MAX_LISTED}) OR coalesce(message, '') <> ''
     ORDER BY row_number LIMIT ${MAX_LISTED * 2}`.execute(trx);
  for (const row of listed.rows) {
    report.rows.push({ rowNumber: row.row_number, status: row.status, unit: row.unit, project: row.project, item: row.item ?? "", amount: row.amount, message: row.message ?? "" });
  }
}

/**
 * Budget lines: units and projects the file names that do not exist yet are created (under the
 * named 上级单位, else the importer's unit); lines are found by composition and item.
 */
async function resolveBudgetLines(trx: Transaction<Database>, importer: Importer, report: ImportReport): Promise<void> {
  // Units this import creates (under a parent the importer may write to) are the importer's too.
  const createdUnitIds: number[] = [];
  await sql`UPDATE import_stage s SET unit_id = u.id FROM org_unit u WHERE u.name = s.unit`.execute(trx);
  // Units not known yet are created under the named 上级单位, else under the importer's unit.
  const newUnits = await sql<{ unit: string; parent: string | null; first_row: number }>`
    SELECT unit, min(parent) AS parent, min(row_number) AS first_row FROM import_stage WHERE unit_id IS NULL GROUP BY unit ORDER BY 3`.execute(trx);
  for (const unit of newUnits.rows) {
    // Named parent; else the importer's unit; else (the CLI, unrestricted) a unit at the top.
    const parent = unit.parent
      ? await trx.selectFrom("org_unit").select("id").where("name", "=", unit.parent).executeTakeFirst()
      : importer.defaultParentUnitId !== null
        ? { id: importer.defaultParentUnitId }
        : importer.unitSubtree === null
          ? { id: null }
          : undefined;
    // A unit that cannot be created refuses every row of it (each marked, so that none counts as new).
    const refuse = (message: string) => markErrors(trx, report, sql`unit = ${unit.unit}`, "上级单位", sql`${message}`);
    if (!parent) {
      await refuse(unit.parent ? `上级单位“${unit.parent}”不存在` : `新单位“${unit.unit}”需要填写上级单位`);
      continue;
    }
    if (parent.id !== null && !inScope(importer, parent.id)) {
      await refuse(`无权在该上级单位下新建单位：${unit.parent ?? ""}`);
      continue;
    }
    const { id } = await trx.insertInto("org_unit").values({ name: unit.unit, level: "unit", parent_id: parent.id }).returning("id").executeTakeFirstOrThrow();
    await sql`UPDATE import_stage SET unit_id = ${id} WHERE unit = ${unit.unit}`.execute(trx);
    report.newUnits.push(unit.unit);
    createdUnitIds.push(id);
  }

  // Permission: every row's unit must be the importer's or below it.
  if (importer.unitSubtree !== null) {
    const allowed = [...importer.unitSubtree, ...createdUnitIds];
    await markErrors(trx, report, sql`unit_id IS NOT NULL AND NOT (unit_id = ANY(${allowed}::int[]))`, "预算单位", sql`'无权导入到该单位：' || unit`);
  }

  await sql`UPDATE import_stage s SET project_id = p.id FROM project p
            WHERE p.fiscal_year = s.year AND p.unit_id = s.unit_id AND p.name = s.project AND s.status IS NULL`.execute(trx);
  const projects = await sql<{ year: number; unit_id: number; project: string; unit: string }>`
    SELECT DISTINCT year, unit_id, project, unit FROM import_stage WHERE project_id IS NULL AND status IS NULL AND unit_id IS NOT NULL`.execute(trx);
  for (const project of projects.rows) {
    const { id } = await trx
      .insertInto("project")
      .values({ fiscal_year: project.year, name: project.project, unit_id: project.unit_id, code: null, supervising_department: null, implementing_unit: null, category: null, note: "导入时新建" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await sql`UPDATE import_stage SET project_id = ${id} WHERE year = ${project.year} AND unit_id = ${project.unit_id} AND project = ${project.project}`.execute(trx);
    report.newProjects.push(`${project.year} ${project.unit} ${project.project}`);
  }
  await sql`UPDATE import_stage s SET line_id = l.id FROM budget_line l
            WHERE l.project_id = s.project_id AND l.composition = coalesce(s.composition, '') AND l.item = s.item`.execute(trx);
}

function inScope(importer: Importer, unitId: number): boolean {
  return importer.unitSubtree === null || importer.unitSubtree.includes(unitId);
}

/**
 * A payment's 备注 as its natural key takes it: without white space, so that a line break typed with
 * Alt+Enter, or spaces a program adds or drops, do not make a payment already in the ledger a second
 * one; an empty note is none. noteKey is the same for the in-file hash (whose \s takes in at least
 * the characters [[:space:]] does: at worst, an exact search that finds nothing).
 */
const NOTE_KEY = (column: ReturnType<typeof sql.ref>) => sql`nullif(regexp_replace(${column}, '[[:space:]\u3000]+', '', 'g'), '')`;

function noteKey(note: string | null): string | null {
  if (note === null) return null;
  return (/\s/.test(note) ? note.replace(/\s+/g, "") : note) || null;
}

function naturalKey(kind: ImportKind) {
  // NULLs are alike here (PARTITION BY), as in the ledger match (IS NOT DISTINCT FROM).
  if (kind === "payments") return sql`project_id, line_id, paid_on, kind, amount, person_times, ${NOTE_KEY(sql.ref("note"))}`;
  if (kind === "adjustments") return sql`line_id, adjusted_on, amount, fund_level, reason`;
  return sql`project_id, coalesce(composition, ''), item`;
}

/** Marks the rows matching a condition as errors with a message, and reports them. */
async function markErrors(trx: Transaction<Database>, report: ImportReport, condition: ReturnType<typeof sql>, column: string, message: ReturnType<typeof sql>): Promise<void> {
  const marked = await sql<{ row_number: number; message: string }>`
    UPDATE import_stage SET status = 'error', message = ${message}
     WHERE status IS NULL AND ${condition}
    RETURNING row_number, message`.execute(trx);
  for (const row of marked.rows.sort((a, b) => a.row_number - b.row_number)) addError(report, { rowNumber: row.row_number, column, message: row.message });
}

/**
 * Writes the new staged rows (status NULL; for budget lines also the updated ones) into the ledger.
 * Payments carry their import batch, which the audit trail records once per project (migration 0009);
 * they are written project by project (in file order within a project), so that the payment ids of one
 * project's part of a batch follow each other, as the audit entry's first and last id suggest, and the
 * index entries of a project land next to each other.
 */
async function write(trx: Transaction<Database>, kind: ImportKind, present: ReadonlySet<string>, batchId: number): Promise<void> {
  if (kind === "payments") {
    await sql`INSERT INTO payment (project_id, budget_line_id, paid_on, kind, person_times, amount, due_on, returned_count, returned_amount, reissued_on, note, import_batch_id)
              SELECT project_id, line_id, paid_on, kind, person_times, amount, due_on, coalesce(returned_count, 0), coalesce(returned_amount, 0), reissued_on, note, ${batchId}::int
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
