import { Form, useNavigation } from "react-router";
import { useT, type Message } from "../i18n";
import { MAX_TEXT } from "../../domain/text";
import { MAX_ISSUE, type AddField } from "../../features/rectification/rules";

/*
 * 登记整改事项: the form with which a manager records an item found outside the forms (an audit, financial
 * supervision, the finance office's evaluation) on a project of their units. Open when it was refused, with
 * each error at its field and what was typed in the fields (the browser keeps it when the form is not reset; a
 * native post, without JavaScript, reloads the page with it from the answer).
 */

export interface AddProject {
  id: number;
  name: string;
  fiscalYear: number;
  unitName: string;
}

export function RectificationAdd({
  projects,
  errors,
  today,
  typed,
}: {
  projects: readonly AddProject[];
  errors?: Partial<Record<AddField, Message>>;
  today: string;
  typed?: Partial<Record<AddField, string>>;
}) {
  const { t, m } = useT();
  const busy = useNavigation().state !== "idle";
  const failed = errors !== undefined && Object.keys(errors).length > 0;
  const error = (name: AddField) =>
    errors?.[name] && (
      <span className="field-error" role="alert" data-field={name} id={`add-${name}-error`}>
        {m(errors[name]!)}
      </span>
    );
  const invalid = (name: AddField) => (errors?.[name] ? { "aria-invalid": true as const, "aria-describedby": `add-${name}-error` } : {});
  const label = (name: AddField) => (errors?.[name] ? "has-error" : undefined);
  return (
    <details className="no-print" open={failed} data-testid="rc-add" style={{ margin: "4px 0 14px" }}>
      <summary>{t("rcAddTitle")}</summary>
      <p className="muted small">{t("rcAddHint")}</p>
      <Form method="post" className="stacked-form wide" data-testid="rc-add-form" noValidate>
        <label className={label("projectId")}>
          {t("rcAddProject")}
          <select name="projectId" defaultValue={typed?.projectId ?? ""} {...invalid("projectId")}>
            <option value="">{t("rcAddChooseProject")}</option>
            {projects.map((project) => (
              <option key={project.id} value={project.id}>
                {project.fiscalYear} {project.name} · {project.unitName}
              </option>
            ))}
          </select>
        </label>
        {error("projectId")}
        <label className={label("indicator")}>
          {t("rcAddIndicator")}
          <input name="indicator" defaultValue={typed?.indicator} maxLength={MAX_ISSUE} placeholder={t("rcAddIndicatorPlaceholder")} {...invalid("indicator")} />
        </label>
        {error("indicator")}
        <label className={label("measure")}>
          {t("rcAddMeasure")}
          <textarea name="measure" rows={3} defaultValue={typed?.measure} maxLength={MAX_TEXT} {...invalid("measure")} />
        </label>
        {error("measure")}
        <label className={label("origin")}>
          {t("rcAddOrigin")}
          <input name="origin" defaultValue={typed?.origin} maxLength={MAX_TEXT} placeholder={t("rcAddOriginPlaceholder")} {...invalid("origin")} />
        </label>
        {error("origin")}
        <label className={label("dueOn")}>
          {t("rcAddDue")}
          <input type="date" name="dueOn" min={today} defaultValue={typed?.dueOn} {...invalid("dueOn")} />
        </label>
        {error("dueOn")}
        <p>
          <button type="submit" name="intent" value="add" disabled={busy}>
            {t("rcAddSubmit")}
          </button>
        </p>
      </Form>
    </details>
  );
}
