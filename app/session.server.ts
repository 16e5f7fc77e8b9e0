import { SESSION_HOURS } from "../db/users";

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

/** True when the request arrived over HTTPS (directly or behind a proxy that says so). */
function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || request.headers.get("X-Forwarded-Proto") === "https";
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

/** A safe place to go after sign-in: a local path only (no other host, no protocol-relative URL). */
export function safeRedirectTarget(next: string | null): string {
  if (!next || !next.startsWith("/")) return "/";
  // Resolve against a placeholder origin: anything that leaves it (//host, /\host, tab or newline
  // tricks that browsers strip) is refused; what stays is path and query only.
  if (/[\u0000-\u0020\u007f\\]/.test(next)) return "/";
  const resolved = new URL(next, "http://local.invalid");
  if (resolved.origin !== "http://local.invalid") return "/";
  return `${resolved.pathname}${resolved.search}`;
}
