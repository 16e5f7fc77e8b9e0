import { describe, expect, inject, it } from "vitest";
import { budget as runBudget } from "./support/cli.ts";

/* `budget forecast` run as a user would, on the shared demo database (read-only). */


const budget = (args: string[]) => runBudget(args, inject("demoDatabaseUrl"));

const MAQIAO_CATEGORIES: Array<[string, string, string]> = [
  ["内扣社区医疗互助帮困资金", "社区医疗互助帮困资金", "闵医保发〔2023〕4号"],
  ["内扣社区医疗互助帮困资金", "城乡居民基本医疗保险个人缴费补助资金", "沪医保规〔2023〕2号"],
  ["内扣社区医疗互助帮困资金", "城乡居民基本医疗保险农民个人缴费补助资金", "沪医保规〔2022〕7号"],
  ["医疗救助", "困难人员居保缴费补助", "沪医保规〔2023〕2号"],
  ["医疗救助", "区级政策医疗救助", "沪医保规〔2022〕12号"],
  ["医疗救助", "市级政策门急诊救助", "沪医保规〔2022〕12号"],
  ["医疗救助", "市级政策住院救助", "沪医保规〔2022〕12号"],
  ["医疗救助", "门急诊起付线补助", "沪医保待遇〔2023〕1号"],
];

interface JsonLine {
  composition: string;
  item: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  forecastAmount: string | null;
  interval80: { lower: string; upper: string } | null;
  interval95: { lower: string; upper: string } | null;
  quantityCheck: { planned: string | null; derived: string | null; flagged: boolean } | null;
  method: string;
  reason: string;
  basis: string;
  standard: { code: string; revision: number; document: string } | null;
  monthly: Array<{ month: string; amount: string }>;
  change: { lastYear: string; volume: string; policy: string; unitCost: string; total: string };
}

const cents = (amount: string) => BigInt(amount.replace(".", ""));

describe("budget forecast", () => {
  it("forecasts 2025 for 马桥 from the demo data: all eight categories of 表1-3-1, each with its basis and standard", async () => {
    const { code, stdout, stderr } = await budget(["forecast", "--year", "2025", "--unit", "马桥镇", "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.baseYear).toBe(2024);
    expect(report.units).toHaveLength(1);
    const [project] = report.units[0].projects;
    expect(project.project).toBe("医疗救助");
    const lines = project.lines as JsonLine[];
    expect(lines.map((l) => [l.composition, l.item, l.basis])).toEqual(MAQIAO_CATEGORIES);
    for (const line of lines) {
      expect(line.standard, line.item).not.toBeNull();
      for (const amount of [line.amount, line.unitPrice, line.quantity, ...Object.values(line.change)]) expect(amount).toMatch(/^-?\d+\.\d{2}$/);
      // amount = unit price × quantity, exactly; the months add up to it; the change split adds up.
      expect(cents(line.amount) * 100n).toBe(cents(line.unitPrice) * cents(line.quantity));
      expect(line.monthly).toHaveLength(12);
      expect(line.monthly.reduce((s, m) => s + cents(m.amount), 0n)).toBe(cents(line.amount));
      expect(cents(line.change.volume) + cents(line.change.policy) + cents(line.change.unitCost)).toBe(cents(line.change.total));
      expect(cents(line.change.lastYear) + cents(line.change.total)).toBe(cents(line.amount));
      expect(line.reason.length).toBeGreaterThan(10);
    }
    // The fixed standards as in force for 2025, the quantities derived from 2024's execution (not its plan):
    // 互助帮困 795,265.75 ÷ 1,200 ≈ 663 (planned 455); premium subsidy 32,880 ÷ 310 ≈ 106 (planned 150); farmers none paid.
    expect(lines[0]).toMatchObject({ unitPrice: "1200.00", quantity: "663.00", amount: "795600.00", method: "standard", standard: { code: "MH-MINHANG" } });
    expect(lines[0]!.quantityCheck).toEqual({ planned: "455.00", derived: "663.00", flagged: true });
    expect(lines[1]).toMatchObject({ unitPrice: "310.00", quantity: "106.00", amount: "32860.00", method: "standard" });
    expect(lines[2]).toMatchObject({ unitPrice: "30.00", quantity: "0.00", amount: "0.00" });
    // The benefit lines paid in the 26 mixed batches are forecast by the models, with nested intervals.
    for (const line of lines.slice(4)) {
      expect(line.method, line.item).toBe("model");
      const [l95, l80, u80, u95] = [line.interval95!.lower, line.interval80!.lower, line.interval80!.upper, line.interval95!.upper].map(cents) as [bigint, bigint, bigint, bigint];
      expect(l95 <= l80 && l80 <= cents(line.forecastAmount!) && cents(line.forecastAmount!) <= u80 && u80 <= u95).toBe(true);
    }
    const sum = lines.reduce((s, l) => s + cents(l.amount), 0n);
    expect(cents(project.total.amount)).toBe(sum);
    // The last-year totals foot to the ledger, the settlement rows L9–L11 listed apart.
    expect(project.total).toMatchObject({ lastYearInitial: "1350000.00", lastYearAdjusted: "1471745.31", lastYearExecuted: "1471745.31" });
    expect(project.settlement).toMatchObject({ adjusted: "594593.37", executed: "0.00" });
    expect(report.overrides).toBe(true);
  }, 60_000);

  it("prints a readable table per project with totals", async () => {
    const { code, stdout } = await budget(["forecast", "--year", "2025", "--project", "医疗救助", "--unit", "上海市闵行区马桥镇社区事务受理服务中心"]);
    expect(code).toBe(0);
    expect(stdout).toContain("2025 年度零基预算预测");
    expect(stdout).toContain("市级政策门急诊救助");
    expect(stdout).toContain("PREM-SUBSIDY");
    expect(stdout).toContain("项目合计");
    expect(stdout).toContain("上年基数 1350000.00");
    expect(stdout).toContain("上年调整后 1471745.31");
    expect(stdout).toContain("未纳入明细（结算行）");
    expect(stdout).toContain("含编制人员保存的人工调整 0 条");
  }, 60_000);

  it("says when it leaves the planners' overrides out (--no-overrides)", async () => {
    const { code, stdout } = await budget(["forecast", "--year", "2025", "--unit", "马桥镇", "--no-overrides"]);
    expect(code).toBe(0);
    expect(stdout).toContain("未含人工调整（--no-overrides");
  }, 60_000);

  it.each([
    [["forecast"], /--year/],
    [["forecast", "--year", "25"], /--year/],
    [["forecast", "--year", "2025", "--unit", "不存在的单位"], /未知单位 unknown unit: 不存在的单位/],
    [["forecast", "--year", "2025", "--colour"], /colour/],
    [["forecast", "--year", "2025", "extra"], /unexpected arguments/],
  ])("rejects %j with exit code 2", async (args, message) => {
    const { code, stderr } = await budget(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("exits 1 when the year before has no budget lines", async () => {
    const { code, stderr } = await budget(["forecast", "--year", "2031"]);
    expect(code).toBe(1);
    expect(stderr).toContain("2030 年没有可据以预测的预算明细");
  });
});
