import { sql, type Transaction } from "kysely";
import type pg from "pg";
import type { Database } from "../../../db/schema.ts";
import { msg, type Message } from "../../../messages/index.ts";
import { money, toAmountString } from "../../../domain/money.ts";
import { columnMessage, type HeaderMapping, type ImportKind } from "../rules/columns.ts";
import { rowReader } from "../rules/row-reader.ts";
import { checkBatchDates, type AdjustmentRow, type BudgetLineRow, type PaymentRow, type TotalRow } from "../rules/rows.ts";
import { MAX_LISTED, unreadableRow, type ReportBuilder } from "../rules/report.ts";
import { COPY_CHUNK, CopyWriter, copyLine } from "./copy.ts";
import type { KeyResolver, ResolvedKey } from "./resolve.ts";

/*
 * Reading the file into the temporary table import_stage: rows are parsed and checked as they stream
 * from the file and copied (COPY FROM STDIN), adjustments and payments with their unit, project and line
 * looked up once per distinct name (KeyResolver); 合计 rows are checked against the rows above them.
 */

/** The rows of a file as the file layer (files/read-table.ts) gives them. */
export interface ImportSource {
  headers: string[];
  rows: AsyncIterable<{ rowNumber: number; cells: string[] }>;
}

type Row = BudgetLineRow | AdjustmentRow | PaymentRow;

/** What a kind stages per row: column name → SQL type. */
export const STAGE_COLUMNS: Record<ImportKind, Array<[string, string]>> = {
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
    ["reissued_on", "date"], ["note", "text"], ["accepted_on", "date"], ["reviewed_on", "date"], ["approved_on", "date"],
  ],
};

function stageValues(kind: ImportKind, row: Row): Array<string | number | null> {
  if (kind === "budget-lines") {
    const r = row as BudgetLineRow;
    return [r.year, r.unit, r.project, r.composition, r.item, r.fundLevel, r.fundType, r.initial, r.unitPrice, r.quantity, r.basis, r.months ? `{${r.months.join(",")}}` : null, r.parent];
  }
  if (kind === "adjustments") {
    const r = row as AdjustmentRow;
    return [r.year, r.unit, r.project, r.item, r.date, r.amount, r.fundLevel, r.reason, r.documentNumber];
  }
  const r = row as PaymentRow;
  return [r.year, r.unit, r.project, r.item, r.date, r.kind, r.personTimes, r.amount, r.dueDate, r.returnedCount, r.returnedAmount, r.reissuedOn, r.note, r.acceptedOn ?? null, r.reviewedOn ?? null, r.approvedOn ?? null];
}

/** Rows naming units, projects or items not looked up yet wait for this many, then are resolved together. */
const CHUNK_ROWS = 4_096;

/**
 * Streams the file's rows through the row reader and copies them into the temporary table
 * import_stage (COPY FROM STDIN); returns the 合计 rows met on the way, and whether two rows may share
 * a natural key. Adjustments and payments arrive with their unit, project and line resolved
 * (KeyResolver) and, when those fail, as errors. A staged row's notes are a jsonb array of messages.
 */
