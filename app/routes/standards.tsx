import { Form, Link, data, useNavigation } from "react-router";
import type { Route } from "./+types/standards";
import { database } from "../db.server";
import { listStandards, ownerOfStandard, saveStandardVersion } from "../../db/standards";
import { CARE_TYPES, formatStandardValue, parseStandardForm, STANDARD_FORMS, standardLabel, type StandardErrors, type StandardField } from "../../domain/standard-form";
import { roleAllows } from "../../domain/permissions";
import { todayInChina } from "../../domain/dates";
import { guard, currentUser } from "../guard.server";
import { msg, useT, type Message, type MessageKey } from "../i18n";
import { pageTitle } from "../route-title";

export function meta({ matches }: Route.MetaArgs) {
  return [{ title: pageTitle(matches, "standards") }];
}

/**
 * Administrators and planners maintain the catalogue, each only the standards of their own unit and the
 * units below it: a standard's owning unit (the city's, a district's) must lie in the user's subtree.
 * A new code is owned by the user's own unit.
 */
function guardMaintain(context: Route.ActionArgs["context"], request: Request, ownerUnitId: number | null) {
  const user = currentUser(context);
  return guard(context, request, roleAllows(user.roles, "administer") ? "administer" : "edit-budget", ownerUnitId);
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const versions = await listStandards(await database());
  const mayMaintain = roleAllows(user.roles, "administer") || roleAllows(user.roles, "edit-budget");
  const subtree = new Set(user.unitSubtree);
  const code = new URL(request.url).searchParams.get("code");
  const base = code ? [...versions].reverse().find((v) => v.code === code && subtree.has(v.ownerUnitId)) : undefined;
  return {
    versions,
    today: todayInChina(),
    canMaintain: mayMaintain,
    /** The codes this user may add versions of (owned by the user's unit or a unit below it). */
    maintainable: mayMaintain ? [...new Set(versions.filter((v) => subtree.has(v.ownerUnitId)).map((v) => v.code))] : [],
    prefill: base
      ? {
          code: base.code,
          name: base.name,
          category: base.category,
          value: base.value.replace(/\.?0+$/, ""),
          unit: base.unit,
          form: base.form,
          beneficiaryGroup: base.beneficiaryGroup ?? "",
          careType: base.careType ?? "",
          effectiveFrom: "",
          effectiveTo: "",
          document: "",
          note: "",
        }
      : null,
  };
}

/** The form's fields in display order. */
const FIELDS: StandardField[] = ["code", "name", "category", "value", "unit", "form", "beneficiaryGroup", "careType", "effectiveFrom", "effectiveTo", "document", "note"];

export async function action({ request, context }: Route.ActionArgs) {
  guardMaintain(context, request, null);
  const form = await request.formData();
  const submitted = Object.fromEntries(FIELDS.map((field) => [field, String(form.get(field) ?? "")]));
  const db = await database();
  // The standard's owning unit decides who may add a version; a new code belongs to the user's unit.
  const code = submitted.code!.trim().toUpperCase();
  const owner = code === "" ? undefined : await ownerOfStandard(db, code);
  const user = guardMaintain(context, request, owner ?? currentUser(context).unitId);
  const parsed = parseStandardForm(submitted);
  if ("errors" in parsed) return data({ errors: parsed.errors, submitted, saved: null as Message | null }, { status: 400 });
  const outcome = await saveStandardVersion(db, { userId: user.id, username: user.username }, parsed.values, { ownerUnitId: user.unitId, today: todayInChina() });
  if ("problem" in outcome) {
    const errors: StandardErrors = { [outcome.field]: outcome.problem };
    return data({ errors, submitted, saved: null as Message | null }, { status: 400 });
  }
  const saved = msg("stdSavedVersion", { code: outcome.saved.code, revision: outcome.saved.revision });
  return { errors: {} as StandardErrors, submitted: null, saved };
}

const LABELS: Record<StandardField, MessageKey> = {
  code: "standardCode",
  name: "standardName",
  category: "standardCategory",
  value: "standardValue",
  unit: "standardUnit",
  form: "standardForm",
  beneficiaryGroup: "beneficiaryGroup",
  careType: "careType",
  effectiveFrom: "effectiveFrom",
  effectiveTo: "effectiveTo",
  document: "policyDocument",
  note: "standardNote",
};

