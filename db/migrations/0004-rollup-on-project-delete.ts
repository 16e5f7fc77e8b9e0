import { sql, type Kysely } from "kysely";

/*
 * Deleting a project cascades to its payments; the rollup trigger then must not write reversals for
 * a project that no longer exists (its rollup rows went with it). Frozen in time.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE OR REPLACE FUNCTION execution_monthly_apply() RETURNS trigger LANGUAGE plpgsql AS $$
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
          WHERE EXISTS (SELECT 1 FROM project p WHERE p.id = contributions.project_id)
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
      $$`.execute(db);
}

export async function down(): Promise<void> {
  // The previous function body is in 0001-ledger; nothing to undo structurally.
}
