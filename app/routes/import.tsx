import { Form, Link, data, useNavigation } from "react-router";
import type { Route } from "./+types/import";
import { database } from "../db.server";
import { runImport, type ImportReport } from "../../db/import";
import { overBudgetKey } from "../../domain/import/over-budget";
import { IMPORT_KINDS, IMPORT_PERMISSION, ImportFormatError, importableKinds, missingColumnsProblem, type ImportKind } from "../../domain/import/columns";
import { openTable, TableFileError, MAX_IMPORT_BYTES } from "../../files/read-table";
import { guard, currentUser } from "../guard.server";
import { readFormWithin, readUpload, storeUpload, UploadTooLargeError } from "../uploads.server";
import { useT, type Language, fill } from "../i18n";
import { columnInEnglish, importMessageInEnglish } from "../../domain/import/english";
import { ClientOnly } from "../components/client-only";
import { ImportRowsGrid } from "../components/import-rows-grid";
import { formatAmount } from "../../domain/money";

export function meta() {
  return [{ title: "导入数据 · 预算执行监控" }];
}


export async function loader({ request, context }: Route.LoaderArgs) {
  const user = currentUser(context);
  const kinds = importableKinds(user.roles);
  if (kinds.length === 0) guard(context, request, "edit-payment", null); // 403 for roles that may import nothing
  return { kinds, maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024 };
}

/** error: what went wrong (Chinese, as the CLI says it); errorFile: the file it concerns, shown before it. */
type ActionResult = { report: ImportReport | null; error: string | null; errorFile?: string; fileName: string; kind: ImportKind | null; hash: string | null; committed: boolean };

export async function action({ request, context }: Route.ActionArgs): Promise<ReturnType<typeof data<ActionResult>>> {
  // Refuse before reading the body: roles that may import nothing, and bodies over the file limit.
  const user = currentUser(context);
  if (importableKinds(user.roles).length === 0) guard(context, request, "edit-payment", null);
  const length = Number(request.headers.get("Content-Length") ?? "0");
  if (length > MAX_IMPORT_BYTES + 1024 * 1024) {
    return data<ActionResult>(
      { report: null, error: `文件过大（${(length / 1024 / 1024).toFixed(1)} MB，上限 ${MAX_IMPORT_BYTES / 1024 / 1024} MB）`, fileName: "", kind: null, hash: null, committed: false },
      { status: 413 },
    );
  }
  // A chunked upload has no Content-Length: the limit is enforced while the body streams in.
  let form: FormData;
  try {
    form = await readFormWithin(request, MAX_IMPORT_BYTES);
  } catch (error) {
    if (!(error instanceof UploadTooLargeError)) throw error;
    return data<ActionResult>({ report: null, error: error.message, fileName: "", kind: null, hash: null, committed: false }, { status: 413, headers: { Connection: "close" } });
  }
  const kind = String(form.get("kind") ?? "") as ImportKind;
  const fail = (error: string, status = 400) => data<ActionResult>({ report: null, error, fileName: "", kind: null, hash: null, committed: false }, { status });
  if (!IMPORT_KINDS.includes(kind)) return fail("请选择导入类型");
  guard(context, request, IMPORT_PERMISSION[kind], null);
  const intent = String(form.get("intent") ?? "check");

  let bytes: Uint8Array | undefined;
  let fileName = String(form.get("fileName") ?? "");
  let hash = String(form.get("hash") ?? "");
  if (intent === "commit") {
    bytes = await readUpload(hash);
    if (!bytes) return fail("找不到已检查的文件，请重新上传");
  } else {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return fail(file instanceof File && file.name ? `文件“${file.name}”为空` : "请选择要导入的文件");
    if (file.size > MAX_IMPORT_BYTES) return fail(`文件过大（${(file.size / 1024 / 1024).toFixed(1)} MB，上限 ${MAX_IMPORT_BYTES / 1024 / 1024} MB）`, 413);
    fileName = file.name;
    bytes = new Uint8Array(await file.arrayBuffer());
    hash = await storeUpload(bytes);
  }

  try {
    // A workbook of several sheets (the exported project ledger): the first sheet with the kind's columns.
    const table = await openTable({ bytes, fileName }, { headerProblem: (headers) => missingColumnsProblem(kind, headers) });
    const report = await runImport(await database(), {
      kind,
      source: table,
      fileHash: hash,
      fileName,
      importer: { userId: user.id, username: user.username, unitSubtree: user.unitSubtree, defaultParentUnitId: user.unitId },
      commit: intent === "commit",
      // Payments larger than their project's whole budget go in only when the user ticked that they checked them.
      acceptOverBudget: intent === "commit" && form.get("acceptOverBudget") === "on",
      // …and only those the page showed: a list that changed since is shown again, to be confirmed again.
      overBudgetSeen: intent === "commit" ? String(form.get("overBudgetSeen") ?? "") : undefined,
    });
    for (const note of table.notes) report.warnings.push({ rowNumber: 0, column: null, message: note });
    const status = report.errors.length > 0 || report.overBudgetRefused ? 422 : 200;
    return data<ActionResult>({ report, error: null, fileName, kind, hash, committed: report.committed }, { status });
  } catch (error) {
    if (error instanceof TableFileError || error instanceof ImportFormatError) {
      return data<ActionResult>({ report: null, error: error.message, errorFile: fileName, fileName: "", kind: null, hash: null, committed: false }, { status: 422 });
    }
    throw error;
  }
}

