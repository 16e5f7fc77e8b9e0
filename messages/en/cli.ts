import type { Mirror } from "../types";
import type { cliMessages as zh } from "../zh/cli";

/** cli: the `budget` command's own texts. */
export const cliMessages: Mirror<typeof zh> = {
  cliUsage: `Usage:
  budget db migrate                      run pending database migrations
  budget db seed                         load the demo data into an empty database
  budget execution [--year 2024] [--as-of 2024-08-31] [--unit NAME] [--json]
                                         budget execution, one row per project
  budget unit add NAME --level city|district|town|unit|department [--parent NAME]
                                         add an organisation unit
  budget user list [--json]              list users
  budget user add NAME --unit UNIT --role planner[,viewer] [--display-name TEXT] [--password-stdin]
                                         add a user; without a password a random one is generated
  budget user passwd NAME [--password-stdin]
                                         reset a password
{import}
{importLog}
{backtest}
{forecast}
Database: DATABASE_URL, or the embedded PostgreSQL under .data/postgres when unset.`,
  cliError: "Error: {text}",
  cliUnknownCommand: "Unknown command: {command}",
  cliUnknownSubcommand: "Unknown subcommand: {command}",
  cliUnexpectedArgs: "Unexpected arguments: {args}",
  cliUnknownOption: "Unknown option: {option}",
  cliOptionNeedsValue: "{option} needs a value",
  cliOptionTakesNoValue: "{option} takes no value",
  cliUnknownUnit: "Unknown unit: {unit}",
  cliYearRange: "--year must be a year from {from} to {to}: {value}",
  cliAsOfDate: "--as-of must be a real date YYYY-MM-DD: {value}",
  cliUsageHeading: "Usage:",
  cliMissingUnitName: "Missing the unit name",
  cliLevelChoice: "--level must be {levels}",
  cliUnknownParentUnit: "Unknown parent unit: {unit}",
  cliUnitExists: "The unit exists: {unit}",
  cliUnitCreated: "Unit created: {unit}",
  cliUnitCreatedUnder: "Unit created: {unit} (under {parent})",
  cliMissingUsername: "Missing the username",
  cliMissingUnitOption: "Missing --unit",
  cliRoleChoice: "--role must be one or more of {roles} (comma-separated)",
  cliUnknownUser: "Unknown user: {username}",
  cliUserCreated: "User created: {username} ({unit}; {roles})",
  cliInitialPassword: "Initial password: {password}",
  cliPasswordReset: "Password reset: {username}",
  cliNewPassword: "New password: {password}",
  cliBacktestUsage: `  budget backtest [--json] [--m3 FILE] [--series N] [--seed S] [--horizon H] [--history M]
                                         backtest the forecasting methods on N synthetic budget lines (default 500, seed S),
                                         on generated series by property (H months held out, default 12) and, given --m3,
                                         on a monthly file in the M3 format (its own hold-out); --history M fits every
                                         generated and file series on its last M months only (what planners have)`,
  cliBacktestSeries: "--series must be a whole number from 1 to 100000: {value}",
  cliBacktestSeed: "--seed must be a non-negative whole number: {value}",
  cliBacktestM3Path: "--m3 needs a file path",
  cliBacktestHorizon: "--horizon must be a whole number of months from 1 to 60: {value}",
  cliBacktestHistory: "--history must be a whole number of months from 12 to 1000: {value}",
  cliBacktestM3Unreadable: "Cannot read the M3 file {file}: {reason}",
  cliDbApplied: "Migrations applied: {names}",
  cliDbUpToDate: "The database is up to date",
  cliDbNotEmpty: "The database already holds data; demo data not loaded",
  cliDbSeeded: "Demo data loaded: {units} units, {projects} projects, {payments} payments, {trackingForms} tracking forms",
  cliExecTitle: "Budget execution {year} as of {asOf} (time progress {progress}%, threshold {threshold}%)",
  cliColAdjusted: "Adjusted budget (yuan)",
  cliColExecuted: "Executed (yuan)",
  cliColRate: "Execution rate %",
  cliProjectCount: "{count:int} project{count:s}",
  cliFlaggedCount: "{count} flagged",
  cliForecastUsage: `  budget forecast --year 2025 [--unit NAME] [--project NAME] [--no-overrides] [--json]
                                         zero-based forecast of a year's budget lines: quantity, unit price, amount, 80%/95% intervals,
                                         method, basis, months and change factors, from the ledger, the standards and the drivers;
                                         with the planners' saved overrides as on /plan unless --no-overrides`,
  cliForecastMissingYear: "Missing --year (the year to forecast)",
  cliUnitNeedsName: "--unit needs a unit name",
  cliProjectNeedsName: "--project needs a project name",
  cliForecastNoLines: "No budget lines in {year} to forecast from",
  cliForecastOverrides: "including {count:int} override{count:s} saved by the planners (as on /plan; --no-overrides for the forecast alone)",
  cliForecastNoOverrides: "without the planners' overrides (--no-overrides: the models' and standards' forecast)",
  cliForecastTitle: "Zero-based budget forecast for {year} (from {baseYear}'s budget lines, payments, expenditure standards, drivers and cost shares; {overrides})",
  cliColAmount: "Amount (yuan)",
  cliColMethod: "Method",
  cliMethodStandard: "standard × quantity",
  cliMethodFormula: "driver × standard × share",
  cliMethodExecuted: "last year's execution",
  cliStandardRef: "{basis} ({code} version {revision})",
  cliLineReason: "{item}: {reason}",
  cliDataNotes: "Data notes (outlier: a month's cost per person-time, person-times or amount without person-times over {above}× the line's monthly median or below 1/{below} of it, and beyond {sds} robust standard deviations, 1.4826×MAD):",
  cliOverride: "Override ({by}): quantity {fromQuantity} → {quantity}, unit price {fromPrice} → {price}; reason: {reason}",
  cliChange: "Against last year's execution {lastYear}: volume {volume}, policy {policy}, unit cost and other {unitCost}, total {total}",
  cliMonthly: "By month: {months}",
  cliMonthAmount: "M{month} {amount}",
  cliMonthSeparator: ", ",
  cliSettlement: "Not in the plan lines (settlement rows): {items}: last year adjusted {adjusted}, executed {executed}",
  cliItemSeparator: "; ",
  cliTarget: "Performance target {name} {target}: planned {planned}{ratio}",
  cliTargetRatio: " ({ratio}%{flag})",
  cliTargetFlag: ", differs by more than 20% ⚠",
  cliProjectTotal: "Project total {amount} (last year's base {initial}, adjusted {adjusted}, executed {executed})",
  cliUnitTotal: "Unit total {unit}: {amount}",
  cliGrandTotal: "Grand total {amount} (80% interval {interval80}, 95% interval {interval95})",
};
