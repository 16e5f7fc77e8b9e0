import { Link, data } from "react-router";
import type { Route } from "./+types/tracking-print";
import { database } from "../db.server";
import { guard } from "../guard.server";
import { getProjectHeader } from "../../db/projects";
import { loadTrackingForm } from "../../db/tracking-view";
import { translate, languageOf, useT } from "../i18n";
import { TrackingFormSheet } from "../components/tracking-sheet";
import { ErrorMessage } from "../root";

export function meta({ data }: Route.MetaArgs) {
  return [{ title: data ? `运行监控表（打印）· ${data.view.project.name}` : "运行监控表" }];
}

/** The form in the official layout for signature; a form not saved yet prints pre-filled. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const language = languageOf(request).language;
  const projectId = /^\d{1,9}$/.test(params.projectId ?? "") ? Number(params.projectId) : null;
  const db = await database();
  const header = projectId === null ? undefined : await getProjectHeader(db, projectId);
  if (!header) throw data(translate(language, "notFound"), { status: 404 });
  guard(context, request, "read", header.unitId);
  const search = new URL(request.url).searchParams;
  const revision = /^\d{1,9}$/.test(search.get("revision") ?? "") ? Number(search.get("revision")) : null;
  const view = await loadTrackingForm(db, header.id, { periodEnd: search.get("periodEnd"), revision });
  if (!view) throw data(translate(language, "notFound"), { status: 404 });
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
