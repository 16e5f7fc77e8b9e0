import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freshDatabase } from "./support/database.ts";
import { executionReport } from "../db/execution.ts";
import { withActor } from "../db/audit.ts";
import ExcelJS from "exceljs";
import { budget } from "./support/cli.ts";

const FIXTURES = path.resolve("test/fixtures/import");
const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";


/** `budget import` on files as Excel and Chinese Windows write them (test/fixtures/import). */
describe("budget import with real files", () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let temp: string;
  const fingerprint = async () => ({
    payments: (await fresh.db.selectFrom("payment").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n,
    audit: (await fresh.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n,
    batches: (await fresh.db.selectFrom("import_batch").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n,
  });
  const maqiao = async (asOf: string) => (await executionReport(fresh.db, { year: 2024, asOf })).rows.find((row) => row.unitName === MAQIAO)!;

  beforeAll(async () => {
    fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    temp = await mkdtemp(path.join(os.tmpdir(), "budget-import-"));
    // Start from 马桥's budget without its payments: the files bring them back.
    const project = await fresh.db.selectFrom("project as p").innerJoin("org_unit as u", "u.id", "p.unit_id").select("p.id").where("u.name", "=", MAQIAO).where("p.fiscal_year", "=", 2024).executeTakeFirstOrThrow();
    await withActor(fresh.db, { userId: null, username: "test" }, (trx) => trx.deleteFrom("payment").where("project_id", "=", project.id).execute());
  });
  afterAll(async () => {
    await fresh.drop();
    await rm(temp, { recursive: true, force: true });
  });

  it("imports the UTF-8 CSV with BOM: 33 payments, and the execution figures are back to the cent", async () => {
    expect((await maqiao("2024-12-31")).executed).toBe("0.00");
    const dry = await budget(["import", path.join(FIXTURES, "payments-maqiao-utf8-bom.csv"), "--kind", "payments", "--dry-run"], fresh.url);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("检查通过（试运行，未写入）");
    expect((await maqiao("2024-12-31")).executed).toBe("0.00");

    const result = await budget(["import", path.join(FIXTURES, "payments-maqiao-utf8-bom.csv"), "--kind", "payments", "--json"], fresh.url);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ committed: true, added: 33, errors: [] });
    expect(await maqiao("2024-12-31")).toMatchObject({ executed: "1471745.31", executionRate: "100.00" });
    expect((await maqiao("2024-08-31")).executed).toBe("1240328.86");
  });

  it("finds the same rows in the GB18030 CSV and the XLSX already there: nothing changes", async () => {
    const before = await fingerprint();
    for (const file of ["payments-maqiao-gb18030.csv", "payments-maqiao.xlsx"]) {
      const result = await budget(["import", path.join(FIXTURES, file), "--kind", "payments", "--json"], fresh.url);
      expect(result.code, file).toBe(0);
      expect(JSON.parse(result.stdout), file).toMatchObject({ committed: true, added: 0, unchanged: 33 });
    }
    const after = await fingerprint();
    expect([after.payments, after.audit]).toEqual([before.payments, before.audit]);
    // The same file a second time is recognised by its content.
    const again = await budget(["import", path.join(FIXTURES, "payments-maqiao.xlsx"), "--kind", "payments"], fresh.url);
    expect(again.stdout).toContain("该文件此前已导入，未作改动");
  });

  it("reads the 万元 budget lines with a title row and a 合计 formula, and finds them unchanged", async () => {
    const result = await budget(["import", path.join(FIXTURES, "budget-lines-maqiao-wan.xlsx"), "--kind", "budget-lines", "--dry-run", "--json"], fresh.url);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ errors: [], added: 0, updated: 0, unchanged: 11 });
    expect(report.warnings.map((warning: { message: string }) => warning.message).join("\n")).not.toContain("合计行不平");
  });

  it("reads the adjustments example and finds 马桥's 11 adjustments already there", async () => {
    const result = await budget(["import", path.join(FIXTURES, "adjustments-maqiao.xlsx"), "--kind", "adjustments", "--dry-run", "--json"], fresh.url);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ errors: [], added: 0, updated: 0, unchanged: 11 });
  });

  it.each([
    ["corrupt.xlsx", /损坏或不完整/],
    ["empty.csv", /文件为空/],
    ["merged-cells.xlsx", /C2:C9 是合并单元格/],
    ["formula-without-result.xlsx", /第16行第H列的公式没有计算结果/],
  ])("refuses %s with a clear message and changes nothing", async (file, message) => {
    const before = await fingerprint();
    const result = await budget(["import", path.join(FIXTURES, file), "--kind", "payments"], fresh.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a 50 MB file before reading it", async () => {
    const big = path.join(temp, "big.csv");
    await writeFile(big, Buffer.alloc(50 * 1024 * 1024, "1,"));
    const before = await fingerprint();
    const result = await budget(["import", big, "--kind", "payments"], fresh.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/文件过大/);
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a CSV row with more fields than the header (an unquoted thousands separator), and an XLSX cell without header", async () => {
    const split = path.join(temp, "split.csv");
    await writeFile(split, "年度,预算单位,项目名称,支付日期,支付方式,人次,金额\r\n2024,上海市闵行区马桥镇社区事务受理服务中心,医疗救助,2024/11/14,社会化发放,3,1,234.56\r\n2024,上海市闵行区马桥镇社区事务受理服务中心,医疗救助,2024/11/15,社会化发放,3,5.00,,,,\r\n");
    const before = await fingerprint();
    const result = await budget(["import", split, "--kind", "payments"], fresh.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("错误 第2行：第8列（H列）没有表头，却有内容“234.56”：该行比表头（7列）多出字段：金额中的千位分隔符是否未加引号");
    // Row 3 itself is fine (it may have a hint: it is dated before the ledger's latest payment).
    expect(result.stdout).not.toContain("错误 第3行");
    expect(await fingerprint()).toEqual(before);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("支付明细");
    sheet.addRow(["年度", "预算单位", "项目名称", "支付日期", "支付方式", "金额"]);
    sheet.addRow([2024, MAQIAO, "医疗救助", "2024-11-14", "社会化发放", 5, null, "已核对"]);
    const stray = path.join(temp, "stray.xlsx");
    await writeFile(stray, Buffer.from(await workbook.xlsx.writeBuffer()));
    const xlsx = await budget(["import", stray, "--kind", "payments", "--dry-run"], fresh.url);
    expect(xlsx.code).toBe(1);
    expect(xlsx.stdout).toContain("错误 第2行：第8列（H列）没有表头，却有内容“已核对”");
    expect(await fingerprint()).toEqual(before);
  });

  it("reads dates and amounts as Excel writes them: midnight times, the accounting zero; refuses misplaced separators and other times", async () => {
    const header = "年度,预算单位,项目名称,支付日期,支付方式,人次,金额(元),退回金额(元)\r\n";
    const excel = path.join(temp, "excel-dates.csv");
    await writeFile(excel, `${header}2024,${MAQIAO},医疗救助,2024/11/14 0:00,社会化发放,3,"1,234.56", - \r\n2024,${MAQIAO},医疗救助,２０２４-１１-１５ ００：００：００,划拨,,"¥5,000.00",-\r\n`);
    const dry = await budget(["import", excel, "--kind", "payments", "--dry-run", "--json"], fresh.url);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report).toMatchObject({ errors: [], added: 2 });
    expect(report.rows.map((row: { amount: string }) => row.amount)).toEqual(["1234.56", "5000.00"]);

    const wrong = path.join(temp, "wrong-separators.csv");
    await writeFile(wrong, `${header}2024,${MAQIAO},医疗救助,2024/11/14 9:30,社会化发放,3,"1,23,456.00",\r\n2024,${MAQIAO},医疗救助,2024-11-15,划拨,,"１，００００．００",\r\n`);
    const before = await fingerprint();
    const result = await budget(["import", wrong, "--kind", "payments"], fresh.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("错误 第2行 “支付日期”列：“2024/11/14 9:30”带有时刻 9:30：日期列只填日期（时刻只能是 0:00）");
    expect(result.stdout).toContain("错误 第2行 “金额(元)”列：“1,23,456.00”的千位分隔符位置不对");
    expect(result.stdout).toContain("错误 第3行 “金额(元)”列：“１，００００．００”的千位分隔符位置不对");
    expect(await fingerprint()).toEqual(before);
  });

  it("reads the sheet of a workbook that has the kind's columns, or the one named by --sheet; exit 2 for an unknown sheet", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("预算明细").addRows([
      ["年度", "预算单位", "项目名称", "项目明细", "资金级次", "资金类型", "年初预算(元)"],
      [2024, MAQIAO, "医疗救助", "市级政策门急诊救助", "镇级", "当年财政拨款", 1000],
    ]);
    workbook.addWorksheet("支付明细").addRows([
      ["年度", "预算单位", "项目名称", "支付日期", "支付方式", "金额(元)"],
      [2024, MAQIAO, "医疗救助", "2024-12-20", "划拨", 12.5],
    ]);
    const ledger = path.join(temp, "ledger.xlsx");
    await writeFile(ledger, Buffer.from(await workbook.xlsx.writeBuffer()));
    const before = await fingerprint();

    const auto = await budget(["import", ledger, "--kind", "payments", "--dry-run"], fresh.url);
    expect(auto.code, auto.stdout + auto.stderr).toBe(0);
    expect(auto.stdout).toContain("提示：工作表“预算明细”不含所需的列，已读取工作表“支付明细”");
    expect(auto.stdout).toContain("新增 1");
    const named = await budget(["import", ledger, "--kind", "payments", "--sheet", "支付明细", "--dry-run", "--json"], fresh.url);
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout)).toMatchObject({ errors: [], added: 1 });
    const wrongSheet = await budget(["import", ledger, "--kind", "payments", "--sheet", "预算明细", "--dry-run"], fresh.url);
    expect(wrongSheet.code).toBe(1);
    expect(wrongSheet.stderr).toContain("缺少必需的列：支付日期、支付方式、金额");

    const unknown = await budget(["import", ledger, "--kind", "payments", "--sheet", "调整"], fresh.url);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("工作簿中没有名为“调整”的工作表");
    expect(unknown.stderr).toContain("工作表有：预算明细、支付明细");
    const onCsv = await budget(["import", path.join(FIXTURES, "payments-maqiao-utf8-bom.csv"), "--kind", "payments", "--sheet", "支付明细"], fresh.url);
    expect(onCsv.code).toBe(2);
    expect(onCsv.stderr).toContain("--sheet 只适用于 XLSX 工作簿");
    expect(await fingerprint()).toEqual(before);
  });

  it("prints an error of the whole file without a row or column prefix", async () => {
    const headerOnly = path.join(temp, "header-only.csv");
    await writeFile(headerOnly, "年度,预算单位,项目名称,支付日期,支付方式,金额\r\n,,,,,\r\n");
    const result = await budget(["import", headerOnly, "--kind", "payments", "--dry-run"], fresh.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("\n错误：文件中没有数据行\n");
  });

  it("rejects data errors with exit 1 and the list, and bad arguments with exit 2", async () => {
    const bad = path.join(temp, "bad.csv");
    await writeFile(bad, "\uFEFF年度,预算单位,项目名称,支付日期,支付方式,金额(元)\r\n2024,上海市闵行区马桥镇社区事务受理服务中心,医疗救助,2024-13-01,社会化发放,1.005\r\n");
    const result = await budget(["import", bad, "--kind", "payments"], fresh.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("错误 第2行 “支付日期”列：日期不存在：2024-13-01");
    expect(result.stdout).toContain("错误 第2行 “金额(元)”列：金额“1.005”超过两位小数（精确到分）");
    expect((await budget(["import", bad], fresh.url)).code).toBe(2);
    expect((await budget(["import", bad, "--kind", "receipts"], fresh.url)).code).toBe(2);
    expect((await budget(["import", path.join(temp, "missing.csv"), "--kind", "payments"], fresh.url)).code).toBe(2);
  });
});
