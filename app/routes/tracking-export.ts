import { data } from "react-router";
import type { Route } from "./+types/tracking-export";
import { database } from "../db.server";
import { guard } from "../guard.server";
import { getProjectHeader } from "../../db/projects";
import { loadTrackingForm } from "../../db/tracking-view";
import { trackingWorkbook } from "../tracking-export.server";
import { xlsxResponse } from "./export";

/** The tracking form as an .xlsx workbook in the layout of 附件2-1. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const projectId = /^\d{1,9}$/.test(params.projectId ?? "") ? Number(params.projectId) : null;
  const db = await database();
  const header = projectId === null ? undefined : await getProjectHeader(db, projectId);
  if (!header) throw data("未找到该项目 Project not found", { status: 404 });
  guard(context, request, "read", header.unitId);
  const search = new URL(request.url).searchParams;
  const revision = /^\d{1,9}$/.test(search.get("revision") ?? "") ? Number(search.get("revision")) : null;
  const view = await loadTrackingForm(db, header.id, { periodEnd: search.get("periodEnd"), revision });
  if (!view) throw data("未找到 Not found", { status: 404 });
  return xlsxResponse(await trackingWorkbook(view), `运行监控表-${header.fiscalYear}-${header.name}-${header.unitName}-第${view.revision}版.xlsx`);
}
