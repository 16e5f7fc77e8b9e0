import { useEffect, useMemo, useRef } from "react";
import { AgGridReact, type AgGridReactProps } from "ag-grid-react";
import {
  AllCommunityModule,
  ModuleRegistry,
  themeQuartz,
  type ColDef,
  type GridApi,
  type GridReadyEvent,
  type SizeColumnsToFitGridStrategy,
  type ValueFormatterParams,
} from "ag-grid-community";
import { AG_GRID_LOCALE_CN, AG_GRID_LOCALE_EN } from "@ag-grid-community/locale";
import { formatAmount, type AmountUnit } from "../../domain/money";
import { useT } from "../i18n";

ModuleRegistry.registerModules([AllCommunityModule]);

/** A cell's and a header's padding on each side, in px. */
const CELL_PADDING = 8;

const theme = themeQuartz.withParams({
  fontFamily: "inherit",
  headerFontWeight: 600,
  spacing: 6,
  // Quartz pads cells by 3 × spacing (18 px a side): too much for the dashboard's thirteen columns, which fit a
  // 1366 px screen in English with 8 (CELL_PADDING).
  cellHorizontalPadding: CELL_PADDING,
});

const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 40;
/** Up to this many rows a grid shows them all (printable, ag-grid's auto-height); beyond, it scrolls. */
const MAX_ALL_ROWS = 100;
/** The height of a grid with more rows, which scrolls them (virtualised). */
const SCROLLING_GRID_HEIGHT = 640;
/** The height of a grid waiting for its rows: room for ag-grid's loading overlay. */
const LOADING_GRID_HEIGHT = 160;
/** No column narrower than this when the columns share the grid's width (a floor even under a column's own minWidth). */
const DEFAULT_MIN_WIDTH = 40;
/** The width printed on: A4 landscape less the 12 mm margins of the @page rule in app.css, in CSS px (96 per inch). */
const PAGE_WIDTH = Math.floor(((297 - 2 * 12) / 25.4) * 96);
/** The height printed on: A4 landscape less the margins, in CSS px. */
const PAGE_HEIGHT = Math.floor(((210 - 2 * 12) / 25.4) * 96);
/** Printed grids are scaled down to the page's width, but not below this (14 px text → 11.2 px). */
const MIN_PRINT_ZOOM = 0.8;
/** The grid's border (1 px a side) around its columns. */
const GRID_BORDERS = 2;

/**
 * The columns share the grid's width, and again whenever it changes (window resized, scrollbar shown,
 * columns replaced): no horizontal scrollbar to hide the last row, no column off to the right.
 * ag-grid only re-applies the strategy for columns without `flex` and not resized by the user.
 */
const FIT_GRID_WIDTH: SizeColumnsToFitGridStrategy = { type: "fitGridWidth", defaultMinWidth: DEFAULT_MIN_WIDTH, continuous: true };

/** What a header cell takes besides its text: the padding on both sides and the filter button with its gap. */
const HEADER_CHROME = 2 * CELL_PADDING + 24;
/** The sort arrow beside a sorted header's text: room kept for it where the header wraps anywhere (Chinese). */
const SORT_ARROW = 16;

let measure: CanvasRenderingContext2D | null | undefined;
/** The width of a header's longest word in the header's font (600 weight), in px; 0 where nothing can measure (the server). */
function longestWordWidth(text: string): number {
  if (typeof document === "undefined") return 0;
  if (measure === undefined) {
    measure = document.createElement("canvas").getContext("2d");
    if (measure) measure.font = `600 14px ${getComputedStyle(document.body).fontFamily}`;
  }
  if (!measure) return 0;
  // Chinese wraps between any two characters, kept here to at least two a line (a sorted header's arrow takes
  // room too: "预/算/执/行/率" one character a line is not read as a word); other scripts wrap between words only.
  const words = text.match(/[\u3400-\u9fff（）]{1,2}|[^\s/\u3400-\u9fff（）]+/gu) ?? [];
  return Math.max(0, ...words.map((word) => Math.ceil(measure!.measureText(word).width)));
}

/**
 * Column definitions whose minimum width holds their header's longest word: wrapped headers break between
 * words ("Execution / rate (%)"), never inside one ("Execut / ion"). The grid scrolls sideways before that.
 */
