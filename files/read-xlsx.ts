import type { ByteSource } from "./byte-source.ts";
import { builtInDateKind, formatDateKind } from "./cell-text.ts";
import { FormulaTally, SheetScanner, type CellContext } from "./sheet-scanner.ts";
import type { TableRow } from "./read-table.ts";
import { TableFileError, messages } from "./table-file-error.ts";
import type { Message } from "../messages/index.ts";
import { XmlScanner, XmlSyntaxError, attribute, decodeExcelEscapes, decodeXml, type XmlHandler } from "./xml-scanner.ts";
import { readZipDirectory, readZipEntry, readZipText, type ZipEntry } from "./zip-archive.ts";

/*
 * A streaming XLSX reader: the ZIP's central directory gives random access to the parts; the shared
 * strings and styles are read first, then the first visible worksheet with data is parsed as it
 * inflates, one chunk at a time, so memory stays bounded by the shared strings, not by the rows.
 *
 * Not exceljs's stream reader: that one (4.4.0) decodes each chunk on its own, which garbles Chinese
 * characters that straddle a chunk boundary; it also skips merged cells, reads the zh-CN built-in
 * date formats as plain numbers and can hang on a truncated file.
 */

/** Everything inflated from one workbook together: beyond this, the file is refused (a ZIP bomb guard). */
export const MAX_INFLATED_BYTES = 1024 * 1024 * 1024;

export interface MergedRange {
  ref: string;
  firstRow: number;
  lastRow: number;
}

export interface XlsxTable {
  sheetName: string;
  merges: MergedRange[];
  batches: AsyncGenerator<TableRow[]>;
}

export interface XlsxSheet {
  name: string;
  hidden: boolean;
  entry: ZipEntry;
}

/** A workbook opened as far as its sheets: names in order, shared strings and styles read once. */
export interface XlsxWorkbook {
  /** Every worksheet in tab order, hidden ones included (chart and dialog sheets left out). */
  sheets: XlsxSheet[];
  /**
   * Positions a worksheet at its first row with content; null when it has none. Formula notes go
   * to `notes` as its rows are read.
   */
  openSheet(sheet: XlsxSheet, notes: Message[]): Promise<XlsxTable | null>;
}

