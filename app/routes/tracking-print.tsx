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
  return { view };
}

export default function TrackingPrint({ loaderData }: Route.ComponentProps) {
  const { view } = loaderData;
  const { t } = useT();
  return (
    <div className="tracking-print" data-testid="tracking-print">
      {/* A4 portrait like the official 附件2-1, overriding the app's landscape default (app.css). */}
      <style>{PAGE_STYLE}</style>
      <p className="no-print page-actions">
        <Link to={`/projects/${view.project.id}/tracking?periodEnd=${view.periodEnd}`}>← {t("back")}</Link>
        <button type="button" onClick={() => window.print()}>
          {t("printPage")}
        </button>
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
