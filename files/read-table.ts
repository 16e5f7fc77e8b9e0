import { basename, extname } from "node:path";
import { bytesSource, pathSource, type ByteSource } from "./byte-source.ts";
import { locateHeader, type LocatedTable } from "./locate-header.ts";
import { MAX_LISTED_NAMES } from "./limits.ts";
import { openCsv } from "./read-csv.ts";
import { openWorkbook, type MergedRange, type XlsxTable, type XlsxWorkbook } from "./read-xlsx.ts";
import { TableFileError, UnknownSheetError, joined, listedNames, messages, quoted, shortened } from "./table-file-error.ts";
import { msg, type Message } from "../messages/index.ts";
import { ZipError } from "./zip-archive.ts";

export { TableFileError, UnknownSheetError } from "./table-file-error.ts";

export type TableFormat = "csv" | "xlsx";

export interface TableRow {
  /** 1-based, as Excel shows it (for a CSV: the record's ordinal, blank lines included). */
  rowNumber: number;
  /** Text per column, trimmed; "" for empty. Padded to the header's width. */
  cells: string[];
}

export interface OpenedTable {
  format: TableFormat;
  /** CSV only. */
  encoding: "utf-8" | "utf-8-bom" | "gb18030" | null;
  /** XLSX: the worksheet read (see openTable for which). */
  sheetName: string | null;
  /** The header row's cells, trimmed, without trailing empty ones. */
  headers: string[];
  headerRowNumber: number;
  /** One-cell rows above the header (a title, “单位：万元”), skipped; also listed in notes. */
  titleRows: TableRow[];
  /** Data rows after the header, streamed (read once); fully empty rows skipped. */
  rows: AsyncIterable<TableRow>;
  /** Non-fatal remarks (messages). Formula notes are completed as rows are read: read them after the rows. */
  notes: Message[];
  /** Releases the file when the rows are not read to the end (a for-await loop that exits early does it itself). */
  close(): Promise<void>;
}

/** The largest file accepted for import: 32 MiB. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

const ZIP_SIGNATURES = ["504b0304", "504b0506"];
const OLE2_SIGNATURE = "d0cf11e0a1b11ae1";

/**
 * Opens a table from a file path or from bytes; detects the format from content (XLSX is a ZIP:
 * PK\x03\x04), falling back to the name. Which XLSX worksheet is read: the one named `sheet` (hidden
 * or not; an UnknownSheetError when there is none); otherwise, when `headerProblem` is given and the
 * workbook has several visible worksheets, the first whose header row it accepts (it returns why a
 * header cannot be used, null when it can: an exported ledger workbook holds lines, adjustments and
 * payments); otherwise the first visible worksheet with data. A note names the sheet read when there
 * were others. `maxBytes` defaults to MAX_IMPORT_BYTES. Reads as far as the header, so that the columns can be
 * mapped before any data row is; the rows are then streamed. Every problem with the file is a
 * TableFileError with a message (code and parameters), thrown here or while reading rows.
 *
 * Example: const table = await openTable({ path: "payments-maqiao-gb18030.csv" });
 *   table.encoding → "gb18030"; table.headers → ["年度", "预算单位", …, "金额(元)", …];
 *   for await (const row of table.rows) row.cells[7] → "56,307.81"
 */