/** Reads a workbook's structure: which worksheets it has, its shared strings, its date formats. */
export async function openWorkbook(source: ByteSource): Promise<XlsxWorkbook> {
  const entries = await readZipDirectory(source);
  const byName = new Map(entries.map((entry) => [entry.name.toLowerCase(), entry]));
  const part = (name: string) => byName.get(name.toLowerCase());
  const inflated = entries.reduce((total, entry) => total + entry.uncompressedSize, 0);
  if (inflated > MAX_INFLATED_BYTES) throw new TableFileError(messages.inflatedTooLarge(MAX_INFLATED_BYTES));

  const packageRels = part("_rels/.rels");
  const mainTarget = packageRels
    ? relationships(await readZipText(source, packageRels), "").find((rel) => rel.type.endsWith("/officeDocument"))?.target
    : undefined;
  const workbookEntry = part(mainTarget ?? "xl/workbook.xml") ?? part("xl/workbook.xml");
  if (!workbookEntry) throw new TableFileError(part("mimetype") || part("content.xml") ? messages.ods : messages.notWorkbook);

  const workbookXml = await readZipText(source, workbookEntry);
  const workbookDir = workbookEntry.name.slice(0, workbookEntry.name.lastIndexOf("/") + 1);
  const workbookRelsEntry = part(`${workbookDir}_rels/${workbookEntry.name.slice(workbookDir.length)}.rels`);
  const rels = workbookRelsEntry ? relationships(await readZipText(source, workbookRelsEntry), workbookDir) : [];
  const date1904 = /<(?:\w+:)?workbookPr\s[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/.test(workbookXml);

  const stylesEntry = part(rels.find((rel) => rel.type.endsWith("/styles"))?.target ?? `${workbookDir}styles.xml`);
  const dateKinds = stylesEntry ? parseStyles(await readZipText(source, stylesEntry)) : new Uint8Array(0);
  const sharedStringsEntry = part(rels.find((rel) => rel.type.endsWith("/sharedStrings"))?.target ?? `${workbookDir}sharedStrings.xml`);
  const sharedStrings = sharedStringsEntry ? await readSharedStrings(source, sharedStringsEntry) : [];

  const sheets: XlsxSheet[] = [];
  for (const attributes of elements(workbookXml, "sheet")) {
    const state = attribute(attributes, "state");
    const id = /(?:^|\s)[\w.-]+:id\s*=\s*["']([^"']*)["']/.exec(attributes)?.[1];
    const rel = rels.find((candidate) => candidate.id === id);
    if (!rel || !rel.type.endsWith("/worksheet")) continue; // chart sheets, dialog sheets
    const entry = part(rel.target);
    if (!entry) throw new TableFileError(messages.corruptZip);
    sheets.push({ name: attribute(attributes, "name") ?? rel.target, hidden: state === "hidden" || state === "veryHidden", entry });
  }

  return {
    sheets,
    async openSheet(sheet, notes) {
      const merges = await scanMergedCells(source, sheet.entry);
      const formulas = new FormulaTally(); // a sheet without data keeps its formula notes to itself
      const batches = sheetBatches(source, sheet.entry, { sharedStrings, dateKinds, date1904, sheetName: sheet.name, formulas });
      const first = await batches.next();
      if (first.done) return null;
      formulas.moveTo(notes);
      return { sheetName: sheet.name, merges, batches: prepend(first.value, batches, () => formulas.finish()) };
    },
  };
}

async function* prepend(first: TableRow[], rest: AsyncGenerator<TableRow[]>, done: () => void): AsyncGenerator<TableRow[]> {
  try {
    yield first;
    yield* rest;
  } finally {
    done();
  }
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

function relationships(xml: string, baseDir: string): Relationship[] {
  const found: Relationship[] = [];
  for (const attributes of elements(xml, "Relationship")) {
    if (attribute(attributes, "TargetMode") === "External") continue;
    const target = attribute(attributes, "Target");
    if (target === undefined) continue;
    found.push({ id: attribute(attributes, "Id") ?? "", type: attribute(attributes, "Type") ?? "", target: resolvePart(baseDir, target) });
  }
  return found;
}

function resolvePart(baseDir: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // keep it as written
  }
  const path = decoded.startsWith("/") ? decoded.slice(1) : baseDir + decoded;
  const parts: string[] = [];
  for (const piece of path.split("/")) {
    if (piece === "..") parts.pop();
    else if (piece !== "." && piece !== "") parts.push(piece);
  }
  return parts.join("/");
}

/** The raw attribute text of every start tag with the given local name, in document order. */
function elements(xml: string, name: string): string[] {
  const pattern = new RegExp(`<(?:[\\w.-]+:)?${name}(\\s(?:[^>"']|"[^"]*"|'[^']*')*)?/?>`, "g");
  return Array.from(xml.matchAll(pattern), (match) => match[1] ?? "");
}

/** For each cell format (cellXfs index) whether its number format is a date or a time. */
function parseStyles(xml: string): Uint8Array {
  const customFormats = new Map<number, string>();
  for (const attributes of elements(xml, "numFmt")) {
    const id = Number(attribute(attributes, "numFmtId"));
    const code = attribute(attributes, "formatCode");
    if (Number.isInteger(id) && code !== undefined) customFormats.set(id, code);
  }
  const cellXfs = /<(?:[\w.-]+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?cellXfs>/.exec(xml)?.[1] ?? "";
  const xfs = elements(cellXfs, "xf");
  const kinds = new Uint8Array(xfs.length);
  xfs.forEach((attributes, index) => {
    const id = Number(attribute(attributes, "numFmtId") ?? "0");
    const custom = customFormats.get(id);
    kinds[index] = custom !== undefined ? formatDateKind(custom) : builtInDateKind(id);
  });
  return kinds;
}

async function readSharedStrings(source: ByteSource, entry: ZipEntry): Promise<string[]> {
  const strings: string[] = [];
  let parts: string[] = [];
  let inPhonetic = false;
  const handler: XmlHandler = {
    capturing: false,
    open(name, _attributes, selfClosing) {
      if (name === "t") handler.capturing = !inPhonetic && !selfClosing;
      else if (name === "si") parts = [];
      else if (name === "rPh") inPhonetic = true;
    },
    close(name) {
      if (name === "t") handler.capturing = false;
      else if (name === "rPh") inPhonetic = false;
      else if (name === "si") strings.push(decodeExcelEscapes(decodeXml(parts.join(""))).trim());
    },
    text(raw) {
      parts.push(raw);
    },
  };
  await scanPart(source, entry, handler, "sharedStrings.xml");
  return strings;
}

async function scanPart(source: ByteSource, entry: ZipEntry, handler: XmlHandler, label: string): Promise<void> {
  const scanner = new XmlScanner(handler);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of readZipEntry(source, entry)) scanner.feed(decoder.decode(chunk, { stream: true }));
    scanner.feed(decoder.decode());
    scanner.end();
  } catch (error) {
    throw xmlError(error, label);
  }
}

