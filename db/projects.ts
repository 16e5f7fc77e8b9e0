import { sql } from "kysely";
import type { DB } from "./pool.ts";
import type { Transaction } from "kysely";
import type { Database } from "./schema.ts";
import type { FundLevel, PaymentKind } from "./schema.ts";
import type { BudgetLineValues } from "../domain/budget-line-form.ts";
import type { PaymentValues } from "../domain/corrections.ts";

/** A project's header as the forms show it. */
export interface ProjectHeader {
  id: number;
  fiscalYear: number;
  code: string | null;
  name: string;
  unitId: number;
  unitName: string;
  supervisingDepartment: string | null;
  implementingUnit: string | null;
  recurring: boolean;
  category: string | null;
  note: string | null;
}

export interface AdjustmentRecord {
  id: number;
  budgetLineId: number;
  adjustedOn: string;
  amount: string;
  fundLevel: FundLevel;
  reason: string;
  documentNumber: string | null;
}

/** A budget line as stored: the fields of 表1-3-1 (BudgetLineValues) with its id and number. */
export interface BudgetLineRecord extends BudgetLineValues {
  id: number;
  lineNo: number;
}

/** A payment as stored: its correctable fields (PaymentValues) with its id, and a batch's 受理 / 审核完成 / 审批 dates. */
export interface PaymentRecord extends PaymentValues {
  id: string;
  acceptedOn: string | null;
  reviewedOn: string | null;
  approvedOn: string | null;
}

/** A performance indicator (绩效指标) with its annual target value as written. */
export interface IndicatorRecord {
  id: number;
  level1: string;
  level2: string;
  name: string;
  target: string;
  weight: string | null;
}

/** A project with its whole ledger: budget lines, adjustments and payments in date order, and its targets. */
export interface ProjectLedger {
  project: ProjectHeader;
  lines: BudgetLineRecord[];
  adjustments: AdjustmentRecord[];
  payments: PaymentRecord[];
  indicators: IndicatorRecord[];
}

const PAYMENT_FIELDS = [
  "id",
  "budget_line_id as budgetLineId",
  "paid_on as paidOn",
  "kind",
  "person_times as personTimes",
  "amount",
  "due_on as dueOn",
  "returned_count as returnedCount",
  "returned_amount as returnedAmount",
  "reissued_on as reissuedOn",
  "note",
  "accepted_on as acceptedOn",
  "reviewed_on as reviewedOn",
  "approved_on as approvedOn",
] as const;

/** Loads a project's header with its unit, or undefined when there is no such project. */
export async function getProjectHeader(db: DB, projectId: number): Promise<ProjectHeader | undefined> {
  return db
    .selectFrom("project as p")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select([
      "p.id",
      "p.fiscal_year as fiscalYear",
      "p.code",
      "p.name",
      "p.unit_id as unitId",
      "u.name as unitName",
      "p.supervising_department as supervisingDepartment",
      "p.implementing_unit as implementingUnit",
      "p.recurring",
      "p.category",
      "p.note",
    ])
    .where("p.id", "=", projectId)
    .executeTakeFirst();
}

/** Loads one project's ledger, or undefined when there is no such project. */
export async function getProjectLedger(db: DB, projectId: number): Promise<ProjectLedger | undefined> {
  const project = await getProjectHeader(db, projectId);
  if (!project) return undefined;
  const [parts, payments] = await Promise.all([
    getProjectLedgerParts(db, projectId),
    db.selectFrom("payment").select(PAYMENT_FIELDS).where("project_id", "=", projectId).orderBy("paid_on").orderBy("id").execute(),
  ]);
  return { project, ...parts, payments };
}

/**
 * Payments added up by everything the execution figures depend on (line, kind, the three dates): a
 * project's figures, line figures, monthly curve and person-times come out of these groups exactly
 * as out of the payments themselves (each payment counts linearly in its amounts), without loading
 * every payment. `count` is the number of payments in the group (for counts such as late transfers).
 */
export interface PaymentGroup {
  budgetLineId: number | null;
  paidOn: string;
  kind: PaymentKind;
  dueOn: string | null;
  reissuedOn: string | null;
  amount: string;
  returnedAmount: string;
  personTimes: number | null;
  count: number;
}

/** A project's ledger with its payments as groups (see PaymentGroup) rather than one by one. */
export interface ProjectSummaryLedger extends Omit<ProjectLedger, "payments"> {
  paymentGroups: PaymentGroup[];
  paymentCount: number;
}

/** Loads a project's lines, adjustments and targets, and its payments grouped (see PaymentGroup). */
export async function getProjectSummaryLedger(db: DB, projectId: number): Promise<ProjectSummaryLedger | undefined> {
  const ledger = await getProjectLedgerWithout(db, projectId);
  if (!ledger) return undefined;
  const rows = await db
    .selectFrom("payment")
    .select([
      "budget_line_id as budgetLineId",
      "paid_on as paidOn",
      "kind",
      "due_on as dueOn",
      "reissued_on as reissuedOn",
      sql<string>`sum(amount)`.as("amount"),
      sql<string>`sum(returned_amount)`.as("returnedAmount"),
      sql<number | null>`sum(person_times)::integer`.as("personTimes"),
      sql<number>`count(*)::integer`.as("count"),
    ])
    .where("project_id", "=", projectId)
    .groupBy(["budget_line_id", "paid_on", "kind", "due_on", "reissued_on"])
    .orderBy("paid_on")
    .orderBy("budget_line_id")
    .execute();
  const paymentGroups = rows.map((row) => ({ ...row, amount: toCents(row.amount), returnedAmount: toCents(row.returnedAmount) }));
  return { ...ledger, paymentGroups, paymentCount: paymentGroups.reduce((sum, group) => sum + group.count, 0) };
}

