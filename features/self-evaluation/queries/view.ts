import type { DB } from "../../../db/pool.ts";
import type { TrackingFormStatus } from "../../../db/schema.ts";
import { getProjectSummaryLedger, type ProjectHeader } from "../../../db/projects.ts";
import { getGradeBands } from "../../../db/settings.ts";
import { projectExecution } from "../../../domain/project-execution.ts";
import type { GradeBands } from "../../../domain/execution.ts";
import type { Judgement } from "../../../domain/targets.ts";
import type { WorkflowEvent } from "../../workflow/queries.ts";
import { isEditable, isFrozen } from "../../workflow/rules.ts";
import { evaluateSelfEvaluation, FUND_ROWS, isReadableScore, sheetIndicator, type FundedAmounts, type IndicatorReading, type SelfEvaluationResult } from "../rules/index.ts";
import { getSelfEvaluationOf, type FundWrite, type IndicatorWrite, type SelfEvaluationWrite } from "./sheets.ts";
import { latestAcceptedTracking, type MidYearRow } from "./mid-year.ts";

/*
 * Assembles a project's self-evaluation (绩效自评表) for the form, the print, the export and the CLI:
 * the ledger as of 31 December of the project's year, the declaration's 预期目标 and indicators, what
 * was entered, and everything the rules compute. A sheet under review or accepted shows its stored
 * snapshot exactly as submitted; an unsaved, draft or returned one follows the ledger and the
 * declaration live. An unsaved one is pre-filled from the latest accepted mid-year tracking form
 * (its actual values, judgements, causes and measures, and its implementation status) as a start.
 * Grades follow the bands in force (setting grade_bands) unless the caller passes others; a sheet under
 * review or accepted keeps the grade it was submitted with.
 */

/** What a user types per indicator row. */
export interface SelfEvaluationEntry {
  actual: string | null;
  judgement: Judgement | null;
  /** 得分 as entered; null (blank) takes the rule's. */
  score: string | null;
  scoreReason: string | null;
  deviationAnalysis: string | null;
}

/** What a user types on the sheet: 实际完成情况, and per indicator (keyed by the row's key, the indicator id) its entries. */
export interface SelfEvaluationContent {
  actualSummary: string | null;
  indicators: Record<string, Partial<SelfEvaluationEntry>>;
}

/** An indicator row on the sheet: the declared indicator, what was entered, the rules' reading and the mid-year start. */
export interface SelfEvaluationRowView extends SelfEvaluationEntry {
  key: string;
  indicatorId: number | null;
  level1: string;
  level2: string;
  name: string;
  annualTarget: string;
  weight: string | null;
  reading: IndicatorReading;
  /** The latest accepted tracking form's row of the same indicator, if any. */
  midYear: MidYearRow | null;
}

export interface SelfEvaluationView {
  project: ProjectHeader;
  /** 31 December of the project's year: the ledger's date. */
  yearEnd: string;
  evaluationId: number | null;
  status: TrackingFormStatus | null;
  version: number | null;
  frozen: boolean;
  /** Under review or accepted: shown from its stored snapshot. */
  snapshot: boolean;
  /** 预期目标 (the declaration's annual goal). */
  expectedGoal: string | null;
  actualSummary: string | null;
  rows: SelfEvaluationRowView[];
  result: SelfEvaluationResult;
  reviewComment: string | null;
  updatedAt: string | null;
  events: WorkflowEvent[];
  /** The tracking form offered as a start: its period end, or null when none was accepted. */
  midYearPeriodEnd: string | null;
}

const EMPTY_ENTRY: SelfEvaluationEntry = { actual: null, judgement: null, score: null, scoreReason: null, deviationAnalysis: null };

/** The mid-year row's cause and measure as a start for 偏差原因分析及改进措施 (null when it has neither). */
function midYearAnalysis(row: MidYearRow | undefined): string | null {
  const parts = [row?.cause, row?.measure].filter((part): part is string => part !== null && part !== undefined && part.trim() !== "");
  return parts.length > 0 ? parts.join("；") : null;
}

/**
 * Loads a project's self-evaluation: the saved sheet, or an unsaved draft pre-filled from the ledger,
 * the declaration and the mid-year form; with `content`, as it would read with those entries (an
 * editable sheet only); graded by `gradeBands`, else by the stored setting. Undefined when there is
 * no such project.
 */
