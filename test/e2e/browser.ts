import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Arguments for headless Chromium run as root in a container, with no traffic of its own. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

/** The Chromium binary: $CHROMIUM_PATH, else Debian's /usr/bin/chromium; undefined when neither exists. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"].filter((candidate): candidate is string => Boolean(candidate));
  return candidates.find((candidate) => existsSync(candidate));
}

/**
 * Whether the browser tests can run. In CI a missing browser is an error (the tests must run there);
 * elsewhere they are skipped with a loud warning. Use as `describe.skipIf(!browserAvailable())`.
 */
export function browserAvailable(): boolean {
  if (chromiumPath()) return true;
  const message = `No Chromium found (set CHROMIUM_PATH or install Debian's chromium at /usr/bin/chromium).`;
  const ci = process.env.CI !== undefined && !/^(|0|false)$/i.test(process.env.CI);
  if (ci) throw new Error(`${message} The browser tests must run in CI.`);
  const bar = "!".repeat(78);
  console.warn(`\n${bar}\n!!! BROWSER TESTS SKIPPED: ${message}\n${bar}\n`);
  return false;
}

/** Launches headless Chromium. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("No Chromium found (set CHROMIUM_PATH or install chromium at /usr/bin/chromium).");
  return chromium.launch({ executablePath, args: chromiumArgs, headless: true });
}
