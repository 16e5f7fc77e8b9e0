import type { DB } from "../../db/pool.ts";
import { withActor } from "../../db/audit.ts";
import { loadWorkCalendar } from "../../db/work-calendar.ts";
import { todayInChina } from "../../domain/dates.ts";
import { decide, roleAllows, type Role } from "../../domain/permissions.ts";
import { msg, type Message } from "../../messages/index.ts";
import { noticeStatus, parseNoticeForm, type NoticeErrors, type NoticeField, type NoticeState, type NoticeStatus, type NoticeValues } from "./rules/notices.ts";
import { getNoticeWarningDays } from "./queries/settings.ts";
import {
  deleteNotice,
  findSettlingPayment,
  getNotice,
  insertNotice,
  listNotices,
  noticeYears,
  projectChoices,
  transferChoices,
  updateNotice,
  type NoticeProjectChoice,
  type NoticeRow,
  type TransferChoice,
} from "./queries/notices.ts";
import { getProjectHeader } from "../../db/projects.ts";

/*
 * The settlement notices (结算通知书, /notices) as the route, the dashboard and the to-do list use them. Everyone
 * reads the notices of their units; the planners of a project's unit enter, correct and delete them, each in
 * one transaction under the acting user (audited), the role and the unit checked on the server, a change
 * guarded by the notice's version:
 *
 *   noticesPage(db, user, filter)            the register of a year with each notice's state, and the form's choices
 *   noticesDue(db, { unitSubtree, today })   unpaid notices due within the warning's working days, and overdue ones
 *   createNotice / correctNotice / removeNotice(db, actor, …)
 *
 * Notices also come from files (./notice-import.ts: checked row by row, all written or none); they are not a kind
 * of the ledger's import (features/import: staging, undo), being few and corrected here one by one.
 */

/** Who acts: for the audit trail, the role check and the unit check. */
export interface NoticeActor {
  userId: number | null;
  username: string;
  roles: readonly Role[];
  /** The user's unit and every unit below it. */
  unitSubtree: readonly number[];
}

/** A notice with its state on the day and what the user may do with it. */
export interface NoticeView extends NoticeRow {
  status: NoticeStatus;
  /** The settling payment's amount is not the notice's. */
  amountDiffers: boolean;
  canEdit: boolean;
}

/** The register's state filter: unpaid (overdue, due soon, later), due soon, overdue, late (paid late or overdue). */
export const NOTICE_FILTERS = ["unpaid", "due-soon", "overdue", "late"] as const;
export type NoticeFilter = (typeof NOTICE_FILTERS)[number];

const FILTERED: Record<NoticeFilter, readonly NoticeState[]> = {
  unpaid: ["overdue", "due-soon", "open", "unknown"],
  "due-soon": ["due-soon"],
  overdue: ["overdue"],
  late: ["overdue", "paid-late"],
};

const mayEdit = (user: Pick<NoticeActor, "roles" | "unitSubtree">, unitId: number) =>
  decide({ roles: user.roles, unitSubtree: new Set(user.unitSubtree) }, "edit-payment", unitId) === "allowed";

async function views(
  db: DB,
  rows: readonly NoticeRow[],
  user: Pick<NoticeActor, "roles" | "unitSubtree">,
  today: string,
): Promise<{ notices: NoticeView[]; warningDays: number }> {
  const [calendar, warningDays] = await Promise.all([loadWorkCalendar(db), getNoticeWarningDays(db)]);
  const notices = rows.map((row) => ({
    ...row,
    status: noticeStatus({ dueOn: row.dueOn, paidOn: row.paidOn }, today, warningDays, calendar),
    amountDiffers: row.paidAmount !== null && row.paidAmount !== row.amount,
    canEdit: mayEdit(user, row.unitId),
  }));
  return { notices, warningDays };
}

/**
 * The register of the units (within the user's) for a fiscal year (default: the latest with notices or
 * transfers), filtered by state as of today; with the projects and transfers the form offers the user.
 */
