import { sql, type Kysely } from "kysely";

/*
 * Performance targets (绩效目标): per project an indicator tree — level 1 (产出/效益/满意度/成本),
 * level 2 (数量, 质量, 时效 …), level 3 the indicator — with its annual target value as written
 * (parsed by domain/targets.ts) and its weight. Audited and versioned like the ledger. Frozen in time.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE performance_indicator (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  integer NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    sort_order  integer NOT NULL CHECK (sort_order > 0),
    level1      text NOT NULL CHECK (btrim(level1) <> ''),
    level2      text NOT NULL CHECK (btrim(level2) <> ''),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    target      text NOT NULL CHECK (btrim(target) <> ''),
    weight      numeric(6, 2) CHECK (weight >= 0 AND weight <= 100),
    version     integer NOT NULL DEFAULT 1,
    UNIQUE (project_id, sort_order),
    UNIQUE (project_id, level1, level2, name)
  )`.execute(db);
  const args = sql.join([sql.lit("r.project_id"), sql.lit("{}")]);
  await sql`CREATE TRIGGER performance_indicator_audit_insert AFTER INSERT ON performance_indicator
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER performance_indicator_audit_update AFTER UPDATE ON performance_indicator
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER performance_indicator_audit_delete AFTER DELETE ON performance_indicator
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER performance_indicator_version BEFORE UPDATE ON performance_indicator
            FOR EACH ROW EXECUTE FUNCTION bump_version()`.execute(db);
  await sql`CREATE TRIGGER performance_indicator_no_truncate BEFORE TRUNCATE ON performance_indicator
            FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS performance_indicator`.execute(db);
}
