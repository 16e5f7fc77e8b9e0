/** ISO calendar dates (YYYY-MM-DD) without time zones: the ledger's dates are civil dates. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/**
 * The years a date of the ledger may have. Fiscal years are 2000–2100; the margin keeps odd but real
 * dates (an old 到期日, a plan far ahead) while a date such as 9999-12-31 is refused where it is typed:
 * the month after it has five digits ("+010000-01", which PostgreSQL refuses: a 500 before issue 17),
 * and counting days up to it takes millions of steps.
 */
export const FIRST_DATE_YEAR = 1900;
export const LAST_DATE_YEAR = 2199;

/**
 * True when the text is a real calendar date in ISO form, in the years 1900–2199:
 * isIsoDate("2024-02-30") → false, isIsoDate("9999-12-31") → false.
 */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  if (year < FIRST_DATE_YEAR || year > LAST_DATE_YEAR) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Days since 1970-01-01 of an ISO date, for exact day arithmetic. */
export function dayNumber(isoDate: string): number {
  if (!isIsoDate(isoDate)) throw new RangeError(`not a date: ${isoDate}`);
  const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** The ISO date of a day number (days since 1970-01-01; the inverse of dayNumber): isoOfDayNumber(0) → "1970-01-01". */
export function isoOfDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The ISO date `days` after another (before, when negative): addDays("2024-12-20", 30) → "2025-01-19". */
export function addDays(isoDate: string, days: number): string {
  return isoOfDayNumber(dayNumber(isoDate) + days);
}

/** Whole days from one ISO date to another: daysBetween("2024-06-20", "2024-07-02") → 12. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** The number of days in a fiscal (calendar) year: daysInYear(2024) → 366. */
export function daysInYear(year: number): number {
  return daysBetween(`${year}-01-01`, `${year + 1}-01-01`);
}

/** The months of a year, 1–12 (shared: copy before changing). */
export const MONTHS_OF_YEAR: number[] = Array.from({ length: 12 }, (_, k) => k + 1);

/** A month as YYYY-MM: monthKey(2025, 3) → "2025-03". */
export function monthKey(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, "0")}`;
}

/** The month (YYYY-MM) of an ISO date. */
export function monthOf(isoDate: string): string {
  return isoDate.slice(0, 7);
}

/** Today's date in China Standard Time, where the finance offices work. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The default as-of date of a fiscal year: today in the current year, the year's last day for past years, its first day for future ones. */
export function defaultAsOf(year: number, today: string = todayInChina()): string {
  const currentYear = Number(today.slice(0, 4));
  if (year < currentYear) return `${year}-12-31`;
  if (year > currentYear) return `${year}-01-01`;
  return today;
}

/**
 * The as-of date a page's query asks for in a fiscal year: a real date from the year's first day on, else the
 * default with why (before the year began nothing is due and nothing paid, so every project would look late).
 * asOfOfQuery("2023-01-01", 2024, "2026-12-03") → { asOf: "2024-12-31", notice: "asOfBeforeYear" }.
 */
export function asOfOfQuery(text: string | null, year: number, today: string = todayInChina()): { asOf: string; notice: "invalidDate" | "asOfBeforeYear" | null } {
  if (text === null || text === "") return { asOf: defaultAsOf(year, today), notice: null };
  if (!isIsoDate(text)) return { asOf: defaultAsOf(year, today), notice: "invalidDate" };
  if (text < `${year}-01-01`) return { asOf: defaultAsOf(year, today), notice: "asOfBeforeYear" };
  return { asOf: text, notice: null };
}
