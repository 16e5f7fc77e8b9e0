import type { DB } from "../../db/pool.ts";
import { withActor, type AuditActor } from "../../db/audit.ts";
import { calendarDaysOf, coveredYears, deleteCalendarDay, deleteCoveredYear, findCalendarDay, insertCalendarDays, insertCoveredYears, type CalendarDayRow, type CoveredYearRow } from "../../db/work-calendar.ts";
import { todayInChina } from "../../domain/dates.ts";
import { roleAllows, type Role } from "../../domain/permissions.ts";
import { coveredYearsText } from "../../domain/workdays.ts";
import { msg, type Message } from "../../messages/index.ts";
import { isTopLevelAdmin } from "../admin/service.ts";
import { PACKAGE_SOURCE, PACKAGE_VERSION, packageDaysByYear, packageEnglishName } from "./package-data.ts";
import { readCalendarDay, readCoveredYear, weekdayMessage, type CalendarFieldErrors } from "./rules/index.ts";

/*
 * The working-day calendar (工作日历, /calendar) as the route uses it. Everyone signed in reads it; only the
 * city's administrator (role admin at a top-level unit: the calendar is national) changes it, each change
 * in one transaction under that user (audited):
 *
 *   calendarPage(db, actor, year)            a year's exception days, the covered years, what may be imported
 *   addCalendarDay(db, actor, input)         a holiday on a weekday or a make-up working day on a weekend
 *   removeCalendarDay(db, actor, input)      deletes a day (guarded by its version)
 *   coverYear / uncoverYear(db, actor, …)    marks a year covered (its dates are then answered) or not
 *   importPackageYears(db, actor)            adds the years the installed chinese-days has and the calendar lacks
 */

/** Who acts: for the audit trail and the role check. */
export interface CalendarActor extends AuditActor {
  unitId: number;
  roles: readonly Role[];
}

/** What a change ends in: done with a message, or refused with a status, a message and/or one problem per field. */
export type CalendarOutcome =
  | { kind: "done"; message: Message }
  | { kind: "refused"; status: 400 | 403 | 404 | 409; message: Message | null; errors: CalendarFieldErrors };

const refused = (status: 400 | 403 | 404 | 409, message: Message | null, errors: CalendarFieldErrors = {}): CalendarOutcome => ({ kind: "refused", status, message, errors });

/** The calendar is national: only an administrator of a top-level unit (the city) changes it. */
async function mayEdit(db: DB, actor: Pick<CalendarActor, "unitId" | "roles">): Promise<boolean> {
  return roleAllows(actor.roles, "administer") && (await isTopLevelAdmin(db, actor.unitId));
}

/** The years of the installed package that the calendar does not cover. */
function importableYears(covered: readonly CoveredYearRow[]): number[] {
  const have = new Set(covered.map((row) => row.year));
  return [...packageDaysByYear().keys()].filter((year) => !have.has(year));
}

/** The page: a year's exception days (with their weekday), the years covered, what the package could add, whether the user may edit. */
export async function calendarPage(
  db: DB,
  actor: Pick<CalendarActor, "unitId" | "roles">,
  year?: number,
): Promise<{
  year: number;
  covered: boolean;
  coveredYears: CoveredYearRow[];
  coveredText: string;
  /** englishName: the package's English name of the day's (Chinese) name, for the English interface. */
  days: Array<CalendarDayRow & { weekday: Message; englishName: string | null }>;
  canEdit: boolean;
  packageVersion: string;
  importable: number[];
}> {
  const shown = year ?? Number(todayInChina().slice(0, 4));
  const [years, days, canEdit] = await Promise.all([coveredYears(db), calendarDaysOf(db, shown), mayEdit(db, actor)]);
  return {
    year: shown,
    covered: years.some((row) => row.year === shown),
    coveredYears: years,
    coveredText: coveredYearsText(years.map((row) => row.year)),
    days: days.map((day) => ({ ...day, weekday: weekdayMessage(day.day), englishName: packageEnglishName(day.name) ?? null })),
    canEdit,
    packageVersion: PACKAGE_VERSION,
    importable: importableYears(years),
  };
}

