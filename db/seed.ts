import type { Kysely, Transaction } from "kysely";
import type { Database, FundLevel, FundType, PaymentKind, UnitLevel } from "./schema.ts";
import demoUnits from "./demo/units.json" with { type: "json" };
import demoProjects from "./demo/projects.json" with { type: "json" };
import demoDeclarations from "./demo/declarations.json" with { type: "json" };
import { insertDeclarationGoals, insertIndicators } from "./declarations.ts";
import type { DeclarationValues } from "../domain/declaration.ts";
import { setActor, SYSTEM_ACTOR } from "./audit.ts";
import { createUser } from "./users.ts";
import { loadDemoStandards, type DemoStandardLinks } from "./standards.ts";
import type { Role } from "../domain/permissions.ts";

/** A unit of the demo data (db/demo/units.json). */
export interface DemoUnit {
  key: string;
  name: string;
  level: UnitLevel;
  parent: string | null;
}

/** A project of the demo data (db/demo/projects.json), with its lines, adjustments and payments. */
export interface DemoProject {
  key: string;
  year: number;
  code: string | null;
  name: string;
  unit: string;
  supervisingDepartment: string | null;
  implementingUnit: string | null;
  recurring: boolean;
  category: string | null;
  note?: string | null;
  lines: Array<{
    key: string;
    composition: string;
    item: string;
    fundLevel: FundLevel;
    fundType: FundType;
    initial: string;
    unitPrice: string | null;
    quantity: string | null;
    basis: string | null;
    months: number[] | null;
    functionalCode: string | null;
    functionalName: string | null;
    economicCode: string | null;
    economicName: string | null;
  }>;
  adjustments: Array<{
    line: string;
    date: string;
    amount: string;
    fundLevel: FundLevel;
    reason: string;
    documentNumber: string | null;
  }>;
  /** 绩效目标: the indicator tree with annual target values as the forms write them. */
  indicators?: Array<{ level1: string; level2: string; name: string; target: string; weight: string | null }>;
  payments: Array<{
    line: string | null;
    date: string;
    kind: PaymentKind;
    personTimes: number | null;
    amount: string;
    dueDate: string | null;
    returnedCount: number;
    returnedAmount: string;
    reissuedOn: string | null;
    note: string | null;
  }>;
}

/**
 * The demo users, one per role, created only with the demo data. Their passwords are public (README),
 * so the app warns in its banner until every one of them has been changed.
 */
export const DEMO_USERS: ReadonlyArray<{ username: string; displayName: string; unit: string; roles: Role[]; password: string }> = [
  { username: "admin", displayName: "系统管理员", unit: "shanghai", roles: ["admin"], password: "shanghai-demo-2024" },
  { username: "minhang.manager", displayName: "闵行区财政局 管理员", unit: "minhang", roles: ["manager"], password: "demo-manager-2024" },
  { username: "minhang.viewer", displayName: "闵行区 审计查阅", unit: "minhang", roles: ["viewer"], password: "demo-viewer-2024" },
  { username: "maqiao.planner", displayName: "马桥镇 预算编制", unit: "maqiao-acceptance-center", roles: ["planner"], password: "demo-planner-2024" },
  { username: "maqiao.submitter", displayName: "马桥镇 填报人", unit: "maqiao-acceptance-center", roles: ["submitter"], password: "demo-submitter-2024" },
  { username: "huacao.submitter", displayName: "华漕镇 填报人", unit: "huacao-acceptance-center", roles: ["submitter"], password: "demo-submitter-2024" },
];

export const DEMO_UNITS = demoUnits as DemoUnit[];
export const DEMO_PROJECTS = demoProjects as DemoProject[];
/** 绩效目标填报表 of the demo projects (db/demo/declarations.json), keyed by project key; "_about" describes the file. */
const DEMO_DECLARATIONS = demoDeclarations as unknown as Record<string, DeclarationValues | undefined>;

/** True when the database has no organisation units yet (a fresh database, to be seeded). */
export async function isDatabaseEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom("org_unit").select("id").limit(1).executeTakeFirst();
  return row === undefined;
}

/**
 * Loads the demo data of the source documents (db/demo/*.json) in one transaction: units,
 * projects, budget lines, adjustments and payments. Refuses to run on a database that has units.
 */
