import { execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm, chmod } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, SECRET_FILE, serverBinaries, startEmbeddedPostgres } from "../db/embedded.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { openDatabase } from "../db/open.ts";
import { createDb } from "../db/pool.ts";

/*
 * Issue 17 §4: the embedded PostgreSQL has no fixed password any more. Each install draws its own
 * secret (kept in the data directory, 0600), the app connects as a role without superuser rights that
 * owns its schema, and an install made with the old fixed password is upgraded on start.
 */

const OLD_PASSWORD = "budget-monitor-embedded";
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const postgresIds = () => (isRoot ? { uid: Number(execFileSync("id", ["-u", "postgres"]).toString()), gid: Number(execFileSync("id", ["-g", "postgres"]).toString()) } : {});

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** The error code of a failed connection or statement (undefined when it succeeds). */
async function failure(url: string, text = "SELECT 1"): Promise<string | undefined> {
  try {
    await query(url, text);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

const withPassword = (url: string, user: string, password: string) => {
  const changed = new URL(url);
  changed.username = user;
  changed.password = password;
  return changed.toString();
};

/** What the app's role may do, checked on a server: everything of its schema, nothing of a superuser. */
async function expectAppRole(url: string, adminUrl: string): Promise<void> {
  const [me] = await query<{ user: string; superuser: boolean; createrole: boolean }>(url, "SELECT current_user AS user, rolsuper AS superuser, rolcreaterole AS createrole FROM pg_roles WHERE rolname = current_user");
  expect(me).toEqual({ user: "budget_app", superuser: false, createrole: false });
  // The probe's way to a shell: refused.
  await query(url, "CREATE TABLE IF NOT EXISTS program_probe (line text)");
  expect(await failure(url, "COPY program_probe FROM PROGRAM 'id'")).toBe("42501");
  expect(await failure(url, "SELECT pg_read_file('PG_VERSION')")).toBe("42501");
  expect(await failure(url, "ALTER ROLE budget_app SUPERUSER")).toBe("42501");
  await query(url, "DROP TABLE program_probe");
  // The fixed password of old installs opens nothing.
  expect(await failure(withPassword(url, "budget", OLD_PASSWORD))).toBe("28P01");
  expect(await failure(withPassword(url, "budget_app", OLD_PASSWORD))).toBe("28P01");
  // The superuser is there for setup, with the install's own password.
  const [admin] = await query<{ superuser: boolean }>(adminUrl, "SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user");
  expect(admin!.superuser).toBe(true);
}

function expectSecretFile(dataDir: string, url: string): void {
  const file = path.join(dataDir, SECRET_FILE);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const secret = JSON.parse(readFileSync(file, "utf8")) as { superuser: string; app: string };
  expect(secret.superuser).toMatch(/^[0-9a-f]{64}$/);
  expect(secret.app).toMatch(/^[0-9a-f]{64}$/);
  expect(secret.app).not.toBe(secret.superuser);
  expect(new URL(url).password).toBe(secret.app);
}

describe("the embedded PostgreSQL's roles", () => {
  let root: string;
  const savedUrl = process.env.DATABASE_URL;
  const savedDir = process.env.BUDGET_DATA_DIR;

  afterAll(async () => {
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
    if (savedDir === undefined) delete process.env.BUDGET_DATA_DIR;
    else process.env.BUDGET_DATA_DIR = savedDir;
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("a new install: a random secret in the data directory (0600), the app as a role without superuser rights", async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "budget-roles-"));
    await chmod(root, 0o755);
    const dataDir = path.join(root, "new", "postgres");
    const server = await startEmbeddedPostgres(dataDir, { quiet: true });
    try {
      expectSecretFile(dataDir, server.url);
      expect(existsSync(`${dataDir}.secret-pending`)).toBe(false);
      await expectAppRole(server.url, server.adminUrl);
      // The app's work: migrations run as the role, in its own database.
      const db = createDb(server.url);
      try {
        await migrateToLatest(db);
        const owners = await query<{ owner: string }>(server.url, "SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public'");
        expect(owners).toEqual([{ owner: "budget_app" }]);
      } finally {
        await db.destroy();
      }
    } finally {
      await server.stop();
    }
    // Another install draws another secret.
    const other = await startEmbeddedPostgres(path.join(root, "other", "postgres"), { quiet: true });
    try {
      expect(new URL(other.url).password).not.toBe(new URL(server.url).password);
    } finally {
      await other.stop();
    }
    // A restart keeps the secret, and the app role's password stays valid.
    const again = await startEmbeddedPostgres(dataDir, { quiet: true });
    try {
      expect(again.url.replace(/:\d+\//, "/")).toBe(server.url.replace(/:\d+\//, "/"));
      expect(await failure(again.url)).toBeUndefined();
    } finally {
      await again.stop();
    }
  }, 120_000);

  it("an install made with the old fixed password is upgraded on start, its data kept and given to the app role", async () => {
    // The old way: initdb with the fixed password, the app connected as that superuser and migrated.
    const dataDir = path.join(root, "old", "postgres");
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(path.dirname(dataDir), 0o755);
    const ids = postgresIds();
    if (isRoot) chownSync(dataDir, ids.uid!, ids.gid!);
    const native = serverBinaries();
    const passwordFile = path.join(root, "old-password");
    writeFileSync(passwordFile, `${OLD_PASSWORD}\n`, { mode: 0o644 });
    execFileSync(path.join(native, "bin", "initdb"), [`--pgdata=${dataDir}`, "--auth=scram-sha-256", "--username=budget", `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C"], { ...ids, stdio: "ignore" });
    rmSync(passwordFile);
    const port = await freePort();
    const postgres = spawn(path.join(native, "bin", "postgres"), ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1"], { ...ids, stdio: ["ignore", "ignore", "pipe"] });
    const exited = new Promise((resolve) => postgres.once("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      let output = "";
      postgres.stderr!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("ready to accept connections")) resolve();
      });
      postgres.once("exit", () => reject(new Error(output)));
    });
    const oldUrl = `postgres://budget:${OLD_PASSWORD}@127.0.0.1:${port}/postgres`;
    try {
      const db = createDb(oldUrl);
      await migrateToLatest(db);
      await db.destroy();
      await query(oldUrl, "INSERT INTO setting (key, value) VALUES ('upgrade_probe', 'kept') ON CONFLICT (key) DO UPDATE SET value = 'kept'");
      await query(oldUrl, "CREATE FUNCTION public.old_helper() RETURNS int LANGUAGE sql AS 'SELECT 1'");
    } finally {
      postgres.kill("SIGINT");
      await exited;
    }
    expect(existsSync(path.join(dataDir, SECRET_FILE))).toBe(false);

    // The new version starts on it: the app's own way (openDatabase, migrations included).
    delete process.env.DATABASE_URL;
    process.env.BUDGET_DATA_DIR = dataDir;
    const opened = await openDatabase({ quiet: true, seed: false });
    try {
      expectSecretFile(dataDir, opened.url);
      await expectAppRole(opened.url, opened.embedded!.adminUrl);
      const [kept] = await query<{ value: string }>(opened.url, "SELECT value FROM setting WHERE key = 'upgrade_probe'");
      expect(kept!.value).toBe("kept");
      // Everything the superuser made is the role's now: tables, sequences, functions, the schema.
      const foreign = await query<{ name: string }>(opened.url, `
        SELECT relname::text AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relowner <> 'budget_app'::regrole
        UNION ALL SELECT proname::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proowner <> 'budget_app'::regrole
        UNION ALL SELECT nspname::text FROM pg_namespace WHERE nspname = 'public' AND nspowner <> 'budget_app'::regrole`);
      expect(foreign).toEqual([]);
      // So a later migration can change them.
      await query(opened.url, "BEGIN; ALTER TABLE payment ADD COLUMN upgrade_probe int; DROP FUNCTION old_helper(); ROLLBACK");
    } finally {
      await opened.close();
    }
    expect(await (async () => {
      // Stopped: start once more; the old password stays refused, the secret unchanged.
      const secret = readFileSync(path.join(dataDir, SECRET_FILE), "utf8");
      const again = await startEmbeddedPostgres(dataDir, { quiet: true });
      try {
        expect(readFileSync(path.join(dataDir, SECRET_FILE), "utf8")).toBe(secret);
        return await failure(withPassword(again.url, "budget", OLD_PASSWORD));
      } finally {
        await again.stop();
      }
    })()).toBe("28P01");
  }, 180_000);
});
