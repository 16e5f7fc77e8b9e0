import type { ReactNode } from "react";
import { MAX_TEXT } from "../../domain/text";
import type { SelfEvaluationView } from "../../features/self-evaluation/service";
import { gradeMessage, type FundRowKind } from "../../features/self-evaluation/rules";
import { JUDGEMENTS, judgementMessage } from "../../domain/targets";
import type { Message, PlainKey } from "../../messages";
import { msg, useT } from "../i18n";
import { levelSpans } from "./run-spans";
import { TimelinessOfferNote } from "./timeliness-offer";
import type { TimelinessOffer } from "../../features/payments/service";
import { TIMELINESS_LEVEL2, levelMessage } from "../../domain/declaration";
import { useLiveSheet, type LiveSheet } from "./self-evaluation-live";
import { ScoringRules } from "./self-evaluation-rules";

/*
 * The year-end self-evaluation (财政项目支出绩效自评表) laid out as seeds/003: header (项目名称, 主管部门,
 * 实施单位), 项目资金（万元） with the funds rows, 年度总体目标 (预期目标 / 实际完成情况), the indicator table
 * (一级/二级/三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施), 总分 and 评分等级, then
 * signature lines. Editable on the form page (inputs named as the route reads them: actualSummary and
 * ind.<key>.<field>, the names problemFieldName gives), plain text in print. Where an entered score departs
 * from the rule, the rule's score stands beside it and the row is marked for the reviewer. While it is edited,
 * the rows, 总分 and 评分等级 follow what is typed (useLiveSheet: the server's rules), and what is wrong is named
 * at its field: a typed value at once, a missing one after a refused submission. The scoring rules and the grade
 * bands are printed under the sheet.
 */

interface SheetProps {
  view: SelfEvaluationView;
  editable: boolean;
  /** Input names to mark as missing or wrong. */
  highlight?: readonly string[];
  /** The year's batches' 及时率, offered beside the 时效指标 rows of an editable sheet. */
  timeliness?: TimelinessOffer | null;
  /** The sheet as typed, when the page holds it (to list its problems too); else the sheet keeps its own. */
  live?: LiveSheet;
  /** Why an input could not be read (a refused save, by input name), shown beside it when the live sheet names nothing there. */
  errors?: Readonly<Record<string, Message>>;
}

const FUND_LABEL: Record<FundRowKind, PlainKey> = {
  total: "seFundsTotal",
  当年财政拨款: "seFundsCurrentYear",
  上年结转: "seFundsCarriedOver",
  其他资金: "seFundsOther",
};

