import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../db/embedded.ts";
import { createDb, isConnectionError, poolOf } from "../db/pool.ts";

/*
 * Issue 17 §2 in-process: a postmaster killed with SIGKILL while a connection is checked out (as an
 * import holds one for its transaction) must not end the process; the app's pool turns connection
 * errors into its own answer; a supervised embedded server comes back by itself with what was committed.
 * The app end to end: test/e2e/database-failure.test.ts.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a database that dies", () => {
  let root = "";
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("recognises connection errors, and only those", () => {
    const coded = (message: string, code: string) => Object.assign(new Error(message), { code });
    expect(isConnectionError(coded("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isConnectionError(coded("terminating connection due to unexpected postmaster exit", "57P02"))).toBe(true);
    expect(isConnectionError(coded("the database system is starting up", "57P03"))).toBe(true);
    expect(isConnectionError(coded("terminating connection due to administrator command", "57P01"))).toBe(true);
    expect(isConnectionError(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionError(coded('invalid byte sequence for encoding "UTF8": 0x00', "22021"))).toBe(false);
    expect(isConnectionError(coded("numeric field overflow", "22003"))).toBe(false);
    expect(isConnectionError(coded("duplicate key value violates unique constraint", "23505"))).toBe(false);
    expect(isConnectionError("ECONNREFUSED")).toBe(false);
  });

  it("survives a SIGKILL of the postmaster with a connection checked out, answers with the app's error meanwhile, and restarts it with the committed data", async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "budget-dies-"));
    await chmod(root, 0o755);
    const dataDir = path.join(root, "postgres");
    const server = await startEmbeddedPostgres(dataDir, { quiet: true, supervise: true });
    const unavailable = new Error("the app's 503");
    const db = createDb(server.url, { onConnectionError: () => unavailable });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    try {
      await sql`CREATE TABLE kept (id int PRIMARY KEY)`.execute(db);
      await sql`INSERT INTO kept VALUES (1)`.execute(db);
      // A connection held between two statements of a transaction, as the import holds its own.
      const client = await poolOf(db).connect();
      await client.query("BEGIN");
      await client.query("INSERT INTO kept VALUES (2)");
      const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
      const killedAt = Date.now();
      process.kill(pid, "SIGKILL");
      await sleep(500);
      expect(uncaught).toEqual([]);
      const broken = await client.query("INSERT INTO kept VALUES (3)").then(() => undefined, (error: unknown) => error);
      expect(isConnectionError(broken)).toBe(true);
      client.release(broken as Error);

      // Back by itself: the pool reconnects to the restarted server on the same port.
      let back = 0;
      let sawUnavailable = false;
      while (Date.now() - killedAt < 30_000) {
        try {
          await sql`SELECT 1`.execute(db);
          back = Date.now();
          break;
        } catch (error) {
          expect(error).toBe(unavailable); // never a raw connection error
          sawUnavailable = true;
          await sleep(50);
        }
      }
      expect(back).toBeGreaterThan(0);
      console.log(`restarted ${back - killedAt} ms after the kill${sawUnavailable ? "" : " (before the first query)"}`);
      const rows = await sql<{ id: number }>`SELECT id FROM kept ORDER BY id`.execute(db);
      expect(rows.rows).toEqual([{ id: 1 }]); // committed kept; the killed transaction gone
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", onUncaught);
      await db.destroy();
      await server.stop();
    }
    // Stopped on purpose: not restarted.
    await sleep(1_500);
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
  }, 60_000);
});
