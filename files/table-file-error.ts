import { msg, render, type Message, type ParamValue } from "../messages/index.ts";
import { MAX_CELL_CHARS, MAX_COLUMNS, MAX_LISTED_NAMES, MAX_QUOTED_CHARS } from "./limits.ts";

/**
 * A file that cannot be read as a table, with a message for the person who uploaded it as a code with
 * parameters (`detail`, rendered in the user's language; `message` is its Chinese text, for logs).
 * `rowNumber` and `column` (a letter, A, B, …) say where, when the problem is in one place.
 */
export class TableFileError extends Error {
  readonly detail: Message;
  readonly rowNumber: number | undefined;
  readonly column: string | undefined;

  constructor(detail: Message, options: { rowNumber?: number; column?: string; cause?: unknown } = {}) {
    super(render("zh", detail), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TableFileError";
    this.detail = detail;
    this.rowNumber = options.rowNumber;
    this.column = options.column;
  }
}

/** A worksheet asked for by name that the workbook does not have; `sheetNames`: the visible ones it has. */
export class UnknownSheetError extends TableFileError {
  constructor(
    readonly sheetName: string,
    readonly sheetNames: readonly string[],
  ) {
    const missing = messages.noSuchSheet(sheetName);
    super(sheetNames.length > 0 ? msg("fileSheetsAre", { problem: missing, names: joined(listedNames(sheetNames), "impList") }) : missing);
    this.name = "UnknownSheetError";
  }
}

/**
 * Items joined as the language lists them: joined(["A", "B"], "impList") renders "A、B" in Chinese and
 * "A, B" in English ("impClauses": "，" / "; ", "impSentences": "；" / "; "). An empty list is "".
 */
export function joined(items: readonly ParamValue[], key: "impList" | "impClauses" | "impSentences"): ParamValue {
  if (items.length === 0) return "";
  return items.slice(0, -1).reduceRight<ParamValue>((rest, first) => msg(key, { first, rest }), items.at(-1)!);
}

/** A name in quotes: “说明” (shortened: a long text of the file is quoted by its first characters). */
export function quoted(text: string): Message {
  return msg("impQuoted", { text: shortened(text) });
}

/**
 * Text of the file as a message quotes it: at most MAX_QUOTED_CHARS characters, then "…" (a surrogate
 * pair is not cut). shortened("x".repeat(20_000_000)) → "xxx…x…" (50 x).
 */
export function shortened(text: string, max = MAX_QUOTED_CHARS): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  const cut = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return `${text.slice(0, cut)}…`;
}

/** Names as a message lists them: the first MAX_LISTED_NAMES, each shortened, then "…" when there are more. */
export function listedNames(names: readonly string[]): string[] {
  const listed = names.slice(0, MAX_LISTED_NAMES).map((name) => shortened(name));
  return names.length > MAX_LISTED_NAMES ? [...listed, "…"] : listed;
}

