import { sql, type Transaction } from "kysely";
import type { DB } from "./pool.ts";
import type { Database, FundLevel } from "./schema.ts";
import type { CostShareVersion, DriverValue, PlanFormula } from "../domain/plan-formulas.ts";
import type { FormulaData } from "../features/plan/rules/derived-lines.ts";
import type { AppliesTo, CostShareValues } from "../domain/cost-share-form.ts";
import { dayBefore } from "../domain/standard-form.ts";
import demoDrivers from "./demo/drivers.json" with { type: "json" };

/*
 * Cost shares (分担比例), drivers (测算因素) and formulas (测算公式): reading them for the plan, new cost
 * share versions and the drivers' corrections (audited through the transaction's actor), and the demo's copies.
 */

type Reader = DB | Transaction<Database>;

/** Every cost share version, by code and revision. */
export async function costShares(db: Reader): Promise<CostShareVersion[]> {
  const rows = await db
    .selectFrom("cost_share")
    .select([
      "id",
      "code",
      "revision",
      "name",
      "spending",
      "applies_to as appliesTo",
      "central_pct",
      "city_pct",
      "district_pct",
      "town_pct",
      sql<string>`effective_from::text`.as("effectiveFrom"),
      sql<string | null>`effective_to::text`.as("effectiveTo"),
      "document",
    ])
    .orderBy("code")
    .orderBy("revision")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    revision: r.revision,
    name: r.name,
    spending: r.spending,
    appliesTo: r.appliesTo,
    shares: { 中央: r.central_pct, 市级: r.city_pct, 区级: r.district_pct, 镇级: r.town_pct },
    effectiveFrom: r.effectiveFrom,
    effectiveTo: r.effectiveTo,
    document: r.document,
  }));
}

/** A cost share version as /drivers lists it: with its owning unit and note. */
export type CostShareListing = CostShareVersion & { ownerUnitId: number; ownerUnitName: string; note: string | null };

/** Every cost share version with its owning unit (制定单位) and note, by code and revision. */
export async function listCostShares(db: Reader): Promise<CostShareListing[]> {
  const [versions, owners] = await Promise.all([
    costShares(db),
    db
      .selectFrom("cost_share as s")
      .innerJoin("org_unit as u", "u.id", "s.owner_unit_id")
      .select(["s.id", "s.owner_unit_id as ownerUnitId", "u.name as ownerUnitName", "s.note"])
      .execute(),
  ]);
  const byId = new Map(owners.map((o) => [o.id, o]));
  return versions.map((v) => {
    const owner = byId.get(v.id)!;
    return { ...v, ownerUnitId: owner.ownerUnitId, ownerUnitName: owner.ownerUnitName, note: owner.note };
  });
}

/** The owning unit of a cost share code (for the guard), or undefined for a new code: ownerOfCostShare(db, "MH-SHARE") → 3. */
export async function ownerOfCostShare(db: Reader, code: string): Promise<number | undefined> {
  const row = await db.selectFrom("cost_share").select("owner_unit_id").where("code", "=", code).limit(1).executeTakeFirst();
  return row?.owner_unit_id;
}

/** Why a new cost share version was refused: a code with its parameters (the page renders it, app/i18n.ts drvShareErr…). */
export type CostShareRefusal =
  | { code: "notAfterLatest"; revision: number; from: string }
  | { code: "backdated"; yearStart: string; date: string }
  | { code: "closed"; revision: number; to: string }
  | { code: "appliesChanged"; appliesTo: AppliesTo };

/** A refused new cost share version, naming the field it is shown at. */
export class CostShareError extends Error {
  constructor(
    readonly field: "effectiveFrom" | "appliesTo",
    readonly refusal: CostShareRefusal,
  ) {
    super(`cost share refused: ${JSON.stringify(refusal)}`);
  }
}

