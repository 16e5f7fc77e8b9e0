import { useState } from "react";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/targets-edit";
import { guard, refusal } from "../guard.server";
import { requireProject } from "../route-params.server";
import { getDeclaration, saveDeclarationAs, type SaveRefusal } from "../../db/declarations";
import {
  INDICATOR_LEVELS,
  declarationInputOf,
  levelMessage,
  validateDeclaration,
  type DeclarationErrors,
  type DeclarationInput,
  type IndicatorInput,
} from "../../domain/declaration";
import { msg, useT, type Message } from "../i18n";
import { pageTitle } from "../route-title";
import { ErrorMessage } from "../root";

export function meta({ data, matches }: Route.MetaArgs) {
  return [{ title: data ? pageTitle(matches, "editDeclaration", data.declaration.project.name) : pageTitle(matches, "editDeclaration") }];
}

/** The project's declaration, for a user who may edit its budget (404 outside the user's units, 403 without the role). */
async function loadDeclaration(args: Route.LoaderArgs | Route.ActionArgs, to: "show" | "write") {
  // Showing the page of another unit answers 404 as every read does; a write there answers 403.
  const { db, project } = await requireProject(args, to === "show" ? "read" : "edit-budget");
  const user = guard(args.context, args.request, "edit-budget", project.unitId);
  const declaration = await getDeclaration(db, project.id);
  if (!declaration) throw refusal(args.request, "notFound", 404);
  return { db, user, declaration };
}

export async function loader(args: Route.LoaderArgs) {
  const { declaration } = await loadDeclaration(args, "show");
  return { declaration };
}

const GOAL_FIELDS = ["overallGoal", "annualGoal", "goalFromYear", "goalToYear", "planStart", "planEnd"] as const;
const ROW_FIELDS = ["id", "level1", "level2", "name", "target", "weight"] as const;

/** Reads the submitted form: goal fields, and the indicator rows as parallel lists in row order. */
function readForm(form: FormData): DeclarationInput {
  const goals = Object.fromEntries(GOAL_FIELDS.map((field) => [field, String(form.get(field) ?? "")])) as Record<
    (typeof GOAL_FIELDS)[number],
    string
  >;
  const columns = Object.fromEntries(ROW_FIELDS.map((field) => [field, form.getAll(`indicator.${field}`).map(String)])) as Record<
    (typeof ROW_FIELDS)[number],
    string[]
  >;
  const indicators: IndicatorInput[] = columns.name.map((_, index) => ({
    id: columns.id[index] ?? "",
    level1: columns.level1[index] ?? "",
    level2: columns.level2[index] ?? "",
    name: columns.name[index] ?? "",
    target: columns.target[index] ?? "",
    weight: columns.weight[index] ?? "",
  }));
  return { ...goals, indicators };
}

export async function action(args: Route.ActionArgs) {
  const { db, user, declaration } = await loadDeclaration(args, "write");
  const form = await args.request.formData();
  const submitted = readForm(form);
  const result = validateDeclaration(submitted);
  if ("errors" in result) return data({ submitted, errors: result.errors, refusal: null as SaveRefusal | null }, { status: 400 });
  const outcome = await saveDeclarationAs(db, { userId: user.id, username: user.username }, declaration.project.id, String(form.get("stamp") ?? ""), result.values);
  if (outcome === "saved") return redirect(`/projects/${declaration.project.id}/targets?saved=1`);
  const noErrors: DeclarationErrors = {};
  return data({ submitted, errors: noErrors, refusal: outcome }, { status: outcome.kind === "conflict" ? 409 : 400 });
}

export default function EditTargetDeclaration({ loaderData, actionData }: Route.ComponentProps) {
  const { declaration } = loaderData;
  const { project } = declaration;
  const { t, m } = useT();
  const conflict = actionData?.refusal?.kind === "conflict";
  // After a conflict the form starts again from what is stored now; after other errors it keeps the input.
  const initial = actionData && !conflict ? actionData.submitted : declarationInputOf(declaration);
  return (
    <>
      <p className="no-print page-actions">
        <Link to={`/projects/${project.id}/targets`}>← {t("declarationTitle")}</Link>
      </p>
      <h1>
        {t("editDeclaration")} · {project.fiscalYear} {project.name}
      </h1>
      <p className="muted">{project.unitName}</p>
      {actionData?.refusal?.kind === "conflict" && (
        <div className="conflict" role="alert" data-testid="conflict">
          <strong>{t("conflictTitle")}</strong>
          <p>{t("conflictHelp")}</p>
        </div>
      )}
      {actionData?.refusal?.kind === "in-use" && (
        <p className="form-error" role="alert">
          {m(msg("tgtIndicatorsInUse", { names: actionData.refusal.names.map((name) => msg("asWritten", { text: name })) }))}
        </p>
      )}
      {actionData && Object.keys(actionData.errors).length > 0 && (
        <p className="form-error" role="alert" data-testid="declaration-errors">
          {t("fixMarkedFields")}
          {actionData.errors.indicators ? ` ${m(actionData.errors.indicators)}` : ""}
        </p>
      )}
      <DeclarationForm key={declaration.stamp} stamp={declaration.stamp} initial={initial} errors={actionData?.errors ?? {}} />
    </>
  );
}

