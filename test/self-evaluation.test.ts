import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DB } from "../db/pool.ts";
import { seedDemoData } from "../db/seed.ts";
import { getProjectHeader, type ProjectHeader } from "../db/projects.ts";
import { unitSubtreeIds } from "../db/units.ts";
import { isTargetParseError, parseTarget } from "../domain/targets.ts";
import { render } from "../messages/index.ts";
import {
  acceptSelfEvaluation,
  listSelfEvaluations,
  loadSelfEvaluation,
  returnSelfEvaluation,
  saveSelfEvaluation,
  selfEvaluationPage,
  submitSelfEvaluation,
  type SelfEvaluationActor,
  type SelfEvaluationEntry,
} from "../features/self-evaluation/service.ts";
import { trackingFormPage } from "../features/tracking/service.ts";
import { freshDatabase, projectIdOf } from "./support/database.ts";

/*
 * The year-end self-evaluation (绩效自评表): the demo's eleven sheets of seeds/003 (db/demo/self-
 * evaluations.json), filed by minhang.mss.submitter and accepted by minhang.manager, reproduce every
 * printed funds score, total and grade, and list their departures from the rule; a sheet goes through
 * the workflow by the service, refusing what the rules refuse.
 */

const MSS = "上海市闵行区医疗保障局";
/** As printed: funds score and total (all 优). */
const PRINTED: Record<string, [fundScore: string, total: string]> = {
  党建工作经费: ["10.00", "100.00"],
  "智慧闵行医保卫士-“看病钱”守护系统": ["9.71", "97.71"],
  长护险护理试点工作经费: ["9.99", "98.99"],
  法律顾问费: ["10.00", "99.20"],
  城乡居民医保资金区本级财政筹集资金: ["8.89", "97.89"],
  武警医疗经费: ["9.04", "98.54"],
  医保监督管理: ["10.00", "99.00"],
  闵行医保基金监督检查系统运维: ["10.00", "98.00"],
  医疗救助: ["9.63", "99.13"],
  残疾人就业保障金: ["10.00", "99.00"],
  市民社区医疗互助帮困经费: ["10.00", "97.00"],
};

