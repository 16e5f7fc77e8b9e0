import type { ReactNode } from "react";
import { Form, Link } from "react-router";
import type { Route } from "./+types/tracking-list";
import { database } from "../db.server";
import { guard } from "../guard.server";
import { trackingListData } from "../tracking-list.server";
import { ALL_YEARS, CONCLUSION_VALUES, UNFILED } from "../tracking-list-filters";
import { UnitFilter, unitChoices } from "../components/unit-filter";
import { formatAmount } from "../../domain/money";
import { FORM_STATES, FORM_STATE_KEYS, conclusionMessage } from "../../features/tracking/rules";
import { translate, useT, type Language } from "../i18n";
import { ErrorMessage } from "../root";

export function meta({ matches }: Route.MetaArgs) {
  const language = ((matches.find((match) => match?.id === "root")?.data ?? {}) as { language?: Language }).language ?? "zh";
  return [{ title: `${translate(language, "trList")} · ${translate(language, "appName")}` }];
}

/** The tracking forms of the user's units by status, conclusion, year and unit (app/tracking-list.server.ts). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const params = new URL(request.url).searchParams;
  const { rows, unfiled, unfiledOnly, filters, years, units } = await trackingListData(await database(), user, params);
  return { rows, unfiled, unfiledOnly, filters, years, ownUnitName: user.unitName, units: unitChoices(units, user.unitId), search: params.toString() };
}

export default function TrackingList({ loaderData }: Route.ComponentProps) {
  const { rows, unfiled, unfiledOnly, filters, years, units, ownUnitName, search } = loaderData;
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
        {/* The list as filtered (the same query string), as an Excel file. */}
        <a href={`/tracking/export.xlsx${search ? `?${search}` : ""}`} download data-testid="tracking-list-export">
          {t("exportXlsx")}
        </a>
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
