import { useState, type FormEvent } from "react";
import { JUDGEMENTS, type Judgement } from "../../domain/targets";
import type { SelfEvaluationContent, SelfEvaluationView } from "../../features/self-evaluation/service";
import { actualSummaryProblem, problemFieldName, readIndicator, sheetIndicator, sheetProblems, sheetTotals, type IndicatorReading, type SheetIndicator, type SheetProblem, type SheetTotals } from "../../features/self-evaluation/rules";

/*
 * The self-evaluation sheet as the user types (the editable form): each indicator row read again by the
 * rules the server applies (readIndicator) and 总分 / 评分等级 added up again (sheetTotals), so the rule's
 * score, the departure and below-weight marks, the total and the grade follow every keystroke, and a score
 * above its weight or an unreadable value is named at its field before anything is sent. The server
 * evaluates the same inputs with the same functions when the sheet is saved.
 */

const FIELD = /^ind\.([^.]{1,20})\.(actual|judgement|score|scoreReason|deviationAnalysis)$/;

export interface LiveSheet {
  readings: IndicatorReading[];
  totals: SheetTotals;
  /** The problems of each input, by its name (ind.<key>.<field>). */
  problems: Map<string, SheetProblem[]>;
  /** Everything that keeps the sheet from being submitted, as typed (the server's list when not live). */
  all: SheetProblem[];
  /** Inputs that hold something (a problem of a typed value is shown at once; a missing one after a refusal). */
  filled: Set<string>;
  /** To put on the element holding the inputs (change events bubble). */
  onChange: (event: FormEvent<HTMLElement>) => void;
}

function entriesOf(view: SelfEvaluationView): Record<string, SheetIndicator> {
  return Object.fromEntries(view.rows.map((row) => [row.key, sheetIndicator(row)]));
}

export function useLiveSheet(view: SelfEvaluationView, live: boolean): LiveSheet {
  // What was typed, started again from the stored sheet whenever a save or a review changes it.
  const identity = `${view.evaluationId}-${view.version}-${view.status}`;
  const [typed, setTyped] = useState(() => ({ identity, entries: entriesOf(view), summary: view.actualSummary ?? "" }));
  const current = typed.identity === identity ? typed : { identity, entries: entriesOf(view), summary: view.actualSummary ?? "" };
  if (current !== typed) setTyped(current);
  const { entries, summary } = current;
  const readings = live ? view.rows.map((row) => readIndicator(entries[row.key]!)) : view.rows.map((row) => row.reading);
  const totals = live ? sheetTotals(view.result.fundScore, readings, view.result.gradeBands) : view.result;
  const problems = new Map<string, SheetProblem[]>();
  // The sheet's own problem at a field: 实际完成情况 missing.
  const summaryProblem = live ? actualSummaryProblem(summary) : null;
  if (summaryProblem) problems.set("actualSummary", [summaryProblem]);
  const summaryBlank = summary.trim() === "";
  for (const reading of readings) {
    for (const problem of reading.problems) {
      const name = problemFieldName(problem);
      problems.set(name, [...(problems.get(name) ?? []), problem]);
    }
  }
  const filled = new Set<string>(summaryBlank ? [] : ["actualSummary"]);
  for (const entry of Object.values(entries)) {
    for (const field of ["actual", "judgement", "score", "scoreReason", "deviationAnalysis"] as const) {
      const value = entry[field];
      if (value !== null && value.trim() !== "") filled.add(`ind.${entry.key}.${field}`);
    }
  }
  const onChange = (event: FormEvent<HTMLElement>) => {
    if (!live) return;
    const target = event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    const value = target.value;
    if (target.name === "actualSummary") return setTyped((state) => ({ ...state, summary: value }));
    const match = FIELD.exec(target.name ?? "");
    if (!match || !entries[match[1]!]) return;
    const [, key, field] = match as unknown as [string, string, keyof SheetIndicator];
    setTyped((state) => ({
      ...state,
      entries: { ...state.entries, [key]: { ...state.entries[key]!, [field]: field === "judgement" ? (value === "" ? null : (value as Judgement)) : value } },
    }));
  };
  const all = live ? sheetProblems(view.result.weightSum, summary, readings) : view.result.problems;
  return { readings, totals, problems, all, filled, onChange };
}

/**
 * The sheet with what a refused save had typed in place of the stored entries (a post without JavaScript
 * reloads the page, so the inputs show what the view holds); rows and fields not posted keep the stored ones,
 * and a judgement that is not one of the choices is none.
 * sheetAsTyped(view, { actualSummary: "…", indicators: { "12": { score: "8,5" } } }).rows[0].score → "8,5"
 */
export function sheetAsTyped(view: SelfEvaluationView, typed: SelfEvaluationContent): SelfEvaluationView {
  const rows = view.rows.map((row) => {
    const entry = typed.indicators[row.key];
    if (!entry) return row;
    const judgement = entry.judgement === undefined ? row.judgement : JUDGEMENTS.includes(entry.judgement as Judgement) ? entry.judgement : null;
    return { ...row, ...entry, judgement };
  });
  return { ...view, actualSummary: typed.actualSummary ?? view.actualSummary, rows };
}
