import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { projectHistory } from "../db/audit.ts";
import { changedFields } from "../domain/history.ts";
import { fieldValue } from "../app/history-text.ts";
import { translate } from "../messages/index.ts";
import { runImport as runImportWithCodes, type Importer, type ImportSource } from "../features/import/queries/run.ts";
import { reportText } from "../features/import/rules/render.ts";

/** An import whose report's messages are their Chinese text (the catalogue's, as users see them). */
const runImport = async (...args: Parameters<typeof runImportWithCodes>) => reportText("zh", await runImportWithCodes(...args));
import { undoImportBatch } from "../features/import/queries/undo.ts";
import { executionReport } from "../db/execution.ts";
import type { DB } from "../db/pool.ts";
import type { ImportKind } from "../features/import/rules/columns.ts";
import { overBudgetKey } from "../features/import/rules/over-budget.ts";

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const PAYMENT_HEADERS = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"];
const LINE_HEADERS = ["年度", "预算单位", "项目名称", "项目构成", "项目明细", "资金级次", "资金类型", "年初预算(元)"];

function source(headers: string[], rows: string[][]): ImportSource {
  return {
    headers,
    rows: (async function* () {
      for (const [index, cells] of rows.entries()) yield { rowNumber: index + 2, cells };
    })(),
  };
}

const planner: Importer = { userId: null, username: "maqiao.planner", unitSubtree: null, defaultParentUnitId: null };
const payment = (year: string, project: string, date: string, amount: string, note = "") => [year, MAQIAO, project, "", date, "社会化发放", "1", amount, "", "", "", "", note];

