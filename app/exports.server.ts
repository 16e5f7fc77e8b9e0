import { money, percentage, sumMoney, toAmountString, type AmountUnit, type Money } from "../domain/money";
import { daysLate, NO_PAYMENTS, withPayment, type PaymentListTotals } from "../domain/execution";
import { executionTotal } from "../domain/execution-total";
import { summaryExecution } from "../domain/project-execution";
import { formatMonths, fundMessage } from "../domain/budget-line-form";
import type { ExecutionReport } from "../db/execution";
import type { PaymentRecord, ProjectSummaryLedger } from "../db/projects";
import type { SheetColumn, SheetRow, SheetSpec } from "../files/write-xlsx";
import { fill, render, translate, type Language, type MessageKey } from "./i18n";
import { budgetLineRow, classificationLabel, type BudgetLineRow } from "./budget-line-row";

/*
 * What the grids export: the same columns as on screen (by column id), the rows in the order and
 * selection the user had, amounts as numbers in 元 or 万元. Rows are always re-read on the server;
 * the browser only says which ids, in which order, and which columns.
 */

type Cell = string | number | boolean | null;

/**
 * An amount (exact 元, "56307.81") as the exact decimal written in the cell: 元 as it is, 万元 ÷ 10,000
 * exactly ("5.630781", never rounded to "5.63"); the cell's format shows 2 decimals. So Excel's SUM of
 * a 万元 column equals the screen's total, and a 万元 file imports back to the cent.
 */
export function amountInUnit(amount: string, unit: AmountUnit): string {
  return unit === "wan" ? money(amount).dividedBy(10_000).toFixed() : toAmountString(money(amount));
}
interface ExportColumn<Row> {
  id: string;
  label: MessageKey;
  kind: SheetColumn["kind"];
  amount?: boolean;
  value: (row: Row, unit: AmountUnit, language: Language) => Cell;
  width?: number;
}

type ExecutionRow = ExecutionReport["rows"][number];

const EXECUTION_COLUMNS: ExportColumn<ExecutionRow>[] = [
  { id: "unit", label: "unit", kind: "text", value: (row) => row.unitName, width: 36 },
  { id: "project", label: "project", kind: "text", value: (row) => row.projectName, width: 30 },
  { id: "initial", label: "initial", kind: "amount", amount: true, value: (row, unit) => amountInUnit(row.initial, unit) },
  { id: "adjusted", label: "adjusted", kind: "amount", amount: true, value: (row, unit) => amountInUnit(row.adjusted, unit) },
  { id: "executed", label: "executed", kind: "amount", amount: true, value: (row, unit) => amountInUnit(row.executed, unit) },
  { id: "executionRate", label: "executionRate", kind: "percent", value: (row) => row.executionRate },
  { id: "timeProgress", label: "timeProgress", kind: "percent", value: (row) => row.timeProgress },
  { id: "gap", label: "gap", kind: "percent", value: (row) => row.gap },
  { id: "plannedProgress", label: "ppPlannedProgress", kind: "percent", value: (row) => row.plannedProgress },
  { id: "planGap", label: "ppPlanGap", kind: "percent", value: (row) => row.planGap },
  { id: "flagged", label: "flag", kind: "text", value: (row, _unit, language) => (row.flagged ? translate(language, "flagged") : "") },
  { id: "behindPlan", label: "ppPlanFlag", kind: "text", value: (row, _unit, language) => (row.behindPlan ? translate(language, "ppBehindPlan") : "") },
  { id: "previousYearRate", label: "ppPreviousYearRate", kind: "percent", value: (row) => row.previousYearRate },
];

/** Differences in percentage points: their labels say so, no "(%)". */
const POINTS_COLUMNS = new Set(["gap", "planGap"]);

type PaymentRow = PaymentRecord & { item: string; daysLate: number };

