import { sql, type Transaction } from "kysely";
import type { DB } from "./pool.ts";
import type { Database, ExpenditureStandardTable, StandardForm } from "./schema.ts";
import type { Row } from "./rows.ts";
import { withActor, type AuditActor } from "./audit.ts";
import demoStandards from "./demo/standards.json" with { type: "json" };
import { dayBefore, standardLabel, type StandardValues } from "../domain/standard-form.ts";
import { msg, render, type Message } from "../messages/index.ts";

/** One version of an expenditure standard (支出标准), with its owning unit's name and the budget lines that name it. */
export type StandardVersion = Omit<Row<ExpenditureStandardTable>, "version"> & {
  ownerUnitName: string;
  /** Budget lines that name this version. */
  lineCount: number;
};

/** A refused change, naming the field and the reason (`detail`; `message` is its Chinese text, for logs). */
export class StandardError extends Error {
  constructor(
    readonly field: keyof StandardValues,
    readonly detail: Message,
  ) {
    super(render("zh", detail));
    this.name = "StandardError";
  }
}

type Executor = DB | Transaction<Database>;

function selectVersions(db: Executor) {
  return db
    .selectFrom("expenditure_standard as s")
    .innerJoin("org_unit as owner", "owner.id", "s.owner_unit_id")
    .select([
      "s.id",
      "s.code",
      "s.owner_unit_id as ownerUnitId",
      "owner.name as ownerUnitName",
      "s.revision",
      "s.name",
      "s.category",
      "s.value",
      "s.unit",
      "s.form",
      "s.beneficiary_group as beneficiaryGroup",
      "s.care_type as careType",
      "s.effective_from as effectiveFrom",
      "s.effective_to as effectiveTo",
      "s.document",
      "s.note",
      sql<number>`(SELECT count(*)::int FROM budget_line bl WHERE bl.standard_id = s.id)`.as("lineCount"),
    ]);
}

/** Every version of every standard, by code and revision (the catalogue with its history). */
export async function listStandards(db: Executor): Promise<StandardVersion[]> {
  return selectVersions(db).orderBy("s.category").orderBy("s.code").orderBy("s.revision").execute();
}

/** The versions in force on a date, one per code: standardsInForce(db, "2025-01-01"). */
export async function standardsInForce(db: Executor, date: string): Promise<StandardVersion[]> {
  return selectVersions(db)
    .where("s.effective_from", "<=", date)
    .where((eb) => eb.or([eb("s.effective_to", "is", null), eb("s.effective_to", ">=", date)]))
    .orderBy("s.code")
    .execute();
}

/** The owning unit of a standard code (for the guard), or undefined for a new code: ownerOfStandard(db, "MA-OP-CAP") → 1. */
export async function ownerOfStandard(db: Executor, code: string): Promise<number | undefined> {
  const row = await db.selectFrom("expenditure_standard").select("owner_unit_id").where("code", "=", code).limit(1).executeTakeFirst();
  return row?.owner_unit_id;
}

/**
 * Adds a standard or a new version of one (never rewrites a version). A new version keeps the code's
 * owning unit (the caller has guarded the user against it; `ownerUnitId` applies to a new code only)
 * and must start after the latest version started and not before 1 January of the current fiscal
 * year (no backdating). When the latest version is open, it is closed the day before — but not before
 * 1 January of any year whose budget lines name that version (their price must stay the one in force
 * when the year began). A closed version is never shortened: a new one starts after it ended. A new code
 * may record a policy already in force (an earlier start): it prices no line until one names it. The
 * database refuses any overlap. addStandardVersion(trx, values, { ownerUnitId: city, today: "2026-11-24" })
 */
