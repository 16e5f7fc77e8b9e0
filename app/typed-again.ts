/**
 * What a refused form had typed, to show in its fields again (a post without JavaScript reloads the page, so the
 * browser cannot keep it): only when the refusal names fields — after a conflict (another person saved first)
 * the form shows what is stored now, not the older input over it.
 * typedAgain({ ok: false, errors: { amount: … }, typed: { amount: "12abc" } }) → { amount: "12abc" }
 */
export function typedAgain<T>(result: { ok: boolean; errors: object; typed?: T | null } | undefined): T | undefined {
  if (!result || result.ok || Object.keys(result.errors).length === 0) return undefined;
  return result.typed ?? undefined;
}

/**
 * A refusal with what was typed, to return from an action: only when fields could not be read and nothing was
 * saved (not after a conflict, not when a refused submission still saved the draft).
 * withTyped({ errors: { score: … }, saved: false }, { score: "8.5x" }).typed → { score: "8.5x" }
 */
export function withTyped<R extends { errors: object; saved: boolean }, T>(refusal: R, typed: T | undefined): R & { typed?: T } {
  return typed !== undefined && !refusal.saved && Object.keys(refusal.errors).length > 0 ? { ...refusal, typed } : refusal;
}
