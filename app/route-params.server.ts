import { z } from "zod";
import { getProjectHeader, type ProjectHeader } from "../db/projects";
import type { DB } from "../db/pool";
import type { SessionUser } from "../db/users";
import type { Permission } from "../domain/permissions";
import { database } from "./db.server";
import { guard, refusal, type userContext } from "./guard.server";
import type { MessageKey } from "./i18n";

/*
 * Route parameters at the edge: parsed with a schema (zod), so that nothing malformed reaches
 * PostgreSQL (an 11-digit id answers 404, not 500), and one way to load a project for a route
 * (parse, load, 404 in the user's language, guard).
 */

/** The largest value of an integer column (PostgreSQL `integer`, `serial`). */
export const MAX_INT_ID = 2_147_483_647;

/**
 * A database id in a URL or form: canonical decimal digits only (no sign, leading zero, exponent,
 * hex or spaces: "01", "1e0", "0x1" and " 1" name nothing) within an integer column's range, so that
 * one record has one address and nothing malformed or too large reaches PostgreSQL.
 */
export const recordIdSchema = z.string().regex(/^[1-9]\d{0,9}$/).transform(Number).refine((id) => id <= MAX_INT_ID);

/** A bigint id (payments) in a URL or form: canonical decimal digits, at most 18 (below 2^63). */
export const bigRecordIdSchema = z.string().regex(/^[1-9]\d{0,17}$/);

/** A fiscal year in a URL: four digits, 2001–2100. */
export const yearSchema = z.string().regex(/^\d{4}$/).transform(Number).refine((year) => year >= 2001 && year <= 2100);

interface RouteArgs {
  request: Request;
  params: Record<string, string | undefined>;
  context: { get: (key: typeof userContext) => SessionUser | null };
}

/** A parameter parsed by a schema, or a 404 in the user's language. */
export function requireParam<T>(request: Request, schema: z.ZodType<T, string>, text: string | undefined, notFound: MessageKey = "notFound"): T {
  const parsed = schema.safeParse(text ?? "");
  if (!parsed.success) throw refusal(request, notFound, 404);
  return parsed.data;
}

/**
 * The project a route's `:projectId` names, for a user allowed `permission` on its unit: 404 when the
 * id is malformed or unknown (or, for reads, outside the user's units), 403 for a forbidden write.
 */
export async function requireProject(
  { request, params, context }: RouteArgs,
  permission: Permission = "read",
): Promise<{ db: DB; user: SessionUser; project: ProjectHeader }> {
  const projectId = requireParam(request, recordIdSchema, params.projectId);
  const db = await database();
  const project = await getProjectHeader(db, projectId);
  if (!project) throw refusal(request, "notFound", 404);
  const user = guard(context, request, permission, project.unitId);
  return { db, user, project };
}

/**
 * A record of the route's project named by another parameter (a budget line, a payment), for a user
 * who may `permission` on the project's unit: showing the page of another unit answers 404 as every
 * read does, a write there 403; an id that is malformed, unknown or of another project answers 404.
 */
export async function requireProjectRecord<Id, T extends { projectId: number }>(
  args: RouteArgs,
  to: "show" | "write",
  permission: Permission,
  record: { param: string; schema: z.ZodType<Id, string>; notFound: MessageKey; load: (db: DB, id: Id) => Promise<T | undefined> },
): Promise<{ db: DB; user: SessionUser; project: ProjectHeader; record: T }> {
  const { db, project } = await requireProject(args, to === "show" ? "read" : permission);
  const user = guard(args.context, args.request, permission, project.unitId);
  const id = requireParam(args.request, record.schema, args.params[record.param], record.notFound);
  const found = await record.load(db, id);
  if (!found || found.projectId !== project.id) throw refusal(args.request, record.notFound, 404);
  return { db, user, project, record: found };
}
