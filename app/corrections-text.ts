import { fill, type MessageKey } from "./i18n";
import type { CorrectionProblem } from "../domain/corrections";
import type { UndoBlocker } from "../features/import/queries/undo";
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

/** The blockers' parameters that are amounts in 元 (shown with thousands separators). */
const MONEY_PARAMS = ["amount", "added", "used", "budget", "executed"] as const;

/** Why an import batch cannot be undone, in the user's language, amounts as money: "… 2,500.00 元 …". */
export function blockerText(t: Translate, blocker: UndoBlocker): string {
  const params = { ...blocker.params };
  if (params.what) params.what = t(`corWhat_${params.what}` as MessageKey);
  for (const name of MONEY_PARAMS) {
    const value = params[name];
    if (value !== undefined) params[name] = amountText(value);
  }
  return fill(t(`corBlk_${blocker.code}` as MessageKey), params);
}
