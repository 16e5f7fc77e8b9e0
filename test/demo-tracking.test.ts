import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "kysely";
import { createDb, type DB } from "../db/pool.ts";
import { seedDemoData } from "../db/seed.ts";
import { getTrackingForm } from "../features/tracking/queries/forms.ts";
import { listSubmissions, listUnfiled } from "../features/tracking/queries/lists.ts";
import { loadTrackingForm } from "../features/tracking/queries/view.ts";
import { unitSubtreeIds } from "../db/units.ts";
import expected from "../db/demo/expected.json" with { type: "json" };
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";

/*
 * The demo's filed 运行监控表 (db/demo/tracking-forms.json): 华漕's mid-year form of seeds/000, as of
 * 2024-08-31, submitted by huacao.submitter and accepted by minhang.manager when the demo data is
 * loaded with its forms — stored with the figures the live form computes, frozen, and listed for
 * the district's manager.
 */

const HUACAO = "上海市闵行区华漕镇社区事务受理中心";

describe("the demo's filed tracking form", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let server: RunningServer;
  let huacaoId = 0;
  let minhangIds: number[] = [];

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"));
    db = fresh.db;
    drop = fresh.drop;
    const counts = await seedDemoData(db, { trackingForms: true });
    expect(counts.trackingForms).toBe(1);
    huacaoId = await projectIdOf(db, HUACAO);
    const minhang = await db.selectFrom("org_unit").select("id").where("name", "=", "闵行区").executeTakeFirstOrThrow();
    minhangIds = await unitSubtreeIds(db, minhang.id);
    server = await startServer(fresh.url);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("stores 华漕's form accepted, with the ledger's 1,109,200.00 / 959,622.79 / 86.51% and 运行正常", async () => {
    const [row, ...others] = await listSubmissions(db, { unitIds: minhangIds });
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      projectId: huacaoId,
      unitName: HUACAO,
      fiscalYear: 2024,
      periodStart: "2024-01-01",
      periodEnd: "2024-08-31",
      revision: 1,
      status: "accepted",
      stageConclusion: "运行正常",
      budget: expected.huacao.adjusted,
      executed: expected.huacao.executed,
      executionRate: expected.huacao.documentExecutionRate,
    });
    expect(await listUnfiled(db, { unitIds: minhangIds, year: 2024 })).not.toContainEqual(expect.objectContaining({ projectId: huacaoId }));

    // What the form shows now is what the live form computed then: the same code filed it.
    const view = (await loadTrackingForm(db, huacaoId, { periodEnd: null }))!;
    expect(view).toMatchObject({ status: "accepted", frozen: true, snapshot: true, budget: "1109200.00", executed: "959622.79", threshold: "75.00" });
    expect(view.evaluation).toMatchObject({ executionRate: "86.51", conclusion: "运行正常", failing: [], problems: [] });
    expect(view.fields).toMatchObject({
      adjustmentNeeded: false,
      budgetLikelihood: "确定能完成",
      targetLikelihood: "确定能完成",
      problems: "无。",
      measures: "无。",
      keyTrackingReason: "认为需开展重点跟踪的项目",
      otherNotes: "1、其他因素：该项目具有特殊性，无法预估申请人数及补助金额，受理中心根据实际申请情况及时支付救助资金。",
      // Not on the paper: the app's linear pre-fill, 959,622.79 × 12 ÷ 8 (no 2023 project for 华漕).
      estimatedFullYear: "1439434.19",
    });
    expect(view.fields.basicInfo).toContain("沪医保规【2020】4号、沪医保规【2022】12号等文件要求");
  });

  it("reports every indicator as the paper form does", async () => {
    const stored = (await getTrackingForm(db, (await listSubmissions(db, { unitIds: minhangIds }))[0]!.formId))!;
    const rows = Object.fromEntries(stored.indicators.map((row) => [row.name, row]));
    expect(stored.indicators).toHaveLength(9);
    const quantitative: Array<[string, string]> = [
      ["全年门急诊医疗救助最高限额", "＜2800元/人"],
      ["全年住院医疗救助最高限额", "＜13万/人"],
      ["资金结算准确率", "100.00%"],
      ["医疗救助及时率", "100.00%"],
      ["救助对象类型覆盖率", "100.00%"],
      ["有责违规事件发生数", "0发生"],
    ];
    for (const [name, actual] of quantitative) {
      expect(rows[name], name).toMatchObject({ tracked: true, actual, met: true });
    }
    expect(rows["资金结算准确率"]).toMatchObject({ completion: "100.00", annualTarget: "100.00%" });
    expect(rows["全年门急诊医疗救助最高限额"]).toMatchObject({ annualTarget: "≤2800元/人", dueTarget: "≤2800元/人" });
    expect(rows["医疗救助总人次"]).toMatchObject({ tracked: true, judgement: "达成", description: "1809人次", deviation: "无偏差", met: true });
    expect(rows["医疗保障制度体系建设"]).toMatchObject({ tracked: true, dueTarget: "有效推进", judgement: "达成", description: "有效推进", met: true });
    expect(rows["救助对象对经办便捷程度的满意度"]).toMatchObject({ tracked: false, untrackedReason: "年中未开展满意度调查", actual: null });
  });

  it("records the workflow and the audit trail under the submitter's and the manager's names", async () => {
    const { formId } = (await listSubmissions(db, { unitIds: minhangIds }))[0]!;
    const users = new Map((await db.selectFrom("app_user").select(["id", "username"]).execute()).map((user) => [user.username, user.id]));
    const events = await db.selectFrom("tracking_form_event").select(["from_status", "to_status", "user_id", "username"]).where("form_id", "=", formId).orderBy("id").execute();
    expect(events).toEqual([
      { from_status: null, to_status: "draft", user_id: users.get("huacao.submitter"), username: "huacao.submitter" },
      { from_status: "draft", to_status: "submitted", user_id: users.get("huacao.submitter"), username: "huacao.submitter" },
      { from_status: "submitted", to_status: "accepted", user_id: users.get("minhang.manager"), username: "minhang.manager" },
    ]);
    const audit = await db
      .selectFrom("audit_log")
      .select(["username", "action", sql<string | null>`after->>'status'`.as("status")])
      .where("table_name", "=", "tracking_form")
      .orderBy("id")
      .execute();
    expect(audit).toEqual([
      { username: "huacao.submitter", action: "insert", status: "draft" },
      { username: "huacao.submitter", action: "update", status: "submitted" },
      { username: "minhang.manager", action: "update", status: "accepted" },
    ]);
    const rowAuthors = await db.selectFrom("audit_log").select("username").distinct().where("table_name", "in", ["tracking_form_indicator", "tracking_form_event"]).execute();
    expect(rowAuthors.map((row) => row.username).sort()).toEqual(["huacao.submitter", "minhang.manager"]);
  });

  it("is frozen by the database like any accepted form", async () => {
    const { formId } = (await listSubmissions(db, { unitIds: minhangIds }))[0]!;
    await expect(db.updateTable("tracking_form").set({ problems: "改" }).where("id", "=", formId).execute()).rejects.toThrow(/已审核通过/);
    await expect(db.updateTable("tracking_form_indicator").set({ actual: "90%" }).where("form_id", "=", formId).execute()).rejects.toThrow(/已审核通过/);
  });

  it("shows the form to minhang.manager in the list, on the form page, in print and as a workbook", async () => {
    const cookie = await signIn(server.baseUrl, "minhang.manager");
    const get = (path: string) => fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookie } });
    const list = await get("/tracking");
    expect(list.status).toBe(200);
    const listed = await list.text();
    const row = listed.match(new RegExp(`<tr[^>]*data-testid="submission-${huacaoId}"[\\s\\S]*?</tr>`))?.[0]?.replaceAll("<!-- -->", "") ?? "";
    for (const shown of ["医疗救助", HUACAO, "2024-01-01 — 2024-08-31", "已通过", "运行正常", "1,109,200.00", "959,622.79", "86.51%"]) {
      expect(row, shown).toContain(shown);
    }
    for (const path of [`/projects/${huacaoId}/tracking`, `/projects/${huacaoId}/tracking/print`]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      const page = await response.text();
      expect(page, path).toMatch(/data-testid="form-budget"[^>]*>1,109,200.00</);
      expect(page, path).toMatch(/data-testid="form-executed"[^>]*>959,622.79</);
      expect(page, path).toMatch(/data-testid="form-rate"[^>]*>86.51%</);
      expect(page, path).toContain("运行正常");
      expect(page, path).toContain("＜2800元/人");
      expect(page, path).toMatch(/data-testid="untracked-救助对象对经办便捷程度的满意度"[^>]*>未纳入跟踪：年中未开展满意度调查</);
    }
    const workbook = await get(`/projects/${huacaoId}/tracking/export.xlsx`);
    expect(workbook.status).toBe(200);
    expect(workbook.headers.get("content-type")).toContain("spreadsheetml");
    const ExcelJS = (await import("exceljs")).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await workbook.arrayBuffer()) as never);
    const values: unknown[] = [];
    book.getWorksheet("运行监控表")!.eachRow((sheetRow) => sheetRow.eachCell((cell) => values.push(cell.value)));
    expect(values).toContain(959622.79);
    expect(values.some((value) => typeof value === "string" && value.startsWith("＜13万/人"))).toBe(true);
    expect(values).toContain("达成：1809人次");
    expect(values).toContain("三、阶段性跟踪结论：1、运行正常（执行率和目标完成度均在75%以上）。");
    expect(values).toContain("未纳入跟踪：年中未开展满意度调查");
    // In the paper's order: 三/四/五 before the indicators, which stand under the two group headers, then 需要说明的情况.
    // (Merged cells repeat their value: read each run once.)
    const cells = values.filter((value, index) => index === 0 || value !== values[index - 1]);
    const position = (predicate: (value: unknown) => boolean) => cells.findIndex(predicate);
    const conclusion = position((value) => typeof value === "string" && value.startsWith("三、阶段性跟踪结论"));
    const groups = position((value) => value === "跟踪时的目标完成情况");
    expect(conclusion).toBeGreaterThan(0);
    expect(groups).toBeGreaterThan(conclusion);
    expect(cells[groups + 1]).toBe("跟踪时的纠偏情况");
    const subheads = cells.slice(groups + 2, groups + 12).filter((value) => typeof value === "string" && !/^[一二三]级指标$|^年度指标值$/.test(value));
    expect(subheads.slice(0, 6)).toEqual(["应完成的绩效目标值", "完成百分比或情况描述", "全年预计完成情况", "偏差情况", "偏差原因", "纠偏措施"]);
    expect(position((value) => typeof value === "string" && value.startsWith("需要说明的情况"))).toBeGreaterThan(groups);
    expect(values).not.toContain("是否整改");
  });

  it("is not part of the tests' shared demo data, which files no forms", async () => {
    const shared = createDb(inject("demoDatabaseUrl"), { max: 1 });
    try {
      const { count } = await shared.selectFrom("tracking_form").select((eb) => eb.fn.countAll<string>().as("count")).executeTakeFirstOrThrow();
      expect(count).toBe("0");
    } finally {
      await shared.destroy();
    }
  });
});
