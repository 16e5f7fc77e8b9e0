import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import expected from "../../db/demo/expected.json" with { type: "json" };
import type { DB } from "../../db/pool.ts";
import { freshDatabase } from "../support/database.ts";
import { browserAvailable, launchBrowser } from "./browser.ts";
import { dataRows, readGridRows, type GridRow } from "./grid.ts";
import { startServer, type RunningServer } from "./server.ts";
import { browserCookie, signIn } from "./session.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const screenshots = path.join(root, "test-results");

const MINHANG_MEDICAL_SECURITY = "上海市闵行区医疗保障局";
const HUACAO_CENTRE = "上海市闵行区华漕镇社区事务受理中心";
const MAQIAO_CENTRE = "上海市闵行区马桥镇社区事务受理服务中心";
const DASHBOARD = "/?year=2024&asOf=2024-08-31";

/**
 * The 2024 totals as of 2024-08-31: the eleven 闵行区医疗保障局 projects at their initial budgets
 * (their adjustments are dated 2024-12-31) with the payments of their 推定 monthly or quarterly
 * profiles through August (db/demo/README.md), 华漕 and 马桥 as of that date.
 *   adjusted 83,377,900.00 + 1,109,200.00 + 1,585,645.75 = 86,072,745.75
 *   executed 54,373,669.51 + 959,622.79 + 1,240,328.86 = 56,573,621.16 → 65.73 %
 */
const TOTAL_ADJUSTED = "86,072,745.75";
const TOTAL_EXECUTED = "56,573,621.16";
const TOTAL_RATE = "65.73%";

/**
 * The eleven 闵行区医疗保障局 projects as of 2024-08-31, all below the 75 % line: monthly profiles
 * stand at 8/12 of the year's execution, quarterly ones at 2/4, against the initial budget.
 */
const MINHANG_RATES_20240831: Record<string, string> = {
  党建工作经费: "50.00%",
  医保监督管理: "45.88%",
  医疗救助: "51.25%",
  城乡居民医保资金区本级财政筹集资金: "3.64%",
  市民社区医疗互助帮困经费: "66.67%",
  "智慧闵行医保卫士-“看病钱”守护系统": "48.54%",
  武警医疗经费: "24.10%",
  残疾人就业保障金: "43.60%",
  法律顾问费: "50.00%",
  长护险护理试点工作经费: "66.59%",
  闵行医保基金监督检查系统运维: "50.00%",
};

/** The projects behind plan on 2024-08-31: executed below 75 % of an even plan's 244/366 of the budget. */
const BEHIND_PLAN_20240831 = ["医保监督管理", "城乡居民医保资金区本级财政筹集资金", "智慧闵行医保卫士-“看病钱”守护系统", "武警医疗经费", "残疾人就业保障金"];

/** "1109200.00" → "1,109,200.00", the way the app shows amounts in 元. */
function grouped(amount: string): string {
  const [whole = "0", cents = "00"] = amount.split(".");
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}

