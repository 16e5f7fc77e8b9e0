import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DB } from "../db/pool.ts";
import { unitSubtreeIds } from "../db/units.ts";
import type { Role } from "../domain/permissions.ts";
import { render, type Message } from "../messages/index.ts";
import { correctNotice, createNotice, noticesDue, noticesPage, removeNotice, type NoticeActor, type NoticeOutcome } from "../features/payments/notices.ts";
import { batchTimeliness, projectTimeliness, recordBatchReport, saveTimeRules, timeRules } from "../features/payments/service.ts";
import { freshDatabase, projectIdOf } from "./support/database.ts";

/*
 * Settlement notices (结算通知书) and batch timeliness (issue 15) on a real PostgreSQL with the demo data: 马桥's
 * two late transfers of 2024 in the register, its 26 batches on time, the early warning, and the notice form's
 * refusals — another unit, a role that may not, a stale version, bad dates at their field — each writing nothing.
 */

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const HUACAO = "上海市闵行区华漕镇社区事务受理中心";

describe("settlement notices and batch timeliness", () => {
  let db: DB;
  let drop: () => Promise<void>;
  const actors = new Map<string, NoticeActor & { unitSubtree: number[] }>();
  let maqiao = 0;
  let huacao = 0;
  const actor = (name: string) => actors.get(name)!;
  const rendered = (message: Message | undefined) => (message === undefined ? undefined : render("zh", message));
  const errorsOf = (outcome: NoticeOutcome) =>
    outcome.kind === "refused" ? Object.fromEntries(Object.entries(outcome.errors).map(([field, message]) => [field, rendered(message)])) : {};
  const noticeCount = async () =>
    Number(
      (
        await db
          .selectFrom("settlement_notice")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const form = (fields: Record<string, string> = {}) => ({
    projectId: String(maqiao),
    documentNumber: "闵医保〔2024〕99号",
    title: "关于医疗救助资金结算通知书",
    issuer: "上海市闵行区医疗保障局",
    amount: "1,200.50",
    issuedOn: "2024-12-10",
    dueOn: "2024-12-26",
    paymentId: "",
    note: "",
    ...fields,
  });

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    db = fresh.db;
    drop = fresh.drop;
    for (const user of await db.selectFrom("app_user").select(["id", "username", "roles", "unit_id"]).execute()) {
      actors.set(user.username, {
        userId: user.id,
        username: user.username,
        roles: user.roles as Role[],
        unitSubtree: await unitSubtreeIds(db, user.unit_id!),
      });
    }
    maqiao = await projectIdOf(db, MAQIAO);
    huacao = await projectIdOf(db, HUACAO);
  }, 180_000);

  afterAll(async () => {
    await drop?.();
  });

  it("lists 马桥's two notices of 2024, settled by their transfers 12 and 1 days late", async () => {
    const page = await noticesPage(db, actor("maqiao.planner"), { unitIds: actor("maqiao.planner").unitSubtree, year: 2024, today: "2025-03-01" });
    expect(page.notices.map((notice) => [notice.dueOn, notice.amount, notice.paidOn, notice.status.state, notice.status.daysLate, notice.canEdit])).toEqual([
      ["2024-06-20", "32880.00", "2024-07-02", "paid-late", 12, true],
      ["2024-11-14", "4281.25", "2024-11-15", "paid-late", 1, true],
    ]);
    expect(page.warningDays).toBe(5);
    // The form offers 马桥's 2024 project and its transfers; the two settling ones say so.
    expect(page.projects.map((project) => project.id)).toEqual([maqiao]);
    expect(page.transfers.filter((transfer) => transfer.settles !== null)).toHaveLength(2);
    // A manager of the district reads them but may not change them; a 华漕 user does not see them.
    const manager = await noticesPage(db, actor("minhang.manager"), { unitIds: actor("minhang.manager").unitSubtree, year: 2024 });
    expect(manager.notices.map((notice) => notice.canEdit)).toEqual([false, false]);
    expect(manager.projects).toEqual([]);
    expect((await noticesPage(db, actor("huacao.submitter"), { unitIds: actor("huacao.submitter").unitSubtree, year: 2024 })).notices).toEqual([]);
  });

  it("shows 马桥's 26 batches of 2024 with their dates, every one on time and every month's cadence met", async () => {
    const { months, total, datedBatches } = await projectTimeliness(db, maqiao, { from: "2024-01-01", to: "2024-12-31" });
    expect(months).toHaveLength(12);
    expect(total).toEqual({ batches: 26, onTime: 26, late: 0, incomplete: 0, rate: "100.00", monthsShort: 0 });
    expect(datedBatches).toBe(26);
    expect(months.map((month) => month.batches)).toEqual([2, 2, 3, 2, 2, 3, 2, 2, 2, 3, 2, 1]);
    expect(months[11]).toMatchObject({ month: "2024-12", minBatches: 1, cadenceMet: true, reportDue: "2025-01-10" });
    const payments = await db
      .selectFrom("payment")
      .select(["id", "kind", "paid_on as paidOn"])
      .where("project_id", "=", maqiao)
      .where("paid_on", "<", "2024-03-01")
      .orderBy("paid_on")
      .execute();
    const { batches } = await batchTimeliness(db, payments);
    // The second February batch: accepted 31 Jan, reviewed 9 Feb, approved on the make-up Sunday 18 Feb, paid 20 Feb.
    const february = payments.find((payment) => payment.paidOn === "2024-02-20")!;
    expect(batches[february.id]).toMatchObject({
      acceptedOn: "2024-01-31",
      reviewedOn: "2024-02-09",
      approvedOn: "2024-02-18",
      timeliness: { verdict: "on-time" },
    });
  });

  it("warns of an unpaid notice due within 5 working days and of an overdue one, for the unit and the units above", async () => {
    const dueSoon = await createNotice(db, actor("maqiao.planner"), form({ dueOn: "2024-12-26" }));
    const overdue = await createNotice(db, actor("maqiao.planner"), form({ title: "结算通知书（逾期）", issuedOn: "", dueOn: "2024-12-16" }));
    const later = await createNotice(db, actor("maqiao.planner"), form({ title: "结算通知书（未到期）", dueOn: "2025-01-20" }));
    expect([dueSoon.kind, overdue.kind, later.kind]).toEqual(["done", "done", "done"]);
    // Fri 20 Dec 2024: Mon 23 (1) … Thu 26 (4) working days; 16 Dec is 4 days past.
    const due = await noticesDue(db, { unitSubtree: actor("maqiao.planner").unitSubtree, today: "2024-12-20" });
    expect(due.dueSoon.map((notice) => [notice.dueOn, notice.status.workingDaysLeft])).toEqual([["2024-12-26", 4]]);
    expect(due.overdue.map((notice) => [notice.dueOn, notice.status.daysLate])).toEqual([["2024-12-16", 4]]);
    expect(due.unknown).toEqual([]);
    expect((await noticesDue(db, { unitSubtree: actor("minhang.manager").unitSubtree, today: "2024-12-20" })).dueSoon).toHaveLength(1);
    expect((await noticesDue(db, { unitSubtree: actor("huacao.submitter").unitSubtree, today: "2024-12-20" })).overdue).toEqual([]);
    // The demo's notices, paid, are not among them whatever the day.
    expect((await noticesDue(db, { unitSubtree: actor("maqiao.planner").unitSubtree, today: "2024-07-01" })).overdue.map((notice) => notice.amount)).toEqual([
      "32880.00",
    ]);
  });

  it("records who entered a notice in the audit trail, under its project", async () => {
    const entries = await db
      .selectFrom("audit_log")
      .select(["username", "action", "project_id"])
      .where("table_name", "=", "settlement_notice")
      .where("username", "=", "maqiao.planner")
      .execute();
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(new Set(entries.map((entry) => `${entry.action} ${entry.project_id}`))).toEqual(new Set([`insert ${maqiao}`]));
  });

  it("refuses another unit's project, and roles that may not enter notices, writing nothing", async () => {
    const before = await noticeCount();
    const otherUnit = await createNotice(db, actor("maqiao.planner"), form({ projectId: String(huacao) }));
    expect(otherUnit).toMatchObject({ kind: "refused", status: 403 });
    expect(otherUnit.kind === "refused" && rendered(otherUnit.message)).toBe("该项目不属于您的单位，不能登记或更改其结算通知书");
    for (const name of ["maqiao.submitter", "minhang.manager", "minhang.viewer", "admin"]) {
      expect(await createNotice(db, actor(name), form()), name).toMatchObject({ kind: "refused", status: 403 });
    }
    const [notice] = (await noticesPage(db, actor("maqiao.planner"), { unitIds: actor("maqiao.planner").unitSubtree, year: 2024 })).notices;
    expect(await removeNotice(db, actor("maqiao.submitter"), { noticeId: notice!.id, version: notice!.version })).toMatchObject({ status: 403 });
    expect(await correctNotice(db, actor("minhang.manager"), { noticeId: notice!.id, version: notice!.version, values: form() })).toMatchObject({
      status: 403,
    });
    expect(await removeNotice(db, actor("maqiao.planner"), { noticeId: 999_999, version: 1 })).toMatchObject({ status: 404 });
    expect(await noticeCount()).toBe(before);
  });

  it("names bad dates, amounts and payments at their fields, writing nothing", async () => {
    const before = await noticeCount();
    expect(errorsOf(await createNotice(db, actor("maqiao.planner"), form({ dueOn: "2024-13-01" })))).toEqual({
      dueOn: "应为日期 YYYY-MM-DD（2000—2100年）：2024-13-01",
    });
    expect(errorsOf(await createNotice(db, actor("maqiao.planner"), form({ issuedOn: "2024-12-27" })))).toEqual({
      issuedOn: "下发日期（2024年12月27日）晚于到期日（2024年12月26日）",
    });
    expect(errorsOf(await createNotice(db, actor("maqiao.planner"), form({ amount: "-5", title: "" })))).toEqual({ amount: "金额不能为负数", title: "必填" });
    // A batch, another project's transfer, and a transfer that settles another notice cannot settle it.
    const [batch] = await db.selectFrom("payment").select("id").where("project_id", "=", maqiao).where("kind", "=", "batch").limit(1).execute();
    const [other] = await db.selectFrom("payment").select("id").where("project_id", "!=", maqiao).where("kind", "=", "transfer").limit(1).execute();
    const taken = (await db.selectFrom("settlement_notice").select("payment_id").where("payment_id", "is not", null).executeTakeFirstOrThrow()).payment_id!;
    expect(errorsOf(await createNotice(db, actor("maqiao.planner"), form({ paymentId: batch!.id })))).toEqual({
      paymentId: "结算支付应为划拨（不是社会化发放，也不是冲销记录）",
    });
    expect(errorsOf(await createNotice(db, actor("maqiao.planner"), form({ paymentId: other!.id })))).toEqual({ paymentId: "所选支付不是该项目的支付" });
    expect(errorsOf(await createNotice(db, actor("maqiao.planner"), form({ paymentId: taken })))).toMatchObject({
      paymentId: expect.stringContaining("所选支付已结算另一份通知书"),
    });
    expect(await noticeCount()).toBe(before);
  });

  it("corrects a notice with its settling transfer, refuses a stale version, and deletes it", async () => {
    const page = await noticesPage(db, actor("maqiao.planner"), {
      unitIds: actor("maqiao.planner").unitSubtree,
      year: 2024,
      state: "unpaid",
      today: "2024-12-20",
    });
    const notice = page.notices.find((candidate) => candidate.dueOn === "2024-12-26")!;
    const free = page.transfers.find((transfer) => transfer.settles === null)!;
    const linked = await correctNotice(db, actor("maqiao.planner"), {
      noticeId: notice.id,
      version: notice.version,
      values: form({ paymentId: free.id, amount: free.amount }),
    });
    expect(linked).toMatchObject({ kind: "done" });
    // The page opened before the correction still holds version 1: refused, nothing changed.
    const stale = await correctNotice(db, actor("maqiao.planner"), { noticeId: notice.id, version: notice.version, values: form({ title: "不应保存" }) });
    expect(stale).toMatchObject({ kind: "refused", status: 409 });
    expect(await removeNotice(db, actor("maqiao.planner"), { noticeId: notice.id, version: notice.version })).toMatchObject({ status: 409 });
    const stored = await db
      .selectFrom("settlement_notice")
      .select(["title", "payment_id", "version", "amount"])
      .where("id", "=", notice.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ title: "关于医疗救助资金结算通知书", payment_id: free.id, version: 2, amount: free.amount });
    // Settled (the transfer paid in July): no longer unpaid, and paid before its due date.
    const after = await noticesPage(db, actor("maqiao.planner"), { unitIds: actor("maqiao.planner").unitSubtree, year: 2024, today: "2024-12-20" });
    expect(after.notices.find((candidate) => candidate.id === notice.id)!.status.state).toBe("paid-on-time");
    expect(await removeNotice(db, actor("maqiao.planner"), { noticeId: notice.id, version: 2 })).toMatchObject({ kind: "done" });
    expect(await db.selectFrom("settlement_notice").select("id").where("id", "=", notice.id).executeTakeFirst()).toBeUndefined();
    const deleted = await db
      .selectFrom("audit_log")
      .select(["username", "action"])
      .where("table_name", "=", "settlement_notice")
      .where("record_id", "=", String(notice.id))
      .orderBy("id")
      .execute();
    expect(deleted.map((entry) => entry.action)).toEqual(["insert", "update", "delete"]);
  });

  it("records a month's 备案 date (planners of the unit), judges it against the 10th of the next month, refuses stale or bad input", async () => {
    const project = { id: maqiao, unitId: (await db.selectFrom("project").select("unit_id").where("id", "=", maqiao).executeTakeFirstOrThrow()).unit_id, fiscalYear: 2024 };
    const record = (who: string, input: { month?: string; reportedOn: string; previous: string }) =>
      recordBatchReport(db, actor(who), { project, month: input.month ?? "2024-08", reportedOn: input.reportedOn, previous: input.previous, today: "2025-03-01" });
    expect(await record("maqiao.submitter", { reportedOn: "2024-09-12", previous: "" })).toMatchObject({ kind: "refused", status: 403 });
    expect(await record("huacao.submitter", { reportedOn: "2024-09-12", previous: "" })).toMatchObject({ kind: "refused", status: 403 });
    const bad = await record("maqiao.planner", { reportedOn: "2024-07-31", previous: "" });
    expect(bad.kind === "refused" && [bad.status, rendered(bad.error)]).toEqual([400, "备案日期应为 2024-08 月 1 日至今天（2025年3月1日）之间的日期 YYYY-MM-DD"]);
    expect(await record("maqiao.planner", { month: "2023-12", reportedOn: "2024-01-05", previous: "" })).toMatchObject({ kind: "refused", status: 400 });
    expect(await record("maqiao.planner", { reportedOn: "2024-09-12", previous: "" })).toEqual({ kind: "done" });
    // Tue 10 Sep was due; Thu 12 Sep is 2 working days late. A month with batches and no report: missing.
    const months = (await projectTimeliness(db, maqiao, { from: "2024-01-01", to: "2024-12-31" })).months;
    expect(months.find((month) => month.month === "2024-08")).toMatchObject({ reportedOn: "2024-09-12", report: { rule: "report", status: "late", deadline: "2024-09-10", workingDaysLate: 2 } });
    expect(months.find((month) => month.month === "2024-07")!.report).toEqual({ rule: "report", status: "missing" });
    // The page showed no date: someone recorded one meanwhile.
    expect(await record("maqiao.planner", { reportedOn: "2024-09-10", previous: "" })).toMatchObject({ kind: "refused", status: 409 });
    expect(await record("maqiao.planner", { reportedOn: "2024-09-10", previous: "2024-09-12" })).toEqual({ kind: "done" });
    expect((await projectTimeliness(db, maqiao, { from: "2024-08-01", to: "2024-08-31" })).months[0]!.report).toMatchObject({ status: "on-time" });
    expect(await record("maqiao.planner", { reportedOn: "", previous: "2024-09-10" })).toEqual({ kind: "done" });
    const audited = await db.selectFrom("audit_log").select(["action", "username"]).where("table_name", "=", "batch_report").orderBy("id").execute();
    expect(audited.map((entry) => `${entry.action} ${entry.username}`)).toEqual(["insert maqiao.planner", "update maqiao.planner", "delete maqiao.planner"]);
  });

  it("keeps the time rules as settings: administrators change them (audited), a bad value is refused at its field", async () => {
    expect(await timeRules(db)).toMatchObject({ rules: { reviewWorkingDays: 10, paymentWorkingDays: 5, acceptanceDays: [10, 20, 31] }, warningDays: 5 });
    const { rules } = await timeRules(db);
    expect(await saveTimeRules(db, actor("maqiao.planner"), { rules, warningDays: 3 })).toMatchObject({ kind: "refused", status: 403 });
    const refused = await saveTimeRules(db, actor("admin"), { rules: { ...rules, reviewWorkingDays: -1 }, warningDays: 61 });
    expect(refused.kind === "refused" && Object.keys(refused.errors).sort()).toEqual(["reviewWorkingDays", "warningDays"]);
    expect(await saveTimeRules(db, actor("admin"), { rules: { ...rules, reviewWorkingDays: 3 }, warningDays: 3 })).toEqual({ kind: "done" });
    expect(await timeRules(db)).toMatchObject({ rules: { reviewWorkingDays: 3 }, warningDays: 3 });
    // Stricter rules: reviews within 3 working days leave some of 马桥's batches late.
    const stricter = await projectTimeliness(db, maqiao, { from: "2024-01-01", to: "2024-12-31" });
    expect(stricter.total.late).toBeGreaterThan(0);
    const audited = await db
      .selectFrom("audit_log")
      .select("username")
      .where("table_name", "=", "setting")
      .where("record_id", "in", ["batch_rules", "notice_warning_days"])
      .execute();
    expect(audited.map((entry) => entry.username)).toEqual(["admin", "admin"]);
    expect(await saveTimeRules(db, actor("admin"), { rules: { ...rules }, warningDays: 5 })).toEqual({ kind: "done" });
  });

  it("keeps the database's own checks: a batch cannot settle a notice, nor can step dates run backwards", async () => {
    const [batch] = await db.selectFrom("payment").select("id").where("project_id", "=", maqiao).where("kind", "=", "batch").limit(1).execute();
    await expect(
      db
        .insertInto("settlement_notice")
        .values({ project_id: maqiao, title: "x", issuer: "y", amount: "1.00", due_on: "2024-12-31", payment_id: batch!.id })
        .execute(),
    ).rejects.toThrow(/is not a transfer/);
    await expect(db.updateTable("payment").set({ accepted_on: "2024-03-01", reviewed_on: "2024-02-01" }).where("id", "=", batch!.id).execute()).rejects.toThrow(
      /payment_batch_dates_order/,
    );
  });
});
