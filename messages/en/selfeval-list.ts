import type { Mirror } from "../types";
import type { selfevalListMessages as zh } from "../zh/selfeval-list";

/** selfeval-list: messages in English. */
export const selfevalListMessages: Mirror<typeof zh> = {
  // Self-evaluation lists, export and summaries (issue 14)
  // The managers' list (/self-evaluations)
  slSheets: "Sheets by project",
  slList: "Self-evaluations",
  slAll: "All",
  slUnfiled: "Not filed",
  slGradeFilter: "Grade",
  slProject: "Project",
  slUnit: "Unit",
  slStatus: "Status",
  slFundScore: "Funds score",
  slIndicatorScore: "Indicators score",
  slTotal: "Total score",
  slGrade: "Grade",
  slDepartures: "Departures",
  slDeparturesTitle: "Indicators whose score differs from the rule's",
  slUpdatedAt: "Updated",
  slSortBy: "Sort by {column}",
  slNone: "No self-evaluation matches",
  slCount: "{count:int} in all",
  slProvisional: " (provisional)",
  slProvisionalTitle: "A draft or returned sheet: computed from what is entered so far, may change before it is submitted, not counted in the summary above",
  // The summary by unit (dashboard, top of the list)
  slSummary: "Self-evaluation summary",
  slSummaryNote: "Year {year}; grades, average total and projects below Good count the sheets submitted (under review or accepted), not drafts or returned ones",
  slProjects: "Projects",
  slFiled: "Submitted",
  slAccepted: "Accepted",
  slAverage: "Average total",
  slBelowGood: "Below Good",
  slAllUnits: "All units",
  slSummaryEmpty: "No project is due a self-evaluation this year",
  slScoreAndGrade: "{total}, {grade}",
  // Grade bands on /admin
  slBands: "Self-evaluation grades",
  slBandsHint: "The lowest total of each grade (inclusive), highest first; below the Pass bound is Fail. After a change, drafts and returned sheets are graded by the new bounds; submitted and accepted sheets keep the grade they were submitted with.",
  slBandFrom: "{grade} from",
  slBandInvalid: "The bound of {band} “{value}” must be a number from 0 to 100 with at most two decimals",
  slBandsOrder: "The bounds must go from high to low: Excellent above Good, Good above Pass",
  // The workbook (XLSX export of one sheet)
  slxSheetName: "Self-evaluation",
  slxFileName: "self-evaluation-{year}-{project}-{unit}.xlsx",
  slxPair: "{label}: {value}",
  slxYearOf: "(year {year})",
  slxFundsWeight: "Points",
  slxDepartureNote: "Highlighted scores differ from the rule's: the rule's score is in the column beside, the reason in the analysis column; the total row gives the total by the rule.",
  slxUnsaved: "Not saved (pre-filled from the ledger, the declaration and the mid-year tracking form)",
  slxLedgerNote: "Project funds from the budget ledger (as of {date:date}), computed in yuan and shown in 10k yuan",
};