export async function openTable(
  source: { path: string } | { bytes: Uint8Array; fileName?: string },
  options: { maxBytes?: number; sheet?: string; headerProblem?: (headers: readonly string[]) => Message | null } = {},
): Promise<OpenedTable> {
  const maxBytes = options.maxBytes ?? MAX_IMPORT_BYTES;
  const fileName = "path" in source ? basename(source.path) : (source.fileName ?? "");
  let bytes: ByteSource;
  try {
    bytes = "path" in source ? await pathSource(source.path) : bytesSource(source.bytes);
  } catch (error) {
    throw new TableFileError(messages.unreadable((error as Error).message), { cause: error });
  }
  if (bytes.size > maxBytes) throw new TableFileError(messages.tooLarge(bytes.size, maxBytes));
  if (bytes.size === 0) throw new TableFileError(messages.empty);

  let notes: Message[] = [];
  let batches: AsyncGenerator<TableRow[]> | null = null;
  try {
    const head = await bytes.read(0, Math.min(bytes.size, 64 * 1024));
    const format = sniffFormat(head, fileName);
    let opened: { encoding: OpenedTable["encoding"]; sheetName: string | null; merges: MergedRange[]; moreMerges: number; batches: AsyncGenerator<TableRow[]> };
    let located: LocatedTable | null;
    if (format === "xlsx") {
      const chosen = await chooseSheet(await openWorkbook(bytes), options.sheet, options.headerProblem);
      opened = { encoding: null, ...chosen.opened };
      located = chosen.located;
      notes = chosen.notes;
    } else {
      opened = { sheetName: null, merges: [], moreMerges: 0, ...(await openCsv(bytes, head)) };
      batches = opened.batches;
      located = await locateHeader(opened.batches);
    }
    batches = opened.batches;
    if (!located) throw new TableFileError(messages.noRows);
    const { header, titleRows } = located;
    // Merged ranges beyond those kept (MAX_MERGED_RANGES_KEPT) are counted as in the data.
    const inData = opened.merges.filter((range) => range.lastRow >= header.rowNumber);
    const merged = inData.length > 0 ? inData : opened.moreMerges > 0 ? opened.merges : [];
    if (merged.length > 0) {
      const shown = merged.slice(0, 3).map((range) => range.ref);
      const first = merged[0]!;
      throw new TableFileError(messages.merged(shown, inData.length + opened.moreMerges), { rowNumber: first.firstRow, column: /^[A-Z]+/.exec(first.ref)?.[0] });
    }
    if (titleRows.length > 0) {
      const titles = joined(titleRows.map((row) => quoted(row.cells.find((cell) => cell !== "") ?? "")), "impList");
      notes.push(
        titleRows.length === 1
          ? msg("fileNoteTitleRow", { row: titleRows[0]!.rowNumber, titles, header: header.rowNumber })
          : msg("fileNoteTitleRows", { first: titleRows[0]!.rowNumber, last: titleRows.at(-1)!.rowNumber, titles, header: header.rowNumber }),
      );
    }
    const rows = guarded(located.rows, bytes);
    return {
      format,
      encoding: opened.encoding,
      sheetName: opened.sheetName,
      headers: header.cells,
      headerRowNumber: header.rowNumber,
      titleRows,
      rows: { [Symbol.asyncIterator]: () => rows },
      notes,
      close: async () => {
        // A generator that never started skips its finally blocks when returned: end each layer.
        await rows.return(undefined);
        await located.rows.return(undefined);
        await opened.batches.return(undefined);
        await bytes.close().catch(() => {});
      },
    };
  } catch (error) {
    await batches?.return(undefined).catch(() => {});
    await bytes.close().catch(() => {});
    throw asTableFileError(error);
  }
}

/** A worksheet positioned at its header, with the notes for it (formula notes keep arriving as its rows are read). */
interface ChosenSheet {
  opened: XlsxTable;
  located: LocatedTable;
  notes: Message[];
}

