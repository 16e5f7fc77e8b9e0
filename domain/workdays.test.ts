import { describe, expect, it } from "vitest";
import { render } from "../messages/index.ts";
import { addWorkingDays, CalendarNotCoveredError, coveredYearsText, isoWeekday, isWorkingDay, workCalendar, workingDaysBetween, type CalendarDayKind } from "./workdays.ts";

/*
 * The exceptions of 2024 and 2025 as the State Council's notices give them (国办发明电〔2023〕7号, 〔2024〕12号):
 * holidays that fall on a weekday, and the weekends worked in exchange.
 */
const HOLIDAYS = [
  "2024-01-01",
  "2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16", // 春节 10–17 Feb (10, 11 and 17 are weekend days)
  "2024-04-04", "2024-04-05",
  "2024-05-01", "2024-05-02", "2024-05-03",
  "2024-06-10",
  "2024-09-16", "2024-09-17",
  "2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-07",
  "2025-01-01",
  "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03", "2025-02-04", // 春节 28 Jan – 4 Feb
  "2025-04-04",
  "2025-05-01", "2025-05-02", "2025-05-05",
  "2025-06-02",
  "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08",
];
const WORKDAYS = [
  "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
  "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
];
const calendar = workCalendar(
  [...HOLIDAYS.map((day) => ({ day, kind: "holiday" as CalendarDayKind })), ...WORKDAYS.map((day) => ({ day, kind: "workday" as CalendarDayKind }))],
  [2024, 2025],
);

describe("isWorkingDay", () => {
  it("counts the make-up Sundays and Saturday of 2024 and 2025 as working days", () => {
    expect(isoWeekday("2024-02-04")).toBe(7);
    expect(isoWeekday("2024-02-18")).toBe(7);
    expect(isoWeekday("2025-01-26")).toBe(7);
    expect(isWorkingDay("2024-02-04", calendar)).toBe(true);
    expect(isWorkingDay("2024-02-18", calendar)).toBe(true);
    expect(isWorkingDay("2025-01-26", calendar)).toBe(true);
    expect(isWorkingDay("2025-02-08", calendar)).toBe(true);
    // The weekend days beside them stay off.
    expect(isWorkingDay("2024-02-03", calendar)).toBe(false);
    expect(isWorkingDay("2024-02-17", calendar)).toBe(false);
    expect(isWorkingDay("2025-01-25", calendar)).toBe(false);
  });

  it("takes the Spring Festival 2024 off from Saturday 10 to Saturday 17 February, and works Friday 9 (除夕)", () => {
    const february = ["09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19"].map((d) => isWorkingDay(`2024-02-${d}`, calendar));
    expect(february).toEqual([true, false, false, false, false, false, false, false, false, true, true]);
  });
});

describe("addWorkingDays", () => {
  it("gives 2024-02-21 for five working days after 2024-02-08 (9 Feb, Sunday 18 Feb, 19, 20, 21)", () => {
    expect([1, 2, 3, 4, 5].map((n) => addWorkingDays("2024-02-08", n, calendar))).toEqual(["2024-02-09", "2024-02-18", "2024-02-19", "2024-02-20", "2024-02-21"]);
  });

  it("counts from a holiday or a weekend as from any day, and 0 keeps the date", () => {
    expect(addWorkingDays("2024-02-12", 1, calendar)).toBe("2024-02-18");
    expect(addWorkingDays("2024-02-17", 1, calendar)).toBe("2024-02-18");
    expect(addWorkingDays("2024-02-12", 0, calendar)).toBe("2024-02-12");
    expect(addWorkingDays("2025-01-24", 1, calendar)).toBe("2025-01-26");
    expect(addWorkingDays("2025-01-26", 1, calendar)).toBe("2025-01-27");
    expect(addWorkingDays("2025-01-27", 1, calendar)).toBe("2025-02-05");
  });

  it("counts backwards for a negative number, and across the turn of the year", () => {
    expect(addWorkingDays("2024-02-21", -5, calendar)).toBe("2024-02-08");
    expect(addWorkingDays("2024-02-18", -1, calendar)).toBe("2024-02-09");
    expect(addWorkingDays("2025-01-27", -1, calendar)).toBe("2025-01-26");
    expect(addWorkingDays("2024-12-31", 1, calendar)).toBe("2025-01-02");
    expect(addWorkingDays("2025-01-02", -1, calendar)).toBe("2024-12-31");
  });

  it("refuses a fraction of a day and a malformed date", () => {
    expect(() => addWorkingDays("2024-02-08", 1.5, calendar)).toThrow(RangeError);
    expect(() => addWorkingDays("2024-02-30", 1, calendar)).toThrow(RangeError);
  });
});

