import { openDatabase, type DB, type OpenedDatabase } from "../db/connection";
import { listUsers } from "../db/users";
import { EmbeddedStartError } from "../db/embedded";

/*
 * The app's one database: DATABASE_URL, or the embedded PostgreSQL under .data/postgres, started
 * when the server starts (not at the first request), migrated and seeded with the demo data once.
 * On SIGINT/SIGTERM the pool is closed and the embedded server stopped (fast shutdown), then the
 * process exits; an error opening the database is printed as one sentence, without a stack trace.
 */
let opened: Promise<OpenedDatabase> | undefined;

/** The database, opened on first use and shared by every loader. */
export async function database(): Promise<DB> {
  opened ??= openDatabase().then(async (result) => {
    console.log(`数据库已就绪 database ready${result.embedded ? ` (embedded, ${result.embedded.dataDir})` : ""}`);
    if ((await listUsers(result.db)).length === 0) {
      console.warn("尚无用户：请用 `npx budget user add NAME --unit UNIT --role admin` 创建管理员 (no users yet: create an admin with the CLI)");
    }
    return result;
  });
  return (await opened).db;
}

if (process.env.NODE_ENV === "production") {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      const stop = opened ? opened.then((result) => result.close(), () => undefined) : Promise.resolve();
      // Still opening (first start: seeding)? The embedded server already got its shutdown signal
      // (db/embedded.ts); don't wait for the seed to finish.
      const settled = new Promise((resolve) => setTimeout(resolve, 5_000).unref());
      void Promise.race([stop, settled]).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
  database().catch((error: unknown) => {
    const message = error instanceof EmbeddedStartError ? error.message : error instanceof Error ? error.message : String(error);
    console.error(`数据库启动失败 the database could not be opened: ${message}`);
    process.exit(1);
  });
}
