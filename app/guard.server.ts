import { randomUUID } from "node:crypto";
import { createContext, data, redirect, type MiddlewareFunction } from "react-router";
import { decide, type Permission } from "../domain/permissions";
import { sessionUser, type SessionUser } from "../db/users";
import { database } from "./db.server";
import { languageOf, translate, type MessageKey } from "./i18n";
import { sessionToken } from "./session.server";
import { logger, requestLog, requestLogContext } from "./log.server";
import { newNonce, nonceContext, requestOrigin, securityHeaders, withHeaders } from "./security.server";

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

/** Logs a refusal at warn level, with the request's id when the context carries it (the guard's and the services' refusals alike). */
export function logRefusal(context: unknown, event: string, details: Record<string, unknown>): void {
  let target = logger;
  try {
    target = requestLog(context as Parameters<typeof requestLog>[0]);
  } catch {
    // A context without the request's logger (a test calling guard() directly): the process's logger.
  }
  target.warn({ event, ...details }, event);
}

/**
 * The outermost middleware: gives the request an id (X-Request-Id, and reqId in every log line of it),
 * sets the security headers on every response (pages, data requests, resource routes, redirects and
 * refusals alike) and logs one line per request: method, path, status, milliseconds, user id.
 */
export const requestMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const started = performance.now();
  const requestId = randomUUID();
  const log = logger.child({ reqId: requestId });
  context.set(requestLogContext, log);
  const nonce = newNonce();
  context.set(nonceContext, nonce);
  const url = new URL(request.url);
  let response: Response;
  try {
    response = await next();
  } catch (error) {
    if (!(error instanceof Response)) {
      log.error({ event: "request-failed", method: request.method, path: url.pathname, err: error }, "request failed");
      throw error;
    }
    response = error;
  }
  response = withHeaders(response, { ...securityHeaders(request, nonce), "X-Request-Id": requestId });
  const status = response.status;
  const line = {
    event: "request",
    method: request.method,
    path: url.pathname,
    status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    userId: context.get(userContext)?.id ?? null,
  };
  // A client gone before the answer (a page navigated away while its form was posting) is told nothing, and the
  // framework answers the aborted request 500: a warning that says so, not an error (which a failure of the server
  // in such a request could still be, so it is not silenced to info).
  if (request.signal.aborted && status >= 500) log.warn({ ...line, clientClosed: true }, "request");
  else if (request.signal.aborted) log.info({ ...line, clientClosed: true }, "request");
  else if (status >= 500) log.error(line, "request");
  else log.info(line, "request");
  return response;
};

/**
 * Refuses state-changing requests from other sites: the Origin (or, without one, the Referer) must be
 * this server's own origin — scheme, host and port. Forwarded host and scheme count only behind a
 * trusted proxy (TRUST_PROXY).
 */
export const csrfMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  if (["GET", "HEAD", "OPTIONS"].includes(request.method)) return next();
  const url = new URL(request.url);
  const expected = requestOrigin(request);
  const source = request.headers.get("Origin") ?? request.headers.get("Referer");
  let sourceOrigin: string | null = null;
  try {
    sourceOrigin = source ? new URL(source).origin : null;
  } catch {
    sourceOrigin = null;
  }
  if (sourceOrigin === null || expected === null || sourceOrigin !== expected) {
    logRefusal(context, "csrf-refused", { method: request.method, path: url.pathname, origin: source?.slice(0, 200) ?? null, expected });
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
  const details = { userId: user.id, user: user.username, permission, unitId, method: request.method, path: new URL(request.url).pathname };
  if (decision === "not-found") {
    logRefusal(context, "read-refused", details);
    throw refusal(request, "notFoundRecord", 404);
  }
  logRefusal(context, "write-refused", details);
  throw refusal(request, "forbidden", 403);
}
