import { beforeAll, describe, expect, test } from "vitest";
import ExcelJS from "exceljs";
import Decimal from "decimal.js";
import { sql } from "kysely";
import { projectIdOf } from "../support/database.ts";
import { browserAvailable } from "./browser.ts";
import { useSeededApp } from "./app.ts";
import { readGridRows } from "./grid.ts";
import { readDownload } from "./download.ts";

const MAQIAO_CENTRE = "上海市闵行区马桥镇社区事务受理服务中心";

const exact = (value: ExcelJS.CellValue) => new Decimal(String(value ?? 0));
const grouped = (value: Decimal) => value.toFixed(2, Decimal.ROUND_HALF_UP).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

describe.skipIf(!browserAvailable())("in the browser: 万元 exports with their 合计", () => {
  const app = useSeededApp();
  let baseUrl = "";
  let projectId = 0;
  beforeAll(async () => {
    baseUrl = app.baseUrl;
    projectId = await projectIdOf(app.db, MAQIAO_CENTRE);
  });

  test("the dashboard exported in 万元: a 合计 row as on screen, and Excel's SUM of each amount column shows the screen's 合计", async () => {
    const context = await app.signedIn("minhang.manager");
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/?year=2024&asOf=2024-08-31&amount=wan`);
      const grid = page.getByTestId("execution-grid");
      const rows = await readGridRows(grid);
      const screen = rows.find((row) => row.pinned)!;
      const exported = (await readDownload(page, () => page.getByTestId("export-execution").click())).rows;
      const headers = exported[1]!.map(String);
      const body = exported.slice(2);
      const total = body.at(-1)!;
      expect(total[headers.indexOf("预算单位")]).toBe("合计");
      expect(body.length - 1).toBe(rows.filter((row) => !row.pinned).length);
      for (const [header, colId] of [["调整后预算数(万元)", "adjusted"], ["预算执行数(万元)", "executed"]] as const) {
        const index = headers.indexOf(header);
        expect(index, header).toBeGreaterThanOrEqual(0);
        const sum = body.slice(0, -1).reduce((acc, row) => acc.plus(exact(row[index]!)), new Decimal(0));
        expect(sum.equals(exact(total[index]!)), header).toBe(true);
        expect(grouped(sum), header).toBe(screen.cells[colId]);
      }
      expect(`${Number(total[headers.indexOf("预算执行率(%)")]).toFixed(2)}%`).toBe(screen.cells.executionRate);
      // The counts and 上年同期执行率 of the screen's 合计 too, the counts as numbers.
      expect([total[headers.indexOf("项目名称")], total[headers.indexOf("预警")], total[headers.indexOf("计划预警")]]).toEqual(
        ["project", "flagged", "behindPlan"].map((colId) => Number(screen.cells[colId])),
      );
      const previous = total[headers.indexOf("上年同期执行率(%)")];
      expect(previous === null ? "—" : `${Number(previous).toFixed(2)}%`).toBe(screen.cells.previousYearRate);
    } finally {
      await context.close();
    }
  });

  test("the payments grid exported in 万元: date cells, exact amounts, 合计 and 净额 rows", async () => {
    const context = await app.signedIn("maqiao.planner");
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/projects/${projectId}?asOf=2024-12-31&amount=wan`);
      await page.getByTestId("payments-grid").locator(".ag-row").first().waitFor();
      const exported = (await readDownload(page, () => page.getByTestId("export-payments").click())).rows;
      const headers = exported[1]!.map(String);
      const body = exported.slice(2);
      const stored = await sql<{ amount: string; returned: string; n: number; outstanding: string }>`
        SELECT sum(amount)::text AS amount, sum(returned_amount)::text AS returned, count(*)::int AS n,
               coalesce(sum(returned_amount) FILTER (WHERE reissued_on IS NULL OR reissued_on > '2024-12-31'), 0)::text AS outstanding
        FROM payment WHERE project_id = ${projectId}`.execute(app.db);
      const { amount, returned, n, outstanding } = stored.rows[0]!;
      expect(body).toHaveLength(n + 2);
      const paidOn = headers.indexOf("支付日期");
      expect(body[0]![paidOn]).toBeInstanceOf(Date);
      const amountColumn = headers.indexOf("金额(万元)");
      const returnedColumn = headers.indexOf("退回金额(万元)");
      const [totalRow, netRow] = body.slice(-2);
      expect(totalRow![paidOn]).toBe("合计");
      expect(exact(totalRow![amountColumn]!).times(10_000).toFixed(2)).toBe(new Decimal(amount).toFixed(2));
      expect(exact(totalRow![returnedColumn]!).times(10_000).toFixed(2)).toBe(new Decimal(returned).toFixed(2));
      expect(netRow![paidOn]).toBe("净额(扣除未重发退回)");
      expect(exact(netRow![amountColumn]!).times(10_000).toFixed(2)).toBe(new Decimal(amount).minus(outstanding).toFixed(2));
      // The grid's pinned rows say the same (domain/execution.ts paymentListTotals for both), in 万元 as shown.
      const pinned = (await readGridRows(page.getByTestId("payments-grid"))).filter((row) => row.pinned);
      expect(pinned.map((row) => [row.cells.paidOn, row.cells.amount])).toEqual([
        ["合计", grouped(exact(totalRow![amountColumn]!))],
        ["净额(扣除未重发退回)", grouped(exact(netRow![amountColumn]!))],
      ]);
      expect(pinned[0]!.cells.returnedAmount).toBe(grouped(exact(totalRow![returnedColumn]!)));
      // Each payment exact: × 10,000 is a whole number of cents.
      for (const row of body.slice(0, -2)) expect(exact(row[amountColumn]!).times(10_000).decimalPlaces()).toBeLessThanOrEqual(2);
    } finally {
      await context.close();
    }
  });

  test("the payments grid's 合计 and 净额 follow its filter, also when new rows come under it", async () => {
    const context = await app.signedIn("maqiao.planner");
    const page = await context.newPage();
    try {
      // July's payments only (the page's month filter), then the grid's own filter on 划拨.
      await page.goto(`${baseUrl}/projects/${projectId}?asOf=2024-12-31&pmonth=2024-07`);
      const grid = page.getByTestId("payments-grid");
      await grid.locator(".ag-row").first().waitFor();
      await grid.locator(".ag-header-cell[col-id='kind'] .ag-header-cell-filter-button").click();
      await page.locator(".ag-filter input[type='text']").first().fill("划拨");
      const pinned = async () => (await readGridRows(grid)).filter((row) => row.pinned).map((row) => [row.cells.paidOn, row.cells.amount]);
      // July's six transfers: 32,880.00 + 324,292.50 + 62,125.00 + 24,142.50 + 4,625.00 + 380,080.75.
      await expect.poll(pinned).toEqual([
        ["合计", "828,145.75"],
        ["净额(扣除未重发退回)", "828,145.75"],
      ]);
      // As of 31 August, every month: November's transfer of 4,281.25 comes under the filter, which stays on; it
      // is listed and in 合计, not in 净额.
      await page.locator("input[name='asOf']").fill("2024-08-31");
      await page.locator("form.filters button[type=submit]").first().click();
      await page.waitForURL((url) => url.search.includes("asOf=2024-08-31") && !url.search.includes("pmonth"));
      await expect.poll(pinned).toEqual([
        ["合计", "832,427.00"],
        ["其中 2024-08-31 之后支付（不计入净额）", "4,281.25"],
        ["净额(扣除未重发退回)", "828,145.75"],
      ]);
      expect((await readGridRows(grid)).filter((row) => !row.pinned).map((row) => row.cells.kind)).toEqual(Array(7).fill("划拨"));
    } finally {
      await context.close();
    }
  });
});
