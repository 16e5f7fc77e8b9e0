import { afterAll, describe, expect, it } from "vitest";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/connection.ts";

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
});
