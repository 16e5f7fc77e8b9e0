import { daysBetween, isIsoDate } from "../../../domain/dates.ts";
import { money, parseAmount } from "../../../domain/money.ts";
import { textProblem } from "../../../domain/text.ts";
import { CalendarNotCoveredError, workingDaysBetween, type WorkCalendar } from "../../../domain/workdays.ts";
import { msg, type Message } from "../../../messages/index.ts";

/*
 * Settlement notices (结算通知书): a notice asks the town to transfer an amount by a due date; the transfer
 * payment that settles it says when it was paid. What a planner types is read into values or one problem
 * per field; a notice's state on a day is judged here:
 *
 *   paid-on-time / paid-late   paid (on or before the day), late by the calendar days after the due date
 *                              (as the project page counts late transfers): due 20 Jun, paid 2 Jul → 12 days
 *   overdue                    unpaid and past its due date, late by the calendar days since
 *   due-soon                   unpaid, due within the warning's working days (default 5; today counts as 0)
 *   open                       unpaid, due later
 *   unknown                    unpaid, due more than the warning's calendar days ahead in a year the
 *                              working-day calendar does not cover (the calendar's message says so)
 */

export const NOTICE_STATES = ["paid-on-time", "paid-late", "overdue", "due-soon", "open", "unknown"] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

/** A notice's state on a day, with its days late (calendar days) or working days left. */
export interface NoticeStatus {
  state: NoticeState;
  /** Calendar days after the due date that it was paid (paid-late) or has stood unpaid (overdue); else 0. */
  daysLate: number;
  /** Working days from the day up to and including the due date (unpaid, not overdue); null when not counted. */
  workingDaysLeft: number | null;
  /** Why the working days could not be counted (unknown, or due-soon by calendar days alone). */
  problem: Message | null;
}

/**
 * A notice's state on `today`, given the day its settling payment was paid (null: none). Example (马桥 2024):
 * noticeStatus({ dueOn: "2024-06-20", paidOn: "2024-07-02" }, "2024-12-31", 5, calendar) → paid-late, 12 days.
 */
export function noticeStatus(notice: { dueOn: string; paidOn: string | null }, today: string, warningDays: number, calendar: WorkCalendar): NoticeStatus {
  if (notice.paidOn !== null && notice.paidOn <= today) {
    const daysLate = Math.max(0, daysBetween(notice.dueOn, notice.paidOn));
    return { state: daysLate > 0 ? "paid-late" : "paid-on-time", daysLate, workingDaysLeft: null, problem: null };
  }
  if (today > notice.dueOn) return { state: "overdue", daysLate: daysBetween(notice.dueOn, today), workingDaysLeft: null, problem: null };
  try {
    const left = workingDaysBetween(today, notice.dueOn, calendar);
    return { state: left <= warningDays ? "due-soon" : "open", daysLate: 0, workingDaysLeft: left, problem: null };
  } catch (error) {
    if (!(error instanceof CalendarNotCoveredError)) throw error;
    // Never more working days than calendar days: within the warning's calendar days it is due soon for certain.
    const state = daysBetween(today, notice.dueOn) <= warningDays ? "due-soon" : "unknown";
    return { state, daysLate: 0, workingDaysLeft: null, problem: error.problem };
  }
}

/** A notice counted in a timeliness summary: paid late or still unpaid past its due date on the day. */
export interface LateNotice {
  title: string;
  dueOn: string;
  /** The settling payment's day (null: unpaid on the day). */
  paidOn: string | null;
  daysLate: number;
}

/** The settlement notices of a period as the forms' 时效指标 offer reads them (noticeTimeliness). */
export interface NoticeTimeliness {
  /** The day they were judged on. */
  on: string;
  /** Notices judged on the day: paid by it, or unpaid past their due date. */
  count: number;
  onTime: number;
  /** Paid after their due date, by due date. */
  paidLate: LateNotice[];
  /** Unpaid on the day and past their due date, by due date. */
  overdue: LateNotice[];
}

/**
 * The notices that count for a 时效指标 on a day (the end of the form's period), judged by noticeStatus: paid by
 * the day (on time or late) or unpaid past their due date; null when none. Unpaid ones not yet past their due
 * date are not judged. 马桥 2024 on 31 December: 2 notices, both paid late (20 Jun → 2 Jul, 12 days; 14 Nov → 15 Nov, 1 day),
 * which is why seeds/001's evaluators gave 救助资金发放及时性 部分达成 although every batch was on time.
 */
