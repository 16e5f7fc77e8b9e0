import type { ByteSource } from "./byte-source.ts";
import { builtInDateKind, formatDateKind } from "./cell-text.ts";
import {
  MAX_AFTER_SHEET_DATA_BYTES,
  MAX_CELL_CHARS,
  MAX_CELL_FORMATS,
  MAX_INFLATED_BYTES,
  MAX_INFLATE_RATIO,
  MAX_MERGED_RANGES_KEPT,
  MAX_RAW_CELL_CHARS,
  MAX_SHARED_STRINGS,
  MAX_SHARED_STRINGS_PART_BYTES,
  MAX_SHARED_STRING_CHARS,
  MAX_SHEETS,
  MAX_SHEET_PART_BYTES,
  MAX_WHOLE_PART_BYTES,
  RATIO_CHECKED_ABOVE_BYTES,
} from "./limits.ts";
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
 * Every part is checked against its cap (limits.ts) before it is inflated, and what is collected
 * while it inflates (shared strings, cell text, what follows the data) against theirs, so that a
 * hostile file is refused in bounded memory and time.
 *
 * Not exceljs's stream reader: that one (4.4.0) decodes each chunk on its own, which garbles Chinese
 * characters that straddle a chunk boundary; it also skips merged cells, reads the zh-CN built-in
 * date formats as plain numbers and can hang on a truncated file.
 */

export { MAX_INFLATED_BYTES } from "./limits.ts";

export interface MergedRange {
  ref: string;
  firstRow: number;
  lastRow: number;
}

export interface XlsxTable {
  sheetName: string;
  /** The worksheet's merged ranges, the first MAX_MERGED_RANGES_KEPT of them. */
  merges: MergedRange[];
  /** Merged ranges beyond those kept, counted. */
  moreMerges: number;
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
  const readWhole = (entry: ZipEntry) => {
    checkPartSize(entry, MAX_WHOLE_PART_BYTES, messages.partTooLarge(entry.name, MAX_WHOLE_PART_BYTES));
    return readZipText(source, entry);
  };

  const packageRels = part("_rels/.rels");
  const mainTarget = packageRels ? relationships(await readWhole(packageRels), "").officeDocument?.target : undefined;
  const workbookEntry = part(mainTarget ?? "xl/workbook.xml") ?? part("xl/workbook.xml");
  if (!workbookEntry) throw new TableFileError(part("mimetype") || part("content.xml") ? messages.ods : messages.notWorkbook);

  const workbookXml = await readWhole(workbookEntry);
  const workbookDir = workbookEntry.name.slice(0, workbookEntry.name.lastIndexOf("/") + 1);
  const workbookRelsEntry = part(`${workbookDir}_rels/${workbookEntry.name.slice(workbookDir.length)}.rels`);
  const rels = workbookRelsEntry ? relationships(await readWhole(workbookRelsEntry), workbookDir) : relationships("", workbookDir);
  let date1904 = false;
  for (const attributes of elements(workbookXml, "workbookPr")) {
    const value = attribute(attributes, "date1904");
    date1904 = value === "1" || value === "true";
    break;
  }

  const stylesEntry = part(rels.styles?.target ?? `${workbookDir}styles.xml`);
  const dateKinds = stylesEntry ? parseStyles(await readWhole(stylesEntry)) : new Uint8Array(0);
  const sharedStringsEntry = part(rels.sharedStrings?.target ?? `${workbookDir}sharedStrings.xml`);
  const sharedStrings = sharedStringsEntry ? await readSharedStrings(source, sharedStringsEntry) : [];

