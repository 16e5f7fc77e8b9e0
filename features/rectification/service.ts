import type { DB } from "../../db/pool.ts";
import { withActor } from "../../db/audit.ts";
import { decide, roleAllows, type Permission, type Role } from "../../domain/permissions.ts";
import { todayInChina } from "../../domain/dates.ts";
import { msg, type Message } from "../../messages/index.ts";
import { addItemErrors, closeErrors, dueDateError, itemState, itemTextErrors, reopenReasonError, type RectificationSource, type RectificationState } from "./rules/index.ts";
import { deleteManualItem, insertManualItem, projectForItem, projectsOfUnits, updateManualItem, type ProjectChoice } from "./queries/manual.ts";
import { closeItem, getRectificationItem, listRectificationItems, rectificationYears, reopenItem, setDueDate, type RectificationRow } from "./queries/items.ts";

/*
 * The rectification items (整改台账) as the routes and the dashboard use them: one entry per thing a user
 * does, each in one transaction under the acting user (audited), the role and the item's unit checked
 * on the server, each change guarded by the item's version. Items are raised by the forms' acceptance
 * (queries/raise.ts, through the workflow's onAccepted hook).
 *
 *   rectificationPage(db, user, filter)                 the items of the user's units, with what the user may do
 *   closeRectificationItem(db, actor, input)            closes an open item with evidence (text and date ≤ today)
 *   reopenRectificationItem(db, actor, input)           a manager reopens a done item, saying why
 *   addRectificationItem(db, actor, input)              a manager records an item found elsewhere (an audit, …)
 *   withdrawRectificationItem(db, actor, input)         a manager withdraws such an item recorded by mistake
 *   correctRectificationItem(db, actor, input)          a manager corrects such an item's texts
 *   setRectificationDueDate(db, actor, input)           a new due date for the item
 *   overdueRectification(db, { unitSubtree, asOf })     the open items past their due date (the dashboard's notice)
 *
 * Closing and the due date: the submitters of the item's unit, and the managers of it or above; reopening
 * and recording an item by hand: the managers.
 */

export { raiseRectificationItems } from "./queries/raise.ts";
export { RECTIFICATION_SOURCES, RECTIFICATION_STATES, type RectificationSource, type RectificationState } from "./rules/index.ts";

/** Who acts: for the audit trail, the role check and the unit check. */
export interface RectificationActor {
  userId: number | null;
  username: string;
  roles: readonly Role[];
  /** The user's unit and every unit below it. */
  unitSubtree: readonly number[];
}

/** An item as the page shows it: its state on the day, and what the user may do with it. */
export interface RectificationItemView extends RectificationRow {
  state: RectificationState;
  daysOverdue: number;
  canClose: boolean;
  canEditDue: boolean;
  canReopen: boolean;
  /** A hand-entered open item, not yet answered in a plan, that a manager may correct or withdraw (recorded by mistake). */
  canAmend: boolean;
}

/** Closing and setting the due date: a submitter (of the unit) or a manager (of it or above). */
const MAY_CLOSE: readonly Permission[] = ["submit-form", "review-form"];
/** Reopening: a manager. */
const MAY_REOPEN: readonly Permission[] = ["review-form"];
/** Recording an item by hand: a manager (of the project's unit or above). */
const MAY_ADD: readonly Permission[] = ["review-form"];

function allowedOn(actor: Pick<RectificationActor, "roles" | "unitSubtree">, permissions: readonly Permission[], unitId: number): boolean {
  const subtree = new Set(actor.unitSubtree);
  return permissions.some((permission) => decide({ roles: actor.roles, unitSubtree: subtree }, permission, unitId) === "allowed");
}

function view(row: RectificationRow, user: Pick<RectificationActor, "roles" | "unitSubtree">, today: string): RectificationItemView {
  const { state, daysOverdue } = itemState(row.status, row.dueOn, today);
  const mayClose = allowedOn(user, MAY_CLOSE, row.unitId);
  return {
    ...row,
    state,
    daysOverdue,
    canClose: row.status === "open" && mayClose,
    canEditDue: row.status === "open" && mayClose,
    canReopen: row.status === "done" && allowedOn(user, MAY_REOPEN, row.unitId),
    canAmend: row.source === "manual" && row.status === "open" && row.answeredIn === null && allowedOn(user, MAY_ADD, row.unitId),
  };
}

/** The items of the units (within the user's) by year, state and source, as of today; with the years to choose from. */
export async function rectificationPage(
  db: DB,
  user: Pick<RectificationActor, "roles" | "unitSubtree">,
  filter: { unitIds: readonly number[]; year?: number; state?: RectificationState; source?: RectificationSource; today?: string },
): Promise<{ items: RectificationItemView[]; years: number[]; today: string; projects: ProjectChoice[] }> {
  const today = filter.today ?? todayInChina();
  const own = new Set(user.unitSubtree);
  const unitIds = filter.unitIds.filter((id) => own.has(id));
  const rows = await listRectificationItems(db, { ...filter, unitIds, today });
  // The projects a manager may record an item on (the filter's units and year); none for the others.
  const mayAdd = MAY_ADD.some((permission) => roleAllows(user.roles, permission));
  const projects = mayAdd ? (await projectsOfUnits(db, unitIds, filter.year)).filter((p) => allowedOn(user, MAY_ADD, p.unitId)) : [];
  return { items: rows.map((row) => view(row, user, today)), years: await rectificationYears(db, user.unitSubtree), today, projects };
}

