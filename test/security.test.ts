import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";
import { createUser } from "../db/users.ts";
import type { DB } from "../db/pool.ts";
import { getCorrectablePayment } from "../db/corrections.ts";
import { paymentFormValues } from "../domain/corrections.ts";

/*
 * Attacks tried against the real production server, each refused with nothing changed: another unit's
 * record in the URL, cross-site POSTs, SQL metacharacters and <script> in free text, forged and
 * expired sessions, a password-guessing loop, and two people saving the same budget line.
 */

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const HUACAO = "上海市闵行区华漕镇社区事务受理中心";

describe("attacks on the running server", () => {
  let server: RunningServer;
  let db: DB;
  let drop: () => Promise<void>;
  let planner: string;
  let maqiaoProject: number;
  let huacaoProject: number;

  const lineOf = (projectId: number, item?: string) => {
    let query = db.selectFrom("budget_line").selectAll().where("project_id", "=", projectId);
    if (item) query = query.where("item", "=", item);
    return query.orderBy("line_no").executeTakeFirstOrThrow();
  };
  const projectOf = (unit: string) => projectIdOf(db, unit);
  /** Everything an attack could have changed: lines and the audit trail's length. */
  const snapshot = async () => ({
    lines: await db.selectFrom("budget_line").selectAll().orderBy("id").execute(),
    audit: (await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n,
  });
  const post = (url: string, cookie: string | null, body: Record<string, string>, headers: Record<string, string> = { Origin: server.baseUrl }) =>
    fetch(`${server.baseUrl}${url}`, {
      method: "POST",
      redirect: "manual",
      headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
      body: new URLSearchParams(body),
    });
  const lineForm = (line: Awaited<ReturnType<typeof lineOf>>, changes: Record<string, string> = {}) => ({
    version: String(line.version),
    composition: line.composition,
    item: line.item,
    fundLevel: line.fund_level,
    fundType: line.fund_type,
    unitPrice: line.unit_price ?? "",
    quantity: line.quantity ?? "",
    initialAmount: line.initial_amount,
    basis: line.basis ?? "",
    scheduledMonths: (line.scheduled_months ?? []).join(","),
    functionalCode: line.functional_code ?? "",
    functionalName: line.functional_name ?? "",
    economicCode: line.economic_code ?? "",
    economicName: line.economic_name ?? "",
    ...changes,
  });

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    db = fresh.db;
    drop = fresh.drop;
    server = await startServer(fresh.url);
    planner = await signIn(server.baseUrl, "maqiao.planner");
    maqiaoProject = await projectOf(MAQIAO);
    huacaoProject = await projectOf(HUACAO);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("refuses another unit's record named in the URL, and a line of another project under one's own", async () => {
    const before = await snapshot();
    const huacaoLine = await lineOf(huacaoProject);
    // 华漕's line under its own project: outside the planner's unit.
    const direct = await post(`/projects/${huacaoProject}/lines/${huacaoLine.id}/edit`, planner, lineForm(huacaoLine, { basis: "改动" }));
    expect(direct.status).toBe(403);
    // 华漕's line smuggled under 马桥's project id: the line decides, and it does not belong there.
    const smuggled = await post(`/projects/${maqiaoProject}/lines/${huacaoLine.id}/edit`, planner, lineForm(huacaoLine, { basis: "改动" }));
    expect(smuggled.status).toBe(404);
    // Reads of another unit's project are 404, even its history.
    for (const url of [`/projects/${huacaoProject}`, `/projects/${huacaoProject}/history`, `/projects/${huacaoProject}.data`]) {
      const response = await fetch(`${server.baseUrl}${url}`, { headers: { Cookie: planner }, redirect: "manual" });
      expect(response.status, url).toBe(404);
    }
    // The dashboard's unit filter cannot reach another unit either: it falls back to the user's own.
    const dashboard = await fetch(`${server.baseUrl}/?year=2024&unit=1`, { headers: { Cookie: planner } });
    const html = await dashboard.text();
    expect(html).toContain(MAQIAO);
    expect(html).not.toContain(HUACAO);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses cross-site POSTs (foreign Origin, foreign Referer, neither) for every action", async () => {
    const before = await snapshot();
    const line = await lineOf(maqiaoProject, "区级政策医疗救助");
    const evil = "http://evil.example";
    const targets: Array<[string, Record<string, string>]> = [
      [`/projects/${maqiaoProject}/lines/${line.id}/edit`, lineForm(line, { basis: "跨站修改" })],
      ["/admin", { threshold: "10.00" }],
      ["/account", { current: "demo-planner-2024", password: "a new password 1", confirm: "a new password 1" }],
      ["/logout", {}],
      ["/login", { username: "maqiao.planner", password: "demo-planner-2024" }],
    ];
    for (const [url, body] of targets) {
      for (const headers of [{ Origin: evil }, { Referer: `${evil}/page` }, {} as Record<string, string>]) {
        const response = await post(url, planner, body, headers);
        expect(response.status, `${url} ${JSON.stringify(headers)}`).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.headers.get("set-cookie"), url).toBeNull();
      }
    }
    expect(await snapshot()).toEqual(before);
    // The planner's session survived the forged logout, and the password is unchanged.
    expect((await fetch(`${server.baseUrl}/account`, { headers: { Cookie: planner }, redirect: "manual" })).status).toBe(200);
  });

  it("stores SQL metacharacters and <script> in every free-text field verbatim and renders them escaped", async () => {
    const line = await lineOf(maqiaoProject, "区级政策医疗救助");
    const nasty = {
      composition: `医疗救助'; DROP TABLE payment; --`,
      item: `<script>alert("item")</script>`,
      basis: `沪医保规〔2022〕12号" OR "1"="1`,
      functionalName: `</td><img src=x onerror=alert(1)>`,
      economicName: `\'; SELECT pg_sleep(5); --`,
    };
    const response = await post(`/projects/${maqiaoProject}/lines/${line.id}/edit`, planner, lineForm(line, nasty));
    expect(response.status).toBe(302);
    const stored = await lineOf(maqiaoProject, nasty.item);
    expect({
      composition: stored.composition,
      item: stored.item,
      basis: stored.basis,
      functionalName: stored.functional_name,
      economicName: stored.economic_name,
    }).toEqual(nasty);
    expect(await db.selectFrom("payment").select("id").limit(1).execute()).toHaveLength(1);

    for (const url of [`/projects/${maqiaoProject}`, `/projects/${maqiaoProject}/history`, `/projects/${maqiaoProject}/lines/${line.id}/edit`]) {
      const html = await (await fetch(`${server.baseUrl}${url}`, { headers: { Cookie: planner } })).text();
      expect(html, url).not.toContain(`<script>alert("item")</script>`);
      expect(html, url).not.toContain(`<img src=x onerror=alert(1)>`);
      expect(html, url).toContain("&lt;script&gt;alert(");
    }
    // A login with SQL in the name is just a wrong name.
    const login = await post("/login", null, { username: `' OR '1'='1`, password: `' OR '1'='1` });
    expect(login.status).toBe(401);
  });

  it("refuses forged, expired and signed-out sessions", async () => {
    const forged = await fetch(`${server.baseUrl}/`, { headers: { Cookie: "bm_session=forged-token-value" }, redirect: "manual" });
    expect(forged.status).toBe(302);
    expect(forged.headers.get("location")).toMatch(/^\/login/);

    const cookie = await signIn(server.baseUrl, "minhang.viewer");
    expect((await fetch(`${server.baseUrl}/`, { headers: { Cookie: cookie }, redirect: "manual" })).status).toBe(200);
    await db.updateTable("user_session").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
    expect((await fetch(`${server.baseUrl}/`, { headers: { Cookie: cookie }, redirect: "manual" })).status).toBe(302);
    planner = await signIn(server.baseUrl, "maqiao.planner");

    const another = await signIn(server.baseUrl, "minhang.viewer");
    expect((await post("/logout", another, {})).status).toBe(302);
    expect((await fetch(`${server.baseUrl}/`, { headers: { Cookie: another }, redirect: "manual" })).status).toBe(302);
  });

  it("rotates the session at sign-in: the old token dies", async () => {
    const first = await signIn(server.baseUrl, "minhang.viewer");
    const response = await post("/login", first, { username: "minhang.viewer", password: "demo-viewer-2024", next: "/" });
    const second = response.headers.get("set-cookie")!.split(";")[0]!;
    expect(second).not.toBe(first);
    expect(response.headers.get("set-cookie")).toMatch(/HttpOnly/);
    expect(response.headers.get("set-cookie")).toMatch(/SameSite=Lax/);
    expect((await fetch(`${server.baseUrl}/`, { headers: { Cookie: first }, redirect: "manual" })).status).toBe(302);
    expect((await fetch(`${server.baseUrl}/`, { headers: { Cookie: second }, redirect: "manual" })).status).toBe(200);
  });

  it("survives 1,000 wrong passwords in a loop: the client is held off, the right password from it refused meanwhile", async () => {
    await createUser(db, { username: "guess.target", displayName: "被猜测的账户", unitId: 1, roles: ["viewer"], password: "the real passphrase" });
    const statuses = new Map<number, number>();
    for (let attempt = 0; attempt < 1000; attempt += 1) {
      const response = await post("/login", null, { username: "guess.target", password: `guess-${attempt}` });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect(response.headers.get("set-cookie")).toBeNull();
    }
    expect(statuses.get(401)).toBe(4);
    expect(statuses.get(429)).toBe(996);
    const right = await post("/login", null, { username: "guess.target", password: "the real passphrase" });
    expect(right.status).toBe(429);
    expect(await right.text()).toContain("锁定");
    // Held off per client and name (app/security.server.ts), not by locking the account for everyone (issue 17 §3).
    const user = await db.selectFrom("app_user").select(["locked_until"]).where("username", "=", "guess.target").executeTakeFirstOrThrow();
    expect(user.locked_until).toBeNull();
  }, 120_000);

  it("gives the second of two people saving the same budget line the conflict, and keeps the first", async () => {
    await createUser(db, { username: "maqiao.planner2", displayName: "马桥镇 第二编制人", unitId: (await db.selectFrom("org_unit").select("id").where("name", "=", MAQIAO).executeTakeFirstOrThrow()).id, roles: ["planner"], password: "second planner pass" });
    const second = await (async () => {
      const response = await post("/login", null, { username: "maqiao.planner2", password: "second planner pass", next: "/" });
      return response.headers.get("set-cookie")!.split(";")[0]!;
    })();
    const line = await lineOf(maqiaoProject, "市级政策住院救助");
    // Both opened the form at the same version.
    const first = await post(`/projects/${maqiaoProject}/lines/${line.id}/edit`, planner, lineForm(line, { quantity: "140", initialAmount: "364000.00" }));
    expect(first.status).toBe(302);
    const late = await post(`/projects/${maqiaoProject}/lines/${line.id}/edit`, second, lineForm(line, { quantity: "120", initialAmount: "312000.00" }));
    expect(late.status).toBe(409);
    const html = await late.text();
    expect(html).toContain("此记录已被他人修改");
    expect(html).toContain("maqiao.planner");
    expect(html).toContain("数量 130.00 → 140.00");
    expect(html).toContain("年初预算 338000.00 → 364000.00");
    const stored = await lineOf(maqiaoProject, "市级政策住院救助");
    expect([stored.quantity, stored.initial_amount, stored.version]).toEqual(["140.00", "364000.00", line.version + 1]);
  });

  it("refuses a form with errors field by field and saves nothing", async () => {
    const before = await snapshot();
    const line = await lineOf(maqiaoProject, "门急诊起付线补助");
    const response = await post(
      `/projects/${maqiaoProject}/lines/${line.id}/edit`,
      planner,
      lineForm(line, { initialAmount: "111500.005", functionalCode: "21013A", scheduledMonths: "1-13", item: "" }),
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("金额最多两位小数");
    expect(html).toContain("功能分类科目编码应为 3–7 位数字");
    expect(html).toContain("月份应在 1–12 之间");
    expect(html).toContain("必填");
    expect(await snapshot()).toEqual(before);
  });

  it("answers ids and versions that do not fit an integer column with 404 / 409, never 500, and changes nothing", async () => {
    const before = await snapshot();
    for (const batchId of ["99999999999", "1e3", "-1", ""]) {
      expect((await post("/imports", planner, { batchId, reason: "测试" })).status, batchId).toBe(404);
    }
    const payment = await db.selectFrom("payment").select(["id", "amount"]).where("project_id", "=", maqiaoProject).orderBy("id").executeTakeFirstOrThrow();
    for (const version of ["99999999999", "abc", ""]) {
      const response = await post(`/projects/${maqiaoProject}/payments/${payment.id}/correct`, planner, { intent: "reverse", version, reason: "测试", reversedOn: "2024-12-31" });
      expect(response.status, version).toBe(409);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("asks for the over-budget confirmation on a correction page before saving a huge amount, then saves it", async () => {
    const { id } = await db.selectFrom("payment").select("id").where("project_id", "=", maqiaoProject).orderBy("id", "desc").executeTakeFirstOrThrow();
    const stored = (await getCorrectablePayment(db, id))!;
    const form = { ...paymentFormValues(stored), amount: "50,000,000.00", reason: "按凭证更正", intent: "correct", version: String(stored.version) };
    const url = `/projects/${maqiaoProject}/payments/${id}/correct`;
    const refused = await post(url, planner, form);
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toMatch(/超过本项目全年调整后预算 [\d,]+\.\d{2} 元：请核对是否元\/万元混淆/);
    expect(html).toContain('name="acceptOverBudget"');
    expect((await getCorrectablePayment(db, id))!.amount).toBe(stored.amount);
    const saved = await post(url, planner, { ...form, acceptOverBudget: "on" });
    expect(saved.status).toBe(302);
    expect((await getCorrectablePayment(db, id))!.amount).toBe("50000000.00");
  });
});
