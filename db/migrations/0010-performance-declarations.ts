import { sql, type Kysely } from "kysely";

/*
 * The target declaration (绩效目标填报表, seeds/004 layout): per project its overall and annual goals,
 * the goal period and the planned start and end dates. The fund figures of the form are not stored:
 * they come from the project's budget lines. The indicator rows live in performance_indicator (0006).
 * Audited and versioned like the ledger. Frozen in time.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE performance_declaration (
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id      integer NOT NULL UNIQUE REFERENCES project (id) ON DELETE CASCADE,
    overall_goal    text,
    annual_goal     text,
    goal_from_year  integer CHECK (goal_from_year BETWEEN 2000 AND 2100),
    goal_to_year    integer CHECK (goal_to_year BETWEEN 2000 AND 2100),
    plan_start      date,
    plan_end        date,
    version         integer NOT NULL DEFAULT 1,
    CHECK (goal_to_year >= goal_from_year),
    CHECK (plan_end >= plan_start)
  )`.execute(db);
  const args = sql.join([sql.lit("r.project_id"), sql.lit("{}")]);
  await sql`CREATE TRIGGER performance_declaration_audit_insert AFTER INSERT ON performance_declaration
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER performance_declaration_audit_update AFTER UPDATE ON performance_declaration
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER performance_declaration_audit_delete AFTER DELETE ON performance_declaration
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER performance_declaration_version BEFORE UPDATE ON performance_declaration
            FOR EACH ROW EXECUTE FUNCTION bump_version()`.execute(db);
  await sql`CREATE TRIGGER performance_declaration_no_truncate BEFORE TRUNCATE ON performance_declaration
            FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS performance_declaration`.execute(db);
}
