import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/line-edit";
import { getBudgetLine, saveBudgetLine } from "../../db/budget-lines";
import { FUND_LEVELS, FUND_TYPES, formatMonths, fundMessage, parseBudgetLineForm, type BudgetLineErrors, type BudgetLineField } from "../../domain/budget-line-form";
import { recordIdSchema, requireProjectRecord } from "../route-params.server";
import { recordId } from "../../domain/record-id";
import { useT } from "../i18n";
import { storedChangeText } from "../history-text";
import { pageTitle } from "../route-title";

export function meta({ data, matches }: Route.MetaArgs) {
  return [{ title: data ? pageTitle(matches, "editLine", data.line.item) : pageTitle(matches, "editLine") }];
}

/**
 * The line named in the URL, of the project named there (404 otherwise, in the user's language), for a
 * user who may edit that project's budget: 404 outside the user's units, 403 without the role.
 */
async function loadLine(args: Route.LoaderArgs | Route.ActionArgs, to: "show" | "write") {
  const { db, user, record: line } = await requireProjectRecord(args, to, "edit-budget", {
    param: "lineId",
    schema: recordIdSchema,
    notFound: "lineNotFound",
    load: getBudgetLine,
  });
  return { db, user, line };
}

export async function loader(args: Route.LoaderArgs) {
  const { line } = await loadLine(args, "show");
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

export async function action(args: Route.ActionArgs) {
  const { db, user, line } = await loadLine(args, "write");
  const form = await args.request.formData();
  const submitted = Object.fromEntries(FIELDS.map((field) => [field, String(form.get(field) ?? "")]));
  // A version that is no whole number (a forged or damaged form) cannot match: answered as a conflict, never sent to PostgreSQL.
  const expectedVersion = recordId(String(form.get("version") ?? "")) ?? 0;
  const parsed = parseBudgetLineForm(submitted);
  if ("errors" in parsed) return data({ errors: parsed.errors, submitted, conflict: null }, { status: 400 });
  const outcome = await saveBudgetLine(db, { userId: user.id, username: user.username }, line.id, expectedVersion, parsed.values);
  if (outcome.kind === "conflict") {
    const errors: BudgetLineErrors = {};
    return data({ errors, submitted, conflict: outcome.missed, currentVersion: line.version }, { status: 409 });
  }
  return redirect(`/projects/${line.projectId}?saved=line-${line.id}`);
}

export default function LineEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { t, m } = useT();
  const { line } = loaderData;
  const problems: BudgetLineErrors = actionData?.errors ?? {};
  const errors: Partial<Record<BudgetLineField, string>> = Object.fromEntries(Object.entries(problems).map(([field, problem]) => [field, m(problem)]));
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
          {`${t("yourInput")}${t("colon")}${actionData?.submitted[field] || "—"}`}
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
                {`${entry.at} ${entry.username}${t("colon")}${entry.changes.map((change) => storedChangeText(t, change)).join(t("problemSeparator"))}`}
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
              <option key={level} value={level}>
                {m(fundMessage(level))}
              </option>
            ))}
          </select>
          {errors.fundLevel && <span className="field-error">{errors.fundLevel}</span>}
        </label>
        <label className={errors.fundType ? "has-error" : undefined}>
          {t("fundType")}
          <select name="fundType" defaultValue={value("fundType")}>
            {FUND_TYPES.map((type) => (
              <option key={type} value={type}>
                {m(fundMessage(type))}
              </option>
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
        {input("functionalName", { placeholder: t("lineFunctionalExample") })}
        {input("economicCode", { placeholder: "30307" })}
        {input("economicName", { placeholder: t("lineEconomicExample") })}
        <div className="form-actions">
          <button type="submit">{t("save")}</button>
          <Link to={`/projects/${line.projectId}`}>{t("cancel")}</Link>
        </div>
      </Form>
    </>
  );
}
