import { z } from "zod";
import type { Route } from "./+types/tracking-export";
import { refusal } from "../guard.server";
import { requireProject } from "../route-params.server";
import { languageOf } from "../i18n";
import { loadTrackingForm, trackingWorkbook, trackingWorkbookName } from "../../features/tracking/service";
import { xlsxResponse } from "./export";

/** A revision number in the query; anything else exports the newest. */
const revisionSchema = z.string().regex(/^\d{1,9}$/).transform(Number);

/** The tracking form as an .xlsx workbook in the layout of 附件2-1, in the user's language. */
export async function loader(args: Route.LoaderArgs) {
  const { db, project } = await requireProject(args);
  const search = new URL(args.request.url).searchParams;
  const revision = revisionSchema.safeParse(search.get("revision") ?? "").data ?? null;
  const view = await loadTrackingForm(db, project.id, { periodEnd: search.get("periodEnd"), revision });
  if (!view) throw refusal(args.request, "notFound", 404);
  const { language } = languageOf(args.request);
  return xlsxResponse(await trackingWorkbook(view, language), trackingWorkbookName(language, view));
}
