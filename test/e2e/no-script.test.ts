import { describe, expect, test } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { projectIdOf } from "../support/database.ts";
import { browserAvailable } from "./browser.ts";
import { useSeededApp } from "./app.ts";
import { browserCookie, signIn } from "./session.ts";
import type { DEMO_USERS } from "../../db/seed.ts";

const MAQIAO_CENTRE = "上海市闵行区马桥镇社区事务受理服务中心";

/*
 * The grids without JavaScript (GridFallback): the project page's budget lines and payments, the dashboard's unit
 * totals and the import report show their rows as plain tables from the same column definitions, with the links
 * to edit a line and to correct a payment; nothing says "加载中…" for ever. With JavaScript the grids replace them.
 */
describe.skipIf(!browserAvailable())("grids in a browser without JavaScript", () => {
  const app = useSeededApp();
  const withoutScript = async (username: (typeof DEMO_USERS)[number]["username"]): Promise<BrowserContext> => {
    const context = await app.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
    await context.addCookies([browserCookie(app.baseUrl, await signIn(app.baseUrl, username))]);
    return context;
  };
  /** The texts of a static table's body rows, cell by cell. */
  const staticRows = (page: Page, testId: string, part = "tbody") =>
    page.getByTestId(`${testId}-static`).locator(`${part} tr`).evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll("td"), (cell) => cell.textContent?.trim() ?? "")));

  test("the project page lists the lines and payments, with their edit and correction links, as the grids do", async () => {
    const projectId = await projectIdOf(app.db, MAQIAO_CENTRE, 2024, "医疗救助");
    const lineCount = Number((await app.db.selectFrom("budget_line").where("project_id", "=", projectId).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const context = await withoutScript("maqiao.planner");
    const page = await context.newPage();
    try {
      await page.goto(`${app.baseUrl}/projects/${projectId}`);
      expect(await page.locator(".js-loading:visible").count()).toBe(0);
      const lines = await staticRows(page, "lines-table");
      expect(lines).toHaveLength(lineCount);
      expect(await page.locator("[data-testid^=edit-line-]").count()).toBe(lineCount);
      const total = await staticRows(page, "lines-table", "tfoot");
      expect(total.at(-1)).toContain("1,471,745.31");
      const payments = await staticRows(page, "payments-grid");
      expect(payments.length).toBeGreaterThan(0);
      expect(await page.locator("[data-testid^=correct-payment-]").count()).toBeGreaterThan(0);

      // The same figures as the grid draws with JavaScript, line by line (# → 调整后预算数, 预算执行数).
      const scripted = await app.signedIn("maqiao.planner");
      const grid = await scripted.newPage();
      const errors: string[] = [];
      grid.on("pageerror", (error) => errors.push(error.message));
      grid.on("console", (message) => message.type() === "error" && errors.push(message.text()));
      await grid.goto(`${app.baseUrl}/projects/${projectId}`);
      await grid.getByTestId("lines-table").locator(".ag-row").first().waitFor();
      expect(await grid.locator(".static-grid").count()).toBe(0);
      const header = await page.getByTestId("lines-table-static").locator("thead th").allTextContents();
      const [adjusted, executed] = [header.findIndex((h) => h.startsWith("调整后预算数")), header.findIndex((h) => h.startsWith("预算执行数"))];
      expect(adjusted).toBeGreaterThan(0);
      // Each static row's line, by its edit link (/projects/…/lines/{id}/edit); the grid's rows have the line's id.
      const ids = await page.getByTestId("lines-table-static").locator("tbody tr").evaluateAll((rows) =>
        rows.map((row) => /\/lines\/(\d+)\/edit/.exec(row.querySelector("a")?.getAttribute("href") ?? "")?.[1] ?? ""),
      );
      expect(ids.every((id) => id !== "")).toBe(true);
      for (const [index, row] of lines.entries()) {
        const cell = (colId: string) => grid.locator(`[data-testid=lines-table] .ag-row[row-id="${ids[index]}"] [col-id=${colId}]`).first().textContent();
        expect([await cell("adjusted"), await cell("executed")]).toEqual([row[adjusted], row[executed]]);
      }
      expect(errors).toEqual([]);
      await scripted.close();

      // A link of the table opens the line's edit page, without JavaScript too.
      await page.locator("[data-testid^=edit-line-]").first().click();
      await expect.poll(() => page.url()).toMatch(/\/lines\/\d+\/edit$/);
      expect(await page.locator("h1").first().textContent()).toContain("编辑");
    } finally {
      await context.close();
    }
  });

  test("a submitter sees the tables without edit or correction links; the dashboard says its project table needs the script", async () => {
    const projectId = await projectIdOf(app.db, MAQIAO_CENTRE, 2024, "医疗救助");
    const submitter = await withoutScript("maqiao.submitter");
    const manager = await withoutScript("minhang.manager");
    try {
      const page = await submitter.newPage();
      await page.goto(`${app.baseUrl}/projects/${projectId}`);
      expect((await staticRows(page, "lines-table")).length).toBeGreaterThan(0);
      expect(await page.locator("[data-testid^=edit-line-], [data-testid^=correct-payment-]").count()).toBe(0);

      const dashboard = await manager.newPage();
      await dashboard.goto(`${app.baseUrl}/?year=2024`);
      expect(await dashboard.getByTestId("execution-grid-needs-script").textContent()).toContain("须启用 JavaScript");
      const units = await staticRows(dashboard, "unit-grid");
      expect(units.length).toBeGreaterThan(0);
      expect(units.some((row) => row[0]?.includes("马桥镇"))).toBe(true);
      expect(await dashboard.locator(".js-loading:visible").count()).toBe(0);
    } finally {
      await submitter.close();
      await manager.close();
    }
  });
});
