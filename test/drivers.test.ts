import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";
import { sql } from "kysely";
import { withActor } from "../db/audit.ts";
import { addCostShareVersion, CostShareError, driverValues, listCostShares, saveDriver, type DriverRecord } from "../db/drivers.ts";
import { loadPlan } from "../features/plan/queries/plan.ts";
import { findUnitByName } from "../db/units.ts";
import { createSession, createUser } from "../db/users.ts";
import { parseCostShareForm, type CostShareValues } from "../domain/cost-share-form.ts";
import { todayInChina } from "../domain/dates.ts";
import type { Role } from "../domain/permissions.ts";
import type { DB } from "../db/pool.ts";

/*
 * 测算因素 (/drivers) on a real PostgreSQL: corrections are audited and change next year's plan; new cost
 * share versions close the open one and change the plans of the years they are in force on 1 January;
 * the page's writes are guarded.
 */

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const MINHANG_MEDICAL = "上海市闵行区医疗保障局";

/** MH-SHARE (闵行区's 互助帮困 share, seeds/001 附件6-1: 市 50%, 区 25%, 镇 25%) with the town's part raised to 30%: invented. */
function mhShare(overrides: Record<string, string> = {}): CostShareValues {
  const parsed = parseCostShareForm({
    code: "MH-SHARE",
    name: "市民社区医疗互助帮困资金筹集及超支分担（个人缴费后余额）",
    spending: "市民社区医疗互助帮困",
    appliesTo: "镇",
    city: "50",
    district: "20",
    town: "30",
    effectiveFrom: "2025-01-01",
    document: "闵行区医疗保障局、财政局通知（示例：镇级分担调整为30%）",
    ...overrides,
  });
  if (!("values" in parsed)) throw new Error(JSON.stringify(parsed.errors));
  return parsed.values;
}

