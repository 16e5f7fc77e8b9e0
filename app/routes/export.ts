import { z } from "zod";
import type { Route } from "./+types/export";
import { database } from "../db.server";
import { executionReport } from "../../db/execution";
import { getProjectSummaryLedger, paymentsByIds } from "../../db/projects";
import { isIsoDate, defaultAsOf } from "../../domain/dates";
import { workbookStream, writeWorkbook } from "../../files/write-xlsx";
import { guard, refusal } from "../guard.server";
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

/** What the browser asks to export (JSON), checked at the edge. */
const exportRequestSchema = z.object({
  grid: z.enum(["execution", "payments", "lines"]),
  year: z.number().int().min(2000).max(2100).optional(),
  asOf: z.string().optional(),
  unitId: z.number().int().nullable().optional(),
  projectId: z.number().int().positive().max(2_147_483_647).optional(),
  amount: z.enum(["yuan", "wan"]).optional(),
  /** Row ids in the order shown, after the user's filters. */
  ids: z.array(z.union([z.number(), z.string()])).max(200_000),
  /** Column ids as shown. */
  columns: z.array(z.string()),
});

/**
 * Exports what a grid shows: the browser names the rows (in order) and columns it displays; the rows
 * themselves are read again here, within the user's units.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const parsed = exportRequestSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) throw refusal(request, "badRequest", 400);
  const body = parsed.data;
  const language = languageOf(request).language;
  const unit = body.amount === "wan" ? "wan" : "yuan";
  const db = await database();
  if (body.grid === "execution") {
    const user = guard(context, request, "read", null);
    const year = body.year;
    if (year === undefined) throw refusal(request, "badRequest", 400);
    const asOf = body.asOf && isIsoDate(body.asOf) ? body.asOf : defaultAsOf(year);
    const unitId = typeof body.unitId === "number" && user.unitSubtree.includes(body.unitId) ? body.unitId : user.unitId;
    const report = await executionReport(db, { year, asOf, unitId });
    const sheet = executionSheet(report, body.ids.map(Number), body.columns, unit, language);
    return xlsxResponse(await writeWorkbook([sheet]), `预算执行情况-${year}-${asOf}.xlsx`);
  }
  if (body.grid === "payments" || body.grid === "lines") {
    const ledger = body.projectId !== undefined ? await getProjectSummaryLedger(db, body.projectId) : undefined;
    if (!ledger) throw refusal(request, "notFound", 404);
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
  throw refusal(request, "badRequest", 400);
}
