import { beforeAll, describe, expect, it } from "vitest";
import { spawn, execFileSync } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "../db/embedded.ts";

/**
 * `npm start` (scripts/start.mjs: build when stale, then serve) on a throw-away data directory and
 * port: once /healthz answers, SIGTERM or SIGINT to the npm process stops the web server and the
 * embedded PostgreSQL within a few seconds, leaving no orphan.
 */
const descendants = (pid: number): number[] => {
  const table = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of table) if (ppid === parent && child !== undefined) (found.push(child), walk(child));
  };
  walk(pid);
  return found;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Signals npm (or, as Ctrl-C in a terminal does, its whole process group) once /healthz answers; nothing may be left. */
async function startAndStop(signal: "SIGTERM" | "SIGINT" | "SIGHUP", target: "npm" | "group" = "npm") {
  const root = await mkdtemp(path.join(os.tmpdir(), "budget-start-"));
  await chmod(root, 0o755);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), BUDGET_DATA_DIR: path.join(root, "postgres") };
  delete env.DATABASE_URL;
  delete env.NODE_ENV; // vitest sets "test"; the server runs as in production
  const npm = spawn("npm", ["start"], { cwd: path.resolve("."), env, stdio: ["ignore", "pipe", "pipe"], detached: target === "group" });
  let output = "";
  npm.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  try {
    const deadline = Date.now() + 50_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`no /healthz within 50 s:\n${output}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const family = descendants(npm.pid!);
    const commands = execFileSync("ps", ["-o", "args=", "-p", family.join(",")], { encoding: "utf8" });
    expect(commands).toMatch(/react-router-serve/);
    expect(commands).toMatch(/bin\/postgres -D/);
    if (target === "group") process.kill(-npm.pid!, signal);
    else npm.kill(signal);
    const stopBy = Date.now() + 8_000;
    while ([npm.pid!, ...family].some(alive) && Date.now() < stopBy) await new Promise((resolve) => setTimeout(resolve, 100));
    expect([npm.pid!, ...family].filter(alive), output).toEqual([]);
  } finally {
    for (const pid of [npm.pid!, ...descendants(npm.pid!)]) if (alive(pid)) process.kill(pid, "SIGKILL");
    await rm(root, { recursive: true, force: true });
  }
}

describe("npm start", () => {
  // Build first when the sources are newer than build/ (the same rule as npm start), outside the timed starts.
  beforeAll(() => {
    execFileSync(process.execPath, ["scripts/start.mjs", "--build-only"], { stdio: "ignore" });
  }, 180_000);

  it("stops the web server and PostgreSQL on SIGTERM to npm", () => startAndStop("SIGTERM"), 60_000);
  it("stops the web server and PostgreSQL on SIGINT to npm", () => startAndStop("SIGINT"), 60_000);
  // A closed terminal or ssh session sends SIGHUP to the foreground process group (npm itself ignores it).
  it("stops them on a hang-up (SIGHUP to the process group: a closed terminal or ssh session)", () => startAndStop("SIGHUP", "group"), 60_000);
  it("stops them on Ctrl-C in a terminal (SIGINT to the whole process group, forwarded once more by npm start)", () => startAndStop("SIGINT", "group"), 60_000);
});
