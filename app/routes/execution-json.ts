import type { Route } from "./+types/execution-json";
import { database } from "../db.server";
import { executionReport } from "../../db/execution";
import { dashboardQuery } from "../dashboard.server";
import { guard } from "../guard.server";

/** The dashboard grid's rows as JSON, for the same query string as the page and within the user's units. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const db = await database();
  const { year, asOf, unitId } = await dashboardQuery(db, user, new URL(request.url).searchParams);
  const report = await executionReport(db, { year, asOf, unitId });
  return Response.json({ year, asOf, rows: report.rows }, { headers: { "Cache-Control": "no-store" } });
}
