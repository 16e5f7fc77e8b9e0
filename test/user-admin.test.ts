import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "kysely";
import type { DB } from "../db/pool.ts";
import { unitSubtreeIds } from "../db/units.ts";
import { authenticate, createSession, sessionUser } from "../db/users.ts";
import type { Role } from "../domain/permissions.ts";
import { render, type Message } from "../messages/index.ts";
import {
  addUserAccount,
  resetUserPassword,
  setUserAccess,
  updateUserAccount,
  userAdminPage,
  type NewUserInput,
  type UserAdminActor,
  type UserAdminOutcome,
} from "../features/admin/users.ts";
import { freshDatabase } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";

/*
 * User management in 系统管理 (/admin/users, issue 16) on a real PostgreSQL with the demo data: the city's
 * administrator adds a district administrator, who then manages 闵行区's users only — adds, resets a
 * password (generated once or typed twice), changes roles and unit, disables (their sessions end) and
 * enables; refusals (another subtree, a non-administrator, their own account, a duplicate username, a
 * weak password, a stale page) at their fields and writing nothing; every change audited. Then the
 * page itself through the built server: the controls, a weak password's message at its field in
 * Chinese and in English, and a disabled user's session ending.
 */

const MINHANG = "闵行区";
const BAOSHAN_BUREAU = "上海市宝山区医疗保障局";
const HUACAO_CENTER = "上海市闵行区华漕镇社区事务受理中心";

