import { Form, Link, data, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rectification";
import { database } from "../db.server";
import { currentUser, guard, logRefusal } from "../guard.server";
import { unitOfQuery, subtreeOf } from "../dashboard.server";
import { recordIdSchema } from "../route-params.server";
import {
  addRectificationItem,
  closeRectificationItem,
  rectificationPage,
  reopenRectificationItem,
  setRectificationDueDate,
  withdrawRectificationItem,
  correctRectificationItem,
  RECTIFICATION_SOURCES,
  RECTIFICATION_STATES,
  type RectificationActor,
  type RectificationField,
  type RectificationOutcome,
  type RectificationSource,
  type RectificationState,
} from "../../features/rectification/service";
import { UnitFilter, unitChoices } from "../components/unit-filter";
import { SOURCE_KEYS, SourceLink } from "../components/rectification-overdue";
import { RectificationAdd } from "../components/rectification-add";
import { RectificationCorrect } from "../components/rectification-correct";
import { fill, msg, translate, useT, type Language, type Message, type MessageKey } from "../i18n";
import { ErrorMessage } from "../root";
import { MAX_TEXT } from "../../domain/text";
import { typedAgain } from "../typed-again";

/*
 * 整改台账 (/rectification): the rectification items of the user's units, filtered by year, unit, state and
 * source; closing an item with its evidence, a new due date, reopening (managers). The service checks
 * role and unit on every change; this route parses (zod) and maps the outcome.
 */

export function meta({ matches }: Route.MetaArgs) {
  const language = ((matches.find((match) => match?.id === "root")?.data ?? {}) as { language?: Language }).language ?? "zh";
  return [{ title: `${translate(language, "rcTitle")} · ${translate(language, "appName")}` }];
}

const STATE_KEYS: Record<RectificationState, MessageKey> = { open: "rcStateOpen", overdue: "rcStateOverdue", done: "rcStateDone" };

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const db = await database();
  const params = new URL(request.url).searchParams;
  const yearText = params.get("year") ?? "";
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
  const state = RECTIFICATION_STATES.find((value) => value === params.get("status"));
  const source = RECTIFICATION_SOURCES.find((value) => value === params.get("source"));
  const { unitId, units } = await unitOfQuery(db, user, params);
  const unitIds = unitId === user.unitId ? user.unitSubtree : subtreeOf(units, unitId);
  const page = await rectificationPage(db, user, { unitIds, year, state, source });
  return {
    ...page,
    filters: { year: year === undefined ? "" : String(year), status: state ?? "", source: source ?? "", unit: unitId === user.unitId ? "" : String(unitId) },
    ownUnitName: user.unitName,
    units: unitChoices(units, user.unitId),
  };
}

/** A posted change: which, the item and the version the page showed, and what was typed. */
const actionSchema = z.object({
  intent: z.enum(["close", "reopen", "due", "add", "withdraw", "correct"]).nullable().catch(null),
  itemId: recordIdSchema.nullable().catch(null),
  version: z.string().regex(/^\d{1,9}$/).transform(Number).nullable().catch(null),
  evidence: z.string().max(20_000).catch(""),
  evidenceOn: z.string().max(40).catch(""),
  dueOn: z.string().max(40).catch(""),
  reason: z.string().max(20_000).catch(""),
  projectId: recordIdSchema.nullable().catch(null),
  indicator: z.string().max(20_000).catch(""),
  measure: z.string().max(20_000).catch(""),
  origin: z.string().max(20_000).catch(""),
});

/** What a refused form had typed, shown again in its fields (a native post reloads the page; nothing is lost). */
type RectificationTyped = Partial<Record<"evidence" | "evidenceOn" | "dueOn" | "reason" | "projectId" | "indicator" | "measure" | "origin", string>>;

/** The fields each form posts. */
const POSTED_FIELDS: Record<NonNullable<z.infer<typeof actionSchema>["intent"]>, readonly (keyof RectificationTyped)[]> = {
  add: ["projectId", "indicator", "measure", "origin", "dueOn"],
  close: ["evidence", "evidenceOn"],
  reopen: ["reason"],
  correct: ["indicator", "measure", "origin"],
  due: ["dueOn"],
  withdraw: [],
};

