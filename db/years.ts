import type { DB } from "./pool.ts";

/**
 * The latest fiscal year with a payment in the given units (null when none has one): the year the pages
 * open on, so that adopting next year's plan (projects without payments yet) does not move every
 * user's dashboard and tracking list to an empty year.
 */
export async function latestYearWithPayments(db: DB, unitIds: readonly number[]): Promise<number | null> {
  const row = await db
    .selectFrom("project as p")
    .select((eb) => eb.fn.max("p.fiscal_year").as("year"))
    .where("p.unit_id", "in", unitIds.length > 0 ? [...unitIds] : [-1])
    .where((eb) => eb.exists(eb.selectFrom("payment as pay").select("pay.id").whereRef("pay.project_id", "=", "p.id")))
    .executeTakeFirst();
  return row?.year ?? null;
}
