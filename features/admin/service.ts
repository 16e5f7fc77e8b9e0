import type { DB } from "../../db/pool.ts";
import { withActor, type AuditActor } from "../../db/audit.ts";
import { listUsers, type UserSummary } from "../../db/users.ts";
import { getFlagThreshold, setFlagThreshold } from "../../db/settings.ts";
import { roleMessage } from "../../domain/permissions.ts";
import { msg, type Message } from "../../messages/index.ts";
import { addDeviationCause, listDeviationCauses, updateDeviationCause, type DeviationCauseRecord } from "../tracking/queries/causes.ts";
import { validateDeviationCauses, type DeviationCategory } from "../tracking/rules/index.ts";
import { textProblem } from "../../domain/text.ts";

/*
 * System administration (/admin) as the route uses it: the page's data, the city-wide flag threshold
 * and the deviation-cause catalogue of the tracking form. Each takes the database and the acting
 * administrator (already let through the route's guard for "administer") and returns an outcome whose
 * problems are messages, rendered in the user's language by the caller.
 */

/** The administrator acting, as the service needs them. */
export interface AdminActor extends AuditActor {
  userId: number;
  unitId: number;
  unitSubtree: readonly number[];
}

/** What a change ends in: done, or refused with a status and the problems (one or more messages). */
export type AdminOutcome = { kind: "done" } | { kind: "refused"; status: 400 | 404 | 409; problems: Message[] };

const refused = (status: 400 | 404 | 409, ...problems: Message[]): AdminOutcome => ({ kind: "refused", status, problems });

/** The flag threshold applies city-wide: only an administrator of a top-level unit may change it (or the catalogue). */
export async function isTopLevelAdmin(db: DB, unitId: number): Promise<boolean> {
  const unit = await db.selectFrom("org_unit").select("parent_id").where("id", "=", unitId).executeTakeFirst();
  return unit !== undefined && unit.parent_id === null;
}

/** The page: the users of the administrator's own unit and below (roles as messages), the threshold, the catalogue. */
export async function adminPage(
  db: DB,
  admin: AdminActor,
): Promise<{ users: Array<Omit<UserSummary, "roles"> & { roles: Message[] }>; threshold: string; causes: DeviationCauseRecord[]; canSetThreshold: boolean }> {
  const [users, threshold, causes, canSetThreshold] = await Promise.all([
    listUsers(db),
    getFlagThreshold(db),
    listDeviationCauses(db, { includeInactive: true }),
    isTopLevelAdmin(db, admin.unitId),
  ]);
  const visible = users.filter((user) => admin.unitSubtree.includes(user.unitId));
  return { users: visible.map((user) => ({ ...user, roles: user.roles.map(roleMessage) })), threshold, causes, canSetThreshold };
}

/** Sets the flag threshold from the typed text: a percentage 0–100 with at most two decimals. */
export async function changeFlagThreshold(db: DB, admin: AdminActor, text: string): Promise<AdminOutcome> {
  const threshold = text.trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(threshold) || Number(threshold) > 100) return refused(400, msg("admThresholdInvalid"));
  const value = Number(threshold).toFixed(2);
  await withActor(db, admin, (trx) => setFlagThreshold(trx, value));
  return { kind: "done" };
}

/** A cause as typed in the catalogue's forms. */
export interface CauseInput {
  category: string;
  label: string;
}

function labelProblem(label: string): Message | null {
  return textProblem(label, msg("admCauseName"));
}

/** Adds a cause; the catalogue must stay valid, and a code added by someone else meanwhile is refused. */
export async function addCause(db: DB, admin: AdminActor, input: CauseInput & { code: string }): Promise<AdminOutcome> {
  const label = input.label.trim();
  const code = input.code.trim();
  const problem = labelProblem(label);
  if (problem !== null) return refused(400, problem);
  const existing = await listDeviationCauses(db, { includeInactive: true });
  const category = input.category as DeviationCategory;
  const problems = validateDeviationCauses([...existing, { code, category, label }]);
  if (problems.length > 0) return refused(400, ...problems);
  const added = await withActor(db, admin, (trx) => addDeviationCause(trx, { code, category, label }));
  return added ? { kind: "done" } : refused(409, msg("admCauseTaken", { code }));
}

/** Changes a cause's category, name and whether it may be chosen; the catalogue must stay valid. */
export async function updateCause(db: DB, admin: AdminActor, input: CauseInput & { id: number; active: boolean }): Promise<AdminOutcome> {
  const label = input.label.trim();
  const problem = labelProblem(label);
  if (problem !== null) return refused(400, problem);
  const existing = await listDeviationCauses(db, { includeInactive: true });
  const cause = existing.find((candidate) => candidate.id === input.id);
  if (!cause) return refused(404, msg("admCauseNotFound"));
  const category = input.category as DeviationCategory;
  const changed = existing.map((candidate) => (candidate.id === input.id ? { ...candidate, category, label } : candidate));
  const problems = validateDeviationCauses(changed);
  if (problems.length > 0) return refused(400, ...problems);
  await withActor(db, admin, (trx) => updateDeviationCause(trx, input.id, { category, label, active: input.active }));
  return { kind: "done" };
}
