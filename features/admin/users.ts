import { randomBytes } from "node:crypto";
import type { Transaction } from "kysely";
import type { DB } from "../../db/pool.ts";
import type { Database } from "../../db/schema.ts";
import { withActor, type AuditActor } from "../../db/audit.ts";
import { setPassword, UserError } from "../../db/users.ts";
import { addManagedUser, listManagedUsers, lockManagedUser, setUserActive, updateManagedUser, type ManagedUser, type ManagedUserSummary } from "../../db/user-admin.ts";
import { listUnits } from "../../db/units.ts";
import { passwordProblem } from "../../domain/passwords.ts";
import { roleAllows, roleMessage, ROLES, type Role } from "../../domain/permissions.ts";
import { msg, type Message } from "../../messages/index.ts";
import { fieldOfUserError, ownAccountProblems, readPassword, readProfile, readUsername, type PasswordMode, type UserErrors } from "./rules/users.ts";

/*
 * User management in 系统管理 (/admin/users): an administrator adds users, resets passwords, changes
 * roles and units, disables and enables users — of their own unit and the units below it (闵行区's
 * administrator manages 闵行区 and its towns; the city's, everyone). Each change is one transaction
 * attributed to the administrator in the audit trail, checked against the version the page showed.
 * Passwords go through db/users.ts as the CLI's do; a generated one is returned once, never stored
 * in clear.
 */

/** The administrator acting (already let through the route's guard for "administer"; checked again here). */
export interface UserAdminActor extends AuditActor {
  userId: number;
  roles: readonly Role[];
  unitId: number;
  unitSubtree: readonly number[];
}

/** What a change ends in: done (with the password to show once when one was generated), or refused with problems at the fields. */
export type UserAdminOutcome =
  | { kind: "done"; userId: number; username: string; message: Message; password: string | null }
  | { kind: "refused"; status: 400 | 403 | 404 | 409; message: Message; errors: UserErrors };

type Refusal = Extract<UserAdminOutcome, { kind: "refused" }>;

const refused = (status: Refusal["status"], message: Message, errors: UserErrors = {}): Refusal => ({ kind: "refused", status, message, errors });
const done = (user: { id: number; username: string }, message: Message, password: string | null = null): UserAdminOutcome => ({
  kind: "done",
  userId: user.id,
  username: user.username,
  message,
  password,
});
const hasErrors = (errors: UserErrors) => Object.keys(errors).length > 0;

/** A user row of the page. */
export type UserAdminRow = Omit<ManagedUserSummary, "roles"> & { roles: Role[]; roleNames: Message[]; isSelf: boolean };

/** The page: the users of the administrator's units, the units they may place users in (indented by depth), the roles. */
export async function userAdminPage(
  db: DB,
  admin: UserAdminActor,
): Promise<{ unitName: string; users: UserAdminRow[]; units: Array<{ id: number; label: string }>; roles: Array<{ role: Role; name: Message }> }> {
  const scope = roleAllows(admin.roles, "administer") ? admin.unitSubtree : [];
  const [users, allUnits] = await Promise.all([listManagedUsers(db, scope), listUnits(db)]);
  const inScope = new Set(scope);
  const units = allUnits.filter((unit) => inScope.has(unit.id));
  const top = Math.min(...units.map((unit) => unit.ancestors.length));
  return {
    unitName: units.find((unit) => unit.id === admin.unitId)?.name ?? "",
    users: users.map((user) => ({ ...user, roleNames: user.roles.map(roleMessage), isSelf: user.id === admin.userId })),
    units: units.map((unit) => ({ id: unit.id, label: `${"　".repeat(unit.ancestors.length - top)}${unit.name}` })),
    roles: ROLES.map((role) => ({ role, name: roleMessage(role) })),
  };
}

/** A new user as typed. */
export interface NewUserInput {
  username: string;
  displayName: string;
  unitId: string;
  roles: readonly string[];
  passwordMode: PasswordMode;
  password: string;
  confirm: string;
}

/** Adds a user in one of the administrator's units; every field's problem at once; a generated password comes back once. */
export async function addUserAccount(db: DB, admin: UserAdminActor, input: NewUserInput): Promise<UserAdminOutcome> {
  if (!roleAllows(admin.roles, "administer")) return refused(403, msg("forbidden"));
  const errors: UserErrors = {};
  const name = readUsername(input.username);
  if ("problem" in name) errors.username = name.problem;
  const profile = readProfile(input, new Set(admin.unitSubtree));
  if ("errors" in profile) Object.assign(errors, profile.errors);
  const username = "username" in name ? name.username : input.username.trim().toLowerCase();
  const typed = readPassword({ mode: input.passwordMode, password: input.password, confirm: input.confirm }, username);
  if ("errors" in typed) Object.assign(errors, typed.errors);
  if ("errors" in profile || "errors" in typed || hasErrors(errors)) {
    return refused("errors" in profile && profile.outOfScope ? 403 : 400, msg("usCheckFields"), errors);
  }
  const password = typed.password ?? generatedPassword(username);
  try {
    const userId = await withActor(db, admin, (trx) => addManagedUser(trx, { username, ...profile.values, password }));
    return done({ id: userId, username }, msg("usAdded", { username }), typed.password === null ? password : null);
  } catch (error) {
    return userErrorOutcome(error);
  }
}

