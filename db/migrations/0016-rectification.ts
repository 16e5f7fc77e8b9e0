import { sql, type Kysely } from "kysely";

/*
 * Rectification items (整改台账, issue 14): each 偏差原因分析及改进措施 of an accepted self-evaluation whose
 * indicator scored below its weight, and each indicator row of an accepted tracking form marked 是否整改 =
 * 是, becomes an item of the project: the measure, the responsible unit (the project's), a due date,
 * open or done (done: with evidence, its date and who closed it). Overdue is not stored: an open item
 * whose due date has passed. Raised once per source row (unique), audited and versioned like the ledger.
 *
 * rectification_response: when a project's next-year plan is adopted while an item is open, the
 * planner's response to it (per item and planned year), written in the adoption's transaction.
 */

const statements = [
  sql`CREATE TABLE rectification_item (
    id                  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id          integer NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    source              text NOT NULL CHECK (source IN ('self-evaluation', 'tracking')),
    self_evaluation_id  integer REFERENCES self_evaluation (id) ON DELETE CASCADE,
    tracking_form_id    integer REFERENCES tracking_form (id) ON DELETE CASCADE,
    -- The source's indicator row: its sort order (the row's number on the form) and its name as then.
    source_row          integer NOT NULL CHECK (source_row > 0),
    indicator           text NOT NULL,
    measure             text NOT NULL,
    unit_id             integer NOT NULL REFERENCES org_unit (id),
    due_on              date NOT NULL,
    status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    evidence            text,
    evidence_on         date,
    closed_by           text,
    closed_by_id        integer,
    closed_at           timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    version             integer NOT NULL DEFAULT 1,
    CHECK ((source = 'self-evaluation' AND self_evaluation_id IS NOT NULL AND tracking_form_id IS NULL)
        OR (source = 'tracking' AND tracking_form_id IS NOT NULL AND self_evaluation_id IS NULL)),
    -- Done only with its evidence (text and date) and who closed it; open without any.
    CHECK ((status = 'done' AND btrim(coalesce(evidence, '')) <> '' AND evidence_on IS NOT NULL AND closed_by IS NOT NULL AND closed_at IS NOT NULL)
        OR (status = 'open' AND evidence IS NULL AND evidence_on IS NULL AND closed_by IS NULL AND closed_by_id IS NULL AND closed_at IS NULL)),
    UNIQUE (self_evaluation_id, source_row),
    UNIQUE (tracking_form_id, source_row)
  )`,
  sql`CREATE INDEX rectification_item_project_idx ON rectification_item (project_id)`,
  sql`CREATE INDEX rectification_item_open_idx ON rectification_item (unit_id, due_on) WHERE status = 'open'`,

  sql`CREATE TABLE rectification_response (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id     integer NOT NULL REFERENCES rectification_item (id) ON DELETE CASCADE,
    plan_year   integer NOT NULL CHECK (plan_year BETWEEN 2001 AND 2100),
    response    text NOT NULL CHECK (btrim(response) <> ''),
    user_id     integer,
    username    text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (item_id, plan_year)
  )`,
];

/** Audited tables and how to find the project of one of their rows (alias r). */
const AUDITED: Array<{ table: string; project: string }> = [
  { table: "rectification_item", project: "r.project_id" },
  { table: "rectification_response", project: "(SELECT i.project_id FROM rectification_item i WHERE i.id = r.item_id)" },
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
  await sql`CREATE TRIGGER rectification_item_version BEFORE UPDATE ON rectification_item
            FOR EACH ROW EXECUTE FUNCTION bump_version()`.execute(db);
  for (const { table, project } of AUDITED) {
    const args = sql.join([sql.lit(project), sql.lit("{}")]);
    await sql`CREATE TRIGGER ${sql.id(`${table}_audit_insert`)} AFTER INSERT ON ${sql.table(table)}
              REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_audit_update`)} AFTER UPDATE ON ${sql.table(table)}
              REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_audit_delete`)} AFTER DELETE ON ${sql.table(table)}
              REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
              FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS rectification_response, rectification_item`.execute(db);
}
