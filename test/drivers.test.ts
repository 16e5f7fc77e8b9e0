import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";
import { withActor } from "../db/audit.ts";
import { driverValues, saveDriver, type DriverRecord } from "../db/drivers.ts";
import { loadPlan } from "../db/plan.ts";
import { findUnitByName } from "../db/units.ts";
import type { DB } from "../db/connection.ts";

/* 测算因素 (/drivers) on a real PostgreSQL: corrections are audited and change next year's plan; the page's writes are guarded. */

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const MINHANG_MEDICAL = "上海市闵行区医疗保障局";

describe("planning drivers", () => {
  let db: DB;
  let url: string;
  let drop: () => Promise<void>;
  let maqiao: number;
  let minhangMedical: number;
  let plannerId: number;

  beforeAll(async () => {
    ({ db, url, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
    maqiao = (await findUnitByName(db, MAQIAO))!.id;
    minhangMedical = (await findUnitByName(db, MINHANG_MEDICAL))!.id;
    plannerId = (await db.selectFrom("app_user").select("id").where("username", "=", "maqiao.planner").executeTakeFirstOrThrow()).id;
  }, 120_000);
  afterAll(async () => drop?.());

  const participants = (year: number, value: string, status: DriverRecord["status"], document: string): DriverRecord => ({
    unitId: maqiao,
    year,
    code: "MH-PARTICIPANTS",
    name: "市民社区医疗互助帮困参加人数",
    value,
    measure: "人",
    status,
    document,
    note: null,
  });
  const planner = () => ({ userId: plannerId, username: "maqiao.planner" });

  it("a new value and its correction are audited under the planner's name, and the correction replaces the value", async () => {
    await withActor(db, planner(), (trx) => saveDriver(trx, participants(2024, "500", "estimated", "马桥镇预计"), "maqiao.planner"));
    await withActor(db, planner(), (trx) => saveDriver(trx, participants(2024, "520", "actual", "2024年绩效自评表：马桥镇实际520人"), "maqiao.planner"));
    const rows = (await driverValues(db, [maqiao])).filter((d) => d.code === "MH-PARTICIPANTS");
    expect(rows.map((d) => [d.year, d.value, d.status])).toEqual([
      [2022, "460", "actual"],
      [2023, "497", "actual"],
      [2024, "520", "actual"],
    ]);
    const row = rows.find((d) => d.year === 2024)!;
    expect(row).toMatchObject({ updatedBy: "maqiao.planner", document: "2024年绩效自评表：马桥镇实际520人", version: 2 });
    const audit = await db
      .selectFrom("audit_log")
      .select(["action", "username", "user_id"])
      .where("table_name", "=", "plan_driver")
      .where("record_id", "=", String(row.id))
      .orderBy("id")
      .execute();
    expect(audit).toEqual([
      { action: "insert", username: "maqiao.planner", user_id: plannerId },
      { action: "update", username: "maqiao.planner", user_id: plannerId },
    ]);
    const update = await db
      .selectFrom("audit_log")
      .select([(eb) => eb.ref("before").$castTo<{ value: unknown; status: string }>().as("before"), (eb) => eb.ref("after").$castTo<{ value: unknown; status: string }>().as("after")])
      .where("table_name", "=", "plan_driver")
      .where("record_id", "=", String(row.id))
      .where("action", "=", "update")
      .executeTakeFirstOrThrow();
    expect(update.before.status).toBe("estimated");
    expect(update.after.status).toBe("actual");
    expect(Number(update.before.value)).toBe(500);
    expect(Number(update.after.value)).toBe(520);
  });

  it("the corrected 2024 participants drive 马桥's 2025 plan: 520 × 652.50 raised, 23 × 652.50 cleared", async () => {
    const plan = await loadPlan(db, 2025, maqiao);
    const line = (item: string) => {
      const found = plan.lines.find((l) => l.item === item);
      expect(found, `${item} in ${plan.lines.map((l) => l.item).join(", ")}`).toBeDefined();
      return found!;
    };
    expect(line("筹集2025年医疗互助帮困资金")).toMatchObject({ quantity: "520.00", unitPrice: "652.50", amount: "339300.00" });
    expect(line("清算2024年医疗资金")).toMatchObject({ quantity: "23.00", unitPrice: "652.50", amount: "15007.50" });
  });

  describe("over HTTP (/drivers)", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(url);
    }, 120_000);
    afterAll(async () => server?.stop());

    const post = (cookie: string, fields: Record<string, string>) =>
      fetch(`${server.baseUrl}/drivers`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
        redirect: "manual",
      });
    const get = (cookie: string, path = "/drivers") => fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
    const valid = { intent: "save", year: "2025", code: "MH-PARTICIPANTS", name: "市民社区医疗互助帮困参加人数", value: "540", measure: "人", status: "estimated", document: "马桥镇预计2025年540人", note: "" };

    it("shows a user the drivers of their units only", async () => {
      const planner = await signIn(server.baseUrl, "maqiao.planner");
      const own = await (await get(planner)).text();
      expect(own).toContain('id="MH-PARTICIPANTS"');
      expect(own).toContain("MH-OVERSPEND-PC");
      expect(own).not.toContain('data-code="ARMED-POLICE"');
      expect(own).toContain('data-testid="driver-form"');
      const manager = await signIn(server.baseUrl, "minhang.manager");
      const district = await (await get(manager)).text();
      expect(district).toContain('data-code="ARMED-POLICE"');
      expect(district).toContain('data-code="MH-OVERSPEND-PC"');
      expect(district).not.toContain('data-testid="driver-form"');
      // Filtered to 闵行区医疗保障局: 马桥's own drivers are not listed.
      const filtered = await (await get(manager, `/drivers?unit=${minhangMedical}`)).text();
      expect(filtered).toContain('data-code="ARMED-POLICE"');
      expect(filtered).not.toContain('data-code="MH-OVERSPEND-PC"');
    });

    it("saves and corrects a value of the planner's unit, audited under the planner's name", async () => {
      const planner = await signIn(server.baseUrl, "maqiao.planner");
      const saved = await post(planner, valid);
      expect(saved.status).toBe(200);
      expect(await saved.text()).toContain("已保存：");
      const corrected = await post(planner, { ...valid, value: "5,500.5", status: "actual" });
      expect(corrected.status).toBe(200);
      expect(await corrected.text()).toContain("已更正：");
      const row = (await driverValues(db, [maqiao])).find((d) => d.code === "MH-PARTICIPANTS" && d.year === 2025)!;
      expect(row).toMatchObject({ value: "5500.5", status: "actual", updatedBy: "maqiao.planner", version: 2 });
      const audit = await db.selectFrom("audit_log").select(["action", "username"]).where("table_name", "=", "plan_driver").where("record_id", "=", String(row.id)).orderBy("id").execute();
      expect(audit).toEqual([
        { action: "insert", username: "maqiao.planner" },
        { action: "update", username: "maqiao.planner" },
      ]);
      // A correction of the version the planner opened, made stale by another save meanwhile: refused (409), nothing changed.
      const stale = await post(planner, { ...valid, value: "1", editId: String(row.id), version: "1" });
      expect(stale.status).toBe(409);
      const staleHtml = await stale.text();
      expect(staleHtml).toContain("已被他人修改（现为 5,500.5）");
      expect(staleHtml).toMatch(/name="version" value="2"/);
      expect((await driverValues(db, [maqiao])).find((d) => d.id === row.id)!.value).toBe("5500.5");
      // Submitted again against the version now shown: saved.
      expect((await post(planner, { ...valid, value: "1", editId: String(row.id), version: "2" })).status).toBe(200);
      expect((await driverValues(db, [maqiao])).find((d) => d.id === row.id)).toMatchObject({ value: "1", version: 3 });
      // Deleted, audited.
      const deleted = await post(planner, { intent: "delete", id: String(row.id) });
      expect(deleted.status).toBe(200);
      expect((await driverValues(db, [maqiao])).some((d) => d.id === row.id)).toBe(false);
      const removal = await db.selectFrom("audit_log").select("username").where("table_name", "=", "plan_driver").where("record_id", "=", String(row.id)).where("action", "=", "delete").execute();
      expect(removal).toEqual([{ username: "maqiao.planner" }]);
    });

    it("keeps the input and names the field of a refused value (400), nothing saved", async () => {
      const planner = await signIn(server.baseUrl, "maqiao.planner");
      const before = await driverValues(db, null);
      const refused = await post(planner, { ...valid, value: "-3", document: "" });
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain("依据文件必填");
      expect(html).toContain("数值不是有效的非负数");
      expect(html).toContain('value="-3"');
      expect(await driverValues(db, null)).toEqual(before);
    });

    it("refuses other units' drivers (403), unknown or crafted ids (404) and users without the role (403)", async () => {
      const planner = await signIn(server.baseUrl, "maqiao.planner");
      const armedPolice = (await driverValues(db, [minhangMedical])).find((d) => d.code === "ARMED-POLICE")!;
      expect((await post(planner, { intent: "delete", id: String(armedPolice.id) })).status).toBe(403);
      expect((await post(planner, { ...valid, unit: String(minhangMedical) })).status).toBe(403);
      expect((await post(planner, { ...valid, unit: "99999999999" })).status).toBe(400);
      expect((await post(planner, { ...valid, intent: "drop-table" })).status).toBe(400);
      for (const id of ["", "abc", "1e3", "-1", "99999999999", "999999"]) expect((await post(planner, { intent: "delete", id })).status, `delete ${id}`).toBe(404);
      expect((await get(planner, `/drivers?edit=${armedPolice.id}`)).status).toBe(404);
      expect((await get(planner, "/drivers?edit=abc")).status).toBe(404);
      expect((await get(planner, "/drivers?add=99999999999")).status).toBe(404);
      expect((await driverValues(db, [minhangMedical])).some((d) => d.id === armedPolice.id)).toBe(true);
      for (const username of ["minhang.viewer", "maqiao.submitter", "minhang.manager", "admin"] as const) {
        const cookie = await signIn(server.baseUrl, username);
        expect((await post(cookie, valid)).status, username).toBe(403);
        expect((await post(cookie, { intent: "delete", id: String(armedPolice.id) })).status, username).toBe(403);
      }
      const anonymous = await fetch(`${server.baseUrl}/drivers`, { method: "POST", headers: { Origin: server.baseUrl }, body: new URLSearchParams(valid), redirect: "manual" });
      expect(anonymous.status).toBe(401);
    });
  });
});
