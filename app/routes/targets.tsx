import { Link } from "react-router";
import type { Route } from "./+types/targets";
import { refusal } from "../guard.server";
import { requireProject } from "../route-params.server";
import { getDeclaration, type DeclaredIndicator } from "../../db/declarations";
import { declarationInputOf, levelMessage, validateDeclaration } from "../../domain/declaration";
import { roleAllows } from "../../domain/permissions";
import { formatAmount } from "../../domain/money";
import { msg, useT } from "../i18n";
import { pageTitle } from "../route-title";
import { ErrorMessage } from "../root";

export function meta({ data, matches }: Route.MetaArgs) {
  return [{ title: data ? pageTitle(matches, "declarationLink", data.declaration.project.name) : pageTitle(matches, "declarationLink") }];
}

export async function loader(args: Route.LoaderArgs) {
  const { db, user, project } = await requireProject(args, "read");
  const declaration = await getDeclaration(db, project.id);
  if (!declaration) throw refusal(args.request, "notFound", 404);
  const saved = new URL(args.request.url).searchParams.get("saved") === "1";
  // What the declaration still lacks (a level 1 indicator, weights, weights not adding to 90): said on the page, not only at saving.
  const checked = validateDeclaration(declarationInputOf(declaration));
  const warnings = "warnings" in checked ? checked.warnings : [];
  return { declaration, canEdit: roleAllows(user.roles, "edit-budget"), saved, warnings };
}

/** 财政项目支出绩效目标填报表 in the layout of seeds/004, printable on one A4 page. */
export default function TargetDeclaration({ loaderData }: Route.ComponentProps) {
  const { declaration, canEdit, saved, warnings } = loaderData;
  const { project, funds, goals, indicators } = declaration;
  const { t, m } = useT();
  const amount = (value: string) => (value === "0" || value === "0.00" ? "" : formatAmount(value, "yuan"));
  const goalPeriod = goals.goalFromYear !== null ? m(msg("tgtGoalPeriod", { from: String(goals.goalFromYear), to: String(goals.goalToYear ?? goals.goalFromYear) })) : "";
  const longDate = (isoDate: string | null) => (isoDate ? m(formDate(isoDate)) : "");
  return (
    <div className="declaration-sheet">
      {/* The official form is printed portrait; this page's rule overrides the app's landscape default. */}
      <style>{"@media print { @page { size: A4 portrait; margin: 15mm 14mm; } }"}</style>
      <p className="no-print page-actions">
        <Link to={`/projects/${project.id}`}>
          ← {project.fiscalYear} {project.name}
        </Link>
        {canEdit && (
          <Link to={`/projects/${project.id}/targets/edit`} data-testid="edit-declaration">
            {t("editDeclaration")}
          </Link>
        )}
        <button type="button" onClick={() => window.print()}>
          {t("print")}
        </button>
        {saved && (
          <span className="form-ok" role="status">
            {t("declarationSaved")}
          </span>
        )}
      </p>
      {warnings.length > 0 && (
        <ul className="notice problem-list warnings no-print" data-testid="declaration-warnings">
          {warnings.map((warning, index) => (
            <li key={index}>{m(warning)}</li>
          ))}
        </ul>
      )}
      <h1 className="form-title">{t("declarationTitle")}</h1>
      <p className="form-subtitle">
        {m(msg("tgtFormYear", { year: String(project.fiscalYear) }))}
      </p>
      <table className="official-form" data-testid="declaration">
        <colgroup>
          <col style={{ width: "12%" }} />
          <col style={{ width: "15%" }} />
          <col style={{ width: "19%" }} />
          <col style={{ width: "30%" }} />
          <col style={{ width: "24%" }} />
        </colgroup>
        <tbody>
          <tr>
            <th>{t("project")}</th>
            <td colSpan={2}>{project.name}</td>
            <th>{t("category")}</th>
            <td>{project.recurring ? t("recurringProject") : t("oneOffProject")}</td>
          </tr>
          <tr>
            <th>{t("supervisingDepartment")}</th>
            <td colSpan={2}>{project.supervisingDepartment ?? ""}</td>
            <th>{t("implementingUnit")}</th>
            <td>{project.implementingUnit ?? project.unitName}</td>
          </tr>
          <tr>
            <th>{t("planStart")}</th>
            <td colSpan={2}>{longDate(goals.planStart)}</td>
            <th>{t("planEnd")}</th>
            <td>{longDate(goals.planEnd)}</td>
          </tr>
          <tr>
            <th rowSpan={4}>{t("projectFunds")}</th>
            <th>{t("fundsTotal")}</th>
            <td className="num" data-testid="funds-total">
              {amount(funds.total)}
            </td>
            <th>{t("annualRequest")}</th>
            <td className="num">{amount(funds.total)}</td>
          </tr>
          <tr>
            <th>{t("fiscalFunds")}</th>
            <td className="num">{amount(funds.fiscal)}</td>
            <th>{t("currentYearFunds")}</th>
            <td className="num">{amount(funds.currentYear)}</td>
          </tr>
          <tr>
            <th />
            <td />
            <th>{t("carriedOverFunds")}</th>
            <td className="num">{amount(funds.carriedOver)}</td>
          </tr>
          <tr>
            <th>{t("otherFunds")}</th>
            <td className="num">{amount(funds.other)}</td>
            <th>{t("otherFunds")}</th>
            <td className="num">{amount(funds.other)}</td>
          </tr>
          <tr>
            <th rowSpan={2}>{t("performanceGoals")}</th>
            <th colSpan={2}>
              {t("overallGoal")}
              {goalPeriod}
            </th>
            <th colSpan={2}>{t("annualGoal")}</th>
          </tr>
          <tr>
            <td colSpan={2} className="goal-text" data-testid="overall-goal">
              {goals.overallGoal ?? ""}
            </td>
            <td colSpan={2} className="goal-text" data-testid="annual-goal">
              {goals.annualGoal ?? ""}
            </td>
          </tr>
          <IndicatorRows indicators={indicators} />
        </tbody>
      </table>
      <p className="muted small no-print">{t("declarationFootnote")}</p>
    </div>
  );
}

