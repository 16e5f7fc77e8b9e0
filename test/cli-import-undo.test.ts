import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freshDatabase } from "./support/database.ts";
import { budget } from "./support/cli.ts";
import { executionReport } from "../db/execution.ts";

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";

/** 导入记录 and 撤销导入 from the command line: the same service as /imports, audited as `cli`. */
describe("budget import-log / import-undo", () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let temp: string;
  let file: string;
  const executed = async () => (await executionReport(fresh.db, { year: 2024, asOf: "2024-12-31" })).rows.find((row) => row.unitName === MAQIAO)!.executed;

  beforeAll(async () => {
    fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    temp = await mkdtemp(path.join(os.tmpdir(), "budget-undo-"));
    file = path.join(temp, "十二月补发.csv");
    await writeFile(
      file,
      `\uFEFF年度,预算单位,项目名称,项目明细,支付日期,支付方式,人次,金额(元),备注\r\n` +
        `2024,${MAQIAO},医疗救助,,2024-12-10,社会化发放,3,"1,234.56",十二月补发\r\n2024,${MAQIAO},医疗救助,,2024-12-20,社会化发放,2,765.44,十二月补发\r\n`,
    );
  });
  afterAll(async () => {
    await fresh.drop();
    await rm(temp, { recursive: true, force: true });
  });

  it("lists the import, undoes it with a reason (figures return), refuses a second undo and bad arguments", async () => {
    const before = await executed();
    expect((await budget(["import", file, "--kind", "payments"], fresh.url)).code).toBe(0);
    expect(await executed()).not.toBe(before);

    const log = await budget(["import-log", "--json"], fresh.url);
    expect(log.code).toBe(0);
    const [batch] = JSON.parse(log.stdout).batches as Array<{ id: number; fileName: string; username: string; undoneAt: string | null }>;
    expect(batch).toMatchObject({ fileName: "十二月补发.csv", username: "cli", undoneAt: null });
    const table = await budget(["import-log", "--limit", "5"], fresh.url);
    expect(table.stdout).toMatch(new RegExp(`${batch!.id}\\s+支付明细\\s+十二月补发\\.csv\\s+cli .* 2,000\\.00\\s+已导入`));

    // Without a reason, or with an id that is no batch: exit 2, nothing changes.
    expect(await budget(["import-undo", String(batch!.id)], fresh.url)).toMatchObject({ code: 2, stderr: expect.stringContaining("--reason：必填") });
    expect(await budget(["import-undo", "999999", "--reason", "x"], fresh.url)).toMatchObject({ code: 2, stderr: expect.stringContaining("没有编号为 999999 的导入批次") });
    expect(await budget(["import-undo", "abc", "--reason", "x"], fresh.url)).toMatchObject({ code: 2 });

    const undone = await budget(["import-undo", String(batch!.id), "--reason", "重复导入"], fresh.url);
    expect(undone).toMatchObject({ code: 0, stdout: expect.stringContaining(`已撤销导入批次 #${batch!.id}（十二月补发.csv）`) });
    expect(await executed()).toBe(before);
    expect((await budget(["import-log"], fresh.url)).stdout).toMatch(/已撤销 \d{4}-\d{2}-\d{2} \d{2}:\d{2} cli：重复导入/);

    const again = await budget(["import-undo", String(batch!.id), "--reason", "再试"], fresh.url);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("未撤销");
    expect(again.stdout).toContain("该批次已于");
  });

  it("speaks English with BUDGET_LANG=en: the log's headers and statuses, the undo's refusals and usage errors (from the catalogue)", async () => {
    const before = process.env.BUDGET_LANG;
    process.env.BUDGET_LANG = "en";
    try {
      const table = await budget(["import-log"], fresh.url);
      expect(table.code).toBe(0);
      expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+Kind\s+File\s+Imported by\s+Imported at\s+Added\+updated\s+Amount \(yuan\)\s+Status\s*$/);
      expect(table.stdout).toMatch(/payments\s+十二月补发\.csv\s+cli .* 2,000\.00\s+undone \d{4}-\d{2}-\d{2} \d{2}:\d{2} by cli: 重复导入/);
      const [batch] = JSON.parse((await budget(["import-log", "--json"], fresh.url)).stdout).batches as Array<{ id: number }>;
      const again = await budget(["import-undo", String(batch!.id), "--reason", "again"], fresh.url);
      expect(again).toMatchObject({ code: 1, stdout: expect.stringContaining(`not undone: import batch #${batch!.id}\n`) });
      expect(await budget(["import-undo", String(batch!.id)], fresh.url)).toMatchObject({ code: 2, stderr: expect.stringContaining("--reason: Required") });
      expect(await budget(["import-undo", "999999", "--reason", "x"], fresh.url)).toMatchObject({ code: 2, stderr: expect.stringContaining("no import batch 999999") });
      expect(await budget(["import-undo", "abc"], fresh.url)).toMatchObject({ code: 2, stderr: expect.stringContaining("give one import batch id (see budget import-log)") });
      expect(await budget(["import-log", "--limit", "0"], fresh.url)).toMatchObject({ code: 2, stderr: expect.stringContaining("--limit must be a whole number 1–10000: 0") });
      expect(await budget(["import-log", "extra"], fresh.url)).toMatchObject({ code: 2, stderr: expect.stringContaining("unexpected arguments: extra") });
      expect(await budget(["import", "--kind", "payments"], fresh.url)).toMatchObject({ code: 2, stderr: expect.stringContaining("missing FILE") });
      expect(await budget(["import", file, "--kind", "receipts"], fresh.url)).toMatchObject({ code: 2, stderr: expect.stringContaining("--kind must be budget-lines|adjustments|payments") });
      expect(await budget(["import", file, "--kind", "payments", "--sheet", "x"], fresh.url)).toMatchObject({ code: 2, stderr: expect.stringContaining("--sheet applies to XLSX workbooks only") });
    } finally {
      if (before === undefined) delete process.env.BUDGET_LANG;
      else process.env.BUDGET_LANG = before;
    }
  });
});
