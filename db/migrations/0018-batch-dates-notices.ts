import { sql, type Kysely } from "kysely";

/*
 * Time rules of payments (issue 15):
 *
 * - A payment batch (社会化发放) may carry the dates of its steps besides the day it was paid: 受理
 *   (accepted_on), 审核完成 (reviewed_on) and 审批 (approved_on), so that each batch can be judged against
 *   闵医保规发〔2022〕1号 (accepted on the 10th, 20th and month end; reviewed within 10 working days; paid
 *   within 5 working days of approval). All optional; in order among themselves. Their order against the
 *   day paid and the kind are checked where they are entered (the import), not here: a correction of the
 *   payment's date or kind (更正) must not fail on them.
 * - settlement_notice (结算通知书): a notice to transfer money by a due date — 文号, title, issuing unit,
 *   amount, issued and due dates, the project, and the transfer payment that settles it (none yet: unpaid).
 *   One notice per payment; the payment must be a transfer of the notice's project and not a reversing
 *   entry. Deleting the payment (撤销导入) leaves the notice unpaid. Audited and versioned like the ledger.
 *
 * Frozen in time.
 */

const statements = [
  sql`ALTER TABLE payment
        ADD COLUMN accepted_on date,
        ADD COLUMN reviewed_on date,
        ADD COLUMN approved_on date,
        ADD CONSTRAINT payment_batch_dates_order CHECK (
          (accepted_on IS NULL OR reviewed_on IS NULL OR accepted_on <= reviewed_on)
          AND (reviewed_on IS NULL OR approved_on IS NULL OR reviewed_on <= approved_on)
          AND (accepted_on IS NULL OR approved_on IS NULL OR accepted_on <= approved_on))`,

  sql`CREATE TABLE settlement_notice (
    id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id       integer NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    document_number  text CHECK (document_number IS NULL OR (btrim(document_number) <> '' AND length(document_number) <= 200)),
    title            text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    issuer           text NOT NULL CHECK (btrim(issuer) <> '' AND length(issuer) <= 200),
    amount           numeric(18,2) NOT NULL CHECK (amount > 0 AND amount <> 'NaN'),
    issued_on        date,
    due_on           date NOT NULL,
    payment_id       bigint UNIQUE REFERENCES payment (id) ON DELETE SET NULL,
    note             text CHECK (note IS NULL OR length(note) <= 4000),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1,
    CHECK (issued_on IS NULL OR issued_on <= due_on)
  )`,
  sql`CREATE INDEX settlement_notice_project_idx ON settlement_notice (project_id, due_on)`,

  // The settling payment is a transfer (划拨) of the notice's own project, not a reversing entry.
  sql`CREATE FUNCTION check_settlement_payment() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        settling payment%ROWTYPE;
      BEGIN
        IF NEW.payment_id IS NULL THEN
          RETURN NEW;
        END IF;
        SELECT * INTO settling FROM payment WHERE id = NEW.payment_id;
        IF NOT FOUND OR settling.project_id <> NEW.project_id OR settling.kind <> 'transfer' OR settling.reverses_payment_id IS NOT NULL THEN
          RAISE EXCEPTION 'settlement notice %: payment % is not a transfer of project %', NEW.id, NEW.payment_id, NEW.project_id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END
      $$`,
  sql`CREATE TRIGGER settlement_notice_payment BEFORE INSERT OR UPDATE OF payment_id, project_id ON settlement_notice
      FOR EACH ROW EXECUTE FUNCTION check_settlement_payment()`,
  sql`CREATE TRIGGER settlement_notice_version BEFORE UPDATE ON settlement_notice
      FOR EACH ROW EXECUTE FUNCTION bump_version()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
  const args = sql.join([sql.lit("r.project_id"), sql.lit("{}")]);
  await sql`CREATE TRIGGER settlement_notice_audit_insert AFTER INSERT ON settlement_notice
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER settlement_notice_audit_update AFTER UPDATE ON settlement_notice
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER settlement_notice_audit_delete AFTER DELETE ON settlement_notice
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes(${args})`.execute(db);
  await sql`CREATE TRIGGER settlement_notice_no_truncate BEFORE TRUNCATE ON settlement_notice
            FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS settlement_notice`.execute(db);
  await sql`DROP FUNCTION IF EXISTS check_settlement_payment()`.execute(db);
  await sql`ALTER TABLE payment DROP CONSTRAINT IF EXISTS payment_batch_dates_order,
              DROP COLUMN IF EXISTS accepted_on, DROP COLUMN IF EXISTS reviewed_on, DROP COLUMN IF EXISTS approved_on`.execute(db);
}