/** Which account a change is for, and the version the page showed. */
export interface AccountRef {
  userId: number | null;
  version: number | null;
}

/** Changes a user's name, unit and roles (within the administrator's units; never their own admin role or unit). */
export async function updateUserAccount(
  db: DB,
  admin: UserAdminActor,
  input: AccountRef & { displayName: string; unitId: string; roles: readonly string[] },
): Promise<UserAdminOutcome> {
  return changeAccount(db, admin, input, async (trx, target) => {
    const profile = readProfile(input, new Set(admin.unitSubtree));
    if ("errors" in profile) return refused(profile.outOfScope ? 403 : 400, msg("usCheckFields"), profile.errors);
    const own = ownAccountProblems(admin.userId, target, { kind: "profile", ...profile.values });
    if (hasErrors(own.errors)) return refused(403, msg("usCheckFields"), own.errors);
    await updateManagedUser(trx, target.id, profile.values);
    return done(target, msg("usProfileSaved", { username: target.username }));
  });
}

/** Resets a user's password, generated (returned once) or typed twice; clears a lock and ends the user's sessions (setPassword). */
export async function resetUserPassword(
  db: DB,
  admin: UserAdminActor,
  input: AccountRef & { passwordMode: PasswordMode; password: string; confirm: string },
): Promise<UserAdminOutcome> {
  return changeAccount(db, admin, input, async (trx, target) => {
    const own = ownAccountProblems(admin.userId, target, { kind: "password" });
    if (own.form) return refused(403, own.form);
    const typed = readPassword({ mode: input.passwordMode, password: input.password, confirm: input.confirm }, target.username);
    if ("errors" in typed) return refused(400, msg("usCheckFields"), typed.errors);
    const password = typed.password ?? generatedPassword(target.username);
    await setPassword(trx, target.id, password);
    return done(target, msg("usPasswordReset", { username: target.username }), typed.password === null ? password : null);
  });
}

/** Disables (ending every session of theirs) or enables a user; never the administrator themselves. */
export async function setUserAccess(db: DB, admin: UserAdminActor, input: AccountRef & { active: boolean | null }): Promise<UserAdminOutcome> {
  return changeAccount(db, admin, input, async (trx, target) => {
    if (input.active === null) return refused(400, msg("usUnknownIntent"));
    const own = ownAccountProblems(admin.userId, target, { kind: "access", active: input.active });
    if (own.form) return refused(403, own.form);
    await setUserActive(trx, target.id, input.active);
    return done(target, msg(input.active ? "usEnabled" : "usDisabled", { username: target.username }));
  });
}

/**
 * The frame of every change to an existing account, in one transaction: the administrator's role,
 * the account locked and found (404), in the administrator's units (403), at the version the page
 * showed (409, with its username); then the change. A refusal of db/users.ts lands at its field.
 */
async function changeAccount(
  db: DB,
  admin: UserAdminActor,
  ref: AccountRef,
  change: (trx: Transaction<Database>, target: ManagedUser) => Promise<UserAdminOutcome>,
): Promise<UserAdminOutcome> {
  if (!roleAllows(admin.roles, "administer")) return refused(403, msg("forbidden"));
  const { userId, version } = ref;
  if (userId === null) return refused(404, msg("usrNoSuchUser"));
  try {
    return await withActor(db, admin, async (trx) => {
      const target = await lockManagedUser(trx, userId);
      if (!target) return refused(404, msg("usrNoSuchUser"));
      if (!admin.unitSubtree.includes(target.unitId)) return refused(403, msg("usOutsideScope"));
      if (version === null || version !== target.version) return refused(409, msg("usStale", { username: target.username }));
      return change(trx, target);
    });
  } catch (error) {
    return userErrorOutcome(error);
  }
}

/** A UserError of db/users.ts at its field (a username taken meanwhile: 409); anything else is rethrown. */
function userErrorOutcome(error: unknown): UserAdminOutcome {
  if (!(error instanceof UserError)) throw error;
  const field = fieldOfUserError(error.detail);
  const status = error.detail.code === "usrUsernameTaken" ? 409 : 400;
  return field === null ? refused(status, error.detail) : refused(status, msg("usCheckFields"), { [field]: error.detail });
}

/** A random password (16 characters of base64url, as the CLI's) that passes the policy for this username. */
function generatedPassword(username: string): string {
  for (;;) {
    const password = randomBytes(12).toString("base64url");
    if (passwordProblem(password, username) === null) return password;
  }
}
