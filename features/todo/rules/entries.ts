import { daysBetween } from "../../../domain/dates.ts";
import { roleAllows, type Permission, type Role } from "../../../domain/permissions.ts";
import type { WorkflowState } from "../../workflow/rules.ts";
import { daysLate, deadlinePeriodEnd, filingDeadline, type FilingDeadlines, type FilingForm } from "./deadlines.ts";

/*
 * The to-do list's entries (待办事项), pure: which kinds a user's roles get, the entries made of the forms,
 * rectification items and settlement notices found in the user's units, their links, and their order
 * by urgency.
 *
 *   returned        a form sent back to its filler (submitters of the project's unit)
 *   review          a form submitted or resubmitted, waiting for a reviewer (managers of the unit or above)
 *   unfiled         the tracking form of 31 August or the self-evaluation not submitted (no form, a draft
 *                   or a returned one) after its deadline (submitters and managers)
 *   rectification   an open rectification item past its due date (submitters and managers, who may close it)
 *   notice          a settlement notice due soon and unpaid (planners, who record its payment, and managers)
 *
 * A returned form past its deadline is one entry for its filler (returned, with the deadline and days
 * late), not two. A new revision of an accepted form (opened to correct it) was filed: never late.
 */

export const TODO_KINDS = ["returned", "review", "unfiled", "rectification", "notice"] as const;
export type TodoKind = (typeof TODO_KINDS)[number];

/** The permissions that bring each kind: any one of them. */
const KIND_PERMISSIONS: Readonly<Record<TodoKind, readonly Permission[]>> = {
  returned: ["submit-form"],
  review: ["review-form"],
  unfiled: ["submit-form", "review-form"],
  rectification: ["submit-form", "review-form"],
  notice: ["edit-payment", "review-form"],
};

/** The kinds of entries a user with the roles gets: todoKindsFor(["planner"]) → {notice}; a viewer or an administrator: none. */
export function todoKindsFor(roles: readonly Role[]): Set<TodoKind> {
  return new Set(TODO_KINDS.filter((kind) => KIND_PERMISSIONS[kind].some((permission) => roleAllows(roles, permission))));
}

/** One thing to do, with where to do it. */
export interface TodoEntry {
  kind: TodoKind;
  /** Unique within a list (React's key). */
  key: string;
  /** The form concerned; null for rectification items and notices. */
  form: FilingForm | null;
  projectId: number;
  project: string;
  fiscalYear: number;
  unit: string;
  /** The form's state; null when there is no form yet (or for items and notices). */
  status: WorkflowState | null;
  /** The tracking form's period end; null otherwise. */
  periodEnd: string | null;
  /** The day the form last moved (returned, submitted, saved), Shanghai time; null when unknown. */
  since: string | null;
  /** The deadline or due date; null when the entry has none (a returned form before its deadline, a review). */
  dueOn: string | null;
  /** Days from dueOn to today: positive late, 0 on the day, negative days left; null without dueOn. */
  daysOverdue: number | null;
  /** What the entry is about beyond its form: the rectification item's indicator, the notice's number. */
  detail: string | null;
  /** A settlement notice's amount (元, exact); null otherwise. */
  amount: string | null;
  /** A settlement notice's working days left up to its due date, when its source counts them; null otherwise. */
  workingDaysLeft: number | null;
  href: string;
}

/** A form of a project as the queries find it (a project without one: status null). */
export interface FormFact {
  form: FilingForm;
  projectId: number;
  project: string;
  fiscalYear: number;
  unit: string;
  status: WorkflowState | null;
  /** The tracking form's period end (null: the self-evaluation). */
  periodEnd: string | null;
  /** Last moved or saved: "2024-09-20 10:30" or "2024-09-20"; null without a form. */
  updatedAt: string | null;
  /** A later revision of an accepted form (a tracking form's revision 2 on): filed once, so never late. */
  acceptedBefore?: boolean;
}

/** The page where a form is filled in or reviewed. */
export function formHref(fact: Pick<FormFact, "form" | "projectId" | "fiscalYear" | "periodEnd">): string {
  if (fact.form === "selfEvaluation") return `/projects/${fact.projectId}/self-evaluation`;
  return `/projects/${fact.projectId}/tracking?periodEnd=${fact.periodEnd ?? deadlinePeriodEnd(fact.fiscalYear)}`;
}

/** The deadline a form is chased by: the tracking form of 31 August and the self-evaluation have one, other periods none. */
function deadlineOf(fact: FormFact, deadlines: Readonly<FilingDeadlines>): string | null {
  if (fact.form === "tracking" && fact.periodEnd !== deadlinePeriodEnd(fact.fiscalYear)) return null;
  return filingDeadline(fact.form, fact.fiscalYear, deadlines);
}

const isUnderReview = (status: WorkflowState | null) => status === "submitted" || status === "resubmitted";
const isUnfiled = (status: WorkflowState | null) => status === null || status === "draft" || status === "returned";

/**
 * The entries the forms make for a user with the kinds given, as of today: returned forms, forms
 * waiting for review, and forms not filed after their deadline (of the fiscal years chased only, per
 * form: `chased`, see chasedYear). Deadline reached but not passed (today = deadline): not late.
 */
