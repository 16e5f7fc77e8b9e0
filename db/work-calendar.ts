import type { ColumnType, Generated, Kysely, Transaction } from "kysely";
import type { Database } from "./schema.ts";
import { workCalendar, type CalendarDayKind, type WorkCalendar } from "../domain/workdays.ts";

/*
 * The working-day calendar's tables (migration 0017): work_calendar_day holds the days that differ from
 * the Monday–Friday rule, work_calendar_year the years covered. Writes take the caller's transaction,
 * whose actor the audit trail records (db/audit.ts withActor).
 */

/** A day that differs from the Monday–Friday rule (工作日历): a holiday on a weekday, a make-up working day (调休上班) on a weekend. */
export interface WorkCalendarDayTable {
  id: Generated<number>;
  /** DATE, read as YYYY-MM-DD (db/pool.ts). */
  day: string;
  kind: CalendarDayKind;
  /** The holiday's name, e.g. 春节. */
  name: string;
  /** Where the day comes from: "chinese-days 1.5.7", or the notice an administrator entered it from. */
  source: string;
  updated_at: ColumnType<Date, string | undefined, string>;
  version: Generated<number>;
}

/** A year the working-day calendar covers: dates of other years are not answered. */
export interface WorkCalendarYearTable {
  year: number;
  /** The year again, as the audit trail's record id. */
  id: ColumnType<number, never, never>;
  source: string;
  updated_at: ColumnType<Date, string | undefined, string>;
}

// Merged into db/schema.ts's Database by module augmentation, as features/rectification/queries/tables.ts
// does: db/schema.ts stands at the 500-line limit (test/layers.test.ts). Type-only.
declare module "./schema.ts" {
  interface Database {
    work_calendar_day: WorkCalendarDayTable;
    work_calendar_year: WorkCalendarYearTable;
  }
}

type Queryable = Kysely<Database> | Transaction<Database>;

/** A stored exception day. */
export interface CalendarDayRow {
  id: number;
  day: string;
  kind: CalendarDayKind;
  name: string;
  source: string;
  version: number;
}

/** A covered year and where its days came from. */
export interface CoveredYearRow {
  year: number;
  source: string;
}

/** The whole calendar, as the working-day functions of domain/workdays.ts take it. */
export async function loadWorkCalendar(db: Queryable): Promise<WorkCalendar> {
  const [days, years] = await Promise.all([
    db.selectFrom("work_calendar_day").select(["day", "kind"]).execute(),
    db.selectFrom("work_calendar_year").select("year").execute(),
  ]);
  return workCalendar(days, years.map((row) => row.year));
}

/** The exception days of a year, in date order. */
export async function calendarDaysOf(db: Queryable, year: number): Promise<CalendarDayRow[]> {
  return db
    .selectFrom("work_calendar_day")
    .select(["id", "day", "kind", "name", "source", "version"])
    .where("day", ">=", `${year}-01-01`)
    .where("day", "<=", `${year}-12-31`)
    .orderBy("day")
    .execute();
}

/** One exception day by id. */
export async function findCalendarDay(db: Queryable, id: number): Promise<CalendarDayRow | undefined> {
  return db.selectFrom("work_calendar_day").select(["id", "day", "kind", "name", "source", "version"]).where("id", "=", id).executeTakeFirst();
}

/** The covered years, oldest first. */
export async function coveredYears(db: Queryable): Promise<CoveredYearRow[]> {
  return db.selectFrom("work_calendar_year").select(["year", "source"]).orderBy("year").execute();
}

/** Adds exception days; a date already in the calendar is left as it is. Returns the dates added. */
export async function insertCalendarDays(trx: Queryable, rows: ReadonlyArray<{ day: string; kind: CalendarDayKind; name: string; source: string }>): Promise<string[]> {
  if (rows.length === 0) return [];
  const added = await trx
    .insertInto("work_calendar_day")
    .values(rows.map((row) => ({ ...row })))
    .onConflict((conflict) => conflict.column("day").doNothing())
    .returning("day")
    .execute();
  return added.map((row) => row.day);
}

/** Deletes an exception day if it still has the version shown; returns it, or undefined. */
export async function deleteCalendarDay(trx: Queryable, id: number, version: number): Promise<CalendarDayRow | undefined> {
  return trx
    .deleteFrom("work_calendar_day")
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "day", "kind", "name", "source", "version"])
    .executeTakeFirst();
}

/** Marks years covered; a year already covered is left as it is. Returns the years added. */
export async function insertCoveredYears(trx: Queryable, rows: readonly CoveredYearRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const added = await trx
    .insertInto("work_calendar_year")
    .values(rows.map((row) => ({ ...row })))
    .onConflict((conflict) => conflict.column("year").doNothing())
    .returning("year")
    .execute();
  return added.map((row) => row.year);
}

/** Removes a year's coverage (its days stay); false when it was not covered. */
export async function deleteCoveredYear(trx: Queryable, year: number): Promise<boolean> {
  const result = await trx.deleteFrom("work_calendar_year").where("year", "=", year).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
