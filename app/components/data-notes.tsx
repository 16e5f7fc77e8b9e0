import type { ForecastNote } from "../../forecasting/index";
import { formatAmount } from "../../domain/money";
import { useT, type MessageKey, fill } from "../i18n";

/** A data note of the forecast in the user's language: noteText(t, { code: "outlierCost", params }) → "2024-12：每人次金额 …". */
export function noteText(t: (key: MessageKey) => string, note: ForecastNote): string {
  const params = { ...note.params };
  for (const key of ["value", "typical", "amount", "median"] as const) {
    const value = params[key];
    if (typeof value === "string" && /^-?\d+\.\d{2}$/.test(value)) params[key] = formatAmount(value);
  }
  return fill(t(`fcNote_${note.code}` as MessageKey), params);
}

/** The marker next to a line's name: "⚠ 2 条数据提示" (nothing without notes). */
export function DataNotesMarker({ notes }: { notes: readonly ForecastNote[] }) {
  const { t } = useT();
  if (notes.length === 0) return null;
  return (
    <div className="small field-error" data-testid="data-notes-marker">
      {fill(t("fcNotesMarker"), { count: notes.length })}
    </div>
  );
}

/** A line's data notes under it: which months the forecast left out of fitting, and why (forecasting/outliers.ts). */
export function DataNotes({ notes }: { notes: readonly ForecastNote[] }) {
  const { t } = useT();
  if (notes.length === 0) return null;
  return (
    <div className="small" data-testid="data-notes">
      <strong>{t("fcNotesTitle")}</strong>
      <ul>
        {notes.map((note, k) => (
          <li key={k} data-code={note.code}>
            {noteText(t, note)}
          </li>
        ))}
      </ul>
    </div>
  );
}
