import type { ReactNode } from "react";
import { Form, Link, data, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/notices";
import { database } from "../db.server";
import { currentUser, guard, logRefusal } from "../guard.server";
import { unitOfQuery, subtreeOf } from "../dashboard.server";
import { recordIdSchema } from "../route-params.server";
import { formatAmount } from "../../domain/money";
import { NOTICE_FIELDS, type NoticeField } from "../../features/payments/rules/notices";
import {
  correctNotice,
  createNotice,
  noticesPage,
  removeNotice,
  NOTICE_FILTERS,
  type NoticeActor,
  type NoticeFilter,
  type NoticeOutcome,
} from "../../features/payments/notices";
import { importNotices, MAX_NOTICE_FILE_BYTES, type NoticeImportOutcome } from "../../features/payments/notice-import";
import { readFormWithin, UploadTooLargeError } from "../uploads.server";
import { NoticeImport } from "../components/notice-import";
import { UnitFilter, unitChoices } from "../components/unit-filter";
import { NoticeStateText } from "../components/notices-due";
import { msg, translate, useT, type Language, type Message, type MessageKey } from "../i18n";
import { ErrorMessage } from "../root";
import { typedAgain } from "../typed-again";

/*
 * 结算通知书 (/notices): the settlement notices of the user's units for a fiscal year, each with its state as of
 * today (paid on time, paid late by N days, due within N working days, overdue N days); planners of the
 * project's unit enter, correct and delete them. The service checks role, unit and version; this route
 * parses (zod) and maps the outcome.
 */

export function meta({ matches }: Route.MetaArgs) {
  const language = ((matches.find((match) => match?.id === "root")?.data ?? {}) as { language?: Language }).language ?? "zh";
  return [{ title: `${translate(language, "pmNoticesTitle")} · ${translate(language, "appName")}` }];
}

const FILTER_KEYS: Record<NoticeFilter, MessageKey> = {
  unpaid: "pmFilterUnpaid",
  "due-soon": "pmFilterDueSoon",
  overdue: "pmFilterOverdue",
  late: "pmFilterLate",
};

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const db = await database();
  const params = new URL(request.url).searchParams;
  const yearText = params.get("year") ?? "";
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
  const state = NOTICE_FILTERS.find((value) => value === params.get("state"));
  const { unitId, units } = await unitOfQuery(db, user, params);
  const unitIds = unitId === user.unitId ? user.unitSubtree : subtreeOf(units, unitId);
  const page = await noticesPage(db, user, { unitIds, year, state });
  return {
    ...page,
    filters: { year: page.year === null ? "" : String(page.year), state: state ?? "", unit: unitId === user.unitId ? "" : String(unitId) },
    ownUnitName: user.unitName,
    units: unitChoices(units, user.unitId),
  };
}

const text = (max: number) => z.string().max(max).catch("");

/** A posted change: which, the notice and the version the page showed, and the form's fields. */
const actionSchema = z.object({
  intent: z.enum(["create", "correct", "delete"]).nullable().catch(null),
  noticeId: recordIdSchema.nullable().catch(null),
  version: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .nullable()
    .catch(null),
  projectId: text(20),
  documentNumber: text(1000),
  title: text(2000),
  issuer: text(1000),
  amount: text(60),
  issuedOn: text(40),
  dueOn: text(40),
  paymentId: text(40),
  note: text(20_000),
});

type ActionResult = {
  intent: string | null;
  noticeId: number | null;
  message: Message;
  errors: Partial<Record<NoticeField, Message>>;
  ok: boolean;
  /** What a refused create or correction had typed, shown again in its fields (a native post reloads the page). */
  typed?: Record<NoticeField, string>;
};

/** What an import (or its check) answers: the outcome, shown under the file form. */
type ImportResult = { intent: "import"; outcome: NoticeImportOutcome };

const IMPORT_STATUS: Record<NoticeImportOutcome["kind"], number> = { refused: 422, invalid: 422, checked: 200, imported: 200 };

