import type { DB } from "../db/pool";
import type { SessionUser } from "../db/users";
import { latestYearWithPayments } from "../db/years";
import { fiscalYears } from "../db/execution";
import { listUnits, type UnitWithPath } from "../db/units";
import { asOfOfQuery, todayInChina } from "../domain/dates";
import type { MessageKey } from "./i18n";

/** The dashboard's query as the URL states it, checked and confined to the user's units. */
export interface DashboardQuery {
  year: number;
  years: number[];
  asOf: string;
  /** The unit whose subtree is shown: the user's own unless a unit below it is chosen. */
  unitId: number;
  /** The units the user may choose from (their own and those below it). */
  units: UnitWithPath[];
  notices: MessageKey[];
}

/**
 * Reads year, as-of date and unit from the query string: an invalid year or date, or a date before the
 * year began, falls back to the default with a notice; a unit outside the user's subtree falls back to the user's own unit.
 */
export async function dashboardQuery(db: DB, user: SessionUser, params: URLSearchParams): Promise<DashboardQuery> {
  const { year, years, notices } = await yearOfQuery(db, user, params.get("year"));
  const { asOf, notice } = asOfOfQuery(params.get("asOf"), year);
  if (notice !== null) notices.push(notice);
  const { unitId, units } = await unitOfQuery(db, user, params);
  return { year, years, asOf, unitId, units, notices };
}

/**
 * The fiscal year a query's `year` names, else the default: the latest year with payments in the
 * user's units (a year planned ahead has none yet), else the latest with projects (this year when there are none). An invalid year falls back to the default with a
 * notice. `years` lists the years with projects, the chosen one included, latest first.
 */
export async function yearOfQuery(db: DB, user: SessionUser, yearParam: string | null): Promise<{ year: number; years: number[]; notices: MessageKey[] }> {
  const notices: MessageKey[] = [];
  const [years, paidYear] = await Promise.all([fiscalYears(db, user.unitSubtree), latestYearWithPayments(db, user.unitSubtree)]);
  let year = paidYear ?? years[0] ?? Number(todayInChina().slice(0, 4));
  if (yearParam !== null) {
    if (/^\d{4}$/.test(yearParam) && Number(yearParam) >= 2000 && Number(yearParam) <= 2100) year = Number(yearParam);
    else notices.push("invalidYear");
  }
  return { year, years: years.includes(year) ? years : [...years, year].sort((a, b) => b - a), notices };
}

/** The unit the query's `unit` names when it is in the user's subtree, else the user's own; with the subtree's units. */
export async function unitOfQuery(db: DB, user: SessionUser, params: URLSearchParams): Promise<{ unitId: number; units: UnitWithPath[] }> {
  const units = (await listUnits(db)).filter((unit) => user.unitSubtree.includes(unit.id));
  const unitParam = Number(params.get("unit"));
  const unitId = units.some((unit) => unit.id === unitParam) ? unitParam : user.unitId;
  return { unitId, units };
}

/** The ids of a unit and every unit below it, from the unit list already loaded (no query). */
export function subtreeOf(units: readonly UnitWithPath[], unitId: number): number[] {
  const children = new Map<number, number[]>();
  for (const unit of units) if (unit.parentId !== null) children.set(unit.parentId, [...(children.get(unit.parentId) ?? []), unit.id]);
  const ids = [unitId];
  for (let index = 0; index < ids.length; index++) ids.push(...(children.get(ids[index]!) ?? []));
  return ids;
}
