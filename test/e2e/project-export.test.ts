import { beforeAll, describe, expect, test } from "vitest";
import { projectIdOf } from "../support/database.ts";
import { browserAvailable } from "./browser.ts";
import { useSeededApp } from "./app.ts";
import { dataRows, readGridRows, type GridRow } from "./grid.ts";
import { signIn } from "./session.ts";
import { readDownload } from "./download.ts";

const MAQIAO_CENTRE = "上海市闵行区马桥镇社区事务受理服务中心";

/** The budget-lines grid of the project page: sorted and filtered as a finance officer would, exported as shown. */
describe.skipIf(!browserAvailable())("in the browser: exporting a project's budget lines", () => {
  const app = useSeededApp();
  let baseUrl = "";
  let projectId = 0;
  beforeAll(async () => {
    baseUrl = app.baseUrl;
    projectId = await projectIdOf(app.db, MAQIAO_CENTRE);
  });

  test("sort by 调整后预算数, filter the items, export: the workbook has the rows shown, in that order, amounts as numbers, Chinese headers", async () => {
    const context = await app.signedIn("maqiao.planner");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      await page.goto(`${baseUrl}/projects/${projectId}?asOf=2024-12-31&amount=yuan`);
      const grid = page.getByTestId("lines-table");
      await grid.locator(".ag-row").first().waitFor();
      const all = await readGridRows(grid);
      expect(dataRows(all)).toHaveLength(11);
      const total = (rows: GridRow[]) => rows.find((row) => row.pinned && row.cells.composition === "合计")!;
      // The total row is the project's: the headline figures above the grid say the same.
      expect(total(all).cells).toMatchObject({ initial: "1,350,000.00", adjusted: "1,471,745.31", executed: "1,471,745.31", executionRate: "100.00%" });
      expect(await page.getByTestId("initial").textContent()).toBe("1,350,000.00");
      // A planner may edit: each line has its edit link.
      const line = await app.db.selectFrom("budget_line").select("id").where("project_id", "=", projectId).where("item", "=", "市级政策住院救助").executeTakeFirstOrThrow();
      expect(await grid.getByTestId(`edit-line-${line.id}`).getAttribute("href")).toBe(`/projects/${projectId}/lines/${line.id}/edit`);

      // Largest adjusted budget first.
      const header = grid.locator(".ag-header-cell[col-id='adjusted']");
      await header.locator(".ag-header-cell-label").click();
      await header.locator(".ag-header-cell-label").click();
      await expect.poll(() => header.getAttribute("aria-sort")).toBe("descending");
      // Only the 医疗救助 items.
      const filterButton = grid.locator(".ag-header-cell[col-id='item'] .ag-header-cell-filter-button");
      await filterButton.click();
      await page.locator(".ag-filter input[type='text']").first().fill("医疗救助");
      await expect.poll(async () => dataRows(await readGridRows(grid)).length).toBe(4);
      const shown = await readGridRows(grid);
      const items = dataRows(shown).map((row) => row.cells.item);
      expect(items).toEqual(["2024年财政医疗救助补助资金财力结算", "区级医疗救助事后报销", "直达资金-2024年医疗救助补助资金财力结算", "区级政策医疗救助"]);
      // The total follows the filter: 361,000.00 + 168,593.37 + 65,000.00 + 1,559.82; nothing of it paid yet.
      expect(total(shown).cells).toMatchObject({ adjusted: "596,153.19", executed: "0.00", executionRate: "0.00%" });
      expect(shown.filter((row) => row.pinned)).toHaveLength(1);

      const exported = await readDownload(page, () => page.getByTestId("export-lines").click());
      expect(exported.fileName).toBe("预算明细-医疗救助.xlsx");
      expect(exported.sheet).toBe("项目预算安排及调整");
      const [title, headers, ...body] = exported.rows;
      expect(title![0]).toBe(`2024 医疗救助 ${MAQIAO_CENTRE} 截至日期 2024-12-31`);
      // The grid's columns as shown (the edit links are not data), headed in Chinese with their unit.
      expect(headers).toEqual(["序号", "项目构成", "项目明细", "资金级次", "单价(元)", "数量", "年初预算数(元)", "调整金额(元)", "调整后预算数(元)", "预算执行数(元)", "预算执行率(%)", "依据", "功能分类科目", "部门经济分类"]);
      const column = (name: string) => headers!.indexOf(name);
      // The payments on no line are no line's: a filtered export leaves them out, as the grid does.
      const dataPart = body.slice(0, -1);
      expect(dataPart.map((row) => row[column("项目明细")])).toEqual(items);
      expect(dataPart.map((row) => row[column("调整后预算数(元)")])).toEqual([361000, 168593.37, 65000, 1559.82]);
      expect(exported.formats[2]![column("调整后预算数(元)")]).toBe("#,##0.00");
      const totalRow = body.at(-1)!;
      expect(totalRow[column("项目构成")]).toBe("合计");
      expect(totalRow[column("调整后预算数(元)")]).toBe(596153.19);

      // In 万元 the same export gives 万元 numbers and headers.
      await page.goto(`${baseUrl}/projects/${projectId}?asOf=2024-12-31&amount=wan`);
      await grid.locator(".ag-row").first().waitFor();
      const inWan = await readDownload(page, () => page.getByTestId("export-lines").click());
      const wanHeaders = inWan.rows[1]!;
      expect(wanHeaders).toContain("调整后预算数(万元)");
      expect(wanHeaders).toContain("单价(元)");
      // Every line: then the payments on no line, then the project's total.
      expect(inWan.rows).toHaveLength(2 + 11 + 2);
      const unattributed = inWan.rows.at(-2)!;
      // Exact 万元 (元 ÷ 10,000), shown with 2 decimals: Excel's SUM is the screen's total, and the file imports back to the cent.
      expect([unattributed[wanHeaders.indexOf("项目明细")], unattributed[wanHeaders.indexOf("预算执行数(万元)")]]).toEqual(["未归集到明细的支付", 63.931831]);
      expect(inWan.formats.at(-2)![wanHeaders.indexOf("预算执行数(万元)")]).toBe("#,##0.00");
      expect(inWan.rows.at(-1)![wanHeaders.indexOf("年初预算数(万元)")]).toBe(135);
      expect(inWan.rows.at(-1)![wanHeaders.indexOf("预算执行数(万元)")]).toBe(147.174531);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("a viewer sees no edit links, and another town's user cannot export the lines", async () => {
    const context = await app.signedIn("minhang.viewer");
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/projects/${projectId}?asOf=2024-12-31`);
      const grid = page.getByTestId("lines-table");
      await grid.locator(".ag-row").first().waitFor();
      expect(dataRows(await readGridRows(grid))).toHaveLength(11);
      expect(await grid.locator("[data-testid^='edit-line-']").count()).toBe(0);
    } finally {
      await context.close();
    }
    const cookie = await signIn(baseUrl, "huacao.submitter");
    const response = await fetch(`${baseUrl}/export`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: baseUrl, "Content-Type": "application/json" },
      body: JSON.stringify({ grid: "lines", projectId, asOf: "2024-12-31", amount: "yuan", ids: [], columns: ["item", "adjusted"] }),
    });
    // Outside the user's units the project does not exist for them (as for every read).
    expect(response.status).toBe(404);
  });
});
