import { formatAmount, formatNumber } from "../domain/money";
import type { FormatHint } from "./types";
import type { Language } from "./language";

const EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A calendar date as the language writes it: 2024-06-30 → "2024年6月30日" / "30 Jun 2024"; other text unchanged. */
export function formatDate(language: Language, iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const [, year, month, day] = match;
  return language === "zh"
    ? `${year}年${Number(month)}月${Number(day)}日`
    : `${Number(day)} ${EN_MONTHS[Number(month) - 1]} ${year}`;
}

/**
 * Formats one parameter by its placeholder's hint. Amounts are decimal strings and stay exact
 * (`money` in 元, `wan` in 万元, both grouped with 2 decimals); `int`/`num` are grouped; `pct` adds "%".
 * A value that is not a number where one is expected is shown as given, never as NaN.
 */
export function formatParam(language: Language, value: string | number, hint: FormatHint | undefined): string {
  const text = String(value);
  if (!hint) return text;
  if (hint === "date") return formatDate(language, text);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  switch (hint) {
    case "money":
      return formatAmount(text, "yuan");
    case "wan":
      return formatAmount(text, "wan");
    case "pct":
      return `${text}%`;
    default:
      return formatNumber(text);
  }
}
