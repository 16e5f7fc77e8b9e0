import { Form, data, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/calendar";
import { database } from "../db.server";
import { guard } from "../guard.server";
import { recordIdSchema } from "../route-params.server";
import { addCalendarDay, calendarPage, coverYear, importPackageYears, removeCalendarDay, uncoverYear, type CalendarActor, type CalendarOutcome } from "../../features/calendar/service";
import { CALENDAR_DAY_KINDS, kindMessage, type CalendarField } from "../../features/calendar/rules/index";
import { msg, useT, type Message } from "../i18n";
import { pageTitle } from "../route-title";
import { ErrorMessage } from "../root";
import { typedAgain } from "../typed-again";

/*
 * 工作日历 (/calendar): the public holidays and make-up working days (调休) that the working-day rules use,
 * a year at a time, and the years covered. Everyone signed in reads it; the city's administrator enters
 * and deletes days, marks years covered and imports new years from the chinese-days package. The role is
 * checked here (administer) and in the service (a top-level unit); every change is audited.
 */

export function meta({ matches }: Route.MetaArgs) {
  return [{ title: pageTitle(matches, "wdTitle") }];
}

const yearQuery = z.string().regex(/^\d{4}$/).transform(Number).refine((year) => year >= 2001 && year <= 2100);

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const year = yearQuery.safeParse(new URL(request.url).searchParams.get("year") ?? "");
  return calendarPage(await database(), { unitId: user.unitId, roles: user.roles }, year.success ? year.data : undefined);
}

/** A posted change: which, and what was typed (every field a bounded string; the rules read them). */
const actionSchema = z.object({
  intent: z.enum(["add-day", "remove-day", "cover-year", "uncover-year", "import"]).nullable().catch(null),
  id: recordIdSchema.nullable().catch(null),
  version: z.string().regex(/^\d{1,9}$/).transform(Number).nullable().catch(null),
  day: z.string().max(40).catch(""),
  kind: z.string().max(40).catch(""),
  name: z.string().max(1000).catch(""),
  source: z.string().max(1000).catch(""),
  year: z.string().max(40).catch(""),
});

/** What a refused form had typed, shown again in its fields (a native post reloads the page; nothing is lost). */
type Typed = { day: string; kind: string; name: string; source: string; year: string };
type ActionResult = { intent: string | null; ok: boolean; message: Message | null; errors: Partial<Record<CalendarField, Message>>; typed?: Typed };

export async function action({ request, context }: Route.ActionArgs) {
  const user = guard(context, request, "administer", null);
  const form = await request.formData();
  const field = (name: string) => (typeof form.get(name) === "string" ? form.get(name) : null);
  const input = actionSchema.parse(Object.fromEntries(["intent", "id", "version", "day", "kind", "name", "source", "year"].map((name) => [name, field(name)])));
  if (input.intent === null) return data<ActionResult>({ intent: null, ok: false, message: msg("wdErrIntent"), errors: {} }, { status: 400 });
  const db = await database();
  const actor: CalendarActor = { userId: user.id, username: user.username, unitId: user.unitId, roles: user.roles };
  let outcome: CalendarOutcome;
  if (input.intent === "add-day") outcome = await addCalendarDay(db, actor, input);
  else if (input.intent === "remove-day") outcome = await removeCalendarDay(db, actor, input);
  else if (input.intent === "cover-year") outcome = await coverYear(db, actor, input);
  else if (input.intent === "uncover-year") outcome = await uncoverYear(db, actor, { year: yearQuery.safeParse(input.year).data ?? null });
  else outcome = await importPackageYears(db, actor);
  if (outcome.kind === "done") return { intent: input.intent, ok: true, message: outcome.message, errors: {} } satisfies ActionResult;
  const typed: Typed = { day: input.day, kind: input.kind, name: input.name, source: input.source, year: input.year };
  return data<ActionResult>({ intent: input.intent, ok: false, message: outcome.message, errors: outcome.errors, typed }, { status: outcome.status });
}

