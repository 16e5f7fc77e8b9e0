import { msg, type Message } from "../../../messages/index.ts";
import { DEFAULT_FLAG_THRESHOLD } from "../../../domain/execution.ts";
import { money, percentage } from "../../../domain/money.ts";
import type { TrackingFormInput } from "./submission.ts";
import { blank } from "./text.ts";

/**
 * Warnings that do not block submission: the estimated full-year execution rate below the
 * threshold (even when the current rate passes), or above 100% while no budget adjustment is asked for. Example: budget 1,109,200.00 and an
 * estimate of 800,000.00 → [全年预计执行率 72.12% 低于 75%] (trEstimateBelow).
 */
export function submissionWarnings(form: TrackingFormInput): Message[] {
  const warnings: Message[] = [];
  const estimate = form.estimatedFullYearExecution;
  if (estimate === null || blank(estimate)) return warnings;
  const rate = percentage(estimate, form.budget);
  if (rate === null) return warnings;
  const threshold = form.threshold ?? DEFAULT_FLAG_THRESHOLD;
  if (money(rate).lessThan(threshold)) warnings.push(msg("trEstimateBelow", { rate, threshold: money(threshold).toFixed() }));
  // Above 100%: a budget adjustment may be needed — unless the form already asks for one; answered 否, the two disagree.
  if (money(rate).greaterThan(100) && form.adjustmentNeeded !== true) {
    warnings.push(msg(form.adjustmentNeeded === false ? "trEstimateAboveNoAdjustment" : "trEstimateAbove", { rate }));
  }
  return warnings;
}
