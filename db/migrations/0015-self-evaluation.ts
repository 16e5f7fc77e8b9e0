import { sql, type Kysely } from "kysely";

/*
 * The year-end self-evaluation (财政项目支出绩效自评表, seeds/003): one sheet per project (a project is
 * one fiscal year), with the funds rows as of 31 December (年度资金总额 and 其中 当年财政拨款 / 上年结转 /
 * 其他资金), its indicator rows (the declaration's indicators, snapshot with what was entered), and the
 * review workflow's history (features/workflow, shaped like tracking_form_event). Audited and versioned
 * like the ledger; the database itself refuses any change to an accepted sheet and any status change the
 * workflow does not allow. Frozen in time.
 */

const STATUSES = sql.raw(`'draft', 'submitted', 'returned', 'resubmitted', 'accepted'`);

const statements = [
  sql`CREATE TABLE self_evaluation (
    id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id       integer NOT NULL UNIQUE REFERENCES project (id) ON DELETE CASCADE,
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN (${STATUSES})),
    -- 年度总体目标: 预期目标 (the declaration's, as saved) and 实际完成情况 (written).
    expected_goal    text,
    actual_summary   text,
    -- The scores as saved (computed by the rules from the rows below; kept for lists and the CLI).
    fund_score       numeric(5, 2) NOT NULL,
    indicator_score  numeric(6, 2) NOT NULL,
    total_score      numeric(6, 2) NOT NULL,
    rule_total       numeric(6, 2) NOT NULL,
    grade            text NOT NULL CHECK (grade IN ('优', '良', '合格', '不合格')),
    review_comment   text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1
  )`,
  sql`CREATE INDEX self_evaluation_status_idx ON self_evaluation (status, grade)`,

  sql`CREATE TABLE self_evaluation_fund (
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    evaluation_id   integer NOT NULL REFERENCES self_evaluation (id) ON DELETE CASCADE,
    fund_row        text NOT NULL CHECK (fund_row IN ('total', '当年财政拨款', '上年结转', '其他资金')),
    initial         numeric(18, 2) NOT NULL,
    adjusted        numeric(18, 2) NOT NULL,
    executed        numeric(18, 2) NOT NULL,
    UNIQUE (evaluation_id, fund_row)
  )`,

  sql`CREATE TABLE self_evaluation_indicator (
    id                  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    evaluation_id       integer NOT NULL REFERENCES self_evaluation (id) ON DELETE CASCADE,
    -- The declared indicator: deleting it from the declaration is refused (23503) while a sheet refers to it.
    indicator_id        integer REFERENCES performance_indicator (id),
    sort_order          integer NOT NULL CHECK (sort_order > 0),
    level1              text NOT NULL,
    level2              text NOT NULL,
    name                text NOT NULL,
    annual_target       text NOT NULL,
    weight              numeric(6, 2),
    actual              text,
    judgement           text CHECK (judgement IN ('达成', '部分达成', '未达成')),
    -- The rule's score (null when it cannot be computed yet) and the score entered (null: the rule's).
    rule_score          numeric(6, 2),
    score               numeric(6, 2) CHECK (score >= 0),
    score_reason        text,
    deviation_analysis  text,
    UNIQUE (evaluation_id, sort_order)
  )`,

  sql`CREATE TABLE self_evaluation_event (
    id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    evaluation_id  integer NOT NULL REFERENCES self_evaluation (id) ON DELETE CASCADE,
    from_status    text CHECK (from_status IN (${STATUSES})),
    to_status      text NOT NULL CHECK (to_status IN (${STATUSES})),
    comment        text,
    user_id        integer,
    username       text NOT NULL,
    at             timestamptz NOT NULL DEFAULT clock_timestamp()
  )`,
  sql`CREATE INDEX self_evaluation_event_evaluation_idx ON self_evaluation_event (evaluation_id, id)`,

  // An accepted sheet is frozen, and the status moves only along the workflow.
  sql`CREATE FUNCTION self_evaluation_protect() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'accepted' THEN
          RAISE EXCEPTION '绩效自评表已审核通过，不能再修改或删除' USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        IF TG_OP = 'UPDATE' THEN
          IF NEW.project_id <> OLD.project_id THEN
            RAISE EXCEPTION '绩效自评表的项目不能修改' USING ERRCODE = 'object_not_in_prerequisite_state';
          END IF;
          IF NEW.status <> OLD.status AND (OLD.status, NEW.status) NOT IN (
               ('draft', 'submitted'), ('submitted', 'returned'), ('submitted', 'accepted'),
               ('returned', 'resubmitted'), ('resubmitted', 'returned'), ('resubmitted', 'accepted')) THEN
            RAISE EXCEPTION '绩效自评表不能从“%”变为“%”', OLD.status, NEW.status USING ERRCODE = 'object_not_in_prerequisite_state';
          END IF;
          NEW.updated_at := now();
          RETURN NEW;
        END IF;
        RETURN OLD;
      END
      $$`,
  sql`CREATE TRIGGER self_evaluation_protect BEFORE UPDATE OR DELETE ON self_evaluation
      FOR EACH ROW EXECUTE FUNCTION self_evaluation_protect()`,
  // The rows of an accepted sheet (funds and indicators) are frozen with it.
  sql`CREATE FUNCTION self_evaluation_row_protect() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM self_evaluation e WHERE e.id = OLD.evaluation_id AND e.status = 'accepted'))
           OR (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM self_evaluation e WHERE e.id = NEW.evaluation_id AND e.status = 'accepted')) THEN
          RAISE EXCEPTION '绩效自评表已审核通过，其明细不能再修改' USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END
      $$`,
  sql`CREATE TRIGGER self_evaluation_fund_protect BEFORE INSERT OR UPDATE OR DELETE ON self_evaluation_fund
      FOR EACH ROW EXECUTE FUNCTION self_evaluation_row_protect()`,
  sql`CREATE TRIGGER self_evaluation_indicator_protect BEFORE INSERT OR UPDATE OR DELETE ON self_evaluation_indicator
      FOR EACH ROW EXECUTE FUNCTION self_evaluation_row_protect()`,
  // Deleting a project takes its sheet first, so that the cascade to its indicators does not meet
  // sheet rows still referring to them; an accepted sheet still refuses (self_evaluation_protect).
  sql`CREATE FUNCTION self_evaluation_before_project_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM self_evaluation WHERE project_id = OLD.id;
        RETURN OLD;
      END
      $$`,
  sql`CREATE TRIGGER self_evaluation_before_project_delete BEFORE DELETE ON project
      FOR EACH ROW EXECUTE FUNCTION self_evaluation_before_project_delete()`,
  // The status history is append-only (it goes only with its sheet).
  sql`CREATE TRIGGER self_evaluation_event_no_update BEFORE UPDATE ON self_evaluation_event
      FOR EACH ROW EXECUTE FUNCTION audit_log_immutable()`,
];

/** Audited tables and how to find the project of one of their rows (alias r). */
const AUDITED: Array<{ table: string; project: string }> = [
  { table: "self_evaluation", project: "r.project_id" },
  { table: "self_evaluation_fund", project: "(SELECT e.project_id FROM self_evaluation e WHERE e.id = r.evaluation_id)" },
  { table: "self_evaluation_indicator", project: "(SELECT e.project_id FROM self_evaluation e WHERE e.id = r.evaluation_id)" },
  { table: "self_evaluation_event", project: "(SELECT e.project_id FROM self_evaluation e WHERE e.id = r.evaluation_id)" },
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
  await sql`CREATE TRIGGER self_evaluation_version BEFORE UPDATE ON self_evaluation
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
  await sql`DROP TRIGGER IF EXISTS self_evaluation_before_project_delete ON project`.execute(db);
  await sql`DROP TABLE IF EXISTS self_evaluation_event, self_evaluation_indicator, self_evaluation_fund, self_evaluation`.execute(db);
  await sql`DROP FUNCTION IF EXISTS self_evaluation_protect(), self_evaluation_row_protect(), self_evaluation_before_project_delete()`.execute(db);
}
