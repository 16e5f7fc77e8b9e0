import { useFetcher } from "react-router";
import type { BatchReportResult } from "../routes/batch-report";
import type { MonthTimeliness } from "../../features/payments/service";
import type { PaymentTimeliness } from "./payments-grid";
import { useT, msg, type Message } from "../i18n";

/*
 * The project page's 社会化发放时效 table: per month of the year to the as-of date the batches, on time, late, not
 * judged, 及时率, the cadence, the 备案 (report) due day, the day reported and its judgement. Planners record the
 * day a month was reported in its row (POST /projects/:id/batch-report); the page then shows it judged.
 */

type Translate = ReturnType<typeof useT>["t"];
type Render = ReturnType<typeof useT>["m"];

/** A month's report as words: 按时 / 逾期 N 个工作日 / 未录入 (batches paid, no date recorded: not known to be late) / the calendar's message. */
function reportText(report: MonthTimeliness["report"], t: Translate, m: Render): string {
  if (report === null) return "";
  if (report.status === "on-time") return t("pmReportOnTime");
  if (report.status === "late") return m(msg("pmReportLate", { days: report.workingDaysLate }));
  if (report.status === "not-covered") return m(report.problem);
  return t("pmReportMissing");
}

/** The day a month was reported, as a small form: a date and 保存 (clearing the date clears it). */
function ReportDateForm({ projectId, month, reportedOn }: { projectId: number; month: string; reportedOn: string | null }) {
  const { t, m } = useT();
  const fetcher = useFetcher<BatchReportResult>();
  const result = fetcher.data;
  return (
    <fetcher.Form method="post" action={`/projects/${projectId}/batch-report`} className="inline-form" data-testid={`report-form-${month}`}>
      <input type="hidden" name="month" value={month} />
      <input type="hidden" name="previous" value={reportedOn ?? ""} />
      <input
        type="date"
        name="reportedOn"
        defaultValue={reportedOn ?? ""}
        key={reportedOn ?? ""}
        aria-label={`${month} ${t("pmColReportedOn")}`}
        aria-invalid={result && !result.ok ? true : undefined}
        data-testid={`reported-on-${month}`}
      />{" "}
      <button type="submit" disabled={fetcher.state !== "idle"}>
        {t("pmReportSave")}
      </button>
      {result && !result.ok && (
        <span className="field-error small" role="alert">
          {" "}
          {m(result.error as Message)}
        </span>
      )}
    </fetcher.Form>
  );
}

/** The acceptance days as words: 10日、20日、月底 / the 10th, the 20th, month end. */
function acceptanceDays(days: readonly number[]): Message[] {
  return days.map((day) => (day >= 31 ? msg("pmMonthEnd") : msg("pmDayOfMonth", { day })));
}

/** Per month of the year to the as-of date: batches, on time, late, not judged, 及时率, cadence, report due; and the total. */
export function MonthlyTimeliness({ timeliness, projectId, canRecord }: { timeliness: PaymentTimeliness; projectId: number; canRecord: boolean }) {
  const { t, m } = useT();
  const { months, total, rules } = timeliness;
  const rate = (value: string | null) => (value === null ? "—" : `${value}%`);
  return (
    <details open data-testid="batch-timeliness">
      <summary>
        <strong>{t("pmTimelinessTitle")}</strong>{" "}
        {m(msg("pmTimelinessTotal", { rate: rate(total.rate), onTime: total.onTime, batches: total.batches, months: total.monthsShort }))}
      </summary>
      <p className="small muted">
        {m(
          msg("pmRulesSummary", {
            days: acceptanceDays(rules.acceptanceDays),
            review: rules.reviewWorkingDays,
            payment: rules.paymentWorkingDays,
            report: rules.reportByDay,
            min: rules.minBatchesPerMonth,
            december: rules.minBatchesDecember,
          }),
        )}
      </p>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th>{t("pmColMonth")}</th>
              <th className="num">{t("pmColBatches")}</th>
              <th className="num">{t("pmColOnTime")}</th>
              <th className="num">{t("pmColLate")}</th>
              <th className="num">{t("pmColIncomplete")}</th>
              <th className="num">{t("pmColRate")}</th>
              <th>{t("pmColCadence")}</th>
              <th>{t("pmColReportDue")}</th>
              <th>{t("pmColReportedOn")}</th>
              <th>{t("pmColReport")}</th>
            </tr>
          </thead>
          <tbody>
            {months.map((month) => (
              <tr key={month.month} data-testid={`timeliness-${month.month}`} className={month.late > 0 || !month.cadenceMet ? "row-flagged" : undefined}>
                <td>{month.month}</td>
                <td className="num">{month.batches}</td>
                <td className="num">{month.onTime}</td>
                <td className={month.late > 0 ? "num warn-text" : "num"}>{month.late}</td>
                <td className="num">{month.incomplete}</td>
                <td className="num" data-field="rate">
                  {rate(month.rate)}
                </td>
                <td className={month.cadenceMet ? undefined : "warn-text"}>
                  {m(msg(month.cadenceMet ? "pmCadenceMet" : "pmCadenceShort", { count: month.batches, min: month.minBatches }))}
                </td>
                <td className="nowrap">{month.reportDue}</td>
                <td className="nowrap" data-field="reportedOn">
                  {canRecord ? <ReportDateForm projectId={projectId} month={month.month} reportedOn={month.reportedOn} /> : (month.reportedOn ?? "")}
                </td>
                <td className={month.report?.status === "late" ? "warn-text" : month.report?.status === "missing" ? "muted" : undefined} data-field="report">
                  {reportText(month.report, t, m)}
                </td>
              </tr>
            ))}
            <tr>
              <th>{t("pmTotal")}</th>
              <td className="num">{total.batches}</td>
              <td className="num">{total.onTime}</td>
              <td className="num">{total.late}</td>
              <td className="num">{total.incomplete}</td>
              <td className="num" data-testid="timeliness-rate">
                {rate(total.rate)}
              </td>
              <td colSpan={4} />
            </tr>
          </tbody>
        </table>
      </div>
    </details>
  );
}
