import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "kysely";
import type { DB } from "../db/pool.ts";
import { createUser } from "../db/users.ts";
import { addDeviationCause } from "../features/tracking/queries/causes.ts";
import { getTrackingForm } from "../features/tracking/queries/forms.ts";
import { listSubmissions, statedDeviations } from "../features/tracking/queries/lists.ts";
import { withActor } from "../db/audit.ts";
import { render } from "../messages/index.ts";
import { causeMessage } from "../features/tracking/rules/index.ts";
import { getProjectLedger } from "../db/projects.ts";
import { projectExecution } from "../domain/project-execution.ts";
import { loadTrackingForm } from "../features/tracking/queries/view.ts";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { openTable } from "../files/read-table.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";

/*
 * The mid-year tracking form (附件2-1) against a real PostgreSQL and the production server: the
 * ledger pre-fill, the refusal to submit without causes and measures, the workflow, the frozen
 * accepted revision (enforced by the database), and who may do what.
 */

const HUACAO = "上海市闵行区华漕镇社区事务受理中心";
const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const MSS = "上海市闵行区医疗保障局";
const BAOSHAN = "上海市宝山区医疗保障局";
const MSS_SUBMITTER = { username: "mss.submitter", password: "mss-submitter-2024" };
const BAOSHAN_SUBMITTER = { username: "baoshan.submitter", password: "baoshan-submitter-2024" };
const MUTUAL_AID = "市民社区医疗互助帮困计划资金";

/** What 华漕's paper form reports for its indicators (seeds/000), by indicator name. */
const HUACAO_ACTUALS: Record<string, { actual?: string; judgement?: string }> = {
  全年门急诊医疗救助最高限额: { actual: "2800" },
  全年住院医疗救助最高限额: { actual: "13" },
  医疗救助总人次: { judgement: "达成" },
  资金结算准确率: { actual: "100.00%" },
  医疗救助及时率: { actual: "100.00%" },
  救助对象类型覆盖率: { actual: "100.00%" },
  有责违规事件发生数: { actual: "0发生" },
  医疗保障制度体系建设: { judgement: "达成" },
};

/**
 * The one indicator 闵行区医疗保障局's 医疗救助 (2024) reports at mid-year, met, so that the form turns only
 * on its budget execution; its other declared indicators (seeds/003) are left out with a reason.
 */
const MSS_ACTUALS: Record<string, { actual?: string; judgement?: string }> = {
  医疗救助补助发放完成率: { actual: "100.00%" },
};

