import { sql } from "kysely";
import type { DB } from "./pool.ts";
import { unitSubtreeIds } from "./units.ts";
import { SLIP_RATIO } from "../domain/money.ts";
import { formulaData } from "./drivers.ts";
import type { FormulaData } from "../features/plan/rules/derived-lines.ts";
import { hasPolicyBasis, type BaseLine, type LineHistory, type PlanStandard } from "../features/plan/rules/zero-based-plan.ts";
import { lineHistories, type HistoryLine, type MonthlyPayments } from "../features/plan/rules/history.ts";

/** What the zero-based plan of a target year is built from: the base year's lines, their history, the standards. */
export interface ForecastInput {
  targetYear: number;
  baseYear: number;
  lines: BaseLine[];
  histories: Map<number, LineHistory>;
  catalogue: PlanStandard[];
  /** Formulas, drivers and cost shares of the units planned. */
  formulas: FormulaData;
}

/**
 * Assembles the forecasting inputs of a target year from the ledger: the budget lines of the year before
 * (in the unit's subtree, optionally one project by name) with their adjusted budgets, each line's monthly
 * person-times and net amounts from the payments of every earlier year of the same project (matched by
 * unit, project name, composition and item; a re-issue in the month it was re-issued, as the execution
 * figures book it), and the whole standards catalogue.
 * forecastInput(db, { targetYear: 2025, unitId: maqiao }) → 马桥's 2024 lines with 12 months of history
 */
/** A line's adjusted budget (调整后预算 = initial + its adjustments), exact 元 as text. */
const adjustedAmount = sql<string>`(bl.initial_amount + coalesce((SELECT sum(a.amount) FROM budget_adjustment a WHERE a.budget_line_id = bl.id), 0))::numeric(18,2)::text`;

