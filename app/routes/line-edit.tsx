import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/line-edit";
import { database } from "../db.server";
import { getBudgetLine, updateBudgetLine } from "../../db/budget-lines";
import { changesSince, withActor } from "../../db/audit";
import { FUND_LEVELS, FUND_TYPES, formatMonths, parseBudgetLineForm, type BudgetLineField } from "../../domain/budget-line-form";
import { fieldChanges, type FieldChange } from "../../domain/history";
import { guard } from "../guard.server";
import { useT } from "../i18n";

export function meta({ data }: Route.MetaArgs) {
  return [{ title: data ? `编辑预算明细 · ${data.line.item}` : "编辑预算明细" }];
}

/** Loads the line named in the URL; the guard checks the unit of that line's project, not the URL's project. */
async function loadLine(params: Route.LoaderArgs["params"]) {
  const lineId = Number(params.lineId);
  const line = Number.isInteger(lineId) && lineId > 0 ? await getBudgetLine(await database(), lineId) : undefined;
  if (!line || String(line.projectId) !== params.projectId) throw data("未找到该预算明细 Budget line not found", { status: 404 });
  return line;
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const line = await loadLine(params);
  guard(context, request, "read", line.unitId);
  guard(context, request, "edit-budget", line.unitId);
  return { line };
}

/** The form's fields, in the order of 表1-3-1. */
const FIELDS: BudgetLineField[] = [
  "composition",
  "item",
  "fundLevel",
  "fundType",
  "unitPrice",
  "quantity",
  "initialAmount",
  "basis",
  "scheduledMonths",
  "functionalCode",
  "functionalName",
  "economicCode",
  "economicName",
];

export async function action({ request, params, context }: Route.ActionArgs) {
  const line = await loadLine(params);
  const user = guard(context, request, "edit-budget", line.unitId);
  const form = await request.formData();
  const submitted = Object.fromEntries(FIELDS.map((field) => [field, String(form.get(field) ?? "")]));
  const expectedVersion = Number(form.get("version"));
  const parsed = parseBudgetLineForm(submitted);
  if ("errors" in parsed) return data({ errors: parsed.errors, submitted, conflict: null }, { status: 400 });

  const db = await database();
  const result = await withActor(db, { userId: user.id, username: user.username }, (trx) =>
    updateBudgetLine(trx, line.id, expectedVersion, parsed.values),
  );
  if (result === "conflict") {
    const missed = await changesSince(db, "budget_line", line.id, expectedVersion);
    const conflict = missed.map((entry) => ({ at: entry.at, username: entry.username, changes: fieldChanges(entry.before, entry.after) }));
    return data({ errors: {}, submitted, conflict, currentVersion: line.version }, { status: 409 });
  }
  return redirect(`/projects/${line.projectId}?saved=line-${line.id}`);
}

export default function LineEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const { line } = loaderData;
  const errors: Partial<Record<BudgetLineField, string>> = actionData?.errors ?? {};
  const conflict = actionData?.conflict ?? null;
  const stored: Record<BudgetLineField, string> = {
    composition: line.composition,
    item: line.item,
    fundLevel: line.fundLevel,
    fundType: line.fundType,
    unitPrice: line.unitPrice ?? "",
    quantity: line.quantity ?? "",
    initialAmount: line.initialAmount,
    basis: line.basis ?? "",
    scheduledMonths: formatMonths(line.scheduledMonths),
    functionalCode: line.functionalCode ?? "",
    functionalName: line.functionalName ?? "",
    economicCode: line.economicCode ?? "",
    economicName: line.economicName ?? "",
  };
  // After a conflict the form shows what is stored now, and the user's own input beside it.
  const value = (field: BudgetLineField) => (actionData && !conflict ? (actionData.submitted[field] ?? "") : stored[field]);
  const version = line.version;
  const input = (field: BudgetLineField, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label key={field} className={errors[field] ? "has-error" : undefined}>
      {t(field)}
      <input name={field} defaultValue={value(field)} aria-invalid={Boolean(errors[field])} {...props} />
      {errors[field] && <span className="field-error">{errors[field]}</span>}
      {conflict && actionData?.submitted[field] !== stored[field] && (
        <span className="field-mine">
          {t("yourInput")}：{actionData?.submitted[field] || "—"}
        </span>
      )}
    </label>
  );
  return (
    <>
      <p>
        <Link to={`/projects/${line.projectId}`}>← {line.fiscalYear} {line.projectName}</Link>
      </p>
      <h1>
        {t("editLine")} #{line.lineNo} {line.item}
      </h1>
      <p className="muted">{line.unitName}</p>
      {conflict && (
        <div className="conflict" role="alert" data-testid="conflict">
          <strong>{t("conflictTitle")}</strong>
          <ul>
            {conflict.map((entry, index) => (
              <li key={index}>
                {entry.at} {entry.username}：
                {entry.changes.map((change: FieldChange) => `${change.label} ${change.before || "—"} → ${change.after || "—"}`).join("；")}
              </li>
            ))}
          </ul>
          <p>{t("conflictHelp")}</p>
        </div>
      )}
      <Form method="post" className="stacked-form wide" key={version}>
        <input type="hidden" name="version" value={version} />
        {input("composition")}
        {input("item", { required: true })}
        <label className={errors.fundLevel ? "has-error" : undefined}>
          {t("fundLevel")}
          <select name="fundLevel" defaultValue={value("fundLevel")}>
            {FUND_LEVELS.map((level) => (
              <option key={level}>{level}</option>
            ))}
          </select>
          {errors.fundLevel && <span className="field-error">{errors.fundLevel}</span>}
        </label>
        <label className={errors.fundType ? "has-error" : undefined}>
          {t("fundType")}
          <select name="fundType" defaultValue={value("fundType")}>
            {FUND_TYPES.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
          {errors.fundType && <span className="field-error">{errors.fundType}</span>}
        </label>
        {input("unitPrice", { inputMode: "decimal" })}
        {input("quantity", { inputMode: "decimal" })}
        {input("initialAmount", { inputMode: "decimal", required: true })}
        {input("basis")}
        {input("scheduledMonths", { placeholder: "1-12" })}
        {input("functionalCode", { placeholder: "2101301" })}
        {input("functionalName", { placeholder: "城乡医疗救助" })}
        {input("economicCode", { placeholder: "30307" })}
        {input("economicName", { placeholder: "医疗费补助" })}
        <div className="form-actions">
          <button type="submit">{t("save")}</button>
          <Link to={`/projects/${line.projectId}`}>{t("cancel")}</Link>
        </div>
      </Form>
    </>
  );
}