describe("mid-year tracking form", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let server: RunningServer;
  const cookies: Record<string, string> = {};
  let huacaoId = 0;
  let maqiaoId = 0;
  let mssId = 0;
  let baoshanId = 0;
  let aidId = 0;

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    db = fresh.db;
    drop = fresh.drop;
    huacaoId = await projectIdOf(db, HUACAO);
    maqiaoId = await projectIdOf(db, MAQIAO);
    const mss = await db
      .selectFrom("project as p")
      .innerJoin("org_unit as u", "u.id", "p.unit_id")
      .select(["p.id", "u.id as unitId"])
      .where("u.name", "=", MSS)
      .where("p.fiscal_year", "=", 2024)
      .where("p.name", "=", "医疗救助")
      .executeTakeFirstOrThrow();
    mssId = mss.id;
    baoshanId = await projectIdOf(db, BAOSHAN, 2023);
    aidId = await projectIdOf(db, BAOSHAN, 2023, MUTUAL_AID);
    await createUser(db, { username: MSS_SUBMITTER.username, displayName: "区医保局 填报人", unitId: mss.unitId, roles: ["submitter"], password: MSS_SUBMITTER.password });
    const baoshanUnit = await db.selectFrom("org_unit").select("id").where("name", "=", BAOSHAN).executeTakeFirstOrThrow();
    await createUser(db, { username: BAOSHAN_SUBMITTER.username, displayName: "宝山医保局 填报人", unitId: baoshanUnit.id, roles: ["submitter"], password: BAOSHAN_SUBMITTER.password });
    server = await startServer(fresh.url);
    for (const user of ["huacao.submitter", "maqiao.submitter", "minhang.manager", "minhang.viewer", "maqiao.planner"] as const) {
      cookies[user] = await signIn(server.baseUrl, user);
    }
    const login = await fetch(`${server.baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...MSS_SUBMITTER, next: "/" }),
    });
    cookies[MSS_SUBMITTER.username] = login.headers.get("set-cookie")!.split(";")[0]!;
    const baoshanLogin = await fetch(`${server.baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...BAOSHAN_SUBMITTER, next: "/" }),
    });
    cookies[BAOSHAN_SUBMITTER.username] = baoshanLogin.headers.get("set-cookie")!.split(";")[0]!;
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  const post = (user: string, projectId: number, fields: Record<string, string>) =>
    fetch(`${server.baseUrl}/projects/${projectId}/tracking`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.baseUrl, Cookie: cookies[user]!, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
  const get = (user: string, path: string) => fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookies[user]! } });

  /** The hidden fields of the stored form (id and version) as the page would post them. */
  async function formState(projectId: number): Promise<Record<string, string>> {
    const view = await loadTrackingForm(db, projectId, { periodEnd: null });
    return { periodEnd: view!.periodEnd, formId: view!.formId === null ? "" : String(view!.formId), version: view!.version === null ? "" : String(view!.version) };
  }

  /** Indicator fields: every indicator untracked (with a reason) unless given. */
  async function indicatorFields(projectId: number, values: Record<string, { actual?: string; judgement?: string }>): Promise<Record<string, string>> {
    const indicators = await db.selectFrom("performance_indicator").select(["id", "name"]).where("project_id", "=", projectId).execute();
    const fields: Record<string, string> = {};
    for (const indicator of indicators) {
      const value = values[indicator.name];
      fields[`ind.${indicator.id}.tracked`] = value ? "yes" : "no";
      if (!value) fields[`ind.${indicator.id}.untrackedReason`] = "年中尚未开展满意度调查";
      if (value?.actual) fields[`ind.${indicator.id}.actual`] = value.actual;
      if (value?.judgement) fields[`ind.${indicator.id}.judgement`] = value.judgement;
    }
    return fields;
  }

  const answered = { adjustmentNeeded: "no", budgetLikelihood: "确定能完成", targetLikelihood: "确定能完成" };

  it("offers the budget as the estimate while nothing is paid (马桥 2023 on 31 August), not 0.00", async () => {
    const view = await loadTrackingForm(db, await projectIdOf(db, MAQIAO, 2023), { periodEnd: null });
    expect(view).toMatchObject({ periodEnd: "2023-08-31", budget: "1155200.00", executed: "0.00", prefill: "1155200.00", prefillMethod: "nothing-paid" });
  });

  it("prints a form not saved yet, and its one-page print opens too (no revision number to ask for)", async () => {
    const projectId = await projectIdOf(db, MAQIAO, 2023);
    const print = await get("maqiao.submitter", `/projects/${projectId}/tracking/print?periodEnd=2023-08-31`);
    expect(print.status).toBe(200);
    const link = /<a[^>]*data-testid="print-one-page"[^>]*>/.exec(await print.text())?.[0] ?? "";
    const href = /href="([^"]+)"/.exec(link)?.[1]?.replaceAll("&amp;", "&");
    expect(href).toBe(`/projects/${projectId}/tracking/print?periodEnd=2023-08-31&fit=page`);
    const onePage = await get("maqiao.submitter", href!);
    expect(onePage.status).toBe(200);
    expect(await onePage.text()).toContain("fit-one-page");
  });

  it("pre-fills 华漕's 1,109,200.00 / 959,622.79 / 86.51% as of 2024-08-31 and concludes 运行正常", async () => {
    const view = await loadTrackingForm(db, huacaoId, { periodEnd: null });
    expect(view).toMatchObject({ periodStart: "2024-01-01", periodEnd: "2024-08-31", budget: "1109200.00", executed: "959622.79", status: null });
    expect(view!.evaluation.executionRate).toBe("86.51");
    // No 2023 project for 华漕: the estimate runs linearly, 959,622.79 × 12 ÷ 8.
    expect(view).toMatchObject({ prefill: "1439434.19", prefillMethod: "no-previous-year" });
    // Nothing reported yet: the indicators are not met yet, so the form cannot conclude 运行正常.
    expect(view!.evaluation.conclusion).toBe("运行偏差");

    const page = await (await get("huacao.submitter", `/projects/${huacaoId}/tracking`)).text();
    expect(page).toMatch(/data-testid="form-budget"[^>]*>1,109,200.00</);
    expect(page).toMatch(/data-testid="form-executed"[^>]*>959,622.79</);
    expect(page).toMatch(/data-testid="form-rate"[^>]*>86.51%</);

    // The ledger figures cannot be typed over: posted budget/executed are ignored.
    const saved = await post("huacao.submitter", huacaoId, {
      ...(await formState(huacaoId)),
      ...answered,
      ...(await indicatorFields(huacaoId, HUACAO_ACTUALS)),
      budget: "1.00",
      executed: "2.00",
      intent: "save",
    });
    expect(saved.status).toBe(302);
    const after = await loadTrackingForm(db, huacaoId, { periodEnd: null });
    expect(after).toMatchObject({ status: "draft", budget: "1109200.00", executed: "959622.79" });
    expect(after!.evaluation.conclusion).toBe("运行正常");
    expect(after!.evaluation.problems).toEqual([]);
    const stored = await db.selectFrom("tracking_form").selectAll().where("id", "=", after!.formId!).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ budget: "1109200.00", executed: "959622.79", execution_rate: "86.51", stage_conclusion: "运行正常", estimated_full_year: "1439434.19" });
    const accuracy = after!.indicators.find((row) => row.name === "资金结算准确率")!;
    expect(accuracy.reading).toMatchObject({ completion: "100.00", met: true });

    const submitted = await post("huacao.submitter", huacaoId, { ...(await formState(huacaoId)), ...answered, ...(await indicatorFields(huacaoId, HUACAO_ACTUALS)), intent: "submit" });
    expect(submitted.status).toBe(302);
    expect((await loadTrackingForm(db, huacaoId, { periodEnd: null }))!.status).toBe("submitted");

    // Under review the form shows what was submitted: a later payment or a change of a declared
    // target reaches neither the reviewer nor the print view.
    const accuracyId = (await db.selectFrom("performance_indicator").select("id").where("project_id", "=", huacaoId).where("name", "=", "资金结算准确率").executeTakeFirstOrThrow()).id;
    await db.updateTable("performance_indicator").set({ target: "≥99.5%" }).where("id", "=", accuracyId).execute();
    await db
      .insertInto("payment")
      .values({ project_id: huacaoId, budget_line_id: null, paid_on: "2024-08-20", kind: "batch", person_times: 1, amount: "50000.00", due_on: null, returned_count: 0, returned_amount: "0.00", reissued_on: null, note: "提交后补录" })
      .execute();
    const underReview = await loadTrackingForm(db, huacaoId, { periodEnd: null });
    expect(underReview).toMatchObject({ status: "submitted", snapshot: true, frozen: false, budget: "1109200.00", executed: "959622.79" });
    expect(underReview!.evaluation.executionRate).toBe("86.51");
    expect(underReview!.indicators.find((row) => row.name === "资金结算准确率")!.annualTarget).toBe("100.00%");
    for (const path of [`/projects/${huacaoId}/tracking`, `/projects/${huacaoId}/tracking/print`]) {
      const shown = await (await get("minhang.manager", path)).text();
      expect(shown, path).toMatch(/data-testid="form-executed"[^>]*>959,622.79</);
      expect(shown, path).not.toContain("≥99.5%");
      // The untracked indicator is shown, greyed, with its reason: not hidden from the reviewer.
      expect(shown, path).toMatch(/data-testid="untracked-救助对象对经办便捷程度的满意度"[^>]*>未纳入跟踪：年中尚未开展满意度调查</);
    }
    // A draft would follow the ledger: the live figure includes the later payment.
    const ledger = (await getProjectLedger(db, huacaoId))!;
    expect(projectExecution({ fiscalYear: 2024, ...ledger }, "2024-08-31").figures.executed).toBe("1009622.79");
  });

  it("refuses to submit a project below 75% until causes and measures are given, naming the missing fields", async () => {
    const indicators = await indicatorFields(mssId, MSS_ACTUALS);
    const first = await post(MSS_SUBMITTER.username, mssId, { ...(await formState(mssId)), ...answered, ...indicators, intent: "submit" });
    expect(first.status).toBe(400);
    const page = await first.text();
    for (const message of ["预算执行：缺少偏差原因类别", "预算执行：缺少偏差原因说明", "预算执行：缺少纠偏措施"]) expect(page).toContain(message);
    // The draft was kept, with the refusal not moving it on.
    const draft = await loadTrackingForm(db, mssId, { periodEnd: null });
    // 医疗救助 of 闵行区医疗保障局 as of 2024-08-31: eight monthly settlements (推定) of 3,167,300.00 ÷ 12 against 4,120,000.00.
    expect(draft).toMatchObject({ status: "draft", executed: "2111533.36" });
    expect(draft!.evaluation.executionRate).toBe("51.25");
    expect(draft!.evaluation.conclusion).toBe("运行偏差");

    const partial = await post(MSS_SUBMITTER.username, mssId, {
      ...(await formState(mssId)),
      ...answered,
      ...indicators,
      executionCauseCode: "funds-arrived-late",
      intent: "submit",
    });
    expect(partial.status).toBe(400);
    const partialPage = await partial.text();
    expect(partialPage).not.toContain("预算执行：缺少偏差原因类别");
    expect(partialPage).toContain("预算执行：缺少偏差原因说明");
    expect(partialPage).toContain("预算执行：缺少纠偏措施");
    // The dashboard's stated deviations leave the unit's draft out, though it concludes 运行偏差 with a cause.
    const mssUnitId = (await db.selectFrom("org_unit").select("id").where("name", "=", MSS).executeTakeFirstOrThrow()).id;
    expect((await loadTrackingForm(db, mssId, { periodEnd: null }))!.status).toBe("draft");
    expect(await statedDeviations(db, { year: 2024, asOf: "2024-12-31", unitIds: [mssUnitId] })).toEqual([]);

    const complete = await post(MSS_SUBMITTER.username, mssId, {
      ...(await formState(mssId)),
      ...answered,
      ...indicators,
      executionCauseCode: "funds-arrived-late",
      executionCause: "市、区专项转移支付资金年中才下达，支付集中在年末。",
      executionMeasure: "资金到位后按月拨付，9月起每月对账。",
      intent: "submit",
    });
    expect(complete.status).toBe(302);
    expect((await loadTrackingForm(db, mssId, { periodEnd: null }))!.status).toBe("submitted");

    // The managers' list and the dashboard's stated causes see it.
    const mssUnit = await db.selectFrom("org_unit").select("id").where("name", "=", MSS).executeTakeFirstOrThrow();
    const list = await listSubmissions(db, { unitIds: [mssUnit.id], conclusion: "运行偏差" });
    expect(list.map((row) => [row.projectId, row.status, row.executionRate])).toEqual([[mssId, "submitted", "51.25"]]);
    const stated = await statedDeviations(db, { year: 2024, asOf: "2024-12-31", unitIds: [mssUnit.id] });
    expect(stated).toHaveLength(1);
    expect(stated[0]!.deviations).toEqual([
      { item: null, causeCode: "funds-arrived-late", causeLabel: "资金下达滞后", cause: "市、区专项转移支付资金年中才下达，支付集中在年末。", measure: "资金到位后按月拨付，9月起每月对账。" },
    ]);
  });

  it("flags an indicator below 75% and wants its cause and measure; warns of a low full-year estimate", async () => {
    const fields = { ...(await formState(maqiaoId)), ...answered, estimatedFullYear: "800000", intent: "submit" };
    const refused = await post("maqiao.submitter", maqiaoId, fields);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("全年预计执行数：修改了预填值，须说明理由");
    const view = await loadTrackingForm(db, maqiaoId, { periodEnd: null });
    // 马桥 as of 2024-08-31: 1,240,328.86 of 1,585,645.75 = 78.22%, passing today, but the estimate is lower.
    expect(view!.evaluation.executionRate).toBe("78.22");
    // 马桥's 2023 is one payment on 2023-12-31: nothing paid by August then, so the batches keep their monthly
    // pace and the transfers count as paid: 412,183.11 × 12 ÷ 8 + 828,145.75 = 1,446,420.42 (91.22%; the year
    // ended at 1,471,745.31), and the note says why (not "无上年数据": there is a previous year).
    expect(view).toMatchObject({ prefillMethod: "none-by-then", prefill: "1446420.42" });
    const page = await (await get("maqiao.submitter", `/projects/${maqiaoId}/tracking`)).text();
    expect(page).toContain("上年同期无支付：社会化发放按月平均推算，划拨按已拨付计");
    expect(page).not.toContain("无上年数据");
    expect(view!.evaluation.warnings.map((warning) => render("zh", warning))).toEqual(["全年预计执行率 50.45% 低于 75%"]);
  });

  it("goes draft → submitted → returned (comment) → resubmitted → accepted, and freezes the accepted revision", async () => {
    const form = (await loadTrackingForm(db, mssId, { periodEnd: null }))!;
    const formId = String(form.formId);
    // A return needs the reviewer's comment, one the database can store.
    expect((await post("minhang.manager", mssId, { formId, intent: "return", comment: " " })).status).toBe(400);
    const controlled = await post("minhang.manager", mssId, { formId, intent: "return", comment: "请补充\u0000" });
    expect(controlled.status).toBe(400);
    expect(await controlled.text()).toContain("审核意见：含有无效的控制字符");
    expect((await post("minhang.manager", mssId, { formId, intent: "return", comment: "请补充9月起的拨付计划。" })).status).toBe(302);
    let view = (await loadTrackingForm(db, mssId, { periodEnd: null }))!;
    expect(view).toMatchObject({ status: "returned", reviewComment: "请补充9月起的拨付计划。" });
    // Not accepted while returned; the submitter completes and resubmits.
    expect((await post("minhang.manager", mssId, { formId, intent: "accept" })).status).toBe(409);
    const resubmitted = await post(MSS_SUBMITTER.username, mssId, {
      ...(await formState(mssId)),
      ...answered,
      ...(await indicatorFields(mssId, MSS_ACTUALS)),
      executionCauseCode: "funds-arrived-late",
      executionCause: "市、区专项转移支付资金年中才下达，支付集中在年末。",
      executionMeasure: "9月起每月拨付，12月底前全部结算。",
      intent: "submit",
    });
    expect(resubmitted.status).toBe(302);
    expect((await loadTrackingForm(db, mssId, { periodEnd: null }))!.status).toBe("resubmitted");
    // The submitter can no longer change it while it is being reviewed.
    expect((await post(MSS_SUBMITTER.username, mssId, { ...(await formState(mssId)), intent: "save" })).status).toBe(409);
    expect((await post("minhang.manager", mssId, { formId, intent: "accept" })).status).toBe(302);
    view = (await loadTrackingForm(db, mssId, { periodEnd: null }))!;
    expect(view).toMatchObject({ status: "accepted", frozen: true });

    const stored = await getTrackingForm(db, view.formId!);
    expect(stored!.events.map((event) => [event.fromStatus, event.toStatus, event.username])).toEqual([
      [null, "draft", MSS_SUBMITTER.username],
      ["draft", "submitted", MSS_SUBMITTER.username],
      ["submitted", "returned", "minhang.manager"],
      ["returned", "resubmitted", MSS_SUBMITTER.username],
      ["resubmitted", "accepted", "minhang.manager"],
    ]);
    // The history names people as they are known (their display names), the username kept beside.
    const names = new Map((await db.selectFrom("app_user").select(["username", "display_name"]).execute()).map((u) => [u.username, u.display_name]));
    expect(stored!.events.map((event) => event.displayName)).toEqual(stored!.events.map((event) => names.get(event.username)));
    expect(stored!.events[2]!.displayName).not.toBe("minhang.manager");
    const audited = await db.selectFrom("audit_log").select(["username", "action"]).where("table_name", "=", "tracking_form").where("record_id", "=", formId).orderBy("id").execute();
    expect(audited.map((entry) => entry.username)).toContain("minhang.manager");
    expect(audited.map((entry) => entry.username)).toContain(MSS_SUBMITTER.username);

    // Frozen: the app refuses, and so does the database itself.
    expect((await post(MSS_SUBMITTER.username, mssId, { ...(await formState(mssId)), intent: "save" })).status).toBe(409);
    await expect(sql`UPDATE tracking_form SET problems = 'x' WHERE id = ${view.formId}`.execute(db)).rejects.toThrow(/已审核通过/);
    await expect(sql`UPDATE tracking_form SET status = 'returned' WHERE id = ${view.formId}`.execute(db)).rejects.toThrow(/已审核通过/);
    await expect(sql`DELETE FROM tracking_form WHERE id = ${view.formId}`.execute(db)).rejects.toThrow(/已审核通过/);
    // MSS's declared indicators (seeds/003) are rows of the form: the accepted rows cannot change either.
    await expect(sql`UPDATE tracking_form_indicator SET actual = '1' WHERE form_id = ${view.formId}`.execute(db)).rejects.toThrow(/已审核通过/);
    await expect(sql`INSERT INTO tracking_form_indicator (form_id, sort_order, level1, level2, name, annual_target) VALUES (${view.formId}, 99, 'a', 'b', 'c', '及时')`.execute(db)).rejects.toThrow(/已审核通过/);

    // A later change is a new revision, a draft with the accepted content.
    expect((await post(MSS_SUBMITTER.username, mssId, { formId, intent: "new-revision" })).status).toBe(302);
    const second = (await loadTrackingForm(db, mssId, { periodEnd: null }))!;
    expect(second).toMatchObject({ revision: 2, status: "draft", frozen: false });
    expect(second.fields.executionMeasure).toBe("9月起每月拨付，12月底前全部结算。");
    expect((await loadTrackingForm(db, mssId, { periodEnd: null, revision: 1 }))!).toMatchObject({ status: "accepted", frozen: true });
    // Only one open revision at a time.
    expect((await post(MSS_SUBMITTER.username, mssId, { formId, intent: "new-revision" })).status).toBe(409);
  });

  it("answers every crafted POST with a clear refusal, never a 500, and stores nothing wrong", async () => {
    const indicators = await db.selectFrom("performance_indicator").select(["id", "name"]).where("project_id", "=", aidId).orderBy("sort_order").execute();
    const idOf = (name: string) => indicators.find((indicator) => indicator.name === name)!.id;
    const fields = await indicatorFields(aidId, { 支出方向符合度: { actual: "100%" } });
    const aid = (extra: Record<string, string>) => post(BAOSHAN_SUBMITTER.username, aidId, { ...answered, ...fields, intent: "save", ...extra });
    expect((await aid(await formState(aidId))).status).toBe(302);
    const state = await formState(aidId);
    const stored = await db.selectFrom("tracking_form").select(["version", "updated_at"]).where("id", "=", Number(state.formId)).executeTakeFirstOrThrow();

    const crafted: Array<[label: string, fields: Record<string, string>, status: number, message: string]> = [
      ["version not a number", { ...state, version: "abc" }, 400, "表单版本号缺失或无效"],
      ["version missing", { ...state, version: "" }, 400, "表单版本号缺失或无效"],
      ["version beyond integer", { ...state, version: "99999999999" }, 400, "表单版本号缺失或无效"],
      ["formId not a number", { ...state, formId: "abc" }, 400, "表单编号“abc”无效"],
      ["formId of no form", { ...state, formId: "999999" }, 409, "此表已被他人新建或另起新版"],
      ["unknown execution cause", { ...state, executionCauseCode: "bogus" }, 400, "预算执行：偏差原因类别“bogus”不在目录中"],
      ["unknown indicator cause", { ...state, [`ind.${idOf("支出方向符合度")}.causeCode`]: "bogus" }, 400, "指标“支出方向符合度”：偏差原因类别“bogus”不在目录中"],
      ["NUL in a text", { ...state, problems: "无\u0000" }, 400, "存在问题：含有无效的控制字符"],
      ["NUL in an indicator text", { ...state, [`ind.${idOf("支出方向符合度")}.measure`]: "\u0000" }, 400, "指标“支出方向符合度”纠偏措施：含有无效的控制字符"],
      ["text too long", { ...state, basicInfo: "长".repeat(4001) }, 400, "项目基本情况：最多 4000 个字"],
      ["negative decrease", { ...state, adjustmentDecrease: "-5" }, 400, "调减金额：金额不能为负数"],
      ["amount beyond numeric(18,2)", { ...state, adjustedBudget: "99999999999999999999" }, 400, "调整后预算数：不是有效的金额"],
      ["amount in exponent form", { ...state, estimatedFullYear: "1e30" }, 400, "全年预计执行数：不是有效的金额"],
      ["date out of range", { ...state, filledOn: "0001-01-01" }, 400, "填报日期：应为有效日期"],
      ["date of five digits", { ...state, filledOn: "99999-01-01" }, 400, "填报日期：应为有效日期"],
      ["unknown likelihood", { ...state, budgetLikelihood: "bogus" }, 400, "年度项目预算完成可能性：应为"],
      ["unknown judgement", { ...state, [`ind.${idOf("资金发放及时性")}.judgement`]: "bogus" }, 400, "指标“资金发放及时性”完成情况判断：应为 达成 / 部分达成 / 未达成 之一"],
      ["unknown intent", { ...state, intent: "delete" }, 400, "未知操作"],
    ];
    for (const [label, posted, status, message] of crafted) {
      const response = await aid(posted);
      expect(response.status, label).toBe(status);
      expect(await response.text(), label).toContain(message);
    }
    // None of them changed the stored form.
    expect(await db.selectFrom("tracking_form").select(["version", "updated_at"]).where("id", "=", Number(state.formId)).executeTakeFirstOrThrow()).toEqual(stored);

    // A completion beyond what a form can record (due ≥0.001% against 100%, or an actual of 9999999999%)
    // is a field error on the row, not a database overflow; the draft saves without it.
    for (const [dueTarget, actual] of [["≥0.001%", "100%"], ["", "9999999999%"]] as const) {
      const saved = await aid({ ...(await formState(aidId)), [`ind.${idOf("支出方向符合度")}.dueTarget`]: dueTarget, [`ind.${idOf("支出方向符合度")}.actual`]: actual });
      expect(saved.status, actual).toBe(302);
      const view = (await loadTrackingForm(db, aidId, { periodEnd: null }))!;
      const row = view.indicators.find((candidate) => candidate.name === "支出方向符合度")!;
      expect(row.reading).toMatchObject({ completion: null, met: null });
      const error = render("zh", row.reading.error!);
      expect(error).toMatch(/^完成百分比 \d+\.\d{2}% 超出可记录的范围（绝对值最大 9999999.99%）/);
      expect(view.evaluation.problems.map((problem) => render("zh", problem.message))).toContain(`指标“支出方向符合度”：${error}`);
    }
    const storedRow = await db.selectFrom("tracking_form_indicator").select(["completion", "actual"]).where("indicator_id", "=", idOf("支出方向符合度")).executeTakeFirstOrThrow();
    expect(storedRow).toEqual({ completion: null, actual: "9999999999%" });
  });

  it("wants a reason for every indicator left out of the tracking and at least one tracked", async () => {
    const indicators = await db.selectFrom("performance_indicator").select(["id", "name"]).where("project_id", "=", aidId).execute();
    const untracked = Object.fromEntries(indicators.map((indicator) => [`ind.${indicator.id}.tracked`, "no"]));
    const refused = await post(BAOSHAN_SUBMITTER.username, aidId, { ...(await formState(aidId)), ...answered, ...untracked, intent: "submit" });
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain("主要跟踪指标：至少须有一项指标纳入跟踪");
    for (const indicator of indicators) expect(page).toContain(`指标“${indicator.name}”：不纳入跟踪须说明理由`);
    // The reason input of each untracked row is marked.
    expect(page).toMatch(new RegExp(`name="ind\\.${indicators[0]!.id}\\.untrackedReason"[^>]*class="field-missing"|class="field-missing"[^>]*name="ind\\.${indicators[0]!.id}\\.untrackedReason"`));
    expect((await loadTrackingForm(db, aidId, { periodEnd: null }))!.status).toBe("draft");
  });

  it("keeps the indicator rows in place across saves, so the audit trail shows only real changes", async () => {
    const fields = await indicatorFields(aidId, { 支出方向符合度: { actual: "100%" } });
    expect((await post(BAOSHAN_SUBMITTER.username, aidId, { ...(await formState(aidId)), ...answered, ...fields, intent: "save" })).status).toBe(302);
    const state = await formState(aidId);
    const before = await db.selectFrom("tracking_form_indicator").select(["id"]).where("form_id", "=", Number(state.formId)).orderBy("id").execute();
    const lastAudit = await db.selectFrom("audit_log").select(sql<string>`coalesce(max(id), 0)::text`.as("id")).executeTakeFirstOrThrow();
    const aidIndicator = await db.selectFrom("performance_indicator").select("id").where("project_id", "=", aidId).where("name", "=", "支出方向符合度").executeTakeFirstOrThrow();
    expect((await post(BAOSHAN_SUBMITTER.username, aidId, { ...state, ...answered, ...fields, [`ind.${aidIndicator.id}.measure`]: "按月核对", intent: "save" })).status).toBe(302);
    const after = await db.selectFrom("tracking_form_indicator").select(["id"]).where("form_id", "=", Number(state.formId)).orderBy("id").execute();
    expect(after).toEqual(before);
    const entries = await db
      .selectFrom("audit_log")
      .select(["action", "record_id"])
      .where("table_name", "=", "tracking_form_indicator")
      .where("id", ">", lastAudit.id as never)
      .execute();
    // One row changed (its measure): one update, nothing deleted or re-inserted.
    const changedRow = await db.selectFrom("tracking_form_indicator").select("id").where("indicator_id", "=", aidIndicator.id).executeTakeFirstOrThrow();
    expect(entries).toEqual([{ action: "update", record_id: String(changedRow.id) }]);
  });

  it("still lets a whole project go (plan replacement) with its draft form and rows, but no single reported indicator", async () => {
    const form = await db.selectFrom("tracking_form").select("id").where("project_id", "=", aidId).executeTakeFirstOrThrow();
    const indicator = await db.selectFrom("performance_indicator").select("id").where("project_id", "=", aidId).orderBy("sort_order").executeTakeFirstOrThrow();
    await expect(sql`DELETE FROM performance_indicator WHERE id = ${indicator.id}`.execute(db)).rejects.toMatchObject({ code: "23503" });
    const rolledBack = new Error("rolled back");
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.deleteFrom("project").where("id", "=", aidId).execute();
        const left = await trx.selectFrom("tracking_form_indicator").select("id").where("form_id", "=", form.id).execute();
        expect(left).toEqual([]);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await db.selectFrom("tracking_form").select("id").where("id", "=", form.id).executeTakeFirst()).toEqual(form);
  });

  it("refuses a save that meets someone else's newer change", async () => {
    const state = await formState(maqiaoId);
    expect((await post("maqiao.submitter", maqiaoId, { ...state, ...answered, intent: "save" })).status).toBe(302);
    const stale = await post("maqiao.submitter", maqiaoId, { ...state, ...answered, problems: "晚到的修改", intent: "save" });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("此表已被他人修改");
  });

  it("lets submitters edit only their own unit's forms and managers only review", async () => {
    const huacaoForm = await formState(huacaoId);
    // Another town's submitter, a viewer, a planner, a manager: no editing of 华漕's form.
    for (const user of ["maqiao.submitter", "minhang.viewer", "maqiao.planner", "minhang.manager"]) {
      expect((await post(user, huacaoId, { ...huacaoForm, intent: "save" })).status, user).toBe(403);
    }
    // Submitters do not review, not even their own.
    expect((await post("huacao.submitter", huacaoId, { formId: huacaoForm.formId!, intent: "accept" })).status).toBe(403);
    // Reads outside the unit are not found; the district sees its towns.
    expect((await get("huacao.submitter", `/projects/${maqiaoId}/tracking`)).status).toBe(404);
    expect((await get("minhang.manager", `/projects/${baoshanId}/tracking`)).status).toBe(404);
    expect((await get("minhang.manager", `/projects/${huacaoId}/tracking`)).status).toBe(200);
    expect((await get("minhang.viewer", `/projects/${huacaoId}/tracking/print`)).status).toBe(200);
    // A form id of another project is not reviewed through this one.
    expect((await post("minhang.manager", maqiaoId, { formId: huacaoForm.formId!, intent: "accept" })).status).toBe(404);
    // The list shows only the user's units.
    const huacaoList = await (await get("huacao.submitter", "/tracking")).text();
    expect(huacaoList).toContain(`submission-${huacaoId}`);
    expect(huacaoList).not.toContain(`submission-${mssId}`);
    const managerList = await (await get("minhang.manager", "/tracking?status=submitted")).text();
    expect(managerList).toContain(`submission-${huacaoId}`);
    expect(managerList).not.toContain(`submission-${mssId}`); // accepted, then reopened as a draft
    // 未填报: the projects in scope with no form for 31 August yet.
    const baoshanProjects = await db
      .selectFrom("project as p")
      .innerJoin("org_unit as u", "u.id", "p.unit_id")
      .select(["p.id", sql<boolean>`exists (SELECT 1 FROM tracking_form f WHERE f.project_id = p.id)`.as("filed")])
      .where("u.name", "=", BAOSHAN)
      .execute();
    expect(baoshanProjects.some((project) => !project.filed)).toBe(true);
    const unfiled = await (await get(BAOSHAN_SUBMITTER.username, "/tracking?status=unfiled")).text();
    for (const project of baoshanProjects) {
      if (project.filed) expect(unfiled).not.toContain(`unfiled-${project.id}"`);
      else expect(unfiled).toContain(`unfiled-${project.id}"`);
    }
    expect(unfiled).not.toContain(`unfiled-${huacaoId}"`);
    expect(unfiled).toContain("未填报");
    // The list as filtered, as an Excel file: the same rows, amounts as numbers.
    expect(managerList).toContain('href="/tracking/export.xlsx?status=submitted"');
    const exported = await get("minhang.manager", "/tracking/export.xlsx?status=submitted");
    expect(exported.status).toBe(200);
    const table = await openTable({ bytes: new Uint8Array(await exported.arrayBuffer()), fileName: "list.xlsx" });
    const cells: string[][] = [];
    for await (const row of table.rows) cells.push(row.cells);
    expect(table.headers.slice(0, 3)).toEqual(["预算单位", "预算年度", "项目名称"]);
    expect(cells.map((row) => row[0])).toContain(HUACAO);
    expect(cells.map((row) => row[0])).not.toContain(MSS);
    const unfiledFile = await get(BAOSHAN_SUBMITTER.username, "/tracking/export.xlsx?status=unfiled");
    const unfiledTable = await openTable({ bytes: new Uint8Array(await unfiledFile.arrayBuffer()), fileName: "unfiled.xlsx" });
    let unfiledRows = 0;
    for await (const row of unfiledTable.rows) unfiledRows += row.cells.includes("未填报") ? 1 : 0;
    expect(unfiledRows).toBe(baoshanProjects.filter((project) => !project.filed).length);
  });

  it("lets the administrator maintain the deviation-cause catalogue", async () => {
    cookies.admin = await signIn(server.baseUrl, "admin");
    const admin = (fields: Record<string, string>, user = "admin") =>
      fetch(`${server.baseUrl}/admin`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: server.baseUrl, Cookie: cookies[user]!, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      });
    expect((await admin({ intent: "add-cause", code: "beneficiary-drop", category: "其他", label: "救助对象人数下降" })).status).toBe(200);
    const bad = await admin({ intent: "add-cause", code: "政策", category: "资金", label: "" });
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toContain("代码“政策”应为小写字母、数字和连字符");
    expect(badPage).toContain("类别“资金”不是 经费保障、制度保障、人员保障、硬件条件保障、其他 之一");
    expect((await admin({ intent: "add-cause", code: "policy-change", category: "制度保障", label: "政策变化" })).status).toBe(400);
    // Two administrators adding the same code at once: the second is told, not answered with a 500.
    expect(await withActor(db, { userId: null, username: "admin" }, (trx) => addDeviationCause(trx, { code: "beneficiary-drop", category: "其他", label: "重复" }))).toBe(false);
    expect((await admin({ intent: "add-cause", code: "x-nul", category: "其他", label: "含\u0000" })).status).toBe(400);
    expect((await admin({ intent: "add-cause", code: "x-cause", category: "其他", label: "x" }, "minhang.manager")).status).toBe(403);
    const procurement = await db.selectFrom("deviation_cause").select("id").where("code", "=", "procurement-delay").executeTakeFirstOrThrow();
    expect((await admin({ intent: "update-cause", id: String(procurement.id), category: "硬件条件保障", label: "采购延迟", active: "no" })).status).toBe(200);
    const page = await (await get(MSS_SUBMITTER.username, `/projects/${mssId}/tracking`)).text(); // its open revision 2, execution flagged
    expect(page).toContain(">救助对象人数下降</option>");
    expect(page).not.toContain(">采购延迟</option>");
    const audited = await db.selectFrom("audit_log").select("username").where("table_name", "=", "deviation_cause").where("record_id", "=", String(procurement.id)).execute();
    expect(audited.map((entry) => entry.username)).toEqual(["admin"]);
  });

  it("exports the form as a workbook", async () => {
    const response = await get("minhang.manager", `/projects/${huacaoId}/tracking/export.xlsx`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    const ExcelJS = (await import("exceljs")).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = workbook.getWorksheet("运行监控表")!;
    const values: unknown[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => values.push(cell.value)));
    expect(values).toContain(1109200);
    expect(values).toContain(959622.79);
    // The progress is a number formatted as a percentage, not text.
    let progress: { numFmt: string } | undefined;
    sheet.eachRow((row) => row.eachCell((cell) => {
      if (cell.value === 0.8651) progress = cell;
    }));
    expect(progress?.numFmt).toBe("0.00%");
    expect(values).not.toContain("86.51%");
    expect(values).toContain("三、阶段性跟踪结论：1、运行正常（执行率和目标完成度均在75%以上）。");
    expect(values).toContain("街镇名称：（盖章）");
    expect(values).toContain("未纳入跟踪：年中尚未开展满意度调查");
    expect(values.some((value) => typeof value === "string" && value.startsWith("需要说明的情况："))).toBe(true);
  });

  it("shows the form, its refusals, the list, the print and the workbook in English without Chinese except data", async () => {
    const CHINESE = /[\u3400-\u9fff]/;
    const english = { ...cookies, "maqiao.submitter": `${cookies["maqiao.submitter"]}; lang=en`, "minhang.manager": `${cookies["minhang.manager"]}; lang=en` };
    const data = [
      ...(await db.selectFrom("performance_indicator").select(["name", "target", "level1", "level2"]).where("project_id", "=", maqiaoId).execute()).flatMap((row) => [row.name, row.target, row.level1, row.level2]),
      ...(await db.selectFrom("project as p").innerJoin("org_unit as u", "u.id", "p.unit_id").select(["p.name", "u.name as unitName"]).where("p.id", "=", maqiaoId).execute()).flatMap((row) => [row.name, row.unitName]),
    ].sort((a, b) => b.length - a.length);
    const withoutData = (text: string) => data.reduce((rest, value) => rest.split(value).join(""), text);

    // A refused submission: every problem in English (the indicators' names are data).
    const refused = await fetch(`${server.baseUrl}/projects/${maqiaoId}/tracking`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.baseUrl, Cookie: english["maqiao.submitter"]!, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...(await formState(maqiaoId)), estimatedFullYear: "800000", intent: "submit" }),
    });
    expect(refused.status).toBe(400);
    const page = (await refused.text()).replaceAll("<!-- -->", "");
    const problems = /data-testid="tracking-problems">([\s\S]*?)<\/ul>/.exec(page)?.[1] ?? "";
    expect(problems).toContain("The budget completion likelihood is missing");
    expect(problems).toContain("Estimated full-year execution: the pre-filled value was changed, give the reason");
    expect(withoutData(problems)).not.toMatch(CHINESE);
    expect(page).toContain("Draft saved, but it cannot be submitted yet");
    expect(/data-testid="tracking-status"[^>]*>([^<]*)</.exec(page)?.[1]).toBe("Draft");
    expect(withoutData(/data-testid="stage-conclusion"[^>]*>([^<]*)</.exec(page)?.[1] ?? "")).not.toMatch(CHINESE);
    expect(/data-testid="tracking-warnings">([\s\S]*?)<\/ul>/.exec(page)?.[1]).toContain("Estimated full-year execution rate 50.45% is below 75%");
    // The cause selectors: the shipped catalogue's causes in English (an administrator's own would be data).
    const causeSelect = [...page.matchAll(/<select name="[^"]*[cC]auseCode"[\s\S]*?<\/select>/g)].map((match) => match[0]).join("");
    const ownCauses = (await db.selectFrom("deviation_cause").select(["code", "label"]).execute()).filter((cause) => render("en", causeMessage(cause)) === cause.label);
    expect(causeSelect).toContain("Settlement lag");
    expect(ownCauses.reduce((rest, cause) => rest.split(cause.label).join(""), causeSelect)).not.toMatch(CHINESE);

    // The managers' list: statuses and conclusions in English.
    const list = (await (await fetch(`${server.baseUrl}/tracking?year=2024`, { headers: { Cookie: english["minhang.manager"]! } })).text()).replaceAll("<!-- -->", "");
    const row = new RegExp(`<tr[^>]*data-testid="submission-${maqiaoId}"[\\s\\S]*?</tr>`).exec(list)?.[0] ?? "";
    expect(row).toContain("Draft");
    expect(withoutData(row)).not.toMatch(CHINESE);
    expect(/<select name="status"[\s\S]*?<\/select>/.exec(list)?.[0]).not.toMatch(CHINESE);
    expect(/<select name="conclusion"[\s\S]*?<\/select>/.exec(list)?.[0]).not.toMatch(CHINESE);

    // The print in English keeps its English labels (as the form page), the conclusion in English words.
    const print = (await (await fetch(`${server.baseUrl}/projects/${maqiaoId}/tracking/print`, { headers: { Cookie: english["minhang.manager"]! } })).text()).replaceAll("<!-- -->", "");
    expect(/class="sheet-annex">([^<]*)</.exec(print)?.[1]).toBe("Annex 2-1");
    expect(/data-testid="stage-conclusion"[^>]*>([^<]*)</.exec(print)?.[1]).toMatch(/^\d\. (Normal|Deviation) \(/);
    expect(/data-testid="sheet-period"[^>]*>([^<]*)</.exec(print)?.[1]).toBe("1 Jan 2024 — 31 Aug 2024");
    // The national indicator levels are fixed choices, named in English (产出指标 → Output).
    const levels = [...print.matchAll(/class="level-cell">([^<]*)</g)].map((match) => match[1]!);
    expect(levels).toEqual(expect.arrayContaining(["Output", "Quantity", "Timeliness", "Beneficiary satisfaction"]));
    for (const level of levels) expect(level).not.toMatch(CHINESE);

    // The workbook in English: every label cell, the title and the conclusion.
    const workbook = await fetch(`${server.baseUrl}/projects/${maqiaoId}/tracking/export.xlsx`, { headers: { Cookie: english["minhang.manager"]! } });
    expect(workbook.status).toBe(200);
    expect(decodeURIComponent(workbook.headers.get("content-disposition") ?? "")).toContain("tracking-form-2024-");
    const ExcelJS = (await import("exceljs")).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await workbook.arrayBuffer()) as never);
    const sheet = book.getWorksheet("Tracking form")!;
    const labels: string[] = [];
    const texts: string[] = [];
    sheet.eachRow((sheetRow) =>
      sheetRow.eachCell((cell) => {
        if (typeof cell.value !== "string") return;
        texts.push(cell.value);
        if ((cell.fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb === "FFF2F2F2") labels.push(cell.value);
      }),
    );
    expect(labels.length).toBeGreaterThan(20);
    for (const label of labels) expect(label).not.toMatch(CHINESE);
    expect(texts).toContain("Annex 2-1");
    expect(texts).toEqual(expect.arrayContaining(["Output", "Quantity"]));
    expect(texts.some((text) => /^3\. Stage conclusion: \d\. (Normal|Deviation) \(/.test(text))).toBe(true);
  });
});
