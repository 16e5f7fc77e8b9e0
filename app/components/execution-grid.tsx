import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import type { CellKeyDownEvent, ColDef, FilterChangedEvent, GridApi } from "ag-grid-community";
import { executionTotal } from "../../domain/execution-total";
import type { PlanBasis } from "../../domain/planned-progress";
import type { AmountUnit } from "../../domain/money";
import type { ExecutionReport, ExecutionRow } from "../../db/execution";
import { useT, fill } from "../i18n";
import { GridFallback } from "./grid-fallback";
import { Grid, amountFormatter, filterSummary, numericFilterValue, numericStringComparator, percentFormatter, widthToShow } from "./grid";
import { formatAmount, wanRoundsApart } from "../../domain/money";
import { ExportButton, displayedState } from "./export-button";

type Row = ExecutionRow & { isTotal?: boolean; flaggedCount?: number; behindPlanCount?: number };

type AmountField = "initial" | "adjusted" | "executed";
type PercentField = "executionRate" | "timeProgress" | "gap" | "plannedProgress" | "planGap" | "previousYearRate";
type FigureField = AmountField | PercentField;
const AMOUNT_FIELDS: readonly AmountField[] = ["initial", "adjusted", "executed"];
const PERCENT_FIELDS: readonly PercentField[] = ["executionRate", "timeProgress", "gap", "plannedProgress", "planGap", "previousYearRate"];
/** Differences in percentage points, shown without "%" (their labels say 百分点). */
const POINTS_FIELDS: ReadonlySet<PercentField> = new Set(["gap", "planGap"]);
/** A flag column's cells wrap (低于预警线, 落后计划) as the names do. */
const WRAPPED_FLAG = { wrapText: true, autoHeight: true, cellStyle: { lineHeight: "1.35", paddingTop: "8px", paddingBottom: "8px" } } as const;
/** A flag column's narrowest: its label may wrap between words, never inside one ("Below thresho/ld"); Chinese wraps anywhere. */
const flagMinWidth = (label: string) => widthToShow(/[\u3400-\u9fff]/.test(label) ? [] : label.split(/\s+/), 72);
/** The message of each plan basis (计划依据), as the project page's chart names it (not imported: it would bring recharts along). */
const PLAN_BASIS_KEYS = { months: "ppBasisMonths", profile: "ppBasisProfile", even: "ppBasisEven" } as const satisfies Record<PlanBasis, string>;

/** Per figure column, the width that shows its widest figure (rows and total) whole, as the grid formats it. */
function figureWidths(rows: ReadonlyArray<Partial<Record<FigureField, string | null>>>, amountUnit: AmountUnit): Record<FigureField, number> {
  const widths = {} as Record<FigureField, number>;
  for (const field of AMOUNT_FIELDS) {
    widths[field] = widthToShow(rows.flatMap((row) => (row[field] ? [formatAmount(row[field]!, amountUnit)] : [])), field === "initial" ? 100 : 142);
  }
  for (const field of PERCENT_FIELDS) {
    const points = POINTS_FIELDS.has(field);
    widths[field] = widthToShow(rows.flatMap((row) => (row[field] ? [points ? row[field]! : `${row[field]}%`] : [])), points ? 72 : 80);
  }
  return widths;
}

/** Number columns shared by the project and unit grids: amounts, execution rate, time progress, gap, planned progress and its gap. */
function figureColumns<T extends Row | ExecutionReport["units"][number]>(
  t: (key: Parameters<ReturnType<typeof useT>["t"]>[0]) => string,
  amountUnit: AmountUnit,
  /** The widths that show each figure column's values whole (never cut); the defaults until the rows are known. */
  minWidths?: Record<FigureField, number>,
): ColDef<T>[] {
  const unitLabel = amountUnit === "wan" ? t("wan") : t("yuan");
  const amount = (field: AmountField, label: string): ColDef<T> => ({
    colId: field,
    headerName: fill(t("labelUnit"), { label, unit: unitLabel }),
    field: field as never,
    type: "rightAligned",
    valueFormatter: amountFormatter(amountUnit),
    comparator: numericStringComparator,
    filter: "agNumberColumnFilter",
    filterValueGetter: (params) => numericFilterValue(params.data?.[field]),
    // Every amount keeps every digit: a column is never narrower than its widest figure (the grid scrolls
    // sideways on a narrow screen rather than cut money); the text columns give way first and wrap.
    width: Math.max(field === "initial" ? 140 : 154, minWidths?.[field] ?? 0),
    minWidth: minWidths?.[field] ?? (field === "initial" ? 100 : 142),
    maxWidth: Math.max(170, minWidths?.[field] ?? 0),
  });
  return [
    amount("initial", t("initial")),
    amount("adjusted", t("adjusted")),
    amount("executed", t("executed")),
    percentColumn<T>(t, "executionRate", t("executionRate"), minWidths),
    percentColumn<T>(t, "timeProgress", t("timeProgress"), minWidths),
    percentColumn<T>(t, "gap", t("gap"), minWidths),
    {
      ...percentColumn<T>(t, "plannedProgress", t("ppPlannedProgress"), minWidths),
      // The plan's basis (计划依据) of a project row, on hover.
      tooltipValueGetter: (params) =>
        params.data && "planBasis" in params.data && !params.data.isTotal ? fill(t("ppBasis"), { basis: t(PLAN_BASIS_KEYS[params.data.planBasis]) }) : undefined,
    },
    percentColumn<T>(t, "planGap", t("ppPlanGap"), minWidths),
  ];
}

