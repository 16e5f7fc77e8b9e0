import { Form, useNavigation } from "react-router";
import type { NoticeImportOutcome } from "../../features/payments/notice-import";
import { NOTICE_COLUMN_LABELS } from "../../features/payments/rules/notice-import";
import { formatAmount } from "../../domain/money";
import { msg, useT } from "../i18n";

/*
 * /notices: settlement notices from a CSV or XLSX file. 检查 reads the file and lists each problem by row and
 * column (nothing written) or the notices it would add with their total; 导入 does the same and writes them all
 * when no row has a problem.
 */
export function NoticeImport({ outcome }: { outcome: NoticeImportOutcome | null }) {
  const { t, m } = useT();
  const busy = useNavigation().state === "submitting";
  return (
    <details open={outcome !== null} className="no-print" style={{ marginTop: 16 }} data-testid="notice-import">
      <summary>{t("pmImpTitle")}</summary>
      <p className="muted small">{t("pmImpHint")}</p>
      <Form method="post" encType="multipart/form-data" className="filters">
        <label>
          {t("pmImpFile")}
          <input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-testid="notice-file" />
        </label>
        <button type="submit" name="intent" value="import-check" disabled={busy} data-testid="notice-import-check">
          {t("pmImpCheck")}
        </button>
        <button type="submit" name="intent" value="import" disabled={busy} data-testid="notice-import-run">
          {t("pmImpRun")}
        </button>
      </Form>
      {outcome?.kind === "refused" && (
        <p className="form-error" role="alert" data-testid="notice-import-result">
          {m(outcome.message)}
        </p>
      )}
      {outcome?.kind === "invalid" && (
        <div role="alert" data-testid="notice-import-result">
          <p className="form-error">{m(msg("pmImpInvalid", { count: outcome.problems.length }))}</p>
          <table className="data-table" data-testid="notice-import-problems">
            <thead>
              <tr>
                <th className="num">{t("pmImpColRow")}</th>
                <th>{t("pmImpColColumn")}</th>
                <th>{t("pmImpColProblem")}</th>
              </tr>
            </thead>
            <tbody>
              {outcome.problems.map((problem, index) => (
                <tr key={index}>
                  <td className="num">{problem.rowNumber}</td>
                  <td>{problem.column === null ? "" : t(NOTICE_COLUMN_LABELS[problem.column])}</td>
                  <td>{m(problem.message)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(outcome?.kind === "checked" || outcome?.kind === "imported") && (
        <div role="status" data-testid="notice-import-result">
          <p className="form-ok">{m(msg(outcome.kind === "checked" ? "pmImpChecked" : "pmImpDone", { count: outcome.notices.length, total: outcome.total }))}</p>
          <table className="data-table">
            <thead>
              <tr>
                <th className="num">{t("pmImpColRow")}</th>
                <th>{t("pmImpColUnit")}</th>
                <th>{t("pmColProject")}</th>
                <th>{t("pmColTitle")}</th>
                <th>{t("pmColDocumentNumber")}</th>
                <th className="num">{t("pmColAmountYuan")}</th>
                <th>{t("pmColDueOn")}</th>
                <th>{t("pmImpColPaidOn")}</th>
              </tr>
            </thead>
            <tbody>
              {outcome.notices.map((notice) => (
                <tr key={notice.rowNumber}>
                  <td className="num">{notice.rowNumber}</td>
                  <td>{notice.unitName}</td>
                  <td>{notice.project}</td>
                  <td>{notice.title}</td>
                  <td>{notice.documentNumber ?? ""}</td>
                  <td className="num nowrap">{formatAmount(notice.amount)}</td>
                  <td className="nowrap">{notice.dueOn}</td>
                  <td className="nowrap">{notice.paidOn ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {outcome && outcome.kind !== "refused" && outcome.notes.length > 0 && (
        <ul className="muted small">
          {outcome.notes.map((note, index) => (
            <li key={index}>{m(note)}</li>
          ))}
        </ul>
      )}
    </details>
  );
}