function DeclarationForm({ stamp, initial, errors: problems }: { stamp: string; initial: DeclarationInput; errors: Record<string, Message> }) {
  const { t, m } = useT();
  const errors: Record<string, string> = Object.fromEntries(Object.entries(problems).map(([field, problem]) => [field, m(problem)]));
  // Rows keep a client-side key so that removing one does not shift the others' inputs.
  const [rows, setRows] = useState(() => initial.indicators.map((row, index) => ({ ...row, key: index })));
  const [nextKey, setNextKey] = useState(initial.indicators.length);
  const update = (key: number, field: keyof IndicatorInput, value: string) =>
    setRows((current) =>
      current.map((row) => {
        if (row.key !== key) return row;
        const changed = { ...row, [field]: value };
        // A new level 1 admits other level 2 indicators: preselect its first.
        if (field === "level1") changed.level2 = INDICATOR_LEVELS[value]?.[0] ?? "";
        return changed;
      }),
    );
  const goalInput = (field: (typeof GOAL_FIELDS)[number], props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label className={errors[field] ? "has-error" : undefined}>
      {t(field)}
      <input name={field} defaultValue={initial[field]} aria-invalid={Boolean(errors[field])} {...props} />
      {errors[field] && <span className="field-error">{errors[field]}</span>}
    </label>
  );
  const goalText = (field: "overallGoal" | "annualGoal") => (
    <label className={errors[field] ? "has-error" : undefined}>
      {t(field)}
      <textarea name={field} defaultValue={initial[field]} rows={5} aria-invalid={Boolean(errors[field])} />
      {errors[field] && <span className="field-error">{errors[field]}</span>}
    </label>
  );
  return (
    <Form method="post" className="declaration-form">
      <input type="hidden" name="stamp" value={stamp} />
      <fieldset className="form-grid">
        {goalInput("planStart", { type: "date" })}
        {goalInput("planEnd", { type: "date" })}
        {goalInput("goalFromYear", { inputMode: "numeric", size: 6 })}
        {goalInput("goalToYear", { inputMode: "numeric", size: 6 })}
      </fieldset>
      <fieldset className="form-grid two">
        {goalText("overallGoal")}
        {goalText("annualGoal")}
      </fieldset>
      <h2>{t("performanceIndicators")}</h2>
      <table className="data-table edit-table" data-testid="indicator-editor">
        <thead>
          <tr>
            <th>#</th>
            <th>{t("level1")}</th>
            <th>{t("level2")}</th>
            <th>{t("indicator")}</th>
            <th>{t("annualTarget")}</th>
            <th>{t("weight")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const error = (field: keyof IndicatorInput) => errors[`indicators.${index}.${field}`];
            const cell = (field: "name" | "target" | "weight", props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
              <td className={error(field) ? "has-error" : undefined}>
                <input
                  name={`indicator.${field}`}
                  value={row[field]}
                  onChange={(event) => update(row.key, field, event.target.value)}
                  aria-label={`${t(field === "name" ? "indicator" : field === "target" ? "annualTarget" : "weight")} ${index + 1}`}
                  aria-invalid={Boolean(error(field))}
                  {...props}
                />
                {error(field) && <span className="field-error">{error(field)}</span>}
              </td>
            );
            const level2Options = INDICATOR_LEVELS[row.level1] ?? [];
            return (
              <tr key={row.key} data-testid="indicator-row">
                <td className="num">
                  {index + 1}
                  <input type="hidden" name="indicator.id" value={row.id} />
                </td>
                <td className={error("level1") ? "has-error" : undefined}>
                  <select
                    name="indicator.level1"
                    value={row.level1}
                    onChange={(event) => update(row.key, "level1", event.target.value)}
                    aria-label={`${t("level1")} ${index + 1}`}
                  >
                    {!INDICATOR_LEVELS[row.level1] && <option value={row.level1}>{row.level1 ? m(levelMessage(row.level1)) : "—"}</option>}
                    {Object.keys(INDICATOR_LEVELS).map((level1) => (
                      <option key={level1} value={level1}>
                        {m(levelMessage(level1))}
                      </option>
                    ))}
                  </select>
                  {error("level1") && <span className="field-error">{error("level1")}</span>}
                </td>
                <td className={error("level2") ? "has-error" : undefined}>
                  <select
                    name="indicator.level2"
                    value={row.level2}
                    onChange={(event) => update(row.key, "level2", event.target.value)}
                    aria-label={`${t("level2")} ${index + 1}`}
                  >
                    {!level2Options.includes(row.level2) && <option value={row.level2}>{row.level2 ? m(levelMessage(row.level2)) : "—"}</option>}
                    {level2Options.map((level2) => (
                      <option key={level2} value={level2}>
                        {m(levelMessage(level2))}
                      </option>
                    ))}
                  </select>
                  {error("level2") && <span className="field-error">{error("level2")}</span>}
                </td>
                {cell("name", { size: 28 })}
                {cell("target", { size: 16 })}
                {cell("weight", { size: 5, inputMode: "decimal" })}
                <td>
                  <button type="button" onClick={() => setRows((current) => current.filter((other) => other.key !== row.key))}>
                    {t("removeIndicator")}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="page-actions">
        <button
          type="button"
          data-testid="add-indicator"
          onClick={() => {
            setRows((current) => [
              ...current,
              { key: nextKey, id: "", level1: "产出指标", level2: "数量指标", name: "", target: "", weight: "" },
            ]);
            setNextKey(nextKey + 1);
          }}
        >
          {t("addIndicator")}
        </button>
        <button type="submit" className="primary">
          {t("save")}
        </button>
      </p>
    </Form>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
