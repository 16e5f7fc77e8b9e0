import { Link } from "react-router";
import type { Route } from "./+types/tracking-print";
import { requireTrackingForm } from "../tracking-form.server";
import { translate, useT, type Language } from "../i18n";
import { TrackingFormSheet } from "../components/tracking-sheet";
import { ErrorMessage } from "../root";

export function meta({ data, matches }: Route.MetaArgs) {
  const language = ((matches.find((match) => match?.id === "root")?.data ?? {}) as { language?: Language }).language ?? "zh";
  const title = translate(language, "trTitle");
  return [{ title: data ? `${title} (${translate(language, "trPrint")}) · ${data.view.project.name}` : title }];
}

/** The form in the official layout for signature; a form not saved yet prints pre-filled. */
export async function loader(args: Route.LoaderArgs) {
  const view = await requireTrackingForm(args);
  // ?fit=page: 缩印为一页 — smaller type, so that a form with long texts (华漕's 项目基本情况) takes one sheet.
  return { view, onePage: new URL(args.request.url).searchParams.get("fit") === "page" };
}

export default function TrackingPrint({ loaderData }: Route.ComponentProps) {
  const { view, onePage } = loaderData;
  const { t } = useT();
  // The newest revision goes without its number (a form not saved yet has none to ask for), as on the form page.
  const query = `periodEnd=${view.periodEnd}${view.latest ? "" : `&revision=${view.revision}`}`;
  return (
    <div className={onePage ? "tracking-print fit-one-page" : "tracking-print"} data-testid="tracking-print">
      {/* A4 portrait like the official 附件2-1, overriding the app's landscape default (app.css). */}
      <style>{PAGE_STYLE}</style>
      <p className="no-print page-actions">
        <Link to={`/projects/${view.project.id}/tracking?periodEnd=${view.periodEnd}`}>← {t("back")}</Link>
        <button type="button" onClick={() => window.print()}>
          {t("printPage")}
        </button>
        {onePage ? (
          <Link to={`/projects/${view.project.id}/tracking/print?${query}`} data-testid="print-normal">
            {t("trPrintNormal")}
          </Link>
        ) : (
          <Link to={`/projects/${view.project.id}/tracking/print?${query}&fit=page`} data-testid="print-one-page">
            {t("trPrintOnePage")}
          </Link>
        )}
        <span className="muted">
          {t("trRevision")} {view.revision}
        </span>
      </p>
      <TrackingFormSheet view={view} editable={false} />
    </div>
  );
}

const PAGE_STYLE = "@media print { @page { size: A4 portrait; margin: 12mm 10mm; } }";

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
