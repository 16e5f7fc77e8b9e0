import { sql, type Kysely } from "kysely";

/*
 * Mistakes can be corrected (issue 11 §4, docs/decisions/011-corrections.md):
 *
 * - 红字冲销: a payment is reversed by a reversing entry (reverses_payment_id) that mirrors it with
 *   negative amounts; the original stays. Only such an entry may carry negative amounts, at most one
 *   per payment, of the same project, mirroring the original's amounts; it is never changed, and a
 *   reversed payment is not deleted while its reversal stands.
 * - 更正: a payment's fields are corrected in place; correction_reason holds the reason of the last
 *   correction (of a reversal: why), so that the audit entry of the change shows it with the old values.
 * - 撤销导入: an import batch can be undone (undone_at/by, undo_reason; once undone it stays so). What a
 *   budget-lines or adjustments import created or changed is recorded in import_batch_effect as it
 *   happens — by triggers that recognise the import's transaction by the import_batch row it inserted
 *   (its xmin and imported_at), so that the importer itself needs no change. Batches imported before
 *   this migration have no such record (effects_recorded false); payments carry their batch (0009).
 *   A batch notes the newest payment id when it came in (last_payment_before): payments after it are
 *   the ones that may spend budget it added. One standing (not undone) batch per file and kind.
 *
 * Frozen in time.
 */

