import { sql, type Transaction } from "kysely";
import type { DB } from "./connection.ts";
import type { Database } from "./schema.ts";
import { setActor, type AuditActor } from "./audit.ts";
import { ImportFormatError, mapHeaders, type HeaderMapping, type ImportKind } from "../domain/import/columns.ts";
import { parseImportRow, type BudgetLineRow, type AdjustmentRow, type PaymentRow, type RowProblem, type TotalRow } from "../domain/import/rows.ts";
import { money, toAmountString } from "../domain/money.ts";

/*
 * One import, dry run or for real, in one transaction: rows are parsed and checked as they stream
 * from the file, staged in a temporary table in batches, then resolved against units, projects and
 * lines with set-based SQL, and finally written all at once — or not at all.
 */

/** The rows of a file as the file layer (files/read-table.ts) gives them. */
export interface ImportSource {
  headers: string[];
  rows: AsyncIterable<{ rowNumber: number; cells: string[] }>;
}

/** Who imports: the audit actor, and the units they may write to (null: all, as for the CLI). */
export interface Importer extends AuditActor {
  unitSubtree: readonly number[] | null;
  /** Where new units of a budget-lines file go when it names no 上级单位. */
  defaultParentUnitId: number | null;
}

export type RowStatus = "new" | "updated" | "unchanged" | "duplicate" | "error" | "total";

export interface ImportReport {
  kind: ImportKind;
  fileHash: string;
  /** Data rows read (合计 rows included). */
  rowsRead: number;
  added: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  errors: RowProblem[];
  /** Errors beyond the first MAX_LISTED are counted here. */
  moreErrors: number;
  warnings: RowProblem[];
  newUnits: string[];
  newProjects: string[];
  /** The status of each row, for the dry-run grid (the first MAX_LISTED rows, and every row with a message). */
  rows: Array<{ rowNumber: number; status: RowStatus; unit: string; project: string; item: string; amount: string; message: string }>;
  /** The same file (by content) was imported before: nothing was done. */
  alreadyImported: boolean;
  committed: boolean;
}

const STAGE_BATCH = 5_000;
const MAX_LISTED = 1_000;

/** What a kind stages per row: column name → SQL type. */
const STAGE_COLUMNS: Record<ImportKind, Array<[string, string]>> = {
  "budget-lines": [
    ["year", "int"], ["unit", "text"], ["project", "text"], ["composition", "text"], ["item", "text"], ["fund_level", "text"],
    ["fund_type", "text"], ["initial", "numeric"], ["unit_price", "numeric"], ["quantity", "numeric"], ["basis", "text"],
    ["months", "text"], ["parent", "text"],
  ],
  adjustments: [
    ["year", "int"], ["unit", "text"], ["project", "text"], ["item", "text"], ["adjusted_on", "date"], ["amount", "numeric"],
    ["fund_level", "text"], ["reason", "text"], ["document_number", "text"],
  ],
  payments: [
    ["year", "int"], ["unit", "text"], ["project", "text"], ["item", "text"], ["paid_on", "date"], ["kind", "text"],
    ["person_times", "int"], ["amount", "numeric"], ["due_on", "date"], ["returned_count", "int"], ["returned_amount", "numeric"],
    ["reissued_on", "date"], ["note", "text"],
  ],
};

function stageValues(kind: ImportKind, row: BudgetLineRow | AdjustmentRow | PaymentRow): Array<string | number | null> {
  if (kind === "budget-lines") {
    const r = row as BudgetLineRow;
    return [r.year, r.unit, r.project, r.composition, r.item, r.fundLevel, r.fundType, r.initial, r.unitPrice, r.quantity, r.basis, r.months ? `{${r.months.join(",")}}` : null, r.parent];
  }
  if (kind === "adjustments") {
    const r = row as AdjustmentRow;
    return [r.year, r.unit, r.project, r.item, r.date, r.amount, r.fundLevel, r.reason, r.documentNumber];
  }
  const r = row as PaymentRow;
  return [r.year, r.unit, r.project, r.item, r.date, r.kind, r.personTimes, r.amount, r.dueDate, r.returnedCount, r.returnedAmount, r.reissuedOn, r.note];
}

