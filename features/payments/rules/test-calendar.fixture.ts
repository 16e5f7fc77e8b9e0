import { workCalendar, type CalendarDayKind } from "../../../domain/workdays.ts";

/*
 * The working-day exceptions of 2024 as the State Council's notice gives them (国办发明电〔2023〕7号), for the
 * rules' tests: holidays on a weekday, and the weekends worked in exchange (Sun 4 Feb, Sun 18 Feb, Sun 7 Apr …).
 * 2023 is covered too, without exceptions in December (none fall there), so that acceptances of December 2023 count.
 */
const HOLIDAYS = [
  "2024-01-01",
  "2024-02-12",
  "2024-02-13",
  "2024-02-14",
  "2024-02-15",
  "2024-02-16", // 春节 10–17 Feb (10, 11 and 17 are weekend days)
  "2024-04-04",
  "2024-04-05",
  "2024-05-01",
  "2024-05-02",
  "2024-05-03",
  "2024-06-10",
  "2024-09-16",
  "2024-09-17",
  "2024-10-01",
  "2024-10-02",
  "2024-10-03",
  "2024-10-04",
  "2024-10-07",
];
const WORKDAYS = ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"];

/** The 2024 calendar (2023 covered as plain weeks). */
export const CALENDAR_2024 = workCalendar(
  [...HOLIDAYS.map((day) => ({ day, kind: "holiday" as CalendarDayKind })), ...WORKDAYS.map((day) => ({ day, kind: "workday" as CalendarDayKind }))],
  [2023, 2024],
);
