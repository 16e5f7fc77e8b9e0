import { AgGridReact, type AgGridReactProps } from "ag-grid-react";
import { AllCommunityModule, ModuleRegistry, themeQuartz, type ValueFormatterParams } from "ag-grid-community";
import { AG_GRID_LOCALE_CN } from "@ag-grid-community/locale";
import { formatAmount, type AmountUnit } from "../../domain/money";
import { useT } from "../i18n";

ModuleRegistry.registerModules([AllCommunityModule]);

const theme = themeQuartz.withParams({
  fontFamily: "inherit",
  headerFontWeight: 600,
  spacing: 6,
});

const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 40;
/** Grids grow with their rows up to this height, then scroll (virtualised). */
const MAX_GRID_HEIGHT = 640;
/** Up to this many rows a grid shows them all (printable); beyond, it scrolls. */
const MAX_ALL_ROWS = 100;
/**
 * An explicit height must leave room for what ag-grid adds at narrow widths: headers wrapped to two
 * lines (autoHeaderHeight) and a horizontal scrollbar; otherwise the last row is cut off.
 */
const WRAPPED_HEADER_HEIGHT = 60;
const SCROLLBAR_ALLOWANCE = 16;

/**
 * ag-grid with the app's theme, Chinese grid texts when the UI is Chinese, sortable, filterable
 * columns. Short lists show every row (for printing); long ones scroll within MAX_GRID_HEIGHT.
 * Grids with spanning cells get an explicit height, which ag-grid's auto-height does not measure right.
 */
export function Grid<TData>(props: AgGridReactProps<TData> & { rowCount: number }) {
  const { language } = useT();
  const { rowCount, ...gridProps } = props;
  const pinned = props.pinnedBottomRowData?.length ?? 0;
  const showAll = rowCount <= MAX_ALL_ROWS && !props.enableCellSpan;
  const height = Math.min(WRAPPED_HEADER_HEIGHT + (Math.max(rowCount, 1) + pinned) * ROW_HEIGHT + SCROLLBAR_ALLOWANCE, MAX_GRID_HEIGHT);
  return (
    <div style={showAll ? undefined : { height }}>
      <AgGridReact<TData>
        theme={theme}
        domLayout={showAll ? "autoHeight" : "normal"}
        rowHeight={ROW_HEIGHT}
        headerHeight={HEADER_HEIGHT}
        localeText={language === "zh" ? AG_GRID_LOCALE_CN : undefined}
        // Columns share the grid's width (no horizontal scrollbar to hide the last row); headers wrap.
        autoSizeStrategy={{ type: "fitGridWidth", defaultMinWidth: 70 }}
        {...gridProps}
        defaultColDef={{ sortable: true, filter: true, resizable: true, wrapHeaderText: true, autoHeaderHeight: true, ...props.defaultColDef }}
      />
    </div>
  );
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
