import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DB } from "../db/pool.ts";
import { withActor } from "../db/audit.ts";
import { getProjectHeader } from "../db/projects.ts";
import { seedDemoData } from "../db/seed.ts";
import { getFilingDeadlines } from "../db/settings.ts";
import { unitSubtreeIds } from "../db/units.ts";
import type { Role } from "../domain/permissions.ts";
import { isTargetParseError, parseTarget } from "../domain/targets.ts";
import { render } from "../messages/index.ts";
import { changeFilingDeadlines, type AdminActor } from "../features/admin/service.ts";
import { loadSelfEvaluation, returnSelfEvaluation, submitSelfEvaluation, type SelfEvaluationEntry } from "../features/self-evaluation/service.ts";
import { openTrackingRevision, returnTrackingForm } from "../features/tracking/service.ts";
import { moveTrackingForm } from "../features/tracking/queries/forms.ts";
import { todoList, type DueNotice, type TodoEntry } from "../features/todo/service.ts";
import { freshDatabase, projectIdOf } from "./support/database.ts";

/*
 * The to-do list (待办事项, issue 15) on a real PostgreSQL with the demo's filed forms (华漕's accepted
 * tracking form, the eleven accepted self-evaluations of 闵行区医疗保障局, 马桥's draft self-evaluation):
 * per user, the forms late after their deadline (a setting), returned or waiting for review, the
 * overdue rectification items and the notices of a source, each linking to where it is done.
 */

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const HUACAO = "上海市闵行区华漕镇社区事务受理中心";

interface TestUser {
  userId: number;
  username: string;
  roles: Role[];
  unitId: number;
  unitSubtree: number[];
}

