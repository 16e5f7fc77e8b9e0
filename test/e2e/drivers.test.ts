import { beforeAll, describe, expect, test } from "vitest";
import { browserAvailable } from "./browser.ts";
import { useSeededApp } from "./app.ts";
import { browserCookie } from "./session.ts";
import { createSession, createUser } from "../../db/users.ts";
import { todayInChina } from "../../domain/dates.ts";

/**
 * 测算因素 (/drivers): the planner enters and corrects a driver; other roles only read; the English page
 * speaks English; a planner of the owning unit adds a cost share version, a town's planner cannot.
 */
describe.skipIf(!browserAvailable())("in the browser: planning drivers (/drivers)", () => {
  const app = useSeededApp();
  let baseUrl = "";
  beforeAll(() => {
    baseUrl = app.baseUrl;
  });

  test("the planner sees 马桥's participants, is told what is missing with the input kept, then saves, corrects and deletes 2024", async () => {
    const context = await app.signedIn("maqiao.planner", { width: 1366, height: 900 });
    const page = await context.newPage();
    try {
      await page.goto(baseUrl);
      await page.getByRole("link", { name: "测算因素" }).click();
      await page.waitForURL(`${baseUrl}/drivers`);
      const group = page.locator('[data-testid="driver-group"][data-code="MH-PARTICIPANTS"]');
      await group.waitFor();
      expect(await group.getAttribute("id")).toBe("MH-PARTICIPANTS");
      const rows = group.getByTestId("driver-row");
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-year")))).toEqual(["2022", "2023"]);
      expect(await rows.locator('[data-field="value"]').allTextContents()).toEqual(["460", "497"]);
      expect(await rows.locator('[data-field="status"]').allTextContents()).toEqual(["实际", "实际"]);
      // The formulas say how the plan uses it.
      expect(await page.locator('[data-testid="formula-row"][data-item="清算{Y-1}年医疗资金"] [data-field="quantity"]').textContent()).toBe(
        "MH-PARTICIPANTS（Y-1） − MH-PARTICIPANTS（Y-2）",
      );
      // Hydrated (React has claimed the form) before typing, so that no input or click is lost to a re-render.
      await page.waitForFunction(() => {
        const form = document.querySelector("[data-testid=driver-form]");
        return form !== null && Object.keys(form).some((key) => key.startsWith("__reactFiber"));
      });

      const form = page.getByTestId("driver-form");
      await form.locator("input[name=year]").fill("2024");
      await form.locator("input[name=code]").fill("MH-PARTICIPANTS");
      await form.locator("input[name=name]").fill("市民社区医疗互助帮困参加人数");
      await form.locator("input[name=value]").fill("520");
      await form.locator("input[name=measure]").fill("人");
      await form.locator("select[name=status]").selectOption("actual");
      await form.getByRole("button", { name: "保存" }).click();
      const documentError = page.locator('.field-error[data-field="document"]');
      await documentError.waitFor();
      expect(await documentError.textContent()).toBe("依据文件必填");
      expect(await page.getByTestId("driver-form").locator("input[name=value]").inputValue()).toBe("520");
      expect(await page.getByTestId("driver-form").locator("input[name=year]").inputValue()).toBe("2024");
      expect(await rows.count()).toBe(2);

      await page.getByTestId("driver-form").locator("input[name=document]").fill("2024年绩效自评表：马桥镇实际520人");
      await page.getByTestId("driver-form").getByRole("button", { name: "保存" }).click();
      await page.getByTestId("driver-done").waitFor();
      expect(await page.getByTestId("driver-done").textContent()).toBe(`已保存：上海市闵行区马桥镇社区事务受理服务中心 MH-PARTICIPANTS 2024 年 = 520 人`);
      await expect.poll(() => rows.count()).toBe(3);
      const added = group.locator('[data-testid="driver-row"][data-year="2024"]');
      expect(await added.locator('[data-field="value"]').textContent()).toBe("520");
      expect(await added.textContent()).toContain("maqiao.planner");
      expect(await page.locator(".field-error").count()).toBe(0);

      // Correct it: the form opens with the value, and saving replaces it.
      await added.getByTestId("driver-correct").click();
      await expect.poll(() => page.getByTestId("driver-form").locator("input[name=value]").inputValue()).toBe("520");
      await page.getByTestId("driver-form").locator("input[name=value]").fill("1,521");
      await page.getByTestId("driver-form").getByRole("button", { name: "保存" }).click();
      await expect.poll(() => page.getByTestId("driver-done").textContent()).toContain("已更正：");
      expect(await page.getByTestId("driver-done").textContent()).toContain("= 1,521 人（原为 520）");
      await expect.poll(() => added.locator('[data-field="value"]').textContent()).toBe("1,521");

      // Delete takes a second, labelled click.
      await added.locator("summary").click();
      await added.getByTestId("driver-delete").click();
      await expect.poll(() => page.getByTestId("driver-done").textContent()).toContain("已删除：");
      await expect.poll(() => rows.count()).toBe(2);
    } finally {
      await context.close();
    }
  }, 120_000);

  test("a viewer and a submitter read the drivers but get no form; the English page shows no Chinese but data", async () => {
    for (const username of ["minhang.viewer", "maqiao.submitter"] as const) {
      const context = await app.signedIn(username, { width: 1366, height: 900 });
      const page = await context.newPage();
      try {
        await page.goto(`${baseUrl}/drivers`);
        await page.locator('[data-testid="driver-group"][data-code="MH-PARTICIPANTS"]').first().waitFor();
        expect(await page.getByTestId("driver-form").count(), username).toBe(0);
        expect(await page.getByTestId("driver-delete").count(), username).toBe(0);
        expect(await page.getByTestId("driver-correct").count(), username).toBe(0);
        expect(await page.getByTestId("drivers-read-only").isVisible(), username).toBe(true);
        if (username === "minhang.viewer") {
          // The district sees both its units' drivers; the plan's link #CODE lands on the first group of the code.
          expect(await page.locator('[data-testid="driver-group"][data-code="ARMED-POLICE"]').count()).toBe(1);
          expect(await page.locator("#MH-PARTICIPANTS").count()).toBe(1);
          await page.goto(`${baseUrl}/drivers?lang=en`);
          await page.getByTestId("drivers-table").waitFor();
          const chrome = await page.locator("h1, h2, th, summary, button, p.muted, .app-header nav a:not([data-testid])").allTextContents();
          // CJK characters and full-width punctuation (（）：，).
          const chinese = chrome.filter((text) => /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(text));
          expect(chinese).toEqual([]);
          expect(await page.locator('[data-testid="driver-row"] [data-field="status"]').first().textContent()).toBe("actual");
          expect(await page.locator('[data-testid="formula-row"] [data-field="quantity"]').first().textContent()).toMatch(/^[A-Z-]+ \(Y(-\d)?\)/);
        }
      } finally {
        await context.close();
      }
    }
  }, 120_000);

  test("a planner of 闵行区 adds a version of MH-SHARE (镇级 30% from next 1 January), told first that the shares add to 105%; 马桥's planner gets no 新版本 for it", async () => {
    // The demo has no planner of 闵行区 (MH-SHARE's owner): one is made for the test. 闵行区医疗保障局's planner
    // would be refused like 马桥's (a unit below the owner: test/drivers.test.ts).
    const unitId = (await app.db.selectFrom("org_unit").select("id").where("name", "=", "闵行区").executeTakeFirstOrThrow()).id;
    const userId = await createUser(app.db, { username: "minhang.district.planner", displayName: "闵行区 预算编制", unitId, roles: ["planner"], password: "Test-password-for-shares" });
    const context = await app.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN" });
    await context.addCookies([browserCookie(baseUrl, `bm_session=${await createSession(app.db, userId)}`)]);
    const nextYear = Number(todayInChina().slice(0, 4)) + 1;
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/drivers`);
      const shareRows = page.locator('[data-testid="share-row"][data-code="MH-SHARE"]');
      expect(await shareRows.count()).toBe(1);
      await page.waitForFunction(() => {
        const form = document.querySelector("[data-testid=share-form]");
        return form !== null && Object.keys(form).some((key) => key.startsWith("__reactFiber"));
      });
      await page.locator("#share-MH-SHARE").getByTestId("share-new-version").click();
      await page.waitForURL(/share=MH-SHARE/);
      const form = page.getByTestId("share-form");
      await expect.poll(() => form.locator("input[name=code]").inputValue()).toBe("MH-SHARE");
      expect(await form.locator("input[name=town]").inputValue()).toBe("25");
      expect(await form.locator("select[name=appliesTo]").inputValue()).toBe("镇");

      await form.locator("input[name=town]").fill("30");
      await form.locator("input[name=effectiveFrom]").fill(`${nextYear}-01-01`);
      await form.locator("input[name=document]").fill("闵行区医疗保障局、财政局通知（示例：镇级分担调整为30%）");
      await form.getByRole("button", { name: "保存" }).click();
      const total = page.locator('.field-error[data-field="total"]');
      await total.waitFor();
      expect(await total.textContent()).toBe("四级分担比例合计应为 100%，现为 105%");
      expect(await page.getByTestId("share-form").locator("input[name=town]").inputValue()).toBe("30");
      expect(await page.getByTestId("share-form").locator("input[name=document]").inputValue()).toContain("示例");
      expect(await shareRows.count()).toBe(1);

      await page.getByTestId("share-form").locator("input[name=district]").fill("20");
      await page.getByTestId("share-form").getByRole("button", { name: "保存" }).click();
      await page.getByTestId("share-done").waitFor();
      expect(await page.getByTestId("share-done").textContent()).toBe(`已新增：MH-SHARE 第 2 版，自 ${nextYear}-01-01 起执行；第 1 版于 ${nextYear - 1}-12-31 截止`);
      await expect.poll(() => shareRows.count()).toBe(2);
      expect(await shareRows.locator('[data-field="period"]').allTextContents()).toEqual([`2024-01-01 至 ${nextYear - 1}-12-31`, `${nextYear}-01-01 至 今`]);
      expect(await shareRows.locator('[data-level="镇级"]').allTextContents()).toEqual(["25", "30"]);
      expect(await shareRows.locator('[data-level="区级"]').allTextContents()).toEqual(["25", "20"]);
      expect(await page.locator(".field-error").count()).toBe(0);

      // In English: labels, levels and whom it applies to in English; the data stay as entered.
      await page.goto(`${baseUrl}/drivers?share=MH-SHARE&lang=en`);
      await page.getByTestId("share-form").waitFor();
      const chrome = await page.locator("#share-form, [data-testid=share-form] label, [data-testid=share-form] legend, [data-testid=shares-table] th, [data-testid=share-new-version], .app-header nav a:not([data-testid])").allTextContents();
      expect(chrome.filter((text) => /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(text))).toEqual([]);
      expect(await shareRows.first().locator("td").nth(5).textContent()).toBe("Towns");
    } finally {
      await context.close();
    }

    const town = await app.signedIn("maqiao.planner", { width: 1366, height: 900 });
    try {
      const townPage = await town.newPage();
      await townPage.goto(`${baseUrl}/drivers`);
      await townPage.locator("#share-MH-SHARE").waitFor();
      expect(await townPage.locator('[data-testid="share-row"][data-code="MH-SHARE"]').count()).toBe(2);
      expect(await townPage.getByTestId("share-new-version").count()).toBe(0);
      // A new code of its own is still possible: the form is there, without a prefilled code.
      expect(await townPage.getByTestId("share-form").locator("input[name=code]").inputValue()).toBe("");
    } finally {
      await town.close();
    }
  }, 120_000);
});
