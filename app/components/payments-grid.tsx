import { useMemo, useRef } from "react";
import { Link, useLocation } from "react-router";
import type { ColDef, GridApi } from "ag-grid-community";
import { ExportButton, displayedState } from "./export-button";
import type { AmountUnit } from "../../domain/money";
import type { PaymentRecord } from "../../db/projects";
import type { PaymentMark } from "../../db/corrections";
import type { PaymentStatus } from "../../domain/project-execution";
import { useT, fill } from "../i18n";
import { Grid, amountFormatter, numericFilterValue, numericStringComparator } from "./grid";

export type PaymentRow = PaymentRecord & PaymentStatus & { item: string };

/** The payment batches and transfers of a project, with bounced/re-issued marks and late transfers highlighted. */
/** 更正/冲销 (issue 11 §4): marks of the listed payments by id, and whether the user may correct them. */
export interface PaymentCorrections {
  marks: Record<string, PaymentMark>;
  canCorrect: boolean;
}

export function PaymentsGrid({
  payments,
  amountUnit,
  projectId,
  asOf,
  corrections,
}: {
  payments: PaymentRow[];
  amountUnit: AmountUnit;
  projectId: number;
  asOf: string;
  corrections?: PaymentCorrections;
}) {
  const { t } = useT();
  const api = useRef<GridApi<PaymentRow> | null>(null);
  // The correction page brings the user back to this view (as-of date, 元/万元, filters): it keeps what it needs of the query.
  const { search } = useLocation();
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
        headerName: fill(t("labelUnit"), { label: t("amount"), unit: unitLabel }),
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
        headerName: fill(t("labelUnit"), { label: `${t("returned")}${t("amount")}`, unit: unitLabel }),
        field: "returnedAmount",
        width: 130,
        type: "rightAligned",
        valueFormatter: (params) => (params.value === "0.00" ? "" : amountFormatter(amountUnit)(params)),
        comparator: numericStringComparator,
      },
      { colId: "reissuedOn", headerName: t("reissuedOn"), field: "reissuedOn", width: 105 },
      { colId: "note", headerName: t("note"), field: "note", flex: 1, minWidth: 140, tooltipField: "note" },
      ...(corrections ? [correctionColumn(t, corrections, projectId, search)] : []),
    ],
    [t, amountUnit, unitLabel, corrections, projectId, search],
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

/** 更正: a reversing entry or a reversed payment says so; a correctable one links to its correction page. */
function correctionColumn(t: ReturnType<typeof useT>["t"], corrections: PaymentCorrections, projectId: number, search: string): ColDef<PaymentRow> {
  const markText = (id: string) => {
    const mark = corrections.marks[id];
    if (!mark) return "";
    if (mark.reverses) return fill(t("corReversalMark"), { id: mark.reverses });
    if (mark.reversedBy) return fill(t("corReversedMark"), { id: mark.reversedBy });
    return mark.corrected ? t("corCorrectedMark") : "";
  };
  return {
    colId: "correction",
    headerName: t("corCorrectionColumn"),
    width: 150,
    minWidth: 120,
    valueGetter: (params) => (params.data ? markText(params.data.id) : ""),
    cellClassRules: { "cell-returned": (params) => Boolean(params.data && corrections.marks[params.data.id]?.reverses) },
    cellRenderer: (params: { data?: PaymentRow; value: string }) => {
      const row = params.data;
      if (!row) return null;
      const mark = corrections.marks[row.id];
      const correctable = corrections.canCorrect && !mark?.reverses && !mark?.reversedBy;
      return (
        <span>
          {params.value}
          {params.value && correctable ? " · " : ""}
          {correctable && (
            <Link to={`/projects/${projectId}/payments/${row.id}/correct${search}`} data-testid={`correct-payment-${row.id}`}>
              {t("corCorrectLink")}
            </Link>
          )}
        </span>
      );
    },
  };
}
