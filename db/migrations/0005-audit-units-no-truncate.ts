import { sql, type Kysely } from "kysely";

/*
 * Units join the audit trail (imports and the CLI create them), and the audited ledger tables refuse
 * TRUNCATE, which would bypass the row-level trail and the execution rollup. Frozen in time.
 */

const LEDGER = ["project", "budget_line", "budget_adjustment", "payment", "org_unit", "app_user"];

export async function up(db: Kysely<any>): Promise<void> {
  const args = sql.join([sql.lit("NULL::integer"), sql.lit("{}")]);
  await sql`CREATE TRIGGER org_unit_audit_insert AFTER INSERT ON org_unit
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER org_unit_audit_update AFTER UPDATE ON org_unit
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER org_unit_audit_delete AFTER DELETE ON org_unit
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'TRUNCATE of % is not allowed: delete rows instead, so that the audit trail and rollups see it', TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`.execute(db);
  for (const table of LEDGER) {
    await sql`CREATE TRIGGER ${sql.id(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
              FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of LEDGER) await sql`DROP TRIGGER IF EXISTS ${sql.id(`${table}_no_truncate`)} ON ${sql.table(table)}`.execute(db);
  await sql`DROP FUNCTION IF EXISTS refuse_truncate()`.execute(db);
  for (const op of ["insert", "update", "delete"]) await sql`DROP TRIGGER IF EXISTS ${sql.id(`org_unit_audit_${op}`)} ON org_unit`.execute(db);
}
