import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DB } from "../db/pool.ts";
import { seedDemoData } from "../db/seed.ts";
import { getProjectHeader } from "../db/projects.ts";
import { getGradeBands, setGradeBands } from "../db/settings.ts";
import { unitSubtreeIds } from "../db/units.ts";
import { DEFAULT_GRADE_BANDS } from "../domain/execution.ts";
import { render } from "../messages/index.ts";
import { changeGradeBands, type AdminActor } from "../features/admin/service.ts";
import { listSelfEvaluations, loadSelfEvaluation, saveSelfEvaluation, type SelfEvaluationActor } from "../features/self-evaluation/service.ts";
import { selfEvaluationList, selfEvaluationYears, sortListEntries } from "../features/self-evaluation/queries/lists.ts";
import { selfEvaluationSummary } from "../features/self-evaluation/queries/summary.ts";
import { selfEvaluationWorkbook, selfEvaluationWorkbookName } from "../features/self-evaluation/export.ts";
import { freshDatabase, projectIdOf } from "./support/database.ts";

/*
 * The managers' list, the summary by unit, the grade bands setting and the XLSX export of the
 * self-evaluation (绩效自评表), over the demo's eleven accepted sheets of seeds/003 (闵行区医疗保障局 2024).
 */

const MSS = "上海市闵行区医疗保障局";
const HUACAO = "上海市闵行区华漕镇社区事务受理中心";
const PRINTED_TOTALS = ["100.00", "97.71", "98.99", "99.20", "97.89", "98.54", "99.00", "98.00", "99.13", "99.00", "97.00"];
const CHINESE = /[\u3400-\u9fff]/;

