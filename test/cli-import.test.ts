import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freshDatabase } from "./support/database.ts";
import { executionReport } from "../db/execution.ts";
import { withActor } from "../db/audit.ts";

const run = promisify(execFile);
const BIN = path.resolve("bin/budget.js");
const FIXTURES = path.resolve("test/fixtures/import");
const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";

async function budget(args: string[], databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl }, maxBuffer: 20 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

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
