import type { ForecastNote } from "../../../forecasting/index.ts";
import { formatAmount } from "../../../domain/money.ts";
import type { Message } from "../../../messages/index.ts";

/**
 * A data note of the forecast (an outlier month, a slip payment …) as a message of the catalogue
 * (fcNote_*), its amounts in 元 with thousands separators:
 * forecastNoteMessage({ code: "outlierCost", params: { month: "2024-12", value: "56307.81", … } }) → fcNote_outlierCost.
 */
export function forecastNoteMessage(note: ForecastNote): Message {
  const params: Record<string, string | number> = { ...note.params };
  for (const key of ["value", "typical", "amount", "median"] as const) {
    const value = params[key];
    if (typeof value === "string" && /^-?\d+\.\d{2}$/.test(value)) params[key] = formatAmount(value);
  }
  return { code: `fcNote_${note.code}`, params } as Message;
}