export function noticeTimeliness(
  notices: ReadonlyArray<{ title: string; dueOn: string; paidOn: string | null }>,
  day: string,
  warningDays: number,
  calendar: WorkCalendar,
): NoticeTimeliness | null {
  const result: NoticeTimeliness = { on: day, count: 0, onTime: 0, paidLate: [], overdue: [] };
  for (const notice of [...notices].sort((a, b) => a.dueOn.localeCompare(b.dueOn))) {
    const status = noticeStatus(notice, day, warningDays, calendar);
    const late = { title: notice.title, dueOn: notice.dueOn, paidOn: status.state === "paid-late" ? notice.paidOn : null, daysLate: status.daysLate };
    if (status.state === "paid-on-time") result.onTime++;
    else if (status.state === "paid-late") result.paidLate.push(late);
    else if (status.state === "overdue") result.overdue.push(late);
    else continue; // unpaid and not yet due: not judged
    result.count++;
  }
  return result.count > 0 ? result : null;
}

/** The fields of the notice form, in its order. */
export const NOTICE_FIELDS = ["projectId", "documentNumber", "title", "issuer", "amount", "issuedOn", "dueOn", "paymentId", "note"] as const;
export type NoticeField = (typeof NOTICE_FIELDS)[number];
export type NoticeErrors = Partial<Record<NoticeField, Message>>;

/** A notice as read from the form: text trimmed, the amount a 2-decimal string in 元, dates YYYY-MM-DD. */
export interface NoticeValues {
  projectId: number;
  documentNumber: string | null;
  title: string;
  issuer: string;
  amount: string;
  issuedOn: string | null;
  dueOn: string;
  /** The settling transfer's id, or null while unpaid. */
  paymentId: string | null;
  note: string | null;
}

const MAX_LENGTH = { documentNumber: 200, title: 500, issuer: 200, note: 4000 } as const;
const LABELS = {
  projectId: "pmColProject",
  documentNumber: "pmColDocumentNumber",
  title: "pmColTitle",
  issuer: "pmColIssuer",
  amount: "pmColAmount",
  issuedOn: "pmColIssuedOn",
  dueOn: "pmColDueOn",
  paymentId: "pmColPayment",
  note: "pmColNote",
} as const;

/** A date typed into the form: YYYY-MM-DD, a real day of 2000–2100. */
function dateProblem(text: string): Message | null {
  if (!isIsoDate(text)) return msg("pmErrDate", { text });
  const year = Number(text.slice(0, 4));
  return year < 2000 || year > 2100 ? msg("pmErrDate", { text }) : null;
}

/**
 * Reads the notice form; every problem is named at its field. parseNoticeForm({ projectId: "3", title: "关于医疗救助资金结算通知书",
 * issuer: "闵行区医疗保障局", amount: "32,880", dueOn: "2024-06-20", … }) → { values: { amount: "32880.00", … } }.
 */
export function parseNoticeForm(raw: Readonly<Partial<Record<NoticeField, string>>>): { values: NoticeValues } | { errors: NoticeErrors } {
  const errors: NoticeErrors = {};
  const trimmed = (field: NoticeField) => (raw[field] ?? "").trim();
  const text = (field: keyof typeof MAX_LENGTH, required: boolean): string | null => {
    const value = trimmed(field);
    if (value === "") {
      if (required) errors[field] = msg("pmErrRequired");
      return null;
    }
    const problem = value.length > MAX_LENGTH[field] ? msg("pmErrTooLong", { max: MAX_LENGTH[field] }) : textProblem(value, msg(LABELS[field]));
    if (problem) errors[field] = problem;
    return value;
  };
  const projectText = trimmed("projectId");
  if (!/^\d{1,9}$/.test(projectText) || Number(projectText) === 0) errors.projectId = msg("pmErrProject");
  const documentNumber = text("documentNumber", false);
  const title = text("title", true);
  const issuer = text("issuer", true);
  const note = text("note", false);
  let amount = "";
  const parsed = parseAmount(trimmed("amount"));
  if ("problem" in parsed) errors.amount = parsed.problem;
  else if (!money(parsed.amount).greaterThan(0)) errors.amount = msg("pmErrAmountPositive");
  else amount = parsed.amount;
  const dueOn = trimmed("dueOn");
  if (dueOn === "") errors.dueOn = msg("pmErrRequired");
  else if (dateProblem(dueOn)) errors.dueOn = dateProblem(dueOn)!;
  const issuedOn = trimmed("issuedOn") || null;
  if (issuedOn !== null) {
    const problem = dateProblem(issuedOn);
    if (problem) errors.issuedOn = problem;
    else if (errors.dueOn === undefined && issuedOn > dueOn) errors.issuedOn = msg("pmErrIssuedAfterDue", { issued: issuedOn, due: dueOn });
  }
  const paymentText = trimmed("paymentId");
  if (paymentText !== "" && !/^\d{1,18}$/.test(paymentText)) errors.paymentId = msg("pmErrPayment");
  if (Object.keys(errors).length > 0) return { errors };
  return {
    values: { projectId: Number(projectText), documentNumber, title: title!, issuer: issuer!, amount, issuedOn, dueOn, paymentId: paymentText || null, note },
  };
}
