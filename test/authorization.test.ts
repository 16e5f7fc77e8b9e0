import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import routes from "../app/routes.ts";
import { freshDatabase } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { DEMO_USERS } from "../db/seed.ts";
import type { DB } from "../db/pool.ts";

/*
 * The authorisation matrix: every route × every demo role × a record of the user's own unit and one
 * of another unit → the expected HTTP status, against the real production server. A route added to
 * app/routes.ts without an entry here fails the suite, so no route can ship unguarded.
 */

type Username = (typeof DEMO_USERS)[number]["username"] | "anonymous";
type Scope = "own" | "other";
interface Case {
  method: "GET" | "POST";
  /** Send the body as JSON rather than as a form. */
  json?: boolean;
  /** Expected status per user; a number for all users alike. */
  expect: Partial<Record<Username, number>> & { default: number };
  body?: (ids: Ids, scope: Scope) => Record<string, string>;
}
/** The project and first budget line standing for "own" and "other" records of the user at hand. */
interface Ids {
  project: Record<Scope, number>;
  line: Record<Scope, { id: number; version: number }>;
  /** A payment of the project (宝山's has none in the demo: one is added). */
  payment: Record<Scope, string>;
}
type Place = "maqiao" | "huacao" | "baoshan" | "mss";

const ALL_SIGNED_IN = { anonymous: 302 } as const;

