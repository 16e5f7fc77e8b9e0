import type { DB } from "./connection.ts";
import type { FundLevel, PaymentKind } from "./schema.ts";
import type { BudgetLineValues } from "../domain/budget-line-form.ts";

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

export interface PaymentRecord {
  id: string;
  budgetLineId: number | null;
  paidOn: string;
  kind: PaymentKind;
  personTimes: number | null;
  amount: string;
  dueOn: string | null;
  returnedCount: number;
  returnedAmount: string;
  reissuedOn: string | null;
  note: string | null;
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

  const [lines, adjustments, payments, indicators] = await Promise.all([
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
      .selectFrom("payment")
      .select([
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
      ])
      .where("project_id", "=", projectId)
      .orderBy("paid_on")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("performance_indicator")
      .select(["id", "level1", "level2", "name", "target", "weight"])
      .where("project_id", "=", projectId)
      .orderBy("sort_order")
      .execute(),
  ]);
  return { project, lines, adjustments, payments, indicators };
}
