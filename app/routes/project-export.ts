import { data } from "react-router";
import type { Route } from "./+types/project-export";
import { database } from "../db.server";
import { getProjectLedger } from "../../db/projects";
import { defaultAsOf, isIsoDate } from "../../domain/dates";
import { writeWorkbook } from "../../files/write-xlsx";
import { guard } from "../guard.server";
import { languageOf } from "../i18n";
import { ledgerWorkbook } from "../exports.server";
import { amountUnitOf } from "../components/amount-unit-switch";
import { xlsxResponse } from "./export";

/** A project's ledger as one workbook: lines, adjustments, payments (import layout) and the monthly summary. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const projectId = Number(params.projectId);
  const db = await database();
  const ledger = Number.isInteger(projectId) && projectId > 0 ? await getProjectLedger(db, projectId) : undefined;
  if (!ledger) throw data("未找到该项目 Project not found", { status: 404 });
  guard(context, request, "read", ledger.project.unitId);
  const search = new URL(request.url).searchParams;
  const asOfParam = search.get("asOf") ?? "";
  const asOf = isIsoDate(asOfParam) ? asOfParam : defaultAsOf(ledger.project.fiscalYear);
  const sheets = ledgerWorkbook(ledger, asOf, amountUnitOf(search), languageOf(request).language);
  return xlsxResponse(await writeWorkbook(sheets), `${ledger.project.fiscalYear}-${ledger.project.name}-${ledger.project.unitName}.xlsx`);
}