/** Route pattern (as in app/routes.ts) → how to call it and what each user gets, for own and other records. */
const MATRIX: Record<string, { url: (ids: Ids, scope: Scope) => string; cases: Case[]; scoped: boolean }> = {
  "/": { url: () => "/?year=2024", scoped: false, cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }] },
  "execution.json": { url: () => "/execution.json?year=2024", scoped: false, cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }] },
  healthz: { url: () => "/healthz", scoped: false, cases: [{ method: "GET", expect: { default: 200 } }] },
  // Any other address: 404 in the layout for a signed-in user; the sign-in page for anyone else.
  "*": { url: () => "/no/such/page", scoped: false, cases: [{ method: "GET", expect: { default: 404, ...ALL_SIGNED_IN } }] },
  login: { url: () => "/login", scoped: false, cases: [{ method: "GET", expect: { default: 302, anonymous: 200 } }] },
  logout: { url: () => "/logout", scoped: false, cases: [{ method: "GET", expect: { default: 302 } }] },
  account: { url: () => "/account", scoped: false, cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }] },
  admin: {
    url: () => "/admin",
    scoped: false,
    cases: [
      { method: "GET", expect: { default: 403, admin: 200, ...ALL_SIGNED_IN } },
      { method: "POST", expect: { default: 403, admin: 200, anonymous: 401 }, body: () => ({ threshold: "75.00" }) },
      // 评分等级 of the self-evaluation: the city's administrator sets the bands (as the threshold).
      { method: "POST", expect: { default: 403, admin: 200, anonymous: 401 }, body: () => ({ intent: "grade-bands", bandExcellent: "90", bandGood: "80", bandPass: "60" }) },
      // 填报截止日 of the to-do list: the city's administrator sets them (as the threshold; the defaults kept here).
      { method: "POST", expect: { default: 403, admin: 200, anonymous: 401 }, body: () => ({ intent: "filing-deadlines", trackingDeadline: "09-15", selfEvaluationDeadline: "03-31" }) },
      // 社会化发放时限: the city's administrator sets the batch rules and the notices' warning (the defaults kept here).
      {
        method: "POST",
        expect: { default: 403, admin: 200, anonymous: 401 },
        body: () => ({ intent: "time-rules", acceptanceDays: "10, 20, 31", reviewWorkingDays: "10", paymentWorkingDays: "5", reportByDay: "10", minBatchesPerMonth: "2", minBatchesDecember: "1", warningDays: "5" }),
      },
    ],
  },
  // 用户管理: administrators only, within their unit subtree (the city's administrator: everyone). An empty add
  // form: 400 at its fields; no such user: 404 once past the role check. Scope, self, versions: test/user-admin.test.ts.
  "admin/users": {
    url: () => "/admin/users",
    scoped: false,
    cases: [
      { method: "GET", expect: { default: 403, admin: 200, ...ALL_SIGNED_IN } },
      { method: "POST", expect: { default: 403, admin: 400, anonymous: 401 }, body: () => ({ intent: "add-user", username: "", displayName: "", unitId: "" }) },
      { method: "POST", expect: { default: 403, admin: 404, anonymous: 401 }, body: () => ({ intent: "update-user", userId: "999999", version: "1", displayName: "x", unitId: "1", roles: "viewer" }) },
      { method: "POST", expect: { default: 403, admin: 404, anonymous: 401 }, body: () => ({ intent: "reset-password", userId: "999999", version: "1", passwordMode: "generate" }) },
      { method: "POST", expect: { default: 403, admin: 404, anonymous: 401 }, body: () => ({ intent: "set-active", userId: "999999", version: "1", active: "no" }) },
    ],
  },
  // 支出标准: everyone reads; administrators and planners of the owning unit or above add versions (an incomplete
  // form: 400, nothing saved). MA-OP-CAP is the city's: a town's planner is refused (403); own codes: test/plan.test.ts.
  standards: {
    url: () => "/standards",
    scoped: false,
    cases: [
      { method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } },
      { method: "POST", expect: { default: 403, admin: 400, anonymous: 401 }, body: () => ({ code: "MA-OP-CAP", value: "" }) },
    ],
  },
  // 测算因素: everyone reads the drivers of their units; planners enter and correct them (an incomplete form: 400,
  // nothing saved); cost shares get new versions from their owning unit's planners and administrators. Other units' drivers, crafted ids and corrections: test/drivers.test.ts.
  drivers: {
    url: () => "/drivers",
    scoped: false,
    cases: [
      { method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } },
      { method: "POST", expect: { default: 403, "maqiao.planner": 400, anonymous: 401 }, body: () => ({ intent: "save", year: "2024", code: "MH-PARTICIPANTS", value: "" }) },
      // A cost share's new version: only administrators and planners of the owning unit (or above); a new code is the user's own.
      { method: "POST", expect: { default: 403, admin: 400, anonymous: 401 }, body: () => ({ intent: "share", code: "MH-SHARE", effectiveFrom: "" }) },
      { method: "POST", expect: { default: 403, admin: 400, "maqiao.planner": 400, anonymous: 401 }, body: () => ({ intent: "share", code: "MQ-NEW-SHARE", effectiveFrom: "" }) },
    ],
  },
  // 下年预算编制: everyone reads the plan of their unit; only planners override (no reason given: 400) and adopt.
  // Other units' plans and lines: test/plan.test.ts.
  "plan/:year": {
    url: () => "/plan/2025",
    scoped: false,
    cases: [
      { method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } },
      {
        method: "POST",
        expect: { default: 403, "maqiao.planner": 400, anonymous: 401 },
        body: (ids) => ({ intent: "override", lineId: String(ids.line.own.id), quantity: "130", unitPrice: "200", reason: "" }),
      },
    ],
  },
  // 工作日历: everyone reads; only the city's administrator changes it (a holiday entered on a Saturday: 400 at the
  // field, nothing saved). Every change and its audit: test/calendar.test.ts, test/calendar-page.test.ts.
  calendar: {
    url: () => "/calendar?year=2024",
    scoped: false,
    cases: [
      { method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } },
      { method: "POST", expect: { default: 403, admin: 400, anonymous: 401 }, body: () => ({ intent: "add-day", day: "2024-02-10", kind: "holiday", name: "春节", source: "test" }) },
    ],
  },
  // 待办事项: everyone opens their own list (what each role gets: test/todo.test.ts).
  todo: { url: () => "/todo", scoped: false, cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }] },
  // 结算通知书: everyone reads their units' notices; planners of the project's unit enter, correct and delete them (an
  // empty form: 400 at its fields, nothing saved; no such notice: 404 once past the role check; another unit's project:
  // 403). Stale versions, bad dates and the demo's notices: test/notices.test.ts.
  notices: {
    url: () => "/notices?year=2024",
    scoped: false,
    cases: [
      { method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } },
      { method: "POST", expect: { default: 403, "maqiao.planner": 400, anonymous: 401 }, body: () => ({ intent: "create", projectId: "", title: "" }) },
      { method: "POST", expect: { default: 403, "maqiao.planner": 404, anonymous: 401 }, body: () => ({ intent: "delete", noticeId: "999999", version: "1" }) },
      {
        method: "POST",
        expect: { default: 403, anonymous: 401 },
        body: (ids) => ({ intent: "create", projectId: String(ids.project.other), title: "结算通知书", issuer: "宝山区", amount: "100", dueOn: "2024-12-31" }),
      },
    ],
  },
  "projects/:projectId/export.xlsx": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/export.xlsx`,
    scoped: true,
    cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }],
  },
  import: {
    url: () => "/import",
    scoped: false,
    cases: [
      { method: "GET", expect: { default: 403, "maqiao.planner": 200, "minhang.manager": 200, ...ALL_SIGNED_IN } },
      // No file attached: the planner learns that (400); roles that may not import payments are refused first.
      { method: "POST", expect: { default: 403, "maqiao.planner": 400, anonymous: 401 }, body: () => ({ kind: "payments" }) },
    ],
  },
  "import/template/:file": {
    url: () => "/import/template/payments.csv",
    scoped: false,
    cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }],
  },
  export: {
    url: () => "/export",
    scoped: false,
    cases: [
      {
        method: "POST",
        json: true,
        expect: { default: 200, anonymous: 401 },
        body: () => ({ grid: "execution", year: "2024", asOf: "2024-08-31", amount: "yuan" }),
      },
    ],
  },
  "projects/:projectId": {
    url: (ids, scope) => `/projects/${ids.project[scope]}`,
    scoped: true,
    cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }],
  },
  "projects/:projectId/targets": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/targets`,
    scoped: true,
    cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }],
  },
  "projects/:projectId/targets/edit": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/targets/edit`,
    scoped: true,
    cases: [
      { method: "GET", expect: { default: 403, "maqiao.planner": 200, ...ALL_SIGNED_IN } },
      // A stale stamp: the planner reaches the save and is told the declaration changed meanwhile (409).
      { method: "POST", expect: { default: 403, "maqiao.planner": 409, anonymous: 401 }, body: () => ({ stamp: "stale", planStart: "2024-01-01" }) },
    ],
  },
  // 备案日期 of a month's batches: planners of the project's unit (a month outside the year: 400 once allowed).
  "projects/:projectId/batch-report": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/batch-report`,
    scoped: true,
    cases: [{ method: "POST", expect: { default: 403, "maqiao.planner": 400, anonymous: 401 }, body: () => ({ month: "1999-01", reportedOn: "", previous: "" }) }],
  },
  // 运行监控表: everyone reads their units' forms; submitters save (a new draft: 302), managers review
  // (no such form id here: 404 once past the guard); nobody else writes.
  "projects/:projectId/tracking": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/tracking`,
    scoped: true,
    cases: [
      { method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } },
      { method: "POST", expect: { default: 403, "maqiao.submitter": 302, "huacao.submitter": 302, "minhang.mss.submitter": 302, anonymous: 401 }, body: () => ({ intent: "save" }) },
      { method: "POST", expect: { default: 403, "minhang.manager": 404, anonymous: 401 }, body: () => ({ intent: "accept", formId: "999999" }) },
    ],
  },
  "projects/:projectId/tracking/print": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/tracking/print`,
    scoped: true,
    cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }],
  },
  "projects/:projectId/tracking/export.xlsx": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/tracking/export.xlsx`,
    scoped: true,
    cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }],
  },
  tracking: { url: () => "/tracking?status=submitted", scoped: false, cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }] },
  // The list as filtered, as an Excel file: everyone, of their own units.
  "tracking/export.xlsx": { url: () => "/tracking/export.xlsx?status=unfiled", scoped: false, cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }] },
  // 整改台账: everyone reads their units' items; submitters and managers close an item, managers reopen one (no such
  // item here: 404 once past the role check); other roles 403. Other units' items, evidence and dates: test/rectification.test.ts.
  rectification: {
    url: () => "/rectification?status=overdue",
    scoped: false,
    cases: [
      { method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } },
      {
        method: "POST",
        expect: { default: 403, "maqiao.submitter": 404, "huacao.submitter": 404, "minhang.mss.submitter": 404, "minhang.manager": 404, anonymous: 401 },
        body: () => ({ intent: "close", itemId: "999999", version: "1", evidence: "已整改", evidenceOn: "2024-12-31" }),
      },
      { method: "POST", expect: { default: 403, "minhang.manager": 404, anonymous: 401 }, body: () => ({ intent: "reopen", itemId: "999999", version: "1" }) },
      { method: "POST", expect: { default: 403, "minhang.manager": 404, anonymous: 401 }, body: () => ({ intent: "withdraw", itemId: "999999", version: "1" }) },
      { method: "POST", expect: { default: 403, "minhang.manager": 404, anonymous: 401 }, body: () => ({ intent: "correct", itemId: "999999", version: "1", indicator: "审计发现", measure: "限期整改", origin: "审计报告" }) },
      // Recording an item by hand: managers only; a project that does not exist is refused at its field (400).
      {
        method: "POST",
        expect: { default: 403, "minhang.manager": 400, anonymous: 401 },
        body: () => ({ intent: "add", projectId: "999999", indicator: "审计发现", measure: "限期整改", origin: "审计报告", dueOn: "2099-12-31" }),
      },
    ],
  },
  // 绩效自评表: everyone reads their units' sheets; the unit's submitters save (a new draft: 302), managers review (no
  // such sheet here: 404 once past the guard); nobody else writes. Other units' sheets answer 404.
  "projects/:projectId/self-evaluation": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/self-evaluation`,
    scoped: true,
    cases: [
      { method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } },
      { method: "POST", expect: { default: 403, "maqiao.submitter": 302, "huacao.submitter": 302, "minhang.mss.submitter": 302, anonymous: 401 }, body: () => ({ intent: "save" }) },
      { method: "POST", expect: { default: 403, "minhang.manager": 404, anonymous: 401 }, body: () => ({ intent: "accept", evaluationId: "999999" }) },
    ],
  },
  "projects/:projectId/self-evaluation/print": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/self-evaluation/print`,
    scoped: true,
    cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }],
  },
  // 绩效自评表 as .xlsx: everyone reads their units' sheets (an unsaved one exports as pre-filled); other units' answer 404.
  "projects/:projectId/self-evaluation/export.xlsx": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/self-evaluation/export.xlsx`,
    scoped: true,
    cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }],
  },
  // 绩效自评一览: everyone lists their own units' sheets (the unit filter keeps to them).
  "self-evaluations": {
    url: () => "/self-evaluations?status=unfiled&sort=total&dir=desc",
    scoped: false,
    cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }],
  },
  "projects/:projectId/history": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/history`,
    scoped: true,
    cases: [{ method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } }],
  },
  // 更正/冲销: planners of the payment's unit (an empty reason: 400, nothing saved); other units' payments are not found.
  "projects/:projectId/payments/:paymentId/correct": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/payments/${ids.payment[scope]}/correct`,
    scoped: true,
    cases: [
      { method: "GET", expect: { default: 403, "maqiao.planner": 200, ...ALL_SIGNED_IN } },
      { method: "POST", expect: { default: 403, "maqiao.planner": 400, anonymous: 401 }, body: () => ({ intent: "reverse", version: "1", reversedOn: "", reason: "" }) },
    ],
  },
  // 导入记录: everyone lists the batches of their units; importers, managers and administrators undo (no such
  // batch here: 404 once past the role check). Own and other units' batches: test/corrections.test.ts, test/e2e/corrections.test.ts.
  imports: {
    url: () => "/imports",
    scoped: false,
    cases: [
      { method: "GET", expect: { default: 200, ...ALL_SIGNED_IN } },
      { method: "POST", expect: { default: 403, admin: 404, "minhang.manager": 404, "maqiao.planner": 404, anonymous: 401 }, body: () => ({ batchId: "999999", reason: "" }) },
    ],
  },
  "projects/:projectId/lines/:lineId/edit": {
    url: (ids, scope) => `/projects/${ids.project[scope]}/lines/${ids.line[scope].id}/edit`,
    scoped: true,
    cases: [
      { method: "GET", expect: { default: 403, "maqiao.planner": 200, ...ALL_SIGNED_IN } },
      {
        method: "POST",
        expect: { default: 403, "maqiao.planner": 302, anonymous: 401 },
        body: (ids, scope) => ({
          version: String(ids.line[scope].version),
          composition: "医疗救助",
          item: "区级政策医疗救助",
          fundLevel: "镇级",
          fundType: "当年财政拨款",
          unitPrice: "200",
          quantity: "130",
          initialAmount: "26000",
          basis: "沪医保规〔2022〕12号",
          scheduledMonths: "1-12",
        }),
      },
    ],
  },
};

