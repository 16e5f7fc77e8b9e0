import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DB } from "../db/pool.ts";
import { withActor } from "../db/audit.ts";
import { getProjectHeader } from "../db/projects.ts";
import { unitSubtreeIds } from "../db/units.ts";
import { isTargetParseError, parseTarget } from "../domain/targets.ts";
import type { Role } from "../domain/permissions.ts";
import { render } from "../messages/index.ts";
import { seedDemoData } from "../db/seed.ts";
import { acceptSelfEvaluation, loadSelfEvaluation, submitSelfEvaluation, type SelfEvaluationActor, type SelfEvaluationEntry } from "../features/self-evaluation/service.ts";
import { acceptTrackingForm, openTrackingRevision } from "../features/tracking/service.ts";
import { moveTrackingForm } from "../features/tracking/queries/forms.ts";
import {
  addRectificationItem,
  closeRectificationItem,
  withdrawRectificationItem,
  correctRectificationItem,
  overdueRectification,
  raiseRectificationItems,
  rectificationPage,
  reopenRectificationItem,
  setRectificationDueDate,
  type RectificationActor,
} from "../features/rectification/service.ts";
import { closeErrors, defaultDueDate, dueDateError, itemState, MIN_DAYS_TO_DUE, raisedDueDate } from "../features/rectification/rules/index.ts";
import { adoptPlan, planPage } from "../features/plan/service.ts";
import { loadPlan } from "../features/plan/queries/plan.ts";
import { planPerformance } from "../features/plan/queries/performance.ts";
import { NEEDS_BASIS } from "../features/plan/rules/derived-lines.ts";
import { freshDatabase, projectIdOf } from "./support/database.ts";

/*
 * Rectification items (整改台账, issue 14) on a real PostgreSQL with the demo's filed forms: raised when a
 * tracking form marked 是否整改 = 是 or a self-evaluation with an indicator below its weight is accepted
 * (once per row), closed with evidence by the unit's submitters or managers above (refused otherwise),
 * overdue computed, and answered when next year's plan is adopted.
 */

const HUACAO = "上海市闵行区华漕镇社区事务受理中心";
const MSS = "上海市闵行区医疗保障局";

