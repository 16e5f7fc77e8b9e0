import { sql, type RawBuilder, type Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";
import type { AuditActor } from "../../../db/audit.ts";
import { insertProject } from "../../../db/ledger-write.ts";
import { msg, type Message } from "../../../messages/index.ts";
import type { ImportKind } from "../rules/columns.ts";
import type { AdjustmentRow, BudgetLineRow, PaymentRow } from "../rules/rows.ts";
import type { ReportBuilder } from "../rules/report.ts";
import { mayImportInto, writableUnits, type ImportScope } from "../rules/scope.ts";
import { note } from "./copy.ts";
import { shortened } from "../../../files/table-file-error.ts";

/*
 * Names to ids: the units, projects and lines the file's rows name. Adjustments and payments look
 * them up (KeyResolver) while the rows stream in; budget-lines files create the units and projects
 * they name that do not exist yet. The importer's scope (rules/scope.ts) is checked here.
 */

/** Who imports: the audit actor, and the units they may write to (null: all, as for the CLI). */
export interface Importer extends AuditActor, ImportScope {
  /** Where new units of a budget-lines file go when it names no 上级单位. */
  defaultParentUnitId: number | null;
}

type Row = BudgetLineRow | AdjustmentRow | PaymentRow;

/** A (year, unit, project, item) of an adjustments or payments file, resolved, with the first problem of its rows. */
export interface ResolvedKey {
  unitId: number | null;
  projectId: number | null;
  lineId: number | null;
  problem: { column: string; message: Message } | null;
}

/** Stands for "no item" among item names (a name is never empty: empty cells are null). */
const NO_ITEM = "";

function itemOf(row: Row): string {
  return (row as PaymentRow).item ?? NO_ITEM;
}

/**
 * Units, projects and lines of adjustments and payments, looked up once per distinct
 * (year, unit, project, item) of the file, in one query per chunk of rows that brings new ones.
 */
export class KeyResolver {
  /** unit → project → item (NO_ITEM for none) → year → resolved: lookups without building a key per row. */
  private readonly known = new Map<string, Map<string, Map<string, Map<number, ResolvedKey>>>>();

  constructor(
    private readonly kind: ImportKind,
    private readonly importer: Importer,
  ) {}

  /** The row's names resolved; undefined when not looked up yet. */
  of(row: Row): ResolvedKey | undefined {
    return this.known.get(row.unit)?.get(row.project)?.get(itemOf(row))?.get(row.year);
  }

  private remember(row: { year: number; unit: string; project: string; item: string | null }, resolved: ResolvedKey): void {
    const byProject = this.known.get(row.unit) ?? new Map<string, Map<string, Map<number, ResolvedKey>>>();
    const byItem = byProject.get(row.project) ?? new Map<string, Map<number, ResolvedKey>>();
    const byYear = byItem.get(row.item ?? NO_ITEM) ?? new Map<number, ResolvedKey>();
    byYear.set(row.year, resolved);
    byItem.set(row.item ?? NO_ITEM, byYear);
    byProject.set(row.project, byItem);
    this.known.set(row.unit, byProject);
  }

  /** The projects the file's rows name that exist. */
  projectIds(): number[] {
    const ids = new Set<number>();
    for (const byProject of this.known.values()) {
      for (const byItem of byProject.values()) {
        for (const byYear of byItem.values()) for (const key of byYear.values()) if (key.projectId !== null) ids.add(key.projectId);
      }
    }
    return [...ids];
  }

  async resolve(trx: Transaction<Database>, rows: readonly Row[]): Promise<void> {
    const unknown = new Map<string, { year: number; unit: string; project: string; item: string | null }>();
    for (const row of rows) {
      const key = `${row.year}\u0000${row.unit}\u0000${row.project}\u0000${itemOf(row)}`;
      if (!this.of(row) && !unknown.has(key)) unknown.set(key, { year: row.year, unit: row.unit, project: row.project, item: (row as PaymentRow).item ?? null });
    }
    const wanted = [...unknown.values()];
    const { rows: found } = await sql<{ i: string; unit_id: number | null; project_id: number | null; line_id: number | null; lines: number }>`
      SELECT k.i::text AS i, u.id AS unit_id, p.id AS project_id, l.line_id, coalesce(l.lines, 0)::int AS lines
        FROM unnest(${wanted.map((k) => k.year)}::int[], ${wanted.map((k) => k.unit)}::text[], ${wanted.map((k) => k.project)}::text[], ${wanted.map((k) => k.item)}::text[])
             WITH ORDINALITY AS k(year, unit, project, item, i)
        LEFT JOIN org_unit u ON u.name = k.unit
        LEFT JOIN project p ON p.fiscal_year = k.year AND p.unit_id = u.id AND p.name = k.project
        LEFT JOIN LATERAL (SELECT min(l.id) AS line_id, count(*) AS lines FROM budget_line l WHERE l.project_id = p.id AND l.item = k.item) l ON true`.execute(trx);
    for (const row of found) {
      const name = wanted[Number(row.i) - 1]!;
      this.remember(name, { unitId: row.unit_id, projectId: row.project_id, lineId: row.line_id, problem: this.problemOf(name, row) });
    }
  }

  /**
   * The first problem, in the order a person fixes them: unit, permission, ambiguous item, project, item. The
   * permission comes before anything about the unit's projects and items, so that a unit out of the importer's
   * reach tells nothing of them (issue 17).
   */
  private problemOf(
    key: { year: number; unit: string; project: string; item: string | null },
    found: { unit_id: number | null; project_id: number | null; line_id: number | null; lines: number },
  ): ResolvedKey["problem"] {
    if (found.unit_id === null) return { column: "预算单位", message: msg("impUnknownUnit", { unit: shortened(key.unit) }) };
    if (!mayImportInto(this.importer, found.unit_id)) return { column: "预算单位", message: msg("impUnitNotAllowed", { unit: shortened(key.unit) }) };
    // An item under two compositions of one project is ambiguous: the row must not pick one silently.
    if (key.item !== null && found.project_id !== null && found.lines > 1) return { column: "项目明细", message: msg("impAmbiguousItem", { item: shortened(key.item) }) };
    if (found.project_id === null) return { column: "项目名称", message: msg("impNoProject", { year: key.year, unit: shortened(key.unit), project: shortened(key.project) }) };
    // An item must name exactly one line of the project (payments may leave it empty).
    if (found.line_id === null && (this.kind !== "payments" || key.item !== null)) return { column: "项目明细", message: msg("impNoItem", { item: shortened(key.item ?? "") }) };
    return null;
  }
}

/**
 * Budget lines: units and projects the file names that do not exist yet are created (under the
 * named 上级单位, else the importer's unit); lines are found by composition and item.
 */
export async function resolveBudgetLines(trx: Transaction<Database>, importer: Importer, out: ReportBuilder): Promise<void> {
  // Units this import creates (under a parent the importer may write to) are the importer's too.
  const createdUnitIds: number[] = [];
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
    // A unit that cannot be created refuses every row of it (each marked, so that none counts as new).
    const refuse = (message: Message) => markErrors(trx, out, sql`unit = ${unit.unit}`, "上级单位", sql`${JSON.stringify(message)}::jsonb`);
    if (!parent) {
      await refuse(unit.parent ? msg("impNoParent", { parent: shortened(unit.parent) }) : msg("impNeedsParent", { unit: shortened(unit.unit) }));
      continue;
    }
    if (parent.id !== null && !mayImportInto(importer, parent.id)) {
      await refuse(msg("impParentNotAllowed", { parent: shortened(unit.parent ?? "") }));
      continue;
    }
    const { id } = await trx.insertInto("org_unit").values({ name: unit.unit, level: "unit", parent_id: parent.id }).returning("id").executeTakeFirstOrThrow();
    await sql`UPDATE import_stage SET unit_id = ${id} WHERE unit = ${unit.unit}`.execute(trx);
    out.report.newUnits.push(unit.unit);
    createdUnitIds.push(id);
  }

  // Permission: every row's unit must be the importer's or below it.
  const allowed = writableUnits(importer, createdUnitIds);
  if (allowed !== null) {
    await markErrors(trx, out, sql`unit_id IS NOT NULL AND NOT (unit_id = ANY(${allowed}::int[]))`, "预算单位", note("impUnitNotAllowed", { unit: sql`unit` }));
  }

  await sql`UPDATE import_stage s SET project_id = p.id FROM project p
            WHERE p.fiscal_year = s.year AND p.unit_id = s.unit_id AND p.name = s.project AND s.status IS NULL`.execute(trx);
  const projects = await sql<{ year: number; unit_id: number; project: string; unit: string }>`
    SELECT DISTINCT year, unit_id, project, unit FROM import_stage WHERE project_id IS NULL AND status IS NULL AND unit_id IS NOT NULL`.execute(trx);
  for (const project of projects.rows) {
    const id = await insertProject(trx, { fiscal_year: project.year, name: project.project, unit_id: project.unit_id, code: null, supervising_department: null, implementing_unit: null, category: null, note: "导入时新建" });
    await sql`UPDATE import_stage SET project_id = ${id} WHERE year = ${project.year} AND unit_id = ${project.unit_id} AND project = ${project.project}`.execute(trx);
    out.report.newProjects.push(`${project.year} ${project.unit} ${project.project}`);
  }
  await sql`UPDATE import_stage s SET line_id = l.id FROM budget_line l
            WHERE l.project_id = s.project_id AND l.composition = coalesce(s.composition, '') AND l.item = s.item`.execute(trx);
}

/** Marks the rows matching a condition as errors with a message (a jsonb note), and reports them. */
async function markErrors(trx: Transaction<Database>, out: ReportBuilder, condition: RawBuilder<unknown>, column: string, message: RawBuilder<unknown>): Promise<void> {
  const marked = await sql<{ row_number: number; message: Message }>`
    UPDATE import_stage SET status = 'error', notes = jsonb_build_array(${message})
     WHERE status IS NULL AND ${condition}
    RETURNING row_number, notes->0 AS message`.execute(trx);
  for (const row of marked.rows.sort((a, b) => a.row_number - b.row_number)) out.addError({ rowNumber: row.row_number, column, message: row.message });
}
