/**
 * npm run bench:import — imports 200,000 payment rows from CSV and from XLSX through the product's
 * import pipeline (files/read-table → features/import/queries: parse, validate, stage, resolve, write with the
 * rollup and audit triggers) and compares with PostgreSQL's own COPY of the same CSV into a table of
 * the same columns, in the same run. Reports rows/second, the ratio to COPY, and the peak memory of
 * each import (each runs in a process of its own). Target: CSV import within 3× of COPY, memory bounded.
 * Also PostgreSQL's own COPY of the same rows (resolved to ids) straight into the ledger table payment:
 * the floor under any import into that table (docs/decisions/010-import-speed-floor.md).
 *
 * Options: --rows N (default 200000). DATABASE_URL: use that server (a throw-away database is created
 * on it); otherwise an embedded PostgreSQL in a temporary directory.
 */
import { createWriteStream } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { createDb } from "../db/pool.ts";
import { startEmbeddedPostgres, type EmbeddedServer } from "../db/embedded.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { runImport } from "../features/import/queries/run.ts";
import { openTable } from "../files/read-table.ts";
import { writeWorkbook } from "../files/write-xlsx.ts";
import { createDatabase, dropDatabase } from "../test/support/database.ts";

const execFileAsync = promisify(execFile);

const HEADERS = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"];
const UNIT = "基准测试单位";
const PROJECTS = 50;

function rowOf(index: number, project: string): string[] {
  const day = new Date(Date.UTC(2024, 0, 1) + (index % 366) * 86_400_000).toISOString().slice(0, 10);
  const cents = 1_000 + ((index * 7919) % 5_000_000);
  const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
  const returned = index % 50 === 0;
  return [
    "2024",
    UNIT,
    project,
    "",
    day,
    index % 10 === 0 ? "划拨" : "社会化发放",
    String(1 + (index % 120)),
    amount,
    "",
    returned ? "1" : "0",
    returned ? "1.00" : "0.00",
    returned && day < "2024-12-31" ? "2024-12-31" : "",
    `第${index}笔`,
  ];
}

/** Samples this process's resident memory while work runs; returns the peak in MB. */
async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number; seconds: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: Math.round(peak / 1024 / 1024), seconds };
  } finally {
    clearInterval(timer);
  }
}

/** The peak resident memory of this process so far (VmHWM), in MB. */
async function peakRssMb(): Promise<number> {
  const status = await readFile("/proc/self/status", "utf8").catch(() => "");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb > 0 ? Math.round(kb / 1024) : Math.round(process.resourceUsage().maxRSS / 1024);
}

