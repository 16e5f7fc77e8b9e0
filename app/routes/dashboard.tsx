import { useEffect, useState } from "react";
import { Form, Link, useLocation } from "react-router";
import type { Route } from "./+types/dashboard";
import { database } from "../db.server";
import { guard } from "../guard.server";
import { executionReport } from "../../db/execution";
import { statedDeviations } from "../../features/tracking/queries/lists";
import { selfEvaluationSummary } from "../../features/self-evaluation/queries/summary";
import { SelfEvaluationSummary } from "../components/self-evaluation-summary";
import { overdueRectification } from "../../features/rectification/service";
import { RectificationOverdue } from "../components/rectification-overdue";
import { todoList } from "../../features/todo/service";
import { TodoPanel } from "../components/todo-list";
import { noticesDue } from "../../features/payments/notices";
import { NoticesDue } from "../components/notices-due";
import { formatAmount } from "../../domain/money";
import { causeMessage, FORM_STATE_KEYS } from "../../features/tracking/rules";
import { dashboardQuery, subtreeOf } from "../dashboard.server";
import { keepRowsForGrid } from "../dashboard-rows.server";
import { pageTitle } from "../route-title";
import { useT, fill, msg } from "../i18n";
import { GridFallback } from "../components/grid-fallback";
import { ClientGrid, ClientOnly } from "../components/client-only";
import { Figure } from "../components/figure";
import { ExecutionGrid, UnitTotalsGrid } from "../components/execution-grid";
import { AmountUnitSwitch, amountUnitOf } from "../components/amount-unit-switch";
import { UnitFilter, unitChoices } from "../components/unit-filter";

export function meta({ matches }: Route.MetaArgs) {
  return [{ title: pageTitle(matches, "dashboard") }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const db = await database();
  const params = new URL(request.url).searchParams;
  const { year, years, asOf, unitId, units, notices } = await dashboardQuery(db, user, params);
  // The page carries the headline and unit totals; the project rows (20,000 at city scale) come to
  // the grid separately from /execution.json, so the page stays small and the server's memory low
  // (streaming them with the page was measured: 6.4 MB a page, 402 MB peak under bursts). The rows
  // computed here wait for the grid's request under a one-time token, so a view computes them once.
  const unitIds = subtreeOf(units, unitId);
  const [{ rows, ...report }, deviations, selfEvaluations, overdueItems, todo, dueNotices] = await Promise.all([
    executionReport(db, { year, asOf, unitId }),
    // 运行监控: the causes and measures stated on the latest tracking form of each project that concluded 运行偏差 (one query).
    statedDeviations(db, { year, asOf, unitIds }),
    // 绩效自评汇总 of the year: per unit, count per grade, average score, projects below 良.
    selfEvaluationSummary(db, { year, unitSubtree: unitIds }),
    // 整改台账: open items past their due date, as of today (not the dashboard's as-of date).
    overdueRectification(db, { unitSubtree: unitIds }),
    // 待办: what this user is to do (returned, to review, late, overdue, notices due), most urgent first.
    todoList(db, user),
    // 结算通知书 unpaid and due within the warning's working days, or overdue, as of today.
    noticesDue(db, { unitSubtree: unitIds }),
  ]);
  const flaggedIds = new Set(rows.filter((row) => row.flagged).map((row) => row.projectId));
  return {
    years,
    year,
    asOf,
    unitId: unitId === user.unitId ? null : unitId,
    amountUnit: amountUnitOf(params),
    units: unitChoices(units, user.unitId),
    ownUnitName: user.unitName,
    report: { ...report, rows: [] as typeof rows },
    rowCount: rows.length,
    rowsToken: keepRowsForGrid({ userId: user.id, year, asOf, unitId }, rows),
    declarationOnly: rows.filter((row) => row.declarationOnly).length,
    notices,
    deviations: deviations.map((deviation) => ({ ...deviation, flagged: flaggedIds.has(deviation.projectId) })),
    selfEvaluations,
    overdueItems,
    todo,
    dueNotices,
  };
}

export default function Dashboard({ loaderData }: Route.ComponentProps) {
  const { year, years, asOf, unitId, amountUnit, units, report, rowCount, rowsToken, declarationOnly, notices, ownUnitName, deviations, selfEvaluations, overdueItems, todo, dueNotices } = loaderData;
  const { t, m } = useT();
  const location = useLocation();
  const amount = (value: string) => formatAmount(value, amountUnit);
  const unitLabel = amountUnit === "wan" ? t("wan") : t("yuan");
  // The unit the page is about (the filter's, else the user's own), named in the title line and the headline's scope.
  const printedAt = usePrintTime();
  const scopeUnit = unitId ? (units.find((unit) => String(unit.id) === String(unitId))?.label.replace(/^　+/, "") ?? ownUnitName) : ownUnitName;
  return (
    <>
      <div className="page-title">
        <h1>
          {year} {t("dashboard")}
        </h1>
        <span className="muted" data-testid="dashboard-subtitle">
          {scopeUnit} · {t("asOf")} {asOf} · {t("timeProgress")} {report.total.timeProgress}% · {t("threshold")} {report.threshold}%
        </span>
      </div>

      <Form method="get" className="filters" replace>
        <label>
          {t("fiscalYear")}
          <select name="year" defaultValue={year}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("asOf")}
          <input type="date" name="asOf" defaultValue={asOf} required />
        </label>
        <UnitFilter ownUnitName={ownUnitName} units={units} value={unitId ?? ""} />
        <input type="hidden" name="amount" value={amountUnit} />
        <button type="submit">{t("apply")}</button>
        <AmountUnitSwitch current={amountUnit} search={location.search} />
      </Form>

      {notices.map((notice) => (
        <p key={notice} className="notice" role="alert">
          {t(notice)}
        </p>
      ))}

      {/* Printed: the amount unit and when it was printed (the title line above names unit, year and as-of date). */}
      <p className="print-only small" data-testid="print-header">
        {m(msg("dbPrintHeader", { unit: unitLabel, time: printedAt }))}
      </p>
      <section className="headline" aria-label="headline">
        <Figure label={fill(t("labelUnit"), { label: t("adjusted"), unit: unitLabel })} value={amount(report.total.adjusted)} testId="total-adjusted" />
        <Figure label={fill(t("labelUnit"), { label: t("executed"), unit: unitLabel })} value={amount(report.total.executed)} testId="total-executed" />
        <Figure label={t("executionRate")} value={report.total.executionRate === null ? "—" : `${report.total.executionRate}%`} testId="total-rate" />
        <Figure label={t("timeProgress")} value={`${report.total.timeProgress}%`} testId="time-progress" />
        <Figure
          label={t("flaggedProjects")}
          value={`${report.total.flaggedProjects} / ${report.total.projects}`}
          testId="flagged-count"
          warn={report.total.flaggedProjects > 0}
        />
        <Figure
          label={t("ppBehindPlanProjects")}
          value={`${report.total.behindPlanProjects} / ${report.total.projects}`}
          testId="behind-plan-count"
          warn={report.total.behindPlanProjects > 0}
        />
      </section>
      <p className="muted small" data-testid="headline-scope">
        {m(
          msg("dbHeadlineScope", {
            unit: scopeUnit,
            count: report.total.projects,
          }),
        )}
      </p>

      {/* The user's own to-do list is not part of the printed report. */}
      <div className="no-print">
        <TodoPanel todo={todo} limit={5} />
      </div>
      <NoticesDue due={dueNotices} />
      <RectificationOverdue items={overdueItems} />
      {rowCount === 0 ? (
        <p className="muted">{t("noProjects")}</p>
      ) : (
        <>
          <ClientOnly fallback={<GridFallback columns={[]} rows={[]} testId="execution-grid" unavailable />}>
            {() => <ExecutionGrid report={report} amountUnit={amountUnit} unitId={unitId} rowsToken={rowsToken} />}
          </ClientOnly>
          {declarationOnly > 0 && (
            <p className="muted small" data-testid="declaration-only-note">
              {fill(t("declarationOnlyNote"), { count: declarationOnly })}
            </p>
          )}
          <h2>{t("unitTotals")}</h2>
          <ClientGrid>{(staticOnly) => <UnitTotalsGrid report={report} amountUnit={amountUnit} staticOnly={staticOnly} />}</ClientGrid>
        </>
      )}
      {deviations.length > 0 && <StatedDeviations deviations={deviations} />}
      {selfEvaluations.units.some((unit) => unit.filed > 0) && <SelfEvaluationSummary summary={selfEvaluations} />}
      <p className="muted small">
        {t("executionRate")} = {t("executed")} ÷ {t("adjusted")} · {t("gap")} = {t("executionRate")} − {t("timeProgress")}
      </p>
      <p className="muted small" data-testid="planned-progress-rule">
        {fill(t("ppRule"), { threshold: report.threshold })}
      </p>
    </>
  );
}