export async function noticesPage(
  db: DB,
  user: Pick<NoticeActor, "roles" | "unitSubtree">,
  filter: { unitIds: readonly number[]; year?: number; state?: NoticeFilter; today?: string },
): Promise<{
  notices: NoticeView[];
  years: number[];
  year: number | null;
  today: string;
  warningDays: number;
  projects: NoticeProjectChoice[];
  transfers: TransferChoice[];
}> {
  const today = filter.today ?? todayInChina();
  const own = new Set(user.unitSubtree);
  const unitIds = filter.unitIds.filter((id) => own.has(id));
  const years = await noticeYears(db, unitIds);
  const year = filter.year ?? years[0] ?? null;
  const rows = year === null ? [] : await listNotices(db, { unitIds, year });
  const { notices, warningDays } = await views(db, rows, user, today);
  const shown = filter.state === undefined ? notices : notices.filter((notice) => FILTERED[filter.state!].includes(notice.status.state));
  const projects = year === null ? [] : (await projectChoices(db, unitIds, year)).filter((project) => mayEdit(user, project.unitId));
  const transfers = await transferChoices(
    db,
    projects.map((project) => project.id),
  );
  return { notices: shown, years, year, today, warningDays, projects, transfers };
}

/**
 * The notices to act on as of a day (today in China unless given): unpaid and due within the warning's
 * working days (soonest first), unpaid and overdue (most overdue first), and unpaid ones whose working
 * days cannot be counted (a year the calendar does not cover). For the dashboard and the to-do list.
 */
export async function noticesDue(
  db: DB,
  options: { unitSubtree: readonly number[]; today?: string },
): Promise<{ today: string; warningDays: number; dueSoon: NoticeView[]; overdue: NoticeView[]; unknown: NoticeView[] }> {
  const today = options.today ?? todayInChina();
  const rows = await listNotices(db, { unitIds: options.unitSubtree, unpaidBy: today });
  const { notices, warningDays } = await views(db, rows, { roles: [], unitSubtree: [] }, today);
  const inState = (state: NoticeState) => notices.filter((notice) => notice.status.state === state);
  return {
    today,
    warningDays,
    dueSoon: inState("due-soon").sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.id - b.id),
    overdue: inState("overdue").sort((a, b) => b.status.daysLate - a.status.daysLate || a.id - b.id),
    unknown: inState("unknown"),
  };
}

export type NoticeOutcome =
  { kind: "done"; message: Message; noticeId: number | null } | { kind: "refused"; status: 400 | 403 | 404 | 409; message: Message; errors: NoticeErrors };

const refused = (status: 400 | 403 | 404 | 409, message: Message, errors: NoticeErrors = {}): NoticeOutcome => ({ kind: "refused", status, message, errors });

/** The refusal when the actor may not change a record of the unit (or null when allowed). */
function unitRefusal(actor: NoticeActor, unitId: number): NoticeOutcome | null {
  return mayEdit(actor, unitId) ? null : refused(403, msg("pmOutOfUnit"));
}

/** The project a notice names, when the actor may enter notices for it; or the refusal. */
async function projectFor(db: DB, actor: NoticeActor, projectId: number): Promise<{ unitId: number } | NoticeOutcome> {
  const project = await getProjectHeader(db, projectId);
  if (!project) return refused(400, msg("pmRefused"), { projectId: msg("pmErrProject") });
  return unitRefusal(actor, project.unitId) ?? { unitId: project.unitId };
}

/** Why a payment cannot settle the notice (at the payment field), or null. */
async function paymentProblem(db: DB, values: NoticeValues, noticeId: number | null): Promise<Message | null> {
  if (values.paymentId === null) return null;
  const payment = await findSettlingPayment(db, values.paymentId);
  if (!payment || payment.projectId !== values.projectId) return msg("pmErrPaymentProject");
  if (payment.kind !== "transfer" || payment.reversal) return msg("pmErrPaymentKind");
  if (payment.settles !== null && payment.settles !== noticeId) return msg("pmErrPaymentTaken", { notice: payment.settles });
  return null;
}

const isOutcome = (value: object): value is NoticeOutcome => "kind" in value;

/** Whether the database refused a write because another change came first (the payment taken, the project or notice gone). */
export function changedMeanwhile(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "23505" || code === "23514" || code === "23503";
}

