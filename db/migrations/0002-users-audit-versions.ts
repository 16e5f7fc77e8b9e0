import { sql, type Kysely } from "kysely";

/*
 * Users, sessions, the append-only audit trail, and record versions for safe concurrent editing.
 * Frozen in time: later changes go in new migrations.
 */

/** The audited tables, and how to find the project of one of their rows (alias r). */
const AUDITED: Array<{ table: string; project: string; hidden: string[] }> = [
  { table: "project", project: "r.id", hidden: [] },
  { table: "budget_line", project: "r.project_id", hidden: [] },
  { table: "budget_adjustment", project: "(SELECT bl.project_id FROM budget_line bl WHERE bl.id = r.budget_line_id)", hidden: [] },
  { table: "payment", project: "r.project_id", hidden: [] },
  { table: "app_user", project: "NULL::integer", hidden: ["password_hash"] },
  { table: "setting", project: "NULL::integer", hidden: [] },
];

/** Tables whose rows carry a version that every update increments (optimistic concurrency). */
const VERSIONED = ["project", "budget_line", "budget_adjustment", "payment"];

const statements = [
  sql`CREATE TABLE app_user (
    id                   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username             text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
    display_name         text NOT NULL CHECK (btrim(display_name) <> ''),
    unit_id              integer NOT NULL REFERENCES org_unit (id) ON DELETE RESTRICT,
    roles                text[] NOT NULL CHECK (
                           cardinality(roles) > 0
                           AND roles <@ ARRAY['admin', 'manager', 'planner', 'submitter', 'viewer']::text[]),
    password_hash        text NOT NULL,
    password_is_demo     boolean NOT NULL DEFAULT false,
    failed_logins        integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until         timestamptz,
    active               boolean NOT NULL DEFAULT true,
    created_at           timestamptz NOT NULL DEFAULT now(),
    password_changed_at  timestamptz NOT NULL DEFAULT now(),
    version              integer NOT NULL DEFAULT 1
  )`,

  sql`CREATE TABLE user_session (
    token_hash    text PRIMARY KEY,
    user_id       integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
  )`,
  sql`CREATE INDEX user_session_user_idx ON user_session (user_id)`,

  sql`CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    user_id      integer,
    username     text NOT NULL,
    action       text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    table_name   text NOT NULL,
    record_id    text NOT NULL,
    project_id   integer,
    before       jsonb,
    after        jsonb
  )`,
  sql`CREATE INDEX audit_log_project_idx ON audit_log (project_id, id) WHERE project_id IS NOT NULL`,
  sql`CREATE INDEX audit_log_table_record_idx ON audit_log (table_name, record_id)`,

  // Append-only, enforced by the database: no update, delete or truncate of the trail.
  sql`CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`,
  sql`CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_immutable()`,
  sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable()`,

  // One statement-level function for every audited table: the actor comes from the transaction's
  // settings budget.user_id / budget.username (set by the app), else the database user.
  sql`CREATE FUNCTION audit_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        project_expr text := TG_ARGV[0];
        hidden text[] := TG_ARGV[1]::text[];
        actor_id text := nullif(current_setting('budget.user_id', true), '');
        actor_name text := coalesce(nullif(current_setting('budget.username', true), ''), current_user);
        insert_head text := 'INSERT INTO audit_log (user_id, username, action, table_name, record_id, project_id, before, after) ';
      BEGIN
        IF TG_OP = 'INSERT' THEN
          EXECUTE insert_head || format(
            'SELECT %L::integer, %L, ''insert'', %L, r.id::text, %s, NULL, to_jsonb(r) - %L::text[] FROM new_rows r',
            actor_id, actor_name, TG_TABLE_NAME, project_expr, hidden);
        ELSIF TG_OP = 'UPDATE' THEN
          EXECUTE insert_head || format(
            'SELECT %L::integer, %L, ''update'', %L, r.id::text, %s, to_jsonb(o) - %L::text[], to_jsonb(r) - %L::text[]
               FROM new_rows r JOIN old_rows o ON o.id = r.id',
            actor_id, actor_name, TG_TABLE_NAME, project_expr, hidden, hidden);
        ELSE
          EXECUTE insert_head || format(
            'SELECT %L::integer, %L, ''delete'', %L, r.id::text, %s, to_jsonb(r) - %L::text[], NULL FROM old_rows r',
            actor_id, actor_name, TG_TABLE_NAME, project_expr, hidden);
        END IF;
        RETURN NULL;
      END
      $$`,

  sql`CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.version := OLD.version + 1;
        RETURN NEW;
      END
      $$`,

  // The settings table gets an id-like key for the audit trail's record_id.
  sql`ALTER TABLE setting ADD COLUMN id text GENERATED ALWAYS AS (key) STORED`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
  for (const table of VERSIONED) {
    await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN version integer NOT NULL DEFAULT 1`.execute(db);
  }
  for (const table of [...VERSIONED, "app_user"]) {
    await sql`CREATE TRIGGER ${sql.id(`${table}_version`)} BEFORE UPDATE ON ${sql.table(table)}
              FOR EACH ROW EXECUTE FUNCTION bump_version()`.execute(db);
  }
  for (const { table, project, hidden } of AUDITED) {
    const args = sql.join([sql.lit(project), sql.lit(`{${hidden.join(",")}}`)]);
    await sql`CREATE TRIGGER ${sql.id(`${table}_audit_insert`)} AFTER INSERT ON ${sql.table(table)}
              REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_audit_update`)} AFTER UPDATE ON ${sql.table(table)}
              REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_audit_delete`)} AFTER DELETE ON ${sql.table(table)}
              REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table } of AUDITED) {
    for (const op of ["insert", "update", "delete"]) await sql`DROP TRIGGER IF EXISTS ${sql.id(`${table}_audit_${op}`)} ON ${sql.table(table)}`.execute(db);
  }
  for (const table of [...VERSIONED, "app_user"]) await sql`DROP TRIGGER IF EXISTS ${sql.id(`${table}_version`)} ON ${sql.table(table)}`.execute(db);
  for (const table of VERSIONED) await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN IF EXISTS version`.execute(db);
  await sql`ALTER TABLE setting DROP COLUMN IF EXISTS id`.execute(db);
  await sql`DROP TABLE IF EXISTS audit_log, user_session, app_user`.execute(db);
  await sql`DROP FUNCTION IF EXISTS audit_changes(), bump_version(), audit_log_immutable()`.execute(db);
}
