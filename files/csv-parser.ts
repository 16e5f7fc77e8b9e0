import { MAX_CELL_CHARS, MAX_COLUMNS } from "./limits.ts";
import { TableFileError, columnLetter, messages } from "./table-file-error.ts";
import type { TableRow } from "./read-table.ts";

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * An incremental RFC 4180 parser: feed it decoded text in chunks of any size and it returns the
 * complete records so far, each numbered as Excel numbers rows (a record's ordinal; blank lines count,
 * a quoted field's embedded line breaks do not start a new row). Fields are trimmed.
 *
 * Lenient where Excel is: a quote inside an unquoted field is a literal character, text after a
 * closing quote is appended, a lone CR ends a line. A quoted field still open at the end is an error,
 * as are a field longer than Excel's 32,767 characters and a record of more than 16,384 fields
 * (limits.ts), refused as soon as they pass the limit.
 *
 * Example: new CsvParser(",").push('年度,金额(元)\r\n2024,"18,096.59"\r\n') →
 *   [{ rowNumber: 1, cells: ["年度", "金额(元)"] }, { rowNumber: 2, cells: ["2024", "18,096.59"] }]
 */
export class CsvParser {
  private readonly delimiter: number;
  private fields: string[] = [];
  private field = "";
  /** 0 outside quotes, 1 inside a quoted field, 2 just after a quote inside a quoted field, 3 after a closed quoted field. */
  private quoteState = 0;
  private fieldStarted = false;
  private skipLineFeed = false;
  private recordNumber = 0;

  constructor(delimiter: "," | "\t") {
    this.delimiter = delimiter.charCodeAt(0);
  }

  push(text: string): TableRow[] {
    const records: TableRow[] = [];
    const delimiter = this.delimiter;
    const n = text.length;
    let i = 0;
    if (this.skipLineFeed && n > 0) {
      this.skipLineFeed = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    while (i < n) {
      if (this.quoteState === 1) {
        const quote = text.indexOf('"', i);
        if (quote === -1) {
          this.field += text.slice(i);
          this.checkField();
          i = n;
          break;
        }
        this.field += text.slice(i, quote);
        this.checkField();
        this.quoteState = 2;
        i = quote + 1;
        continue;
      }
      if (this.quoteState === 2) {
        // After a quote inside a quoted field: a second quote is a literal one, anything else closes.
        if (text.charCodeAt(i) === QUOTE) {
          this.field += '"';
          this.checkField();
          this.quoteState = 1;
          i++;
          continue;
        }
        this.quoteState = 3;
      }
      // Unquoted text up to the next delimiter or line break.
      const start = i;
      let c = 0;
      while (i < n) {
        c = text.charCodeAt(i);
        if (c === delimiter || c === LF || c === CR || c === QUOTE) break;
        i++;
      }
      if (i > start) {
        this.field += text.slice(start, i);
        this.fieldStarted = true;
        this.checkField();
      }
      if (i >= n) break;
      if (c === QUOTE) {
        if (this.quoteState === 0 && this.field.trim() === "") {
          this.field = "";
          this.quoteState = 1;
          this.fieldStarted = true;
        } else {
          this.field += '"';
          this.fieldStarted = true;
          this.checkField();
        }
        i++;
        continue;
      }
      // A delimiter or a line break ends the field.
      this.pushField();
      this.field = "";
      this.fieldStarted = false;
      this.quoteState = 0;
      i++;
      if (c !== delimiter) {
        records.push(this.takeRecord());
        if (c === CR) {
          if (i < n) {
            if (text.charCodeAt(i) === LF) i++;
          } else {
            this.skipLineFeed = true;
          }
        }
      }
    }
    return records;
  }

  /** The last record when the text does not end with a line break; throws on an unclosed quote. */
  finish(): TableRow[] {
    if (this.quoteState === 1) throw new TableFileError(messages.unclosedQuote(this.recordNumber + 1), { rowNumber: this.recordNumber + 1 });
    if (this.fields.length === 0 && !this.fieldStarted && this.quoteState === 0 && this.field === "") return [];
    this.pushField();
    this.field = "";
    this.fieldStarted = false;
    this.quoteState = 0;
    return [this.takeRecord()];
  }

  private pushField(): void {
    if (this.fields.length >= MAX_COLUMNS) throw new TableFileError(messages.tooManyColumns(this.recordNumber + 1), { rowNumber: this.recordNumber + 1 });
    this.fields.push(this.field.trim());
  }

  /** Refuses the field being read once it passes MAX_CELL_CHARS: a 20 MB cell is never built, nor quoted whole. */
  private checkField(): void {
    if (this.field.length <= MAX_CELL_CHARS) return;
    const row = this.recordNumber + 1;
    const column = columnLetter(this.fields.length + 1);
    throw new TableFileError(messages.cellTooLong(row, column, this.field.trimStart().slice(0, 1024)), { rowNumber: row, column });
  }

  private takeRecord(): TableRow {
    this.recordNumber++;
    const record = { rowNumber: this.recordNumber, cells: this.fields };
    this.fields = [];
    return record;
  }
}
