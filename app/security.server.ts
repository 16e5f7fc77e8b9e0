import { randomBytes } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { createContext } from "react-router";

/*
 * What the server trusts about a request, the headers it sends on every response, and the sign-in
 * gate (a per-client limit on password checks). Forwarded headers (X-Forwarded-For, -Host, -Proto) are
 * believed only when TRUST_PROXY says how many proxies stand in front of the app (README, Configuration).
 */

// --- The client's address -------------------------------------------------------------------------

/*
 * react-router-serve hands the app a Fetch Request without the socket; the peer's address is copied
 * into a header whose name is random per process (so that no client can send it) as Node starts each
 * request. Without it (another server adapter), every client counts as one ("unknown").
 */
const PEER_HEADER = `x-budget-peer-${randomBytes(12).toString("hex")}`;
subscribe("http.server.request.start", (message) => {
  const { request, socket } = message as { request?: IncomingMessage; socket?: Socket };
  const address = socket?.remoteAddress;
  if (request && address) request.headers[PEER_HEADER] = address;
});

/** How many proxies in front of the app are trusted to say who the client is (TRUST_PROXY; 0: none). */
export function trustedProxies(): number {
  const raw = (process.env.TRUST_PROXY ?? "").trim().toLowerCase();
  if (raw === "true" || raw === "yes") return 1;
  const hops = Number(raw);
  return Number.isInteger(hops) && hops > 0 && hops <= 10 ? hops : 0;
}

/** One client's key: an IPv4 address, or an IPv6 address's /64 (one host's whole range). */
function addressKey(address: string): string {
  const plain = address.trim().toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "").slice(0, 64);
  if (!plain.includes(":")) return plain || "unknown";
  const [head = "", tail] = plain.replace(/^\[|\]$/g, "").replace(/%.*$/, "").split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/**
 * The client's address: the peer's, or — behind TRUST_PROXY=N proxies — the one the N-th proxy from the
 * app saw (X-Forwarded-For read from the right, so that a client cannot choose it by writing the header).
 */
export function clientAddress(request: Request): string {
  const peer = request.headers.get(PEER_HEADER) ?? "unknown";
  const hops = trustedProxies();
  if (hops === 0) return addressKey(peer);
  const forwarded = (request.headers.get("X-Forwarded-For") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  return addressKey(chain[Math.max(0, chain.length - 1 - hops)]!);
}

function firstValue(header: string | null): string | null {
  const value = header?.split(",")[0]?.trim();
  return value ? value : null;
}

/**
 * The origin the client addressed (scheme, host and port): the request's own, or behind a trusted proxy
 * the one X-Forwarded-Proto and X-Forwarded-Host name. Null when it cannot be read.
 */
export function requestOrigin(request: Request): string | null {
  const url = new URL(request.url);
  let scheme = url.protocol.replace(/:$/, "");
  let host = request.headers.get("Host") ?? url.host;
  if (trustedProxies() > 0) {
    const proto = firstValue(request.headers.get("X-Forwarded-Proto"))?.toLowerCase();
    if (proto === "http" || proto === "https") scheme = proto;
    host = firstValue(request.headers.get("X-Forwarded-Host")) ?? host;
  }
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return null;
  }
}

/** True when the client reached the app over HTTPS (directly, or through a trusted proxy that says so). */
export function isHttps(request: Request): boolean {
  return requestOrigin(request)?.startsWith("https:") ?? false;
}

// --- Response headers -------------------------------------------------------------------------------

/**
 * The Content-Security-Policy of a response. Scripts come from this origin, or are inline with the request's
 * nonce (React Router's hydration scripts: app/entry.server.tsx gives the nonce to ServerRouter, whose
 * Scripts and ScrollRestoration carry it); an injected inline script has no nonce and does not run. The grid
 * and charts set inline styles: those stay allowed. No page may be framed (frame-ancestors 'none'), forms
 * post only here, <base> cannot be moved, no plugins. Without a nonce (static files), no inline script runs.
 */
