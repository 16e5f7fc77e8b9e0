import { Link } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/todo";
import { database } from "../db.server";
import { guard } from "../guard.server";
import { todoList } from "../../features/todo/service";
import { TODO_KINDS } from "../../features/todo/rules/entries";
import { TODO_KIND_KEYS, TodoTable } from "../components/todo-list";
import { msg, useT } from "../i18n";
import { pageTitle } from "../route-title";

export function meta({ matches }: Route.MetaArgs) {
  return [{ title: pageTitle(matches, "tdTitle") }];
}

/** The page's query: one kind of entries, or all (anything unreadable: all). */
const querySchema = z.object({ kind: z.enum(TODO_KINDS).optional().catch(undefined) });

/**
 * 待办事项: every entry of the user's to-do list (the home page shows the ten most urgent), most urgent
 * first, optionally of one kind. Every role may open it; a role with nothing to do sees that.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const { kind } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const todo = await todoList(await database(), user);
  return { ...todo, entries: kind === undefined ? todo.entries : todo.entries.filter((entry) => entry.kind === kind), kind: kind ?? null };
}

export default function Todo({ loaderData }: Route.ComponentProps) {
  const { t, m } = useT();
  const { entries, counts, today, kind, mayFile } = loaderData;
  const total = TODO_KINDS.reduce((sum, each) => sum + counts[each], 0);
  return (
    <>
      <div className="page-title">
        <h1>{t("tdTitle")}</h1>
        <span className="muted">{m(msg("tdAsOf", { date: today }))}</span>
      </div>
      {total === 0 ? (
        <p className="muted" data-testid="todo-none">
          {t("tdNone")}
        </p>
      ) : (
        <>
          <p className="filters" data-testid="todo-kinds">
            <Link to="/todo" className={kind === null ? "active" : undefined}>
              {m(msg("tdShowAll", { count: total }))}
            </Link>
            {TODO_KINDS.filter((each) => counts[each] > 0).map((each) => (
              <Link key={each} to={`/todo?kind=${each}`} className={each === kind ? "active" : undefined} data-testid={`todo-count-${each}`} data-count={counts[each]}>
                {m(msg("tdCount", { kind: msg(TODO_KIND_KEYS[each]), count: counts[each] }))}
              </Link>
            ))}
          </p>
          <TodoTable entries={entries} mayFile={mayFile} />
        </>
      )}
    </>
  );
}

