import ExcelJS from "exceljs";
import { PassThrough } from "node:stream";

export type ColumnKind = "text" | "amount" | "percent" | "integer" | "date";

export interface SheetColumn {
  header: string;
  key: string;
  kind: ColumnKind;
  /** In characters; by default fitted to the header and the first rows. */
  width?: number;
}

export type SheetCell = string | number | boolean | null;

export interface SheetSpec {
  name: string;
  columns: SheetColumn[];
  rows: Array<Record<string, SheetCell>>;
  totalRow?: Record<string, string | number | null>;
  /** An optional title line above the header, e.g. "2024 年预算执行情况 截至 2024-08-31". */
  title?: string;
}

const NUMBER_FORMATS: Partial<Record<ColumnKind, string>> = { amount: "#,##0.00", percent: "0.00", integer: "0" };
const DECIMAL = /^-?\d+(\.\d+)?$/;
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF2F2F2" } };
const THIN: ExcelJS.Border = { style: "thin", color: { argb: "FFBFBFBF" } };

/**
 * Writes an .xlsx workbook, one worksheet per spec: amounts (exact decimal strings such as
 * "1471745.31") become numbers formatted #,##0.00, percentages ("86.51") numbers formatted 0.00 with
 * "(%)" in the header, integers numbers, dates text YYYY-MM-DD; a bold header row, frozen, with an
 * autofilter; an optional bold total row. Streams through exceljs's WorkbookWriter, so large exports
 * do not build a workbook model in memory.
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
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true });
  workbook.creator = "预算执行监控 Budget Monitor";
  const names = new Set<string>();
  for (const spec of sheets) writeSheet(workbook, uniqueSheetName(spec.name, names), spec);
  await workbook.commit();
  await ended;
  return Buffer.concat(chunks);
}

function writeSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, spec: SheetSpec): void {
  const headerRow = spec.title ? 2 : 1;
  const worksheet = workbook.addWorksheet(name, {
    views: [{ state: "frozen", xSplit: 0, ySplit: headerRow, activeCell: `A${headerRow + 1}` }],
  });
  worksheet.columns = spec.columns.map((column) => ({
    key: column.key,
    width: column.width ?? fittedWidth(column, spec.rows),
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

  for (const row of spec.rows) addValues(worksheet, spec.columns, row).commit();
  const lastDataRow = headerRow + spec.rows.length;
  if (spec.totalRow) {
    const total = addValues(worksheet, spec.columns, spec.totalRow);
    total.eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { bold: true };
      cell.border = { top: THIN };
    });
    total.commit();
  }
  if (spec.columns.length > 0) {
    worksheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: lastDataRow, column: spec.columns.length } };
  }
  worksheet.commit();
}

function addValues(worksheet: ExcelJS.Worksheet, columns: SheetColumn[], values: Record<string, SheetCell | undefined>): ExcelJS.Row {
  const row = worksheet.addRow(columns.map((column) => cellValue(column, values[column.key] ?? null)));
  columns.forEach((column, index) => {
    const format = NUMBER_FORMATS[column.kind];
    if (format) row.getCell(index + 1).numFmt = format;
    else if (column.kind === "date") row.getCell(index + 1).alignment = { horizontal: "center" };
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
    case "date":
      return String(value);
    default:
      return typeof value === "boolean" ? value : String(value);
  }
}

/** Percent columns say so in the header, unless they already do (or are in percentage points). */
function headerText(column: SheetColumn): string {
  if (column.kind !== "percent" || /[%％]|百分点|\bpp\b/.test(column.header)) return column.header;
  return `${column.header}(%)`;
}

/** A width in characters that fits the header and the first rows; CJK characters count double. */
function fittedWidth(column: SheetColumn, rows: SheetSpec["rows"]): number {
  let widest = displayWidth(headerText(column));
  for (const row of rows.slice(0, 200)) {
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
