import { Link } from "react-router";
import type { SelfEvaluationSummary as Summary, SelfEvaluationTally } from "../../features/self-evaluation/queries/summary";
import { gradeMessage } from "../../features/self-evaluation/rules/index";
import type { Grade } from "../../domain/execution";
import { msg, useT } from "../i18n";

const GRADES: readonly Grade[] = ["优", "良", "合格", "不合格"];

/**
 * 绩效自评汇总: per unit the projects due a self-evaluation, the sheets submitted and accepted, the count
 * per grade, the average total and the projects below 良 (linked to their sheets); a total row when
 * there is more than one unit. Loader: selfEvaluationSummary(db, { year, unitSubtree }).
 */
export function SelfEvaluationSummary({ summary }: { summary: Summary }) {
  const { t, m } = useT();
  return (
    <section data-testid="self-evaluation-summary">
      <h2>{t("slSummary")}</h2>
      <p className="muted small">{m(msg("slSummaryNote", { year: String(summary.year) }))}</p>
      {summary.units.length === 0 ? (
        <p className="muted">{t("slSummaryEmpty")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th>{t("slUnit")}</th>
                <th className="num">{t("slProjects")}</th>
                <th className="num">{t("slFiled")}</th>
                <th className="num">{t("slAccepted")}</th>
                {GRADES.map((grade) => (
                  <th key={grade} className="num">
                    {m(gradeMessage(grade))}
                  </th>
                ))}
                <th className="num">{t("slAverage")}</th>
                <th>{t("slBelowGood")}</th>
              </tr>
            </thead>
            <tbody>
              {summary.units.map((unit) => (
                <TallyRow key={unit.unitId} label={unit.unit} tally={unit} testId={`se-summary-${unit.unitId}`} />
              ))}
              {summary.units.length > 1 && <TallyRow label={t("slAllUnits")} tally={summary.total} testId="se-summary-total" strong />}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function TallyRow({ label, tally, testId, strong = false }: { label: string; tally: SelfEvaluationTally; testId: string; strong?: boolean }) {
  const { m } = useT();
  const cell = (text: string | number) => (strong ? <strong>{text}</strong> : text);
  return (
    <tr data-testid={testId}>
      <td style={{ minWidth: "10em" }}>{cell(label)}</td>
      <td className="num">{cell(tally.projects)}</td>
      <td className="num">{cell(tally.filed)}</td>
      <td className="num">{cell(tally.accepted)}</td>
      {GRADES.map((grade) => (
        <td key={grade} className="num">
          {cell(tally.grades[grade])}
        </td>
      ))}
      <td className="num">{cell(tally.averageTotal ?? "—")}</td>
      <td>
        {tally.belowGood.length === 0
          ? "—"
          : strong
            ? cell(tally.belowGood.length)
            : tally.belowGood.map((project, index) => (
                <span key={project.projectId}>
                  {index > 0 && " · "}
                  <Link to={`/projects/${project.projectId}/self-evaluation`}>{project.project}</Link>{" "}
                  <span className="muted small">{m(msg("slScoreAndGrade", { total: project.total, grade: gradeMessage(project.grade) }))}</span>
                </span>
              ))}
      </td>
    </tr>
  );
}
