import { Form, Link, data, redirect, type ShouldRevalidateFunctionArgs } from "react-router";
import type { Route } from "./+types/payment-correct";
import { refusal } from "../guard.server";
import { bigRecordIdSchema, requireProjectRecord } from "../route-params.server";
import { correctPaymentAs, getCorrectablePayment, reversePaymentAs } from "../../db/corrections";
import type { MissedChanges } from "../../db/budget-lines";
import { defaultReversalDate, parsePaymentCorrection, parseReversal, reversalDates, paymentFormValues, unchanged, type FieldProblems, type PaymentField, type PaymentValues } from "../../domain/corrections";
import { formatAmount } from "../../domain/money";
import { recordId } from "../../domain/record-id";
import { msg, useT } from "../i18n";
import { changeText } from "../history-text";
import { pageTitle } from "../route-title";
import { ErrorMessage } from "../root";

export function meta({ data, matches }: Route.MetaArgs) {
  return [{ title: data ? pageTitle(matches, "corCorrectLink", `#${data.payment.id}`) : pageTitle(matches, "corCorrectLink") }];
}


/**
 * The payment named in the URL, of the project named there (404 otherwise, in the user's language), for
 * a user who may correct that project's payments: 404 outside the user's units, 403 without the role.
 */
async function loadPayment(args: Route.LoaderArgs | Route.ActionArgs, to: "show" | "write") {
  const { db, user, record: payment } = await requireProjectRecord(args, to, "edit-payment", {
    param: "paymentId",
    schema: bigRecordIdSchema,
    notFound: "corPaymentNotFound",
    load: getCorrectablePayment,
  });
  return { db, user, payment };
}

/** The project page's view (as-of date, amount unit, payment filters) that the user comes from and goes back to. */
const BACK_PARAMS = ["asOf", "amount", "pmonth", "pkind"] as const;

/** backQuery(new URLSearchParams("asOf=2024-08-31&x=1")) → "asOf=2024-08-31": the project page's own parameters only. */
function backQuery(search: URLSearchParams): string {
  const back = new URLSearchParams();
  for (const name of BACK_PARAMS) {
    const value = search.get(name);
    if (value) back.set(name, value.slice(0, 40));
  }
  return back.toString();
}

export async function loader(args: Route.LoaderArgs) {
  const { request } = args;
  const { payment } = await loadPayment(args, "show");
  return {
    payment,
    reversal: { ...reversalDates(payment.paidOn, payment.fiscalYear), suggested: defaultReversalDate(payment.paidOn, payment.fiscalYear) },
    back: backQuery(new URL(request.url).searchParams),
  };
}

/**
 * A save refused because the payment changed meanwhile (409) reloads it, so that the form shows what is
 * stored now and carries its version: the next save is checked against that, not the stale one.
 */