describe("user management (service)", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let city: UserAdminActor;
  let district: UserAdminActor;
  const unitIds = new Map<string, number>();
  const rendered = (message: Message | undefined) => (message === undefined ? undefined : render("zh", message));
  const errorsOf = (outcome: UserAdminOutcome) =>
    outcome.kind === "refused" ? Object.fromEntries(Object.entries(outcome.errors).map(([field, message]) => [field, rendered(message)])) : {};
  const userRow = (username: string) =>
    db.selectFrom("app_user").select(["id", "username", "display_name", "unit_id", "roles", "active", "version"]).where("username", "=", username).executeTakeFirstOrThrow();
  const userCount = async () => Number((await db.selectFrom("app_user").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
  const auditCount = async () => Number((await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
  const actorOf = async (username: string): Promise<UserAdminActor> => {
    const row = await userRow(username);
    return { userId: row.id, username: row.username, roles: row.roles as Role[], unitId: row.unit_id, unitSubtree: await unitSubtreeIds(db, row.unit_id) };
  };
  const newUser = (fields: Partial<NewUserInput> = {}): NewUserInput => ({
    username: "minhang.clerk",
    displayName: "闵行区 经办人",
    unitId: String(unitIds.get(MINHANG)),
    roles: ["viewer"],
    passwordMode: "generate",
    password: "",
    confirm: "",
    ...fields,
  });

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    db = fresh.db;
    drop = fresh.drop;
    for (const unit of await db.selectFrom("org_unit").select(["id", "name"]).execute()) unitIds.set(unit.name, unit.id);
    city = await actorOf("admin");
  }, 120_000);

  afterAll(async () => {
    await drop?.();
  });

  it("adds a district administrator with a generated password shown once, audited as the city's administrator", async () => {
    const outcome = await addUserAccount(db, city, newUser({ username: " Minhang.Admin ", displayName: "闵行区 系统管理员", roles: ["admin", "viewer"] }));
    expect(outcome.kind).toBe("done");
    if (outcome.kind !== "done") return;
    expect(outcome.username).toBe("minhang.admin");
    expect(rendered(outcome.message)).toBe("已新增用户 minhang.admin");
    expect(outcome.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const row = await userRow("minhang.admin");
    expect(row).toMatchObject({ display_name: "闵行区 系统管理员", unit_id: unitIds.get(MINHANG), roles: ["admin", "viewer"], active: true });
    expect(await authenticate(db, "minhang.admin", outcome.password!)).toEqual({ userId: row.id });
    const audit = await db.selectFrom("audit_log").select(["username", "action", "after"]).where("table_name", "=", "app_user").where("record_id", "=", String(row.id)).execute();
    expect(audit.map((entry) => `${entry.username} ${entry.action}`)).toEqual(["admin insert"]);
    expect(JSON.stringify(audit[0]!.after)).not.toContain("password_hash");
    district = await actorOf("minhang.admin");
  });

  it("lists only the administrator's subtree and offers only its units", async () => {
    const page = await userAdminPage(db, district);
    expect(page.unitName).toBe(MINHANG);
    const names = page.users.map((user) => user.username);
    expect(names).toEqual(expect.arrayContaining(["minhang.admin", "minhang.manager", "maqiao.planner", "huacao.submitter"]));
    expect(names).not.toContain("admin");
    expect(page.units.map((unit) => unit.label.trim())).not.toContain(BAOSHAN_BUREAU);
    expect(page.users.find((user) => user.username === "minhang.admin")?.isSelf).toBe(true);
    expect((await userAdminPage(db, city)).users.map((user) => user.username)).toContain("admin");
  });

  it("adds a user with a password typed twice; refuses a weak one, a mismatch, a duplicate and bad fields at their fields", async () => {
    const before = { users: await userCount(), audit: await auditCount() };
    const short = await addUserAccount(db, district, newUser({ passwordMode: "set", password: "short", confirm: "short" }));
    expect(short).toMatchObject({ kind: "refused", status: 400 });
    expect(errorsOf(short)).toEqual({ password: "密码至少需要 10 个字符" });
    const withName = await addUserAccount(db, district, newUser({ passwordMode: "set", password: "xx-minhang.clerk-xx", confirm: "xx-minhang.clerk-xx" }));
    expect(errorsOf(withName)).toEqual({ password: "密码不能包含用户名" });
    const differ = await addUserAccount(db, district, newUser({ passwordMode: "set", password: "a long passphrase 1", confirm: "a long passphrase 2" }));
    expect(errorsOf(differ)).toEqual({ confirm: "两次输入的新密码不一致" });
    const duplicate = await addUserAccount(db, district, newUser({ username: "maqiao.planner" }));
    expect(duplicate).toMatchObject({ kind: "refused", status: 409 });
    expect(errorsOf(duplicate)).toEqual({ username: "用户名已存在：maqiao.planner" });
    const bad = await addUserAccount(db, district, newUser({ username: "张三", displayName: " ", roles: ["root"] }));
    expect(errorsOf(bad)).toEqual({
      username: "用户名须为 3–40 个小写字母、数字或 . _ -，以字母或数字开头",
      displayName: "请填写姓名",
      roles: "角色无效",
    });
    expect(errorsOf(await addUserAccount(db, district, newUser({ roles: [], unitId: "" })))).toEqual({ roles: "请至少选择一个角色", unitId: "请选择单位" });
    expect({ users: await userCount(), audit: await auditCount() }).toEqual(before);

    const added = await addUserAccount(db, district, newUser({ passwordMode: "set", password: "a long passphrase 1", confirm: "a long passphrase 1" }));
    expect(added).toMatchObject({ kind: "done", password: null });
    expect(await authenticate(db, "minhang.clerk", "a long passphrase 1")).toHaveProperty("userId");
  });

  it("refuses another subtree's units and users, and a non-administrator, writing nothing", async () => {
    await addUserAccount(db, city, newUser({ username: "baoshan.clerk", unitId: String(unitIds.get(BAOSHAN_BUREAU)) }));
    const baoshan = await userRow("baoshan.clerk");
    const before = { users: await userCount(), audit: await auditCount() };

    const elsewhere = await addUserAccount(db, district, newUser({ username: "minhang.other", unitId: String(unitIds.get(BAOSHAN_BUREAU)) }));
    expect(elsewhere).toMatchObject({ kind: "refused", status: 403 });
    expect(errorsOf(elsewhere)).toEqual({ unitId: "请选择您管理范围内的单位" });
    const ref = { userId: baoshan.id, version: baoshan.version };
    for (const outcome of [
      await updateUserAccount(db, district, { ...ref, displayName: "改名", unitId: String(unitIds.get(MINHANG)), roles: ["viewer"] }),
      await resetUserPassword(db, district, { ...ref, passwordMode: "generate", password: "", confirm: "" }),
      await setUserAccess(db, district, { ...ref, active: false }),
    ]) {
      expect(outcome).toMatchObject({ kind: "refused", status: 403 });
      if (outcome.kind === "refused") expect(rendered(outcome.message)).toBe("该用户不在您管理的单位范围内");
    }
    // A user of the subtree may not be moved out of it either.
    const clerk = await userRow("minhang.clerk");
    const moved = await updateUserAccount(db, district, { userId: clerk.id, version: clerk.version, displayName: "x", unitId: String(unitIds.get(BAOSHAN_BUREAU)), roles: ["viewer"] });
    expect(moved).toMatchObject({ kind: "refused", status: 403 });

    const manager = await actorOf("minhang.manager");
    expect(await addUserAccount(db, manager, newUser({ username: "by.manager" }))).toMatchObject({ kind: "refused", status: 403 });
    expect(await setUserAccess(db, manager, { userId: clerk.id, version: clerk.version, active: false })).toMatchObject({ kind: "refused", status: 403 });
    expect(await setUserAccess(db, district, { userId: 999_999, version: 1, active: false })).toMatchObject({ kind: "refused", status: 404 });
    expect({ users: await userCount(), audit: await auditCount() }).toEqual(before);
    expect(await userRow("baoshan.clerk")).toEqual(baoshan);
  });

  it("changes roles and unit (version-checked, audited); refuses a stale page", async () => {
    const submitter = await userRow("maqiao.submitter");
    const changed = await updateUserAccount(db, district, {
      userId: submitter.id,
      version: submitter.version,
      displayName: "华漕镇 填报人（调入）",
      unitId: String(unitIds.get(HUACAO_CENTER)),
      roles: ["viewer", "submitter", "viewer"],
    });
    expect(changed).toMatchObject({ kind: "done" });
    if (changed.kind === "done") expect(rendered(changed.message)).toBe("已保存 maqiao.submitter 的角色和单位");
    const after = await userRow("maqiao.submitter");
    expect(after).toMatchObject({ display_name: "华漕镇 填报人（调入）", unit_id: unitIds.get(HUACAO_CENTER), roles: ["submitter", "viewer"], version: submitter.version + 1 });
    const audit = await db
      .selectFrom("audit_log")
      .select(["username", "action"])
      .where("table_name", "=", "app_user")
      .where("record_id", "=", String(submitter.id))
      .where("action", "=", "update")
      .execute();
    expect(audit.map((entry) => entry.username)).toEqual(["minhang.admin"]);

    const stale = await updateUserAccount(db, district, { userId: submitter.id, version: submitter.version, displayName: "x", unitId: String(after.unit_id), roles: ["viewer"] });
    expect(stale).toMatchObject({ kind: "refused", status: 409 });
    if (stale.kind === "refused") expect(rendered(stale.message)).toContain("maqiao.submitter 的账户在您打开本页后已有变化");
    expect(await userRow("maqiao.submitter")).toEqual(after);
  });

  it("resets a password, generated or typed twice, ending the user's sessions", async () => {
    const planner = await userRow("maqiao.planner");
    const token = await createSession(db, planner.id);
    expect(await sessionUser(db, token)).toBeDefined();
    const reset = await resetUserPassword(db, district, { userId: planner.id, version: planner.version, passwordMode: "generate", password: "", confirm: "" });
    expect(reset).toMatchObject({ kind: "done" });
    if (reset.kind !== "done") return;
    expect(rendered(reset.message)).toBe("已重置 maqiao.planner 的密码，其所有登录会话已结束");
    expect(reset.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await sessionUser(db, token)).toBeUndefined();
    expect(await authenticate(db, "maqiao.planner", "demo-planner-2024")).toEqual({ reason: "invalid" });
    expect(await authenticate(db, "maqiao.planner", reset.password!)).toEqual({ userId: planner.id });
    // The demo flag goes with the published password.
    expect((await db.selectFrom("app_user").select("password_is_demo").where("id", "=", planner.id).executeTakeFirstOrThrow()).password_is_demo).toBe(false);

    const current = await userRow("maqiao.planner");
    const weak = await resetUserPassword(db, district, { userId: planner.id, version: current.version, passwordMode: "set", password: "123", confirm: "123" });
    expect(weak).toMatchObject({ kind: "refused", status: 400 });
    expect(errorsOf(weak)).toEqual({ password: "密码至少需要 10 个字符" });
    const typed = await resetUserPassword(db, district, { userId: planner.id, version: current.version, passwordMode: "set", password: "planner passphrase 2025", confirm: "planner passphrase 2025" });
    expect(typed).toMatchObject({ kind: "done", password: null });
    expect(await authenticate(db, "maqiao.planner", "planner passphrase 2025")).toEqual({ userId: planner.id });
    const audit = await db.selectFrom("audit_log").select("username").where("table_name", "=", "app_user").where("record_id", "=", String(planner.id)).where("action", "=", "update").execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(new Set(audit.map((entry) => entry.username))).toContain("minhang.admin");
  });

  it("disables a user (their sessions end, sign-in refused) and enables them again", async () => {
    const huacao = await userRow("huacao.submitter");
    const tokens = [await createSession(db, huacao.id), await createSession(db, huacao.id)];
    const disabled = await setUserAccess(db, district, { userId: huacao.id, version: huacao.version, active: false });
    expect(disabled).toMatchObject({ kind: "done" });
    if (disabled.kind === "done") expect(rendered(disabled.message)).toBe("已停用 huacao.submitter，其所有登录会话已结束");
    for (const token of tokens) expect(await sessionUser(db, token)).toBeUndefined();
    const sessions = await db.selectFrom("user_session").select("token_hash").where("user_id", "=", huacao.id).execute();
    expect(sessions).toEqual([]);
    expect(await authenticate(db, "huacao.submitter", "demo-submitter-2024")).toEqual({ reason: "invalid" });

    const off = await userRow("huacao.submitter");
    expect(off.active).toBe(false);
    expect(await setUserAccess(db, district, { userId: huacao.id, version: off.version, active: true })).toMatchObject({ kind: "done" });
    expect(await authenticate(db, "huacao.submitter", "demo-submitter-2024")).toEqual({ userId: huacao.id });
    const audit = await db
      .selectFrom("audit_log")
      .select(["username", sql`after->>'active'`.as("active")])
      .where("table_name", "=", "app_user")
      .where("record_id", "=", String(huacao.id))
      .where("action", "=", "update")
      .orderBy("id")
      .execute();
    expect(audit.map((entry) => `${entry.username} ${String(entry.active)}`)).toEqual(["minhang.admin false", "minhang.admin true"]);
  });

  it("refuses an administrator's changes to their own account: disable, own admin role, own unit, password reset", async () => {
    const self = await userRow("minhang.admin");
    const ref = { userId: self.id, version: self.version };
    const disable = await setUserAccess(db, district, { ...ref, active: false });
    expect(disable).toMatchObject({ kind: "refused", status: 403 });
    if (disable.kind === "refused") expect(rendered(disable.message)).toBe("不能停用自己的账户");
    const demote = await updateUserAccount(db, district, { ...ref, displayName: self.display_name, unitId: String(self.unit_id), roles: ["viewer"] });
    expect(errorsOf(demote)).toEqual({ roles: "不能取消自己的系统管理员角色" });
    const move = await updateUserAccount(db, district, { ...ref, displayName: self.display_name, unitId: String(unitIds.get(HUACAO_CENTER)), roles: ["admin"] });
    expect(errorsOf(move)).toEqual({ unitId: "不能更改自己所属的单位" });
    const reset = await resetUserPassword(db, district, { ...ref, passwordMode: "generate", password: "", confirm: "" });
    expect(reset).toMatchObject({ kind: "refused", status: 403 });
    expect(await userRow("minhang.admin")).toEqual(self);
    // Their own name, and their other roles, they may change.
    expect(await updateUserAccount(db, district, { ...ref, displayName: "闵行区 管理员", unitId: String(self.unit_id), roles: ["admin"] })).toMatchObject({ kind: "done" });
    expect((await userRow("minhang.admin")).roles).toEqual(["admin"]);
  });
});

describe("user management (the page, through the built server)", () => {
  let server: RunningServer;
  let drop: () => Promise<void>;
  let db: DB;
  let admin: string;
  const post = (fields: Record<string, string | string[]>, cookie = admin, language: "zh" | "en" = "zh") => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
    return fetch(`${server.baseUrl}/admin/users`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.baseUrl, Cookie: language === "en" ? `${cookie}; lang=en` : cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
  };

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    db = fresh.db;
    drop = fresh.drop;
    server = await startServer(fresh.url);
    admin = await signIn(server.baseUrl, "admin");
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("links from 系统管理 and shows the controls, keeping the CLI line", async () => {
    const adminPage = await (await fetch(`${server.baseUrl}/admin`, { headers: { Cookie: admin } })).text();
    expect(adminPage).toContain('href="/admin/users"');
    expect(adminPage).toContain("budget user add");
    const response = await fetch(`${server.baseUrl}/admin/users`, { headers: { Cookie: admin } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('data-testid="users-table"');
    expect(html).toContain('data-testid="user-add-form"');
    expect(html).toContain("budget user add");
    for (const intent of ["add-user", "update-user", "reset-password", "set-active"]) expect(html).toContain(`value="${intent}"`);
  });

  it("shows a weak password's refusal at the password field, in the user's language, and writes nothing", async () => {
    const unit = await db.selectFrom("org_unit").select("id").where("name", "=", MINHANG).executeTakeFirstOrThrow();
    const fields = { intent: "add-user", username: "page.clerk", displayName: "页面 经办人", unitId: String(unit.id), roles: "viewer", passwordMode: "set", password: "short", confirm: "short" };
    const zh = await post(fields);
    expect(zh.status).toBe(400);
    expect(zh.headers.get("cache-control")).toContain("no-store");
    expect(await zh.text()).toMatch(/data-field="password"[^>]*>密码至少需要 10 个字符</);
    const en = await post(fields, admin, "en");
    expect(en.status).toBe(400);
    const english = await en.text();
    expect(english).toMatch(/data-field="password"[^>]*>[^<]*10 characters/);
    expect(await db.selectFrom("app_user").select("id").where("username", "=", "page.clerk").executeTakeFirst()).toBeUndefined();
  });

  it("keeps what a refused profile change had typed in that user's row (a post without JavaScript), writing nothing", async () => {
    const user = await db.selectFrom("app_user").select(["id", "version", "display_name"]).where("username", "=", "minhang.viewer").executeTakeFirstOrThrow();
    const refused = await post({ intent: "update-user", userId: String(user.id), version: String(user.version), displayName: "改过的名字-保留", unitId: "", roles: [] });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('data-field="roles"');
    expect(html).toContain('value="改过的名字-保留"');
    const after = await db.selectFrom("app_user").select(["version", "display_name"]).where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ version: user.version, display_name: user.display_name });
  });

  it("adds a user showing the generated password once, and a disabled user's session ends at once", async () => {
    const unit = await db.selectFrom("org_unit").select("id").where("name", "=", MINHANG).executeTakeFirstOrThrow();
    const added = await post({ intent: "add-user", username: "page.viewer", displayName: "页面 查阅", unitId: String(unit.id), roles: ["viewer"], passwordMode: "generate" });
    expect(added.status).toBe(200);
    const html = await added.text();
    const shown = html.match(/data-testid="password-value"[^>]*>([A-Za-z0-9_-]{16})</)?.[1];
    expect(shown).toBeDefined();
    const login = await fetch(`${server.baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "page.viewer", password: shown!, next: "/" }),
    });
    expect(login.status).toBe(302);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    expect((await fetch(`${server.baseUrl}/account`, { headers: { Cookie: cookie }, redirect: "manual" })).status).toBe(200);
    // The page shown afterwards does not hold the password any more.
    expect(await (await fetch(`${server.baseUrl}/admin/users`, { headers: { Cookie: admin } })).text()).not.toContain(shown!);

    const user = await db.selectFrom("app_user").select(["id", "version"]).where("username", "=", "page.viewer").executeTakeFirstOrThrow();
    const disabled = await post({ intent: "set-active", userId: String(user.id), version: String(user.version), active: "no" });
    expect(disabled.status).toBe(200);
    expect((await fetch(`${server.baseUrl}/account`, { headers: { Cookie: cookie }, redirect: "manual" })).status).toBe(302);
    // A manager may not: refused by the guard.
    const manager = await signIn(server.baseUrl, "minhang.manager");
    expect((await post({ intent: "set-active", userId: String(user.id), version: String(user.version + 1), active: "yes" }, manager)).status).toBe(403);
  });
});