/** Enters a day that differs from the Monday–Friday rule; a date already entered is refused at its field. */
export async function addCalendarDay(db: DB, actor: CalendarActor, input: { day: string; kind: string; name: string; source: string }): Promise<CalendarOutcome> {
  if (!(await mayEdit(db, actor))) return refused(403, msg("wdErrTopOnly"));
  const read = readCalendarDay(input);
  if ("errors" in read) return refused(400, null, read.errors);
  const added = await withActor(db, actor, (trx) => insertCalendarDays(trx, [read.day]));
  if (added.length === 0) return refused(409, null, { day: msg("wdErrDayExists", { date: read.day.day }) });
  return { kind: "done", message: msg("wdDayAdded", { date: read.day.day }) };
}

/** Deletes a day as the page showed it (its version); one changed or deleted meanwhile is refused. */
export async function removeCalendarDay(db: DB, actor: CalendarActor, input: { id: number | null; version: number | null }): Promise<CalendarOutcome> {
  if (!(await mayEdit(db, actor))) return refused(403, msg("wdErrTopOnly"));
  if (input.id === null || input.version === null) return refused(404, msg("wdErrNotFound"));
  const { id, version } = input;
  const deleted = await withActor(db, actor, (trx) => deleteCalendarDay(trx, id, version));
  if (deleted) return { kind: "done", message: msg("wdDayRemoved", { date: deleted.day }) };
  return (await findCalendarDay(db, id)) ? refused(409, msg("wdErrStale")) : refused(404, msg("wdErrNotFound"));
}

/** Marks a year covered, naming the source of its days: its dates are answered from then on. */
export async function coverYear(db: DB, actor: CalendarActor, input: { year: string; source: string }): Promise<CalendarOutcome> {
  if (!(await mayEdit(db, actor))) return refused(403, msg("wdErrTopOnly"));
  const read = readCoveredYear(input);
  if ("errors" in read) return refused(400, null, read.errors);
  const added = await withActor(db, actor, (trx) => insertCoveredYears(trx, [read.year]));
  if (added.length === 0) return refused(409, null, { year: msg("wdErrYearCovered", { year: read.year.year }) });
  return { kind: "done", message: msg("wdYearCovered", { year: read.year.year }) };
}

/** Removes a year's coverage (its days stay): its dates are refused again. */
export async function uncoverYear(db: DB, actor: CalendarActor, input: { year: number | null }): Promise<CalendarOutcome> {
  if (!(await mayEdit(db, actor))) return refused(403, msg("wdErrTopOnly"));
  const { year } = input;
  if (year === null) return refused(404, msg("wdErrNotFound"));
  const removed = await withActor(db, actor, (trx) => deleteCoveredYear(trx, year));
  return removed ? { kind: "done", message: msg("wdYearUncovered", { year }) } : refused(404, msg("wdErrNotFound"));
}

/**
 * Imports the years that the installed chinese-days package has and the calendar does not cover: their
 * days (a date already entered by hand is kept) and their coverage, source "chinese-days VERSION".
 */
export async function importPackageYears(db: DB, actor: CalendarActor): Promise<CalendarOutcome> {
  if (!(await mayEdit(db, actor))) return refused(403, msg("wdErrTopOnly"));
  const byYear = packageDaysByYear();
  const outcome = await withActor(db, actor, async (trx) => {
    const years = importableYears(await coveredYears(trx));
    const days = years.flatMap((year) => byYear.get(year) ?? []).map((day) => ({ ...day, source: PACKAGE_SOURCE }));
    const added = await insertCalendarDays(trx, days);
    await insertCoveredYears(trx, years.map((year) => ({ year, source: PACKAGE_SOURCE })));
    return { years, count: added.length };
  });
  if (outcome.years.length === 0) return refused(409, msg("wdImportNothing", { version: PACKAGE_VERSION }));
  return { kind: "done", message: msg("wdImported", { years: coveredYearsText(outcome.years), count: outcome.count }) };
}
