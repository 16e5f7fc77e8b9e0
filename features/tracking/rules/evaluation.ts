import { msg, type Message } from "../../../messages/index.ts";
import { percentage } from "../../../domain/money.ts";
import { stageConclusion, type StageConclusion, type TrackedItem } from "./conclusion.ts";
import { evaluateIndicator, type IndicatorEvaluation, type TrackingIndicatorInput } from "./indicator.ts";
import { itemMessage, submissionProblems, type SubmissionProblem, type TrackedIndicator, type TrackingFormInput } from "./submission.ts";
import { submissionWarnings } from "./warnings.ts";
import { blank } from "./text.ts";

/** The whole form as the rules see it: what the ledger says, what was typed in, and the indicator rows. */
export type TrackingFormDraft = Omit<TrackingFormInput, "indicators"> & { indicators: readonly TrackingIndicatorInput[] };

/** Everything the form page shows that is computed: per-row readings, the stage conclusion, problems and warnings. */
export interface TrackingEvaluation {
  executionRate: string | null;
  conclusion: StageConclusion;
  failing: TrackedItem[];
  /** In the order of the input rows. */
  indicators: IndicatorEvaluation[];
  /** What keeps the form from being submitted (empty: it may be submitted). */
  problems: SubmissionProblem[];
  warnings: Message[];
}

/**
 * Evaluates a tracking form: each tracked indicator's completion, the stage conclusion (execution
 * rate and every tracked indicator at least the threshold), the submission problems naming each
 * missing field, and the warnings. Example: 华漕 as of 2024-08-31 with every tracked indicator met
 * → { executionRate: "86.51", conclusion: "运行正常", problems: [] , … }.
 */
export function evaluateTrackingForm(form: TrackingFormDraft): TrackingEvaluation {
  const readings = form.indicators.map(evaluateIndicator);
  const tracked = form.indicators.map((row, index) => ({ row, reading: readings[index]! })).filter(({ row }) => row.tracked);
  const indicators: TrackedIndicator[] = tracked.map(({ row, reading }) => ({
    indicatorId: row.indicatorId,
    name: row.name,
    completion: reading.completion,
    met: reading.met,
    causeCode: row.causeCode,
    cause: row.cause,
    measure: row.measure,
  }));
  const executionRate = percentage(form.executed, form.budget);
  const { failing } = stageConclusion({
    executionRate,
    targetCompletions: indicators.filter((indicator) => indicator.completion !== null || indicator.met !== null),
    threshold: form.threshold,
  });
  const unreadable = new Map(tracked.filter(({ reading }) => reading.error !== null).map(({ row, reading }) => [row.indicatorId, { row, reading }]));
  const problems: SubmissionProblem[] = [];
  // Leaving an indicator out of the tracking must be explained, and not every indicator may be left out.
  for (const row of form.indicators) {
    if (!row.tracked && blank(row.untrackedReason)) {
      problems.push({
        item: { kind: "indicator", indicatorId: row.indicatorId },
        field: "untrackedReason",
        message: msg("trUntrackedReasonMissing", { item: itemMessage({ kind: "indicator", name: row.name }) }),
      });
    }
  }
  if (form.indicators.length === 0) {
    // Nothing to track: the targets are declared first (绩效目标填报表), then tracked.
    problems.push({ item: { kind: "form" }, field: "tracked", message: msg("trNoIndicators") });
  } else if (tracked.length === 0) {
    problems.push({ item: { kind: "form" }, field: "tracked", message: msg("trNoneTracked") });
  }
  for (const { row, reading } of unreadable.values()) {
    problems.push({
      item: { kind: "indicator", indicatorId: row.indicatorId },
      field: "actual",
      message: msg("trItemProblem", { item: itemMessage({ kind: "indicator", name: row.name }), problem: reading.error! }),
    });
  }
  for (const problem of submissionProblems({ ...form, indicators })) {
    const item = problem.item;
    if (item.kind === "indicator" && problem.field === "completion" && unreadable.has(item.indicatorId)) continue;
    problems.push(problem);
  }
  // Not yet reported counts as failing too, so the page highlights it.
  const allFailing: TrackedItem[] = [...failing];
  for (const indicator of indicators) {
    if (indicator.completion === null && indicator.met === null) allFailing.push({ kind: "indicator", indicatorId: indicator.indicatorId });
  }
  return {
    executionRate,
    conclusion: allFailing.length === 0 ? "运行正常" : "运行偏差",
    failing: allFailing,
    indicators: readings,
    problems,
    warnings: submissionWarnings({ ...form, indicators }),
  };
}