/**
 * Adds a cost share or a new version of one (never rewrites a version), as addStandardVersion does for
 * the standards. A new version keeps the code's owning unit (the caller has guarded the user against it;
 * `ownerUnitId` applies to a new code only) and whom it applies to, must start after the latest version
 * started and not before 1 January of the current fiscal year (no backdating: the plans already made used
 * the version in force on their 1 January). When the latest version is open it is closed the day before,
 * in the same transaction; a closed version is never shortened: a new one starts after it ended. A new
 * code may record a rule already in force (an earlier start): no formula uses it until one names it. The
 * database refuses any overlap. addCostShareVersion(trx, values, { ownerUnitId: minhang, today: "2026-12-02" })
 * → { revision: 2, effectiveFrom: "2027-01-01", closed: { revision: 1, effectiveTo: "2026-12-31" } }
 */
export async function addCostShareVersion(
  trx: Transaction<Database>,
  values: CostShareValues,
  options: { ownerUnitId: number; today: string },
): Promise<{ id: number; code: string; revision: number; effectiveFrom: string; ownerUnitId: number; closed: { revision: number; effectiveTo: string } | null }> {
  // The same lock as the table's trigger takes: two versions of one code are added one after the other.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`cost_share:${values.code}`}))`.execute(trx);
  const latest = await trx
    .selectFrom("cost_share")
    .select(["id", "revision", sql<string>`effective_from::text`.as("effectiveFrom"), sql<string | null>`effective_to::text`.as("effectiveTo"), "applies_to as appliesTo", "owner_unit_id as ownerUnitId"])
    .where("code", "=", values.code)
    .orderBy("revision", "desc")
    .executeTakeFirst();
  let closed: { revision: number; effectiveTo: string } | null = null;
  if (latest) {
    if (values.effectiveFrom <= latest.effectiveFrom) {
      throw new CostShareError("effectiveFrom", { code: "notAfterLatest", revision: latest.revision, from: latest.effectiveFrom });
    }
    if (latest.appliesTo !== values.appliesTo) throw new CostShareError("appliesTo", { code: "appliesChanged", appliesTo: latest.appliesTo });
    const yearStart = `${options.today.slice(0, 4)}-01-01`;
    if (values.effectiveFrom < yearStart) throw new CostShareError("effectiveFrom", { code: "backdated", yearStart, date: values.effectiveFrom });
    if (latest.effectiveTo !== null) {
      if (values.effectiveFrom <= latest.effectiveTo) throw new CostShareError("effectiveFrom", { code: "closed", revision: latest.revision, to: latest.effectiveTo });
    } else {
      closed = { revision: latest.revision, effectiveTo: dayBefore(values.effectiveFrom) };
      await trx.updateTable("cost_share").set({ effective_to: closed.effectiveTo }).where("id", "=", latest.id).execute();
    }
  }
  const ownerUnitId = latest?.ownerUnitId ?? options.ownerUnitId;
  const revision = (latest?.revision ?? 0) + 1;
  const { id } = await trx
    .insertInto("cost_share")
    .values({
      code: values.code,
      owner_unit_id: ownerUnitId,
      revision,
      name: values.name,
      spending: values.spending,
      applies_to: values.appliesTo,
      central_pct: values.shares["中央"],
      city_pct: values.shares["市级"],
      district_pct: values.shares["区级"],
      town_pct: values.shares["镇级"],
      effective_from: values.effectiveFrom,
      effective_to: null,
      document: values.document,
      note: values.note,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id, code: values.code, revision, effectiveFrom: values.effectiveFrom, ownerUnitId, closed };
}

/** The drivers of some units (all when null), every year, oldest first. */
export async function driverValues(db: Reader, unitIds: readonly number[] | null): Promise<Array<DriverValue & { id: number; note: string | null; updatedBy: string; version: number }>> {
  if (unitIds !== null && unitIds.length === 0) return [];
  let query = db
    .selectFrom("plan_driver")
    .select([
      "id",
      "unit_id as unitId",
      "fiscal_year as year",
      "code",
      "name",
      sql<string>`trim_scale(value)::text`.as("value"),
      "measure",
      "status",
      "document",
      "note",
      "updated_by as updatedBy",
      "version",
    ]);
  if (unitIds !== null) query = query.where("unit_id", "in", [...unitIds]);
  return query.orderBy("unit_id").orderBy("code").orderBy("fiscal_year").execute();
}

/** The formulas of some units (all when null). */
export async function planFormulas(db: Reader, unitIds: readonly number[] | null): Promise<PlanFormula[]> {
  if (unitIds !== null && unitIds.length === 0) return [];
  let query = db
    .selectFrom("plan_formula")
    .select([
      "id",
      "unit_id as unitId",
      "project_name as projectName",
      "seq",
      "composition",
      "item",
      "kind",
      "quantity_driver as quantityDriver",
      "quantity_offset as quantityOffset",
      "minus_offset as minusOffset",
      "price_standard as priceStandard",
      "price_less as priceLess",
      "price_driver as priceDriver",
      "price_offset as priceOffset",
      "share_code as shareCode",
      "share_level as shareLevel",
      "replaces_item as replacesItem",
      "fund_level as fundLevel",
      "document",
      "effective_from as effectiveFrom",
      "effective_to as effectiveTo",
    ]);
  if (unitIds !== null) query = query.where("unit_id", "in", [...unitIds]);
  return query.orderBy("unit_id").orderBy("project_name").orderBy("seq").execute();
}

/** What the plan of some units (all when null) needs to derive formula lines. */
export async function formulaData(db: Reader, unitIds: readonly number[] | null): Promise<FormulaData> {
  const [formulas, drivers, shares] = await Promise.all([planFormulas(db, unitIds), driverValues(db, unitIds), costShares(db)]);
  return { formulas, drivers, shares };
}

/** A driver's value as entered (see domain/driver-form.ts for the checks), with its note. */
export type DriverRecord = DriverValue & { note: string | null };

/** Saves a driver's value for a unit and year (a new one, or a correction of the existing one; audited). */
export async function saveDriver(trx: Transaction<Database>, record: DriverRecord, by: string): Promise<void> {
  await trx
    .insertInto("plan_driver")
    .values({
      unit_id: record.unitId,
      fiscal_year: record.year,
      code: record.code,
      name: record.name,
      value: record.value,
      measure: record.measure,
      status: record.status,
      document: record.document,
      note: record.note,
      updated_by: by,
    })
    .onConflict((oc) =>
      oc.columns(["unit_id", "code", "fiscal_year"]).doUpdateSet({
        name: record.name,
        value: record.value,
        measure: record.measure,
        status: record.status,
        document: record.document,
        note: record.note,
        updated_by: by,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

/** Removes a driver's value (audited); the plan then forecasts it from the other years, or says it is missing. */
export async function deleteDriver(trx: Transaction<Database>, id: number): Promise<{ unitId: number } | undefined> {
  return trx.deleteFrom("plan_driver").where("id", "=", id).returning("unit_id as unitId").executeTakeFirst();
}

/** The unit of a driver (for the guard), or undefined. */
export async function unitOfDriver(db: Reader, id: number): Promise<number | undefined> {
  return (await db.selectFrom("plan_driver").select("unit_id").where("id", "=", id).executeTakeFirst())?.unit_id;
}

interface DemoDrivers {
  costShares: Array<{
    code: string;
    owner: string;
    name: string;
    spending: string;
    appliesTo: "镇" | "街道" | "全部";
    shares: Partial<Record<FundLevel, string>>;
    versions: Array<{ from: string; to: string | null; document: string; note: string | null }>;
  }>;
  drivers: Array<{ unit: string; code: string; name: string; measure: string; values: Array<{ year: number; value: string; status: "actual" | "estimated"; document: string }> }>;
  formulas: Array<{
    unit: string;
    project: string;
    seq: number;
    composition: string;
    item: string;
    kind: PlanFormula["kind"];
    quantity: { driver: string; offset: number; minus?: number };
    price: { standard?: string; less?: string; driver?: string; offset?: number };
    share: { code: string; level: FundLevel } | null;
    replaces: string | null;
    fundLevel: FundLevel;
    document: string;
    from: number;
    to?: number | null;
  }>;
}

/** Loads the demo's cost shares, drivers and formulas (db/demo/drivers.json) into an empty database. */
export async function loadDemoDrivers(trx: Transaction<Database>, unitIds: ReadonlyMap<string, number>): Promise<void> {
  const demo = demoDrivers as DemoDrivers;
  const unit = (key: string) => {
    const id = unitIds.get(key);
    if (id === undefined) throw new Error(`demo drivers: unknown unit ${key}`);
    return id;
  };
  for (const share of demo.costShares) {
    for (const [index, version] of share.versions.entries()) {
      await trx
        .insertInto("cost_share")
        .values({
          code: share.code,
          owner_unit_id: unit(share.owner),
          revision: index + 1,
          name: share.name,
          spending: share.spending,
          applies_to: share.appliesTo,
          central_pct: share.shares["中央"] ?? "0",
          city_pct: share.shares["市级"] ?? "0",
          district_pct: share.shares["区级"] ?? "0",
          town_pct: share.shares["镇级"] ?? "0",
          effective_from: version.from,
          effective_to: version.to,
          document: version.document,
          note: version.note,
        })
        .execute();
    }
  }
  for (const driver of demo.drivers) {
    for (const value of driver.values) {
      await saveDriver(
        trx,
        { unitId: unit(driver.unit), year: value.year, code: driver.code, name: driver.name, value: value.value, measure: driver.measure, status: value.status, document: value.document, note: null },
        "system",
      );
    }
  }
  for (const f of demo.formulas) {
    await trx
      .insertInto("plan_formula")
      .values({
        unit_id: unit(f.unit),
        project_name: f.project,
        seq: f.seq,
        composition: f.composition,
        item: f.item,
        kind: f.kind,
        quantity_driver: f.quantity.driver,
        quantity_offset: f.quantity.offset,
        minus_offset: f.quantity.minus ?? null,
        price_standard: f.price.standard ?? null,
        price_less: f.price.less ?? null,
        price_driver: f.price.driver ?? null,
        price_offset: f.price.driver !== undefined ? (f.price.offset ?? 0) : null,
        share_code: f.share?.code ?? null,
        share_level: f.share?.level ?? null,
        replaces_item: f.replaces,
        fund_level: f.fundLevel,
        document: f.document,
        effective_from: f.from,
        effective_to: f.to ?? null,
      })
      .execute();
  }
}

/** A driver's value by id with its unit's name (for the page's messages), or undefined. */
export async function driverById(db: Reader, id: number): Promise<{ id: number; unitId: number; unitName: string; year: number; code: string; version: number } | undefined> {
  return db
    .selectFrom("plan_driver as d")
    .innerJoin("org_unit as u", "u.id", "d.unit_id")
    .select(["d.id", "d.unit_id as unitId", "u.name as unitName", "d.fiscal_year as year", "d.code", "d.version"])
    .where("d.id", "=", id)
    .executeTakeFirst();
}

/**
 * The value a unit has for a code and year, locked for the rest of the transaction (so that a correction
 * can check it is still the version the planner saw), or undefined when there is none yet.
 */
export async function lockDriverAt(trx: Transaction<Database>, unitId: number, code: string, year: number): Promise<{ id: number; version: number; value: string } | undefined> {
  return trx
    .selectFrom("plan_driver")
    .select(["id", "version", sql<string>`trim_scale(value)::text`.as("value")])
    .where("unit_id", "=", unitId)
    .where("code", "=", code)
    .where("fiscal_year", "=", year)
    .forUpdate()
    .executeTakeFirst();
}
