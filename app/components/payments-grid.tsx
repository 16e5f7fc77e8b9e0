import { useCallback, useMemo, useRef, useState } from "react";
import { Link, useLocation } from "react-router";
import type { ColDef, GridApi, ModelUpdatedEvent } from "ag-grid-community";
import { ExportButton, displayedState } from "./export-button";
import { toAmountString, type AmountUnit } from "../../domain/money";
import { paymentListTotals } from "../../domain/execution";
import type { PaymentRecord } from "../../db/projects";
import type { PaymentMark } from "../../db/corrections";
import type { PaymentStatus } from "../../domain/project-execution";
import type { BatchRules, BatchTimelinessView, MonthTimeliness, RuleJudgement } from "../../features/payments/service";
import { useT, fill, msg, type Message, type MessageKey } from "../i18n";
import { GridFallback } from "./grid-fallback";
import { Grid, amountFormatter, numericFilterValue, numericStringComparator } from "./grid";
import { MonthlyTimeliness } from "./batch-timeliness";

export type PaymentRow = PaymentRecord & PaymentStatus & { item: string; /** A pinned total row's label (合计, 其中…之后支付, 净额). */ totalLabel?: string };

/** 社会化发放时效 (issue 15): the listed batches' step dates and judgements, the months of the year, the rules. */
export interface PaymentTimeliness {
  batches: Record<string, BatchTimelinessView>;
  months: MonthTimeliness[];
  total: { batches: number; onTime: number; late: number; incomplete: number; rate: string | null; monthsShort: number };
  /** Batches of the period carrying any step date: none, and the summary is not shown. */
  datedBatches: number;
  rules: BatchRules;
}

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
  timeliness,
  truncated = false,
  staticOnly = false,
}: {
  payments: PaymentRow[];
  amountUnit: AmountUnit;
  projectId: number;
  asOf: string;
  corrections?: PaymentCorrections;
  timeliness?: PaymentTimeliness;
  /** Only the newest payments are listed (the page says so): the total is then of the listed ones. */
  truncated?: boolean;
  /** Only what is shown before the grid is drawn (and without JavaScript): GridFallback. */
  staticOnly?: boolean;
}) {
  const { t, m } = useT();
  const api = useRef<GridApi<PaymentRow> | null>(null);
  // The correction page brings the user back to this view (as-of date, 元/万元, filters): it keeps what it needs of the query.
  const { search } = useLocation();
  const unitLabel = amountUnit === "wan" ? t("wan") : t("yuan");
  const columns = useMemo(
    (): ColDef<PaymentRow>[] => [
      {
        colId: "paidOn",
        headerName: t("paidOn"),
        field: "paidOn",
        width: 118,
        minWidth: 108,
        sort: "asc",
        // A total row's label over the cells before the amount, as the columns are displayed (they can be moved).
        valueGetter: (params) => params.data?.totalLabel ?? params.data?.paidOn,
        colSpan: (params) => {
          if (!params.node?.rowPinned) return 1;
          const displayed = params.api.getAllDisplayedColumns().map((column) => column.getColId());
          return Math.max(1, displayed.indexOf("amount") - displayed.indexOf("paidOn"));
        },
      },
      {
        colId: "kind",
        headerName: t("kind"),
        field: "kind",
        // 社会化发放 whole: the grid narrows columns to its width only down to their minimum (then it scrolls).
        width: 110,
        minWidth: 100,
        // The grid's short word for a batch ("Batch" in English), the whole in its tooltip.
        valueFormatter: (params) => (params.value === undefined ? "" : params.value === "transfer" ? t("transfer") : t("batchShort")),
        filterValueGetter: (params) => (params.data?.kind === "transfer" ? t("transfer") : t("batchShort")),
        tooltipValueGetter: (params) => (params.data?.kind === "transfer" ? t("transfer") : t("batch")),
      },
      { colId: "item", headerName: t("item"), field: "item", width: 167, minWidth: 120, tooltipField: "item" },
      { colId: "personTimes", headerName: t("personTimes"), field: "personTimes", width: 90, minWidth: 84, type: "rightAligned", filter: "agNumberColumnFilter" },
      {
        colId: "amount",
        headerName: fill(t("labelUnit"), { label: t("amount"), unit: unitLabel }),
        field: "amount",
        width: 130,
        minWidth: 112,
        type: "rightAligned",
        valueFormatter: amountFormatter(amountUnit),
        comparator: numericStringComparator,
        filter: "agNumberColumnFilter",
        filterValueGetter: (params) => numericFilterValue(params.data?.amount),
      },
      { colId: "dueOn", headerName: t("dueOn"), field: "dueOn", width: 105, minWidth: 108 },
      {
        colId: "late",
        headerName: t("late"),
        // Wide enough for "120 days" whole: the grid narrows columns only down to their minimum.
        width: 88,
        minWidth: 84,
        valueGetter: (params) => params.data?.daysLate ?? 0,
        valueFormatter: (params) => (params.value > 0 ? m(msg("pmDaysLate", { days: params.value })) : ""),
        type: "rightAligned",
        filter: "agNumberColumnFilter",
        cellClassRules: { "cell-late": (params) => params.value > 0 },
      },
      {
        colId: "returned",
        headerName: t("returned"),
        width: 140,
        minWidth: 128,
        // Whole in the tooltip where the column cuts it ("1 person-times · Re-issued").
        tooltipValueGetter: (params) => (params.valueFormatted ?? params.value ?? "") as string,
        valueGetter: (params) => {
          const row = params.data;
          if (!row || !row.returnedCount) return "";
          const status = row.returnedOutstanding ? t("returnedOutstanding") : t("reissued");
          return m(msg("returnedOf", { count: row.returnedCount, status }));
        },
        cellClassRules: { "cell-returned": (params) => Boolean(params.data?.returnedOutstanding) },
      },
      {
        colId: "returnedAmount",
        headerName: fill(t("labelUnit"), { label: t("returnedAmount"), unit: unitLabel }),
        field: "returnedAmount",
        width: 130,
        minWidth: 100,
        type: "rightAligned",
        valueFormatter: (params) => (params.value === "0.00" ? "" : amountFormatter(amountUnit)(params)),
        comparator: numericStringComparator,
      },
      { colId: "reissuedOn", headerName: t("reissuedOn"), field: "reissuedOn", width: 112, minWidth: 108 },
      ...(timeliness && Object.values(timeliness.batches).some((batch) => batch.timeliness !== null) ? stepColumns(t, m, timeliness) : []),
      { colId: "note", headerName: t("note"), field: "note", flex: 1, minWidth: 140, tooltipField: "note" },
      ...(corrections ? [correctionColumn(t, corrections, projectId, search)] : []),
    ],
    [t, m, amountUnit, unitLabel, corrections, projectId, search, timeliness],
  );
  // 合计 / 其中…之后支付 / 净额 of the rows the filters leave (domain/execution.ts, as the export's rows below the list),
  // counted again whenever the grid's rows change: a filter, or new data under a filter kept (another as-of date).
  const [shownIds, setShownIds] = useState<string | null>(null);
  const pinned = useMemo((): PaymentRow[] => {
    const ids = shownIds === null ? null : new Set(shownIds.split("\n"));
    const totals = paymentListTotals(ids === null ? payments : payments.filter((row) => ids.has(row.id)), asOf);
    const row = (totalLabel: string, amount: string, returnedAmount: string) => ({ id: totalLabel, totalLabel, amount, returnedAmount }) as PaymentRow;
    return [
      row(truncated ? m(msg("pmListedTotal", { count: payments.length })) : t("total"), toAmountString(totals.amount), toAmountString(totals.returned)),
      ...(totals.paidAfter.greaterThan(0) ? [row(fill(t("paidAfterAsOf"), { asOf }), toAmountString(totals.paidAfter), "0.00")] : []),
      row(t("netOfReturns"), toAmountString(totals.net), "0.00"),
    ];
  }, [payments, shownIds, asOf, t, m, truncated]);
  const onModelUpdated = useCallback((event: ModelUpdatedEvent<PaymentRow>) => {
    if (!event.api.isAnyFilterPresent()) return setShownIds(null);
    const ids: string[] = [];
    event.api.forEachNodeAfterFilter((node) => node.data && ids.push(node.data.id));
    // One string: the same rows again (a sort) leave the state as it is, and nothing is drawn anew.
    setShownIds(ids.join("\n"));
  }, []);
  const timelinessPanel = timeliness && timeliness.datedBatches > 0 && <MonthlyTimeliness timeliness={timeliness} projectId={projectId} canRecord={corrections?.canCorrect ?? false} />;
  if (staticOnly) {
    return (
      <>
        {timelinessPanel}
        <GridFallback columns={columns} rows={payments} pinnedBottom={pinned} testId="payments-grid" />
      </>
    );
  }
  return (
    <>
      {timelinessPanel}
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
          pinnedBottomRowData={pinned}
          onModelUpdated={onModelUpdated}
          rowClassRules={{
            "row-late": (params) => (params.data?.daysLate ?? 0) > 0,
            "row-future": (params) => params.data?.paid === false,
          }}
          tooltipShowDelay={300}
        />
      </div>
    </>
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
      if (!row || row.totalLabel !== undefined) return null;
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

type Translate = ReturnType<typeof useT>["t"];
type Render = ReturnType<typeof useT>["m"];

const RULE_KEYS = { acceptance: "pmRuleAcceptance", review: "pmRuleReview", payment: "pmRulePayment", report: "pmRuleReport" } as const satisfies Record<
  RuleJudgement["rule"],
  MessageKey
>;

/** One rule's judgement as words: 审核超期 2 个工作日 / 支付日期早于审批日期 / the calendar's message. */
function judgementMessage(judgement: RuleJudgement): Message | null {
  const rule = msg(RULE_KEYS[judgement.rule]);
  if (judgement.status === "late") return msg("pmLateBy", { rule, days: judgement.workingDaysLate });
  if (judgement.status === "out-of-order") return msg("pmOutOfOrder", { rule });
  if (judgement.status === "missing") return msg("pmRuleMissing", { rule });
  if (judgement.status === "not-covered") return judgement.problem;
  return null;
}

/**
 * 受理 / 审核完成 / 审批 as month-day (the full date where the year is not the payment's; every date in full in the
 * tooltip) and 时效: 及时, late by the most working days a rule was missed (each rule missed in the tooltip), or dates
 * missing. Narrow, so that the grid's other columns keep their width.
 */
function stepColumns(t: Translate, m: Render, timeliness: PaymentTimeliness): ColDef<PaymentRow>[] {
  const batch = (row: PaymentRow | undefined) => (row ? timeliness.batches[row.id] : undefined);
  const dateColumn = (colId: "acceptedOn" | "reviewedOn" | "approvedOn", header: MessageKey): ColDef<PaymentRow> => ({
    colId,
    headerName: t(header),
    width: 72,
    minWidth: 64,
    valueGetter: (params) => {
      const date = batch(params.data)?.[colId] ?? null;
      return date === null || !params.data ? "" : date.slice(0, 4) === params.data.paidOn.slice(0, 4) ? date.slice(5) : date;
    },
    tooltipValueGetter: (params) => batch(params.data ?? undefined)?.[colId] ?? "",
  });
  const detail = (row: PaymentRow | undefined) => {
    const judged = batch(row)?.timeliness;
    if (!judged) return "";
    if (judged.verdict === "on-time") return t("pmOnTime");
    const shown = judged.rules.filter((rule) => (judged.verdict === "late" ? rule.status === "late" : rule.status !== "on-time"));
    return shown
      .map((rule) => judgementMessage(rule))
      .filter((message): message is Message => message !== null)
      .map(m)
      .join(t("pmSeparator"));
  };
  const verdict = (row: PaymentRow | undefined) => {
    const judged = batch(row)?.timeliness;
    if (!judged) return "";
    if (judged.verdict === "on-time") return t("pmOnTime");
    return judged.verdict === "late" ? m(msg("pmLateShort", { days: judged.workingDaysLate })) : t("pmIncompleteShort");
  };
  return [
    dateColumn("acceptedOn", "pmStepAccepted"),
    dateColumn("reviewedOn", "pmStepReviewed"),
    dateColumn("approvedOn", "pmStepApproved"),
    {
      colId: "timeliness",
      headerName: t("pmColTimeliness"),
      width: 80,
      minWidth: 64,
      valueGetter: (params) => verdict(params.data),
      tooltipValueGetter: (params) => detail(params.data ?? undefined),
      cellClassRules: { "cell-late": (params) => batch(params.data)?.timeliness?.verdict === "late" },
    },
  ];
}
