/* The connection pool and the database type: what every query module needs, and nothing else. */
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "./schema.ts";

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

/** Checks that the database answers; used by the health route and the CLI. */
export async function ping(db: DB): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
