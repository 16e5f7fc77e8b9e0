import { sql, type Kysely } from "kysely";

/*
 * Rectification items entered by hand (整改台账): besides the items raised from accepted forms, a manager
 * records one found elsewhere — an audit (审计), a financial supervision (财会监督), a key evaluation by the
 * finance office (财政重点评价) — with its origin written out (来源说明, e.g. "区审计局2024年度审计报告第三条").
 * Such an item has no source form; its row number counts the project's hand-entered items (1, 2, …),
 * unique per project. The checks of migration 0016 are replaced to allow it; everything else (due date,
 * closing, reopening, the plan's responses, the audit trail) is the same for every item.
 */

export async function up(db: Kysely<any>): Promise<void> {
  // 0016's checks were unnamed: drop the source check and the one tying the source to its form by what they say.
  await sql`DO $$
    DECLARE c record;
    BEGIN
      FOR c IN SELECT conname FROM pg_constraint
                WHERE conrelid = 'rectification_item'::regclass AND contype = 'c'
                  AND (pg_get_constraintdef(oid) LIKE '%''self-evaluation''%')
      LOOP
        EXECUTE format('ALTER TABLE rectification_item DROP CONSTRAINT %I', c.conname);
      END LOOP;
    END $$`.execute(db);
  await sql`ALTER TABLE rectification_item
    ADD COLUMN origin text,
    ADD CONSTRAINT rectification_item_source CHECK (source IN ('self-evaluation', 'tracking', 'manual')),
    ADD CONSTRAINT rectification_item_source_form CHECK (
         (source = 'self-evaluation' AND self_evaluation_id IS NOT NULL AND tracking_form_id IS NULL AND origin IS NULL)
      OR (source = 'tracking' AND tracking_form_id IS NOT NULL AND self_evaluation_id IS NULL AND origin IS NULL)
      OR (source = 'manual' AND self_evaluation_id IS NULL AND tracking_form_id IS NULL AND btrim(coalesce(origin, '')) <> ''))`.execute(db);
  await sql`CREATE UNIQUE INDEX rectification_item_manual_row ON rectification_item (project_id, source_row) WHERE source = 'manual'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM rectification_item WHERE source = 'manual'`.execute(db);
  await sql`DROP INDEX IF EXISTS rectification_item_manual_row`.execute(db);
  await sql`ALTER TABLE rectification_item
    DROP CONSTRAINT IF EXISTS rectification_item_source_form,
    DROP CONSTRAINT IF EXISTS rectification_item_source,
    DROP COLUMN IF EXISTS origin,
    ADD CONSTRAINT rectification_item_source_check CHECK (source IN ('self-evaluation', 'tracking')),
    ADD CONSTRAINT rectification_item_check CHECK ((source = 'self-evaluation' AND self_evaluation_id IS NOT NULL AND tracking_form_id IS NULL)
        OR (source = 'tracking' AND tracking_form_id IS NOT NULL AND self_evaluation_id IS NULL))`.execute(db);
}
