import Decimal from "decimal.js";
import { beforeAll, describe, expect, test } from "vitest";
import { projectIdOf } from "../support/database.ts";
import { browserAvailable } from "./browser.ts";
import { useSeededApp } from "./app.ts";
import { readGridRows } from "./grid.ts";

const MAQIAO_CENTRE = "上海市闵行区马桥镇社区事务受理服务中心";

/** The planner adjusts a quantity with a reason, adopts the plan, and finds 2025's initial budget on the dashboard. */
describe.skipIf(!browserAvailable())("in the browser: next year's zero-based plan (/plan/2025)", () => {
  const app = useSeededApp();
  let baseUrl = "";
  beforeAll(() => {
    baseUrl = app.baseUrl;
  });

  test("the 2024 plan derives 马桥's 互助帮困 composition from the drivers exactly as seeds/001; a manager reads it, changes nothing", async () => {
    const context = await app.signedIn("minhang.manager", { width: 1366, height: 900 });
    const page = await context.newPage();
    try {
      const unitId = (await app.db.selectFrom("org_unit").select("id").where("name", "=", MAQIAO_CENTRE).executeTakeFirstOrThrow()).id;
      await page.goto(`${baseUrl}/plan/2024?unit=${unitId}`);
      await page.getByTestId("plan-table").waitFor();
      const equations = await page.getByTestId("derivation-equation").allTextContents();
      expect(equations).toEqual([
        "497 × (2,740 − 130) × 25% = 497 × 652.50 = 324,292.50",
        "497 × 500 × 25% = 497 × 125.00 = 62,125.00",
        "(497 − 460) × (2,740 − 130) × 25% = 37 × 652.50 = 24,142.50",
        "(497 − 460) × 500 × 25% = 37 × 125.00 = 4,625.00",
        "497 × 3,059 × 25% = 497 × 764.75 = 380,080.75",
      ]);
      // Each part with its drivers as 实际 (附件6-1), its standard and the share's document.
      const first = page.getByTestId("plan-derivation").first();
      expect(await first.textContent()).toContain("497 人（市民社区医疗互助帮困参加人数，2023年，实际）");
      expect(await first.textContent()).toContain("MH-SHARE");
      // 2023's single aggregate line is derived from its execution and warns that it may hold 2023's 互助帮困 money.
      expect(await page.locator('[data-testid="plan-attention"] li[data-code="mayOverlap"]').count()).toBe(1);
      // At 1366 px the table fits its box: no column is hidden behind a horizontal scroll.
      const widths = await page.getByTestId("plan-table").evaluate((table) => ({ table: table.scrollWidth, box: table.parentElement!.clientWidth }));
      expect(widths.table).toBeLessThanOrEqual(widths.box);
      // Read-only for a manager: no override form, no adoption, no basis to write.
      expect(await page.getByTestId("override-form").count()).toBe(0);
      expect(await page.getByTestId("adopt-form").count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 120_000);

  test("override needs a reason, is shown as such, and the adopted budget appears on the dashboard", async () => {
    const context = await app.signedIn("maqiao.planner", { width: 1400, height: 900 });
    const page = await context.newPage();
    try {
      await page.goto(baseUrl);
      await page.getByRole("link", { name: "下年预算编制" }).click();
      await page.waitForURL(`${baseUrl}/plan/2025`);
      await page.getByTestId("plan-table").waitFor({ timeout: 5000 }).catch(async () => {
        throw new Error(`no plan table: ${await page.locator("main").textContent()}`);
      });
      // Hydrated before any click (a click on a form still being hydrated can be lost to the re-render).
      await page.waitForFunction(() => Boolean((window as unknown as { __reactRouterDataRouter?: { state: { initialized: boolean } } }).__reactRouterDataRouter?.state.initialized));
      await page.waitForLoadState("networkidle");
      const rows = page.getByTestId("plan-line");
      expect(await rows.count()).toBe(12);
      expect(await page.getByTestId("not-zero-based").textContent()).toBe(
        "12 条明细均已零基测算（标准 × 数量、测算因素或上年执行数）；其中 1 条采纳前须写明依据（测算为 0、缺少测算因素或沿用上年）",
      );
      // 互助帮困 is planned as its build-up: participants × standard × the town's 25% share, each part checkable by hand.
      const raising = page.locator('[data-testid="plan-line"][data-item="筹集2025年医疗互助帮困资金"]');
      expect(await raising.locator('[data-field="amount"]').textContent()).toBe("324,292.50");
      expect(await raising.getAttribute("data-method")).toBe("formula");
      const derivations = page.getByTestId("plan-derivation");
      expect(await derivations.count()).toBe(5);
      expect(await derivations.first().getByTestId("derivation-equation").textContent()).toBe("497 × (2,740 − 130) × 25% = 497 × 652.50 = 324,292.50");
      expect(await derivations.first().textContent()).toContain("模型预计");
      // The farmers' premium line is derived to 0 and says why.
      const farmers = page.locator('[data-testid="plan-line"][data-item="城乡居民基本医疗保险农民个人缴费补助资金"]');
      expect(await farmers.getAttribute("class")).toContain("plan-line-attention");
      expect(await page.locator('[data-testid="plan-attention"] li[data-code="zeroDerived"]').textContent()).toContain("测算为 0：上年无执行");
      const premium = page.locator('[data-testid="plan-line"][data-item="城乡居民基本医疗保险个人缴费补助资金"]');
      // 106 persons derived from 2024's execution (32,880 ÷ 310), shown next to 2024's planned 150 and flagged.
      expect(await premium.locator('[data-field="amount"]').textContent()).toBe("32,860.00");
      expect(await premium.getByTestId("quantity-check").textContent()).toBe("上年计划 150 / 执行推算 106 ⚠");
      // The last-year columns of the total foot to the ledger; the settlement rows stand apart.
      const totalRow = page.getByTestId("project-total-row");
      expect(await totalRow.locator('[data-field="lastYearInitial"]').textContent()).toBe("1,350,000.00");
      expect(await totalRow.locator('[data-field="lastYearAdjusted"]').textContent()).toBe("1,471,745.31");
      expect(await totalRow.locator('[data-field="lastYearExecuted"]').textContent()).toBe("1,471,745.31");
      expect(await page.getByTestId("settlement-row").textContent()).toContain("未纳入明细（结算行）");
      // Every line's method text is an equation a reader can multiply out: amount = quantity × unit price, to the cent.
      const equations = await page.getByTestId("plan-equation").allTextContents();
      expect(equations).toHaveLength(12);
      for (const text of equations) {
        const match = /^（([\d,]+\.\d{2}) = ([\d,.]+) × ([\d,]+\.\d{2})(；模型 [\d,]+\.\d{2}，单价取整到分后按数量重算)?）$/.exec(text);
        expect(match, text).not.toBeNull();
        const figure = (index: number) => new Decimal(match![index]!.replaceAll(",", ""));
        expect(figure(2).times(figure(3)).toFixed(2), text).toBe(figure(1).toFixed(2));
      }

      // The premium subsidy line: 106 → 160 persons. Without a reason the change is refused and nothing is lost.
      // Formula lines are changed through their drivers: the premium line's form is the first override form.
      const form = page.getByTestId("override-form").nth(0);
      await form.locator("input[name=quantity]").fill("160");
      await form.getByRole("button", { name: "保存调整" }).click();
      await form.locator('.field-error[data-field="reason"]').waitFor();
      expect(await form.locator('.field-error[data-field="reason"]').textContent()).toBe("必填：人工调整须说明理由");
      expect(await form.locator("input[name=quantity]").inputValue()).toBe("160");
      expect(await premium.locator('[data-field="amount"]').textContent()).toBe("32,860.00");

      await form.locator("input[name=reason]").fill("2025年新增低保对象10人（民政部门名单）");
      await form.getByRole("button", { name: "保存调整" }).click();
      await expect.poll(() => premium.locator('[data-field="amount"]').textContent(), { timeout: 20_000 }).toBe("49,600.00");
      expect(await premium.locator(".badge-override").textContent()).toBe("人工调整");
      expect(await page.getByTestId("override-note").first().textContent()).toContain("数量 106 → 160，单价(元) ");
      const planTotal = (await page.getByTestId("plan-total").textContent())!;

      // Adoption asks for a written basis of the line derived to 0; without it the form is not sent.
      const basis = page.getByTestId("adopt-bases").locator("textarea");
      expect(await basis.count()).toBe(1);
      await adopt(page);
      expect(await basis.evaluate((el) => (el as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
      expect(await page.getByTestId("adopt-done").count()).toBe(0);
      await basis.fill("政策仍有效，2025年暂无农民参保对象，按0列支");
      // Nothing is written before the confirmation, which says what will be.
      expect(await page.getByTestId("adopt-confirm").textContent()).toContain(`合计 ${planTotal} 元`);
      await adopt(page);
      await page.getByTestId("adopt-done").waitFor();
      expect(await page.getByTestId("adopt-done").textContent()).toContain(`合计 ${planTotal} 元`);

      // A second adoption is refused, clearly.
      await adopt(page);
      await page.getByTestId("adopt-error").waitFor();
      expect(await page.getByTestId("adopt-error").textContent()).toMatch(/^2025 年预算已存在：.*医疗救助.*未作任何修改。$/);

      await page.goto(`${baseUrl}/?year=2025`);
      const projectId = await projectIdOf(app.db, MAQIAO_CENTRE, 2025);
      const grid = page.getByTestId("execution-grid");
      const gridRows = await readGridRows(grid);
      const row = gridRows.find((r) => !r.pinned && r.cells.project?.includes("医疗救助") && r.cells.unit?.includes("马桥"));
      expect(row, JSON.stringify(gridRows.map((r) => r.cells))).toBeDefined();
      expect(row!.cells.initial).toBe(planTotal);
      expect(await grid.getByTestId(`project-link-${projectId}`).count()).toBe(1);
    } finally {
      await context.close();
    }
  }, 120_000);
});

/** 采纳: the first button shows what will be written, the second writes it (the panel stays open after a blocked submit). */
async function adopt(page: import("playwright-core").Page): Promise<void> {
  if ((await page.getByTestId("adopt-start").count()) > 0) await page.getByTestId("adopt-start").click();
  await page.getByTestId("adopt-submit").click();
}
