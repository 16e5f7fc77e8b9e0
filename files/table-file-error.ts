/**
 * A file that cannot be read as a table, with a message for the person who uploaded it: Chinese
 * first, the English after it in parentheses. `rowNumber` and `column` (a letter, A, B, …) say where,
 * when the problem is in one place.
 */
export class TableFileError extends Error {
  readonly rowNumber: number | undefined;
  readonly column: string | undefined;

  constructor(message: string, options: { rowNumber?: number; column?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TableFileError";
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
    super(`${messages.noSuchSheet(sheetName)}${sheetNames.length > 0 ? `；工作表有：${sheetNames.join("、")}` : ""}`);
    this.name = "UnknownSheetError";
  }
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

export const messages = {
  empty: "文件为空 (the file is empty)",
  noRows: "文件为空：没有任何有内容的行 (the file is empty: no rows with content)",
  notTable: "文件不是有效的 XLSX 或 CSV 文件 (not a valid XLSX or CSV file)",
  tooLarge: (bytes: number, limit: number) =>
    `文件过大（${(bytes / 1024 / 1024).toFixed(1)} MB，上限 ${Math.round((limit / 1024 / 1024) * 10) / 10} MB）(file too large)`,
  legacyOrEncrypted:
    "这是旧版 Excel 97-2003 工作簿（.xls/.et）或设了打开密码的工作簿：请在 Excel 或 WPS 中另存为“Excel 工作簿（*.xlsx）”、不设密码后再导入 (a legacy .xls or password-protected workbook: save it as .xlsx without a password)",
  html: "这是网页（HTML）格式的表格，只是扩展名像 Excel：请在 Excel 中打开并另存为“Excel 工作簿（*.xlsx）”后再导入 (an HTML table, not a spreadsheet file: save it as .xlsx)",
  utf16:
    "文件是 UTF-16 编码的文本（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8（逗号分隔）”或 XLSX 后再导入 (UTF-16 text: save it as CSV UTF-8 or XLSX)",
  badText: "文件不是有效的 CSV 文本：既不是 UTF-8 编码，也不是 GB18030/GBK 编码 (neither UTF-8 nor GB18030 text)",
  corruptZip:
    "XLSX 文件已损坏或不完整（可能下载或复制没有完成）：请重新保存或重新导出后再导入 (the XLSX file is corrupt or truncated)",
  notWorkbook: "压缩包里没有 Excel 工作簿：请上传 .xlsx 或 .csv 文件 (a ZIP archive without an Excel workbook)",
  ods: "这是 OpenDocument 表格（.ods）：请另存为“Excel 工作簿（*.xlsx）”后再导入 (an OpenDocument spreadsheet: save it as .xlsx)",
  encryptedZip: "XLSX 文件中有加密的内容，无法读取：请取消加密后另存 (encrypted content in the XLSX file)",
  unsupportedZip: "XLSX 文件使用了不支持的压缩格式：请在 Excel 中重新保存 (unsupported ZIP format in the XLSX file)",
  inflatedTooLarge: (limit: number) =>
    `XLSX 文件解压后超过 ${Math.round(limit / 1024 / 1024)} MB，无法导入：请拆分后再导入 (the uncompressed workbook is too large)`,
  badXml: (part: string) => `XLSX 文件内容已损坏（${part} 无法解析）：请在 Excel 中重新保存 (malformed XML in ${part})`,
  noSheets: "工作簿中没有可读取的工作表 (no worksheet in the workbook)",
  noSuchSheet: (name: string) => `工作簿中没有名为“${name}”的工作表 (no worksheet named ${name})`,
  sheetWithoutRows: (name: string) => `工作表“${name}”没有任何有内容的行 (worksheet ${name} has no rows with content)`,
  noSuitableSheet: (problems: string[]) => `工作簿中没有可导入的工作表：${problems.join("；")} (no worksheet has the columns needed)`,
  formulaWithoutResult: (cell: string, row: number, column: string) =>
    `第${row}行第${column}列的公式没有计算结果：请在 Excel 中打开、重新计算并保存 (the formula in ${cell} has no calculated value: open the file in Excel, recalculate and save)`,
  errorValue: (cell: string, row: number, column: string, error: string, formula: boolean) =>
    `第${row}行第${column}列${formula ? "的公式结果" : ""}是错误值 ${error}：请在 Excel 中改正后保存 (cell ${cell} holds the error ${error})`,
  merged: (ranges: string[], total: number) =>
    `${ranges.join("、")}${total > ranges.length ? ` 等 ${total} 处` : ""} 是合并单元格：请取消合并并在每一行填写 (merged cells ${ranges.join(", ")}${total > ranges.length ? ", …" : ""}: unmerge them and fill in every row)`,
  unclosedQuote: (row: number) =>
    `第${row}行的字段以英文双引号开头，但直到文件末尾都没有结束的引号 (unterminated quoted field starting at row ${row})`,
};
