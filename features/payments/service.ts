import type { DB } from "../../db/pool.ts";
import { withActor, type AuditActor } from "../../db/audit.ts";
import { loadWorkCalendar } from "../../db/work-calendar.ts";
import { decide, roleAllows, type Role } from "../../domain/permissions.ts";
import { isIsoDate, todayInChina } from "../../domain/dates.ts";
import { msg, type Message } from "../../messages/index.ts";
import { judgeBatch, monthlyTimeliness, nextMonth, timelinessTotal, type BatchTimeliness, type MonthTimeliness } from "./rules/batch-timeliness.ts";
import { batchRulesProblems, NOTICE_WARNING_BOUNDS, typedTimeRules, type BatchRuleField, type BatchRules, type TimeRuleField } from "./rules/settings.ts";
import { batchReports, batchStepDates, projectBatches, setBatchReport, type BatchStepDates } from "./queries/batches.ts";
import { getBatchRules, getNoticeWarningDays, setBatchRules, setNoticeWarningDays } from "./queries/settings.ts";
import { projectNotices } from "./queries/notices.ts";
import { noticeTimeliness, type NoticeTimeliness } from "./rules/notices.ts";

/*
 * The timeliness of a project's payment batches (社会化发放) against the rules in force (settings, by default
 * 闵医保规发〔2022〕1号), counted on the working-day calendar:
 *
 *   batchTimeliness(db, payments)                   each listed batch's step dates and its judgement, per rule
 *   projectTimeliness(db, projectId, { from, to })  per month of the period: 及时率, cadence, report due; and the total
 *   recordBatchReport(db, actor, input)             a month's 备案 date (planners of the project's unit)
 *   timelinessOffer(db, projectId, year, to)        what the tracking and self-evaluation forms offer a 时效指标: the
 *                                                   batches' 及时率 and the settlement notices' transfers
 *   timeRules(db) / saveTimeRules(db, actor, input)  the rules and the notices' warning days as settings (administrators)
 *
 * Settlement notices (结算通知书): ./notices.ts.
 */

export type { BatchRules, TimeRuleField } from "./rules/settings.ts";
export { TIME_RULE_FIELDS } from "./rules/settings.ts";
export type { BatchTimeliness, MonthTimeliness, RuleJudgement } from "./rules/batch-timeliness.ts";

/** A listed batch's step dates and, where the batch has any, its judgement. */
export interface BatchTimelinessView extends BatchStepDates {
  timeliness: BatchTimeliness | null;
}

/** The step dates and judgement of the listed payments that are batches, by payment id. */
export async function batchTimeliness(
  db: DB,
  payments: ReadonlyArray<{ id: string; kind: string; paidOn: string }>,
): Promise<{ batches: Record<string, BatchTimelinessView>; rules: BatchRules }> {
  const listed = payments.filter((payment) => payment.kind === "batch");
  const [dates, rules] = await Promise.all([
    batchStepDates(
      db,
      listed.map((payment) => payment.id),
    ),
    getBatchRules(db),
  ]);
  const anyDated = [...dates.values()].some((step) => step.acceptedOn !== null || step.reviewedOn !== null || step.approvedOn !== null);
  const calendar = anyDated ? await loadWorkCalendar(db) : null;
  const batches: Record<string, BatchTimelinessView> = {};
  for (const payment of listed) {
    const step = dates.get(payment.id) ?? { acceptedOn: null, reviewedOn: null, approvedOn: null };
    const dated = step.acceptedOn !== null || step.reviewedOn !== null || step.approvedOn !== null;
    batches[payment.id] = { ...step, timeliness: dated && calendar ? judgeBatch({ paidOn: payment.paidOn, ...step }, rules, calendar) : null };
  }
  return { batches, rules };
}

/** The months YYYY-MM from one date's month to another's. */
function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from.slice(0, 7); month <= to.slice(0, 7); month = nextMonth(month)) months.push(month);
  return months;
}

/**
 * The project's batches paid from `from` to `to` (inclusive), per month of that period and in total: batches,
 * on time, late, not judged in full, 及时率 (on time ÷ batches, 2 decimals), the cadence and the report's due day;
 * and how many of them carry step dates at all (none: the unit does not record them, nothing to show).
 * Example (马桥 2024, the demo): 26 batches in 12 months, all on time → 100.00, every month's cadence met.
 */
export async function projectTimeliness(
  db: DB,
  projectId: number,
  period: { from: string; to: string },
): Promise<{ months: MonthTimeliness[]; total: ReturnType<typeof timelinessTotal>; datedBatches: number; rules: BatchRules }> {
  if (period.to < period.from) return { months: [], total: timelinessTotal([]), datedBatches: 0, rules: await getBatchRules(db) };
  const [{ counts, dated }, reports, rules, calendar] = await Promise.all([
    projectBatches(db, projectId, period.from, period.to),
    batchReports(db, projectId, period.from, period.to),
    getBatchRules(db),
    loadWorkCalendar(db),
  ]);
  const months = monthlyTimeliness({ months: monthsBetween(period.from, period.to), batchCounts: counts, dated, reports }, rules, calendar);
  return { months, total: timelinessTotal(months), datedBatches: dated.length, rules };
}

/**
 * What the ledger says of a project's timeliness from 1 January to a day, as the forms offer it beside a 时效指标:
 * the batches (社会化发放) with their 及时率, and the settlement notices' transfers (区镇资金结算划拨) — 马桥 2024
 * had every batch on time but two transfers late, which is what its evaluators marked down (seeds/001 C31).
 */
