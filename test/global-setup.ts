import type { TestProject } from "vitest/node";
import { mkdtemp, rm, chmod } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedServer } from "../db/embedded.ts";
import { createDatabase, dropDatabase } from "./support/database.ts";
import { createDb } from "../db/pool.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { seedDemoData } from "../db/seed.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A server-level connection string, for creating throw-away databases. */
    serverUrl: string;
    /** A database migrated and loaded with the demo data, shared read-only by the tests. */
    demoDatabaseUrl: string;
  }
}

/**
 * Starts a real PostgreSQL for the whole run: the server of DATABASE_URL when it is set, otherwise
 * an embedded one in a throw-away directory. Creates the shared demo database and removes it after.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedServer | undefined;
  let dataRoot: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    dataRoot = await mkdtemp(path.join(os.tmpdir(), "budget-test-"));
    // As root PostgreSQL runs as the user "postgres": its data directory must be reachable (0755), and
    // startEmbeddedPostgres runs the binaries from /var/lib/budget-monitor when node_modules is not.
    await chmod(dataRoot, 0o755);
    embedded = await startEmbeddedPostgres(path.join(dataRoot, "postgres"), { quiet: true });
    serverUrl = embedded.url;
  }
  const demoDatabaseUrl = await createDatabase(serverUrl, "demo");
  const db = createDb(demoDatabaseUrl);
  await migrateToLatest(db);
  await seedDemoData(db);
  await db.destroy();

  project.provide("serverUrl", serverUrl);
  project.provide("demoDatabaseUrl", demoDatabaseUrl);

  return async () => {
    await dropDatabase(serverUrl, demoDatabaseUrl);
    await embedded?.stop();
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
  };
}