/** A percentage column (or a difference in points), as wide as its widest figure. */
function percentColumn<T extends Row | ExecutionReport["units"][number]>(
  t: (key: Parameters<ReturnType<typeof useT>["t"]>[0]) => string,
  field: PercentField,
  label: string,
  minWidths?: Record<FigureField, number>,
): ColDef<T> {
  const points = POINTS_FIELDS.has(field);
  return {
    colId: field,
    headerName: points ? label : fill(t("labelUnit"), { label, unit: "%" }),
    field: field as never,
    type: "rightAligned",
    valueFormatter: points
      ? (params) => (params.value === null || params.value === undefined ? "—" : String(params.value))
      : field === "executionRate"
        ? (params) => (params.data && "declarationOnly" in params.data && params.data.declarationOnly ? t("declarationOnly") : percentFormatter(params))
        : percentFormatter,
    comparator: numericStringComparator,
    filter: "agNumberColumnFilter",
    filterValueGetter: (params) => numericFilterValue((params.data as Partial<Record<PercentField, string | null>> | undefined)?.[field]),
    width: Math.max(96, minWidths?.[field] ?? 0),
    minWidth: minWidths?.[field] ?? (points ? 72 : 80),
    maxWidth: Math.max(110, minWidths?.[field] ?? 0),
  };
}

/**
 * The managers' grid: one row per project, grouped by budget unit (rows of a unit together,
 * the unit cell spanning them), sortable and filterable, flagged rows marked, and a total row
 * that re-adds the exact amounts of the rows left by the filters.
 */
