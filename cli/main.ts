import { openDatabase, type OpenedDatabase } from "../db/open.ts";
import { executionReport, fiscalYears } from "../db/execution.ts";
import { isDatabaseEmpty, seedDemoData } from "../db/seed.ts";
import { findUnitByName } from "../db/units.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { defaultAsOf, isIsoDate, todayInChina } from "../domain/dates.ts";
import { formatTable } from "./table.ts";
import { cliLanguage, msg, render, translate, type Message } from "../messages/index.ts";
import { userCommand } from "./users.ts";
import { unitCommand } from "./units.ts";
import { parseCommandLine, UsageError } from "./args.ts";
import { BACKTEST_USAGE, backtestCommand } from "./backtest.ts";
import { IMPORT_USAGE, importCommand } from "./import.ts";
import { IMPORT_LOG_USAGE, importLogCommand, importUndoCommand } from "./import-log.ts";
import { FORECAST_USAGE, forecastCommand, parseForecastArgs } from "./forecast.ts";
import { SELF_EVALUATION_USAGE, parseSelfEvaluationArgs, selfEvaluationCommand } from "./self-evaluation.ts";
import { WORKDAYS_USAGE, parseWorkdaysArgs, workdaysCommand } from "./workdays.ts";

/** Exit codes: 0 success, 1 failure of the work itself, 2 bad arguments. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** The usage of every command, in the CLI's language (the other commands' lines from their modules). */
const usage = () =>
  render(
    cliLanguage(),
    msg("cliUsage", {
      import: IMPORT_USAGE,
      importLog: IMPORT_LOG_USAGE,
      backtest: BACKTEST_USAGE,
      forecast: msg("seCliUsageFollowing", { previous: msg("seCliUsageFollowing", { previous: FORECAST_USAGE, usage: SELF_EVALUATION_USAGE }), usage: WORKDAYS_USAGE }),
    }),
  );


/** Runs the CLI with the given arguments and returns the exit code. */
export async function main(argv: string[], output: NodeJS.WritableStream = process.stdout): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "db":
        return await dbCommand(rest, output);
      case "execution":
        return await executionCommand(rest, output);
      case "import":
        return await withDatabase(true, ({ db }) => importCommand(db, rest, output));
      case "import-log":
        return await withDatabase(true, ({ db }) => importLogCommand(db, rest, output));
      case "import-undo":
        return await withDatabase(true, ({ db }) => importUndoCommand(db, rest, output));
      case "forecast":
        parseForecastArgs(rest); // bad arguments exit 2 before a database is opened
        return await withDatabase(true, ({ db }) => forecastCommand(db, rest, output));
      case "self-evaluation":
        parseSelfEvaluationArgs(rest); // bad arguments exit 2 before a database is opened
        return await withDatabase(true, ({ db }) => selfEvaluationCommand(db, rest, output));
      case "workdays":
        parseWorkdaysArgs(rest); // bad arguments exit 2 before a database is opened
        return await withDatabase(false, ({ db }) => workdaysCommand(db, rest, output));
      case "backtest":
        return await backtestCommand(rest, output);
      case "unit":
        return await withDatabase(false, ({ db }) => unitCommand(db, rest, output));
      case "user":
        return await withDatabase(false, ({ db }) => userCommand(db, rest, output));
      case undefined:
      case "help":
      case "--help":
      case "-h":
        output.write(`${usage()}\n`);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        throw new UsageError(msg("cliUnknownCommand", { command }));
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${text(msg("cliError", { text: error.message }))}\n\n${usage()}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`${text(msg("cliError", { text: error instanceof Error ? error.message : String(error) }))}\n`);
    return EXIT_FAILED;
  }
}

/** A message in the CLI's language. */
const text = (message: Message) => render(cliLanguage(), message);

/** Options only: a stray positional argument is a usage error. */
function parse<T extends Record<string, { type: "string" | "boolean" }>>(args: string[], options: T) {
  const { values, positionals } = parseCommandLine(args, options);
  if (positionals.length > 0) throw new UsageError(msg("cliUnexpectedArgs", { args: positionals.join(" ") }));
  return values;
}

async function withDatabase<T>(seed: boolean, work: (opened: OpenedDatabase) => Promise<T>): Promise<T> {
  const opened = await openDatabase({ seed, quiet: true });
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}

