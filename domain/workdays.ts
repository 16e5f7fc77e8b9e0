import { dayNumber, isIsoDate, isoOfDayNumber } from "./dates.ts";
import { msg, type Message } from "../messages/index.ts";

/*
 * Working days (工作日) of mainland China: Monday to Friday, except the public holidays that fall on a
 * weekday, plus the make-up working days (调休上班) that fall on a Saturday or Sunday. The calendar
 * holds only those exceptions and the years it covers; a date in any other year is refused with
 * CalendarNotCoveredError, never guessed from the weekly rule. Decision 016-working-day-calendar.
 */

/** An exception to the Monday–Friday rule: a holiday on a weekday, a working day on a weekend. */
export type CalendarDayKind = "holiday" | "workday";

/** The working-day calendar: its exceptions (YYYY-MM-DD → kind) and the years it covers. */
export interface WorkCalendar {
  readonly days: ReadonlyMap<string, CalendarDayKind>;
  readonly coveredYears: ReadonlySet<number>;
}

/** Builds a calendar from its stored rows: workCalendar([{ day: "2024-02-18", kind: "workday" }], [2024]). */
export function workCalendar(days: Iterable<{ day: string; kind: CalendarDayKind }>, coveredYears: Iterable<number>): WorkCalendar {
  return { days: new Map([...days].map(({ day, kind }) => [day, kind])), coveredYears: new Set(coveredYears) };
}

/** A date in a year the calendar does not cover: its problem names the year and the years covered. */
export class CalendarNotCoveredError extends Error {
  readonly problem: Message;
  constructor(
    readonly date: string,
    readonly year: number,
    covered: Iterable<number>,
  ) {
    super(`the working-day calendar does not cover ${year} (${date})`);
    this.name = "CalendarNotCoveredError";
    const years = [...covered];
    this.problem =
      years.length === 0 ? msg("wdCalendarEmpty", { year, date }) : msg("wdYearNotCovered", { year, date, covered: coveredYearsText(years) });
  }
}

/** The covered years as ranges: coveredYearsText([2004, 2005, 2006, 2024]) → "2004–2006, 2024". */
export function coveredYearsText(years: Iterable<number>): string {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j += 1;
    ranges.push(i === j ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(", ");
}

/** The ISO weekday of a date, 1 (Monday) to 7 (Sunday): isoWeekday("2024-02-18") → 7. */
export function isoWeekday(date: string): number {
  // 1970-01-01 (day 0) was a Thursday (4).
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/** True on Saturday and Sunday. */
export function isWeekend(date: string): boolean {
  return isoWeekday(date) >= 6;
}


function requireCovered(date: string, calendar: WorkCalendar): void {
  if (!isIsoDate(date)) throw new RangeError(`not a date: ${date}`);
  const year = Number(date.slice(0, 4));
  if (!calendar.coveredYears.has(year)) throw new CalendarNotCoveredError(date, year, calendar.coveredYears);
}

/**
 * Whether a date is a working day: isWorkingDay("2024-02-18", calendar) → true (a make-up Sunday),
 * isWorkingDay("2024-02-12", calendar) → false (春节). Throws CalendarNotCoveredError outside the covered years.
 */
export function isWorkingDay(date: string, calendar: WorkCalendar): boolean {
  requireCovered(date, calendar);
  const exception = calendar.days.get(date);
  if (exception !== undefined) return exception === "workday";
  return !isWeekend(date);
}

/**
 * The n-th working day after a date (before it for a negative n; the date itself for 0), whatever the
 * date itself is: addWorkingDays("2024-02-08", 5, calendar) → "2024-02-21" (春节 10–17 Feb off, Sunday
 * 18 Feb worked). Throws CalendarNotCoveredError when the date or a day counted lies in a year not covered.
 */
export function addWorkingDays(date: string, n: number, calendar: WorkCalendar): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a whole number of working days: ${n}`);
  requireCovered(date, calendar);
  const step = n < 0 ? -1 : 1;
  let day = dayNumber(date);
  for (let remaining = Math.abs(n); remaining > 0; ) {
    day += step;
    if (isWorkingDay(isoOfDayNumber(day), calendar)) remaining -= 1;
  }
  return isoOfDayNumber(day);
}

/**
 * The working days after `from` up to and including `to`; negative (the working days after `to` up to
 * and including `from`) when `to` comes first: workingDaysBetween("2024-02-08", "2024-02-21", calendar) → 5.
 * Throws CalendarNotCoveredError when either date, or a day between, lies in a year not covered.
 */
export function workingDaysBetween(from: string, to: string, calendar: WorkCalendar): number {
  requireCovered(from, calendar);
  requireCovered(to, calendar);
  const [start, end, sign] = dayNumber(to) >= dayNumber(from) ? [dayNumber(from), dayNumber(to), 1] : [dayNumber(to), dayNumber(from), -1];
  let count = 0;
  for (let day = start + 1; day <= end; day += 1) if (isWorkingDay(isoOfDayNumber(day), calendar)) count += 1;
  return sign * count;
}