export async function up(db: Kysely<any>): Promise<void> {
  // — payments: reversing entries and the reason of a correction —
  await sql`ALTER TABLE payment ADD COLUMN reverses_payment_id bigint, ADD COLUMN correction_reason text`.execute(db);
  await sql`CREATE UNIQUE INDEX payment_reverses_idx ON payment (reverses_payment_id) WHERE reverses_payment_id IS NOT NULL`.execute(db);
  // The sign rules of 0001, now with the reversing entry's mirror image (all amounts ≤ 0).
  await sql`ALTER TABLE payment
      DROP CONSTRAINT payment_amount_check,
      DROP CONSTRAINT payment_person_times_check,
      DROP CONSTRAINT payment_returned_count_check,
      DROP CONSTRAINT payment_returned_amount_check,
      DROP CONSTRAINT payment_check,
      DROP CONSTRAINT payment_check1,
      DROP CONSTRAINT payment_check2,
      ADD CONSTRAINT payment_amount_sign CHECK (amount <> 'NaN' AND
        CASE WHEN reverses_payment_id IS NULL THEN amount > 0 ELSE amount < 0 END),
      ADD CONSTRAINT payment_counts_sign CHECK (
        CASE WHEN reverses_payment_id IS NULL THEN person_times >= 0 AND returned_count >= 0 ELSE person_times <= 0 AND returned_count <= 0 END),
      ADD CONSTRAINT payment_returned_sign CHECK (returned_amount <> 'NaN' AND
        CASE WHEN reverses_payment_id IS NULL THEN returned_amount >= 0 ELSE returned_amount <= 0 END),
      ADD CONSTRAINT payment_returned_within CHECK (abs(returned_amount) <= abs(amount)),
      ADD CONSTRAINT payment_returned_count_within CHECK (person_times IS NULL OR abs(returned_count) <= abs(person_times)),
      ADD CONSTRAINT payment_reissue CHECK (reissued_on IS NULL OR (reissued_on >= paid_on AND returned_amount <> 0)),
      ADD CONSTRAINT payment_reverses_other CHECK (reverses_payment_id <> id),
      ADD CONSTRAINT payment_correction_reason CHECK (correction_reason IS NULL OR btrim(correction_reason) <> '')`.execute(db);

  // A reversing entry mirrors a payment of its own project that is not itself a reversal; it is never changed.
  await sql`CREATE FUNCTION check_payment_reversal() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        original payment%ROWTYPE;
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          RAISE EXCEPTION 'payment %: a reversing entry cannot be changed', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        SELECT * INTO original FROM payment WHERE id = NEW.reverses_payment_id;
        IF NOT FOUND OR original.project_id <> NEW.project_id OR original.reverses_payment_id IS NOT NULL
           OR NEW.amount <> -original.amount OR NEW.returned_amount <> -original.returned_amount
           OR NEW.person_times IS DISTINCT FROM -original.person_times OR NEW.returned_count <> -original.returned_count
           OR NEW.paid_on < original.paid_on THEN
          RAISE EXCEPTION 'payment %: a reversing entry must mirror a payment of its project, on or after its date', NEW.reverses_payment_id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END
      $$`.execute(db);
  await sql`CREATE TRIGGER payment_reversal_insert BEFORE INSERT ON payment
            FOR EACH ROW WHEN (NEW.reverses_payment_id IS NOT NULL) EXECUTE FUNCTION check_payment_reversal()`.execute(db);
  await sql`CREATE TRIGGER payment_reversal_fixed BEFORE UPDATE ON payment
            FOR EACH ROW WHEN (OLD.reverses_payment_id IS NOT NULL) EXECUTE FUNCTION check_payment_reversal()`.execute(db);
  await sql`CREATE FUNCTION refuse_reversed_payment_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        reversed bigint;
      BEGIN
        SELECT o.id INTO reversed FROM old_rows o JOIN payment r ON r.reverses_payment_id = o.id LIMIT 1;
        IF reversed IS NOT NULL THEN
          RAISE EXCEPTION 'payment % has a reversing entry and cannot be deleted', reversed USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END
      $$`.execute(db);
  await sql`CREATE TRIGGER payment_reversed_kept AFTER DELETE ON payment
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION refuse_reversed_payment_delete()`.execute(db);

  // — import batches: undo —
  await sql`ALTER TABLE import_batch
      ADD COLUMN undone_at timestamptz,
      ADD COLUMN undone_by text,
      ADD COLUMN undone_by_id integer REFERENCES app_user (id) ON DELETE SET NULL,
      ADD COLUMN undo_reason text,
      ADD COLUMN effects_recorded boolean,
      ADD COLUMN last_payment_before bigint,
      ADD CONSTRAINT import_batch_undo_complete CHECK (
        (undone_at IS NULL) = (undone_by IS NULL) AND (undone_at IS NULL) = (undo_reason IS NULL)),
      ADD CONSTRAINT import_batch_undo_reason CHECK (undo_reason IS NULL OR btrim(undo_reason) <> '')`.execute(db);
  // A file may come in again once its batch is undone: one standing batch per file and kind.
  await sql`ALTER TABLE import_batch DROP CONSTRAINT import_batch_file_hash_kind_key`.execute(db);
  await sql`CREATE UNIQUE INDEX import_batch_standing_file ON import_batch (file_hash, kind) WHERE undone_at IS NULL`.execute(db);
  await sql`UPDATE import_batch SET effects_recorded = false`.execute(db);
  await sql`ALTER TABLE import_batch ALTER COLUMN effects_recorded SET DEFAULT true, ALTER COLUMN effects_recorded SET NOT NULL`.execute(db);
  await sql`CREATE FUNCTION refuse_import_batch_redo() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'import batch % was undone and stays so', OLD.id USING ERRCODE = 'insufficient_privilege';
      END
      $$`.execute(db);
  await sql`CREATE TRIGGER import_batch_undone_kept BEFORE UPDATE ON import_batch
            FOR EACH ROW WHEN (OLD.undone_at IS NOT NULL) EXECUTE FUNCTION refuse_import_batch_redo()`.execute(db);
  // The newest payment when the batch came in: payments after it are the ones that may use the budget it added.
  await sql`CREATE FUNCTION note_last_payment_before() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.last_payment_before := (SELECT max(id) FROM payment);
        RETURN NEW;
      END
      $$`.execute(db);
  await sql`CREATE TRIGGER import_batch_last_payment BEFORE INSERT ON import_batch
            FOR EACH ROW EXECUTE FUNCTION note_last_payment_before()`.execute(db);

  // What a budget-lines or adjustments import created (and the budget lines it changed, as they were).
  await sql`CREATE TABLE import_batch_effect (
    import_batch_id  integer NOT NULL REFERENCES import_batch (id),
    table_name       text NOT NULL CHECK (table_name IN ('org_unit', 'project', 'budget_line', 'budget_adjustment')),
    record_id        integer NOT NULL,
    action           text NOT NULL CHECK (action IN ('insert', 'update')),
    before           jsonb,
    version          integer,
    PRIMARY KEY (import_batch_id, table_name, record_id)
  )`.execute(db);
  await sql`CREATE INDEX import_batch_effect_record_idx ON import_batch_effect (table_name, record_id)`.execute(db);

  // The import batch that the current transaction inserted (the importer inserts it before its rows), or null.
  await sql`CREATE FUNCTION current_import_batch() RETURNS integer LANGUAGE sql STABLE AS $$
      SELECT id FROM import_batch
       WHERE xmin = pg_current_xact_id_if_assigned()::xid AND imported_at = now()
       ORDER BY id DESC LIMIT 1
      $$`.execute(db);
  // Units and projects an import creates come before its batch row: they are the rows this transaction inserted.
  await sql`CREATE FUNCTION record_import_batch_creations() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        this_transaction xid := pg_current_xact_id()::xid;
      BEGIN
        INSERT INTO import_batch_effect (import_batch_id, table_name, record_id, action, version)
        SELECT NEW.id, 'project', p.id, 'insert', p.version FROM project p WHERE p.xmin = this_transaction AND p.version = 1;
        INSERT INTO import_batch_effect (import_batch_id, table_name, record_id, action)
        SELECT NEW.id, 'org_unit', u.id, 'insert' FROM org_unit u
         WHERE u.xmin = this_transaction
           AND EXISTS (SELECT 1 FROM audit_log a WHERE a.table_name = 'org_unit' AND a.record_id = u.id::text
                                                  AND a.action = 'insert' AND a.xmin = this_transaction);
        RETURN NULL;
      END
      $$`.execute(db);
  await sql`CREATE TRIGGER import_batch_creations AFTER INSERT ON import_batch
            FOR EACH ROW EXECUTE FUNCTION record_import_batch_creations()`.execute(db);
  await sql`CREATE FUNCTION record_import_batch_effect() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        batch integer := current_import_batch();
      BEGIN
        IF batch IS NULL THEN
          RETURN NULL;
        END IF;
        IF TG_OP = 'INSERT' THEN
          EXECUTE format('INSERT INTO import_batch_effect (import_batch_id, table_name, record_id, action, version)
                          SELECT $1, %L, r.id, ''insert'', r.version FROM new_rows r ON CONFLICT DO NOTHING', TG_TABLE_NAME) USING batch;
        ELSE
          -- The first image before the import is kept; the version is the one the import left.
          EXECUTE format('INSERT INTO import_batch_effect (import_batch_id, table_name, record_id, action, before, version)
                          SELECT $1, %L, r.id, ''update'', to_jsonb(o), r.version FROM new_rows r JOIN old_rows o ON o.id = r.id
                          ON CONFLICT (import_batch_id, table_name, record_id) DO UPDATE SET version = excluded.version', TG_TABLE_NAME) USING batch;
        END IF;
        RETURN NULL;
      END
      $$`.execute(db);
  for (const table of ["budget_line", "budget_adjustment"]) {
    await sql`CREATE TRIGGER ${sql.id(`${table}_import_effect_insert`)} AFTER INSERT ON ${sql.table(table)}
              REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_import_batch_effect()`.execute(db);
  }
  await sql`CREATE TRIGGER budget_line_import_effect_update AFTER UPDATE ON budget_line
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_import_batch_effect()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS budget_line_import_effect_update ON budget_line`.execute(db);
  await sql`DROP TRIGGER IF EXISTS budget_line_import_effect_insert ON budget_line`.execute(db);
  await sql`DROP TRIGGER IF EXISTS budget_adjustment_import_effect_insert ON budget_adjustment`.execute(db);
  await sql`DROP TRIGGER IF EXISTS import_batch_creations ON import_batch`.execute(db);
  await sql`DROP TRIGGER IF EXISTS import_batch_undone_kept ON import_batch`.execute(db);
  await sql`DROP TRIGGER IF EXISTS import_batch_last_payment ON import_batch`.execute(db);
  await sql`DROP FUNCTION IF EXISTS record_import_batch_effect(), record_import_batch_creations(), current_import_batch(), refuse_import_batch_redo(), note_last_payment_before()`.execute(db);
  await sql`DROP TABLE IF EXISTS import_batch_effect`.execute(db);
  await sql`DROP INDEX IF EXISTS import_batch_standing_file`.execute(db);
  await sql`ALTER TABLE import_batch ADD CONSTRAINT import_batch_file_hash_kind_key UNIQUE (file_hash, kind)`.execute(db);
  await sql`ALTER TABLE import_batch DROP COLUMN undone_at, DROP COLUMN undone_by, DROP COLUMN undone_by_id, DROP COLUMN undo_reason, DROP COLUMN effects_recorded, DROP COLUMN last_payment_before`.execute(db);
  await sql`DROP TRIGGER IF EXISTS payment_reversed_kept ON payment`.execute(db);
  await sql`DROP TRIGGER IF EXISTS payment_reversal_fixed ON payment`.execute(db);
  await sql`DROP TRIGGER IF EXISTS payment_reversal_insert ON payment`.execute(db);
  await sql`DROP FUNCTION IF EXISTS refuse_reversed_payment_delete(), check_payment_reversal()`.execute(db);
  await sql`DELETE FROM payment WHERE reverses_payment_id IS NOT NULL`.execute(db);
  await sql`ALTER TABLE payment
      DROP CONSTRAINT payment_amount_sign, DROP CONSTRAINT payment_counts_sign, DROP CONSTRAINT payment_returned_sign,
      DROP CONSTRAINT payment_returned_within, DROP CONSTRAINT payment_returned_count_within, DROP CONSTRAINT payment_reissue,
      DROP CONSTRAINT payment_reverses_other, DROP CONSTRAINT payment_correction_reason,
      ADD CONSTRAINT payment_amount_check CHECK (amount > 0 AND amount <> 'NaN'),
      ADD CONSTRAINT payment_person_times_check CHECK (person_times >= 0),
      ADD CONSTRAINT payment_returned_count_check CHECK (returned_count >= 0),
      ADD CONSTRAINT payment_returned_amount_check CHECK (returned_amount >= 0 AND returned_amount <> 'NaN'),
      ADD CONSTRAINT payment_check CHECK (returned_amount <= amount),
      ADD CONSTRAINT payment_check1 CHECK (person_times IS NULL OR returned_count <= person_times),
      ADD CONSTRAINT payment_check2 CHECK (reissued_on IS NULL OR (reissued_on >= paid_on AND returned_amount > 0))`.execute(db);
  await sql`DROP INDEX IF EXISTS payment_reverses_idx`.execute(db);
  await sql`ALTER TABLE payment DROP COLUMN reverses_payment_id, DROP COLUMN correction_reason`.execute(db);
}
