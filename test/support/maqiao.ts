import { inject } from "vitest";
import { createDb, type DB } from "../../db/pool.ts";
import { unitSubtreeIds } from "../../db/units.ts";
import type { SessionUser } from "../../db/users.ts";
import { projectIdOf } from "./database.ts";

/** 马桥's receiving centre, the demo unit the route tests act in. */
export const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";

/** What route tests need of the demo: its database, 马桥's planner as a session user, and a project, line and payment of 马桥's 2024 医疗救助. */
export interface MaqiaoDemo {
  demo: DB;
  planner: SessionUser;
  projectId: number;
  lineId: number;
  paymentId: string;
}

/**
 * Opens the shared demo database for route loaders (they read app/db.server.ts's DATABASE_URL, set here; they
 * only read) and looks up 马桥's records: const { demo, planner } = await maqiaoDemo(); … await demo.destroy().
 */
export async function maqiaoDemo(): Promise<MaqiaoDemo> {
  process.env.DATABASE_URL = inject("demoDatabaseUrl");
  const demo = createDb(inject("demoDatabaseUrl"));
  const projectId = await projectIdOf(demo, MAQIAO, 2024, "医疗救助");
  const unit = await demo.selectFrom("org_unit").select("id").where("name", "=", MAQIAO).executeTakeFirstOrThrow();
  const planner: SessionUser = {
    id: 1,
    username: "maqiao.planner",
    displayName: "马桥镇 预算编制",
    unitId: unit.id,
    unitName: MAQIAO,
    roles: ["planner"],
    unitSubtree: await unitSubtreeIds(demo, unit.id),
    passwordIsDemo: false,
  };
  const lineId = (await demo.selectFrom("budget_line").select("id").where("project_id", "=", projectId).orderBy("line_no").executeTakeFirstOrThrow()).id;
  const paymentId = (await demo.selectFrom("payment").select("id").where("project_id", "=", projectId).orderBy("id").executeTakeFirstOrThrow()).id;
  return { demo, planner, projectId, lineId, paymentId };
}
