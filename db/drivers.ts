import { sql, type Transaction } from "kysely";
import type { DB } from "./connection.ts";
import type { Database, FundLevel } from "./schema.ts";
import type { CostShareVersion, DriverValue, PlanFormula } from "../domain/plan-formulas.ts";
import type { FormulaData } from "../domain/plan-derived-lines.ts";
import demoDrivers from "./demo/drivers.json" with { type: "json" };

/*
 * Cost shares (分担比例), drivers (测算因素) and formulas (测算公式): reading them for the plan, the
 * drivers' corrections (audited through the transaction's actor), and the demo's copies.
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

/** A driver's value as entered (see domain/driver-form.ts for the checks). */
export interface DriverRecord {
  unitId: number;
  year: number;
  code: string;
  name: string;
  value: string;
  measure: string;
  status: "actual" | "estimated";
  document: string;
  note: string | null;
}

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
