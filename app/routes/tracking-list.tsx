import type { ReactNode } from "react";
import { Form, Link } from "react-router";
import type { Route } from "./+types/tracking-list";
import { database } from "../db.server";
import { guard } from "../guard.server";
import { listSubmissions, listUnfiled } from "../../features/tracking/service";
import { unitSubtreeIds } from "../../db/units";
import { unitOfQuery, yearOfQuery } from "../dashboard.server";
import { UnitFilter, unitChoices } from "../components/unit-filter";
import type { TrackingFormStatus } from "../../db/schema";
import { formatAmount } from "../../domain/money";
import { FORM_STATES, FORM_STATE_KEYS, STAGE_CONCLUSIONS, conclusionMessage, type StageConclusion } from "../../features/tracking/rules";
import { translate, useT, type Language } from "../i18n";
import { ErrorMessage } from "../root";

export function meta({ matches }: Route.MetaArgs) {
  const language = ((matches.find((match) => match?.id === "root")?.data ?? {}) as { language?: Language }).language ?? "zh";
  return [{ title: `${translate(language, "trList")} · ${translate(language, "appName")}` }];
}

/** The conclusion filter's values (in URLs) for the conclusions as stored (运行正常 / 运行偏差); labels come from the catalogue. */
const CONCLUSION_VALUES = new Map<string, StageConclusion>([
  ["normal", "运行正常"],
  ["deviation", "运行偏差"],
]);

/** The status filter's value for projects without a form for 31 August yet (未填报). */
const UNFILED = "unfiled";

/** The year filter's value for every fiscal year; without a year, the list shows the dashboard's default year. */
const ALL_YEARS = "all";

