import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "../db/pool.ts";
import type { SessionUser } from "../db/users.ts";
import { maqiaoDemo } from "./support/maqiao.ts";

/*
 * The edges of the routes that load a project (issue 13): ids from the URL are parsed before anything
 * reaches PostgreSQL, so a malformed or too long id (11 digits overflow an integer column) answers 404
 * in the user's language, never 500; a record of another project answers 404 too.
 */

type Loader = (args: { request: Request; params: Record<string, string>; context: { get: () => SessionUser | null } }) => Promise<unknown>;

let demo: DB;
let planner: SessionUser;
let projectId: number;
let lineId: number;
let paymentId: string;
const loaders: Record<string, Loader> = {};

beforeAll(async () => {
  // The routes' database (app/db.server.ts) is the shared demo database; the loaders only read.
  ({ demo, planner, projectId, lineId, paymentId } = await maqiaoDemo());
  for (const name of ["targets", "targets-edit", "line-edit", "payment-correct", "project-history"]) {
    loaders[name] = ((await import(`../app/routes/${name}.tsx`)) as { loader: Loader }).loader;
  }
});

afterAll(async () => {
  await demo?.destroy();
});

/** What a loader throws (a response's status and body) or returns. */
async function call(route: string, params: Record<string, string>, language: "zh" | "en" = "en") {
  const request = new Request(`http://localhost/x?lang=${language}`);
  try {
    await loaders[route]!({ request, params, context: { get: () => planner } });
    return { status: 200, body: null as unknown };
  } catch (thrown) {
    const response = thrown as { init?: { status?: number }; data?: unknown };
    return { status: response.init?.status ?? 500, body: response.data };
  }
}

describe("ids in the URL", () => {
  it("answer 404 in the user's language for an 11-digit project id, on every route that loads a project", async () => {
    const tooLong = "12345678901";
    const base: Record<string, Record<string, string>> = {
      targets: {},
      "targets-edit": {},
      "line-edit": { lineId: "1" },
      "payment-correct": { paymentId: "1" },
      "project-history": {},
    };
    for (const [route, params] of Object.entries(base)) {
      expect(await call(route, { projectId: tooLong, ...params }), route).toEqual({ status: 404, body: "Project not found" });
      expect(await call(route, { projectId: "1e3", ...params }, "zh"), route).toEqual({ status: 404, body: "未找到该项目" });
    }
  });

  it("answer 404 for a line or payment id that is malformed, too long, unknown or of another project", async () => {
    expect(await call("line-edit", { projectId: String(projectId), lineId: "99999999999" })).toEqual({ status: 404, body: "Budget line not found" });
    expect(await call("line-edit", { projectId: String(projectId), lineId: "999999999" }, "zh")).toEqual({ status: 404, body: "未找到该预算明细" });
    expect(await call("payment-correct", { projectId: String(projectId), paymentId: "1234567890123456789012" })).toEqual({ status: 404, body: "Payment not found" });
    expect(await call("payment-correct", { projectId: String(projectId), paymentId: "0" })).toMatchObject({ status: 404 });
    // A line of the user's own project under another project of the same unit.
    const other = await demo.selectFrom("project").select("id").where("unit_id", "=", planner.unitId).where("id", "<>", projectId).executeTakeFirstOrThrow();
    expect(await call("line-edit", { projectId: String(other.id), lineId: String(lineId) })).toEqual({ status: 404, body: "Budget line not found" });
    expect(await call("payment-correct", { projectId: String(other.id), paymentId })).toEqual({ status: 404, body: "Payment not found" });
  });

  it("load the records of the user's own project", async () => {
    const routes: Record<string, Record<string, string>> = {
      targets: {},
      "targets-edit": {},
      "line-edit": { lineId: String(lineId) },
      "payment-correct": { paymentId },
      "project-history": {},
    };
    for (const [route, params] of Object.entries(routes)) {
      expect(await call(route, { projectId: String(projectId), ...params }), route).toEqual({ status: 200, body: null });
    }
  });
});
