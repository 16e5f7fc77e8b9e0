import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DB } from "../db/pool.ts";
import { freshDatabase } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";

/*
 * 工作日历 (/calendar) over HTTP against the production build, as a form without JavaScript posts it:
 * everyone reads the year's holidays and make-up days; the city's administrator adds one (a holiday on a
 * Saturday is refused at its field), linked from 系统管理. Needs a build (npm run build).
 */

describe("the working-day calendar page", () => {
  let server: RunningServer;
  let db: DB;
  let drop: () => Promise<void>;
  let admin = "";
  let planner = "";

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    db = fresh.db;
    drop = fresh.drop;
    server = await startServer(fresh.url);
    admin = await signIn(server.baseUrl, "admin");
    planner = await signIn(server.baseUrl, "maqiao.planner");
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  const get = async (path: string, cookie: string) => {
    const response = await fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookie } });
    return { status: response.status, html: await response.text() };
  };
  const post = async (fields: Record<string, string>, cookie: string) => {
    const response = await fetch(`${server.baseUrl}/calendar?year=2030`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    return { status: response.status, html: await response.text() };
  };

  it("shows a year's holidays and make-up working days to everyone, the forms to the administrator only", async () => {
    const forPlanner = await get("/calendar?year=2024", planner);
    expect(forPlanner.status).toBe(200);
    expect(forPlanner.html).toMatch(/<tr data-day="2024-02-18" data-kind="workday"><td class="nowrap">2024-02-18<\/td><td>星期日<\/td><td>调休上班<\/td><td>春节<\/td>/);
    expect(forPlanner.html).toContain('data-day="2024-02-12" data-kind="holiday"');
    expect(forPlanner.html).toMatch(/已覆盖年份：2004–\d{4}/);
    expect(forPlanner.html).toContain("仅市级系统管理员可以修改工作日历。");
    expect(forPlanner.html).not.toContain('value="remove-day"');
    const forAdmin = await get("/calendar?year=2024&lang=en", admin);
    // The package's own English name in the English interface (a name typed by a person stays as typed, marked Chinese).
    expect(forAdmin.html).toContain("<td>Sunday</td><td>Make-up working day</td><td>Spring Festival</td>");
    expect(forAdmin.html).not.toContain("<td>春节</td>");
    expect(forAdmin.html).toContain('value="remove-day"');
    expect(forAdmin.html).toContain('data-testid="wd-add-day"');
    const uncovered = await get("/calendar?year=2030", admin);
    expect(uncovered.html).toContain("2030年未覆盖：其中的日期不作工作日计算。");
  });

  it("is linked from 系统管理", async () => {
    const page = await get("/admin", admin);
    expect(page.html).toMatch(/<a[^>]*href="\/calendar"[^>]*>工作日历（节假日与调休）<\/a>/);
  });

  it("refuses a holiday on a Saturday at its field, and adds a holiday on a Monday, audited", async () => {
    const saturday = await post({ intent: "add-day", day: "2030-02-09", kind: "holiday", name: "春节", source: "测试通知" }, admin);
    expect(saturday.status).toBe(400);
    expect(saturday.html).toMatch(/<span class="field-error" role="alert" data-field="kind">2030-02-09是星期六，本来就不上班，不能登记为放假<\/span>/);
    // The refused form comes back with what was typed (a native post reloads the page; nothing is lost).
    const addForm = saturday.html.slice(saturday.html.indexOf('data-testid="wd-add-day"'), saturday.html.indexOf('data-testid="wd-cover-year"'));
    expect(addForm).toContain('value="2030-02-09"');
    expect(addForm).toContain('value="春节"');
    expect(addForm).toContain('value="测试通知"');
    expect(addForm).toMatch(/<option value="holiday" selected="">/);
    const badYear = await post({ intent: "cover-year", year: "20x0", source: "某通知" }, admin);
    expect(badYear.status).toBe(400);
    const coverForm = badYear.html.slice(badYear.html.indexOf('data-testid="wd-cover-year"'));
    expect(coverForm).toContain('value="20x0"');
    expect(coverForm).toContain('value="某通知"');
    const empty = await post({ intent: "add-day", day: "", kind: "holiday", name: "", source: "" }, admin);
    expect(empty.status).toBe(400);
    for (const field of ["day", "name", "source"]) expect(empty.html).toContain(`data-field="${field}"`);
    const monday = await post({ intent: "add-day", day: "2030-02-04", kind: "holiday", name: "春节", source: "测试通知" }, admin);
    expect(monday.status).toBe(200);
    expect(monday.html).toContain("已登记 2030-02-04");
    expect(monday.html).toContain('data-day="2030-02-04" data-kind="holiday"');
    expect(monday.html.slice(monday.html.indexOf('data-testid="wd-add-day"'))).not.toContain('value="测试通知"'); // entered: an empty form
    const trail = await db.selectFrom("audit_log").select(["username", "action"]).where("table_name", "=", "work_calendar_day").execute();
    expect(trail).toEqual([{ username: "admin", action: "insert" }]);
    expect((await post({ intent: "add-day", day: "2030-02-05", kind: "holiday", name: "春节", source: "测试通知" }, planner)).status).toBe(403);
  });
});