/** Issue 11 §5: a single payment larger than its project's whole budget for the year (decision 012), and re-importing an undone file. */
describe("payments larger than the project's budget for the year", () => {
  let db: DB;
  let drop: () => Promise<void>;
  const run = (kind: ImportKind, headers: string[], rows: string[][], options: { commit?: boolean; hash: string; accept?: boolean; seen?: string }) =>
    runImport(db, {
      kind,
      source: source(headers, rows),
      fileHash: options.hash,
      fileName: "支付明细.csv",
      importer: planner,
      commit: options.commit ?? true,
      acceptOverBudget: options.accept,
      overBudgetSeen: options.seen,
    });
  const paymentCount = async () => Number((await db.selectFrom("payment").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
  const maqiao2024 = async () => (await executionReport(db, { year: 2024, asOf: "2024-12-31" })).rows.find((row) => row.unitName === MAQIAO)!;

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
  });
  afterAll(async () => drop());

  // The issue's file: one 社会化发放 of 50,000,000.00 元 for 1 人次 into 马桥's 2024 project (adjusted budget 1,471,745.31).
  const huge = [payment("2024", "医疗救助", "2024-06-15", "50000000.00", "一人次")];

  it("names the row, project, amount and budget in a dry run, and the 元/万元 check sees a payment 2,000× the median", async () => {
    const dry = await run("payments", PAYMENT_HEADERS, huge, { commit: false, hash: "d2".repeat(32) });
    expect(dry.errors).toEqual([]);
    expect(dry.overBudget).toEqual([{ rowNumber: 2, unit: MAQIAO, project: "医疗救助", year: 2024, amount: "50000000.00", budget: "1471745.31" }]);
    expect(dry.overBudgetCount).toBe(1);
    expect(dry.overBudgetRefused).toBe(false);
    const row = dry.rows.find((r) => r.rowNumber === 2)!;
    expect(row.message).toContain("单笔支付 50,000,000.00 元超过本项目 2024 年调整后预算 1,471,745.31 元，须确认后才能导入");
    // 马桥's 2024 payments (with this row) have a median of 23,739.34 元: 50,000,000.00 is 2,106× that, a slip by the check's measure now.
    const slip = dry.warnings.find((warning) => warning.rowNumber === 2 && warning.message.includes("疑似元/万元混淆"));
    const [, median, ratio] = /^金额是本项目各行中位数 ([\d,.]+) 的 ([\d,]+) 倍，疑似元\/万元混淆$/.exec(slip?.message ?? "") ?? [];
    expect(Number(ratio?.replace(/,/g, ""))).toBeGreaterThan(1_500);
    expect(Number(ratio?.replace(/,/g, ""))).toBeLessThan(5_000);
    expect(Math.round(50_000_000 / Number(median!.replace(/,/g, "")))).toBe(Number(ratio!.replace(/,/g, "")));
  });

  it("refuses the commit until acknowledged, writing nothing; acknowledged, imports and records it in the audit trail", async () => {
    const before = { payments: await paymentCount(), executed: (await maqiao2024()).executed };
    const batches = async () => (await db.selectFrom("import_batch").select("id").execute()).length;
    const batchesBefore = await batches();

    const refused = await run("payments", PAYMENT_HEADERS, [payment("2024", "医疗救助", "2024-06-14", "3,000.00", "正常一笔"), ...huge], { hash: "d3".repeat(32) });
    expect(refused).toMatchObject({ committed: false, overBudgetRefused: true, overBudgetCount: 1, errors: [] });
    expect(await paymentCount()).toBe(before.payments);
    expect(await batches()).toBe(batchesBefore);
    expect((await maqiao2024()).executed).toBe(before.executed);

    // Ticked, but for another list than the commit finds (a budget changed since the check): refused too.
    const rows = [payment("2024", "医疗救助", "2024-06-14", "3,000.00", "正常一笔"), ...huge];
    expect(await run("payments", PAYMENT_HEADERS, rows, { hash: "d3".repeat(32), accept: true, seen: "0:" })).toMatchObject({ committed: false, overBudgetRefused: true });
    expect(await paymentCount()).toBe(before.payments);
    const accepted = await run("payments", PAYMENT_HEADERS, rows, { hash: "d3".repeat(32), accept: true, seen: overBudgetKey(refused.overBudgetCount, refused.overBudget) });
    expect(accepted).toMatchObject({ committed: true, added: 2, overBudgetRefused: false, overBudgetCount: 1 });
    expect(await paymentCount()).toBe(before.payments + 2);

    const projectId = await projectIdOf(db, MAQIAO);
    const history = await projectHistory(db, projectId);
    const acknowledged = history.filter((entry) => entry.tableName === "import_batch" && entry.action === "update");
    expect(acknowledged).toHaveLength(1);
    expect(acknowledged[0]!.username).toBe("maqiao.planner");
    // Status and note are stored as codes: the history shows them in either language (app/history-text.ts).
    const shown = (language: "zh" | "en") =>
      Object.fromEntries(changedFields(acknowledged[0]!.before, acknowledged[0]!.after).map((change) => [change.field, fieldValue((key) => translate(language, key), change.field, change.after)]));
    expect(shown("zh")).toEqual({
      status: "已确认超预算支付（已核对，非元/万元混淆）",
      file_name: "支付明细.csv",
      rows: "1",
      note: "第3行 50,000,000.00 元（2024 年调整后预算 1,471,745.31 元）",
    });
    expect(shown("en")).toMatchObject({ status: "payments over budget confirmed (checked: no yuan/10k yuan slip)", note: "row 3: 50,000,000.00 yuan (adjusted budget 2024: 1,471,745.31 yuan)" });
    // An entry written before (plain Chinese text) still shows as written.
    expect(fieldValue((key) => translate("en", key), "note", "第3行 50,000,000.00 元（2024 年调整后预算 1,471,745.31 元）")).toBe("第3行 50,000,000.00 元（2024 年调整后预算 1,471,745.31 元）");
    // The batch's own entry (file, rows, amount) is there as always, beside the acknowledgement (and the demo data's batch).
    const inserted = history.filter((entry) => entry.tableName === "import_batch" && entry.action === "insert").map((entry) => entry.after?.file_name);
    expect(inserted.sort()).toEqual(["支付明细.csv", "演示数据 支付明细"]);
  });

  it("compares with the initial budget where nothing was adjusted; a payment within it is not flagged", async () => {
    const lines = await run("budget-lines", LINE_HEADERS, [["2025", MAQIAO, "超预算测试", "医疗救助", "门急诊救助", "镇级", "当年财政拨款", "270,000.00"]], { hash: "d4".repeat(32) });
    expect(lines.committed).toBe(true);
    const rows = [payment("2025", "超预算测试", "2025-01-10", "270,000.00"), payment("2025", "超预算测试", "2025-01-11", "270,000.01")];
    const dry = await run("payments", PAYMENT_HEADERS, rows, { commit: false, hash: "d5".repeat(32) });
    expect(dry.overBudget).toEqual([{ rowNumber: 3, unit: MAQIAO, project: "超预算测试", year: 2025, amount: "270000.01", budget: "270000.00" }]);
  });

  it("imports a file again once its batch was undone (撤销导入), and not while it stands", async () => {
    const file = [payment("2024", "医疗救助", "2024-07-01", "4,321.00", "撤销后重导")];
    const first = await run("payments", PAYMENT_HEADERS, file, { hash: "d6".repeat(32) });
    expect(first).toMatchObject({ committed: true, added: 1 });
    expect(await run("payments", PAYMENT_HEADERS, file, { hash: "d6".repeat(32) })).toMatchObject({ alreadyImported: true, committed: false });

    const batch = await db.selectFrom("import_batch").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
    const undone = await undoImportBatch(db, { userId: null, username: "maqiao.planner" }, batch.id, "金额录错，改后重导");
    expect(undone).toHaveProperty("undone");
    const count = await paymentCount();

    const again = await run("payments", PAYMENT_HEADERS, file, { hash: "d6".repeat(32) });
    expect(again).toMatchObject({ alreadyImported: false, committed: true, added: 1 });
    expect(await paymentCount()).toBe(count + 1);
    // The new batch stands: the same file a third time is "already imported" again.
    expect(await run("payments", PAYMENT_HEADERS, file, { hash: "d6".repeat(32), commit: false })).toMatchObject({ alreadyImported: true });
  });
});