async function dbCommand(args: string[], output: NodeJS.WritableStream): Promise<number> {
  const [subcommand, ...rest] = args;
  parse(rest, {});
  if (subcommand === "migrate") {
    return withDatabase(false, async ({ db }) => {
      const result = await migrateToLatest(db);
      const applied = result.results?.map((r) => r.migrationName) ?? [];
      output.write(`${text(applied.length > 0 ? msg("cliDbApplied", { names: applied.join(", ") }) : msg("cliDbUpToDate"))}\n`);
      return EXIT_OK;
    });
  }
  if (subcommand === "seed") {
    return withDatabase(false, async ({ db }) => {
      if (!(await isDatabaseEmpty(db))) {
        output.write(`${text(msg("cliDbNotEmpty"))}\n`);
        return EXIT_OK;
      }
      const counts = await seedDemoData(db, { trackingForms: true });
      output.write(`${text(msg("cliDbSeeded", { units: counts.units, projects: counts.projects, payments: counts.payments, trackingForms: counts.trackingForms }))}\n`);
      return EXIT_OK;
    });
  }
  throw new UsageError(msg("cliUnknownSubcommand", { command: `db ${subcommand ?? ""}`.trim() }));
}

async function executionCommand(args: string[], output: NodeJS.WritableStream): Promise<number> {
  const values = parse(args, {
    year: { type: "string" },
    "as-of": { type: "string" },
    unit: { type: "string" },
    json: { type: "boolean" },
  } as const);
  const yearText = values.year;
  const asOfText = values["as-of"];
  if (yearText !== undefined && !(/^\d{4}$/.test(yearText) && Number(yearText) >= 2000 && Number(yearText) <= 2100)) {
    throw new UsageError(msg("cliYearRange", { from: 2000, to: 2100, value: yearText }));
  }
  if (asOfText !== undefined && !isIsoDate(asOfText)) throw new UsageError(msg("cliAsOfDate", { value: asOfText }));

  return withDatabase(true, async ({ db }) => {
    const year = yearText !== undefined ? Number(yearText) : ((await fiscalYears(db))[0] ?? Number(todayInChina().slice(0, 4)));
    const asOf = asOfText ?? defaultAsOf(year);
    let unitId: number | undefined;
    if (values.unit !== undefined) {
      const unit = await findUnitByName(db, values.unit);
      if (!unit) throw new UsageError(msg("cliUnknownUnit", { unit: values.unit }));
      unitId = unit.id;
    }
    const report = await executionReport(db, { year, asOf, unitId });
    const projects = report.rows.map((row) => ({
      unit: row.unitName,
      project: row.projectName,
      initial: row.initial,
      adjusted: row.adjusted,
      executed: row.executed,
      executionRate: row.executionRate,
      timeProgress: row.timeProgress,
      gap: row.gap,
      flagged: row.flagged,
      plannedProgress: row.plannedProgress,
      planGap: row.planGap,
      behindPlan: row.behindPlan,
      previousYearRate: row.previousYearRate,
    }));
    if (values.json) {
      output.write(`${JSON.stringify({ asOf, timeProgress: report.total.timeProgress, projects }, null, 2)}\n`);
      return EXIT_OK;
    }
    const t = (key: Parameters<typeof translate>[1]) => translate(cliLanguage(), key);
    output.write(`${text(msg("cliExecTitle", { year, asOf, progress: report.total.timeProgress, threshold: report.threshold }))}\n`);
    output.write(
      formatTable(
        [t("unit"), t("project"), t("initialAmount"), t("cliColAdjusted"), t("cliColExecuted"), t("cliColRate"), t("gap"), t("ppPlannedProgress"), t("ppPreviousYearRate"), t("flag")],
        [
          ...projects.map((p) => [
            p.unit,
            p.project,
            p.initial,
            p.adjusted,
            p.executed,
            p.executionRate ?? "—",
            p.gap ?? "—",
            p.plannedProgress ?? "—",
            p.previousYearRate ?? "—",
            [p.flagged ? t("flagged") : "", p.behindPlan ? t("ppBehindPlan") : ""].filter(Boolean).join(" "),
          ]),
          [
            t("total"),
            text(msg("cliProjectCount", { count: report.total.projects })),
            report.total.initial,
            report.total.adjusted,
            report.total.executed,
            report.total.executionRate ?? "—",
            report.total.gap ?? "—",
            report.total.plannedProgress ?? "—",
            report.total.previousYearRate ?? "—",
            text(msg("cliFlaggedCount", { count: report.total.flaggedProjects })),
          ],
        ],
        [false, false, true, true, true, true, true, true, true, false],
      ),
    );
    return EXIT_OK;
  });
}
