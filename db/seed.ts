import { createHash } from "node:crypto";
import type pg from "pg";
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
import { loadDemoDrivers } from "./drivers.ts";
import type { Role } from "../domain/permissions.ts";
import { DEMO_SELF_EVALUATIONS, DEMO_TRACKING_FORMS, fileSelfEvaluation, fileTrackingForm, type DemoUserRecord } from "./seed-forms.ts";
import { seedNotices, withBatchDates } from "./seed-notices.ts";
export { DEMO_SELF_EVALUATIONS, DEMO_TRACKING_FORMS, type DemoSelfEvaluation, type DemoTrackingForm } from "./seed-forms.ts";
import { poolOf } from "./pool.ts";
import { insertBudgetLines, insertProject as createProject } from "./ledger-write.ts";
import { onConnection } from "../features/import/queries/copy.ts";
import { importWithin, type Importer, type ImportKind } from "../features/import/service.ts";
import { render } from "../messages/index.ts";

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
  /** Only a target declaration (seeds/004): no execution recorded, never flagged. */
  declarationOnly?: boolean;
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
  { username: "minhang.mss.submitter", displayName: "闵行区医疗保障局 填报人", unit: "minhang-medical-security", roles: ["submitter"], password: "demo-submitter-2024" },
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
 * projects, budget lines, adjustments and payments, users, and with `trackingForms` the filed
 * 运行监控表 (the demo server asks for them; the tests that file 华漕's form themselves do not) and,
 * unless `selfEvaluations` says otherwise, the filed 绩效自评表 with them.
 * Refuses to run on a database that has units.
 */
export async function seedDemoData(
  db: Kysely<Database>,
  options: { trackingForms?: boolean; selfEvaluations?: boolean } = {},
): Promise<{ units: number; projects: number; payments: number; users: number; trackingForms: number; selfEvaluations: number }> {
  // One connection, one transaction: the adjustments and payments come in through the import (COPY on this connection).
  const client = await poolOf(db).connect();
  try {
    return await onConnection(client).transaction().execute(async (trx) => {
      await setActor(trx, SYSTEM_ACTOR);
      if (!(await isDatabaseEmpty(trx))) throw new Error("the database already holds data; the demo data is loaded only into an empty database");
      const unitIds = await insertUnits(trx, DEMO_UNITS);
      const projectIds = new Map<string, number>();
      const standards = await loadDemoStandards(trx, unitIds); // 支出标准 (db/demo/standards.json) and the lines they price
      for (const project of DEMO_PROJECTS) projectIds.set(project.key, await insertProject(trx, project, unitIds, standards));
      standards.checkAllUsed();
      // 预算调整 and 支付明细 as a finance office imports them: one batch each, recorded in 导入记录 under "system".
      await importDemo(trx, client, "adjustments", adjustmentRows());
      const payments = await importDemo(trx, client, "payments", withBatchDates(paymentRows())); // with 马桥's 受理/审核/审批 dates (db/demo/batch-dates.json)
      await setActor(trx, SYSTEM_ACTOR);
      await seedNotices(trx, projectIds); // 结算通知书 (db/demo/notices.json)
      await loadDemoDrivers(trx, unitIds); // 分担比例, 测算因素, 测算公式 (db/demo/drivers.json)
      const users = new Map<string, DemoUserRecord>();
      for (const user of DEMO_USERS) {
        const unitId = unitIds.get(user.unit);
        if (unitId === undefined) throw new Error(`demo user ${user.username}: unknown unit ${user.unit}`);
        const id = await createUser(trx, { ...user, unitId, demo: true });
        users.set(user.username, { id, username: user.username, roles: user.roles, unitId });
      }
      const forms = options.trackingForms ? DEMO_TRACKING_FORMS : [];
      for (const [key, form] of forms) await fileTrackingForm(trx, key, form, projectIds, users);
      const sheets = (options.selfEvaluations ?? options.trackingForms) ? DEMO_SELF_EVALUATIONS : [];
      for (const [key, sheet] of sheets) await fileSelfEvaluation(trx, key, sheet, projectIds, users);
      return { units: DEMO_UNITS.length, projects: DEMO_PROJECTS.length, payments, users: DEMO_USERS.length, trackingForms: forms.length, selfEvaluations: sheets.length };
    });
  } finally {
    client.release();
  }
}

/** The seed imports as the system (audited as "system"), with every unit in reach. */
const DEMO_IMPORTER: Importer = { ...SYSTEM_ACTOR, unitSubtree: null, defaultParentUnitId: null };

/** The names the demo's import batches carry in 导入记录. */
const DEMO_FILE_NAMES: Record<ImportKind, string> = { "budget-lines": "演示数据 预算明细", adjustments: "演示数据 预算调整", payments: "演示数据 支付明细" };

/** Rows of an import file: the header row (the import's Chinese column names), then the cells. */
type DemoTable = { headers: string[]; rows: string[][] };

/**
 * Imports demo rows through the import's checks, as one batch; returns the rows written. Refuses
 * (throws) unless every row is new and valid: the demo data must pass what a user's file must pass.
 */
async function importDemo(trx: Transaction<Database>, client: pg.PoolClient, kind: ImportKind, table: DemoTable): Promise<number> {
  const fileHash = createHash("sha256").update(JSON.stringify(table)).digest("hex");
  const source = {
    headers: table.headers,
    rows: (async function* () {
      for (const [index, cells] of table.rows.entries()) yield { rowNumber: index + 2, cells };
    })(),
  };
  const report = await importWithin(trx, client, { kind, source, fileHash, fileName: DEMO_FILE_NAMES[kind], importer: DEMO_IMPORTER, acceptOverBudget: true });
  const problems = [...report.errors.map((error) => `row ${error.rowNumber}: ${render("en", error.message)}`)];
  if (report.added !== table.rows.length) problems.push(`${report.added} of ${table.rows.length} rows added`);
  if (!report.committed || problems.length > 0) throw new Error(`demo ${kind}: ${problems.join("; ") || "not imported"}`);
  return report.added;
}

function lineItem(project: DemoProject, key: string | null): string {
  if (key === null) return "";
  const line = project.lines.find((candidate) => candidate.key === key);
  if (!line) throw new Error(`project ${project.key}: unknown line ${key}`);
  return line.item;
}

function unitName(project: DemoProject): string {
  const unit = DEMO_UNITS.find((candidate) => candidate.key === project.unit);
  if (!unit) throw new Error(`project ${project.key}: unknown unit ${project.unit}`);
  return unit.name;
}

/** The demo's 预算调整 as an adjustments file. */
function adjustmentRows(): DemoTable {
  return {
    headers: ["年度", "预算单位", "项目名称", "项目明细", "调整日期", "调整金额", "资金级次", "调整原因", "文号"],
    rows: DEMO_PROJECTS.flatMap((project) =>
      project.adjustments.map((a) => [String(project.year), unitName(project), project.name, lineItem(project, a.line), a.date, a.amount, a.fundLevel, a.reason, a.documentNumber ?? ""]),
    ),
  };
}

/** The demo's 支付明细 as a payments file. */
function paymentRows(): DemoTable {
  return {
    headers: ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额", "到期日", "退回人次", "退回金额", "重发日期", "备注"],
    rows: DEMO_PROJECTS.flatMap((project) =>
      project.payments.map((p) => [
        String(project.year), unitName(project), project.name, lineItem(project, p.line), p.date, p.kind, p.personTimes === null ? "" : String(p.personTimes),
        p.amount, p.dueDate ?? "", String(p.returnedCount), p.returnedAmount, p.reissuedOn ?? "", p.note ?? "",
      ]),
    ),
  };
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

/** A demo project and its budget lines, through the ledger's one writer (db/ledger-write.ts); with its indicators and declaration. */
async function insertProject(trx: Transaction<Database>, project: DemoProject, unitIds: Map<string, number>, standards: DemoStandardLinks): Promise<number> {
  const unitId = unitIds.get(project.unit);
  if (unitId === undefined) throw new Error(`project ${project.key}: unknown unit ${project.unit}`);
  const projectId = await createProject(trx, {
    fiscal_year: project.year,
    code: project.code,
    name: project.name,
    unit_id: unitId,
    supervising_department: project.supervisingDepartment,
    implementing_unit: project.implementingUnit,
    recurring: project.recurring,
    category: project.category,
    note: project.note ?? null,
    declaration_only: project.declarationOnly ?? false,
  });
  await insertBudgetLines(
    trx,
    projectId,
    project.lines.map((line) => ({
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
    })),
  );
  await insertIndicators(trx, projectId, project.indicators ?? []);
  const declaration = DEMO_DECLARATIONS[project.key];
  if (declaration) {
    await insertDeclarationGoals(trx, projectId, declaration);
    await insertIndicators(trx, projectId, declaration.indicators, project.indicators?.length ?? 0);
  }
  return projectId;
}
