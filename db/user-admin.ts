import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "./schema.ts";
import { createUser, selectUserSummaries, UserError, type NewUser, type UserSummary } from "./users.ts";
import type { Role } from "../domain/permissions.ts";
import { msg } from "../messages/index.ts";

/*
 * The SQL of user management in 系统管理 (/admin/users): the users of a unit subtree with their
 * versions, a user locked for a change, and the changes themselves. Passwords go through
 * db/users.ts (createUser, setPassword), as the CLI's do; callers run these in withActor, so that
 * the audit trail names the administrator.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** A user as the administrator's page lists them: the summary and the version the page's forms send back. */
export interface ManagedUserSummary extends UserSummary {
  version: number;
}

/** A user locked for a change. */
export interface ManagedUser {
  id: number;
  username: string;
  displayName: string;
  unitId: number;
  roles: Role[];
  active: boolean;
  version: number;
}

/** The users of the given units, by unit name and username. */
export async function listManagedUsers(db: Queryable, unitIds: readonly number[]): Promise<ManagedUserSummary[]> {
  if (unitIds.length === 0) return [];
  const rows = await selectUserSummaries(db).select("u.version").where("u.unit_id", "in", [...unitIds]).execute();
  return rows.map((row) => ({ ...row, roles: row.roles as Role[] }));
}

/** The user, locked until the transaction ends (FOR UPDATE), or undefined. */
export async function lockManagedUser(trx: Transaction<Database>, userId: number): Promise<ManagedUser | undefined> {
  const row = await trx
    .selectFrom("app_user")
    .select(["id", "username", "display_name as displayName", "unit_id as unitId", "roles", "active", "version"])
    .where("id", "=", userId)
    .forUpdate()
    .executeTakeFirst();
  return row && { ...row, roles: row.roles as Role[] };
}

/**
 * Creates a user as createUser does (policy, format, duplicate checks); a username taken by a
 * concurrent request (the unique index) is refused with the same message as one taken before.
 */
export async function addManagedUser(trx: Transaction<Database>, user: NewUser): Promise<number> {
  try {
    await sql`SAVEPOINT add_user`.execute(trx);
    const id = await createUser(trx, user);
    await sql`RELEASE SAVEPOINT add_user`.execute(trx);
    return id;
  } catch (error) {
    if ((error as { code?: string }).code !== "23505") throw error;
    await sql`ROLLBACK TO SAVEPOINT add_user`.execute(trx);
    throw new UserError(msg("usrUsernameTaken", { username: user.username }));
  }
}

/** Changes a user's name, unit and roles. */
export async function updateManagedUser(trx: Transaction<Database>, userId: number, change: { displayName: string; unitId: number; roles: Role[] }): Promise<void> {
  await trx.updateTable("app_user").set({ display_name: change.displayName, unit_id: change.unitId, roles: change.roles }).where("id", "=", userId).execute();
}

/** Enables or disables a user; disabling ends every session of theirs. */
export async function setUserActive(trx: Transaction<Database>, userId: number, active: boolean): Promise<void> {
  await trx.updateTable("app_user").set({ active }).where("id", "=", userId).execute();
  if (!active) await trx.deleteFrom("user_session").where("user_id", "=", userId).execute();
}

