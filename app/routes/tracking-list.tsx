import { Form, Link } from "react-router";
import type { Route } from "./+types/tracking-list";
import { database } from "../db.server";
import { guard } from "../guard.server";
import { listSubmissions, listUnfiled } from "../../db/tracking-forms";
import { listUnits, unitSubtreeIds } from "../../db/units";
import type { TrackingFormStatus } from "../../db/schema";
import { formatAmount } from "../../domain/money";
import { FORM_STATES, FORM_STATE_LABELS, type StageConclusion } from "../../domain/tracking";
import { useT } from "../i18n";
import { ErrorMessage } from "../root";

export function meta() {
  return [{ title: "运行监控表 · 预算执行监控" }];
}

const CONCLUSIONS: StageConclusion[] = ["运行正常", "运行偏差"];

/** The status filter's value for projects without a form for 31 August yet (未填报). */
const UNFILED = "unfiled";

/**
 * The tracking forms of the user's units (latest revision per project and period), by status and
 * conclusion; or, filtered by 未填报, the projects that have no form for 31 August of their year yet.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const db = await database();
  const params = new URL(request.url).searchParams;
  const statusParam = params.get("status") ?? "";
  const unfiledOnly = statusParam === UNFILED;
  const status = (FORM_STATES as readonly string[]).includes(statusParam) ? (statusParam as TrackingFormStatus) : undefined;
  const conclusionParam = params.get("conclusion") ?? "";
  const conclusion = (CONCLUSIONS as string[]).includes(conclusionParam) ? (conclusionParam as StageConclusion) : undefined;
  const yearParam = params.get("year") ?? "";
  const year = /^\d{4}$/.test(yearParam) ? Number(yearParam) : undefined;
  const units = (await listUnits(db)).filter((unit) => user.unitSubtree.includes(unit.id));
  const unitParam = Number(params.get("unit"));
  const unitId = units.some((unit) => unit.id === unitParam) ? unitParam : user.unitId;
  const unitIds = unitId === user.unitId ? user.unitSubtree : await unitSubtreeIds(db, unitId);
  const rows = unfiledOnly ? [] : await listSubmissions(db, { unitIds, status, conclusion, year });
  const unfiled = unfiledOnly ? await listUnfiled(db, { unitIds, year }) : [];
  const topLevel = Math.min(...units.map((unit) => unit.ancestors.length));
  return {
    rows,
    unfiled,
    unfiledOnly,
    filters: { status: unfiledOnly ? UNFILED : (status ?? ""), conclusion: conclusion ?? "", year: year ?? "", unit: unitId === user.unitId ? "" : String(unitId) },
    ownUnitName: user.unitName,
    units: units.filter((unit) => unit.id !== user.unitId).map((unit) => ({ id: unit.id, label: `${"　".repeat(unit.ancestors.length - topLevel)}${unit.name}` })),
  };
}

export default function TrackingList({ loaderData }: Route.ComponentProps) {
  const { rows, unfiled, unfiledOnly, filters, units, ownUnitName } = loaderData;
  const { t } = useT();
  return (
    <>
      <div className="page-title">
        <h1>{t("trList")}</h1>
        <span className="muted">{unfiledOnly ? unfiled.length : rows.length}</span>
      </div>
      <Form method="get" className="filters" replace>
        <label>
          {t("fiscalYear")}
          <input name="year" defaultValue={filters.year} inputMode="numeric" size={6} />
        </label>
        <label>
          {t("unit")}
          <select name="unit" defaultValue={filters.unit}>
            <option value="">
              {ownUnitName}（{t("allUnits")}）
            </option>
            {units.map((unit) => (
              <option key={unit.id} value={unit.id}>
                {unit.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("status")}
          <select name="status" defaultValue={filters.status} data-testid="filter-status">
            <option value="">{t("trAll")}</option>
            {FORM_STATES.map((state) => (
              <option key={state} value={state}>
                {FORM_STATE_LABELS[state]}
              </option>
            ))}
            <option value={UNFILED}>{t("trNotFiled")}</option>
          </select>
        </label>
        <label>
          {t("trConclusion")}
          <select name="conclusion" defaultValue={filters.conclusion} data-testid="filter-conclusion">
            <option value="">{t("trAll")}</option>
            {CONCLUSIONS.map((conclusion) => (
              <option key={conclusion} value={conclusion}>
                {conclusion}
              </option>
            ))}
          </select>
        </label>
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
                  <td>{row.unitName}</td>
                  <td>
                    <Link to={`/projects/${row.projectId}/tracking?periodEnd=${row.periodEnd}`}>
                      {row.fiscalYear} {row.projectName}
                    </Link>
                  </td>
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
                <td>{row.unitName}</td>
                <td>
                  <Link to={`/projects/${row.projectId}/tracking?periodEnd=${row.periodEnd}`}>
                    {row.fiscalYear} {row.projectName}
                  </Link>
                </td>
                <td className="nowrap">
                  {row.periodStart} — {row.periodEnd}
                </td>
                <td className="num">{row.revision}</td>
                <td>{FORM_STATE_LABELS[row.status]}</td>
                <td>{row.stageConclusion}</td>
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

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
