import { sql, type Kysely } from "kysely";
import { up as rollupOnProjectDelete } from "./0004-rollup-on-project-delete.ts";

/*
 * What a payment contributes to 执行数 (executed), defined once in SQL (docs/decisions/015): the SQL
 * form of paymentExecutedAsOf in domain/execution.ts, which stays the reference rule
 * (test/execution-definition.test.ts holds them together).
 *
 * - payment_contribution(paid_on, amount, returned_amount, reissued_on, as_of): the contribution as of
 *   a date — nothing before paid_on, then amount − returned_amount, then the whole amount from
 *   reissued_on on. A plain CASE, IMMUTABLE: the planner inlines it.
 * - payment_contributions(paid_on, amount, returned_amount, reissued_on): the same as dated increments,
 *   one row per day the contribution changes (contributed_on, executed) — paid_on: amount − returned,
 *   reissued_on: returned — derived from payment_contribution itself (its value on the day less its
 *   value the day before), so that the two cannot drift apart. Month and period figures group these
 *   rows; the sum of the rows dated ≤ a day is payment_contribution as of that day.
 *
 * The rollup trigger (execution_monthly, 0001/0004) is redefined with them. Its figures do not change:
 * for every row the payment table admits (reissued_on ≥ paid_on) they are the old ones. Frozen in time.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE FUNCTION payment_contribution(paid_on date, amount numeric, returned_amount numeric, reissued_on date, as_of date)
      RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN paid_on > as_of THEN 0::numeric
                    WHEN reissued_on <= as_of THEN amount
                    ELSE amount - coalesce(returned_amount, 0) END
      $$`.execute(db);
  // Plain SELECT bodies (not the SQL-standard RETURN form), so that the planner inlines both functions
  // into the queries that call them.
  await sql`CREATE FUNCTION payment_contributions(paid_on date, amount numeric, returned_amount numeric, reissued_on date)
      RETURNS TABLE (contributed_on date, executed numeric) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT d,
               payment_contribution(paid_on, amount, returned_amount, reissued_on, d)
             - payment_contribution(paid_on, amount, returned_amount, reissued_on, d - 1)
          FROM unnest(CASE WHEN reissued_on > paid_on THEN ARRAY[paid_on, reissued_on] ELSE ARRAY[paid_on] END) AS t (d)
      $$`.execute(db);
  // 0004's trigger function, its contributions from payment_contributions.
  await sql`CREATE OR REPLACE FUNCTION execution_monthly_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          INSERT INTO execution_monthly AS em (project_id, month, executed)
          SELECT r.project_id, date_trunc('month', c.contributed_on)::date, -sum(c.executed)
            FROM old_rows r
           CROSS JOIN LATERAL payment_contributions(r.paid_on, r.amount, r.returned_amount, r.reissued_on) c
           WHERE EXISTS (SELECT 1 FROM project p WHERE p.id = r.project_id)
           GROUP BY 1, 2
          ON CONFLICT (project_id, month) DO UPDATE SET executed = em.executed + excluded.executed;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          INSERT INTO execution_monthly AS em (project_id, month, executed)
          SELECT r.project_id, date_trunc('month', c.contributed_on)::date, sum(c.executed)
            FROM new_rows r
           CROSS JOIN LATERAL payment_contributions(r.paid_on, r.amount, r.returned_amount, r.reissued_on) c
           GROUP BY 1, 2
          ON CONFLICT (project_id, month) DO UPDATE SET executed = em.executed + excluded.executed;
        END IF;
        RETURN NULL;
      END
      $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await rollupOnProjectDelete(db);
  await sql`DROP FUNCTION IF EXISTS payment_contributions(date, numeric, numeric, date)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS payment_contribution(date, numeric, numeric, date, date)`.execute(db);
}
