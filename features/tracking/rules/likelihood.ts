import { msg, type Message, type MessageKey } from "../../../messages/index.ts";
import { JUDGEMENTS, judgementMessage, type Judgement } from "../../../domain/targets.ts";

/*
 * The answers the form offers as fixed choices, stored as the official form writes them (Chinese):
 * the completion likelihoods (预算完成可能性 / 目标完成可能性), and, from domain/targets.ts, the judgement
 * of a qualitative indicator (达成 / 部分达成 / 未达成). The interface shows them through the catalogue.
 */

/** 预算完成可能性 / 目标完成可能性, as stored. */
export const LIKELIHOODS = ["确定能完成", "有可能完成", "确定不能完成"] as const;
export type Likelihood = (typeof LIKELIHOODS)[number];

/** The catalogue keys naming the likelihoods. */
export const LIKELIHOOD_MESSAGE_KEYS = {
  确定能完成: "trLikelihoodCertain",
  有可能完成: "trLikelihoodPossible",
  确定不能完成: "trLikelihoodNot",
} as const satisfies Record<Likelihood, MessageKey>;

/** The judgements of a qualitative indicator and their messages (domain/targets.ts). */
export { JUDGEMENTS, judgementMessage, type Judgement };

/** A stored likelihood as a message; anything else as written. */
export function likelihoodMessage(value: string): Message {
  return value in LIKELIHOOD_MESSAGE_KEYS ? msg(LIKELIHOOD_MESSAGE_KEYS[value as Likelihood]) : msg("asWritten", { text: value });
}

/** A stored judgement (tracking_form_indicator.judgement, text) as a message; anything else as written. */
export function storedJudgementMessage(value: string): Message {
  return (JUDGEMENTS as readonly string[]).includes(value) ? judgementMessage(value as Judgement) : msg("asWritten", { text: value });
}
