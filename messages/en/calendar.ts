import type { Mirror } from "../types";
import type { calendarMessages as zh } from "../zh/calendar";

/** calendar: the working-day calendar (issue 15), in English. */
export const calendarMessages: Mirror<typeof zh> = {
  // A date the calendar cannot answer (domain/workdays.ts)
  wdYearNotCovered:
    "The working-day calendar does not cover {year} ({date}), so working days cannot be counted; it covers {covered}. The city's administrator can add that year's holidays and make-up working days under Working-day calendar",
  wdCalendarEmpty: "The working-day calendar covers no year, so whether {date} ({year}) is a working day cannot be told. The city's administrator can add it under Working-day calendar",
  // CLI: budget workdays (cli/workdays.ts)
  wdCliUsage: `  budget workdays --from 2024-02-08 --add 5
                                         the N-th working day after a date (holidays and make-up days counted; backwards: --add=-5)
  budget workdays --from 2024-02-08 --to 2024-02-21
                                         the working days after the first date up to and including the second`,
  wdCliMissingFrom: "--from is missing (the start date, YYYY-MM-DD)",
  wdCliAddOrTo: "Give either --add N or --to DATE, one of the two",
  wdCliDate: "{option} must be a date YYYY-MM-DD: {value}",
  wdCliAddNumber: "--add must be a whole number of working days (-100000 to 100000): {value}",
  // The page (/calendar)
  wdTitle: "Working-day calendar",
  wdAdminLink: "Working-day calendar (holidays and make-up working days)",
  wdIntro:
    "Monday to Friday are working days; the table lists the days that differ: public holidays on a weekday, and Saturdays or Sundays worked in exchange. Years not covered are not guessed.",
  wdCovered: "Years covered: {years}",
  wdCoveredNone: "No year covered yet",
  wdYear: "Year",
  wdShow: "Show",
  wdYearNotCoveredNote: "{year} is not covered: its dates are not counted as working days or not. Once its holidays and make-up days are entered, mark it covered below.",
  wdColDate: "Date",
  wdColWeekday: "Weekday",
  wdColKind: "Kind",
  wdColName: "Name",
  wdColSource: "Source",
  wdKindHoliday: "Holiday",
  wdKindWorkday: "Make-up working day",
  wdWeekday1: "Monday",
  wdWeekday2: "Tuesday",
  wdWeekday3: "Wednesday",
  wdWeekday4: "Thursday",
  wdWeekday5: "Friday",
  wdWeekday6: "Saturday",
  wdWeekday7: "Sunday",
  wdNoDays: "No holidays or make-up working days entered for {year}.",
  wdDelete: "Delete",
  wdAddDay: "Add date",
  wdSourcePlaceholder: "e.g. the State Council's notice on the 2027 holidays",
  wdYears: "Years covered",
  wdCoverYear: "Mark covered",
  wdUncoverYear: "Remove coverage",
  wdImport: "Import from chinese-days",
  wdImportAvailable: "Years in chinese-days {version} that this calendar does not cover yet: {years}",
  wdImportNothing: "chinese-days {version} holds no year this calendar does not cover (a newer version of the package brings new years).",
  wdReadOnly: "Only the city's administrator can change the working-day calendar.",
  // Outcomes
  wdDayAdded: "{date} entered",
  wdDayRemoved: "{date} deleted",
  wdYearCovered: "{year} marked covered",
  wdYearUncovered: "{year} no longer covered",
  wdImported: "Imported {years}: {count:int} day{count:s}",
  wdErrDate: "Enter a valid date (YYYY-MM-DD, 2001–2100)",
  wdErrKind: "Choose a kind",
  wdErrHolidayOnWeekend: "{date} is a {weekday}, not a working day anyway: it cannot be a holiday",
  wdErrWorkdayOnWeekday: "{date} is a {weekday}, a working day anyway: it cannot be a make-up working day",
  wdErrName: "Enter a name (at most 100 characters)",
  wdErrSource: "Enter the source (a document or notice, at most 200 characters)",
  wdErrDayExists: "{date} is already in the calendar: delete that entry first",
  wdErrYear: "Enter a year (2001–2100)",
  wdErrYearCovered: "{year} is already marked covered",
  wdErrNotFound: "That date or year is no longer in the calendar (someone may have deleted it); reload the page",
  wdErrStale: "Someone has just changed this entry; reload the page and try again",
  wdErrTopOnly: "Only the city's administrator can change the working-day calendar",
  wdErrIntent: "Unknown action",
} as const;
