import type { Route } from "./+types/self-evaluation-export";
import { requireProject } from "../route-params.server";
import { refusal } from "../guard.server";
import { languageOf } from "../i18n";
import { loadSelfEvaluation } from "../../features/self-evaluation/service";
import { selfEvaluationWorkbook, selfEvaluationWorkbookName } from "../../features/self-evaluation/export";
import { xlsxResponse } from "./export";

/** The project's self-evaluation (绩效自评表) as an .xlsx workbook in seeds/003's layout, in the user's language; an unsaved sheet as pre-filled. */
export async function loader(args: Route.LoaderArgs) {
  const { db, project } = await requireProject(args);
  const view = await loadSelfEvaluation(db, project.id);
  if (!view) throw refusal(args.request, "notFound", 404);
  const { language } = languageOf(args.request);
  return xlsxResponse(await selfEvaluationWorkbook(view, language), selfEvaluationWorkbookName(language, view));
}
