import type { DB } from "../db/pool.ts";
import { loadWorkCalendar } from "../db/work-calendar.ts";
import { isIsoDate } from "../domain/dates.ts";
import { addWorkingDays, CalendarNotCoveredError, workingDaysBetween } from "../domain/workdays.ts";
import { cliLanguage, msg, render, type Message } from "../messages/index.ts";
import { parseCommandLine, UsageError } from "./args.ts";

/** A message in the CLI's language (Chinese unless BUDGET_LANG=en). */
const text = (message: Message) => render(cliLanguage(), message);

/** The usage lines of `budget workdays` (part of the CLI's usage). */
export const WORKDAYS_USAGE: Message = msg("wdCliUsage");

/** The largest number of working days --add takes (about 400 years). */
const MAX_ADD = 100_000;

/** What `budget workdays` is asked: the N-th working day after a date, or the working days between two. */
export type WorkdaysQuery = { from: string; add: number } | { from: string; to: string };

/** The options of `budget workdays`, checked before the database is opened (bad ones exit 2). */
export function parseWorkdaysArgs(args: string[]): WorkdaysQuery {
  const { values, positionals } = parseCommandLine(args, { from: { type: "string" }, add: { type: "string" }, to: { type: "string" } } as const);
  if (positionals.length > 0) throw new UsageError(msg("cliUnexpectedArgs", { args: positionals.join(" ") }));
  if (values.from === undefined) throw new UsageError(msg("wdCliMissingFrom"));
  if (!isIsoDate(values.from)) throw new UsageError(msg("wdCliDate", { option: "--from", value: values.from }));
  if ((values.add === undefined) === (values.to === undefined)) throw new UsageError(msg("wdCliAddOrTo"));
  if (values.to !== undefined) {
    if (!isIsoDate(values.to)) throw new UsageError(msg("wdCliDate", { option: "--to", value: values.to }));
    return { from: values.from, to: values.to };
  }
  const add = values.add!;
  if (!/^[-+]?\d{1,6}$/.test(add) || Math.abs(Number(add)) > MAX_ADD) throw new UsageError(msg("wdCliAddNumber", { value: add }));
  return { from: values.from, add: Number(add) };
}

/**
 * budget workdays --from 2024-02-08 --add 5 → 2024-02-21; budget workdays --from D1 --to D2 → the working
 * days after D1 up to and including D2. A date in a year the calendar does not cover: the reason on
 * standard error and exit 2, as for any argument the command cannot answer.
 */
export async function workdaysCommand(db: DB, args: string[], output: NodeJS.WritableStream, errors: NodeJS.WritableStream = process.stderr): Promise<number> {
  const query = parseWorkdaysArgs(args);
  const calendar = await loadWorkCalendar(db);
  try {
    const answer = "add" in query ? addWorkingDays(query.from, query.add, calendar) : String(workingDaysBetween(query.from, query.to, calendar));
    output.write(`${answer}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof CalendarNotCoveredError)) throw error;
    errors.write(`${text(msg("cliError", { text: error.problem }))}\n`);
    return 2;
  }
}
