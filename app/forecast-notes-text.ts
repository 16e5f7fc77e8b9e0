import type { ForecastNote } from "../forecasting/index";
import { formatAmount } from "../domain/money";
import { fill, type MessageKey } from "./i18n";

/** A data note of the forecast in the user's language: noteText(t, { code: "outlierCost", params }) → "2024-12：每人次金额 …". */
export function noteText(t: (key: MessageKey) => string, note: ForecastNote): string {
  const params = { ...note.params };
  for (const key of ["value", "typical", "amount", "median"] as const) {
    const value = params[key];
    if (typeof value === "string" && /^-?\d+\.\d{2}$/.test(value)) params[key] = formatAmount(value);
  }
  return fill(t(`fcNote_${note.code}` as MessageKey), params);
}