/** The 绩效指标 block: level 1 and level 2 cells span their indicators, as on the printed form. */
function IndicatorRows({ indicators }: { indicators: DeclaredIndicator[] }) {
  const { t, m } = useT();
  const weighted = indicators.some((row) => row.weight !== null);
  const groups = groupIndicators(indicators);
  const rowCount = Math.max(indicators.length, 1);
  return (
    <>
      <tr>
        <th rowSpan={rowCount + 1}>{t("performanceIndicators")}</th>
        <th>{t("level1")}</th>
        <th>{t("level2")}</th>
        <th>{t("indicator")}</th>
        <th>
          {t("annualTarget")}
          {weighted && <span className="indicator-weight">{t("weight")}</span>}
        </th>
      </tr>
      {indicators.length === 0 && (
        <tr>
          <td colSpan={4} className="muted">
            {t("noIndicators")}
          </td>
        </tr>
      )}
      {groups.map((group) =>
        group.level2Groups.map((level2Group, level2Index) =>
          level2Group.rows.map((row, rowIndex) => (
            <tr key={row.id} data-testid="declaration-indicator">
              {level2Index === 0 && rowIndex === 0 && <td rowSpan={group.size}>{m(levelMessage(group.level1))}</td>}
              {rowIndex === 0 && <td rowSpan={level2Group.rows.length}>{m(levelMessage(level2Group.level2))}</td>}
              <td>{row.name}</td>
              <td>
                {row.target}
                {row.weight !== null && (
                  <span className="indicator-weight">
                    {t("weight")} {row.weight}
                  </span>
                )}
              </td>
            </tr>
          )),
        ),
      )}
    </>
  );
}

interface IndicatorGroup {
  level1: string;
  size: number;
  level2Groups: Array<{ level2: string; rows: DeclaredIndicator[] }>;
}

/** Groups consecutive rows by level 1, then level 2, keeping the declared order. */
function groupIndicators(indicators: DeclaredIndicator[]): IndicatorGroup[] {
  const groups: IndicatorGroup[] = [];
  for (const row of indicators) {
    let group = groups.at(-1);
    if (!group || group.level1 !== row.level1) {
      group = { level1: row.level1, size: 0, level2Groups: [] };
      groups.push(group);
    }
    let level2Group = group.level2Groups.at(-1);
    if (!level2Group || level2Group.level2 !== row.level2) {
      level2Group = { level2: row.level2, rows: [] };
      group.level2Groups.push(level2Group);
    }
    level2Group.rows.push(row);
    group.size += 1;
  }
  return groups;
}

/** 2023-01-01 → "2023 年 1 月 1 日", as the form writes dates (1/1/2023 in English). */
function formDate(isoDate: string) {
  const [year, month, day] = isoDate.split("-").map(Number);
  return msg("tgtDateLong", { year: String(year), month: String(month), day: String(day) });
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