const PAYMENT_COLUMNS: ExportColumn<PaymentRow>[] = [
  { id: "paidOn", label: "paidOn", kind: "date", value: (row) => row.paidOn },
  { id: "kind", label: "kind", kind: "text", value: (row, _unit, language) => translate(language, row.kind === "transfer" ? "transfer" : "batch") },
  { id: "item", label: "item", kind: "text", value: (row) => row.item, width: 30 },
  { id: "personTimes", label: "personTimes", kind: "integer", value: (row) => row.personTimes },
  { id: "amount", label: "amount", kind: "amount", amount: true, value: (row, unit) => amountInUnit(row.amount, unit) },
  { id: "dueOn", label: "dueOn", kind: "date", value: (row) => row.dueOn },
  { id: "late", label: "late", kind: "integer", value: (row) => (row.daysLate > 0 ? row.daysLate : null) },
  { id: "returned", label: "returned", kind: "integer", value: (row) => (row.returnedCount > 0 ? row.returnedCount : null) },
  { id: "returnedAmount", label: "returned", kind: "amount", amount: true, value: (row, unit) => (row.returnedAmount === "0.00" ? null : amountInUnit(row.returnedAmount, unit)) },
  { id: "reissuedOn", label: "reissuedOn", kind: "date", value: (row) => row.reissuedOn },
  // A batch's step dates, as the grid shows them where any batch carries them.
  { id: "acceptedOn", label: "pmColAcceptedOn", kind: "date", value: (row) => row.acceptedOn },
  { id: "reviewedOn", label: "pmColReviewedOn", kind: "date", value: (row) => row.reviewedOn },
  { id: "approvedOn", label: "pmColApprovedOn", kind: "date", value: (row) => row.approvedOn },
  { id: "note", label: "note", kind: "text", value: (row) => row.note, width: 40 },
];

const LINE_COLUMNS: ExportColumn<BudgetLineRow>[] = [
  { id: "lineNo", label: "lineNo", kind: "integer", value: (row) => row.lineNo },
  { id: "composition", label: "composition", kind: "text", value: (row) => row.composition, width: 24 },
  { id: "item", label: "item", kind: "text", value: (row) => row.item, width: 30 },
  // 资金级次 named in the user's language, as the grid names it (镇级 → Town).
  { id: "fundLevel", label: "fundLevel", kind: "text", value: (row, _unit, language) => (row.fundLevel ? render(language, fundMessage(row.fundLevel)) : "") },
  // 单价 stays in 元 whatever the page's unit (its label says so), as on the page and the official form.
  { id: "unitPrice", label: "unitPrice", kind: "amount", value: (row) => row.unitPrice },
  { id: "quantity", label: "quantity", kind: "amount", value: (row) => row.quantity },
  { id: "initial", label: "initial", kind: "amount", amount: true, value: (row, unit) => amountInUnit(row.initial, unit) },
  { id: "adjustment", label: "adjustmentAmount", kind: "amount", amount: true, value: (row, unit) => (row.adjustment === null ? null : amountInUnit(row.adjustment, unit)) },
  { id: "adjusted", label: "adjusted", kind: "amount", amount: true, value: (row, unit) => amountInUnit(row.adjusted, unit) },
  { id: "executed", label: "executed", kind: "amount", amount: true, value: (row, unit) => amountInUnit(row.executed, unit) },
  { id: "executionRate", label: "executionRate", kind: "percent", value: (row) => row.executionRate },
  { id: "basis", label: "basis", kind: "text", value: (row) => row.basis, width: 24 },
  { id: "functional", label: "functionalClass", kind: "text", value: (row) => row.functional, width: 24 },
  { id: "economic", label: "economicClass", kind: "text", value: (row) => row.economic, width: 24 },
];

function header(column: ExportColumn<never>, unit: AmountUnit, language: Language): string {
  const label = translate(language, column.label) + (column.id === "returnedAmount" ? translate(language, "amount") : "");
  if (column.amount) return `${label}(${translate(language, unit === "wan" ? "wan" : "yuan")})`;
  if (column.kind === "percent" && !POINTS_COLUMNS.has(column.id)) return `${label}(%)`;
  return label;
}

