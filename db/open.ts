/*
 * The application database's bootstrap: the embedded server or DATABASE_URL, migrations, and the
 * demo data for a new embedded database.
 */
import { defaultDataDir, startEmbeddedPostgres, type EmbeddedServer } from "./embedded.ts";
import { migrateToLatest } from "./migrate.ts";
import { createDb, type DB, type DbOptions } from "./pool.ts";
import { isDatabaseEmpty, seedDemoData } from "./seed.ts";

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
 * an explicit `budget db seed`. `supervise` restarts an embedded server that ends unasked (the web app,
 * decision 018); `onConnectionError` replaces a query's connection error (the web app: a 503).
 */
export async function openDatabase(
  options: { seed?: boolean; quiet?: boolean; supervise?: boolean; onConnectionError?: DbOptions["onConnectionError"] } = {},
): Promise<OpenedDatabase> {
  const configuredUrl = process.env.DATABASE_URL;
  const embedded = configuredUrl ? null : await startEmbeddedPostgres(embeddedDataDir(), { quiet: options.quiet, supervise: options.supervise });
  const url = configuredUrl ?? embedded!.url;
  const db = createDb(url, { onConnectionError: options.onConnectionError });
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