describe("rectification items", () => {
  let db: DB;
  let drop: () => Promise<void>;
  const actors = new Map<string, RectificationActor & { userId: number; unitSubtree: number[] }>();
  let huacaoProject = 0;
  let huacaoUnit = 0;
  let trackingItem = 0;

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"));
    db = fresh.db;
    drop = fresh.drop;
    await seedDemoData(db, { trackingForms: true });
    for (const user of await db.selectFrom("app_user").select(["id", "username", "roles", "unit_id"]).execute()) {
      actors.set(user.username, { userId: user.id, username: user.username, roles: user.roles as Role[], unitSubtree: await unitSubtreeIds(db, user.unit_id!) });
    }
    huacaoProject = await projectIdOf(db, HUACAO);
    huacaoUnit = (await db.selectFrom("project").select("unit_id").where("id", "=", huacaoProject).executeTakeFirstOrThrow()).unit_id;
  }, 180_000);

  afterAll(async () => {
    await drop?.();
  });

  const actor = (name: string) => actors.get(name)!;

  it("raises the demo's items from the accepted self-evaluations of 闵行区医疗保障局 (none from 华漕's tracking form: no row marked 是否整改 = 是)", async () => {
    const items = await db
      .selectFrom("rectification_item as i")
      .innerJoin("project as p", "p.id", "i.project_id")
      .innerJoin("org_unit as u", "u.id", "i.unit_id")
      .select(["p.name as project", "i.indicator", "i.source", "u.name as unit", "i.status", "i.due_on"])
      .orderBy("i.id")
      .execute();
    // 16 items from 10 of the 11 sheets (党建工作经费 scored every indicator in full).
    expect(items).toHaveLength(16);
    expect(new Set(items.map((item) => item.project)).size).toBe(10);
    expect(new Set(items.map((item) => `${item.source} ${item.unit} ${item.due_on}`))).toEqual(new Set([`self-evaluation ${MSS} 2025-06-30`]));
    // The demo closes those of seven sheets with evidence (db/demo/self-evaluations.json: rectified); 长护险, 互助帮困 and 医保监督管理 stay open.
    expect(items.filter((item) => item.status === "open").map((item) => item.project).sort()).toEqual(
      ["医保监督管理", "市民社区医疗互助帮困经费", "市民社区医疗互助帮困经费", "市民社区医疗互助帮困经费", "长护险护理试点工作经费", "长护险护理试点工作经费"].sort(),
    );
    expect(items.map((item) => [item.project, item.indicator])).toContainEqual(["长护险护理试点工作经费", "培训覆盖人次"]);
    const audit = await db.selectFrom("audit_log").select("username").distinct().where("table_name", "=", "rectification_item").execute();
    expect(audit.map((row) => row.username).sort()).toEqual(["minhang.manager", "minhang.mss.submitter"]);
  });

  it("raises an item when a tracking form with 是否整改 = 是 is accepted, once per row (idempotent, not again by a later revision)", async () => {
    const project = (await getProjectHeader(db, huacaoProject))!;
    const submitter = actor("huacao.submitter");
    const manager = actor("minhang.manager");
    const accepted = await db.selectFrom("tracking_form").select("id").where("project_id", "=", huacaoProject).executeTakeFirstOrThrow();
    expect((await openTrackingRevision(db, submitter, { project, formId: accepted.id })).kind).toBe("done");
    const draft = await db.selectFrom("tracking_form").select(["id", "revision"]).where("project_id", "=", huacaoProject).where("status", "=", "draft").executeTakeFirstOrThrow();
    await withActor(db, submitter, async (trx) => {
      await trx
        .updateTable("tracking_form_indicator")
        .set({ rectify: true, measure: "按月核对结算数据", rectify_advice: "建立结算差错台账" })
        .where("form_id", "=", draft.id)
        .where("name", "=", "资金结算准确率")
        .execute();
      expect(await moveTrackingForm(trx, draft.id, "draft", "submitted", submitter, null)).toBe(true);
    });
    // Accepted on 15 November 2024: due by the rule, 31 December.
    expect((await acceptTrackingForm(db, manager, { project, formId: draft.id, comment: "", today: "2024-11-15" })).kind).toBe("done");
    const items = await db.selectFrom("rectification_item").selectAll().where("tracking_form_id", "=", draft.id).execute();
    expect(items.map((item) => [item.source, item.indicator, item.measure, item.unit_id, item.due_on, item.status])).toEqual([
      ["tracking", "资金结算准确率", "按月核对结算数据\n建立结算差错台账", huacaoUnit, "2024-12-31", "open"],
    ]);
    trackingItem = items[0]!.id;
    // Raising again adds nothing; neither does a later revision of the same period accepted with the same row.
    expect(await withActor(db, manager, (trx) => raiseRectificationItems(trx, "tracking", draft.id))).toBe(0);
    expect((await openTrackingRevision(db, submitter, { project, formId: draft.id })).kind).toBe("done");
    const third = await db.selectFrom("tracking_form").select("id").where("project_id", "=", huacaoProject).where("status", "=", "draft").executeTakeFirstOrThrow();
    await withActor(db, submitter, (trx) => moveTrackingForm(trx, third.id, "draft", "submitted", submitter, null));
    expect((await acceptTrackingForm(db, manager, { project, formId: third.id, comment: "" })).kind).toBe("done");
    expect(await db.selectFrom("rectification_item").select("id").where("project_id", "=", huacaoProject).execute()).toHaveLength(1);
  });

  it("raises an item when a self-evaluation with an indicator below its weight is accepted, with its 改进措施; a return raises none", async () => {
    // The city's 2023 transfer declaration: 19 indicators weighing 90 (as in test/self-evaluation.test.ts).
    const project = (await getProjectHeader(db, await projectIdOf(db, "上海市医疗保障局", 2023)))!;
    const submitter: SelfEvaluationActor = { userId: null, username: "test.submitter", roles: ["submitter"], unitSubtree: null };
    const city: SelfEvaluationActor = { userId: null, username: "test.manager", roles: ["manager"], unitSubtree: null };
    const blank = (await loadSelfEvaluation(db, project.id))!;
    const entries: Record<string, Partial<SelfEvaluationEntry>> = {};
    for (const row of blank.rows) {
      const target = parseTarget(row.annualTarget);
      if (isTargetParseError(target)) throw new Error(row.annualTarget);
      entries[row.key] = target.kind === "qualitative" ? { judgement: "达成" } : { actual: `${target.value}${target.unit === "" ? "" : `(${target.unit})`}` };
    }
    const short = blank.rows.find((row) => row.actual === null && !row.reading.qualitative)!;
    entries[short.key] = { ...entries[short.key], score: "3.00", scoreReason: "部分区县统计口径不一", deviationAnalysis: "统一统计口径，按季度核对" };
    expect((await submitSelfEvaluation(db, submitter, { project, evaluationId: null, version: null, content: { actualSummary: "已下达", indicators: entries } })).kind).toBe("done");
    const sheet = (await loadSelfEvaluation(db, project.id))!;
    expect((await acceptSelfEvaluation(db, city, { project, evaluationId: sheet.evaluationId, comment: "", today: "2024-03-01" })).kind).toBe("done");
    const items = await db.selectFrom("rectification_item").selectAll().where("self_evaluation_id", "=", sheet.evaluationId).execute();
    expect(items.map((item) => [item.indicator, item.measure, item.due_on, item.project_id])).toEqual([[short.name, "统一统计口径，按季度核对", "2024-06-30", project.id]]);
    const audit = await db.selectFrom("audit_log").select("username").where("table_name", "=", "rectification_item").where("record_id", "=", String(items[0]!.id)).execute();
    expect(audit.map((row) => row.username)).toEqual(["test.manager"]);
    expect(await withActor(db, city, (trx) => raiseRectificationItems(trx, "self-evaluation", sheet.evaluationId!))).toBe(0);
  });

  it("never raises an item already due: accepted late, it is due 30 days after (not 522 days overdue at once)", async () => {
    expect(raisedDueDate("2025-06-30", "2025-03-10")).toBe("2025-06-30");
    expect(raisedDueDate("2025-06-30", "2025-06-10")).toBe("2025-07-10");
    expect(raisedDueDate("2025-06-30", "2026-12-04")).toBe("2027-01-03");
    expect(raisedDueDate("2024-12-31", "2024-12-01")).toBe("2024-12-31");
    expect(MIN_DAYS_TO_DUE).toBe(30);
    // Dates before the evaluated year began are refused at the field: a due date, and a closing's 完成日期.
    expect(render("zh", dueDateError("2020-01-01", 2024)!)).toBe("整改期限 2020-01-01 早于 2024 年，整改针对的是 2024 年的评价");
    expect(dueDateError("2024-01-01", 2024)).toBeNull();
    expect(render("en", closeErrors({ evidence: "已核对", evidenceOn: "2023-01-01" }, "2025-01-10", 2024).evidenceOn!)).toBe(
      "The date 2023-01-01 is before 2024 began: the measure answers the 2024 evaluation",
    );
    expect(closeErrors({ evidence: "已核对", evidenceOn: "2024-01-01" }, "2025-01-10", 2024)).toEqual({});
  });

  it("computes the default due date and the overdue state, never stored", async () => {
    expect(defaultDueDate("self-evaluation", 2024, undefined)).toBe("2025-06-30");
    expect(defaultDueDate("tracking", 2024, "+0-12-31")).toBe("2024-12-31");
    expect(defaultDueDate("self-evaluation", 2023, "+1-02-29")).toBe("2024-02-29");
    expect(defaultDueDate("self-evaluation", 2024, "+1-02-29")).toBe("2025-02-28");
    expect(defaultDueDate("tracking", 2024, "nonsense")).toBe("2024-12-31");
    expect(itemState("open", "2024-12-31", "2025-01-10")).toEqual({ state: "overdue", daysOverdue: 10 });
    expect(itemState("open", "2024-12-31", "2024-12-31")).toEqual({ state: "open", daysOverdue: 0 });
    const manager = actor("minhang.manager");
    const page = await rectificationPage(db, manager, { unitIds: manager.unitSubtree, state: "overdue", today: "2025-01-10" });
    expect(page.items.map((item) => [item.id, item.state, item.daysOverdue, item.canClose, item.canReopen])).toEqual([[trackingItem, "overdue", 10, true, false]]);
    expect((await rectificationPage(db, manager, { unitIds: manager.unitSubtree, state: "open", source: "self-evaluation", today: "2025-01-10" })).items.length).toBeGreaterThan(0);
    const overdue = await overdueRectification(db, { unitSubtree: actor("maqiao.submitter").unitSubtree, asOf: "2025-01-10" });
    expect(overdue).toEqual([]);
    expect((await overdueRectification(db, { unitSubtree: manager.unitSubtree, asOf: "2025-07-10" })).map((item) => item.daysOverdue).slice(0, 1)).toEqual([191]);
    // Other units' items are not listed, whatever the filter asks.
    const maqiao = await rectificationPage(db, actor("maqiao.submitter"), { unitIds: manager.unitSubtree, today: "2025-01-10" });
    expect(maqiao.items).toEqual([]);
  });

  it("shows last year's self-evaluation, its shortfalls and the open items on the plan, and adopts only with a response to each, kept and audited", async () => {
    const mss = (await db.selectFrom("org_unit").select("id").where("name", "=", MSS).executeTakeFirstOrThrow()).id;
    const planner = { userId: null, username: "test.planner", roles: ["planner"] as Role[], unitSubtree: [mss] };
    const page = await planPage(db, { unitId: mss, unitSubtree: [mss], roles: ["planner"] }, { year: 2025, unitId: mss });
    expect(page.performance).toHaveLength(11);
    const ltc = page.performance.find((p) => p.evaluation?.shortfalls.some((s) => s.name === "培训覆盖人次"))!;
    expect(ltc.evaluation).toMatchObject({ grade: "优", total: "98.99", status: "accepted" });
    expect(ltc.evaluation!.shortfalls).toContainEqual({ name: "培训覆盖人次", score: "9.50", weight: "10.00" });
    expect(ltc.openItems.map((item) => item.indicator)).toEqual(["培训覆盖人次", "长效管理制度建立情况"]);
    const open = [...new Map(page.performance.flatMap((p) => p.openItems).map((item) => [item.itemId, item])).values()];
    expect(open).toHaveLength(6);
    // Each open item says how late it is, as 整改台账 counts it (the self-evaluation's items are due 2025-06-30).
    const dated = await planPerformance(db, 2025, [ltc.projectId], "2025-07-10");
    expect(dated[0]!.openItems.map((item) => [item.dueOn, item.daysOverdue])).toEqual([
      ["2025-06-30", 10],
      ["2025-06-30", 10],
    ]);
    expect((await planPerformance(db, 2025, [ltc.projectId], "2025-06-30"))[0]!.openItems.map((item) => item.daysOverdue)).toEqual([0, 0]);

    const plan = await loadPlan(db, 2025, mss);
    const bases = new Map(plan.lines.filter((l) => l.attention.some((a) => NEEDS_BASIS.has(a.code))).map((l) => [l.key, "按2024年实际测算"]));
    const input = { year: 2025, unitId: mss, replace: false, stamp: plan.stamp, bases };
    const all = new Map(open.map((item) => [item.itemId, `2025年预算中落实：${item.measure.slice(0, 20)}`]));
    const lacking = open.find((item) => item.indicator === "培训覆盖人次")!;
    const missing = await adoptPlan(db, planner, { ...input, responses: new Map([...all, [lacking.itemId, "  "]]) });
    expect(missing.outcome).toBe("invalid");
    if (missing.outcome !== "invalid") return;
    expect(render("zh", missing.problem)).toBe("尚有整改事项未完成，请逐项填写应对说明：「长护险护理试点工作经费」培训覆盖人次。未作任何修改");
    expect(Object.entries(missing.errors ?? {}).map(([field, message]) => [field, render("en", message)])).toEqual([
      [`response:${lacking.itemId}`, "“长护险护理试点工作经费” 培训覆盖人次: write a response"],
    ]);
    expect(await db.selectFrom("project").select("id").where("fiscal_year", "=", 2025).where("unit_id", "=", mss).execute()).toEqual([]);
    expect(await db.selectFrom("rectification_response").select("id").execute()).toEqual([]);

    const adopted = await adoptPlan(db, planner, { ...input, responses: all });
    expect(adopted.outcome).toBe("adopted");
    const responses = await db.selectFrom("rectification_response").select(["item_id", "plan_year", "response", "username"]).execute();
    expect(responses).toHaveLength(6);
    expect(responses.find((r) => r.item_id === lacking.itemId)).toEqual({ item_id: lacking.itemId, plan_year: 2025, response: all.get(lacking.itemId), username: "test.planner" });
    const audit = await db.selectFrom("audit_log").select(["username", "project_id"]).where("table_name", "=", "rectification_response").where("record_id", "=", String((await db.selectFrom("rectification_response").select("id").where("item_id", "=", lacking.itemId).executeTakeFirstOrThrow()).id)).execute();
    expect(audit).toEqual([{ username: "test.planner", project_id: lacking.projectId }]);
    // The page shows the responses given for the planned year.
    const after = await planPage(db, { unitId: mss, unitSubtree: [mss], roles: ["planner"] }, { year: 2025, unitId: mss });
    expect(after.performance.flatMap((p) => p.openItems).find((item) => item.itemId === lacking.itemId)?.response).toBe(all.get(lacking.itemId));
  }, 180_000);

  it("closes an item with evidence (required, dated not after today), by the unit's submitters or managers above, refusing others", async () => {
    const base = { itemId: trackingItem, today: "2025-01-10" };
    const version = async () => (await db.selectFrom("rectification_item").select("version").where("id", "=", trackingItem).executeTakeFirstOrThrow()).version;
    const v = await version();
    const noEvidence = await closeRectificationItem(db, actor("huacao.submitter"), { ...base, version: v, evidence: "  ", evidenceOn: "2025-01-05" });
    expect(noEvidence.kind === "refused" && [noEvidence.status, Object.keys(noEvidence.errors), render("zh", noEvidence.errors.evidence!)]).toEqual([400, ["evidence"], "请填写整改结果说明"]);
    const future = await closeRectificationItem(db, actor("huacao.submitter"), { ...base, version: v, evidence: "已建立差错台账", evidenceOn: "2025-01-11" });
    expect(future.kind === "refused" && [future.status, render("zh", future.errors.evidenceOn!)]).toEqual([400, "完成日期 2025-01-11 晚于今天（2025-01-10），不能登记"]);
    const invalid = await closeRectificationItem(db, actor("huacao.submitter"), { ...base, version: v, evidence: "已建立差错台账", evidenceOn: "2025-02-30" });
    expect(invalid.kind === "refused" && invalid.errors.evidenceOn !== undefined).toBe(true);
    const otherUnit = await closeRectificationItem(db, actor("maqiao.submitter"), { ...base, version: v, evidence: "已建立", evidenceOn: "2025-01-05" });
    expect(otherUnit.kind === "refused" && [otherUnit.status, render("zh", otherUnit.message)]).toEqual([403, "此整改事项不属于您的单位"]);
    for (const name of ["maqiao.planner", "minhang.viewer", "admin"]) {
      const wrongRole = await closeRectificationItem(db, actor(name), { ...base, version: v, evidence: "已建立", evidenceOn: "2025-01-05" });
      expect(wrongRole.kind === "refused" && wrongRole.status, name).toBe(403);
    }
    const unknown = await closeRectificationItem(db, actor("huacao.submitter"), { ...base, itemId: 999999, version: v, evidence: "已建立", evidenceOn: "2025-01-05" });
    expect(unknown.kind === "refused" && unknown.status).toBe(404);
    const stale = await closeRectificationItem(db, actor("huacao.submitter"), { ...base, version: v + 1, evidence: "已建立差错台账", evidenceOn: "2025-01-05" });
    expect(stale.kind === "refused" && stale.status).toBe(409);
    expect(await version()).toBe(v);

    // A new due date by the unit's submitter (version-checked), then closing.
    const due = await setRectificationDueDate(db, actor("huacao.submitter"), { itemId: trackingItem, version: v, dueOn: "2025-03-31" });
    expect(due.kind).toBe("done");
    expect((await setRectificationDueDate(db, actor("huacao.submitter"), { itemId: trackingItem, version: v, dueOn: "2025-04-30" })).kind).toBe("refused");
    const closed = await closeRectificationItem(db, actor("huacao.submitter"), { ...base, version: v + 1, evidence: "已建立结算差错台账，按月核对", evidenceOn: "2025-01-05" });
    expect(closed.kind).toBe("done");
    const stored = await db.selectFrom("rectification_item").selectAll().where("id", "=", trackingItem).executeTakeFirstOrThrow();
    expect([stored.status, stored.evidence, stored.evidence_on, stored.closed_by, stored.due_on]).toEqual(["done", "已建立结算差错台账，按月核对", "2025-01-05", "huacao.submitter", "2025-03-31"]);
    const manager = actor("minhang.manager");
    const page = await rectificationPage(db, manager, { unitIds: manager.unitSubtree, state: "done", source: "tracking", today: "2025-01-10" });
    expect(page.items.map((item) => [item.id, item.state, item.canClose, item.canReopen])).toEqual([[trackingItem, "done", false, true]]);

    // Reopening is the managers': a submitter is refused; the manager reopens, the evidence stays in the audit trail.
    const why = "佐证材料只有台账截图，请补充1–12月的核对记录";
    expect((await reopenRectificationItem(db, actor("huacao.submitter"), { itemId: trackingItem, version: stored.version, reason: why })).kind === "refused").toBe(true);
    // The manager must say why: refused at the field without a reason (blank counts as none), and nothing changes.
    const unexplained = await reopenRectificationItem(db, manager, { itemId: trackingItem, version: stored.version, reason: "  " });
    expect(unexplained.kind === "refused" && [unexplained.status, render("zh", unexplained.errors.reason!)]).toEqual([400, "请说明重新打开的理由"]);
    expect((await db.selectFrom("rectification_item").select("status").where("id", "=", trackingItem).executeTakeFirstOrThrow()).status).toBe("done");
    expect((await reopenRectificationItem(db, manager, { itemId: trackingItem, version: stored.version, reason: `  ${why} ` })).kind).toBe("done");
    // The reason, who and when stay on the open item for its unit to read.
    const reopened = await rectificationPage(db, actor("huacao.submitter"), { unitIds: actor("huacao.submitter").unitSubtree, state: "open", source: "tracking", today: "2025-01-10" });
    expect(reopened.items.find((item) => item.id === trackingItem)).toMatchObject({ status: "open", reopenReason: why, reopenedBy: "minhang.manager", evidence: null });
    expect(reopened.items.find((item) => item.id === trackingItem)!.reopenedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const trail = await db.selectFrom("audit_log").select(["username", "action"]).where("table_name", "=", "rectification_item").where("record_id", "=", String(trackingItem)).orderBy("id").execute();
    expect(trail.map((row) => `${row.action} ${row.username}`)).toEqual(["insert minhang.manager", "update huacao.submitter", "update huacao.submitter", "update minhang.manager"]);
    // The database refuses a done item without evidence.
    await expect(db.updateTable("rectification_item").set({ status: "done" }).where("id", "=", trackingItem).execute()).rejects.toThrow(/check/);
  });

  it("records an item found by an audit by hand (managers only, each field required, the project within their units), numbered per project and shown with its origin on the list and the plan", async () => {
    const manager = actor("minhang.manager");
    const today = "2025-02-01";
    const entry = { projectId: huacaoProject, indicator: "项目资金拨付不及时", measure: "建立资金拨付台账，按月对账", origin: "区审计局2024年度审计报告第三条", dueOn: "2025-06-30", today };
    for (const name of ["huacao.submitter", "maqiao.planner", "minhang.viewer", "admin"]) {
      const refused = await addRectificationItem(db, actor(name), entry);
      expect(refused.kind === "refused" && refused.status, name).toBe(403);
    }
    const blank = await addRectificationItem(db, manager, { projectId: null, indicator: " ", measure: "", origin: "", dueOn: "", today });
    expect(blank.kind === "refused" && [blank.status, Object.fromEntries(Object.entries(blank.errors).map(([field, message]) => [field, render("zh", message!)]))]).toEqual([
      400,
      { projectId: "请选择项目", indicator: "请填写整改事项", measure: "请填写整改要求", origin: "请填写来源说明，如审计报告名称及条目", dueOn: "请填写整改期限" },
    ]);
    const past = await addRectificationItem(db, manager, { ...entry, dueOn: "2025-01-31" });
    expect(past.kind === "refused" && render("zh", past.errors.dueOn!)).toBe("整改期限 2025-01-31 早于今天（2025-02-01）");
    const long = await addRectificationItem(db, manager, { ...entry, indicator: "问".repeat(201) });
    expect(long.kind === "refused" && Object.keys(long.errors)).toEqual(["indicator"]);
    // A project out of the manager's reach and one that does not exist are refused alike.
    const maqiaoProject = await projectIdOf(db, MSS);
    const huacaoManager = { ...manager, unitSubtree: [huacaoUnit] };
    const outside = await addRectificationItem(db, huacaoManager, { ...entry, projectId: maqiaoProject });
    const missing = await addRectificationItem(db, manager, { ...entry, projectId: 999999 });
    expect([outside, missing].map((o) => o.kind === "refused" && [o.status, render("zh", o.errors.projectId!)])).toEqual([
      [400, "该项目不存在或不在您的单位范围内"],
      [400, "该项目不存在或不在您的单位范围内"],
    ]);
    expect(await db.selectFrom("rectification_item").select("id").where("source", "=", "manual").execute()).toEqual([]);

    const first = await addRectificationItem(db, manager, { ...entry, indicator: ` ${entry.indicator} ` });
    const second = await addRectificationItem(db, manager, { ...entry, indicator: "政府采购程序不规范", measure: "补办采购手续", origin: "区财政局财会监督检查" });
    expect([first.kind, second.kind]).toEqual(["done", "done"]);
    const ids = [first, second].map((o) => (o.kind === "done" ? o.itemId! : 0));
    const rows = await db.selectFrom("rectification_item").selectAll().where("id", "in", ids).orderBy("id").execute();
    expect(rows.map((r) => [r.source, r.source_row, r.indicator, r.origin, r.unit_id, r.due_on, r.status, r.self_evaluation_id, r.tracking_form_id])).toEqual([
      ["manual", 1, "项目资金拨付不及时", "区审计局2024年度审计报告第三条", huacaoUnit, "2025-06-30", "open", null, null],
      ["manual", 2, "政府采购程序不规范", "区财政局财会监督检查", huacaoUnit, "2025-06-30", "open", null, null],
    ]);
    const trail = await db.selectFrom("audit_log").select(["username", "action"]).where("table_name", "=", "rectification_item").where("record_id", "in", ids.map(String)).execute();
    expect(trail.map((row) => `${row.action} ${row.username}`)).toEqual(["insert minhang.manager", "insert minhang.manager"]);
    // The unit sees it under 其他来源, may close it like any other item; the manager's page offers the project.
    const submitter = actor("huacao.submitter");
    const listed = await rectificationPage(db, submitter, { unitIds: submitter.unitSubtree, source: "manual", today });
    expect(listed.items.map((item) => [item.id, item.origin, item.sourceId, item.canClose, item.canReopen])).toEqual([
      [ids[0], "区审计局2024年度审计报告第三条", null, true, false],
      [ids[1], "区财政局财会监督检查", null, true, false],
    ]);
    expect(listed.projects).toEqual([]);
    expect((await rectificationPage(db, manager, { unitIds: manager.unitSubtree, today })).projects.map((p) => p.id)).toContain(huacaoProject);
    // The next year's plan shows it among the project's open items, with its origin.
    const [performance] = await planPerformance(db, 2026, [huacaoProject], today);
    expect(performance!.openItems.filter((item) => item.source === "manual").map((item) => [item.itemId, item.origin])).toEqual([
      [ids[0], "区审计局2024年度审计报告第三条"],
      [ids[1], "区财政局财会监督检查"],
    ]);
    // Recorded with a slip: the manager corrects its texts (not the unit; not an item raised from a form), each
    // refused at its field; the trail keeps what it said.
    const versionOf = async (id: number) => (await db.selectFrom("rectification_item").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;
    const typo = { itemId: ids[1]!, version: await versionOf(ids[1]!), indicator: "政府采购程序不规范", measure: "补办采购手续，规范采购流程", origin: "区财政局2024年财会监督检查" };
    const correctBySubmitter = await correctRectificationItem(db, submitter, typo);
    expect(correctBySubmitter.kind === "refused" && correctBySubmitter.status).toBe(403);
    const emptied = await correctRectificationItem(db, manager, { ...typo, indicator: "", origin: " " });
    expect(emptied.kind === "refused" && [emptied.status, Object.fromEntries(Object.entries(emptied.errors).map(([field, message]) => [field, render("zh", message!)]))]).toEqual([
      400,
      { indicator: "请填写整改事项", origin: "请填写来源说明，如审计报告名称及条目" },
    ]);
    const formItemToCorrect = await db.selectFrom("rectification_item").select(["id", "version"]).where("source", "<>", "manual").where("status", "=", "open").where("unit_id", "in", manager.unitSubtree).executeTakeFirstOrThrow();
    const notManualCorrect = await correctRectificationItem(db, manager, { ...typo, itemId: formItemToCorrect.id, version: formItemToCorrect.version });
    expect(notManualCorrect.kind === "refused" && [notManualCorrect.status, render("zh", notManualCorrect.message)]).toEqual([409, "只有手工登记的整改事项可以更正"]);
    const stale = await correctRectificationItem(db, manager, { ...typo, version: typo.version + 1 });
    expect(stale.kind === "refused" && [stale.status, stale.message.code]).toEqual([409, "rcChangedMeanwhile"]);
    const corrected = await correctRectificationItem(db, manager, { ...typo, measure: ` ${typo.measure} ` });
    expect(corrected.kind === "done" && render("zh", corrected.message)).toBe("已更正整改事项“政府采购程序不规范”");
    const correctedRow = await db.selectFrom("rectification_item").select(["indicator", "measure", "origin", "status"]).where("id", "=", ids[1]!).executeTakeFirstOrThrow();
    expect(correctedRow).toEqual({ indicator: "政府采购程序不规范", measure: "补办采购手续，规范采购流程", origin: "区财政局2024年财会监督检查", status: "open" });
    const correctionTrail = await db.selectFrom("audit_log").select(["username", "action"]).where("table_name", "=", "rectification_item").where("record_id", "=", String(ids[1])).orderBy("id").execute();
    expect(correctionTrail.map((row) => `${row.action} ${row.username}`)).toEqual(["insert minhang.manager", "update minhang.manager"]);
    // Recorded by mistake: the manager withdraws it (not the unit; not an item raised from a form); the trail keeps it.
    const version = await versionOf(ids[1]!);
    const bySubmitter = await withdrawRectificationItem(db, submitter, { itemId: ids[1]!, version });
    expect(bySubmitter.kind === "refused" && bySubmitter.status).toBe(403);
    const formItem = await db.selectFrom("rectification_item").select(["id", "version"]).where("source", "<>", "manual").where("status", "=", "open").where("unit_id", "in", manager.unitSubtree).executeTakeFirstOrThrow();
    const notManual = await withdrawRectificationItem(db, manager, { itemId: formItem.id, version: formItem.version });
    expect(notManual.kind === "refused" && [notManual.status, render("zh", notManual.message)]).toEqual([409, "只有手工登记的整改事项可以撤销；来自表单的事项请登记整改结果"]);
    expect((await withdrawRectificationItem(db, manager, { itemId: ids[1]!, version: version + 1 })).kind).toBe("refused");
    const withdrawn = await withdrawRectificationItem(db, manager, { itemId: ids[1]!, version });
    expect(withdrawn.kind === "done" && render("zh", withdrawn.message)).toBe("已撤销整改事项“政府采购程序不规范”");
    expect(await db.selectFrom("rectification_item").select("id").where("id", "=", ids[1]!).execute()).toEqual([]);
    const deleted = await db.selectFrom("audit_log").select(["username", "action"]).where("table_name", "=", "rectification_item").where("record_id", "=", String(ids[1])).orderBy("id").execute();
    expect(deleted.map((row) => `${row.action} ${row.username}`)).toEqual(["insert minhang.manager", "update minhang.manager", "delete minhang.manager"]);
    // Once a plan has answered an item, the page says so and offers neither correcting nor withdrawing it;
    // the server refuses both (an older page may still post them).
    const beforeAnswer = (await rectificationPage(db, manager, { unitIds: manager.unitSubtree, source: "manual", today })).items.find((item) => item.id === ids[0]);
    expect([beforeAnswer?.answeredIn, beforeAnswer?.canAmend]).toEqual([null, true]);
    await db.insertInto("rectification_response").values({ item_id: ids[0]!, plan_year: 2026, response: "2026年预算按时拨付", user_id: null, username: "test.planner" }).execute();
    const answered = (await rectificationPage(db, manager, { unitIds: manager.unitSubtree, source: "manual", today })).items.find((item) => item.id === ids[0]);
    expect([answered?.answeredIn, answered?.canAmend, answered?.canClose]).toEqual([2026, false, true]);
    const answeredVersion = await versionOf(ids[0]!);
    const lateCorrect = await correctRectificationItem(db, manager, { ...typo, itemId: ids[0]!, version: answeredVersion });
    const lateWithdraw = await withdrawRectificationItem(db, manager, { itemId: ids[0]!, version: answeredVersion });
    expect([lateCorrect, lateWithdraw].map((o) => o.kind === "refused" && [o.status, render("zh", o.message)])).toEqual([
      [409, "该事项已在预算编制中作出应对说明，不能更正"],
      [409, "该事项已在预算编制中作出应对说明，不能撤销"],
    ]);
    // The database refuses a hand-entered item without its origin, or one claiming a form.
    await expect(db.updateTable("rectification_item").set({ origin: " " }).where("id", "=", ids[0]!).execute()).rejects.toThrow(/check/);
    await expect(db.updateTable("rectification_item").set({ source: "tracking" }).where("id", "=", ids[0]!).execute()).rejects.toThrow(/check/);
  });
});
