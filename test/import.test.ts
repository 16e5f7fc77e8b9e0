import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { projectHistory } from "../db/audit.ts";
import { fieldChanges } from "../domain/history.ts";
import { runImport as runImportWithCodes, type Importer, type ImportSource } from "../features/import/queries/run.ts";
import { reportText } from "../features/import/rules/render.ts";

/** An import whose report's messages are their Chinese text (the catalogue's, as users see them). */
const runImport = async (...args: Parameters<typeof runImportWithCodes>) => reportText("zh", await runImportWithCodes(...args));
import { executionReport } from "../db/execution.ts";
import type { DB } from "../db/pool.ts";
import type { ImportKind } from "../features/import/rules/columns.ts";
import { formatAmount, money } from "../domain/money.ts";

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const HUACAO = "上海市闵行区华漕镇社区事务受理中心";
const PAYMENT_HEADERS = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"];

function source(headers: string[], rows: string[][]): ImportSource {
  return {
    headers,
    rows: (async function* () {
      for (const [index, cells] of rows.entries()) yield { rowNumber: index + 2, cells };
    })(),
  };
}

const cli: Importer = { userId: null, username: "cli", unitSubtree: null, defaultParentUnitId: null };

/** The import pipeline against a real database: dry run, all-or-nothing commit, idempotence, scope. */
describe("import", () => {
  let db: DB;
  let drop: () => Promise<void>;
  const run = (kind: ImportKind, headers: string[], rows: string[][], options: { commit?: boolean; hash?: string; importer?: Importer } = {}) =>
    runImport(db, {
      kind,
      source: source(headers, rows),
      fileHash: options.hash ?? "a".repeat(64),
      fileName: "test.csv",
      importer: options.importer ?? cli,
      commit: options.commit ?? true,
    });
  const paymentCount = async () => Number((await db.selectFrom("payment").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
  const executedOf = async (unit: string, asOf: string) => (await executionReport(db, { year: 2024, asOf })).rows.find((row) => row.unitName === unit)!;

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
  });
  afterAll(async () => drop());

  const decemberBatches = [
    ["2024", HUACAO, "医疗救助", "", "2024-09-10", "社会化发放", "70", "30,000.00", "", "", "", "", "九月第一批"],
    ["2024", HUACAO, "医疗救助", "", "2024-09-20", "社会化发放", "65", "28000.5", "", "1", "300", "2024-09-30", "1人退回已重发"],
  ];

  it("refuses a file with one bad row entirely, naming row and column, and changes nothing", async () => {
    const before = await paymentCount();
    const report = await run("payments", PAYMENT_HEADERS, [...decemberBatches, ["2024", "不存在的中心", "医疗救助", "", "2024-09-25", "社会化发放", "1", "10", "", "", "", "", ""]]);
    expect(report.committed).toBe(false);
    expect(report.errors).toEqual([{ rowNumber: 4, column: "预算单位", message: "未知的预算单位“不存在的中心”" }]);
    expect(await paymentCount()).toBe(before);
  });

  it("shows an unreadable row in the dry-run grid with its cells as written, so that it can be found", async () => {
    const report = await run("payments", PAYMENT_HEADERS, [
      ...decemberBatches,
      ["2024", HUACAO, "医疗救助", "", "2024-09-26", "社会化发放", "3", "abc", "", "", "", "", ""],
      ["2024", HUACAO, "医疗救助", "", "9月27日", "社会化发放", "2", "1,200.00", "", "", "", "", ""],
    ]);
    expect(report.committed).toBe(false);
    const unreadable = report.rows.filter((row) => row.status === "error").map(({ rowNumber, year, unit, project, date, personTimes, amount }) => ({ rowNumber, year, unit, project, date, personTimes, amount }));
    expect(unreadable).toEqual([
      { rowNumber: 4, year: 2024, unit: HUACAO, project: "医疗救助", date: "2024-09-26", personTimes: 3, amount: "" },
      { rowNumber: 5, year: 2024, unit: HUACAO, project: "医疗救助", date: "9月27日", personTimes: 2, amount: "1200.00" },
    ]);
  });

  it("imports all rows in one go, and the execution figures move at once", async () => {
    const dry = await run("payments", PAYMENT_HEADERS, decemberBatches, { commit: false });
    expect(dry).toMatchObject({ committed: false, added: 2, errors: [] });
    expect((await executedOf(HUACAO, "2024-09-30")).executed).toBe("959622.79");

    const report = await run("payments", PAYMENT_HEADERS, decemberBatches);
    expect(report).toMatchObject({ committed: true, added: 2, unchanged: 0 });
    // 959,622.79 + 30,000.00 + 28,000.50
    expect((await executedOf(HUACAO, "2024-09-30")).executed).toBe("1017623.29");
    // On 09-25 the returned 300.00 is not yet re-issued.
    expect((await executedOf(HUACAO, "2024-09-25")).executed).toBe("1017323.29");
    // The audit trail records the import once per project (not once per payment), naming the batch
    // that every imported payment carries; the project's history shows it.
    const batch = await db.selectFrom("import_batch").select(["id", "rows_added"]).where("file_hash", "=", "a".repeat(64)).executeTakeFirstOrThrow();
    expect(batch.rows_added).toBe(2);
    const imported = await db.selectFrom("payment").select("import_batch_id").where("note", "in", ["九月第一批", "1人退回已重发"]).execute();
    expect(imported).toEqual([{ import_batch_id: batch.id }, { import_batch_id: batch.id }]);
    expect(await db.selectFrom("audit_log").select("id").where("table_name", "=", "payment").where("username", "=", "cli").execute()).toHaveLength(0);
    const projectId = await projectIdOf(db, HUACAO);
    const [entry] = (await projectHistory(db, projectId)).filter((e) => e.tableName === "import_batch");
    expect(entry).toMatchObject({ username: "cli", action: "insert", recordId: String(batch.id), after: { file_name: "test.csv", rows: 2, amount: "58000.50" } });
    expect(fieldChanges(entry!.before, entry!.after).map((change) => `${change.label}：${change.after}`)).toEqual(
      expect.arrayContaining(["文件名：test.csv", "行数：2", "金额：58000.50"]),
    );
  });

  it("keeps the batch of imported payments valid: no unknown batch, no changed batch, no removed batch", async () => {
    const { id: batchId } = await db.selectFrom("import_batch").select("id").where("file_hash", "=", "a".repeat(64)).executeTakeFirstOrThrow();
    const projectId = await projectIdOf(db, HUACAO);
    const payment = { project_id: projectId, budget_line_id: null, paid_on: "2024-10-01", kind: "batch" as const, person_times: 1, amount: "1.00", due_on: null, reissued_on: null, note: null };
    await expect(db.insertInto("payment").values({ ...payment, import_batch_id: batchId + 1000 }).execute()).rejects.toMatchObject({ code: "23503" });
    const imported = await db.selectFrom("payment").select("id").where("import_batch_id", "=", batchId).executeTakeFirstOrThrow();
    await expect(db.updateTable("payment").set({ import_batch_id: null }).where("id", "=", imported.id).execute()).rejects.toThrow(/cannot be changed/);
    await expect(db.deleteFrom("import_batch").where("id", "=", batchId).execute()).rejects.toThrow(/cannot be changed or removed/);
    // A payment entered by hand is still audited row by row.
    const { id } = await db.insertInto("payment").values(payment).returning("id").executeTakeFirstOrThrow();
    expect(await db.selectFrom("audit_log").select("record_id").where("table_name", "=", "payment").where("record_id", "=", id).execute()).toHaveLength(1);
    await db.deleteFrom("payment").where("id", "=", id).execute();
  });

  it("warns when a file's payments fill in months the ledger already has: a year held as one total would count twice", async () => {
    // 马桥's 2023 is one payment of 1,155,200.00 dated 2023-12-31 (the year's total, seeds/001 表1-3-3).
    const may = ["2023", MAQIAO, "医疗救助", "医疗救助（年度合计）", "2023-05-10", "社会化发放", "80", "96,000.00", "", "", "", "", "五月"];
    const june = ["2023", MAQIAO, "医疗救助", "", "2023-06-12", "社会化发放", "70", "84,000.00", "", "", "", "", "六月"];
    const report = await run("payments", PAYMENT_HEADERS, [may, june], { commit: false, hash: "9a".repeat(32) });
    expect(report.errors).toEqual([]);
    const backfills = report.warnings.filter((warning) => warning.message.includes("重复计算"));
    expect(backfills.map((warning) => `${warning.rowNumber}: ${warning.message}`)).toEqual([
      `2: 2023 ${MAQIAO} 医疗救助 医疗救助（年度合计）：本文件 1 笔支付（96,000.00 元）最早为 2023-05-10，早于台账中该明细最晚的支付（2023-12-31；已有 1 笔，合计 1,155,200.00 元）。若台账已含相同月份或全年汇总数，执行数将重复计算`,
      `3: 2023 ${MAQIAO} 医疗救助 ：本文件 1 笔支付（84,000.00 元）最早为 2023-06-12，早于台账中该明细最晚的支付（2023-12-31；已有 1 笔，合计 1,155,200.00 元）。若台账已含相同月份或全年汇总数，执行数将重复计算`,
    ]);
    // A file that continues the ledger (from its latest payment's day on) is not warned about.
    const latest = await sql<{ latest: string }>`SELECT max(p.paid_on)::text AS latest FROM payment p JOIN project j ON j.id = p.project_id JOIN org_unit u ON u.id = j.unit_id
      WHERE u.name = ${HUACAO} AND j.fiscal_year = 2024 AND j.name = '医疗救助'`.execute(db);
    const day = latest.rows[0]!.latest;
    const later = await run("payments", PAYMENT_HEADERS, [["2024", HUACAO, "医疗救助", "", day, "社会化发放", "5", "2,000.00", "", "", "", "", "续"]], { commit: false, hash: "9b".repeat(32) });
    expect(later.warnings.filter((warning) => warning.message.includes("重复计算"))).toEqual([]);
  });

  it("changes nothing when the same file comes again, or the same rows in another file", async () => {
    const before = await paymentCount();
    const again = await run("payments", PAYMENT_HEADERS, decemberBatches);
    expect(again.alreadyImported).toBe(true);
    const sameRows = await run("payments", PAYMENT_HEADERS, decemberBatches, { hash: "b".repeat(64) });
    expect(sameRows).toMatchObject({ committed: true, added: 0, unchanged: 2 });
    expect(await paymentCount()).toBe(before);
  });

  it("warns about duplicates, dates outside the year, 元/万元 slips, totals that do not foot, and overspending", async () => {
    const rows = [
      ["2024", MAQIAO, "医疗救助", "", "2024-12-21", "社会化发放", "10", "1,000.00", "", "", "", "", ""],
      ["2024", MAQIAO, "医疗救助", "", "2024-12-21", "社会化发放", "10", "1,000.00", "", "", "", "", ""],
      ["2024", MAQIAO, "医疗救助", "", "2025-01-05", "社会化发放", "12", "1,200.00", "", "", "", "", ""],
      ["2024", MAQIAO, "医疗救助", "", "2024-12-22", "社会化发放", "11", "1,100.00", "", "", "", "", ""],
      ["2024", MAQIAO, "医疗救助", "", "2024-12-23", "社会化发放", "9", "230,000,000.00", "", "", "", "", "元/万元 写错"],
      ["", "合计", "", "", "", "", "", "230,004,400.00", "", "", "", "", ""],
    ];
    const report = await run("payments", PAYMENT_HEADERS, rows, { commit: false, hash: "c".repeat(64) });
    expect(report.errors).toEqual([]);
    expect(report.duplicates).toBe(1);
    const messages = report.warnings.map((warning) => `${warning.rowNumber}: ${warning.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^4: 日期 2025-01-05 不在 2024 预算年度内/),
        expect.stringMatching(/^6: 金额是本项目各行中位数 [\d,]+\.\d\d 的 [\d,]+ 倍，疑似元\/万元混淆$/),
        "7: 合计行不平：写明 230004400.00，上方各行之和 230004300.00（差 100.00）",
        expect.stringMatching(/支付 .*超过调整后预算 1,471,745.31 元/),
      ]),
    );
    expect(report.rows.find((row) => row.rowNumber === 3)).toMatchObject({ status: "duplicate", message: "与第2行重复，已跳过" });
  });

  it("checks each 小计 against the rows since the previous one", async () => {
    const row = (day: string, amount: string) => ["2024", MAQIAO, "医疗救助", "", day, "社会化发放", "1", amount, "", "", "", "", ""];
    const subtotal = (amount: string) => ["", "小计", "", "", "", "", "", amount, "", "", "", "", ""];
    const rows = [row("2024-12-01", "100.00"), row("2024-12-02", "200.00"), subtotal("300.00"), row("2024-12-03", "50.00"), subtotal("60")];
    const report = await run("payments", PAYMENT_HEADERS, rows, { commit: false, hash: "ef".repeat(32) });
    expect(report.warnings.filter((warning) => warning.message.startsWith("合计行不平"))).toEqual([
      { rowNumber: 6, column: "金额(元)", message: "合计行不平：写明 60.00，上方各行之和 50.00（差 10.00）" },
    ]);
  });

  it("creates units and projects named by a budget-lines file, converting 万元 exactly", async () => {
    const headers = ["年度", "预算单位", "上级单位", "项目名称", "项目构成", "项目明细", "资金级次", "资金类型", "年初预算(万元)", "单价", "数量", "依据", "安排月份"];
    const rows = [
      ["2025", "上海市闵行区新虹街道社区事务受理服务中心", "闵行区", "医疗救助", "医疗救助", "市级政策门急诊救助", "镇级", "当年财政拨款", "27", "180", "1500", "沪医保规〔2022〕12号", "1-12"],
      ["2025", "上海市闵行区新虹街道社区事务受理服务中心", "闵行区", "医疗救助", "医疗救助", "区级政策医疗救助", "镇级", "当年财政拨款", "2.6", "200", "130", "沪医保规〔2022〕12号", "1-12月"],
    ];
    const report = await run("budget-lines", headers, rows, { hash: "d".repeat(64) });
    expect(report).toMatchObject({ committed: true, added: 2, newUnits: ["上海市闵行区新虹街道社区事务受理服务中心"] });
    expect(report.newProjects).toEqual(["2025 上海市闵行区新虹街道社区事务受理服务中心 医疗救助"]);
    const lines = await db.selectFrom("budget_line as l").innerJoin("project as p", "p.id", "l.project_id").select(["l.item", "l.initial_amount", "l.scheduled_months"]).where("p.fiscal_year", "=", 2025).orderBy("l.line_no").execute();
    expect(lines.map((line) => [line.item, line.initial_amount])).toEqual([
      ["市级政策门急诊救助", "270000.00"],
      ["区级政策医疗救助", "26000.00"],
    ]);

    // The same lines with a changed amount: an update, shown before and after.
    const changed = await run("budget-lines", headers, [rows[0]!, [...rows[1]!.slice(0, 8), "2.8", "200", "140", ...rows[1]!.slice(11)]], { hash: "e".repeat(64) });
    expect(changed).toMatchObject({ committed: true, added: 0, updated: 1, unchanged: 1 });
    expect(changed.rows.find((row) => row.status === "updated")?.message).toBe("年初预算 26000.00 → 28000.00；数量 130.00 → 140.00");
  });

  it("leaves the stored values of columns the file does not have, and lists every change", async () => {
    const headers = ["年度", "预算单位", "项目名称", "项目构成", "项目明细", "资金级次", "资金类型", "年初预算(元)"];
    const report = await run("budget-lines", headers, [["2024", MAQIAO, "医疗救助", "医疗救助", "市级政策住院救助", "镇级", "当年财政拨款", "340000"]], { hash: "3".repeat(64) });
    expect(report).toMatchObject({ committed: true, updated: 1 });
    expect(report.rows.find((row) => row.status === "updated")?.message).toBe("年初预算 338000.00 → 340000.00");
    const line = await db.selectFrom("budget_line").select(["unit_price", "quantity", "basis", "scheduled_months", "initial_amount"]).where("item", "=", "市级政策住院救助").where("initial_amount", "=", "340000.00").executeTakeFirstOrThrow();
    expect(line).toMatchObject({ unit_price: "2600.00", quantity: "130.00", basis: "沪医保规〔2022〕12号" });
    expect(line.scheduled_months).toHaveLength(12);
  });

  it("refuses a zero payment, an item that names two lines, and a known payment with other bounce figures", async () => {
    const zero = await run("payments", PAYMENT_HEADERS, [["2024", HUACAO, "医疗救助", "", "2024-10-10", "社会化发放", "1", "0", "", "", "", "", ""]], { commit: false, hash: "4".repeat(64) });
    expect(zero.errors).toEqual([{ rowNumber: 2, column: "金额(元)", message: "支付金额必须大于 0" }]);

    const project = await db.selectFrom("project as p").innerJoin("org_unit as u", "u.id", "p.unit_id").select("p.id").where("u.name", "=", MAQIAO).where("p.fiscal_year", "=", 2024).executeTakeFirstOrThrow();
    await db.insertInto("budget_line").values({ project_id: project.id, line_no: 99, composition: "另一构成", item: "区级政策医疗救助", fund_level: "镇级", fund_type: "当年财政拨款", initial_amount: "0.00", unit_price: null, quantity: null, basis: null, scheduled_months: null, functional_code: null, functional_name: null, economic_code: null, economic_name: null }).execute();
    const ambiguous = await run("payments", PAYMENT_HEADERS, [["2024", MAQIAO, "医疗救助", "区级政策医疗救助", "2024-10-10", "社会化发放", "1", "10", "", "", "", "", ""]], { commit: false, hash: "5".repeat(64) });
    expect(ambiguous.errors).toEqual([{ rowNumber: 2, column: "项目明细", message: "项目中有多条同名明细“区级政策医疗救助”，无法确定是哪一条" }]);

    // 华漕's 2024-09-10 batch of 30,000.00 (noted 九月第一批) was imported above without a bounce.
    const bounced = await run("payments", PAYMENT_HEADERS, [["2024", HUACAO, "医疗救助", "", "2024-09-10", "社会化发放", "70", "30000", "", "1", "100", "", "九月第一批"]], { commit: false, hash: "6".repeat(64) });
    expect(bounced.errors.map((error) => error.message)).toEqual(["该笔支付已在台账中，但退回或重发信息不同：请在台账中修改该笔支付，不要重复导入"]);
  });

  it("lets a planner create a unit under their own unit", async () => {
    const maqiao = await db.selectFrom("org_unit").select("id").where("name", "=", MAQIAO).executeTakeFirstOrThrow();
    const planner: Importer = { userId: null, username: "maqiao.planner", unitSubtree: [maqiao.id], defaultParentUnitId: maqiao.id };
    const headers = ["年度", "预算单位", "项目名称", "项目明细", "资金级次", "资金类型", "年初预算(元)"];
    const report = await run("budget-lines", headers, [["2025", "马桥镇 医疗救助窗口", "医疗救助", "门急诊救助", "镇级", "当年财政拨款", "1000"]], { importer: planner, hash: "7".repeat(64) });
    expect(report).toMatchObject({ errors: [], committed: true, newUnits: ["马桥镇 医疗救助窗口"] });
    const unit = await db.selectFrom("org_unit").select("parent_id").where("name", "=", "马桥镇 医疗救助窗口").executeTakeFirstOrThrow();
    expect(unit.parent_id).toBe(maqiao.id);
  });

  it("keeps a planner inside their units", async () => {
    const maqiao = await db.selectFrom("org_unit").select("id").where("name", "=", MAQIAO).executeTakeFirstOrThrow();
    const planner: Importer = { userId: null, username: "maqiao.planner", unitSubtree: [maqiao.id], defaultParentUnitId: maqiao.id };
    const report = await run("payments", PAYMENT_HEADERS, [["2024", HUACAO, "医疗救助", "", "2024-10-10", "社会化发放", "5", "500", "", "", "", "", ""]], { importer: planner, hash: "f".repeat(64) });
    expect(report.errors).toEqual([{ rowNumber: 2, column: "预算单位", message: `无权导入到该单位：${HUACAO}` }]);
    expect(report.committed).toBe(false);
  });

  it("refuses adjustments to lines that do not exist", async () => {
    const headers = ["年度", "预算单位", "项目名称", "项目明细", "调整日期", "调整金额(万元)", "资金级次", "调整原因"];
    const report = await run("adjustments", headers, [["2024", MAQIAO, "医疗救助", "不存在的明细", "2024-08-01", "-1.5", "镇级", "测试"]], { hash: "1".repeat(64) });
    expect(report.errors).toEqual([{ rowNumber: 2, column: "项目明细", message: "项目中没有该明细：不存在的明细" }]);
    const ok = await run("adjustments", headers, [["2024", MAQIAO, "医疗救助", "市级政策门急诊救助", "2024-08-01", "-1.5", "镇级", "年中调减"]], { hash: "2".repeat(64) });
    expect(ok).toMatchObject({ committed: true, added: 1 });
    const adjustment = await db.selectFrom("budget_adjustment").select(["amount", "reason"]).where("reason", "=", "年中调减").executeTakeFirstOrThrow();
    expect(adjustment.amount).toBe("-15000.00");
  });

  it("keeps text with tabs, line breaks, backslashes and \\N exactly as written (staged with COPY)", async () => {
    const notes = ["第1批\t补发", "两行\n备注", "路径 C:\\医疗\\救助", "\\N", "\\.", "  "];
    const rows = notes.map((note, index) => ["2024", MAQIAO, "医疗救助", "", `2024-11-0${index + 1}`, "社会化发放", "1", `${index + 1}.23`, "", "", "", "", note]);
    const report = await run("payments", PAYMENT_HEADERS, rows, { hash: "9".repeat(64) });
    expect(report).toMatchObject({ committed: true, added: 6 });
    const stored = await db.selectFrom("payment").select(["note", "amount"]).where("paid_on", ">=", "2024-11-01").where("paid_on", "<=", "2024-11-06").orderBy("paid_on").execute();
    // A blank cell is no note at all.
    expect(stored.map((row) => row.note)).toEqual([...notes.slice(0, 5), null]);
    expect(stored.map((row) => row.amount)).toEqual(["1.23", "2.23", "3.23", "4.23", "5.23", "6.23"]);
  });

  it("stops cleanly when the file fails half-way: the error comes through, nothing is written, the next import works", async () => {
    const before = await paymentCount();
    const failing: ImportSource = {
      headers: PAYMENT_HEADERS,
      rows: (async function* () {
        for (let index = 0; index < 3; index++) yield { rowNumber: index + 2, cells: ["2024", MAQIAO, "医疗救助", "", "2024-11-20", "社会化发放", "1", `${index + 7}.00`, "", "", "", "", ""] };
        throw new Error("文件在第5行损坏");
      })(),
    };
    await expect(runImport(db, { kind: "payments", source: failing, fileHash: "8".repeat(64), fileName: "broken.csv", importer: cli, commit: true })).rejects.toThrow("文件在第5行损坏");
    expect(await paymentCount()).toBe(before);
    const next = await run("payments", PAYMENT_HEADERS, [["2024", MAQIAO, "医疗救助", "", "2024-11-21", "社会化发放", "1", "7.00", "", "", "", "", ""]], { hash: "8".repeat(64) });
    expect(next).toMatchObject({ committed: true, added: 1 });
  });

  it("resolves names first met after thousands of rows (another chunk, another COPY)", async () => {
    const rows = Array.from({ length: 4_500 }, (_, index) => [
      "2024", index < 4_200 ? MAQIAO : HUACAO, "医疗救助", "", "2024-12-15", "社会化发放", "1", `${index + 1}.00`, "", "", "", "", "",
    ]);
    rows.push(["2024", "不存在的中心", "医疗救助", "", "2024-12-15", "社会化发放", "1", "1.00", "", "", "", "", ""]);
    const report = await run("payments", PAYMENT_HEADERS, rows, { commit: false, hash: "12".repeat(32) });
    expect(report).toMatchObject({ committed: false, rowsRead: 4_501, added: 4_500, duplicates: 0, unchanged: 0 });
    expect(report.errors).toEqual([{ rowNumber: 4_502, column: "预算单位", message: "未知的预算单位“不存在的中心”" }]);
  });

  it("finds duplicate adjustment and budget-line rows however their amounts are written", async () => {
    const headers = ["年度", "预算单位", "项目名称", "项目明细", "调整日期", "调整金额(元)", "资金级次", "调整原因"];
    const adjustment = (amount: string) => ["2024", MAQIAO, "医疗救助", "市级政策门急诊救助", "2024-09-01", amount, "镇级", "九月调减"];
    const adjustments = await run("adjustments", headers, [adjustment("-1,000"), adjustment("-1000.00")], { commit: false, hash: "ab".repeat(32) });
    expect(adjustments).toMatchObject({ errors: [], added: 1, duplicates: 1 });
    const lineHeaders = ["年度", "预算单位", "项目名称", "项目明细", "资金级次", "资金类型", "年初预算(元)"];
    const line = (initial: string) => ["2024", MAQIAO, "医疗救助", "新增明细", "镇级", "当年财政拨款", initial];
    const lines = await run("budget-lines", lineHeaders, [line("100"), line("200")], { commit: false, hash: "cd".repeat(32) });
    expect(lines).toMatchObject({ errors: [], added: 1, duplicates: 1 });
  });
  it("writes a file's payments project by project, so each project's part of the batch has consecutive ids", async () => {
    // Rows of two projects, interleaved as a ledger sorted by date has them.
    const rows = Array.from({ length: 6 }, (_, index) => ["2024", index % 2 === 0 ? MAQIAO : HUACAO, "医疗救助", "", `2024-10-1${index}`, "社会化发放", "1", `${index + 1}.11`, "", "", "", "", `交错${index}`]);
    const report = await run("payments", PAYMENT_HEADERS, rows, { hash: "e1".repeat(32) });
    expect(report).toMatchObject({ committed: true, added: 6 });
    const { id: batchId } = await db.selectFrom("import_batch").select("id").where("file_hash", "=", "e1".repeat(32)).executeTakeFirstOrThrow();
    const entries = await db.selectFrom("audit_log").select(["project_id", "after"]).where("table_name", "=", "import_batch").where("record_id", "=", String(batchId)).execute();
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      const after = entry.after as { rows: number; first_payment_id: number; last_payment_id: number };
      expect(after.rows).toBe(3);
      expect(after.last_payment_id - after.first_payment_id + 1).toBe(3);
      const ids = await db.selectFrom("payment").select("id").where("import_batch_id", "=", batchId).where("project_id", "=", entry.project_id!).orderBy("id").execute();
      expect(ids.map((row) => Number(row.id))).toEqual([0, 1, 2].map((offset) => after.first_payment_id + offset));
    }
    // Within a project, the file's order is kept.
    const notes = await db.selectFrom("payment").select(["project_id", "note"]).where("import_batch_id", "=", batchId).orderBy("id").execute();
    const inOrder = (projectId: number) => notes.filter((row) => row.project_id === projectId).map((row) => row.note);
    expect([inOrder(await projectIdOf(db, MAQIAO)), inOrder(await projectIdOf(db, HUACAO))]).toEqual([["交错0", "交错2", "交错4"], ["交错1", "交错3", "交错5"]]);
  });
});

/** The checks of a dry run and of a commit, each against the untouched demo ledger. */
describe("import checks", () => {
  let db: DB;
  let drop: () => Promise<void>;
  const run = (kind: ImportKind, headers: string[], rows: string[][], options: { commit?: boolean; hash?: string; source?: ImportSource } = {}) =>
    runImport(db, {
      kind,
      source: options.source ?? source(headers, rows),
      fileHash: options.hash ?? "a".repeat(64),
      fileName: "test.csv",
      importer: cli,
      commit: options.commit ?? true,
    });
  const payment = (day: string, kind: string, personTimes: string, amount: string, note: string, returned: [string, string, string] = ["", "", ""]) =>
    ["2024", MAQIAO, "医疗救助", "", day, kind, personTimes, amount, "", ...returned, note];
  const stored = async (note: string) => (await db.selectFrom("payment").select("amount").where("note", "=", note).execute()).map((row) => row.amount);

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
  });
  afterAll(async () => drop());

  /**
   * The rows of a file that, once read, waits (at most patienceMs) until the other files of the
   * meeting have been read too: two imports that do not take turns then check the ledger together.
   */
  const meeting = (patienceMs: number) => {
    let waiting: Array<() => void> = [];
    const meet = () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length >= 2) {
          for (const release of waiting) release();
          waiting = [];
        } else setTimeout(resolve, patienceMs);
      });
    return (rows: string[][]): ImportSource => ({
      headers: PAYMENT_HEADERS,
      rows: (async function* () {
        for (const [index, cells] of rows.entries()) yield { rowNumber: index + 2, cells };
        await meet();
      })(),
    });
  };

  it("stores a payment once when two files holding it are committed at the same moment", async () => {
    for (const round of [1, 2, 3]) {
      const note = `同时导入${round}`;
      const file = meeting(300);
      const rows = [payment(`2024-12-0${round}`, "社会化发放", "1", "777.77", note)];
      const reports = await Promise.all([
        run("payments", PAYMENT_HEADERS, [], { source: file(rows), hash: `${round}a`.repeat(32) }),
        run("payments", PAYMENT_HEADERS, [], { source: file(rows), hash: `${round}b`.repeat(32) }),
      ]);
      expect(await stored(note)).toEqual(["777.77"]);
      expect(reports.map((report) => [report.committed, report.added, report.unchanged]).sort()).toEqual([
        [true, 0, 1],
        [true, 1, 0],
      ]);
    }
  });

  it("imports the same file once when it is committed twice at the same moment, and says so", async () => {
    const file = meeting(300);
    const rows = [payment("2024-12-04", "社会化发放", "1", "666.66", "同一文件两次")];
    const reports = await Promise.all([
      run("payments", PAYMENT_HEADERS, [], { source: file(rows), hash: "4c".repeat(32) }),
      run("payments", PAYMENT_HEADERS, [], { source: file(rows), hash: "4c".repeat(32) }),
    ]);
    expect(await stored("同一文件两次")).toEqual(["666.66"]);
    expect(reports.map((report) => [report.committed, report.alreadyImported, report.added]).sort()).toEqual([
      [false, true, 0],
      [true, false, 1],
    ]);
    expect(reports.find((report) => report.alreadyImported)!.warnings[0]!.message).toMatch(/^同一文件已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 由 cli 导入，本次不作任何改动$/);
  });

  it("states the execution beyond the budget as the execution report will show it at the year's end, re-issued returns included", async () => {
    const projectOf = async () => (await executionReport(db, { year: 2024, asOf: "2024-12-31" })).rows.find((row) => row.unitName === MAQIAO)!;
    const before = await projectOf();
    // 500.00 of it comes back and is re-issued within the year: the whole 20,000.00 counts.
    const rows = [payment("2024-12-10", "社会化发放", "10", "20,000.00", "超出预算", ["1", "500", "2024-12-30"])];
    const dry = await run("payments", PAYMENT_HEADERS, rows, { commit: false, hash: "5d".repeat(32) });
    const expected = money(before.executed).plus("20000").toFixed(2);
    expect(dry.warnings.map((warning) => warning.message)).toContain(
      `导入后 2024 ${MAQIAO} 医疗救助 的支付 ${formatAmount(expected)} 元超过调整后预算 ${formatAmount(before.adjusted)} 元（截至 2024 年末）`,
    );
    expect(await run("payments", PAYMENT_HEADERS, rows, { hash: "5d".repeat(32) })).toMatchObject({ committed: true, added: 1 });
    expect(await projectOf()).toMatchObject({ executed: expected, adjusted: before.adjusted });
  });

  it("compares a row's amount with the project's ledger, leaves zero amounts alone, and notes slips and odd dates on the row", async () => {
    // 马桥's 2024 payments run to tens of thousands: 3.50 looks like 3.5 万元 written in 元.
    const single = await run("payments", PAYMENT_HEADERS, [payment("2024-12-11", "社会化发放", "1", "3.50", "")], { commit: false, hash: "6e".repeat(32) });
    const slip = single.warnings.find((warning) => warning.rowNumber === 2);
    expect(slip?.message).toMatch(/^金额是本项目各行中位数 [\d,]+\.\d\d 的 1\/[\d,]+，疑似元\/万元混淆$/);
    expect(single.rows.find((row) => row.rowNumber === 2)).toMatchObject({ status: "new", message: slip!.message });

    const late = await run("payments", PAYMENT_HEADERS, [payment("2025-01-03", "社会化发放", "1", "20,000.00", "")], { commit: false, hash: "6f".repeat(32) });
    expect(late.rows.find((row) => row.rowNumber === 2)?.message).toBe("日期 2025-01-03 不在 2024 预算年度内");

    // Adjustments against the ledger's adjustments, budget lines against its lines (of which the three
    // of 0 初始 do not count: with them, 4.65 would be within 5,000× of the median).
    const adjustment = await run("adjustments", ["年度", "预算单位", "项目名称", "项目明细", "调整日期", "调整金额(元)", "资金级次", "调整原因"], [["2024", MAQIAO, "医疗救助", "市级政策门急诊救助", "2024-10-01", "-2.5", "镇级", "测试调减"]], { commit: false, hash: "6a".repeat(32) });
    expect(adjustment.warnings.map((warning) => warning.message)).toEqual([expect.stringMatching(/^金额是本项目各行中位数 [\d,]+\.\d\d 的 1\/[\d,]+，疑似元\/万元混淆$/)]);
    const newLine = await run("budget-lines", ["年度", "预算单位", "项目名称", "项目构成", "项目明细", "资金级次", "资金类型", "年初预算(元)"], [["2024", MAQIAO, "医疗救助", "医疗救助", "门诊慢病补助", "镇级", "当年财政拨款", "4.65"]], { commit: false, hash: "6b".repeat(32) });
    expect(newLine.warnings.map((warning) => warning.message)).toEqual([expect.stringMatching(/^金额是本项目各行中位数 [\d,]+\.\d\d 的 1\/[\d,]+，疑似元\/万元混淆$/)]);

    // Budget lines of 0 初始 have no scale: neither flagged nor counted.
    const headers = ["年度", "预算单位", "项目名称", "项目明细", "资金级次", "资金类型", "年初预算(元)"];
    const line = (item: string, initial: string) => ["2025", MAQIAO, "零预算测试", item, "镇级", "当年财政拨款", initial];
    const lines = await run("budget-lines", headers, [line("甲", "100000"), line("乙", "120000"), line("丙", "90000"), line("丁", "0"), line("戊", "0")], { commit: false, hash: "70".repeat(32) });
    expect(lines).toMatchObject({ errors: [], added: 5 });
    expect(lines.warnings).toEqual([]);
    expect(lines.rows.map((row) => row.message)).toEqual(["", "", "", "", ""]);
  });

  it("keeps two payments that differ only in their note, and names every skipped duplicate", async () => {
    const rows = [
      payment("2024-12-12", "划拨", "", "50,000.00", "第一笔划拨"),
      payment("2024-12-12", "划拨", "", "50,000.00", "第二笔划拨"),
      payment("2024-12-12", "划拨", "", "50000", "第一笔 划拨"),
    ];
    const report = await run("payments", PAYMENT_HEADERS, rows, { hash: "71".repeat(32) });
    expect(report).toMatchObject({ committed: true, added: 2, duplicates: 1 });
    expect(report.warnings).toContainEqual({ rowNumber: 4, column: null, message: "与第2行重复，已跳过" });
    expect([...(await stored("第一笔划拨")), ...(await stored("第二笔划拨"))]).toEqual(["50000.00", "50000.00"]);

    // Against the ledger: the same two are there already (a line break typed into a note does not make
    // it another payment); a third with another note is new.
    const again = await run("payments", PAYMENT_HEADERS, [payment("2024-12-12", "划拨", "", "50,000.00", "第一笔\n划拨 "), rows[1]!, payment("2024-12-12", "划拨", "", "50,000.00", "第三笔划拨")], { hash: "72".repeat(32) });
    expect(again).toMatchObject({ committed: true, added: 1, unchanged: 2 });
    expect(await stored("第三笔划拨")).toEqual(["50000.00"]);
  });

  it("marks every refused row as an error in the dry-run grid and counts rows, not messages", async () => {
    const headers = ["年度", "预算单位", "上级单位", "项目名称", "项目明细", "资金级次", "资金类型", "年初预算(元)"];
    const rows = [
      ["2025", "无处安放的中心", "不存在的上级", "医疗救助", "门急诊救助", "镇级", "当年财政拨款", "1000"],
      ["2025", MAQIAO, "", "医疗救助", "门急诊救助", "镇级", "当年财政拨款", "2000"],
      ["2025", "无处安放的中心", "不存在的上级", "医疗救助", "住院救助", "镇级", "当年财政拨款", "3000"],
    ];
    const report = await run("budget-lines", headers, rows, { commit: false, hash: "73".repeat(32) });
    const refused = { status: "error", message: "上级单位“不存在的上级”不存在" };
    expect(report).toMatchObject({ committed: false, added: 1, errorRows: 2, newUnits: [] });
    expect(report.errors).toEqual([2, 4].map((rowNumber) => ({ rowNumber, column: "上级单位", message: refused.message })));
    expect(report.rows.map((row) => [row.rowNumber, row.status])).toEqual([[2, "error"], [3, "new"], [4, "error"]]);
    expect(report.rows[0]).toMatchObject(refused);

    // One row with two bad cells: two messages, one row.
    const bad = await run("payments", PAYMENT_HEADERS, [payment("2024-13-01", "社会化发放", "1", "1.005", "")], { commit: false, hash: "74".repeat(32) });
    expect(bad).toMatchObject({ errorRows: 1, added: 0 });
    expect(bad.errors).toHaveLength(2);
  });
  it("names a new payment that differs from a ledger payment only in its 备注 (a corrected note would book it twice)", async () => {
    const row = (note: string) => ["2024", MAQIAO, "医疗救助", "", "2024-10-28", "划拨", "1", "777.77", "", "", "", "", note];
    expect(await run("payments", PAYMENT_HEADERS, [row("原备注")], { hash: "f1".repeat(32) })).toMatchObject({ committed: true, added: 1 });
    const corrected = await run("payments", PAYMENT_HEADERS, [row("改过的备注")], { commit: false, hash: "f2".repeat(32) });
    expect(corrected).toMatchObject({ added: 1, errors: [] });
    const warning = corrected.warnings.find((w) => w.rowNumber === 2);
    expect(warning?.message).toBe("台账中已有同日、同方式、同金额的支付，仅备注不同（台账备注“原备注”）：如只是改了备注，请在台账中修改，不要重复导入");
    expect(corrected.rows.find((r) => r.rowNumber === 2)).toMatchObject({ status: "new", message: warning?.message });
    // The same payment with the same note is simply already there.
    expect(await run("payments", PAYMENT_HEADERS, [row("原备注")], { commit: false, hash: "f3".repeat(32) })).toMatchObject({ added: 0, unchanged: 1, warnings: [] });
  });
  it("warns when an amount and the next text column look like one number split at an unquoted thousands separator", async () => {
    const headers = ["年度", "预算单位", "项目名称", "支付日期", "支付方式", "金额", "备注"];
    // `…,社会化发放,1,234.56` with the trailing 备注 left out: as many fields as the header.
    const report = await run("payments", headers, [["2024", MAQIAO, "医疗救助", "2024-07-02", "社会化发放", "1", "234.56"], ["2024", MAQIAO, "医疗救助", "2024-07-03", "社会化发放", "100", "第3批"]], { commit: false, hash: "f4".repeat(32) });
    expect(report.errors).toEqual([]);
    const split = report.warnings.filter((warning) => warning.message.includes("千位分隔符"));
    expect(split).toEqual([{ rowNumber: 2, column: "金额", message: "金额“1”与下一列“备注”的“234.56”疑似一个被千位分隔符拆开的数（1,234.56）：CSV 中带千位分隔符的数字须加引号" }]);
  });
});
