import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DB } from "../db/pool.ts";
import { timeRules } from "../features/payments/service.ts";
import { freshDatabase } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";

/*
 * The payment batches' time rules on /admin over HTTP against the production build, as a form without
 * JavaScript posts it: shown with the defaults of 闵医保规发〔2022〕1号, refused at each wrong field (nothing
 * stored), stored and audited when right; a planner may not post them. Needs a build (npm run build).
 */

const FIELDS = {
  intent: "time-rules",
  acceptanceDays: "10, 20, 31",
  reviewWorkingDays: "10",
  paymentWorkingDays: "5",
  reportByDay: "10",
  minBatchesPerMonth: "2",
  minBatchesDecember: "1",
  warningDays: "5",
};

describe("the time rules on /admin", () => {
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

  const post = async (fields: Record<string, string>, cookie: string) => {
    const response = await fetch(`${server.baseUrl}/admin`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    return { status: response.status, html: await response.text() };
  };

  it("shows the rules in force with their defaults", async () => {
    const response = await fetch(`${server.baseUrl}/admin`, { headers: { Cookie: admin } });
    const html = await response.text();
    expect(html).toContain("社会化发放时限与到期预警");
    expect(html).toMatch(/name="acceptanceDays"[^>]*value="10, 20, 31"/);
    expect(html).toMatch(/name="reviewWorkingDays"[^>]*value="10"/);
  });

  it("refuses wrong values at their fields and stores nothing", async () => {
    const refused = await post({ ...FIELDS, acceptanceDays: "10, 二十", reviewWorkingDays: "61", warningDays: "x" }, admin);
    expect(refused.status).toBe(400);
    expect(refused.html).toMatch(/id="acceptanceDays-error"[^>]*>“10, 二十”：受理日应为 1 至 31 之间互不相同的日子/);
    expect(refused.html).toMatch(/id="reviewWorkingDays-error"[^>]*>应为 0 至 60 之间的整数/);
    expect(refused.html).toMatch(/id="warningDays-error"[^>]*>应为 0 至 60 之间的整数/);
    expect(refused.html).not.toContain('id="paymentWorkingDays-error"');
    expect(await timeRules(db)).toMatchObject({ rules: { reviewWorkingDays: 10, acceptanceDays: [10, 20, 31] }, warningDays: 5 });
  });

  it("stores right values, audited as the administrator; a planner may not", async () => {
    expect((await post({ ...FIELDS, reviewWorkingDays: "3" }, planner)).status).toBe(403);
    const saved = await post({ ...FIELDS, acceptanceDays: "15、31", reviewWorkingDays: "3", warningDays: "7" }, admin);
    expect(saved.status).toBe(200);
    expect(await timeRules(db)).toMatchObject({ rules: { reviewWorkingDays: 3, acceptanceDays: [15, 31] }, warningDays: 7 });
    const audited = await db.selectFrom("audit_log").select("username").where("table_name", "=", "setting").where("record_id", "=", "batch_rules").execute();
    expect(audited.map((entry) => entry.username)).toEqual(["admin"]);
  });
});
