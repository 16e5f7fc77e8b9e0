import { createHash, randomBytes } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "./schema.ts";
import type { DB } from "./pool.ts";
import { unitSubtreeIds } from "./units.ts";
import { withActor } from "./audit.ts";
import { hashPassword, passwordProblem, FREE_FAILURES, signInDelayMs, verifyPassword } from "../domain/passwords.ts";
import { isRoleList, type Role } from "../domain/permissions.ts";
import { msg, render, type Message } from "../messages/index.ts";

type Queryable = Kysely<Database> | Transaction<Database>;

/** Failed sign-ins in a row (one client, one name) before further attempts must wait (authenticate). */
export const MAX_FAILED_LOGINS = FREE_FAILURES;
/** A session lasts this long from login. */
export const SESSION_HOURS = 12;

/** A signed-in user as the guard sees them. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  unitId: number;
  unitName: string;
  roles: Role[];
  /** The user's unit and every unit below it. */
  unitSubtree: number[];
  passwordIsDemo: boolean;
}

export interface UserSummary {
  id: number;
  unitId: number;
  username: string;
  displayName: string;
  unitName: string;
  roles: Role[];
  active: boolean;
  passwordIsDemo: boolean;
  lockedUntil: string | null;
}

/** A user the admin asks for; the password is checked against the policy. */
export interface NewUser {
  username: string;
  displayName: string;
  unitId: number;
  roles: Role[];
  password: string;
  demo?: boolean;
}

/** A refused user change, with the message for the person who asked (`detail`; `message` is its Chinese text, for logs). */
export class UserError extends Error {
  constructor(readonly detail: Message) {
    super(render("zh", detail));
    this.name = "UserError";
  }
}

