import type { Mirror } from "../types";
import type { dashboardMessages as zh } from "../zh/dashboard";

/** dashboard: the execution overview and its filters. */
export const dashboardMessages: Mirror<typeof zh> = {
  dbHeadlineScope: "The figures above are of all projects of {unit} and the units below it ({count:int} in all), whatever the table below is filtered to; the table's total row counts only the projects it shows.",
  dbPrintHeader: "Amounts in {unit} · printed {time}",
  dbGridFilters: "Table filters: ",
  dbGridNoFilter: "none (every project)",
  wanRoundingNote: "Because of rounding, the total may differ from the sum of the rows shown (it is added exactly in yuan, then converted).",
  unitWithAll: "{unit} (all units)",
  ppPlannedProgress: "Planned progress",
  ppPlanGap: "Gap to plan (pp)",
  ppPlanFlag: "Plan flag",
  ppBehindPlan: "Behind plan",
  ppBehindPlanProjects: "Projects behind plan",
  ppPreviousYearRate: "Same period last year",
  ppBasis: "Plan basis: {basis}",
  ppBasisMonths: "scheduled months",
  ppBasisProfile: "last year's monthly profile",
  ppBasisEven: "even over the year",
  ppPlannedCurve: "Planned progress ({basis})",
  ppRule: "Planned progress: each line's adjusted budget spread over its scheduled months (the whole year when none), in the proportions of last year's months where the same project (unit and name) existed last year, else evenly by day · Gap to plan = execution rate − planned progress · Behind plan: execution rate below {threshold}% of the planned progress · Same period last year: the same unit's project of the same name, as of the same day last year; for a total, the executed amounts of the projects that have one added up ÷ their adjusted budgets",
} as const;
