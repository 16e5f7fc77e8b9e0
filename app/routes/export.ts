import { data } from "react-router";
import type { Route } from "./+types/export";
import { database } from "../db.server";
import { executionReport } from "../../db/execution";
import { getProjectSummaryLedger, paymentsByIds } from "../../db/projects";
import { isIsoDate, defaultAsOf } from "../../domain/dates";
import { workbookStream, writeWorkbook } from "../../files/write-xlsx";
import { guard } from "../guard.server";
import { languageOf } from "../i18n";
import { executionSheet, linesSheet, paymentsSheet } from "../exports.server";

/** An XLSX download: the file's bytes, or a stream of them written while sent. */
export function xlsxResponse(bytes: Uint8Array | ReadableStream<Uint8Array>, fileName: string): Response {
  return new Response(bytes instanceof Uint8Array ? new Uint8Array(bytes) : bytes, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "Cache-Control": "no-store",
    },
  });
}

interface ExportRequest {
  grid: "execution" | "payments" | "lines";
  year?: number;
  asOf?: string;
  unitId?: number | null;
  projectId?: number;
  amount?: "yuan" | "wan";
  /** Row ids in the order shown, after the user's filters. */
  ids: Array<number | string>;
  /** Column ids as shown. */
  columns: string[];
}

/**
 * Exports what a grid shows: the browser names the rows (in order) and columns it displays; the rows
 * themselves are read again here, within the user's units.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const body = (await request.json().catch(() => null)) as ExportRequest | null;
  if (!body || !Array.isArray(body.ids) || !Array.isArray(body.columns) || body.ids.length > 200_000) throw data("导出请求无效 Bad export request", { status: 400 });
  const language = languageOf(request).language;
  const unit = body.amount === "wan" ? "wan" : "yuan";
  const db = await database();
  if (body.grid === "execution") {
    const user = guard(context, request, "read", null);
    const year = Number(body.year);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw data("年度无效", { status: 400 });
    const asOf = body.asOf && isIsoDate(body.asOf) ? body.asOf : defaultAsOf(year);
    const unitId = typeof body.unitId === "number" && user.unitSubtree.includes(body.unitId) ? body.unitId : user.unitId;
    const report = await executionReport(db, { year, asOf, unitId });
    const sheet = executionSheet(report, body.ids.map(Number), body.columns, unit, language);
    return xlsxResponse(await writeWorkbook([sheet]), `预算执行情况-${year}-${asOf}.xlsx`);
  }
  if (body.grid === "payments" || body.grid === "lines") {
    const ledger = Number.isInteger(body.projectId) ? await getProjectSummaryLedger(db, Number(body.projectId)) : undefined;
    if (!ledger) throw data("未找到该项目 Project not found", { status: 404 });
    guard(context, request, "read", ledger.project.unitId);
    const asOf = body.asOf && isIsoDate(body.asOf) ? body.asOf : defaultAsOf(ledger.project.fiscalYear);
    if (body.grid === "lines") {
      const sheet = linesSheet(ledger, asOf, body.ids.map(Number), body.columns, unit, language);
      return xlsxResponse(await writeWorkbook([sheet]), `预算明细-${ledger.project.name}.xlsx`);
    }
    // The payments are read from the database a page of ids at a time while the file is sent.
    const sheet = paymentsSheet(ledger, paymentsByIds(db, ledger.project.id, body.ids.map(String)), asOf, body.columns, unit, language);
    return xlsxResponse(workbookStream([sheet]), `支付明细-${ledger.project.name}.xlsx`);
  }
  throw data("导出请求无效 Bad export request", { status: 400 });
}