/** The catalog's columns named, in that order (all when null); unknown ids are skipped. */
function selectedColumns<Row>(catalog: ExportColumn<Row>[], columnIds: readonly string[] | null): ExportColumn<Row>[] {
  return (columnIds ?? catalog.map((column) => column.id))
    .map((id) => catalog.find((column) => column.id === id))
    .filter((column): column is ExportColumn<Row> => column !== undefined);
}

function sheet<Row>(
  name: string,
  catalog: ExportColumn<Row>[],
  columnIds: readonly string[] | null,
  rows: readonly Row[],
  unit: AmountUnit,
  language: Language,
  title?: string,
): SheetSpec {
  const columns = selectedColumns(catalog, columnIds);
  return {
    name,
    title,
    columns: columns.map((column) => ({ header: header(column as ExportColumn<never>, unit, language), key: column.id, kind: column.kind, width: column.width })),
    rows: rows.map((row) => Object.fromEntries(columns.map((column) => [column.id, column.value(row, unit, language)]))),
  };
}

/** The dashboard grid as a sheet: the rows of the given project ids in that order, the given columns. */
export function executionSheet(report: ExecutionReport, projectIds: readonly number[], columnIds: readonly string[] | null, unit: AmountUnit, language: Language): SheetSpec {
  const byId = new Map(report.rows.map((row) => [row.projectId, row]));
  const rows = projectIds.map((id) => byId.get(id)).filter((row): row is ExecutionRow => row !== undefined);
  const title = `${report.year} ${translate(language, "dashboard")} ${translate(language, "asOf")} ${report.asOf}`;
  const spec = sheet(translate(language, "dashboard"), EXECUTION_COLUMNS, columnIds, rows, unit, language, title);
  // The total of the rows exported, as the grid's pinned 合计 row and the server's totals (domain/execution-total.ts):
  // amounts added exactly, rates recomputed, projects, flagged and behind-plan ones counted.
  const total = executionTotal(rows, report.year, report.asOf, report.threshold);
  spec.totalRow = labelledTotal(spec, translate(language, "total"), {
    project: total.projects,
    initial: amountInUnit(total.initial, unit),
    adjusted: amountInUnit(total.adjusted, unit),
    executed: amountInUnit(total.executed, unit),
    executionRate: total.executionRate,
    timeProgress: total.timeProgress,
    gap: total.gap,
    plannedProgress: total.plannedProgress,
    planGap: total.planGap,
    flagged: total.flaggedProjects,
    behindPlan: total.behindPlanProjects,
    previousYearRate: total.previousYearRate,
  });
  return spec;
}

/** A total row: the label in the first text or date column shown (unless that column has a value of its own), the given figures in theirs. */
function labelledTotal(spec: SheetSpec, label: string, figures: Record<string, string | number | null>): Record<string, string | number | null> {
  const labelColumn = spec.columns.find((column) => (column.kind === "text" || column.kind === "date") && figures[column.key] === undefined);
  return Object.fromEntries(spec.columns.map((column) => [column.key, column === labelColumn ? label : (figures[column.key] ?? null)]));
}

/**
 * A project's payments as a sheet, read page by page as they are written (the given ids in their
 * order, or all), with 合计 and 净额 rows added up on the way.
 */
export function paymentsSheet(
  ledger: Pick<ProjectSummaryLedger, "project" | "lines">,
  pages: AsyncIterable<readonly PaymentRecord[]>,
  asOf: string,
  columnIds: readonly string[] | null,
  unit: AmountUnit,
  language: Language,
): SheetSpec {
  const items = new Map(ledger.lines.map((line) => [line.id, line.item]));
  let totals = NO_PAYMENTS;
  const spec = sheet(translate(language, "payments"), PAYMENT_COLUMNS, columnIds, [], unit, language, `${ledger.project.fiscalYear} ${ledger.project.name} ${ledger.project.unitName}`);
  const columns = selectedColumns(PAYMENT_COLUMNS, columnIds);
  spec.rows = (async function* (): AsyncGenerator<SheetRow> {
    for await (const page of pages) {
      for (const payment of page) {
        totals = withPayment(totals, payment, asOf);
        const row: PaymentRow = { ...payment, item: payment.budgetLineId === null ? "" : (items.get(payment.budgetLineId) ?? ""), daysLate: payment.kind === "transfer" ? daysLate(payment) : 0 };
        yield Object.fromEntries(columns.map((column) => [column.id, column.value(row, unit, language)]));
      }
    }
  })();
  spec.totalRows = () => paymentTotals(spec, totals, asOf, unit, language);
  return spec;
}