export async function stageRows(
  trx: Transaction<Database>,
  client: pg.PoolClient,
  kind: ImportKind,
  mapping: HeaderMapping,
  source: ImportSource,
  out: ReportBuilder,
  keys: KeyResolver | null,
): Promise<{ totals: TotalRow[]; maybeDuplicates: boolean }> {
  const report = out.report;
  const columns = STAGE_COLUMNS[kind];
  await sql`CREATE TEMP TABLE import_stage (
      row_number int NOT NULL,
      ${sql.join(columns.map(([name, type]) => sql`${sql.id(name)} ${sql.raw(type)}`))},
      unit_id int, project_id int, line_id int, status text, notes jsonb, over_budget numeric
    ) ON COMMIT DROP`.execute(trx);

  const totals: TotalRow[] = [];
  const readRow = rowReader(kind, mapping);
  const split = splitAmountCheck(mapping);
  let splitWarnings = 0;
  // The natural keys' hashes seen so far: a repeated one sends the file through the exact search in SQL.
  const naturalKeys = new Set<number>();
  let maybeDuplicates = false;
  const copy = new CopyWriter(client, `COPY import_stage (row_number, ${columns.map(([name]) => name).join(", ")}, unit_id, project_id, line_id, status, notes) FROM STDIN`);
  let text = "";
  // Synchronous per row (an await per row costs a promise each); the text goes out in large pieces.
  const stage = (row: Row, key: ResolvedKey | null) => {
    if (key?.problem) {
      out.addError({ rowNumber: row.rowNumber, column: key.problem.column, message: key.problem.message });
      text += copyLine(row.rowNumber, stageValues(kind, row), key.unitId, key.projectId, null, "error", JSON.stringify([key.problem.message]));
    } else {
      if (!maybeDuplicates) {
        const hash = naturalKeyHash(kind, row);
        if (naturalKeys.has(hash)) maybeDuplicates = true;
        else naturalKeys.add(hash);
      }
      text += copyLine(row.rowNumber, stageValues(kind, row), key?.unitId ?? null, key?.projectId ?? null, key?.lineId ?? null, null, null);
    }
  };
  const send = async () => {
    await copy.write(text);
    text = "";
  };
  // Rows naming what was not met before wait, and are looked up together between two COPYs (the
  // connection does one thing at a time); the rest go straight on.
  let waiting: Row[] = [];
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
      const parsed = checkBatchDates(kind, mapping, readRow(cells, rowNumber));
      const splitProblem = split(cells);
      if (splitProblem && splitWarnings++ < MAX_LISTED) out.addWarning(rowNumber, splitProblem.column, splitProblem.message);
      if ("problems" in parsed) {
        for (const problem of parsed.problems) out.addError(problem);
        out.listRow({ rowNumber, status: "error", ...unreadableRow(mapping, cells), notes: parsed.problems.map(({ column, message }) => ({ column, message })) });
        continue;
      }
      if ("total" in parsed) {
        totals.push(parsed.total);
        const amount = parsed.total.amounts.initial ?? parsed.total.amounts.amount ?? "";
        out.listRow({ rowNumber, status: "total", unit: "", project: "", item: "", amount, notes: [{ column: null, message: msg("impTotalRow") }] });
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
  if (report.rowsRead === 0) out.addError({ rowNumber: 0, column: null, message: msg("impNoRows") });
  return { totals, maybeDuplicates };
}

/**
 * An amount of 1–3 digits followed by a text cell of exactly 3 digits (and cents): most likely an
 * amount such as 1,234.56 whose thousands separator was not quoted in a CSV, split over two columns
 * (the row still has as many fields as the header when its last field was left out). A warning, since
 * 金额 1 with 备注 "234" can be true.
 */
function splitAmountCheck(mapping: HeaderMapping): (cells: readonly string[]) => { column: string; message: Message } | null {
  const byIndex = new Map(mapping.columns.map((column) => [column.index, column]));
  const pairs = mapping.columns
    .filter((column) => (column.spec.type === "amount" || column.spec.type === "signed-amount") && byIndex.get(column.index + 1)?.spec.type === "text")
    .map((column) => ({ index: column.index, header: column.header, next: columnMessage(byIndex.get(column.index + 1)!) }));
  if (pairs.length === 0) return () => null;
  return (cells) => {
    for (const pair of pairs) {
      const amount = (cells[pair.index] ?? "").trim();
      const after = (cells[pair.index + 1] ?? "").trim();
      if (/^-?\d{1,3}$/.test(amount) && /^\d{3}(\.\d{1,2})?$/.test(after)) {
        return { column: pair.header, message: msg("impSplitAmount", { amount, next: pair.next, after, joined: `${amount},${after}` }) };
      }
    }
    return null;
  };
}

/**
 * A payment's 备注 as its natural key takes it: without white space (see NOTE_KEY in duplicates.ts);
 * an empty note is none.
 */
function noteKey(note: string | null): string | null {
  if (note === null) return null;
  return (/\s/.test(note) ? note.replace(/\s+/g, "") : note) || null;
}

/**
 * The hash of a row's natural key in the file's own terms (names, not ids): rows that the ledger
 * would take for the same entry (naturalKey, on ids) hash alike, so a file whose hashes all differ
 * has no duplicates (a collision only costs the exact search). Fields are mixed in one after the
 * other, without building a text or an object per row.
 */
function naturalKeyHash(kind: ImportKind, row: Row): number {
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
    // Two payments alike but for their 备注 are two payments (its white space aside).
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

/** The staged columns that a 合计 row's amounts are checked against. */
const SUMMED: Record<string, string> = { initial: "initial", amount: "amount", returnedAmount: "returned_amount", unitPrice: "unit_price" };

/** A 合计 row must equal the sum of the valid rows above it (since the previous 合计). */
export async function checkTotals(trx: Transaction<Database>, kind: ImportKind, totals: readonly TotalRow[], mapping: HeaderMapping, out: ReportBuilder): Promise<void> {
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
        out.addWarning(total.rowNumber, header, msg("impTotalMismatch", { stated, computed, difference: toAmountString(money(stated).minus(computed)) }));
      }
    }
  });
}
