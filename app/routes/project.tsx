import { Form, Link, data, useLocation } from "react-router";
import type { Route } from "./+types/project";
import { database } from "../db.server";
import { guard } from "../guard.server";
import { bigRecordIdSchema, recordIdSchema, requireParam } from "../route-params.server";
import { roleAllows } from "../../domain/permissions";
import { getProjectSummaryLedger, recentPayments } from "../../db/projects";
import { paymentMarks } from "../../db/corrections";
import { getFlagThreshold } from "../../db/settings";
import { previousYearProfile } from "../../db/planned-progress";
import { asOfOfQuery } from "../../domain/dates";
import { formatAmount } from "../../domain/money";
import { adjustedBudget } from "../../domain/execution";
import { paymentStatuses, summaryExecution } from "../../domain/project-execution";
import { batchTimeliness, projectTimeliness } from "../../features/payments/service";
import { isTargetParseError, parseTarget } from "../../domain/targets";
import { useT, translate, languageOf, msg, type MessageKey, fill } from "../i18n";
import { ClientGrid, ClientOnly } from "../components/client-only";
import { Figure } from "../components/figure";
import { AmountUnitSwitch, amountUnitOf } from "../components/amount-unit-switch";
import { ExecutionChart } from "../components/execution-chart";
import { PaymentsGrid } from "../components/payments-grid";
import { BudgetLinesGrid } from "../components/budget-lines-grid";
import { IndicatorCells, IndicatorHeadings } from "../components/indicator-columns";
import { ErrorMessage } from "../root";
import { fundMessage } from "../../domain/budget-line-form";
import { pageTitle } from "../route-title";

export function meta({ data, matches }: Route.MetaArgs) {
  return [{ title: data ? `${data.ledger.project.name} · ${data.ledger.project.unitName}` : pageTitle(matches, "notFoundPage") }];
}

/** The most payments the page lists (newest first); the ledger export has them all. */
const PAYMENTS_SHOWN = 1000;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const language = languageOf(request).language;
  const projectId = requireParam(request, recordIdSchema, params.projectId);
  const db = await database();
  const summary = await getProjectSummaryLedger(db, projectId);
  if (!summary) throw data(translate(language, "notFound"), { status: 404 });
  const user = guard(context, request, "read", summary.project.unitId);
  const canEdit = roleAllows(user.roles, "edit-budget");

  const search = new URL(request.url).searchParams;
  const { asOf, notice } = asOfOfQuery(search.get("asOf"), summary.project.fiscalYear);
  const notices: MessageKey[] = notice !== null ? [notice] : [];
  // After 更正/冲销 (issue 11 §4) the correction page comes back here saying what it did.
  const paymentIdParam = (name: string) => bigRecordIdSchema.safeParse(search.get(name) ?? "").data ?? null;
  const corrected = paymentIdParam("corrected");
  const reversed = paymentIdParam("reversed");
  const correctionDone = corrected
    ? { key: "corCorrectedNotice" as const, id: corrected, reversal: "" }
    : reversed
      ? { key: "corReversedNotice" as const, id: reversed, reversal: paymentIdParam("reversal") ?? "" }
      : null;
  const [threshold, profile] = await Promise.all([getFlagThreshold(db), previousYearProfile(db, projectId)]);
  // The figures from the payments grouped in the database; only the newest payments are listed. The
  // chart's planned curve follows last year's months of the same project where it has history.
  const view = summaryExecution(summary, asOf, threshold, profile);
  const monthParam = search.get("pmonth") ?? "";
  const kindParam = search.get("pkind") ?? "";
  const paymentFilter = {
    month: /^\d{4}-(0[1-9]|1[0-2])$/.test(monthParam) ? monthParam : null,
    kind: kindParam === "batch" || kindParam === "transfer" ? kindParam : null,
  } as const;
  const { payments, matching } = await recentPayments(db, projectId, paymentFilter, PAYMENTS_SHOWN);
  const statuses = paymentStatuses(summary.project.fiscalYear, payments, asOf);
  // 更正/冲销 (issue 11 §4): each listed payment's marks, and whether this user may correct.
  const corrections = { marks: await paymentMarks(db, payments.map((payment) => payment.id)), canCorrect: roleAllows(user.roles, "edit-payment") };
  // 社会化发放时效 (issue 15): each listed batch's 受理/审核/审批 dates against the rules, and per month of the year to the as-of date.
  const yearEnd = `${summary.project.fiscalYear}-12-31`;
  const [listedBatches, batchMonths] = await Promise.all([
    batchTimeliness(db, payments),
    projectTimeliness(db, projectId, { from: `${summary.project.fiscalYear}-01-01`, to: asOf < yearEnd ? asOf : yearEnd }),
  ]);
  const { project, lines, adjustments, indicators } = summary;
  return {
    ledger: { project, lines, adjustments, indicators },
    payments: payments.map((payment, index) => ({ ...payment, ...statuses[index]! })),
    paymentCount: summary.paymentCount,
    matchingPayments: matching,
    paymentFilter,
    view,
    asOf,
    threshold,
    amountUnit: amountUnitOf(search),
    notices,
    canEdit,
    corrections,
    correctionDone,
    timeliness: { batches: listedBatches.batches, months: batchMonths.months, total: batchMonths.total, datedBatches: batchMonths.datedBatches, rules: batchMonths.rules },
  };
}