export function ExecutionGrid({
  report,
  amountUnit,
  unitId,
  rowsToken,
}: {
  report: ExecutionReport;
  amountUnit: AmountUnit;
  unitId: number | null;
  /** The page's one-time token for the rows its loader computed (null: none kept). */
  rowsToken: string | null;
}) {
  const { t, language } = useT();
  const navigate = useNavigate();
  const api = useRef<GridApi<Row> | null>(null);
  const unitPaths = useMemo(() => new Map(report.units.map((unit) => [unit.unitId, unit.unitPath])), [report]);
  const rows = useExecutionRows(report.year, report.asOf, unitId, rowsToken);
  const projectHref = useCallback((row: Row) => `/projects/${row.projectId}?asOf=${report.asOf}&amount=${amountUnit}`, [report.asOf, amountUnit]);
  // The widest figure of each amount column, the total row's included (it is the largest).
  const minWidths = useMemo(() => figureWidths([...(rows ?? []), report.total], amountUnit), [rows, report, amountUnit]);
  const [totalRow, setTotalRow] = useState<Row[]>([]);
  useEffect(() => {
    if (rows) setTotalRow([totalOf(rows, report, t("total"))]);
  }, [rows, report, t]);

  const columns = useMemo<ColDef<Row>[]>(
    () => [
      {
        colId: "unit",
        headerName: t("unit"),
        field: "unitName",
        spanRows: true,
        width: 180,
        minWidth: 100,
        // Full names wrap rather than end in "…".
        wrapText: true,
        autoHeight: true,
        cellStyle: { lineHeight: "1.35", paddingTop: "8px", paddingBottom: "8px" },
        tooltipValueGetter: (params) => (params.data ? [...(unitPaths.get(params.data.unitId) ?? []), params.data.unitName].join(" / ") : ""),
        cellClass: "unit-cell",
      },
      {
        colId: "project",
        headerName: t("project"),
        field: "projectName",
        // A width, not flex: ag-grid leaves flex columns out when it re-fits the columns to the grid.
        width: 200,
        minWidth: 110,
        wrapText: true,
        autoHeight: true,
        cellStyle: { lineHeight: "1.35", paddingTop: "8px", paddingBottom: "8px" },
        tooltipValueGetter: (params) => (params.data && !params.data.isTotal ? params.data.projectName : undefined),
        cellRenderer: (params: { data?: Row }) =>
          params.data && !params.data.isTotal ? (
            <Link
              to={projectHref(params.data)}
              data-testid={`project-link-${params.data.projectId}`}
            >
              {params.data.projectName}
            </Link>
          ) : (
            params.data?.projectName ?? ""
          ),
      },
      ...figureColumns<Row>(t, amountUnit, minWidths),
      {
        colId: "flagged",
        headerName: t("flag"),
        field: "flagged",
        cellDataType: "text",
        width: 110,
        minWidth: flagMinWidth(t("flagged")),
        maxWidth: 120,
        valueFormatter: (params) => (params.data?.isTotal ? `${params.data.flaggedCount ?? 0}` : params.value ? t("flagged") : ""),
        // Narrow beside the plan's columns on a 1280 px screen: the flag wraps rather than end in "…".
        ...WRAPPED_FLAG,
        filter: "agTextColumnFilter",
        filterValueGetter: (params) => (params.data?.flagged ? t("flagged") : ""),
      },
      {
        colId: "behindPlan",
        headerName: t("ppPlanFlag"),
        field: "behindPlan",
        cellDataType: "text",
        width: 96,
        minWidth: flagMinWidth(t("ppBehindPlan")),
        maxWidth: 120,
        valueFormatter: (params) => (params.data?.isTotal ? `${params.data.behindPlanCount ?? 0}` : params.value ? t("ppBehindPlan") : ""),
        ...WRAPPED_FLAG,
        filter: "agTextColumnFilter",
        filterValueGetter: (params) => (params.data?.behindPlan ? t("ppBehindPlan") : ""),
      },
      // Last: on a 1280 px screen the one column the grid may scroll sideways to.
      percentColumn<Row>(t, "previousYearRate", t("ppPreviousYearRate"), minWidths),
    ],
    [t, amountUnit, unitPaths, minWidths, projectHref],
  );

  // Keyboard users open a project with Enter on its name, as a click on the link does.
  const onCellKeyDown = useCallback(
    (event: CellKeyDownEvent<Row>) => {
      const key = (event.event as KeyboardEvent | null | undefined)?.key;
      if (key === "Enter" && event.column.getColId() === "project" && event.data && !event.data.isTotal) navigate(projectHref(event.data));
    },
    [navigate, projectHref],
  );

  const [filters, setFilters] = useState("");
  const onFilterChanged = useCallback(
    (event: FilterChangedEvent<Row>) => {
      setTotalRow([totalOf(visibleRows(event.api), report, t("total"))]);
      setFilters(filterSummary(event.api, language));
    },
    [report, t, language],
  );

  return (
    <div className="grid-wrap" data-testid="execution-grid">
      {/* The printed page says what the table was filtered to (on screen the filter icons do). */}
      <p className="print-only small" data-testid="grid-filters">
        {t("dbGridFilters")}
        {filters || t("dbGridNoFilter")}
      </p>
      <div className="grid-toolbar">
        <ExportButton
          testId="export-execution"
          request={() =>
            api.current && {
              grid: "execution",
              year: report.year,
              asOf: report.asOf,
              unitId,
              amount: amountUnit,
              ...displayedState(api.current, (row) => row.projectId),
            }
          }
        />
      </div>
      <Grid<Row>
        onGridReady={(event) => (api.current = event.api)}
        loading={rows === null}
        rowData={rows ?? []}
        rowCount={rows?.length ?? 10}
        columnDefs={columns}
        enableCellSpan
        getRowId={(params) => String(params.data.projectId)}
        rowClassRules={{ "row-flagged": (params) => Boolean(params.data?.flagged && !params.data.isTotal) }}
        pinnedBottomRowData={totalRow}
        onFilterChanged={onFilterChanged}
        onCellKeyDown={onCellKeyDown}
        tooltipShowDelay={300}
      />
      {totalRow[0] && <WanRoundingNote rows={rows ?? []} total={totalRow[0]} amountUnit={amountUnit} />}
    </div>
  );
}

