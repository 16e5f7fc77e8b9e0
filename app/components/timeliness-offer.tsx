import type { TimelinessOffer } from "../../features/payments/service";
import { msg, useT } from "../i18n";

/*
 * Beside a 时效指标 row of the tracking form and the self-evaluation sheet: the 及时率 the ledger gives for the
 * project's payment batches over the period (features/payments timelinessOffer), on screen only. On a
 * quantitative row (年度指标值 100.00%) a button copies it into the 实际完成值 input; the user decides.
 */
export function TimelinessOfferNote({ offer, input }: { offer: TimelinessOffer; input: string | null }) {
  const { t, m } = useT();
  const value = `${offer.rate}%`;
  return (
    <div className="muted small no-print" data-testid="timeliness-offer">
      {m(msg("pmTimelinessOffer", { from: offer.from, to: offer.to, rate: offer.rate, batches: offer.batches, onTime: offer.onTime, late: offer.late, incomplete: offer.incomplete }))}
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
                field.value = value;
                field.focus();
              }
            }}
          >
            {t("pmTimelinessFill")}
          </button>
        </>
      )}
    </div>
  );
}
