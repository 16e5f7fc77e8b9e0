import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "kysely";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { seedDemoData } from "../db/seed.ts";
import type { DB } from "../db/pool.ts";
import { projectHistory, withActor } from "../db/audit.ts";
import { runImport, type Importer, type ImportSource } from "../features/import/queries/run.ts";
import { executionReport } from "../db/execution.ts";
import { correctPayment, getCorrectablePayment, reversePayment } from "../db/corrections.ts";
import { listImportBatches, listVisibleBatches, undoImportBatch, type UndoBlocker } from "../features/import/queries/undo.ts";
import { createTrackingForm } from "../features/tracking/queries/forms.ts";
import { loadTrackingForm, trackingWrite } from "../features/tracking/queries/view.ts";
import { unitSubtreeIds } from "../db/units.ts";
import { mayUndoBatch, parsePaymentCorrection, paymentFormValues } from "../domain/corrections.ts";
import { fieldChanges } from "../domain/history.ts";
import type { ImportKind } from "../features/import/rules/columns.ts";
import type { Role } from "../domain/permissions.ts";
import { money } from "../domain/money.ts";
import { forecastInput } from "../db/forecast-input.ts";
import { planLines } from "../features/plan/rules/zero-based-plan.ts";
import { render, translate, type MessageKey } from "../app/i18n.ts";

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const HUACAO = "上海市闵行区华漕镇社区事务受理中心";
const PAYMENTS = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"];
const ADJUSTMENTS = ["年度", "预算单位", "项目名称", "项目明细", "调整日期", "调整金额(元)", "资金级次", "调整原因"];
const LINES = ["年度", "预算单位", "上级单位", "项目名称", "项目构成", "项目明细", "资金级次", "资金类型", "年初预算(元)"];

function source(headers: string[], rows: string[][]): ImportSource {
  return {
    headers,
    rows: (async function* () {
      for (const [index, cells] of rows.entries()) yield { rowNumber: index + 2, cells };
    })(),
  };
}

