import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { sql } from "kysely";
import { freshDatabase } from "./support/database.ts";
import type { DB } from "../db/pool.ts";
import { changesSince, projectHistory, withActor } from "../db/audit.ts";
import { getBudgetLine, saveBudgetLine, updateBudgetLine } from "../db/budget-lines.ts";
import { authenticate, createUser, MAX_FAILED_LOGINS } from "../db/users.ts";

/** The audit trail is written by the database itself, in the same transaction, and cannot be rewritten. */
describe("audit trail", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let projectId: number;
  let lineId: number;

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
    const line = await db
      .selectFrom("budget_line as l")
      .innerJoin("project as p", "p.id", "l.project_id")
      .innerJoin("org_unit as u", "u.id", "p.unit_id")
      .select(["l.id", "l.project_id"])
      .where("u.name", "=", "上海市闵行区马桥镇社区事务受理服务中心")
      .where("p.fiscal_year", "=", 2024)
      .where("l.item", "=", "市级政策门急诊救助")
      .executeTakeFirstOrThrow();
    lineId = line.id;
    projectId = line.project_id;
  });
  afterAll(async () => drop());

  it("records the demo data as inserted by the system", async () => {
    const history = await projectHistory(db, projectId);
    // The project and its 11 lines written by the seed; its 11 adjustments and 33 payments imported (one entry for the payments' batch).
    const count = (table: string) => history.filter((entry) => entry.tableName === table).length;
    expect([count("project"), count("budget_line"), count("budget_adjustment"), count("import_batch"), count("payment")]).toEqual([1, 11, 11, 1, 0]);
    expect(history.find((entry) => entry.tableName === "import_batch")!.after).toMatchObject({ file_name: "演示数据 支付明细", rows: 33 });
    expect(new Set(history.map((entry) => entry.username))).toEqual(new Set(["system"]));
    expect(history.every((entry) => entry.action === "insert")).toBe(true);
  });

  it("records who changed what, with the values before and after, and bumps the version", async () => {
    const line = (await getBudgetLine(db, lineId))!;
    const result = await withActor(db, { userId: null, username: "maqiao.planner" }, (trx) =>
      updateBudgetLine(trx, lineId, line.version, { ...line, initialAmount: "270000.00", basis: "沪医保规〔2022〕12号 <b>修订</b>" }),
    );
    expect(result).toEqual({ version: line.version + 1 });
    const [entry] = await changesSince(db, "budget_line", lineId, line.version);
    expect(entry).toMatchObject({ username: "maqiao.planner", action: "update", tableName: "budget_line" });
    // Amounts come back exact, as strings with their cents, not as floats.
    expect(entry!.before).toMatchObject({ basis: "沪医保规〔2022〕12号", version: line.version, initial_amount: "270000.00", unit_price: "180.00" });
    expect(entry!.after).toMatchObject({ basis: "沪医保规〔2022〕12号 <b>修订</b>", version: line.version + 1 });
  });

  it("writes nothing for a save that changes nothing (amounts equal by value), and records the next real change", async () => {
    const line = (await getBudgetLine(db, lineId))!;
    const count = async () => Number((await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
    const before = await count();
    const actor = { userId: null, username: "maqiao.planner" };
    const same = { ...line, initialAmount: String(Number(line.initialAmount)), unitPrice: line.unitPrice === null ? null : `${line.unitPrice}0` };
    expect(await saveBudgetLine(db, actor, lineId, line.version, same)).toEqual({ kind: "saved", version: line.version });
    expect(await count()).toBe(before);
    // A stale version is still a conflict, changed or not.
    expect((await saveBudgetLine(db, actor, lineId, line.version - 1, same)).kind).toBe("conflict");
    const changed = await saveBudgetLine(db, actor, lineId, line.version, { ...line, scheduledMonths: [1, 2, 3] });
    expect(changed).toEqual({ kind: "saved", version: line.version + 1 });
    expect(await count()).toBe(before + 1);
    await saveBudgetLine(db, actor, lineId, line.version + 1, line);
  });

  it("refuses a stale version and writes nothing", async () => {
    const line = (await getBudgetLine(db, lineId))!;
    const before = await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    const result = await withActor(db, { userId: null, username: "late.editor" }, (trx) =>
      updateBudgetLine(trx, lineId, line.version - 1, { ...line, item: "不应保存" }),
    );
    expect(result).toBe("conflict");
    expect((await getBudgetLine(db, lineId))!.item).toBe("市级政策门急诊救助");
    const after = await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("records deletes, and rolls the trail back with a failed transaction", async () => {
    const payment = await db.selectFrom("payment").select(["id"]).where("project_id", "=", projectId).orderBy("id").executeTakeFirstOrThrow();
    await expect(
      withActor(db, { userId: null, username: "someone" }, async (trx) => {
        await trx.deleteFrom("payment").where("id", "=", payment.id).execute();
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await db.selectFrom("audit_log").select("id").where("username", "=", "someone").execute()).toHaveLength(0);

    await withActor(db, { userId: null, username: "someone" }, (trx) => trx.deleteFrom("payment").where("id", "=", payment.id).execute());
    const deleted = await db.selectFrom("audit_log").selectAll().where("username", "=", "someone").execute();
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ action: "delete", table_name: "payment", record_id: payment.id, project_id: projectId, after: null });
  });

  it("is append-only in the database: update, delete and truncate are refused", async () => {
    await expect(sql`UPDATE audit_log SET username = 'nobody'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });

  it("records units too, and refuses TRUNCATE of the ledger tables", async () => {
    await withActor(db, { userId: null, username: "cli" }, (trx) => trx.insertInto("org_unit").values({ name: "审计测试单位", level: "unit", parent_id: null }).execute());
    const entry = await db.selectFrom("audit_log").select(["action", "username"]).where("table_name", "=", "org_unit").where("username", "=", "cli").executeTakeFirstOrThrow();
    expect(entry).toEqual({ action: "insert", username: "cli" });
    for (const table of ["payment", "budget_line", "project", "org_unit"]) {
      await expect(sql`TRUNCATE ${sql.table(table)} CASCADE`.execute(db), table).rejects.toThrow(/TRUNCATE .* is not allowed/);
    }
  });

  it("never stores password hashes in the trail", async () => {
    await withActor(db, { userId: null, username: "cli" }, (trx) =>
      createUser(trx, { username: "audit.check", displayName: "审计检查", unitId: 1, roles: ["viewer"], password: "a long enough secret" }),
    );
    const entries = await db.selectFrom("audit_log").select(["after"]).where("table_name", "=", "app_user").execute();
    expect(entries.length).toBeGreaterThan(0);
    expect(JSON.stringify(entries)).not.toContain("scrypt$");
  });

  it("locks an account after repeated failures and refuses even the right password while locked", async () => {
    for (let attempt = 1; attempt < MAX_FAILED_LOGINS; attempt += 1) {
      expect(await authenticate(db, "audit.check", `wrong ${attempt}`)).toEqual({ reason: "invalid" });
    }
    expect(await authenticate(db, "audit.check", "wrong again")).toMatchObject({ reason: "locked" });
    expect(await authenticate(db, "audit.check", "a long enough secret")).toMatchObject({ reason: "locked" });
    const later = new Date(Date.now() + 16 * 60_000);
    expect(await authenticate(db, "audit.check", "a long enough secret", later)).toHaveProperty("userId");
  });
});
