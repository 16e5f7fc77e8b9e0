/*
 * Messages as codes with parameters, rendered from one catalogue per language (messages/zh, messages/en,
 * each split by feature). db/ and domain/ return `Message` values; the web UI and the CLI render them
 * in the user's language. Decision 014.
 */
import { en } from "./en/index";
import { formatParam } from "./format";
import type { Language } from "./language";
import type { FormatHint, Placeholders } from "./types";
import { zh } from "./zh/index";

export type { Language } from "./language";
export { cliLanguage, LANGUAGES } from "./language";
export { formatDate } from "./format";

type Catalogue = typeof zh;
export type MessageKey = keyof Catalogue;

/**
 * A parameter: a value (formatted by its placeholder's hint), another message rendered in the same
 * language, or a list of messages joined by the language's list separator (、 / ", ").
 */
export type ParamValue = string | number | Message | readonly Message[];

type ParamsFor<K extends MessageKey> = { [P in Placeholders<Catalogue[K]>]: ParamValue };

/** A message: its code and, where its text has placeholders, their values. Plain data: JSON-safe, storable. */
// Two members, not one per key: a union of 1,000+ object types is "too complex to represent" for tsc. msg() checks each key's parameters.
export type Message = { code: PlainKey; params?: undefined } | { code: ParamKey; params: Record<string, ParamValue> };

/** The keys whose text has placeholders, and the ones without. */
export type ParamKey = { [K in MessageKey]: [Placeholders<Catalogue[K]>] extends [never] ? never : K }[MessageKey];
export type PlainKey = Exclude<MessageKey, ParamKey>;

/** Builds a message: msg("obRow", { row: 3, … }); msg("saved"). */
export function msg<K extends PlainKey>(code: K): Message;
export function msg<K extends ParamKey>(code: K, params: ParamsFor<K>): Message;
export function msg(code: MessageKey, params?: Record<string, ParamValue>): Message {
  return (params === undefined ? { code } : { code, params }) as Message;
}

const catalogues: Record<Language, Record<MessageKey, string>> = { zh, en };

/** Whether a value is a message (a known code). */
export function isMessage(value: unknown): value is Message {
  return typeof value === "object" && value !== null && typeof (value as { code?: unknown }).code === "string"
    && (value as { code: string }).code in zh;
}

/** The text of a key without parameters. */
export function translate(language: Language, key: MessageKey): string {
  return catalogues[language][key];
}

const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

/** Renders a message in a language; a placeholder without a value is left as written. */
export function render(language: Language, message: Message): string {
  const template = catalogues[language][message.code] ?? message.code;
  const params = (message.params ?? {}) as Record<string, ParamValue>;
  return template.replace(PLACEHOLDER, (whole, name: string, hint?: string) => {
    if (!(name in params)) return whole;
    const value = params[name]!;
    if (Array.isArray(value)) return value.map((item: Message) => render(language, item)).join(catalogues[language].listSeparator);
    return typeof value === "object" ? render(language, value as Message) : formatParam(language, value as string | number, hint as FormatHint | undefined);
  });
}

/** Fills {name} placeholders of a template with values as given: fill("批次 #{id}", { id: "3" }) → "批次 #3". */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(PLACEHOLDER, (whole, name: string, hint?: string) =>
    !(name in params) ? whole : hint === "s" ? formatParam("en", params[name]!, "s") : String(params[name]),
  );
}