/** The value of the option the server rendered as selected in the <select name="<name>">. */
function selectedOption(html: string, name: string): string | undefined {
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>(.*?)</select>`, "s").exec(html)?.[1] ?? "";
  return /<option[^>]*value="([^"]*)"[^>]*selected/.exec(select)?.[1];
}

/** The text of the element carrying data-testid="<testId>" in server-rendered HTML. */
function textOfTestId(html: string, testId: string): string | undefined {
  const match = new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html);
  return match?.[1];
}

async function projectId(db: DB, unitName: string, fiscalYear: number, name: string): Promise<number> {
  const row = await db
    .selectFrom("project")
    .innerJoin("org_unit", "org_unit.id", "project.unit_id")
    .where("org_unit.name", "=", unitName)
    .where("project.fiscal_year", "=", fiscalYear)
    .where("project.name", "=", name)
    .select("project.id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The key columns a finance manager reads on the dashboard's project grid: time progress and the plan beside the rate. */
const KEY_COLUMNS = ["unit", "project", "adjusted", "executed", "executionRate", "timeProgress", "gap", "plannedProgress", "planGap"];
/** The figures: shown whole, never cut to "…" (上年同期 too, though on 1280 px it may need the grid scrolled sideways). */
const KEY_FIGURES = ["adjusted", "executed", "executionRate", "timeProgress", "gap", "plannedProgress", "planGap", "previousYearRate"];

/** How an ag-grid lies on the screen: its visible body, sideways overflow, column edges, cut cells and its rows' boxes. */
interface GridLayout {
  left: number;
  right: number;
  /** The bottom of what the grid shows: its body, less a horizontal scrollbar laid over it. */
  visibleBottom: number;
  /** How far the columns reach beyond the grid's width (0: no sideways scrolling). */
  overflow: number;
  columns: Record<string, { left: number; right: number }>;
  /** The column ids of cells whose text is cut ("…"). */
  cut: string[];
  rows: { rowId: string; pinned: boolean; top: number; bottom: number }[];
}

async function gridLayout(grid: Locator): Promise<GridLayout> {
  return grid.evaluate((root) => {
    const body = root.querySelector<HTMLElement>("[role='grid']")!;
    const box = body.getBoundingClientRect();
    const scrollbar = root.querySelector<HTMLElement>(".ag-body-horizontal-scroll:not(.ag-invisible)");
    const scrollbarTop = scrollbar && scrollbar.offsetHeight > 0 ? scrollbar.getBoundingClientRect().top : Infinity;
    const columns: Record<string, { left: number; right: number }> = {};
    for (const header of root.querySelectorAll<HTMLElement>(".ag-header-cell[col-id]")) {
      const rect = header.getBoundingClientRect();
      columns[header.getAttribute("col-id")!] = { left: rect.left, right: rect.right };
    }
    const cut = new Set<string>();
    for (const cell of root.querySelectorAll<HTMLElement>(".ag-cell[col-id]")) {
      const value = cell.querySelector<HTMLElement>(".ag-cell-value") ?? cell;
      if (value.scrollWidth > value.clientWidth + 1) cut.add(cell.getAttribute("col-id")!);
    }
    const rows = [...root.querySelectorAll<HTMLElement>(".ag-row[row-id]")].map((row) => {
      const rect = row.getBoundingClientRect();
      return { rowId: row.getAttribute("row-id")!, pinned: row.classList.contains("ag-row-pinned"), top: rect.top, bottom: rect.bottom };
    });
    return { left: box.left, right: box.right, visibleBottom: Math.min(box.bottom, scrollbarTop), overflow: body.scrollWidth - body.clientWidth, columns, cut: [...cut], rows };
  });
}

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)("in the browser: dashboard and project pages", () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let baseUrl = "";
  /** The district manager sees every 2024 project of the demo data (all are in 闵行区). */
  let managerCookie = "";
  const get = (url: string) => fetch(`${baseUrl}${url}`, { headers: { Cookie: managerCookie } });
  let huacaoId = 0;
  let maqiaoId = 0;
  /** The eleven 闵行区医疗保障局 2024 projects, with their names. */
  let minhangProjects: { id: number; name: string }[] = [];
  let minhangIds: number[] = [];

  beforeAll(async () => {
    fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    huacaoId = await projectId(fresh.db, HUACAO_CENTRE, 2024, "医疗救助");
    maqiaoId = await projectId(fresh.db, MAQIAO_CENTRE, 2024, "医疗救助");
    minhangProjects = await fresh.db
      .selectFrom("project")
      .innerJoin("org_unit", "org_unit.id", "project.unit_id")
      .where("org_unit.name", "=", MINHANG_MEDICAL_SECURITY)
      .where("project.fiscal_year", "=", 2024)
      .select(["project.id as id", "project.name as name"])
      .orderBy("project.id")
      .execute();
    minhangIds = minhangProjects.map((project) => project.id);
    server = await startServer(fresh.url);
    baseUrl = server.baseUrl;
    managerCookie = await signIn(baseUrl, "minhang.manager");
    browser = await launchBrowser();
    await mkdir(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fresh?.drop();
  });

  /** A page in its own context (own cookies: the language choice is a cookie), with its errors recorded. */
  async function openPage(viewport = { width: 1440, height: 900 }): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
    const context = await browser!.newContext({ viewport, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    context.setDefaultTimeout(30_000);
    context.setDefaultNavigationTimeout(30_000);
    await context.addCookies([browserCookie(baseUrl, managerCookie)]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    return { page, context, errors };
  }

  /** Opens a URL and waits for the app to hydrate (the client-only grids and charts replace their fallbacks). */
  async function visit(page: Page, url: string, waitFor = "execution-grid") {
    const response = await page.goto(`${baseUrl}${url}`);
    await page.getByTestId(waitFor).locator(".ag-row, svg").first().waitFor();
    return response;
  }

  function rowOf(rows: GridRow[], id: number): GridRow {
    const row = rows.find((candidate) => !candidate.pinned && candidate.rowId === String(id));
    if (!row) throw new Error(`no grid row for project ${id}; rows: ${rows.map((r) => r.rowId).join(", ")}`);
    return row;
  }

  test("the server renders the headline figures before any script runs", async () => {
    const response = await get(DASHBOARD);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(textOfTestId(html, "total-adjusted")).toBe(TOTAL_ADJUSTED);
    expect(textOfTestId(html, "total-executed")).toBe(TOTAL_EXECUTED);
    expect(textOfTestId(html, "total-rate")).toBe(TOTAL_RATE);
    expect(textOfTestId(html, "time-progress")).toBe(`${expected.timeProgressAsOf}%`);
    expect(textOfTestId(html, "flagged-count")).toBe(`${minhangIds.length} / 13`);
    // The headline says its scope: all the unit's projects, whatever the grid is filtered to.
    expect(textOfTestId(html, "headline-scope")).toContain("全部 13 个项目的数字，不随下方表格的筛选变化");
    expect(html).toContain("调整后预算数(元)");
    expect(html).toContain('lang="zh-CN"');

    const project = await get(`/projects/${maqiaoId}?asOf=2024-12-31`);
    expect(project.status).toBe(200);
    const projectHtml = await project.text();
    expect(textOfTestId(projectHtml, "adjusted")).toBe(grouped(expected.maqiao2024.adjusted));
    expect(textOfTestId(projectHtml, "execution-rate")).toBe(`${expected.maqiao2024.executionRate}%`);
    expect(textOfTestId(projectHtml, "adjustment-rate")).toBe(`${expected.maqiao2024.adjustmentRate}%`);
  });

  test("the dashboard as of 2024-08-31: headline, 华漕 at 86.51 %, flagged rows", async () => {
    const { page, context, errors } = await openPage();
    try {
      const response = await visit(page, DASHBOARD);
      expect(response?.status()).toBe(200);
      // The document the browser received already carries the figures (server rendering).
      const served = (await response?.text()) ?? "";
      expect(textOfTestId(served, "total-adjusted")).toBe(TOTAL_ADJUSTED);

      await expect.poll(() => page.getByTestId("total-adjusted").textContent()).toBe(TOTAL_ADJUSTED);
      expect(await page.getByTestId("total-executed").textContent()).toBe(TOTAL_EXECUTED);
      expect(await page.getByTestId("total-rate").textContent()).toBe(TOTAL_RATE);
      expect(await page.getByTestId("flagged-count").textContent()).toBe(`${minhangIds.length} / 13`);

      const grid = page.getByTestId("execution-grid");
      const huacaoLink = grid.getByTestId(`project-link-${huacaoId}`);
      await huacaoLink.waitFor();
      const rows = await readGridRows(grid);
      expect(dataRows(rows)).toHaveLength(13);

      const huacao = rowOf(rows, huacaoId);
      expect(huacao.cells.unit).toBe(HUACAO_CENTRE);
      expect(huacao.cells.project).toBe("医疗救助");
      expect(huacao.cells.adjusted).toBe(grouped(expected.huacao.adjusted));
      expect(huacao.cells.executed).toBe(grouped(expected.huacao.executed));
      expect(huacao.cells.executionRate).toBe("86.51%");
      expect(huacao.classes).not.toContain("row-flagged");
      // 计划进度 beside 时间进度: no history, no scheduled months → the time progress; no 2023 project.
      expect([huacao.cells.timeProgress, huacao.cells.plannedProgress, huacao.cells.planGap, huacao.cells.previousYearRate, huacao.cells.behindPlan]).toEqual([
        "66.67%",
        "66.67%",
        "19.84",
        "—",
        "",
      ]);

      const maqiao = rowOf(rows, maqiaoId);
      expect(maqiao.cells.executionRate).toBe(`${expected.maqiao2024.asOf20240831.executionRate}%`);
      expect(maqiao.classes).not.toContain("row-flagged");
      // Its 2023 (one total booked on 2023-12-31) planned nothing before December; on 2023-08-31 it had paid nothing.
      expect([maqiao.cells.plannedProgress, maqiao.cells.previousYearRate, maqiao.cells.behindPlan]).toEqual(["0.00%", "0.00%", ""]);
      // 落后计划, a flag of its own: below 75 % of an even plan (bar 50.00 %) — 党建, 法律顾问 and 系统运维 stand exactly at it.
      expect(await page.getByTestId("behind-plan-count").textContent()).toBe(`${BEHIND_PLAN_20240831.length} / 13`);
      expect(dataRows(rows).filter((row) => row.cells.behindPlan === "落后计划").map((row) => row.cells.project).sort()).toEqual([...BEHIND_PLAN_20240831].sort());

      // The 闵行区医疗保障局 projects, paid monthly or quarterly (推定), stand below 75 % on 08-31 and are flagged.
      expect(minhangProjects).toHaveLength(11);
      for (const { id, name } of minhangProjects) {
        const row = rowOf(rows, id);
        expect(row.cells.executionRate, name).toBe(MINHANG_RATES_20240831[name]);
        expect(row.classes, `project ${id}`).toContain("row-flagged");
      }
      expect(dataRows(rows).filter((row) => row.classes.includes("row-flagged"))).toHaveLength(minhangIds.length);
      // The same class through the DOM, as a user-visible highlight.
      await expect.poll(() => grid.locator(".ag-row.row-flagged").count()).toBeGreaterThanOrEqual(1);

      const total = rows.find((row) => row.pinned);
      expect(total?.cells.adjusted).toBe(TOTAL_ADJUSTED);
      expect(total?.cells.executed).toBe(TOTAL_EXECUTED);
      expect(total?.cells.executionRate).toBe(TOTAL_RATE);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("马桥 on 2024-06-30: behind time (and below the threshold) but not behind plan; the plan's basis on hover", async () => {
    const { page, context, errors } = await openPage();
    try {
      await visit(page, "/?year=2024&asOf=2024-06-30");
      const grid = page.getByTestId("execution-grid");
      await grid.getByTestId(`project-link-${maqiaoId}`).waitFor();
      const maqiao = rowOf(await readGridRows(grid), maqiaoId);
      expect([maqiao.cells.executionRate, maqiao.cells.timeProgress, maqiao.cells.gap]).toEqual(["24.33%", "49.73%", "-25.40"]);
      expect([maqiao.cells.plannedProgress, maqiao.cells.planGap, maqiao.cells.behindPlan, maqiao.cells.flagged]).toEqual(["0.00%", "24.33", "", "低于预警线"]);
      const cell = grid.locator(`.ag-row[row-id='${maqiaoId}'] [col-id='plannedProgress']`).first();
      await cell.hover();
      await expect.poll(() => page.locator(".ag-tooltip").textContent()).toBe("计划依据：按上年各月执行");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("the 万元 switch puts amount=wan in the URL and shows amounts in 万元", async () => {
    const { page, context, errors } = await openPage();
    try {
      await visit(page, DASHBOARD);
      const grid = page.getByTestId("execution-grid");
      await grid.getByTestId(`project-link-${huacaoId}`).waitFor();
      await page.getByTestId("amount-unit-wan").click();
      await page.waitForURL((url) => url.searchParams.get("amount") === "wan");
      expect(new URL(page.url()).searchParams.get("asOf")).toBe("2024-08-31");
      await expect.poll(() => page.getByTestId("total-adjusted").textContent()).toBe("8,607.27");
      expect(await page.getByTestId("total-executed").textContent()).toBe("5,657.36"); // 56,573,621.16 元
      expect(await page.locator(".headline").textContent()).toContain("调整后预算数(万元)");
      expect(await page.getByTestId("amount-unit-wan").getAttribute("aria-current")).toBe("true");

      const huacaoRow = grid.locator(".ag-row:not(.ag-row-pinned)", { has: page.getByTestId(`project-link-${huacaoId}`) });
      await expect.poll(() => huacaoRow.locator("[col-id='adjusted']").textContent()).toBe("110.92");
      expect(await huacaoRow.locator("[col-id='executed']").textContent()).toBe("95.96");
      expect(await huacaoRow.locator("[col-id='executionRate']").textContent()).toBe("86.51%");
      expect(await grid.locator(".ag-header-cell[col-id='adjusted']").textContent()).toContain("万元");

      // Back to 元.
      await page.getByTestId("amount-unit-yuan").click();
      await page.waitForURL((url) => url.searchParams.get("amount") === "yuan");
      await expect.poll(() => huacaoRow.locator("[col-id='adjusted']").textContent()).toBe("1,109,200.00");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("sorting by 预算执行率 and filtering by 预警", async () => {
    const { page, context, errors } = await openPage();
    try {
      await visit(page, DASHBOARD);
      const grid = page.getByTestId("execution-grid");
      await grid.getByTestId(`project-link-${huacaoId}`).waitFor();
      const rates = async () => dataRows(await readGridRows(grid)).map((row) => row.cells.executionRate ?? "");
      const asNumbers = (values: string[]) => values.map((value) => Number(value.replace("%", "")));

      const header = grid.locator(".ag-header-cell[col-id='executionRate']");
      await header.locator(".ag-header-cell-label").click();
      await expect.poll(() => header.getAttribute("aria-sort")).toBe("ascending");
      const ascending = asNumbers(await rates());
      expect(ascending).toHaveLength(13);
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
      expect(ascending.at(-1)).toBe(86.51);

      await header.locator(".ag-header-cell-label").click();
      await expect.poll(() => header.getAttribute("aria-sort")).toBe("descending");
      const descendingRows = dataRows(await readGridRows(grid));
      const descending = asNumbers(descendingRows.map((row) => row.cells.executionRate ?? ""));
      expect(descending).toEqual([...descending].sort((a, b) => b - a));
      expect(descendingRows[0]?.rowId).toBe(String(huacaoId));
      expect(descendingRows[1]?.rowId).toBe(String(maqiaoId));
      // The total stays pinned at the bottom.
      expect((await readGridRows(grid)).at(-1)?.cells.unit).toBe("合计");

      // Filter the 预警 column to the flagged rows: eleven rows, and the total re-added over them.
      const filterButton = grid.locator(".ag-header-cell[col-id='flagged'] .ag-header-cell-filter-button");
      const filterInput = page.locator(".ag-filter input[type='text']").first();
      await filterButton.click();
      await filterInput.fill("低于预警线");
      await expect.poll(async () => dataRows(await readGridRows(grid)).length).toBe(minhangIds.length);
      const filtered = await readGridRows(grid);
      expect(dataRows(filtered).every((row) => row.classes.includes("row-flagged"))).toBe(true);
      const filteredTotal = filtered.find((row) => row.pinned);
      expect(filteredTotal?.cells.project).toBe(String(minhangIds.length));
      expect(filteredTotal?.cells.adjusted).toBe("83,377,900.00");
      expect(filteredTotal?.cells.executed).toBe("54,373,669.51");
      // On paper the page says what the table is filtered to, the amount unit and when it was printed.
      await page.emulateMedia({ media: "print" });
      expect(await page.getByTestId("grid-filters").textContent()).toMatch(/^表格筛选：预警：包含 低于预警线/);
      expect(await page.getByTestId("print-header").textContent()).toMatch(/^金额单位：元 · 打印时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      await page.emulateMedia({ media: "screen" });
      expect(await page.getByTestId("grid-filters").isVisible()).toBe(false);

      // The filter popup closes when the page scrolls (reading the rows does): open it again to clear it.
      if (!(await filterInput.isVisible())) await filterButton.click();
      await filterInput.fill("");
      await expect.poll(async () => dataRows(await readGridRows(grid)).length).toBe(13);
      expect((await readGridRows(grid)).find((row) => row.pinned)?.cells.adjusted).toBe(TOTAL_ADJUSTED);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("马桥's 2024 医疗救助 page: chart, 33 payments of which 26 batches, late transfers, headline", async () => {
    const { page, context, errors } = await openPage();
    try {
      await visit(page, DASHBOARD);
      const link = page.getByTestId(`project-link-${maqiaoId}`);
      await link.waitFor();
      // The link carries the dashboard's as-of date and amount unit to the project page.
      expect(await link.getAttribute("href")).toBe(`/projects/${maqiaoId}?asOf=2024-08-31&amount=yuan`);
      await link.click();
      await page.waitForURL((url) => url.pathname === `/projects/${maqiaoId}`);
      await expect.poll(() => page.getByTestId("project-title").textContent()).toBe("2024 医疗救助");
      expect(await page.locator(".page-title").textContent()).toContain(MAQIAO_CENTRE);
      expect(await page.locator("input[name='asOf']").inputValue()).toBe("2024-08-31");
      expect(await page.getByTestId("execution-rate").textContent()).toBe(`${expected.maqiao2024.asOf20240831.executionRate}%`);

      // Without an as-of date, a past year is shown at its year end.
      await page.goto(`${baseUrl}/projects/${maqiaoId}`);
      await page.getByTestId("payments-grid").locator(".ag-row").first().waitFor();
      expect(await page.locator("input[name='asOf']").inputValue()).toBe("2024-12-31");
      expect(await page.getByTestId("initial").textContent()).toBe(grouped(expected.maqiao2024.initial));
      expect(await page.getByTestId("adjusted").textContent()).toBe("1,471,745.31");
      expect(await page.getByTestId("executed").textContent()).toBe(grouped(expected.maqiao2024.executed));
      expect(await page.getByTestId("execution-rate").textContent()).toBe("100.00%");
      expect(await page.getByTestId("adjustment-rate").textContent()).toBe("9.02%");

      // The chart: an SVG with the cumulative, even-progress, planned and adjusted lines drawn; the plan names its basis.
      const chart = page.getByTestId("execution-chart");
      await chart.locator("svg.recharts-surface").first().waitFor();
      await expect.poll(() => chart.locator("path.recharts-line-curve").count()).toBe(4);
      expect(await chart.locator(".recharts-legend-wrapper").textContent()).toContain("计划进度（按上年各月执行）");
      const paths = await chart.locator("path.recharts-line-curve").evaluateAll((elements) => elements.map((element) => element.getAttribute("d") ?? ""));
      for (const d of paths) expect(d.length).toBeGreaterThan(20);
      expect(await chart.locator(".recharts-xAxis .recharts-cartesian-axis-tick").count()).toBe(12);

      // The payments: 33 rows, 26 of them 社会化发放 batches, the two late transfers highlighted.
      const payments = page.getByTestId("payments-grid");
      await payments.locator(".ag-row").first().waitFor();
      const rows = dataRows(await readGridRows(payments));
      expect(rows).toHaveLength(33);
      expect(rows.filter((row) => row.cells.kind === "社会化发放")).toHaveLength(expected.maqiao2024.batches.count);
      expect(rows.filter((row) => row.cells.kind === "划拨")).toHaveLength(7);
      const gridElement = payments.locator("[role='grid'], [role='treegrid']").first();
      const headerRows = await payments.locator(".ag-header-row").count();
      // The 33 payments, the header rows and the two pinned rows below them (合计, 净额).
      expect(Number(await gridElement.getAttribute("aria-rowcount"))).toBe(33 + headerRows + 2);

      const late = rows.filter((row) => row.classes.includes("row-late"));
      expect(late.map((row) => ({ amount: row.cells.amount, paidOn: row.cells.paidOn, dueOn: row.cells.dueOn, late: row.cells.late }))).toEqual(
        expected.maqiao2024.transfers.late.map((transfer) => ({
          amount: grouped(transfer.amount),
          paidOn: transfer.paidOn,
          dueOn: transfer.dueDate,
          late: `${transfer.daysLate} 天`,
        })),
      );
      expect(late.map((row) => row.cells.amount)).toEqual(["32,880.00", "4,281.25"]);
      await expect.poll(() => payments.locator(".ag-row.row-late").count()).toBe(2);
      // The heading's figures share one scope: up to the as-of date (the year's end: every payment).
      expect(await page.locator("h2", { hasText: "支付明细" }).textContent()).toBe(
        `支付明细（截至2024年12月31日：33笔，人次 ${expected.maqiao2024.batches.personTimes.toLocaleString("en-US")}，逾期划拨 2笔）`,
      );

      await page.mouse.move(0, 0); // no chart tooltip in the picture
      await page.screenshot({ path: path.join(screenshots, "e2e-project.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("the tracking list (运行监控表) opens at the dashboard's default year; 全部 lists every year", async () => {
    const dashboardYear = selectedOption(await (await get("/")).text(), "year");
    expect(dashboardYear).toBe("2024"); // the latest year with projects in 闵行区
    const list = await (await get("/tracking")).text();
    expect(selectedOption(list, "year")).toBe(dashboardYear);
    expect(list).toContain('<option value="all">全部</option>');
    expect(list).toContain('<option value="2022">2022</option>'); // 马桥's earlier years can be chosen
    expect(selectedOption(await (await get("/tracking?year=all")).text(), "year")).toBe("all");
    expect(selectedOption(await (await get("/tracking?year=2023")).text(), "year")).toBe("2023");
    // An empty or invalid year shows the default year, as on the dashboard.
    expect(selectedOption(await (await get("/tracking?year=")).text(), "year")).toBe(dashboardYear);
    expect(selectedOption(await (await get("/tracking?year=abc")).text(), "year")).toBe(dashboardYear);
  });

  test("an unknown project answers 404 with a readable page", async () => {
    const plain = await get("/projects/999999");
    expect(plain.status).toBe(404);
    expect(await plain.text()).toContain("未找到该项目");
    expect((await get("/projects/abc")).status).toBe(404);

    const { page, context, errors } = await openPage();
    try {
      const response = await page.goto(`${baseUrl}/projects/999999`);
      expect(response?.status()).toBe(404);
      await expect.poll(() => page.locator("h1").first().textContent()).toBe("页面不存在");
      expect(await page.locator("body").textContent()).toContain("未找到该项目");
      const back = page.locator(".error-page a[href='/']");
      expect(await back.count()).toBe(1);
      await page.screenshot({ path: path.join(screenshots, "e2e-not-found.png"), fullPage: true });
      // Only the document's own 404 is reported by the browser.
      expect(errors.filter((error) => !/status of 404/.test(error))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("an address no page has answers 404 in the layout, in the user's language, with a way back", async () => {
    const { page, context, errors } = await openPage();
    try {
      for (const [language, title, sentence] of [
        ["en", "Page not found", "does not exist"],
        ["zh", "页面不存在", "页面不存在，可能地址有误"],
      ] as const) {
        const response = await page.goto(`${baseUrl}/no/such/page?lang=${language}`);
        expect(response?.status()).toBe(404);
        await expect.poll(() => page.locator("h1").first().textContent()).toBe(title);
        const body = (await page.locator("body").textContent()) ?? "";
        expect(body).toContain(sentence);
        expect(body).not.toContain("No route matches");
        // The navigation stays: the signed-in user and the dashboard link.
        expect(await page.locator("[data-testid=current-user]").count()).toBe(1);
        expect(await page.locator(".error-page a[href='/']").count()).toBe(1);
        if (language === "en") {
          expect(await page.locator(".error-page").textContent()).not.toMatch(/\p{Script=Han}/u);
          await page.screenshot({ path: path.join(screenshots, "e2e-no-such-page-en.png"), fullPage: true });
        }
      }
      expect(errors.filter((error) => !/status of 404/.test(error))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("an impossible date (2024-02-30) gives a notice, not a crash", async () => {
    const plain = await get("/?asOf=2024-02-30");
    expect(plain.status).toBe(200);
    expect(await plain.text()).toContain("日期无效，已使用默认日期");

    const { page, context, errors } = await openPage();
    try {
      const response = await visit(page, "/?asOf=2024-02-30");
      expect(response?.status()).toBe(200);
      expect(await page.locator(".notice[role=alert]").textContent()).toBe("日期无效，已使用默认日期");
      expect(await page.locator("input[name='asOf']").inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(await page.getByTestId("total-adjusted").textContent()).toMatch(/^[\d,]+\.\d{2}$/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("the English switch shows English labels, and the choice is remembered", async () => {
    const { page, context, errors } = await openPage();
    try {
      await visit(page, DASHBOARD);
      await page.getByTestId("language-switch").click();
      await page.waitForURL((url) => url.searchParams.get("lang") === "en");
      await expect.poll(() => page.locator(".headline").textContent()).toContain("Execution rate");
      expect(await page.locator(".headline").textContent()).toContain("Adjusted budget (yuan)");
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      const grid = page.getByTestId("execution-grid");
      await expect.poll(() => grid.locator(".ag-header-cell[col-id='executionRate']").textContent()).toContain("Execution rate");
      expect(await page.getByTestId("total-adjusted").textContent()).toBe(TOTAL_ADJUSTED);
      // The plan's columns and rule in English too: no Chinese but the data.
      expect(await grid.locator(".ag-header-cell[col-id='plannedProgress']").textContent()).toContain("Planned progress");
      expect((await grid.locator(".ag-header-cell").allTextContents()).join(" ")).not.toMatch(/\p{Script=Han}/u);
      // Wrapped headers break between words, never inside one ("Execut / ion"): each word lies on one line.
      const broken = await grid.evaluate((element) =>
        [...element.querySelectorAll(".ag-header-cell-text")].flatMap((header) => {
          const node = header.firstChild;
          if (!node || node.nodeType !== Node.TEXT_NODE) return [];
          const text = node.textContent ?? "";
          return [...text.matchAll(/\S+/g)].flatMap((match) => {
            const range = document.createRange();
            range.setStart(node, match.index!);
            range.setEnd(node, match.index! + match[0].length);
            const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
            return lines.size > 1 ? [match[0]] : [];
          });
        }),
      );
      expect(broken).toEqual([]);
      expect(await page.getByTestId("planned-progress-rule").textContent()).not.toMatch(/\p{Script=Han}/u);
      expect(await page.locator(".headline").textContent()).toContain("Projects behind plan");
      expect(await page.getByTestId("language-switch").textContent()).toBe("中文");

      // The cookie keeps English on the next visit without ?lang.
      await visit(page, DASHBOARD);
      expect(await page.locator(".headline").textContent()).toContain("Execution rate");

      await page.getByTestId("language-switch").click();
      await page.waitForURL((url) => url.searchParams.get("lang") === "zh");
      await expect.poll(() => page.locator(".headline").textContent()).toContain("预算执行率");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("on a 1280×800 or 1366×768 office screen: every row of both grids whole, the key columns without scrolling sideways", async () => {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 1366, height: 768 },
    ]) {
      const { page, context, errors } = await openPage(viewport);
      try {
        await visit(page, DASHBOARD);
        const grid = page.getByTestId("execution-grid");
        await grid.getByTestId(`project-link-${huacaoId}`).waitFor();
        const units = page.getByTestId("unit-grid");
        await expect.poll(() => units.locator(".ag-row[row-id]").count()).toBe(3);
        const size = `${viewport.width}×${viewport.height}`;

        // The project grid: its columns share its width (they settle once the rows are in). From 1366 px all of
        // them fit; on 1280 px, with 计划进度, 与计划差, 计划预警 and 上年同期 beside the rest, the last one
        // (上年同期执行率) may need the grid scrolled sideways, figures never cut, the key columns in view.
        if (viewport.width >= 1366) await expect.poll(async () => (await gridLayout(grid)).overflow, { message: size, timeout: 10_000 }).toBeLessThanOrEqual(0);
        else await expect.poll(async () => (await gridLayout(grid)).overflow, { message: size, timeout: 10_000 }).toBeLessThanOrEqual(90);
        const projects = await gridLayout(grid);
        for (const column of KEY_COLUMNS) {
          const edges = projects.columns[column];
          expect(edges, `${size} ${column}`).toBeDefined();
          expect(edges!.left, `${size} ${column}`).toBeGreaterThanOrEqual(projects.left - 1);
          expect(edges!.right, `${size} ${column}`).toBeLessThanOrEqual(projects.right + 1);
        }
        expect(projects.cut.filter((column) => KEY_FIGURES.includes(column)), size).toEqual([]);
        // Its 13 rows and the total, all shown.
        expect(projects.rows.filter((row) => !row.pinned)).toHaveLength(13);
        for (const row of projects.rows) expect(row.bottom, `${size} row ${row.rowId}`).toBeLessThanOrEqual(projects.visibleBottom + 1);

        // The unit totals: the last unit's row lies whole within the grid, not under a scrollbar.
        await expect.poll(async () => (await gridLayout(units)).overflow, { message: size, timeout: 10_000 }).toBeLessThanOrEqual(0);
        const unitGrid = await gridLayout(units);
        const last = unitGrid.rows.reduce((lowest, row) => (row.bottom > lowest.bottom ? row : lowest));
        expect(last.bottom, `${size} last unit row ${last.rowId}`).toBeLessThanOrEqual(unitGrid.visibleBottom + 1);
        expect(unitGrid.cut.filter((column) => KEY_FIGURES.includes(column)), size).toEqual([]);
        // Full unit names, wrapped rather than cut.
        expect(await units.locator(".ag-cell[col-id='unit']").allTextContents()).toEqual(expect.arrayContaining([MAQIAO_CENTRE, HUACAO_CENTRE]));
        expect(unitGrid.cut, size).not.toContain("unit");

        await page.mouse.move(0, 0);
        await page.screenshot({ path: path.join(screenshots, `e2e-dashboard-${viewport.width}.png`), fullPage: true });
        // In English too (longer header words, which do not wrap inside): at 1366 px every column in view.
        if (viewport.width >= 1366) {
          await visit(page, `${DASHBOARD}&lang=en`);
          await expect.poll(async () => (await gridLayout(grid)).overflow, { message: `${size} en`, timeout: 10_000 }).toBeLessThanOrEqual(0);
          await expect.poll(async () => (await gridLayout(units)).overflow, { message: `${size} en units`, timeout: 10_000 }).toBeLessThanOrEqual(0);
          await visit(page, `${DASHBOARD}&lang=zh`);
        }
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  test("a project page on a 390 px phone, in English and Chinese: the page itself never scrolls sideways", async () => {
    const { page, context, errors } = await openPage({ width: 390, height: 844 });
    try {
      for (const lang of ["en", "zh"]) {
        await page.goto(`${baseUrl}/projects/${huacaoId}?asOf=2024-12-31&lang=${lang}`);
        await page.locator("table.form-table").first().waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth), lang).toBeLessThanOrEqual(390);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("printed on A4 landscape from a 1920×1080 screen: each grid scaled to the page's width, no column cut off", async () => {
    const { page, context, errors } = await openPage({ width: 1920, height: 1080 });
    try {
      await visit(page, DASHBOARD);
      await page.getByTestId(`project-link-${huacaoId}`).waitFor();
      await expect.poll(() => page.getByTestId("unit-grid").locator(".ag-row[row-id]").count()).toBe(3);
      await expect.poll(async () => (await gridLayout(page.getByTestId("execution-grid"))).overflow, { timeout: 10_000 }).toBeLessThanOrEqual(0);
      // What each grid is like when the browser lays the page out for print (listeners run in order: the grids' first).
      await page.evaluate(() =>
        window.addEventListener("beforeprint", () => {
          const printed = [...document.querySelectorAll<HTMLElement>(".grid-print-fit")].map((wrapper) => ({
            zoom: Number(wrapper.style.getPropertyValue("--print-zoom") || "1"),
            columns: [...wrapper.querySelectorAll(".ag-header-cell[col-id]")].reduce((sum, header) => sum + header.getBoundingClientRect().width, 0),
          }));
          document.body.dataset.printed = JSON.stringify(printed);
        }),
      );
      const pdf = await page.pdf({ preferCSSPageSize: true });
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      const printed = JSON.parse((await page.locator("body").getAttribute("data-printed")) ?? "[]") as { zoom: number; columns: number }[];
      expect(printed).toHaveLength(2);
      // A4 landscape less 12 mm margins: 273 mm = 1031 CSS px; the columns and the grid's 2 px border fit in it.
      for (const grid of printed) {
        expect(grid.zoom).toBeLessThan(1);
        expect((grid.columns + 2) * grid.zoom).toBeLessThanOrEqual(1032);
      }
      // Back on screen: unscaled, the columns sharing the grid's width again.
      await expect.poll(() => page.locator(".grid-print-fit").evaluateAll((wrappers) => wrappers.map((wrapper) => (wrapper as HTMLElement).style.getPropertyValue("--print-zoom")))).toEqual(["", ""]);
      await expect.poll(async () => (await gridLayout(page.getByTestId("execution-grid"))).overflow, { timeout: 10_000 }).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("2023 for the city: the transfer executed in full, 宝山's declaration-only projects shown as 仅申报, none flagged", async () => {
    const adminCookie = await signIn(baseUrl, "admin");
    const context = await browser!.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    try {
      await context.addCookies([browserCookie(baseUrl, adminCookie)]);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
      await visit(page, "/?year=2023&asOf=2023-12-31");
      expect(await page.getByTestId("flagged-count").textContent()).toBe("0 / 5");
      expect(await page.getByTestId("total-executed").textContent()).toBe("256,375,200.00");
      expect(await page.getByTestId("total-rate").textContent()).toBe("100.00%");
      const rows = dataRows(await readGridRows(page.getByTestId("execution-grid")));
      const rates = rows.map((row) => [row.cells.project, row.cells.executionRate, row.classes.includes("row-flagged")]);
      expect(rates).toEqual(expect.arrayContaining([
        ["市对区专项转移支付（城乡医疗救助专项补助）", "100.00%", false],
        ["医保网络运行维护", "仅申报", false],
        ["医疗救助资金", "仅申报", false],
        ["市民社区医疗互助帮困计划资金", "仅申报", false],
      ]));
      // Their declared amounts stand in the rows but not in the totals: the page says so.
      expect(await page.getByTestId("declaration-only-note").textContent()).toContain("仅申报：3 个项目只有绩效目标申报");
      await page.getByTestId("unit-grid").locator(".ag-row").first().waitFor();
      await page.mouse.move(0, 0);
      await page.screenshot({ path: path.join(screenshots, "e2e-dashboard-2023.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("screenshot of the dashboard", async () => {
    const { page, context, errors } = await openPage();
    try {
      await visit(page, DASHBOARD);
      await page.getByTestId("unit-grid").locator(".ag-row").first().waitFor();
      await page.mouse.move(0, 0);
      await page.screenshot({ path: path.join(screenshots, "e2e-dashboard.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
