import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import chineseDaysPackage from "chinese-days/package.json" with { type: "json" };
import type { DB } from "../db/pool.ts";
import { calendarDaysOf, coveredYears, loadWorkCalendar } from "../db/work-calendar.ts";
import { addWorkingDays, CalendarNotCoveredError, isWorkingDay, workingDaysBetween } from "../domain/workdays.ts";
import { addCalendarDay, calendarPage, coverYear, importPackageYears, removeCalendarDay, uncoverYear, type CalendarActor } from "../features/calendar/service.ts";
import { render } from "../messages/index.ts";
import { freshDatabase } from "./support/database.ts";

/*
 * The working-day calendar on a real PostgreSQL: what migration 0017 seeded from chinese-days, and the
 * city administrator's changes through the service (role checked, refused at the field, audited).
 */

const SOURCE = `chinese-days ${chineseDaysPackage.version}`;

describe("the working-day calendar", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let cityAdmin: CalendarActor;
  let districtAdmin: CalendarActor;
  let cityPlanner: CalendarActor;

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"));
    db = fresh.db;
    drop = fresh.drop;
    const city = await db.insertInto("org_unit").values({ name: "上海市", level: "city", parent_id: null, code: null }).returning("id").executeTakeFirstOrThrow();
    const district = await db.insertInto("org_unit").values({ name: "闵行区", level: "district", parent_id: city.id, code: null }).returning("id").executeTakeFirstOrThrow();
    cityAdmin = { userId: 1, username: "admin", unitId: city.id, roles: ["admin"] };
    districtAdmin = { userId: 2, username: "minhang.admin", unitId: district.id, roles: ["admin"] };
    cityPlanner = { userId: 3, username: "city.planner", unitId: city.id, roles: ["planner", "viewer"] };
  }, 180_000);

  afterAll(async () => {
    await drop?.();
  });

  it("is seeded from chinese-days with the official 2024 and 2025 exceptions, 2004 onward", async () => {
    const days2024 = await calendarDaysOf(db, 2024);
    const holidays = days2024.filter((d) => d.kind === "holiday").map((d) => d.day);
    const workdays = days2024.filter((d) => d.kind === "workday").map((d) => d.day);
    expect(workdays).toEqual(["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"]);
    expect(holidays.filter((d) => d.startsWith("2024-02"))).toEqual(["2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16"]);
    expect(holidays).toHaveLength(19);
    expect(days2024.find((d) => d.day === "2024-02-18")).toMatchObject({ kind: "workday", name: "春节", source: SOURCE });
    const days2025 = await calendarDaysOf(db, 2025);
    expect(days2025.filter((d) => d.kind === "workday").map((d) => d.day)).toEqual(["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]);
    expect(days2025.filter((d) => d.kind === "holiday")).toHaveLength(18);
    const years = (await coveredYears(db)).map((row) => row.year);
    expect(years[0]).toBe(2004);
    expect(years).toEqual(Array.from({ length: years.length }, (_, k) => 2004 + k));
    expect(years).toContain(2025);
    // The seed is not in the audit trail (the rows name their source); every later change is.
    expect(await db.selectFrom("audit_log").select("id").where("table_name", "like", "work_calendar%").execute()).toEqual([]);
  });

  it("answers the working-day functions from the stored calendar, and refuses a year not covered", async () => {
    const calendar = await loadWorkCalendar(db);
    expect(addWorkingDays("2024-02-08", 5, calendar)).toBe("2024-02-21");
    expect(isWorkingDay("2025-01-26", calendar)).toBe(true);
    expect(workingDaysBetween("2024-12-31", "2025-12-31", calendar)).toBe(248);
    expect(() => isWorkingDay("2003-12-31", calendar)).toThrow(CalendarNotCoveredError);
  });

  it("lets only the city's administrator change it", async () => {
    const input = { day: "2030-02-04", kind: "holiday", name: "春节", source: "test" };
    for (const actor of [districtAdmin, cityPlanner]) {
      const outcome = await addCalendarDay(db, actor, input);
      expect(outcome).toMatchObject({ kind: "refused", status: 403, message: { code: "wdErrTopOnly" } });
    }
    expect(await uncoverYear(db, cityPlanner, { year: 2024 })).toMatchObject({ status: 403 });
    expect(await importPackageYears(db, districtAdmin)).toMatchObject({ status: 403 });
    expect((await calendarPage(db, districtAdmin, 2024)).canEdit).toBe(false);
    expect((await calendarPage(db, cityAdmin, 2024)).canEdit).toBe(true);
    expect(await calendarDaysOf(db, 2030)).toEqual([]);
  });

  it("refuses at the field what is not an exception to the weekly rule, or incomplete", async () => {
    const saturday = await addCalendarDay(db, cityAdmin, { day: "2024-02-10", kind: "holiday", name: "春节", source: "test" });
    expect(saturday).toMatchObject({ kind: "refused", status: 400 });
    if (saturday.kind !== "refused") throw new Error("expected a refusal");
    expect(render("zh", saturday.errors.kind!)).toBe("2024-02-10是星期六，本来就不上班，不能登记为放假");
    expect(render("en", saturday.errors.kind!)).toBe("2024-02-10 is a Saturday, not a working day anyway: it cannot be a holiday");
    const monday = await addCalendarDay(db, cityAdmin, { day: "2027-02-08", kind: "workday", name: "", source: " " });
    if (monday.kind !== "refused") throw new Error("expected a refusal");
    expect(Object.keys(monday.errors).sort()).toEqual(["kind", "name", "source"]);
    expect(render("zh", monday.errors.kind!)).toBe("2027-02-08是星期一，本来就上班，不能登记为调休上班");
    const badDate = await addCalendarDay(db, cityAdmin, { day: "2027-02-30", kind: "holiday", name: "春节", source: "test" });
    if (badDate.kind !== "refused") throw new Error("expected a refusal");
    expect(badDate.errors).toEqual({ day: { code: "wdErrDate" } });
    const taken = await addCalendarDay(db, cityAdmin, { day: "2024-02-12", kind: "holiday", name: "春节", source: "test" });
    expect(taken).toMatchObject({ status: 409, errors: { day: { code: "wdErrDayExists" } } });
    expect(await coverYear(db, cityAdmin, { year: "2024", source: "test" })).toMatchObject({ status: 409, errors: { year: { code: "wdErrYearCovered" } } });
    expect(await coverYear(db, cityAdmin, { year: "1999", source: "" })).toMatchObject({ status: 400, errors: { year: { code: "wdErrYear" }, source: { code: "wdErrSource" } } });
  });

  it("takes a new year's days, then its coverage, each change audited under the administrator", async () => {
    const notice = "国务院办公厅关于2030年部分节假日安排的通知（测试）";
    expect(await addCalendarDay(db, cityAdmin, { day: "2030-02-04", kind: "holiday", name: " 春节 ", source: notice })).toMatchObject({ kind: "done", message: { code: "wdDayAdded" } });
    expect(await addCalendarDay(db, cityAdmin, { day: "2030-02-09", kind: "workday", name: "春节", source: notice })).toMatchObject({ kind: "done" });
    // Entered but not yet covered: 2030 is still not answered.
    await expect(loadWorkCalendar(db).then((calendar) => isWorkingDay("2030-02-04", calendar))).rejects.toBeInstanceOf(CalendarNotCoveredError);
    expect(await coverYear(db, cityAdmin, { year: "2030", source: notice })).toMatchObject({ kind: "done", message: { code: "wdYearCovered" } });
    const calendar = await loadWorkCalendar(db);
    expect([isWorkingDay("2030-02-04", calendar), isWorkingDay("2030-02-05", calendar), isWorkingDay("2030-02-09", calendar)]).toEqual([false, true, true]);
    const page = await calendarPage(db, cityAdmin, 2030);
    expect(page.covered).toBe(true);
    expect(page.days.map((d) => [d.day, d.kind, d.name, render("zh", d.weekday)])).toEqual([
      ["2030-02-04", "holiday", "春节", "星期一"],
      ["2030-02-09", "workday", "春节", "星期六"],
    ]);
    const trail = await db
      .selectFrom("audit_log")
      .select(["username", "action", "table_name", "record_id"])
      .where("table_name", "like", "work_calendar%")
      .orderBy("id")
      .execute();
    expect(trail).toEqual([
      { username: "admin", action: "insert", table_name: "work_calendar_day", record_id: String(page.days[0]!.id) },
      { username: "admin", action: "insert", table_name: "work_calendar_day", record_id: String(page.days[1]!.id) },
      { username: "admin", action: "insert", table_name: "work_calendar_year", record_id: "2030" },
    ]);
  });

  it("deletes a day as shown (a stale version refused), and uncovers a year", async () => {
    const [day] = (await calendarPage(db, cityAdmin, 2030)).days;
    expect(await removeCalendarDay(db, cityAdmin, { id: day!.id, version: day!.version + 1 })).toMatchObject({ status: 409, message: { code: "wdErrStale" } });
    expect(await removeCalendarDay(db, cityAdmin, { id: day!.id, version: day!.version })).toMatchObject({ kind: "done", message: { code: "wdDayRemoved", params: { date: "2030-02-04" } } });
    expect(await removeCalendarDay(db, cityAdmin, { id: day!.id, version: day!.version })).toMatchObject({ status: 404 });
    expect(await uncoverYear(db, cityAdmin, { year: 2030 })).toMatchObject({ kind: "done" });
    expect(await uncoverYear(db, cityAdmin, { year: 2030 })).toMatchObject({ status: 404 });
    const deleted = await db.selectFrom("audit_log").select(["username", "before"]).where("table_name", "=", "work_calendar_day").where("action", "=", "delete").execute();
    expect(deleted).toEqual([{ username: "admin", before: expect.objectContaining({ day: "2030-02-04", kind: "holiday", name: "春节" }) }]);
  });

  it("imports from chinese-days the years it has and the calendar lacks, keeping days entered by hand", async () => {
    expect(await importPackageYears(db, cityAdmin)).toMatchObject({ status: 409, message: { code: "wdImportNothing" } });
    // 2025 uncovered and one of its days deleted: the import brings both back.
    const [first] = await calendarDaysOf(db, 2025);
    await removeCalendarDay(db, cityAdmin, { id: first!.id, version: first!.version });
    await uncoverYear(db, cityAdmin, { year: 2025 });
    expect((await calendarPage(db, cityAdmin, 2025)).importable).toEqual([2025]);
    const outcome = await importPackageYears(db, cityAdmin);
    expect(outcome).toMatchObject({ kind: "done", message: { code: "wdImported", params: { years: "2025", count: 1 } } });
    expect(await calendarDaysOf(db, 2025)).toHaveLength(23);
    expect((await coveredYears(db)).find((row) => row.year === 2025)).toEqual({ year: 2025, source: SOURCE });
  });
});
