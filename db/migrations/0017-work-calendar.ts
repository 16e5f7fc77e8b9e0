import { sql, type Kysely } from "kysely";
import chineseDays from "chinese-days/dist/chinese-days.json" with { type: "json" };
import chineseDaysPackage from "chinese-days/package.json" with { type: "json" };

/*
 * The working-day calendar of mainland China (issue 15, decision 016-working-day-calendar): the days that
 * differ from the Monday–Friday rule — public holidays on a weekday (holiday) and make-up working days
 * (调休上班) on a Saturday or Sunday (workday) — with their name (春节) and source, and the years the
 * calendar covers: a date in any other year is not answered.
 *
 * Seeded here from the pinned `chinese-days` package (2004 onward), before the audit triggers exist, as
 * the deviation causes of 0008 are: each seeded row names its source. Every later change (the city's
 * administrator at /calendar, a later year imported from a newer package) is audited.
 */

const statements = [
  sql`CREATE TABLE work_calendar_day (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day         date NOT NULL UNIQUE,
    kind        text NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    source      text NOT NULL CHECK (btrim(source) <> '' AND length(source) <= 200),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1,
    -- Only what differs from the weekly rule: a holiday on Monday–Friday, a working day on Saturday or Sunday.
    CHECK ((kind = 'holiday') = (extract(isodow FROM day) <= 5))
  )`,
  sql`CREATE TABLE work_calendar_year (
    year        integer PRIMARY KEY CHECK (year BETWEEN 2001 AND 2100),
    -- The audit trail's record id.
    id          integer GENERATED ALWAYS AS (year) STORED,
    source      text NOT NULL CHECK (btrim(source) <> '' AND length(source) <= 200),
    updated_at  timestamptz NOT NULL DEFAULT now()
  )`,
];

/** The package's data: date → "English name,中文名,天数". */
interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** The package's days that differ from the Monday–Friday rule, and the years it covers. */
function packageDeviations(data: PackageData): { days: Array<{ day: string; kind: "holiday" | "workday"; name: string }>; years: number[] } {
  const weekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
  const nameOf = (value: string) => value.split(",")[1]?.trim() || value;
  const days = [
    ...Object.entries(data.holidays).filter(([day]) => !weekend(day)).map(([day, value]) => ({ day, kind: "holiday" as const, name: nameOf(value) })),
    ...Object.entries(data.workdays).filter(([day]) => weekend(day)).map(([day, value]) => ({ day, kind: "workday" as const, name: nameOf(value) })),
  ].sort((a, b) => a.day.localeCompare(b.day));
  const years = [...new Set([...Object.keys(data.holidays), ...Object.keys(data.workdays)].map((day) => Number(day.slice(0, 4))))].sort((a, b) => a - b);
  return { days, years };
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
  const source = `chinese-days ${chineseDaysPackage.version}`;
  const { days, years } = packageDeviations(chineseDays as PackageData);
  if (days.length > 0) {
    await db.insertInto("work_calendar_day").values(days.map((row) => ({ ...row, source }))).execute();
  }
  if (years.length > 0) await db.insertInto("work_calendar_year").values(years.map((year) => ({ year, source }))).execute();
  await sql`CREATE TRIGGER work_calendar_day_version BEFORE UPDATE ON work_calendar_day
            FOR EACH ROW EXECUTE FUNCTION bump_version()`.execute(db);
  const args = sql.join([sql.lit("NULL::integer"), sql.lit("{}")]);
  for (const table of ["work_calendar_day", "work_calendar_year"]) {
    await sql`CREATE TRIGGER ${sql.id(`${table}_audit_insert`)} AFTER INSERT ON ${sql.table(table)}
              REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_audit_update`)} AFTER UPDATE ON ${sql.table(table)}
              REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_audit_delete`)} AFTER DELETE ON ${sql.table(table)}
              REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
              FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS work_calendar_day, work_calendar_year`.execute(db);
}
