import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { projectIdOf } from "../support/database.ts";
import { browserAvailable } from "./browser.ts";
import { useSeededApp } from "./app.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const screenshots = path.join(root, "test-results");
const MAQIAO_CENTRE = "上海市闵行区马桥镇社区事务受理服务中心";

/*
 * 社会化发放时效 on 马桥's project page in Chromium: 26 batches of 2024 all on time (100.00%), and a planner records the
 * day a month was reported (备案): a day before the month is refused at the field; 12 September for August is 2
 * working days late (due Tue 10 September). A viewer sees the dates without the form.
 */
describe.skipIf(!browserAvailable())("in the browser: the batches' timeliness and the months' 备案", () => {
  const app = useSeededApp();
  beforeAll(async () => {
    await mkdir(screenshots, { recursive: true });
  });

  test("a planner records August's report; the month is judged late by 2 working days", async () => {
    const context = await app.signedIn("maqiao.planner");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      const projectId = await projectIdOf(app.db, MAQIAO_CENTRE, 2024, "医疗救助");
      await page.goto(`${app.baseUrl}/projects/${projectId}?asOf=2024-12-31`);
      // The adjustments add up as the paper's 表1-3-2 does: +121,745.31 元 to 1,471,745.31.
      expect(await page.getByTestId("adjustments-total").textContent()).toBe("合计（截至2024年12月31日）121,745.31");
      const table = page.getByTestId("batch-timeliness");
      await expect.poll(() => page.getByTestId("timeliness-rate").textContent()).toBe("100.00%");
      const august = page.getByTestId("timeliness-2024-08");
      expect(await august.locator("[data-field=report]").textContent()).toBe("未录入");
      await august.getByTestId("reported-on-2024-08").fill("2024-07-31");
      await august.getByRole("button", { name: "保存" }).click();
      await expect.poll(() => august.getByRole("alert").textContent()).toContain("备案日期应为 2024-08 月 1 日至今天");
      await august.getByTestId("reported-on-2024-08").fill("2024-09-12");
      await august.getByRole("button", { name: "保存" }).click();
      await expect.poll(() => august.locator("[data-field=report]").textContent()).toBe("逾期 2 个工作日");
      expect(await table.getByRole("alert").count()).toBe(0);
      await table.screenshot({ path: path.join(screenshots, "e2e-batch-timeliness.png") });
      expect(errors).toEqual([]);

      const viewer = await (await app.signedIn("minhang.viewer")).newPage();
      await viewer.goto(`${app.baseUrl}/projects/${projectId}?asOf=2024-12-31`);
      const row = viewer.getByTestId("timeliness-2024-08");
      await expect.poll(() => row.locator("[data-field=reportedOn]").textContent()).toBe("2024-09-12");
      expect(await row.locator("form").count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