function withHeaderMinWidths<TData>(columns: AgGridReactProps<TData>["columnDefs"]): AgGridReactProps<TData>["columnDefs"] {
  if (!columns) return columns;
  return columns.map((column) => {
    if ("children" in column && column.children) return { ...column, children: withHeaderMinWidths<TData>(column.children)! };
    const definition = column as ColDef<TData>;
    if (typeof definition.headerName !== "string") return column;
    const word = longestWordWidth(definition.headerName);
    if (word === 0) return column;
    const arrow = /[\u3400-\u9fff]/u.test(definition.headerName) ? SORT_ARROW : 0;
    const minWidth = Math.max(definition.minWidth ?? 0, word + HEADER_CHROME + arrow);
    return { ...definition, minWidth, ...(definition.maxWidth !== undefined && definition.maxWidth < minWidth ? { maxWidth: minWidth } : {}) };
  });
}

/**
 * ag-grid with the app's theme, Chinese grid texts when the UI is Chinese, sortable, filterable
 * columns whose headers wrap, sized to the grid's width (and to the A4 landscape page when printed).
 * Short lists show every row, the grid as tall as its header, rows and pinned rows whatever their
 * heights (wrapped headers, spanning or wrapped cells); long ones scroll within SCROLLING_GRID_HEIGHT.
 */
export function Grid<TData>(props: AgGridReactProps<TData> & { rowCount: number }) {
  const { language } = useT();
  const { rowCount, onGridReady, defaultColDef, columnDefs, ...gridProps } = props;
  const columns = useMemo(() => withHeaderMinWidths<TData>(columnDefs), [columnDefs]);
  const api = useRef<GridApi<TData> | null>(null);
  const wrapper = useRef<HTMLDivElement | null>(null);
  const showAll = rowCount <= MAX_ALL_ROWS && !props.loading;
  // A new defaultColDef object on every render makes ag-grid re-apply the column definitions, which
  // puts every column back to its defined width after the strategy fitted them.
  const columnDefaults = useMemo(
    (): ColDef<TData> => ({ sortable: true, filter: true, resizable: true, wrapHeaderText: true, autoHeaderHeight: true, ...defaultColDef }),
    [defaultColDef],
  );
  useEffect(() => fitToPrintedPage(api, wrapper), []);
  return (
    <div ref={wrapper} className="grid-print-fit" style={showAll ? undefined : { height: props.loading ? LOADING_GRID_HEIGHT : SCROLLING_GRID_HEIGHT }}>
      <AgGridReact<TData>
        theme={theme}
        domLayout={showAll ? "autoHeight" : "normal"}
        rowHeight={ROW_HEIGHT}
        headerHeight={HEADER_HEIGHT}
        localeText={language === "zh" ? AG_GRID_LOCALE_CN : undefined}
        autoSizeStrategy={FIT_GRID_WIDTH}
        onGridReady={(event: GridReadyEvent<TData>) => {
          api.current = event.api;
          onGridReady?.(event);
        }}
        {...gridProps}
        columnDefs={columns}
        defaultColDef={columnDefaults}
      />
    </div>
  );
}

/**
 * The browser lays the printed page out without giving ag-grid a chance to re-measure, so before
 * printing the grid is scaled (CSS zoom, app.css) to the A4 landscape width: as it is on screen when
 * that is at most 1 / MIN_PRINT_ZOOM of the page; else its columns are first fitted to that width. A
 * grid whose rows grow with wrapped text keeps its columns (their heights would not follow) and is
 * scaled further. A grid that fits on a page is kept whole. After printing, the columns share the
 * screen's width again. Returns the clean-up for useEffect.
 */
