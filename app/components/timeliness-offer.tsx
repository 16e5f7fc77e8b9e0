import type { TimelinessOffer } from "../../features/payments/service";
import { msg, useT, type Message } from "../i18n";

/*
 * Beside a 时效指标 row of the tracking form and the self-evaluation sheet, on screen only: what the ledger says
 * of the period (features/payments timelinessOffer) — the 及时率 of the project's payment batches and its
 * settlement notices' transfers, each late one with its due date, its transfer and its days late. On a
 * quantitative row (年度指标值 100.00%) a button copies the batches' 及时率 into the 实际完成值 input; the user decides.
 */
export function TimelinessOfferNote({ offer, input }: { offer: TimelinessOffer; input: string | null }) {
  const { t, m } = useT();
  const { batch, notices } = offer;
  // The notices' summary, then each late transfer on its own line.
  const noticeLines: Message[] = notices
    ? [
        msg("pmTimelinessNotices", { to: notices.on, count: notices.count, onTime: notices.onTime, late: notices.paidLate.length, overdue: notices.overdue.length }),
        ...notices.paidLate.map((n) => msg("pmTimelinessNoticePaidLate", { due: n.dueOn, paid: n.paidOn ?? "", days: n.daysLate })),
        ...notices.overdue.map((n) => msg("pmTimelinessNoticeOverdue", { due: n.dueOn, days: n.daysLate })),
      ]
    : [];
  return (
    <div className="muted small no-print" data-testid="timeliness-offer">
      {batch && (
        <div data-testid="timeliness-offer-batches">
          {m(msg("pmTimelinessOffer", { from: offer.from, to: offer.to, rate: batch.rate, batches: batch.batches, onTime: batch.onTime, late: batch.late, incomplete: batch.incomplete }))}
          {input !== null && (
            <>
              {" "}
              <button
                type="button"
                className="fill-button"
                data-testid="timeliness-fill"
                onClick={(event) => {
                  const field = event.currentTarget.form?.elements.namedItem(input);
                  if (field instanceof HTMLInputElement) {
                    field.value = `${batch.rate}%`;
                    field.focus();
                  }
                }}
              >
                {t("pmTimelinessFill")}
              </button>
            </>
          )}
        </div>
      )}
      {noticeLines.length > 0 && (
        <div data-testid="timeliness-offer-notices">
          {noticeLines.map((line, i) => (
            <div key={i}>{m(line)}</div>
          ))}
        </div>
      )}
    </div>
  );
}
