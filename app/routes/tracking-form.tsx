import { Form, Link, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/tracking-form";
import { database } from "../db.server";
import { guard } from "../guard.server";
import { withActor } from "../../db/audit";
import { getProjectHeader } from "../../db/projects";
import {
  createTrackingForm,
  formRevisions,
  getTrackingForm,
  moveTrackingForm,
  newTrackingRevision,
  updateTrackingForm,
} from "../../db/tracking-forms";
import type { TrackingFormStatus } from "../../db/schema";
import { roleAllows } from "../../domain/permissions";
import { FORM_STATE_LABELS, canTransition, parseTrackingFields, textProblem, type FormState } from "../../domain/tracking";
import { loadTrackingForm, periodEndOf, trackingWrite } from "../../db/tracking-view";
import { translate, languageOf, useT } from "../i18n";
import { TrackingFormSheet, problemFieldName } from "../components/tracking-sheet";
import { ErrorMessage } from "../root";

export function meta({ data }: Route.MetaArgs) {
  return [{ title: data ? `运行监控表 · ${data.view.project.name} · ${data.view.project.unitName}` : "运行监控表" }];
}

function numberParam(value: string | null): number | null {
  return value !== null && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const language = languageOf(request).language;
  const projectId = numberParam(params.projectId ?? null);
  const db = await database();
  const header = projectId === null ? undefined : await getProjectHeader(db, projectId);
  if (!header) throw data(translate(language, "notFound"), { status: 404 });
  const user = guard(context, request, "read", header.unitId);
  const search = new URL(request.url).searchParams;
  const requestedEnd = search.get("periodEnd");
  const view = await loadTrackingForm(db, header.id, { periodEnd: requestedEnd, revision: numberParam(search.get("revision")) });
  if (!view) throw data(translate(language, "notFound"), { status: 404 });
  const editable = view.latest && !view.frozen && (view.status === null || view.status === "draft" || view.status === "returned");
  return {
    view,
    invalidPeriod: periodEndOf(header.fiscalYear, requestedEnd).invalid,
    canEdit: editable && roleAllows(user.roles, "submit-form"),
    canReview: view.latest && (view.status === "submitted" || view.status === "resubmitted") && roleAllows(user.roles, "review-form"),
    canNewRevision: view.latest && view.frozen && roleAllows(user.roles, "submit-form"),
  };
}

/** After any action (a refused submission has still saved the draft), show what is stored now. */
export function shouldRevalidate() {
  return true;
}

const INTENTS = ["save", "submit", "return", "accept", "new-revision"] as const;
type Intent = (typeof INTENTS)[number];

/** A refusal the page shows: a message, the problems naming missing fields, field errors. */
interface ActionResult {
  message: string | null;
  problems: Array<{ field: string; message: string }>;
  errors: Record<string, string>;
  saved: boolean;
}

function refused(status: number, result: Partial<ActionResult>) {
  return data<ActionResult>({ message: null, problems: [], errors: {}, saved: false, ...result }, { status });
}

/**
 * The database refuses changes to an accepted revision and steps outside the workflow (SQLSTATE
 * 55000), a second open revision of a period (23505, e.g. two people creating the form at once), and
 * a row of an indicator deleted from the declaration meanwhile (23503).
 */
function isStateRefusal(error: unknown): error is Error {
  const code = (error as { code?: string }).code;
  return code === "55000" || code === "23505" || code === "23503";
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const projectId = numberParam(params.projectId ?? null);
  const db = await database();
  const header = projectId === null ? undefined : await getProjectHeader(db, projectId);
  if (!header) throw data("未找到该项目 Project not found", { status: 404 });
  const form = await request.formData();
  const intentValue = String(form.get("intent") ?? "");
  const intent = (INTENTS as readonly string[]).includes(intentValue) ? (intentValue as Intent) : null;
  const user = guard(context, request, intent === "return" || intent === "accept" ? "review-form" : "submit-form", header.unitId);
  if (intent === null) return refused(400, { message: "未知操作" });
  const actor = { userId: user.id, username: user.username };
  const periodEnd = periodEndOf(header.fiscalYear, String(form.get("periodEnd") ?? "")).periodEnd;
  const formIdValue = String(form.get("formId") ?? "");
  const formId = numberParam(formIdValue);
  if (formIdValue !== "" && formId === null) return refused(400, { message: `表单编号“${formIdValue.slice(0, 20)}”无效，请刷新页面。` });
  const back = `/projects/${header.id}/tracking?periodEnd=${periodEnd}`;

  try {
    if (intent === "save" || intent === "submit") {
      const current = await loadTrackingForm(db, header.id, { periodEnd });
      if (!current) throw data("未找到 Not found", { status: 404 });
      if (current.formId !== formId) {
        return refused(409, { message: "此表已被他人新建或另起新版，请刷新页面后再填写（您填写的内容仍在页面上）。" });
      }
      if (current.frozen || (current.status !== null && current.status !== "draft" && current.status !== "returned")) {
        return refused(409, { message: `此表当前状态为“${statusLabel(current.status)}”，不能修改。` });
      }
      const version = numberParam(String(form.get("version") ?? ""));
      if (formId !== null && version === null) {
        return refused(400, { message: "表单版本号缺失或无效，未保存：请刷新页面后再填写（您填写的内容仍在页面上）。" });
      }
      // Cause codes: the catalogue's active ones, and any this form already carries (kept when saved again).
      const causeCodes = [
        ...current.causes.filter((cause) => cause.active).map((cause) => cause.code),
        ...[current.fields.executionCauseCode, ...current.indicators.map((row) => row.causeCode)].filter((code) => code !== null),
      ];
      const parsed = parseTrackingFields(
        (name) => {
          const value = form.get(name);
          return typeof value === "string" ? value : null;
        },
        current.indicators.map((row) => row.key),
        { causeCodes, indicatorNames: Object.fromEntries(current.indicators.map((row) => [row.key, row.name])) },
      );
      if (Object.keys(parsed.errors).length > 0) {
        return refused(400, { message: "有字段无法读取，未保存：", errors: parsed.errors, problems: Object.entries(parsed.errors).map(([field, message]) => ({ field, message })) });
      }
      const view = await loadTrackingForm(db, header.id, { periodEnd, overrides: { fields: parsed.fields, indicators: parsed.indicators } });
      if (!view) throw data("未找到 Not found", { status: 404 });
      const { values, indicators } = trackingWrite(view);
      const problems = view.evaluation.problems.map((problem) => ({ field: problemFieldName(problem), message: problem.message }));
      const outcome = await withActor(db, actor, async (trx) => {
        let id = formId;
        if (id === null) {
          id = await createTrackingForm(trx, { projectId: header.id, periodStart: view.periodStart, periodEnd }, values, indicators, actor);
        } else if (!(await updateTrackingForm(trx, id, version!, values, indicators))) {
          return "stale" as const;
        }
        if (intent === "submit" && problems.length === 0) {
          const from: TrackingFormStatus = view.status === "returned" ? "returned" : "draft";
          await moveTrackingForm(trx, id, from, from === "returned" ? "resubmitted" : "submitted", actor, null);
        }
        return "saved" as const;
      });
      if (outcome === "stale") {
        return refused(409, { message: "此表已被他人修改，未保存：请刷新页面查看最新内容（您填写的内容仍在页面上）。" });
      }
      if (intent === "submit" && problems.length > 0) {
        return refused(400, { message: "已保存草稿，但尚不能提交：请补充以下内容。", problems, saved: true });
      }
      return redirect(back);
    }

    const stored = formId === null ? undefined : await getTrackingForm(db, formId);
    if (!stored || stored.form.projectId !== header.id) return refused(404, { message: "未找到该运行监控表" });
    const from = stored.form.status;

    if (intent === "new-revision") {
      if (from !== "accepted") return refused(409, { message: "只有审核通过的表才能新建版本。" });
      const [newest] = await formRevisions(db, header.id, stored.form.periodEnd);
      if (newest?.id !== stored.form.id) return refused(409, { message: `已有第${newest?.revision}版，不能再从第${stored.form.revision}版新建。` });
      await withActor(db, actor, (trx) => newTrackingRevision(trx, stored.form.id, actor));
      return redirect(`/projects/${header.id}/tracking?periodEnd=${stored.form.periodEnd}`);
    }

    const to: FormState = intent === "return" ? "returned" : "accepted";
    if (!user.roles.some((role) => canTransition(from, to, role))) {
      return refused(409, { message: `此表当前状态为“${statusLabel(from)}”，不能${intent === "return" ? "退回" : "审核通过"}。` });
    }
    const comment = String(form.get("comment") ?? "").trim();
    if (intent === "return" && comment === "") return refused(400, { message: "退回时须填写审核意见。", errors: { comment: "请填写审核意见" } });
    const commentProblem = textProblem(comment, "审核意见");
    if (commentProblem !== null) return refused(400, { message: commentProblem, errors: { comment: commentProblem } });
    const moved = await withActor(db, actor, (trx) => moveTrackingForm(trx, stored.form.id, from, to, actor, comment === "" ? null : comment));
    if (!moved) return refused(409, { message: "此表状态已被他人改变，请刷新页面。" });
    return redirect(`/projects/${header.id}/tracking?periodEnd=${stored.form.periodEnd}`);
  } catch (error) {
    if (isStateRefusal(error)) {
      const message =
        (error as { code?: string }).code === "23503"
          ? "此期间绩效目标的指标已被修改或删除，未保存：请刷新页面后再填写（您填写的内容仍在页面上）。"
          : `数据库拒绝了此操作：${error.message}`;
      return refused(409, { message });
    }
    throw error;
  }
}

function statusLabel(status: TrackingFormStatus | null): string {
  return status === null ? "未保存" : FORM_STATE_LABELS[status];
}

export default function TrackingFormPage({ loaderData, actionData }: Route.ComponentProps) {
  const { view, invalidPeriod, canEdit, canReview, canNewRevision } = loaderData;
  const { t } = useT();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const periodQuery = `periodEnd=${view.periodEnd}${view.latest ? "" : `&revision=${view.revision}`}`;
  const result = actionData as ActionResult | undefined;
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
          {t("trTitle")}（{view.project.fiscalYear} {view.project.name}）
        </h1>
        <span className="muted">
          {t("trRevision")} {view.revision} · {t("status")}：
          <strong data-testid="tracking-status">{statusLabel(view.status)}</strong>
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
                {t("trRevision")} {revision.revision}（{statusLabel(revision.status)}）
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
          {t("trReviewComment")}：{view.reviewComment}
        </p>
      )}
      {view.frozen && <p className="notice">{t("trFrozen")}</p>}

      {result?.message && (
        <div className="conflict" role="alert" data-testid="tracking-refusal">
          <p>{result.message}</p>
          {result.problems.length > 0 && (
            <ul className="problem-list errors" data-testid="tracking-problems">
              {result.problems.map((problem, index) => (
                <li key={index}>{problem.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      <Form method="post" key={`${view.formId}-${view.version}-${view.revision}`} className="tracking-form">
        <input type="hidden" name="periodEnd" value={view.periodEnd} />
        <input type="hidden" name="formId" value={view.formId ?? ""} />
        <input type="hidden" name="version" value={view.version ?? ""} />
        <TrackingFormSheet view={view} editable={canEdit} highlight={result?.problems.map((problem) => problem.field) ?? []} />
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
        <Form method="post" className="stacked-form wide no-print review-form" data-testid="review-form">
          <h2>{t("trReview")}</h2>
          <input type="hidden" name="formId" value={view.formId ?? ""} />
          <label className={result?.errors.comment ? "has-error" : undefined}>
            {t("trReviewComment")}
            <textarea name="comment" rows={3} data-testid="review-comment-input" />
          </label>
          <p className="form-actions">
            <button type="submit" name="intent" value="return" disabled={busy} data-testid="tracking-return">
              {t("trReturn")}
            </button>
            <button type="submit" name="intent" value="accept" disabled={busy} data-testid="tracking-accept">
              {t("trAccept")}
            </button>
          </p>
        </Form>
      )}
      {canNewRevision && (
        <Form method="post" className="no-print">
          <input type="hidden" name="formId" value={view.formId ?? ""} />
          <button type="submit" name="intent" value="new-revision" data-testid="tracking-new-revision">
            {t("trNewRevision")}
          </button>
        </Form>
      )}

      {view.events.length > 0 && (
        <>
          <h2>{t("trHistory")}</h2>
          <table className="data-table" data-testid="tracking-history">
            <thead>
              <tr>
                <th>{t("trAt")}</th>
                <th>{t("username")}</th>
                <th>{t("status")}</th>
                <th>{t("trReviewComment")}</th>
              </tr>
            </thead>
            <tbody>
              {view.events.map((event) => (
                <tr key={event.id}>
                  <td className="nowrap">{event.at}</td>
                  <td>{event.username}</td>
                  <td>
                    {event.fromStatus ? `${statusLabel(event.fromStatus)} → ` : ""}
                    {statusLabel(event.toStatus)}
                  </td>
                  <td>{event.comment ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