export default function Calendar({ loaderData, actionData }: Route.ComponentProps) {
  const { year, covered, coveredYears, coveredText, days, canEdit, packageVersion, importable } = loaderData;
  const { t, m, language } = useT();
  const busy = useNavigation().state !== "idle";
  const result = actionData as ActionResult | undefined;
  const errors = result?.errors ?? {};
  // The values a refused add-day or cover-year form had (undefined otherwise, so the fields start empty).
  const typedFor = (intent: string) => (result?.intent === intent ? typedAgain(result) : undefined);
  const addTyped = typedFor("add-day");
  const coverTyped = typedFor("cover-year");
  const fieldError = (name: CalendarField) =>
    errors[name] && (
      <span className="field-error" role="alert" data-field={name}>
        {m(errors[name]!)}
      </span>
    );
  return (
    <>
      <h1>{t("wdTitle")}</h1>
      <p className="muted small">{t("wdIntro")}</p>
      <p data-testid="wd-covered">{coveredText === "" ? t("wdCoveredNone") : m(msg("wdCovered", { years: coveredText }))}</p>
      {result?.message && (
        <p className={result.ok ? "form-ok" : "form-error"} role={result.ok ? "status" : "alert"} data-testid="wd-result">
          {m(result.message)}
        </p>
      )}
      <Form method="get" className="filters" replace>
        <label>
          {t("wdYear")}
          <input name="year" defaultValue={year} inputMode="numeric" pattern="\d{4}" required />
        </label>
        <button type="submit">{t("wdShow")}</button>
      </Form>
      {!covered && (
        <p className="warn-text" data-testid="wd-not-covered">
          {m(msg("wdYearNotCoveredNote", { year }))}
        </p>
      )}
      {days.length === 0 ? (
        <p className="muted">{m(msg("wdNoDays", { year }))}</p>
      ) : (
        <table className="data-table" data-testid="wd-days">
          <thead>
            <tr>
              <th>{t("wdColDate")}</th>
              <th>{t("wdColWeekday")}</th>
              <th>{t("wdColKind")}</th>
              <th>{t("wdColName")}</th>
              <th>{t("wdColSource")}</th>
              {canEdit && <th />}
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.id} data-day={day.day} data-kind={day.kind}>
                <td className="nowrap">{day.day}</td>
                <td>{m(day.weekday)}</td>
                <td>{m(kindMessage(day.kind))}</td>
                <td lang={language === "en" && !day.englishName ? "zh" : undefined}>{language === "en" ? (day.englishName ?? day.name) : day.name}</td>
                <td className="small">{day.source}</td>
                {canEdit && (
                  <td>
                    <Form method="post">
                      <input type="hidden" name="id" value={day.id} />
                      <input type="hidden" name="version" value={day.version} />
                      <button type="submit" name="intent" value="remove-day" disabled={busy} className="small">
                        {t("wdDelete")}
                      </button>
                    </Form>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit ? (
        <>
          <h2>{t("wdAddDay")}</h2>
          <Form method="post" className="filters" data-testid="wd-add-day">
            <label className={errors.day ? "has-error" : undefined}>
              {t("wdColDate")}
              <input type="date" name="day" required defaultValue={addTyped?.day} aria-invalid={errors.day ? true : undefined} />
              {fieldError("day")}
            </label>
            <label className={errors.kind ? "has-error" : undefined}>
              {t("wdColKind")}
              <select name="kind" defaultValue={addTyped?.kind || "holiday"} aria-invalid={errors.kind ? true : undefined}>
                {CALENDAR_DAY_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {m(kindMessage(kind))}
                  </option>
                ))}
              </select>
              {fieldError("kind")}
            </label>
            <label className={errors.name ? "has-error" : undefined}>
              {t("wdColName")}
              <input name="name" maxLength={100} required defaultValue={addTyped?.name} aria-invalid={errors.name ? true : undefined} />
              {fieldError("name")}
            </label>
            <label className={result?.intent === "add-day" && errors.source ? "has-error" : undefined}>
              {t("wdColSource")}
              <input name="source" maxLength={200} required defaultValue={addTyped?.source} placeholder={t("wdSourcePlaceholder")} />
              {result?.intent === "add-day" && fieldError("source")}
            </label>
            <button type="submit" name="intent" value="add-day" disabled={busy}>
              {t("wdAddDay")}
            </button>
          </Form>
          <h2>{t("wdYears")}</h2>
          <ul data-testid="wd-years">
            {coveredYears.map((row) => (
              <li key={row.year}>
                <Form method="post" className="inline-row">
                  {row.year} <span className="muted small">{row.source}</span>
                  <input type="hidden" name="year" value={row.year} />
                  <button type="submit" name="intent" value="uncover-year" disabled={busy} className="small">
                    {t("wdUncoverYear")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
          <Form method="post" className="filters" data-testid="wd-cover-year">
            <label className={errors.year ? "has-error" : undefined}>
              {t("wdYear")}
              <input name="year" inputMode="numeric" required defaultValue={coverTyped?.year ?? (covered ? "" : year)} aria-invalid={errors.year ? true : undefined} />
              {fieldError("year")}
            </label>
            <label className={result?.intent === "cover-year" && errors.source ? "has-error" : undefined}>
              {t("wdColSource")}
              <input name="source" maxLength={200} required defaultValue={coverTyped?.source} placeholder={t("wdSourcePlaceholder")} />
              {result?.intent === "cover-year" && fieldError("source")}
            </label>
            <button type="submit" name="intent" value="cover-year" disabled={busy}>
              {t("wdCoverYear")}
            </button>
          </Form>
          <Form method="post" className="filters" data-testid="wd-import">
            <span className="muted small">
              {importable.length > 0
                ? m(msg("wdImportAvailable", { version: packageVersion, years: importable.join(", ") }))
                : m(msg("wdImportNothing", { version: packageVersion }))}
            </span>
            <button type="submit" name="intent" value="import" disabled={busy || importable.length === 0}>
              {t("wdImport")}
            </button>
          </Form>
        </>
      ) : (
        <p className="muted small">{t("wdReadOnly")}</p>
      )}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
