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

/** ag-grid with the app's theme, Chinese grid texts when the UI is Chinese, and sortable, filterable columns. */
export function Grid<TData>(props: AgGridReactProps<TData>) {
  const { language } = useT();
  return (
    <AgGridReact<TData>
      theme={theme}
      localeText={language === "zh" ? AG_GRID_LOCALE_CN : undefined}
      domLayout="autoHeight"
      defaultColDef={{ sortable: true, filter: true, resizable: true, ...props.defaultColDef }}
      {...props}
    />
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
