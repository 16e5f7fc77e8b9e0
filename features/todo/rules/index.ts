/* The to-do list's pure rules: the filing deadlines, and the entries a user gets in their order. */
export * from "./deadlines.ts";
export * from "./entries.ts";
