import { Link } from "react-router";
import type { Route } from "./+types/self-evaluation-print";
import { refusal } from "../guard.server";
import { requireProject } from "../route-params.server";
import { loadSelfEvaluation } from "../../features/self-evaluation/service";
import { translate, useT, type Language } from "../i18n";
import { SelfEvaluationSheet } from "../components/self-evaluation-sheet";
import { ErrorMessage } from "../root";

export function meta({ data, matches }: Route.MetaArgs) {
  const language = ((matches.find((match) => match?.id === "root")?.data ?? {}) as { language?: Language }).language ?? "zh";
  const title = translate(language, "seTitle");
  return [{ title: data ? `${title} (${translate(language, "sePrint")}) · ${data.view.project.name}` : title }];
}

/** The sheet in seeds/003's layout on A4 portrait, with signature lines; an unsaved sheet prints pre-filled. */
export async function loader(args: Route.LoaderArgs) {
  const { db, project } = await requireProject(args);
  const view = await loadSelfEvaluation(db, project.id);
  if (!view) throw refusal(args.request, "notFound", 404);
  return { view };
}

export default function SelfEvaluationPrint({ loaderData }: Route.ComponentProps) {
  const { view } = loaderData;
  const { t } = useT();
  return (
    <div className="tracking-print self-evaluation-print" data-testid="self-evaluation-print">
      <style>{PAGE_STYLE}</style>
      <p className="no-print page-actions">
        <Link to={`/projects/${view.project.id}/self-evaluation`}>← {t("back")}</Link>
        <button type="button" onClick={() => window.print()}>
          {t("printPage")}
        </button>
      </p>
      <SelfEvaluationSheet view={view} editable={false} />
    </div>
  );
}

const PAGE_STYLE = "@media print { @page { size: A4 portrait; margin: 12mm 10mm; } }";

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