/** The worksheet to read, as openTable describes; its header located. */
async function chooseSheet(workbook: XlsxWorkbook, wanted: string | undefined, headerProblem?: (headers: readonly string[]) => Message | null): Promise<ChosenSheet> {
  const open = async (sheet: XlsxWorkbook["sheets"][number]): Promise<ChosenSheet | null> => {
    const notes: Message[] = [];
    const opened = await workbook.openSheet(sheet, notes);
    if (!opened) return null;
    const located = await locateHeader(opened.batches);
    if (!located) {
      await opened.batches.return(undefined);
      return null;
    }
    return { opened, located, notes };
  };
  const release = async (chosen: ChosenSheet) => {
    await chosen.located.rows.return(undefined);
    await chosen.opened.batches.return(undefined);
  };

  if (wanted !== undefined) {
    const sheet = workbook.sheets.find((candidate) => candidate.name === wanted);
    if (!sheet) throw new UnknownSheetError(wanted, workbook.sheets.filter((candidate) => !candidate.hidden).map((candidate) => candidate.name));
    const chosen = await open(sheet);
    if (!chosen) throw new TableFileError(messages.sheetWithoutRows(wanted));
    return chosen;
  }

  const sheets = workbook.sheets.filter((sheet) => !sheet.hidden);
  if (sheets.length === 0) throw new TableFileError(messages.noSheets);
  const check = sheets.length > 1 ? headerProblem : undefined;
  const empty: string[] = [];
  const unsuitable: Array<{ sheet: XlsxWorkbook["sheets"][number]; problem: Message }> = [];
  for (const [index, sheet] of sheets.entries()) {
    const chosen = await open(sheet);
    if (!chosen) {
      empty.push(sheet.name);
      continue;
    }
    const problem = check?.(chosen.located.header.cells) ?? null;
    if (problem !== null) {
      unsuitable.push({ sheet, problem });
      await release(chosen);
      continue;
    }
    const skipped: Message[] = [
      ...(empty.length > 0 ? [msg("fileSheetsEmpty", { names: quotedNames(empty) })] : []),
      ...(unsuitable.length > 0 ? [msg("fileSheetsWithoutColumns", { names: quotedNames(unsuitable.map(({ sheet: other }) => other.name)) })] : []),
    ];
    if (skipped.length > 0) chosen.notes.push(msg("fileNoteSheetRead", { skipped: joined(skipped, "impClauses"), sheet: shortened(sheet.name) }));
    if (index < sheets.length - 1) {
      chosen.notes.push(msg("fileNoteOnlySheet", { sheet: shortened(sheet.name), others: joined(listedNames(sheets.slice(index + 1).map((other) => other.name)), "impList") }));
    }
    return chosen;
  }
  if (unsuitable.length === 0) throw new TableFileError(messages.noRows);
  if (unsuitable.length > 1) throw new TableFileError(messages.noSuitableSheet(unsuitable.map(({ sheet, problem }) => ({ sheet: sheet.name, problem }))));
  // The one worksheet with data: read it, and let the importer say what its header lacks.
  const only = (await open(unsuitable[0]!.sheet))!;
  if (empty.length > 0) {
    only.notes.push(msg("fileNoteSheetRead", { skipped: msg("fileSheetsEmpty", { names: quotedNames(empty) }), sheet: shortened(unsuitable[0]!.sheet.name) }));
  }
  return only;
}

/** Worksheet names in quotes, as a message lists them (the first ones, each shortened, then "…"). */
function quotedNames(names: readonly string[]) {
  const listed = names.slice(0, MAX_LISTED_NAMES).map(quoted);
  return joined(names.length > MAX_LISTED_NAMES ? [...listed, "…"] : listed, "impList");
}

/** The rows, with every error as a TableFileError and the file released at the end. */
async function* guarded(rows: AsyncGenerator<TableRow>, bytes: ByteSource): AsyncGenerator<TableRow> {
  try {
    yield* rows;
  } catch (error) {
    throw asTableFileError(error);
  } finally {
    await rows.return(undefined);
    await bytes.close().catch(() => {});
  }
}

function asTableFileError(error: unknown): unknown {
  if (error instanceof TableFileError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
    return new TableFileError(messages.unreadable((error as Error).message), { cause: error });
  }
  if (error instanceof ZipError) {
    const message = error.problem === "encrypted" ? messages.encryptedZip : error.problem === "unsupported" ? messages.unsupportedZip : messages.corruptZip;
    return new TableFileError(message, { cause: error });
  }
  return error;
}

/** XLSX or CSV from the first bytes; the formats people mistake for them get their own message. */
function sniffFormat(head: Buffer, fileName: string): TableFormat {
  const signature = head.subarray(0, 8).toString("hex");
  if (ZIP_SIGNATURES.some((zip) => signature.startsWith(zip))) return "xlsx";
  if (signature === OLE2_SIGNATURE) throw new TableFileError(messages.legacyOrEncrypted);
  if (signature.startsWith("fffe") || signature.startsWith("feff")) throw new TableFileError(messages.utf16);
  const extension = extname(fileName).toLowerCase();
  if (extension === ".xlsx" || extension === ".xlsm") throw new TableFileError(messages.corruptZip);
  const start = head.subarray(0, 1024).toString("latin1").replace(/^\uFEFF|^\xEF\xBB\xBF/, "").trimStart().toLowerCase();
  if (/^<(!doctype html|html|table|\?xml|meta)/.test(start)) throw new TableFileError(messages.html);
  for (const byte of head) {
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1a)) throw new TableFileError(messages.notTable);
  }
  return "csv";
}
