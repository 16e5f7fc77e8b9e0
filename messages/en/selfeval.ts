import type { Mirror } from "../types";
import type { selfevalMessages as zh } from "../zh/selfeval";

/** selfeval: messages in English. */
export const selfevalMessages: Mirror<typeof zh> = {
  // Year-end self-evaluation (绩效自评表, issue 14)
  seNav: "Self-evaluations",
  seTitle: "Project expenditure performance self-evaluation",
  seFundsTotal: "Total funds of the year",
  seFundsCurrentYear: "of which: this year's appropriation",
  seFundsCarriedOver: "Carried over from last year",
  seFundsOther: "Other funds",
  seActualSummary: "Actual achievement",
  seActual: "Actual value",
  seRuleScore: "Score by the rule",
  seDeparture: "Score departs from the rule",
  seScoreReason: "Reason for the score",
  seDeviationAnalysis: "Causes of the shortfall and improvements",
  seItemIndicator: "Indicator “{name}” (row {row:int})",
  // Problems that keep a sheet from being submitted
  seWeightsSum: "The indicators' weights add up to {sum}, not 90.00: correct the weights of the performance targets first",
  seMissingActualSummary: "The actual achievement of the annual goal is missing",
  seWeightMissing: "{item}: the weight is missing",
  seTargetUnreadable: "{item}: the annual target cannot be read ({reason})",
  seMissingActual: "{item}: the actual value is missing",
  seMissingJudgement: "{item}: choose met, partly met or not met",
  seActualUnreadable: "{item}: {reason}",
  seScoreUnreadable: "{item}: the score “{score}” is not a non-negative number with at most 2 decimals",
  seScoreAboveWeight: "{item}: the score {score} exceeds the weight {weight}",
  seMissingScoreReason: "{item}: the score {score} differs from the rule's {rule}: give the reason",
  seMissingDeviationAnalysis: "{item}: the score is below the weight: give the causes of the shortfall and the improvements",
  // Refusals of the service
  seNotFound: "No self-evaluation of this project was found",
  seCreatedMeanwhile: "Someone has just created this sheet: open it again before saving",
  seChangedMeanwhile: "Someone has changed this sheet meanwhile: open it again before saving",
  seNotEditable: "This sheet is “{status}” and cannot be changed",
  seVersionInvalid: "The sheet's version is missing or unreadable: open it again before saving",
  seUnknownIndicator: "This sheet has no indicator {key}",
  seSavedNotSubmitted: "The draft was saved but cannot be submitted yet: complete what is marked",
  seNotSubmittable: "Cannot be submitted yet: complete what is marked",
  seIndicatorsChanged: "The performance targets' indicators have just changed: open this sheet again",
  seDatabaseRefused: "The database refused this: {detail}",
  seOutOfUnit: "This project does not belong to your unit",
  // CLI: budget self-evaluation
  seCliUsage: `  budget self-evaluation --year 2024 [--unit NAME] [--json]
                                         Year-end self-evaluations: per project the funds score, indicator score, total and grade as entered,
                                         the total by the rule, and each score that departs from the rule`,
  seCliUsageFollowing: "{previous}\n{usage}",
  seCliMissingYear: "--year is missing (the fiscal year evaluated)",
  seCliNone: "No self-evaluations for {year}",
  seCliUnknownUnit: "Unit “{unit}” not found",
  seCliHeaders: "Unit|Project|Status|Funds score|Indicator score|Total|Grade|Total by the rule",
  seCliDeparture: "  departs from the rule: {name} (weight {weight}) scored {score}, rule {rule}; reason: {reason}",
  seCliNoReason: "(none given)",
};
