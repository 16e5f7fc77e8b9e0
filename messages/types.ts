/*
 * The shape of the message catalogues. A message is a code (a key of the Chinese catalogue) with
 * parameters; its text is a template whose placeholders name the parameters and, after a colon, how
 * to format them: "第{row:int}行：{unit}不存在". The placeholders are read by the type system, so a
 * message built with a missing or misspelt parameter does not compile.
 */

/** Placeholder names of a template: "第{row:int}行 {unit}" → "row" | "unit". */
export type Placeholders<S> = S extends `${string}{${infer P}}${infer Rest}`
  ? (P extends `${infer Name}:${string}` ? Name : P) | Placeholders<Rest>
  : never;

/** The English catalogue of a feature has exactly the keys of the Chinese one (placeholders: tested). */
export type Mirror<T> = { readonly [K in keyof T]: string };

/**
 * How a placeholder is formatted: `int` and `num` grouped, `money` grouped with 2 decimals, `date` in the language's
 * style; `s` is English's plural ending of the named count ("{days:int} day{days:s}" → "1 day", "2 days").
 */
export type FormatHint = "int" | "num" | "money" | "wan" | "date" | "pct" | "s";