/**
 * Below the payments (domain/execution.ts paymentListTotals): 合计 of the amounts and returned amounts; where rows
 * were paid after the as-of date, 其中 …之后支付 with their amount; and 净额 in the amount column; the labels in the
 * first text or date column shown.
 */
function paymentTotals(spec: SheetSpec, totals: PaymentListTotals, asOf: string, unit: AmountUnit, language: Language): Array<Record<string, string | number | null>> {
  const amountKey = spec.columns.some((column) => column.key === "amount") ? "amount" : null;
  const returnedKey = spec.columns.find((column) => column.key === "returnedAmount")?.key ?? null;
  const shown = (value: Money) => amountInUnit(toAmountString(value), unit);
  const rows = [
    labelledTotal(spec, translate(language, "total"), {
      ...(amountKey ? { amount: shown(totals.amount) } : {}),
      ...(returnedKey ? { [returnedKey]: shown(totals.returned) } : {}),
    }),
  ];
  if (amountKey && totals.paidAfter.greaterThan(0)) rows.push(labelledTotal(spec, fill(translate(language, "paidAfterAsOf"), { asOf }), { [amountKey]: shown(totals.paidAfter) }));
  if (amountKey) rows.push(labelledTotal(spec, translate(language, "netOfReturns"), { [amountKey]: shown(totals.net) }));
  return rows;
}

/**
 * A project's budget lines as a sheet (given ids and order, or all), as the project page's grid shows
 * them: when every line is exported, the payments not attributed to a line follow as a row of their
 * own; the total row adds up the rows exported (the project's figures when every line is).
 */
export function linesSheet(ledger: ProjectSummaryLedger, asOf: string, lineIds: readonly number[] | null, columnIds: readonly string[] | null, unit: AmountUnit, language: Language): SheetSpec {
  const view = summaryExecution(ledger, asOf);
  const all = ledger.lines.map((line, index) => budgetLineRow(line, view.lines[index]!));
  const byId = new Map(all.map((row) => [row.id, row]));
  const rows = lineIds === null ? all : lineIds.map((id) => byId.get(id)).filter((row): row is BudgetLineRow => row !== undefined);
  // The payments on no line belong to the whole project: listed when every line is, as in the grid.
  if (view.unattributedExecuted !== "0.00" && new Set(rows.map((row) => row.id)).size === all.length) {
    rows.push({
      id: 0, lineNo: null, composition: "", item: translate(language, "unattributed"), fundLevel: "", unitPrice: null, quantity: null, initial: "0.00",
      adjustment: null, adjusted: "0.00", executed: view.unattributedExecuted, executionRate: null, basis: null, functional: null, economic: null,
    });
  }
  const spec = sheet(translate(language, "budgetLines"), LINE_COLUMNS, columnIds, rows, unit, language, `${ledger.project.fiscalYear} ${ledger.project.name} ${ledger.project.unitName} ${translate(language, "asOf")} ${asOf}`);
  const total = (pick: (row: BudgetLineRow) => string | null) => toAmountString(sumMoney(rows.map((row) => pick(row) ?? "0")));
  const adjusted = total((row) => row.adjusted);
  const executed = total((row) => row.executed);
  const totals: Record<string, string | null> = {
    initial: amountInUnit(total((row) => row.initial), unit),
    adjustment: amountInUnit(total((row) => row.adjustment), unit),
    adjusted: amountInUnit(adjusted, unit),
    executed: amountInUnit(executed, unit),
    executionRate: percentage(executed, adjusted),
  };
  spec.totalRow = labelledTotal(spec, translate(language, "total"), totals);
  return spec;
}

