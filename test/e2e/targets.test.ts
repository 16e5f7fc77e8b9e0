import { beforeAll, describe, expect, test } from "vitest";
import { projectIdOf } from "../support/database.ts";
import { browserAvailable } from "./browser.ts";
import { useSeededApp } from "./app.ts";

const MAQIAO_CENTRE = "上海市闵行区马桥镇社区事务受理服务中心";

/** A planner declares 马桥's performance targets: a refused target, the fix, the saved form, its print. */
describe.skipIf(!browserAvailable())("in the browser: the target declaration form (绩效目标填报表)", () => {
  const app = useSeededApp();
  let baseUrl = "";
  let projectId = 0;
  beforeAll(async () => {
    baseUrl = app.baseUrl;
    // 2023: no targets declared yet (2024's are seeds/001's).
    projectId = await projectIdOf(app.db, MAQIAO_CENTRE, 2023);
  });

  test("the planner adds indicators, is told which target is unreadable, fixes it, saves and prints", async () => {
    const context = await app.signedIn("maqiao.planner", { width: 1280, height: 900 });
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/projects/${projectId}`);
      await page.getByTestId("declaration-link").click();
      await page.waitForURL(`${baseUrl}/projects/${projectId}/targets`);
      expect(await page.getByTestId("funds-total").textContent()).toBe("950,000.00");
      expect(await page.getByTestId("declaration").textContent()).toContain("尚未填报绩效指标");

      await page.getByTestId("edit-declaration").click();
      await page.waitForURL(`${baseUrl}/projects/${projectId}/targets/edit`);
      await page.locator("input[name=planStart]").fill("2023-01-01");
      await page.locator("input[name=planEnd]").fill("2023-12-31");
      await page.locator("textarea[name=annualGoal]").fill("严格依据规定标准发放救助资金，确保资金发放及时、准确、足额。");
      await page.getByTestId("add-indicator").click();
      await page.getByLabel("三级指标 1").fill("医疗救助总人次");
      await page.getByLabel("年度指标值 1").fill("≥1,8OO人次"); // the letter O typed for a zero
      await page.getByTestId("add-indicator").click();
      await page.getByLabel("一级指标 2").selectOption("满意度指标");
      expect(await page.getByLabel("二级指标 2").inputValue()).toBe("服务对象满意度指标");
      await page.getByLabel("三级指标 2").fill("救助对象满意度");
      await page.getByLabel("年度指标值 2").fill("≥85%");
      await page.getByRole("button", { name: "保存" }).click();

      await page.getByTestId("declaration-errors").waitFor();
      const rowError = page.getByTestId("indicator-row").first().locator(".field-error");
      expect(await rowError.textContent()).toMatch(/^年度指标值无法识别：第\d+个字符处/);
      expect(await page.getByLabel("三级指标 2").inputValue()).toBe("救助对象满意度"); // nothing typed is lost

      await page.getByLabel("年度指标值 1").fill("≥1,800人次");
      await page.getByRole("button", { name: "保存" }).click();
      await page.waitForURL(`${baseUrl}/projects/${projectId}/targets?saved=1`);
      expect(await page.getByRole("status").textContent()).toBe("绩效目标已保存");
      const rows = page.getByTestId("declaration-indicator");
      expect(await rows.allTextContents()).toEqual([
        "产出指标数量指标医疗救助总人次≥1,800人次",
        "满意度指标服务对象满意度指标救助对象满意度≥85%",
      ]);
      expect(await page.getByTestId("declaration").textContent()).toContain("2023 年 1 月 1 日");

      await page.emulateMedia({ media: "print" });
      expect(await page.getByTestId("edit-declaration").isVisible()).toBe(false);
      expect(await page.getByTestId("declaration").isVisible()).toBe(true);
      const pdf = await page.pdf({ preferCSSPageSize: true });
      const pages = pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? [];
      expect(pages).toHaveLength(1);
      expect(pdf.toString("latin1")).toMatch(/\/MediaBox\s*\[\s*0 0 59[45]\.\d+ 841\.\d+\s*\]/); // A4 portrait: 210 × 297 mm in points
    } finally {
      await context.close();
    }
  });

  test("a viewer reads the declaration but is offered no editing, and the edit page refuses them", async () => {
    const context = await app.signedIn("minhang.viewer", { width: 1280, height: 900 });
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/projects/${projectId}/targets`);
      await page.getByTestId("declaration").waitFor();
      expect(await page.getByTestId("edit-declaration").count()).toBe(0);
      const response = await page.goto(`${baseUrl}/projects/${projectId}/targets/edit`);
      expect(response?.status()).toBe(403);
    } finally {
      await context.close();
    }
  });
});
