import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { projectHistory } from "../db/audit.ts";
import { budget } from "./support/cli.ts";

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";


/** `budget import` of a payment larger than its project's budget for the year: refused until --accept-over-budget (decision 012). */
describe("budget import --accept-over-budget", () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let temp: string;
  let file: string;
  const payments = async () => Number((await fresh.db.selectFrom("payment").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    temp = await mkdtemp(path.join(os.tmpdir(), "budget-over-budget-"));
    file = path.join(temp, "马桥支付.csv");
    await writeFile(
      file,
      `\uFEFF年度,预算单位,项目名称,项目明细,支付日期,支付方式,人次,金额(元),到期日,退回人次,退回金额,重发日期,备注\r\n` +
        `2024,${MAQIAO},医疗救助,,2024-06-15,社会化发放,1,"50,000,000.00",,,,,一人次\r\n`,
    );
  });
  afterAll(async () => {
    await fresh.drop();
    await rm(temp, { recursive: true, force: true });
  });

  it("shows the payment in a dry run (exit 0) with what to do", async () => {
    const dry = await budget(["import", file, "--kind", "payments", "--dry-run"], fresh.url);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`第2行 ${MAQIAO} 医疗救助（2024年）：支付 50,000,000.00 元 > 调整后预算 1,471,745.31 元`);
    expect(dry.stdout).toContain("--accept-over-budget");
  });

  it("refuses the commit with exit 1 and a clear message, writing nothing", async () => {
    const before = await payments();
    const refused = await budget(["import", file, "--kind", "payments"], fresh.url);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("有超预算支付未经确认，未导入任何行");
    expect(refused.stderr).toContain("1 笔支付超过其项目全年调整后预算，未导入任何行；核对无误后加 --accept-over-budget 重新导入");
    const json = await budget(["import", file, "--kind", "payments", "--json"], fresh.url);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ committed: false, overBudgetRefused: true, overBudgetCount: 1, overBudget: [{ rowNumber: 2, amount: "50000000.00", budget: "1471745.31" }] });
    expect(await payments()).toBe(before);
  });

  it("imports with --accept-over-budget (exit 0) and records the acknowledgement as the CLI's", async () => {
    const before = await payments();
    const accepted = await budget(["import", file, "--kind", "payments", "--accept-over-budget"], fresh.url);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain("已按 --accept-over-budget 确认导入");
    expect(await payments()).toBe(before + 1);
    const history = await projectHistory(fresh.db, await projectIdOf(fresh.db, MAQIAO));
    const entry = history.find((e) => e.tableName === "import_batch" && e.action === "update");
    // Stored as codes with parameters, shown in either language (app/history-text.ts).
    expect(entry).toMatchObject({
      username: "cli",
      after: { status: { code: "impObAckStatus" }, note: [{ code: "impObAckRow", params: { row: 2, amount: "50,000,000.00", year: 2024, budget: "1,471,745.31" } }] },
    });
  });

  it("lists the flag in its usage", async () => {
    const help = await budget(["--help"], fresh.url);
    expect(help.stdout + help.stderr).toContain("--accept-over-budget");
  });
});
