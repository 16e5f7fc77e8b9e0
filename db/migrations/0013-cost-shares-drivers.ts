import { sql, type Kysely } from "kysely";

/*
 * Zero-based planning's data beside the expenditure standards:
 * - cost_share (分担比例): which level pays what share of a kind of spending, versioned like the standards
 *   (code + revision, effective dates, document, owner unit; never rewritten: the only update closes an
 *   open version, never deleted, periods of one code never overlap).
 * - plan_driver (测算因素): a value per unit, year and code (participants, beneficiaries, the per-capita
 *   overspend…), with its document and whether it is actual (实际) or estimated (预计). Correctable, audited.
 * - plan_formula (测算公式): how a planned line of a unit's project is derived from drivers × standard ×
 *   share, for target years from effective_from: quantity = driver(Y + offset) [− driver(Y + minus_offset)],
 *   unit price = a standard in force in the target year [less another] or a driver(Y + price_offset),
 *   times the unit's share of a cost_share code. replaces_item names the base-year line it replaces.
 * All three tables are audited like the ledger.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE cost_share (
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9-]{1,39}$'),
    owner_unit_id   integer NOT NULL REFERENCES org_unit (id) ON DELETE RESTRICT,
    revision        integer NOT NULL CHECK (revision > 0),
    name            text NOT NULL CHECK (btrim(name) <> ''),
    spending        text NOT NULL CHECK (btrim(spending) <> ''),
    applies_to      text NOT NULL CHECK (applies_to IN ('镇', '街道', '全部')),
    central_pct     numeric(7, 4) NOT NULL DEFAULT 0 CHECK (central_pct BETWEEN 0 AND 100),
    city_pct        numeric(7, 4) NOT NULL DEFAULT 0 CHECK (city_pct BETWEEN 0 AND 100),
    district_pct    numeric(7, 4) NOT NULL DEFAULT 0 CHECK (district_pct BETWEEN 0 AND 100),
    town_pct        numeric(7, 4) NOT NULL DEFAULT 0 CHECK (town_pct BETWEEN 0 AND 100),
    effective_from  date NOT NULL,
    effective_to    date,
    document        text NOT NULL CHECK (btrim(document) <> ''),
    note            text,
    version         integer NOT NULL DEFAULT 1,
    UNIQUE (code, revision),
    CHECK (central_pct + city_pct + district_pct + town_pct = 100),
    CHECK (effective_to IS NULL OR effective_to >= effective_from)
  )`.execute(db);

  await sql`CREATE FUNCTION cost_share_history() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        clash record;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'cost share % revision % is history: it cannot be deleted', OLD.code, OLD.revision USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'effective_to' - 'version') IS DISTINCT FROM (to_jsonb(OLD) - 'effective_to' - 'version') THEN
          RAISE EXCEPTION 'cost share % revision % is history: add a new version instead of changing it', OLD.code, OLD.revision
            USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.effective_to IS NOT NULL AND NEW.effective_to IS DISTINCT FROM OLD.effective_to THEN
          RAISE EXCEPTION 'cost share % revision % is closed: its period cannot change', OLD.code, OLD.revision USING ERRCODE = 'check_violation';
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('cost_share:' || NEW.code));
        SELECT revision INTO clash FROM cost_share s
         WHERE s.code = NEW.code AND s.id <> NEW.id
           AND daterange(s.effective_from, s.effective_to, '[]') && daterange(NEW.effective_from, NEW.effective_to, '[]')
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'cost share %: period overlaps revision %', NEW.code, clash.revision USING ERRCODE = 'exclusion_violation';
        END IF;
        RETURN NEW;
      END
      $$`.execute(db);
  await sql`CREATE TRIGGER cost_share_history BEFORE INSERT OR UPDATE OR DELETE ON cost_share
            FOR EACH ROW EXECUTE FUNCTION cost_share_history()`.execute(db);

  await sql`CREATE TABLE plan_driver (
    id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id       integer NOT NULL REFERENCES org_unit (id) ON DELETE RESTRICT,
    fiscal_year   integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
    code          text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9-]{1,39}$'),
    name          text NOT NULL CHECK (btrim(name) <> ''),
    value         numeric(18, 4) NOT NULL CHECK (value >= 0 AND value <> 'NaN' AND value < 1e13),
    measure       text NOT NULL CHECK (btrim(measure) <> ''),
    status        text NOT NULL CHECK (status IN ('actual', 'estimated')),
    document      text NOT NULL CHECK (btrim(document) <> ''),
    note          text,
    updated_by    text NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer NOT NULL DEFAULT 1,
    UNIQUE (unit_id, code, fiscal_year)
  )`.execute(db);

  await sql`CREATE TABLE plan_formula (
    id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id          integer NOT NULL REFERENCES org_unit (id) ON DELETE RESTRICT,
    project_name     text NOT NULL CHECK (btrim(project_name) <> ''),
    seq              integer NOT NULL CHECK (seq > 0),
    composition      text NOT NULL CHECK (btrim(composition) <> ''),
    item             text NOT NULL CHECK (btrim(item) <> ''),
    kind             text NOT NULL CHECK (kind IN ('fundraising', 'clearing', 'overspend', 'quantity')),
    quantity_driver  text NOT NULL,
    quantity_offset  integer NOT NULL CHECK (quantity_offset BETWEEN -5 AND 0),
    minus_offset     integer CHECK (minus_offset BETWEEN -6 AND 0),
    price_standard   text,
    price_less       text,
    price_driver     text,
    price_offset     integer CHECK (price_offset BETWEEN -5 AND 0),
    share_code       text,
    share_level      text CHECK (share_level IN ('中央', '市级', '区级', '镇级')),
    replaces_item    text,
    fund_level       text NOT NULL CHECK (fund_level IN ('中央', '市级', '区级', '镇级')),
    document         text NOT NULL CHECK (btrim(document) <> ''),
    effective_from   integer NOT NULL CHECK (effective_from BETWEEN 2000 AND 2100),
    effective_to     integer CHECK (effective_to BETWEEN 2000 AND 2100),
    note             text,
    version          integer NOT NULL DEFAULT 1,
    UNIQUE (unit_id, project_name, seq, effective_from),
    CHECK ((price_standard IS NULL) <> (price_driver IS NULL)),
    CHECK (price_less IS NULL OR price_standard IS NOT NULL),
    CHECK ((price_driver IS NULL) = (price_offset IS NULL)),
    CHECK ((share_code IS NULL) = (share_level IS NULL)),
    CHECK (minus_offset IS NULL OR minus_offset < quantity_offset),
    CHECK (effective_to IS NULL OR effective_to >= effective_from)
  )`.execute(db);

  const audited = ["cost_share", "plan_driver", "plan_formula"];
  for (const table of audited) {
    const args = sql.join([sql.lit("NULL::integer"), sql.lit("{}")]);
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
  await sql`DROP TABLE IF EXISTS plan_formula`.execute(db);
  await sql`DROP TABLE IF EXISTS plan_driver`.execute(db);
  await sql`DROP TABLE IF EXISTS cost_share`.execute(db);
  await sql`DROP FUNCTION IF EXISTS cost_share_history()`.execute(db);
}
