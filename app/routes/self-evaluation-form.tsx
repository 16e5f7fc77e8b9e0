import { useRef, useState, type FormEvent } from "react";
import { useRefusalFocus } from "../components/refusal-focus";
import { Form, Link, data, redirect, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/self-evaluation-form";
import { refusal } from "../guard.server";
import { requireProject } from "../route-params.server";
import {
  acceptSelfEvaluation,
  returnSelfEvaluation,
  saveSelfEvaluation,
  selfEvaluationPage,
  type SelfEvaluationActor,
  type SelfEvaluationContent,
  type SelfEvaluationOutcome,
  type SelfEvaluationRefusal,
} from "../../features/self-evaluation/service";
import type { Judgement } from "../../domain/targets";
import { stateMessage } from "../../features/workflow/rules";
import { msg, translate, useT, type Language } from "../i18n";
import { SelfEvaluationSheet } from "../components/self-evaluation-sheet";
import { sheetAsTyped, useLiveSheet } from "../components/self-evaluation-live";
import { typedAgain, withTyped } from "../typed-again";
import { ErrorMessage } from "../root";
import { ReviewForm, WorkflowHistory } from "../components/workflow-panels";

/*
 * 绩效自评表 of a project: the sheet (editable by the unit's submitters while draft or returned), its
 * workflow buttons (save, submit / resubmit; a reviewer returns with a comment or accepts), the
 * problems that keep it from being submitted (named and marked at their inputs), and its history.
 */

export function meta({ data, matches }: Route.MetaArgs) {
  const language = ((matches.find((match) => match?.id === "root")?.data ?? {}) as { language?: Language }).language ?? "zh";
  const title = translate(language, "seTitle");
  return [{ title: data ? `${title} · ${data.view.project.name} · ${data.view.project.unitName}` : title }];
}

/** An id in a form (1–9 digits); anything else is not one. */
const idText = z.string().regex(/^\d{1,9}$/).transform(Number);
const optionalId = (value: FormDataEntryValue | null): number | null => idText.safeParse(typeof value === "string" ? value : "").data ?? null;

export async function loader(args: Route.LoaderArgs) {
  const { db, user, project } = await requireProject(args);
  const page = await selfEvaluationPage(db, { roles: user.roles, unitSubtree: new Set(user.unitSubtree) }, project);
  if (!page) throw refusal(args.request, "notFound", 404);
  return page;
}

/** After any action (a refused submission has still saved the draft), show what is stored now. */
export function shouldRevalidate() {
  return true;
}

const intentSchema = z.enum(["save", "submit", "return", "accept"]);

/** A refusal the page shows; when fields could not be read (nothing was saved), with what was typed, to show again. */
type ActionResult = SelfEvaluationRefusal & { typed?: SelfEvaluationContent };
const INDICATOR_FIELDS = ["actual", "judgement", "score", "scoreReason", "deviationAnalysis"] as const;

/** What the form posted as sheet content: actualSummary and ind.<key>.<field> (unknown keys are refused by the service). */
function postedContent(form: FormData): SelfEvaluationContent {
  const value = (name: string) => {
    const posted = form.get(name);
    return typeof posted === "string" ? posted : null;
  };
  const indicators: SelfEvaluationContent["indicators"] = {};
  for (const name of form.keys()) {
    const match = /^ind\.([^.]{1,20})\.(\w+)$/.exec(name);
    if (!match || !(INDICATOR_FIELDS as readonly string[]).includes(match[2]!)) continue;
    const key = match[1]!;
    const entry = (indicators[key] ??= {});
    const text = value(name);
    if (match[2] === "judgement") {
      // A blank choice is no judgement; anything else not a judgement is refused at the field by the service.
      entry.judgement = text === null || text === "" ? null : (text as Judgement);
    } else {
      entry[match[2] as Exclude<(typeof INDICATOR_FIELDS)[number], "judgement">] = text;
    }
  }
  return { actualSummary: value("actualSummary"), indicators };
}

export async function action(args: Route.ActionArgs) {
  const form = await args.request.formData();
  const intent = intentSchema.safeParse(String(form.get("intent") ?? "")).data ?? null;
  const { db, user, project } = await requireProject(args, intent === "return" || intent === "accept" ? "review-form" : "submit-form");
  const answer = (status: number, refused: ActionResult) => data<ActionResult>(refused, { status });
  const none = { problems: [], errors: {}, saved: false };
  if (intent === null) return answer(400, { message: msg("trUnknownIntent"), ...none });
  const idValue = String(form.get("evaluationId") ?? "");
  const evaluationId = optionalId(idValue);
  if (idValue !== "" && evaluationId === null) return answer(400, { message: msg("seVersionInvalid"), ...none });
  const actor: SelfEvaluationActor = { userId: user.id, username: user.username, roles: user.roles, unitSubtree: new Set(user.unitSubtree) };

  let outcome: SelfEvaluationOutcome;
  let content: SelfEvaluationContent | undefined;
  if (intent === "save" || intent === "submit") {
    content = postedContent(form);
    outcome = await saveSelfEvaluation(db, actor, { project, evaluationId, version: optionalId(form.get("version")), content, submit: intent === "submit" });
  } else {
    const review = { project, evaluationId, comment: String(form.get("comment") ?? "") };
    outcome = intent === "return" ? await returnSelfEvaluation(db, actor, review) : await acceptSelfEvaluation(db, actor, review);
  }
  if (outcome.kind === "refused") return answer(outcome.status, withTyped(outcome.refusal, content));
  return redirect(`/projects/${project.id}/self-evaluation`);
}

export default function SelfEvaluationPage({ loaderData, actionData }: Route.ComponentProps) {
  const { timeliness, canEdit, canReview } = loaderData;
  const { t, m } = useT();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const result = actionData as ActionResult | undefined;
  // After a refusal at fields, the sheet shows what was typed (without JavaScript the page is loaded again).
  const typed = result && typedAgain({ ok: false, errors: result.errors, typed: result.typed });
  const view = typed ? sheetAsTyped(loaderData.view, typed) : loaderData.view;
  const refusalRef = useRef<HTMLDivElement>(null);
  // The sheet as typed: its rows, totals and the list of what is still missing follow every keystroke.
  const liveSheet = useLiveSheet(view, canEdit);
  // The server's reason stays at a field only until it is edited (the live rules then speak for it).
  const [edited, setEdited] = useState({ result, names: new Set<string>() });
  const touched = edited.result === result ? edited.names : new Set<string>();
  if (edited.result !== result) setEdited({ result, names: touched });
  const live = {
    ...liveSheet,
    onChange: (event: FormEvent<HTMLElement>) => {
      liveSheet.onChange(event);
      const name = (event.target as HTMLInputElement).name;
      if (name && !touched.has(name)) setEdited({ result, names: new Set([...touched, name]) });
    },
  };
  const refusedAt = Object.fromEntries(Object.entries(result?.errors ?? {}).filter(([name]) => !touched.has(name)));
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const highlight = [...(result?.problems.map((problem) => problem.field) ?? []), ...Object.keys(result?.errors ?? {})].filter((name) => !touched.has(name));
  useRefusalFocus(result, navigation.state === "idle", highlight, { comment: commentRef, refusal: refusalRef });

  return (
    <>
      <p className="no-print page-actions">
        <Link to={`/projects/${view.project.id}`}>← {t("back")}</Link>
        <Link to={`/projects/${view.project.id}/self-evaluation/print`} data-testid="self-evaluation-print-link">
          {t("sePrint")}
        </Link>
        <a href={`/projects/${view.project.id}/self-evaluation/export.xlsx`} download data-testid="self-evaluation-export-link">
          {t("seExport")}
        </a>
        <Link to={`/self-evaluations?year=${view.project.fiscalYear}`}>{t("seNav")}</Link>
      </p>
      <div className="page-title">
        <h1 data-testid="self-evaluation-title">{m(msg("seTitleOf", { year: view.project.fiscalYear, project: view.project.name }))}</h1>
        <span className="muted">
          {view.project.unitName} · {t("status")}
          {t("trColon")}
          <strong data-testid="self-evaluation-status">{view.status === null ? t("trNotFiled") : m(stateMessage(view.status))}</strong>
          {view.updatedAt ? ` · ${t("seUpdatedAt")}${t("trColon")}${view.updatedAt}` : ""}
        </span>
      </div>
      {view.status === null && canEdit && <p className="notice">{t("seNotSaved")}</p>}
      {view.reviewComment && (view.status === "returned" || view.status === "resubmitted") && (
        <p className="conflict" data-testid="review-comment">
          {t("seReviewComment")}
          {t("trColon")}
          {view.reviewComment}
        </p>
      )}
      {view.frozen && <p className="notice">{t("seFrozen")}</p>}

      {result?.message && (
        <div className="conflict" role="alert" data-testid="self-evaluation-refusal" ref={refusalRef} tabIndex={-1}>
          <p>{m(result.message)}</p>
          {result.problems.length > 0 && (
            <ul className="problem-list errors" data-testid="self-evaluation-problems">
              {result.problems.map((problem, index) => (
                <li key={index}>{m(problem.message)}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {canEdit && live.all.length > 0 && !result && (
        <details className="notice no-print" data-testid="self-evaluation-todo">
          <summary>
            {t("seProblemsHeading")} ({live.all.length})
          </summary>
          <ul className="problem-list">
            {live.all.map((problem, index) => (
              <li key={index}>{m(problem.message)}</li>
            ))}
          </ul>
        </details>
      )}

      <Form method="post" key={`${view.evaluationId}-${view.version}-${view.status}`} className="tracking-form">
        <input type="hidden" name="evaluationId" value={view.evaluationId ?? ""} />
        <input type="hidden" name="version" value={view.version ?? ""} />
        <SelfEvaluationSheet view={view} editable={canEdit} highlight={highlight} timeliness={timeliness} live={live} errors={refusedAt} />
        {canEdit && (
          <p className="form-actions no-print">
            <button type="submit" name="intent" value="save" disabled={busy} data-testid="self-evaluation-save">
              {t("seSaveDraft")}
            </button>
            <button type="submit" name="intent" value="submit" disabled={busy} data-testid="self-evaluation-submit">
              {view.status === "returned" ? t("seResubmit") : t("seSubmit")}
            </button>
          </p>
        )}
      </Form>

      {view.result.departures.length > 0 && (
        <div className="no-print" data-testid="self-evaluation-departures">
          <h2>{t("seDepartures")}</h2>
          <table className="data-table">
            <thead>
              <tr>
                <th>{t("seLevel3")}</th>
                <th className="num">{t("seWeight")}</th>
                <th className="num">{t("seScore")}</th>
                <th className="num">{t("seRuleScore")}</th>
                <th>{t("seScoreReason")}</th>
              </tr>
            </thead>
            <tbody>
              {view.result.departures.map((departure) => (
                <tr key={departure.key}>
                  <td>{departure.name}</td>
                  <td className="num">{departure.weight ?? ""}</td>
                  <td className="num">{departure.score}</td>
                  <td className="num">{departure.ruleScore}</td>
                  <td>{departure.reason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {canReview && (
        <ReviewForm idName="evaluationId" idValue={view.evaluationId} busy={busy} commentError={result?.errors.comment} commentRef={commentRef} testPrefix="self-evaluation" />
      )}

      <WorkflowHistory events={view.events} testId="self-evaluation-history" />
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
