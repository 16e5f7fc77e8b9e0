import { msg, type Message } from "../messages/index.ts";

/** Longest text accepted in one field of the performance forms and the catalogues they use. */
export const MAX_TEXT = 4000;

/**
 * The problem with a posted text, or null: too long, or holding control characters the database
 * cannot store (NUL) or a form cannot show. Shared by the tracking form, the self-evaluation, the
 * workflow's review comments and the administrator's catalogues.
 * textProblem("a\u0000b", msg("trProblems")) → 存在问题：含有无效的控制字符.
 */
export function textProblem(value: string, label: Message): Message | null {
  if (value.length > MAX_TEXT) return msg("trTextTooLong", { label, max: MAX_TEXT });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) return msg("trTextControl", { label });
  return null;
}