/**
 * The tracking forms of the user's units (latest revision per project and period), by status,
 * conclusion and fiscal year (by default the dashboard's: the latest with projects; or all years);
 * or, filtered by 未填报, the projects that have no form for 31 August of their year yet.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const db = await database();
  const params = new URL(request.url).searchParams;
  const statusParam = params.get("status") ?? "";
  const unfiledOnly = statusParam === UNFILED;
  const status = (FORM_STATES as readonly string[]).includes(statusParam) ? (statusParam as TrackingFormStatus) : undefined;
  const conclusionParam = params.get("conclusion") ?? "";
  // An old link may still name the conclusion as stored.
  const conclusion = CONCLUSION_VALUES.get(conclusionParam) ?? STAGE_CONCLUSIONS.find((stored) => stored === conclusionParam);
  const allYears = params.get("year") === ALL_YEARS;
  // An empty or invalid year (an old link, a typed URL) shows the default year, as on the dashboard.
  const yearParam = params.get("year") || null;
  const { year: chosenYear, years } = await yearOfQuery(db, user, allYears ? null : yearParam);
  const year = allYears ? undefined : chosenYear;
  const { unitId, units } = await unitOfQuery(db, user, params);
  const unitIds = unitId === user.unitId ? user.unitSubtree : await unitSubtreeIds(db, unitId);
  const rows = unfiledOnly ? [] : await listSubmissions(db, { unitIds, status, conclusion, year });
  const unfiled = unfiledOnly ? await listUnfiled(db, { unitIds, year }) : [];
  return {
    rows,
    unfiled,
    unfiledOnly,
    filters: { status: unfiledOnly ? UNFILED : (status ?? ""), conclusion: [...CONCLUSION_VALUES].find(([, stored]) => stored === conclusion)?.[0] ?? "", year: year === undefined ? ALL_YEARS : String(year), unit: unitId === user.unitId ? "" : String(unitId) },
    years,
    ownUnitName: user.unitName,
    units: unitChoices(units, user.unitId),
  };
}

export default function TrackingList({ loaderData }: Route.ComponentProps) {
  const { rows, unfiled, unfiledOnly, filters, years, units, ownUnitName } = loaderData;
  const { t, m } = useT();
  return (
    <>
      <div className="page-title">
        <h1>{t("trList")}</h1>
        <span className="muted">{unfiledOnly ? unfiled.length : rows.length}</span>
      </div>
      <Form method="get" className="filters" replace>
        <label>
          {t("fiscalYear")}
          <select name="year" defaultValue={filters.year} data-testid="filter-year">
            <option value={ALL_YEARS}>{t("trAll")}</option>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <UnitFilter ownUnitName={ownUnitName} units={units} value={filters.unit} />
        <FilterSelect label={t("status")} name="status" value={filters.status} choices={FORM_STATES.map((state) => ({ value: state, label: t(FORM_STATE_KEYS[state]) }))}>
          <option value={UNFILED}>{t("trNotFiled")}</option>
        </FilterSelect>
        <FilterSelect label={t("trConclusion")} name="conclusion" value={filters.conclusion} choices={[...CONCLUSION_VALUES].map(([value, conclusion]) => ({ value, label: m(conclusionMessage(conclusion)) }))} />
        <button type="submit">{t("apply")}</button>
      </Form>
      {unfiledOnly ? (
        unfiled.length === 0 ? (
          <p className="muted">{t("trNone")}</p>
        ) : (
          <table className="data-table" data-testid="unfiled-table">
            <thead>
              <tr>
                <th>{t("unit")}</th>
                <th>{t("project")}</th>
                <th>{t("trPeriodEnd")}</th>
                <th>{t("status")}</th>
              </tr>
            </thead>
            <tbody>
              {unfiled.map((row) => (
                <tr key={row.projectId} data-testid={`unfiled-${row.projectId}`}>
                  <ProjectCells row={row} />
                  <td className="nowrap">{row.periodEnd}</td>
                  <td>{t("trNotFiled")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : rows.length === 0 ? (
        <p className="muted">{t("trNone")}</p>
      ) : (
        <table className="data-table" data-testid="submissions-table">
          <thead>
            <tr>
              <th>{t("unit")}</th>
              <th>{t("project")}</th>
              <th>{t("trPeriod")}</th>
              <th className="num">{t("trRevision")}</th>
              <th>{t("status")}</th>
              <th>{t("trConclusion")}</th>
              <th className="num">{t("trBudget")}</th>
              <th className="num">{t("trExecuted")}</th>
              <th className="num">{t("trProgress")}</th>
              <th>{t("trUpdatedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.formId} className={row.stageConclusion === "运行偏差" ? "row-failing" : undefined} data-testid={`submission-${row.projectId}`}>
                <ProjectCells row={row} />
                <td className="nowrap">
                  {row.periodStart} — {row.periodEnd}
                </td>
                <td className="num">{row.revision}</td>
                <td>{t(FORM_STATE_KEYS[row.status])}</td>
                <td>{m(conclusionMessage(row.stageConclusion))}</td>
                <td className="num">{formatAmount(row.budget)}</td>
                <td className="num">{formatAmount(row.executed)}</td>
                <td className="num">{row.executionRate === null ? "—" : `${row.executionRate}%`}</td>
                <td className="nowrap">{row.updatedAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** A filter's select: 全部 first, then the choices, then any further options given as children. */
function FilterSelect({ label, name, value, choices, children }: { label: string; name: string; value: string; choices: ReadonlyArray<{ value: string; label: string }>; children?: ReactNode }) {
  const { t } = useT();
  return (
    <label>
      {label}
      <select name={name} defaultValue={value} data-testid={`filter-${name}`}>
        <option value="">{t("trAll")}</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
        {children}
      </select>
    </label>
  );
}

/** The unit and the project of a row, the project linking to its form for the period. */
function ProjectCells({ row }: { row: { unitName: string; projectId: number; projectName: string; fiscalYear: number; periodEnd: string } }) {
  return (
    <>
      <td>{row.unitName}</td>
      <td>
        <Link to={`/projects/${row.projectId}/tracking?periodEnd=${row.periodEnd}`}>
          {row.fiscalYear} {row.projectName}
        </Link>
      </td>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
