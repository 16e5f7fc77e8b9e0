import { useCallback, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import type { ColDef, FilterChangedEvent, GridApi } from "ag-grid-community";
import { ExportButton, displayedState } from "./export-button";
import { difference, formatAmount, money, percentage, sumMoney, toAmountString, type AmountUnit } from "../../domain/money";
import type { BudgetLineRecord } from "../../db/projects";
import type { LineExecution } from "../../domain/project-execution";
import { useT, fill } from "../i18n";
import { fundMessage } from "../../domain/budget-line-form";
import { budgetLineRow, type BudgetLineRow } from "../budget-line-row";
import { GridFallback } from "./grid-fallback";
import { Grid, amountFormatter, numericFilterValue, numericStringComparator, percentFormatter } from "./grid";

/** A row of the grid: a budget line with its figures, the payments on no line, or the total (text cells "" rather than null). */
interface Row extends Omit<BudgetLineRow, "initial" | "adjusted" | "basis" | "functional" | "economic"> {
  kind: "line" | "unattributed" | "total";
  initial: string | null;
  adjusted: string | null;
  basis: string;
  functional: string;
  economic: string;
}

interface ProjectTotals {
  initial: string;
  adjusted: string;
  executed: string;
  executionRate: string | null;
}

/**
 * 项目预算安排及调整: a project's budget lines with their adjustments, adjusted budget, execution and
 * classification codes, sortable and filterable, exported as shown. Payments on no line follow as a
 * row of their own while every line is shown; the total row adds up what is shown (the project's
 * figures when nothing is filtered out).
 */
export function BudgetLinesGrid({
  lines,
  figures,
  unattributedExecuted,
  totals,
  amountUnit,
  projectId,
  asOf,
  canEdit,
  staticOnly = false,
}: {
  lines: BudgetLineRecord[];
  /** The figures of each line, in the order of lines. */
  figures: LineExecution[];
  unattributedExecuted: string;
  totals: ProjectTotals;
  amountUnit: AmountUnit;
  projectId: number;
  asOf: string;
  canEdit: boolean;
  /** Only what is shown before the grid is drawn (and without JavaScript): GridFallback. */
  staticOnly?: boolean;
}) {
  const { t, m } = useT();
  const api = useRef<GridApi<Row> | null>(null);
  const unitLabel = amountUnit === "wan" ? t("wan") : t("yuan");
  const rows = useMemo(
    (): Row[] =>
      lines.map((line, index) => {
        const row = budgetLineRow(line, figures[index]!);
        return { ...row, kind: "line", basis: row.basis ?? "", functional: row.functional ?? "", economic: row.economic ?? "" };
      }),
    [lines, figures],
  );
  const unattributed = useMemo(
    (): Row[] =>
      unattributedExecuted === "0.00"
        ? []
        : [{ ...emptyRow(-2, "unattributed"), item: t("unattributed"), executed: unattributedExecuted }],
    [unattributedExecuted, t],
  );
  // The ids the filters leave (null: no filter), so that the total follows the filters and the data.
  const [shownIds, setShownIds] = useState<number[] | null>(null);
  const pinned = useMemo((): Row[] => {
    const total = { ...emptyRow(-1, "total"), composition: t("total") };
    if (shownIds === null || shownIds.length === rows.length) {
      return [...unattributed, { ...total, ...totals, adjustment: difference(totals.adjusted, totals.initial) }];
    }
    // Filtered: the payments on no line are no line's, so neither they nor their row are shown.
    const ids = new Set(shownIds);
    const shown = rows.filter((row) => ids.has(row.id));
    const sum = (pick: (row: Row) => string | null) => toAmountString(sumMoney(shown.map((row) => pick(row) ?? "0")));
    const adjusted = sum((row) => row.adjusted);
    const executed = sum((row) => row.executed);
    return [{ ...total, initial: sum((row) => row.initial), adjustment: sum((row) => row.adjustment), adjusted, executed, executionRate: percentage(executed, adjusted) }];
  }, [rows, shownIds, t, totals, unattributed]);
  const onFilterChanged = useCallback((event: FilterChangedEvent<Row>) => {
    if (!event.api.isAnyFilterPresent()) return setShownIds(null);
    const ids: number[] = [];
    event.api.forEachNodeAfterFilter((node) => node.data && ids.push(node.data.id));
    setShownIds(ids);
  }, []);

  const columns = useMemo((): ColDef<Row>[] => {
    const amount = (field: "initial" | "adjustment" | "adjusted" | "executed", label: string): ColDef<Row> => ({
      colId: field,
      headerName: fill(t("labelUnit"), { label, unit: unitLabel }),
      field,
      // 调整后预算数 and 预算执行数 keep every digit when the columns share the page; 年初预算数, 调整金额
      // and the text columns give way first.
      width: field === "adjusted" || field === "executed" ? 140 : 130,
      minWidth: field === "adjusted" || field === "executed" ? 128 : 124,
      type: "rightAligned",
      valueFormatter: field === "adjustment" ? (params) => (params.value === "0.00" ? "" : amountFormatter(amountUnit)(params)) : amountFormatter(amountUnit),
      comparator: numericStringComparator,
      filter: "agNumberColumnFilter",
      filterValueGetter: (params) => numericFilterValue(params.data?.[field]),
    });
    return [
      { colId: "lineNo", headerName: "#", headerTooltip: t("lineNo"), field: "lineNo", width: 44, minWidth: 40, maxWidth: 64, type: "rightAligned", filter: false },
      { colId: "composition", headerName: t("composition"), field: "composition", width: 100, minWidth: 60, tooltipField: "composition", ...wrapped },
      { colId: "item", headerName: t("item"), field: "item", width: 170, minWidth: 104, tooltipField: "item", ...wrapped },
      {
        colId: "fundLevel",
        headerName: t("fundLevel"),
        field: "fundLevel",
        width: 56,
        minWidth: 48,
        // Stored as the forms write it (镇级); shown in the user's language.
        valueFormatter: (params) => (params.value ? m(fundMessage(params.value as string)) : ""),
      },
      {
        colId: "unitPrice",
        headerName: t("unitPrice"),
        field: "unitPrice",
        width: 90,
        minWidth: 84,
        type: "rightAligned",
        valueFormatter: (params) => (params.value ? formatAmount(params.value as string) : ""),
        comparator: numericStringComparator,
        filter: "agNumberColumnFilter",
        filterValueGetter: (params) => numericFilterValue(params.data?.unitPrice),
      },
      {
        colId: "quantity",
        headerName: t("quantity"),
        field: "quantity",
        width: 64,
        minWidth: 56,
        type: "rightAligned",
        valueFormatter: (params) => (params.value ? money(params.value as string).toString() : ""),
        comparator: numericStringComparator,
        filter: "agNumberColumnFilter",
        filterValueGetter: (params) => numericFilterValue(params.data?.quantity),
      },
      amount("initial", t("initial")),
      amount("adjustment", t("adjustmentAmount")),
      amount("adjusted", t("adjusted")),
      amount("executed", t("executed")),
      {
        colId: "executionRate",
        headerName: `${t("executionRate")}(%)`,
        field: "executionRate",
        width: 92,
        minWidth: 88,
        type: "rightAligned",
        valueFormatter: (params) => (params.data?.kind === "unattributed" ? "" : percentFormatter(params)),
        comparator: numericStringComparator,
        filter: "agNumberColumnFilter",
        filterValueGetter: (params) => numericFilterValue(params.data?.executionRate),
      },
      { colId: "basis", headerName: t("basis"), field: "basis", width: 100, minWidth: 64, tooltipField: "basis", ...wrapped },
      { colId: "functional", headerName: t("functionalClass"), field: "functional", width: 100, minWidth: 64, tooltipField: "functional", ...wrapped },
      { colId: "economic", headerName: t("economicClass"), field: "economic", width: 100, minWidth: 64, tooltipField: "economic", ...wrapped },
      ...(canEdit
        ? [
            {
              colId: "edit",
              headerName: "",
              width: 56,
              minWidth: 48,
              sortable: false,
              filter: false,
              cellClass: "no-print",
              cellRenderer: (params: { data?: Row }) =>
                params.data?.kind === "line" ? (
                  <Link to={`/projects/${projectId}/lines/${params.data.id}/edit`} data-testid={`edit-line-${params.data.id}`}>
                    {t("edit")}
                  </Link>
                ) : null,
            } satisfies ColDef<Row>,
          ]
        : []),
    ];
  }, [t, m, amountUnit, unitLabel, canEdit, projectId]);

  if (staticOnly) return <GridFallback columns={columns} rows={rows} pinnedBottom={pinned} testId="lines-table" />;
  return (
    <div className="grid-wrap" data-testid="lines-table">
      <div className="grid-toolbar">
        <ExportButton
          testId="export-lines"
          request={() => api.current && { grid: "lines", projectId, asOf, amount: amountUnit, ...displayedState(api.current, (row) => row.id) }}
        />
      </div>
      <Grid<Row>
        // Fourteen columns share the page's width (Grid fits them, also to the printed page): no hidden columns off to the right.
        onGridReady={(event) => (api.current = event.api)}
        rowData={rows}
        rowCount={rows.length}
        columnDefs={columns}
        getRowId={(params) => String(params.data.id)}
        pinnedBottomRowData={pinned}
        onFilterChanged={onFilterChanged}
        tooltipShowDelay={300}
      />
    </div>
  );
}

/** Text columns wrap (rows grow) rather than cut names off. */
const wrapped = { wrapText: true, autoHeight: true, cellStyle: { lineHeight: "1.35", paddingTop: "6px", paddingBottom: "6px" } } as const;

function emptyRow(id: number, kind: Row["kind"]): Row {
  return {
    id, kind, lineNo: null, composition: "", item: "", fundLevel: "", unitPrice: null, quantity: null, initial: null,
    adjustment: null, adjusted: null, executed: "0.00", executionRate: null, basis: "", functional: "", economic: "",
  };
}
