import type { Route } from "./+types/execution-json";
import { database } from "../db.server";
import { dashboardQuery } from "../dashboard.server";
import { rowsForGrid } from "../dashboard-rows.server";
import { guard } from "../guard.server";

/**
 * The dashboard grid's rows as JSON, for the same query string as the page and within the user's
 * units: the rows the page computed when `rows` names them (one-time token), else computed now.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const db = await database();
  const params = new URL(request.url).searchParams;
  const { year, asOf, unitId } = await dashboardQuery(db, user, params);
  const rows = await rowsForGrid(db, { userId: user.id, year, asOf, unitId }, params.get("rows"));
  return Response.json({ year, asOf, rows }, { headers: { "Cache-Control": "no-store" } });
}