/** A write refused by the database because another change came first: 409; any other error is thrown on. */
function conflict(error: unknown): NoticeOutcome {
  if (changedMeanwhile(error)) return refused(409, msg("pmChangedMeanwhile"));
  throw error;
}

/** Reads the form and checks the payment: the values, or the refusal with the problems at their fields. */
async function checkedValues(db: DB, raw: Readonly<Partial<Record<NoticeField, string>>>, noticeId: number | null): Promise<NoticeValues | NoticeOutcome> {
  const parsed = parseNoticeForm(raw);
  if ("errors" in parsed) return refused(400, msg("pmRefused"), parsed.errors);
  const problem = await paymentProblem(db, parsed.values, noticeId);
  return problem === null ? parsed.values : refused(400, msg("pmRefused"), { paymentId: problem });
}

/** Enters a notice (planners of the project's unit). */
export async function createNotice(db: DB, actor: NoticeActor, raw: Readonly<Partial<Record<NoticeField, string>>>): Promise<NoticeOutcome> {
  if (!roleAllows(actor.roles, "edit-payment")) return refused(403, msg("pmForbidden"));
  const projectText = (raw.projectId ?? "").trim();
  if (/^\d{1,9}$/.test(projectText)) {
    const project = await projectFor(db, actor, Number(projectText));
    if (isOutcome(project)) return project;
  }
  const values = await checkedValues(db, raw, null);
  if (isOutcome(values)) return values;
  try {
    const id = await withActor(db, actor, (trx) => insertNotice(trx, values));
    return { kind: "done", message: msg("pmNoticeSaved", { title: values.title }), noticeId: id };
  } catch (error) {
    return conflict(error);
  }
}

/** The notice the actor may change (role, then the notice, then its unit), or the refusal. */
async function noticeFor(db: DB, actor: NoticeActor, noticeId: number | null): Promise<NoticeRow | NoticeOutcome> {
  if (!roleAllows(actor.roles, "edit-payment")) return refused(403, msg("pmForbidden"));
  const notice = noticeId === null ? undefined : await getNotice(db, noticeId);
  if (!notice) return refused(404, msg("pmNoticeNotFound"));
  return unitRefusal(actor, notice.unitId) ?? notice;
}

/** Corrects a notice the page showed at `version`. */
export async function correctNotice(
  db: DB,
  actor: NoticeActor,
  input: { noticeId: number | null; version: number | null; values: Readonly<Partial<Record<NoticeField, string>>> },
): Promise<NoticeOutcome> {
  const notice = await noticeFor(db, actor, input.noticeId);
  if (isOutcome(notice)) return notice;
  if (input.version === null) return refused(400, msg("pmVersionInvalid"));
  const projectText = (input.values.projectId ?? "").trim();
  if (/^\d{1,9}$/.test(projectText) && Number(projectText) !== notice.projectId) {
    const project = await projectFor(db, actor, Number(projectText));
    if (isOutcome(project)) return project;
  }
  const values = await checkedValues(db, input.values, notice.id);
  if (isOutcome(values)) return values;
  try {
    const saved = await withActor(db, actor, (trx) => updateNotice(trx, notice.id, input.version!, values));
    return saved ? { kind: "done", message: msg("pmNoticeCorrected", { title: values.title }), noticeId: notice.id } : refused(409, msg("pmChangedMeanwhile"));
  } catch (error) {
    return conflict(error);
  }
}

/** Deletes a notice the page showed at `version`. */
export async function removeNotice(db: DB, actor: NoticeActor, input: { noticeId: number | null; version: number | null }): Promise<NoticeOutcome> {
  const notice = await noticeFor(db, actor, input.noticeId);
  if (isOutcome(notice)) return notice;
  if (input.version === null) return refused(400, msg("pmVersionInvalid"));
  const deleted = await withActor(db, actor, (trx) => deleteNotice(trx, notice.id, input.version!));
  return deleted ? { kind: "done", message: msg("pmNoticeDeleted", { title: notice.title }), noticeId: null } : refused(409, msg("pmChangedMeanwhile"));
}
