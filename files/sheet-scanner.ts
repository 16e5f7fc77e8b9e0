import { numberText, serialToDateTimeText, serialToTimeText } from "./cell-text.ts";
import { MAX_CELL_CHARS, MAX_CHARS_WITHOUT_CELL, MAX_COLUMNS, MAX_HELD_CELLS, MAX_RAW_CELL_CHARS } from "./limits.ts";
import type { TableRow } from "./read-table.ts";
import { TableFileError, columnLetter, messages } from "./table-file-error.ts";
import type { Message } from "../messages/index.ts";
import { XmlSyntaxError, decodeExcelEscapes, decodeXml } from "./xml-scanner.ts";

/*
 * The hot loop of XLSX reading: a scanner for a worksheet's <sheetData>, fed decoded text in chunks.
 * It recognises tags by their first characters instead of slicing names and parses the few cell
 * attributes in place, which makes it several times faster than a general XML tokenizer. Inside
 * <sheetData> no attribute value can contain ">", so a tag ends at the first ">".
 *
 * Within the caps of limits.ts: a cell beyond column XFD and a value longer than Excel's 32,767
 * characters are refused (the value's raw text is checked while it is collected), and the scanner
 * pauses once the rows it holds reach MAX_HELD_CELLS cells (empty ones padding a row included), and
 * a worksheet with more than MAX_CHARS_WITHOUT_CELL characters between two cells is refused.
 */

export interface CellContext {
  sharedStrings: string[];
  /** Per cell format: 0 a number, 1 a date, 2 a time of day. */
  dateKinds: Uint8Array;
  date1904: boolean;
  sheetName: string;
  formulas: FormulaTally;
}

/** Notes for formula cells, one per column, completed by finish() once the rows are read. */
export class FormulaTally {
  private readonly columns = new Map<number, { first: number; last: number; count: number; note: number }>();

  constructor(private notes: Message[] = []) {}

  /** Moves the notes so far to the end of `notes` and keeps writing there. */
  moveTo(notes: Message[]): void {
    const offset = notes.length;
    notes.push(...this.notes);
    for (const tally of this.columns.values()) tally.note += offset;
    this.notes = notes;
  }

  add(row: number, column: number): void {
    const tally = this.columns.get(column);
    if (tally) {
      tally.last = row;
      tally.count++;
    } else {
      this.columns.set(column, { first: row, last: row, count: 1, note: this.notes.length });
      this.notes.push(messages.formulaNote(row, columnLetter(column)));
    }
  }

  finish(): void {
    for (const [column, tally] of this.columns) {
      if (tally.count > 1) {
        this.notes[tally.note] = messages.formulasNote(columnLetter(column), tally.count, tally.first, tally.last);
      }
    }
  }
}

const GT = 62;
const SLASH = 47;
const COLON = 58;
const QUOTE = 34;
const APOSTROPHE = 39;

const TYPE_NUMBER = 0;
const TYPE_SHARED = 1;
const TYPE_STRING = 2; // "str": a formula's text result
const TYPE_INLINE = 3;
const TYPE_BOOLEAN = 4;
const TYPE_ERROR = 5;
const TYPE_DATE = 6; // "d": an ISO 8601 date

export class SheetScanner {
  /** Completed rows with content, taken by the caller (takeRows) after each feed. */
  rows: TableRow[] = [];
  /** Set at </sheetData>: nothing after it is needed. */
  finished = false;
  /**
   * Set when a feed stopped early because the rows held reached MAX_HELD_CELLS cells: the caller takes
   * the rows, then feeds "" to go on with the text kept, until it is no longer set.
   */
  paused = false;

  private heldCells = 0;
  /** Positions in the worksheet's text: of the current feed's text, and where the last row or cell started. */
  private offset = 0;
  private lastCellAt = 0;
  private carry = "";
  private inSheetData = false;
  private rowNumber = 0;
  private cells: string[] = [];
  private nextColumn = 1;
  private inCell = false;
  private column = 0;
  private type = TYPE_NUMBER;
  private style = 0;
  private hasFormula = false;
  private hasValue = false;
  private value = "";
  private capturing = false;
  private inInline = false;
  private inPhonetic = false;
  private readonly dates = new Map<number, string>();

  constructor(private readonly context: CellContext) {}

