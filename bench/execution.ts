/*
 * npm run bench — the dashboard's execution query at city scale.
 *
 * Generates a synthetic ledger (20,000 projects, 60,000 budget lines, 2,000,000 payments over
 * 上海市's 16 districts and 200 towns, plus a smaller previous year) in a throw-away database,
 * then times, interleaved in one run, for as-of dates at a month end and mid-month:
 *   (a) the dashboard loader path, executionReport() from db/execution.ts,
 *   (b) its bare SQL, projectAmountsAsOf(),
 *   (c) the raw aggregate SELECT project_id, sum(amount) FROM payment GROUP BY project_id
 *       (and the same joined to project for the fiscal year),
 * checks the figures against the rule applied to the payments directly (no rollup), and measures
 * the built app's production server: HTTP timings of the dashboard and the process's peak RSS.
 * See bench/README.md.
 */
import { Kysely, PostgresDialect, sql, type CompiledQuery } from "kysely";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, type DB } from "../db/pool.ts";
import { startEmbeddedPostgres, type EmbeddedServer } from "../db/embedded.ts";
import { migrateToLatest } from "../db/migrate.ts";
import type { Database } from "../db/schema.ts";
import { executionReport, projectAmountsAsOf, type ProjectAmounts } from "../db/execution.ts";
import { adjustedBudget, executedAmount } from "../domain/execution.ts";
import { formatAmount, money, sumMoney, toAmountString } from "../domain/money.ts";
import { unitSubtreeIds } from "../db/units.ts";
import { createUser } from "../db/users.ts";
import { generateLedger, type GenerateResult, type YearSpec } from "./generate.ts";
import { latencyStats, round, table, type LatencyStats } from "./stats.ts";
import { buildApp, copyApp, measureApp, type HttpResult } from "./app-server.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RESULTS_DIR = path.join(ROOT, "bench", "results");

// --- options ----------------------------------------------------------------------------------

