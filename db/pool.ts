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

/**
 * True for an error that says the database cannot be reached or went away (refused or broken
 * connection, a server shutting down, crashed or still starting), as opposed to an error of the query.
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    // SQLSTATE class 08 (connection exception), 57P01–57P03 (admin/crash shutdown, cannot connect now), 53300 (too many connections).
    if (/^08/.test(code) || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300") return true;
    if (["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"].includes(code)) return true;
  }
  return /^Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable/.test(error.message);
}

/** Options of createDb. */
export interface DbOptions {
  max?: number;
  /**
   * Replaces a connection error (isConnectionError) of a query run through Kysely by what it returns
   * (the web app: a 503 answer). Other errors pass unchanged.
   */
  onConnectionError?: (error: Error) => unknown;
}

/** Creates a Kysely instance on a PostgreSQL connection string. */
export function createDb(connectionString: string, options: DbOptions = {}): DB {
  const pool = new pg.Pool({ connectionString, types, max: options.max ?? 10 });
  const report = (error: Error & { code?: string }) => {
    if (error.code !== "57P01") console.warn(`数据库连接错误 database connection error: ${error.message}`);
  };
  // An idle connection closed by the server (e.g. PostgreSQL shutting down with the app) is not a crash.
  pool.on("error", report);
  // Nor is one closed while checked out (a transaction between two statements, an import holding its
  // connection): pg emits 'error' on the client then, which would end the process with nobody listening.
  // The statement running on it, or the next one, fails and its request fails; the pool drops the client.
  pool.on("connect", (client) => client.on("error", report));
  const map = options.onConnectionError;
  const kyselyPool = map ? mappedPool(pool, (error) => (isConnectionError(error) ? map(error as Error) : error)) : pool;
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPool }) });
  pools.set(db, pool);
  return db;
}

/** The pool as Kysely sees it, with every error of connecting and querying passed through `map`. */
function mappedPool(pool: pg.Pool, map: (error: unknown) => unknown) {
  const rethrow = (error: unknown): never => {
    throw map(error);
  };
  return {
    connect: async () => {
      const client = await pool.connect().catch(rethrow);
      return {
        query: (text: string, values?: unknown[]) => client.query(text, values).catch(rethrow),
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  } as unknown as pg.Pool;
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
