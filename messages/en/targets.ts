import type { Mirror } from "../types";
import type { targetsMessages as zh } from "../zh/targets";

/** targets: messages in English. */
export const targetsMessages: Mirror<typeof zh> = {
  // — target declaration (绩效目标填报表, issue 6) —
  declarationTitle: "Project performance target declaration",
  declarationLink: "Target declaration",
  editDeclaration: "Edit performance targets",
  yearSuffix: "",
  recurringProject: "Recurring project",
  oneOffProject: "One-off project",
  planStart: "Planned start",
  planEnd: "Planned completion",
  projectFunds: "Project funds (yuan)",
  fundsTotal: "Project funds in total",
  annualRequest: "Funds requested for the year",
  fiscalFunds: "of which fiscal funds",
  currentYearFunds: "of which this year's appropriation",
  carriedOverFunds: "Carried over from last year",
  otherFunds: "Other funds",
  performanceGoals: "Performance goals",
  overallGoal: "Overall goal",
  annualGoal: "Goal of the year",
  goalFromYear: "Goal period from",
  goalToYear: "Goal period to",
  performanceIndicators: "Performance indicators",
  print: "Print",
  addIndicator: "Add indicator",
  removeIndicator: "Remove",
  declarationSaved: "Performance targets saved",
  indicatorsInUse: "These indicators are referenced by other forms and cannot be removed:",
  fixMarkedFields: "Not saved: correct the marked fields.",
  notes: "Notes",
  noIndicators: "No performance indicators declared yet",
  declarationFootnote: "Project funds come from the project's initial budget lines; target values are stored as written.",
};
