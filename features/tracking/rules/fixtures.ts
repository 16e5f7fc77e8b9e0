import { isTargetParseError, parseTarget, targetCompletion } from "../../../domain/targets.ts";
import { render, type Message } from "../../../messages/index.ts";
import type { TrackedIndicator, TrackingFormInput } from "./submission.ts";
import type { TrackingIndicatorInput } from "./indicator.ts";

/* Shared by the rules' tests (not a test itself). */

/** A message as the Chinese interface shows it. */
export const zh = (message: Message | null): string | null => (message === null ? null : render("zh", message));

/** 马桥 2024 payments per month (DOMAIN.md, from the cumulative curve of 表1-4-2). */
export const MAQIAO_2024_MONTHLY = [
  "87149.70", "35722.10", "30010.15", "44492.61", "38118.25", "92940.10",
  "62703.06", "21047.14", "69446.96", "55438.40", "44688.65", "57561.19",
];

/** An indicator row of the form, its completion computed from target and actual as the app would. */
export function indicatorRow(name: string, targetText: string, actual: string | null, judgement?: "达成" | "部分达成" | "未达成"): TrackedIndicator {
  const target = parseTarget(targetText);
  if (isTargetParseError(target)) throw new Error(target.message);
  const { completion, met } = targetCompletion(target, actual, judgement);
  return { indicatorId: name, name, completion, met, causeCode: null, cause: null, measure: null };
}

/** 华漕's mid-year form of 2024-08-31 (seeds/000): 959,622.79 of 1,109,200.00, every indicator met. */
export function huacaoForm(): TrackingFormInput {
  return {
    budget: "1109200.00",
    executed: "959622.79",
    execution: { causeCode: null, cause: null, measure: null },
    indicators: [
      indicatorRow("全年门急诊医疗救助最高限额", "≤2800元/人", "2800"),
      indicatorRow("全年住院医疗救助最高限额", "≤13万/人", "13"),
      indicatorRow("医疗救助总人次", "目标人群基本覆盖（按年度实际数据填列）", null, "达成"),
      indicatorRow("资金结算准确率", "100.00%", "100.00%"),
      indicatorRow("医疗救助及时率", "100.00%", "100.00%"),
      indicatorRow("救助对象类型覆盖率", "100.00%", "100.00%"),
      indicatorRow("有责违规事件发生数", "0发生", "0发生"),
      indicatorRow("医疗保障制度体系建设", "有效推进", null, "达成"),
    ],
    adjustmentNeeded: false,
    budgetCompletionLikelihood: "确定能完成",
    targetCompletionLikelihood: "确定能完成",
    estimatedFullYearExecution: null,
  };
}

/** An indicator row as typed in, tracked and unreported unless given. */
export const row = (name: string, annualTarget: string, values: Partial<TrackingIndicatorInput> = {}): TrackingIndicatorInput => ({
  indicatorId: name,
  name,
  annualTarget,
  dueTarget: null,
  tracked: true,
  actual: null,
  judgement: null,
  causeCode: null,
  cause: null,
  measure: null,
  ...values,
});