const unitIdOf = async (db: DB, name: string) => (await db.selectFrom("org_unit").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;

/** The workbook's first sheet and a finder of the row whose cell in `column` reads `text`. */
async function readWorkbook(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rowOf = (column: number, text: string | RegExp) => {
    for (let row = 1; row <= sheet.rowCount; row++) {
      const value = sheet.getCell(row, column).value;
      if (typeof value === "string" && (typeof text === "string" ? value === text : text.test(value))) return sheet.getRow(row);
    }
    throw new Error(`no row with ${String(text)} in column ${column}`);
  };
  const values = (row: ExcelJS.Row, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => row.getCell(from + index).value);
  return { sheet, rowOf, values };
}

describe("self-evaluation lists, summary, grade bands and export", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let mssUnits: number[] = [];
  let minhangUnits: number[] = [];
  let huacaoUnits: number[] = [];
  let admin: AdminActor;
  let huacaoSubmitter: SelfEvaluationActor;

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"));
    db = fresh.db;
    drop = fresh.drop;
    const counts = await seedDemoData(db, { trackingForms: true });
    expect(counts.selfEvaluations).toBeGreaterThanOrEqual(11);
    mssUnits = await unitSubtreeIds(db, await unitIdOf(db, MSS));
    minhangUnits = await unitSubtreeIds(db, await unitIdOf(db, "闵行区"));
    huacaoUnits = await unitSubtreeIds(db, await unitIdOf(db, HUACAO));
    const user = (name: string) => db.selectFrom("app_user").select(["id", "username", "roles", "unit_id"]).where("username", "=", name).executeTakeFirstOrThrow();
    const adminUser = await user("admin");
    admin = { userId: adminUser.id, username: adminUser.username, unitId: adminUser.unit_id!, unitSubtree: await unitSubtreeIds(db, adminUser.unit_id!) };
    const submitter = await user("huacao.submitter");
    huacaoSubmitter = { userId: submitter.id, username: submitter.username, roles: submitter.roles as SelfEvaluationActor["roles"], unitSubtree: new Set(huacaoUnits) };
  }, 180_000);

  afterAll(async () => {
    await drop?.();
  });

  it("lists the eleven accepted sheets of 闵行区医疗保障局 2024, all 优, with their departures, sortable by total", async () => {
    const entries = await selfEvaluationList(db, { year: 2024, unitIds: mssUnits });
    const sheets = entries.filter((entry) => entry.status !== "unfiled");
    expect(sheets).toHaveLength(11);
    expect(new Set(sheets.map((entry) => `${entry.status} ${entry.grade} ${entry.unit}`))).toEqual(new Set([`accepted 优 ${MSS}`]));
    expect(sheets.map((entry) => entry.total).sort()).toEqual([...PRINTED_TOTALS].sort());
    const byProject = new Map(sheets.map((entry) => [entry.project, entry]));
    expect([byProject.get("医疗救助")!.fundScore, byProject.get("医疗救助")!.indicatorScore, byProject.get("医疗救助")!.departures]).toEqual(["9.63", "89.50", 0]);
    expect(byProject.get("市民社区医疗互助帮困经费")!.departures).toBe(2);
    expect(byProject.get("长护险护理试点工作经费")!.departures).toBe(1);
    expect(sheets.every((entry) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(entry.updatedAt!))).toBe(true);

    const byTotal = sortListEntries(sheets, "total", "desc");
    expect([byTotal[0]!.project, byTotal.at(-1)!.project]).toEqual(["党建工作经费", "市民社区医疗互助帮困经费"]);
    expect(sortListEntries(sheets, "departures", "desc")[0]!.project).toBe("市民社区医疗互助帮困经费");
    expect(await selfEvaluationList(db, { year: 2024, unitIds: mssUnits, grade: "良" })).toEqual([]);
    expect((await selfEvaluationList(db, { year: 2024, unitIds: mssUnits, status: "accepted" })).length).toBe(11);
  });

  it("keeps to the units asked for, and lists the projects due a sheet without one as 未填报", async () => {
    const huacao = await selfEvaluationList(db, { year: 2024, unitIds: huacaoUnits });
    expect(huacao.length).toBeGreaterThan(0);
    expect(huacao.every((entry) => entry.unit === HUACAO)).toBe(true);
    const huacaoProject = await projectIdOf(db, HUACAO);
    expect(huacao.find((entry) => entry.projectId === huacaoProject)).toMatchObject({ status: "unfiled", total: null, grade: null, departures: 0 });
    const unfiled = await selfEvaluationList(db, { year: 2024, unitIds: minhangUnits, status: "unfiled" });
    expect(unfiled.some((entry) => entry.projectId === huacaoProject)).toBe(true);
    expect(unfiled.every((entry) => entry.status === "unfiled" && entry.unit !== MSS)).toBe(true);
    const baoshan = await unitSubtreeIds(db, await unitIdOf(db, "宝山区"));
    expect((await selfEvaluationList(db, { year: 2024, unitIds: baoshan })).some((entry) => entry.unit === MSS || entry.unit === HUACAO)).toBe(false);
    expect(await selfEvaluationList(db, { year: 2024, unitIds: [] })).toEqual([]);
    const district = await selfEvaluationList(db, { year: 2024, unitIds: minhangUnits });
    for (const direction of ["asc", "desc"] as const) expect(sortListEntries(district, "total", direction).at(-1)!.status).toBe("unfiled");
    expect(sortListEntries(district, "total", "asc")[0]!.total).toBe("97.00");
    expect((await selfEvaluationYears(db, mssUnits))[0]).toBe(2024);
  });

  it("sums up by unit: 11 filed and accepted, all 优, average of the printed totals 98.59, none below 良", async () => {
    const summary = await selfEvaluationSummary(db, { year: 2024, unitSubtree: mssUnits });
    expect(summary.units.map((unit) => unit.unit)).toEqual([MSS]);
    expect(summary.units[0]).toMatchObject({
      filed: 11,
      accepted: 11,
      grades: { 优: 11, 良: 0, 合格: 0, 不合格: 0 },
      averageTotal: "98.59", // 1,084.46 ÷ 11 = 98.5872…
      belowGood: [],
    });
    const district = await selfEvaluationSummary(db, { year: 2024, unitSubtree: minhangUnits });
    expect(district.units.map((unit) => unit.unit)).toContain(HUACAO);
    expect(district.units.find((unit) => unit.unit === HUACAO)).toMatchObject({ filed: 0, averageTotal: null });
    expect(district.total).toMatchObject({ filed: 11, accepted: 11, averageTotal: "98.59" });
    expect(district.total.projects).toBe(district.units.reduce((sum, unit) => sum + unit.projects, 0));
    const town = await selfEvaluationSummary(db, { year: 2024, unitSubtree: huacaoUnits });
    expect(town.units.every((unit) => unit.unit === HUACAO)).toBe(true);
  });

  it("exports 医疗救助 in seeds/003's layout: funds 412.00 / 329.00 / 316.73 万元, 96.27%, 9.63, 总分 99.13, 优", async () => {
    const view = (await loadSelfEvaluation(db, await projectIdOf(db, MSS, 2024, "医疗救助")))!;
    const { sheet, rowOf, values } = await readWorkbook(await selfEvaluationWorkbook(view, "zh"));
    expect(sheet.name).toBe("绩效自评表");
    expect([sheet.getCell("A1").value, sheet.getCell("A2").value]).toEqual(["财政项目支出绩效自评表", "（2024年度）"]);
    expect(rowOf(1, "项目名称").getCell(3).value).toBe("医疗救助");
    expect(values(rowOf(1, "项目资金（万元）"), 4, 9)).toEqual(["年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"]);
    const total = rowOf(2, "年度资金总额");
    expect(values(total, 4, 9)).toEqual([412, 329, 316.73, 10, 96.27, 9.63]);
    expect([total.getCell(5).numFmt, total.getCell(8).numFmt]).toEqual(["#,##0.00", "0.00"]);
    expect(values(rowOf(2, "其中：当年财政拨款"), 4, 9)).toEqual([412, 329, 316.73, "-", 96.27, "-"]);
    expect(values(rowOf(2, "上年结转资金"), 4, 9)).toEqual([0, 0, 0, "-", "-", "-"]);
    expect(values(rowOf(1, "一级指标"), 1, 9)).toEqual(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "按规则得分", "偏差原因分析及改进措施"]);
    expect(values(rowOf(1, "总分"), 6, 7)).toEqual([100, 99.13]);
    expect(rowOf(1, "评分等级").getCell(3).value).toBe("优");
    expect(rowOf(1, /^填报人/).getCell(1).value).toBe("填报人：");
    expect(selfEvaluationWorkbookName("zh", view)).toBe(`绩效自评表-2024-医疗救助-${MSS}.xlsx`);

    const english = await readWorkbook(await selfEvaluationWorkbook(view, "en"));
    expect(english.sheet.getCell("A1").value).toBe("Project expenditure performance self-evaluation");
    const labels = [english.rowOf(1, /^Project funds/).getCell(1).value, ...english.values(english.rowOf(2, /^Total funds/), 2, 2), english.rowOf(1, /^Grade/).getCell(3).value];
    expect(labels.some((label) => CHINESE.test(String(label)))).toBe(false);
    expect(english.rowOf(1, /^Grade/).getCell(3).value).toBe("Excellent");
    // The national indicator levels in English (产出指标 → Output); the Chinese workbook keeps them as on paper.
    expect(english.rowOf(1, "Output").getCell(2).value).toBe("Quantity");
    expect(rowOf(1, "产出指标").getCell(2).value).toBe("数量指标");
  });

  it("marks 长护险's departure: 培训覆盖人次 entered 9.50, the rule's 5.26 beside it, its reason, the total by the rule 94.75", async () => {
    const view = (await loadSelfEvaluation(db, await projectIdOf(db, MSS, 2024, "长护险护理试点工作经费")))!;
    const { rowOf, values } = await readWorkbook(await selfEvaluationWorkbook(view, "zh"));
    const training = rowOf(3, "培训覆盖人次");
    expect(values(training, 4, 8)).toEqual(["=5000.00(人)", "2629.00(人)", 10, 9.5, 5.26]);
    expect((training.getCell(7).fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFFFE699");
    expect(String(training.getCell(9).value)).toMatch(/得分说明：.*2635/);
    expect(rowOf(3, "成本控制有效性").getCell(5).value).toBe("达成指标");
    expect(rowOf(3, "成本控制有效性").getCell(8).value).toBeNull();
    expect(values(rowOf(1, "总分"), 6, 8)).toEqual([100, 98.99, 94.75]);
    expect(values(rowOf(2, "年度资金总额"), 4, 9)).toEqual([17.22, 17.22, 17.2, 10, 99.88, 9.99]);
  });

  it("exports an unsaved sheet as pre-filled, marked as not saved", async () => {
    const view = (await loadSelfEvaluation(db, await projectIdOf(db, HUACAO)))!;
    expect(view.status).toBeNull();
    const { rowOf } = await readWorkbook(await selfEvaluationWorkbook(view, "zh"));
    expect(String(rowOf(1, /^状态：/).getCell(1).value)).toMatch(/^状态：未保存.*截至2024年12月31日/);
    expect(rowOf(2, "年度资金总额").getCell(6).value).toBe(Number(view.result.funds[0]!.executedWan));
  });

  it("grades a draft by the stored bands and keeps each accepted sheet's grade; refuses bad bands", async () => {
    const huacao = (await getProjectHeader(db, await projectIdOf(db, HUACAO)))!;
    const saved = await saveSelfEvaluation(db, huacaoSubmitter, { project: huacao, evaluationId: null, version: null, content: { actualSummary: "按月发放", indicators: {} } });
    expect(saved.kind).toBe("done");
    const draft = (await loadSelfEvaluation(db, huacao.id))!;
    expect(draft.status).toBe("draft");
    // Only the funds score counts while the indicators carry no weights: below 60 by the default bands.
    expect(Number(draft.result.total)).toBeLessThan(60);
    expect(draft.result.grade).toBe("不合格");

    expect(await changeGradeBands(db, admin, { 优: "100", 良: "99.99", 合格: "0" })).toEqual({ kind: "done" });
    expect(await getGradeBands(db)).toEqual({ 优: "100.00", 良: "99.99", 合格: "0.00" });
    const audit = await db.selectFrom("audit_log").select(["username", "after"]).where("table_name", "=", "setting").where("record_id", "=", "grade_bands").execute();
    expect(audit.map((row) => row.username)).toEqual(["admin"]);

    expect((await loadSelfEvaluation(db, huacao.id))!.result.grade).toBe("合格");
    const accepted = (await loadSelfEvaluation(db, await projectIdOf(db, MSS, 2024, "市民社区医疗互助帮困经费")))!;
    expect([accepted.result.total, accepted.result.grade]).toEqual(["97.00", "优"]);
    const rows = await listSelfEvaluations(db, { year: 2024, unitIds: [...mssUnits, ...huacaoUnits] });
    expect(rows.find((row) => row.projectId === huacao.id)!.grade).toBe("合格");
    expect(new Set(rows.filter((row) => row.status === "accepted").map((row) => row.grade))).toEqual(new Set(["优"]));
    const { rowOf } = await readWorkbook(await selfEvaluationWorkbook((await loadSelfEvaluation(db, huacao.id))!, "zh"));
    expect(rowOf(1, "评分等级").getCell(3).value).toBe("合格");
    expect((await selfEvaluationSummary(db, { year: 2024, unitSubtree: mssUnits })).units[0]!.grades.优).toBe(11);
    // A caller's own bands still win.
    expect((await loadSelfEvaluation(db, huacao.id, { gradeBands: DEFAULT_GRADE_BANDS }))!.result.grade).toBe("不合格");

    const refusals = [
      [{ 优: "80", 良: "85", 合格: "60" }, "分数线须从高到低：优高于良，良高于合格"],
      [{ 优: "90", 良: "90", 合格: "60" }, "分数线须从高到低：优高于良，良高于合格"],
      [{ 优: "101", 良: "80", 合格: "60" }, "优的分数线“101”应为0至100之间、最多两位小数的数字"],
      [{ 优: "90", 良: "80.125", 合格: "-1" }, "良的分数线“80.125”应为0至100之间、最多两位小数的数字"],
      [{ 优: "90", 良: "80", 合格: "" }, "合格的分数线“”应为0至100之间、最多两位小数的数字"],
    ] as const;
    for (const [bands, message] of refusals) {
      const outcome = await changeGradeBands(db, admin, bands);
      expect(outcome.kind === "refused" && [outcome.status, render("zh", outcome.problems[0]!)]).toEqual([400, message]);
      if (outcome.kind === "refused") for (const problem of outcome.problems) expect(render("en", problem)).not.toMatch(CHINESE);
    }
    expect(await getGradeBands(db)).toEqual({ 优: "100.00", 良: "99.99", 合格: "0.00" });

    await changeGradeBands(db, admin, { 优: "90", 良: "80", 合格: "60" });
    expect((await loadSelfEvaluation(db, huacao.id))!.result.grade).toBe("不合格");
    await setGradeBands(db, { 优: "90.00", 良: "80.00", 合格: "60.00" });
  });
});
