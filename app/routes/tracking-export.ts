import type { Route } from "./+types/tracking-export";
import { requireTrackingForm } from "../tracking-form.server";
import { languageOf } from "../i18n";
import { trackingWorkbook, trackingWorkbookName } from "../../features/tracking/service";
import { xlsxResponse } from "./export";

/** The tracking form as an .xlsx workbook in the layout of 附件2-1, in the user's language. */
export async function loader(args: Route.LoaderArgs) {
  const view = await requireTrackingForm(args);
  const { language } = languageOf(args.request);
  return xlsxResponse(await trackingWorkbook(view, language), trackingWorkbookName(language, view));
}