export async function addStandardVersion(
  trx: Transaction<Database>,
  values: StandardValues,
  options: { ownerUnitId: number; today: string },
): Promise<StandardVersion> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`expenditure_standard:${values.code}`}))`.execute(trx);
  const latest = await trx
    .selectFrom("expenditure_standard")
    .select(["id", "revision", "effective_from", "effective_to", "form", "owner_unit_id"])
    .where("code", "=", values.code)
    .orderBy("revision", "desc")
    .executeTakeFirst();
  if (latest) {
    if (values.effectiveFrom <= latest.effective_from) {
      throw new StandardError("effectiveFrom", msg("stdErrNotAfterLatest", { revision: latest.revision, from: latest.effective_from }));
    }
    if (latest.form !== values.form) throw new StandardError("form", msg("stdErrFormChanged", { form: standardLabel(latest.form) }));
    const yearStart = `${options.today.slice(0, 4)}-01-01`;
    if (values.effectiveFrom < yearStart) {
      throw new StandardError("effectiveFrom", msg("stdErrBackdated", { yearStart, date: values.effectiveFrom }));
    }
    if (latest.effective_to !== null) {
      if (values.effectiveFrom <= latest.effective_to) {
        throw new StandardError("effectiveFrom", msg("stdErrClosed", { revision: latest.revision, to: latest.effective_to }));
      }
    } else {
      const used = await trx
        .selectFrom("budget_line as bl")
        .innerJoin("project as p", "p.id", "bl.project_id")
        .select((eb) => eb.fn.max("p.fiscal_year").as("year"))
        .where("bl.standard_id", "=", latest.id)
        .executeTakeFirst();
      const usedYear = used?.year ?? null;
      if (usedYear !== null && values.effectiveFrom < `${usedYear}-01-01`) {
        throw new StandardError("effectiveFrom", msg("stdErrUsedYear", { year: usedYear, revision: latest.revision, date: values.effectiveFrom }));
      }
      await trx.updateTable("expenditure_standard").set({ effective_to: dayBefore(values.effectiveFrom) }).where("id", "=", latest.id).execute();
    }
  }
  const { id } = await trx
    .insertInto("expenditure_standard")
    .values({
      code: values.code,
      owner_unit_id: latest?.owner_unit_id ?? options.ownerUnitId,
      revision: (latest?.revision ?? 0) + 1,
      name: values.name,
      category: values.category,
      value: values.value,
      unit: values.unit,
      form: values.form,
      beneficiary_group: values.beneficiaryGroup,
      care_type: values.careType,
      effective_from: values.effectiveFrom,
      effective_to: values.effectiveTo,
      document: values.document,
      note: values.note,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return selectVersions(trx).where("s.id", "=", id).executeTakeFirstOrThrow();
}

/**
 * Adds a standard version as the actor (audited), in its own transaction: the saved version, or the
 * field and the reason it was refused. saveStandardVersion(db, planner, values, { ownerUnitId, today })
 * → { saved: { code: "MA-OP-CAP", revision: 4, … } } or { field: "effectiveFrom", problem: Message }.
 */
export async function saveStandardVersion(
  db: DB,
  actor: AuditActor,
  values: StandardValues,
  options: { ownerUnitId: number; today: string },
): Promise<{ saved: StandardVersion } | { field: keyof StandardValues; problem: Message }> {
  try {
    return { saved: await withActor(db, actor, (trx) => addStandardVersion(trx, values, options)) };
  } catch (error) {
    if (error instanceof StandardError) return { field: error.field, problem: error.detail };
    throw error;
  }
}

/** The demo catalogue (db/demo/standards.json): standards with their versions, and the budget lines they price. */
interface DemoStandards {
  standards: Array<{
    code: string;
    /** Unit key (db/demo/units.json) of the unit that sets the standard. */
    owner: string;
    name: string;
    category: string;
    unit: string;
    form: StandardForm;
    beneficiaryGroup: string | null;
    careType: "门急诊" | "住院" | null;
    versions: Array<{ value: string; from: string; to: string | null; document: string; note: string | null }>;
  }>;
  links: Array<{ unit: string; year: number; project: string; item: string; code: string }>;
}

/** Which standard version each demo budget line names (by unit key, year, project name and item). */
export interface DemoStandardLinks {
  /** The standard version a demo line names, or null: standardIdFor({ unit, year, name }, { item }) → 7. */
  standardIdFor(project: { unit: string; year: number; name: string }, line: { item: string }): number | null;
  /** Throws unless every link of standards.json met its line (a renamed line must not lose its standard silently). */
  checkAllUsed(): void;
}

/**
 * Loads the demo standards (before the projects, inside the seeding transaction) and returns how the demo
 * budget lines link to them: the version of the linked code in force on 1 January of the line's year.
 */
export async function loadDemoStandards(trx: Transaction<Database>, unitIds: ReadonlyMap<string, number>): Promise<DemoStandardLinks> {
  const demo = demoStandards as DemoStandards;
  const versions: Array<{ id: number; code: string; from: string; to: string | null }> = [];
  for (const standard of demo.standards) {
    const ownerUnitId = unitIds.get(standard.owner);
    if (ownerUnitId === undefined) throw new Error(`standard ${standard.code}: unknown owning unit ${standard.owner}`);
    for (const [index, version] of standard.versions.entries()) {
      const { id } = await trx
        .insertInto("expenditure_standard")
        .values({
          code: standard.code,
          owner_unit_id: ownerUnitId,
          revision: index + 1,
          name: standard.name,
          category: standard.category,
          value: version.value,
          unit: standard.unit,
          form: standard.form,
          beneficiary_group: standard.beneficiaryGroup,
          care_type: standard.careType,
          effective_from: version.from,
          effective_to: version.to,
          document: version.document,
          note: version.note,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      versions.push({ id, code: standard.code, from: version.from, to: version.to });
    }
  }
  const used = new Set<number>();
  return {
    standardIdFor(project, line) {
      const index = demo.links.findIndex((l) => l.unit === project.unit && l.year === project.year && l.project === project.name && l.item === line.item);
      if (index < 0) return null;
      const link = demo.links[index]!;
      const date = `${link.year}-01-01`;
      const version = versions.find((v) => v.code === link.code && v.from <= date && (v.to === null || v.to >= date));
      if (!version) throw new Error(`standards link: ${link.code} has no version in force on ${date}`);
      used.add(index);
      return version.id;
    },
    checkAllUsed() {
      const unused = demo.links.filter((_, index) => !used.has(index));
      if (unused.length > 0) throw new Error(`standards links without their line: ${unused.map((l) => `${l.unit} ${l.year} ${l.item}`).join(", ")}`);
    },
  };
}
