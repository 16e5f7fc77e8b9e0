import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SYSTEM_ACTOR, withActor } from "../db/audit.ts";
import { freshDatabase } from "./support/database.ts";
import { budget as runBudget } from "./support/cli.ts";

/* `budget workdays` run as a user would, on a migrated database: the calendar comes from migration 0017. */

describe("budget workdays", () => {
  let url = "";
  let drop: () => Promise<void>;
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  const budget = (args: string[]) => runBudget(args, url);

  beforeAll(async () => {
    fresh = await freshDatabase(inject("serverUrl"));
    url = fresh.url;
    drop = fresh.drop;
  }, 180_000);

  afterAll(async () => {
    await drop?.();
  });

  it("prints 2024-02-21 for five working days after 2024-02-08 (春节 10–17 Feb off, Sunday 18 Feb worked)", async () => {
    expect(await budget(["workdays", "--from", "2024-02-08", "--add", "5"])).toEqual({ code: 0, stdout: "2024-02-21\n", stderr: "" });
    expect((await budget(["workdays", "--from", "2025-01-24", "--add", "1"])).stdout).toBe("2025-01-26\n");
    expect((await budget(["workdays", "--from", "2024-02-21", "--add=-5"])).stdout).toBe("2024-02-08\n");
    expect((await budget(["workdays", "--from", "2024-02-08", "--add", "0"])).stdout).toBe("2024-02-08\n");
  });

  it("prints the working days after the first date up to and including the second", async () => {
    expect(await budget(["workdays", "--from", "2024-02-08", "--to", "2024-02-21"])).toEqual({ code: 0, stdout: "5\n", stderr: "" });
    expect((await budget(["workdays", "--from", "2024-02-09", "--to", "2024-02-18"])).stdout).toBe("1\n");
    expect((await budget(["workdays", "--from", "2024-02-21", "--to", "2024-02-08"])).stdout).toBe("-5\n");
    expect((await budget(["workdays", "--from", "2024-01-01", "--to", "2024-12-31"])).stdout).toBe("251\n");
  });

  it("exits 2 with the reason for a year the calendar does not cover, in Chinese and in English", async () => {
    const before = await budget(["workdays", "--from", "2003-06-02", "--add", "1"]);
    expect(before.code).toBe(2);
    expect(before.stdout).toBe("");
    expect(before.stderr).toMatch(/^错误：工作日历未覆盖2003年（2003-06-02），不能判断工作日；已覆盖：2004–\d{4}。/);
    expect(before.stderr).not.toContain("用法"); // the arguments were right: no usage
    const previous = process.env.BUDGET_LANG;
    process.env.BUDGET_LANG = "en"; // test/support/cli.ts passes process.env to the CLI
    try {
      const en = await budget(["workdays", "--from", "2003-12-01", "--to", "2004-01-05"]);
      expect(en.code).toBe(2);
      expect(en.stderr).toContain("does not cover 2003 (2003-12-01), so working days cannot be counted; it covers 2004–");
    } finally {
      if (previous === undefined) delete process.env.BUDGET_LANG;
      else process.env.BUDGET_LANG = previous;
    }
  });

  it("exits 2 when a count runs into a year no longer covered", async () => {
    await withActor(fresh.db, SYSTEM_ACTOR, (trx) => trx.deleteFrom("work_calendar_year").where("year", "=", 2025).execute());
    try {
      const across = await budget(["workdays", "--from", "2024-12-30", "--add", "2"]);
      expect([across.code, across.stdout]).toEqual([2, ""]);
      expect(across.stderr).toContain("工作日历未覆盖2025年（2025-01-01）");
      expect(across.stderr).toContain("已覆盖：2004–2024, 2026");
      expect((await budget(["workdays", "--from", "2024-12-30", "--add", "1"])).stdout).toBe("2024-12-31\n");
    } finally {
      await withActor(fresh.db, SYSTEM_ACTOR, (trx) => trx.insertInto("work_calendar_year").values({ year: 2025, source: "test" }).execute());
    }
  });

  it("exits 2 on bad arguments, with the usage listing the command", async () => {
    const cases: Array<[string[], string]> = [
      [["workdays", "--add", "5"], "缺少 --from（起始日期 YYYY-MM-DD）"],
      [["workdays", "--from", "2024-02-30", "--add", "5"], "--from 应为日期 YYYY-MM-DD：2024-02-30"],
      [["workdays", "--from", "2024-02-08"], "请给出 --add N 或 --to 日期，二者选一"],
      [["workdays", "--from", "2024-02-08", "--add", "5", "--to", "2024-03-01"], "请给出 --add N 或 --to 日期，二者选一"],
      [["workdays", "--from", "2024-02-08", "--add", "five"], "--add 应为整数"],
      [["workdays", "--from", "2024-02-08", "--add", "1.5"], "--add 应为整数"],
      [["workdays", "--from", "2024-02-08", "--to", "21/02/2024"], "--to 应为日期 YYYY-MM-DD：21/02/2024"],
      [["workdays", "--from", "2024-02-08", "--days", "5"], "未知选项：--days"],
      [["workdays", "2024-02-08"], "多余的参数：2024-02-08"],
    ];
    for (const [args, problem] of cases) {
      const { code, stdout, stderr } = await budget(args);
      expect([code, stdout], args.join(" ")).toEqual([2, ""]);
      expect(stderr, args.join(" ")).toContain(problem);
      expect(stderr, args.join(" ")).toContain("budget workdays --from 2024-02-08 --add 5");
    }
  });
});
