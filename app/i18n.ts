import { useRouteLoaderData } from "react-router";
import { render, translate, type Language, type Message, type MessageKey } from "../messages";

/*
 * The web UI's access to the message catalogues (messages/: one per language, split by feature).
 * Routes and components use `useT()`; loaders and actions use `languageOf(request)` with
 * `translate`/`render`.
 */
export { fill, msg, render, translate } from "../messages";
export type { Language, Message, MessageKey, PlainKey } from "../messages";

/** Reads the language from a `lang` query parameter or cookie; Chinese by default. */
export function languageOf(request: Request): { language: Language; fromQuery: boolean } {
  const queried = new URL(request.url).searchParams.get("lang");
  if (queried === "zh" || queried === "en") return { language: queried, fromQuery: true };
  const cookie = request.headers.get("Cookie") ?? "";
  return { language: /(?:^|;\s*)lang=en(?:;|$)/.test(cookie) ? "en" : "zh", fromQuery: false };
}

type Translator = { t: (key: MessageKey) => string; m: (message: Message) => string };

const translators: Record<Language, Translator> = {
  zh: { t: (key) => translate("zh", key), m: (message) => render("zh", message) },
  en: { t: (key) => translate("en", key), m: (message) => render("en", message) },
};

/** The current language, a translator of keys (`t`) and a renderer of messages with parameters (`m`), from the root loader's data. */
export function useT(): { language: Language } & Translator {
  const data = useRouteLoaderData("root") as { language?: Language } | undefined;
  const language = data?.language ?? "zh";
  // Stable per language, so that memoised grid columns and effects do not re-run on every render.
  return { language, ...translators[language] };
}