/** What a change answers; `add` when it was the 登记整改事项 form (its errors are shown there). */
type ActionResult = { itemId: number | null; message: Message; errors: Partial<Record<RectificationField, Message>>; ok: boolean; add?: boolean; typed?: RectificationTyped };

export async function action({ request, context }: Route.ActionArgs) {
  const user = currentUser(context, request);
  const form = await request.formData();
  const field = (name: string) => (typeof form.get(name) === "string" ? form.get(name) : null);
  const names = ["intent", "itemId", "version", "evidence", "evidenceOn", "dueOn", "reason", "projectId", "indicator", "measure", "origin"] as const;
  const input = actionSchema.parse(Object.fromEntries(names.map((name) => [name, field(name)])));
  if (input.intent === null) return data<ActionResult>({ itemId: input.itemId, message: msg("rcUnknownIntent"), errors: {}, ok: false }, { status: 400 });
  const db = await database();
  const actor: RectificationActor = { userId: user.id, username: user.username, roles: user.roles, unitSubtree: user.unitSubtree };
  const item = { itemId: input.itemId, version: input.version };
  // Only the fields of the form that was posted (a row's other forms keep showing the item as stored).
  const posted = { ...input, projectId: input.projectId === null ? "" : String(input.projectId) };
  const typed: RectificationTyped = Object.fromEntries(POSTED_FIELDS[input.intent].map((name) => [name, posted[name]]));
  let outcome: RectificationOutcome;
  if (input.intent === "add") {
    outcome = await addRectificationItem(db, actor, { projectId: input.projectId, indicator: input.indicator, measure: input.measure, origin: input.origin, dueOn: input.dueOn });
    if (outcome.kind === "done") return { itemId: outcome.itemId ?? null, message: outcome.message, errors: {}, ok: true, add: true } satisfies ActionResult;
    if (outcome.status === 403) logRefusal(context, "write-refused", { user: user.username, projectId: input.projectId, path: "/rectification" });
    return data<ActionResult>({ itemId: null, message: outcome.message, errors: outcome.errors, ok: false, add: true, typed }, { status: outcome.status });
  }
  if (input.intent === "close") outcome = await closeRectificationItem(db, actor, { ...item, evidence: input.evidence, evidenceOn: input.evidenceOn });
  else if (input.intent === "reopen") outcome = await reopenRectificationItem(db, actor, { ...item, reason: input.reason });
  else if (input.intent === "withdraw") outcome = await withdrawRectificationItem(db, actor, item);
  else if (input.intent === "correct") outcome = await correctRectificationItem(db, actor, { ...item, indicator: input.indicator, measure: input.measure, origin: input.origin });
  else outcome = await setRectificationDueDate(db, actor, { ...item, dueOn: input.dueOn });
  if (outcome.kind === "done") return { itemId: input.itemId, message: outcome.message, errors: {}, ok: true } satisfies ActionResult;
  if (outcome.status === 403) logRefusal(context, "write-refused", { user: user.username, itemId: input.itemId, path: "/rectification" });
  return data<ActionResult>({ itemId: input.itemId, message: outcome.message, errors: outcome.errors, ok: false, typed }, { status: outcome.status });
}

