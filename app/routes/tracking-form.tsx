import { useRef } from "react";
import { useRefusalFocus } from "../components/refusal-focus";
import { Form, Link, data, redirect, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/tracking-form";
import { refusal } from "../guard.server";
import { requireProject } from "../route-params.server";
import {
  acceptTrackingForm,
  openTrackingRevision,
  returnTrackingForm,
  saveTrackingForm,
  trackingFormPage,
  type TrackingActor,
  type TrackingOutcome,
  type TrackingRefusal,
} from "../../features/tracking/service";
import { formStateMessage } from "../../features/tracking/rules";
import { msg, translate, useT, type Language } from "../i18n";
import { TrackingFormSheet } from "../components/tracking-sheet";
import { ErrorMessage } from "../root";
import { ReviewForm, WorkflowHistory } from "../components/workflow-panels";
import { typedAgain, withTyped } from "../typed-again";

export function meta({ data, matches }: Route.MetaArgs) {
  const language = ((matches.find((match) => match?.id === "root")?.data ?? {}) as { language?: Language }).language ?? "zh";
  const title = translate(language, "trTitle");
  return [{ title: data ? `${title} · ${data.view.project.name} · ${data.view.project.unitName}` : title }];
}

/** An id in a URL or form (1–9 digits); anything else is not one. */
const idText = z.string().regex(/^\d{1,9}$/).transform(Number);
const optionalId = (value: FormDataEntryValue | string | null): number | null => {
  const parsed = idText.safeParse(value ?? "");
  return parsed.success ? parsed.data : null;
};

export async function loader(args: Route.LoaderArgs) {
  const { db, user, project } = await requireProject(args);
  const search = new URL(args.request.url).searchParams;
  const page = await trackingFormPage(db, user, project, { periodEnd: search.get("periodEnd"), revision: optionalId(search.get("revision")) });
  if (!page) throw refusal(args.request, "notFound", 404);
  return page;
}

/** After any action (a refused submission has still saved the draft), show what is stored now. */
export function shouldRevalidate() {
  return true;
}

const intentSchema = z.enum(["save", "submit", "return", "accept", "new-revision"]);

/**
 * A refusal the page shows: a message, the problems naming missing fields, field errors; and, when fields could
 * not be read (nothing was saved), what was typed, to show again (a post without JavaScript reloads the page).
 */
type ActionResult = TrackingRefusal & { typed?: Record<string, string> };

/** The form's text entries as posted (input name → value). */
const postedText = (form: FormData): Record<string, string> =>
  Object.fromEntries([...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"));

export async function action(args: Route.ActionArgs) {
  const form = await args.request.formData();
  const intent = intentSchema.safeParse(String(form.get("intent") ?? "")).data ?? null;
  const { db, user, project } = await requireProject(args, intent === "return" || intent === "accept" ? "review-form" : "submit-form");
  const answer = (status: number, refused: ActionResult) => data<ActionResult>(refused, { status });
  const none = { problems: [], errors: {}, saved: false };
  if (intent === null) return answer(400, { message: msg("trUnknownIntent"), ...none });
  const formIdValue = String(form.get("formId") ?? "");
  const formId = optionalId(formIdValue);
  if (formIdValue !== "" && formId === null) return answer(400, { message: msg("trFormIdInvalid", { id: formIdValue.slice(0, 20) }), ...none });
  const actor: TrackingActor = { userId: user.id, username: user.username, roles: user.roles };

  let outcome: TrackingOutcome;
  if (intent === "save" || intent === "submit") {
    outcome = await saveTrackingForm(db, actor, {
      project,
      periodEnd: String(form.get("periodEnd") ?? ""),
      formId,
      version: optionalId(String(form.get("version") ?? "")),
      get: (name) => {
        const value = form.get(name);
        return typeof value === "string" ? value : null;
      },
      submit: intent === "submit",
    });
  } else if (intent === "new-revision") {
    outcome = await openTrackingRevision(db, actor, { project, formId });
  } else {
    const review = { project, formId, comment: String(form.get("comment") ?? "") };
    outcome = intent === "return" ? await returnTrackingForm(db, actor, review) : await acceptTrackingForm(db, actor, review);
  }
  if (outcome.kind === "refused") return answer(outcome.status, withTyped(outcome.refusal, intent === "save" || intent === "submit" ? postedText(form) : undefined));
  return redirect(`/projects/${project.id}/tracking?periodEnd=${outcome.periodEnd}`);
}

export default function TrackingFormPage({ loaderData, actionData }: Route.ComponentProps) {
  const { view, timeliness, invalidPeriod, canEdit, canReview, canNewRevision } = loaderData;
  const { t, m } = useT();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const periodQuery = `periodEnd=${view.periodEnd}${view.latest ? "" : `&revision=${view.revision}`}`;
  const result = actionData as ActionResult | undefined;
  const highlight = [...(result?.problems.map((problem) => problem.field) ?? []), ...Object.keys(result?.errors ?? {})];
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const refusalRef = useRef<HTMLDivElement>(null);
  useRefusalFocus(result, navigation.state === "idle", highlight, { comment: commentRef, refusal: refusalRef });
  return (
    <>
      <p className="no-print page-actions">
        <Link to={`/projects/${view.project.id}`}>← {t("back")}</Link>
        <Link to={`/projects/${view.project.id}/tracking/print?${periodQuery}`} data-testid="tracking-print-link">
          {t("trPrint")}
        </Link>
        <a href={`/projects/${view.project.id}/tracking/export.xlsx?${periodQuery}`} download data-testid="tracking-export-link">
          {t("trExport")}
        </a>
        <Link to="/tracking">{t("trList")}</Link>
      </p>
      <div className="page-title">
        <h1 data-testid="tracking-title">
          {m(msg("trTitleOf", { year: view.project.fiscalYear, project: view.project.name }))}
        </h1>
        <span className="muted">
          {t("trRevision")} {view.revision} · {t("status")}{t("trColon")}
          <strong data-testid="tracking-status">{m(formStateMessage(view.status))}</strong>
          {view.updatedAt ? ` · ${view.updatedAt}` : ""}
        </span>
      </div>

      <Form method="get" className="filters no-print" replace>
        <label>
          {t("trPeriodEnd")}
          <input type="date" name="periodEnd" defaultValue={view.periodEnd} min={`${view.project.fiscalYear}-01-01`} max={`${view.project.fiscalYear}-12-31`} required />
        </label>
        <button type="submit">{t("apply")}</button>
        {view.revisions.length > 1 && (
          <span className="revision-links">
            {view.revisions.map((revision) => (
              <Link key={revision.id} to={`?periodEnd=${view.periodEnd}&revision=${revision.revision}`} className={revision.revision === view.revision ? "active" : undefined}>
                {m(msg("trRevisionOf", { revision: revision.revision, status: formStateMessage(revision.status) }))}
              </Link>
            ))}
          </span>
        )}
      </Form>
      {invalidPeriod && (
        <p className="notice" role="alert">
          {t("trInvalidPeriod")}
        </p>
      )}
      {view.status === null && canEdit && <p className="notice">{t("trNotSaved")}</p>}
      {view.reviewComment && (view.status === "returned" || view.status === "resubmitted") && (
        <p className="conflict" data-testid="review-comment">
          {t("trReviewComment")}{t("trColon")}{view.reviewComment}
        </p>
      )}
      {view.frozen && <p className="notice">{t("trFrozen")}</p>}

      {result?.message && (
        <div className="conflict" role="alert" data-testid="tracking-refusal" ref={refusalRef} tabIndex={-1}>
          <p>{m(result.message)}</p>
          {result.problems.length > 0 && (
            <ul className="problem-list errors" data-testid="tracking-problems">
              {result.problems.map((problem, index) => (
                <li key={index}>{m(problem.message)}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      <Form method="post" key={`${view.formId}-${view.version}-${view.revision}`} className="tracking-form">
        <input type="hidden" name="periodEnd" value={view.periodEnd} />
        <input type="hidden" name="formId" value={view.formId ?? ""} />
        <input type="hidden" name="version" value={view.version ?? ""} />
        <TrackingFormSheet
          view={view}
          editable={canEdit}
          highlight={highlight}
          errors={result?.errors}
          timeliness={timeliness}
          typed={result && typedAgain({ ok: false, errors: result.errors, typed: result.typed })}
        />
        {canEdit && (
          <p className="form-actions no-print">
            <button type="submit" name="intent" value="save" disabled={busy} data-testid="tracking-save">
              {t("trSaveDraft")}
            </button>
            <button type="submit" name="intent" value="submit" disabled={busy} data-testid="tracking-submit">
              {view.status === "returned" ? t("trResubmit") : t("trSubmit")}
            </button>
          </p>
        )}
      </Form>

      {canReview && (
        <ReviewForm idName="formId" idValue={view.formId} busy={busy} commentError={result?.errors.comment} commentRef={commentRef} testPrefix="tracking" />
      )}
      {canNewRevision && (
        <Form method="post" className="no-print">
          <input type="hidden" name="formId" value={view.formId ?? ""} />
          <button type="submit" name="intent" value="new-revision" data-testid="tracking-new-revision">
            {t("trNewRevision")}
          </button>
        </Form>
      )}

      <WorkflowHistory events={view.events} testId="tracking-history" />
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