const argv = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, "").split("=", 2) as [string, string | undefined];
    return [key, value ?? "true"];
  }),
);
if (argv.has("help")) {
  console.log(`usage: npm run bench -- [--reps=30] [--warmup=3] [--projects=20000] [--lines=3] [--payments=2000000]
                       [--prev-projects=4000] [--prev-payments=400000] [--as-of=2024-08-31,2024-06-15]
                       [--payment-batch=250000] [--requests=10] [--skip-build] [--no-http] [--no-explain] [--keep]
DATABASE_URL: use that server (a database budget_bench_<random> is created and dropped); otherwise an
embedded PostgreSQL is started in a temporary directory. --keep leaves the database (and the embedded
server) up after the run, for inspection, until Ctrl-C.`);
  process.exit(0);
}
const KNOWN = ["reps", "warmup", "projects", "lines", "payments", "prev-projects", "prev-payments", "payment-batch", "as-of", "requests", "skip-build", "no-http", "no-explain", "keep"];
for (const key of argv.keys()) {
  if (!KNOWN.includes(key)) {
    console.error(`unknown option --${key} (see --help)`);
    process.exit(2);
  }
}
const intOption = (name: string, fallback: number) => {
  const value = argv.get(name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer`);
  return parsed;
};
const YEAR = 2024;
const options = {
  reps: intOption("reps", 30),
  warmup: intOption("warmup", 3),
  years: [
    { year: YEAR, projects: intOption("projects", 20_000), linesPerProject: intOption("lines", 3), payments: intOption("payments", 2_000_000) },
    { year: YEAR - 1, projects: intOption("prev-projects", 4_000), linesPerProject: intOption("lines", 3), payments: intOption("prev-payments", 400_000) },
  ].filter((y) => y.projects > 0) satisfies YearSpec[],
  paymentBatch: intOption("payment-batch", 250_000),
  asOfDates: (argv.get("as-of") ?? "2024-08-31,2024-06-15").split(","),
  requests: intOption("requests", 10),
  build: !argv.has("skip-build"),
  http: !argv.has("no-http"),
  explain: !argv.has("no-explain"),
  keep: argv.has("keep"),
};
const TARGET_RATIO = 1.0;
const TARGET_RSS_MB = 300;

const log = (message: string) => process.stderr.write(`${message}\n`);

// --- cleanup ----------------------------------------------------------------------------------

const cleanups: Array<{ name: string; run: () => Promise<void> }> = [];
/** Temporary directories, removed synchronously at exit even when the async cleanup could not finish. */
const tempDirs: string[] = [];
async function cleanup(): Promise<void> {
  while (cleanups.length > 0) {
    const { name, run } = cleanups.pop()!;
    try {
      await run();
    } catch (error) {
      log(`cleanup (${name}) failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
// Last resort when interrupted: the temporary directory goes even if the async cleanup could not finish.
process.on("exit", () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

// --- main -------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const runStarted = performance.now();

  // The app, first, so that a build that fails does so before minutes of data generation. Built in
  // a private copy, never in the project's build/ (a running app or the tests may be using it).
  let appRoot = ROOT;
  let buildSeconds: number | undefined;
  if (options.http) {
    if (options.build) {
      const copyDir = await mkdtemp(path.join(os.tmpdir(), "budget-bench-app-"));
      cleanups.push({ name: "app copy", run: () => rm(copyDir, { recursive: true, force: true }) });
      tempDirs.push(copyDir);
      await copyApp(ROOT, copyDir);
      log(`building the app (react-router build) in ${copyDir}`);
      buildSeconds = buildApp(copyDir);
      appRoot = copyDir;
    } else if (!existsSync(path.join(ROOT, "build", "server", "index.js"))) {
      throw new Error("--skip-build: there is no build/server/index.js; run npm run build first");
    }
  }

  // The server: DATABASE_URL's, or an embedded one in a throw-away directory.
  let serverUrl = process.env.DATABASE_URL;
  let embedded: EmbeddedServer | undefined;
  if (!serverUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "budget-bench-"));
    await chmod(dir, 0o755); // PostgreSQL runs as user "postgres" when we run as root
    tempDirs.push(dir);
    cleanups.push({ name: "temporary directory", run: () => rm(dir, { recursive: true, force: true }) });
    log(`starting embedded PostgreSQL in ${dir}`);
    embedded = await startEmbeddedPostgres(path.join(dir, "postgres"), { quiet: true });
    const server = embedded;
    cleanups.push({ name: "embedded PostgreSQL", run: () => server.stop() });
    serverUrl = embedded.url;
  } else {
    log(`using the server of DATABASE_URL`);
  }

  const dbName = `budget_bench_${randomBytes(4).toString("hex")}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${pg.escapeIdentifier(dbName)}`);
  const adminUrl = serverUrl;
  cleanups.push({
    name: `drop ${dbName}`,
    run: async () => {
      try {
        await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(dbName)} WITH (FORCE)`);
      } catch (error) {
        // On Ctrl-C db/embedded.ts's signal hook may already be stopping the throw-away server.
        if (!embedded) throw error;
      }
    },
  });
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  log(`database ${dbName}`);

  const db = createDb(databaseUrl);
  cleanups.push({ name: "pool", run: () => db.destroy() });
  await migrateToLatest(db);

  // Generation, on one connection (temporary helper tables).
  log(`generating data`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let generation: GenerateResult;
  try {
    generation = await generateLedger(client, { years: options.years, paymentBatch: options.paymentBatch, log });
  } finally {
    await client.end();
  }
  log(`generated in ${generation.seconds.toFixed(1)} s: ${JSON.stringify(generation.counts)}`);
  const server = await serverInfo(db);

  // The dashboard shows the signed-in user's unit and everything below it: for a city-wide user,
  // executionReport(…, { unitId: 上海市 }), whose SQL filters on the 702 ids of the city's subtree.
  const city = await db.selectFrom("org_unit").select(["id", "name"]).where("parent_id", "is", null).executeTakeFirstOrThrow();
  const scope: Scope = { unitId: city.id, unitIds: await unitSubtreeIds(db, city.id) };

  // Timing, interleaved.
  log(`timing: ${options.warmup} warm-up + ${options.reps} measured repetitions per as-of date`);
  const timing = await measureQueries(db, scope);

  // Correctness.
  log(`checking figures against the payments (no rollup)`);
  const correctness = await checkCorrectness(db, timing.lastAmounts, scope);

  // Plans.
  const explain = options.explain ? await explainQueries(databaseUrl, scope) : undefined;
  if (explain) {
    await mkdir(RESULTS_DIR, { recursive: true });
    await writeFile(path.join(RESULTS_DIR, "execution-explain-latest.txt"), explain.text);
  }

  // The app process: HTTP timings and memory.
  let http: HttpResult | undefined;
  if (options.http) {
    // A read-only user of the whole city, signed in over HTTP as the login form does.
    const username = "bench-viewer";
    const password = randomBytes(18).toString("base64url");
    await createUser(db, { username, displayName: "基准测试", unitId: city.id, roles: ["viewer"], password });
    log(`starting the app server`);
    const expected = await executionReport(db, { year: YEAR, asOf: options.asOfDates[0]!, unitId: city.id });
    http = await measureApp(appRoot, {
      databaseUrl,
      credentials: { username, password },
      path: `/?year=${YEAR}&asOf=${options.asOfDates[0]}`,
      alsoPaths: [`/execution.json?year=${YEAR}&asOf=${options.asOfDates[0]}`],
      expect: `data-testid="total-executed">${formatAmount(expected.total.executed, "yuan")}<`,
      warmup: 2,
      requests: options.requests,
      parallel: 4,
      rounds: 3,
      log,
    });
  }

  const results = summarise({ generation, server, timing, correctness, explain, buildSeconds, http, seconds: (performance.now() - runStarted) / 1000 });
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, "execution-latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  log(`\nwrote bench/results/execution-latest.json${explain ? " and bench/results/execution-explain-latest.txt" : ""}`);
  if (correctness.mismatches.length > 0) throw new Error(`correctness check failed: ${correctness.mismatches.length} mismatches (see above)`);
  if (options.keep) {
    log(`\n--keep: DATABASE_URL=${databaseUrl}\nCtrl-C (SIGINT) or SIGTERM drops the database${embedded ? ", stops the server and removes the directory" : ""}.`);
    await new Promise<never>(() => setInterval(() => {}, 60_000));
  }
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function serverInfo(db: DB) {
  const row = await sql<Record<string, string>>`
    SELECT version() AS version, current_setting('shared_buffers') AS shared_buffers, current_setting('work_mem') AS work_mem,
           current_setting('max_parallel_workers_per_gather') AS max_parallel_workers_per_gather, current_setting('jit') AS jit,
           pg_size_pretty(pg_database_size(current_database())) AS database_size,
           pg_size_pretty(pg_total_relation_size('payment')) AS payment_size,
           pg_size_pretty(pg_total_relation_size('execution_monthly')) AS execution_monthly_size`.execute(db);
  return row.rows[0]!;
}

// --- timing -----------------------------------------------------------------------------------

/** The units a city-wide user sees: the city and its subtree. */
interface Scope {
  unitId: number;
  unitIds: number[];
}

type Operation = "loader" | "sql" | "rawAll" | "rawYear";
const OPERATIONS: Operation[] = ["loader", "sql", "rawAll", "rawYear"];
const LABELS: Record<Operation, string> = {
  loader: "(a) dashboard loader: executionReport(上海市)",
  sql: "(b) SQL only: projectAmountsAsOf(city's units)",
  rawAll: "(c) raw: SELECT project_id, sum(amount) FROM payment GROUP BY project_id",
  rawYear: "(c') raw joined: … JOIN project WHERE fiscal_year = 2024 GROUP BY project_id",
};

async function rawAll(db: DB): Promise<number> {
  const result = await sql<{ project_id: number; amount: string }>`
    SELECT project_id, sum(amount) AS amount FROM payment GROUP BY project_id`.execute(db);
  return result.rows.length;
}

async function rawYear(db: DB, year: number): Promise<number> {
  const result = await sql<{ project_id: number; amount: string }>`
    SELECT pay.project_id, sum(pay.amount) AS amount
      FROM payment pay JOIN project p ON p.id = pay.project_id
     WHERE p.fiscal_year = ${year}
     GROUP BY pay.project_id`.execute(db);
  return result.rows.length;
}

async function measureQueries(db: DB, scope: Scope) {
  const samples = new Map<string, number[]>();
  const rowCounts = new Map<string, number>();
  const lastAmounts = new Map<string, ProjectAmounts[]>();
  const record = (key: string, ms: number) => samples.set(key, [...(samples.get(key) ?? []), ms]);
  const total = options.warmup + options.reps;
  for (let rep = 0; rep < total; rep++) {
    for (const [dateIndex, asOf] of options.asOfDates.entries()) {
      // Rotate the order every repetition so that no operation always follows another.
      const order = OPERATIONS.map((_, i) => OPERATIONS[(i + rep + dateIndex) % OPERATIONS.length]!);
      for (const operation of order) {
        const t0 = performance.now();
        let rows: number;
        switch (operation) {
          case "loader":
            rows = (await executionReport(db, { year: YEAR, asOf, unitId: scope.unitId })).rows.length;
            break;
          case "sql": {
            const amounts = await projectAmountsAsOf(db, { year: YEAR, asOf, unitIds: scope.unitIds });
            rows = amounts.length;
            if (rep === total - 1) lastAmounts.set(asOf, amounts);
            break;
          }
          case "rawAll":
            rows = await rawAll(db);
            break;
          case "rawYear":
            rows = await rawYear(db, YEAR);
            break;
        }
        const ms = performance.now() - t0;
        // The raw aggregates do not depend on the as-of date: one series each over all dates.
        const key = operation === "rawAll" || operation === "rawYear" ? operation : `${operation}@${asOf}`;
        rowCounts.set(key, rows);
        if (rep >= options.warmup) record(key, ms);
      }
    }
    if (rep === options.warmup - 1) log(`  warm-up done`);
    else if ((rep - options.warmup + 1) % 10 === 0) log(`  ${rep - options.warmup + 1}/${options.reps}`);
  }
  const stats = new Map<string, LatencyStats>([...samples.entries()].map(([key, values]) => [key, latencyStats(values)]));
  return { stats, rowCounts, lastAmounts };
}

// --- correctness ------------------------------------------------------------------------------

interface Mismatch {
  asOf: string;
  projectId: number;
  field: string;
  report: string;
  expected: string;
}

/**
 * For every project of the year and several as-of dates, the executed and adjusted amounts of
 * projectAmountsAsOf against a direct query over payments and adjustments that applies the rule
 * without the rollup; and for a handful of projects (some with returns re-issued after the as-of
 * date), against the domain rules in decimal.js on the raw entries.
 */
async function checkCorrectness(db: DB, timedAmounts: Map<string, ProjectAmounts[]>, scope: Scope) {
  const dates = [...new Set([...options.asOfDates, "2024-01-31", "2024-02-29", "2024-12-31"])];
  const mismatches: Mismatch[] = [];
  let projectsCompared = 0;
  let domainProjectsCompared = 0;
  for (const asOf of dates) {
    const amounts = timedAmounts.get(asOf) ?? (await projectAmountsAsOf(db, { year: YEAR, asOf, unitIds: scope.unitIds }));
    const direct = await sql<{ id: number; executed: string; adjusted: string }>`
      SELECT p.id,
             coalesce((SELECT sum(CASE WHEN pay.reissued_on IS NOT NULL AND pay.reissued_on <= ${asOf}::date
                                       THEN pay.amount ELSE pay.amount - pay.returned_amount END)
                         FROM payment pay WHERE pay.project_id = p.id AND pay.paid_on <= ${asOf}::date), 0)::numeric(18,2)::text AS executed,
             (coalesce((SELECT sum(bl.initial_amount) FROM budget_line bl WHERE bl.project_id = p.id), 0)
              + coalesce((SELECT sum(ba.amount) FROM budget_adjustment ba JOIN budget_line bl ON bl.id = ba.budget_line_id
                           WHERE bl.project_id = p.id AND ba.adjusted_on <= ${asOf}::date), 0))::numeric(18,2)::text AS adjusted
        FROM project p WHERE p.fiscal_year = ${YEAR}`.execute(db);
    const expected = new Map(direct.rows.map((row) => [row.id, row]));
    if (expected.size !== amounts.length) {
      mismatches.push({ asOf, projectId: 0, field: "project count", report: String(amounts.length), expected: String(expected.size) });
    }
    for (const row of amounts) {
      const want = expected.get(row.projectId);
      projectsCompared++;
      if (!want) {
        mismatches.push({ asOf, projectId: row.projectId, field: "project", report: "present", expected: "absent" });
        continue;
      }
      if (row.executed !== want.executed) mismatches.push({ asOf, projectId: row.projectId, field: "executed", report: row.executed, expected: want.executed });
      if (row.adjusted !== want.adjusted) mismatches.push({ asOf, projectId: row.projectId, field: "adjusted", report: row.adjusted, expected: want.adjusted });
    }

    // Spot check with the domain rules: projects with a return re-issued after asOf, and random ones.
    const picked = await sql<{ id: number }>`
      (SELECT DISTINCT pay.project_id AS id FROM payment pay JOIN project p ON p.id = pay.project_id
        WHERE p.fiscal_year = ${YEAR} AND pay.paid_on <= ${asOf}::date AND pay.reissued_on > ${asOf}::date
        ORDER BY 1 LIMIT 3)
      UNION
      (SELECT id FROM project WHERE fiscal_year = ${YEAR} ORDER BY hashint4extended(id, ${dates.indexOf(asOf)}) LIMIT 3)`.execute(db);
    const byId = new Map(amounts.map((row) => [row.projectId, row]));
    for (const { id } of picked.rows) {
      const payments = await db
        .selectFrom("payment")
        .select(["paid_on", "amount", "returned_amount", "reissued_on"])
        .where("project_id", "=", id)
        .execute();
      const executed = executedAmount(
        payments.map((p) => ({ paidOn: p.paid_on, amount: p.amount, returnedAmount: p.returned_amount, reissuedOn: p.reissued_on })),
        asOf,
      );
      const lines = await db.selectFrom("budget_line").select(["id", "initial_amount"]).where("project_id", "=", id).execute();
      const adjustments = await db
        .selectFrom("budget_adjustment")
        .select(["budget_line_id", "adjusted_on", "amount"])
        .where("budget_line_id", "in", lines.length > 0 ? lines.map((line) => line.id) : [-1])
        .execute();
      const adjusted = toAmountString(
        sumMoney(
          lines.map((line) =>
            money(
              adjustedBudget(
                line.initial_amount,
                adjustments.filter((a) => a.budget_line_id === line.id).map((a) => ({ adjustedOn: a.adjusted_on, amount: a.amount })),
                asOf,
              ),
            ),
          ),
        ),
      );
      const row = byId.get(id);
      domainProjectsCompared++;
      if (row?.executed !== executed) mismatches.push({ asOf, projectId: id, field: "executed (domain)", report: row?.executed ?? "missing", expected: executed });
      if (row?.adjusted !== adjusted) mismatches.push({ asOf, projectId: id, field: "adjusted (domain)", report: row?.adjusted ?? "missing", expected: adjusted });
    }
  }
  // Year filter: the previous year's projects stay out of the 2024 report.
  const otherYears = await sql<{ n: string }>`SELECT count(*) AS n FROM project WHERE fiscal_year <> ${YEAR}`.execute(db);
  for (const m of mismatches.slice(0, 20)) log(`  MISMATCH as of ${m.asOf}, project ${m.projectId}, ${m.field}: report ${m.report}, expected ${m.expected}`);
  log(`  ${projectsCompared} project-dates compared with SQL, ${domainProjectsCompared} with the domain rules: ${mismatches.length} mismatches`);
  return { dates, projectsCompared, domainProjectsCompared, otherYearProjects: Number(otherYears.rows[0]!.n), mismatches };
}

// --- plans ------------------------------------------------------------------------------------

/** EXPLAIN (ANALYZE, BUFFERS) of the exact SQL projectAmountsAsOf sends (captured through Kysely's log) and of the raw aggregates. */
async function explainQueries(databaseUrl: string, scope: Scope) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const captured: CompiledQuery[] = [];
  const capturing = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === "query") captured.push(event.query);
    },
  });
  const sections: string[] = [];
  const executionMs: Record<string, number> = {};
  const explain = async (title: string, text: string, parameters: readonly unknown[]) => {
    const result = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, [...parameters]);
    const plan = result.rows.map((row) => row["QUERY PLAN"]).join("\n");
    executionMs[title] = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN);
    sections.push(`=== ${title}\n${text.trim()}\n-- parameters: ${JSON.stringify(parameters)}\n\n${plan}\n`);
  };
  try {
    for (const asOf of options.asOfDates) {
      captured.length = 0;
      await projectAmountsAsOf(capturing as unknown as DB, { year: YEAR, asOf, unitIds: scope.unitIds });
      const query = captured.at(-1)!;
      await explain(`projectAmountsAsOf ${YEAR} as of ${asOf}`, query.sql, query.parameters);
    }
    await explain("raw: SELECT project_id, sum(amount) FROM payment GROUP BY project_id", "SELECT project_id, sum(amount) AS amount FROM payment GROUP BY project_id", []);
    await explain(
      `raw joined: fiscal_year = ${YEAR}`,
      "SELECT pay.project_id, sum(pay.amount) AS amount FROM payment pay JOIN project p ON p.id = pay.project_id WHERE p.fiscal_year = $1 GROUP BY pay.project_id",
      [YEAR],
    );
  } finally {
    await capturing.destroy();
  }
  return { text: sections.join("\n"), executionMs };
}

// --- summary ----------------------------------------------------------------------------------

function summarise(input: {
  generation: GenerateResult;
  server: Record<string, string>;
  timing: Awaited<ReturnType<typeof measureQueries>>;
  correctness: Awaited<ReturnType<typeof checkCorrectness>>;
  explain: Awaited<ReturnType<typeof explainQueries>> | undefined;
  buildSeconds: number | undefined;
  http: HttpResult | undefined;
  seconds: number;
}) {
  const { generation, timing, correctness, explain, http } = input;
  const stat = (key: string) => timing.stats.get(key)!;
  const rawAllStats = stat("rawAll");
  const rawYearStats = stat("rawYear");
  // The stricter denominator: the faster of the two raw aggregates.
  const rawP95 = Math.min(rawAllStats.p95, rawYearStats.p95);
  const rawP50 = Math.min(rawAllStats.p50, rawYearStats.p50);
  const perDate = options.asOfDates.map((asOf) => {
    const loader = stat(`loader@${asOf}`);
    const sqlOnly = stat(`sql@${asOf}`);
    return {
      asOf,
      loader,
      sql: sqlOnly,
      loaderRows: timing.rowCounts.get(`loader@${asOf}`),
      /** What executionReport adds to its SQL: the flag threshold and unit queries and the figures in decimal.js. */
      loaderMinusSqlP50: round(loader.p50 - sqlOnly.p50),
      ratios: {
        loaderP95OverRawP95: round(loader.p95 / rawP95, 3),
        loaderP50OverRawP50: round(loader.p50 / rawP50, 3),
        sqlP50OverRawP50: round(sqlOnly.p50 / rawP50, 3),
        sqlP95OverRawP95: round(sqlOnly.p95 / rawP95, 3),
        loaderP95OverRawAllP95: round(loader.p95 / rawAllStats.p95, 3),
        loaderP95OverRawYearP95: round(loader.p95 / rawYearStats.p95, 3),
      },
    };
  });
  const worstRatio = Math.max(...perDate.map((d) => d.ratios.loaderP95OverRawP95));
  const worstP50Ratio = Math.max(...perDate.map((d) => d.ratios.loaderP50OverRawP50));
  const benchMaxRssMb = round(process.resourceUsage().maxRSS / 1024);

  const rows: Array<Array<string | number>> = [];
  for (const d of perDate) {
    rows.push([`${LABELS.loader} as of ${d.asOf}`, d.loader.p50, d.loader.p95, d.ratios.loaderP95OverRawP95, d.ratios.loaderP50OverRawP50]);
    rows.push([`${LABELS.sql} as of ${d.asOf}`, d.sql.p50, d.sql.p95, d.ratios.sqlP95OverRawP95, d.ratios.sqlP50OverRawP50]);
  }
  for (const [label, key, stats] of [
    [LABELS.rawAll, "rawAll", rawAllStats],
    [LABELS.rawYear, "rawYear", rawYearStats],
  ] as const) {
    rows.push([`${label} (${timing.rowCounts.get(key)} rows)`, stats.p50, stats.p95, round(stats.p95 / rawP95, 3), round(stats.p50 / rawP50, 3)]);
  }

  const c = generation.counts;
  const lines = [
    "",
    "预算执行监控 · execution query benchmark",
    `data: ${c["project"]} projects (${c[`project.${YEAR}`]} in ${YEAR}), ${c["budget_line"]} budget lines, ${c["budget_adjustment"]} adjustments, ` +
      `${c["payment"]} payments (${c[`payment.${YEAR}`]} in ${YEAR}; ${c[`payment.${YEAR}.returned`]} with returns, ${c[`payment.${YEAR}.reissued`]} re-issued), ` +
      `${c["execution_monthly"]} rollup rows; units: ${c["org_unit.city"]} city, ${c["org_unit.district"]} districts, ${c["org_unit.town"]} towns, ${c["org_unit.unit"]} budget units`,
    `generation: ${generation.seconds.toFixed(1)} s (payments: ${generation.steps.filter((s) => s.step.includes("payments")).reduce((t, s) => t + s.seconds, 0).toFixed(1)} s, VACUUM ANALYZE ${generation.steps.find((s) => s.step === "VACUUM ANALYZE")?.seconds.toFixed(1)} s); database ${input.server["database_size"]}`,
    `PostgreSQL: ${input.server["version"]?.split(" on ")[0]}; shared_buffers ${input.server["shared_buffers"]}, work_mem ${input.server["work_mem"]}, parallel workers/gather ${input.server["max_parallel_workers_per_gather"]}, jit ${input.server["jit"]}`,
    `timing: ${options.warmup} warm-up + ${options.reps} measured repetitions, interleaved (rotating order) per as-of date; raw = the faster of (c) and (c'): p95 ${rawP95} ms, p50 ${rawP50} ms`,
    "",
    table(["operation", "p50 ms", "p95 ms", "p95 ÷ raw p95", "p50 ÷ raw p50"], rows),
    "",
    `loader − SQL (p50), i.e. the figures in decimal.js (+ the threshold and unit queries): ${perDate.map((d) => `${d.loaderMinusSqlP50} ms as of ${d.asOf}`).join(", ")}`,
  ];
  if (explain) {
    lines.push(`EXPLAIN ANALYZE execution times (ms): ${Object.entries(explain.executionMs).map(([k, v]) => `${k.split(":")[0]} ${v}`).join("; ")}`);
  }
  lines.push(
    `correctness: ${correctness.projectsCompared} project × as-of figures vs direct SQL, ${correctness.domainProjectsCompared} vs domain rules, as of ${correctness.dates.join(", ")}: ` +
      (correctness.mismatches.length === 0 ? "all equal" : `${correctness.mismatches.length} MISMATCHES`),
  );
  if (http) {
    lines.push(
      `app server (react-router-serve, NODE_ENV=production${input.buildSeconds === undefined ? ", the project's existing build/" : `, built in a private copy in ${input.buildSeconds.toFixed(1)} s`}): ` +
        `GET ${http.url} × ${http.sequential.n}: p50 ${http.sequential.p50} ms, p95 ${http.sequential.p95} ms, max ${http.sequential.max} ms, ${(http.sequential.responseBytes / 1e6).toFixed(1)} MB per response; ` +
        `${http.concurrent.rounds} bursts of ${http.concurrent.parallel} concurrent: wall p50 ${http.concurrent.wallMs.p50} ms, max ${http.concurrent.wallMs.max} ms`,
      `app memory: idle ${http.idleRssMb} MB, peak ${http.sequentialPeakRssMb} MB during sequential requests, peak ${http.peakRssMb} MB overall (VmHWM, incl. concurrent bursts), ${http.rssAfterMb} MB after`,
    );
  }
  lines.push(
    `bench process max RSS ${benchMaxRssMb} MB; whole run ${input.seconds.toFixed(0)} s`,
    "",
    `target loader p95 ÷ raw p95 ≤ ${TARGET_RATIO}: ${worstRatio <= TARGET_RATIO ? "MET" : "NOT MET"} (worst ${worstRatio})` +
      (worstRatio <= TARGET_RATIO && worstP50Ratio > TARGET_RATIO
        ? ` — but p50 ÷ raw p50 is ${worstP50Ratio}: the raw aggregate's p95 is inflated by noise, so this is borderline`
        : ""),
    http ? `target app RSS < ${TARGET_RSS_MB} MB: ${http.peakRssMb < TARGET_RSS_MB ? "MET" : "NOT MET"} (peak ${http.peakRssMb} MB)` : "target app RSS: not measured (--no-http)",
  );
  console.log(lines.join("\n"));

  return {
    benchmark: "execution",
    finishedAt: new Date().toISOString(),
    environment: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: round(os.totalmem() / 2 ** 30), postgres: input.server },
    options: { ...options, years: options.years },
    generation,
    timing: {
      method: "interleaved: each repetition runs, per as-of date, the four operations in a rotating order; warm-up repetitions are discarded; p50/p95 by nearest rank",
      perDate,
      rawAll: { sql: "SELECT project_id, sum(amount) AS amount FROM payment GROUP BY project_id", rows: timing.rowCounts.get("rawAll"), ...rawAllStats },
      rawYear: {
        sql: "SELECT pay.project_id, sum(pay.amount) FROM payment pay JOIN project p ON p.id = pay.project_id WHERE p.fiscal_year = 2024 GROUP BY pay.project_id",
        rows: timing.rowCounts.get("rawYear"),
        ...rawYearStats,
      },
      rawP95Denominator: rawP95,
      rawP50Denominator: rawP50,
    },
    explainExecutionMs: explain?.executionMs,
    correctness: { ...correctness, mismatches: correctness.mismatches.slice(0, 100) },
    app: http ? { buildSeconds: input.buildSeconds, ...http, samples: http.samples.filter((_, i) => i % 10 === 0) } : null,
    benchMaxRssMb,
    targets: {
      ratio: { target: TARGET_RATIO, worst: worstRatio, met: worstRatio <= TARGET_RATIO, worstP50Ratio },
      appRssMb: http ? { target: TARGET_RSS_MB, peak: http.peakRssMb, met: http.peakRssMb < TARGET_RSS_MB } : null,
    },
    seconds: round(input.seconds),
  };
}

main()
  .then(cleanup)
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await cleanup();
    // Explicitly: an open pool or timer must not keep the process alive, and the code must say it failed.
    process.exit(1);
  });
