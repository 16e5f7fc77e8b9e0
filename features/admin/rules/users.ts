import { passwordProblem } from "../../../domain/passwords.ts";
import { isRoleList, ROLES, type Role } from "../../../domain/permissions.ts";
import { textProblem } from "../../../domain/text.ts";
import { msg, type Message } from "../../../messages/index.ts";

/*
 * User management's rules (系统管理 → 用户管理), pure: what an administrator typed read into values or
 * one problem per field, and what an administrator may not do to their own account. Scope (the
 * administrator's unit and the units below it) is passed in as the set of unit ids allowed.
 */

/** The fields of the user forms, in their order on the page. */
export const USER_FIELDS = ["username", "displayName", "unitId", "roles", "password", "confirm"] as const;
export type UserField = (typeof USER_FIELDS)[number];
export type UserErrors = Partial<Record<UserField, Message>>;

/** How a new password comes about: generated (shown once) or typed twice by the administrator. */
export type PasswordMode = "generate" | "set";

/** The longest name accepted. */
export const MAX_DISPLAY_NAME = 100;

// As db/users.ts createUser and app_user's CHECK, which stay the authority: here for the field's message.
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,39}$/;

/** A username as typed: trimmed and lower-cased (sign-in lower-cases too). readUsername(" Li.Na ") → { username: "li.na" }. */
export function readUsername(text: string): { username: string } | { problem: Message } {
  const username = text.trim().toLowerCase();
  if (username === "") return { problem: msg("usUsernameRequired") };
  if (!USERNAME.test(username)) return { problem: msg("usrUsernameFormat") };
  return { username };
}

/** A user's name, unit and roles as typed. */
export interface ProfileInput {
  displayName: string;
  unitId: string;
  roles: readonly string[];
}

export interface ProfileValues {
  displayName: string;
  unitId: number;
  roles: Role[];
}

/**
 * Reads a profile: a name (1–100 characters, no control characters), a unit among `allowedUnits`
 * and at least one known role (duplicates dropped, in the catalogue's order). A unit outside the
 * administrator's units is reported with outOfScope, so that the caller answers 403.
 */
export function readProfile(
  input: ProfileInput,
  allowedUnits: ReadonlySet<number>,
): { values: ProfileValues } | { errors: UserErrors; outOfScope: boolean } {
  const errors: UserErrors = {};
  const displayName = input.displayName.trim();
  const nameProblem =
    displayName === ""
      ? msg("usDisplayNameRequired")
      : displayName.length > MAX_DISPLAY_NAME
        ? msg("usDisplayNameTooLong", { max: MAX_DISPLAY_NAME })
        : textProblem(displayName, msg("displayName"));
  if (nameProblem) errors.displayName = nameProblem;
  let outOfScope = false;
  const unitText = input.unitId.trim();
  const unitId = /^\d{1,9}$/.test(unitText) ? Number(unitText) : null;
  if (unitText === "") errors.unitId = msg("usUnitRequired");
  else if (unitId === null || !allowedUnits.has(unitId)) {
    errors.unitId = msg("usUnitOutsideScope");
    outOfScope = unitId !== null;
  }
  const roles = [...new Set(input.roles.map((role) => role.trim()).filter(Boolean))];
  if (roles.length === 0) errors.roles = msg("usRolesRequired");
  else if (!isRoleList(roles)) errors.roles = msg("usrRolesInvalid");
  if (Object.keys(errors).length > 0) return { errors, outOfScope };
  return { values: { displayName, unitId: unitId!, roles: sortRoles(roles as Role[]) } };
}

const sortRoles = (roles: Role[]) => [...roles].sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));

/** A new password as asked for. */
export interface PasswordInput {
  mode: PasswordMode;
  password: string;
  confirm: string;
}

/**
 * Reads the new password: null when it is to be generated; else the typed one, which must be
 * typed twice alike and pass the policy (domain/passwords: at least 10 characters, not containing
 * the username). readPassword({ mode: "set", password: "short", confirm: "short" }, "li.na") → errors.password.
 */
export function readPassword(input: PasswordInput, username: string): { password: string | null } | { errors: UserErrors } {
  if (input.mode === "generate") return { password: null };
  if (input.password === "") return { errors: { password: msg("usPasswordRequired") } };
  const problem = passwordProblem(input.password, username);
  if (problem) return { errors: { password: problem } };
  if (input.password !== input.confirm) return { errors: { confirm: msg("usrPasswordsDiffer") } };
  return { password: input.password };
}

/** What an administrator asks to do to an account. */
export type AccountChange = { kind: "profile"; unitId: number; roles: readonly Role[] } | { kind: "password" } | { kind: "access"; active: boolean };

/**
 * What an administrator may not do to their own account, as problems at the fields (or `form`):
 * remove their administrator role, move to another unit (either could lock the organisation out of
 * its own administration), disable themselves, or reset their password here (the account page asks
 * for the current one). Anyone else's account: no problems.
 */
export function ownAccountProblems(actorId: number, target: { id: number; unitId: number }, change: AccountChange): { errors: UserErrors; form: Message | null } {
  if (actorId !== target.id) return { errors: {}, form: null };
  if (change.kind === "password") return { errors: {}, form: msg("usCannotResetSelf") };
  if (change.kind === "access") return { errors: {}, form: change.active ? null : msg("usCannotDisableSelf") };
  const errors: UserErrors = {};
  if (!change.roles.includes("admin")) errors.roles = msg("usCannotDropOwnAdmin");
  if (change.unitId !== target.unitId) errors.unitId = msg("usCannotMoveSelf");
  return { errors, form: null };
}

const USER_ERROR_FIELDS: Partial<Record<Message["code"], UserField>> = {
  usrUsernameFormat: "username",
  usrUsernameTaken: "username",
  usrRolesInvalid: "roles",
  usrPasswordTooShort: "password",
  usrPasswordTooLong: "password",
  usrPasswordHasUsername: "password",
};

/** The field a refusal of db/users.ts (createUser, setPassword) belongs to, or null for the form as a whole. */
export function fieldOfUserError(problem: Message): UserField | null {
  return USER_ERROR_FIELDS[problem.code] ?? null;
}