  /** The rows completed so far, handed over. */
  takeRows(): TableRow[] {
    const rows = this.rows;
    this.rows = [];
    this.heldCells = 0;
    return rows;
  }

  feed(chunk: string): void {
    const s = this.carry.length > 0 ? this.carry + chunk : chunk;
    const n = s.length;
    let pos = 0;
    this.paused = false;
    while (pos < n && !this.finished) {
      if (this.heldCells >= MAX_HELD_CELLS) {
        this.paused = true;
        break;
      }
      const lt = s.indexOf("<", pos);
      if (lt === -1) {
        if (this.capturing) this.capture(s.slice(pos));
        pos = n;
        break;
      }
      if (this.capturing && lt > pos) this.capture(s.slice(pos, lt));
      pos = lt;
      const first = s.charCodeAt(lt + 1);
      if (first === 33 /* ! */ || first === 63 /* ? */) {
        const end = this.skipSpecial(s, lt);
        if (end === -1) break;
        pos = end;
        continue;
      }
      const gt = this.inSheetData ? s.indexOf(">", lt + 1) : tagEnd(s, lt);
      if (gt === -1) break;
      pos = gt + 1;
      if (first === SLASH) {
        this.closeTag(s, lt + 2, gt);
      } else {
        const selfClosing = s.charCodeAt(gt - 1) === SLASH;
        this.openTag(s, lt + 1, selfClosing ? gt - 1 : gt, selfClosing);
      }
    }
    if (!this.finished && this.offset + pos - this.lastCellAt > MAX_CHARS_WITHOUT_CELL) {
      throw new TableFileError(messages.noCells(this.context.sheetName, MAX_CHARS_WITHOUT_CELL));
    }
    this.offset += pos;
    this.carry = pos < n && !this.finished ? s.slice(pos) : "";
    // Unless paused, the carry is an unterminated tag: it always starts at "<".
    if (!this.paused && this.carry.length > 1024 * 1024) throw new XmlSyntaxError("unterminated tag");
  }

  /** Text of the value being read; refused once its raw text passes MAX_RAW_CELL_CHARS (a 300 MB string is never built). */
  private capture(text: string): void {
    this.value += text;
    if (this.value.length > MAX_RAW_CELL_CHARS) this.tooLong(decodeExcelEscapes(decodeXml(this.value.slice(0, 1024))));
  }

  private tooLong(text: string): never {
    const column = columnLetter(this.column);
    throw new TableFileError(messages.cellTooLong(this.rowNumber, column, text), { rowNumber: this.rowNumber, column });
  }

  end(): void {
    if (this.carry.trimStart().startsWith("<")) throw new XmlSyntaxError("document ends inside a tag");
  }

  /** Comments, CDATA (its text kept when capturing), processing instructions; returns the position after, or -1. */
  private skipSpecial(s: string, lt: number): number {
    if (s.startsWith("<![CDATA[", lt)) {
      const end = s.indexOf("]]>", lt);
      if (end === -1) return -1;
      if (this.capturing) this.capture(s.slice(lt + 9, end).replace(/&/g, "&amp;").replace(/</g, "&lt;"));
      return end + 3;
    }
    if (s.startsWith("<!--", lt)) {
      const end = s.indexOf("-->", lt);
      return end === -1 ? -1 : end + 3;
    }
    if (s.length - lt < 9) return -1;
    if (s.startsWith("<!DOCTYPE", lt) || s.startsWith("<!ENTITY", lt)) throw new XmlSyntaxError("DTDs are not allowed");
    const end = s.indexOf(">", lt);
    return end === -1 ? -1 : end + 1;
  }

  private openTag(s: string, start: number, end: number, selfClosing: boolean): void {
    let nameEnd = start;
    let localStart = start;
    for (; nameEnd < end; nameEnd++) {
      const c = s.charCodeAt(nameEnd);
      if (c === 32 || c === 9 || c === 10 || c === 13) break;
      if (c === COLON) localStart = nameEnd + 1;
    }
    const length = nameEnd - localStart;
    const c0 = s.charCodeAt(localStart);
    if (!this.inSheetData) {
      if (length === 9 && s.startsWith("sheetData", localStart)) this.inSheetData = !selfClosing;
      return;
    }
    if (length === 1) {
      if (c0 === 99 /* c */) this.openCell(s, nameEnd, end, selfClosing);
      else if (c0 === 118 /* v */) {
        if (this.inCell) {
          this.hasValue = true;
          this.value = "";
          this.capturing = !selfClosing;
        }
      } else if (c0 === 102 /* f */) {
        if (this.inCell) this.hasFormula = true;
      } else if (c0 === 116 /* t */) {
        if (this.inInline && !this.inPhonetic) this.capturing = !selfClosing;
      }
    } else if (length === 3) {
      if (s.startsWith("row", localStart)) this.openRow(s, nameEnd, end);
      else if (s.startsWith("rPh", localStart)) this.inPhonetic = !selfClosing;
    } else if (length === 2 && s.startsWith("is", localStart)) {
      if (this.inCell) {
        this.inInline = !selfClosing;
        this.hasValue = true;
        this.value = "";
      }
    }
  }

