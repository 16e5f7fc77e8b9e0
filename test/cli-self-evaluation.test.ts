import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedDemoData } from "../db/seed.ts";
import { freshDatabase } from "./support/database.ts";
import { budget as runBudget } from "./support/cli.ts";

/* `budget self-evaluation` run as a user would, on a demo database with its filed forms (the eleven 绩效自评表 of seeds/003). */

const MSS = "上海市闵行区医疗保障局";

describe("budget self-evaluation", () => {
  let url = "";
  let drop: () => Promise<void>;
  const budget = (args: string[]) => runBudget(args, url);

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"));
    url = fresh.url;
    drop = fresh.drop;
    await seedDemoData(fresh.db, { trackingForms: true });
  }, 180_000);

  afterAll(async () => {
    await drop?.();
  });

  it("prints per project the scores as entered and by the rule, with each departure, as JSON", async () => {
    const { code, stdout, stderr } = await budget(["self-evaluation", "--year", "2024", "--unit", MSS, "--json"]);
    expect([code, stderr]).toEqual([0, ""]);
    const report = JSON.parse(stdout);
    expect(report.year).toBe(2024);
    expect(report.evaluations).toHaveLength(11);
    const ltc = report.evaluations.find((row: { project: string }) => row.project === "长护险护理试点工作经费");
    expect(ltc).toEqual({
      project: "长护险护理试点工作经费",
      unit: MSS,
      status: "accepted",
      fundScore: "9.99",
      indicatorScore: "89.00",
      total: "98.99",
      grade: "优",
      ruleTotal: "94.75",
      departures: [{ indicator: "培训覆盖人次", weight: "10.00", score: "9.50", ruleScore: "5.26", reason: expect.stringContaining("2635") }],
    });
    const totals = report.evaluations.map((row: { total: string }) => row.total).sort();
    expect(totals).toEqual(["100.00", "97.00", "97.71", "97.89", "98.00", "98.54", "98.99", "99.00", "99.00", "99.13", "99.20"]);
  });

  it("prints a table with the departures below it, in Chinese and with BUDGET_LANG=en in English", async () => {
    const zh = await budget(["self-evaluation", "--year", "2024"]);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain("按规则总分");
    expect(zh.stdout).toContain("与规则不同：培训覆盖人次（分值10.00）得分9.50，按规则5.26");
    const previous = process.env.BUDGET_LANG;
    process.env.BUDGET_LANG = "en"; // test/support/cli.ts passes process.env to the CLI
    try {
      const en = await budget(["self-evaluation", "--year", "2024", "--unit", MSS]);
      expect(en.code).toBe(0);
      expect(en.stdout).toContain("Total by the rule");
      expect(en.stdout).toContain("departs from the rule: 培训覆盖人次 (weight 10.00) scored 9.50, rule 5.26");
      const none = await budget(["self-evaluation", "--year", "2023"]);
      expect(none.stdout).toBe("No self-evaluations for 2023\n");
    } finally {
      if (previous === undefined) delete process.env.BUDGET_LANG;
      else process.env.BUDGET_LANG = previous;
    }
  });

  it("exits 2 without a year or with an unknown unit, and lists the command in the usage", async () => {
    const missing = await budget(["self-evaluation"]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("缺少 --year（自评的预算年度）")]);
    expect(missing.stderr).toContain("budget self-evaluation --year 2024 [--unit NAME] [--json]");
    const unknown = await budget(["self-evaluation", "--year", "2024", "--unit", "没有这个单位"]);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining("未知单位：没有这个单位")]);
  });
});
