import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "./schema.ts";
import { defaultDataDir, startEmbeddedPostgres, type EmbeddedServer } from "./embedded.ts";
import { migrateToLatest } from "./migrate.ts";
import { isDatabaseEmpty, seedDemoData } from "./seed.ts";

export type DB = Kysely<Database>;

const DATE_OID = 1082;

/** Type parsers: DATE stays an ISO string (no time-zone shifts); NUMERIC and BIGINT stay strings (pg's default). */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as "text");
  },
};

/** Creates a Kysely instance on a PostgreSQL connection string. */
export function createDb(connectionString: string, options: { max?: number } = {}): DB {
  const pool = new pg.Pool({ connectionString, types, max: options.max ?? 10 });
  // An idle connection closed by the server (e.g. PostgreSQL shutting down with the app) is not a crash.
  pool.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") console.warn(`数据库连接错误 database connection error: ${error.message}`);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

const pools = new WeakMap<DB, pg.Pool>();

/** The pg pool behind a DB made by createDb: for COPY FROM STDIN (db/import.ts), which Kysely does not speak. */
export function poolOf(db: DB): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error("poolOf: this DB was not made by createDb");
  return pool;
}

/** Where the embedded server keeps its data unless BUDGET_DATA_DIR says otherwise. */
export function embeddedDataDir(): string {
  return process.env.BUDGET_DATA_DIR ?? defaultDataDir();
}

export interface OpenedDatabase {
  db: DB;
  /** The connection string in use (the embedded server's when DATABASE_URL is unset). */
  url: string;
  embedded: EmbeddedServer | null;
  /** Closes the pool and stops the embedded server, if one was started. */
  close(): Promise<void>;
}

/**
 * Opens the application database: DATABASE_URL when set (nothing is started), otherwise an embedded
 * PostgreSQL under .data/postgres. Runs pending migrations. The demo data (with its published demo
 * passwords) is loaded into an empty embedded database only; a DATABASE_URL database gets it only by
 * an explicit `budget db seed`.
 */
export async function openDatabase(options: { seed?: boolean; quiet?: boolean } = {}): Promise<OpenedDatabase> {
  const configuredUrl = process.env.DATABASE_URL;
  const embedded = configuredUrl ? null : await startEmbeddedPostgres(embeddedDataDir(), { quiet: options.quiet });
  const url = configuredUrl ?? embedded!.url;
  const db = createDb(url);
  const close = async () => {
    await db.destroy();
    await embedded?.stop();
  };
  try {
    await migrateToLatest(db);
    if (options.seed !== false && embedded !== null && (await isDatabaseEmpty(db))) await seedDemoData(db, { trackingForms: true });
  } catch (error) {
    await close();
    throw error;
  }
  return { db, url, embedded, close };
}

/** Checks that the database answers; used by the health route and the CLI. */
export async function ping(db: DB): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
