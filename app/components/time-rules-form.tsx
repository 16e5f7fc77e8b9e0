import { useEffect, useRef } from "react";
import { Form } from "react-router";
import type { BatchRules, TimeRuleField } from "../../features/payments/service";
import type { PlainKey } from "../../messages";
import { useT, type Message } from "../i18n";
import { SaveFeedback } from "./save-feedback";

/*
 * /admin: the time rules of payment batches (社会化发放, 闵医保规发〔2022〕1号 by default) and the working days
 * before a settlement notice's due date that it is listed as due soon. Each refusal stands at its field.
 */

const LABELS: Record<TimeRuleField, PlainKey> = {
  acceptanceDays: "pmFieldAcceptanceDays",
  reviewWorkingDays: "pmFieldReviewDays",
  paymentWorkingDays: "pmFieldPaymentDays",
  reportByDay: "pmFieldReportByDay",
  minBatchesPerMonth: "pmFieldMinBatches",
  minBatchesDecember: "pmFieldMinDecember",
  warningDays: "pmFieldWarningDays",
};

export function TimeRulesForm({
  current,
  editable,
  errors,
  saved,
}: {
  current: { rules: BatchRules; warningDays: number };
  editable: boolean;
  errors: Partial<Record<TimeRuleField, Message>> | null;
  saved: boolean;
}) {
  const { t, m } = useT();
  const form = useRef<HTMLFormElement>(null);
  // After a refusal the first wrong field takes the focus (its message stands beside it).
  useEffect(() => {
    if (errors && Object.keys(errors).length > 0) form.current?.querySelector<HTMLInputElement>("[aria-invalid=true]")?.focus();
  }, [errors]);
  const { rules, warningDays } = current;
  const values: Record<TimeRuleField, string> = {
    acceptanceDays: rules.acceptanceDays.join(", "),
    reviewWorkingDays: String(rules.reviewWorkingDays),
    paymentWorkingDays: String(rules.paymentWorkingDays),
    reportByDay: String(rules.reportByDay),
    minBatchesPerMonth: String(rules.minBatchesPerMonth),
    minBatchesDecember: String(rules.minBatchesDecember),
    warningDays: String(warningDays),
  };
  const stored = Object.values(values).join("|");
  return (
    <>
      <h2>{t("pmRulesTitle")}</h2>
      <p className="muted small">{t("pmRulesHint")}</p>
      <Form method="post" className="filters" data-testid="time-rules" ref={form}>
        <input type="hidden" name="intent" value="time-rules" />
        {(Object.keys(LABELS) as TimeRuleField[]).map((field) => {
          const error = errors?.[field];
          return (
            // Keyed by the stored values: after a save the fields show them as stored; after a refusal they keep what was typed.
            <label key={`${field}-${stored}`}>
              {t(LABELS[field])}
              <input
                name={field}
                defaultValue={values[field]}
                inputMode={field === "acceptanceDays" ? "text" : "numeric"}
                required
                disabled={!editable}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${field}-error` : undefined}
                className={error ? "field-missing" : undefined}
                data-testid={`rule-${field}`}
              />
              {error && (
                <span id={`${field}-error`} className="field-error small" role="alert">
                  {m(error)}
                </span>
              )}
            </label>
          );
        })}
        <SaveFeedback editable={editable} saved={saved} />
      </Form>
    </>
  );
}