  private closeTag(s: string, start: number, end: number): void {
    if (!this.inSheetData) return;
    let localStart = start;
    for (let i = start; i < end; i++) if (s.charCodeAt(i) === COLON) localStart = i + 1;
    let nameEnd = end;
    while (nameEnd > localStart && s.charCodeAt(nameEnd - 1) <= 32) nameEnd--;
    const length = nameEnd - localStart;
    const c0 = s.charCodeAt(localStart);
    if (length === 1) {
      if (c0 === 99 /* c */) {
        if (this.inCell) this.finishCell();
        this.inCell = false;
      } else if (c0 === 118 /* v */ || c0 === 116 /* t */) this.capturing = false;
    } else if (length === 3) {
      if (s.startsWith("row", localStart)) {
        if (this.cells.length > 0) {
          this.rows.push({ rowNumber: this.rowNumber, cells: this.cells });
          this.heldCells += this.cells.length;
        }
        this.cells = [];
      } else if (s.startsWith("rPh", localStart)) this.inPhonetic = false;
    } else if (length === 2 && s.startsWith("is", localStart)) {
      this.inInline = false;
    } else if (length === 9 && s.startsWith("sheetData", localStart)) {
      this.inSheetData = false;
      this.finished = true;
    }
  }

  private openRow(s: string, from: number, end: number): void {
    this.lastCellAt = this.offset + from;
    const r = attributeRange(s, from, end, 114 /* r */);
    this.rowNumber = r === -1 ? this.rowNumber + 1 : parseDigits(s, r, end);
    this.cells = [];
    this.nextColumn = 1;
  }