export function SelfEvaluationSheet({ view, editable, highlight = [], timeliness = null, live: given, errors = {} }: SheetProps) {
  const { t, m } = useT();
  const marked = new Set(highlight);
  const { project, result } = view;
  const own = useLiveSheet(view, editable && given === undefined);
  const live = given ?? own;
  const totals = live.totals;
  // What is wrong with an input, shown beside it: a typed value's problem at once, a missing value's after a refusal.
  const shown = (name: string): ReadonlyArray<{ message: Message }> => {
    if (!editable) return [];
    const problems = live.filled.has(name) || marked.has(name) ? (live.problems.get(name) ?? []) : [];
    const refused = errors[name];
    return problems.length === 0 && refused ? [{ message: refused }] : problems;
  };
  const missing = (name: string) => (marked.has(name) || shown(name).length > 0 ? "field-missing" : undefined);
  const invalid = (name: string) => ({ "aria-invalid": shown(name).length > 0 ? true : undefined, "aria-describedby": shown(name).length > 0 ? `${name}.error` : undefined });
  const fieldError = (name: string): ReactNode => {
    const problems = shown(name);
    if (problems.length === 0) return null;
    return (
      <div className="field-error no-print" id={`${name}.error`} data-testid={`${name}.error`}>
        {problems.map((problem, index) => (
          <div key={index}>{m(problem.message)}</div>
        ))}
      </div>
    );
  };
  const text = (name: string, value: string | null, options: { rows?: number; placeholder?: string; label?: string } = {}): ReactNode => {
    if (!editable) return <span className="sheet-text">{value ?? ""}</span>;
    const common = { name, defaultValue: value ?? "", maxLength: MAX_TEXT, className: missing(name), "data-testid": name, placeholder: options.placeholder, "aria-label": options.label, ...invalid(name) };
    return (
      <>
        {options.rows ? <textarea rows={options.rows} {...common} /> : <input {...common} />}
        {fieldError(name)}
      </>
    );
  };
  // 一级/二级 merged over their runs as on paper (二级 within its 一级).
  const { level1: level1Spans, level2: level2Spans } = levelSpans(view.rows);
  const weightsOff = result.weightSum !== "90.00";

  return (
    <div className="tracking-sheet self-evaluation-sheet" onChange={live.onChange}>
      <h2 className="sheet-title">{t("seTitle")}</h2>
      <p className="sheet-year">{m(msg("seYearOf", { year: project.fiscalYear }))}</p>
      <table className="form-table sheet-table se-table" data-testid="self-evaluation-sheet">
        <colgroup>
          <col className="se-c1" />
          <col className="se-c2" />
          <col className="se-c3" />
          <col className="se-c4" />
          <col className="se-c5" />
          <col className="se-c6" />
          <col className="se-c7" />
          <col className="se-c8" />
        </colgroup>
        <tbody>
          <tr>
            <th>{t("seProjectName")}</th>
            <td colSpan={7} data-testid="sheet-project">
              {project.name}
            </td>
          </tr>
          <tr>
            <th>{t("seSupervising")}</th>
            <td colSpan={3}>{project.supervisingDepartment ?? ""}</td>
            <th>{t("seImplementing")}</th>
            <td colSpan={3}>{project.implementingUnit ?? project.unitName}</td>
          </tr>
          <tr>
            <th rowSpan={result.funds.length + 1}>{t("seProjectFunds")}</th>
            <th />
            <th>{t("seInitial")}</th>
            <th>{t("seAdjusted")}</th>
            <th>{t("seExecuted")}</th>
            <th>{t("slxFundsWeight")}</th>
            <th>{t("seRate")}</th>
            <th>{t("seScore")}</th>
          </tr>
          {result.funds.map((row) => (
            <tr key={row.kind} data-testid={`funds-${row.kind === "total" ? "total" : row.kind}`}>
              <th className="se-fund-label">{t(FUND_LABEL[row.kind])}</th>
              <td className="num ledger-figure" title={`${row.initial} ${t("yuan")}`}>
                {row.initialWan}
              </td>
              <td className="num ledger-figure" title={`${row.adjusted} ${t("yuan")}`}>
                {row.adjustedWan}
              </td>
              <td className="num ledger-figure" title={`${row.executed} ${t("yuan")}`}>
                {row.executedWan}
              </td>
              <td className="num">{row.weight ?? "-"}</td>
              <td className="num">{row.executionRate ?? "-"}</td>
              <td className="num" data-testid={row.kind === "total" ? "fund-score" : undefined}>
                {row.score ?? "-"}
              </td>
            </tr>
          ))}
          <tr>
            <th rowSpan={2}>{t("seGoal")}</th>
            <th colSpan={3}>{t("seExpectedGoal")}</th>
            <th colSpan={4}>{t("seActualSummary")}</th>
          </tr>
          <tr>
            <td colSpan={3} className="se-goal">
              <span className="sheet-text">{view.expectedGoal ?? ""}</span>
            </td>
            <td colSpan={4} className="se-goal">
              {text("actualSummary", view.actualSummary, { rows: 5, label: t("seActualSummary") })}
            </td>
          </tr>
          <tr className="se-indicator-head">
            <th>{t("seLevel1")}</th>
            <th>{t("seLevel2")}</th>
            <th>{t("seLevel3")}</th>
            <th>{t("seAnnualTarget")}</th>
            <th>{t("seActual")}</th>
            <th>{t("seWeight")}</th>
            <th>{t("seScore")}</th>
            <th>{t("seDeviationAnalysis")}</th>
          </tr>
          {view.rows.length === 0 && (
            <tr>
              <td colSpan={8} className="muted">
                {t("seNoIndicators")}
              </td>
            </tr>
          )}
          {view.rows.map((row, index) => {
            const name = (field: string) => `ind.${row.key}.${field}`;
            const reading = live.readings[index]!;
            const qualitative = reading.qualitative;
            const actualCell: ReactNode = qualitative ? (
              editable ? (
                <select name={name("judgement")} defaultValue={row.judgement ?? ""} className={missing(name("judgement"))} data-testid={name("judgement")} aria-label={t("seActual")} {...invalid(name("judgement"))}>
                  <option value="" />
                  {JUDGEMENTS.map((judgement) => (
                    <option key={judgement} value={judgement}>
                      {m(judgementMessage(judgement))}
                    </option>
                  ))}
                </select>
              ) : (
                <span className="sheet-text">{row.judgement === null ? "" : row.judgement === "达成" ? t("seAchievedIndicator") : m(judgementMessage(row.judgement))}</span>
              )
            ) : (
              text(name("actual"), row.actual, { label: t("seActual") })
            );
            return (
              <tr key={row.key} className={reading.departure ? "se-departure" : reading.belowWeight ? "row-failing" : undefined} data-testid={`se-row-${row.name}`}>
                {level1Spans[index]! > 0 && <td rowSpan={level1Spans[index]} className="level-cell">{m(levelMessage(row.level1))}</td>}
                {level2Spans[index]! > 0 && <td rowSpan={level2Spans[index]} className="level-cell">{m(levelMessage(row.level2))}</td>}
                <td>{row.name}</td>
                <td>{row.annualTarget}</td>
                <td>
                  {actualCell}
                  {qualitative && fieldError(name("judgement"))}
                  {editable && row.midYear && (row.midYear.actual || row.midYear.judgement) && (
                    <div className="muted small no-print">{m(msg("seMidYearOf", { date: view.midYearPeriodEnd ?? "", text: row.midYear.actual ?? row.midYear.judgement ?? "" }))}</div>
                  )}
                  {editable && timeliness && row.level2 === TIMELINESS_LEVEL2 && <TimelinessOfferNote offer={timeliness} input={qualitative ? null : name("actual")} />}
                </td>
                <td className="num">{row.weight ?? ""}</td>
                <td className="num se-score" data-testid={`score-${row.key}`}>
                  {editable ? (
                    <input
                      name={name("score")}
                      defaultValue={row.score ?? ""}
                      className={missing(name("score"))}
                      data-testid={name("score")}
                      inputMode="decimal"
                      placeholder={reading.ruleScore ?? t("seScorePlaceholder")}
                      aria-label={t("seScore")}
                      {...invalid(name("score"))}
                    />
                  ) : (
                    <span>{reading.score ?? ""}</span>
                  )}
                  {reading.departure && (
                    <div className="se-rule" data-testid={`rule-${row.key}`} title={t("seDepartureMark")}>
                      ※ {m(msg("seRuleScoreOf", { score: reading.ruleScore ?? "" }))}
                    </div>
                  )}
                  {editable && !reading.departure && reading.ruleScore !== null && live.filled.has(name("score")) && (
                    <div className="muted small">{m(msg("seRuleScoreOf", { score: reading.ruleScore }))}</div>
                  )}
                  {fieldError(name("score"))}
                </td>
                <td>
                  {text(name("deviationAnalysis"), row.deviationAnalysis, { rows: reading.belowWeight ? 3 : 1, label: t("seDeviationAnalysis") })}
                  {editable ? (
                    <textarea
                      name={name("scoreReason")}
                      defaultValue={row.scoreReason ?? ""}
                      maxLength={MAX_TEXT}
                      rows={reading.departure ? 2 : 1}
                      className={`se-reason-input ${missing(name("scoreReason")) ?? ""}`}
                      data-testid={name("scoreReason")}
                      placeholder={t("seScoreReasonPlaceholder")}
                      aria-label={t("seScoreReason")}
                      {...invalid(name("scoreReason"))}
                    />
                  ) : null}
                  {editable ? (
                    fieldError(name("scoreReason"))
                  ) : (
                    reading.departure &&
                    row.scoreReason && (
                      <div className="se-reason">
                        {t("seScoreReason")}
                        {t("trColon")}
                        {row.scoreReason}
                      </div>
                    )
                  )}
                </td>
              </tr>
            );
          })}
          <tr className="se-total">
            <th colSpan={5}>{t("seTotalScore")}</th>
            <td className={`num${weightsOff ? " failing" : ""}`} data-testid="weight-total" title={weightsOff ? m(msg("seWeightsWarning", { sum: result.weightSum })) : undefined}>
              {result.weightTotal}
            </td>
            <td className="num" data-testid="total-score" aria-live="polite">
              <strong>{totals.total}</strong>
              {totals.total !== totals.ruleTotal && <div className="se-rule">※ {m(msg("seRuleScoreOf", { score: totals.ruleTotal }))}</div>}
            </td>
            <td />
          </tr>
          <tr>
            <th>{t("seGrade")}</th>
            <td colSpan={7} data-testid="grade" aria-live="polite">
              <strong>{m(gradeMessage(view.snapshot ? result.grade : totals.grade))}</strong>
              {totals.grade !== totals.ruleGrade && <span className="se-rule"> ※ {m(msg("seRuleScoreOf", { score: m(gradeMessage(totals.ruleGrade)) }))}</span>}
            </td>
          </tr>
        </tbody>
      </table>
      <p className="sheet-signatures">
        {(["seSignFiller", "seSignReviewer", "seSignHead", "seSignDate"] as const).map((key) => (
          <span key={key}>
            {t(key)}
            {t("trColon")}
            <span className="sheet-text"> </span>
          </span>
        ))}
      </p>
      <ScoringRules bands={result.gradeBands} />
      <p className="muted small">{m(msg("seLedgerNote", { date: view.yearEnd }))}</p>
    </div>
  );
}
