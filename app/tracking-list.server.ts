import type { DB } from "../db/pool";
import type { SessionUser } from "../db/users";
import type { TrackingFormStatus } from "../db/schema";
import { unitSubtreeIds } from "../db/units";
import { listSubmissions, listUnfiled } from "../features/tracking/service";
import { FORM_STATES, STAGE_CONCLUSIONS } from "../features/tracking/rules";
import { ALL_YEARS, CONCLUSION_VALUES, UNFILED } from "./tracking-list-filters";
import { unitOfQuery, yearOfQuery } from "./dashboard.server";

/*
 * The tracking forms' list (/tracking) as its page and its export (/tracking/export.xlsx) read it from the
 * same query string: the latest revision per project and period of the user's units, by status, conclusion
 * and fiscal year (by default the dashboard's: the latest with projects; or all years); or, filtered by
 * 未填报, the projects without a form for 31 August of their year yet.
 */

export async function trackingListData(db: DB, user: SessionUser, params: URLSearchParams) {
  const statusParam = params.get("status") ?? "";
  const unfiledOnly = statusParam === UNFILED;
  const status = (FORM_STATES as readonly string[]).includes(statusParam) ? (statusParam as TrackingFormStatus) : undefined;
  const conclusionParam = params.get("conclusion") ?? "";
  // An old link may still name the conclusion as stored.
  const conclusion = CONCLUSION_VALUES.get(conclusionParam) ?? STAGE_CONCLUSIONS.find((stored) => stored === conclusionParam);
  const allYears = params.get("year") === ALL_YEARS;
  // An empty or invalid year (an old link, a typed URL) shows the default year, as on the dashboard.
  const yearParam = params.get("year") || null;
  const { year: chosenYear, years } = await yearOfQuery(db, user, allYears ? null : yearParam);
  const year = allYears ? undefined : chosenYear;
  const { unitId, units } = await unitOfQuery(db, user, params);
  const unitIds = unitId === user.unitId ? user.unitSubtree : await unitSubtreeIds(db, unitId);
  const rows = unfiledOnly ? [] : await listSubmissions(db, { unitIds, status, conclusion, year });
  const unfiled = unfiledOnly ? await listUnfiled(db, { unitIds, year }) : [];
  return {
    rows,
    unfiled,
    unfiledOnly,
    year,
    filters: {
      status: unfiledOnly ? UNFILED : (status ?? ""),
      conclusion: [...CONCLUSION_VALUES].find(([, stored]) => stored === conclusion)?.[0] ?? "",
      year: year === undefined ? ALL_YEARS : String(year),
      unit: unitId === user.unitId ? "" : String(unitId),
    },
    years,
    unitId,
    units,
  };
}