export default function Standards({ loaderData, actionData }: Route.ComponentProps) {
  const { t, m } = useT();
  const navigation = useNavigation();
  const { versions, today } = loaderData;
  const errors: StandardErrors = actionData?.errors ?? {};
  const values: Record<string, string> = actionData?.submitted ?? loaderData.prefill ?? {};
  const inForce = (v: (typeof versions)[number]) => v.effectiveFrom <= today && (v.effectiveTo === null || v.effectiveTo >= today);
  return (
    <>
      <h1>{t("standards")}</h1>
      <p className="muted small">{t("standardHistoryHint")}</p>
      <p className="muted small">{t("standardOwnerHint")}</p>
      <div className="table-scroll">
        <table className="data-table standards-table" data-testid="standards-table">
          <thead>
            <tr>
              <th>{t("standardCategory")}</th>
              <th>{t("standardCode")}</th>
              <th>{t("standardOwner")}</th>
              <th>{t("standardName")}</th>
              <th>{t("revision")}</th>
              <th className="num">{t("standardValue")}</th>
              <th>{t("standardForm")}</th>
              <th>{t("beneficiaryGroup")}</th>
              <th>{t("careType")}</th>
              <th>{t("effectiveFrom")}</th>
              <th>{t("effectiveTo")}</th>
              <th>{t("policyDocument")}</th>
              <th className="num">{t("linkedLines")}</th>
              <th>{t("standardNote")}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v, index) => {
              const first = index === 0 || versions[index - 1]!.code !== v.code;
              return (
                <tr key={v.id} id={first ? v.code : undefined} data-code={v.code} className={inForce(v) ? undefined : "future"}>
                  <td>{first ? v.category : ""}</td>
                  <td>
                    {first ? <strong>{v.code}</strong> : ""}
                    {first && loaderData.maintainable.includes(v.code) && (
                      <>
                        {" "}
                        <Link to={`?code=${encodeURIComponent(v.code)}#new`} className="small no-print">
                          {t("newVersionOf")}
                        </Link>
                      </>
                    )}
                  </td>
                  <td>{first ? v.ownerUnitName : ""}</td>
                  <td className="std-name">{v.name}</td>
                  <td>
                    {v.revision}
                    {inForce(v) && <span className="badge-ok">{t("inForce")}</span>}
                  </td>
                  <td className="num">{formatStandardValue(v.value, v.unit)}</td>
                  <td>{m(standardLabel(v.form))}</td>
                  <td>{v.beneficiaryGroup ?? "—"}</td>
                  <td>{v.careType ? m(standardLabel(v.careType)) : "—"}</td>
                  <td className="nowrap">{v.effectiveFrom}</td>
                  <td className="nowrap">{v.effectiveTo ?? "—"}</td>
                  <td>{v.document}</td>
                  <td className="num">{v.lineCount}</td>
                  <td className="small std-note">{v.note}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h2 id="new">{t("addStandard")}</h2>
      {!loaderData.canMaintain ? (
        <p className="muted">{t("standardsReadOnly")}</p>
      ) : (
        <Form method="post" className="filters" key={values.code ?? "new"} data-testid="standard-form">
          {FIELDS.map((field) => (
            <label key={field}>
              {t(LABELS[field])}
              {field === "form" ? (
                <select name="form" defaultValue={values.form ?? "定额"} aria-invalid={errors.form ? true : undefined}>
                  {STANDARD_FORMS.map((form) => (
                    <option key={form} value={form}>
                      {m(standardLabel(form))}
                    </option>
                  ))}
                </select>
              ) : field === "careType" ? (
                <select name="careType" defaultValue={values.careType ?? ""}>
                  <option value="">—</option>
                  {CARE_TYPES.map((care) => (
                    <option key={care} value={care}>
                      {m(standardLabel(care))}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  name={field}
                  defaultValue={values[field] ?? ""}
                  type={field === "effectiveFrom" || field === "effectiveTo" ? "date" : "text"}
                  aria-invalid={errors[field] ? true : undefined}
                />
              )}
              {errors[field] && (
                <span className="field-error" role="alert" data-field={field}>
                  {m(errors[field]!)}
                </span>
              )}
            </label>
          ))}
          <button type="submit" disabled={navigation.state !== "idle"}>
            {t("save")}
          </button>
          {actionData?.saved && (
            <span className="form-ok" role="status">
              {`${t("standardSaved")}${t("colon")}${m(actionData.saved)}`}
            </span>
          )}
        </Form>
      )}
    </>
  );
}
