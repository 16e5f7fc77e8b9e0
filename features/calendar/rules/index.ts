import { isIsoDate } from "../../../domain/dates.ts";
import { textProblem } from "../../../domain/text.ts";
import { isoWeekday, type CalendarDayKind } from "../../../domain/workdays.ts";
import { msg, type Message, type PlainKey } from "../../../messages/index.ts";

/*
 * What the administrator types into the working-day calendar (/calendar), read into values or into one
 * problem per field. A day is only entered where it differs from the Monday–Friday rule: a holiday on a
 * weekday, a make-up working day (调休上班) on a Saturday or Sunday (the table's check says the same).
 */

export const CALENDAR_DAY_KINDS = ["holiday", "workday"] as const satisfies readonly CalendarDayKind[];

/** The fields of the calendar's forms. */
export type CalendarField = "day" | "kind" | "name" | "source" | "year";
export type CalendarFieldErrors = Partial<Record<CalendarField, Message>>;

/** The years a calendar may cover (as the table's check). */
export const FIRST_YEAR = 2001;
export const LAST_YEAR = 2100;
const MAX_NAME = 100;
const MAX_SOURCE = 200;

const WEEKDAY_KEYS = ["wdWeekday1", "wdWeekday2", "wdWeekday3", "wdWeekday4", "wdWeekday5", "wdWeekday6", "wdWeekday7"] as const satisfies readonly PlainKey[];

/** A date's weekday as a message: weekdayMessage("2024-02-18") → 星期日 / Sunday. */
export function weekdayMessage(date: string): Message {
  return msg(WEEKDAY_KEYS[isoWeekday(date) - 1]!);
}

/** The message naming a kind: 放假 / 调休上班. */
export function kindMessage(kind: CalendarDayKind): Message {
  return msg(kind === "holiday" ? "wdKindHoliday" : "wdKindWorkday");
}

function text(value: string, max: number, problem: Message): { value: string } | { problem: Message } {
  const trimmed = value.trim();
  if (trimmed === "" || trimmed.length > max || textProblem(trimmed, problem) !== null) return { problem };
  return { value: trimmed };
}

/**
 * Reads an exception day as typed: readCalendarDay({ day: "2024-02-18", kind: "workday", name: "春节", source: "国办发明电〔2023〕7号" })
 * → { day: { day: "2024-02-18", kind: "workday", name: "春节", source: … } }; a holiday on a Saturday → { errors: { kind: … } }.
 */
export function readCalendarDay(input: { day: string; kind: string; name: string; source: string }):
  | { day: { day: string; kind: CalendarDayKind; name: string; source: string } }
  | { errors: CalendarFieldErrors } {
  const errors: CalendarFieldErrors = {};
  const day = input.day.trim();
  const year = Number(day.slice(0, 4));
  const dateOk = isIsoDate(day) && year >= FIRST_YEAR && year <= LAST_YEAR;
  if (!dateOk) errors.day = msg("wdErrDate");
  const kind = CALENDAR_DAY_KINDS.find((candidate) => candidate === input.kind);
  if (kind === undefined) errors.kind = msg("wdErrKind");
  else if (dateOk) {
    const weekend = isoWeekday(day) >= 6;
    if (kind === "holiday" && weekend) errors.kind = msg("wdErrHolidayOnWeekend", { date: day, weekday: weekdayMessage(day) });
    if (kind === "workday" && !weekend) errors.kind = msg("wdErrWorkdayOnWeekday", { date: day, weekday: weekdayMessage(day) });
  }
  const name = text(input.name, MAX_NAME, msg("wdErrName"));
  if ("problem" in name) errors.name = name.problem;
  const source = text(input.source, MAX_SOURCE, msg("wdErrSource"));
  if ("problem" in source) errors.source = source.problem;
  if (Object.keys(errors).length > 0 || kind === undefined || "problem" in name || "problem" in source) return { errors };
  return { day: { day, kind, name: name.value, source: source.value } };
}

/** Reads a year to mark covered, with its source: readCoveredYear({ year: "2027", source: "…" }). */
export function readCoveredYear(input: { year: string; source: string }): { year: { year: number; source: string } } | { errors: CalendarFieldErrors } {
  const errors: CalendarFieldErrors = {};
  const yearText = input.year.trim();
  const year = Number(yearText);
  if (!/^\d{4}$/.test(yearText) || year < FIRST_YEAR || year > LAST_YEAR) errors.year = msg("wdErrYear");
  const source = text(input.source, MAX_SOURCE, msg("wdErrSource"));
  if ("problem" in source) errors.source = source.problem;
  if (errors.year !== undefined || "problem" in source) return { errors };
  return { year: { year, source: source.value } };
}