/**
 * The overdue items of the units as of a day (open, due before it), most overdue first: the dashboard's
 * notice. Each carries the day it was judged on (asOf: today in China unless given), which the notice
 * states, since the dashboard's own as-of date may be years earlier.
 */
export async function overdueRectification(db: DB, options: { unitSubtree: readonly number[]; asOf?: string }): Promise<Array<RectificationItemView & { asOf: string }>> {
  const today = options.asOf ?? todayInChina();
  const rows = await listRectificationItems(db, { unitIds: options.unitSubtree, state: "overdue", today });
  const noRights = { roles: [] as Role[], unitSubtree: [] as number[] };
  return rows.map((row) => ({ ...view(row, noRights, today), asOf: today })).sort((a, b) => b.daysOverdue - a.daysOverdue || a.id - b.id);
}

export type RectificationField = "evidence" | "evidenceOn" | "dueOn" | "reason" | "projectId" | "indicator" | "measure" | "origin";

export type RectificationOutcome =
  | { kind: "done"; message: Message; itemId?: number }
  | { kind: "refused"; status: 400 | 403 | 404 | 409; message: Message; errors: Partial<Record<RectificationField, Message>> };

const refused = (status: 400 | 403 | 404 | 409, message: Message, errors: Partial<Record<RectificationField, Message>> = {}): RectificationOutcome => ({
  kind: "refused",
  status,
  message,
  errors,
});

/**
 * The item the actor may change (role first, then the item, then its unit), or the refusal: 403 for a
 * role that may not, 404 for an unknown item, 403 for another unit's item.
 */
async function itemFor(db: DB, actor: RectificationActor, itemId: number | null, permissions: readonly Permission[]): Promise<RectificationRow | RectificationOutcome> {
  if (!permissions.some((permission) => roleAllows(actor.roles, permission))) return refused(403, msg("rcForbidden"));
  const item = itemId === null ? undefined : await getRectificationItem(db, itemId);
  if (!item) return refused(404, msg("rcNotFound"));
  if (!allowedOn(actor, permissions, item.unitId)) return refused(403, msg("rcOutOfUnit"));
  return item;
}

const isOutcome = (value: RectificationRow | RectificationOutcome): value is RectificationOutcome => "kind" in value;

/** What a change posts: the item and the version the page showed (null: missing or unreadable). */
interface ItemInput {
  itemId: number | null;
  version: number | null;
}

/** Closes an open item with its evidence (required) and the evidence's date (not after today). */
export async function closeRectificationItem(
  db: DB,
  actor: RectificationActor,
  input: ItemInput & { evidence: string; evidenceOn: string; today?: string },
): Promise<RectificationOutcome> {
  const item = await itemFor(db, actor, input.itemId, MAY_CLOSE);
  if (isOutcome(item)) return item;
  if (item.status !== "open") return refused(409, msg("rcAlreadyDone"));
  const errors = closeErrors(input, input.today ?? todayInChina(), item.fiscalYear);
  if (Object.keys(errors).length > 0) return refused(400, msg("rcCloseRefused"), errors);
  if (input.version === null) return refused(400, msg("rcVersionInvalid"));
  const evidence = input.evidence.trim();
  const evidenceOn = input.evidenceOn.trim();
  const closed = await withActor(db, actor, (trx) => closeItem(trx, item.id, input.version!, { evidence, evidenceOn }, actor));
  return closed ? { kind: "done", message: msg("rcClosed", { item: item.indicator }) } : refused(409, msg("rcChangedMeanwhile"));
}

/** A manager reopens a done item, saying why (required; its evidence kept in the audit trail only). */
export async function reopenRectificationItem(db: DB, actor: RectificationActor, input: ItemInput & { reason: string }): Promise<RectificationOutcome> {
  const item = await itemFor(db, actor, input.itemId, MAY_REOPEN);
  if (isOutcome(item)) return item;
  if (item.status !== "done") return refused(409, msg("rcNotDone"));
  const reasonError = reopenReasonError(input.reason);
  if (reasonError) return refused(400, msg("rcReopenRefused"), { reason: reasonError });
  if (input.version === null) return refused(400, msg("rcVersionInvalid"));
  const reopened = await withActor(db, actor, (trx) => reopenItem(trx, item.id, input.version!, input.reason.trim(), actor));
  return reopened ? { kind: "done", message: msg("rcReopened", { item: item.indicator }) } : refused(409, msg("rcChangedMeanwhile"));
}

