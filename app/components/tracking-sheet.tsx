import type { ReactNode } from "react";
import { MAX_TEXT } from "../../domain/text";
import type { TrackingFormView } from "../../features/tracking/service";
import { formatAmount } from "../../domain/money";
import {
  DEVIATION_CATEGORIES,
  JUDGEMENTS,
  LIKELIHOODS,
  categoryMessage,
  causeMessage,
  conclusionStatement,
  deviationMessage,
  judgementMessage,
  storedJudgementMessage,
  likelihoodMessage,
} from "../../features/tracking/rules";
import { formatDate, type Message, type PlainKey } from "../../messages";
import { msg, useT, type Language } from "../i18n";
import { levelSpans } from "./run-spans";
import { TimelinessOfferNote } from "./timeliness-offer";
import type { TimelinessOffer } from "../../features/payments/service";
import { TIMELINESS_LEVEL2, levelMessage } from "../../domain/declaration";

/*
 * The mid-year tracking form laid out as 附件2-1: header block, basic information, implementation,
 * the key indicators, the stage conclusion, the overall judgement, problems and measures, signatures.
 * Editable on the form page (inputs named as parseTrackingFields reads them; problemFieldName in
 * features/tracking/rules names the input a problem is about), plain text in print. Labels, stored
 * choices (likelihoods, judgements, categories) and the conclusion come from the catalogue in the
 * user's language; what users typed is shown as typed.
 */

interface SheetProps {
  view: TrackingFormView;
  editable: boolean;
  /** Input names to mark as missing or wrong. */
  highlight?: readonly string[];
  /** Why an input could not be read (a refused save), shown beside it. */
  errors?: Readonly<Record<string, Message>>;
  /** The batches' 及时率 up to the period's end, offered beside the 时效指标 rows of an editable form. */
  timeliness?: TimelinessOffer | null;
  /** What a refused save had typed (input name → value), shown in the inputs instead of the stored form. */
  typed?: Readonly<Record<string, string>>;
}

