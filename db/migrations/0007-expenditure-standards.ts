import { sql, type Kysely } from "kysely";

/*
 * Expenditure standards (支出标准): the catalogue of policy parameters — fixed amounts (定额), rates
 * (比例) and caps (限额) — with the document that sets each. A change is a new version (revision) with
 * its own effective dates, never an overwrite: the database refuses overlapping periods of one code and
 * any update other than closing an open version's effective_to, and any delete. Each standard has an
 * owning unit (the city's, a district's): only that unit and the units above it may add versions.
 * Budget lines name the version they use.
 * Plan overrides (计划调整) keep a planner's changed quantity or unit price of a proposed line, with the
 * reason. Both tables are audited like the ledger. Frozen in time.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE expenditure_standard (
    id                integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code              text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9-]{1,39}$'),
    owner_unit_id     integer NOT NULL REFERENCES org_unit (id) ON DELETE RESTRICT,
    revision          integer NOT NULL CHECK (revision > 0),
    name              text NOT NULL CHECK (btrim(name) <> ''),
    category          text NOT NULL CHECK (btrim(category) <> ''),
    value             numeric(18, 4) NOT NULL CHECK (value >= 0 AND value <> 'NaN'),
    unit              text NOT NULL CHECK (btrim(unit) <> ''),
    form              text NOT NULL CHECK (form IN ('定额', '比例', '限额')),
    beneficiary_group text CHECK (beneficiary_group IS NULL OR btrim(beneficiary_group) <> ''),
    care_type         text CHECK (care_type IN ('门急诊', '住院')),
    effective_from    date NOT NULL,
    effective_to      date,
    document          text NOT NULL CHECK (btrim(document) <> ''),
    note              text,
    version           integer NOT NULL DEFAULT 1,
    UNIQUE (code, revision),
    CHECK (effective_to IS NULL OR effective_to >= effective_from),
    CHECK (form <> '比例' OR value <= 100)
  )`.execute(db);
  await sql`CREATE INDEX expenditure_standard_code_idx ON expenditure_standard (code, effective_from)`.execute(db);

  // History, enforced by the database: periods of one code never overlap (serialised per code by an
  // advisory lock, so two concurrent inserts cannot both pass), and a version is never rewritten —
  // the only allowed update closes an open period (effective_to), the only other change is a new
  // version of the same owner; a version is never deleted.
  await sql`CREATE FUNCTION expenditure_standard_history() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        clash record;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'expenditure standard % revision % is history: it cannot be deleted', OLD.code, OLD.revision
            USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'effective_to' - 'version') IS DISTINCT FROM (to_jsonb(OLD) - 'effective_to' - 'version') THEN
          RAISE EXCEPTION 'expenditure standard % revision % is history: add a new version instead of changing it', OLD.code, OLD.revision
            USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.effective_to IS NOT NULL AND NEW.effective_to IS DISTINCT FROM OLD.effective_to THEN
          RAISE EXCEPTION 'expenditure standard % revision % is closed (until %): its period cannot change', OLD.code, OLD.revision, OLD.effective_to
            USING ERRCODE = 'check_violation';
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('expenditure_standard:' || NEW.code));
        IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM expenditure_standard s WHERE s.code = NEW.code AND s.owner_unit_id <> NEW.owner_unit_id) THEN
          RAISE EXCEPTION 'expenditure standard %: a new version must keep the owning unit of the earlier ones', NEW.code
            USING ERRCODE = 'check_violation';
        END IF;
        SELECT revision, effective_from, effective_to INTO clash FROM expenditure_standard s
         WHERE s.code = NEW.code AND s.id <> NEW.id
           AND daterange(s.effective_from, s.effective_to, '[]') && daterange(NEW.effective_from, NEW.effective_to, '[]')
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'expenditure standard %: period % – % overlaps revision % (% – %)', NEW.code, NEW.effective_from,
            coalesce(NEW.effective_to::text, '…'), clash.revision, clash.effective_from, coalesce(clash.effective_to::text, '…')
            USING ERRCODE = 'exclusion_violation';
        END IF;
        RETURN NEW;
      END
      $$`.execute(db);
  await sql`CREATE TRIGGER expenditure_standard_history BEFORE INSERT OR UPDATE OR DELETE ON expenditure_standard
            FOR EACH ROW EXECUTE FUNCTION expenditure_standard_history()`.execute(db);

  await sql`ALTER TABLE budget_line ADD COLUMN standard_id integer REFERENCES expenditure_standard (id) ON DELETE RESTRICT`.execute(db);
  await sql`CREATE INDEX budget_line_standard_idx ON budget_line (standard_id) WHERE standard_id IS NOT NULL`.execute(db);

  await sql`CREATE TABLE plan_override (
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fiscal_year     integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
    source_line_id  integer NOT NULL REFERENCES budget_line (id) ON DELETE CASCADE,
    quantity        numeric(18, 2) NOT NULL CHECK (quantity >= 0 AND quantity <> 'NaN'),
    unit_price      numeric(18, 2) NOT NULL CHECK (unit_price >= 0 AND unit_price <> 'NaN'),
    reason          text NOT NULL CHECK (btrim(reason) <> ''),
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1,
    UNIQUE (fiscal_year, source_line_id)
  )`.execute(db);

  const audited: Array<{ table: string; project: string }> = [
    { table: "expenditure_standard", project: "NULL::integer" },
    { table: "plan_override", project: "(SELECT bl.project_id FROM budget_line bl WHERE bl.id = r.source_line_id)" },
  ];
  for (const { table, project } of audited) {
    const args = sql.join([sql.lit(project), sql.lit("{}")]);
    await sql`CREATE TRIGGER ${sql.id(`${table}_audit_insert`)} AFTER INSERT ON ${sql.table(table)}
              REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_audit_update`)} AFTER UPDATE ON ${sql.table(table)}
              REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_audit_delete`)} AFTER DELETE ON ${sql.table(table)}
              REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_version`)} BEFORE UPDATE ON ${sql.table(table)}
              FOR EACH ROW EXECUTE FUNCTION bump_version()`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
              FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS plan_override`.execute(db);
  await sql`ALTER TABLE budget_line DROP COLUMN IF EXISTS standard_id`.execute(db);
  await sql`DROP TABLE IF EXISTS expenditure_standard`.execute(db);
  await sql`DROP FUNCTION IF EXISTS expenditure_standard_history()`.execute(db);
}
