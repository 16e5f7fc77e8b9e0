import { msg, render, type Message, type ParamValue } from "../messages/index.ts";

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
    super(sheetNames.length > 0 ? msg("fileSheetsAre", { problem: missing, names: joined(sheetNames, "impList") }) : missing);
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

/** A name in quotes: “说明”. */
export function quoted(text: string): Message {
  return msg("impQuoted", { text });
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
  badXml: (part: string) => msg("fileBadXml", { part }),
  noSheets: msg("fileNoSheets"),
  noSuchSheet: (name: string) => msg("fileNoSuchSheet", { name }),
  sheetWithoutRows: (name: string) => msg("fileSheetWithoutRows", { name }),
  noSuitableSheet: (problems: ReadonlyArray<{ sheet: string; problem: Message }>) =>
    msg("fileNoSuitableSheet", { problems: joined(problems.map(({ sheet, problem }) => msg("fileSheetProblem", { sheet, problem })), "impSentences") }),
  formulaWithoutResult: (row: number, column: string) => msg("fileFormulaWithoutResult", { row, column }),
  errorValue: (row: number, column: string, error: string, formula: boolean) => msg(formula ? "fileFormulaErrorValue" : "fileErrorValue", { row, column, error }),
  merged: (ranges: string[], total: number) =>
    total > ranges.length ? msg("fileMergedMore", { ranges: joined(ranges, "impList"), total }) : msg("fileMerged", { ranges: joined(ranges, "impList") }),
  unclosedQuote: (row: number) => msg("fileUnclosedQuote", { row }),
  formulaNote: (row: number, column: string) => msg("fileNoteFormula", { row, column }),
  formulasNote: (column: string, count: number, first: number, last: number) => msg("fileNoteFormulas", { column, count, first, last }),
};