/** Creates a user with a scrypt-hashed password; throws UserError with a message on bad input. */
export async function createUser(db: Queryable, user: NewUser): Promise<number> {
  if (!/^[a-z0-9][a-z0-9._-]{2,39}$/.test(user.username)) throw new UserError(msg("usrUsernameFormat"));
  if (!isRoleList(user.roles)) throw new UserError(msg("usrRolesInvalid"));
  const problem = passwordProblem(user.password, user.username);
  if (problem) throw new UserError(problem);
  const existing = await db.selectFrom("app_user").select("id").where("username", "=", user.username).executeTakeFirst();
  if (existing) throw new UserError(msg("usrUsernameTaken", { username: user.username }));
  const { id } = await db
    .insertInto("app_user")
    .values({
      username: user.username,
      display_name: user.displayName,
      unit_id: user.unitId,
      roles: user.roles,
      password_hash: await hashPassword(user.password),
      password_is_demo: user.demo ?? false,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** Sets a new password (policy-checked), clears the demo flag and the lock, and ends the user's other sessions. */
export async function setPassword(db: Queryable, userId: number, password: string, keepSessionToken?: string): Promise<void> {
  const user = await db.selectFrom("app_user").select("username").where("id", "=", userId).executeTakeFirst();
  if (!user) throw new UserError(msg("usrNoSuchUser"));
  const problem = passwordProblem(password, user.username);
  if (problem) throw new UserError(problem);
  await db
    .updateTable("app_user")
    .set({
      password_hash: await hashPassword(password),
      password_is_demo: false,
      failed_logins: 0,
      locked_until: null,
      password_changed_at: sql<string>`now()`,
    })
    .where("id", "=", userId)
    .execute();
  let sessions = db.deleteFrom("user_session").where("user_id", "=", userId);
  if (keepSessionToken) sessions = sessions.where("token_hash", "<>", hashToken(keepSessionToken));
  await sessions.execute();
}

/**
 * A signed-in user changes their own password: the current one must be right (after five wrong ones
 * in a row, further tries wait, as at sign-in), the new one typed twice alike and acceptable. The user's other sessions end; the actor
 * is recorded in the audit trail. Returns "changed" or the problem as a message.
 */
export async function changeOwnPassword(
  db: DB,
  user: { id: number; username: string },
  input: { current: string; next: string; confirm: string; keepSessionToken?: string },
): Promise<"changed" | { problem: Message }> {
  if (input.next !== input.confirm) return { problem: msg("usrPasswordsDiffer") };
  const check = await authenticate(db, user.username, input.current, new Date(), `account:${user.id}`);
  if (!("userId" in check)) return { problem: msg(check.reason === "locked" ? "usrAccountLocked" : "usrCurrentPasswordWrong") };
  try {
    await withActor(db, { userId: user.id, username: user.username }, (trx) => setPassword(trx, user.id, input.next, input.keepSessionToken));
  } catch (error) {
    if (error instanceof UserError) return { problem: error.detail };
    throw error;
  }
  return "changed";
}

/** The users with their unit, ordered by unit and name: the query listUsers and user management (db/user-admin.ts) narrow. */
export function selectUserSummaries(db: Queryable) {
  return db
    .selectFrom("app_user as u")
    .innerJoin("org_unit as o", "o.id", "u.unit_id")
    .select([
      "u.id",
      "u.unit_id as unitId",
      "u.username",
      "u.display_name as displayName",
      "o.name as unitName",
      "u.roles",
      "u.active",
      "u.password_is_demo as passwordIsDemo",
      sql<string | null>`to_char(u.locked_until AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`.as("lockedUntil"),
    ])
    .orderBy("o.name")
    .orderBy("u.username");
}

/** Every user, by unit and name. */
export async function listUsers(db: Queryable): Promise<UserSummary[]> {
  const rows = await selectUserSummaries(db).execute();
  return rows.map((row) => ({ ...row, roles: row.roles as Role[] }));
}

/** True while an active user still signs in with a demo password (the banner warns). */
export async function demoPasswordsInUse(db: Queryable): Promise<boolean> {
  const row = await db.selectFrom("app_user").select("id").where("password_is_demo", "=", true).where("active", "=", true).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Why a sign-in failed: wrong name or password (never said which), or too many failures in a row (wait until `until`). */
export type LoginFailure = { reason: "invalid" } | { reason: "locked"; until: Date };

// Verifying against a real hash when the user does not exist keeps the answer time alike.
let dummyHash: Promise<string> | undefined;

/*
 * Failures in a row per client and name (kept in memory: a restart forgets them). A name that fails
 * from one client is slowed for that client only (domain/passwords.ts, signInDelayMs): nobody can lock
 * anyone else out by typing their name, and an unknown name is slowed exactly as a known one.
 */
const failuresInARow = new Map<string, { failures: number; until: number; at: number }>();
const FORGET_AFTER_MS = 60 * 60_000;
const MAX_REMEMBERED = 50_000;

function failureKey(client: string, username: string): string {
  return `${client}\u0000${username.trim().toLowerCase()}`;
}

/** Until when a client must wait before trying a name again; null when it may try now. */
export function signInDelayedUntil(client: string, username: string, now = new Date()): Date | null {
  const entry = failuresInARow.get(failureKey(client, username));
  return entry && entry.until > now.getTime() ? new Date(entry.until) : null;
}

function recordFailure(key: string, now: Date): LoginFailure {
  const time = now.getTime();
  const earlier = failuresInARow.get(key);
  const failures = earlier && time - earlier.at < FORGET_AFTER_MS ? earlier.failures + 1 : 1;
  const until = time + signInDelayMs(failures);
  failuresInARow.delete(key);
  failuresInARow.set(key, { failures, until, at: time });
  if (failuresInARow.size > MAX_REMEMBERED) failuresInARow.delete(failuresInARow.keys().next().value!);
  return until > time ? { reason: "locked", until: new Date(until) } : { reason: "invalid" };
}

/**
 * Checks a username and password, as tried by `client` (an address; "local" for the account page and
 * tests). After FREE_FAILURES failures in a row of that client and name, each further attempt must
 * wait (a minute, doubling, at most 15): attempts before then are refused without a password check.
 * Unknown and disabled names cost the same scrypt and answer the same as a wrong password.
 */
export async function authenticate(db: DB, username: string, password: string, now = new Date(), client = "local"): Promise<{ userId: number } | LoginFailure> {
  const key = failureKey(client, username);
  const delayedUntil = signInDelayedUntil(client, username, now);
  if (delayedUntil) return { reason: "locked", until: delayedUntil };
  const user = await db
    .selectFrom("app_user")
    .select(["id", "password_hash", "locked_until", "failed_logins", "active"])
    .where("username", "=", username.trim().toLowerCase())
    .executeTakeFirst();
  if (!user || !user.active) {
    dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
    await verifyPassword(password, await dummyHash);
    return recordFailure(key, now);
  }
  if (await verifyPassword(password, user.password_hash)) {
    failuresInARow.delete(key);
    // Counters of the former account-wide lock (before issue 17) are cleared at the next sign-in.
    if (user.failed_logins > 0 || user.locked_until !== null) {
      await db.updateTable("app_user").set({ failed_logins: 0, locked_until: null }).where("id", "=", user.id).execute();
    }
    return { userId: user.id };
  }
  return recordFailure(key, now);
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Starts a session and returns its secret token (only its hash is stored). */
export async function createSession(db: DB, userId: number, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db
    .insertInto("user_session")
    .values({ token_hash: hashToken(token), user_id: userId, expires_at: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString() })
    .execute();
  return token;
}

/** Ends one session. */
export async function deleteSession(db: DB, token: string): Promise<void> {
  await db.deleteFrom("user_session").where("token_hash", "=", hashToken(token)).execute();
}

/** The user of a live session token, with their unit subtree; undefined for unknown or expired tokens. */
export async function sessionUser(db: DB, token: string): Promise<SessionUser | undefined> {
  const row = await db
    .selectFrom("user_session as s")
    .innerJoin("app_user as u", "u.id", "s.user_id")
    .innerJoin("org_unit as o", "o.id", "u.unit_id")
    .select([
      "u.id",
      "u.username",
      "u.display_name as displayName",
      "u.unit_id as unitId",
      "o.name as unitName",
      "u.roles",
      "u.password_is_demo as passwordIsDemo",
    ])
    .where("s.token_hash", "=", hashToken(token))
    .where("s.expires_at", ">", sql<Date>`now()`)
    .where("u.active", "=", true)
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...row, roles: row.roles as Role[], unitSubtree: await unitSubtreeIds(db, row.unitId) };
}

/** Removes expired sessions (called at sign-in, so the table does not grow without bound). */
export async function purgeExpiredSessions(db: DB): Promise<void> {
  await db.deleteFrom("user_session").where("expires_at", "<=", sql<Date>`now()`).execute();
}