describe("planning drivers", () => {
  let db: DB;
  let url: string;
  let drop: () => Promise<void>;
  let maqiao: number;
  let minhangMedical: number;
  let minhang: number;
  let plannerId: number;
  let adminId: number;

  beforeAll(async () => {
    ({ db, url, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
    maqiao = (await findUnitByName(db, MAQIAO))!.id;
    minhangMedical = (await findUnitByName(db, MINHANG_MEDICAL))!.id;
    minhang = (await findUnitByName(db, "闵行区"))!.id;
    adminId = (await db.selectFrom("app_user").select("id").where("username", "=", "admin").executeTakeFirstOrThrow()).id;
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

  it("a new MH-SHARE version (镇级 30% from 2025-01-01, added in December 2024) closes the open one and changes the 2025 plan, not 2024's", async () => {
    const admin = { userId: adminId, username: "admin" };
    // Judged on 2024-12-01 (the fiscal year 2024), as /standards' versions are: 2025-01-01 is not backdated then.
    const added = await withActor(db, admin, (trx) => addCostShareVersion(trx, mhShare(), { ownerUnitId: maqiao, today: "2024-12-01" }));
    expect(added).toMatchObject({ code: "MH-SHARE", revision: 2, ownerUnitId: minhang, closed: { revision: 1, effectiveTo: "2024-12-31" } });
    const versions = (await listCostShares(db)).filter((s) => s.code === "MH-SHARE");
    expect(versions.map((s) => [s.revision, s.shares["市级"], s.shares["区级"], s.shares["镇级"], s.effectiveFrom, s.effectiveTo, s.ownerUnitName])).toEqual([
      [1, "50.0000", "25.0000", "25.0000", "2024-01-01", "2024-12-31", "闵行区"],
      [2, "50.0000", "20.0000", "30.0000", "2025-01-01", null, "闵行区"],
    ]);
    // One transaction, audited under the user's name: the closing of revision 1 and the new revision 2.
    const audit = await db.selectFrom("audit_log").select(["action", "username", "user_id"]).where("table_name", "=", "cost_share").where("username", "=", "admin").orderBy("id").execute();
    expect(audit).toEqual([
      { action: "update", username: "admin", user_id: adminId },
      { action: "insert", username: "admin", user_id: adminId },
    ]);

    // The plan takes the version in force on 1 January of its year: 2025 at 30%, 2024 still at 25%.
    const lineOf = async (year: number, item: string) => {
      const plan = await loadPlan(db, year, maqiao);
      const found = plan.lines.find((l) => l.item === item);
      expect(found, `${item} in ${plan.lines.map((l) => l.item).join(", ")}`).toBeDefined();
      return found!;
    };
    const raised2025 = await lineOf(2025, "筹集2025年医疗互助帮困资金");
    expect(raised2025).toMatchObject({ quantity: "520.00", unitPrice: "783.00", amount: "407160.00" });
    expect(raised2025.derivation?.share).toMatchObject({ code: "MH-SHARE", revision: 2, level: "镇级", percent: "30" });
    expect(await lineOf(2025, "清算2024年医疗资金")).toMatchObject({ quantity: "23.00", unitPrice: "783.00", amount: "18009.00" });
    const raised2024 = await lineOf(2024, "筹集2024年医疗互助帮困资金");
    expect(raised2024).toMatchObject({ quantity: "497.00", unitPrice: "652.50", amount: "324292.50" });
    expect(raised2024.derivation?.share).toMatchObject({ revision: 1, percent: "25" });
  });

  it("refuses a version that does not start after the latest, is backdated, shortens a closed one or changes whom it applies to; a new code is the given unit's", async () => {
    const admin = { userId: adminId, username: "admin" };
    const refusal = async (values: CostShareValues, today: string) => {
      const error = await withActor(db, admin, (trx) => addCostShareVersion(trx, values, { ownerUnitId: maqiao, today })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CostShareError);
      return { field: (error as CostShareError).field, ...(error as CostShareError).refusal };
    };
    expect(await refusal(mhShare({ effectiveFrom: "2025-01-01" }), "2026-11-24")).toEqual({ field: "effectiveFrom", code: "notAfterLatest", revision: 2, from: "2025-01-01" });
    // MA-STREET-SETTLE (in force from 2024): a change from mid-2025, judged in 2026, would rewrite what was applied.
    const settle = mhShare({ code: "MA-STREET-SETTLE", name: "街道医疗救助资金区镇结算分担", spending: "街道医疗救助资金结算", effectiveFrom: "2025-07-01" });
    expect(await refusal(settle, "2026-11-24")).toEqual({ field: "effectiveFrom", code: "backdated", yearStart: "2026-01-01", date: "2025-07-01" });
    expect(await refusal({ ...settle, appliesTo: "全部", effectiveFrom: "2027-01-01" }, "2026-11-24")).toEqual({ field: "appliesTo", code: "appliesChanged", appliesTo: "镇" });

    // A new code belongs to the given unit and may record a rule already in force; a closed version is never shortened.
    const first = await withActor(db, admin, (trx) =>
      addCostShareVersion(trx, mhShare({ code: "MQ-TEST-SHARE", effectiveFrom: "2023-01-01" }), { ownerUnitId: maqiao, today: "2026-11-24" }),
    );
    expect(first).toMatchObject({ revision: 1, ownerUnitId: maqiao, closed: null });
    await db.updateTable("cost_share").set({ effective_to: "2027-06-30" }).where("id", "=", first.id).execute();
    expect(await refusal(mhShare({ code: "MQ-TEST-SHARE", effectiveFrom: "2027-03-01" }), "2026-11-24")).toEqual({ field: "effectiveFrom", code: "closed", revision: 1, to: "2027-06-30" });
    const second = await withActor(db, admin, (trx) => addCostShareVersion(trx, mhShare({ code: "MQ-TEST-SHARE", effectiveFrom: "2027-07-01" }), { ownerUnitId: minhang, today: "2026-11-24" }));
    expect(second).toMatchObject({ revision: 2, ownerUnitId: maqiao, closed: null });
    expect((await listCostShares(db)).filter((s) => s.code === "MQ-TEST-SHARE").map((s) => [s.revision, s.effectiveFrom, s.effectiveTo])).toEqual([
      [1, "2023-01-01", "2027-06-30"],
      [2, "2027-07-01", null],
    ]);
    // Nothing of the refused ones was written.
    expect((await listCostShares(db)).filter((s) => s.code === "MA-STREET-SETTLE").map((s) => s.effectiveTo)).toEqual([null]);
  });

  it("the database itself refuses rewriting, deleting, overlapping, shortening a closed period and shares not adding to 100", async () => {
    await expect(sql`UPDATE cost_share SET town_pct = 35, district_pct = 15 WHERE code = 'MH-SHARE' AND revision = 2`.execute(db)).rejects.toThrow(/is history/);
    await expect(sql`UPDATE cost_share SET effective_to = '2024-06-30' WHERE code = 'MH-SHARE' AND revision = 1`.execute(db)).rejects.toThrow(/is closed/);
    await expect(sql`DELETE FROM cost_share WHERE code = 'MH-SHARE'`.execute(db)).rejects.toThrow(/cannot be deleted/);
    await expect(
      sql`INSERT INTO cost_share (code, owner_unit_id, revision, name, spending, applies_to, city_pct, district_pct, town_pct, effective_from, document)
          VALUES ('MH-SHARE', ${minhang}, 9, 'x', 'x', '镇', 50, 25, 25, '2024-06-01', 'x')`.execute(db),
    ).rejects.toThrow(/overlaps revision 1/);
    await expect(
      sql`INSERT INTO cost_share (code, owner_unit_id, revision, name, spending, applies_to, city_pct, district_pct, town_pct, effective_from, document)
          VALUES ('X-SUM', ${minhang}, 1, 'x', 'x', '镇', 50, 25, 20, '2030-01-01', 'x')`.execute(db),
    ).rejects.toThrow(/check constraint/);
    expect((await listCostShares(db)).filter((s) => s.code === "MH-SHARE").map((s) => s.shares["镇级"])).toEqual(["25.0000", "30.0000"]);
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
      const corrected = await post(planner, { ...valid, value: "5,500", status: "actual" });
      expect(corrected.status).toBe(200);
      expect(await corrected.text()).toContain("已更正：");
      const row = (await driverValues(db, [maqiao])).find((d) => d.code === "MH-PARTICIPANTS" && d.year === 2025)!;
      expect(row).toMatchObject({ value: "5500", status: "actual", updatedBy: "maqiao.planner", version: 2 });
      const audit = await db.selectFrom("audit_log").select(["action", "username"]).where("table_name", "=", "plan_driver").where("record_id", "=", String(row.id)).orderBy("id").execute();
      expect(audit).toEqual([
        { action: "insert", username: "maqiao.planner" },
        { action: "update", username: "maqiao.planner" },
      ]);
      // A correction of the version the planner opened, made stale by another save meanwhile: refused (409), nothing changed.
      const stale = await post(planner, { ...valid, value: "1", editId: String(row.id), version: "1" });
      expect(stale.status).toBe(409);
      const staleHtml = await stale.text();
      expect(staleHtml).toContain("已被他人修改（现为 5,500）");
      expect(staleHtml).toMatch(/name="version" value="2"/);
      expect((await driverValues(db, [maqiao])).find((d) => d.id === row.id)!.value).toBe("5500");
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

    describe("cost shares (分担比例)", () => {
      const nextYear = Number(todayInChina().slice(0, 4)) + 1;
      const share = {
        intent: "share",
        code: "MH-SHARE",
        name: "市民社区医疗互助帮困资金筹集及超支分担（个人缴费后余额）",
        spending: "市民社区医疗互助帮困",
        appliesTo: "镇",
        central: "",
        city: "50",
        district: "20",
        town: "30",
        effectiveFrom: `${nextYear}-01-01`,
        document: "闵行区医疗保障局、财政局通知（示例）",
        note: "",
      };
      /** A signed-in user made for the test (the demo has no planner of 闵行区 or of 闵行区医疗保障局). */
      const userAt = async (username: string, unitId: number, roles: Role[]) => {
        const id = await createUser(db, { username, displayName: username, unitId, roles, password: "Test-password-for-shares" });
        return `bm_session=${await createSession(db, id)}`;
      };
      const mhShares = async () => (await listCostShares(db)).filter((s) => s.code === "MH-SHARE");

      it("a planner of the owning unit (闵行区) adds a version from next 1 January: the open one closes the day before, audited", async () => {
        const planner = await userAt("minhang.district.planner", minhang, ["planner"]);
        const page = await (await get(planner, "/drivers?share=MH-SHARE")).text();
        expect(page).toContain('data-testid="share-new-version"');
        expect(page).toContain('name="town" value="30"');
        expect(page).toContain("正在为 MH-SHARE 新增版本（现行第 2 版，制定单位：闵行区）");
        const response = await post(planner, share);
        expect(response.status).toBe(200);
        expect(await response.text()).toContain(`已新增：MH-SHARE 第 3 版，自 ${nextYear}-01-01 起执行；第 2 版于 ${nextYear - 1}-12-31 截止`);
        expect((await mhShares()).map((s) => [s.revision, s.effectiveFrom, s.effectiveTo])).toEqual([
          [1, "2024-01-01", "2024-12-31"],
          [2, "2025-01-01", `${nextYear - 1}-12-31`],
          [3, `${nextYear}-01-01`, null],
        ]);
        const audit = await db.selectFrom("audit_log").select("action").where("table_name", "=", "cost_share").where("username", "=", "minhang.district.planner").orderBy("id").execute();
        expect(audit.map((a) => a.action)).toEqual(["update", "insert"]);
      });

      it("keeps the input and shows the sum at the percents when they do not add to 100 (400), a backdated start at its field; nothing saved", async () => {
        const admin = await signIn(server.baseUrl, "admin");
        const before = await listCostShares(db);
        const refused = await post(admin, { ...share, effectiveFrom: `${nextYear + 1}-01-01`, town: "25", document: "" });
        expect(refused.status).toBe(400);
        const html = await refused.text();
        expect(html).toContain("四级分担比例合计应为 100%，现为 95%");
        expect(html).toContain("依据文件必填");
        expect(html).toContain('name="town" value="25"');
        const backdated = await post(admin, { ...share, code: "MA-STREET-SETTLE", effectiveFrom: `${nextYear - 2}-06-01` });
        expect(backdated.status).toBe(400);
        expect(await backdated.text()).toContain(`生效日期不能早于本预算年度的开始 ${nextYear - 1}-01-01`);
        const english = await fetch(`${server.baseUrl}/drivers?lang=en`, {
          method: "POST",
          headers: { Cookie: admin, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ ...share, effectiveFrom: `${nextYear + 1}-01-01`, town: "35" }),
        });
        expect(english.status).toBe(400);
        expect(await english.text()).toContain("The four shares must add up to 100%; they add up to 105%");
        expect(await listCostShares(db)).toEqual(before);
      });

      it("refuses a share owned above the user's unit (403): 马桥's and 闵行区医疗保障局's planners for 闵行区's MH-SHARE; other roles (403); unknown codes (404)", async () => {
        const before = await mhShares();
        const maqiaoPlanner = await signIn(server.baseUrl, "maqiao.planner");
        const bureauPlanner = await userAt("minhang.medical.planner", minhangMedical, ["planner"]);
        for (const cookie of [maqiaoPlanner, bureauPlanner]) {
          const page = await (await get(cookie)).text();
          expect(page).toContain('data-testid="share-form"');
          // No 新版本 for 闵行区's share (马桥 owns MQ-TEST-SHARE, added above: that one it may version).
          expect(page).toContain('id="share-MH-SHARE"');
          expect(page).not.toContain("share=MH-SHARE");
          expect((await post(cookie, { ...share, effectiveFrom: `${nextYear + 1}-01-01` })).status).toBe(403);
          expect((await get(cookie, "/drivers?share=MH-SHARE")).status).toBe(403);
        }
        for (const username of ["minhang.viewer", "maqiao.submitter", "minhang.manager"] as const) {
          const cookie = await signIn(server.baseUrl, username);
          expect((await post(cookie, { ...share, effectiveFrom: `${nextYear + 1}-01-01` })).status, username).toBe(403);
          expect(await (await get(cookie)).text(), username).toContain('data-testid="shares-read-only"');
        }
        const admin = await signIn(server.baseUrl, "admin");
        expect((await get(admin, "/drivers?share=NO-SUCH-SHARE")).status).toBe(404);
        expect((await get(admin, "/drivers?share=MH-SHARE")).status).toBe(200);
        const anonymous = await fetch(`${server.baseUrl}/drivers`, { method: "POST", headers: { Origin: server.baseUrl }, body: new URLSearchParams(share), redirect: "manual" });
        expect(anonymous.status).toBe(401);
        expect(await mhShares()).toEqual(before);
      });

      it("a new code belongs to the planner's unit, who then may add its versions", async () => {
        const planner = await signIn(server.baseUrl, "maqiao.planner");
        const added = await post(planner, { ...share, code: "mq-care-share", name: "马桥镇照护资金分担（示例）", city: "0", district: "40", town: "60" });
        expect(added.status).toBe(200);
        const created = (await listCostShares(db)).filter((s) => s.code === "MQ-CARE-SHARE");
        expect(created.map((s) => [s.revision, s.ownerUnitName, s.shares["区级"], s.shares["镇级"]])).toEqual([[1, MAQIAO, "40.0000", "60.0000"]]);
        expect(await (await get(planner, "/drivers?share=MQ-CARE-SHARE")).text()).toContain('name="district" value="40"');
      });
    });
  });
});
