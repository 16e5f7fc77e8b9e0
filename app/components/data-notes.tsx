import type { ForecastNote } from "../../forecasting/index";
import { useT, fill } from "../i18n";
import { forecastNoteMessage } from "../../features/plan/rules/forecast-notes";

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
  const { t, m } = useT();
  if (notes.length === 0) return null;
  return (
    <div className="small" data-testid="data-notes">
      <strong>{t("fcNotesTitle")}</strong>
      <ul>
        {notes.map((note, k) => (
          <li key={k} data-code={note.code}>
            {m(forecastNoteMessage(note))}
          </li>
        ))}
      </ul>
    </div>
  );
}
