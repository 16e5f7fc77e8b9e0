import { openDatabase, type OpenedDatabase } from "../db/open.ts";
import { executionReport, fiscalYears } from "../db/execution.ts";
import { isDatabaseEmpty, seedDemoData } from "../db/seed.ts";
import { findUnitByName } from "../db/units.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { defaultAsOf, isIsoDate, todayInChina } from "../domain/dates.ts";
import { formatTable } from "./table.ts";
import { userCommand } from "./users.ts";
import { unitCommand } from "./units.ts";
import { parseCommandLine, UsageError } from "./args.ts";
import { BACKTEST_USAGE, backtestCommand } from "./backtest.ts";
import { IMPORT_USAGE, importCommand } from "./import.ts";
import { IMPORT_LOG_USAGE, importLogCommand, importUndoCommand } from "./import-log.ts";
import { FORECAST_USAGE, forecastCommand, parseForecastArgs } from "./forecast.ts";

/** Exit codes: 0 success, 1 failure of the work itself, 2 bad arguments. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const USAGE = `用法 Usage:
  budget db migrate                      运行数据库迁移 (run pending migrations)
  budget db seed                         向空数据库导入演示数据 (load the demo data into an empty database)
  budget execution [--year 2024] [--as-of 2024-08-31] [--unit NAME] [--json]
                                         预算执行情况，每个项目一行 (execution by project)
  budget unit add NAME --level city|district|town|unit [--parent NAME]
                                         新增组织单位 (add an organisation unit)
  budget user list [--json]              用户列表 (list users)
  budget user add NAME --unit UNIT --role planner[,viewer] [--display-name TEXT] [--password-stdin]
                                         新增用户；不给密码则生成随机密码 (add a user)
  budget user passwd NAME [--password-stdin]
                                         重置密码 (reset a password)
${IMPORT_USAGE}
${IMPORT_LOG_USAGE}
${BACKTEST_USAGE}
${FORECAST_USAGE}
数据库 Database: DATABASE_URL, or the embedded PostgreSQL under .data/postgres when unset.`;


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
        output.write(`${USAGE}\n`);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        throw new UsageError(`未知命令 unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`错误 error: ${error.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`错误 error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
}

/** Options only: a stray positional argument is a usage error. */
function parse<T extends Record<string, { type: "string" | "boolean" }>>(args: string[], options: T) {
  const { values, positionals } = parseCommandLine(args, options);
  if (positionals.length > 0) throw new UsageError(`多余的参数 unexpected arguments: ${positionals.join(" ")}`);
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
      output.write(applied.length > 0 ? `已运行迁移 applied: ${applied.join(", ")}\n` : "数据库已是最新 the database is up to date\n");
      return EXIT_OK;
    });
  }
  if (subcommand === "seed") {
    return withDatabase(false, async ({ db }) => {
      if (!(await isDatabaseEmpty(db))) {
        output.write("数据库已有数据，未导入演示数据 the database already holds data; nothing loaded\n");
        return EXIT_OK;
      }
      const counts = await seedDemoData(db, { trackingForms: true });
      output.write(
        `已导入演示数据 demo data loaded: ${counts.units} units, ${counts.projects} projects, ${counts.payments} payments, ${counts.trackingForms} tracking forms\n`,
      );
      return EXIT_OK;
    });
  }
  throw new UsageError(`未知子命令 unknown subcommand: db ${subcommand ?? ""}`.trim());
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
    throw new UsageError(`--year 应为 2000–2100 的四位年度 must be a year from 2000 to 2100: ${yearText}`);
  }
  if (asOfText !== undefined && !isIsoDate(asOfText)) throw new UsageError(`--as-of 应为日期 YYYY-MM-DD must be a real date: ${asOfText}`);

  return withDatabase(true, async ({ db }) => {
    const year = yearText !== undefined ? Number(yearText) : ((await fiscalYears(db))[0] ?? Number(todayInChina().slice(0, 4)));
    const asOf = asOfText ?? defaultAsOf(year);
    let unitId: number | undefined;
    if (values.unit !== undefined) {
      const unit = await findUnitByName(db, values.unit);
      if (!unit) throw new UsageError(`未知单位 unknown unit: ${values.unit}`);
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
    }));
    if (values.json) {
      output.write(`${JSON.stringify({ asOf, timeProgress: report.total.timeProgress, projects }, null, 2)}\n`);
      return EXIT_OK;
    }
    output.write(`${year} 年度预算执行情况 截至 ${asOf}（时间进度 ${report.total.timeProgress}%，预警线 ${report.threshold}%）\n`);
    output.write(
      formatTable(
        ["预算单位", "项目名称", "年初预算(元)", "调整后预算(元)", "执行数(元)", "执行率%", "进度差(百分点)", "预警"],
        [
          ...projects.map((p) => [p.unit, p.project, p.initial, p.adjusted, p.executed, p.executionRate ?? "—", p.gap ?? "—", p.flagged ? "低于预警线" : ""]),
          ["合计", `${report.total.projects} 个项目`, report.total.initial, report.total.adjusted, report.total.executed, report.total.executionRate ?? "—", report.total.gap ?? "—", `${report.total.flaggedProjects} 个预警`],
        ],
        [false, false, true, true, true, true, true, false],
      ),
    );
    return EXIT_OK;
  });
}
