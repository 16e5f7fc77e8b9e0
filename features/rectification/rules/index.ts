import { addDays, daysBetween, isIsoDate } from "../../../domain/dates.ts";
import { textProblem } from "../../../domain/text.ts";
import { msg, type Message } from "../../../messages/index.ts";

/*
 * The rules of the rectification items (整改台账), pure: the default due date, the state shown (open,
 * done, overdue: computed, never stored), and the checks of what a user posts (closing with evidence,
 * a new due date, the plan's responses to open items).
 */

/** The forms items are raised from: an accepted year-end self-evaluation, or an accepted mid-year tracking form. */
export type FormSource = "self-evaluation" | "tracking";
/** Where an item comes from: one of the forms, or entered by a manager with its origin written out (an audit, …). */
export type RectificationSource = FormSource | "manual";
/** As stored: open, or done with its evidence. */
export type RectificationStatus = "open" | "done";

/** What the list shows and filters by: overdue is an open item past its due date. */
export type RectificationState = "open" | "done" | "overdue";
export const RECTIFICATION_STATES: readonly RectificationState[] = ["open", "overdue", "done"];
export const RECTIFICATION_SOURCES: readonly RectificationSource[] = ["self-evaluation", "tracking", "manual"];

/**
 * The settings holding the default due date of an item by its source, as "+Y-MM-DD": Y years after the
 * source form's fiscal year, on MM-DD. Defaults: a year-end self-evaluation's measure is due 30 June of
 * the next year (in time for that year's mid-year monitoring, which checks it); a mid-year tracking
 * form's is due 31 December of the same year (纠偏 within the year, before the year-end self-evaluation).
 */
export const DUE_SETTING_KEYS: Record<FormSource, string> = {
  "self-evaluation": "rectification_due_self_evaluation",
  tracking: "rectification_due_tracking",
};
export const DEFAULT_DUE_RULES: Record<FormSource, string> = {
  "self-evaluation": "+1-06-30",
  tracking: "+0-12-31",
};

const DUE_RULE = /^\+(\d)-(\d{2})-(\d{2})$/;

/**
 * The default due date of an item raised from a form of `formYear`, by the setting's rule (an unreadable
 * one: the default rule); a day past the month's end (29 February) falls back to the month's last day.
 * defaultDueDate("self-evaluation", 2024, undefined) → "2025-06-30".
 */
export function defaultDueDate(source: FormSource, formYear: number, setting: string | undefined): string {
  const match = DUE_RULE.exec(setting?.trim() ?? "") ?? DUE_RULE.exec(DEFAULT_DUE_RULES[source])!;
  const [, years, month, day] = match;
  const year = formYear + Number(years);
  for (let d = Number(day); d >= 28; d--) {
    const date = `${year}-${month}-${String(d).padStart(2, "0")}`;
    if (isIsoDate(date)) return date;
  }
  const fallback = DUE_RULE.exec(DEFAULT_DUE_RULES[source])!;
  return `${formYear + Number(fallback[1])}-${fallback[2]}-${fallback[3]}`;
}

/** Fewest days between raising an item and its due date: a form accepted late is not born overdue. */
export const MIN_DAYS_TO_DUE = 30;

/**
 * The due date of an item raised on `raisedOn`: the rule's date (defaultDueDate), or MIN_DAYS_TO_DUE days after
 * raising when the rule's date is sooner (a 2024 self-evaluation accepted on 2026-12-04: 2027-01-03, not
 * 2025-06-30 and 522 days overdue at once). raisedDueDate("2025-06-30", "2025-03-10") → "2025-06-30".
 */
export function raisedDueDate(ruleDate: string, raisedOn: string): string {
  const earliest = addDays(raisedOn, MIN_DAYS_TO_DUE);
  return ruleDate >= earliest ? ruleDate : earliest;
}

/** The state shown on `today`, and how many days an overdue item is late: itemState("open", "2025-06-30", "2025-07-02") → overdue, 2. */
export function itemState(status: RectificationStatus, dueOn: string, today: string): { state: RectificationState; daysOverdue: number } {
  if (status === "done") return { state: "done", daysOverdue: 0 };
  const late = daysBetween(dueOn, today);
  return late > 0 ? { state: "overdue", daysOverdue: late } : { state: "open", daysOverdue: 0 };
}

/** A date a user may post (due dates and evidence dates): a real date, 2001–2100. */
function plausibleDate(text: string): boolean {
  return isIsoDate(text) && text >= "2001-01-01" && text <= "2100-12-31";
}

export type CloseField = "evidence" | "evidenceOn";

/**
 * Field errors of a closing (none: it may close): the evidence in words is required (and a storable
 * text), its date a real date not after today and not before the evaluated year began (1 January of
 * `fiscalYear`: a measure cannot have been taken before the year it answers).
 */
