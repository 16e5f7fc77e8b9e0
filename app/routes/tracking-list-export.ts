import type { Route } from "./+types/tracking-list-export";
import { database } from "../db.server";
import { guard } from "../guard.server";
import { translate, languageOf } from "../i18n";
import { writeWorkbook, type SheetColumn, type SheetSpec } from "../../files/write-xlsx";
import { render } from "../../messages";
import { FORM_STATE_KEYS, conclusionMessage } from "../../features/tracking/rules";
import { trackingListData } from "../tracking-list.server";
import { xlsxResponse } from "./export";

/**
 * /tracking/export.xlsx: the tracking forms' list as filtered on /tracking (the same query string), one row per
 * form (or per project not filed, with 未填报), amounts as numbers in 元. Only the user's units, as the page.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const { language } = languageOf(request);
  const t = (key: Parameters<typeof translate>[1]) => translate(language, key);
  const { rows, unfiled, unfiledOnly, year } = await trackingListData(await database(), user, new URL(request.url).searchParams);
  // Both lists start with the project: its unit, fiscal year and name.
  const projectColumns: SheetColumn[] = [
    { header: t("unit"), key: "unit", kind: "text" },
    { header: t("fiscalYear"), key: "year", kind: "integer" },
    { header: t("project"), key: "project", kind: "text" },
  ];
  const sheet: SheetSpec = unfiledOnly
    ? {
        name: t("trList"),
        columns: [
          ...projectColumns,
          { header: t("trPeriodEnd"), key: "periodEnd", kind: "date" },
          { header: t("status"), key: "status", kind: "text" },
        ],
        rows: unfiled.map((row) => ({ unit: row.unitName, year: row.fiscalYear, project: row.projectName, periodEnd: row.periodEnd, status: t("trNotFiled") })),
      }
    : {
        name: t("trList"),
        columns: [
          ...projectColumns,
          { header: t("trPeriod"), key: "period", kind: "text" },
          { header: t("trRevision"), key: "revision", kind: "integer" },
          { header: t("status"), key: "status", kind: "text" },
          { header: t("trConclusion"), key: "conclusion", kind: "text" },
          { header: t("trBudget"), key: "budget", kind: "amount" },
          { header: t("trExecuted"), key: "executed", kind: "amount" },
          { header: t("trProgress"), key: "rate", kind: "percent" },
          { header: t("trUpdatedAt"), key: "updatedAt", kind: "text" },
        ],
        rows: rows.map((row) => ({
          unit: row.unitName,
          year: row.fiscalYear,
          project: row.projectName,
          period: `${row.periodStart} — ${row.periodEnd}`,
          revision: row.revision,
          status: t(FORM_STATE_KEYS[row.status]),
          conclusion: render(language, conclusionMessage(row.stageConclusion)),
          budget: row.budget,
          executed: row.executed,
          rate: row.executionRate,
          updatedAt: row.updatedAt,
        })),
      };
  return xlsxResponse(await writeWorkbook([sheet]), `${t("trList")}${year === undefined ? "" : `-${year}`}.xlsx`);
}
