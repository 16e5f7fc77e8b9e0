import { sql, type Kysely } from "kysely";

/*
 * 备案 of payment batches (issue 15): 闵医保规发〔2022〕1号 asks each town to report a month's 医疗救助 batches to the
 * district centre "于次月10日前". batch_report keeps, per project and month, the day that report was made, so that
 * the month can be judged against the rule (features/payments). One row per project and month; audited and
 * versioned like the ledger. Frozen in time.
 */

const statements = [
  sql`CREATE TABLE batch_report (
    id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   integer NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    month        date NOT NULL CHECK (extract(day FROM month) = 1),
    reported_on  date NOT NULL CHECK (reported_on >= month),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      integer NOT NULL DEFAULT 1,
    UNIQUE (project_id, month)
  )`,
  sql`CREATE TRIGGER batch_report_version BEFORE UPDATE ON batch_report
      FOR EACH ROW EXECUTE FUNCTION bump_version()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
  const args = sql.join([sql.lit("r.project_id"), sql.lit("{}")]);
  await sql`CREATE TRIGGER batch_report_audit_insert AFTER INSERT ON batch_report
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER batch_report_audit_update AFTER UPDATE ON batch_report
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER batch_report_audit_delete AFTER DELETE ON batch_report
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER batch_report_no_truncate BEFORE TRUNCATE ON batch_report
            FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS batch_report`.execute(db);
}
