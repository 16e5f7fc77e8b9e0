import { msg, type Message } from "../../../messages/index.ts";
import { money } from "../../../domain/money.ts";
import { TargetError, isTargetParseError, parseTarget, targetCompletion, type Judgement } from "../../../domain/targets.ts";
import type { DeviationExplanation } from "./submission.ts";
import { blank } from "./text.ts";

/*
 * One indicator row of the tracking form (主要跟踪指标): its completion against the target due now,
 * or a message saying why it cannot be read.
 */

/** One indicator row of the form as typed in (主要跟踪指标), before its completion is computed. */
export interface TrackingIndicatorInput extends DeviationExplanation {
  indicatorId: string;
  /** 三级指标. */
  name: string;
  /** 年度指标值 as declared. */
  annualTarget: string;
  /** 应完成的绩效目标值 at the tracking date; the annual target when blank. */
  dueTarget: string | null;
  /** Chosen as a key indicator of this tracking (主要跟踪指标); untracked rows do not count. */
  tracked: boolean;
  /** Why the row is not tracked; required for an untracked row before submission. */
  untrackedReason?: string | null;
  /** 实际完成值 of a quantitative target, e.g. "1809人次". */
  actual: string | null;
  /** 达成 / 部分达成 / 未达成 of a qualitative target. */
  judgement: Judgement | null;
}

/** An indicator row's computed reading: completion and deviation, or why it cannot be read. */
export interface IndicatorEvaluation {
  qualitative: boolean;
  completion: string | null;
  met: boolean | null;
  /** Numeric where the target is quantitative: "-2371人", "0个百分点" (deviationMessage shows it). */
  deviation: string | null;
  /** Why the target or the actual cannot be read. */
  error: Message | null;
}

/** The largest completion a form records (±9,999,999.99%); beyond it the figures are surely mistyped. */
export const MAX_COMPLETION = "9999999.99";

/** Why targetCompletion could not read an actual value, as a message (domain/targets.ts throws TargetError with it). */
function actualProblem(error: unknown): Message {
  if (error instanceof TargetError) return error.detail;
  return msg("asWritten", { text: (error as Error).message });
}

/**
 * Reads one indicator row against its due target (else the annual target): quantitative ones from
 * the actual, qualitative ones from the judgement. Example: evaluateIndicator({ …, annualTarget:
 * "≥85%", actual: "80%" }) → { completion: "94.12", met: false, deviation: "-5个百分点", … }.
 * A completion beyond ±MAX_COMPLETION (a due target of "≥0.001%" against an actual of "100%") is an
 * error naming it, not a reading.
 */
export function evaluateIndicator(row: TrackingIndicatorInput): IndicatorEvaluation {
  const targetText = blank(row.dueTarget) ? row.annualTarget : (row.dueTarget as string);
  const target = parseTarget(targetText);
  const unread = (error: Message): IndicatorEvaluation => ({ qualitative: false, completion: null, met: null, deviation: null, error });
  if (isTargetParseError(target)) return unread(msg("trTargetUnreadable", { target: targetText, reason: target.problem }));
  if (target.kind === "qualitative") {
    const result = targetCompletion(target, null, row.judgement ?? undefined);
    return { qualitative: true, completion: result.completion, met: result.met, deviation: null, error: null };
  }
  const actual = blank(row.actual) ? null : (row.actual as string).trim();
  try {
    const result = targetCompletion(target, actual);
    if (result.completion !== null && money(result.completion).abs().greaterThan(MAX_COMPLETION)) {
      const shown = result.completion.length > 24 ? `${result.completion.slice(0, 20)}…` : result.completion;
      return unread(msg("trCompletionOutOfRange", { shown, max: MAX_COMPLETION }));
    }
    return { qualitative: false, completion: result.completion, met: result.met, deviation: result.deviation, error: null };
  } catch (error) {
    return unread(actualProblem(error));
  }
}

/** A computed deviation as a message: "-5个百分点" → -5个百分点 / -5 pp; other units (the target's own) as written. */
export function deviationMessage(deviation: string): Message {
  const points = /^(.*)个百分点$/.exec(deviation);
  return points ? msg("trPercentagePoints", { value: points[1]! }) : msg("asWritten", { text: deviation });
}