export async function loadSelfEvaluation(
  db: DB,
  projectId: number,
  options: { content?: SelfEvaluationContent; gradeBands?: GradeBands } = {},
): Promise<SelfEvaluationView | undefined> {
  const ledger = await getProjectSummaryLedger(db, projectId);
  if (!ledger) return undefined;
  const { project } = ledger;
  const yearEnd = `${project.fiscalYear}-12-31`;
  const [stored, midYear, declared, gradeBands] = await Promise.all([
    getSelfEvaluationOf(db, projectId),
    latestAcceptedTracking(db, projectId),
    db.selectFrom("performance_declaration").select("annual_goal as annualGoal").where("project_id", "=", projectId).executeTakeFirst(),
    options.gradeBands ?? getGradeBands(db),
  ]);
  const evaluation = stored?.evaluation;
  const snapshot = evaluation !== undefined && !isEditable(evaluation.status);
  const midYearOf = new Map((midYear?.rows ?? []).map((row) => [row.indicatorId, row]));

  let total: FundedAmounts | { initial: string; adjusted: string; executed: string };
  let lines: FundedAmounts[];
  if (snapshot) {
    const byRow = new Map(stored!.funds.map((fund) => [fund.fundRow, fund]));
    const zero = { initial: "0.00", adjusted: "0.00", executed: "0.00" };
    total = byRow.get("total") ?? zero;
    lines = FUND_ROWS.filter((kind) => kind !== "total").map((kind) => ({ ...(byRow.get(kind) ?? zero), fundType: kind }));
  } else {
    const live = projectExecution({ fiscalYear: project.fiscalYear, lines: ledger.lines, adjustments: ledger.adjustments, payments: ledger.paymentGroups }, yearEnd);
    total = live.figures;
    const fundTypes = new Map(ledger.lines.map((line) => [line.id, line.fundType]));
    lines = live.lines.map((line) => ({ initial: line.initial, adjusted: line.adjusted, executed: line.executed, fundType: fundTypes.get(line.lineId)! }));
  }

  const savedById = new Map((stored?.indicators ?? []).map((row) => [row.indicatorId, row]));
  const baseRows: Array<Omit<SelfEvaluationRowView, "reading">> = snapshot
    ? stored!.indicators.map((row) => ({
        key: row.indicatorId === null ? `s${row.sortOrder}` : String(row.indicatorId),
        ...row,
        midYear: row.indicatorId === null ? null : (midYearOf.get(row.indicatorId) ?? null),
      }))
    : ledger.indicators.map((indicator) => {
        const saved = savedById.get(indicator.id);
        const start = midYearOf.get(indicator.id);
        const entry: SelfEvaluationEntry = saved
          ? { actual: saved.actual, judgement: saved.judgement, score: saved.score, scoreReason: saved.scoreReason, deviationAnalysis: saved.deviationAnalysis }
          : { ...EMPTY_ENTRY, actual: start?.actual ?? null, judgement: start?.judgement ?? null, deviationAnalysis: midYearAnalysis(start) };
        const typed = options.content?.indicators[String(indicator.id)] ?? {};
        return {
          key: String(indicator.id),
          indicatorId: indicator.id,
          level1: indicator.level1,
          level2: indicator.level2,
          name: indicator.name,
          annualTarget: indicator.target,
          weight: indicator.weight,
          ...entry,
          ...typed,
          midYear: start ?? null,
        };
      });

  const expectedGoal = snapshot ? evaluation!.expectedGoal : (declared?.annualGoal ?? evaluation?.expectedGoal ?? null);
  const actualSummary =
    options.content && !snapshot ? options.content.actualSummary : evaluation ? evaluation.actualSummary : (midYear?.implementationStatus ?? null);
  const evaluated = evaluateSelfEvaluation({
    total,
    lines,
    actualSummary,
    gradeBands,
    indicators: baseRows.map(sheetIndicator),
  });
  // A sheet under review or accepted is not regraded when the bands change: it keeps its stored grade.
  const result = snapshot ? { ...evaluated, grade: evaluation!.grade } : evaluated;
  return {
    project,
    yearEnd,
    evaluationId: evaluation?.id ?? null,
    status: evaluation?.status ?? null,
    version: evaluation?.version ?? null,
    frozen: evaluation !== undefined && isFrozen(evaluation.status),
    snapshot,
    expectedGoal,
    actualSummary,
    rows: baseRows.map((row, index) => ({ ...row, reading: result.indicators[index]! })),
    result,
    reviewComment: evaluation?.reviewComment ?? null,
    updatedAt: evaluation?.updatedAt ?? null,
    events: stored?.events ?? [],
    midYearPeriodEnd: midYear?.periodEnd ?? null,
  };
}

/** What a save writes for the view as evaluated: the texts, the computed scores, the funds rows and the indicator rows. */
export function selfEvaluationWrite(view: SelfEvaluationView): { values: SelfEvaluationWrite; funds: FundWrite[]; indicators: IndicatorWrite[] } {
  const { result } = view;
  return {
    values: {
      expectedGoal: view.expectedGoal,
      actualSummary: view.actualSummary,
      fundScore: result.fundScore,
      indicatorScore: result.indicatorScore,
      totalScore: result.total,
      ruleTotal: result.ruleTotal,
      grade: result.grade,
    },
    funds: result.funds.map((row) => ({ fundRow: row.kind, initial: row.initial, adjusted: row.adjusted, executed: row.executed })),
    indicators: view.rows.map((row) => ({
      indicatorId: row.indicatorId,
      level1: row.level1,
      level2: row.level2,
      name: row.name,
      annualTarget: row.annualTarget,
      weight: row.weight,
      actual: blankToNull(row.actual),
      judgement: row.judgement,
      ruleScore: row.reading.ruleScore,
      // Stored only when readable: an unreadable entry is a problem of the sheet, kept out of the NUMERIC column.
      score: row.score !== null && isReadableScore(row.score) ? row.score.trim() : null,
      scoreReason: blankToNull(row.scoreReason),
      deviationAnalysis: blankToNull(row.deviationAnalysis),
    })),
  };
}

const blankToNull = (text: string | null): string | null => (text === null || text.trim() === "" ? null : text.trim());
