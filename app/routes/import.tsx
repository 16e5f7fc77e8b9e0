import { Form, Link, data, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/import";
import { database } from "../db.server";
import { importFile, type ImportReport } from "../../features/import/service";
import { IMPORT_KINDS, type ImportKind } from "../../features/import/rules/columns";
import { IMPORT_PERMISSION, importableKinds } from "../../features/import/rules/scope";
import { overBudgetKey } from "../../features/import/rules/over-budget";
import { problemText } from "../../features/import/rules/render";
import { MAX_IMPORT_BYTES } from "../../files/read-table";
import { messages as fileMessages } from "../../files/table-file-error";
import { guard, currentUser } from "../guard.server";
import { readFormWithin, readUpload, storeUpload, UploadTooLargeError } from "../uploads.server";
import { useT, msg, type Message, type MessageKey } from "../i18n";
import { formatAmount } from "../../domain/money";
import { ClientGrid } from "../components/client-only";
import { ImportRowsGrid } from "../components/import-rows-grid";
import { pageTitle } from "../route-title";

export function meta({ matches }: Route.MetaArgs) {
  return [{ title: pageTitle(matches, "importData") }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = currentUser(context);
  const kinds = importableKinds(user.roles);
  if (kinds.length === 0) guard(context, request, "edit-payment", null); // 403 for roles that may import nothing
  return { kinds, maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024 };
}

/** error: what went wrong (a message); errorFile: the file it concerns, shown before it. */
type ActionResult = { report: ImportReport | null; error: Message | null; errorFile?: string; fileName: string; kind: ImportKind | null; hash: string | null; committed: boolean };

/** The form's fields: a check uploads the file; a commit names the checked file by its hash. */
const importForm = z.object({
  kind: z.enum(IMPORT_KINDS),
  intent: z.enum(["check", "commit"]).catch("check"),
  hash: z.string().catch(""),
  fileName: z.string().catch(""),
  acceptOverBudget: z.literal("on").optional().catch(undefined),
  overBudgetSeen: z.string().catch(""),
});

export async function action({ request, context }: Route.ActionArgs): Promise<ReturnType<typeof data<ActionResult>>> {
  const fail = (error: Message, status = 400, errorFile?: string) =>
    data<ActionResult>({ report: null, error, errorFile, fileName: "", kind: null, hash: null, committed: false }, { status });
  // Refuse before reading the body: roles that may import nothing, and bodies over the file limit.
  const user = currentUser(context);
  if (importableKinds(user.roles).length === 0) guard(context, request, "edit-payment", null);
  const length = Number(request.headers.get("Content-Length") ?? "0");
  if (length > MAX_IMPORT_BYTES + 1024 * 1024) return fail(fileMessages.tooLarge(length, MAX_IMPORT_BYTES), 413);
  // A chunked upload has no Content-Length: the limit is enforced while the body streams in.
  let form: FormData;
  try {
    form = await readFormWithin(request, MAX_IMPORT_BYTES);
  } catch (error) {
    if (!(error instanceof UploadTooLargeError)) throw error;
    return data<ActionResult>({ report: null, error: error.detail, fileName: "", kind: null, hash: null, committed: false }, { status: 413, headers: { Connection: "close" } });
  }
  const parsed = importForm.safeParse(Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === "string")));
  if (!parsed.success) return fail(msg("impChooseKind"));
  const { kind, intent } = parsed.data;
  guard(context, request, IMPORT_PERMISSION[kind], null);

  let bytes: Uint8Array | undefined;
  let { fileName, hash } = parsed.data;
  if (intent === "commit") {
    bytes = await readUpload(hash);
    if (!bytes) return fail(msg("impCheckedFileGone"));
  } else {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return fail(file instanceof File && file.name ? msg("impFileEmptyNamed", { name: file.name }) : msg("impChooseFile"));
    if (file.size > MAX_IMPORT_BYTES) return fail(fileMessages.tooLarge(file.size, MAX_IMPORT_BYTES), 413);
    fileName = file.name;
    bytes = new Uint8Array(await file.arrayBuffer());
    hash = await storeUpload(bytes);
  }

  const importer = { userId: user.id, username: user.username, unitSubtree: user.unitSubtree, defaultParentUnitId: user.unitId };
  const outcome = await importFile(await database(), importer, {
    kind,
    file: { bytes, fileName },
    fileName,
    fileHash: hash,
    commit: intent === "commit",
    // Payments larger than their project's whole budget go in only when the user ticked that they checked them…
    acceptOverBudget: intent === "commit" && parsed.data.acceptOverBudget === "on",
    // …and only those the page showed: a list that changed since is shown again, to be confirmed again.
    overBudgetSeen: intent === "commit" ? parsed.data.overBudgetSeen : undefined,
  });
  if (outcome.outcome !== "report") return fail(outcome.outcome === "sheetOnCsv" ? fileMessages.notTable : outcome.problem, 422, fileName);
  const { report } = outcome;
  const status = report.errors.length > 0 || report.overBudgetRefused ? 422 : 200;
  return data<ActionResult>({ report, error: null, fileName, kind, hash, committed: report.committed }, { status });
}

const KIND_LABELS: Record<ImportKind, MessageKey> = {
  "budget-lines": "impKindBudgetLines",
  adjustments: "impKindAdjustments",
  payments: "impKindPayments",
};