/** A new due date of an open item. */
export async function setRectificationDueDate(db: DB, actor: RectificationActor, input: ItemInput & { dueOn: string }): Promise<RectificationOutcome> {
  const item = await itemFor(db, actor, input.itemId, MAY_CLOSE);
  if (isOutcome(item)) return item;
  if (item.status !== "open") return refused(409, msg("rcAlreadyDone"));
  const error = dueDateError(input.dueOn, item.fiscalYear);
  if (error !== null) return refused(400, msg("rcDueRefused"), { dueOn: error });
  if (input.version === null) return refused(400, msg("rcVersionInvalid"));
  const dueOn = input.dueOn.trim();
  const saved = await withActor(db, actor, (trx) => setDueDate(trx, item.id, input.version!, dueOn));
  return saved ? { kind: "done", message: msg("rcDueSaved", { item: item.indicator, date: dueOn }) } : refused(409, msg("rcChangedMeanwhile"));
}

/**
 * A manager records an item found outside the forms (an audit, financial supervision, the finance office's
 * evaluation) on a project of their units: the issue, what must be done, its origin and the due date, all
 * required (addItemErrors); the project's unit is responsible. A project that does not exist and one out of
 * the manager's units are refused alike, at the field.
 */
export async function addRectificationItem(
  db: DB,
  actor: RectificationActor,
  input: { projectId: number | null; indicator: string; measure: string; origin: string; dueOn: string; today?: string },
): Promise<RectificationOutcome> {
  if (!MAY_ADD.some((permission) => roleAllows(actor.roles, permission))) return refused(403, msg("rcForbidden"));
  const errors: Partial<Record<RectificationField, Message>> = addItemErrors(input, input.today ?? todayInChina());
  const project = input.projectId === null ? undefined : await projectForItem(db, input.projectId);
  if (input.projectId === null) errors.projectId = msg("rcProjectMissing");
  else if (!project || !allowedOn(actor, MAY_ADD, project.unitId)) errors.projectId = msg("rcProjectUnknown");
  if (Object.keys(errors).length > 0 || !project) return refused(400, msg("rcAddRefused"), errors);
  const item = {
    projectId: project.id,
    unitId: project.unitId,
    indicator: input.indicator.trim(),
    measure: input.measure.trim(),
    origin: input.origin.trim(),
    dueOn: input.dueOn.trim(),
  };
  const itemId = await withActor(db, actor, (trx) => insertManualItem(trx, item));
  return { kind: "done", message: msg("rcAdded", { item: item.indicator }), itemId };
}

/**
 * A manager withdraws a hand-entered item recorded by mistake (the audit trail keeps it): only an open one,
 * not yet answered in an adopted plan; items raised from the forms are closed, not withdrawn.
 */
export async function withdrawRectificationItem(db: DB, actor: RectificationActor, input: ItemInput): Promise<RectificationOutcome> {
  const item = await itemFor(db, actor, input.itemId, MAY_ADD);
  if (isOutcome(item)) return item;
  if (item.source !== "manual") return refused(409, msg("rcNotManual"));
  if (item.status !== "open") return refused(409, msg("rcAlreadyDone"));
  if (input.version === null) return refused(400, msg("rcVersionInvalid"));
  const outcome = await withActor(db, actor, (trx) => deleteManualItem(trx, item.id, input.version!));
  if (outcome === "answered") return refused(409, msg("rcWithdrawAnswered"));
  return outcome === "withdrawn" ? { kind: "done", message: msg("rcWithdrawn", { item: item.indicator }) } : refused(409, msg("rcChangedMeanwhile"));
}

/**
 * A manager corrects a hand-entered item's issue, what must be done and its origin (each required, refused at
 * its field): only an open one, not yet answered in an adopted plan; the audit trail keeps what it said before.
 * Its due date has its own form (setRectificationDueDate).
 */
export async function correctRectificationItem(
  db: DB,
  actor: RectificationActor,
  input: ItemInput & { indicator: string; measure: string; origin: string },
): Promise<RectificationOutcome> {
  const item = await itemFor(db, actor, input.itemId, MAY_ADD);
  if (isOutcome(item)) return item;
  if (item.source !== "manual") return refused(409, msg("rcNotManualCorrect"));
  if (item.status !== "open") return refused(409, msg("rcAlreadyDone"));
  const errors = itemTextErrors(input);
  if (Object.keys(errors).length > 0) return refused(400, msg("rcCorrectRefused"), errors);
  if (input.version === null) return refused(400, msg("rcVersionInvalid"));
  const texts = { indicator: input.indicator.trim(), measure: input.measure.trim(), origin: input.origin.trim() };
  const outcome = await withActor(db, actor, (trx) => updateManualItem(trx, item.id, input.version!, texts));
  if (outcome === "answered") return refused(409, msg("rcCorrectAnswered"));
  return outcome === "corrected" ? { kind: "done", message: msg("rcCorrected", { item: texts.indicator }) } : refused(409, msg("rcChangedMeanwhile"));
}