/** 撤销导入, 更正 and 冲销 against a real database: figures, rollup, audit trail, dependants, permissions. */
describe("corrections", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let maqiaoId: number;
  let huacaoId: number;
  let planner: Importer & { userId: number };
  let hashes = 0;
  const users: Record<string, { id: number; unitId: number; roles: Role[] }> = {};

  const importFile = async (kind: ImportKind, headers: string[], rows: string[][], importer: Importer = planner) => {
    const report = await runImport(db, { kind, source: source(headers, rows), fileHash: (++hashes).toString(16).padStart(64, "0"), fileName: `${kind}-${hashes}.csv`, importer, commit: true });
    expect(report.errors).toEqual([]);
    expect(report.committed).toBe(true);
    const batch = await db.selectFrom("import_batch").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
    return batch.id;
  };
  const executed = async (projectId: number, asOf: string) => (await executionReport(db, { year: 2024, asOf })).rows.find((row) => row.projectId === projectId)!.executed;
  const adjusted = async (projectId: number, asOf: string) => (await executionReport(db, { year: 2024, asOf })).rows.find((row) => row.projectId === projectId)!.adjusted;
  /** The monthly rollup as stored, and as the rule recomputes it from the payments (zero months left out). */
  const rollup = async (projectId: number) => {
    const stored = await sql<{ month: string; executed: string }>`
      SELECT month::text, executed::text FROM execution_monthly WHERE project_id = ${projectId} AND executed <> 0 ORDER BY month`.execute(db);
    const computed = await sql<{ month: string; executed: string }>`
      SELECT month::text, sum(x)::numeric(18,2)::text AS executed FROM (
        SELECT date_trunc('month', paid_on)::date AS month, amount - returned_amount AS x FROM payment WHERE project_id = ${projectId}
        UNION ALL SELECT date_trunc('month', reissued_on)::date, returned_amount FROM payment WHERE project_id = ${projectId} AND reissued_on IS NOT NULL) c
      GROUP BY month HAVING sum(x) <> 0 ORDER BY month`.execute(db);
    expect(stored.rows).toEqual(computed.rows);
    return Object.fromEntries(stored.rows.map((row) => [row.month, row.executed]));
  };
  const actor = (name: string) => ({ userId: users[name]!.id, username: name });
  const batchActor = async (name: string) => ({ userId: users[name]!.id, roles: users[name]!.roles, unitSubtree: new Set(await unitSubtreeIds(db, users[name]!.unitId)) });
  const batchOf = async (id: number) => (await listImportBatches(db, { ids: [id] }))[0]!;
  const undo = (id: number, name = "maqiao.planner", reason = "导入了错误的文件") => undoImportBatch(db, actor(name), id, reason);

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl")));
    // With the filed demo form: 华漕's 运行监控表 to 31 August 2024, accepted.
    await seedDemoData(db, { trackingForms: true });
    maqiaoId = await projectIdOf(db, MAQIAO, 2024, "医疗救助");
    huacaoId = await projectIdOf(db, HUACAO, 2024);
    for (const user of await db.selectFrom("app_user").select(["id", "username", "unit_id", "roles"]).execute()) {
      users[user.username] = { id: user.id, unitId: user.unit_id, roles: user.roles as Role[] };
    }
    const maqiaoUnit = users["maqiao.planner"]!.unitId;
    planner = { userId: users["maqiao.planner"]!.id, username: "maqiao.planner", unitSubtree: await unitSubtreeIds(db, maqiaoUnit), defaultParentUnitId: maqiaoUnit };
  });
  afterAll(async () => drop());

  it("undoes a payments batch: the dashboard, the rollup and a draft tracking form follow at once, and the trail says who and why", async () => {
    // A draft 运行监控表 of 马桥 to 31 August, saved before the import.
    const draft = (await loadTrackingForm(db, maqiaoId, { periodEnd: null }))!;
    const { values, indicators } = trackingWrite(draft);
    await withActor(db, actor("maqiao.submitter"), (trx) =>
      createTrackingForm(trx, { projectId: maqiaoId, periodStart: draft.periodStart, periodEnd: draft.periodEnd }, values, indicators, actor("maqiao.submitter")),
    );
    const before = { executed: await executed(maqiaoId, "2024-08-31"), rollup: await rollup(maqiaoId), form: (await loadTrackingForm(db, maqiaoId, { periodEnd: null }))!.executed };
    expect(before.form).toBe(before.executed);

    const batchId = await importFile("payments", PAYMENTS, [
      ["2024", MAQIAO, "医疗救助", "", "2024-08-12", "社会化发放", "40", "12,345.67", "", "", "", "", "八月补发（误导入）"],
      ["2024", MAQIAO, "医疗救助", "", "2024-07-20", "社会化发放", "5", "1000.00", "", "1", "200.00", "2024-08-20", "七月（误导入）"],
    ]);
    const during = await executed(maqiaoId, "2024-08-31");
    expect(during).toBe(plus(before.executed, "13345.67")); // 12,345.67 + 1,000.00 (its returned 200.00 re-issued on 08-20)
    expect((await rollup(maqiaoId))["2024-08-01"]).not.toBe(before.rollup["2024-08-01"]);
    expect((await loadTrackingForm(db, maqiaoId, { periodEnd: null }))!).toMatchObject({ status: "draft", executed: during });

    const outcome = await undo(batchId, "maqiao.planner", "文件是七月的旧版本");
    expect(outcome).toMatchObject({ undone: { id: batchId, undoneBy: "maqiao.planner", undoReason: "文件是七月的旧版本" } });
    expect(await executed(maqiaoId, "2024-08-31")).toBe(before.executed);
    expect(await rollup(maqiaoId)).toEqual(before.rollup);
    expect((await loadTrackingForm(db, maqiaoId, { periodEnd: null }))!.executed).toBe(before.executed);
    expect(await db.selectFrom("payment").select("id").where("import_batch_id", "=", batchId).execute()).toEqual([]);

    // 变更记录: one 撤销导入 entry for the project, and each removed payment with the values it had.
    const history = await projectHistory(db, maqiaoId);
    const entry = history.find((e) => e.tableName === "import_batch" && e.action === "update")!;
    expect(entry).toMatchObject({ username: "maqiao.planner", recordId: String(batchId) });
    expect(fieldChanges(entry.before, entry.after)).toEqual(
      expect.arrayContaining([
        { field: "status", label: "状态", before: "已导入", after: "已撤销" },
        { field: "undo_reason", label: "撤销原因", before: "", after: "文件是七月的旧版本" },
        { field: "amount", label: "金额", before: "", after: "13345.67" },
      ]),
    );
    const removed = history.filter((e) => e.tableName === "payment" && e.action === "delete");
    expect(removed.map((e) => e.before!.amount).sort()).toEqual(["1000.00", "12345.67"]);
    // Undone once, undone for good.
    expect(await undo(batchId)).toEqual({ blockers: [{ code: "corBlk_alreadyUndone", params: expect.objectContaining({ username: "maqiao.planner" }) }] });
  });

  it("refuses to undo a batch one of whose payments was corrected or reversed since, naming it", async () => {
    const batchId = await importFile("payments", PAYMENTS, [
      ["2024", MAQIAO, "医疗救助", "", "2024-09-03", "社会化发放", "10", "3000.00", "", "", "", "", "九月"],
      ["2024", MAQIAO, "医疗救助", "", "2024-09-04", "社会化发放", "12", "3600.00", "", "", "", "", "九月"],
    ]);
    const [first, second] = await db.selectFrom("payment").select(["id", "version"]).where("import_batch_id", "=", batchId).orderBy("id").execute();
    const stored = (await getCorrectablePayment(db, first!.id))!;
    await withActor(db, actor("maqiao.planner"), (trx) => correctPayment(trx, first!.id, first!.version, { ...stored, returnedCount: 1, returnedAmount: "300.00" }, "一人退回"));
    await withActor(db, actor("maqiao.planner"), (trx) => reversePayment(trx, second!.id, second!.version, "2024-09-30", "重复支付"));
    const executedBefore = await executed(maqiaoId, "2024-12-31");

    const outcome = await undo(batchId);
    expect(outcome).toMatchObject({
      blockers: [
        { code: "corBlk_paymentCorrected", params: { payment: first!.id, date: "2024-09-03", amount: "3000.00", change: expect.stringContaining("maqiao.planner") } },
        { code: "corBlk_paymentReversed", params: { payment: second!.id, date: "2024-09-30" } },
      ],
    });
    // The message shows the amount as money.
    expect(render("zh", (outcome as { blockers: UndoBlocker[] }).blockers[0]!)).toContain("（医疗救助，2024-09-03，3,000.00 元）导入后已被更正");
    // Nothing was written.
    expect(await executed(maqiaoId, "2024-12-31")).toBe(executedBefore);
    expect((await batchOf(batchId)).undoneAt).toBeNull();
    expect(await db.selectFrom("payment").select("id").where("import_batch_id", "=", batchId).execute()).toHaveLength(2);
  });

  it("refuses to undo adjustments whose budget later payments use, and undoes them otherwise", async () => {
    const figures = (await executionReport(db, { year: 2024, asOf: "2024-12-31" })).rows.find((row) => row.projectId === huacaoId)!;
    const room = plus(figures.adjusted, `-${figures.executed}`);
    // 华漕 has one line; the adjustment adds 100,000.00, then a payment spends it and more than the room left before.
    const line = await db.selectFrom("budget_line").select("item").where("project_id", "=", huacaoId).executeTakeFirstOrThrow();
    const admin = { userId: users.admin!.id, username: "admin", unitSubtree: null, defaultParentUnitId: null };
    const adjustments = await importFile("adjustments", ADJUSTMENTS, [["2024", HUACAO, "医疗救助", line.item, "2024-10-08", "100000", "镇级", "追加"]], admin);
    expect(await adjusted(huacaoId, "2024-12-31")).toBe(plus(figures.adjusted, "100000"));
    const spend = plus(room, "50000");
    const payments = await importFile("payments", PAYMENTS, [["2024", HUACAO, "医疗救助", "", "2024-11-15", "社会化发放", "100", spend, "", "", "", "", "追加后支付"]], admin);

    const refused = await undo(adjustments, "admin");
    expect(refused).toEqual({
      blockers: [
        { code: "corBlk_overBudget", params: { project: "医疗救助", year: "2024", added: "100000.00", budget: figures.adjusted, executed: plus(figures.executed, spend), used: "50000.00" } },
      ],
    });
    // The payments go first; then nothing uses the added budget and the adjustment can go.
    expect(await undo(payments, "admin")).toHaveProperty("undone");
    expect(await undo(adjustments, "admin", "文号有误")).toHaveProperty("undone");
    expect(await adjusted(huacaoId, "2024-12-31")).toBe(figures.adjusted);
    expect(await executed(huacaoId, "2024-12-31")).toBe(figures.executed);
    const entry = (await projectHistory(db, huacaoId)).find((e) => e.tableName === "budget_adjustment" && e.action === "delete")!;
    expect(entry.before).toMatchObject({ amount: "100000.00", reason: "追加" });
  });

  it("refuses to undo adjustments one of which was edited since, naming it with its date and amount", async () => {
    const batchId = await importFile("adjustments", ADJUSTMENTS, [["2024", MAQIAO, "医疗救助", "市级政策住院救助", "2024-10-20", "12345", "镇级", "追加"]]);
    const effect = await db.selectFrom("import_batch_effect").select("record_id").where("import_batch_id", "=", batchId).where("table_name", "=", "budget_adjustment").executeTakeFirstOrThrow();
    await withActor(db, actor("maqiao.planner"), (trx) => trx.updateTable("budget_adjustment").set({ reason: "追加（文号更正）" }).where("id", "=", effect.record_id).execute());
    const refused = await undo(batchId);
    expect(refused).toMatchObject({
      blockers: [{ code: "corBlk_adjustmentChanged", params: { project: "医疗救助", item: "市级政策住院救助", date: "2024-10-20", amount: "12345.00", change: expect.stringContaining("maqiao.planner") } }],
    });
    const text = render("en", (refused as { blockers: UndoBlocker[] }).blockers[0]!);
    expect(text).toContain("(市级政策住院救助, 2024-10-20, 12,345.00 yuan) was changed after the import");
    // 马桥's budget as it was, for the tests that follow.
    expect((await batchOf(batchId)).undoneAt).toBeNull();
    await withActor(db, actor("maqiao.planner"), (trx) => trx.deleteFrom("budget_adjustment").where("id", "=", effect.record_id).execute());
  });

  it("undoes a budget-lines import: changed lines get their values back, created lines, projects and units go — unless used", async () => {
    const stored = await db.selectFrom("budget_line").select(["id", "initial_amount", "version"]).where("project_id", "=", maqiaoId).where("item", "=", "市级政策住院救助").executeTakeFirstOrThrow();
    const batchId = await importFile("budget-lines", LINES, [
      ["2024", MAQIAO, "", "医疗救助", "医疗救助", "市级政策住院救助", "镇级", "当年财政拨款", "3380000"],
      ["2024", MAQIAO, "", "医疗救助", "医疗救助", "门诊慢病补助（新增）", "镇级", "当年财政拨款", "5000"],
      ["2025", "马桥镇 医疗救助窗口", "", "医疗救助", "", "门急诊救助", "镇级", "当年财政拨款", "1000"],
    ]);
    expect((await batchOf(batchId)).parts.map((part) => [part.projectName, part.fiscalYear, part.rows])).toEqual(
      expect.arrayContaining([
        ["医疗救助", 2024, 2],
        ["医疗救助", 2025, 1],
      ]),
    );
    // A payment on the line the batch created depends on it.
    const created = await db.selectFrom("budget_line").select("id").where("item", "=", "门诊慢病补助（新增）").executeTakeFirstOrThrow();
    const payment = await withActor(db, actor("maqiao.planner"), (trx) =>
      trx.insertInto("payment").values({ project_id: maqiaoId, budget_line_id: created.id, paid_on: "2024-10-01", kind: "batch", person_times: 1, amount: "100.00" }).returning("id").executeTakeFirstOrThrow(),
    );
    // It also spends budget the batch added, if the project has nothing left without it; either way the undo is refused.
    const refused = await undo(batchId);
    expect(refused).toMatchObject({ blockers: expect.arrayContaining([{ code: "corBlk_linePaid", params: { project: "医疗救助", item: "门诊慢病补助（新增）", count: "1" } }]) });

    await withActor(db, actor("maqiao.planner"), (trx) => trx.deleteFrom("payment").where("id", "=", payment.id).execute());
    expect(await undo(batchId, "maqiao.planner", "万元误作元")).toHaveProperty("undone");
    const restored = await db.selectFrom("budget_line").select(["initial_amount", "version"]).where("id", "=", stored.id).executeTakeFirstOrThrow();
    expect(restored.initial_amount).toBe(stored.initial_amount);
    expect(await db.selectFrom("budget_line").select("id").where("id", "=", created.id).execute()).toEqual([]);
    expect(await db.selectFrom("org_unit").select("id").where("name", "=", "马桥镇 医疗救助窗口").execute()).toEqual([]);
    expect(await db.selectFrom("project").select("id").where("fiscal_year", "=", 2025).where("name", "=", "医疗救助").execute()).toEqual([]);
    // The undone batch is still listed, with the projects it had (the 2025 one now gone).
    expect((await batchOf(batchId)).parts.map((part) => part.projectName)).toEqual(["医疗救助", "医疗救助"]);
  });

  it("lets the importer, a manager of the unit and an administrator undo — nobody else", async () => {
    const batch = await batchOf(await importFile("payments", PAYMENTS, [["2024", MAQIAO, "医疗救助", "", "2024-10-09", "社会化发放", "1", "10.00", "", "", "", "", ""]]));
    expect(batch.unitIds).toEqual([users["maqiao.planner"]!.unitId]);
    expect(mayUndoBatch(await batchActor("maqiao.planner"), batch)).toBe(true);
    expect(mayUndoBatch(await batchActor("minhang.manager"), batch)).toBe(true);
    expect(mayUndoBatch(await batchActor("admin"), batch)).toBe(true);
    expect(mayUndoBatch(await batchActor("minhang.viewer"), batch)).toBe(false);
    expect(mayUndoBatch(await batchActor("maqiao.submitter"), batch)).toBe(false);
    // A manager of another unit (华漕's), and a planner who did not import it.
    const huacaoUnit = users["huacao.submitter"]!.unitId;
    expect(mayUndoBatch({ userId: 999, roles: ["manager"], unitSubtree: new Set(await unitSubtreeIds(db, huacaoUnit)) }, batch)).toBe(false);
    expect(mayUndoBatch({ userId: 998, roles: ["planner"], unitSubtree: new Set(await unitSubtreeIds(db, users["maqiao.planner"]!.unitId)) }, batch)).toBe(false);
  });

  it("refuses an undo without a reason (the database too)", async () => {
    const batchId = await importFile("payments", PAYMENTS, [["2024", MAQIAO, "医疗救助", "", "2024-10-10", "社会化发放", "1", "11.00", "", "", "", "", ""]]);
    await expect(undoImportBatch(db, actor("maqiao.planner"), batchId, " ")).rejects.toThrow(/import_batch_undo_reason/);
    expect((await batchOf(batchId)).undoneAt).toBeNull();
    expect(await db.selectFrom("payment").select("id").where("import_batch_id", "=", batchId).execute()).toHaveLength(1);
  });

  it("corrects a payment with a reason, keeping the old values in the trail, and refuses a stale correction", async () => {
    const payment = await db.selectFrom("payment").select(["id", "version"]).where("project_id", "=", huacaoId).orderBy("id").executeTakeFirstOrThrow();
    const stored = (await getCorrectablePayment(db, payment.id))!;
    const executedBefore = await executed(huacaoId, "2024-08-31");
    const form = { ...paymentFormValues(stored), amount: "1,000.00", note: "更正后的备注", reason: "金额录入错误" };
    const parsed = parsePaymentCorrection(form, stored.lines.map((line) => line.id));
    if ("errors" in parsed) throw new Error(JSON.stringify(parsed.errors));
    const saved = await withActor(db, actor("maqiao.planner"), (trx) => correctPayment(trx, payment.id, payment.version, parsed.values, parsed.reason));
    expect(saved).toEqual({ version: payment.version + 1 });
    expect(await executed(huacaoId, "2024-08-31")).toBe(plus(executedBefore, `-${stored.amount}`, "1000"));
    await rollup(huacaoId);

    const [entry] = (await projectHistory(db, huacaoId)).filter((e) => e.tableName === "payment" && e.action === "update");
    expect(entry).toMatchObject({ username: "maqiao.planner", recordId: payment.id });
    expect(fieldChanges(entry!.before, entry!.after)).toEqual(
      expect.arrayContaining([
        { field: "amount", label: "金额", before: stored.amount, after: "1000.00" },
        { field: "note", label: "备注", before: stored.note ?? "", after: "更正后的备注" },
        { field: "correction_reason", label: "更正/冲销原因", before: "", after: "金额录入错误" },
      ]),
    );

    // Someone who opened the form before that save: refused, nothing written.
    const stale = await withActor(db, actor("maqiao.planner"), (trx) => correctPayment(trx, payment.id, payment.version, { ...parsed.values, amount: "2000.00" }, "另一更正"));
    expect(stale).toBe("conflict");
    expect((await getCorrectablePayment(db, payment.id))!.amount).toBe("1000.00");
  });

  it("corrects an amount beyond the project's whole budget for the year only when confirmed (as an import, decision 012)", async () => {
    const payment = await db.selectFrom("payment").select(["id", "version"]).where("project_id", "=", huacaoId).orderBy("id", "desc").executeTakeFirstOrThrow();
    const stored = (await getCorrectablePayment(db, payment.id))!;
    const parsed = parsePaymentCorrection({ ...paymentFormValues(stored), amount: "50,000,000.00", reason: "按凭证更正" }, stored.lines.map((line) => line.id));
    if ("errors" in parsed) throw new Error(JSON.stringify(parsed.errors));
    const correct = (accept: boolean) =>
      withActor(db, actor("maqiao.planner"), (trx) => correctPayment(trx, payment.id, payment.version, parsed.values, parsed.reason, { acceptOverBudget: accept }));
    const budget = await adjusted(huacaoId, "2024-12-31");
    expect(await correct(false)).toEqual({ overBudget: budget });
    expect((await getCorrectablePayment(db, payment.id))!.amount).toBe(stored.amount);
    expect(await correct(true)).toEqual({ version: payment.version + 1 });
    expect((await getCorrectablePayment(db, payment.id))!.amount).toBe("50000000.00");
    // Changing something else of that payment later does not ask again; lowering it back needs nothing either.
    const back = parsePaymentCorrection({ ...paymentFormValues((await getCorrectablePayment(db, payment.id))!), amount: stored.amount, reason: "改回" }, stored.lines.map((line) => line.id));
    if ("errors" in back) throw new Error(JSON.stringify(back.errors));
    expect(await withActor(db, actor("maqiao.planner"), (trx) => correctPayment(trx, payment.id, payment.version + 1, back.values, back.reason))).toEqual({ version: payment.version + 2 });
  });

  it("reverses a payment with a reversing entry: figures before the reversal date stay, after it the pair counts nothing", async () => {
    const [payment] = await db.selectFrom("payment").select(["id", "version", "amount", "paid_on", "returned_amount"]).where("project_id", "=", maqiaoId).where("paid_on", "<", "2024-06-01").orderBy("id").limit(1).execute();
    const net = plus(payment!.amount, `-${payment!.returned_amount}`);
    const before = { june: await executed(maqiaoId, "2024-06-30"), july: await executed(maqiaoId, "2024-07-31") };
    const result = await withActor(db, actor("maqiao.planner"), (trx) => reversePayment(trx, payment!.id, payment!.version, "2024-07-10", "重复发放，红字冲销"));
    if (typeof result === "string") throw new Error(result);
    const reversal = (await getCorrectablePayment(db, result.reversalId))!;
    expect(reversal).toMatchObject({ amount: `-${payment!.amount}`, paidOn: "2024-07-10", reversesPaymentId: payment!.id, correctionReason: "重复发放，红字冲销" });
    // The original stays as it was; June's figure is what was reported then, July's drops by the net amount.
    expect((await getCorrectablePayment(db, payment!.id))!).toMatchObject({ amount: payment!.amount, version: payment!.version, reversedById: result.reversalId });
    expect(await executed(maqiaoId, "2024-06-30")).toBe(before.june);
    expect(await executed(maqiaoId, "2024-07-31")).toBe(plus(before.july, `-${net}`));
    await rollup(maqiaoId);
    const [entry] = (await projectHistory(db, maqiaoId)).filter((e) => e.tableName === "payment" && e.action === "insert" && e.recordId === result.reversalId);
    expect(entry!.after).toMatchObject({ amount: `-${payment!.amount}`, correction_reason: "重复发放，红字冲销" });
    expect(String(entry!.after!.reverses_payment_id)).toBe(payment!.id);

    // Next year's plan reads the reversal as part of the history (a negative entry in July) and still answers.
    const plan = planLines(await forecastInput(db, { targetYear: 2025, unitId: users["maqiao.planner"]!.unitId }));
    expect(plan.lines.length).toBeGreaterThan(0);

    // Once reversed: no second reversal, no correction; a reversing entry is never changed; the ledger refuses forged ones.
    expect(await withActor(db, actor("maqiao.planner"), (trx) => reversePayment(trx, payment!.id, payment!.version, "2024-07-11", "再次"))).toBe("reversed");
    expect(await withActor(db, actor("maqiao.planner"), (trx) => reversePayment(trx, result.reversalId, 1, "2024-07-11", "冲销冲销"))).toBe("is-reversal");
    await expect(db.updateTable("payment").set({ note: "改" }).where("id", "=", result.reversalId).execute()).rejects.toThrow(/reversing entry cannot be changed/);
    await expect(db.deleteFrom("payment").where("id", "=", payment!.id).execute()).rejects.toThrow(/has a reversing entry/);
    await expect(
      db.insertInto("payment").values({ project_id: maqiaoId, paid_on: "2024-07-01", kind: "batch", person_times: 1, amount: "-5.00" }).execute(),
    ).rejects.toThrow(/payment_amount_sign/);
    await expect(
      db.insertInto("payment").values({ project_id: maqiaoId, paid_on: "2024-07-01", kind: "batch", person_times: 1, amount: "-5.00", reverses_payment_id: "1" }).execute(),
    ).rejects.toThrow(/must mirror/);
  });

  it("leaves an accepted tracking form's figures as filed through imports, corrections and undo", async () => {
    const filed = (await loadTrackingForm(db, huacaoId, { periodEnd: null }))!;
    expect(filed).toMatchObject({ status: "accepted", frozen: true });
    const admin = { userId: users.admin!.id, username: "admin", unitSubtree: null, defaultParentUnitId: null };
    const batchId = await importFile("payments", PAYMENTS, [["2024", HUACAO, "医疗救助", "", "2024-08-20", "社会化发放", "3", "4,321.00", "", "", "", "", "八月漏记"]], admin);
    expect(await executed(huacaoId, "2024-08-31")).not.toBe(filed.executed);
    expect((await loadTrackingForm(db, huacaoId, { periodEnd: null }))!).toMatchObject({ budget: filed.budget, executed: filed.executed, evaluation: filed.evaluation });
    expect(await undo(batchId, "minhang.manager", "重复导入")).toHaveProperty("undone");
    expect((await loadTrackingForm(db, huacaoId, { periodEnd: null }))!).toMatchObject({ budget: filed.budget, executed: filed.executed, evaluation: filed.evaluation });
    const stored = await db.selectFrom("tracking_form").select(["budget", "executed", "execution_rate"]).where("project_id", "=", huacaoId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ budget: filed.budget, executed: filed.executed });
  });

  it("lists a user's batches in 导入记录 however many newer batches of others there are (read page by page)", async () => {
    const all = await listImportBatches(db, { limit: 10_000 });
    expect(all.length).toBeGreaterThan(3);
    const oldest = all.at(-1)!;
    // Only the oldest is "visible", read two at a time: the old limit-then-filter would have listed nothing.
    const visible = await listVisibleBatches(db, (batch) => batch.id === oldest.id, { limit: 1, page: 2 });
    expect(visible.map((batch) => batch.id)).toEqual([oldest.id]);
    expect((await listVisibleBatches(db, () => true, { limit: 3, page: 2 })).map((batch) => batch.id)).toEqual(all.slice(0, 3).map((batch) => batch.id));
  });
});

/** Exact sums of amount strings: plus("1.10", "-0.20") → "0.90". */
function plus(...amounts: string[]): string {
  return amounts.reduce((sum, amount) => sum.plus(money(amount)), money("0")).toFixed(2);
}