/** Payments larger than their project's whole budget for the year: shown apart, above the other warnings (decision 012). */
function OverBudgetWarning({ report }: { report: ImportReport }) {
  const { t, m } = useT();
  return (
    <div className="conflict form-error" role="alert" data-testid="over-budget-warning">
      <strong>{t("obTitle")}</strong>
      {report.overBudgetRefused && <p data-testid="over-budget-refused">{t("obRefused")}</p>}
      {!report.committed && <p>{t("obHelp")}</p>}
      <ul>
        {report.overBudget.map((payment) => (
          <li key={payment.rowNumber}>
            {m(msg("obRow", { row: payment.rowNumber, unit: payment.unit, project: payment.project, year: payment.year, amount: formatAmount(payment.amount), budget: formatAmount(payment.budget) }))}
          </li>
        ))}
        {report.overBudgetCount > report.overBudget.length && <li>{m(msg("obMore", { count: report.overBudgetCount - report.overBudget.length }))}</li>}
      </ul>
    </div>
  );
}

export default function Import({ loaderData, actionData }: Route.ComponentProps) {
  const { t, m, language } = useT();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const result = actionData as ActionResult | undefined;
  const report = result?.report ?? null;
  const hasErrors = report !== null && (report.errors.length > 0 || report.moreErrors > 0);
  return (
    <>
      <h1>{t("importData")}</h1>
      <Form method="post" encType="multipart/form-data" className="filters" data-testid="import-form">
        <label>
          {t("importKind")}
          <select name="kind" defaultValue={result?.kind ?? loaderData.kinds[0]}>
            {loaderData.kinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(KIND_LABELS[kind])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {m(msg("impFileLimit", { size: loaderData.maxMegabytes }))}
          <input type="file" name="file" accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" required />
        </label>
        <input type="hidden" name="intent" value="check" />
        <button type="submit" disabled={busy}>
          {t("checkFile")}
        </button>
      </Form>
      <p className="muted small">
        {t("templates")}
        {t("colon")}
        {loaderData.kinds.map((kind) => (
          <span key={kind} className="template-links">
            {t(KIND_LABELS[kind])} <a href={`/import/template/${kind}.xlsx`}>XLSX</a> · <a href={`/import/template/${kind}.csv`}>CSV</a>
          </span>
        ))}
      </p>

      {result?.error && (
        <p className="form-error" role="alert" data-testid="import-error">
          {result.errorFile ? `${result.errorFile}${t("colon")}` : ""}
          {m(result.error)}
        </p>
      )}

      {report && (
        <section data-testid="import-report">
          <h2>
            {result!.fileName}
            {t("colon")}
            {report.alreadyImported
              ? t("alreadyImported")
              : report.committed
                ? t("imported")
                : hasErrors
                  ? t("importRejected")
                  : report.overBudgetRefused
                    ? t("obNotImported")
                    : t("dryRunPassed")}
          </h2>
          <p data-testid="import-summary">
            {t("rowsRead")} {report.rowsRead} · {t("rowsNew")} {report.added} · {t("rowsUpdated")} {report.updated} · {t("rowsUnchanged")} {report.unchanged} ·{" "}
            {t("rowsDuplicate")} {report.duplicates} · {t("rowsError")} {report.errorRows}
          </p>
          {report.newUnits.length > 0 && (
            <p>
              {t(report.committed ? "createdUnits" : "newUnits")}
              {t("colon")}
              {report.newUnits.join(t("listSeparator"))}
            </p>
          )}
          {report.newProjects.length > 0 && (
            <p>
              {t(report.committed ? "createdProjects" : "newProjects")}
              {t("colon")}
              {report.newProjects.join(t("listSeparator"))}
            </p>
          )}
          {report.errors.length > 0 && (
            <ul className="problem-list errors" data-testid="import-errors">
              {report.errors.map((error, index) => (
                <li key={index}>{problemText(language, error)}</li>
              ))}
              {report.moreErrors > 0 && <li>{m(msg("impMoreErrors", { count: report.moreErrors }))}</li>}
            </ul>
          )}
          {report.overBudgetCount > 0 && <OverBudgetWarning report={report} />}
          {report.warnings.length > 0 && (
            <ul className="problem-list warnings" data-testid="import-warnings">
              {report.warnings.map((warning, index) => (
                <li key={index}>{problemText(language, warning)}</li>
              ))}
            </ul>
          )}
          {!report.committed && !report.alreadyImported && !hasErrors && report.added + report.updated === 0 && (
            <p className="muted" data-testid="nothing-to-import">
              {t("nothingToImport")}
            </p>
          )}
          {!report.committed && !report.alreadyImported && !hasErrors && report.added + report.updated > 0 && (
            <Form method="post" encType="multipart/form-data">
              <input type="hidden" name="kind" value={report.kind} />
              <input type="hidden" name="hash" value={result!.hash ?? ""} />
              <input type="hidden" name="fileName" value={result!.fileName} />
              <input type="hidden" name="intent" value="commit" />
              <input type="hidden" name="overBudgetSeen" value={overBudgetKey(report.overBudgetCount, report.overBudget)} />
              {report.overBudgetCount > 0 && (
                <p>
                  <label data-testid="over-budget-acknowledge">
                    <input type="checkbox" name="acceptOverBudget" required /> {t("obAcknowledge")}
                  </label>
                </p>
              )}
              <button type="submit" disabled={busy} data-testid="confirm-import">
                {m(msg("impConfirmCount", { count: report.added + report.updated }))}
              </button>
            </Form>
          )}
          {report.committed && (
            <p>
              <Link to="/">{t("back")}</Link>
            </p>
          )}
          <ClientGrid>{(staticOnly) => <ImportRowsGrid rows={report.rows} kind={report.kind} staticOnly={staticOnly} />}</ClientGrid>
        </section>
      )}
    </>
  );
}