/** Budget-line fields a file may leave out: a column absent from the file leaves the stored value alone. */
const OPTIONAL_LINE_FIELDS: Array<{ key: string; column: string; staged: string; label: string }> = [
  { key: "unitPrice", column: "unit_price", staged: "s.unit_price", label: "单价" },
  { key: "quantity", column: "quantity", staged: "s.quantity", label: "数量" },
  { key: "basis", column: "basis", staged: "s.basis", label: "依据" },
  { key: "months", column: "scheduled_months", staged: "s.months::smallint[]", label: "安排月份" },
];

/** Thrown to roll a dry run (or a refused import) back after its report is complete. */
class Rollback extends Error {
  constructor(readonly report: ImportReport) {
    super("rollback");
  }
}

/**
 * Checks a file and, when asked and when every row is valid, imports it in one transaction.
 * Throws an Error with a Chinese message for a file-level problem (missing columns).
 */
export async function runImport(
  db: DB,
  options: { kind: ImportKind; source: ImportSource; fileHash: string; fileName: string; importer: Importer; commit: boolean },
): Promise<ImportReport> {
  const { kind, source, fileHash, importer } = options;
  const mapping = mapHeaders(kind, source.headers);
  const report: ImportReport = {
    kind,
    fileHash,
    rowsRead: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    errors: [],
    moreErrors: 0,
    warnings: mapping.ignored.map((header) => ({ rowNumber: 0, column: header, message: `未识别的列“${header}”，已忽略` })),
    newUnits: [],
    newProjects: [],
    rows: [],
    alreadyImported: false,
    committed: false,
  };

  const previous = await db.selectFrom("import_batch").select(["imported_at", "username"]).where("file_hash", "=", fileHash).where("kind", "=", kind).executeTakeFirst();
  if (previous) {
    report.alreadyImported = true;
    report.warnings.push({ rowNumber: 0, column: null, message: `同一文件已于 ${previous.imported_at.toISOString().slice(0, 16).replace("T", " ")} 由 ${previous.username} 导入，本次不作任何改动` });
    return report;
  }

  try {
    await db.transaction().execute(async (trx) => {
      await setActor(trx, importer);
      await stageRows(trx, kind, mapping, source, report);
      const present = new Set(mapping.columns.map((column) => column.spec.key));
      await resolve(trx, kind, importer, report, present);
      if (report.errors.length > 0 || report.moreErrors > 0 || !options.commit) throw new Rollback(report);
      try {
        await write(trx, kind, present);
      } catch (error) {
        // A rule the checks above missed: the database refuses, the transaction rolls back, the person learns why.
        const code = (error as { code?: string }).code ?? "";
        if (!code.startsWith("23")) throw error;
        throw new ImportFormatError(`数据库拒绝写入（未导入任何行）：${(error as Error).message}`);
      }
      await trx
        .insertInto("import_batch")
        .values({
          file_hash: fileHash,
          kind,
          file_name: options.fileName.slice(0, 300),
          user_id: importer.userId,
          username: importer.username,
          rows_read: report.rowsRead,
          rows_added: report.added,
          rows_updated: report.updated,
        })
        .execute();
      report.committed = true;
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  report.rows.sort((a, b) => a.rowNumber - b.rowNumber);
  return report;
}

function addError(report: ImportReport, problem: RowProblem): void {
  if (report.errors.length < MAX_LISTED) report.errors.push(problem);
  else report.moreErrors += 1;
}

/** Streams the file's rows through the row parser into the temporary table import_stage. */
async function stageRows(trx: Transaction<Database>, kind: ImportKind, mapping: HeaderMapping, source: ImportSource, report: ImportReport): Promise<void> {
  const columns = STAGE_COLUMNS[kind];
  await sql`CREATE TEMP TABLE import_stage (
      row_number int PRIMARY KEY,
      ${sql.join(columns.map(([name, type]) => sql`${sql.id(name)} ${sql.raw(type)}`))},
      unit_id int, project_id int, line_id int, status text, message text
    ) ON COMMIT DROP`.execute(trx);

  const runningSums = new Map<string, bigint>();
  let buffer: Array<Array<string | number | null>> = [];
  const flush = async () => {
    if (buffer.length === 0) return;
    const arrays = columns.map((_, index) => buffer.map((values) => values[index + 1]));
    const rowNumbers = buffer.map((values) => values[0]);
    await sql`INSERT INTO import_stage (row_number, ${sql.join(columns.map(([name]) => sql.id(name)))})
              SELECT * FROM unnest(${rowNumbers}::int[], ${sql.join(columns.map(([, type], index) => sql`${arrays[index]}::${sql.raw(type)}[]`))})`.execute(trx);
    buffer = [];
  };

  for await (const { rowNumber, cells } of source.rows) {
    report.rowsRead += 1;
    const parsed = parseImportRow(kind, mapping, cells, rowNumber);
    if ("problems" in parsed) {
      for (const problem of parsed.problems) addError(report, problem);
      listRow(report, { rowNumber, status: "error", unit: "", project: "", item: "", amount: "", message: parsed.problems.map((p) => `${p.column ?? ""}：${p.message}`).join("；") });
      continue;
    }
    if ("total" in parsed) {
      checkTotal(parsed.total, runningSums, mapping, report);
      continue;
    }
    const row = parsed.row;
    for (const key of ["initial", "amount", "returnedAmount", "unitPrice"] as const) {
      const value = (row as unknown as Record<string, string | null>)[key];
      if (value) runningSums.set(key, (runningSums.get(key) ?? 0n) + BigInt(value.replace(".", "")));
    }
    buffer.push([rowNumber, ...stageValues(kind, row)]);
    if (buffer.length >= STAGE_BATCH) await flush();
  }
  await flush();
  await sql`ANALYZE import_stage`.execute(trx);
  if (report.rowsRead === 0) addError(report, { rowNumber: 0, column: null, message: "文件中没有数据行" });
}

/** A 合计 row must equal the sum of the rows above it (since the previous 合计). */
function checkTotal(total: TotalRow, sums: Map<string, bigint>, mapping: HeaderMapping, report: ImportReport): void {
  for (const [key, stated] of Object.entries(total.amounts)) {
    const computed = toAmountString(money(String(sums.get(key) ?? 0n)).dividedBy(100));
    const column = mapping.columns.find((c) => c.spec.key === key)?.header ?? key;
    if (computed !== stated) {
      report.warnings.push({ rowNumber: total.rowNumber, column, message: `合计行不平：写明 ${stated}，上方各行之和 ${computed}（差 ${toAmountString(money(stated).minus(computed))}）` });
    }
  }
  listRow(report, { rowNumber: total.rowNumber, status: "total", unit: "", project: "合计", item: "", amount: total.amounts.initial ?? total.amounts.amount ?? "", message: "合计行：已核对，不导入" });
  sums.clear();
}

function listRow(report: ImportReport, row: ImportReport["rows"][number]): void {
  if (report.rows.length < MAX_LISTED || row.message !== "") report.rows.push(row);
}

/** Resolves units, projects and lines; marks rows as new, unchanged, duplicate or error. */
async function resolve(trx: Transaction<Database>, kind: ImportKind, importer: Importer, report: ImportReport, present: ReadonlySet<string>): Promise<void> {
  // Units this import creates (under a parent the importer may write to) are the importer's too.
  const createdUnitIds: number[] = [];
  if (kind === "budget-lines") {
    await sql`UPDATE import_stage s SET unit_id = u.id FROM org_unit u WHERE u.name = s.unit`.execute(trx);
    // Units not known yet are created under the named 上级单位, else under the importer's unit.
    const newUnits = await sql<{ unit: string; parent: string | null; first_row: number }>`
      SELECT unit, min(parent) AS parent, min(row_number) AS first_row FROM import_stage WHERE unit_id IS NULL GROUP BY unit ORDER BY 3`.execute(trx);
    for (const unit of newUnits.rows) {
      // Named parent; else the importer's unit; else (the CLI, unrestricted) a unit at the top.
      const parent = unit.parent
        ? await trx.selectFrom("org_unit").select("id").where("name", "=", unit.parent).executeTakeFirst()
        : importer.defaultParentUnitId !== null
          ? { id: importer.defaultParentUnitId }
          : importer.unitSubtree === null
            ? { id: null }
            : undefined;
      if (!parent) {
        addError(report, { rowNumber: unit.first_row, column: "上级单位", message: unit.parent ? `上级单位“${unit.parent}”不存在` : `新单位“${unit.unit}”需要填写上级单位` });
        continue;
      }
      if (parent.id !== null && !inScope(importer, parent.id)) {
        addError(report, { rowNumber: unit.first_row, column: "上级单位", message: `无权在该上级单位下新建单位：${unit.parent ?? ""}` });
        continue;
      }
      const { id } = await trx.insertInto("org_unit").values({ name: unit.unit, level: "unit", parent_id: parent.id }).returning("id").executeTakeFirstOrThrow();
      await sql`UPDATE import_stage SET unit_id = ${id} WHERE unit = ${unit.unit}`.execute(trx);
      report.newUnits.push(unit.unit);
      createdUnitIds.push(id);
    }
  } else {
    // Unit, project and line in one pass over the staged rows (each UPDATE rewrites every row).
    await sql`UPDATE import_stage s SET unit_id = r.unit_id, project_id = r.project_id, line_id = r.line_id
              FROM (SELECT DISTINCT ON (t.row_number) t.row_number, u.id AS unit_id, p.id AS project_id, l.id AS line_id
                      FROM import_stage t
                      LEFT JOIN org_unit u ON u.name = t.unit
                      LEFT JOIN project p ON p.fiscal_year = t.year AND p.unit_id = u.id AND p.name = t.project
                      LEFT JOIN budget_line l ON l.project_id = p.id AND l.item = t.item
                     ORDER BY t.row_number, l.id) r
             WHERE r.row_number = s.row_number`.execute(trx);
    await markErrors(trx, report, sql`unit_id IS NULL`, "预算单位", sql`'未知的预算单位“' || unit || '”'`);
    // An item under two compositions of one project is ambiguous: the row must not pick one silently.
    await markErrors(
      trx,
      report,
      sql`item IS NOT NULL AND project_id IS NOT NULL AND (SELECT count(*) FROM budget_line l WHERE l.project_id = import_stage.project_id AND l.item = import_stage.item) > 1`,
      "项目明细",
      sql`'项目中有多条同名明细“' || item || '”，无法确定是哪一条'`,
    );
  }

  // Permission: every row's unit must be the importer's or below it.
  if (importer.unitSubtree !== null) {
    const allowed = [...importer.unitSubtree, ...createdUnitIds];
    await markErrors(trx, report, sql`unit_id IS NOT NULL AND NOT (unit_id = ANY(${allowed}::int[]))`, "预算单位", sql`'无权导入到该单位：' || unit`);
  }

  if (kind === "budget-lines") {
    await sql`UPDATE import_stage s SET project_id = p.id FROM project p
              WHERE p.fiscal_year = s.year AND p.unit_id = s.unit_id AND p.name = s.project AND s.status IS NULL`.execute(trx);
    const projects = await sql<{ year: number; unit_id: number; project: string; unit: string }>`
      SELECT DISTINCT year, unit_id, project, unit FROM import_stage WHERE project_id IS NULL AND status IS NULL AND unit_id IS NOT NULL`.execute(trx);
    for (const project of projects.rows) {
      const { id } = await trx
        .insertInto("project")
        .values({ fiscal_year: project.year, name: project.project, unit_id: project.unit_id, code: null, supervising_department: null, implementing_unit: null, category: null, note: "导入时新建" })
        .returning("id")
        .executeTakeFirstOrThrow();
      await sql`UPDATE import_stage SET project_id = ${id} WHERE year = ${project.year} AND unit_id = ${project.unit_id} AND project = ${project.project}`.execute(trx);
      report.newProjects.push(`${project.year} ${project.unit} ${project.project}`);
    }
    await sql`UPDATE import_stage s SET line_id = l.id FROM budget_line l
              WHERE l.project_id = s.project_id AND l.composition = coalesce(s.composition, '') AND l.item = s.item`.execute(trx);
  } else {
    await markErrors(trx, report, sql`project_id IS NULL`, "项目名称", sql`'未找到项目：' || year || ' 年 ' || unit || ' ' || project`);
    // An item must name exactly one line of the project (payments may leave it empty).
    const ambiguous = kind === "payments" ? sql`item IS NOT NULL AND line_id IS NULL` : sql`line_id IS NULL`;
    await markErrors(trx, report, ambiguous, "项目明细", sql`'项目中没有该明细：' || coalesce(item, '')`);
  }

  // Duplicates inside the file: the first one counts.
  const key = naturalKey(kind);
  await sql`UPDATE import_stage s SET status = 'duplicate', message = '与第' || d.first_row || '行重复，已跳过'
            FROM (SELECT row_number, min(row_number) OVER (PARTITION BY ${key}) AS first_row FROM import_stage WHERE status IS NULL) d
            WHERE d.row_number = s.row_number AND d.first_row <> s.row_number`.execute(trx);

  // Already in the ledger: unchanged (re-importing a file changes nothing).
  if (kind === "payments") {
    await sql`UPDATE import_stage s SET status = 'unchanged', message = '已存在'
              FROM payment p
              WHERE s.status IS NULL AND p.project_id = s.project_id AND p.budget_line_id IS NOT DISTINCT FROM s.line_id
                AND p.paid_on = s.paid_on AND p.kind = s.kind AND p.amount = s.amount
                AND p.person_times IS NOT DISTINCT FROM s.person_times
                AND p.returned_count = coalesce(s.returned_count, 0) AND p.returned_amount = coalesce(s.returned_amount, 0)
                AND p.reissued_on IS NOT DISTINCT FROM s.reissued_on`.execute(trx);
    // The same payment with other bounce or re-issue figures: not silently skipped, not doubled.
    await markErrors(
      trx,
      report,
      sql`EXISTS (SELECT 1 FROM payment p WHERE p.project_id = import_stage.project_id AND p.budget_line_id IS NOT DISTINCT FROM import_stage.line_id
                  AND p.paid_on = import_stage.paid_on AND p.kind = import_stage.kind AND p.amount = import_stage.amount
                  AND p.person_times IS NOT DISTINCT FROM import_stage.person_times)`,
      "退回金额",
      sql`'该笔支付已在台账中，但退回或重发信息不同：请在台账中修改该笔支付，不要重复导入'`,
    );
  } else if (kind === "adjustments") {
    await sql`UPDATE import_stage s SET status = 'unchanged', message = '已存在'
              FROM budget_adjustment a
              WHERE s.status IS NULL AND a.budget_line_id = s.line_id AND a.adjusted_on = s.adjusted_on
                AND a.amount = s.amount AND a.fund_level = s.fund_level AND a.reason = s.reason`.execute(trx);
  } else {
    // Only the columns the file has are compared (and later written); each change is listed.
    const optional = OPTIONAL_LINE_FIELDS.filter((field) => present.has(field.key));
    const changes = [
      sql`CASE WHEN l.initial_amount <> s.initial THEN '年初预算 ' || l.initial_amount || ' → ' || s.initial END`,
      sql`CASE WHEN l.fund_level <> s.fund_level THEN '资金级次 ' || l.fund_level || ' → ' || s.fund_level END`,
      sql`CASE WHEN l.fund_type <> s.fund_type THEN '资金类型 ' || l.fund_type || ' → ' || s.fund_type END`,
      ...optional.map(
        (field) => sql`CASE WHEN l.${sql.ref(field.column)} IS DISTINCT FROM ${sql.raw(field.staged)}
                       THEN ${field.label} || ' ' || coalesce(l.${sql.ref(field.column)}::text, '') || ' → ' || coalesce(${sql.raw(field.staged)}::text, '') END`,
      ),
    ];
    await sql`UPDATE import_stage s SET message = concat_ws('；', ${sql.join(changes)})
              FROM budget_line l WHERE s.status IS NULL AND l.id = s.line_id`.execute(trx);
    await sql`UPDATE import_stage s SET status = CASE WHEN message = '' THEN 'unchanged' ELSE 'updated' END
              WHERE s.status IS NULL AND s.line_id IS NOT NULL`.execute(trx);
  }
  await sql`UPDATE import_stage SET status = 'new' WHERE status IS NULL`.execute(trx);
  await addWarnings(trx, kind, report);

  const counts = await sql<{ status: string; n: number }>`SELECT status, count(*)::int AS n FROM import_stage GROUP BY status`.execute(trx);
  for (const { status, n } of counts.rows) {
    if (status === "new") report.added = n;
    if (status === "updated") report.updated = n;
    if (status === "unchanged") report.unchanged = n;
    if (status === "duplicate") report.duplicates = n;
  }
  const listed = await sql<{ row_number: number; status: RowStatus; unit: string; project: string; item: string | null; amount: string; message: string | null }>`
    SELECT row_number, status, unit, project, item, ${sql.ref(kind === "budget-lines" ? "initial" : "amount")}::text AS amount, message
      FROM import_stage
     WHERE row_number IN (SELECT row_number FROM import_stage ORDER BY row_number LIMIT ${MAX_LISTED}) OR coalesce(message, '') <> ''
     ORDER BY row_number LIMIT ${MAX_LISTED * 2}`.execute(trx);
  for (const row of listed.rows) {
    report.rows.push({ rowNumber: row.row_number, status: row.status, unit: row.unit, project: row.project, item: row.item ?? "", amount: row.amount, message: row.message ?? "" });
  }
}

function inScope(importer: Importer, unitId: number): boolean {
  return importer.unitSubtree === null || importer.unitSubtree.includes(unitId);
}

function naturalKey(kind: ImportKind) {
  if (kind === "payments") return sql`project_id, line_id, paid_on, kind, amount, person_times`;
  if (kind === "adjustments") return sql`line_id, adjusted_on, amount, fund_level, reason`;
  return sql`project_id, coalesce(composition, ''), item`;
}

/** Marks the rows matching a condition as errors with a message, and reports them. */
async function markErrors(trx: Transaction<Database>, report: ImportReport, condition: ReturnType<typeof sql>, column: string, message: ReturnType<typeof sql>): Promise<void> {
  const marked = await sql<{ row_number: number; message: string }>`
    UPDATE import_stage SET status = 'error', message = ${message}
     WHERE status IS NULL AND ${condition}
    RETURNING row_number, message`.execute(trx);
  for (const row of marked.rows.sort((a, b) => a.row_number - b.row_number)) addError(report, { rowNumber: row.row_number, column, message: row.message });
}

/** Suspicious but possible data: 元/万元 slips, dates outside the year, payments beyond the budget. */
async function addWarnings(trx: Transaction<Database>, kind: ImportKind, report: ImportReport): Promise<void> {
  const amount = sql.ref(kind === "budget-lines" ? "initial" : "amount");
  // The medians are computed once (MATERIALIZED): as a plain subquery the planner may re-run it per row.
  const slips = await sql<{ row_number: number; ratio: string }>`
    WITH m AS MATERIALIZED (
      SELECT project_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(${amount}))::numeric AS median
        FROM import_stage WHERE status IN ('new', 'updated', 'unchanged') GROUP BY project_id HAVING count(*) >= 3)
    SELECT s.row_number, round(abs(s.${amount}) / m.median, 0)::text AS ratio
      FROM import_stage s
      JOIN m ON m.project_id = s.project_id
     WHERE s.status IN ('new', 'updated') AND m.median > 0 AND (abs(s.${amount}) >= m.median * 5000 OR abs(s.${amount}) * 5000 <= m.median)
     ORDER BY s.row_number LIMIT ${MAX_LISTED}`.execute(trx);
  for (const slip of slips.rows) {
    report.warnings.push({ rowNumber: slip.row_number, column: null, message: `金额与本项目其他行相差约一万倍（比值 ${slip.ratio}），疑似元/万元混淆` });
  }
  if (kind !== "budget-lines") {
    const dateColumn = sql.ref(kind === "payments" ? "paid_on" : "adjusted_on");
    const outside = await sql<{ row_number: number; year: number; day: string }>`
      SELECT row_number, year, ${dateColumn}::text AS day FROM import_stage
       WHERE status IN ('new') AND extract(year FROM ${dateColumn}) <> year ORDER BY row_number LIMIT ${MAX_LISTED}`.execute(trx);
    for (const row of outside.rows) report.warnings.push({ rowNumber: row.row_number, column: null, message: `日期 ${row.day} 不在 ${row.year} 预算年度内` });
  }
  if (kind === "payments") {
    const beyond = await sql<{ project: string; unit: string; year: number; paid: string; adjusted: string }>`
      WITH touched AS (SELECT DISTINCT project_id, unit, project, year FROM import_stage WHERE status = 'new'),
      budget AS (
        SELECT t.project_id, coalesce((SELECT sum(initial_amount) FROM budget_line WHERE project_id = t.project_id), 0)
             + coalesce((SELECT sum(a.amount) FROM budget_adjustment a JOIN budget_line l ON l.id = a.budget_line_id WHERE l.project_id = t.project_id), 0) AS adjusted
          FROM touched t),
      paid AS (
        SELECT t.project_id,
               coalesce((SELECT sum(amount - returned_amount) FROM payment WHERE project_id = t.project_id), 0)
             + coalesce((SELECT sum(amount - coalesce(returned_amount, 0)) FROM import_stage WHERE project_id = t.project_id AND status = 'new'), 0) AS paid
          FROM touched t)
      SELECT t.project, t.unit, t.year, paid.paid::numeric(18,2)::text AS paid, budget.adjusted::numeric(18,2)::text AS adjusted
        FROM touched t JOIN budget USING (project_id) JOIN paid USING (project_id)
       WHERE paid.paid > budget.adjusted`.execute(trx);
    for (const row of beyond.rows) {
      report.warnings.push({ rowNumber: 0, column: null, message: `导入后 ${row.year} ${row.unit} ${row.project} 的支付 ${row.paid} 元超过调整后预算 ${row.adjusted} 元` });
    }
  }
}

/** Writes the staged rows marked new (and, for budget lines, updated) into the ledger. */
async function write(trx: Transaction<Database>, kind: ImportKind, present: ReadonlySet<string>): Promise<void> {
  if (kind === "payments") {
    await sql`INSERT INTO payment (project_id, budget_line_id, paid_on, kind, person_times, amount, due_on, returned_count, returned_amount, reissued_on, note)
              SELECT project_id, line_id, paid_on, kind, person_times, amount, due_on, coalesce(returned_count, 0), coalesce(returned_amount, 0), reissued_on, note
                FROM import_stage WHERE status = 'new' ORDER BY row_number`.execute(trx);
  } else if (kind === "adjustments") {
    await sql`INSERT INTO budget_adjustment (budget_line_id, adjusted_on, amount, fund_level, reason, document_number)
              SELECT line_id, adjusted_on, amount, fund_level, reason, document_number
                FROM import_stage WHERE status = 'new' ORDER BY row_number`.execute(trx);
  } else {
    const optional = OPTIONAL_LINE_FIELDS.filter((field) => present.has(field.key));
    await sql`UPDATE budget_line l SET fund_level = s.fund_level, fund_type = s.fund_type, initial_amount = s.initial
                     ${sql.join(optional.map((field) => sql`, ${sql.ref(field.column)} = ${sql.raw(field.staged)}`), sql``)}
                FROM import_stage s WHERE s.status = 'updated' AND l.id = s.line_id`.execute(trx);
    await sql`INSERT INTO budget_line (project_id, line_no, composition, item, fund_level, fund_type, initial_amount, unit_price, quantity, basis, scheduled_months)
              SELECT s.project_id,
                     coalesce((SELECT max(line_no) FROM budget_line WHERE project_id = s.project_id), 0)
                       + row_number() OVER (PARTITION BY s.project_id ORDER BY s.row_number),
                     coalesce(s.composition, ''), s.item, s.fund_level, s.fund_type, s.initial, s.unit_price, s.quantity, s.basis, s.months::smallint[]
                FROM import_stage s WHERE s.status = 'new' ORDER BY s.row_number`.execute(trx);
  }
}
