import { msg, type Message, type PlainKey } from "../messages/index.ts";

/**
 * Who may do what, and where: roles grant permissions, and every permission applies only to the
 * records of the user's own unit and the units below it.
 */

export const ROLES = ["admin", "manager", "planner", "submitter", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** What a request wants to do with a record. */
export type Permission =
  /** See projects, budgets and payments (every role). */
  | "read"
  /** Change budget lines and their amounts (预算编制). */
  | "edit-budget"
  /** Record or change adjustments (预算调整); managers approve them. */
  | "edit-adjustment"
  /** Record or change payments (支付). */
  | "edit-payment"
  /** Fill in the tracking forms of the own unit (运行监控). */
  | "submit-form"
  /** Review submitted forms. */
  | "review-form"
  /** Users, units and settings such as the flag threshold. */
  | "administer";

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ["read", "administer"],
  manager: ["read", "edit-adjustment", "review-form"],
  planner: ["read", "edit-budget", "edit-adjustment", "edit-payment"],
  submitter: ["read", "submit-form"],
  viewer: ["read"],
};

/** The catalogue keys naming the roles (系统管理员 / Administrator …). */
export const ROLE_MESSAGE_KEYS = {
  admin: "roleAdmin",
  manager: "roleManager",
  planner: "rolePlanner",
  submitter: "roleSubmitter",
  viewer: "roleViewer",
} as const satisfies Record<Role, PlainKey>;

/** A role's name as a message: roleMessage("planner") → 预算编制人员 / Budget planner. */
export function roleMessage(role: Role): Message {
  return msg(ROLE_MESSAGE_KEYS[role]);
}

/** True when one of the roles grants the permission: roleAllows(["planner"], "edit-budget") → true. */
export function roleAllows(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => GRANTS[role].includes(permission));
}

/** The acting user as the permission rules see them. */
export interface Actor {
  roles: readonly Role[];
  /** The user's unit and every unit below it. */
  unitSubtree: ReadonlySet<number>;
}

/**
 * The decision for a request on a record of a unit (null: not tied to a unit): allowed, or refused
 * as "not-found" (reads, so that other units' records do not even show they exist) or "forbidden"
 * (writes). Example: decide({roles: ["viewer"], unitSubtree: new Set([7])}, "edit-budget", 7) → "forbidden".
 */
export function decide(actor: Actor, permission: Permission, unitId: number | null): "allowed" | "not-found" | "forbidden" {
  const inScope = unitId === null || actor.unitSubtree.has(unitId);
  if (inScope && roleAllows(actor.roles, permission)) return "allowed";
  return permission === "read" ? "not-found" : "forbidden";
}

/** True for a list of roles that are all known: isRoleList(["planner", "viewer"]) → true. */
export function isRoleList(values: readonly string[]): values is Role[] {
  return values.length > 0 && values.every((value) => (ROLES as readonly string[]).includes(value));
}
