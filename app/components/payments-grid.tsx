import { useMemo, useRef } from "react";
import type { ColDef, GridApi } from "ag-grid-community";
import { ExportButton, displayedState } from "./export-button";
import type { AmountUnit } from "../../domain/money";
import type { PaymentRecord } from "../../db/projects";
import type { PaymentStatus } from "../../domain/project-execution";
import { useT } from "../i18n";
import { Grid, amountFormatter, numericFilterValue, numericStringComparator } from "./grid";

export type PaymentRow = PaymentRecord & PaymentStatus & { item: string };

/** The payment batches and transfers of a project, with bounced/re-issued marks and late transfers highlighted. */
export function PaymentsGrid({ payments, amountUnit, projectId, asOf }: { payments: PaymentRow[]; amountUnit: AmountUnit; projectId: number; asOf: string }) {
  const { t } = useT();
  const api = useRef<GridApi<PaymentRow> | null>(null);
  const unitLabel = amountUnit === "wan" ? t("wan") : t("yuan");
  const columns = useMemo(
    (): ColDef<PaymentRow>[] => [
      { colId: "paidOn", headerName: t("paidOn"), field: "paidOn", width: 118, sort: "asc" },
      {
        colId: "kind",
        headerName: t("kind"),
        field: "kind",
        width: 100,
        valueFormatter: (params) => (params.value === "transfer" ? t("transfer") : t("batch")),
        filterValueGetter: (params) => (params.data?.kind === "transfer" ? t("transfer") : t("batch")),
      },
      { colId: "item", headerName: t("item"), field: "item", width: 167 },
      { colId: "personTimes", headerName: t("personTimes"), field: "personTimes", width: 80, type: "rightAligned", filter: "agNumberColumnFilter" },
      {
        colId: "amount",
        headerName: `${t("amount")}(${unitLabel})`,
        field: "amount",
        width: 130,
        type: "rightAligned",
        valueFormatter: amountFormatter(amountUnit),
        comparator: numericStringComparator,
        filter: "agNumberColumnFilter",
        filterValueGetter: (params) => numericFilterValue(params.data?.amount),
      },
      { colId: "dueOn", headerName: t("dueOn"), field: "dueOn", width: 105 },
      {
        colId: "late",
        headerName: t("late"),
        width: 80,
        valueGetter: (params) => params.data?.daysLate ?? 0,
        valueFormatter: (params) => (params.value > 0 ? `${params.value} ${t("days")}` : ""),
        type: "rightAligned",
        filter: "agNumberColumnFilter",
        cellClassRules: { "cell-late": (params) => params.value > 0 },
      },
      {
        colId: "returned",
        headerName: t("returned"),
        width: 140,
        valueGetter: (params) => {
          const row = params.data;
          if (!row || row.returnedCount === 0) return "";
          const status = row.returnedOutstanding ? t("returnedOutstanding") : t("reissued");
          return `${row.returnedCount}${t("personTimes")} · ${status}`;
        },
        cellClassRules: { "cell-returned": (params) => Boolean(params.data?.returnedOutstanding) },
      },
      {
        colId: "returnedAmount",
        headerName: `${t("returned")}${t("amount")}(${unitLabel})`,
        field: "returnedAmount",
        width: 130,
        type: "rightAligned",
        valueFormatter: (params) => (params.value === "0.00" ? "" : amountFormatter(amountUnit)(params)),
        comparator: numericStringComparator,
      },
      { colId: "reissuedOn", headerName: t("reissuedOn"), field: "reissuedOn", width: 105 },
      { colId: "note", headerName: t("note"), field: "note", flex: 1, minWidth: 140, tooltipField: "note" },
    ],
    [t, amountUnit, unitLabel],
  );
  return (
    <div className="grid-wrap" data-testid="payments-grid">
      <div className="grid-toolbar">
        <ExportButton
          testId="export-payments"
          request={() => api.current && { grid: "payments", projectId, asOf, amount: amountUnit, ...displayedState(api.current, (row) => row.id) }}
        />
      </div>
      <Grid<PaymentRow>
        onGridReady={(event) => (api.current = event.api)}
        rowData={payments}
        rowCount={payments.length}
        columnDefs={columns}
        getRowId={(params) => params.data.id}
        rowClassRules={{
          "row-late": (params) => (params.data?.daysLate ?? 0) > 0,
          "row-future": (params) => params.data?.paid === false,
        }}
        tooltipShowDelay={300}
      />
    </div>
  );
}
