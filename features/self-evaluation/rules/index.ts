/* The self-evaluation's pure rules (绩效自评表): funds rows, indicator rows, the whole sheet. */
export * from "./funds.ts";
export * from "./indicators.ts";
export * from "./sheet.ts";
export * from "./problem-field.ts";
export * from "./grade-label.ts";