/** 运行监控: each project whose latest tracking form concluded 运行偏差, with the causes and measures it states. */
function StatedDeviations({ deviations }: { deviations: Route.ComponentProps["loaderData"]["deviations"] }) {
  const { t, m } = useT();
  return (
    <>
      <h2>{t("trDeviationsHeading")}</h2>
      <table className="data-table" data-testid="stated-deviations">
        <thead>
          <tr>
            <th>{t("unit")}</th>
            <th>{t("project")}</th>
            <th>{t("trPeriodEnd")}</th>
            <th>{t("status")}</th>
            <th>{t("trItem")}</th>
            <th>{t("trCause")}</th>
            <th>{t("trMeasure")}</th>
          </tr>
        </thead>
        <tbody>
          {deviations.flatMap((project) => {
            const items = project.deviations.length > 0 ? project.deviations : [{ item: "—", causeCode: null, causeLabel: null, cause: null, measure: null }];
            return items.map((item, index) => (
              <tr key={`${project.formId}-${index}`} className={project.flagged ? "row-flagged" : undefined} data-testid={index === 0 ? `deviation-${project.projectId}` : undefined}>
                {index === 0 && (
                  <>
                    <td rowSpan={items.length}>{project.unitName}</td>
                    <td rowSpan={items.length}>
                      <Link to={`/projects/${project.projectId}/tracking?periodEnd=${project.periodEnd}`}>{project.projectName}</Link>
                    </td>
                    <td rowSpan={items.length} className="nowrap">
                      {project.periodEnd}
                    </td>
                    <td rowSpan={items.length}>{t(FORM_STATE_KEYS[project.status])}</td>
                  </>
                )}
                <td>{item.item ?? t("trItemExecution")}</td>
                <td>{[item.causeLabel === null ? null : m(causeMessage({ code: item.causeCode, label: item.causeLabel })), item.cause].filter(Boolean).join(t("trColon"))}</td>
                <td>{item.measure ?? ""}</td>
              </tr>
            ));
          })}
        </tbody>
      </table>
    </>
  );
}

/** The time the page is printed (Shanghai time, to the minute): set when shown, renewed as printing starts. */
function usePrintTime(): string {
  const [time, setTime] = useState("");
  useEffect(() => {
    const now = () => setTime(new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai", dateStyle: "short", timeStyle: "short" }).format(new Date()));
    now();
    window.addEventListener("beforeprint", now);
    return () => window.removeEventListener("beforeprint", now);
  }, []);
  return time;
}
