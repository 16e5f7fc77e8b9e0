import { noticesDue } from "../payments/notices.ts";
import type { DB } from "../../db/pool.ts";
import { roleAllows } from "../../domain/permissions.ts";
import { getFilingDeadlines, type FilingDeadlines } from "../../db/settings.ts";
import { todayInChina } from "../../domain/dates.ts";
import type { Role } from "../../domain/permissions.ts";
import type { TrackingFormStatus } from "../../db/schema.ts";
import { listSubmissions, listUnfiled, type SubmissionRow } from "../tracking/queries/lists.ts";
import { listUnfiledSelfEvaluations } from "../self-evaluation/queries/lists.ts";
import { overdueRectification } from "../rectification/service.ts";
import { projectYears, sheetsInStates, type SheetInState } from "./queries/forms.ts";
import {
  byUrgency,
  chasedYear,
  countByKind,
  deadlinePeriodEnd,
  formEntries,
  noticeEntries,
  rectificationEntries,
  todoKindsFor,
  type DueNotice,
  type FilingForm,
  type FormFact,
  type TodoEntry,
  type TodoKind,
} from "./rules/index.ts";

/*
 * The to-do list (待办事项) of a user, for the home page's panel and /todo: per the user's roles and within
 * the user's units, the forms returned to them, the forms waiting for their review, the forms not filed
 * after their deadline (settings on /admin), the overdue rectification items and, once a source is given,
 * the settlement notices due soon; each entry links to the page where it is done, most urgent first.
 *
 *   todoList(db, user, { today, year, notices })   the entries and their counts per kind
 *
 * Which kinds a role gets, the deadlines and the order: rules/ (pure, tested).
 */

export { TODO_KINDS, type DueNotice, type TodoEntry, type TodoKind } from "./rules/index.ts";

/** The user as the to-do list sees them: roles, and the unit with the units below it. */
export interface TodoUser {
  roles: readonly Role[];
  unitSubtree: readonly number[];
}

/**
 * Where the settlement notices due soon or overdue and unpaid come from (结算通知书, features/payments):
 * by default the register's noticesDue, mapped to the list's entries; tests may pass another.
 */
export type DueNoticeSource = (db: DB, options: { unitSubtree: readonly number[]; today: string }) => Promise<readonly DueNotice[]>;

export interface TodoOptions {
  /** Today in China (todayInChina()) unless given: the day deadlines are judged on. */
  today?: string;
  /**
   * The fiscal year whose unfiled forms are chased; by default each form's current cycle: the latest
   * year of the user's projects whose deadline has passed (rules: chasedYear).
   */
  year?: number;
  /** The settlement notices due soon (see DueNoticeSource); the register's by default. */
  notices?: DueNoticeSource;
}

/** A user's to-do list: every entry by urgency, the counts per kind, and the day it was judged on. */
export interface TodoList {
  today: string;
  entries: TodoEntry[];
  counts: Record<TodoKind, number>;
  deadlines: FilingDeadlines;
  /** Whether the user fills forms (submitters): else a late or returned form is theirs to look at and chase, not to fill. */
  mayFile: boolean;
}

const trackingFact = (row: SubmissionRow): FormFact => ({
  form: "tracking",
  projectId: row.projectId,
  project: row.projectName,
  fiscalYear: row.fiscalYear,
  unit: row.unitName,
  status: row.status,
  periodEnd: row.periodEnd,
  updatedAt: row.updatedAt,
  acceptedBefore: row.revision > 1,
});

const sheetFact = (row: SheetInState): FormFact => ({
  form: "selfEvaluation",
  projectId: row.projectId,
  project: row.project,
  fiscalYear: row.fiscalYear,
  unit: row.unit,
  status: row.status,
  periodEnd: null,
  updatedAt: row.updatedAt,
});

/** The tracking forms' latest revisions of the units in the states (of one year when given). */
async function trackingInStates(db: DB, unitIds: readonly number[], states: readonly TrackingFormStatus[], year?: number): Promise<FormFact[]> {
  const lists = await Promise.all(states.map((status) => listSubmissions(db, { unitIds, status, year })));
  return lists.flat().map(trackingFact);
}

/**
 * The forms the kinds need: returned (for their fillers, and for the chased year's unfiled), under review,
 * and, of the chased years, drafts and projects without a form.
 */
