import ExcelJS from "exceljs";
import { createRequire } from "node:module";
import { PassThrough, Readable, type Writable } from "node:stream";

/*
 * Text that Excel would take for a formula once someone edits the cell (OWASP's "CSV injection": text
 * beginning with = + - @, a tab or a carriage return) is written as it is — the value stays exact, so
 * that an exported file imports back unchanged — in a cell styled quotePrefix, as if typed after an
 * apostrophe: Excel, WPS and LibreOffice keep it text when the cell is edited. exceljs 4.4 does not
 * write quotePrefix: a style asks for it with `alignment.quotePrefix` (which the alignment element
 * itself ignores), and the style's <xf> gets quotePrefix="1" (below).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether Excel would read this text as a formula when the cell is edited: looksLikeFormula("=1+1") → true. */
export function looksLikeFormula(value: unknown): boolean {
  return typeof value === "string" && FORMULA_START.test(value);
}

/** Marks a cell holding formula-like text quotePrefix (kept text when edited); other cells are left alone. */
export function protectFormulaText(cell: ExcelJS.Cell): void {
  if (!looksLikeFormula(cell.value)) return;
  cell.alignment = { ...(cell.alignment ?? {}), quotePrefix: true } as ExcelJS.Alignment;
}

type XmlStream = { openNode: (name: string, attributes?: Record<string, unknown>) => void; addAttribute: (name: string, value: string) => void };
type StyleRender = (this: unknown, xmlStream: XmlStream, model: { alignment?: { quotePrefix?: boolean } } | undefined) => void;
const styleXform = createRequire(import.meta.url)("exceljs/lib/xlsx/xform/style/style-xform.js") as { prototype: { render: StyleRender & { quotePrefix?: true } } };
if (!styleXform.prototype.render.quotePrefix) {
  const render = styleXform.prototype.render;
  const withQuotePrefix: StyleRender & { quotePrefix?: true } = function (this: unknown, xmlStream, model) {
    if (!model?.alignment?.quotePrefix) return render.call(this, xmlStream, model);
    const openNode = xmlStream.openNode;
    xmlStream.openNode = function (this: XmlStream, name, attributes) {
      xmlStream.openNode = openNode;
      openNode.call(this, name, attributes);
      if (name === "xf") this.addAttribute("quotePrefix", "1");
    };
    try {
      render.call(this, xmlStream, model);
    } finally {
      xmlStream.openNode = openNode;
    }
  };
  withQuotePrefix.quotePrefix = true;
  styleXform.prototype.render = withQuotePrefix;
}

export type ColumnKind = "text" | "amount" | "percent" | "integer" | "date";

export interface SheetColumn {
  header: string;
  key: string;
  kind: ColumnKind;
  /** In characters; by default fitted to the header and the first rows. */
  width?: number;
}

export type SheetCell = string | number | boolean | null;

export type SheetRow = Record<string, SheetCell>;

export interface SheetSpec {
  name: string;
  columns: SheetColumn[];
  /** The data rows: an array, or an (async) iterable read once, row by row, for exports too large to hold. */
  rows: readonly SheetRow[] | Iterable<SheetRow> | AsyncIterable<SheetRow>;
  /** Bold rows below the data (合计, 净额), outside the filter; `totalRows` may be a function of nothing, called once the data rows are written (so that totals of streamed rows can be added up on the way). */
  totalRow?: Record<string, string | number | null>;
  totalRows?: Array<Record<string, string | number | null>> | (() => Array<Record<string, string | number | null>>);
  /** An optional title line above the header, e.g. "2024 年预算执行情况 截至 2024-08-31". */
  title?: string;
}

const NUMBER_FORMATS: Partial<Record<ColumnKind, string>> = { amount: "#,##0.00", percent: "0.00", integer: "0", date: "yyyy-mm-dd" };
const DECIMAL = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Rows taken ahead of writing to fit the column widths. */
const WIDTH_SAMPLE = 200;
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF2F2F2" } };
const THIN: ExcelJS.Border = { style: "thin", color: { argb: "FFBFBFBF" } };

