/* The to-do list (待办事项) as the home page's panel and the /todo page's table: entries from features/todo's todoList. */
import { Link } from "react-router";
import { msg, useT, type Message, type MessageKey } from "../i18n";
import { STATE_MESSAGE_KEYS } from "../../features/workflow/rules";
import type { TodoEntry, TodoKind } from "../../features/todo/service";
import { TODO_KINDS } from "../../features/todo/rules/entries";

export type { TodoList } from "../../features/todo/service";

/** What the panel shows of todoList's result (it crosses the loader boundary as plain data). */
export interface TodoListData {
  today: string;
  entries: readonly TodoEntry[];
  counts: Record<TodoKind, number>;
  /** The user fills forms (else late and returned forms are to look at, 去查看). */
  mayFile: boolean;
}

/** The catalogue keys naming the kinds (退回待修改 / Returned to you …). */
export const TODO_KIND_KEYS = {
  returned: "tdKindReturned",
  review: "tdKindReview",
  unfiled: "tdKindUnfiled",
  rectification: "tdKindRectification",
  notice: "tdKindNotice",
} as const satisfies Record<TodoKind, MessageKey>;

/** The link's words: what the user does there (a manager chasing a late form looks at it: 去查看). */
function actionKey(entry: TodoEntry, mayFile: boolean): MessageKey {
  switch (entry.kind) {
    case "returned":
      return mayFile ? "tdActRevise" : "tdActView";
    case "review":
      return "tdActReview";
    case "unfiled":
      if (!mayFile) return "tdActView";
      return entry.status === null || entry.status === "draft" ? "tdActFill" : "tdActRevise";
    case "rectification":
      return "tdActRectify";
    case "notice":
      return "tdActNotice";
  }
}

/** The form or item an entry is about: 运行监控表（截至2024-08-31）, 绩效自评表, 整改：培训覆盖人次, 结算通知书 …. */
function subject(entry: TodoEntry): Message {
  if (entry.kind === "rectification") return msg("tdRectification", { indicator: entry.detail ?? "" });
  if (entry.kind === "notice") return msg("tdNotice", { number: entry.detail ?? "", amount: entry.amount ?? "0.00" });
  if (entry.form === "tracking") return msg("tdFormTracking", { periodEnd: entry.periodEnd ?? "" });
  return msg("tdFormSelfEvaluation");
}

/** The due date and how late (or how soon): 截止2024年9月15日 · 逾期198天. */
function Due({ entry }: { entry: TodoEntry }) {
  const { m } = useT();
  if (entry.dueOn === null || entry.daysOverdue === null) return <span className="muted">—</span>;
  const days = entry.daysOverdue;
  const left = entry.workingDaysLeft === null ? msg("tdDaysLeft", { days: -days }) : msg("tdWorkingDaysLeft", { days: entry.workingDaysLeft });
  const how = days > 0 ? msg("tdOverdueDays", { days }) : days === 0 ? msg("tdDueToday") : left;
  return (
    <>
      <span className="nowrap">{m(msg("tdDueOn", { date: entry.dueOn }))}</span>
      <div className={days >= 0 ? "small warn-text" : "small"} data-testid="todo-days">
        {m(how)}
      </div>
    </>
  );
}

/** The entries as a table; project, unit and form share cells so that it stays readable on a phone. */
export function TodoTable({ entries, mayFile }: { entries: readonly TodoEntry[]; mayFile: boolean }) {
  const { t, m } = useT();
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="todo-table">
        <thead>
          <tr>
            <th>{t("tdColKind")}</th>
            <th>
              {t("tdColProject")} · {t("tdColSubject")}
            </th>
            <th>{t("tdColStatus")}</th>
            <th>{t("tdColDue")}</th>
            <th>{t("tdColAction")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.key} data-testid="todo-entry" data-kind={entry.kind} className={entry.daysOverdue !== null && entry.daysOverdue > 0 ? "row-flagged" : undefined}>
              <td className="nowrap">{t(TODO_KIND_KEYS[entry.kind])}</td>
              <td style={{ minWidth: "12em" }}>
                {entry.fiscalYear} {entry.project}
                <div className="small muted">{entry.unit}</div>
                <div className="small">{m(subject(entry))}</div>
              </td>
              <td>
                {entry.form === null ? <span className="muted">—</span> : entry.status === null ? t("tdNotStarted") : t(STATE_MESSAGE_KEYS[entry.status])}
                {entry.since !== null && <div className="small muted">{m(msg("tdSince", { date: entry.since }))}</div>}
              </td>
              <td>
                <Due entry={entry} />
              </td>
              <td className="nowrap">
                <Link to={entry.href} data-testid="todo-link">
                  {t(actionKey(entry, mayFile))}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The counts per kind that have entries: 退回待修改 2 · 逾期未报 3. */
export function TodoCounts({ counts }: { counts: Record<TodoKind, number> }) {
  const { t, m } = useT();
  const shown = TODO_KINDS.filter((kind) => counts[kind] > 0);
  return (
    <span data-testid="todo-counts">
      {shown.map((kind, index) => (
        <span key={kind} data-testid={`todo-count-${kind}`} data-count={counts[kind]}>
          {index > 0 && " · "}
          {m(msg("tdCount", { kind: msg(TODO_KIND_KEYS[kind]), count: counts[kind] }))}
        </span>
      ))}
    </span>
  );
}

/**
 * The home page's panel 待办事项: nothing when the user has nothing to do; else the counts per kind, the
 * most urgent `limit` entries (10) and, when there are more, a link to the full list (/todo).
 */
export function TodoPanel({ todo, limit = 10 }: { todo: TodoListData; limit?: number }) {
  const { t, m } = useT();
  if (todo.entries.length === 0) return null;
  const shown = todo.entries.slice(0, limit);
  return (
    <section className="notice" data-testid="todo-panel" aria-labelledby="todo-title">
      <h2 id="todo-title" style={{ marginTop: 0 }}>
        {t("tdTitle")}
      </h2>
      <p>
        <TodoCounts counts={todo.counts} /> <span className="muted small">{m(msg("tdAsOf", { date: todo.today }))}</span>
        {shown.length < todo.entries.length && (
          <>
            <span className="muted small"> · {m(msg("tdShown", { shown: shown.length }))}</span>{" "}
            <Link to="/todo" data-testid="todo-all">
              {m(msg("tdShowAll", { count: todo.entries.length }))}
            </Link>
          </>
        )}
      </p>
      <TodoTable entries={shown} mayFile={todo.mayFile} />
    </section>
  );
}
