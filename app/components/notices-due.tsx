/* Settlement notices (结算通知书) to act on, as a notice for the dashboard; and a notice's state in words. */
import { Link } from "react-router";
import type { NoticeStatus } from "../../features/payments/rules/notices";
import { formatAmount } from "../../domain/money";
import { msg, useT } from "../i18n";

/** A notice as noticesDue (features/payments/notices.ts) returns it: what the list shows. */
export interface DueNotice {
  id: number;
  projectId: number;
  projectName: string;
  fiscalYear: number;
  unitName: string;
  documentNumber: string | null;
  title: string;
  amount: string;
  dueOn: string;
  status: NoticeStatus;
}

/** What noticesDue returns: the day judged on, the warning's working days, and the notices due soon, overdue, or not countable. */
export interface NoticesDueData {
  today: string;
  warningDays: number;
  dueSoon: readonly DueNotice[];
  overdue: readonly DueNotice[];
  unknown: readonly DueNotice[];
}

/**
 * A notice's state in words: 已按期支付 / 逾期支付 12 天 / 3 个工作日内到期 / 已逾期 5 天，未支付 / 未到期, with the
 * calendar's warning where working days could not be counted.
 */
export function NoticeStateText({ status }: { status: NoticeStatus }) {
  const { m } = useT();
  const late = status.state === "paid-late" || status.state === "overdue";
  const message =
    status.state === "paid-on-time"
      ? msg("pmStatePaidOnTime")
      : status.state === "paid-late"
        ? msg("pmStatePaidLate", { days: status.daysLate })
        : status.state === "overdue"
          ? msg("pmStateOverdue", { days: status.daysLate })
          : status.state === "due-soon"
            ? status.workingDaysLeft === null
              ? msg("pmStateDueSoonUncounted")
              : msg("pmStateDueSoon", { days: status.workingDaysLeft })
            : status.state === "open"
              ? msg("pmStateOpen", { days: status.workingDaysLeft ?? 0 })
              : msg("pmStateUnknown");
  return (
    <>
      <span className={late || status.state === "due-soon" ? "warn-text" : undefined} data-testid="notice-state" data-days-late={status.daysLate}>
        {late ? <strong>{m(message)}</strong> : m(message)}
      </span>
      {status.problem && <div className="small muted">{m(status.problem)}</div>}
    </>
  );
}

/**
 * The dashboard's notice of settlement notices to act on (unpaid and due within the warning's working days,
 * or overdue), as of today: nothing when there are none; else their count, the first `limit` of them (overdue
 * first, most overdue first, then soonest due) and a link to the register.
 */
export function NoticesDue({ due, limit = 5 }: { due: NoticesDueData; limit?: number }) {
  const { t, m } = useT();
  const all = [...due.overdue, ...due.dueSoon, ...due.unknown];
  if (all.length === 0) return null;
  const shown = all.slice(0, limit);
  return (
    <section className="notice" data-testid="notices-due">
      <p>
        <strong className="warn-text">{m(msg("pmDueNotice", { overdue: due.overdue.length, dueSoon: due.dueSoon.length, days: due.warningDays }))}</strong>
        <span className="muted small"> {m(msg("pmDueAsOf", { date: due.today }))}</span>
        {shown.length < all.length && <span className="muted small"> · {m(msg("pmDueShown", { shown: shown.length }))}</span>}{" "}
        <Link to="/notices?state=unpaid">{t("pmDueAll")}</Link>
      </p>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th>
                {t("pmColProject")} · {t("pmColTitle")}
              </th>
              <th className="num">{t("pmColAmountYuan")}</th>
              <th>{t("pmColDueOn")}</th>
              <th>{t("pmColState")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((notice) => (
              <tr key={notice.id} className={notice.status.state === "overdue" ? "row-flagged" : undefined} data-testid={`due-notice-${notice.id}`}>
                <td style={{ minWidth: "12em" }}>
                  <Link to={`/projects/${notice.projectId}`}>
                    {notice.fiscalYear} {notice.projectName}
                  </Link>
                  <div className="small muted">{notice.unitName}</div>
                  <div className="small">
                    {notice.title}
                    {notice.documentNumber && ` · ${notice.documentNumber}`}
                  </div>
                </td>
                <td className="num">{formatAmount(notice.amount, "yuan")}</td>
                <td className="nowrap">{notice.dueOn}</td>
                <td>
                  <NoticeStateText status={notice.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
