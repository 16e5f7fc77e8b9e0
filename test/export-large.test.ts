import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "kysely";
import Decimal from "decimal.js";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { browserCookie, signIn } from "./e2e/session.ts";
import { browserAvailable, launchBrowser } from "./e2e/browser.ts";
import { openTable, type TableRow } from "../files/read-table.ts";
import { getProjectLedger } from "../db/projects.ts";

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const ADDED = 200_000;

/**
 * A project with 200,000 more payments (one import of the benchmark's size), served as `npm start`
 * serves it, with a 256 MB heap: the ledger export streams them all without running out of memory,
 * and the project page lists only the newest 1,000 with a note.
 */
describe("a project with 200,000 payments", () => {
  let source: Awaited<ReturnType<typeof freshDatabase>>;
  let server: RunningServer;
  let temp: string;
  let projectId: number;
  let existing: number;

  beforeAll(async () => {
    source = await freshDatabase(inject("serverUrl"), { seed: true });
    projectId = await projectIdOf(source.db, MAQIAO);
    existing = (await getProjectLedger(source.db, projectId))!.payments.length;
    const line = await source.db.selectFrom("budget_line").select("id").where("project_id", "=", projectId).orderBy("line_no").executeTakeFirstOrThrow();
    // Every 10th a transfer (due 10 days before or after), every 7th partly returned, half of those re-issued.
    await sql`
      INSERT INTO payment (project_id, budget_line_id, paid_on, kind, person_times, amount, due_on, returned_count, returned_amount, reissued_on, note)
      SELECT ${projectId}, ${line.id}, DATE '2024-01-01' + (n % 366),
             CASE WHEN n % 10 = 0 THEN 'transfer' ELSE 'batch' END,
             CASE WHEN n % 10 = 0 THEN NULL ELSE 3 END,
             (n % 9973) + 0.37,
             CASE WHEN n % 10 = 0 THEN DATE '2024-01-01' + (n % 366) + (n % 21 - 10) END,
             CASE WHEN n % 7 = 0 AND n % 10 <> 0 THEN 1 ELSE 0 END,
             CASE WHEN n % 7 = 0 THEN 0.37 ELSE 0 END,
             CASE WHEN n % 14 = 0 THEN DATE '2024-01-01' + (n % 366) + 1 END,
             '压力测试第' || n || '笔'
      FROM generate_series(1, ${ADDED}) AS n`.execute(source.db);
    // As `npm start` runs the server.
    const options = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `${options ?? ""} --max-old-space-size=256`.trim();
    try {
      server = await startServer(source.url);
    } finally {
      if (options === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = options;
    }
    temp = await mkdtemp(path.join(os.tmpdir(), "budget-export-large-"));
  }, 300_000);

  afterAll(async () => {
    if (process.env.DEBUG_EXPORT_LARGE) console.log(server?.output());
    await server?.stop();
    await source?.drop();
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  it("exports the ledger (万元) in a 256 MB heap: every payment, the header and the 合计", async () => {
    const cookie = await signIn(server.baseUrl, "minhang.manager");
    const response = await fetch(`${server.baseUrl}/projects/${projectId}/export.xlsx?asOf=2024-12-31&amount=wan`, { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    const file = path.join(temp, "ledger.xlsx");
    await pipeline(Readable.fromWeb(response.body! as never), createWriteStream(file));

    const table = await openTable({ path: file }, { sheet: "支付明细", maxBytes: 512 * 1024 * 1024 });
    expect(table.headerRowNumber).toBe(1);
    expect(table.headers.slice(0, 9)).toEqual(["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(万元)", "到期日"]);
    const amount = table.headers.indexOf("金额(万元)");
    let count = 0;
    let sum = new Decimal(0);
    let last: TableRow | undefined;
    let previous: TableRow | undefined;
    for await (const row of table.rows) {
      previous = last;
      last = row;
      if (row.cells[2] === "合计") break;
      count++;
      sum = sum.plus(row.cells[amount]!);
    }
    expect(count).toBe(existing + ADDED);
    expect(last!.cells[2]).toBe("合计");
    expect(new Decimal(last!.cells[amount]!).equals(sum)).toBe(true);
    // Dates as dates, 年度 a number, read back as the importer reads them.
    expect(previous!.cells[0]).toBe("2024");
    expect(previous!.cells[4]).toMatch(/^2024-\d\d-\d\d$/);

    // The whole ledger adds up: the exact sum of the payments, in 元.
    const total = await sql<{ amount: string }>`SELECT sum(amount)::text AS amount FROM payment WHERE project_id = ${projectId}`.execute(source.db);
    expect(sum.times(10_000).toFixed(2)).toBe(new Decimal(total.rows[0]!.amount).toFixed(2));
    // Still serving.
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  }, 300_000);

  it("stops reading when the download is abandoned: the snapshot transaction ends, the server goes on", async () => {
    const cookie = await signIn(server.baseUrl, "minhang.manager");
    const controller = new AbortController();
    const response = await fetch(`${server.baseUrl}/projects/${projectId}/export.xlsx?asOf=2024-12-31`, { headers: { Cookie: cookie }, signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = 0;
    while (received < 256 * 1024) received += (await reader.read()).value?.length ?? 0;
    controller.abort();
    await reader.cancel().catch(() => undefined);
    const database = new URL(source.url).pathname.slice(1);
    // The whole export takes over 10 s: the transaction ends this soon only because the download was closed.
    await expect
      .poll(async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${database} AND xact_start IS NOT NULL AND pid <> pg_backend_pid()`.execute(source.db)).rows[0]!.n, { timeout: 5_000 })
      .toBe(0);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  }, 120_000);

  it("shows the newest 1,000 payments on the project page, with the project's figures from all of them", async () => {
    const cookie = await signIn(server.baseUrl, "minhang.manager");
    const started = performance.now();
    const response = await fetch(`${server.baseUrl}/projects/${projectId}?asOf=2024-12-31&amount=yuan`, { headers: { Cookie: cookie } });
    const html = await response.text();
    const seconds = (performance.now() - started) / 1000;
    expect(response.status).toBe(200);
    expect(html.length).toBeLessThan(3_000_000);
    expect(seconds).toBeLessThan(10);
    const total = (existing + ADDED).toLocaleString("en-US");
    expect(html).toContain(`共 ${total} 笔，显示最近 1,000 笔；完整明细请导出`);
    // Filtered by month and kind on the server: the transfers of July.
    const july = await fetch(`${server.baseUrl}/projects/${projectId}?asOf=2024-12-31&pmonth=2024-07&pkind=transfer`, { headers: { Cookie: cookie } });
    const julyHtml = await july.text();
    expect(july.status).toBe(200);
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM payment WHERE project_id = ${projectId} AND kind = 'transfer' AND paid_on >= '2024-07-01' AND paid_on < '2024-08-01'`.execute(source.db);
    expect(count.rows[0]!.n).toBeGreaterThan(1000);
    expect(julyHtml).toContain(`共 ${count.rows[0]!.n.toLocaleString("en-US")} 笔，显示最近 1,000 笔`);

    // The headline figure counts every payment: paid by the as-of date, less returns not re-issued by then.
    const executed = await sql<{ executed: string }>`
      SELECT (sum(amount) - coalesce(sum(returned_amount) FILTER (WHERE reissued_on IS NULL OR reissued_on > '2024-12-31'), 0))::text AS executed
      FROM payment WHERE project_id = ${projectId} AND paid_on <= '2024-12-31'`.execute(source.db);
    const grouped = new Decimal(executed.rows[0]!.executed).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    expect(html).toMatch(new RegExp(`data-testid="executed"[^>]*>(<[^>]+>)*${grouped.replace(/\./g, "\\.")}<`));
  }, 120_000);

  it.skipIf(!browserAvailable())("in Chromium: the page lists 1,000 payments under the note, and the filters narrow them on the server", async () => {
    const cookie = await signIn(server.baseUrl, "minhang.manager");
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      await context.addCookies([browserCookie(server.baseUrl, cookie)]);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(`${server.baseUrl}/projects/${projectId}?asOf=2024-12-31`);
      const note = page.getByTestId("payments-truncated");
      await expect.poll(() => note.textContent()).toContain("显示最近 1,000 笔；完整明细请导出");
      const grid = page.getByTestId("payments-grid");
      await grid.locator(".ag-row").first().waitFor();
      const filter = page.getByTestId("payments-filter");
      await filter.locator("select[name='pmonth']").selectOption("2024-02");
      await filter.locator("select[name='pkind']").selectOption("transfer");
      await Promise.all([page.waitForURL(/pmonth=2024-02/), filter.getByRole("button").click()]);
      const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM payment WHERE project_id = ${projectId} AND kind = 'transfer' AND paid_on >= '2024-02-01' AND paid_on < '2024-03-01'`.execute(source.db);
      await expect.poll(() => note.textContent()).toContain(`共 ${count.rows[0]!.n.toLocaleString("en-US")} 笔`);
      // The grid shows the filtered payments only: the transfers of February.
      await expect.poll(async () => [...new Set(await grid.locator(".ag-row:not(.ag-row-pinned) .ag-cell[col-id='kind']").allTextContents())], { timeout: 10_000 }).toEqual(["划拨"]);
      const dates = await grid.locator(".ag-row:not(.ag-row-pinned) .ag-cell[col-id='paidOn']").allTextContents();
      expect(dates.length).toBeGreaterThan(0);
      for (const date of dates) expect(date).toMatch(/^2024-02-/);
      // Under the rows, the total says it is of the listed ones when the page lists only the newest 1,000.
      const label = await grid.locator(".ag-row-pinned .ag-cell[col-id='paidOn']").first().textContent();
      expect(label).toBe(count.rows[0]!.n > 1000 ? "所列 1,000 笔合计" : "合计");
      await note.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(os.tmpdir(), "budget-large-project.png"), fullPage: false });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
