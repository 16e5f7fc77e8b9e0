/*
 * What the file readers accept at most (issue 17: a small upload must not take the server down). Each
 * cap is far above what a real finance workbook reaches and far below what hurts the server: what
 * the product supports is a 200,000-row ledger (bench/import.ts: 14 MB of XLSX whose worksheet
 * inflates to 86 MB and whose shared strings hold 400,000 texts in 15 MB) within the 32 MB upload
 * limit (MAX_IMPORT_BYTES). Beyond a cap the file is refused with a message naming the problem
 * (TableFileError), before the memory or the time is spent.
 */

/** Excel's last column is XFD: 16,384 columns. A cell beyond it (r="AAAAAAA2") or a CSV row wider is refused. */
export const MAX_COLUMNS = 16_384;

/** Excel holds at most 32,767 characters in a cell; a longer cell (CSV field, XLSX value, shared string) is refused. */
export const MAX_CELL_CHARS = 32_767;

/**
 * The raw XML text of one cell value or shared string before its entities are decoded: every
 * character of a 32,767-character text written as a character reference ("&#x10FFFF;") is at most
 * 10 characters. Checked while the text is collected, so that a 300 MB string is never built.
 */
export const MAX_RAW_CELL_CHARS = 10 * MAX_CELL_CHARS;

/**
 * Distinct texts in a workbook's shared strings: 2,000,000 is ten distinct texts per row of a
 * 200,000-row ledger (Excel writes each distinct text once; the benchmark's ledger has 400,000).
 * They are held in memory while the worksheet is read, so their number and size are capped.
 */
export const MAX_SHARED_STRINGS = 2_000_000;

/** Characters of all shared strings together: 32 million (at most 64 MB as UTF-16), 16 per text at the cap on their number. */
export const MAX_SHARED_STRING_CHARS = 32_000_000;

/** Everything a workbook declares inflated, all parts together (the ZIP bomb guard of decision 007). */
export const MAX_INFLATED_BYTES = 1024 * 1024 * 1024;

/**
 * One worksheet inflated: 512 MB, six times the benchmark's 200,000-row worksheet (86 MB) and more
 * than a 32 MB upload holds at the compression real worksheets get (6–15 times).
 */
export const MAX_SHEET_PART_BYTES = 512 * 1024 * 1024;

/** The shared strings inflated: 256 MB, 17 times the benchmark's 15 MB (rich-text runs and phonetic guides make it larger than its text). */
export const MAX_SHARED_STRINGS_PART_BYTES = 256 * 1024 * 1024;

/**
 * Parts read whole into memory (workbook.xml, the relationships, styles.xml): 16 MB. A real
 * workbook.xml or styles.xml is kilobytes, a few MB for one with thousands of defined names or styles.
 */
export const MAX_WHOLE_PART_BYTES = 16 * 1024 * 1024;

/**
 * How much larger than its compressed size a part may inflate: 100 times (the ratio Apache POI
 * refuses beyond). Real worksheets and shared strings compress 5–15 times (the benchmark's 6.5 and
 * 14); a part of 900 MB of whitespace compresses 1,000 times. Checked for parts larger than
 * RATIO_CHECKED_ABOVE_BYTES: smaller ones cost little whatever their ratio.
 */
export const MAX_INFLATE_RATIO = 100;
export const RATIO_CHECKED_ABOVE_BYTES = 16 * 1024 * 1024;

/**
 * What a worksheet may hold after </sheetData> (merged cells, conditional formats, data validations,
 * page setup), read for its merged cells: 16 MB; real worksheets have kilobytes there.
 */
export const MAX_AFTER_SHEET_DATA_BYTES = 16 * 1024 * 1024;

/**
 * Text of a worksheet read without a row or a cell starting: 16 MB. Between two cells of a real
 * worksheet there are a few bytes of markup (a 32,767-character value at most 330 KB); whitespace or
 * unknown elements padding a worksheet out to hundreds of MB are refused once 16 MB of it is read.
 */
export const MAX_CHARS_WITHOUT_CELL = 16 * 1024 * 1024;

/**
 * Merged ranges kept per worksheet: only those reaching the header row or below matter (they are
 * refused) and a message names three; beyond 10,000 the rest are counted, not kept (a worksheet with
 * that many merged ranges has them in its data).
 */
export const MAX_MERGED_RANGES_KEPT = 10_000;

/** Worksheets in a workbook: 4,096 (one per unit and month of a large district is a few hundred). */
export const MAX_SHEETS = 4_096;

/** Cell formats (styles.xml cellXfs): Excel's own limit is 65,490 unique cell formats. */
export const MAX_CELL_FORMATS = 65_490;

/**
 * Cells (empty ones padding a row up to its last cell included) in the rows read from one worksheet
 * chunk before they are handed on: reading pauses there, so that rows padded to column XFD cannot
 * pile up (a 256 KB chunk holds 7,000 such rows: 900 MB of empty cells). A real chunk holds about
 * 8,000 cells.
 */
export const MAX_HELD_CELLS = 1_000_000;

/**
 * Cells handed on from one table, each row counted at its width once padded to the header's (or to
 * its last cell): 16 million, 200,000 rows of 80 columns (the import layouts have 13–14; the
 * benchmark's ledger is 2.6 million). Past it the work is padding, not data: a header reaching column
 * XFD makes every row 16,384 cells (128 KB), so 1,000 rows of 40 bytes would cost what the whole
 * benchmark ledger does, and an upload could make the server allocate gigabytes.
 */
export const MAX_TABLE_CELLS = 16_000_000;

/**
 * Characters of text handed on from one table, all cells together (the header row included): 64
 * million, twice what a CSV within the 32 MB upload limit can hold (the benchmark's 200,000-row ledger
 * holds 15 million). An XLSX can hand on far more than it holds, each cell naming the same long shared
 * string; whatever quotes cell text (the import's messages, its report) stays within a multiple of this.
 */
export const MAX_TABLE_TEXT_CHARS = 64_000_000;

/** Characters of file text quoted in a message (a title row, a too-long cell): the first 50, then "…". */
export const MAX_QUOTED_CHARS = 50;

/** Names listed in a message (worksheets): the first 20, then "…". */
export const MAX_LISTED_NAMES = 20;