describe("the demo's self-evaluations and the service", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let mssUnits: number[] = [];
  const actors = new Map<string, SelfEvaluationActor>();

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"));
    db = fresh.db;
    drop = fresh.drop;
    const counts = await seedDemoData(db, { trackingForms: true });
    expect(counts.selfEvaluations).toBe(12); // the eleven of seeds/003, and 马桥's draft
    const unit = await db.selectFrom("org_unit").select("id").where("name", "=", MSS).executeTakeFirstOrThrow();
    mssUnits = await unitSubtreeIds(db, unit.id);
    const users = await db.selectFrom("app_user").select(["id", "username", "roles", "unit_id"]).execute();
    for (const user of users) {
      actors.set(user.username, { userId: user.id, username: user.username, roles: user.roles as SelfEvaluationActor["roles"], unitSubtree: new Set(await unitSubtreeIds(db, user.unit_id!)) });
    }
  }, 180_000);

  afterAll(async () => {
    await drop?.();
  });

  it("reproduces every printed funds score and total of seeds/003, all 优 and accepted", async () => {
    const rows = await listSelfEvaluations(db, { year: 2024, unitIds: mssUnits });
    expect(Object.fromEntries(rows.map((row) => [row.project, [row.fundScore, row.total]]))).toEqual(PRINTED);
    expect(new Set(rows.map((row) => `${row.status} ${row.grade} ${row.unit}`))).toEqual(new Set([`accepted 优 ${MSS}`]));
  });

  it("keeps 马桥's 2024 医疗救助 as a draft prefilled from the ledger and its declaration, its gaps named", async () => {
    const view = (await loadSelfEvaluation(db, await projectIdOf(db, "上海市闵行区马桥镇社区事务受理服务中心", 2024)))!;
    expect(view.status).toBe("draft");
    expect(view.rows).toHaveLength(14);
    expect(view.result.weightSum).toBe("90.00");
    const total = view.result.funds[0]!;
    expect([total.initialWan, total.adjustedWan, total.executedWan, total.executionRate, total.score]).toEqual(["135.00", "147.17", "147.17", "100.00", "10.00"]);
    // 部分达成 rows take their band's top by the rule: 4.80 of 6 and 3.20 of 4; 10 + 90 − 1.20 − 0.80 = 98.00 优.
    expect([view.result.total, view.result.grade]).toEqual(["98.00", "优"]);
    expect(view.result.problems.map((problem) => render("zh", problem.message))).toEqual([
      "缺少年度总体目标的实际完成情况",
      "指标“救助资金发放及时性”：得分低于分值，须填写偏差原因分析及改进措施",
      "指标“沟通协调有效性”：得分低于分值，须填写偏差原因分析及改进措施",
    ]);
  });

  it("offers the batches' 及时率 and the settlement notices' transfers beside the 时效指标 rows (马桥: every batch on time, both transfers late), nothing where there is neither (华漕)", async () => {
    const maqiao = (await getProjectHeader(db, await projectIdOf(db, "上海市闵行区马桥镇社区事务受理服务中心", 2024)))!;
    const page = (await selfEvaluationPage(db, actors.get("maqiao.submitter")!, maqiao))!;
    expect(page.view.rows.some((row) => row.level2 === "时效指标")).toBe(true);
    const title = "关于医疗救助资金结算通知书";
    expect(page.timeliness).toEqual({
      from: "2024-01-01",
      to: "2024-12-31",
      batch: { batches: 26, onTime: 26, late: 0, incomplete: 0, rate: "100.00" },
      // seeds/001 C31: due 20 June, transferred 2 July; due 14 November, transferred 15 November.
      notices: {
        on: "2024-12-31",
        count: 2,
        onTime: 0,
        paidLate: [
          { title, dueOn: "2024-06-20", paidOn: "2024-07-02", daysLate: 12 },
          { title, dueOn: "2024-11-14", paidOn: "2024-11-15", daysLate: 1 },
        ],
        overdue: [],
      },
    });
    // At the end of June the first notice stood unpaid 10 days past its due date; the second was not yet due.
    const mid = (await trackingFormPage(db, actors.get("maqiao.submitter")!, maqiao, { periodEnd: "2024-06-30", revision: null }))!;
    expect(mid.timeliness).toMatchObject({ to: "2024-06-30", batch: { rate: "100.00" } });
    expect(mid.timeliness!.batch!.batches).toBeLessThan(26);
    expect(mid.timeliness!.notices).toEqual({ on: "2024-06-30", count: 1, onTime: 0, paidLate: [], overdue: [{ title, dueOn: "2024-06-20", paidOn: null, daysLate: 10 }] });
    const huacao = (await getProjectHeader(db, await projectIdOf(db, "上海市闵行区华漕镇社区事务受理中心")))!;
    expect((await selfEvaluationPage(db, actors.get("huacao.submitter")!, huacao))!.timeliness).toBeNull();
  });

  it("lists the departures from the rule: 长护险 培训覆盖人次 2,629 of 5,000 entered 9.50, the rule gives 5.26", async () => {
    const rows = await listSelfEvaluations(db, { year: 2024, unitIds: mssUnits });
    const departures = rows.flatMap((row) => row.departures.map((d) => [row.project, d.name, d.score, d.ruleScore]));
    expect(departures.sort()).toEqual([
      ["医保监督管理", "专家医保监管对象数量", "4.00", "2.67"],
      ["市民社区医疗互助帮困经费", "各镇互助帮困人数", "1.00", "1.82"],
      ["市民社区医疗互助帮困经费", "各街道互助帮困人数", "1.00", "1.78"],
      ["智慧闵行医保卫士-“看病钱”守护系统", "系统使用人员满意度", "9.00", "10.00"],
      ["法律顾问费", "有责投诉处置率", "9.50", "10.00"],
      ["闵行医保基金监督检查系统运维", "系统使用人员满意度", "9.00", "10.00"],
      ["长护险护理试点工作经费", "培训覆盖人次", "9.50", "5.26"],
    ].sort());
    const ltc = rows.find((row) => row.project === "长护险护理试点工作经费")!;
    expect(ltc.departures[0]!.reason).toContain("2635");
    expect([ltc.total, ltc.ruleTotal]).toEqual(["98.99", "94.75"]);
  });

  it("shows an accepted sheet frozen, as stored: 医疗救助 412.00 / 329.00 / 316.73 万元, 96.27%, 9.63, with its history", async () => {
    const view = (await loadSelfEvaluation(db, await projectIdOf(db, MSS, 2024, "医疗救助")))!;
    expect([view.status, view.frozen, view.snapshot]).toEqual(["accepted", true, true]);
    const [total, current] = view.result.funds;
    expect([total!.initialWan, total!.adjustedWan, total!.executedWan, total!.executionRate, total!.weight, total!.score]).toEqual(["412.00", "329.00", "316.73", "96.27", "10.00", "9.63"]);
    expect([current!.kind, current!.executedWan, current!.score]).toEqual(["当年财政拨款", "316.73", null]);
    expect([view.result.total, view.result.grade]).toEqual(["99.13", "优"]);
    expect(view.expectedGoal).toContain("应帮尽帮率 100%");
    expect(view.events.map((event) => [event.fromStatus, event.toStatus, event.username])).toEqual([
      [null, "draft", "minhang.mss.submitter"],
      ["draft", "submitted", "minhang.mss.submitter"],
      ["submitted", "accepted", "minhang.manager"],
    ]);
    const audit = await db.selectFrom("audit_log").select(["username", "table_name"]).where("table_name", "like", "self_evaluation%").where("project_id", "=", view.project.id).execute();
    expect(new Set(audit.map((row) => row.username))).toEqual(new Set(["minhang.mss.submitter", "minhang.manager"]));
    const page = await selfEvaluationPage(db, actors.get("minhang.manager")!, view.project);
    expect([page!.canEdit, page!.canReview]).toEqual([false, false]);
    await expect(db.updateTable("self_evaluation").set({ actual_summary: "x" }).where("id", "=", view.evaluationId!).execute()).rejects.toThrow(/已审核通过/);
  });

  it("pre-fills 华漕's draft from the ledger as of 31 December and the accepted mid-year form, and refuses weights that do not add to 90", async () => {
    const huacao = (await getProjectHeader(db, await projectIdOf(db, "上海市闵行区华漕镇社区事务受理中心")))!;
    expect(await selfEvaluationPage(db, actors.get("huacao.submitter")!, huacao)).toMatchObject({ canEdit: true, canReview: false });
    expect(await selfEvaluationPage(db, actors.get("maqiao.submitter")!, huacao)).toMatchObject({ canEdit: false, canReview: false });
    const view = (await loadSelfEvaluation(db, huacao.id))!;
    expect([view.evaluationId, view.status, view.midYearPeriodEnd]).toEqual([null, null, "2024-08-31"]);
    expect(view.rows.filter((row) => row.actual !== null).length).toBeGreaterThan(0);
    expect(view.rows.every((row) => row.actual === (row.midYear?.actual ?? null))).toBe(true);
    const outcome = await submitSelfEvaluation(db, actors.get("huacao.submitter")!, { project: huacao, evaluationId: null, version: null, content: { actualSummary: "全年按月发放医疗救助", indicators: {} } });
    expect(outcome.kind).toBe("refused");
    if (outcome.kind !== "refused") return;
    expect(outcome.refusal.saved).toBe(true);
    expect(outcome.refusal.problems.map((p) => render("zh", p.message))).toContain("指标分值合计为0.00，应为90.00；请先修改绩效目标的分值");
    const other = await saveSelfEvaluation(db, actors.get("maqiao.submitter")!, { project: huacao, evaluationId: null, version: null, content: { actualSummary: null, indicators: {} } });
    expect(other.kind === "refused" && [other.status, render("zh", other.refusal.message)]).toEqual([403, "此项目不属于您的单位"]);
  });

  it("takes a sheet through submit, return (comment required), resubmit and accept, refusing what the rules refuse", async () => {
    // The city's 2023 transfer declaration: 19 indicators weighing 90 (002 表2).
    const project = (await getProjectHeader(db, await projectIdOf(db, "上海市医疗保障局", 2023)))!;
    const submitter: SelfEvaluationActor = { userId: null, username: "test.submitter", roles: ["submitter"], unitSubtree: null };
    const manager = actors.get("minhang.manager")!;
    const city: SelfEvaluationActor = { ...manager, unitSubtree: null };
    const blank = (await loadSelfEvaluation(db, project.id))!;
    expect(blank.result.weightSum).toBe("90.00");
    const met: Record<string, Partial<SelfEvaluationEntry>> = {};
    for (const row of blank.rows) {
      const target = parseTarget(row.annualTarget);
      if (isTargetParseError(target)) throw new Error(row.annualTarget);
      met[row.key] = target.kind === "qualitative" ? { judgement: "达成" } : { actual: `${target.value}${target.unit === "" ? "" : `(${target.unit})`}` };
    }
    const position = blank.rows.findIndex((row) => row.actual === null && !row.reading.qualitative) + 1;
    const first = blank.rows[position - 1]!;
    const short = { ...met, [first.key]: { ...met[first.key], score: "3.00" } };
    const refusedOutcome = await submitSelfEvaluation(db, submitter, { project, evaluationId: null, version: null, content: { actualSummary: "已下达", indicators: short } });
    expect(refusedOutcome.kind === "refused" && refusedOutcome.refusal.problems.map((p) => [p.field, render("en", p.message)])).toEqual([
      [`ind.${first.key}.scoreReason`, `Indicator “${first.name}”: the score 3.00 differs from the rule's 5.00: give the reason`],
      [`ind.${first.key}.deviationAnalysis`, `Indicator “${first.name}”: the score is below the weight: give the causes of the shortfall and the improvements`],
    ]);
    let view = (await loadSelfEvaluation(db, project.id))!;
    expect([view.status, view.result.total, view.result.ruleTotal]).toEqual(["draft", "98.00", "100.00"]);

    const explained = { ...short, [first.key]: { ...short[first.key], scoreReason: "部分区县统计口径不一", deviationAnalysis: "统一统计口径" } };
    const submitted = await submitSelfEvaluation(db, submitter, { project, evaluationId: view.evaluationId, version: view.version, content: { actualSummary: "已下达", indicators: explained } });
    expect(submitted.kind).toBe("done");
    const noComment = await returnSelfEvaluation(db, city, { project, evaluationId: view.evaluationId, comment: " " });
    expect(noComment.kind === "refused" && noComment.status).toBe(400);
    const notYours = await returnSelfEvaluation(db, manager, { project, evaluationId: view.evaluationId, comment: "请补充" });
    expect(notYours.kind === "refused" && render("zh", notYours.refusal.message)).toBe("此项目不属于您的单位");
    expect((await acceptSelfEvaluation(db, submitter, { project, evaluationId: view.evaluationId, comment: "" })).kind).toBe("refused");
    expect((await returnSelfEvaluation(db, city, { project, evaluationId: view.evaluationId, comment: "请补充实际完成情况" })).kind).toBe("done");

    view = (await loadSelfEvaluation(db, project.id))!;
    expect([view.status, view.reviewComment]).toEqual(["returned", "请补充实际完成情况"]);
    const resubmitted = await submitSelfEvaluation(db, submitter, {
      project,
      evaluationId: view.evaluationId,
      version: view.version,
      content: { actualSummary: "25,522万元已于人大批准后60日内下达16个区", indicators: explained },
    });
    expect(resubmitted.kind).toBe("done");
    expect((await acceptSelfEvaluation(db, city, { project, evaluationId: view.evaluationId, comment: "" })).kind).toBe("done");
    view = (await loadSelfEvaluation(db, project.id))!;
    expect([view.status, view.frozen, view.result.total, view.result.grade, view.result.departures.length]).toEqual(["accepted", true, "98.00", "优", 1]);
    expect(view.events.map((event) => event.toStatus)).toEqual(["draft", "submitted", "returned", "resubmitted", "accepted"]);
    const again = await saveSelfEvaluation(db, submitter, { project, evaluationId: view.evaluationId, version: view.version, content: { actualSummary: "x", indicators: {} } });
    expect(again.kind === "refused" && again.status).toBe(409);
  });
});
