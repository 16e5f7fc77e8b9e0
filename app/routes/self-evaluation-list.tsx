import { Form, Link, useLocation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/self-evaluation-list";
import { database } from "../db.server";
import { guard } from "../guard.server";
import { subtreeOf, unitOfQuery } from "../dashboard.server";
import { yearSchema } from "../route-params.server";
import { UnitFilter, unitChoices } from "../components/unit-filter";
import { SelfEvaluationSummary } from "../components/self-evaluation-summary";
import {
  GRADES,
  LIST_SORT_KEYS,
  LIST_STATUSES,
  selfEvaluationList,
  selfEvaluationYears,
  sortListEntries,
  type ListSortKey,
  type ListStatus,
} from "../../features/self-evaluation/queries/lists";
import { selfEvaluationSummary } from "../../features/self-evaluation/queries/summary";
import { gradeMessage } from "../../features/self-evaluation/rules/index";
import { stateMessage, WORKFLOW_STATES } from "../../features/workflow/rules";
import type { Grade } from "../../domain/execution";
import { todayInChina } from "../../domain/dates";
import { msg, translate, useT, type Language, type MessageKey } from "../i18n";
import { ErrorMessage } from "../root";

export function meta({ matches }: Route.MetaArgs) {
  const language = ((matches.find((match) => match?.id === "root")?.data ?? {}) as { language?: Language }).language ?? "zh";
  return [{ title: `${translate(language, "slList")} · ${translate(language, "appName")}` }];
}

/** The list's query as the URL states it; anything unreadable falls back to its default (all, the default year, by unit). */
const querySchema = z.object({
  year: yearSchema.optional().catch(undefined),
  status: z
    .enum(LIST_STATUSES as [ListStatus, ...ListStatus[]])
    .optional()
    .catch(undefined),
  grade: z
    .enum(GRADES as [Grade, ...Grade[]])
    .optional()
    .catch(undefined),
  sort: z.enum(LIST_SORT_KEYS).catch("unit"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
});

/**
 * 绩效自评一览 for managers: the self-evaluations of the user's units for a fiscal year (by default the
 * latest with sheets or declarations), with the projects due one that have none (未填报), by unit,
 * status and grade, sorted by a column; the summary by unit (绩效自评汇总) above.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const db = await database();
  const params = new URL(request.url).searchParams;
  const query = querySchema.parse(Object.fromEntries([...params].filter(([, value]) => value !== "")));
  const knownYears = await selfEvaluationYears(db, user.unitSubtree);
  const year = query.year ?? knownYears[0] ?? Number(todayInChina().slice(0, 4));
  const years = knownYears.includes(year) ? knownYears : [...knownYears, year].sort((a, b) => b - a);
  const { unitId, units } = await unitOfQuery(db, user, params);
  const unitIds = subtreeOf(units, unitId);
  const [entries, summary] = await Promise.all([
    selfEvaluationList(db, { year, unitIds, status: query.status, grade: query.grade }),
    selfEvaluationSummary(db, { year, unitSubtree: unitIds }),
  ]);
  return {
    entries: sortListEntries(entries, query.sort, query.dir),
    summary,
    years,
    filters: { year: String(year), unit: unitId === user.unitId ? "" : String(unitId), status: query.status ?? "", grade: query.grade ?? "" },
    sort: { key: query.sort, dir: query.dir },
    ownUnitName: user.unitName,
    units: unitChoices(units, user.unitId),
  };
}

/** The filters' choices (the component's own: the queries module stays on the server). */
const STATUS_CHOICES: readonly ListStatus[] = [...WORKFLOW_STATES, "unfiled"];
const GRADE_CHOICES: readonly Grade[] = ["优", "良", "合格", "不合格"];
/** A sheet not yet filed (draft or returned): its total and grade are provisional. */
const provisional = (status: ListStatus) => status === "draft" || status === "returned";

const COLUMNS: ReadonlyArray<{ key: ListSortKey; label: MessageKey; numeric?: boolean; title?: MessageKey }> = [
  { key: "project", label: "slProject" },
  { key: "unit", label: "slUnit" },
  { key: "status", label: "slStatus" },
  { key: "fundScore", label: "slFundScore", numeric: true },
  { key: "indicatorScore", label: "slIndicatorScore", numeric: true },
  { key: "total", label: "slTotal", numeric: true },
  { key: "grade", label: "slGrade" },
  { key: "departures", label: "slDepartures", numeric: true, title: "slDeparturesTitle" },
  { key: "updatedAt", label: "slUpdatedAt" },
];

export default function SelfEvaluationList({ loaderData }: Route.ComponentProps) {
  const { entries, summary, years, filters, sort, units, ownUnitName } = loaderData;
  const { t, m } = useT();
  const location = useLocation();
  /** The current query with another sort: the same column again flips the direction. */
  const sortLink = (key: ListSortKey) => {
    const params = new URLSearchParams(location.search);
    params.set("sort", key);
    params.set("dir", sort.key === key && sort.dir === "asc" ? "desc" : "asc");
    return `?${params.toString()}`;
  };
  const select = (name: "status" | "grade", label: string, choices: ReadonlyArray<{ value: string; label: string }>) => (
    <label>
      {label}
      <select name={name} defaultValue={filters[name]} data-testid={`filter-${name}`}>
        <option value="">{t("slAll")}</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <>
      <div className="page-title">
        <h1>{t("slList")}</h1>
        <span className="muted">{m(msg("slCount", { count: entries.length }))}</span>
      </div>
      <Form method="get" className="filters" replace>
        <input type="hidden" name="sort" value={sort.key} />
        <input type="hidden" name="dir" value={sort.dir} />
        <label>
          {t("fiscalYear")}
          <select name="year" defaultValue={filters.year} data-testid="filter-year">
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <UnitFilter ownUnitName={ownUnitName} units={units} value={filters.unit} />
        {select(
          "status",
          t("slStatus"),
          STATUS_CHOICES.map((status) => ({ value: status, label: status === "unfiled" ? t("slUnfiled") : m(stateMessage(status)) })),
        )}
        {select(
          "grade",
          t("slGradeFilter"),
          GRADE_CHOICES.map((grade) => ({ value: grade, label: m(gradeMessage(grade)) })),
        )}
        <button type="submit">{t("apply")}</button>
      </Form>
      <SelfEvaluationSummary summary={summary} />
      <h2>{t("slSheets")}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t("slNone")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="self-evaluations-table">
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th
                    key={column.key}
                    className={column.numeric ? "num" : undefined}
                    title={column.title ? t(column.title) : undefined}
                    aria-sort={sort.key === column.key ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}
                  >
                    <Link to={sortLink(column.key)} title={m(msg("slSortBy", { column: msg(column.label as "slProject") }))} data-testid={`sort-${column.key}`}>
                      {t(column.label)}
                      {sort.key === column.key ? (sort.dir === "asc" ? " ▲" : " ▼") : ""}
                    </Link>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr
                  key={entry.projectId}
                  data-testid={`self-evaluation-${entry.projectId}`}
                  className={!provisional(entry.status) && (entry.grade === "合格" || entry.grade === "不合格") ? "row-flagged" : undefined}
                >
                  <td style={{ minWidth: "8em" }}>
                    <Link to={`/projects/${entry.projectId}/self-evaluation`}>{entry.project}</Link>
                  </td>
                  <td style={{ minWidth: "10em" }}>{entry.unit}</td>
                  <td>{entry.status === "unfiled" ? t("slUnfiled") : m(stateMessage(entry.status))}</td>
                  <td className="num">{entry.fundScore ?? "—"}</td>
                  <td className="num">{entry.indicatorScore ?? "—"}</td>
                  <td className={provisional(entry.status) ? "num muted" : "num"}>{entry.total ?? "—"}</td>
                  <td className="nowrap">
                    {entry.grade === null ? (
                      "—"
                    ) : provisional(entry.status) ? (
                      // A draft's or returned sheet's grade is what it would be as filled so far: not counted in the summary above.
                      <span className="muted" title={t("slProvisionalTitle")} data-testid="provisional-grade">
                        {m(gradeMessage(entry.grade))}
                        {t("slProvisional")}
                      </span>
                    ) : (
                      m(gradeMessage(entry.grade))
                    )}
                  </td>
                  <td className="num">{entry.status === "unfiled" ? "—" : entry.departures}</td>
                  <td className="nowrap">{entry.updatedAt ?? "—"}</td>
                </tr>
              ))}
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
