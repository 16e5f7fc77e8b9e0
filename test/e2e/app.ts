import { afterAll, beforeAll, inject } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { freshDatabase } from "../support/database.ts";
import type { DB } from "../../db/pool.ts";
import type { DEMO_USERS } from "../../db/seed.ts";
import { launchBrowser } from "./browser.ts";
import { startServer, type RunningServer } from "./server.ts";
import { browserCookie, signIn } from "./session.ts";

/** What a browser test file works with: a seeded database, the production server on it, Chromium. */
export interface SeededApp {
  readonly baseUrl: string;
  readonly db: DB;
  readonly browser: Browser;
  /** A new browser context already signed in as the demo user. */
  signedIn(username: (typeof DEMO_USERS)[number]["username"], viewport?: { width: number; height: number }): Promise<BrowserContext>;
}

/**
 * Registers beforeAll/afterAll hooks that start a freshly seeded database, the production server and
 * Chromium for the calling describe block, and stop them afterwards. Read the fields inside tests.
 */
export function useSeededApp(): SeededApp {
  let fresh: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    server = await startServer(fresh.url);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fresh?.drop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started yet: use it inside a test`);
    return value;
  };
  return {
    get baseUrl() {
      return started(server, "the server").baseUrl;
    },
    get db() {
      return started(fresh, "the database").db;
    },
    get browser() {
      return started(browser, "the browser");
    },
    async signedIn(username, viewport = { width: 1440, height: 900 }) {
      const baseUrl = started(server, "the server").baseUrl;
      const context = await started(browser, "the browser").newContext({ viewport, locale: "zh-CN" });
      await context.addCookies([browserCookie(baseUrl, await signIn(baseUrl, username))]);
      return context;
    },
  };
}