  const sheets: XlsxSheet[] = [];
  const sheetParts = new Set<ZipEntry>();
  let sheetElements = 0;
  for (const attributes of elements(workbookXml, "sheet")) {
    if (++sheetElements > MAX_SHEETS) throw new TableFileError(messages.tooManySheets(MAX_SHEETS));
    const state = attribute(attributes, "state");
    const id = /(?:^|\s)[\w.-]+:id\s*=\s*["']([^"']*)["']/.exec(attributes)?.[1];
    const rel = id === undefined ? undefined : rels.worksheets.get(id);
    if (!rel) continue; // chart sheets, dialog sheets
    const entry = part(rel.target);
    // Two worksheets reading the same part: not a workbook Excel writes, and a way to read one part many times.
    if (!entry || sheetParts.has(entry)) throw new TableFileError(messages.corruptZip);
    sheetParts.add(entry);
    sheets.push({ name: attribute(attributes, "name") ?? rel.target, hidden: state === "hidden" || state === "veryHidden", entry });
  }

  // The merged cells of a worksheet are read once, however often it is opened.
  const mergesOf = new Map<ZipEntry, Promise<SheetMerges>>();
  return {
    sheets,
    async openSheet(sheet, notes) {
      checkPartSize(sheet.entry, MAX_SHEET_PART_BYTES, messages.sheetTooLarge(sheet.name, MAX_SHEET_PART_BYTES));
      let merges = mergesOf.get(sheet.entry);
      if (!merges) mergesOf.set(sheet.entry, (merges = scanMergedCells(source, sheet.entry, sheet.name)));
      const { kept, more } = await merges;
      const formulas = new FormulaTally(); // a sheet without data keeps its formula notes to itself
      const batches = sheetBatches(source, sheet.entry, { sharedStrings, dateKinds, date1904, sheetName: sheet.name, formulas });
      const first = await batches.next();
      if (first.done) return null;
      formulas.moveTo(notes);
      return { sheetName: sheet.name, merges: kept, moreMerges: more, batches: prepend(first.value, batches, () => formulas.finish()) };
    },
  };
}

/**
 * Refuses a part before it is inflated: larger than `limit` (`tooLarge` says so), or inflating to more
 * than MAX_INFLATE_RATIO times its compressed size (a ZIP bomb). The ZIP reader enforces the declared
 * size while inflating (an entry longer than declared is corrupt), so the declared size is the bound.
 */