export default function Rectification({ loaderData, actionData }: Route.ComponentProps) {
  const { items, years, today, filters, units, ownUnitName, projects } = loaderData;
  const { t, m } = useT();
  const result = actionData as ActionResult | undefined;
  return (
    <>
      <div className="page-title">
        <h1>{t("rcTitle")}</h1>
        <span className="muted" data-testid="rc-count" data-count={items.length}>
          {m(msg("rcCount", { count: items.length }))}
        </span>
      </div>
      <Form method="get" className="filters" replace>
        <label>
          {t("fiscalYear")}
          <select name="year" defaultValue={filters.year} data-testid="filter-year">
            <option value="">{t("rcAll")}</option>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <UnitFilter ownUnitName={ownUnitName} units={units} value={filters.unit} />
        <label>
          {t("rcColStatus")}
          <select name="status" defaultValue={filters.status} data-testid="filter-status">
            <option value="">{t("rcAll")}</option>
            {RECTIFICATION_STATES.map((state) => (
              <option key={state} value={state}>
                {t(state === "open" ? "rcFilterOpen" : STATE_KEYS[state])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("rcColSource")}
          <select name="source" defaultValue={filters.source} data-testid="filter-source">
            <option value="">{t("rcAll")}</option>
            {RECTIFICATION_SOURCES.map((source) => (
              <option key={source} value={source}>
                {t(SOURCE_KEYS[source])}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("apply")}</button>
      </Form>
      {projects.length > 0 && <RectificationAdd key={result?.add && result.ok ? `added-${result.itemId}` : "add"} projects={projects} today={today} errors={result?.add ? result.errors : undefined} typed={result?.add ? typedAgain(result) : undefined} />}
      {result && (result.itemId === null || !items.some((item) => item.id === result.itemId)) && (
        // A change whose item the list no longer shows (closed while listing open or overdue items), or
        // one without an item: said at the top, since there is no row to say it in.
        <p className={result.ok ? "form-ok" : "conflict"} role={result.ok ? "status" : "alert"} data-testid="rc-result">
          {m(result.message)}
        </p>
      )}
      {items.length === 0 ? (
        <p className="muted" data-testid="rc-none">
          {t("rcNone")}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="rc-table">
            <thead>
              <tr>
                <th>
                  {t("rcColProject")} · {t("rcColSource")}
                </th>
                <th>{t("rcColMeasure")}</th>
                <th>{t("rcColResponsible")}</th>
                <th>{t("rcColDue")}</th>
                <th>{t("rcColStatus")}</th>
                <th>{t("rcColEvidence")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <ItemRow key={item.id} item={item} today={today} result={result?.itemId === item.id ? result : undefined} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

type LoadedItem = Route.ComponentProps["loaderData"]["items"][number];

/** One item: its cells, and the forms the user may use on it (close, due date, reopen), with their errors. */
function ItemRow({ item, today, result }: { item: LoadedItem; today: string; result: ActionResult | undefined }) {
  const { t, m } = useT();
  const busy = useNavigation().state !== "idle";
  const errors = result?.errors ?? {};
  // What a refused form on this item had typed (its fields show it again).
  const typed = typedAgain(result);
  const invalid = (name: keyof ActionResult["errors"]) => (errors[name] ? true : undefined);
  const fieldError = (name: keyof ActionResult["errors"]) =>
    errors[name] && (
      <span className="field-error" role="alert" data-field={name}>
        {m(errors[name]!)}
      </span>
    );
  return (
    <tr data-testid={`rc-item-${item.id}`} data-state={item.state} className={item.state === "overdue" ? "row-flagged" : undefined}>
      <td style={{ minWidth: "9em" }}>
        <Link to={`/projects/${item.projectId}`}>
          {item.fiscalYear} {item.projectName}
        </Link>
        <div className="small">
          <SourceLink item={item} />
        </div>
        {item.status === "open" && (
          // When it was raised: an item raised after its due date (a late acceptance) is overdue from the start.
          <div className="small muted" data-field="raisedOn">
            {m(msg("rcRaisedOn", { date: item.raisedOn }))}
          </div>
        )}
      </td>
      <td style={{ minWidth: "16em" }}>
        <strong>{item.indicator}</strong>
        <div className="small" style={{ whiteSpace: "pre-wrap" }}>{item.measure || t("rcNoMeasure")}</div>
        {item.answeredIn !== null && (
          <div className="small muted" data-field="answeredIn">
            {m(msg("rcAnsweredIn", { year: item.answeredIn }))}
          </div>
        )}
        {item.canAmend && <RectificationCorrect item={item} errors={{ indicator: errors.indicator, measure: errors.measure, origin: errors.origin }} typed={typed} />}
      </td>
      <td style={{ minWidth: "8em" }}>{item.unitName}</td>
      <td className="nowrap">
        <span data-field="dueOn">{item.dueOn}</span>
        {item.canEditDue && (
          <details open={errors.dueOn !== undefined}>
            <summary className="small">{t("rcChangeDue")}</summary>
            <Form method="post" className="stacked-form" noValidate>
              <input type="hidden" name="itemId" value={item.id} />
              <input type="hidden" name="version" value={item.version} />
              <input type="date" name="dueOn" defaultValue={typed?.dueOn ?? item.dueOn} aria-label={t("rcColDue")} aria-invalid={invalid("dueOn")} />
              {fieldError("dueOn")}
              <button type="submit" name="intent" value="due" disabled={busy}>
                {t("rcSaveDue")}
              </button>
            </Form>
          </details>
        )}
      </td>
      <td className="nowrap">
        {item.state === "overdue" ? (
          <strong className="warn-text" data-testid="rc-overdue">
            {fill(t("rcOverdueDays"), { days: item.daysOverdue })}
          </strong>
        ) : (
          t(STATE_KEYS[item.state])
        )}
        {item.status === "open" && item.reopenReason !== null && (
          <div className="small" data-testid="rc-reopened" style={{ whiteSpace: "pre-wrap" }} title={item.reopenedBy ?? undefined}>
            {m(msg("rcReopenedNote", { date: item.reopenedOn ?? "", by: item.reopenedByName ?? "", reason: item.reopenReason }))}
          </div>
        )}
        {item.canAmend && (
          <details>
            <summary className="small">{t("rcWithdraw")}</summary>
            <Form method="post" data-testid="rc-withdraw-form">
              <input type="hidden" name="itemId" value={item.id} />
              <input type="hidden" name="version" value={item.version} />
              <p className="small muted">{t("rcWithdrawHint")}</p>
              <button type="submit" name="intent" value="withdraw" disabled={busy} className="small nowrap">
                {t("rcWithdrawSubmit")}
              </button>
            </Form>
          </details>
        )}
        {item.canReopen && (
          <details open={errors.reason !== undefined}>
            <summary className="small">{t("rcReopen")}</summary>
            <Form method="post" className="stacked-form" data-testid="rc-reopen-form" noValidate>
              <input type="hidden" name="itemId" value={item.id} />
              <input type="hidden" name="version" value={item.version} />
              <label className={errors.reason ? "has-error" : undefined}>
                {t("rcReopenReason")}
                <textarea name="reason" rows={2} maxLength={MAX_TEXT} defaultValue={typed?.reason} placeholder={t("rcReopenReasonPlaceholder")} aria-invalid={invalid("reason")} />
              </label>
              {fieldError("reason")}
              <button type="submit" name="intent" value="reopen" disabled={busy} className="small nowrap">
                {t("rcReopen")}
              </button>
            </Form>
          </details>
        )}
      </td>
      <td style={{ minWidth: "14em" }}>
        {item.evidence !== null && (
          <>
            <div style={{ whiteSpace: "pre-wrap" }}>{item.evidence}</div>
            <div className="small muted" title={item.closedBy ?? undefined}>{fill(t("rcClosedOn"), { date: item.evidenceOn ?? "", by: item.closedByName ?? "" })}</div>
          </>
        )}
        {item.canClose && (
          <details open={errors.evidence !== undefined || errors.evidenceOn !== undefined}>
            <summary className="small">{t("rcClose")}</summary>
            {/* No browser validation: the server's messages, in the page's language, show at the fields. */}
            <Form method="post" className="stacked-form" data-testid="rc-close-form" noValidate>
              <input type="hidden" name="itemId" value={item.id} />
              <input type="hidden" name="version" value={item.version} />
              <label className={errors.evidence ? "has-error" : undefined}>
                {t("rcEvidence")}
                <textarea name="evidence" rows={3} maxLength={MAX_TEXT} defaultValue={typed?.evidence} aria-invalid={invalid("evidence")} />
              </label>
              {fieldError("evidence")}
              <label className={errors.evidenceOn ? "has-error" : undefined}>
                {t("rcEvidenceOn")}
                <input type="date" name="evidenceOn" defaultValue={typed?.evidenceOn ?? today} aria-invalid={invalid("evidenceOn")} />
              </label>
              {fieldError("evidenceOn")}
              <button type="submit" name="intent" value="close" disabled={busy}>
                {t("rcCloseSubmit")}
              </button>
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

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