/** One import in a fresh process, so that its memory is its own: prints {seconds, peakRssMb, added}. */
async function worker(databaseUrl: string, file: string, hash: string): Promise<void> {
  const db = createDb(databaseUrl);
  const phases: Record<string, number> = {};
  const started = process.hrtime.bigint();
  const report = await runImport(db, {
    onPhase: (name, milliseconds) => (phases[name] = milliseconds / 1000),
    kind: "payments",
    source: await openTable({ path: file }),
    fileHash: hash,
    fileName: path.basename(file),
    importer: { userId: null, username: "bench", unitSubtree: null, defaultParentUnitId: null },
    commit: true,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await db.destroy();
  process.stdout.write(`${JSON.stringify({ seconds, peakRssMb: await peakRssMb(), added: report.added, committed: report.committed, errors: report.errors.length, phases })}\n`);
}

interface WorkerResult {
  seconds: number;
  peakRssMb: number;
  added: number;
  committed: boolean;
  /** Seconds per phase: read (file → parsed rows → COPY), resolve, write, commit. */
  phases: Record<string, number>;
}

async function runWorker(databaseUrl: string, file: string, hash: string): Promise<WorkerResult> {
  const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--worker", "--db", databaseUrl, "--file", file, "--hash", hash], {
    cwd: path.resolve(import.meta.dirname, ".."),
    maxBuffer: 10 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rows: { type: "string" }, worker: { type: "boolean" }, db: { type: "string" }, file: { type: "string" }, hash: { type: "string" } },
  });
  if (values.worker) return worker(values.db!, values.file!, values.hash!);
  const rows = Number(values.rows ?? 200_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), "budget-bench-import-"));
  await chmod(dir, 0o755);
  let embedded: EmbeddedServer | undefined;
  let serverUrl = process.env.DATABASE_URL;
  let databaseUrl: string | undefined;
  try {
    if (!serverUrl) {
      embedded = await startEmbeddedPostgres(path.join(dir, "postgres"), { quiet: true });
      serverUrl = embedded.adminUrl; // the breakdown below COPYs to a server file and sets session_replication_role: superuser only
    }
    databaseUrl = await createDatabase(serverUrl, "bench_import");
    const db = createDb(databaseUrl);
    await migrateToLatest(db);
    const { id: unitId } = await db.insertInto("org_unit").values({ name: UNIT, level: "unit", parent_id: null }).returning("id").executeTakeFirstOrThrow();
    for (const format of ["csv", "xlsx"]) {
      for (let project = 0; project < PROJECTS; project += 1) {
        const { id } = await db
          .insertInto("project")
          .values({ fiscal_year: 2024, name: `${format}-项目${project}`, unit_id: unitId, code: null, supervising_department: null, implementing_unit: null, category: null, note: null })
          .returning("id")
          .executeTakeFirstOrThrow();
        await db.insertInto("budget_line").values({ project_id: id, line_no: 1, item: "医疗救助", fund_level: "镇级", fund_type: "当年财政拨款", initial_amount: "100000000.00", unit_price: null, quantity: null, basis: null, scheduled_months: null, functional_code: null, functional_name: null, economic_code: null, economic_name: null }).execute();
      }
    }

    // The files: the same rows as CSV (UTF-8) and as XLSX.
    const csvPath = path.join(dir, "payments.csv");
    const out = createWriteStream(csvPath);
    out.write(`${HEADERS.join(",")}\n`);
    for (let index = 0; index < rows; index += 1) out.write(`${rowOf(index, `csv-项目${index % PROJECTS}`).join(",")}\n`);
    await new Promise((resolve) => out.end(resolve));
    const xlsxPath = path.join(dir, "payments.xlsx");
    await writeFile(
      xlsxPath,
      await writeWorkbook([
        {
          name: "支付明细",
          columns: HEADERS.map((header, index) => ({ header, key: String(index), kind: index === 7 || index === 10 ? ("amount" as const) : ("text" as const) })),
          rows: Array.from({ length: rows }, (_, index) => Object.fromEntries(rowOf(index, `xlsx-项目${index % PROJECTS}`).map((cell, column) => [String(column), cell]))),
        },
      ]),
    );
    const sizes = { csvMb: (await stat(csvPath)).size / 1e6, xlsxMb: (await stat(xlsxPath)).size / 1e6 };

    // PostgreSQL's own COPY of the same CSV into a table of the same columns (read by the server process).
    await sql`CREATE TABLE copy_target (year int, unit text, project text, item text, paid_on date, kind text, person_times int,
              amount numeric(18,2), due_on date, returned_count int, returned_amount numeric(18,2), reissued_on date, note text)`.execute(db);
    await chmod(csvPath, 0o644);
    const copy = await withPeakMemory(() => sql`COPY copy_target FROM ${sql.lit(csvPath)} WITH (FORMAT csv, HEADER true)`.execute(db));

    // Each import runs in its own process (the product's code path, as `budget import` runs it), so
    // that its peak memory is its own and not the generator's.
    const csvRun = await runWorker(databaseUrl, csvPath, "c".repeat(64));
    const xlsxRun = await runWorker(databaseUrl, xlsxPath, "d".repeat(64));
    for (const [name, run] of [["csv", csvRun], ["xlsx", xlsxRun]] as const) {
      if (!run.committed || run.added !== rows) throw new Error(`${name} import did not add ${rows} rows: ${JSON.stringify(run)}`);
    }
    const csv = { seconds: csvRun.seconds, peakMb: csvRun.peakRssMb };
    const xlsx = { seconds: xlsxRun.seconds, peakMb: xlsxRun.peakRssMb };

    // PostgreSQL's own COPY into the ledger: the same rows, resolved to project ids beforehand, copied
    // straight into payment with its keys, checks, indexes and triggers (audited as one import batch,
    // like an import), rolled back. No import can be faster than this; it is the floor under the target.
    // Written and read by the server process, which runs as another user: a directory it may write to.
    const serverDir = path.join(dir, "server");
    await mkdir(serverDir);
    await chmod(serverDir, 0o777);
    const resolvedPath = path.join(serverDir, "payments-resolved.txt");
    await sql`COPY (SELECT p.id, c.paid_on, CASE c.kind WHEN '划拨' THEN 'transfer' ELSE 'batch' END, c.person_times, c.amount, c.due_on,
                           c.returned_count, c.returned_amount, c.reissued_on, c.note, (SELECT min(id) FROM import_batch)
                      FROM copy_target c JOIN project p ON p.fiscal_year = c.year AND p.name = c.project)
              TO ${sql.lit(resolvedPath)}`.execute(db);
    // The same COPY into payment, rolled back, with parts of the ledger's machinery set aside for the
    // breakdown (session_replication_role = replica skips the foreign-key and audit/rollup triggers; it
    // needs a superuser, as the embedded server's user is): what each part costs.
    const copyIntoLedger = async (setup: ReturnType<typeof sql>[]) =>
      (
        await withPeakMemory(() =>
          db
            .transaction()
            .execute(async (trx) => {
              for (const statement of setup) await statement.execute(trx);
              await sql`COPY payment (project_id, paid_on, kind, person_times, amount, due_on, returned_count, returned_amount, reissued_on, note, import_batch_id)
                        FROM ${sql.lit(resolvedPath)}`.execute(trx);
              throw new Error("rollback");
            })
            .catch((error: Error) => {
              if (error.message !== "rollback") throw error;
            }),
        )
      ).seconds;
    const ledgerCopy = { seconds: await copyIntoLedger([]) };
    const withoutTriggers = sql`SET LOCAL session_replication_role = replica`;
    const withoutIndexes = ["payment_project_paid_idx", "payment_paid_idx", "payment_reissued_idx", "payment_line_idx"].map((index) => sql`DROP INDEX ${sql.id(index)}`);
    const floor = await (async () => ({
      tableAndPrimaryKey: await copyIntoLedger([...withoutIndexes, withoutTriggers]),
      plusIndexes: await copyIntoLedger([withoutTriggers]),
      plusForeignKeysAndTriggers: ledgerCopy.seconds,
    }))().catch(() => null);
    const count = await db.selectFrom("payment").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    await db.destroy();

    const summary = {
      rows,
      files: sizes,
      copy: { seconds: copy.seconds, rowsPerSecond: Math.round(rows / copy.seconds) },
      csvImport: { seconds: csv.seconds, rowsPerSecond: Math.round(rows / csv.seconds), ratioToCopy: csv.seconds / copy.seconds, peakRssMb: csv.peakMb },
      xlsxImport: { seconds: xlsx.seconds, rowsPerSecond: Math.round(rows / xlsx.seconds), ratioToCopy: xlsx.seconds / copy.seconds, peakRssMb: xlsx.peakMb },
      ledgerCopy: { seconds: ledgerCopy.seconds, ratioToCopy: ledgerCopy.seconds / copy.seconds },
      csvImportToLedgerCopy: csv.seconds / ledgerCopy.seconds,
      ledgerCopyBreakdown: floor && Object.fromEntries(Object.entries(floor).map(([part, seconds]) => [part, { seconds, ratioToCopy: seconds / copy.seconds }])),
      phases: { csv: csvRun.phases, xlsx: xlsxRun.phases },
      paymentsInDatabase: Number(count.n),
      target: "CSV import ≤ 3 × COPY",
    };
    console.log(`rows: ${rows}; CSV ${sizes.csvMb.toFixed(1)} MB, XLSX ${sizes.xlsxMb.toFixed(1)} MB`);
    console.log(`COPY (PostgreSQL):  ${copy.seconds.toFixed(2)} s  ${summary.copy.rowsPerSecond} rows/s`);
    console.log(`import CSV:         ${csv.seconds.toFixed(2)} s  ${summary.csvImport.rowsPerSecond} rows/s  ${summary.csvImport.ratioToCopy.toFixed(2)} × COPY  peak RSS ${csv.peakMb} MB`);
    console.log(`import XLSX:        ${xlsx.seconds.toFixed(2)} s  ${summary.xlsxImport.rowsPerSecond} rows/s  ${summary.xlsxImport.ratioToCopy.toFixed(2)} × COPY  peak RSS ${xlsx.peakMb} MB`);
    const phaseText = (phases: Record<string, number>) => Object.entries(phases).map(([name, seconds]) => `${name} ${seconds.toFixed(2)}`).join(", ");
    console.log(`  phases (s) CSV:   ${phaseText(csvRun.phases)}`);
    console.log(`  phases (s) XLSX:  ${phaseText(xlsxRun.phases)}`);
    console.log(`COPY into payment: ${ledgerCopy.seconds.toFixed(2)} s  ${summary.ledgerCopy.ratioToCopy.toFixed(2)} × COPY  (the same rows resolved to ids, straight into the ledger table: keys, checks, indexes, triggers)`);
    if (floor) {
      console.log(`  of which: table + primary key ${floor.tableAndPrimaryKey.toFixed(2)} s (${(floor.tableAndPrimaryKey / copy.seconds).toFixed(2)} × COPY), + indexes ${floor.plusIndexes.toFixed(2)} s (${(floor.plusIndexes / copy.seconds).toFixed(2)} ×), + foreign keys, audit and rollup triggers ${floor.plusForeignKeysAndTriggers.toFixed(2)} s (${(floor.plusForeignKeysAndTriggers / copy.seconds).toFixed(2)} ×)`);
    }
    console.log(`import CSV ÷ COPY into payment: ${summary.csvImportToLedgerCopy.toFixed(2)}`);
    console.log(`target CSV ≤ 3 × COPY: ${summary.csvImport.ratioToCopy <= 3 ? "met" : "missed"}`);
    await writeFile(path.join(import.meta.dirname, "results", "import-latest.json"), `${JSON.stringify(summary, null, 2)}\n`).catch(async () => {
      await mkdir(path.join(import.meta.dirname, "results"), { recursive: true });
      await writeFile(path.join(import.meta.dirname, "results", "import-latest.json"), `${JSON.stringify(summary, null, 2)}\n`);
    });
  } finally {
    if (databaseUrl && serverUrl) await dropDatabase(serverUrl, databaseUrl).catch(() => {});
    await embedded?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
