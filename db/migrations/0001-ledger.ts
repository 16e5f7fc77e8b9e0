import { sql, type Kysely } from "kysely";

/*
 * The ledger: organisation units, projects, budget lines, adjustments and payments, and the
 * monthly execution rollup that a trigger keeps in the same transaction as every payment change.
 * Frozen in time: later changes go in new migrations.
 */

const statements = [
  sql`CREATE TABLE org_unit (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id   integer REFERENCES org_unit (id) ON DELETE RESTRICT,
    name        text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    level       text NOT NULL CHECK (level IN ('city', 'district', 'town', 'unit', 'department')),
    code        text,
    CHECK (parent_id IS NULL OR parent_id <> id)
  )`,
  sql`CREATE INDEX org_unit_parent_idx ON org_unit (parent_id)`,

  sql`CREATE TABLE project (
    id                      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fiscal_year             integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
    code                    text,
    name                    text NOT NULL CHECK (btrim(name) <> ''),
    unit_id                 integer NOT NULL REFERENCES org_unit (id) ON DELETE RESTRICT,
    supervising_department  text,
    implementing_unit       text,
    recurring               boolean NOT NULL DEFAULT true,
    category                text,
    note                    text,
    UNIQUE (fiscal_year, unit_id, name)
  )`,
  sql`CREATE INDEX project_year_unit_idx ON project (fiscal_year, unit_id)`,

  sql`CREATE TABLE budget_line (
    id                integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id        integer NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    line_no           integer NOT NULL CHECK (line_no > 0),
    composition       text NOT NULL DEFAULT '',
    item              text NOT NULL CHECK (btrim(item) <> ''),
    fund_level        text NOT NULL CHECK (fund_level IN ('中央', '市级', '区级', '镇级')),
    fund_type         text NOT NULL CHECK (fund_type IN ('当年财政拨款', '上年结转', '其他资金')),
    initial_amount    numeric(18, 2) NOT NULL CHECK (initial_amount >= 0 AND initial_amount <> 'NaN'),
    unit_price        numeric(18, 2) CHECK (unit_price >= 0 AND unit_price <> 'NaN'),
    quantity          numeric(18, 2) CHECK (quantity >= 0 AND quantity <> 'NaN'),
    basis             text,
    scheduled_months  smallint[] CHECK (scheduled_months <@ ARRAY[1,2,3,4,5,6,7,8,9,10,11,12]::smallint[]),
    functional_code   text CHECK (functional_code ~ '^[0-9]{3,7}$'),
    functional_name   text,
    economic_code     text CHECK (economic_code ~ '^[0-9]{3,5}$'),
    economic_name     text,
    UNIQUE (project_id, line_no),
    UNIQUE (project_id, composition, item),
    -- lets a payment reference a line of its own project only
    UNIQUE (id, project_id)
  )`,

  sql`CREATE TABLE budget_adjustment (
    id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    budget_line_id   integer NOT NULL REFERENCES budget_line (id) ON DELETE CASCADE,
    adjusted_on      date NOT NULL,
    amount           numeric(18, 2) NOT NULL CHECK (amount <> 0 AND amount <> 'NaN'),
    fund_level       text NOT NULL CHECK (fund_level IN ('中央', '市级', '区级', '镇级')),
    reason           text NOT NULL DEFAULT '',
    document_number  text
  )`,
  sql`CREATE INDEX budget_adjustment_line_idx ON budget_adjustment (budget_line_id, adjusted_on)`,

  sql`CREATE TABLE payment (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id       integer NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    budget_line_id   integer,
    paid_on          date NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('batch', 'transfer')),
    person_times     integer CHECK (person_times >= 0),
    amount           numeric(18, 2) NOT NULL CHECK (amount > 0 AND amount <> 'NaN'),
    due_on           date,
    returned_count   integer NOT NULL DEFAULT 0 CHECK (returned_count >= 0),
    returned_amount  numeric(18, 2) NOT NULL DEFAULT 0
                     CHECK (returned_amount >= 0 AND returned_amount <> 'NaN'),
    reissued_on      date,
    note             text,
    FOREIGN KEY (budget_line_id, project_id) REFERENCES budget_line (id, project_id) ON DELETE CASCADE,
    CHECK (returned_amount <= amount),
    CHECK (person_times IS NULL OR returned_count <= person_times),
    CHECK (reissued_on IS NULL OR (reissued_on >= paid_on AND returned_amount > 0)),
    CHECK (kind = 'transfer' OR due_on IS NULL)
  )`,
  sql`CREATE INDEX payment_project_paid_idx ON payment (project_id, paid_on)`,
  sql`CREATE INDEX payment_paid_idx ON payment (paid_on) INCLUDE (project_id, amount, returned_amount)`,
  sql`CREATE INDEX payment_reissued_idx ON payment (reissued_on) INCLUDE (project_id, returned_amount)
      WHERE reissued_on IS NOT NULL`,
  sql`CREATE INDEX payment_line_idx ON payment (budget_line_id) WHERE budget_line_id IS NOT NULL`,

  // Executed per project and month: each payment counts (amount − returned) in the month it was
  // paid and its returned part in the month it was re-issued. Maintained by statement triggers.
  sql`CREATE TABLE execution_monthly (
    project_id  integer NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    month       date NOT NULL CHECK (extract(day FROM month) = 1),
    executed    numeric(18, 2) NOT NULL,
    PRIMARY KEY (project_id, month)
  )`,
  sql`CREATE FUNCTION execution_monthly_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          INSERT INTO execution_monthly AS em (project_id, month, executed)
          SELECT project_id, month, -sum(executed) FROM (
            SELECT project_id, date_trunc('month', paid_on)::date AS month, amount - returned_amount AS executed
              FROM old_rows
            UNION ALL
            SELECT project_id, date_trunc('month', reissued_on)::date, returned_amount
              FROM old_rows WHERE reissued_on IS NOT NULL
          ) contributions
          GROUP BY project_id, month
          ON CONFLICT (project_id, month) DO UPDATE SET executed = em.executed + excluded.executed;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          INSERT INTO execution_monthly AS em (project_id, month, executed)
          SELECT project_id, month, sum(executed) FROM (
            SELECT project_id, date_trunc('month', paid_on)::date AS month, amount - returned_amount AS executed
              FROM new_rows
            UNION ALL
            SELECT project_id, date_trunc('month', reissued_on)::date, returned_amount
              FROM new_rows WHERE reissued_on IS NOT NULL
          ) contributions
          GROUP BY project_id, month
          ON CONFLICT (project_id, month) DO UPDATE SET executed = em.executed + excluded.executed;
        END IF;
        RETURN NULL;
      END
      $$`,
  sql`CREATE TRIGGER payment_rollup_insert AFTER INSERT ON payment
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION execution_monthly_apply()`,
  sql`CREATE TRIGGER payment_rollup_update AFTER UPDATE ON payment
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION execution_monthly_apply()`,
  sql`CREATE TRIGGER payment_rollup_delete AFTER DELETE ON payment
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION execution_monthly_apply()`,

  sql`CREATE TABLE setting (
    key    text PRIMARY KEY,
    value  text NOT NULL
  )`,
  sql`INSERT INTO setting (key, value) VALUES ('flag_threshold', '75.00')`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["setting", "execution_monthly", "payment", "budget_adjustment", "budget_line", "project", "org_unit"]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)} CASCADE`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS execution_monthly_apply()`.execute(db);
}
