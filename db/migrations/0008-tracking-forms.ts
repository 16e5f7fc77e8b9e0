import { sql, type Kysely } from "kysely";

/*
 * The mid-year tracking form (附件2-1 财政项目支出绩效运行监控): one form per project and tracking
 * period, in revisions (an accepted revision is frozen; a later change is a new revision), with its
 * indicator rows, the workflow's status history, and the configurable deviation-cause catalogue
 * (偏差原因). Audited and versioned like the ledger; the database itself refuses any change to an
 * accepted revision and any status change the workflow does not allow. Frozen in time.
 */

/** The catalogue as first loaded: the national categories, each refined by domain causes. */
const CAUSES: Array<[code: string, category: string, label: string]> = [
  ["funding", "经费保障", "经费保障不足"],
  ["funds-arrived-late", "经费保障", "资金下达滞后"],
  ["settlement-lag", "经费保障", "结算滞后"],
  ["institution", "制度保障", "制度保障不足"],
  ["policy-change", "制度保障", "政策调整"],
  ["staffing", "人员保障", "人员保障不足"],
  ["facilities", "硬件条件保障", "硬件条件保障不足"],
  ["procurement-delay", "硬件条件保障", "采购延迟"],
  ["fewer-beneficiaries", "其他", "受益对象少于预期"],
  ["demand-unpredictable", "其他", "申请人数及金额无法预估"],
  ["other", "其他", "其他"],
];

const STATUSES = sql.raw(`'draft', 'submitted', 'returned', 'resubmitted', 'accepted'`);
const LIKELIHOODS = sql.raw(`'确定能完成', '有可能完成', '确定不能完成'`);

