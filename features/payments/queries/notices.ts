import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";
import type { NoticeValues } from "../rules/notices.ts";

/*
 * The settlement notices as stored (结算通知书, migration 0018): the register by units and year with each
 * notice's project and settling payment, one notice, the choices the form offers (projects, transfers),
 * and the changes, each guarded by the version the user saw. Writes take a transaction opened by withActor,
 * so that the audit trail names the user.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** A notice as the register lists it. */
export interface NoticeRow {
  id: number;
  projectId: number;
  projectName: string;
  fiscalYear: number;
  unitId: number;
  unitName: string;
  documentNumber: string | null;
  title: string;
  issuer: string;
  amount: string;
  issuedOn: string | null;
  dueOn: string;
  paymentId: string | null;
  /** The settling payment's day and amount (null while unpaid). */
  paidOn: string | null;
  paidAmount: string | null;
  note: string | null;
  version: number;
}

function selectNotices(db: Queryable) {
  return db
    .selectFrom("settlement_notice as n")
    .innerJoin("project as p", "p.id", "n.project_id")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .leftJoin("payment as pay", "pay.id", "n.payment_id")
    .select([
      "n.id",
      "p.id as projectId",
      "p.name as projectName",
      "p.fiscal_year as fiscalYear",
      "u.id as unitId",
      "u.name as unitName",
      "n.document_number as documentNumber",
      "n.title",
      "n.issuer",
      "n.amount",
      "n.issued_on as issuedOn",
      "n.due_on as dueOn",
      "n.payment_id as paymentId",
      "pay.paid_on as paidOn",
      "pay.amount as paidAmount",
      "n.note",
      "n.version",
    ]);
}

/** The notices of one project, by due date (the caller has checked that the user may read the project). */
export async function projectNotices(db: Queryable, projectId: number): Promise<NoticeRow[]> {
  return selectNotices(db).where("p.id", "=", projectId).orderBy("n.due_on").orderBy("n.id").execute();
}

/** The notices of projects of the units (of a fiscal year, or all), by due date. */
export async function listNotices(db: Queryable, filter: { unitIds: readonly number[]; year?: number; unpaidBy?: string }): Promise<NoticeRow[]> {
  let query = selectNotices(db).where("p.unit_id", "in", filter.unitIds.length > 0 ? [...filter.unitIds] : [-1]);
  if (filter.year !== undefined) query = query.where("p.fiscal_year", "=", filter.year);
  // Unpaid on a day: no settling payment, or one paid after it.
  if (filter.unpaidBy !== undefined) query = query.where((eb) => eb.or([eb("n.payment_id", "is", null), eb("pay.paid_on", ">", filter.unpaidBy!)]));
  return query.orderBy("n.due_on").orderBy("n.id").execute();
}

/** A notice, or undefined. */
export async function getNotice(db: Queryable, id: number): Promise<NoticeRow | undefined> {
  return selectNotices(db).where("n.id", "=", id).executeTakeFirst();
}

/** The fiscal years of the units' projects that have notices or transfers, latest first. */
export async function noticeYears(db: Queryable, unitIds: readonly number[]): Promise<number[]> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom("project as p")
    .select("p.fiscal_year as year")
    .distinct()
    .where("p.unit_id", "in", [...unitIds])
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom("settlement_notice as n").select("n.id").whereRef("n.project_id", "=", "p.id")),
        eb.exists(eb.selectFrom("payment as t").select("t.id").whereRef("t.project_id", "=", "p.id").where("t.kind", "=", "transfer")),
      ]),
    )
    .orderBy("p.fiscal_year", "desc")
    .execute();
  return rows.map((row) => row.year);
}

/** A project the form offers. */
export interface NoticeProjectChoice {
  id: number;
  name: string;
  fiscalYear: number;
  unitId: number;
  unitName: string;
}

/** The projects of the units in a fiscal year (declaration-only ones aside: nothing is paid there). */
export async function projectChoices(db: Queryable, unitIds: readonly number[], year: number): Promise<NoticeProjectChoice[]> {
  if (unitIds.length === 0) return [];
  return db
    .selectFrom("project as p")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select(["p.id", "p.name", "p.fiscal_year as fiscalYear", "u.id as unitId", "u.name as unitName"])
    .where("p.unit_id", "in", [...unitIds])
    .where("p.fiscal_year", "=", year)
    .where("p.declaration_only", "=", false)
    .orderBy("u.name")
    .orderBy("p.name")
    .execute();
}

/** A transfer (划拨) a notice can name, with the notice it already settles (if any). */
export interface TransferChoice {
  id: string;
  projectId: number;
  paidOn: string;
  amount: string;
  dueOn: string | null;
  note: string | null;
  settles: number | null;
}

/** The transfers of some projects (not reversing entries), by day paid. */
export async function transferChoices(db: Queryable, projectIds: readonly number[]): Promise<TransferChoice[]> {
  if (projectIds.length === 0) return [];
  return db
    .selectFrom("payment as t")
    .leftJoin("settlement_notice as n", "n.payment_id", "t.id")
    .select(["t.id", "t.project_id as projectId", "t.paid_on as paidOn", "t.amount", "t.due_on as dueOn", "t.note", "n.id as settles"])
    .where("t.project_id", "in", [...projectIds])
    .where("t.kind", "=", "transfer")
    .where("t.reverses_payment_id", "is", null)
    .orderBy("t.paid_on")
    .orderBy("t.id")
    .execute();
}

/** A payment as a notice's settlement needs it: its project and kind, whether it reverses one, which notice it settles. */
export async function findSettlingPayment(
  db: Queryable,
  paymentId: string,
): Promise<{ id: string; projectId: number; kind: "batch" | "transfer"; reversal: boolean; settles: number | null } | undefined> {
  return db
    .selectFrom("payment as t")
    .leftJoin("settlement_notice as n", "n.payment_id", "t.id")
    .select(["t.id", "t.project_id as projectId", "t.kind", sql<boolean>`t.reverses_payment_id IS NOT NULL`.as("reversal"), "n.id as settles"])
    .where("t.id", "=", paymentId)
    .executeTakeFirst();
}

const columns = (values: NoticeValues) => ({
  project_id: values.projectId,
  document_number: values.documentNumber,
  title: values.title,
  issuer: values.issuer,
  amount: values.amount,
  issued_on: values.issuedOn,
  due_on: values.dueOn,
  payment_id: values.paymentId,
  note: values.note,
});

/** Adds a notice; returns its id. */
export async function insertNotice(trx: Queryable, values: NoticeValues): Promise<number> {
  const row = await trx.insertInto("settlement_notice").values(columns(values)).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

/** Changes a notice when still at `version`; false when changed (or deleted) meanwhile. */
export async function updateNotice(trx: Queryable, id: number, version: number, values: NoticeValues): Promise<boolean> {
  const result = await trx
    .updateTable("settlement_notice")
    .set({ ...columns(values), updated_at: sql<string>`now()` })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes a notice when still at `version`; false when changed (or deleted) meanwhile. */
export async function deleteNotice(trx: Queryable, id: number, version: number): Promise<boolean> {
  const result = await trx.deleteFrom("settlement_notice").where("id", "=", id).where("version", "=", version).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
