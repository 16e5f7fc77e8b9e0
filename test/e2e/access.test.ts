import { beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { browserAvailable } from "./browser.ts";
import { dataRows, readGridRows } from "./grid.ts";
import { useSeededApp } from "./app.ts";
import { DEMO_USERS } from "../../db/seed.ts";

const HUACAO_CENTRE = "上海市闵行区华漕镇社区事务受理中心";
const MAQIAO_CENTRE = "上海市闵行区马桥镇社区事务受理服务中心";

/** Signing in through the form, seeing one's own units only, editing a line, reading its history. */
describe.skipIf(!browserAvailable())("in the browser: sign-in, unit scoping, editing and history", () => {
  const app = useSeededApp();
  let baseUrl = "";
  beforeAll(() => {
    baseUrl = app.baseUrl;
  });

  async function signInThroughForm(page: Page, username: string, target = "/?year=2024&asOf=2024-08-31"): Promise<void> {
    const password = DEMO_USERS.find((user) => user.username === username)!.password;
    await page.goto(`${baseUrl}${target}`);
    await page.waitForURL((url) => url.pathname === "/login");
    await page.locator("input[name=username]").fill(username);
    await page.locator("input[name=password]").fill(password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL((url) => url.pathname !== "/login");
  }

  test("a town submitter sees only the town; after signing out, the district manager sees the district", async () => {
    const context = await app.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await signInThroughForm(page, "huacao.submitter");
      expect(new URL(page.url()).searchParams.get("asOf")).toBe("2024-08-31"); // back where they wanted to go
      await expect.poll(() => page.getByTestId("current-user").textContent()).toContain(HUACAO_CENTRE);
      expect(await page.getByTestId("demo-banner").isVisible()).toBe(true);
      const grid = page.getByTestId("execution-grid");
      await grid.locator(".ag-row").first().waitFor();
      const rows = dataRows(await readGridRows(grid));
      expect(rows.map((row) => [row.cells.unit, row.cells.project, row.cells.executionRate])).toEqual([[HUACAO_CENTRE, "医疗救助", "86.51%"]]);
      expect(await page.locator("body").textContent()).not.toContain(MAQIAO_CENTRE);
      expect(await page.locator("select[name=unit] option").count()).toBe(1);

      await page.getByTestId("sign-out").click();
      await page.waitForURL((url) => url.pathname === "/login");

      await signInThroughForm(page, "minhang.manager");
      await grid.locator(".ag-row").first().waitFor();
      const districtRows = dataRows(await readGridRows(grid));
      expect(districtRows).toHaveLength(13);
      const unitGrid = page.getByTestId("unit-grid");
      await unitGrid.locator(".ag-row").first().waitFor();
      const units = dataRows(await readGridRows(unitGrid)).map((row) => row.cells.unit);
      expect(new Set(units)).toEqual(new Set([HUACAO_CENTRE, MAQIAO_CENTRE, "上海市闵行区医疗保障局"]));
    } finally {
      await context.close();
    }
  });

  test("a page the user's role does not give answers 403 with what it means and a way back, in the user's language", async () => {
    const context = await app.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    try {
      await signInThroughForm(page, "huacao.submitter");
      const refused = await page.goto(`${baseUrl}/admin`);
      expect(refused?.status()).toBe(403);
      expect(await page.locator(".error-page h1").textContent()).toBe("无权限");
      expect(await page.locator(".error-page").textContent()).toContain("您的角色或所属单位无权查看或办理此页面的内容；如确需此权限，请联系系统管理员。");
      const response = await page.goto(`${baseUrl}/admin?lang=en`);
      expect(response?.status()).toBe(403);
      expect(await page.locator(".error-page").textContent()).toContain("Your role or unit does not give you this page; ask your administrator if you need it.");
      expect(await page.locator(".error-page a[href='/']").count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  test("a planner edits a budget line, sees the new figure, and finds the change in the history in Chinese", async () => {
    const context = await app.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      await signInThroughForm(page, "maqiao.planner");
      const grid = page.getByTestId("execution-grid");
      await grid.locator(".ag-row a").first().click();
      await page.waitForURL((url) => url.pathname.startsWith("/projects/"));
      const line = await app.db.selectFrom("budget_line").select(["id", "project_id"]).where("item", "=", "市级政策住院救助").executeTakeFirstOrThrow();
      await page.goto(`${baseUrl}/projects/${line.project_id}`);
      // Hydrated (the client-only payments grid has rows) before clicking, so the click is not lost to a re-render.
      await page.getByTestId("payments-grid").locator(".ag-row").first().waitFor();
      // The link sits in a client-side grid that may re-render its rows under the click on a busy
      // machine (seen once in CI): click again until the edit page opens.
      await expect
        .poll(
          async () => {
            if (!new URL(page.url()).pathname.endsWith("/edit")) await page.getByTestId(`edit-line-${line.id}`).click({ timeout: 5_000 }).catch(() => undefined);
            await page.waitForURL((url) => url.pathname.endsWith("/edit"), { timeout: 5_000 }).catch(() => undefined);
            return new URL(page.url()).pathname.endsWith("/edit");
          },
          { timeout: 45_000, interval: 500 },
        )
        .toBe(true);

      // A wrong product first: the form says why, field by field.
      await page.locator("input[name=quantity]").fill("135");
      await page.getByRole("button", { name: "保存" }).click();
      await expect.poll(() => page.locator(".field-error").first().textContent()).toBe("年初预算应等于 单价 × 数量");

      await page.locator("input[name=initialAmount]").fill("351,000");
      await page.getByRole("button", { name: "保存" }).click();
      await page.waitForURL((url) => /^\/projects\/\d+$/.test(url.pathname));
      await expect.poll(() => page.getByTestId("lines-table").textContent()).toContain("351,000.00");
      expect(await page.getByTestId("initial").textContent()).toBe("1,363,000.00");

      await page.getByTestId("history-link").click();
      await page.waitForURL((url) => url.pathname.endsWith("/history"));
      const history = page.getByTestId("history-table");
      await expect.poll(() => history.locator("tbody tr").first().textContent()).toContain("maqiao.planner");
      const latest = await history.locator("tbody tr").first().textContent();
      expect(latest).toContain("修改");
      expect(latest).toContain("预算明细");
      expect(latest).toContain("数量：130.00 → 135.00");
      expect(latest).toContain("年初预算：338,000.00 → 351,000.00");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("an admin raises the flag threshold and the dashboard applies it", async () => {
    const context = await app.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await signInThroughForm(page, "admin", "/admin");
      await page.locator("input[name=threshold]").fill("80");
      // The admin page has several forms (threshold, deviation causes): save the threshold's.
      await page.locator("form", { has: page.locator("input[name=threshold]") }).getByRole("button", { name: "保存" }).click();
      await expect.poll(() => page.locator(".form-ok").textContent()).toBe("已保存");
      await page.goto(`${baseUrl}/?year=2024&asOf=2024-08-31`);
      await expect.poll(() => page.locator(".page-title").textContent()).toContain("预警线 80.00%");
      // 马桥 at 78.22 % is now below the line too: 12 of 13 flagged.
      expect(await page.getByTestId("flagged-count").textContent()).toBe("12 / 13");
    } finally {
      await context.close();
    }
  });
});
