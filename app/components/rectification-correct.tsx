import { Form, useNavigation } from "react-router";
import { useT, type Message } from "../i18n";
import { MAX_TEXT } from "../../domain/text";
import { MAX_ISSUE, type ItemTextField } from "../../features/rectification/rules";

/*
 * 更正: beside a hand-entered open item, the form with which a manager corrects what was recorded (the issue,
 * what must be done, its origin), prefilled with what the item says (or what a refused correction typed);
 * open when the correction was refused, each error at its field. The due date has its own form in the due column.
 */
export function RectificationCorrect({
  item,
  errors,
  typed,
}: {
  item: { id: number; version: number; indicator: string; measure: string; origin: string | null };
  errors: Partial<Record<ItemTextField, Message>>;
  /** What a refused post on this item had typed (shown instead of the stored text). */
  typed?: Partial<Record<ItemTextField, string>>;
}) {
  const { t, m } = useT();
  const busy = useNavigation().state !== "idle";
  const failed = Object.values(errors).some((error) => error !== undefined);
  const field = (name: ItemTextField) => ({
    className: errors[name] ? "has-error" : undefined,
    input: errors[name] ? { "aria-invalid": true as const, "aria-describedby": `correct-${item.id}-${name}-error` } : {},
    error: errors[name] && (
      <span className="field-error" role="alert" data-field={name} id={`correct-${item.id}-${name}-error`}>
        {m(errors[name]!)}
      </span>
    ),
  });
  const indicator = field("indicator");
  const measure = field("measure");
  const origin = field("origin");
  return (
    <details className="no-print" open={failed}>
      <summary className="small">{t("rcCorrect")}</summary>
      <Form method="post" className="stacked-form" data-testid="rc-correct-form" noValidate>
        <input type="hidden" name="itemId" value={item.id} />
        <input type="hidden" name="version" value={item.version} />
        <p className="small muted">{t("rcCorrectHint")}</p>
        <label className={indicator.className}>
          {t("rcAddIndicator")}
          <input name="indicator" defaultValue={typed?.indicator ?? item.indicator} maxLength={MAX_ISSUE} {...indicator.input} />
        </label>
        {indicator.error}
        <label className={measure.className}>
          {t("rcAddMeasure")}
          <textarea name="measure" rows={3} defaultValue={typed?.measure ?? item.measure} maxLength={MAX_TEXT} {...measure.input} />
        </label>
        {measure.error}
        <label className={origin.className}>
          {t("rcAddOrigin")}
          <input name="origin" defaultValue={typed?.origin ?? item.origin ?? ""} maxLength={MAX_TEXT} {...origin.input} />
        </label>
        {origin.error}
        <button type="submit" name="intent" value="correct" disabled={busy} className="small">
          {t("rcCorrectSubmit")}
        </button>
      </Form>
    </details>
  );
}