export interface TimelinessOffer {
  from: string;
  to: string;
  /** The batches paid in the period; null when none carries step dates (the unit does not record them). */
  batch: { batches: number; onTime: number; late: number; incomplete: number; /** 及时率 = on time ÷ batches × 100, 2 decimals. */ rate: string } | null;
  /** The project's settlement notices judged on `to` (today, while `to` is ahead); null when none is due or paid by then. */
  notices: NoticeTimeliness | null;
}

/**
 * What the tracking form (period end) and the self-evaluation sheet (31 December) offer a 时效指标: the 及时率
 * of the project's batches paid from 1 January of its year to `to`, and its settlement notices as they stand on
 * `to` (today, while `to` is still ahead); null when there is neither (nothing to offer, rather than 0%).
 */
export async function timelinessOffer(db: DB, projectId: number, fiscalYear: number, to: string): Promise<TimelinessOffer | null> {
  const from = `${fiscalYear}-01-01`;
  const [{ total, datedBatches }, notices, calendar, warningDays] = await Promise.all([
    projectTimeliness(db, projectId, { from, to }),
    projectNotices(db, projectId),
    loadWorkCalendar(db),
    getNoticeWarningDays(db),
  ]);
  const batch =
    datedBatches === 0 || total.rate === null
      ? null
      : { batches: total.batches, onTime: total.onTime, late: total.late, incomplete: total.incomplete, rate: total.rate };
  // Notices as they stand at the period's end, or today while that is still ahead (a notice is not late before its day).
  const today = todayInChina();
  const judged = noticeTimeliness(notices, to < today ? to : today, warningDays, calendar);
  return batch === null && judged === null ? null : { from, to, batch, notices: judged };
}

/** The time rules in force: the batch rules and the working days before a notice's due date that it is due soon. */
export async function timeRules(db: DB): Promise<{ rules: BatchRules; warningDays: number }> {
  const [rules, warningDays] = await Promise.all([getBatchRules(db), getNoticeWarningDays(db)]);
  return { rules, warningDays };
}

/**
 * Stores the time rules (administrators; audited as every setting): refused with one problem per field
 * (warningDays among them) when a value cannot be kept, writing nothing.
 */
export async function saveTimeRules(
  db: DB,
  actor: AuditActor & { roles: readonly Role[] },
  input: { rules: Readonly<Record<BatchRuleField, unknown>>; warningDays: unknown },
): Promise<{ kind: "done" } | { kind: "refused"; status: 400 | 403; errors: Partial<Record<BatchRuleField | "warningDays", Message>> }> {
  if (!roleAllows(actor.roles, "administer")) return { kind: "refused", status: 403, errors: {} };
  const errors: Partial<Record<BatchRuleField | "warningDays", Message>> = batchRulesProblems(input.rules);
  const [low, high] = NOTICE_WARNING_BOUNDS;
  const days = input.warningDays;
  if (typeof days !== "number" || !Number.isInteger(days) || days < low || days > high) errors.warningDays = msg("pmRuleWhole", { low, high });
  if (Object.keys(errors).length > 0) return { kind: "refused", status: 400, errors };
  await withActor(db, actor, async (trx) => {
    await setBatchRules(trx, input.rules as BatchRules);
    await setNoticeWarningDays(trx, days as number);
  });
  return { kind: "done" };
}

/** The time rules as typed on /admin (texts by field): read (typedTimeRules) and stored as saveTimeRules does. */
export async function changeTimeRules(db: DB, actor: AuditActor & { roles: readonly Role[] }, texts: Readonly<Record<TimeRuleField, string>>) {
  return saveTimeRules(db, actor, typedTimeRules(texts));
}

/**
 * Records a month's 备案 date (the day its batches were reported to the district centre), or clears it with "":
 * planners of the project's unit; the month one of the project's year, the day from the month's first to today
 * (China); refused when the date changed since the page showed `previous`. Audited.
 */
export async function recordBatchReport(
  db: DB,
  actor: AuditActor & { roles: readonly Role[]; unitSubtree: readonly number[] },
  input: { project: { id: number; unitId: number; fiscalYear: number }; month: string; reportedOn: string; previous: string; today?: string },
): Promise<{ kind: "done" } | { kind: "refused"; status: 400 | 403 | 409; error: Message }> {
  if (decide({ roles: actor.roles, unitSubtree: new Set(actor.unitSubtree) }, "edit-payment", input.project.unitId) !== "allowed") {
    return { kind: "refused", status: 403, error: msg("pmForbidden") };
  }
  const { month } = input;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month) || !month.startsWith(`${input.project.fiscalYear}-`)) return { kind: "refused", status: 400, error: msg("pmReportMonth") };
  const reportedOn = input.reportedOn.trim() === "" ? null : input.reportedOn.trim();
  const today = input.today ?? todayInChina();
  if (reportedOn !== null && (!isIsoDate(reportedOn) || reportedOn < `${month}-01` || reportedOn > today)) {
    return { kind: "refused", status: 400, error: msg("pmReportDate", { month, today }) };
  }
  const previous = input.previous.trim() === "" ? null : input.previous.trim();
  const saved = await withActor(db, actor, (trx) => setBatchReport(trx, input.project.id, month, reportedOn, previous));
  return saved ? { kind: "done" } : { kind: "refused", status: 409, error: msg("pmChangedMeanwhile") };
}