/**
 * Writes an .xlsx workbook, one worksheet per spec: amounts (exact decimal strings such as
 * "1471745.31") become numbers formatted #,##0.00, percentages ("86.51") numbers formatted 0.00 with
 * "(%)" in the header, integers numbers, dates ("2024-07-02") date cells formatted yyyy-mm-dd; a bold
 * header row, frozen, with an autofilter; optional bold total rows. Amounts are written as given: an
 * exact 万元 figure such as "5.630781" stays exact in the cell (shown 5.63), so Excel's SUM is exact.
 * Streams through exceljs's WorkbookWriter, so large exports do not build a workbook model in memory;
 * with rows given as an async iterable (read from the database page by page) and writeWorkbookTo or
 * workbookStream, neither the rows nor the file are ever held whole.
 *
 * Example: await writeWorkbook([{ name: "预算执行情况", columns: [{ header: "调整后预算数(元)", key: "adjusted",
 *   kind: "amount" }], rows: [{ adjusted: "1471745.31" }] }]) → the bytes of the .xlsx file.
 */
export async function writeWorkbook(sheets: SheetSpec[]): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  await writeWorkbookTo(sheets, stream);
  await ended;
  return Buffer.concat(chunks);
}

/**
 * Writes the workbook into a stream as it goes (ended when the workbook is complete), waiting while
 * the reader is behind, so that memory stays bounded whatever the number of rows.
 */
export async function writeWorkbookTo(sheets: SheetSpec[], stream: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true });
  workbook.creator = "预算执行监控 Budget Monitor";
  const names = new Set<string>();
  for (const spec of sheets) await writeSheet(workbook, uniqueSheetName(spec.name, names), spec, stream);
  await workbook.commit();
}

/**
 * The workbook as a web stream for a Response body: written while it is sent. An error while
 * writing (the database gone) aborts the download rather than sending a truncated file as complete.
 */
export function workbookStream(sheets: SheetSpec[]): ReadableStream<Uint8Array> {
  return streamOf((output) => writeWorkbookTo(sheets, output));
}

/**
 * A web stream of what `write` writes into its Node stream (e.g. writeWorkbookTo inside a database
 * transaction that must stay open while the rows are read); an error aborts the stream.
 */
export function streamOf(write: (output: Writable) => Promise<void>): ReadableStream<Uint8Array> {
  const stream = new PassThrough({ highWaterMark: 1 << 20 });
  write(stream).catch((error: unknown) => stream.destroy(error instanceof Error ? error : new Error(String(error))));
  return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
}

async function writeSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, spec: SheetSpec, output: Writable): Promise<void> {
  // The first rows fit the column widths; the rest are read as they are written.
  const source = rowIterator(spec.rows);
  const sample: SheetRow[] = [];
  let next = await source.next();
  while (!next.done && sample.length < WIDTH_SAMPLE) {
    sample.push(next.value);
    if (sample.length < WIDTH_SAMPLE) next = await source.next();
  }
  const headerRow = spec.title ? 2 : 1;
  const worksheet = workbook.addWorksheet(name, {
    views: [{ state: "frozen", xSplit: 0, ySplit: headerRow, activeCell: `A${headerRow + 1}` }],
  });
  worksheet.columns = spec.columns.map((column) => ({
    key: column.key,
    width: column.width ?? fittedWidth(column, sample),
    style: NUMBER_FORMATS[column.kind] ? { numFmt: NUMBER_FORMATS[column.kind] } : {},
  }));

  if (spec.title) {
    const title = worksheet.addRow([spec.title]);
    title.getCell(1).font = { bold: true, size: 14 };
    title.height = 22;
    title.commit();
  }
  const header = worksheet.addRow(spec.columns.map(headerText));
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
    cell.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
  });
  header.commit();

  let written = 0;
  for (const row of sample) {
    addValues(worksheet, spec.columns, row).commit();
    written++;
  }
  if (sample.length === WIDTH_SAMPLE) {
    for (next = await source.next(); !next.done; next = await source.next()) {
      addValues(worksheet, spec.columns, next.value).commit();
      if (++written % 1000 === 0) await drained(output);
    }
  }
  const lastDataRow = headerRow + written;
  const totals = [...(spec.totalRow ? [spec.totalRow] : []), ...(typeof spec.totalRows === "function" ? spec.totalRows() : (spec.totalRows ?? []))];
  totals.forEach((values, index) => {
    const total = addValues(worksheet, spec.columns, values);
    total.eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { bold: true };
      if (index === 0) cell.border = { top: THIN };
    });
    total.commit();
  });
  if (spec.columns.length > 0) {
    worksheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: lastDataRow, column: spec.columns.length } };
  }
  worksheet.commit();
}

