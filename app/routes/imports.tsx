import { Form, Link, data, useNavigation } from "react-router";
import type { Route } from "./+types/imports";
import { database } from "../db.server";
import { currentUser, guard, refusal } from "../guard.server";
import { importableKinds, listImportBatches, undoImport, type BatchUser, type ImportBatchSummary, type UndoBlocker } from "../../features/import/service";
import { recordId } from "../../domain/record-id";
import { formatAmount } from "../../domain/money";
import type { CorrectionProblem } from "../../domain/corrections";
import type { SessionUser } from "../../db/users";
import { useT, translate, languageOf, type MessageKey, fill } from "../i18n";
import { ErrorMessage } from "../root";
import { pageTitle } from "../route-title";

export function meta({ matches }: Route.MetaArgs) {
  return [{ title: pageTitle(matches, "corImports") }];
}

function actorOf(user: SessionUser): BatchUser {
  return { userId: user.id, username: user.username, roles: user.roles, unitSubtree: new Set(user.unitSubtree) };
}

/** 导入记录: the newest batches the user may see, each with whether the user may undo it; whether the user may import. */
export async function loader({ context }: Route.LoaderArgs) {
  const user = currentUser(context);
  return { batches: await listImportBatches(await database(), actorOf(user)), canImport: importableKinds(user.roles).length > 0 };
}

type ActionResult = { batchId: number; reasonError: CorrectionProblem | null; blockers: UndoBlocker[]; undone: { id: number; file: string } | null };

export async function action({ request, context }: Route.ActionArgs) {
  const user = currentUser(context);
  const form = await request.formData();
  const batchId = recordId(String(form.get("batchId") ?? "")) ?? 0;
  const outcome = await undoImport(await database(), actorOf(user), batchId, String(form.get("reason") ?? ""));
  const answer = (result: Partial<ActionResult>, status: number) => data<ActionResult>({ batchId, reasonError: null, blockers: [], undone: null, ...result }, { status });
  switch (outcome.outcome) {
    case "forbidden":
      // A role that can undo no batch, another unit's batch, or a planner's undo of someone else's batch:
      // refused (and logged) by the guard, as every write to another unit's record is (403).
      guard(context, request, "administer", outcome.unitId);
      throw refusal(request, "forbidden", 403);
    case "missing":
      throw data(translate(languageOf(request).language, "notFoundPage"), { status: 404 });
    case "invalidReason":
      return answer({ reasonError: outcome.problem }, 400);
    case "blocked":
      return answer({ blockers: outcome.blockers }, 409);
    case "undone":
      return answer({ undone: { id: batchId, file: outcome.batch.fileName } }, 200);
  }
}

const KIND_KEYS: Record<ImportBatchSummary["kind"], MessageKey> = {
  payments: "corKindPayments",
  adjustments: "corKindAdjustments",
  "budget-lines": "corKindBudgetLines",
};

export default function Imports({ loaderData, actionData }: Route.ComponentProps) {
  const { t, m } = useT();
  const navigation = useNavigation();
  const result = actionData as ActionResult | undefined;
  const { batches, canImport } = loaderData;
  return (
    <>
      <h1>{t("corImports")}</h1>
      <p className="muted">
        {t("corImportsHelp")} {canImport && <Link to="/import">{t("importData")}</Link>}
      </p>
      {result?.undone && (
        <p className="notice" role="status" data-testid="undone-notice">
          {fill(t("corUndoneNotice"), result.undone)}
        </p>
      )}
      {batches.length === 0 ? (
        <p className="muted">{t("corNoBatches")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="imports-table">
            <thead>
              <tr>
                <th>{t("corBatch")}</th>
                <th>{t("corFile")}</th>
                <th>{t("corKind")}</th>
                <th>{t("corImportedBy")}</th>
                <th>{t("corImportedAt")}</th>
                <th className="num">{t("corRows")}</th>
                <th>{t("corProjects")}</th>
                <th className="num">{t("corAmountYuan")}</th>
                <th>{t("corStatus")}</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => {
                const mine = result?.batchId === batch.id ? result : undefined;
                return (
                  <tr key={batch.id} data-testid={`batch-${batch.id}`}>
                    <td className="nowrap">#{batch.id}</td>
                    <td>{batch.fileName}</td>
                    <td className="nowrap">{t(KIND_KEYS[batch.kind])}</td>
                    <td>{batch.username}</td>
                    <td className="nowrap">{batch.importedAt}</td>
                    <td className="num nowrap">
                      {batch.rowsRead} / {batch.rowsAdded} / {batch.rowsUpdated}
                    </td>
                    <td>
                      {batch.parts.map((part, index) => (
                        <div key={index}>
                          {part.projectId !== null && batch.undoneAt === null ? (
                            <Link to={`/projects/${part.projectId}`}>
                              {part.fiscalYear} {part.projectName}
                            </Link>
                          ) : (
                            `${part.fiscalYear ?? ""} ${part.projectName}`
                          )}{" "}
                          <span className="muted">
                            {part.unitName} · {part.rows}
                          </span>
                        </div>
                      ))}
                    </td>
                    <td className="num nowrap">{batch.parts.map((part, index) => <div key={index}>{part.amount === null ? "—" : formatAmount(part.amount)}</div>)}</td>
                    <td>
                      {batch.undoneAt !== null ? (
                        <span data-testid="batch-undone">
                          {t("corUndone")} · {batch.undoneAt} {batch.undoneBy}
                          <br />
                          {t("corUndoReason")}{t("colon")}{batch.undoReason}
                        </span>
                      ) : (
                        <span>{t("corStanding")}</span>
                      )}
                      {batch.canUndo && (
                        <Form method="post" className="undo-form" data-testid={`undo-form-${batch.id}`}>
                          <input type="hidden" name="batchId" value={batch.id} />
                          <label className={mine?.reasonError ? "has-error" : undefined}>
                            {t("corUndoReason")}
                            <input name="reason" aria-invalid={Boolean(mine?.reasonError)} defaultValue="" />
                            {mine?.reasonError && (
                              <span className="field-error" role="alert" data-field="reason">
                                {m(mine.reasonError)}
                              </span>
                            )}
                          </label>
                          <button type="submit" disabled={navigation.state === "submitting"}>
                            {t("corUndo")}
                          </button>
                        </Form>
                      )}
                      {mine && mine.blockers.length > 0 && (
                        <div className="conflict" role="alert" data-testid="undo-blocked">
                          <strong>{t("corBlocked")}</strong>
                          <ul>
                            {mine.blockers.map((blocker, index) => (
                              <li key={index}>{m(blocker)}</li>
                            ))}
                          </ul>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