export function shouldRevalidate({ actionStatus, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs): boolean {
  return actionStatus === 409 || defaultShouldRevalidate;
}

/** The correction form's fields, in the order of the payments grid. */
const FIELDS: Array<keyof PaymentValues> = ["paidOn", "kind", "budgetLineId", "personTimes", "amount", "dueOn", "returnedCount", "returnedAmount", "reissuedOn", "note"];

type ActionResult = {
  intent: "correct" | "reverse";
  errors: FieldProblems;
  submitted: Record<string, string>;
  conflict: MissedChanges | null;
  refused: "is-reversal" | "reversed" | null;
  /** The amount needs the over-budget confirmation (decision 012). */
  overBudget?: boolean;
};

export async function action(args: Route.ActionArgs) {
  const { db, user, payment } = await loadPayment(args, "write");
  const form = await args.request.formData();
  const intent = form.get("intent") === "reverse" ? "reverse" : "correct";
  const submitted = Object.fromEntries([...FIELDS, "reason", "reversedOn"].map((field) => [field, String(form.get(field) ?? "")]));
  // A version that is no whole number (a forged or damaged form) cannot match: answered as a conflict, never sent to PostgreSQL.
  const expectedVersion = recordId(String(form.get("version") ?? "")) ?? 0;
  const back = backQuery(new URLSearchParams(String(form.get("back") ?? "")));
  const answer = (result: Partial<ActionResult>, status: number) =>
    data<ActionResult>({ intent, errors: {}, submitted, conflict: null, refused: null, ...result }, { status });

  const actor = { userId: user.id, username: user.username };
  let outcome;
  if (intent === "correct") {
    const parsed = parsePaymentCorrection(submitted, payment.lines.map((line) => line.id));
    if ("errors" in parsed) return answer({ errors: parsed.errors }, 400);
    if (unchanged(payment, parsed.values)) return answer({ errors: { form: msg("corErr_unchanged") } }, 400);
    const acceptOverBudget = form.get("acceptOverBudget") === "on";
    outcome = await correctPaymentAs(db, actor, payment.id, expectedVersion, parsed.values, parsed.reason, { acceptOverBudget });
    if (typeof outcome === "object" && "overBudget" in outcome) {
      return answer({ errors: { amount: msg("corErr_overBudget", { detail: formatAmount(outcome.overBudget) }) }, overBudget: true }, 409);
    }
  } else {
    const parsed = parseReversal(submitted, payment.paidOn, payment.fiscalYear);
    if ("errors" in parsed) return answer({ errors: parsed.errors }, 400);
    outcome = await reversePaymentAs(db, actor, payment.id, expectedVersion, parsed.reversedOn, parsed.reason);
  }
  if (outcome === "missing") throw refusal(args.request, "corPaymentNotFound", 404);
  if (outcome === "is-reversal" || outcome === "reversed") return answer({ refused: outcome }, 409);
  if ("missed" in outcome) return answer({ conflict: outcome.missed }, 409);
  // Back to the project page as the user left it, with what was done said at the top.
  const done = "reversalId" in outcome ? `reversed=${payment.id}&reversal=${outcome.reversalId}` : `corrected=${payment.id}`;
  return redirect(`/projects/${payment.projectId}?${back ? `${back}&` : ""}${done}`);
}

export default function PaymentCorrect({ loaderData, actionData }: Route.ComponentProps) {
  const { t, m } = useT();
  const { payment, reversal, back } = loaderData;
  const projectPage = `/projects/${payment.projectId}${back ? `?${back}` : ""}`;
  const result = actionData as ActionResult | undefined;
  const errors = result?.errors ?? {};
  const stored: Record<string, string> = {
    ...paymentFormValues(payment),
    reason: "",
    reversedOn: reversal.suggested,
  };
  // After a refused save the form keeps what was typed; after a conflict it shows what is stored now
  // (reloaded, with its version), the typed values listed under the fields, and keeps the reason typed.
  const keepTyped = (intent: "correct" | "reverse") => result?.intent === intent && !result.conflict;
  const typedReason = (intent: "correct" | "reverse") => (result?.intent === intent ? (result.submitted.reason ?? "") : "");
  const value = (field: string, intent: "correct" | "reverse" = "correct") => (keepTyped(intent) ? (result!.submitted[field] ?? "") : stored[field]!);
  const problem = (field: PaymentField, intent: "correct" | "reverse" = "correct") =>
    result?.intent === intent && errors[field] ? (
      <span className="field-error" role="alert" data-field={field}>
        {m(errors[field]!)}
      </span>
    ) : null;
  const labelOf: Record<keyof PaymentValues, string> = {
    paidOn: t("paidOn"),
    kind: t("kind"),
    budgetLineId: t("item"),
    personTimes: t("personTimes"),
    amount: `${t("amount")}(${t("yuan")})`,
    dueOn: t("dueOn"),
    returnedCount: t("corReturnedCount"),
    returnedAmount: `${t("corReturnedAmount")}(${t("yuan")})`,
    reissuedOn: t("reissuedOn"),
    note: t("note"),
  };
  const input = (field: keyof PaymentValues, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label key={field} className={result?.intent === "correct" && errors[field] ? "has-error" : undefined}>
      {labelOf[field]}
      <input name={field} defaultValue={value(field)} aria-invalid={Boolean(result?.intent === "correct" && errors[field])} {...props} />
      {problem(field)}
      {result?.conflict && result.submitted[field] !== stored[field] && (
        <span className="field-mine">
          {`${t("yourInput")}${t("colon")}${result.submitted[field] || "—"}`}
        </span>
      )}
    </label>
  );
  const locked = payment.reversesPaymentId !== null || payment.reversedById !== null || result?.refused;
  return (
    <>
      <p>
        <Link to={projectPage} data-testid="project-link">
          ← {payment.fiscalYear} {payment.projectName}
        </Link>
      </p>
      <h1>
        {t("corCorrectTitle")} #{payment.id}
      </h1>
      <p className="muted" data-testid="payment-summary">
        {payment.unitName} · {payment.paidOn} · {payment.kind === "transfer" ? t("transfer") : t("batch")} · {formatAmount(payment.amount)} {t("yuan")} ·{" "}
        {payment.importBatchId === null ? t("corEnteredByHand") : m(msg("corImportedIn", { id: payment.importBatchId }))}
        {payment.correctionReason && payment.reversesPaymentId === null && ` · ${t("corLastReason")}${t("colon")}${payment.correctionReason}`}
      </p>
      {payment.reversesPaymentId !== null && <p className="notice" role="alert">{m(msg("corIsReversal", { id: payment.reversesPaymentId }))}</p>}
      {payment.reversedById !== null && <p className="notice" role="alert">{m(msg("corIsReversed", { id: payment.reversedById }))}</p>}
      {result?.conflict && (
        <div className="conflict" role="alert" data-testid="conflict">
          <strong>{t("corConflictTitle")}</strong>
          <ul>
            {result.conflict.map((entry, index) => (
              <li key={index}>
                {`${entry.at} ${entry.username}${t("colon")}${entry.changes.map((change) => changeText(t, change)).join(t("problemSeparator"))}`}
              </li>
            ))}
          </ul>
          <p>{t("corConflictHelp")}</p>
        </div>
      )}
      {!locked && (
        <>
          <h2>{t("corActionCorrect")}</h2>
          <p className="muted">{t("corCorrectHelp")}</p>
          {result?.intent === "correct" && errors.form && (
            <p className="form-error" role="alert" data-field="form">
              {m(errors.form)}
            </p>
          )}
          <Form method="post" className="stacked-form wide" key={`correct-${payment.version}`} data-testid="correct-form">
            <input type="hidden" name="intent" value="correct" />
            <input type="hidden" name="version" value={payment.version} />
            <input type="hidden" name="back" value={back} />
            {input("paidOn", { type: "date", required: true })}
            <label className={result?.intent === "correct" && errors.kind ? "has-error" : undefined}>
              {labelOf.kind}
              <select name="kind" defaultValue={value("kind")}>
                <option value="batch">{t("batch")}</option>
                <option value="transfer">{t("transfer")}</option>
              </select>
              {problem("kind")}
            </label>
            <label className={result?.intent === "correct" && errors.budgetLineId ? "has-error" : undefined}>
              {labelOf.budgetLineId}
              <select name="budgetLineId" defaultValue={value("budgetLineId")}>
                <option value="">{t("corNoLine")}</option>
                {payment.lines.map((line) => (
                  <option key={line.id} value={line.id}>
                    {line.lineNo}. {line.item}
                  </option>
                ))}
              </select>
              {problem("budgetLineId")}
            </label>
            {input("personTimes", { inputMode: "numeric" })}
            {input("amount", { inputMode: "decimal", required: true })}
            {input("dueOn", { type: "date" })}
            {input("returnedCount", { inputMode: "numeric" })}
            {input("returnedAmount", { inputMode: "decimal" })}
            {input("reissuedOn", { type: "date" })}
            {input("note")}
            <label className={result?.intent === "correct" && errors.reason ? "has-error" : undefined}>
              {t("corReason")}
              <input name="reason" defaultValue={typedReason("correct")} required aria-invalid={Boolean(result?.intent === "correct" && errors.reason)} />
              {problem("reason")}
            </label>
            {result?.intent === "correct" && result.overBudget && (
              <label className="check-line" data-testid="over-budget-acknowledge">
                <input type="checkbox" name="acceptOverBudget" required /> {t("corAcknowledgeOverBudget")}
              </label>
            )}
            <div className="form-actions">
              <button type="submit">{t("corSaveCorrection")}</button>
              <Link to={projectPage}>{t("cancel")}</Link>
            </div>
          </Form>

          <h2>{t("corActionReverse")}</h2>
          <p className="muted">{t("corReverseHelp")}</p>
          <Form method="post" className="stacked-form" key={`reverse-${payment.version}`} data-testid="reverse-form">
            <input type="hidden" name="intent" value="reverse" />
            <input type="hidden" name="version" value={payment.version} />
            <input type="hidden" name="back" value={back} />
            <label className={result?.intent === "reverse" && errors.paidOn ? "has-error" : undefined}>
              {t("corReversedOn")}
              <input type="date" name="reversedOn" min={reversal.from} max={reversal.to} defaultValue={value("reversedOn", "reverse")} required />
              {problem("paidOn", "reverse")}
            </label>
            <label className={result?.intent === "reverse" && errors.reason ? "has-error" : undefined}>
              {t("corReverseReason")}
              <input name="reason" defaultValue={typedReason("reverse")} required />
              {problem("reason", "reverse")}
            </label>
            <div className="form-actions">
              <button type="submit">{t("corSaveReversal")}</button>
            </div>
          </Form>
        </>
      )}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
