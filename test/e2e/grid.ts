import type { Locator } from "playwright-core";

/** One ag-grid row as displayed: its row id, CSS classes and the text of each cell by column id. */
export interface GridRow {
  rowId: string;
  /** The display position (ag-grid's row-index; "b-0" etc. for pinned bottom rows). */
  rowIndex: string;
  pinned: boolean;
  classes: string[];
  cells: Record<string, string>;
}

/**
 * Reads every row of an ag-grid inside `grid`, in display order, whether or not the grid
 * virtualises: scrolls the grid's own scrolling areas and the page step by step and collects the
 * rows rendered at each step, keyed by row id. Rows drawn only for spanning cells are ignored.
 */
export async function readGridRows(grid: Locator): Promise<GridRow[]> {
  await grid.locator(".ag-row").first().waitFor({ timeout: 30_000 });
  const rows = await grid.evaluate(async (root) => {
    const found = new Map<string, { rowId: string; rowIndex: string; pinned: boolean; classes: string[]; cells: Record<string, string> }>();
    const collect = () => {
      for (const row of root.querySelectorAll<HTMLElement>(".ag-row")) {
        const rowId = row.getAttribute("row-id");
        if (rowId === null) continue;
        const pinned = row.classList.contains("ag-row-pinned");
        const key = `${pinned ? "pinned:" : ""}${rowId}`;
        const cells: Record<string, string> = { ...found.get(key)?.cells };
        for (const cell of row.querySelectorAll<HTMLElement>("[role='gridcell'][col-id]")) {
          cells[cell.getAttribute("col-id")!] = (cell.textContent ?? "").trim();
        }
        found.set(key, { rowId, rowIndex: row.getAttribute("row-index") ?? "", pinned, classes: [...row.classList], cells });
      }
    };
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
    const scrollers = [...root.querySelectorAll<HTMLElement>("*")].filter((element) => {
      const style = getComputedStyle(element);
      return element.scrollHeight > element.clientHeight + 1 && /(auto|scroll)/.test(style.overflowY);
    });
    const startY = window.scrollY;
    collect();
    for (const scroller of scrollers) {
      scroller.scrollTop = 0;
      await frame();
      collect();
      while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
        const before = scroller.scrollTop;
        scroller.scrollTop += Math.max(scroller.clientHeight * 0.8, 20);
        await frame();
        collect();
        if (scroller.scrollTop === before) break;
      }
      scroller.scrollTop = 0;
    }
    // Rows outside the browser window may also be left out: walk the page over the grid.
    const box = root.getBoundingClientRect();
    const top = box.top + window.scrollY;
    for (let y = top; y < top + box.height; y += window.innerHeight * 0.8) {
      window.scrollTo(0, y);
      await frame();
      collect();
    }
    window.scrollTo(0, startY);
    return [...found.values()];
  });
  const position = (row: GridRow) => (row.pinned ? 1e9 : 0) + Number(row.rowIndex.replace(/\D/g, "") || 0);
  return rows.sort((a, b) => position(a) - position(b));
}

/** The rows that are data rows (not pinned totals). */
export function dataRows(rows: GridRow[]): GridRow[] {
  return rows.filter((row) => !row.pinned);
}