export function formEntries(
  facts: readonly FormFact[],
  options: { kinds: ReadonlySet<TodoKind>; today: string; deadlines: Readonly<FilingDeadlines>; chased: Readonly<Record<FilingForm, number | null>> },
): TodoEntry[] {
  const { kinds, today, deadlines, chased } = options;
  const entries: TodoEntry[] = [];
  const seen = new Set<string>();
  for (const fact of facts) {
    const id = `${fact.form}:${fact.projectId}:${fact.periodEnd ?? ""}`;
    if (seen.has(id)) continue;
    const deadline = deadlineOf(fact, deadlines);
    const late = deadline === null || fact.acceptedBefore === true ? 0 : daysLate(deadline, today);
    const base = {
      form: fact.form,
      projectId: fact.projectId,
      project: fact.project,
      fiscalYear: fact.fiscalYear,
      unit: fact.unit,
      status: fact.status,
      periodEnd: fact.form === "tracking" ? (fact.periodEnd ?? deadlinePeriodEnd(fact.fiscalYear)) : null,
      since: fact.updatedAt === null ? null : fact.updatedAt.slice(0, 10),
      detail: null,
      amount: null,
      workingDaysLeft: null,
      href: formHref(fact),
    };
    const lateDue = late > 0 ? { dueOn: deadline, daysOverdue: late } : { dueOn: null, daysOverdue: null };
    let kind: TodoKind | null = null;
    if (fact.status === "returned" && kinds.has("returned")) kind = "returned";
    else if (isUnderReview(fact.status) && kinds.has("review")) kind = "review";
    else if (isUnfiled(fact.status) && kinds.has("unfiled") && late > 0 && chased[fact.form] === fact.fiscalYear) kind = "unfiled";
    if (kind === null) continue;
    seen.add(id);
    entries.push({ kind, key: `${kind}:${id}`, ...base, ...(kind === "review" ? { dueOn: null, daysOverdue: null } : lateDue) });
  }
  return entries;
}

/** An overdue rectification item as features/rectification's overdueRectification gives it. */
export interface OverdueItemFact {
  id: number;
  projectId: number;
  projectName: string;
  fiscalYear: number;
  unitName: string;
  indicator: string;
  dueOn: string;
}

/** The entries of overdue rectification items, each linking to the 整改台账's overdue items of its year. */
export function rectificationEntries(items: readonly OverdueItemFact[], today: string): TodoEntry[] {
  return items.map((item) => ({
    kind: "rectification",
    key: `rectification:${item.id}`,
    form: null,
    projectId: item.projectId,
    project: item.projectName,
    fiscalYear: item.fiscalYear,
    unit: item.unitName,
    status: null,
    periodEnd: null,
    since: null,
    dueOn: item.dueOn,
    daysOverdue: daysBetween(item.dueOn, today),
    detail: item.indicator,
    amount: null,
    workingDaysLeft: null,
    href: `/rectification?status=overdue&year=${item.fiscalYear}`,
  }));
}

/**
 * A settlement notice due soon (结算通知书), as a notice source gives it (see DueNoticeSource in
 * features/todo/service.ts): its number (文号), amount in 元, due date and, where the register has a
 * page for it, its address (else the project's page).
 */
export interface DueNotice {
  id: number;
  projectId: number;
  projectName: string;
  fiscalYear: number;
  unitName: string;
  number: string;
  amount: string;
  dueOn: string;
  /** Working days from today up to and including the due date, when counted (the calendar covers the year). */
  workingDaysLeft?: number | null;
  href?: string;
}

/** The entries of settlement notices due soon or overdue (calendar days to or past the due date). */
export function noticeEntries(notices: readonly DueNotice[], today: string): TodoEntry[] {
  return notices.map((notice) => ({
    kind: "notice",
    key: `notice:${notice.id}`,
    form: null,
    projectId: notice.projectId,
    project: notice.projectName,
    fiscalYear: notice.fiscalYear,
    unit: notice.unitName,
    status: null,
    periodEnd: null,
    since: null,
    dueOn: notice.dueOn,
    daysOverdue: daysBetween(notice.dueOn, today),
    detail: notice.number,
    amount: notice.amount,
    workingDaysLeft: notice.workingDaysLeft ?? null,
    href: notice.href ?? `/projects/${notice.projectId}`,
  }));
}

const collator = new Intl.Collator("zh-CN");

/**
 * The entries by urgency: forms waiting for this reviewer first (the longest waiting first: a unit cannot go
 * on until they are decided, and a manager's overdue items of the units below must not bury them); then
 * those with a due date, the earliest due first (so the most days late lead, then those due today, then
 * those due soon); then those without one, the longest waiting first; ties by kind, fiscal year (latest
 * first), unit and project.
 */
export function byUrgency(entries: readonly TodoEntry[]): TodoEntry[] {
  const reviewFirst = (a: TodoEntry, b: TodoEntry) => Number(b.kind === "review") - Number(a.kind === "review");
  const byDue = (a: TodoEntry, b: TodoEntry) => {
    if (a.daysOverdue === null || b.daysOverdue === null) return a.daysOverdue === b.daysOverdue ? 0 : a.daysOverdue === null ? 1 : -1;
    return b.daysOverdue - a.daysOverdue;
  };
  return [...entries].sort(
    (a, b) =>
      reviewFirst(a, b) ||
      byDue(a, b) ||
      (a.since ?? "9999").localeCompare(b.since ?? "9999") ||
      TODO_KINDS.indexOf(a.kind) - TODO_KINDS.indexOf(b.kind) ||
      b.fiscalYear - a.fiscalYear ||
      collator.compare(a.unit, b.unit) ||
      collator.compare(a.project, b.project) ||
      a.key.localeCompare(b.key),
  );
}

/** How many entries of each kind: the panel's counts. */
export function countByKind(entries: readonly TodoEntry[]): Record<TodoKind, number> {
  const counts = Object.fromEntries(TODO_KINDS.map((kind) => [kind, 0])) as Record<TodoKind, number>;
  for (const entry of entries) counts[entry.kind] += 1;
  return counts;
}
