import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createHash } from "node:crypto";
import { freshDatabase } from "./support/database.ts";
import { importFile, type Importer } from "../features/import/service.ts";
import { templateHeaders } from "../features/import/rules/columns.ts";
import { unitSubtreeIds } from "../db/units.ts";
import { render, type Message } from "../messages/index.ts";
import type { DB } from "../db/pool.ts";

/*
 * Issue 17 §4: the import page must not tell another unit's planner who imported the same bytes and when
 * (the permission check comes before the duplicate check), nor whether a unit they may not see exists
 * ("unknown unit" and "you may not import into this unit" are one answer to them).
 */

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const HUACAO = "上海市闵行区华漕镇社区事务受理中心";

describe("what the import tells about other units", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let maqiao: Importer;
  let huacao: Importer;

  const importerOf = async (username: string): Promise<Importer> => {
    const user = await db.selectFrom("app_user").select(["id", "unit_id"]).where("username", "=", username).executeTakeFirstOrThrow();
    return { userId: user.id, username, unitSubtree: await unitSubtreeIds(db, user.unit_id), defaultParentUnitId: user.unit_id };
  };

  const csv = (rows: string[][]) => new TextEncoder().encode(`${[templateHeaders("payments"), ...rows].map((row) => row.join(",")).join("\r\n")}\r\n`);
  const payment = (unit: string, paidOn: string, amount: string, note: string) => ["2024", unit, "医疗救助", "", paidOn, "社会化发放", "3", amount, "", "0", "0.00", "", note, "", "", ""];
  const run = (importer: Importer, bytes: Uint8Array, commit: boolean) =>
    importFile(db, importer, {
      kind: "payments",
      file: { bytes, fileName: "payments.csv" },
      fileName: "payments.csv",
      fileHash: createHash("sha256").update(bytes).digest("hex"),
      commit,
    });
  const texts = (messages: Message[]) => messages.map((message) => render("zh", message));

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
    maqiao = await importerOf("maqiao.planner");
    huacao = { ...(await importerOf("maqiao.planner")), username: "huacao.someone", userId: -1, unitSubtree: await unitSubtreeIds(db, (await db.selectFrom("org_unit").select("id").where("name", "=", HUACAO).executeTakeFirstOrThrow()).id) };
  });
  afterAll(async () => drop());

  it("tells another unit's planner only that the rows are not theirs, not who imported the same file and when", async () => {
    const bytes = csv([payment(MAQIAO, "2024-12-20", "1234.56", "测试重复导入甲"), payment(MAQIAO, "2024-12-21", "789.00", "测试重复导入乙")]);
    const first = await run(maqiao, bytes, true);
    expect(first.outcome === "report" && first.report.committed).toBe(true);
    // The importer's own unit is told, as before.
    const again = await run(maqiao, bytes, false);
    expect(again.outcome === "report" && again.report.alreadyImported).toBe(true);

    for (const commit of [false, true]) {
      const other = await run(huacao, bytes, commit);
      expect(other.outcome).toBe("report");
      if (other.outcome !== "report") continue;
      const said = JSON.stringify([texts(other.report.warnings.map((w) => w.message)), texts(other.report.errors.map((e) => e.message)), other.report.rows]);
      expect(other.report.alreadyImported, said).toBe(false);
      expect(other.report.committed).toBe(false);
      expect(said).not.toContain("maqiao.planner");
      expect(said).not.toMatch(/已于|导入，本次不作任何改动/);
      expect(other.report.errors.map((error) => error.message.code)).toEqual(["secUnitOutOfReach", "secUnitOutOfReach"]);
    }
  });

  it("answers an existing unit out of reach and a unit that does not exist alike", async () => {
    const bytes = csv([payment(MAQIAO, "2024-12-22", "10.00", "甲"), payment("上海市闵行区并不存在的中心", "2024-12-22", "10.00", "乙")]);
    const outcome = await run(huacao, bytes, false);
    expect(outcome.outcome).toBe("report");
    if (outcome.outcome !== "report") return;
    const [existing, missing] = outcome.report.errors;
    expect(existing!.message.code).toBe(missing!.message.code);
    expect(existing!.column).toBe(missing!.column);
    const shape = (message: Message) => render("zh", message).replace(/“[^”]*”/, "“…”");
    expect(shape(existing!.message)).toBe(shape(missing!.message));
    expect(render("zh", existing!.message)).toBe(`预算单位“${MAQIAO}”不存在或无权导入到该单位`);
    expect(texts(outcome.report.rows.flatMap((row) => row.notes.map((note) => note.message))).every((text) => !/未知的预算单位|无权导入到该单位：/.test(text))).toBe(true);
  });

  it("says nothing of another unit's items: an item under two compositions there is out of reach, not ambiguous", async () => {
    // 马桥's project gets a second line of the same item under another composition: ambiguous to its own planner.
    const project = await db.selectFrom("project as p").innerJoin("org_unit as u", "u.id", "p.unit_id").select("p.id").where("u.name", "=", MAQIAO).where("p.fiscal_year", "=", 2024).where("p.name", "=", "医疗救助").executeTakeFirstOrThrow();
    const line = await db.selectFrom("budget_line").selectAll().where("project_id", "=", project.id).orderBy("id").executeTakeFirstOrThrow();
    const { id: _id, version: _version, ...copy } = line as typeof line & { version?: number };
    await db.insertInto("budget_line").values({ ...copy, composition: `${line.composition}（另列）`, line_no: 999 } as never).execute();
    const row = ["2024", MAQIAO, "医疗救助", line.item, "2024-12-23", "社会化发放", "1", "10.00", "", "0", "0.00", "", "歧义", "", "", ""];
    const own = await run(maqiao, csv([row]), false);
    expect(own.outcome === "report" && own.report.errors.map((error) => error.message.code)).toEqual(["impAmbiguousItem"]);
    const other = await run(huacao, csv([row]), false);
    expect(other.outcome === "report" && other.report.errors.map((error) => error.message.code)).toEqual(["secUnitOutOfReach"]);
  });
});
