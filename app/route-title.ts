import { render, msg, type Language, type Message, type PlainKey } from "../messages/index.ts";

/*
 * Page titles in the user's language, for a route's meta(): the language comes from the root
 * loader's data (meta runs without the request).
 */

type Matches = ReadonlyArray<{ id: string; data?: unknown } | undefined>;

/** The interface language found in the root route's data (Chinese by default). */
export function metaLanguage(matches: Matches): Language {
  const root = matches.find((match) => match?.id === "root")?.data as { language?: Language } | undefined;
  return root?.language ?? "zh";
}

/**
 * A page's title: pageTitle(matches, "standards") → "支出标准 · 预算执行监控" / "Expenditure standards · Budget Monitor";
 * with a name (a project's, a line's): pageTitle(matches, "history", "医疗救助") → "变更记录 · 医疗救助".
 */
export function pageTitle(matches: Matches, page: PlainKey, name?: string): string {
  const language = metaLanguage(matches);
  const pageMessage = { code: page } as Message;
  const title = name === undefined ? msg("pageTitle", { page: pageMessage }) : msg("pageTitleOf", { page: pageMessage, name });
  return render(language, title);
}