/** Unit totals: one row per budget unit, the amounts added exactly and the rates recomputed from them. */
export function UnitTotalsGrid({ report, amountUnit, staticOnly = false }: { report: ExecutionReport; amountUnit: AmountUnit; staticOnly?: boolean }) {
  const { t } = useT();
  type UnitRow = ExecutionReport["units"][number];
  const minWidths = useMemo(() => figureWidths(report.units, amountUnit), [report, amountUnit]);
  const columns = useMemo<ColDef<UnitRow>[]>(
    () => [
      {
        colId: "unit",
        headerName: t("unit"),
        field: "unitName",
        width: 290,
        minWidth: 150,
        // Full names (上海市闵行区…受理服务中心) wrap rather than end in "…".
        wrapText: true,
        autoHeight: true,
        cellStyle: { lineHeight: "1.35", paddingTop: "8px", paddingBottom: "8px" },
        tooltipValueGetter: (params) => (params.data ? [...params.data.unitPath, params.data.unitName].join(" / ") : ""),
      },
      { colId: "projects", headerName: t("projects"), field: "projects", width: 64, minWidth: 56, maxWidth: 80, type: "rightAligned" },
      ...figureColumns<UnitRow>(t, amountUnit, minWidths),
      percentColumn<UnitRow>(t, "previousYearRate", t("ppPreviousYearRate"), minWidths),
      { colId: "flaggedProjects", headerName: t("flaggedProjects"), field: "flaggedProjects", width: 84, minWidth: 64, maxWidth: 100, type: "rightAligned" },
    ],
    [t, amountUnit, minWidths],
  );
  // Before the grid is drawn, and without JavaScript: the same rows as a plain table (GridFallback).
  if (staticOnly) return <GridFallback columns={columns} rows={report.units} testId="unit-grid" />;
  return (
    <div className="grid-wrap" data-testid="unit-grid">
      <Grid
        rowData={report.units}
        rowCount={report.units.length}
        columnDefs={columns}
        getRowId={(params) => String(params.data.unitId)}
        rowClassRules={{ "row-flagged": (params) => Boolean(params.data?.flagged) }}
      />
      <WanRoundingNote rows={report.units} total={report.total} amountUnit={amountUnit} />
    </div>
  );
}

/** 因四舍五入…尾差: under a grid in 万元 whose rows, each rounded, do not add to its exact total in some column. */
function WanRoundingNote({ rows, total, amountUnit }: { rows: ReadonlyArray<Partial<Record<AmountField, string>>>; total: Partial<Record<AmountField, string>>; amountUnit: AmountUnit }) {
  const { t } = useT();
  if (amountUnit !== "wan") return null;
  const apart = AMOUNT_FIELDS.some((field) => total[field] !== undefined && wanRoundsApart(rows.flatMap((row) => (row[field] ? [row[field]!] : [])), total[field]!));
  return apart ? (
    <p className="muted small" data-testid="wan-rounding-note">
      {t("wanRoundingNote")}
    </p>
  ) : null;
}

/**
 * The project rows of the dashboard's query, fetched from /execution.json (null while loading), with
 * the page's token so that the server hands over the rows its loader computed. Each run of the loader
 * (a new token) fetches again, so the rows are those of the headline's report; while the query is the
 * same (the 元/万元 switch) the grid keeps its rows until the new ones come.
 */
function useExecutionRows(year: number, asOf: string, unitId: number | null, token: string | null): Row[] | null {
  const [rows, setRows] = useState<Row[] | null>(null);
  const shownQuery = useRef<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const query = new URLSearchParams({ year: String(year), asOf });
    if (unitId !== null) query.set("unit", String(unitId));
    if (query.toString() !== shownQuery.current) setRows(null);
    shownQuery.current = query.toString();
    if (token !== null) query.set("rows", token);
    fetch(`/execution.json?${query.toString()}`, { signal: controller.signal, headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then((body: { rows: Row[] }) => setRows(body.rows))
      .catch((error: unknown) => {
        if ((error as Error).name !== "AbortError") setRows([]);
      });
    return () => controller.abort();
  }, [year, asOf, unitId, token]);
  return rows;
}

function visibleRows(api: GridApi<Row>): Row[] {
  const rows: Row[] = [];
  api.forEachNodeAfterFilter((node) => {
    if (node.data) rows.push(node.data);
  });
  return rows;
}

function totalOf(rows: readonly Row[], report: ExecutionReport, label: string): Row {
  // As the server's totals and the export's (domain/execution-total.ts).
  const { projects, flaggedProjects, behindPlanProjects, ...figures } = executionTotal(rows, report.year, report.asOf, report.threshold);
  return {
    projectId: -1,
    projectName: `${projects}`,
    projectCode: null,
    unitId: -1,
    unitName: label,
    isTotal: true,
    declarationOnly: false,
    flaggedCount: flaggedProjects,
    behindPlanCount: behindPlanProjects,
    ...figures,
    planBasis: "even",
    previousYear: null,
  };
}