function xmlError(error: unknown, label: string): unknown {
  const invalidUtf8 = (error as { code?: unknown } | null)?.code === "ERR_ENCODING_INVALID_ENCODED_DATA";
  if (error instanceof XmlSyntaxError || invalidUtf8) return new TableFileError(messages.badXml(label), { cause: error });
  return error;
}

const SHEET_DATA_END = Buffer.from("sheetData>");

/**
 * The merged ranges of a worksheet. Excel writes <mergeCells> after <sheetData>, so this reads the
 * whole part once before the rows are parsed (which also checks its CRC, so that a damaged file is
 * refused before any row is read).
 */
async function scanMergedCells(source: ByteSource, entry: ZipEntry): Promise<MergedRange[]> {
  let carry: Buffer = Buffer.alloc(0);
  let tail: Buffer[] | null = null;
  for await (const chunk of readZipEntry(source, entry)) {
    if (tail) {
      tail.push(chunk);
      continue;
    }
    const window = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let at = window.indexOf(SHEET_DATA_END);
    while (at !== -1 && !closesSheetData(window, at)) at = window.indexOf(SHEET_DATA_END, at + 1);
    if (at !== -1) tail = [window.subarray(at + SHEET_DATA_END.length)];
    else carry = window.subarray(Math.max(0, window.length - 64));
  }
  if (!tail) return [];
  const xml = Buffer.concat(tail).toString("utf8");
  const merges: MergedRange[] = [];
  for (const attributes of elements(xml, "mergeCell")) {
    const match = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(attribute(attributes, "ref") ?? "");
    if (!match) continue;
    const [ref, , firstRow, , lastRow] = match as unknown as [string, string, string, string, string];
    if (ref.split(":")[0] === ref.split(":")[1]) continue;
    merges.push({ ref, firstRow: Number(firstRow), lastRow: Number(lastRow) });
  }
  return merges;
}

/** Whether "sheetData>" at `at` is the end tag "</sheetData>" or "</x:sheetData>". */
function closesSheetData(window: Buffer, at: number): boolean {
  let i = at - 1;
  if (window[i] === 58 /* : */) {
    i--;
    while (i >= 0 && window[i] !== 47 && window[i] !== 60 && window[i] !== 32) i--;
  }
  return window[i] === 47 /* / */ && window[i - 1] === 60; /* < */
}

async function* sheetBatches(source: ByteSource, entry: ZipEntry, context: CellContext): AsyncGenerator<TableRow[]> {
  const scanner = new SheetScanner(context);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of readZipEntry(source, entry)) {
      scanner.feed(decoder.decode(chunk, { stream: true }));
      if (scanner.rows.length > 0) {
        const rows = scanner.rows;
        scanner.rows = [];
        yield rows;
      }
      if (scanner.finished) return;
    }
    scanner.feed(decoder.decode());
    scanner.end();
  } catch (error) {
    throw xmlError(error, context.sheetName);
  }
  if (scanner.rows.length > 0) yield scanner.rows;
}
