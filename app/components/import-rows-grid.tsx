import { useMemo } from "react";
import type { ColDef } from "ag-grid-community";
import type { ImportReport } from "../../db/import";
import { useT, type Language } from "../i18n";
import { STATUS_EN, importMessageInEnglish } from "../../domain/import/english";
import { Grid, amountFormatter, numericStringComparator } from "./grid";

type Row = ImportReport["rows"][number];

const STATUS_ZH: Record<Row["status"], string> = {
  new: "新增",
  updated: "更新",
  unchanged: "已存在",
  duplicate: "重复",
  error: "错误",
  total: "合计行",
};

const statusLabel = (status: Row["status"], language: Language) => (language === "en" ? STATUS_EN[status] : STATUS_ZH[status]) ?? "";

/** The dry run's rows: number, status (colour-coded), what the row is, and the message about it. */
export function ImportRowsGrid({ rows }: { rows: Row[] }) {
  const { t, language } = useT();
  const columns = useMemo(
    (): ColDef<Row>[] => [
      { colId: "rowNumber", headerName: t("rowNumber"), field: "rowNumber", width: 80, type: "rightAligned", filter: "agNumberColumnFilter" },
      {
        colId: "status",
        headerName: t("status"),
        field: "status",
        width: 90,
        valueFormatter: (params) => statusLabel(params.value as Row["status"], language),
        filterValueGetter: (params) => (params.data ? statusLabel(params.data.status, language) : ""),
      },
      { colId: "unit", headerName: t("unit"), field: "unit", width: 220 },
      { colId: "project", headerName: t("project"), field: "project", width: 140 },
      { colId: "item", headerName: t("item"), field: "item", width: 160 },
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
        field: "message",
        flex: 1,
        minWidth: 240,
        tooltipValueGetter: (params) => (language === "en" && typeof params.value === "string" ? importMessageInEnglish(params.value) : params.value),
        valueFormatter: (params) => (language === "en" && typeof params.value === "string" ? importMessageInEnglish(params.value) : (params.value ?? "")),
      },
    ],
    [t, language],
  );
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