export async function seedDemoData(db: Kysely<Database>): Promise<{ units: number; projects: number; payments: number; users: number }> {
  return db.transaction().execute(async (trx) => {
    await setActor(trx, SYSTEM_ACTOR);
    if (!(await isDatabaseEmpty(trx))) throw new Error("the database already holds data; the demo data is loaded only into an empty database");
    const unitIds = await insertUnits(trx, DEMO_UNITS);
    let payments = 0;
    const standards = await loadDemoStandards(trx, unitIds); // 支出标准 (db/demo/standards.json) and the lines they price
    for (const project of DEMO_PROJECTS) payments += await insertProject(trx, project, unitIds, standards);
    standards.checkAllUsed();
    for (const user of DEMO_USERS) {
      const unitId = unitIds.get(user.unit);
      if (unitId === undefined) throw new Error(`demo user ${user.username}: unknown unit ${user.unit}`);
      await createUser(trx, { ...user, unitId, demo: true });
    }
    return { units: DEMO_UNITS.length, projects: DEMO_PROJECTS.length, payments, users: DEMO_USERS.length };
  });
}

async function insertUnits(trx: Transaction<Database>, units: readonly DemoUnit[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const unit of units) {
    const parentId = unit.parent === null ? null : ids.get(unit.parent);
    if (parentId === undefined) throw new Error(`unit ${unit.key}: parent ${unit.parent} is not listed before it`);
    const { id } = await trx
      .insertInto("org_unit")
      .values({ name: unit.name, level: unit.level, parent_id: parentId })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids.set(unit.key, id);
  }
  return ids;
}

async function insertProject(trx: Transaction<Database>, project: DemoProject, unitIds: Map<string, number>, standards: DemoStandardLinks): Promise<number> {
  const unitId = unitIds.get(project.unit);
  if (unitId === undefined) throw new Error(`project ${project.key}: unknown unit ${project.unit}`);
  const { id: projectId } = await trx
    .insertInto("project")
    .values({
      fiscal_year: project.year,
      code: project.code,
      name: project.name,
      unit_id: unitId,
      supervising_department: project.supervisingDepartment,
      implementing_unit: project.implementingUnit,
      recurring: project.recurring,
      category: project.category,
      note: project.note ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  const lineIds = new Map<string, number>();
  for (const [index, line] of project.lines.entries()) {
    const { id } = await trx
      .insertInto("budget_line")
      .values({
        project_id: projectId,
        line_no: index + 1,
        composition: line.composition,
        item: line.item,
        fund_level: line.fundLevel,
        fund_type: line.fundType,
        initial_amount: line.initial,
        unit_price: line.unitPrice,
        quantity: line.quantity,
        basis: line.basis,
        scheduled_months: line.months,
        functional_code: line.functionalCode,
        functional_name: line.functionalName,
        economic_code: line.economicCode,
        economic_name: line.economicName,
        standard_id: standards.standardIdFor(project, line),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    lineIds.set(line.key, id);
  }
  const lineId = (key: string | null) => {
    if (key === null) return null;
    const id = lineIds.get(key);
    if (id === undefined) throw new Error(`project ${project.key}: unknown line ${key}`);
    return id;
  };

  if (project.adjustments.length > 0) {
    await trx
      .insertInto("budget_adjustment")
      .values(
        project.adjustments.map((adjustment) => ({
          budget_line_id: lineId(adjustment.line)!,
          adjusted_on: adjustment.date,
          amount: adjustment.amount,
          fund_level: adjustment.fundLevel,
          reason: adjustment.reason,
          document_number: adjustment.documentNumber,
        })),
      )
      .execute();
  }
  if (project.payments.length > 0) {
    await trx
      .insertInto("payment")
      .values(
        project.payments.map((payment) => ({
          project_id: projectId,
          budget_line_id: lineId(payment.line),
          paid_on: payment.date,
          kind: payment.kind,
          person_times: payment.personTimes,
          amount: payment.amount,
          due_on: payment.dueDate,
          returned_count: payment.returnedCount,
          returned_amount: payment.returnedAmount,
          reissued_on: payment.reissuedOn,
          note: payment.note,
        })),
      )
      .execute();
  }
  await insertIndicators(trx, projectId, project.indicators ?? []);
  const declaration = DEMO_DECLARATIONS[project.key];
  if (declaration) {
    await insertDeclarationGoals(trx, projectId, declaration);
    await insertIndicators(trx, projectId, declaration.indicators, project.indicators?.length ?? 0);
  }
  return project.payments.length;
}
