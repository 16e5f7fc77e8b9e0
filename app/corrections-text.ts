import { fill, type MessageKey } from "./i18n";
import type { CorrectionProblem } from "../domain/corrections";
import { formatAmount } from "../domain/money";

type Translate = (key: MessageKey) => string;

/** An amount as stored, shown as money: amountText("-56307.81") → "-56,307.81"; anything else as it is. */
export function amountText(value: string): string {
  return /^-?\d+(\.\d+)?$/.test(value) ? formatAmount(value) : value;
}

/**
 * A field problem of a correction form in the user's language, for callers holding a translator of
 * keys (the CLI's, a page's `t`): problemText(t, msg("corErr_invalidDate", { detail: "2024-02-30" })).
 * Its parameters are plain values (the value typed, a date range).
 */
export function problemText(t: Translate, problem: CorrectionProblem): string {
  const params = Object.fromEntries(Object.entries(problem.params ?? {}).map(([name, value]) => [name, typeof value === "object" ? "" : value]));
  return fill(t(problem.code), params);
}