function rowIterator(rows: SheetSpec["rows"]): AsyncIterator<SheetRow> | Iterator<SheetRow> {
  if (Symbol.asyncIterator in rows) return (rows as AsyncIterable<SheetRow>)[Symbol.asyncIterator]();
  return (rows as Iterable<SheetRow>)[Symbol.iterator]();
}

/** Waits while the reader of the output is behind (the zip writer's output queued in the stream). */
async function drained(output: Writable): Promise<void> {
  while (output.writableNeedDrain && !output.destroyed) {
    await new Promise<void>((resolve) => {
      const done = () => {
        output.off("drain", done);
        output.off("close", done);
        resolve();
      };
      output.once("drain", done);
      output.once("close", done);
    });
  }
  // Let the zip writer and the socket move on before the next rows.
  await new Promise<void>((resolve) => setImmediate(resolve));
  // The download was closed: stop reading rows (the caller's transaction, if any, ends with the error).
  if (output.destroyed) throw new Error("writeWorkbook: the output was closed before the workbook was complete");
}

function addValues(worksheet: ExcelJS.Worksheet, columns: SheetColumn[], values: Record<string, SheetCell | undefined>): ExcelJS.Row {
  const row = worksheet.addRow(columns.map((column) => cellValue(column, values[column.key] ?? null)));
  columns.forEach((column, index) => {
    const cell = row.getCell(index + 1);
    const format = NUMBER_FORMATS[column.kind];
    if (format) cell.numFmt = format;
    if (column.kind === "date") cell.alignment = { horizontal: "center" };
    protectFormulaText(cell);
  });
  return row;
}

function cellValue(column: SheetColumn, value: SheetCell): ExcelJS.CellValue {
  if (value === null || value === "") return null;
  switch (column.kind) {
    case "amount":
    case "percent":
    case "integer": {
      if (typeof value === "number") return value;
      if (typeof value === "string" && DECIMAL.test(value.trim())) return Number(value.trim());
      throw new Error(`writeWorkbook: column “${column.header}” (${column.kind}) expects a number, got ${JSON.stringify(value)}`);
    }
    case "date": {
      // A civil date as a date cell (midnight UTC is the date's serial, no time zone involved); other text stays text.
      const text = String(value).trim();
      return ISO_DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) ? new Date(`${text}T00:00:00Z`) : text;
    }
    default:
      // A count in a text column (a total row's number of projects or of flagged ones) stays a number.
      return typeof value === "boolean" || typeof value === "number" ? value : String(value);
  }
}

/** Percent columns say so in the header, unless they already do (or are in percentage points). */
function headerText(column: SheetColumn): string {
  if (column.kind !== "percent" || /[%％]|百分点|\bpp\b/.test(column.header)) return column.header;
  return `${column.header}(%)`;
}

/** A width in characters that fits the header and the first rows; CJK characters count double. */
function fittedWidth(column: SheetColumn, rows: readonly SheetRow[]): number {
  let widest = displayWidth(headerText(column));
  for (const row of rows) {
    const value = row[column.key];
    if (value === null || value === undefined) continue;
    const text = column.kind === "amount" && DECIMAL.test(String(value)) ? Number(value).toLocaleString("en-US", { minimumFractionDigits: 2 }) : String(value);
    widest = Math.max(widest, displayWidth(text));
  }
  return Math.min(60, Math.max(8, widest + 2));
}

function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return width;
}

/** Excel's rules for sheet names: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
function uniqueSheetName(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[:\\/?*[\]]/g, "_").replace(/^'+|'+$/g, "").trim().slice(0, 31) || "Sheet";
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 2)} (${n})`;
  taken.add(name.toLowerCase());
  return name;
}
