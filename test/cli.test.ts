import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase } from "./support/database.ts";
import { budget } from "./support/cli.ts";

describe("budget CLI", () => {
  const demo = () => inject("demoDatabaseUrl");

  it("prints one row per project with --json, exactly the documented keys, amounts as 2-decimal strings", async () => {
    const { code, stdout } = await budget(["execution", "--year", "2024", "--as-of", "2024-08-31", "--json"], demo());
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output.asOf).toBe("2024-08-31");
    expect(output.timeProgress).toBe("66.67");
    for (const project of output.projects) {
      expect(Object.keys(project).sort()).toEqual(
        ["adjusted", "behindPlan", "executed", "executionRate", "flagged", "gap", "initial", "planGap", "plannedProgress", "previousYearRate", "project", "timeProgress", "unit"].sort(),
      );
      expect(project.adjusted).toMatch(/^-?\d+\.\d{2}$/);
    }
    expect(output.projects).toContainEqual({
      unit: "上海市闵行区华漕镇社区事务受理中心",
      project: "医疗救助",
      initial: "0.00",
      adjusted: "1109200.00",
      executed: "959622.79",
      executionRate: "86.51",
      timeProgress: "66.67",
      gap: "19.84",
      flagged: false,
      plannedProgress: "66.67",
      planGap: "19.84",
      behindPlan: false,
      previousYearRate: null,
    });
  });

  it("filters by --unit (the unit and everything below it) and prints a readable table", async () => {
    const { code, stdout } = await budget(["execution", "--year", "2024", "--as-of", "2024-12-31", "--unit", "马桥镇"], demo());
    expect(code).toBe(0);
    expect(stdout).toContain("上海市闵行区马桥镇社区事务受理服务中心");
    expect(stdout).toContain("1471745.31");
    expect(stdout).toContain("100.00");
    expect(stdout).toContain("上年同期执行率");
    expect(stdout).not.toContain("华漕");
  });

  it.each([
    [["execution", "--as-of", "2024-02-30"], /--as-of/],
    [["execution", "--as-of", "31/08/2024"], /--as-of/],
    [["execution", "--year", "24"], /--year/],
    [["execution", "--year", "0999"], /--year/],
    [["execution", "--unit", "不存在的单位"], /未知单位：不存在的单位/],
    [["execution", "--colour"], /colour/],
    [["frobnicate"], /未知命令：frobnicate/],
    [["db", "drop"], /未知子命令：db drop/],
    [["backtest", "--horizon", "0"], /--horizon 应为 1–60 的整数（月）：0/],
    [["backtest", "--history", "6"], /--history 应为 12–1000 的整数（月）：6/],
  ])("rejects %j with exit code 2 and a clear message", async (args, message) => {
    const { code, stderr } = await budget(args, demo());
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("runs the forecasting backtest on synthetic lines and reports per method, as JSON", async () => {
    const { code, stdout } = await budget(["backtest", "--series", "12", "--json"], demo());
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.synthetic.lines).toBe(12);
    const methods = report.synthetic.scores.map((score: { method: string }) => score.method);
    expect(methods).toEqual(expect.arrayContaining(["seasonalNaive", "ses", "theta", "selected"]));
    expect((await budget(["backtest", "--series", "0"], demo())).code).toBe(2);
  });

  it("backtests a monthly file and the property sets with another hold-out, on the last months of history only", async () => {
    // Two series in the M3 format (not M3: no published anchors), 24 months held out, fitted on their last 36.
    const dir = await mkdtemp(path.join(os.tmpdir(), "backtest-"));
    const file = path.join(dir, "monthly.csv");
    const row = (id: string, n: number, level: number) =>
      `${id},${n},24,OTHER,2000,1,${Array.from({ length: n }, (_, t) => (level * (1 + 0.3 * Math.sin((t * Math.PI) / 6)) + t).toFixed(1)).join(" ")}`;
    await writeFile(file, `id,n,h,category,start_year,start_month,values\n${row("A1", 100, 200)}\n${row("A2", 90, 80)}\n`);
    try {
      const { code, stdout } = await budget(["backtest", "--series", "5", "--horizon", "24", "--history", "36", "--m3", file], demo());
      expect(code).toBe(0);
      expect(stdout).toContain("Property backtest (issue 18): seeded series by property, 24-month hold-out, each fitted on its last 36 months");
      expect(stdout).toContain("Monthly backtest: 2 series, fit on n − h, each fitted on its last 36 months, sMAPE and MASE over h = 1–24");
      // Issue 18's speed, on the file's own series: the selected forecast alone, timed apart from the methods it is compared with.
      expect(stdout).toMatch(/speed of the selected forecast alone: 2 series in \d+\.\d\d s = \d+ series\/s \(one thread; target ≥ 1000: (met|missed)\)/);
      expect(stdout).not.toContain("anchor");
      expect(stdout).toMatch(/selected MASE \d\.\d{3} vs seasonal naive \d\.\d{3} \(ratio \d\.\d{3}\): (met|missed)/);
      expect(stdout).toMatch(/selected MASE \d\.\d{3} vs ETS by AICc \(as forecast::ets\) \d\.\d{3}/);
      const json = JSON.parse((await budget(["backtest", "--series", "5", "--horizon", "24", "--history", "36", "--json"], demo())).stdout);
      expect(json.properties).toMatchObject({ horizon: 24, history: 36 });
      expect(json.properties.scores.map((s: { property: string }) => s.property)).toContain("seasonDrift");
      for (const score of json.properties.scores) expect(score.etsMase).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe("db migrate and db seed on an empty database", () => {
    let fresh: Awaited<ReturnType<typeof freshDatabase>>;
    beforeAll(async () => {
      fresh = await freshDatabase(inject("serverUrl"));
    });
    afterAll(async () => fresh.drop());

    it("migrates, seeds once, and leaves a second seed without effect", async () => {
      expect((await budget(["db", "migrate"], fresh.url)).stdout).toMatch(/数据库已是最新|已运行迁移：/);
      const first = await budget(["db", "seed"], fresh.url);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/已导入演示数据：\d+ 个单位、19 个项目/);
      const second = await budget(["db", "seed"], fresh.url);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/数据库已有数据，未导入演示数据/);
      const { count } = await fresh.db.selectFrom("project").select((eb) => eb.fn.countAll<string>().as("count")).executeTakeFirstOrThrow();
      expect(count).toBe("19");
    });

    it("builds the organisation tree of a new database", async () => {
      expect((await budget(["unit", "add", "浦东新区", "--level", "district", "--parent", "上海市"], fresh.url)).code).toBe(0);
      expect((await budget(["unit", "add", "浦东新区", "--level", "district"], fresh.url)).code).toBe(1);
      expect((await budget(["unit", "add", "x", "--level", "planet"], fresh.url)).code).toBe(2);
      expect((await budget(["unit", "add", "x", "--level", "town", "--parent", "火星"], fresh.url)).code).toBe(2);
      const unit = await fresh.db.selectFrom("org_unit as u").innerJoin("org_unit as p", "p.id", "u.parent_id").select(["u.level", "p.name as parent"]).where("u.name", "=", "浦东新区").executeTakeFirstOrThrow();
      expect(unit).toEqual({ level: "district", parent: "上海市" });
    });

    it("adds, lists and resets users; refuses bad roles, units and passwords", async () => {
      const added = await budget(["user", "add", "pudong.viewer", "--unit", "闵行区", "--role", "viewer,planner", "--display-name", "查阅员"], fresh.url);
      expect(added.code).toBe(0);
      const password = /初始密码：(\S+)/.exec(added.stdout)?.[1];
      expect(password).toBeDefined();
      const list = await budget(["user", "list", "--json"], fresh.url);
      expect(JSON.parse(list.stdout)).toContainEqual(expect.objectContaining({ username: "pudong.viewer", unitName: "闵行区", roles: ["viewer", "planner"] }));
      const reset = await budget(["user", "passwd", "pudong.viewer"], fresh.url);
      expect(reset.stdout).toMatch(/新密码：\S{12,}/);
      // The demo users' published passwords are flagged until changed.
      expect(list.stdout).toContain('"passwordIsDemo": true');

      expect((await budget(["user", "add", "x.y", "--unit", "闵行区", "--role", "root"], fresh.url)).code).toBe(2);
      expect((await budget(["user", "add", "x.y", "--unit", "火星", "--role", "viewer"], fresh.url)).code).toBe(2);
      expect((await budget(["user", "add", "Bad Name", "--unit", "闵行区", "--role", "viewer"], fresh.url)).code).toBe(1);
      expect((await budget(["user", "add", "pudong.viewer", "--unit", "闵行区", "--role", "viewer"], fresh.url)).stderr).toContain("用户名已存在");
      const history = await fresh.db.selectFrom("audit_log").select(["username", "action"]).where("table_name", "=", "app_user").where("username", "=", "cli").execute();
      expect(history.map((entry) => entry.action).sort()).toEqual(["insert", "update"]);
    });

    it("speaks English with BUDGET_LANG=en: no Chinese but the data (unit names) in user add, unit add, their errors and the usage", async () => {
      const before = process.env.BUDGET_LANG;
      process.env.BUDGET_LANG = "en";
      const chinese = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
      try {
        const added = await budget(["user", "add", "english.viewer", "--unit", "闵行区", "--role", "viewer"], fresh.url);
        expect(added.code).toBe(0);
        expect(added.stdout).toMatch(/^User created: english\.viewer \(闵行区; viewer\)\nInitial password: \S{12,}\n$/);
        expect(added.stdout.replaceAll("闵行区", "")).not.toMatch(chinese);
        const exists = await budget(["unit", "add", "闵行区", "--level", "district"], fresh.url);
        expect(exists).toMatchObject({ code: 1, stderr: "Error: The unit exists: 闵行区\n" });
        const unit = await budget(["unit", "add", "Lingang", "--level", "town", "--parent", "闵行区"], fresh.url);
        expect(unit).toMatchObject({ code: 0, stdout: "Unit created: Lingang (under 闵行区)\n" });
        const badRole = await budget(["user", "add", "x.y", "--unit", "闵行区", "--role", "root"], fresh.url);
        expect(badRole.code).toBe(2);
        expect(badRole.stderr).toMatch(/^Error: --role must be one or more of /);
        expect(badRole.stderr).not.toMatch(chinese); // the whole usage too, with the import, import-log, backtest and forecast lines
        const backtest = await budget(["backtest", "--series", "0"], fresh.url);
        expect(backtest.code).toBe(2);
        expect(backtest.stderr).toMatch(/^Error: --series must be a whole number from 1 to 100000: 0\n\nUsage:\n  budget backtest /);
        expect(backtest.stderr).not.toMatch(chinese);
      } finally {
        if (before === undefined) delete process.env.BUDGET_LANG;
        else process.env.BUDGET_LANG = before;
      }
    });

    it("prints an error prefix once, in Chinese by default", async () => {
      const exists = await budget(["unit", "add", "闵行区", "--level", "district"], fresh.url);
      expect(exists).toMatchObject({ code: 1, stderr: "错误：单位已存在：闵行区\n" });
      const missing = await budget(["user", "add"], fresh.url);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^错误：缺少用户名\n\n用法：\n/);
      const backtest = await budget(["backtest", "--seed", "1.5"], fresh.url);
      expect(backtest.code).toBe(2);
      expect(backtest.stderr).toMatch(/^错误：--seed 应为非负整数：1\.5\n\n用法：\n  budget backtest /);
    });
  });
});
