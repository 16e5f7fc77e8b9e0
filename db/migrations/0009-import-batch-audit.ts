import { sql, type Kysely } from "kysely";

/*
 * A payment imported from a file carries its import batch, and the audit trail records an import
 * as one entry per batch and project (file, rows, amount, first and last payment id) instead of one
 * row image per payment. Payments entered by hand are audited row by row as before, and so are the
 * updates and deletes of every payment. See docs/decisions/008-import-audit-by-batch.md.
 *
 * import_batch_id is checked once per statement (in the audit trigger) rather than by a foreign key,
 * whose per-row check costs a quarter of a 200,000-row import; batches can be neither deleted nor
 * renumbered, and a payment's batch cannot be changed, so the reference stays valid as a key would
 * keep it. Frozen in time.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE payment ADD COLUMN import_batch_id integer`.execute(db);
  await sql`CREATE FUNCTION audit_payment_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        actor_id integer := nullif(current_setting('budget.user_id', true), '')::integer;
        actor_name text := coalesce(nullif(current_setting('budget.username', true), ''), current_user);
      BEGIN
        IF EXISTS (SELECT 1 FROM new_rows r
                    WHERE r.import_batch_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM import_batch b WHERE b.id = r.import_batch_id)) THEN
          RAISE EXCEPTION 'payment.import_batch_id names an import batch that does not exist' USING ERRCODE = 'foreign_key_violation';
        END IF;
        INSERT INTO audit_log (user_id, username, action, table_name, record_id, project_id, before, after)
        SELECT actor_id, actor_name, 'insert', 'payment', r.id::text, r.project_id, NULL, to_jsonb(r)
          FROM new_rows r WHERE r.import_batch_id IS NULL;
        INSERT INTO audit_log (user_id, username, action, table_name, record_id, project_id, before, after)
        SELECT actor_id, actor_name, 'insert', 'import_batch', b.id::text, r.project_id, NULL,
               jsonb_build_object('file_name', b.file_name, 'rows', count(*), 'amount', sum(r.amount),
                                  'first_payment_id', min(r.id), 'last_payment_id', max(r.id))
          FROM new_rows r JOIN import_batch b ON b.id = r.import_batch_id
         GROUP BY b.id, b.file_name, r.project_id;
        RETURN NULL;
      END
      $$`.execute(db);
  await sql`DROP TRIGGER payment_audit_insert ON payment`.execute(db);
  await sql`CREATE TRIGGER payment_audit_insert AFTER INSERT ON payment
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_payment_insert()`.execute(db);

  await sql`CREATE FUNCTION refuse_import_batch_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '%: the import batch of imported rows cannot be changed or removed', TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`.execute(db);
  await sql`CREATE TRIGGER payment_import_batch_fixed BEFORE UPDATE OF import_batch_id ON payment
            FOR EACH ROW WHEN (OLD.import_batch_id IS DISTINCT FROM NEW.import_batch_id) EXECUTE FUNCTION refuse_import_batch_change()`.execute(db);
  await sql`CREATE TRIGGER import_batch_kept BEFORE DELETE OR UPDATE OF id ON import_batch
            FOR EACH ROW EXECUTE FUNCTION refuse_import_batch_change()`.execute(db);
  await sql`CREATE TRIGGER import_batch_no_truncate BEFORE TRUNCATE ON import_batch
            FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS import_batch_no_truncate ON import_batch`.execute(db);
  await sql`DROP TRIGGER IF EXISTS import_batch_kept ON import_batch`.execute(db);
  await sql`DROP TRIGGER IF EXISTS payment_import_batch_fixed ON payment`.execute(db);
  await sql`DROP FUNCTION IF EXISTS refuse_import_batch_change()`.execute(db);
  await sql`DROP TRIGGER IF EXISTS payment_audit_insert ON payment`.execute(db);
  await sql`CREATE TRIGGER payment_audit_insert AFTER INSERT ON payment
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_changes('r.project_id', '{}')`.execute(db);
  await sql`DROP FUNCTION IF EXISTS audit_payment_insert()`.execute(db);
  await sql`ALTER TABLE payment DROP COLUMN IF EXISTS import_batch_id`.execute(db);
}