/** The spreadsheet letters of a 1-based column number: 1 → "A", 27 → "AA". */
export function columnLetter(column: number): string {
  let letters = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** The 1-based column number of spreadsheet letters: "A" → 1, "AA" → 27; 0 when there are none. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) {
    const code = letters.charCodeAt(i);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n;
}

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** The file layer's messages (texts in messages/zh/import.ts and messages/en/import.ts, keys file…). */
export const messages = {
  empty: msg("fileEmpty"),
  noRows: msg("fileNoRows"),
  notTable: msg("fileNotTable"),
  tooLarge: (bytes: number, limit: number) => msg("fileTooLarge", { size: (bytes / 1024 / 1024).toFixed(1), limit: megabytes(limit) }),
  unreadable: (reason: string) => msg("fileUnreadable", { reason }),
  legacyOrEncrypted: msg("fileLegacy"),
  html: msg("fileHtml"),
  utf16: msg("fileUtf16"),
  badText: msg("fileBadText"),
  corruptZip: msg("fileCorruptZip"),
  notWorkbook: msg("fileNotWorkbook"),
  ods: msg("fileOds"),
  encryptedZip: msg("fileEncryptedZip"),
  unsupportedZip: msg("fileUnsupportedZip"),
  inflatedTooLarge: (limit: number) => msg("fileInflatedTooLarge", { limit: Math.round(limit / 1024 / 1024) }),
  badXml: (part: string) => msg("fileBadXml", { part: shortened(part) }),
  noSheets: msg("fileNoSheets"),
  noSuchSheet: (name: string) => msg("fileNoSuchSheet", { name: shortened(name) }),
  sheetWithoutRows: (name: string) => msg("fileSheetWithoutRows", { name: shortened(name) }),
  noSuitableSheet: (problems: ReadonlyArray<{ sheet: string; problem: Message }>) =>
    msg("fileNoSuitableSheet", {
      problems: joined(
        [
          ...problems.slice(0, MAX_LISTED_NAMES).map(({ sheet, problem }) => msg("fileSheetProblem", { sheet: shortened(sheet), problem })),
          ...(problems.length > MAX_LISTED_NAMES ? ["…"] : []),
        ],
        "impSentences",
      ),
    }),
  formulaWithoutResult: (row: number, column: string) => msg("fileFormulaWithoutResult", { row, column }),
  errorValue: (row: number, column: string, error: string, formula: boolean) =>
    msg(formula ? "fileFormulaErrorValue" : "fileErrorValue", { row, column, error: shortened(error) }),
  merged: (ranges: string[], total: number) =>
    total > ranges.length ? msg("fileMergedMore", { ranges: joined(ranges, "impList"), total }) : msg("fileMerged", { ranges: joined(ranges, "impList") }),
  unclosedQuote: (row: number) => msg("fileUnclosedQuote", { row }),
  formulaNote: (row: number, column: string) => msg("fileNoteFormula", { row, column }),
  // Hostile or oversized files (issue 17; the caps in limits.ts)
  columnBeyondXfd: (row: number, ref: string) => msg("imFileColumnBeyondXfd", { row, ref: shortened(ref), limit: MAX_COLUMNS }),
  tooManyColumns: (row: number) => msg("imFileTooManyColumns", { row, limit: MAX_COLUMNS }),
  cellTooLong: (row: number, column: string, text: string) => msg("imFileCellTooLong", { row, column, limit: MAX_CELL_CHARS, text: shortened(text) }),
  textTooLong: (text: string) => msg("imFileTextTooLong", { limit: MAX_CELL_CHARS, text: shortened(text) }),
  tooManyTexts: (limit: number) => msg("imFileTooManyTexts", { limit }),
  textsTooLarge: (limit: number) => msg("imFileTextsTooLarge", { limit }),
  partTooLarge: (part: string, limit: number) => msg("imFilePartTooLarge", { part: shortened(part), limit: Math.round(limit / 1024 / 1024) }),
  sheetTooLarge: (sheet: string, limit: number) => msg("imFileSheetTooLarge", { sheet: shortened(sheet), limit: Math.round(limit / 1024 / 1024) }),
  zipBomb: (part: string, bytes: number, ratio: number) => msg("imFileZipBomb", { part: shortened(part), size: (bytes / 1024 / 1024).toFixed(1), ratio }),
  noCells: (sheet: string, limit: number) => msg("imFileNoCells", { sheet: shortened(sheet), limit: Math.round(limit / 1024 / 1024) }),
  afterData: (sheet: string, limit: number) => msg("imFileAfterData", { sheet: shortened(sheet), limit: Math.round(limit / 1024 / 1024) }),
  tooManySheets: (limit: number) => msg("imFileTooManySheets", { limit }),
  tooManyFormats: (limit: number) => msg("imFileTooManyFormats", { limit }),
  tooManyCells: (limit: number) => msg("imFileTooManyCells", { limit }),
  formulasNote: (column: string, count: number, first: number, last: number) => msg("fileNoteFormulas", { column, count, first, last }),
};
