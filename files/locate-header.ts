import { MAX_TABLE_CELLS, MAX_TABLE_TEXT_CHARS } from "./limits.ts";
import type { TableRow } from "./read-table.ts";
import { TableFileError, messages } from "./table-file-error.ts";

/** Leading rows with a single cell (a title such as “2024年医疗救助支付明细”, “单位：万元”) looked past at most. */
const MAX_TITLE_ROWS = 5;

export interface LocatedTable {
  header: TableRow;
  /** Rows above the header with one cell each: titles, not data. */
  titleRows: TableRow[];
  /** The data rows, fully empty rows skipped, each padded with "" to the header's width. */
  rows: AsyncGenerator<TableRow>;
}

/**
 * Finds the header: the first row with at least two cells, when at most MAX_TITLE_ROWS one-cell rows
 * (titles) come before it; otherwise the first row with content. Returns null when there is none.
 */
export async function locateHeader(batches: AsyncGenerator<TableRow[]>): Promise<LocatedTable | null> {
  const leading: TableRow[] = [];
  let pending: TableRow[] = [];
  let header: TableRow | null = null;
  let titleRows: TableRow[] = [];
  // Not for-await: leaving that loop would close the generator the data rows continue from.
  search: for (let next = await batches.next(); !next.done; next = await batches.next()) {
    const batch = next.value;
    for (let index = 0; index < batch.length; index++) {
      const row = batch[index]!;
      const filled = filledCells(row.cells);
      if (filled === 0) continue;
      if (filled >= 2) {
        header = row;
        titleRows = leading;
        pending = batch.slice(index + 1);
        break search;
      }
      leading.push(row);
      if (leading.length > MAX_TITLE_ROWS) {
        header = leading[0]!;
        pending = [...leading.slice(1), ...batch.slice(index + 1)];
        break search;
      }
    }
  }
  if (header === null) {
    if (leading.length === 0) return null;
    header = leading[0]!;
    pending = leading.slice(1);
  }
  const width = lastFilled(header.cells) + 1;
  const headerCells = header.cells.slice(0, width);
  const headerText = textLength(headerCells);
  if (headerText > MAX_TABLE_TEXT_CHARS) throw new TableFileError(messages.textsTooLarge(MAX_TABLE_TEXT_CHARS), { rowNumber: header.rowNumber });
  return {
    header: { rowNumber: header.rowNumber, cells: headerCells },
    titleRows,
    rows: dataRows(pending, batches, width, headerText),
  };
}

/**
 * The rows, each fitted to the header's width as it is handed on, at most MAX_TABLE_CELLS cells and
 * MAX_TABLE_TEXT_CHARS characters in all (`text`: the header's). A row is padded in a copy: the batch
 * it came from (which its generator may keep while it waits) keeps the row as read, not 16,384 cells
 * of padding per row.
 */
async function* dataRows(pending: TableRow[], rest: AsyncGenerator<TableRow[]>, width: number, text: number): AsyncGenerator<TableRow> {
  let cells = 0;
  const handOn = (row: TableRow): TableRow => {
    const fitted = fit(row, width);
    cells += fitted.cells.length;
    text += textLength(fitted.cells);
    if (cells > MAX_TABLE_CELLS) throw new TableFileError(messages.tooManyCells(MAX_TABLE_CELLS), { rowNumber: row.rowNumber });
    if (text > MAX_TABLE_TEXT_CHARS) throw new TableFileError(messages.textsTooLarge(MAX_TABLE_TEXT_CHARS), { rowNumber: row.rowNumber });
    return fitted;
  };
  try {
    // Two plain loops, not yield* of a generator per batch: that would add promises per row.
    for (const row of pending) if (filledCells(row.cells) > 0) yield handOn(row);
    for await (const batch of rest) {
      for (const row of batch) if (filledCells(row.cells) > 0) yield handOn(row);
    }
  } finally {
    await rest.return(undefined);
  }
}

function textLength(cells: readonly string[]): number {
  let length = 0;
  for (const cell of cells) length += cell.length;
  return length;
}

/** The row with trailing empty cells beyond `width` dropped and padded with "" to `width` (padded in a copy). */
function fit(row: TableRow, width: number): TableRow {
  const cells = row.cells;
  let end = cells.length;
  while (end > width && cells[end - 1] === "") end--;
  if (end < cells.length) cells.length = end;
  if (cells.length >= width) return row;
  const padded = cells.slice();
  while (padded.length < width) padded.push("");
  return { rowNumber: row.rowNumber, cells: padded };
}

function filledCells(cells: string[]): number {
  let filled = 0;
  for (const cell of cells) if (cell !== "") filled++;
  return filled;
}

function lastFilled(cells: string[]): number {
  for (let index = cells.length - 1; index >= 0; index--) if (cells[index] !== "") return index;
  return -1;
}
