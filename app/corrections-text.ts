import type { MessageKey } from "./i18n";
import type { CorrectionProblem } from "../domain/corrections";
import type { UndoBlocker } from "../db/import-undo";

/** Fills {name} placeholders: fill("批次 #{id}", { id: "3" }) → "批次 #3". */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

type Translate = (key: MessageKey) => string;

/** A field problem of a correction form in the user's language. */
export function problemText(t: Translate, problem: CorrectionProblem): string {
  return fill(t(`corErr_${problem.code}` as MessageKey), { detail: problem.detail ?? "" });
}

/** Why an import batch cannot be undone, in the user's language. */
export function blockerText(t: Translate, blocker: UndoBlocker): string {
  const params = { ...blocker.params };
  if (params.what) params.what = t(`corWhat_${params.what}` as MessageKey);
  return fill(t(`corBlk_${blocker.code}` as MessageKey), params);
}
