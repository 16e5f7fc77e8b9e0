import { sql, type Kysely } from "kysely";

/* Imported files, so that importing the same file again changes nothing. Frozen in time. */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE import_batch (
    id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_hash    text NOT NULL CHECK (file_hash ~ '^[0-9a-f]{64}$'),
    kind         text NOT NULL CHECK (kind IN ('budget-lines', 'adjustments', 'payments')),
    file_name    text NOT NULL,
    user_id      integer REFERENCES app_user (id) ON DELETE SET NULL,
    username     text NOT NULL,
    imported_at  timestamptz NOT NULL DEFAULT now(),
    rows_read    integer NOT NULL CHECK (rows_read >= 0),
    rows_added   integer NOT NULL CHECK (rows_added >= 0),
    rows_updated integer NOT NULL CHECK (rows_updated >= 0),
    UNIQUE (file_hash, kind)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS import_batch`.execute(db);
}