/**
 * The whole ledger of a project, in the import layout (so that the workbook imports back as it is):
 * 预算明细, 预算调整 and 支付明细 sheets with the import columns (plus read-only context columns), and
 * a 月度汇总 sheet with the monthly and cumulative execution. The figures come from the grouped
 * payments; the payments themselves are read page by page while the 支付明细 sheet is written.
 */
export function ledgerWorkbook(ledger: ProjectSummaryLedger, paymentPages: AsyncIterable<readonly PaymentRecord[]>, asOf: string, unit: AmountUnit, language: Language): SheetSpec[] {
  const view = summaryExecution(ledger, asOf);
  const money = (amount: string) => amountInUnit(amount, unit);
  const unitLabel = translate(language, unit === "wan" ? "wan" : "yuan");
  const t = (key: MessageKey) => translate(language, key);
  const title = `${ledger.project.fiscalYear} ${ledger.project.name} ${ledger.project.unitName} ${t("asOf")} ${asOf}`;
  const items = new Map(ledger.lines.map((line) => [line.id, line.item]));
  const { fiscalYear, unitName, name } = ledger.project;
  const common = { year: fiscalYear, unit: unitName, project: name };
  const commonColumns: SheetColumn[] = [
    { header: "年度", key: "year", kind: "integer" },
    { header: "预算单位", key: "unit", kind: "text", width: 36 },
    { header: "项目名称", key: "project", kind: "text", width: 20 },
  ];
  // The three ledger sheets start with their header row (no title line), so that they import back as they are.
  const lines: SheetSpec = {
    name: "预算明细",
    columns: [
      ...commonColumns,
      { header: "项目构成", key: "composition", kind: "text", width: 24 },
      { header: "项目明细", key: "item", kind: "text", width: 30 },
      { header: "资金级次", key: "fundLevel", kind: "text" },
      { header: "资金类型", key: "fundType", kind: "text" },
      { header: `年初预算(${unitLabel})`, key: "initial", kind: "amount" },
      { header: "单价(元)", key: "unitPrice", kind: "amount" },
      { header: "数量", key: "quantity", kind: "amount" },
      { header: "依据", key: "basis", kind: "text", width: 24 },
      { header: "安排月份", key: "months", kind: "text" },
      { header: `${t("adjusted")}(${unitLabel})`, key: "adjusted", kind: "amount" },
      { header: `${t("executed")}(${unitLabel})`, key: "executed", kind: "amount" },
      { header: `${t("executionRate")}(%)`, key: "executionRate", kind: "percent" },
      { header: t("functionalClass"), key: "functional", kind: "text", width: 20 },
      { header: t("economicClass"), key: "economic", kind: "text", width: 20 },
    ],
    rows: ledger.lines.map((line, index) => ({
      ...common,
      composition: line.composition,
      item: line.item,
      fundLevel: line.fundLevel,
      fundType: line.fundType,
      initial: money(view.lines[index]!.initial),
      unitPrice: line.unitPrice,
      quantity: line.quantity,
      basis: line.basis,
      months: formatMonths(line.scheduledMonths),
      adjusted: money(view.lines[index]!.adjusted),
      executed: money(view.lines[index]!.executed),
      executionRate: view.lines[index]!.executionRate,
      functional: classificationLabel(line.functionalCode, line.functionalName),
      economic: classificationLabel(line.economicCode, line.economicName),
    })),
    totalRow: {
      project: "合计",
      initial: money(view.figures.initial),
      adjusted: money(view.figures.adjusted),
      executed: money(view.figures.executed),
      executionRate: view.figures.executionRate,
    },
  };
  const adjustments: SheetSpec = {
    name: "预算调整",
    columns: [
      ...commonColumns,
      { header: "项目明细", key: "item", kind: "text", width: 30 },
      { header: "调整日期", key: "date", kind: "date" },
      { header: `调整金额(${unitLabel})`, key: "amount", kind: "amount" },
      { header: "资金级次", key: "fundLevel", kind: "text" },
      { header: "调整原因", key: "reason", kind: "text", width: 50 },
      { header: "文号", key: "documentNumber", kind: "text", width: 20 },
    ],
    rows: ledger.adjustments.map((adjustment) => ({
      ...common,
      item: items.get(adjustment.budgetLineId) ?? "",
      date: adjustment.adjustedOn,
      amount: money(adjustment.amount),
      fundLevel: adjustment.fundLevel,
      reason: adjustment.reason,
      documentNumber: adjustment.documentNumber,
    })),
  };
  let amountTotal = sumMoney([]);
  let returnedTotal = sumMoney([]);
  const payments: SheetSpec = {
    name: "支付明细",
    columns: [
      ...commonColumns,
      { header: "项目明细", key: "item", kind: "text", width: 30 },
      { header: "支付日期", key: "paidOn", kind: "date" },
      { header: "支付方式", key: "kind", kind: "text" },
      { header: "人次", key: "personTimes", kind: "integer" },
      { header: `金额(${unitLabel})`, key: "amount", kind: "amount" },
      { header: "到期日", key: "dueOn", kind: "date" },
      { header: "退回人次", key: "returnedCount", kind: "integer" },
      { header: `退回金额(${unitLabel})`, key: "returnedAmount", kind: "amount" },
      { header: "重发日期", key: "reissuedOn", kind: "date" },
      { header: "备注", key: "note", kind: "text", width: 40 },
      // A batch's step dates (optional import columns): the workbook imports back with them.
      { header: "受理日期", key: "acceptedOn", kind: "date" },
      { header: "审核完成日期", key: "reviewedOn", kind: "date" },
      { header: "审批日期", key: "approvedOn", kind: "date" },
      { header: `${t("late")}(${t("days")})`, key: "late", kind: "integer" },
    ],
    rows: (async function* (): AsyncGenerator<SheetRow> {
      for await (const page of paymentPages) {
        for (const payment of page) {
          amountTotal = amountTotal.plus(payment.amount);
          returnedTotal = returnedTotal.plus(payment.returnedAmount);
          yield {
            ...common,
            item: payment.budgetLineId === null ? "" : (items.get(payment.budgetLineId) ?? ""),
            paidOn: payment.paidOn,
            kind: payment.kind === "transfer" ? "划拨" : "社会化发放",
            personTimes: payment.personTimes,
            amount: money(payment.amount),
            dueOn: payment.dueOn,
            returnedCount: payment.returnedCount,
            returnedAmount: money(payment.returnedAmount),
            reissuedOn: payment.reissuedOn,
            note: payment.note,
            acceptedOn: payment.acceptedOn,
            reviewedOn: payment.reviewedOn,
            approvedOn: payment.approvedOn,
            late: (payment.kind === "transfer" ? daysLate(payment) : 0) || null,
          };
        }
      }
    })(),
    // Below the import rows: an importer reading the sheet back skips rows labelled 合计.
    totalRows: () => [
      { project: "合计", amount: money(toAmountString(amountTotal)), returnedAmount: money(toAmountString(returnedTotal)) },
    ],
  };
  const monthly: SheetSpec = {
    name: "月度汇总",
    title,
    columns: [
      { header: t("month"), key: "month", kind: "text" },
      { header: `${t("monthlyExecuted")}(${unitLabel})`, key: "executed", kind: "amount" },
      { header: `${t("cumulative")}(${unitLabel})`, key: "cumulative", kind: "amount" },
      { header: `${t("evenProgress")}(${unitLabel})`, key: "evenProgress", kind: "amount" },
      { header: `${t("adjusted")}(${unitLabel})`, key: "adjusted", kind: "amount" },
    ],
    rows: view.chart.map((point) => ({
      month: point.month,
      executed: money(point.executed),
      cumulative: money(point.cumulative),
      evenProgress: money(point.evenProgress),
      adjusted: money(point.adjusted),
    })),
  };
  return [lines, adjustments, payments, monthly];
}
