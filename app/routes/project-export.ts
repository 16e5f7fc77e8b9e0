import type { Route } from "./+types/project-export";
import { getProjectSummaryLedger, inSnapshot, paymentPages } from "../../db/projects";
import { defaultAsOf, isIsoDate } from "../../domain/dates";
import { streamOf, writeWorkbookTo } from "../../files/write-xlsx";
import { requireProject } from "../route-params.server";
import { languageOf } from "../i18n";
import { ledgerWorkbook } from "../exports.server";
import { amountUnitOf } from "../components/amount-unit-switch";
import { xlsxResponse } from "./export";

/**
 * A project's ledger as one workbook: lines, adjustments, payments (import layout) and the monthly
 * summary. The figures come from the payments grouped in the database; the payments themselves are
 * read page by page while the file is written and sent, so 200,000 payments fit in a small heap.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { db, project } = await requireProject({ request, params, context });
  const projectId = project.id;
  const search = new URL(request.url).searchParams;
  const asOfParam = search.get("asOf") ?? "";
  const asOf = isIsoDate(asOfParam) ? asOfParam : defaultAsOf(project.fiscalYear);
  const unit = amountUnitOf(search);
  const { language } = languageOf(request);
  // One snapshot for the figures and the payments, held while the file is written and sent.
  const body = streamOf((output) =>
    inSnapshot(db, async (trx) => {
      const ledger = await getProjectSummaryLedger(trx, projectId);
      if (!ledger) throw new Error(`project ${projectId} was deleted during the export`);
      await writeWorkbookTo(ledgerWorkbook(ledger, paymentPages(trx, projectId), asOf, unit, language), output);
    }),
  );
  return xlsxResponse(body, `${project.fiscalYear}-${project.name}-${project.unitName}.xlsx`);
}
