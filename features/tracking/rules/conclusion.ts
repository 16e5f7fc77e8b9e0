import { msg, type Message } from "../../../messages/index.ts";
import { DEFAULT_FLAG_THRESHOLD } from "../../../domain/execution.ts";
import { money } from "../../../domain/money.ts";

/*
 * The stage conclusion of the mid-year tracking form (三、阶段性跟踪结论). The conclusion is stored as
 * written on the official form (运行正常 / 运行偏差, tracking_form.stage_conclusion); the interface shows it
 * through the catalogue (conclusionMessage).
 */

/** 阶段性跟踪结论, as stored. */
export type StageConclusion = "运行正常" | "运行偏差";
export const STAGE_CONCLUSIONS: readonly StageConclusion[] = ["运行正常", "运行偏差"];

/** An item of the form that can fail the 75% rule: the budget execution or one indicator. */
export type TrackedItem = { kind: "execution" } | { kind: "indicator"; indicatorId: string };

/** One indicator's completion as targetCompletion reports it. */
export interface IndicatorCompletion {
  indicatorId: string;
  completion: string | null;
  met: boolean | null;
}

/**
 * The stage conclusion: 运行正常 when the execution rate and every indicator reach the threshold
 * (at least, so 75.00 passes and 74.99 fails); an indicator also passes when it is met (a ≤ bound
 * kept); an indicator not yet reported fails; a project with nothing budgeted (rate null) does not
 * fail on execution. Example (华漕 2024-08-31): stageConclusion({ executionRate: "86.51",
 * targetCompletions: [{ indicatorId: "资金结算准确率", completion: "100.00", met: true }] }) → 运行正常.
 */
export function stageConclusion(input: {
  executionRate: string | null;
  targetCompletions: readonly IndicatorCompletion[];
  threshold?: string;
}): { conclusion: StageConclusion; failing: TrackedItem[] } {
  const threshold = money(input.threshold ?? DEFAULT_FLAG_THRESHOLD);
  const failing: TrackedItem[] = [];
  if (input.executionRate !== null && money(input.executionRate).lessThan(threshold)) failing.push({ kind: "execution" });
  for (const item of input.targetCompletions) {
    const passes = item.met === true || (item.completion !== null && money(item.completion).greaterThanOrEqualTo(threshold));
    if (!passes) failing.push({ kind: "indicator", indicatorId: item.indicatorId });
  }
  return { conclusion: failing.length === 0 ? "运行正常" : "运行偏差", failing };
}

/** A stored conclusion as a message: 运行正常 / Normal. */
export function conclusionMessage(conclusion: StageConclusion): Message {
  return msg(conclusion === "运行正常" ? "trConclusionNormal" : "trConclusionDeviation");
}

/**
 * The conclusion as the official form states it, with the threshold: "1、运行正常（执行率和目标完成度均在75%以上）。"
 * ("75.00" is written 75).
 */
export function conclusionStatement(conclusion: StageConclusion, threshold: string): Message {
  const shown = money(threshold).toFixed();
  return conclusion === "运行正常" ? msg("trConclusionNormalText", { threshold: shown }) : msg("trConclusionDeviationText", { threshold: shown });
}
