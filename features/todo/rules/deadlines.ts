import { daysBetween, isIsoDate } from "../../../domain/dates.ts";
import { msg, type Message } from "../../../messages/index.ts";
import type { FilingDeadlines, FilingForm } from "../../../db/settings.ts";

/*
 * The filing deadlines of the performance forms, pure: the tracking form of the 31 August period (运行监控表)
 * is due by a day of the project's year (default 15 September), the year-end self-evaluation (绩效自评表) by
 * a day of the next year (default 31 March). Stored as "MM-DD" (db/settings.ts); a form not submitted is
 * late from the day after its deadline.
 */

export type { FilingDeadlines, FilingForm } from "../../../db/settings.ts";
export const FILING_FORMS: readonly FilingForm[] = ["tracking", "selfEvaluation"];

/** The tracking form the deadline applies to: the one of the period ending 31 August of the project's year. */
export function deadlinePeriodEnd(fiscalYear: number): string {
  return `${fiscalYear}-08-31`;
}

/** A "MM-DD" that every year has, as typed (blanks trimmed, one-digit parts padded): "9-15" → "09-15"; "02-29" → null. */
export function readMonthDay(text: string): string | null {
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!match) return null;
  const monthDay = `${match[1]!.padStart(2, "0")}-${match[2]!.padStart(2, "0")}`;
  // 2023 is not a leap year: a day valid in it is valid in every year.
  return isIsoDate(`2023-${monthDay}`) ? monthDay : null;
}

const FORM_NAME_KEYS = { tracking: "tdFormTrackingName", selfEvaluation: "tdFormSelfEvaluationName" } as const;

/**
 * Reads the deadlines as typed on /admin: each a month-day every year has; the tracking form's after
 * its period's end (31 August). Example: { tracking: "9-15", selfEvaluation: "03-31" } → { deadlines:
 * { tracking: "09-15", selfEvaluation: "03-31" } }; { tracking: "08-15", … } → a problem.
 */
export function readFilingDeadlines(texts: Readonly<Record<FilingForm, string>>): { deadlines: FilingDeadlines } | { problems: Message[] } {
  const problems: Message[] = [];
  const read: Partial<FilingDeadlines> = {};
  for (const form of FILING_FORMS) {
    const value = texts[form].trim();
    const monthDay = readMonthDay(value);
    if (monthDay === null) problems.push(msg("tdDeadlineInvalid", { form: msg(FORM_NAME_KEYS[form]), value }));
    else if (form === "tracking" && monthDay <= "08-31") problems.push(msg("tdDeadlineTrackingTooEarly", { value: monthDay }));
    else read[form] = monthDay;
  }
  return problems.length > 0 ? { problems } : { deadlines: read as FilingDeadlines };
}

/**
 * The day a form of a fiscal year is due: filingDeadline("tracking", 2024, defaults) → "2024-09-15";
 * filingDeadline("selfEvaluation", 2024, defaults) → "2025-03-31".
 */
export function filingDeadline(form: FilingForm, fiscalYear: number, deadlines: Readonly<FilingDeadlines>): string {
  return `${form === "tracking" ? fiscalYear : fiscalYear + 1}-${deadlines[form]}`;
}

/** Whole days a form is late on a day: 0 on its deadline and before, 1 the day after. */
export function daysLate(deadline: string, today: string): number {
  return Math.max(0, daysBetween(deadline, today));
}

/**
 * The fiscal year whose forms of a kind the to-do list chases: the latest of the years given whose
 * deadline has passed (the current cycle), or null when none has. Older cycles stay on the lists
 * (/tracking, /self-evaluations) but leave the to-do list once a newer cycle is due. Example, the
 * tracking form with the default deadline and projects of 2023 and 2024: on 2024-09-15 → 2023; on
 * 2024-09-16 → 2024.
 */
export function chasedYear(form: FilingForm, fiscalYears: readonly number[], today: string, deadlines: Readonly<FilingDeadlines>): number | null {
  const passed = fiscalYears.filter((year) => daysLate(filingDeadline(form, year, deadlines), today) > 0);
  return passed.length === 0 ? null : Math.max(...passed);
}
