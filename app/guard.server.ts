import { createContext, data, redirect, type MiddlewareFunction } from "react-router";
import { decide, type Permission } from "../domain/permissions";
import { sessionUser, type SessionUser } from "../db/users";
import { database } from "./db.server";
import { languageOf, translate, type MessageKey } from "./i18n";
import { sessionToken } from "./session.server";

/*
 * The one server-side guard. Root middleware refuses cross-site writes and finds the signed-in user;
 * every loader and action then calls guard() with the permission it needs and the unit of the record
 * it actually touches (looked up from the database, never taken from the URL).
 */

/** The signed-in user of the request (null on public pages). */
export const userContext = createContext<SessionUser | null>(null);

/** Paths anyone may open without signing in. */
const PUBLIC_PATHS = new Set(["/login", "/healthz"]);

/** A refusal in the request's language (the body of a 401/403/404 response). */
export function refusal(request: Request | null, key: MessageKey, status: number) {
  return data(translate(request ? languageOf(request).language : "zh", key), { status });
}

function log(event: string, details: Record<string, unknown>): void {
  console.warn(JSON.stringify({ at: new Date().toISOString(), event, ...details }));
}

/**
 * Refuses state-changing requests from other sites: the Origin (or, without one, the Referer)
 * must be this server's own origin.
 */
export const csrfMiddleware: MiddlewareFunction<Response> = async ({ request }, next) => {
  if (["GET", "HEAD", "OPTIONS"].includes(request.method)) return next();
  const url = new URL(request.url);
  const host = request.headers.get("X-Forwarded-Host") ?? request.headers.get("Host") ?? url.host;
  const source = request.headers.get("Origin") ?? request.headers.get("Referer");
  let sourceHost: string | null = null;
  try {
    sourceHost = source ? new URL(source).host : null;
  } catch {
    sourceHost = null;
  }
  if (sourceHost === null || sourceHost !== host) {
    log("csrf-refused", { method: request.method, path: url.pathname, origin: source });
    throw refusal(request, "crossSiteRefused", 403);
  }
  return next();
};

/** Finds the signed-in user; sends everyone else to the sign-in page (public paths excepted). */
export const authMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const token = sessionToken(request);
  const user = token ? await sessionUser(await database(), token) : undefined;
  context.set(userContext, user ?? null);
  const url = new URL(request.url);
  const path = url.pathname.replace(/\.data$/, "").replace(/\/_root$/, "") || "/";
  if (!user && !PUBLIC_PATHS.has(path)) {
    if (request.method !== "GET" && request.method !== "HEAD") throw refusal(request, "signInFirst", 401);
    throw redirect(`/login?next=${encodeURIComponent(path + url.search)}`);
  }
  return next();
};

/** The signed-in user; only for routes behind authMiddleware. */
export function currentUser(context: { get: (key: typeof userContext) => SessionUser | null }, request: Request | null = null): SessionUser {
  const user = context.get(userContext);
  if (!user) throw refusal(request, "signInFirst", 401);
  return user;
}

/**
 * Allows the request or throws: 404 for reads outside the user's units (or without the role), 403
 * for forbidden writes; both are logged. unitId is the unit of the record touched (null: no unit).
 */
export function guard(
  context: { get: (key: typeof userContext) => SessionUser | null },
  request: Request,
  permission: Permission,
  unitId: number | null,
): SessionUser {
  const user = currentUser(context, request);
  const decision = decide({ roles: user.roles, unitSubtree: new Set(user.unitSubtree) }, permission, unitId);
  if (decision === "allowed") return user;
  const details = { user: user.username, permission, unitId, method: request.method, path: new URL(request.url).pathname };
  if (decision === "not-found") {
    log("read-refused", details);
    throw refusal(request, "notFoundRecord", 404);
  }
  log("write-refused", details);
  throw refusal(request, "forbidden", 403);
}