export async function forecastInput(db: DB, options: { targetYear: number; unitId?: number; projectName?: string }): Promise<ForecastInput> {
  const baseYear = options.targetYear - 1;
  const units = options.unitId !== undefined ? await unitSubtreeIds(db, options.unitId) : null;
  if (units !== null && units.length === 0)
    return { targetYear: options.targetYear, baseYear, lines: [], histories: new Map(), catalogue: [], formulas: { formulas: [], drivers: [], shares: [] } };

  let baseQuery = db
    .selectFrom("budget_line as bl")
    .innerJoin("project as p", "p.id", "bl.project_id")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select([
      "bl.id as lineId",
      "p.id as projectId",
      "p.name as projectName",
      "u.id as unitId",
      "u.name as unitName",
      "bl.line_no as lineNo",
      "bl.composition",
      "bl.item",
      "bl.fund_level as fundLevel",
      "bl.fund_type as fundType",
      "bl.initial_amount as initial",
      adjustedAmount.as("adjusted"),
      "bl.unit_price as unitPrice",
      "bl.quantity as quantity",
      "bl.basis",
      "bl.scheduled_months as months",
      "bl.functional_code as functionalCode",
      "bl.functional_name as functionalName",
      "bl.economic_code as economicCode",
      "bl.economic_name as economicName",
      "bl.standard_id as standardId",
    ])
    .where("p.fiscal_year", "=", baseYear);
  if (units !== null) baseQuery = baseQuery.where("p.unit_id", "in", units);
  if (options.projectName !== undefined) baseQuery = baseQuery.where("p.name", "=", options.projectName);
  const lines: BaseLine[] = await baseQuery.orderBy("u.name").orderBy("p.name").orderBy("bl.line_no").execute();

  const catalogue: PlanStandard[] = await db
    .selectFrom("expenditure_standard")
    .select([
      "id",
      "code",
      "revision",
      "name",
      "category",
      "value",
      "unit",
      "form",
      "beneficiary_group as beneficiaryGroup",
      "effective_from as effectiveFrom",
      "effective_to as effectiveTo",
      "document",
      "owner_unit_id as ownerUnitId",
    ])
    .orderBy("code")
    .orderBy("revision")
    .execute();
  const formulas = await formulaData(db, units);
  if (lines.length === 0) return { targetYear: options.targetYear, baseYear, lines, histories: new Map(), catalogue, formulas };

  // Every year's lines of the same projects (unit + name), matched to the base line by composition and item.
  const projectKeys = [...new Map(lines.map((l) => [`${l.unitId}|${l.projectName}`, { unitId: l.unitId, name: l.projectName }])).values()];
  const historyRows = await db
    .selectFrom("budget_line as bl")
    .innerJoin("project as p", "p.id", "bl.project_id")
    .leftJoin("expenditure_standard as s", "s.id", "bl.standard_id")
    .select(["bl.id as lineId", "p.id as projectId", "p.unit_id as unitId", "p.name as projectName", "bl.composition", "bl.item", "bl.quantity", "bl.initial_amount as initial", adjustedAmount.as("adjusted"), "bl.basis", "s.form"])
    .where("p.fiscal_year", "<=", baseYear)
    .where((eb) => eb.or(projectKeys.map((k) => eb.and([eb("p.unit_id", "=", k.unitId), eb("p.name", "=", k.name)]))))
    .execute();
  const baseKey = new Map(lines.map((l) => [`${l.unitId}|${l.projectName}|${l.composition}|${l.item}`, l.lineId]));
  const historyLines: HistoryLine[] = historyRows.map((row) => ({
    lineId: row.lineId,
    projectId: row.projectId,
    baseLineId: baseKey.get(`${row.unitId}|${row.projectName}|${row.composition}|${row.item}`) ?? null,
    quantity: row.quantity,
    initial: row.initial,
    adjusted: row.adjusted,
    hasBasis: hasPolicyBasis(row.basis),
    sharesBatches: row.form !== "定额",
  }));
  const projectIds = [...new Set(historyRows.map((row) => row.projectId))];
  // Net executed per month as the execution figures count it (the dashboard's monthly figures, the
  // execution_monthly rollup): each payment's dated contributions (payment_contributions, migration
  // 0014) — amount − returned in the month paid, the returned part in the month re-issued (none when not
  // re-issued); its person-times follow the money the same way (returned_count moves with the returned
  // amount), so that a month's amount and person-times describe the same payments (docs/decisions/015).
  // Only what was executed before the target year counts. A single payment the import's 元/万元 rule
  // flags (SLIP_RATIO × its project's median amount, as features/import/queries/warnings.ts) stays in
  // the executed figures but not in what the forecast learns from (fit*), in both of its months.
  const before = `${options.targetYear}-01-01`;
  const payments = await sql<MonthlyPayments>`
    WITH p AS (
      SELECT id, project_id, budget_line_id, paid_on, person_times, amount, returned_count, returned_amount, reissued_on
        FROM payment
       WHERE project_id = ANY(${projectIds}::int[]) AND paid_on < ${before}::date),
    m AS MATERIALIZED (
      SELECT project_id, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(amount))::numeric, 2) AS median
        FROM p WHERE amount <> 0 GROUP BY project_id HAVING count(*) >= 3),
    f AS (
      SELECT p.*, m.median, coalesce(m.median > 0 AND abs(p.amount) >= m.median * ${SLIP_RATIO.larger}, false) AS slip
        FROM p LEFT JOIN m USING (project_id)),
    c AS (
      SELECT f.*, e.contributed_on, e.executed AS net, v.executed AS persons
        FROM f
       CROSS JOIN LATERAL payment_contributions(f.paid_on, f.amount, f.returned_amount, f.reissued_on) e
        LEFT JOIN LATERAL payment_contributions(f.paid_on, f.person_times, f.returned_count, f.reissued_on) v ON v.contributed_on = e.contributed_on
       WHERE e.contributed_on < ${before}::date)
    SELECT project_id AS "projectId", budget_line_id AS "lineId", to_char(contributed_on, 'YYYY-MM') AS month,
           coalesce(sum(persons), 0)::int AS "personTimes",
           sum(net)::numeric(18,2)::text AS amount,
           coalesce(sum(persons) FILTER (WHERE NOT slip), 0)::int AS "fitPersonTimes",
           coalesce(sum(net) FILTER (WHERE NOT slip), 0)::numeric(18,2)::text AS "fitAmount",
           coalesce(json_agg(json_build_object('id', id::text, 'paidOn', to_char(paid_on, 'YYYY-MM-DD'), 'amount', amount::text,
                                               'personTimes', person_times, 'median', median::text) ORDER BY id)
                      FILTER (WHERE slip AND contributed_on = paid_on), '[]') AS slips
      FROM c
     GROUP BY project_id, budget_line_id, to_char(contributed_on, 'YYYY-MM')
     ORDER BY 3`.execute(db);
  return {
    targetYear: options.targetYear,
    baseYear,
    lines,
    histories: lineHistories({ baseYear, lines: historyLines, payments: payments.rows }),
    catalogue,
    formulas,
  };
}
