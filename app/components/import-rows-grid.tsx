import { useMemo } from "react";
import type { ColDef } from "ag-grid-community";
import type { ImportReport } from "../../features/import/service";
import { notesText, statusText } from "../../features/import/rules/render";
import { useT } from "../i18n";
import { GridFallback } from "./grid-fallback";
import { Grid, amountFormatter, numericStringComparator } from "./grid";

type Row = ImportReport["rows"][number];

/** The dry run's rows: number, status (colour-coded), what the row is, and the notes about it, in the user's language. */
export function ImportRowsGrid({ rows, kind, staticOnly = false }: { rows: Row[]; kind?: "budget-lines" | "adjustments" | "payments"; staticOnly?: boolean }) {
  const { t, language } = useT();
  const columns = useMemo(
    (): ColDef<Row>[] => [
      { colId: "rowNumber", headerName: t("rowNumber"), field: "rowNumber", width: 80, type: "rightAligned", filter: "agNumberColumnFilter" },
      {
        colId: "status",
        headerName: t("status"),
        field: "status",
        width: 90,
        valueFormatter: (params) => (params.value ? statusText(language, params.value as Row["status"]) : ""),
        filterValueGetter: (params) => (params.data ? statusText(language, params.data.status) : ""),
      },
      { colId: "year", headerName: t("fiscalYear"), field: "year", width: 90, type: "rightAligned", filter: "agNumberColumnFilter" },
      { colId: "unit", headerName: t("unit"), field: "unit", width: 220 },
      {
        colId: "project",
        headerName: t("project"),
        width: 140,
        // A 合计 row is named as such (its cells hold no project).
        valueGetter: (params) => (params.data?.status === "total" ? t("impTotalLabel") : (params.data?.project ?? "")),
      },
      { colId: "item", headerName: t("item"), field: "item", width: 160 },
      // What a payment row is: its date, kind and 人次 (an adjustment: its date).
      ...(kind === "payments" || kind === "adjustments"
        ? // As text: an unreadable row shows its date as written (ag-grid would infer ISO dates and blank the rest).
          ([{ colId: "date", headerName: kind === "payments" ? t("paidOn") : t("adjustedOn"), field: "date", width: 110, cellClass: "nowrap", cellDataType: "text" }] as ColDef<Row>[])
        : []),
      ...(kind === "payments"
        ? ([
            {
              colId: "paymentKind",
              headerName: t("kind"),
              field: "paymentKind",
              width: 100,
              valueFormatter: (params) => (params.value === "transfer" ? t("transfer") : params.value === "batch" ? t("batchShort") : ""),
            },
            { colId: "personTimes", headerName: t("personTimes"), field: "personTimes", width: 80, type: "rightAligned" },
          ] as ColDef<Row>[])
        : []),
      {
        colId: "amount",
        headerName: `${t("amount")}(${t("yuan")})`,
        field: "amount",
        width: 130,
        type: "rightAligned",
        valueFormatter: amountFormatter("yuan"),
        comparator: numericStringComparator,
      },
      {
        colId: "message",
        headerName: t("message"),
        flex: 1,
        minWidth: 240,
        valueGetter: (params) => (params.data ? notesText(language, params.data.notes) : ""),
        tooltipValueGetter: (params) => (params.data ? notesText(language, params.data.notes) : ""),
      },
    ],
    [t, language, kind],
  );
  // Before the grid is drawn, and without JavaScript: the same rows as a plain table (GridFallback).
  if (staticOnly) return <GridFallback columns={columns} rows={rows} testId="import-rows-grid" />;
  return (
    <div className="grid-wrap" data-testid="import-rows-grid">
      <Grid<Row>
        rowData={rows}
        rowCount={rows.length}
        columnDefs={columns}
        getRowId={(params) => String(params.data.rowNumber)}
        rowClassRules={{
          "row-flagged": (params) => params.data?.status === "error",
          "row-late": (params) => params.data?.status === "duplicate" || params.data?.status === "total",
          "row-future": (params) => params.data?.status === "unchanged",
        }}
      />
    </div>
  );
}