export function contentSecurityPolicy(nonce?: string): string {
  return [
    "default-src 'self'",
    nonce ? `script-src 'self' 'nonce-${nonce}'` : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The request's CSP nonce (set by the request middleware, read by app/entry.server.tsx). */
export const nonceContext = createContext<string>("");

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/** The headers every response carries: with the request's nonce for the app's own, without for static files. */
function baselineHeaders(https: boolean, nonce?: string): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(nonce),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
  if (https) headers["Strict-Transport-Security"] = "max-age=15552000";
  return headers;
}

/** The headers every response of the app carries. */
export function securityHeaders(request: Request, nonce: string): Record<string, string> {
  return baselineHeaders(isHttps(request), nonce);
}

/** isHttps for Node's request (before the app sees it): a TLS socket, or a trusted proxy's X-Forwarded-Proto. */
function nodeRequestIsHttps(request: IncomingMessage): boolean {
  let scheme = (request.socket as TLSSocket | undefined)?.encrypted ? "https" : "http";
  if (trustedProxies() > 0) {
    const raw = request.headers["x-forwarded-proto"];
    const proto = firstValue(Array.isArray(raw) ? raw.join(",") : (raw ?? null))?.toLowerCase();
    if (proto === "http" || proto === "https") scheme = proto;
  }
  return scheme === "https";
}

/*
 * Responses the app never sees — static files that react-router-serve's express.static answers (build
 * assets, public/), their 304s and errors — get the same baseline headers: as Node starts each request, its
 * response's writeHead is wrapped to add, just before the headers go out, each baseline header the response
 * does not have yet. The app's own responses already carry all of them (requestMiddleware), so theirs are
 * left exactly as they are; the static files' policy has no nonce (no inline script runs in an SVG).
 */
subscribe("http.server.request.start", (message) => {
  const { request, response } = message as { request?: IncomingMessage; response?: ServerResponse };
  if (!request || !response) return;
  const writeHead = response.writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
  response.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!this.headersSent) {
      for (const [name, value] of Object.entries(baselineHeaders(nodeRequestIsHttps(request)))) {
        if (!this.hasHeader(name)) this.setHeader(name, value);
      }
    }
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
});

/** The response with the headers set (a copy when its headers cannot be changed). */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  try {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
    return copy;
  }
}

// --- The sign-in gate ---------------------------------------------------------------------------------

/** Attempts a client may make at once, and how fast its allowance comes back (one per REFILL_MS). */
export const SIGN_IN_BURST = 10;
const REFILL_MS = 6_000;
/** Password checks running at once (scrypt takes a core and 32 MiB each), and waiting at most. */
const CONCURRENT_CHECKS = 1;
const MAX_WAITING = 32;
/** Clients remembered at most (the oldest are forgotten first). */
const MAX_CLIENTS = 20_000;

/**
 * How long a refused attempt is held before its answer: a client that floods the sign-in gets its
 * refusals slowly, so that its loop costs the server little (a held answer is a timer, not a core).
 */
export const REFUSAL_PAUSE_MS = 1_000;

/** Waits `ms` milliseconds, or less when the client goes away. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}


/**
 * Limits password checks: each client has SIGN_IN_BURST attempts, coming back one every 6 s, and a
 * successful sign-in gives its attempt back (so people who type their password right are never held up);
 * the checks themselves run CONCURRENT_CHECKS at a time, so that a flood of sign-ins from many clients
 * leaves a core for the signed-in users. Refused attempts cost no password check.
 */
export class SignInGate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly burst = SIGN_IN_BURST,
    private readonly refillMs = REFILL_MS,
    private readonly concurrent = CONCURRENT_CHECKS,
    private readonly maxWaiting = MAX_WAITING,
  ) {}

  private bucket(client: string, now: number): { tokens: number; at: number } {
    const found = this.buckets.get(client);
    const bucket = found ?? { tokens: this.burst, at: now };
    const earned = Math.floor((now - bucket.at) / this.refillMs);
    if (earned > 0) {
      bucket.tokens = Math.min(this.burst, bucket.tokens + earned);
      bucket.at = bucket.tokens === this.burst ? now : bucket.at + earned * this.refillMs;
    }
    // Re-inserted: the map's order is the order of last use, the oldest first.
    this.buckets.delete(client);
    this.buckets.set(client, bucket);
    if (this.buckets.size > MAX_CLIENTS) this.buckets.delete(this.buckets.keys().next().value!);
    return bucket;
  }

  /** Takes one attempt of the client's allowance; or how long to wait. */
  take(client: string, now = Date.now()): { retryAfterSeconds: number } | null {
    const bucket = this.bucket(client, now);
    if (bucket.tokens <= 0) return { retryAfterSeconds: Math.max(1, Math.ceil((bucket.at + this.refillMs - now) / 1000)) };
    bucket.tokens -= 1;
    return null;
  }

  /** Gives an attempt back (a successful sign-in, or a check that never ran). */
  refund(client: string, now = Date.now()): void {
    const bucket = this.bucket(client, now);
    bucket.tokens = Math.min(this.burst, bucket.tokens + 1);
  }

  /** Runs a password check when its turn comes; "busy" when too many are waiting already. */
  async run<T>(check: () => Promise<T>): Promise<T | "busy"> {
    if (this.running >= this.concurrent) {
      if (this.waiting.length >= this.maxWaiting) return "busy";
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await check();
    } finally {
      const nextInLine = this.waiting.shift();
      // The slot passes to the next in line as it is; with nobody waiting it is freed.
      if (nextInLine) nextInLine();
      else this.running -= 1;
    }
  }
}

/** The web server's gate. */
export const signInGate = new SignInGate();