  private openCell(s: string, from: number, end: number, selfClosing: boolean): void {
    this.lastCellAt = this.offset + from;
    let column = 0;
    let reference = -1;
    let referenceEnd = -1;
    let type = TYPE_NUMBER;
    let style = 0;
    // Attributes r, s, t in any order; others are skipped.
    let i = from;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        i++;
        continue;
      }
      const nameStart = i;
      while (i < end && s.charCodeAt(i) !== 61 /* = */) i++;
      const nameLength = i - nameStart;
      i++;
      while (i < end && s.charCodeAt(i) !== QUOTE && s.charCodeAt(i) !== APOSTROPHE) i++;
      const quote = s.charCodeAt(i);
      const valueStart = i + 1;
      let valueEnd = valueStart;
      while (valueEnd < end && s.charCodeAt(valueEnd) !== quote) valueEnd++;
      i = valueEnd + 1;
      if (nameLength !== 1) continue;
      const name = s.charCodeAt(nameStart);
      if (name === 114 /* r */) {
        reference = valueStart;
        referenceEnd = valueEnd;
        for (let k = valueStart; k < valueEnd; k++) {
          const letter = s.charCodeAt(k);
          if (letter < 65 || letter > 90) break;
          column = column * 26 + (letter - 64);
        }
      } else if (name === 115 /* s */) {
        style = parseDigits(s, valueStart, valueEnd);
      } else if (name === 116 /* t */) {
        type = cellType(s, valueStart, valueEnd);
      }
    }
    this.column = column > 0 ? column : this.nextColumn;
    if (this.column > MAX_COLUMNS) {
      // r="AAAAAAA2": a row padded up to column 3×10⁸. Named as written (or as the column it would be).
      const ref = column > 0 && reference !== -1 ? s.slice(reference, Math.min(referenceEnd, reference + 64)) : `${columnLetter(this.column)}${this.rowNumber}`;
      throw new TableFileError(messages.columnBeyondXfd(this.rowNumber, ref), { rowNumber: this.rowNumber });
    }
    this.nextColumn = this.column + 1;
    this.type = type;
    this.style = style;
    this.hasFormula = false;
    this.hasValue = false;
    this.value = "";
    this.inCell = !selfClosing;
  }

  private finishCell(): void {
    const { context, rowNumber, column } = this;
    // No closures here: tsx (keepNames) would wrap each one in __name(), per cell.
    if (!this.hasValue) {
      if (this.hasFormula) {
        throw new TableFileError(messages.formulaWithoutResult(rowNumber, columnLetter(column)), { rowNumber, column: columnLetter(column) });
      }
      return;
    }
    let text: string;
    switch (this.type) {
      case TYPE_SHARED: {
        const shared = context.sharedStrings[Number(this.value)];
        if (shared === undefined) throw new TableFileError(messages.badXml(context.sheetName), { rowNumber, column: columnLetter(column) });
        text = shared;
        break;
      }
      case TYPE_STRING:
      case TYPE_INLINE:
        text = decodeExcelEscapes(decodeXml(this.value)).trim();
        break;
      case TYPE_BOOLEAN: {
        const value = this.value.trim();
        text = value === "1" || value === "true" ? "TRUE" : "FALSE";
        break;
      }
      case TYPE_ERROR: {
        const error = decodeXml(this.value).trim() || "#N/A";
        throw new TableFileError(messages.errorValue(rowNumber, columnLetter(column), error, this.hasFormula), { rowNumber, column: columnLetter(column) });
      }
      case TYPE_DATE: {
        const value = this.value.trim();
        // An ISO date, its time of day kept only when it is not midnight (for the importer to refuse).
        const iso = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value);
        text = iso ? (/[1-9]/.test(`${iso[2] ?? ""}${iso[3] ?? ""}${iso[4] ?? ""}`) ? `${iso[1]} ${iso[2]}:${iso[3]}:${iso[4] ?? "00"}` : iso[1]!) : value;
        break;
      }
      default:
        text = this.numberCell(this.value.trim());
    }
    if (text.length > MAX_CELL_CHARS) this.tooLong(text);
    if (this.hasFormula) context.formulas.add(rowNumber, column);
    if (text === "") return;
    const cells = this.cells;
    while (cells.length < column - 1) cells.push("");
    cells[column - 1] = text;
  }

  private numberCell(raw: string): string {
    if (raw === "") return "";
    const kind = this.context.dateKinds[this.style] ?? 0;
    if (kind !== 0) {
      const serial = Number(raw);
      if (Number.isFinite(serial)) {
        if (kind === 2 && serial >= 0 && serial < 1) return serialToTimeText(serial);
        let date = this.dates.get(serial);
        if (date === undefined) {
          date = serialToDateTimeText(serial, this.context.date1904) ?? numberText(raw);
          if (this.dates.size < 100_000) this.dates.set(serial, date);
        }
        return date;
      }
    }
    return numberText(raw);
  }
}

function cellType(s: string, start: number, end: number): number {
  const length = end - start;
  const c0 = s.charCodeAt(start);
  if (length === 1) {
    if (c0 === 115 /* s */) return TYPE_SHARED;
    if (c0 === 98 /* b */) return TYPE_BOOLEAN;
    if (c0 === 101 /* e */) return TYPE_ERROR;
    if (c0 === 100 /* d */) return TYPE_DATE;
    return TYPE_NUMBER;
  }
  if (length === 3 && c0 === 115) return TYPE_STRING;
  if (length === 9 && c0 === 105 /* i */) return TYPE_INLINE;
  return TYPE_NUMBER;
}

/** The start of the value of a one-letter attribute in s[from, end), or -1. */
function attributeRange(s: string, from: number, end: number, letter: number): number {
  for (let i = from; i < end - 2; i++) {
    if (s.charCodeAt(i) === letter && s.charCodeAt(i + 1) === 61 && s.charCodeAt(i - 1) <= 32) {
      const quote = s.charCodeAt(i + 2);
      if (quote === QUOTE || quote === APOSTROPHE) return i + 3;
    }
  }
  return -1;
}

function parseDigits(s: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

/** The ">" ending the tag at lt, skipping ">" inside quoted attribute values (outside sheetData), or -1. */
function tagEnd(s: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === QUOTE || c === APOSTROPHE) quote = c;
    else if (c === GT) return i;
  }
  return -1;
}