export default function ProjectPage({ loaderData }: Route.ComponentProps) {
  const { ledger, payments, paymentCount, matchingPayments, paymentFilter, view, asOf, threshold, amountUnit, notices, canEdit, corrections, correctionDone, timeliness } = loaderData;
  const { project, lines, adjustments } = ledger;
  const { t, m } = useT();
  const location = useLocation();
  const amount = (value: string) => formatAmount(value, amountUnit);
  const unitLabel = amountUnit === "wan" ? t("wan") : t("yuan");
  const lineById = new Map(lines.map((line) => [line.id, line]));
  const figures = view.figures;
  const listedPayments = payments.map((payment) => ({
    ...payment,
    item: payment.budgetLineId === null ? "" : (lineById.get(payment.budgetLineId)?.item ?? ""),
  }));
  return (
    <>
      <p className="no-print page-actions">
        <Link to={`/?year=${project.fiscalYear}&asOf=${asOf}&amount=${amountUnit}`}>← {t("back")}</Link>
        <Link to={`/projects/${project.id}/history`} data-testid="history-link">
          {t("history")}
        </Link>
        <Link to={`/projects/${project.id}/tracking`} data-testid="tracking-link">
          {t("trOpenForm")}
        </Link>
        <Link to={`/projects/${project.id}/self-evaluation`} data-testid="self-evaluation-link">
          {t("seOpenSelfEvaluation")}
        </Link>
        <Link to={`/notices?year=${project.fiscalYear}`} data-testid="notices-link">
          {t("pmNoticesTitle")}
        </Link>
        <Link to={`/projects/${project.id}/targets`} data-testid="declaration-link">
          {t("declarationLink")}
        </Link>
        <a href={`/projects/${project.id}/export.xlsx?asOf=${asOf}&amount=${amountUnit}`} data-testid="export-ledger" download>
          {t("exportLedger")}
        </a>
      </p>
      <div className="page-title">
        <h1 data-testid="project-title">
          {project.fiscalYear} {project.name}
        </h1>
        <span className="muted">{project.unitName}</span>
      </div>
      {correctionDone && (
        <p className="notice no-print" role="status" data-testid="correction-notice">
          {fill(t(correctionDone.key), correctionDone)}
        </p>
      )}

      <Form method="get" className="filters no-print" replace>
        <label>
          {t("asOf")}
          <input type="date" name="asOf" defaultValue={asOf} required />
        </label>
        <input type="hidden" name="amount" value={amountUnit} />
        <button type="submit">{t("apply")}</button>
        <AmountUnitSwitch current={amountUnit} search={location.search} />
        <button type="button" onClick={() => window.print()}>
          {t("printPage")}
        </button>
      </Form>

      {notices.map((notice) => (
        <p key={notice} className="notice" role="alert">
          {t(notice)}
        </p>
      ))}

      <table className="form-table">
        <tbody>
          <tr>
            <th>{t("unit")}</th>
            <td>{project.unitName}</td>
            <th>{t("projectCode")}</th>
            <td>{project.code ?? "—"}</td>
          </tr>
          <tr>
            <th>{t("supervisingDepartment")}</th>
            <td>{project.supervisingDepartment ?? "—"}</td>
            <th>{t("implementingUnit")}</th>
            <td>{project.implementingUnit ?? "—"}</td>
          </tr>
          <tr>
            <th>{t("recurring")}</th>
            <td>{project.recurring ? t("yes") : t("no")}</td>
            <th>{t("category")}</th>
            <td>{project.category ?? "—"}</td>
          </tr>
          {project.note && (
            <tr>
              <th>{t("note")}</th>
              <td colSpan={3}>{project.note}</td>
            </tr>
          )}
        </tbody>
      </table>

      <section className="headline" aria-label="headline">
        <Figure label={`${t("initial")}(${unitLabel})`} value={amount(figures.initial)} testId="initial" />
        <Figure label={`${t("adjusted")}(${unitLabel})`} value={amount(figures.adjusted)} testId="adjusted" />
        <Figure label={`${t("executed")}(${unitLabel})`} value={amount(figures.executed)} testId="executed" />
        <Figure
          label={t("executionRate")}
          value={figures.executionRate === null ? "—" : `${figures.executionRate}%`}
          testId="execution-rate"
          warn={figures.flagged}
        />
        <Figure label={t("adjustmentRate")} value={figures.adjustmentRate === null ? "—" : `${figures.adjustmentRate}%`} testId="adjustment-rate" />
        <Figure label={t("timeProgress")} value={`${figures.timeProgress}%`} testId="time-progress" />
        <Figure label={t("gap")} value={figures.gap ?? "—"} testId="gap" />
      </section>
      {figures.flagged && (
        <p className="notice" role="alert">
          {t("flagged")} {threshold}%
        </p>
      )}

      {ledger.indicators.length > 0 && <IndicatorTable indicators={ledger.indicators} />}

      <h2>{t("chartTitle")}</h2>
      <ClientOnly fallback={<p className="muted">{t("loading")}</p>}>
        {() => <ExecutionChart points={view.chart} planBasis={view.planBasis} amountUnit={amountUnit} />}
      </ClientOnly>

      <h2>
        {fill(t("labelUnit"), { label: t("budgetLines"), unit: unitLabel })}
      </h2>
      <ClientGrid>
        {(staticOnly) => (
          <BudgetLinesGrid
            lines={lines}
            figures={view.lines}
            unattributedExecuted={view.unattributedExecuted}
            totals={figures}
            amountUnit={amountUnit}
            projectId={project.id}
            asOf={asOf}
            canEdit={canEdit}
            staticOnly={staticOnly}
          />
        )}
      </ClientGrid>

      {adjustments.length > 0 && (
        <>
          <h2>{t("adjustments")}</h2>
          <table className="data-table" data-testid="adjustments-table">
            <thead>
              <tr>
                <th>{t("adjustedOn")}</th>
                <th>{t("item")}</th>
                <th>{t("fundLevel")}</th>
                <th>
                  {t("adjustmentAmount")}({unitLabel})
                </th>
                <th>{t("reason")}</th>
                <th>{t("documentNumber")}</th>
              </tr>
            </thead>
            <tbody>
              {adjustments.map((adjustment) => (
                <tr key={adjustment.id} className={adjustment.adjustedOn > asOf ? "future" : undefined}>
                  <td className="nowrap">{adjustment.adjustedOn}</td>
                  <td>{lineById.get(adjustment.budgetLineId)?.item ?? ""}</td>
                  <td>{adjustment.fundLevel ? m(fundMessage(adjustment.fundLevel)) : ""}</td>
                  <td className="num">{amount(adjustment.amount)}</td>
                  <td>{adjustment.reason}</td>
                  <td>{adjustment.documentNumber ?? ""}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              {/* What the adjustments add to the initial budget as of the date (the later ones are shown in italics). */}
              <tr data-testid="adjustments-total">
                <th colSpan={3}>{m(msg("adjustmentsTotal", { asOf }))}</th>
                <td className="num">{amount(adjustedBudget("0.00", adjustments, asOf))}</td>
                <td colSpan={2}></td>
              </tr>
            </tfoot>
          </table>
        </>
      )}

      <h2>
        {t("payments")}
        {m(
          msg(view.paymentsToDate === paymentCount ? "paymentsHeadingAsOf" : "paymentsHeadingAsOfOfYear", {
            asOf,
            count: view.paymentsToDate,
            personTimes: view.personTimes,
            late: view.lateTransfers,
            total: paymentCount,
          }),
        )}
      </h2>
      {paymentCount > PAYMENTS_SHOWN && (
        <Form method="get" className="filters no-print" data-testid="payments-filter" replace>
          <input type="hidden" name="asOf" value={asOf} />
          <input type="hidden" name="amount" value={amountUnit} />
          <label>
            {t("paymentsFilterMonth")}
            <select name="pmonth" defaultValue={paymentFilter.month ?? ""}>
              <option value="">{t("paymentsFilterAll")}</option>
              {Array.from({ length: 12 }, (_, index) => `${project.fiscalYear}-${String(index + 1).padStart(2, "0")}`).map((month) => (
                <option key={month} value={month}>
                  {month}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("kind")}
            <select name="pkind" defaultValue={paymentFilter.kind ?? ""}>
              <option value="">{t("paymentsFilterAll")}</option>
              <option value="batch">{t("batch")}</option>
              <option value="transfer">{t("transfer")}</option>
            </select>
          </label>
          <button type="submit">{t("apply")}</button>
        </Form>
      )}
      {matchingPayments > payments.length && (
        <p className="notice" data-testid="payments-truncated">
          {t("paymentsShownNewest").replace("{total}", matchingPayments.toLocaleString("en-US")).replace("{shown}", payments.length.toLocaleString("en-US"))}
          {" "}
          <a href={`/projects/${project.id}/export.xlsx?asOf=${asOf}&amount=${amountUnit}`} download>
            {t("exportLedger")}
          </a>
        </p>
      )}
      <ClientGrid>
        {(staticOnly) => (
          <PaymentsGrid
            payments={listedPayments}
            amountUnit={amountUnit}
            projectId={project.id}
            asOf={asOf}
            corrections={corrections}
            timeliness={timeliness}
            truncated={matchingPayments > payments.length}
            staticOnly={staticOnly}
          />
        )}
      </ClientGrid>
    </>
  );
}

/** 绩效目标: the indicator tree with each annual target read as operator, value and unit (or 定性). */
function IndicatorTable({ indicators }: { indicators: Array<{ id: number; level1: string; level2: string; name: string; target: string; weight: string | null }> }) {
  const { t, m } = useT();
  return (
    <>
      <h2>{t("performanceTargets")}</h2>
      <table className="data-table" data-testid="indicators-table">
        <thead>
          <tr>
            <IndicatorHeadings />
            <th>{t("targetReading")}</th>
            <th className="num">{t("weight")}</th>
          </tr>
        </thead>
        <tbody>
          {indicators.map((indicator) => {
            const parsed = parseTarget(indicator.target);
            const reading = isTargetParseError(parsed)
              ? `${t("targetUnreadable")}${t("colon")}${m(parsed.problem)}`
              : parsed.kind === "quantitative"
                ? `${parsed.operator} ${parsed.value}${parsed.unit ? ` ${parsed.unit}` : ""}`
                : t("qualitative");
            return (
              <tr key={indicator.id}>
                <IndicatorCells indicator={indicator} target={indicator.target} />
                <td className={isTargetParseError(parsed) ? "form-error" : undefined}>{reading}</td>
                <td className="num">{indicator.weight ?? ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
