import type { StageConclusion } from "../features/tracking/rules";

/* The values of /tracking's filters in URLs, read by its page and by app/tracking-list.server.ts. */

/** The conclusion filter's values (in URLs) for the conclusions as stored (运行正常 / 运行偏差); labels come from the catalogue. */
export const CONCLUSION_VALUES = new Map<string, StageConclusion>([
  ["normal", "运行正常"],
  ["deviation", "运行偏差"],
]);

/** The status filter's value for projects without a form for 31 August yet (未填报). */
export const UNFILED = "unfiled";

/** The year filter's value for every fiscal year; without a year, the list shows the dashboard's default year. */
export const ALL_YEARS = "all";
