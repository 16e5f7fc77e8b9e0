import { sql, type Kysely } from "kysely";

/*
 * A project that exists only as a target declaration (绩效目标填报表, e.g. seeds/004): its lines
 * carry the declared 年度资金申请总额, but no execution is recorded for it. Such a project has no
 * execution rate, is never flagged, and stays out of execution totals (domain/execution.ts).
 * Frozen in time.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE project ADD COLUMN declaration_only boolean NOT NULL DEFAULT false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE project DROP COLUMN declaration_only`.execute(db);
}
