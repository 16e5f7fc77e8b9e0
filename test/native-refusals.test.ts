import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DB } from "../db/pool.ts";
import { freshDatabase } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";
import { projectIdOf } from "./support/database.ts";
import { loadTrackingForm } from "../features/tracking/queries/view.ts";
import { loadSelfEvaluation } from "../features/self-evaluation/service.ts";

/*
 * Refused forms over HTTP against the production build, as a browser without JavaScript posts them: the page
 * that comes back has what was typed in the fields (nothing is lost) and nothing was written. 结算通知书
 * (/notices: a new notice, a correction) and 整改 (/rectification: an item recorded by hand, closing one with
 * evidence), 运行监控表 and 绩效自评表 (a field that cannot be read); the calendar's forms: test/calendar-page.test.ts. The rules: test/notices.test.ts,
 * test/rectification.test.ts. Needs a build (npm run build).
 */

describe("refused forms keep what was typed", () => {
  let server: RunningServer;
  let db: DB;
  let drop: () => Promise<void>;
  let planner = "";
  let manager = "";
  let submitter = "";

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    db = fresh.db;
    drop = fresh.drop;
    server = await startServer(fresh.url);
    planner = await signIn(server.baseUrl, "maqiao.planner");
    manager = await signIn(server.baseUrl, "minhang.manager");
    submitter = await signIn(server.baseUrl, "maqiao.submitter");
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  const post = async (fields: Record<string, string>, path = "/notices?year=2024", cookie = planner) => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    return { status: response.status, html: await response.text() };
  };
  const count = async () => Number((await db.selectFrom("settlement_notice").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

  it("keeps what a refused new notice had typed, at its fields, and enters nothing", async () => {
    const project = await db
      .selectFrom("project as p")
      .innerJoin("org_unit as u", "u.id", "p.unit_id")
      .select("p.id")
      .where("u.name", "like", "%马桥%")
      .where("p.fiscal_year", "=", 2024)
      .orderBy("p.id")
      .executeTakeFirstOrThrow();
    const before = await count();
    const refused = await post({
      intent: "create",
      projectId: String(project.id),
      documentNumber: "测试〔2024〕99号",
      title: "测试通知书-保留",
      issuer: "区医保局",
      amount: "12abc",
      issuedOn: "2024-05-06",
      dueOn: "",
      paymentId: "",
      note: "备注-保留",
    });
    expect(refused.status).toBe(400);
    const form = refused.html.slice(refused.html.indexOf('data-testid="notice-create"'));
    expect(form).toContain('data-field="amount"');
    for (const typed of ['value="测试〔2024〕99号"', 'value="测试通知书-保留"', 'value="区医保局"', 'value="12abc"', 'value="2024-05-06"', "备注-保留</textarea>"]) expect(form).toContain(typed);
    expect(form).toMatch(new RegExp(`<option value="${project.id}" selected="">`));
    expect(await count()).toBe(before);
  });

  it("keeps what a refused correction had typed in that notice's row", async () => {
    const notice = await db
      .selectFrom("settlement_notice as n")
      .innerJoin("project as p", "p.id", "n.project_id")
      .innerJoin("org_unit as u", "u.id", "p.unit_id")
      .select(["n.id", "n.version", "n.project_id", "n.title", "n.amount"])
      .where("u.name", "like", "%马桥%")
      .where("p.fiscal_year", "=", 2024)
      .orderBy("n.id")
      .executeTakeFirstOrThrow();
    const refused = await post({
      intent: "correct",
      noticeId: String(notice.id),
      version: String(notice.version),
      projectId: String(notice.project_id),
      documentNumber: "更正文号",
      title: "更正后的标题-保留",
      issuer: "区医保局",
      amount: "-5",
      issuedOn: "2024-05-06",
      dueOn: "2024-05-20",
      paymentId: "",
      note: "",
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('value="更正后的标题-保留"');
    expect(refused.html).toContain('value="-5"');
    const after = await db.selectFrom("settlement_notice").select(["version", "title", "amount"]).where("id", "=", notice.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ version: notice.version, title: notice.title, amount: notice.amount });
  });

  it("keeps what a refused 整改 item and a refused closing had typed", async () => {
    const items = async () => Number((await db.selectFrom("rectification_item").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const before = await items();
    const project = await db.selectFrom("project").select("id").where("fiscal_year", "=", 2024).orderBy("id").executeTakeFirstOrThrow();
    // No issue: refused at that field; the rest comes back as typed.
    const add = await post({ intent: "add", projectId: String(project.id), indicator: "", measure: "整改措施-保留", origin: "审计发现-保留", dueOn: "2099-06-30" }, "/rectification", manager);
    expect(add.status).toBe(400);
    const addForm = add.html.slice(add.html.indexOf('data-testid="rc-add-form"'));
    expect(addForm).toContain('data-field="indicator"');
    for (const typed of ["整改措施-保留</textarea>", 'value="审计发现-保留"', 'value="2099-06-30"']) expect(addForm).toContain(typed);
    expect(addForm).toMatch(new RegExp(`<option value="${project.id}" selected="">`));
    expect(await items()).toBe(before);
    // Recorded, then closed with evidence dated in the future: refused at the date, the evidence kept.
    const added = await post({ intent: "add", projectId: String(project.id), indicator: "资金拨付不及时", measure: "按月拨付", origin: "审计", dueOn: "2099-06-30" }, "/rectification", manager);
    expect(added.status).toBe(200);
    const open = await db.selectFrom("rectification_item").select(["id", "version"]).where("status", "=", "open").where("indicator", "=", "资金拨付不及时").executeTakeFirstOrThrow();
    const close = await post({ intent: "close", itemId: String(open.id), version: String(open.version), evidence: "整改证明-保留", evidenceOn: "2099-01-01" }, "/rectification", manager);
    expect(close.status).toBe(400);
    const row = close.html.slice(close.html.indexOf(`data-testid="rc-item-${open.id}"`));
    expect(row).toContain('data-field="evidenceOn"');
    expect(row).toContain("整改证明-保留</textarea>");
    expect(row).toContain('value="2099-01-01"');
    // The row's other forms still show the item as stored (only the posted form's fields come back as typed).
    expect(row).toMatch(/<input type="date"[^>]* name="dueOn" value="2099-06-30"/);
    expect(row).toContain('name="indicator" value="资金拨付不及时"');
    expect((await db.selectFrom("rectification_item").select("status").where("id", "=", open.id).executeTakeFirstOrThrow()).status).toBe("open");
  });

  it("keeps what a refused 运行监控表 had typed when a field cannot be read, and saves nothing", async () => {
    const projectId = await projectIdOf(db, "上海市闵行区马桥镇社区事务受理服务中心", 2024);
    const before = (await loadTrackingForm(db, projectId, { periodEnd: null }))!;
    const refused = await post(
      {
        periodEnd: before.periodEnd,
        formId: before.formId === null ? "" : String(before.formId),
        version: before.version === null ? "" : String(before.version),
        adjustmentNeeded: "yes",
        adjustmentDecrease: "-5",
        basicInfo: "项目基本情况-保留",
        problems: "存在问题-保留",
        estimatedFullYear: "1,234,567.89",
        budgetLikelihood: "有可能完成",
        intent: "save",
      },
      `/projects/${projectId}/tracking`,
      submitter,
    );
    expect(refused.status).toBe(400);
    const sheet = refused.html.slice(refused.html.indexOf('class="tracking-form"'));
    expect(sheet).toMatch(/data-testid="adjustmentDecrease.error"[^>]*>调减金额：金额不能为负数/);
    for (const typed of ['value="-5"', "项目基本情况-保留</textarea>", "存在问题-保留</textarea>", 'value="1,234,567.89"']) expect(sheet).toContain(typed);
    expect(sheet).toContain('<input type="radio" name="adjustmentNeeded" checked="" value="yes"/>');
    expect(sheet).toContain('<input type="radio" name="budgetLikelihood" checked="" value="有可能完成"/>');
    const after = (await loadTrackingForm(db, projectId, { periodEnd: null }))!;
    expect([after.formId, after.version, after.fields.basicInfo]).toEqual([before.formId, before.version, before.fields.basicInfo]);

    // Saved, then changed by someone else: a post from the older page is a conflict even with a field that cannot be
    // read, and the page shows what is stored now, not the older input over it.
    const state = { periodEnd: before.periodEnd, formId: "", version: "", adjustmentNeeded: "no", basicInfo: "已保存的基本情况" };
    expect((await post({ ...state, intent: "save" }, `/projects/${projectId}/tracking`, submitter)).status).toBe(302);
    const saved = (await loadTrackingForm(db, projectId, { periodEnd: null }))!;
    const ids = { formId: String(saved.formId), version: String(saved.version) };
    expect((await post({ ...state, ...ids, basicInfo: "他人修改的基本情况", intent: "save" }, `/projects/${projectId}/tracking`, submitter)).status).toBe(302);
    const stale = await post({ ...state, ...ids, basicInfo: "旧页面的输入", adjustmentDecrease: "-5", intent: "save" }, `/projects/${projectId}/tracking`, submitter);
    expect(stale.status).toBe(409);
    expect(stale.html).toContain("他人修改的基本情况</textarea>");
    expect(stale.html).not.toContain("旧页面的输入");
  });

  it("keeps what a refused 绩效自评表 had typed, with the reason at the field, and saves nothing", async () => {
    const projectId = await projectIdOf(db, "上海市闵行区马桥镇社区事务受理服务中心", 2024);
    const before = (await loadSelfEvaluation(db, projectId))!;
    const row = before.rows[0]!;
    const refused = await post(
      {
        evaluationId: before.evaluationId === null ? "" : String(before.evaluationId),
        version: before.version === null ? "" : String(before.version),
        actualSummary: "年度目标完成情况-保留",
        [`ind.${row.key}.score`]: "8.5x",
        [`ind.${row.key}.scoreReason`]: "评分理由-保留",
        intent: "save",
      },
      `/projects/${projectId}/self-evaluation`,
      submitter,
    );
    expect(refused.status).toBe(400);
    const sheet = refused.html.slice(refused.html.indexOf('data-testid="self-evaluation-sheet"'));
    expect(sheet).toContain(`data-testid="ind.${row.key}.score.error"`);
    expect(sheet).toContain(`得分“8.5x”不是不带负号、最多两位小数的数字`);
    for (const typed of ["年度目标完成情况-保留</textarea>", 'value="8.5x"', "评分理由-保留</textarea>"]) expect(sheet).toContain(typed);
    const after = (await loadSelfEvaluation(db, projectId))!;
    expect([after.version, after.actualSummary, after.rows[0]!.score]).toEqual([before.version, before.actualSummary, row.score]);

    // A reason only the server gives (the live rules do not read control characters) is named at its field too.
    const storedIds = async () => {
      const stored = (await loadSelfEvaluation(db, projectId))!;
      return { evaluationId: stored.evaluationId === null ? "" : String(stored.evaluationId), version: stored.version === null ? "" : String(stored.version) };
    };
    const ids = await storedIds();
    const control = await post({ ...ids, [`ind.${row.key}.scoreReason`]: "理由\u0007", intent: "save" }, `/projects/${projectId}/self-evaluation`, submitter);
    expect(control.status).toBe(400);
    expect(control.html).toMatch(new RegExp(`data-testid="ind\\.${row.key}\\.scoreReason\\.error"[^>]*><div>[^<]*控制字符`));
    // From an older page (the sheet saved meanwhile): a conflict, and the stored sheet, not the older input.
    // Saved twice (the second time by someone else), then posted from the first page.
    expect((await post({ ...ids, actualSummary: "第一次保存", intent: "save" }, `/projects/${projectId}/self-evaluation`, submitter)).status).toBe(302);
    const first = await storedIds();
    expect((await post({ ...first, actualSummary: "他人修改", intent: "save" }, `/projects/${projectId}/self-evaluation`, submitter)).status).toBe(302);
    const stale = await post({ ...first, actualSummary: "旧页面的输入", [`ind.${row.key}.score`]: "8.5x", intent: "save" }, `/projects/${projectId}/self-evaluation`, submitter);
    expect(stale.status).toBe(409);
    expect(stale.html).toContain("他人修改</textarea>");
    expect(stale.html).not.toContain("旧页面的输入");
  });
});