function checkPartSize(entry: ZipEntry, limit: number, tooLarge: Message): void {
  if (entry.uncompressedSize > limit) throw new TableFileError(tooLarge);
  if (entry.uncompressedSize > RATIO_CHECKED_ABOVE_BYTES && entry.uncompressedSize > MAX_INFLATE_RATIO * entry.compressedSize) {
    throw new TableFileError(messages.zipBomb(entry.name, entry.uncompressedSize, MAX_INFLATE_RATIO));
  }
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

/** The relationships the reader follows: the main document, the worksheets by id, the styles and the shared strings. */
interface Relationships {
  officeDocument?: Relationship;
  worksheets: Map<string, Relationship>;
  styles?: Relationship;
  sharedStrings?: Relationship;
}

function relationships(xml: string, baseDir: string): Relationships {
  const found: Relationships = { worksheets: new Map() };
  for (const attributes of elements(xml, "Relationship")) {
    if (attribute(attributes, "TargetMode") === "External") continue;
    const target = attribute(attributes, "Target");
    const type = attribute(attributes, "Type") ?? "";
    if (target === undefined) continue;
    const rel = (): Relationship => ({ id: attribute(attributes, "Id") ?? "", type, target: resolvePart(baseDir, target) });
    if (type.endsWith("/worksheet")) {
      const worksheet = rel();
      if (!found.worksheets.has(worksheet.id)) found.worksheets.set(worksheet.id, worksheet);
      if (found.worksheets.size > MAX_SHEETS) throw new TableFileError(messages.tooManySheets(MAX_SHEETS));
    } else if (type.endsWith("/officeDocument")) found.officeDocument ??= rel();
    else if (type.endsWith("/styles")) found.styles ??= rel();
    else if (type.endsWith("/sharedStrings")) found.sharedStrings ??= rel();
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

/**
 * The raw attribute text of every start tag with the given local name, in document order, one at a
 * time. Attribute text stops at "<" (never inside a tag), so that each match attempt ends at the next
 * tag: a part of a million unterminated "<sheet " costs one pass, not one per tag.
 */
function* elements(xml: string, name: string): Generator<string> {
  const pattern = new RegExp(`<(?:[\\w.-]+:)?${name}(\\s(?:[^<>"']|"[^<"]*"|'[^<']*')*)?/?>`, "g");
  for (const match of xml.matchAll(pattern)) yield match[1] ?? "";
}

/** For each cell format (cellXfs index) whether its number format is a date or a time. */
function parseStyles(xml: string): Uint8Array {
  const customFormats = new Map<number, string>();
  for (const attributes of elements(xml, "numFmt")) {
    const id = Number(attribute(attributes, "numFmtId"));
    const code = attribute(attributes, "formatCode");
    if (Number.isInteger(id) && code !== undefined) customFormats.set(id, code);
    if (customFormats.size > MAX_CELL_FORMATS) throw new TableFileError(messages.tooManyFormats(MAX_CELL_FORMATS));
  }
  const open = /<(?:[\w.-]+:)?cellXfs\b[^<>]*>/.exec(xml);
  const close = open ? /<\/(?:[\w.-]+:)?cellXfs\s*>/g : null;
  if (close) close.lastIndex = open!.index;
  const end = close?.exec(xml)?.index ?? -1;
  const cellXfs = open && end !== -1 ? xml.slice(open.index + open[0].length, end) : "";
  const kinds: number[] = [];
  for (const attributes of elements(cellXfs, "xf")) {
    if (kinds.length >= MAX_CELL_FORMATS) throw new TableFileError(messages.tooManyFormats(MAX_CELL_FORMATS));
    const id = Number(attribute(attributes, "numFmtId") ?? "0");
    const custom = customFormats.get(id);
    kinds.push(custom !== undefined ? formatDateKind(custom) : builtInDateKind(id));
  }
  return Uint8Array.from(kinds);
}

/**
 * The shared strings, in order, within their caps: each at most MAX_CELL_CHARS characters (its raw
 * XML at most MAX_RAW_CELL_CHARS while it is collected), at most MAX_SHARED_STRINGS of them and
 * MAX_SHARED_STRING_CHARS characters together.
 */
async function readSharedStrings(source: ByteSource, entry: ZipEntry): Promise<string[]> {
  checkPartSize(entry, MAX_SHARED_STRINGS_PART_BYTES, messages.partTooLarge(entry.name, MAX_SHARED_STRINGS_PART_BYTES));
  const strings: string[] = [];
  let parts: string[] = [];
  let raw = 0;
  let total = 0;
  let inPhonetic = false;
  const tooLong = () => new TableFileError(messages.textTooLong(decodeExcelEscapes(decodeXml(parts.join("").slice(0, 1024)))));
  const handler: XmlHandler = {
    capturing: false,
    open(name, _attributes, selfClosing) {
      if (name === "t") handler.capturing = !inPhonetic && !selfClosing;
      else if (name === "si") {
        parts = [];
        raw = 0;
      } else if (name === "rPh") inPhonetic = true;
    },
    close(name) {
      if (name === "t") handler.capturing = false;
      else if (name === "rPh") inPhonetic = false;
      else if (name === "si") {
        const text = decodeExcelEscapes(decodeXml(parts.join(""))).trim();
        if (text.length > MAX_CELL_CHARS) throw tooLong();
        if (strings.length >= MAX_SHARED_STRINGS) throw new TableFileError(messages.tooManyTexts(MAX_SHARED_STRINGS));
        total += text.length;
        if (total > MAX_SHARED_STRING_CHARS) throw new TableFileError(messages.textsTooLarge(MAX_SHARED_STRING_CHARS));
        strings.push(detached(text));
        parts = [];
      }
    },
    text(piece) {
      raw += piece.length;
      parts.push(piece);
      if (raw > MAX_RAW_CELL_CHARS) throw tooLong();
    },
  };
  await scanPart(source, entry, handler, "sharedStrings.xml");
  return strings;
}

/**
 * A copy of a string cut from a chunk of the part: V8 keeps a slice of 13 characters or more as a
 * view of the whole chunk, so that the shared strings would keep every chunk of their part alive.
 * Concatenating and slicing again flattens it into a string of its own.
 */
function detached(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
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

interface SheetMerges {
  kept: MergedRange[];
  more: number;
}

/**
 * The merged ranges of a worksheet. Excel writes <mergeCells> after <sheetData>, so this reads the
 * whole part once before the rows are parsed (which also checks its CRC, so that a damaged file is
 * refused before any row is read). What follows </sheetData> is parsed as it streams, at most
 * MAX_AFTER_SHEET_DATA_BYTES of it; the first MAX_MERGED_RANGES_KEPT ranges are kept, the rest counted.
 */
async function scanMergedCells(source: ByteSource, entry: ZipEntry, sheetName: string): Promise<SheetMerges> {
  const merges: SheetMerges = { kept: [], more: 0 };
  const tail = new XmlScanner({
    capturing: false,
    open(name, attributes) {
      if (name !== "mergeCell") return;
      const match = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(attribute(attributes, "ref") ?? "");
      if (!match) return;
      const [ref, , firstRow, , lastRow] = match as unknown as [string, string, string, string, string];
      if (ref.split(":")[0] === ref.split(":")[1]) return;
      if (merges.kept.length < MAX_MERGED_RANGES_KEPT) merges.kept.push({ ref, firstRow: Number(firstRow), lastRow: Number(lastRow) });
      else merges.more++;
    },
    close() {},
    text() {},
  });
  const decoder = new TextDecoder("utf-8"); // not fatal: the rows are checked as they are read, this only looks for merged cells
  let carry: Buffer = Buffer.alloc(0);
  let inTail = false;
  let tailBytes = 0;
  const feedTail = (bytes: Buffer) => {
    tailBytes += bytes.length;
    if (tailBytes > MAX_AFTER_SHEET_DATA_BYTES) throw new TableFileError(messages.afterData(sheetName, MAX_AFTER_SHEET_DATA_BYTES));
    tail.feed(decoder.decode(bytes, { stream: true }));
  };
  try {
    for await (const chunk of readZipEntry(source, entry)) {
      if (inTail) {
        feedTail(chunk);
        continue;
      }
      const window = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      let at = window.indexOf(SHEET_DATA_END);
      while (at !== -1 && !closesSheetData(window, at)) at = window.indexOf(SHEET_DATA_END, at + 1);
      if (at !== -1) {
        inTail = true;
        feedTail(window.subarray(at + SHEET_DATA_END.length));
      } else carry = window.subarray(Math.max(0, window.length - 64));
    }
    if (inTail) {
      tail.feed(decoder.decode());
      tail.end();
    }
  } catch (error) {
    throw xmlError(error, sheetName);
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
      // The scanner pauses when the rows it holds reach MAX_HELD_CELLS: hand them on, then go on.
      for (;;) {
        if (scanner.rows.length > 0) yield scanner.takeRows();
        if (scanner.finished || !scanner.paused) break;
        scanner.feed("");
      }
      if (scanner.finished) return;
    }
    scanner.feed(decoder.decode());
    for (;;) {
      if (scanner.rows.length > 0) yield scanner.takeRows();
      if (scanner.finished || !scanner.paused) break;
      scanner.feed("");
    }
    scanner.end();
  } catch (error) {
    throw xmlError(error, context.sheetName);
  }
  if (scanner.rows.length > 0) yield scanner.takeRows();
}