describe("to-do list", () => {
  let db: DB;
  let drop: () => Promise<void>;
  const users = new Map<string, TestUser>();
  let maqiao2024 = 0;
  let huacao2024 = 0;

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"));
    db = fresh.db;
    drop = fresh.drop;
    await seedDemoData(db, { trackingForms: true });
    for (const user of await db.selectFrom("app_user").select(["id", "username", "roles", "unit_id"]).execute()) {
      users.set(user.username, { userId: user.id, username: user.username, roles: user.roles as Role[], unitId: user.unit_id!, unitSubtree: await unitSubtreeIds(db, user.unit_id!) });
    }
    maqiao2024 = await projectIdOf(db, MAQIAO);
    huacao2024 = await projectIdOf(db, HUACAO);
  }, 180_000);

  afterAll(async () => {
    await drop?.();
  });

  const user = (name: string) => users.get(name)!;
  const list = (name: string, today: string, notices?: () => Promise<DueNotice[]>) => todoList(db, user(name), { today, notices });
  /** The entries as one line each: kind, form, year project, status, due date and days late ("-": none). */
  const lines = (entries: readonly TodoEntry[]) => entries.map((entry) => [entry.kind, entry.form, `${entry.fiscalYear} ${entry.project}`, entry.status, entry.dueOn, entry.daysOverdue].map((part) => part ?? "-").join(" "));

  it("lists no late tracking form of 2024 on its deadline, 15 September, and every unfiled one the day after", async () => {
    expect((await list("minhang.mss.submitter", "2024-09-15")).entries).toEqual([]);
    expect((await list("huacao.submitter", "2024-09-16")).entries).toEqual([]);
    // 马桥's 2023 project is chased until the 2024 cycle is due (its deadline, too, passed).
    expect(lines((await list("maqiao.submitter", "2024-09-15")).entries)).toEqual(["unfiled tracking 2023 医疗救助 - 2023-09-15 366"]);
    const maqiao = await list("maqiao.submitter", "2024-09-16");
    expect(lines(maqiao.entries)).toEqual(["unfiled tracking 2024 医疗救助 - 2024-09-15 1"]);
    expect(maqiao.entries[0]!.href).toBe(`/projects/${maqiao2024}/tracking?periodEnd=2024-08-31`);
    const mss = await list("minhang.mss.submitter", "2024-09-16");
    expect(mss.counts).toEqual({ returned: 0, review: 0, unfiled: 11, rectification: 0, notice: 0 });
    // The manager of the district sees every unit's: 闵行区医疗保障局's eleven and 马桥's one (华漕 filed).
    const manager = await list("minhang.manager", "2024-09-16");
    expect(manager.counts.unfiled).toBe(12);
    expect(manager.entries.some((entry) => entry.unit === HUACAO)).toBe(false);
    expect((await list("maqiao.planner", "2024-09-16")).entries).toEqual([]);
    expect((await list("minhang.viewer", "2024-09-16")).entries).toEqual([]);
    expect((await list("admin", "2024-09-16")).entries).toEqual([]);
  });

  it("lists the self-evaluations not submitted after 31 March of the next year: 马桥's draft, 华漕's missing sheet", async () => {
    expect((await list("maqiao.submitter", "2025-03-31")).entries.map((entry) => entry.form)).toEqual(["tracking"]);
    const maqiao = await list("maqiao.submitter", "2025-04-01");
    expect(lines(maqiao.entries)).toEqual(["unfiled tracking 2024 医疗救助 - 2024-09-15 198", "unfiled selfEvaluation 2024 医疗救助 draft 2025-03-31 1"]);
    expect(maqiao.entries[1]!.href).toBe(`/projects/${maqiao2024}/self-evaluation`);
    expect(lines((await list("huacao.submitter", "2025-04-01")).entries)).toEqual(["unfiled selfEvaluation 2024 医疗救助 - 2025-03-31 1"]);
    // The eleven sheets of 闵行区医疗保障局 were accepted: only its tracking forms are late.
    expect((await list("minhang.mss.submitter", "2025-04-01")).counts).toEqual({ returned: 0, review: 0, unfiled: 11, rectification: 0, notice: 0 });
    expect((await list("minhang.manager", "2025-04-01")).counts.unfiled).toBe(14);
  });

  it("gives the reviewer a submitted tracking form and its filler the returned one; a corrected revision is never late", async () => {
    const project = (await getProjectHeader(db, huacao2024))!;
    const submitter = user("huacao.submitter");
    const manager = user("minhang.manager");
    const accepted = await db.selectFrom("tracking_form").select("id").where("project_id", "=", huacao2024).executeTakeFirstOrThrow();
    expect((await openTrackingRevision(db, submitter, { project, formId: accepted.id })).kind).toBe("done");
    const draft = await db.selectFrom("tracking_form").select("id").where("project_id", "=", huacao2024).where("status", "=", "draft").executeTakeFirstOrThrow();
    // A draft revision of the accepted form: filed once, so not late.
    expect((await list("huacao.submitter", "2024-10-01")).entries).toEqual([]);
    await withActor(db, submitter, (trx) => moveTrackingForm(trx, draft.id, "draft", "submitted", submitter, null));

    const review = (await list("minhang.manager", "2024-10-01")).entries.filter((entry) => entry.kind === "review");
    expect(lines(review)).toEqual(["review tracking 2024 医疗救助 submitted - -"]);
    expect(review[0]).toMatchObject({ unit: HUACAO, periodEnd: "2024-08-31", href: `/projects/${huacao2024}/tracking?periodEnd=2024-08-31` });
    expect(review[0]!.since).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await list("huacao.submitter", "2024-10-01")).entries).toEqual([]);

    expect((await returnTrackingForm(db, manager, { project, formId: draft.id, comment: "请补充偏差原因" })).kind).toBe("done");
    const returned = await list("huacao.submitter", "2024-10-01");
    expect(lines(returned.entries)).toEqual(["returned tracking 2024 医疗救助 returned - -"]);
    expect(returned.counts.returned).toBe(1);
    expect((await list("minhang.manager", "2024-10-01")).counts.review).toBe(0);
    // Other towns' submitters do not see it.
    expect((await list("maqiao.submitter", "2024-10-01")).entries.some((entry) => entry.projectId === huacao2024)).toBe(false);
  });

  it("takes 马桥's self-evaluation through review: the manager's to review, then its filler's, returned and late", async () => {
    const project = (await getProjectHeader(db, maqiao2024))!;
    const submitter = { ...user("maqiao.submitter"), unitSubtree: new Set(user("maqiao.submitter").unitSubtree) };
    const manager = { ...user("minhang.manager"), unitSubtree: new Set(user("minhang.manager").unitSubtree) };
    const sheet = (await loadSelfEvaluation(db, project.id))!;
    const entries: Record<string, Partial<SelfEvaluationEntry>> = {};
    for (const row of sheet.rows) {
      const target = parseTarget(row.annualTarget);
      if (isTargetParseError(target)) throw new Error(row.annualTarget);
      entries[row.key] = target.kind === "qualitative" ? { judgement: "达成" } : { actual: `${target.value}${target.unit === "" ? "" : `(${target.unit})`}` };
    }
    const submitted = await submitSelfEvaluation(db, submitter, { project, evaluationId: sheet.evaluationId, version: sheet.version, content: { actualSummary: "全年医疗救助按时足额发放", indicators: entries } });
    expect(submitted.kind === "refused" ? submitted.refusal.problems.map((problem) => render("zh", problem.message)) : []).toEqual([]);
    expect(submitted.kind).toBe("done");

    const before = await list("minhang.manager", "2025-04-01");
    expect(lines(before.entries.filter((entry) => entry.form === "selfEvaluation"))).toEqual([
      "review selfEvaluation 2024 医疗救助 submitted - -", // 马桥's, the manager's own to decide: first
      "unfiled selfEvaluation 2024 医疗救助 - 2025-03-31 1", // 华漕's, no sheet
    ]);
    expect((await list("maqiao.submitter", "2025-04-01")).entries.map((entry) => entry.form)).toEqual(["tracking"]);

    expect((await returnSelfEvaluation(db, manager, { project, evaluationId: sheet.evaluationId, comment: "请补充实际完成情况" })).kind).toBe("done");
    const maqiao = await list("maqiao.submitter", "2025-04-01");
    expect(lines(maqiao.entries)).toEqual(["unfiled tracking 2024 医疗救助 - 2024-09-15 198", "returned selfEvaluation 2024 医疗救助 returned 2025-03-31 1"]);
    // For the manager it is late again (returned: not filed), no longer to review.
    const after = await list("minhang.manager", "2025-04-01");
    expect(after.counts.review).toBe(0);
    expect(lines(after.entries.filter((entry) => entry.form === "selfEvaluation" && entry.unit === MAQIAO))).toEqual(["unfiled selfEvaluation 2024 医疗救助 returned 2025-03-31 1"]);
    // Before the deadline the returned sheet is listed for its filler without one.
    expect(lines((await list("maqiao.submitter", "2025-03-31")).entries.filter((entry) => entry.form === "selfEvaluation"))).toEqual(["returned selfEvaluation 2024 医疗救助 returned - -"]);
  });

  it("lists the overdue rectification items for the unit's submitters and the managers above, not for others", async () => {
    // The demo's open items of 闵行区医疗保障局 (长护险, 互助帮困, 医保监督管理) are due 30 June 2025.
    expect((await list("minhang.mss.submitter", "2025-06-30")).counts.rectification).toBe(0);
    const mss = await list("minhang.mss.submitter", "2025-07-01");
    expect(mss.counts.rectification).toBe(6);
    expect(mss.entries.filter((entry) => entry.kind === "rectification").every((entry) => entry.daysOverdue === 1 && entry.href === "/rectification?status=overdue&year=2024")).toBe(true);
    expect(mss.entries.map((entry) => entry.detail)).toContain("培训覆盖人次");
    expect((await list("minhang.manager", "2025-07-01")).counts.rectification).toBe(6);
    expect((await list("maqiao.submitter", "2025-07-01")).counts.rectification).toBe(0);
    expect((await list("maqiao.planner", "2025-07-01")).counts.rectification).toBe(0);
    // The most overdue first: the tracking forms late since 15 September 2024 lead the items late since 30 June 2025.
    expect(mss.entries[0]).toMatchObject({ kind: "unfiled", form: "tracking", dueOn: "2024-09-15" });
  });

  it("takes the settlement notices from a source, for planners and managers only", async () => {
    const notice: DueNotice = { id: 1, projectId: maqiao2024, projectName: "医疗救助", fiscalYear: 2024, unitName: MAQIAO, number: "闵医保结〔2024〕12号", amount: "795265.75", dueOn: "2024-11-14" };
    const source = async () => [notice];
    const planner = await list("maqiao.planner", "2024-11-12", source);
    expect(lines(planner.entries)).toEqual(["notice - 2024 医疗救助 - 2024-11-14 -2"]);
    expect(planner.entries[0]).toMatchObject({ detail: "闵医保结〔2024〕12号", amount: "795265.75", href: `/projects/${maqiao2024}` });
    expect((await list("minhang.manager", "2024-11-12", source)).counts.notice).toBe(1);
    expect((await list("maqiao.submitter", "2024-11-12", source)).counts.notice).toBe(0);
    // Without a source, the register's (features/payments): the demo's notice due 2024-11-14, unpaid on the 12th.
    const fromRegister = await list("maqiao.planner", "2024-11-12");
    expect(fromRegister.entries.map((entry) => [entry.kind, entry.dueOn, entry.href])).toEqual([["notice", "2024-11-14", "/notices?year=2024&state=unpaid"]]);
  });

  it("judges lateness by the deadlines set on /admin (audited), refusing a day some years lack", async () => {
    const admin = user("admin") as TestUser & AdminActor;
    const refused = await changeFilingDeadlines(db, admin, { tracking: "09-30", selfEvaluation: "02-29" });
    expect(refused.kind === "refused" && refused.problems.map((problem) => render("en", problem))).toEqual([
      "The deadline of the self-evaluation should be a month-day that every year has (e.g. 09-15, not 02-29): 02-29",
    ]);
    expect(await getFilingDeadlines(db)).toEqual({ tracking: "09-15", selfEvaluation: "03-31" });
    expect((await changeFilingDeadlines(db, admin, { tracking: "9-30", selfEvaluation: "04-15" })).kind).toBe("done");
    expect(await getFilingDeadlines(db)).toEqual({ tracking: "09-30", selfEvaluation: "04-15" });
    const audit = await db.selectFrom("audit_log").select(["username", "record_id"]).where("table_name", "=", "setting").where("record_id", "like", "%filing_deadline").execute();
    expect(audit.map((row) => `${row.username} ${row.record_id}`).sort()).toEqual(["admin self_evaluation_filing_deadline", "admin tracking_filing_deadline"]);

    expect((await list("minhang.mss.submitter", "2024-09-30")).counts.unfiled).toBe(0);
    expect(lines((await list("maqiao.submitter", "2024-10-01")).entries.filter((entry) => entry.kind === "unfiled"))).toEqual(["unfiled tracking 2024 医疗救助 - 2024-09-30 1"]);
    expect((await list("maqiao.submitter", "2025-04-15")).entries.map((entry) => entry.kind)).toEqual(["unfiled", "returned"]);
    expect((await list("maqiao.submitter", "2025-04-15")).entries[1]!.dueOn).toBeNull();
    expect((await list("maqiao.submitter", "2025-04-16")).entries[1]).toMatchObject({ kind: "returned", dueOn: "2025-04-15", daysOverdue: 1 });
    expect((await changeFilingDeadlines(db, admin, { tracking: "09-15", selfEvaluation: "03-31" })).kind).toBe("done");
  });
});
