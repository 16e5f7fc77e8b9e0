import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";
import type { BatchDates } from "../rules/batch-timeliness.ts";

/*
 * A project's payment batches (社会化发放) with their 受理 / 审核完成 / 审批 dates (migration 0018), as the
 * timeliness rules take them. A reversed batch and its reversing entry (红字冲销) count for nothing: neither
 * is a batch of the month.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** A batch's recorded step dates (null: not recorded). */
export interface BatchStepDates {
  acceptedOn: string | null;
  reviewedOn: string | null;
  approvedOn: string | null;
}

/** The step dates of some payments by id (payments of other kinds come back with nulls). */
export async function batchStepDates(db: Queryable, paymentIds: readonly string[]): Promise<Map<string, BatchStepDates>> {
  const wanted = paymentIds.filter((id) => /^\d{1,18}$/.test(id));
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom("payment")
    .select(["id", "accepted_on as acceptedOn", "reviewed_on as reviewedOn", "approved_on as approvedOn"])
    .where("id", "in", wanted)
    .execute();
  return new Map(rows.map(({ id, ...dates }) => [id, dates]));
}

/** The batches that count: batches, not reversing entries, not reversed. */
function countedBatches(db: Queryable, projectId: number, from: string, to: string) {
  return db
    .selectFrom("payment as p")
    .where("p.project_id", "=", projectId)
    .where("p.kind", "=", "batch")
    .where("p.reverses_payment_id", "is", null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("payment as r").select("r.id").whereRef("r.reverses_payment_id", "=", "p.id"))))
    .where("p.paid_on", ">=", from)
    .where("p.paid_on", "<=", to);
}

/**
 * The batches of a project paid from `from` to `to` (inclusive): how many per month (YYYY-MM), grouped in the
 * database, and those carrying any step date with their dates, to be judged (a batch without dates is not).
 */
export async function projectBatches(
  db: Queryable,
  projectId: number,
  from: string,
  to: string,
): Promise<{ counts: Map<string, number>; dated: BatchDates[] }> {
  const [counts, dated] = await Promise.all([
    countedBatches(db, projectId, from, to)
      .select([sql<string>`to_char(p.paid_on, 'YYYY-MM')`.as("month"), sql<number>`count(*)::integer`.as("n")])
      .groupBy(sql`to_char(p.paid_on, 'YYYY-MM')`)
      .execute(),
    countedBatches(db, projectId, from, to)
      .where((eb) => eb.or([eb("p.accepted_on", "is not", null), eb("p.reviewed_on", "is not", null), eb("p.approved_on", "is not", null)]))
      .select(["p.paid_on as paidOn", "p.accepted_on as acceptedOn", "p.reviewed_on as reviewedOn", "p.approved_on as approvedOn"])
      .orderBy("p.paid_on")
      .orderBy("p.id")
      .execute(),
  ]);
  return { counts: new Map(counts.map((row) => [row.month, row.n])), dated };
}

/** The months' 备案 dates of a project from one day's month to another's: YYYY-MM → YYYY-MM-DD. */
export async function batchReports(db: Queryable, projectId: number, from: string, to: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom("batch_report")
    .select([sql<string>`to_char(month, 'YYYY-MM')`.as("month"), "reported_on as reportedOn"])
    .where("project_id", "=", projectId)
    .where("month", ">=", `${from.slice(0, 7)}-01`)
    .where("month", "<=", `${to.slice(0, 7)}-01`)
    .execute();
  return new Map(rows.map((row) => [row.month, row.reportedOn]));
}

/**
 * Records (or, with null, clears) a month's 备案 date when it still stands as `previous` (what the page showed);
 * false when someone changed it meanwhile. Takes the caller's transaction (withActor: audited).
 */
export async function setBatchReport(trx: Queryable, projectId: number, month: string, reportedOn: string | null, previous: string | null): Promise<boolean> {
  const first = `${month}-01`;
  const current = await trx
    .selectFrom("batch_report")
    .select("reported_on as reportedOn")
    .where("project_id", "=", projectId)
    .where("month", "=", first)
    .forUpdate()
    .executeTakeFirst();
  if ((current?.reportedOn ?? null) !== previous) return false;
  if (reportedOn === null) {
    if (current) await trx.deleteFrom("batch_report").where("project_id", "=", projectId).where("month", "=", first).execute();
    return true;
  }
  if (current) {
    await trx.updateTable("batch_report").set({ reported_on: reportedOn, updated_at: sql<string>`now()` }).where("project_id", "=", projectId).where("month", "=", first).execute();
  } else {
    await trx.insertInto("batch_report").values({ project_id: projectId, month: first, reported_on: reportedOn }).execute();
  }
  return true;
}
