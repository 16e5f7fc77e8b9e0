import { DEFAULT_GRADE_BANDS, grade, type BudgetAmounts, type Grade, type GradeBands } from "../../../domain/execution.ts";
import { money, sumMoney } from "../../../domain/money.ts";
import { msg } from "../../../messages/index.ts";
import { fundsRows, FUNDS_WEIGHT, type FundedAmounts, type FundsRow } from "./funds.ts";
import { readIndicator, type IndicatorReading, type SheetIndicator, type SheetProblem } from "./indicators.ts";

/*
 * The whole self-evaluation (绩效自评表): funds rows, indicator rows, 总分 and 评分等级 as entered and as
 * the rules give them, the departures for the reviewer, and the problems that keep it from being
 * submitted (each naming its row and field, as the tracking form's do).
 */

/** The indicators' weights add to this (the funds row has the other 10). */
export const INDICATOR_WEIGHT_TOTAL = "90.00";

export interface SelfEvaluationInput {
  /** The project's amounts as of 31 December (all its lines and payments). */
  total: BudgetAmounts;
  /** Per budget line (or fund type): amounts as of 31 December. */
  lines: readonly FundedAmounts[];
  /** 实际完成情况 as written. */
  actualSummary: string | null;
  indicators: readonly SheetIndicator[];
  /** The grade bands in force; Shanghai's when absent. */
  gradeBands?: Readonly<GradeBands>;
}

/** An entered score that departs from the rule, for the reviewer and the CLI. */
export interface Departure {
  key: string;
  name: string;
  weight: string | null;
  ruleScore: string;
  score: string;
  reason: string | null;
}

/** 总分 and 评分等级 as entered and by the rule alone. */
export interface SheetTotals {
  /** The indicators' scores as counted (entered, else the rule's), added up. */
  indicatorScore: string;
  /** The rule's scores added up. */
  ruleIndicatorScore: string;
  /** 总分 = funds score + indicator score. */
  total: string;
  /** 总分 by the rule alone. */
  ruleTotal: string;
  grade: Grade;
  ruleGrade: Grade;
}

export interface SelfEvaluationResult extends SheetTotals {
  funds: FundsRow[];
  executionRate: string | null;
  /** 得分 of the funds row. */
  fundScore: string;
  /** The indicators' weights added up. */
  weightSum: string;
  /** The sheet's 分值 total: the funds' 10 and the indicators' weights (100.00 when they add to 90). */
  weightTotal: string;
  indicators: IndicatorReading[];
  /** The grade bands the grades were read from. */
  gradeBands: GradeBands;
  departures: Departure[];
  problems: SheetProblem[];
}

const sum = (values: ReadonlyArray<string | null>): string => sumMoney(values.map((value) => value ?? "0")).toFixed(2);

/** 实际完成情况 must be written: actualSummaryProblem("  ") → the problem at its field; null when written. */
export function actualSummaryProblem(actualSummary: string | null): SheetProblem | null {
  return actualSummary === null || actualSummary.trim() === "" ? { item: { kind: "sheet" }, field: "actualSummary", message: msg("seMissingActualSummary") } : null;
}

/**
 * What keeps a sheet from being submitted, in the sheet's order: the weights not adding up to 90, 实际完成情况
 * missing, then each indicator's problems. The one list, used by the server's evaluation and by the form as
 * the user types: sheetProblems("90.00", "", readings) → [{ field: "actualSummary", … }, …].
 */
export function sheetProblems(weightSum: string, actualSummary: string | null, readings: ReadonlyArray<Pick<IndicatorReading, "problems">>): SheetProblem[] {
  const problems: SheetProblem[] = [];
  if (!money(weightSum).equals(INDICATOR_WEIGHT_TOTAL)) problems.push({ item: { kind: "sheet" }, field: "weights", message: msg("seWeightsSum", { sum: weightSum }) });
  const summary = actualSummaryProblem(actualSummary);
  if (summary) problems.push(summary);
  for (const row of readings) problems.push(...row.problems);
  return problems;
}

/**
 * 总分 = the funds row's score + the indicators' counted scores (a row without one counts 0), and its grade;
 * the same by the rule's scores alone. The sheet's one definition, used by the server's evaluation and by the
 * form as the user types: sheetTotals("9.99", [{ score: "9.50", ruleScore: "5.26" }, …]) → { total: "98.99", grade: "优", … }.
 */
export function sheetTotals(
  fundScore: string,
  readings: ReadonlyArray<Pick<IndicatorReading, "score" | "ruleScore">>,
  bands: Readonly<GradeBands> = DEFAULT_GRADE_BANDS,
): SheetTotals {
  const indicatorScore = sum(readings.map((row) => row.score));
  const ruleIndicatorScore = sum(readings.map((row) => row.ruleScore));
  const total = money(fundScore).plus(indicatorScore).toFixed(2);
  const ruleTotal = money(fundScore).plus(ruleIndicatorScore).toFixed(2);
  return { indicatorScore, ruleIndicatorScore, total, ruleTotal, grade: grade(total, bands), ruleGrade: grade(ruleTotal, bands) };
}

/**
 * Evaluates a sheet. Example (003 长护险护理试点工作经费): funds 17.22 / 17.22 / 17.20 万元 → 99.88%, 9.99;
 * indicators as entered 89.00 → 总分 98.99 优, with one departure (培训覆盖人次: entered 9.50, rule 5.26).
 */
export function evaluateSelfEvaluation(input: SelfEvaluationInput): SelfEvaluationResult {
  const funds = fundsRows(input.total, input.lines);
  const totalRow = funds[0]!;
  const fundScore = totalRow.score!;
  const indicators = input.indicators.map((row, index) => readIndicator(row));
  const weightSum = sum(input.indicators.map((row) => row.weight));
  const bands = { ...(input.gradeBands ?? DEFAULT_GRADE_BANDS) };
  const totals = sheetTotals(fundScore, indicators, bands);

  const problems = sheetProblems(weightSum, input.actualSummary, indicators);

  const departures = indicators.flatMap((reading, index): Departure[] => {
    if (!reading.departure) return [];
    const row = input.indicators[index]!;
    return [{ key: row.key, name: row.name, weight: row.weight, ruleScore: reading.ruleScore!, score: reading.score!, reason: row.scoreReason }];
  });
  return {
    funds,
    executionRate: totalRow.executionRate,
    fundScore,
    weightSum,
    weightTotal: money(FUNDS_WEIGHT).plus(weightSum).toFixed(2),
    indicators,
    ...totals,
    gradeBands: bands,
    departures,
    problems,
  };
}