async function formFacts(db: DB, unitIds: readonly number[], kinds: ReadonlySet<TodoKind>, chased: Record<FilingForm, number | null>): Promise<FormFact[]> {
  const returned = kinds.has("returned") || kinds.has("unfiled");
  const review = kinds.has("review");
  const unfiledOf = (form: FilingForm) => (kinds.has("unfiled") ? chased[form] : null);
  const trackingYear = unfiledOf("tracking");
  const sheetYear = unfiledOf("selfEvaluation");
  const parts = await Promise.all([
    trackingInStates(db, unitIds, [...(returned ? (["returned"] as const) : []), ...(review ? (["submitted", "resubmitted"] as const) : [])]),
    sheetsInStates(db, { unitIds, states: [...(returned ? (["returned"] as const) : []), ...(review ? (["submitted", "resubmitted"] as const) : [])] }).then((rows) => rows.map(sheetFact)),
    trackingYear === null
      ? []
      : trackingInStates(db, unitIds, ["draft"], trackingYear).then((facts) => facts.filter((fact) => fact.periodEnd === deadlinePeriodEnd(trackingYear))),
    trackingYear === null
      ? []
      : listUnfiled(db, { unitIds, year: trackingYear }).then((rows) =>
          rows.map((row): FormFact => ({ form: "tracking", projectId: row.projectId, project: row.projectName, fiscalYear: row.fiscalYear, unit: row.unitName, status: null, periodEnd: row.periodEnd, updatedAt: null })),
        ),
    sheetYear === null ? [] : sheetsInStates(db, { unitIds, states: ["draft"], year: sheetYear }).then((rows) => rows.map(sheetFact)),
    sheetYear === null
      ? []
      : listUnfiledSelfEvaluations(db, { year: sheetYear, unitIds }).then((rows) =>
          rows.map((row): FormFact => ({ form: "selfEvaluation", projectId: row.projectId, project: row.project, fiscalYear: sheetYear, unit: row.unit, status: null, periodEnd: null, updatedAt: null })),
        ),
  ]);
  return parts.flat();
}

/**
 * The to-do list of a user as of today (China time unless given). Example: maqiao.submitter on
 * 2025-04-01 with the demo gets 马桥's 2024 医疗救助 tracking form (no form, 198 days late since
 * 2024-09-15) and its self-evaluation (a draft, 1 day late since 2025-03-31), each linking to its form.
 */
export async function todoList(db: DB, user: TodoUser, options: TodoOptions = {}): Promise<TodoList> {
  const today = options.today ?? todayInChina();
  const kinds = todoKindsFor(user.roles);
  const unitIds = user.unitSubtree;
  const deadlines = await getFilingDeadlines(db);
  const mayFile = roleAllows(user.roles, "submit-form");
  if (kinds.size === 0 || unitIds.length === 0) return { today, entries: [], counts: countByKind([]), deadlines, mayFile };
  const years = options.year !== undefined ? [options.year] : await projectYears(db, unitIds);
  const chased = {
    tracking: chasedYear("tracking", years, today, deadlines),
    selfEvaluation: chasedYear("selfEvaluation", years, today, deadlines),
  };
  const [facts, overdue, notices] = await Promise.all([
    formFacts(db, unitIds, kinds, chased),
    kinds.has("rectification") ? overdueRectification(db, { unitSubtree: unitIds, asOf: today }) : [],
    kinds.has("notice") ? (options.notices ?? registerNotices)(db, { unitSubtree: unitIds, today }) : [],
  ]);
  const entries = byUrgency([...formEntries(facts, { kinds, today, deadlines, chased }), ...rectificationEntries(overdue, today), ...noticeEntries(notices, today)]);
  return { today, entries, counts: countByKind(entries), deadlines, mayFile };
}

/** The register's unpaid notices due soon or overdue, as to-do entries linking to the register. */
const registerNotices: DueNoticeSource = async (db, options) => {
  const due = await noticesDue(db, options);
  return [...due.overdue, ...due.dueSoon].map((notice) => ({
    id: notice.id,
    projectId: notice.projectId,
    projectName: notice.projectName,
    fiscalYear: notice.fiscalYear,
    unitName: notice.unitName,
    number: notice.documentNumber ?? notice.title,
    amount: notice.amount,
    dueOn: notice.dueOn,
    workingDaysLeft: notice.status.workingDaysLeft ?? null,
    href: `/notices?year=${notice.fiscalYear}&state=unpaid`,
  }));
};