/** A file of notices (multipart): checked, or checked and imported. */
async function importAction(request: Request, user: ReturnType<typeof currentUser>) {
  const answer = (outcome: NoticeImportOutcome, status: number, headers?: HeadersInit) => data<ImportResult>({ intent: "import", outcome }, { status, headers });
  let form: FormData;
  try {
    form = await readFormWithin(request, MAX_NOTICE_FILE_BYTES);
  } catch (error) {
    if (!(error instanceof UploadTooLargeError)) throw error;
    return answer({ kind: "refused", status: 422, message: error.detail }, 413, { Connection: "close" });
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return answer({ kind: "refused", status: 400, message: msg("pmImpNoFile") }, 400);
  const actor: NoticeActor = { userId: user.id, username: user.username, roles: user.roles, unitSubtree: user.unitSubtree };
  const outcome = await importNotices(await database(), actor, { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name, commit: form.get("intent") === "import" });
  return answer(outcome, outcome.kind === "refused" ? outcome.status : IMPORT_STATUS[outcome.kind]);
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = currentUser(context, request);
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return importAction(request, user);
  const form = await request.formData();
  const field = (name: string) => (typeof form.get(name) === "string" ? form.get(name) : null);
  const input = actionSchema.parse(Object.fromEntries(["intent", "noticeId", "version", ...NOTICE_FIELDS].map((name) => [name, field(name)])));
  if (input.intent === null)
    return data<ActionResult>({ intent: null, noticeId: input.noticeId, message: msg("pmUnknownIntent"), errors: {}, ok: false }, { status: 400 });
  const db = await database();
  const actor: NoticeActor = { userId: user.id, username: user.username, roles: user.roles, unitSubtree: user.unitSubtree };
  const values = Object.fromEntries(NOTICE_FIELDS.map((name) => [name, input[name]])) as Record<NoticeField, string>;
  let outcome: NoticeOutcome;
  if (input.intent === "create") outcome = await createNotice(db, actor, values);
  else if (input.intent === "correct") outcome = await correctNotice(db, actor, { noticeId: input.noticeId, version: input.version, values });
  else outcome = await removeNotice(db, actor, { noticeId: input.noticeId, version: input.version });
  if (outcome.kind === "done")
    return { intent: input.intent, noticeId: outcome.noticeId, message: outcome.message, errors: {}, ok: true } satisfies ActionResult;
  if (outcome.status === 403)
    logRefusal(context, "write-refused", { user: user.username, noticeId: input.noticeId, path: "/notices" });
  return data<ActionResult>(
    { intent: input.intent, noticeId: input.noticeId, message: outcome.message, errors: outcome.errors, ok: false, ...(input.intent === "delete" ? {} : { typed: values }) },
    { status: outcome.status },
  );
}

type LoaderData = Route.ComponentProps["loaderData"];
type LoadedNotice = LoaderData["notices"][number];

export default function Notices({ loaderData, actionData }: Route.ComponentProps) {
  const { notices, years, today, warningDays, filters, units, ownUnitName, projects, transfers } = loaderData;
  const { t, m } = useT();
  const imported = actionData !== undefined && "outcome" in actionData ? (actionData as ImportResult) : undefined;
  const result = imported ? undefined : (actionData as ActionResult | undefined);
  const createResult = result?.intent === "create" ? result : undefined;
  return (
    <>
      <div className="page-title">
        <h1>{t("pmNoticesTitle")}</h1>
        <span className="muted" data-testid="notice-count" data-count={notices.length}>
          {m(msg("pmNoticeCount", { count: notices.length }))}
        </span>
      </div>
      <p className="muted small">{m(msg("pmNoticesIntro", { days: warningDays, today }))}</p>
      <Form method="get" className="filters" replace>
        <label>
          {t("fiscalYear")}
          <select name="year" defaultValue={filters.year} data-testid="filter-year">
            {years.length === 0 && <option value="">—</option>}
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <UnitFilter ownUnitName={ownUnitName} units={units} value={filters.unit} />
        <label>
          {t("pmColState")}
          <select name="state" defaultValue={filters.state} data-testid="filter-state">
            <option value="">{t("pmFilterAll")}</option>
            {NOTICE_FILTERS.map((state) => (
              <option key={state} value={state}>
                {t(FILTER_KEYS[state])}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("apply")}</button>
      </Form>
      {result && !createResult && (result.noticeId === null || !notices.some((notice) => notice.id === result.noticeId)) && (
        <p className={result.ok ? "form-ok" : "conflict"} role={result.ok ? "status" : "alert"} data-testid="notice-result">
          {m(result.message)}
        </p>
      )}
      {notices.length === 0 ? (
        <p className="muted" data-testid="notices-none">
          {t("pmNoticesNone")}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="notices-table">
            <thead>
              <tr>
                <th>{t("pmColTitle")}</th>
                <th>{t("pmColIssuer")}</th>
                <th>{t("pmColProject")}</th>
                <th className="num">{t("pmColAmountYuan")}</th>
                <th>{t("pmColIssuedOn")}</th>
                <th>{t("pmColDueOn")}</th>
                <th>{t("pmColPayment")}</th>
                <th>{t("pmColState")}</th>
              </tr>
            </thead>
            <tbody>
              {notices.map((notice) => (
                <NoticeRowView
                  key={notice.id}
                  notice={notice}
                  projects={projects}
                  transfers={transfers}
                  result={result?.noticeId === notice.id && !createResult ? result : undefined}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {projects.length > 0 && <NoticeImport outcome={imported?.outcome ?? null} />}
      {projects.length > 0 && (
        <details open={createResult !== undefined} className="no-print" style={{ marginTop: 16 }} data-testid="notice-create">
          <summary>{t("pmNoticeNew")}</summary>
          {/* No browser validation: the server's messages, in the page's language, show at the fields. A notice
              entered empties the form (a new key); a refused one keeps what was typed. */}
          <Form method="post" className="stacked-form wide" noValidate key={createResult?.ok ? `entered-${createResult.noticeId}` : "new"}>
            <NoticeFields projects={projects} transfers={transfers} errors={createResult?.errors ?? {}} typed={typedAgain(createResult)} />
            <SubmitButton intent="create" label={t("pmNoticeCreate")} />
            {createResult && (
              <p className={createResult.ok ? "form-ok" : "form-error"} role={createResult.ok ? "status" : "alert"} data-testid="notice-create-result">
                {m(createResult.message)}
              </p>
            )}
          </Form>
        </details>
      )}
    </>
  );
}

function SubmitButton({ intent, label }: { intent: "create" | "correct" | "delete"; label: string }) {
  const busy = useNavigation().state !== "idle";
  return (
    <button type="submit" name="intent" value={intent} disabled={busy}>
      {label}
    </button>
  );
}

/** One notice: its cells, its state, and (for planners of its unit) the correction and deletion forms. */
function NoticeRowView({
  notice,
  projects,
  transfers,
  result,
}: {
  notice: LoadedNotice;
  projects: LoaderData["projects"];
  transfers: LoaderData["transfers"];
  result: ActionResult | undefined;
}) {
  const { t, m } = useT();
  const late = notice.status.state === "paid-late" || notice.status.state === "overdue";
  return (
    <tr data-testid={`notice-${notice.id}`} data-state={notice.status.state} className={late ? "row-flagged" : undefined}>
      <td style={{ minWidth: "12em" }}>
        <strong>{notice.title}</strong>
        <div className="small muted">{notice.documentNumber ?? t("pmNoDocumentNumber")}</div>
        {notice.note && (
          <div className="small" style={{ whiteSpace: "pre-wrap" }}>
            {notice.note}
          </div>
        )}
      </td>
      <td style={{ minWidth: "8em" }}>{notice.issuer}</td>
      <td style={{ minWidth: "8em" }}>
        <Link to={`/projects/${notice.projectId}`}>
          {notice.fiscalYear} {notice.projectName}
        </Link>
        <div className="small muted">{notice.unitName}</div>
      </td>
      <td className="num">{formatAmount(notice.amount, "yuan")}</td>
      <td className="nowrap">{notice.issuedOn ?? ""}</td>
      <td className="nowrap" data-field="dueOn">
        {notice.dueOn}
      </td>
      <td className="nowrap" data-field="paidOn">
        {notice.paidOn === null ? (
          <span className="muted">{t("pmUnpaid")}</span>
        ) : (
          <>
            {notice.paidOn}
            <div className="small muted">{formatAmount(notice.paidAmount ?? "0", "yuan")}</div>
            {notice.amountDiffers && <div className="small warn-text">{t("pmAmountDiffers")}</div>}
          </>
        )}
      </td>
      <td style={{ minWidth: "10em" }}>
        <NoticeStateText status={notice.status} />
        {notice.canEdit && (
          <details open={result !== undefined && !result.ok}>
            <summary className="small">{t("pmNoticeCorrect")}</summary>
            <Form method="post" className="stacked-form" noValidate>
              <input type="hidden" name="noticeId" value={notice.id} />
              <input type="hidden" name="version" value={notice.version} />
              <NoticeFields projects={projects} transfers={transfers} errors={result?.errors ?? {}} notice={notice} typed={typedAgain(result)} />
              <SubmitButton intent="correct" label={t("pmNoticeSaveCorrection")} />
            </Form>
            <Form method="post">
              <input type="hidden" name="noticeId" value={notice.id} />
              <input type="hidden" name="version" value={notice.version} />
              <SubmitButton intent="delete" label={t("pmNoticeDelete")} />
            </Form>
          </details>
        )}
        {result && (
          <p className={result.ok ? "form-ok small" : "form-error small"} role={result.ok ? "status" : "alert"}>
            {m(result.message)}
          </p>
        )}
      </td>
    </tr>
  );
}

/** The notice's fields, empty or as the notice has them (or as a refused post typed them), each with its error. */
function NoticeFields({
  projects,
  transfers,
  errors,
  notice,
  typed,
}: {
  projects: LoaderData["projects"];
  transfers: LoaderData["transfers"];
  errors: Partial<Record<NoticeField, Message>>;
  notice?: LoadedNotice;
  typed?: Record<NoticeField, string>;
}) {
  const { t, m } = useT();
  const projectName = new Map(projects.map((project) => [project.id, `${project.fiscalYear} ${project.name} · ${project.unitName}`]));
  const labelled = (name: NoticeField, label: MessageKey, input: ReactNode) => (
    <>
      <label className={errors[name] ? "has-error" : undefined}>
        {t(label)}
        {input}
      </label>
      {errors[name] && (
        <span className="field-error" role="alert" data-field={name}>
          {m(errors[name]!)}
        </span>
      )}
    </>
  );
  const invalid = (name: NoticeField) => (errors[name] ? true : undefined);
  return (
    <>
      {labelled(
        "projectId",
        "pmColProject",
        <select name="projectId" defaultValue={typed?.projectId ?? notice?.projectId ?? projects[0]?.id ?? ""} aria-invalid={invalid("projectId")}>
          {projects.map((project) => (
            <option key={project.id} value={project.id}>
              {projectName.get(project.id)}
            </option>
          ))}
        </select>,
      )}
      {labelled(
        "documentNumber",
        "pmColDocumentNumber",
        <input name="documentNumber" defaultValue={typed?.documentNumber ?? notice?.documentNumber ?? ""} maxLength={200} aria-invalid={invalid("documentNumber")} />,
      )}
      {labelled("title", "pmColTitle", <input name="title" defaultValue={typed?.title ?? notice?.title ?? ""} maxLength={500} aria-invalid={invalid("title")} />)}
      {labelled("issuer", "pmColIssuer", <input name="issuer" defaultValue={typed?.issuer ?? notice?.issuer ?? ""} maxLength={200} aria-invalid={invalid("issuer")} />)}
      {labelled("amount", "pmColAmountYuan", <input name="amount" inputMode="decimal" defaultValue={typed?.amount ?? notice?.amount ?? ""} aria-invalid={invalid("amount")} />)}
      {labelled("issuedOn", "pmColIssuedOn", <input type="date" name="issuedOn" defaultValue={typed?.issuedOn ?? notice?.issuedOn ?? ""} aria-invalid={invalid("issuedOn")} />)}
      {labelled("dueOn", "pmColDueOn", <input type="date" name="dueOn" defaultValue={typed?.dueOn ?? notice?.dueOn ?? ""} aria-invalid={invalid("dueOn")} />)}
      {labelled(
        "paymentId",
        "pmColPayment",
        <select name="paymentId" defaultValue={typed?.paymentId ?? notice?.paymentId ?? ""} aria-invalid={invalid("paymentId")}>
          <option value="">{t("pmUnpaid")}</option>
          {transfers.map((transfer) => (
            <option key={transfer.id} value={transfer.id}>
              {m(
                transfer.settles !== null && transfer.settles !== notice?.id
                  ? msg("pmTransferChoiceTaken", {
                      project: projectName.get(transfer.projectId) ?? "",
                      date: transfer.paidOn,
                      amount: transfer.amount,
                      notice: transfer.settles,
                    })
                  : msg("pmTransferChoice", { project: projectName.get(transfer.projectId) ?? "", date: transfer.paidOn, amount: transfer.amount }),
              )}
            </option>
          ))}
        </select>,
      )}
      {labelled("note", "pmColNote", <textarea name="note" rows={2} maxLength={4000} defaultValue={typed?.note ?? notice?.note ?? ""} aria-invalid={invalid("note")} />)}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