const statements = [
  sql`CREATE TABLE deviation_cause (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]*$'),
    category    text NOT NULL CHECK (category IN ('经费保障', '制度保障', '人员保障', '硬件条件保障', '其他')),
    label       text NOT NULL CHECK (btrim(label) <> ''),
    sort_order  integer NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    version     integer NOT NULL DEFAULT 1
  )`,

  sql`CREATE TABLE tracking_form (
    id                          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id                  integer NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    period_start                date NOT NULL,
    period_end                  date NOT NULL CHECK (period_end >= period_start),
    revision                    integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    status                      text NOT NULL DEFAULT 'draft' CHECK (status IN (${STATUSES})),
    budget                      numeric(18, 2) NOT NULL,
    executed                    numeric(18, 2) NOT NULL,
    -- Unbounded: a ledger rate (executed ÷ a tiny budget) may be any size; the app rounds it to 2 places.
    execution_rate              numeric,
    threshold                   numeric(5, 2) NOT NULL CHECK (threshold >= 0 AND threshold <= 100),
    stage_conclusion            text NOT NULL CHECK (stage_conclusion IN ('运行正常', '运行偏差')),
    adjustment_needed           boolean,
    adjusted_budget             numeric(18, 2),
    adjustment_decrease         numeric(18, 2) CHECK (adjustment_decrease >= 0),
    adjustment_increase         numeric(18, 2) CHECK (adjustment_increase >= 0),
    pre_assessment_budget       numeric(18, 2),
    key_tracking_reason         text,
    basic_info                  text,
    implementation_status       text,
    execution_cause_code        text REFERENCES deviation_cause (code),
    execution_cause             text,
    execution_measure           text,
    estimated_full_year         numeric(18, 2),
    estimated_full_year_prefill numeric(18, 2),
    estimated_full_year_reason  text,
    budget_likelihood           text CHECK (budget_likelihood IN (${LIKELIHOODS})),
    target_likelihood           text CHECK (target_likelihood IN (${LIKELIHOODS})),
    problems                    text,
    measures                    text,
    leader_signature            text,
    performance_lead_signature  text,
    preparer_signature          text,
    other_notes                 text,
    filled_on                   date,
    review_comment              text,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    version                     integer NOT NULL DEFAULT 1,
    UNIQUE (project_id, period_end, revision)
  )`,
  // At most one revision of a period is open (not yet accepted) at a time.
  sql`CREATE UNIQUE INDEX tracking_form_open_idx ON tracking_form (project_id, period_end) WHERE status <> 'accepted'`,
  sql`CREATE INDEX tracking_form_status_idx ON tracking_form (status, stage_conclusion)`,

  sql`CREATE TABLE tracking_form_indicator (
    id                   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    form_id              integer NOT NULL REFERENCES tracking_form (id) ON DELETE CASCADE,
    -- The declared indicator reported on: deleting it from the declaration is refused while a form
    -- refers to it. NO ACTION rather than RESTRICT: the same refusal, but as SQLSTATE 23503, which
    -- db/declarations.ts turns into a message naming the indicator (RESTRICT raises 23001). Deleting
    -- a whole project still works: tracking_form_before_project_delete.
    indicator_id         integer REFERENCES performance_indicator (id),
    sort_order           integer NOT NULL CHECK (sort_order > 0),
    level1               text NOT NULL,
    level2               text NOT NULL,
    name                 text NOT NULL,
    annual_target        text NOT NULL,
    tracked              boolean NOT NULL DEFAULT true,
    untracked_reason     text,
    due_target           text,
    actual               text,
    judgement            text CHECK (judgement IN ('达成', '部分达成', '未达成')),
    description          text,
    -- evaluateIndicator refuses a completion beyond ±9,999,999.99%.
    completion           numeric(9, 2),
    met                  boolean,
    deviation            text,
    estimated_full_year  text,
    cause_code           text REFERENCES deviation_cause (code),
    cause                text,
    measure              text,
    rectify              boolean,
    rectify_advice       text,
    UNIQUE (form_id, sort_order)
  )`,

  sql`CREATE TABLE tracking_form_event (
    id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    form_id      integer NOT NULL REFERENCES tracking_form (id) ON DELETE CASCADE,
    from_status  text CHECK (from_status IN (${STATUSES})),
    to_status    text NOT NULL CHECK (to_status IN (${STATUSES})),
    comment      text,
    user_id      integer,
    username     text NOT NULL,
    at           timestamptz NOT NULL DEFAULT clock_timestamp()
  )`,
  sql`CREATE INDEX tracking_form_event_form_idx ON tracking_form_event (form_id, id)`,

  // An accepted revision is frozen, and the status moves only along the workflow.
  sql`CREATE FUNCTION tracking_form_protect() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'accepted' THEN
          RAISE EXCEPTION '运行监控表（第%版）已审核通过，不能再修改或删除；如需变更请新建一版', OLD.revision
            USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        IF TG_OP = 'UPDATE' THEN
          IF NEW.project_id <> OLD.project_id OR NEW.revision <> OLD.revision OR NEW.period_end <> OLD.period_end THEN
            RAISE EXCEPTION '运行监控表的项目、跟踪时段和版本不能修改' USING ERRCODE = 'object_not_in_prerequisite_state';
          END IF;
          IF NEW.status <> OLD.status AND (OLD.status, NEW.status) NOT IN (
               ('draft', 'submitted'), ('submitted', 'returned'), ('submitted', 'accepted'),
               ('returned', 'resubmitted'), ('resubmitted', 'returned'), ('resubmitted', 'accepted')) THEN
            RAISE EXCEPTION '运行监控表不能从“%”变为“%”', OLD.status, NEW.status USING ERRCODE = 'object_not_in_prerequisite_state';
          END IF;
          NEW.updated_at := now();
          RETURN NEW;
        END IF;
        RETURN OLD;
      END
      $$`,
  sql`CREATE TRIGGER tracking_form_protect BEFORE UPDATE OR DELETE ON tracking_form
      FOR EACH ROW EXECUTE FUNCTION tracking_form_protect()`,
  sql`CREATE FUNCTION tracking_form_indicator_protect() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        target_form integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.form_id ELSE NEW.form_id END;
      BEGIN
        IF EXISTS (SELECT 1 FROM tracking_form f WHERE f.id = target_form AND f.status = 'accepted')
           OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM tracking_form f WHERE f.id = OLD.form_id AND f.status = 'accepted')) THEN
          RAISE EXCEPTION '运行监控表已审核通过，其指标行不能再修改' USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END
      $$`,
  sql`CREATE TRIGGER tracking_form_indicator_protect BEFORE INSERT OR UPDATE OR DELETE ON tracking_form_indicator
      FOR EACH ROW EXECUTE FUNCTION tracking_form_indicator_protect()`,
  // Deleting a project (plan replacement) takes its forms first, so that the cascade to its indicators
  // does not meet form rows still referring to them; an accepted form still refuses (tracking_form_protect).
  sql`CREATE FUNCTION tracking_form_before_project_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM tracking_form WHERE project_id = OLD.id;
        RETURN OLD;
      END
      $$`,
  sql`CREATE TRIGGER tracking_form_before_project_delete BEFORE DELETE ON project
      FOR EACH ROW EXECUTE FUNCTION tracking_form_before_project_delete()`,
  // The status history is append-only (it goes only with its form).
  sql`CREATE TRIGGER tracking_form_event_no_update BEFORE UPDATE ON tracking_form_event
      FOR EACH ROW EXECUTE FUNCTION audit_log_immutable()`,
];

/** Audited tables and how to find the project of one of their rows (alias r). */
const AUDITED: Array<{ table: string; project: string }> = [
  { table: "deviation_cause", project: "NULL::integer" },
  { table: "tracking_form", project: "r.project_id" },
  { table: "tracking_form_indicator", project: "(SELECT f.project_id FROM tracking_form f WHERE f.id = r.form_id)" },
  { table: "tracking_form_event", project: "(SELECT f.project_id FROM tracking_form f WHERE f.id = r.form_id)" },
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
  for (const [index, [code, category, label]] of CAUSES.entries()) {
    await sql`INSERT INTO deviation_cause (code, category, label, sort_order) VALUES (${code}, ${category}, ${label}, ${(index + 1) * 10})`.execute(db);
  }
  for (const table of ["deviation_cause", "tracking_form"]) {
    await sql`CREATE TRIGGER ${sql.id(`${table}_version`)} BEFORE UPDATE ON ${sql.table(table)}
              FOR EACH ROW EXECUTE FUNCTION bump_version()`.execute(db);
  }
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
  await sql`DROP TRIGGER IF EXISTS tracking_form_before_project_delete ON project`.execute(db);
  await sql`DROP TABLE IF EXISTS tracking_form_event, tracking_form_indicator, tracking_form, deviation_cause`.execute(db);
  await sql`DROP FUNCTION IF EXISTS tracking_form_protect(), tracking_form_indicator_protect(), tracking_form_before_project_delete()`.execute(db);
}