function fitToPrintedPage<TData>(api: { current: GridApi<TData> | null }, wrapper: { current: HTMLDivElement | null }): () => void {
  const beforePrint = () => {
    const grid = api.current && !api.current.isDestroyed() ? api.current : null;
    const element = wrapper.current;
    if (!grid || !element) return;
    const columns = grid.getAllDisplayedColumns();
    const screenWidth = element.clientWidth;
    let width = screenWidth;
    if (!columns.some((column) => column.isAutoHeight()) && screenWidth * MIN_PRINT_ZOOM > PAGE_WIDTH) {
      width = Math.ceil(PAGE_WIDTH / MIN_PRINT_ZOOM);
      grid.sizeColumnsToFit(width - GRID_BORDERS);
    }
    // Columns held at their minimum widths may still need more than that.
    const needed = Math.max(width, columns.reduce((sum, column) => sum + column.getActualWidth(), 0) + GRID_BORDERS);
    const zoom = Math.min(1, PAGE_WIDTH / needed);
    element.style.setProperty("--print-zoom", String(zoom));
    // A grid that fits on a page starts a new one rather than being cut at the end of this one.
    element.toggleAttribute("data-print-whole", element.offsetHeight * zoom <= PAGE_HEIGHT);
  };
  const afterPrint = () => {
    wrapper.current?.style.removeProperty("--print-zoom");
    wrapper.current?.removeAttribute("data-print-whole");
    if (api.current && !api.current.isDestroyed()) api.current.sizeColumnsToFit({ defaultMinWidth: DEFAULT_MIN_WIDTH });
  };
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  return () => {
    window.removeEventListener("beforeprint", beforePrint);
    window.removeEventListener("afterprint", afterPrint);
  };
}

/** The horizontal room a cell needs besides its text: padding on both sides and the borders. */
const CELL_CHROME = 2 * CELL_PADDING + 4;
let measuringCanvas: HTMLCanvasElement | null = null;

/**
 * The width a column needs to show each of `texts` whole in the grid's font (14 px bold, the page's family), at
 * least `floor`: so that money is never cut to "77,111,800…". Measured in the browser; `floor` elsewhere.
 */
export function widthToShow(texts: Iterable<string>, floor: number): number {
  if (typeof document === "undefined") return floor;
  measuringCanvas ??= document.createElement("canvas");
  const context = measuringCanvas.getContext("2d");
  if (!context) return floor;
  // Bold, as the total row prints them: the widest the same text gets.
  context.font = `600 14px ${getComputedStyle(document.body).fontFamily}`;
  let widest = 0;
  for (const text of texts) widest = Math.max(widest, context.measureText(text).width);
  return Math.max(floor, Math.ceil(widest) + CELL_CHROME);
}

/** A value formatter for amount strings: exact, with separators, in 元 or 万元. */
export function amountFormatter(unit: AmountUnit) {
  return (params: ValueFormatterParams) => {
    const value = params.value as string | null | undefined;
    return value === null || value === undefined || value === "" ? "" : formatAmount(value, unit);
  };
}

/** A value formatter for percentage strings: "86.51" → "86.51%", null → "—". */
export function percentFormatter(params: ValueFormatterParams) {
  const value = params.value as string | null | undefined;
  return value === null || value === undefined ? "—" : `${value}%`;
}

/** Sorts 2-decimal strings by their numeric value (the number is used for ordering only). */
export function numericStringComparator(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return Number(a) - Number(b);
}

/** Numeric filter value of an amount or percentage string (filtering only; display stays exact). */
export function numericFilterValue(value: string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

type FilterCondition = { type?: string; filter?: string | number | null; filterTo?: string | number | null; dateFrom?: string | null };
type FilterModel = FilterCondition & { operator?: "AND" | "OR"; conditions?: FilterCondition[] };

/**
 * The grid's active column filters in words, for the printed page: 项目名称：包含 医疗救助；预算执行率：大于 75
 * (ag-grid's own names of the filter types, in the page's language); "" without a filter.
 */
export function filterSummary<TData>(api: GridApi<TData>, language: "zh" | "en"): string {
  const names: Record<string, string> = language === "zh" ? AG_GRID_LOCALE_CN : AG_GRID_LOCALE_EN;
  const condition = (model: FilterCondition) => {
    const value = model.filter ?? model.dateFrom ?? "";
    const to = model.filterTo === undefined || model.filterTo === null ? "" : `–${model.filterTo}`;
    return [names[model.type ?? ""] ?? model.type ?? "", `${value}${to}`].filter((part) => part !== "").join(" ");
  };
  return Object.entries(api.getFilterModel() as Record<string, FilterModel>)
    .map(([colId, model]) => {
      const header = api.getColumn(colId)?.getColDef().headerName ?? colId;
      const joiner = model.operator === "OR" ? ` ${names.orCondition ?? "OR"} ` : ` ${names.andCondition ?? "AND"} `;
      const text = model.conditions ? model.conditions.map(condition).join(joiner) : condition(model);
      return `${header}${language === "zh" ? "：" : ": "}${text}`;
    })
    .join(language === "zh" ? "；" : "; ");
}
