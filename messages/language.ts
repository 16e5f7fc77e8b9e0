/** The interface languages: Chinese first, as on the official forms; English on request. */
export type Language = "zh" | "en";

export const LANGUAGES: readonly Language[] = ["zh", "en"];

/**
 * The CLI's language: Chinese unless `BUDGET_LANG=en`. (Not `LANG`: servers are often set to
 * en_US.UTF-8 by default, and the CLI's reports must not change language with the machine.)
 */
export function cliLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  return env.BUDGET_LANG === "en" ? "en" : "zh";
}
