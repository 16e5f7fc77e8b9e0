import { SESSION_HOURS } from "../db/users";
import { isHttps } from "./security.server";

/** The session cookie: an opaque random token; the database keeps only its hash. */
export const SESSION_COOKIE = "bm_session";

/** The session token carried by a request, if any. */
export function sessionToken(request: Request): string | undefined {
  const cookie = request.headers.get("Cookie") ?? "";
  for (const part of cookie.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return value.join("=") || undefined;
  }
  return undefined;
}

/** Set-Cookie for a new session: httpOnly, SameSite=Lax, Secure behind HTTPS. */
export function sessionCookie(token: string, request: Request): string {
  const secure = isHttps(request) ? "; Secure" : "";
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_HOURS * 3600}${secure}`;
}

/** Set-Cookie that removes the session cookie. */
export function clearedSessionCookie(request: Request): string {
  const secure = isHttps(request) ? "; Secure" : "";
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
}

const PLACEHOLDER = "http://local.invalid";

/**
 * A safe place to go after sign-in: a path of this site only, never another host. Resolved against a
 * placeholder origin as a browser would resolve the Location: anything that leaves it (//host, /\host,
 * tab or newline tricks that browsers strip) is refused, and so is a path that resolving itself turns
 * into //host ("/.//evil", "/../..//evil", "/%2e%2e//evil"). safeRedirectTarget("/projects/1?x=1") → "/projects/1?x=1".
 */
export function safeRedirectTarget(next: string | null): string {
  if (!next || !next.startsWith("/")) return "/";
  if (/[\u0000-\u0020\u007f\\]/.test(next)) return "/";
  let resolved: URL;
  try {
    resolved = new URL(next, PLACEHOLDER);
  } catch {
    return "/";
  }
  if (resolved.origin !== PLACEHOLDER) return "/";
  const target = `${resolved.pathname}${resolved.search}`;
  // What is sent must itself be a plain path: one slash, then no second slash or backslash.
  if (!target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return "/";
  if (new URL(target, PLACEHOLDER).origin !== PLACEHOLDER) return "/";
  // Nor once decoded (a proxy or a client that decodes %2F and %5C must not find //host either).
  let decoded = target;
  try {
    decoded = decodeURIComponent(resolved.pathname);
  } catch {
    return "/";
  }
  if (/^[/\\][/\\]/.test(decoded) || /[\u0000-\u001f\u007f]/.test(decoded)) return "/";
  return target;
}
