import pg from "pg";
import { randomBytes } from "node:crypto";
import { createDb, type DB } from "../../db/pool.ts";
import { migrateToLatest } from "../../db/migrate.ts";
import { seedDemoData } from "../../db/seed.ts";

/** Creates a uniquely named empty database on the server and returns its connection string. */
export async function createDatabase(serverUrl: string, label: string): Promise<string> {
  const name = `budget_test_${label}_${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database created by createDatabase, closing its remaining connections. */
export async function dropDatabase(serverUrl: string, databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!name.startsWith("budget_test_")) throw new Error(`refusing to drop ${name}: not a test database`);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    // The app's role (not a superuser) may not end an autovacuum worker that happens to be in the database:
    // "permission denied to terminate process" (42501). The worker is done within moments: try again.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "42501" || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database for one test file; seeded with the demo data when asked. */
export async function freshDatabase(
  serverUrl: string,
  options: { seed?: boolean } = {},
): Promise<{ db: DB; url: string; drop(): Promise<void> }> {
  const url = await createDatabase(serverUrl, "fresh");
  const db = createDb(url);
  await migrateToLatest(db);
  if (options.seed) await seedDemoData(db);
  return {
    db,
    url,
    drop: async () => {
      await db.destroy();
      await dropDatabase(serverUrl, url);
    },
  };
}

/** The id of a unit's project of a fiscal year: the first, or the one named (a unit may run several). */
export async function projectIdOf(db: DB, unitName: string, fiscalYear = 2024, projectName?: string): Promise<number> {
  let query = db
    .selectFrom("project as p")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select("p.id")
    .where("u.name", "=", unitName)
    .where("p.fiscal_year", "=", fiscalYear);
  if (projectName !== undefined) query = query.where("p.name", "=", projectName);
  const row = await query.orderBy("p.id").executeTakeFirstOrThrow();
  return row.id;
}
