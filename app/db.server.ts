import { type DB } from "../db/pool";
import { openDatabase, type OpenedDatabase } from "../db/open";
import { listUsers } from "../db/users";
import { EmbeddedStartError } from "../db/embedded";
import { AsyncLocalStorage } from "node:async_hooks";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { languageOf, translate } from "./i18n";

/*
 * The app's one database: DATABASE_URL, or the embedded PostgreSQL under .data/postgres, started
 * when the server starts (not at the first request), migrated and seeded with the demo data once.
 * On SIGINT/SIGTERM/SIGHUP the pool is closed and the embedded server stopped (fast shutdown), then the
 * process exits; an error opening the database is printed as one sentence, without a stack trace.
 */
let opened: Promise<OpenedDatabase> | undefined;

/*
 * The HTTP request being served, for the one answer made where no request is at hand: a query that
 * finds the database gone (below). Node announces each request before the server handles it; the
 * handling (React Router's middleware, loaders, actions) then runs in this request's async context.
 */
const currentRequest = new AsyncLocalStorage<IncomingMessage>();
subscribe("http.server.request.start", (message) => currentRequest.enterWith((message as { request: IncomingMessage }).request));

/** The language of the request being served (its `lang` parameter or cookie), if one is. */
function requestLanguage() {
  const request = currentRequest.getStore();
  if (!request) return undefined;
  const url = new URL(request.url ?? "/", "http://localhost");
  return languageOf(new Request(url, { headers: { Cookie: request.headers.cookie ?? "" } })).language;
}

/**
 * The answer to a request whose query found the database unreachable (refused, broken, restarting):
 * 503, thrown by the query in place of its error (db/pool.ts onConnectionError), with one sentence in
 * the request's language (both languages when none is known). Pages show it in their error page
 * (root.tsx ErrorMessage). The embedded server is being restarted meanwhile (decision 018).
 */
export function databaseUnavailable(): Response {
  const language = requestLanguage();
  const text = language ? translate(language, "dbUnavailableText") : `${translate("zh", "dbUnavailableText")}\n${translate("en", "dbUnavailableText")}`;
  const headers = { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "5", "Cache-Control": "no-store", ...(language ? { "Content-Language": language === "zh" ? "zh-CN" : "en" } : {}) };
  return new Response(text, { status: 503, headers });
}

/** The database, opened on first use and shared by every loader. */
export async function database(): Promise<DB> {
  opened ??= openDatabase({ supervise: true, onConnectionError: databaseUnavailable }).then(async (result) => {
    console.log(`数据库已就绪 database ready${result.embedded ? ` (embedded, ${result.embedded.dataDir})` : ""}`);
    if ((await listUsers(result.db)).length === 0) {
      console.warn("尚无用户：请用 `npx budget user add NAME --unit UNIT --role admin` 创建管理员 (no users yet: create an admin with the CLI)");
    }
    return result;
  });
  return (await opened).db;
}

if (process.env.NODE_ENV === "production") {
  // A second signal (Ctrl-C reaches the whole process group and npm start forwards it too) changes nothing.
  let stopping = false;
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const stop = opened ? opened.then((result) => result.close(), () => undefined) : Promise.resolve();
      // Still opening (first start: seeding)? The embedded server already got its shutdown signal
      // (db/embedded.ts); don't wait for the seed to finish.
      const settled = new Promise((resolve) => setTimeout(resolve, 5_000).unref());
      void Promise.race([stop, settled]).finally(() => process.exit(codes[signal]));
    });
  }
  database().catch((error: unknown) => {
    // A known start problem is one sentence; anything else keeps its stack for whoever has to fix it.
    const message = error instanceof EmbeddedStartError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`数据库启动失败 the database could not be opened: ${message}`);
    process.exit(1);
  });
}
