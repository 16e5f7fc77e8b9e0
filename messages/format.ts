import Decimal from "decimal.js";
import type { FormatHint } from "./types";
import type { Language } from "./language";

/** Exact decimal arithmetic for formatting (messages/ depends on nothing of the application's). */
const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** Groups the whole part in threes: "-1234567.50" → "-1,234,567.50". */
function grouped(fixed: string): string {
  const negative = fixed.startsWith("-");
  const [whole = "0", fraction] = (negative ? fixed.slice(1) : fixed).split(".");
  return `${negative ? "-" : ""}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${fraction ? `.${fraction}` : ""}`;
}

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
  // English's plural ending; other languages have none (a Chinese template never carries one: tested).
  if (hint === "s") return language === "en" && Number(text) !== 1 ? "s" : "";
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  switch (hint) {
    case "money":
      return grouped(new Exact(text).toFixed(2));
    case "wan":
      return grouped(new Exact(text).dividedBy(10_000).toFixed(2));
    case "pct":
      return `${text}%`;
    default:
      return grouped(new Exact(text).toFixed());
  }
}