/** What another unit's record answers: reads are 404 (its existence is not revealed), writes 403. */
function expectedForOther(scopedCase: Case, user: Username, ownStatus: number): number {
  if (user === "anonymous") return ownStatus;
  if (user === "admin") return ownStatus; // the admin's unit is the city: every record is its own
  // Writes to another unit's record are refused before anything else is looked at.
  return scopedCase.method === "GET" ? (ownStatus === 200 || ownStatus === 403 ? 404 : ownStatus) : ownStatus === 401 ? 401 : 403;
}

/** A user's own project: their town's; district and city users take 马桥's. Another unit's: 宝山's, outside 闵行区. */
function places(user: Username): Record<Scope, Place> {
  return { own: user === "huacao.submitter" ? "huacao" : user === "minhang.mss.submitter" ? "mss" : "maqiao", other: "baoshan" };
}

function routePatterns(config: unknown): string[] {
  const entries = config as Array<{ path?: string; index?: boolean; children?: unknown[] }>;
  return entries.flatMap((entry) => [entry.index ? "/" : (entry.path ?? ""), ...(entry.children ? routePatterns(entry.children) : [])]);
}

describe("authorisation matrix", () => {
  let server: RunningServer;
  let db: DB;
  let dropDb: () => Promise<void>;
  const cookies = new Map<Username, string>();
  const projects = {} as Record<Place, number>;
  const lines = {} as Record<Place, { id: number; version: number }>;
  const payments = {} as Record<Place, string>;
  const idsFor = (user: Username): Ids => {
    const { own, other } = places(user);
    return {
      project: { own: projects[own], other: projects[other] },
      line: { own: lines[own], other: lines[other] },
      payment: { own: payments[own], other: payments[other] },
    };
  };

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    db = fresh.db;
    dropDb = fresh.drop;
    server = await startServer(fresh.url);
    for (const user of DEMO_USERS) {
      const response = await fetch(`${server.baseUrl}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: user.username, password: user.password, next: "/" }),
      });
      expect(response.status, `login ${user.username}`).toBe(302);
      cookies.set(user.username as Username, response.headers.get("set-cookie")!.split(";")[0]!);
    }
    const units: Record<Place, string> = {
      maqiao: "上海市闵行区马桥镇社区事务受理服务中心",
      huacao: "上海市闵行区华漕镇社区事务受理中心",
      baoshan: "上海市宝山区医疗保障局",
      mss: "上海市闵行区医疗保障局",
    };
    for (const [place, unit] of Object.entries(units) as Array<[Place, string]>) {
      const project = await db
        .selectFrom("project as p")
        .innerJoin("org_unit as u", "u.id", "p.unit_id")
        .select("p.id")
        .where("u.name", "=", unit)
        .orderBy("p.fiscal_year", "desc")
        .orderBy("p.id")
        .executeTakeFirstOrThrow();
      projects[place] = project.id;
      // 马桥's 区级政策医疗救助 (200 × 130 = 26,000) is the line the planner's POST saves unchanged.
      let line = db.selectFrom("budget_line").select(["id", "version"]).where("project_id", "=", project.id);
      if (place === "maqiao") line = line.where("item", "=", "区级政策医疗救助");
      lines[place] = await line.orderBy("line_no").executeTakeFirstOrThrow();
      const payment =
        (await db.selectFrom("payment").select("id").where("project_id", "=", project.id).orderBy("id").executeTakeFirst()) ??
        (await db.insertInto("payment").values({ project_id: project.id, paid_on: "2023-06-30", kind: "batch", person_times: 1, amount: "100.00" }).returning("id").executeTakeFirstOrThrow());
      payments[place] = payment.id;
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await dropDb?.();
  });

  it("covers every route of app/routes.ts", () => {
    const patterns = routePatterns(routes);
    expect(patterns.length).toBeGreaterThan(5);
    for (const pattern of patterns) expect(MATRIX, `route ${pattern} has no authorisation cases`).toHaveProperty([pattern]);
  });

  it("links to the import page only for those it opens for (/imports and the menu)", async () => {
    for (const user of DEMO_USERS) {
      const Cookie = cookies.get(user.username as Username)!;
      const list = await fetch(`${server.baseUrl}/imports`, { headers: { Cookie } });
      const linked = (await list.text()).includes('href="/import"');
      const opens = (await fetch(`${server.baseUrl}/import`, { headers: { Cookie }, redirect: "manual" })).status === 200;
      expect(linked, user.username).toBe(opens);
    }
  });

  it("answers every route × role × own/other unit as expected", async () => {
    const users: Username[] = ["anonymous", ...DEMO_USERS.map((user) => user.username as Username)];
    const failures: string[] = [];
    for (const [pattern, route] of Object.entries(MATRIX)) {
      for (const routeCase of route.cases) {
        for (const user of users) {
          for (const scope of route.scoped ? (["own", "other"] as const) : (["own"] as const)) {
            // A user's own record: the town's for town users, within the district for district users.
            const ownStatus = routeCase.expect[user] ?? routeCase.expect.default;
            const expected = scope === "own" ? ownStatus : expectedForOther(routeCase, user, ownStatus);
            const ids = idsFor(user);
            if (routeCase.method === "POST" && route.scoped) {
              const current = await db.selectFrom("budget_line").select("version").where("id", "=", ids.line[scope].id).executeTakeFirstOrThrow();
              ids.line[scope].version = current.version;
            }
            const headers: Record<string, string> = { Origin: server.baseUrl };
            const cookie = cookies.get(user);
            if (cookie) headers.Cookie = cookie;
            const fields = routeCase.body?.(ids, scope);
            let body: string | URLSearchParams | undefined;
            if (fields && routeCase.json) {
              body = JSON.stringify({ ...fields, year: Number(fields.year), ids: [], columns: ["unit", "project", "executionRate"] });
              headers["Content-Type"] = "application/json";
            } else if (fields) {
              body = new URLSearchParams(fields);
              headers["Content-Type"] = "application/x-www-form-urlencoded";
            }
            const response = await fetch(`${server.baseUrl}${route.url(ids, scope)}`, { method: routeCase.method, headers, body, redirect: "manual" });
            if (response.status !== expected) failures.push(`${routeCase.method} ${pattern} as ${user} (${scope}): ${response.status}, expected ${expected}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