/** “第3行 “金额”列：原因”; without row and column only the reason (no stray “：”). In English: “row 3, column “amount”: reason”. */
function problemText(problem: { rowNumber: number; column: string | null; message: string }, language: Language): string {
  if (language === "en") {
    const place = [problem.rowNumber > 0 ? `row ${problem.rowNumber}` : "", problem.column ? `column “${columnInEnglish(problem.column)}”` : ""].filter(Boolean).join(", ");
    const message = importMessageInEnglish(problem.message);
    return place ? `${place}: ${message}` : message;
  }
  const place = [problem.rowNumber > 0 ? `第${problem.rowNumber}行` : "", problem.column ? `“${problem.column}”列` : ""].filter(Boolean).join(" ");
  return place ? `${place}：${problem.message}` : problem.message;
}

const KIND_LABELS: Record<Language, Record<ImportKind, string>> = {
  zh: {
    "budget-lines": "预算明细（表1-3-1）",
    adjustments: "预算调整",
    payments: "支付明细（社会化发放、划拨）",
  },
  en: {
    "budget-lines": "Budget lines (表1-3-1)",
    adjustments: "Budget adjustments",
    payments: "Payments (社会化发放 batch, 划拨 transfer)",
  },
};

/** Payments larger than their project's whole budget for the year: shown apart, above the other warnings (decision 012). */
function OverBudgetWarning({ report }: { report: ImportReport }) {
  const { t } = useT();
  return (
    <div className="conflict form-error" role="alert" data-testid="over-budget-warning">
      <strong>{t("obTitle")}</strong>
      {report.overBudgetRefused && <p data-testid="over-budget-refused">{t("obRefused")}</p>}
      {!report.committed && <p>{t("obHelp")}</p>}
      <ul>
        {report.overBudget.map((payment) => (
          <li key={payment.rowNumber}>
            {fill(t("obRow"), { row: payment.rowNumber, unit: payment.unit, project: payment.project, year: payment.year, amount: formatAmount(payment.amount), budget: formatAmount(payment.budget) })}
          </li>
        ))}
        {report.overBudgetCount > report.overBudget.length && <li>{fill(t("obMore"), { count: report.overBudgetCount - report.overBudget.length })}</li>}
      </ul>
    </div>
  );
}

export default function Import({ loaderData, actionData }: Route.ComponentProps) {
  const { t, language } = useT();
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
                {KIND_LABELS[language][kind]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {language === "en" ? `${t("importFile")} (XLSX / CSV, ≤ ${loaderData.maxMegabytes} MB)` : `${t("importFile")}（XLSX / CSV，≤ ${loaderData.maxMegabytes} MB）`}
          <input type="file" name="file" accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" required />
        </label>
        <input type="hidden" name="intent" value="check" />
        <button type="submit" disabled={busy}>
          {t("checkFile")}
        </button>
      </Form>
      <p className="muted small">
        {t("templates")}
        {language === "en" ? ": " : "："}
        {loaderData.kinds.map((kind) => (
          <span key={kind} className="template-links">
            {KIND_LABELS[language][kind]} <a href={`/import/template/${kind}.xlsx`}>XLSX</a> · <a href={`/import/template/${kind}.csv`}>CSV</a>
          </span>
        ))}
      </p>

      {result?.error && (
        <p className="form-error" role="alert" data-testid="import-error">
          {result.errorFile ? `${result.errorFile}${language === "en" ? ": " : "："}` : ""}
          {language === "en" ? importMessageInEnglish(result.error) : result.error}
        </p>
      )}

      {report && (
        <section data-testid="import-report">
          <h2>
            {result!.fileName}：
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
              {t(report.committed ? "createdUnits" : "newUnits")}：{report.newUnits.join("、")}
            </p>
          )}
          {report.newProjects.length > 0 && (
            <p>
              {t(report.committed ? "createdProjects" : "newProjects")}：{report.newProjects.join("、")}
            </p>
          )}
          {report.errors.length > 0 && (
            <ul className="problem-list errors" data-testid="import-errors">
              {report.errors.map((error, index) => (
                <li key={index}>{problemText(error, language)}</li>
              ))}
              {report.moreErrors > 0 && <li>{language === "en" ? `… and ${report.moreErrors} more errors` : `……另有 ${report.moreErrors} 个错误`}</li>}
            </ul>
          )}
          {report.overBudgetCount > 0 && <OverBudgetWarning report={report} />}
          {report.warnings.length > 0 && (
            <ul className="problem-list warnings" data-testid="import-warnings">
              {report.warnings.map((warning, index) => (
                <li key={index}>{problemText(warning, language)}</li>
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
                {t("confirmImport")}（{report.added + report.updated}）
              </button>
            </Form>
          )}
          {report.committed && (
            <p>
              <Link to="/">{t("back")}</Link>
            </p>
          )}
          <ClientOnly fallback={<p className="muted">{t("loading")}</p>}>{() => <ImportRowsGrid rows={report.rows} />}</ClientOnly>
        </section>
      )}
    </>
  );
}