export function TrackingFormSheet({ view, editable, highlight = [], errors = {}, timeliness = null, typed }: SheetProps) {
  const { t, m, language } = useT();
  const marked = new Set(highlight);
  /** An input's value: as a refused save typed it (a native post reloads the page), else as stored. */
  const entered = (name: string, stored: string | null) => typed?.[name] ?? stored ?? "";
  // Reported and below the threshold: highlighted (rows not reported yet are listed under the conclusion).
  const reported = new Set(view.indicators.filter((row) => row.reading.completion !== null || row.reading.met !== null).map((row) => row.key));
  const failingIndicators = new Set(view.evaluation.failing.flatMap((item) => (item.kind === "indicator" && reported.has(item.indicatorId) ? [item.indicatorId] : [])));
  const executionFails = view.evaluation.failing.some((item) => item.kind === "execution");
  const { fields, project } = view;
  const causeLabel = (code: string | null) => {
    const cause = code === null ? undefined : view.causes.find((candidate) => candidate.code === code);
    return cause ? m(causeMessage(cause)) : (code ?? "");
  };
  /** Given parts joined as label and value: "结算滞后：部分医院…". */
  const joined = (...parts: Array<string | null>) => parts.filter((part): part is string => part !== null && part !== "").join(t("trColon"));
  // Amounts as the page shows them, and in their inputs as officers type them (1,500,000.00; parseAmount reads it back).
  const yuan = (amount: string | null) => (amount === null ? "" : formatAmount(amount));

  const text = (name: string, value: string | null, options: { rows?: number; testId?: string; placeholder?: string } = {}): ReactNode => {
    if (!editable) return <span className="sheet-text">{value ?? ""}</span>;
    const error = errors[name];
    const described = error ? { "aria-invalid": true, "aria-describedby": `${name}.error` } : {};
    const common = { name, defaultValue: entered(name, value), maxLength: MAX_TEXT, className: marked.has(name) ? "field-missing" : undefined, "data-testid": options.testId ?? name, placeholder: options.placeholder, ...described };
    return (
      <>
        {options.rows ? <textarea rows={options.rows} {...common} /> : <input {...common} />}
        {error && <div className="field-error no-print" id={`${name}.error`} data-testid={`${name}.error`}>{m(error)}</div>}
      </>
    );
  };
  const choice = (name: string, value: string | null, options: ReadonlyArray<{ value: string; label: string }>): ReactNode => {
    if (!editable) {
      return (
        <span className="sheet-choices">
          {options.map((option) => (
            <span key={option.value}>
              {option.label} {value === option.value ? "☑" : "☐"}
            </span>
          ))}
        </span>
      );
    }
    return (
      <span className={`sheet-choices${marked.has(name) ? " field-missing" : ""}`} data-testid={name}>
        {options.map((option) => (
          <label key={option.value}>
            <input type="radio" name={name} value={option.value} defaultChecked={entered(name, value) === option.value} /> {option.label}
          </label>
        ))}
      </span>
    );
  };
  const causeSelect = (name: string, value: string | null): ReactNode => {
    if (!editable) return <span className="sheet-text">{causeLabel(value)}</span>;
    const active = view.causes.filter((cause) => cause.active || cause.code === value);
    return (
      <select name={name} defaultValue={entered(name, value)} className={marked.has(name) ? "field-missing" : undefined} data-testid={name}>
        <option value="">{t("trChooseCause")}</option>
        {DEVIATION_CATEGORIES.map((category) => (
          <optgroup key={category} label={m(categoryMessage(category))}>
            {active
              .filter((cause) => cause.category === category)
              .map((cause) => (
                <option key={cause.code} value={cause.code}>
                  {m(causeMessage(cause))}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    );
  };
  /** A cause: category and words as inputs, or in print "结算滞后：部分医院结算数据…". */
  const causeCell = (codeName: string, code: string | null, textName: string, value: string | null): ReactNode => {
    if (!editable) return <span className="sheet-text">{joined(causeLabel(code), value)}</span>;
    return (
      <>
        {causeSelect(codeName, code)}
        {text(textName, value, { rows: 2, placeholder: t("trCauseText") })}
      </>
    );
  };
  const yesNo = [
    { value: "yes", label: t("yes") },
    { value: "no", label: t("no") },
  ];
  const boolValue = (value: boolean | null) => (value === null ? null : value ? "yes" : "no");
  const likelihoods = LIKELIHOODS.map((value) => ({ value, label: m(likelihoodMessage(value)) }));
  const rate = view.evaluation.executionRate;
  const spans = levelSpans(view.indicators);

  return (
    <div className="tracking-sheet">
      <p className="sheet-annex">{t("trAnnex")}</p>
      <h2 className="sheet-title">{t("trSheetTitle")}</h2>
      <table className="form-table sheet-table">
        <tbody>
          <tr>
            <th>
              {t("trTown")}
              <span className="stamp-hint">{t("trStampHint")}</span>
            </th>
            <td colSpan={5}>{project.supervisingDepartment ?? ""}</td>
          </tr>
          <tr>
            <th>{t("project")}</th>
            <td colSpan={5} data-testid="sheet-project">
              {project.name}
            </td>
          </tr>
          <tr>
            <th>{t("unit")}</th>
            <td colSpan={2}>{project.unitName}</td>
            <th>{t("trImplementing")}</th>
            <td colSpan={2}>{project.implementingUnit ?? ""}</td>
          </tr>
          <tr>
            <th>{t("trPeriod")}</th>
            <td colSpan={2} data-testid="sheet-period">
              {formDate(language, view.periodStart)} — {formDate(language, view.periodEnd)}
            </td>
            <th>{t("recurring")}</th>
            <td colSpan={2}>{`${t("yes")} ${project.recurring ? "☑" : "☐"} ${t("no")} ${project.recurring ? "☐" : "☑"}`}</td>
          </tr>
          <tr>
            <th>{t("trBudget")}</th>
            <td className="num ledger-figure" data-testid="form-budget" title={t("trFromLedger")}>
              {yuan(view.budget)}
            </td>
            <th>{t("trExecuted")}</th>
            <td className="num ledger-figure" data-testid="form-executed" title={t("trFromLedger")}>
              {yuan(view.executed)}
            </td>
            <th>{t("trProgress")}</th>
            <td className={`num ledger-figure${executionFails ? " failing" : ""}`} data-testid="form-rate" title={t("trFromLedger")}>
              {rate === null ? "—" : `${rate}%`}
            </td>
          </tr>
          <tr>
            <th>{t("trAdjustmentNeeded")}</th>
            <td>{choice("adjustmentNeeded", boolValue(fields.adjustmentNeeded), yesNo)}</td>
            <th>{t("trAdjustedBudget")}</th>
            <td>{editable ? text("adjustedBudget", yuan(fields.adjustedBudget)) : yuan(fields.adjustedBudget)}</td>
            <th>{t("trDecreaseIncrease")}</th>
            <td className="stacked-inputs">
              {editable ? (
                <>
                  {text("adjustmentDecrease", yuan(fields.adjustmentDecrease), { placeholder: t("trDecrease") })}
                  {text("adjustmentIncrease", yuan(fields.adjustmentIncrease), { placeholder: t("trIncrease") })}
                </>
              ) : (
                `${yuan(fields.adjustmentDecrease) || "—"} / ${yuan(fields.adjustmentIncrease) || "—"}`
              )}
            </td>
          </tr>
          <tr>
            <th>{t("trPreAssessment")}</th>
            <td colSpan={5}>{editable ? text("preAssessmentBudget", yuan(fields.preAssessmentBudget)) : yuan(fields.preAssessmentBudget)}</td>
          </tr>
          <tr>
            <th>{t("trKeyReason")}</th>
            <td colSpan={5}>{text("keyTrackingReason", fields.keyTrackingReason, { rows: 2 })}</td>
          </tr>
          <tr>
            <td colSpan={6}>
              <div className="sheet-heading">{t("trBasicInfo")}</div>
              {text("basicInfo", fields.basicInfo, { rows: 6 })}
            </td>
          </tr>
          <tr>
            <td colSpan={6}>
              <div className="sheet-heading">{t("trImplementation")}</div>
              {text("implementationStatus", fields.implementationStatus, { rows: 4 })}
            </td>
          </tr>
          <tr>
            <th>{t("trEstimate")}</th>
            <td colSpan={2}>
              {editable ? text("estimatedFullYear", yuan(fields.estimatedFullYear ?? view.prefill)) : yuan(fields.estimatedFullYear ?? view.prefill)}
              <div className="muted small no-print" data-testid="estimate-prefill">
                {m(msg("trPrefillOf", { amount: view.prefill, method: msg(PREFILL_METHOD[view.prefillMethod]) }))}
              </div>
            </td>
            <th>{t("trEstimateReason")}</th>
            <td colSpan={2}>{text("estimatedFullYearReason", fields.estimatedFullYearReason, { rows: 2 })}</td>
          </tr>
          {/* Advice to whoever fills or reviews the form; an accepted form is settled and prints without it. */}
          {view.evaluation.warnings.length > 0 && !view.frozen && (
            <tr className="no-print">
              <td colSpan={6}>
                <ul className="problem-list warnings" data-testid="tracking-warnings">
                  {view.evaluation.warnings.map((warning) => (
                    <li key={warning.code}>{m(warning)}</li>
                  ))}
                </ul>
              </td>
            </tr>
          )}
          {(executionFails || fields.executionCauseCode || fields.executionCause || fields.executionMeasure) && (
            <tr className={executionFails ? "row-failing" : undefined} data-testid="execution-deviation">
              <th>{t("trExecutionDeviation")}</th>
              <td colSpan={2}>{causeCell("executionCauseCode", fields.executionCauseCode, "executionCause", fields.executionCause)}</td>
              <th>{t("trMeasure")}</th>
              <td colSpan={2}>{text("executionMeasure", fields.executionMeasure, { rows: 2 })}</td>
            </tr>
          )}
        </tbody>
      </table>

      <table className="form-table sheet-table">
        <tbody>
          <tr>
            <td colSpan={4}>
              <div className="sheet-heading">{t("trConclusionHeading")}</div>
              <p data-testid="stage-conclusion" className={view.evaluation.conclusion === "运行偏差" ? "failing" : "passing"}>
                {m(conclusionStatement(view.evaluation.conclusion, view.threshold))}
              </p>
              {view.evaluation.failing.length > 0 && (
                <ul className="problem-list errors" data-testid="failing-items">
                  {view.evaluation.failing.map((item) => (
                    <li key={item.kind === "execution" ? "execution" : item.indicatorId}>
                      {item.kind === "execution"
                        ? `${t("trProgress")} ${rate ?? "—"}%`
                        : (() => {
                            const row = view.indicators.find((candidate) => candidate.key === item.indicatorId);
                            const shown =
                              row?.reading.completion !== null && row?.reading.completion !== undefined
                                ? `${row.reading.completion}%`
                                : row?.reading.met === false
                                  ? row.judgement === null ? "" : m(storedJudgementMessage(row.judgement))
                                  : row?.reading.error
                                    ? t("trValueUnreadable")
                                    : t("trNotReported");
                            return `${row?.name ?? ""}${t("trColon")}${shown}`;
                          })()}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
          <tr>
            <th rowSpan={2}>{t("trOverall")}</th>
            <th>{t("trBudgetLikelihood")}</th>
            <td colSpan={2}>{choice("budgetLikelihood", fields.budgetLikelihood, likelihoods)}</td>
          </tr>
          <tr>
            <th>{t("trTargetLikelihood")}</th>
            <td colSpan={2}>{choice("targetLikelihood", fields.targetLikelihood, likelihoods)}</td>
          </tr>
          <tr>
            <td colSpan={4}>
              <div className="sheet-heading">{t("trProblemsHeading")}</div>
              <div>
                {t("trProblemsItem")}
                {text("problems", fields.problems, { rows: 3 })}
              </div>
              <div>
                {t("trMeasuresItem")}
                {text("measures", fields.measures, { rows: 3 })}
              </div>
            </td>
          </tr>
        </tbody>
      </table>
      {view.indicators.length > 0 && (
        <>
          <h3 className="sheet-subtitle">{t("trIndicators")}</h3>
          <div className="table-scroll">
            {/* The paper's columns and group headers (附件2-1); 全年预计完成情况 as the national monitoring form has it.
                On screen also the inputs the figures come from: 纳入跟踪 and 是否整改 (printed only when answered 是). */}
            <table className="data-table sheet-indicators" data-testid="tracking-indicators">
              <colgroup>
                {["level1", "level2", "name", "target", "due", "completion", "estimate", "deviation", "cause", "measure"].map((column) => (
                  <col key={column} className={`ti-${column}`} />
                ))}
                {editable && <col className="no-print" />}
                {editable && <col className="no-print" />}
              </colgroup>
              <thead>
                <tr>
                  <th rowSpan={2}>{t("level1")}</th>
                  <th rowSpan={2}>{t("level2")}</th>
                  <th rowSpan={2}>{t("indicator")}</th>
                  <th rowSpan={2}>{t("annualTarget")}</th>
                  <th colSpan={4}>{t("trGroupCompletion")}</th>
                  <th colSpan={2}>{t("trGroupCorrection")}</th>
                  {editable && (
                    <th rowSpan={2} className="no-print">
                      {t("trRectify")}
                    </th>
                  )}
                  {editable && (
                    <th rowSpan={2} className="no-print">
                      {t("trTracked")}
                    </th>
                  )}
                </tr>
                <tr>
                  <th>{t("trDueTarget")}</th>
                  <th>{t("trCompletion")}</th>
                  <th>{t("trEstimateValue")}</th>
                  <th>{t("trDeviation")}</th>
                  <th>{t("trCause")}</th>
                  <th>{t("trMeasure")}</th>
                </tr>
              </thead>
              <tbody>
                {view.indicators.map((row, index) => {
                  const name = (field: string) => `ind.${row.key}.${field}`;
                  // 一级/二级 merged over their rows as on paper.
                  const levels = (
                    <>
                      {spans.level1[index]! > 0 && <td rowSpan={spans.level1[index]} className="level-cell">{m(levelMessage(row.level1))}</td>}
                      {spans.level2[index]! > 0 && <td rowSpan={spans.level2[index]} className="level-cell">{m(levelMessage(row.level2))}</td>}
                      <td>{row.name}</td>
                      <td>{row.annualTarget}</td>
                    </>
                  );
                  const failing = failingIndicators.has(row.key);
                  const reading = row.reading;
                  if (!editable && !row.tracked) {
                    // Shown to the reviewer and in print, greyed, with the stated reason: not hidden.
                    return (
                      <tr key={row.key} className="row-untracked" data-testid={`indicator-${row.name}`}>
                        {levels}
                        <td colSpan={6} data-testid={`untracked-${row.name}`}>
                          {joined(t("trUntracked"), row.untrackedReason)}
                        </td>
                      </tr>
                    );
                  }
                  const completion = reading.completion !== null ? `${reading.completion}%` : "";
                  return (
                    <tr key={row.key} className={failing ? "row-failing" : row.tracked ? undefined : "row-untracked"} data-testid={`indicator-${row.name}`}>
                      {levels}
                      <td>{text(name("dueTarget"), row.dueTarget)}</td>
                      <td className={failing ? "failing" : undefined} data-testid={`completion-${row.name}`}>
                        {reading.qualitative ? (
                          editable ? (
                            <select name={name("judgement")} defaultValue={entered(name("judgement"), row.judgement)} className={marked.has(name("actual")) ? "field-missing" : undefined} data-testid={name("judgement")} aria-label={t("trActual")}>
                              <option value="">{t("trJudge")}</option>
                              {JUDGEMENTS.map((judgement) => (
                                <option key={judgement} value={judgement}>
                                  {m(judgementMessage(judgement))}
                                </option>
                              ))}
                            </select>
                          ) : (
                            <span>{row.judgement === null ? "" : m(storedJudgementMessage(row.judgement))}</span>
                          )
                        ) : editable ? (
                          <>
                            {text(name("actual"), row.actual, { placeholder: t("trActual") })}
                            {completion && <div className="small">{completion}</div>}
                          </>
                        ) : (
                          // As on paper: the value reached, and how much of the target that is.
                          <span className="sheet-text">{[row.actual, completion && `（${completion}）`].filter(Boolean).join("")}</span>
                        )}
                        {reading.qualitative && (editable || row.description) && <div>{text(name("description"), row.description, { placeholder: t("trDescription") })}</div>}
                        {reading.error && <div className="field-error small">{m(reading.error)}</div>}
                        {editable && timeliness && row.level2 === TIMELINESS_LEVEL2 && <TimelinessOfferNote offer={timeliness} input={reading.qualitative ? null : name("actual")} />}
                      </td>
                      <td>{text(name("estimatedFullYear"), row.estimatedFullYear)}</td>
                      <td>{reading.qualitative ? text(name("deviation"), row.deviation) : reading.met ? t("trNoDeviation") : reading.deviation === null ? "" : m(deviationMessage(reading.deviation))}</td>
                      <td className="ti-cause-cell">{causeCell(name("causeCode"), row.causeCode, name("cause"), row.cause)}</td>
                      <td>
                        {text(name("measure"), row.measure, { rows: editable ? 2 : undefined })}
                        {!editable && row.rectify === true && (
                          <div className="sheet-text" data-testid={`rectify-${row.name}`}>
                            {joined(t("trRectifyYes"), row.rectifyAdvice)}
                          </div>
                        )}
                      </td>
                      {editable && (
                        <td className="no-print ti-side-cell">
                          {choice(name("rectify"), boolValue(row.rectify), yesNo)}
                          {text(name("rectifyAdvice"), row.rectifyAdvice, { placeholder: t("trRectifyAdvice") })}
                        </td>
                      )}
                      {editable && (
                        <td className="no-print ti-side-cell">
                          <select name={name("tracked")} defaultValue={entered(name("tracked"), row.tracked ? "yes" : "no")} data-testid={name("tracked")}>
                            <option value="yes">{t("yes")}</option>
                            <option value="no">{t("no")}</option>
                          </select>
                          {text(name("untrackedReason"), row.untrackedReason, { placeholder: t("trUntrackedReason") })}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}

      <table className="form-table sheet-table sheet-notes">
        <tbody>
          <tr>
            <td>
              <div className="sheet-heading">{t("trOtherNotes")}</div>
              {text("otherNotes", fields.otherNotes, { rows: 3 })}
            </td>
          </tr>
        </tbody>
      </table>

      <div className="sheet-signatures">
        <span>
          {t("trLeader")}
          {t("trColon")}
          {text("leaderSignature", fields.leaderSignature)}
        </span>
        <span>
          {t("trPerformanceLead")}
          {t("trColon")}
          {text("performanceLeadSignature", fields.performanceLeadSignature)}
        </span>
        <span>
          {t("trPreparer")}
          {t("trColon")}
          {text("preparerSignature", fields.preparerSignature)}
        </span>
        <span>
          {t("trFilledOn")}
          {t("trColon")}
          {editable ? <input type="date" name="filledOn" defaultValue={entered("filledOn", fields.filledOn)} data-testid="filledOn" /> : <span className="sheet-text">{fields.filledOn ?? ""}</span>}
        </span>
      </div>
    </div>
  );
}

const PREFILL_METHOD = {
  profile: "trPrefillProfile",
  "no-previous-year": "trPrefillLinear",
  "none-by-then": "trPrefillNoneByThen",
  "nothing-paid": "trPrefillNothingPaid",
} as const satisfies Record<TrackingFormView["prefillMethod"], PlainKey>;

/** The official form's dates: 2024年01月01日; in English 1 Jan 2024. */
function formDate(language: Language, iso: string): string {
  return language === "zh" ? iso.replace(/^(\d{4})-(\d{2})-(\d{2})$/, "$1年$2月$3日") : formatDate(language, iso);
}