export function closeErrors(input: { evidence: string; evidenceOn: string }, today: string, fiscalYear: number): Partial<Record<CloseField, Message>> {
  const errors: Partial<Record<CloseField, Message>> = {};
  const evidence = input.evidence.trim();
  if (evidence === "") errors.evidence = msg("rcEvidenceMissing");
  else {
    const problem = textProblem(evidence, msg("rcEvidence"));
    if (problem !== null) errors.evidence = problem;
  }
  const on = input.evidenceOn.trim();
  if (on === "") errors.evidenceOn = msg("rcEvidenceDateMissing");
  else if (!plausibleDate(on)) errors.evidenceOn = msg("rcDateInvalid", { date: on.slice(0, 20) });
  else if (on > today) errors.evidenceOn = msg("rcEvidenceDateFuture", { date: on, today });
  else if (on < `${fiscalYear}-01-01`) errors.evidenceOn = msg("rcEvidenceDateEarly", { date: on, year: fiscalYear });
  return errors;
}

export type AddField = "projectId" | "indicator" | "measure" | "origin" | "dueOn";

/** Longest 整改事项 of a hand-entered item: a heading, like an indicator's name; the details go in the measure. */
export const MAX_ISSUE = 200;

/** A required storable text's error, or null. */
function requiredText(text: string, missing: Message, label: Message): Message | null {
  const value = text.trim();
  return value === "" ? missing : textProblem(value, label);
}

/** The written fields of a hand-entered item (entered, or corrected). */
export type ItemTextField = "indicator" | "measure" | "origin";

/**
 * Field errors of a hand-entered item's texts (none: they may be kept): the issue (at most MAX_ISSUE characters),
 * what must be done and its origin written, each a storable text.
 */
export function itemTextErrors(input: { indicator: string; measure: string; origin: string }): Partial<Record<ItemTextField, Message>> {
  const errors: Partial<Record<ItemTextField, Message>> = {};
  const issue = input.indicator.trim();
  const indicator = issue.length > MAX_ISSUE ? msg("rcIndicatorTooLong", { max: MAX_ISSUE }) : requiredText(issue, msg("rcIndicatorMissing"), msg("rcAddIndicator"));
  if (indicator) errors.indicator = indicator;
  const measure = requiredText(input.measure, msg("rcMeasureMissing"), msg("rcAddMeasure"));
  if (measure) errors.measure = measure;
  const origin = requiredText(input.origin, msg("rcOriginMissing"), msg("rcAddOrigin"));
  if (origin) errors.origin = origin;
  return errors;
}

/**
 * Field errors of an item a manager enters by hand (none: it may be recorded): its texts (itemTextErrors); the
 * due date a real date, not before today (a new item is not born overdue). The project is checked by the service
 * (it must be within the manager's units).
 */
export function addItemErrors(input: { indicator: string; measure: string; origin: string; dueOn: string }, today: string): Partial<Record<AddField, Message>> {
  const errors: Partial<Record<AddField, Message>> = itemTextErrors(input);
  const on = input.dueOn.trim();
  if (on === "") errors.dueOn = msg("rcDueMissing");
  else if (!plausibleDate(on)) errors.dueOn = msg("rcDateInvalid", { date: on.slice(0, 20) });
  else if (on < today) errors.dueOn = msg("rcDueBeforeToday", { date: on, today });
  return errors;
}

/** The error of a reopening's reason, or null: required (a manager says what is still to be done), a storable text. */
export function reopenReasonError(text: string): Message | null {
  const reason = text.trim();
  if (reason === "") return msg("rcReopenReasonMissing");
  return textProblem(reason, msg("rcReopenReason"));
}

/** The error of a new due date, or null: a real date (2001–2100), not before the evaluated year began. */
export function dueDateError(text: string, fiscalYear: number): Message | null {
  const on = text.trim();
  if (on === "") return msg("rcDueMissing");
  if (!plausibleDate(on)) return msg("rcDateInvalid", { date: on.slice(0, 20) });
  return on < `${fiscalYear}-01-01` ? msg("rcDueEarly", { date: on, year: fiscalYear }) : null;
}

/** An open item a plan's adoption must answer. */
export interface OpenItemToAnswer {
  itemId: number;
  projectName: string;
  indicator: string;
  measure: string;
}

/** The form field of an item's response on the plan page: responseField(12) → "response:12". */
export function responseField(itemId: number): string {
  return `response:${itemId}`;
}

/**
 * The responses an adoption lacks or cannot store, as field errors (responseField → message), each
 * naming the item; empty when every open item has one.
 */
export function responseErrors(items: readonly OpenItemToAnswer[], responses: ReadonlyMap<number, string>): Record<string, Message> {
  const errors: Record<string, Message> = {};
  for (const item of items) {
    const text = (responses.get(item.itemId) ?? "").trim();
    const named = msg("rcItemName", { project: item.projectName, indicator: item.indicator });
    if (text === "") errors[responseField(item.itemId)] = msg("rcResponseMissing", { item: named });
    else {
      const problem = textProblem(text, msg("rcResponseOf", { item: named }));
      if (problem !== null) errors[responseField(item.itemId)] = problem;
    }
  }
  return errors;
}
