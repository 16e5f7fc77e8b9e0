import { totalForecast, type BudgetLineForecast } from "../../../forecasting/index.ts";
import { money, sumMoney } from "../../../domain/money.ts";
import { cents } from "../../../domain/money.ts";
import type { PlanLine, PlanTotal, SettlementRow, SettlementTotal } from "./zero-based-plan.ts";

/* Totals of a plan: per project, unit and overall, the last-year columns footing to the ledger. */

/**
 * Totals of plan lines (a project or a unit): exact sums, and the forecast's intervals from the model
 * lines' summed draws plus the fixed amounts of the other lines. The last-year columns add the settlement
 * rows' figures, so that they foot to the ledger (马桥 2024: 1,350,000.00 / 1,471,745.31 / 1,471,745.31).
 */
export function planTotal(lines: readonly PlanLine[], forecasts: ReadonlyMap<number, BudgetLineForecast>, settlement: readonly SettlementRow[] = []): PlanTotal {
  // A formula line shares its source line's id but is never the model's: it counts as fixed, widened by its own interval.
  const isModel = (l: PlanLine) => l.method !== "formula" && forecasts.has(l.sourceLineId);
  const modelled = lines.filter(isModel).map((l) => forecasts.get(l.sourceLineId)!);
  const fixed = sumMoney(lines.filter((l) => !isModel(l)).map((l) => l.amount));
  const model = modelled.length > 0 ? totalForecast(modelled) : undefined;
  // Formula lines' intervals (estimated drivers) are added as if perfectly correlated: a conservative band.
  const widen = (level: "interval80" | "interval95", side: "lower" | "upper") =>
    sumMoney(lines.filter((l) => l.method === "formula" && l.forecast).map((l) => money(l.forecast![level][side]).minus(l.amount)));
  const shift = (value: string | undefined, level: "interval80" | "interval95", side: "lower" | "upper") =>
    cents(fixed.plus(value ?? "0").plus(widen(level, side)));
  return {
    amount: cents(sumMoney(lines.map((l) => l.amount))),
    forecast: cents(sumMoney(lines.map((l) => l.forecast?.amount ?? l.amount))),
    interval80: { lower: shift(model?.interval80.lower, "interval80", "lower"), upper: shift(model?.interval80.upper, "interval80", "upper") },
    interval95: { lower: shift(model?.interval95.lower, "interval95", "lower"), upper: shift(model?.interval95.upper, "interval95", "upper") },
    lastYearInitial: cents(sumMoney([...lines.map((l) => l.lastYear.initial), ...settlement.map((r) => r.initial)])),
    lastYearAdjusted: cents(sumMoney([...lines.map((l) => l.lastYear.adjusted), ...settlement.map((r) => r.adjusted)])),
    lastYearExecuted: cents(sumMoney([...lines.map((l) => l.lastYear.executed), ...settlement.map((r) => r.executed)])),
  };
}

/** Plan lines grouped by unit and project, with totals at each level (and overall). */
export interface PlanGroups {
  total: PlanTotal;
  units: Array<{
    unitId: number;
    unitName: string;
    total: PlanTotal;
    projects: Array<{ projectId: number; projectName: string; total: PlanTotal; lines: PlanLine[]; settlement: SettlementTotal | null }>;
  }>;
}

/**
 * Groups plan lines by unit, then project, in their order, with the settlement rows of the same projects
 * in the totals and as one summed row per project: groupPlan(lines, forecasts, settlement).units[0].projects[0].total.amount.
 */
export function groupPlan(lines: readonly PlanLine[], forecasts: ReadonlyMap<number, BudgetLineForecast>, settlement: readonly SettlementRow[] = []): PlanGroups {
  const planned = new Set(lines.map((l) => l.projectId));
  const rows = settlement.filter((r) => planned.has(r.projectId));
  const units = new Map<number, { unitName: string; projects: Map<number, { projectName: string; lines: PlanLine[] }> }>();
  for (const line of lines) {
    const unit = units.get(line.unitId) ?? { unitName: line.unitName, projects: new Map() };
    const project = unit.projects.get(line.projectId) ?? { projectName: line.projectName, lines: [] };
    project.lines.push(line);
    unit.projects.set(line.projectId, project);
    units.set(line.unitId, unit);
  }
  const summed = (of: readonly SettlementRow[]): SettlementTotal | null =>
    of.length === 0
      ? null
      : {
          items: of.map((r) => r.item),
          initial: cents(sumMoney(of.map((r) => r.initial))),
          adjusted: cents(sumMoney(of.map((r) => r.adjusted))),
          executed: cents(sumMoney(of.map((r) => r.executed))),
        };
  return {
    total: planTotal(lines, forecasts, rows),
    units: [...units].map(([unitId, unit]) => {
      const projects = [...unit.projects].map(([projectId, p]) => {
        const own = rows.filter((r) => r.projectId === projectId);
        return { projectId, projectName: p.projectName, total: planTotal(p.lines, forecasts, own), lines: p.lines, settlement: summed(own) };
      });
      const unitRows = rows.filter((r) => unit.projects.has(r.projectId));
      return { unitId, unitName: unit.unitName, total: planTotal(projects.flatMap((p) => p.lines), forecasts, unitRows), projects };
    }),
  };
}