/** A numeric sum as a 2-decimal string (sums of numeric(18,2) keep 2 decimals; this only guards the shape). */
function toCents(value: string): string {
  const [whole = "0", cents = ""] = value.split(".");
  return `${whole}.${cents.padEnd(2, "0").slice(0, 2)}`;
}

/** The ledger without its payments (header, lines, adjustments, targets). */
async function getProjectLedgerWithout(db: DB, projectId: number): Promise<Omit<ProjectLedger, "payments"> | undefined> {
  const project = await getProjectHeader(db, projectId);
  if (!project) return undefined;
  return { project, ...(await getProjectLedgerParts(db, projectId)) };
}

async function getProjectLedgerParts(db: DB, projectId: number): Promise<Pick<ProjectLedger, "lines" | "adjustments" | "indicators">> {
  const [lines, adjustments, indicators] = await Promise.all([
    db
      .selectFrom("budget_line")
      .select([
        "id",
        "line_no as lineNo",
        "composition",
        "item",
        "fund_level as fundLevel",
        "fund_type as fundType",
        "initial_amount as initialAmount",
        "unit_price as unitPrice",
        "quantity",
        "basis",
        "scheduled_months as scheduledMonths",
        "functional_code as functionalCode",
        "functional_name as functionalName",
        "economic_code as economicCode",
        "economic_name as economicName",
      ])
      .where("project_id", "=", projectId)
      .orderBy("line_no")
      .execute(),
    db
      .selectFrom("budget_adjustment as a")
      .innerJoin("budget_line as l", "l.id", "a.budget_line_id")
      .select([
        "a.id",
        "a.budget_line_id as budgetLineId",
        "a.adjusted_on as adjustedOn",
        "a.amount",
        "a.fund_level as fundLevel",
        "a.reason",
        "a.document_number as documentNumber",
      ])
      .where("l.project_id", "=", projectId)
      .orderBy("a.adjusted_on")
      .orderBy("a.id")
      .execute(),
    db
      .selectFrom("performance_indicator")
      .select(["id", "level1", "level2", "name", "target", "weight"])
      .where("project_id", "=", projectId)
      .orderBy("sort_order")
      .execute(),
  ]);
  return { lines, adjustments, indicators };
}

/** Which payments the project page lists: a month paid ("2024-07") and/or a kind; null for all. */
export interface PaymentFilter {
  month: string | null;
  kind: PaymentKind | null;
}

/**
 * The newest payments of a project (by date paid, then entry), at most `limit`, with the number of
 * payments the filter matches — for a page that cannot list 200,000 payments.
 */
export async function recentPayments(db: DB, projectId: number, filter: PaymentFilter, limit: number): Promise<{ payments: PaymentRecord[]; matching: number }> {
  let query = db.selectFrom("payment").where("project_id", "=", projectId);
  if (filter.kind !== null) query = query.where("kind", "=", filter.kind);
  if (filter.month !== null) {
    const first = `${filter.month}-01`;
    query = query.where("paid_on", ">=", first).where("paid_on", "<", sql<string>`(${first}::date + interval '1 month')::date`);
  }
  const [payments, count] = await Promise.all([
    query.select(PAYMENT_FIELDS).orderBy("paid_on", "desc").orderBy("id", "desc").limit(limit).execute(),
    query.select(sql<number>`count(*)::integer`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { payments: payments.reverse(), matching: count.n };
}

/**
 * All payments of a project in date order, read page by page (keyset on date paid and id), so that
 * an export of 200,000 payments never holds more than one page.
 */
export async function* paymentPages(db: DB, projectId: number, pageSize = 5000): AsyncGenerator<PaymentRecord[]> {
  let after: { paidOn: string; id: string } | null = null;
  for (;;) {
    let query = db.selectFrom("payment").select(PAYMENT_FIELDS).where("project_id", "=", projectId);
    if (after !== null) {
      const { paidOn, id } = after;
      query = query.where("paid_on", ">=", paidOn).where((eb) => eb.or([eb("paid_on", ">", paidOn), eb("id", ">", id)]));
    }
    const page = await query.orderBy("paid_on").orderBy("id").limit(pageSize).execute();
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { paidOn: last.paidOn, id: last.id };
  }
}

/** Some payments of a project by id, in the order asked, read a page of ids at a time; ids of other projects are skipped. */
export async function* paymentsByIds(db: DB, projectId: number, ids: readonly string[], pageSize = 2000): AsyncGenerator<PaymentRecord[]> {
  for (let start = 0; start < ids.length; start += pageSize) {
    const wanted = ids.slice(start, start + pageSize).filter((id) => /^\d{1,18}$/.test(id));
    if (wanted.length === 0) continue;
    const rows = await db.selectFrom("payment").select(PAYMENT_FIELDS).where("project_id", "=", projectId).where("id", "in", wanted).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    yield wanted.map((id) => byId.get(id)).filter((row): row is PaymentRecord => row !== undefined);
  }
}

/**
 * Runs `read` in one read-only REPEATABLE READ transaction: the figures and the rows read page by page
 * (an export) come from the same snapshot, whatever is written meanwhile.
 */
export async function inSnapshot<T>(db: DB, read: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel("repeatable read").setAccessMode("read only").execute(read);
}
