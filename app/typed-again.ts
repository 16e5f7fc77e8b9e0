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
