import { Link } from "react-router";
import type { Route } from "./+types/project-history";
import { projectHistory } from "../../db/audit";
import { changedFields } from "../../domain/history";
import { correctionKind } from "../../domain/corrections";
import { requireProject } from "../route-params.server";
import { useT } from "../i18n";
import { actionLabel, fieldLabel, fieldValue, recordLabel } from "../history-text";
import { pageTitle } from "../route-title";

export function meta({ data, matches }: Route.MetaArgs) {
  return [{ title: data ? pageTitle(matches, "history", data.project.name) : pageTitle(matches, "history") }];
}

export async function loader(args: Route.LoaderArgs) {
  const { db, project } = await requireProject(args, "read");
  const entries = await projectHistory(db, project.id);
  return {
    project,
    entries: entries.map((entry) => {
      // Field names, values and actions are rendered in the user's language by the page (app/history-text.ts).
      const changes = changedFields(entry.before, entry.after);
      // 更正/冲销/撤销导入 (issue 11 §4) are named as such; a correction always shows its reason, even one repeated.
      const correction = correctionKind(entry);
      if (correction === "correct" && !changes.some((change) => change.field === "correction_reason")) {
        changes.push({ field: "correction_reason", before: null, after: entry.after!.correction_reason });
      }
      return { id: entry.id, at: entry.at, username: entry.username, action: entry.action, correction, table: entry.tableName, recordId: entry.recordId, changes };
    }),
  };
}

const CORRECTION_ACTIONS = { undo: "corActionUndo", reverse: "corActionReverse", correct: "corActionCorrect" } as const;

export default function ProjectHistory({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  const { project, entries } = loaderData;
  return (
    <>
      <p>
        <Link to={`/projects/${project.id}`}>← {project.fiscalYear} {project.name}</Link>
      </p>
      <h1>
        {`${t("history")}${t("colon")}${project.fiscalYear} ${project.name}`}
      </h1>
      <p className="muted">{project.unitName}</p>
      <table className="data-table" data-testid="history-table">
        <thead>
          <tr>
            <th>{t("changedAt")}</th>
            <th>{t("changedBy")}</th>
            <th>{t("changeAction")}</th>
            <th>{t("record")}</th>
            <th>{t("changes")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td className="nowrap">{entry.at}</td>
              <td>{entry.username}</td>
              <td>{entry.correction ? t(CORRECTION_ACTIONS[entry.correction]) : actionLabel(t, entry.action)}</td>
              <td className="nowrap">{recordLabel(t, entry.table, entry.recordId)}</td>
              <td>
                {entry.changes.length === 0
                  ? "—"
                  : entry.changes.map((change) => {
                      const before = fieldValue(t, change.field, change.before);
                      return (
                        <div key={change.field}>
                          {`${fieldLabel(t, change.field)}${t("colon")}`}
                          {before && <del>{before}</del>}
                          {before && " → "}
                          {fieldValue(t, change.field, change.after)}
                        </div>
                      );
                    })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