describe("workingDaysBetween", () => {
  it("counts the working days after the first date up to and including the second", () => {
    expect(workingDaysBetween("2024-02-08", "2024-02-21", calendar)).toBe(5);
    expect(workingDaysBetween("2024-02-09", "2024-02-18", calendar)).toBe(1);
    expect(workingDaysBetween("2024-02-09", "2024-02-17", calendar)).toBe(0);
    expect(workingDaysBetween("2024-02-10", "2024-02-10", calendar)).toBe(0);
    expect(workingDaysBetween("2025-01-25", "2025-01-26", calendar)).toBe(1);
    expect(workingDaysBetween("2025-01-26", "2025-02-05", calendar)).toBe(2);
  });

  it("is negative when the second date comes first", () => {
    expect(workingDaysBetween("2024-02-21", "2024-02-08", calendar)).toBe(-5);
  });

  it("counts 2024 and 2025 whole: 251 and 248 working days", () => {
    expect(isWorkingDay("2024-01-01", calendar)).toBe(false);
    expect(workingDaysBetween("2024-01-01", "2024-12-31", calendar)).toBe(251);
    expect(workingDaysBetween("2024-12-31", "2025-12-31", calendar)).toBe(248);
  });

  it("undoes addWorkingDays: n working days after a date are n working days away", () => {
    for (let day = 1; day <= 366; day += 1) {
      const date = new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
      for (const n of [1, 5, 10, 11]) expect(workingDaysBetween(date, addWorkingDays(date, n, calendar), calendar), `${date} + ${n}`).toBe(n);
    }
  });
});

describe("a year the calendar does not cover", () => {
  it("is refused with the year and the years covered, not guessed", () => {
    const refusal = (() => {
      try {
        isWorkingDay("2026-01-05", calendar);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(CalendarNotCoveredError);
    const error = refusal as CalendarNotCoveredError;
    expect([error.year, error.date]).toEqual([2026, "2026-01-05"]);
    expect(render("zh", error.problem)).toContain("工作日历未覆盖2026年（2026-01-05）");
    expect(render("en", error.problem)).toContain("does not cover 2026 (2026-01-05), so working days cannot be counted; it covers 2024–2025");
  });

  it("is refused when a count runs into it, from either end", () => {
    expect(() => addWorkingDays("2025-12-29", 5, calendar)).toThrow(CalendarNotCoveredError);
    expect(addWorkingDays("2025-12-29", 2, calendar)).toBe("2025-12-31");
    expect(() => addWorkingDays("2024-01-02", -2, calendar)).toThrow(/does not cover 2023/);
    expect(() => workingDaysBetween("2023-12-29", "2024-01-02", calendar)).toThrow(/does not cover 2023/);
    expect(() => workingDaysBetween("2025-12-01", "2026-01-05", calendar)).toThrow(/does not cover 2026/);
  });

  it("says so when the calendar covers no year at all", () => {
    const empty = workCalendar([], []);
    expect(() => isWorkingDay("2024-02-18", empty)).toThrow(CalendarNotCoveredError);
    try {
      isWorkingDay("2024-02-18", empty);
    } catch (error) {
      expect((error as CalendarNotCoveredError).problem.code).toBe("wdCalendarEmpty");
    }
  });
});

describe("coveredYearsText", () => {
  it("writes the years as ranges", () => {
    expect(coveredYearsText([2006, 2004, 2005, 2024, 2026, 2025])).toBe("2004–2006, 2024–2026");
    expect(coveredYearsText([2024])).toBe("2024");
    expect(coveredYearsText([])).toBe("");
  });
});
