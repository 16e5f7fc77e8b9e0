import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "kysely";
import { freshDatabase } from "./support/database.ts";
import { withActor } from "../db/audit.ts";
import { addStandardVersion, listStandards, StandardError, standardsInForce } from "../db/standards.ts";
import { render } from "../messages/index.ts";
import { parseStandardForm, type StandardValues } from "../domain/standard-form.ts";
import { findUnitByName } from "../db/units.ts";
import type { DB } from "../db/pool.ts";

/* The expenditure-standards catalogue (支出标准) on a real PostgreSQL: demo data, history, refusals, audit. */

const planner = { userId: null, username: "maqiao.planner" };
/** The date the refusals are judged on (the current fiscal year is 2026). */
const TODAY = "2026-11-24";

function values(overrides: Partial<StandardValues>): StandardValues {
  const parsed = parseStandardForm({
    code: "MA-OP-CAP",
    name: "门急诊医疗救助年度救助限额",
    category: "市级门急诊救助",
    value: "3000",
    unit: "元/人/年",
    form: "限额",
    careType: "门急诊",
    effectiveFrom: "2025-01-01",
    document: "沪医保规〔2024〕99号",
  });
  if (!("values" in parsed)) throw new Error(JSON.stringify(parsed.errors));
  return { ...parsed.values, ...overrides };
}

describe("expenditure standards", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let maqiao: number;
  let shanghai: number;

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    db = fresh.db;
    drop = fresh.drop;
    maqiao = (await findUnitByName(db, "上海市闵行区马桥镇社区事务受理服务中心"))!.id;
    shanghai = (await findUnitByName(db, "上海市"))!.id;
  }, 120_000);
  afterAll(async () => drop?.());

  it("holds the demo standards of DOMAIN.md with their history: the outpatient cap 2,500 until 2022, 2,800 from 2023", async () => {
    const all = await listStandards(db);
    const cap = all.filter((s) => s.code === "MA-OP-CAP");
    expect(cap.map((s) => [s.revision, s.value, s.effectiveFrom, s.effectiveTo, s.document])).toEqual([
      [1, "2500.0000", "2022-01-01", "2022-12-31", "沪医保规〔2022〕12号（调整前标准）"],
      [2, "2800.0000", "2023-01-01", null, "沪医保规〔2022〕12号"],
    ]);
    const inForce2024 = new Map((await standardsInForce(db, "2024-06-30")).map((s) => [s.code, s]));
    expect(inForce2024.get("MA-OP-RATE-DB")?.value).toBe("60.0000");
    expect(inForce2024.get("MA-DIST-CAP")?.value).toBe("30000.0000");
    expect(inForce2024.get("PREM-SUBSIDY")?.value).toBe("310.0000");
    expect(inForce2024.get("MH-TOTAL")?.value).toBe("3240.0000");
    expect(inForce2024.get("MH-MEDICAL")?.value).toBe("2740.0000");
    expect(inForce2024.get("MA-IP-CAP")?.value).toBe("130000.0000");
  });

  it("links 马桥's 2024 lines L1–L8 to the standard their 依据 names, the district's 互助帮困 standard included", async () => {
    const rows = await db
      .selectFrom("budget_line as bl")
      .innerJoin("project as p", "p.id", "bl.project_id")
      .innerJoin("org_unit as u", "u.id", "p.unit_id")
      .leftJoin("expenditure_standard as s", "s.id", "bl.standard_id")
      .leftJoin("org_unit as owner", "owner.id", "s.owner_unit_id")
      .select(["bl.line_no", "bl.basis", "bl.unit_price", "s.code", "s.document", "s.value", "owner.name as owner"])
      .where("u.name", "=", "上海市闵行区马桥镇社区事务受理服务中心")
      .where("p.fiscal_year", "=", 2024)
      .orderBy("bl.line_no")
      .execute();
    const linked = rows.filter((row) => row.line_no <= 8);
    expect(linked.map((row) => row.code)).toEqual([
      "MH-MINHANG", "PREM-SUBSIDY", "PREM-FARMER", "PREM-HARDSHIP", "MA-DIST-RATE", "MA-OP-RATE-DB", "MA-IP-RATE-DB", "MA-OP-DEDUCTIBLE",
    ]);
    // Every line's unit price traces to the document that sets it: the same document as the line's 依据.
    for (const row of linked) expect(row.document).toBe(row.basis);
    expect(linked[0]).toMatchObject({ unit_price: "1200.00", value: "1200.0000", document: "闵医保发〔2023〕4号", owner: "闵行区" });
    expect(linked[1]).toMatchObject({ owner: "上海市" });
  });

  it("adds a new version by closing the open one, keeping the code's owner, and the audit trail names the user", async () => {
    const added = await withActor(db, planner, (trx) => addStandardVersion(trx, values({ effectiveFrom: "2027-01-01" }), { ownerUnitId: maqiao, today: TODAY }));
    expect(added).toMatchObject({ revision: 3, ownerUnitName: "上海市" });
    const cap = (await listStandards(db)).filter((s) => s.code === "MA-OP-CAP");
    expect(cap.map((s) => [s.value, s.effectiveFrom, s.effectiveTo])).toEqual([
      ["2500.0000", "2022-01-01", "2022-12-31"],
      ["2800.0000", "2023-01-01", "2026-12-31"],
      ["3000.0000", "2027-01-01", null],
    ]);
    const audit = await db
      .selectFrom("audit_log")
      .select(["username", "action"])
      .where("table_name", "=", "expenditure_standard")
      .where("username", "=", "maqiao.planner")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["update", "insert"]);
  });

  const refusal = async (change: Promise<unknown>, message: RegExp) => {
    await expect(change).rejects.toBeInstanceOf(StandardError);
    await expect(change).rejects.toMatchObject({ field: "effectiveFrom", message: expect.stringMatching(message) });
    // The reason is a message (code and parameters); its Chinese text is the error's message.
    await change.catch((error: StandardError) => expect(render("en", error.detail)).not.toMatch(/[\u3400-\u9fff]/));
  };

  it("refuses backdating: a version starting before the current fiscal year (the reviewer's 2024-06-01 cut of the outpatient cap)", async () => {
    await refusal(
      withActor(db, planner, (trx) => addStandardVersion(trx, values({ code: "MA-IP-CAP", value: "2900.0000", careType: "住院", effectiveFrom: "2024-06-01" }), { ownerUnitId: maqiao, today: TODAY })),
      /不能早于本预算年度的开始 2026-01-01/,
    );
    await refusal(
      withActor(db, planner, (trx) => addStandardVersion(trx, values({ effectiveFrom: "2024-06-01" }), { ownerUnitId: maqiao, today: TODAY })),
      /应晚于现行第 3 版的生效日期 2027-01-01/,
    );
    expect((await listStandards(db)).filter((s) => s.code === "MA-IP-CAP").map((s) => s.effectiveTo)).toEqual([null]);
  });

  it("refuses to start a version before 1 January of a year whose budget lines already use the one being closed", async () => {
    const deductible = (await standardsInForce(db, "2026-06-30")).find((s) => s.code === "MA-OP-DEDUCTIBLE")!;
    const { id: projectId } = await db
      .insertInto("project")
      .values({ fiscal_year: 2027, name: "医疗救助", unit_id: maqiao, code: null, supervising_department: null, implementing_unit: null, category: null, note: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("budget_line")
      .values({ project_id: projectId, line_no: 1, item: "门急诊起付线补助", fund_level: "镇级", fund_type: "当年财政拨款", initial_amount: "1000.00", standard_id: deductible.id })
      .execute();
    const change = (effectiveFrom: string) =>
      withActor(db, planner, (trx) =>
        addStandardVersion(trx, values({ code: "MA-OP-DEDUCTIBLE", form: "比例", unit: "%", value: "90.0000", effectiveFrom }), { ownerUnitId: maqiao, today: TODAY }),
      );
    await refusal(change("2026-12-01"), /2027 年的预算明细已按第 1 版编制，新版本的生效日期不能早于 2027-01-01/);
    expect((await change("2027-07-01")).revision).toBe(2);
  });

  it("never shortens a closed version: a new one starts after it ended; a new code belongs to the given unit", async () => {
    const first = await withActor(db, planner, (trx) =>
      addStandardVersion(trx, values({ code: "MA-TEST-CAP", effectiveFrom: "2027-01-01", effectiveTo: "2027-06-30" }), { ownerUnitId: maqiao, today: TODAY }),
    );
    expect(first).toMatchObject({ revision: 1, ownerUnitName: "上海市闵行区马桥镇社区事务受理服务中心" });
    await refusal(
      withActor(db, planner, (trx) => addStandardVersion(trx, values({ code: "MA-TEST-CAP", effectiveFrom: "2027-03-01" }), { ownerUnitId: maqiao, today: TODAY })),
      /第 1 版已于 2027-06-30 截止，已截止的版本不能缩短/,
    );
    await withActor(db, planner, (trx) => addStandardVersion(trx, values({ code: "MA-TEST-CAP", effectiveFrom: "2027-07-01" }), { ownerUnitId: maqiao, today: TODAY }));
    // No backdating after a closed version either (judged in 2028: the new version would start in 2027).
    await refusal(
      withActor(db, planner, (trx) => addStandardVersion(trx, values({ code: "MA-TEST-CAP", effectiveFrom: "2027-10-01" }), { ownerUnitId: maqiao, today: "2028-02-01" })),
      /不能早于本预算年度的开始 2028-01-01/,
    );
    const versions = (await listStandards(db)).filter((s) => s.code === "MA-TEST-CAP");
    expect(versions.map((s) => [s.revision, s.effectiveFrom, s.effectiveTo])).toEqual([
      [1, "2027-01-01", "2027-06-30"],
      [2, "2027-07-01", null],
    ]);
  });

  it("the database itself refuses overlapping periods, rewriting, shortening or deleting a version, and another owner", async () => {
    await expect(
      sql`INSERT INTO expenditure_standard (code, owner_unit_id, revision, name, category, value, unit, form, effective_from, document)
          VALUES ('MA-IP-CAP', ${shanghai}, 9, 'x', '市级住院救助', 1, '元', '限额', '2023-05-01', 'x')`.execute(db),
    ).rejects.toThrow(/overlaps revision 1/);
    await expect(
      sql`INSERT INTO expenditure_standard (code, owner_unit_id, revision, name, category, value, unit, form, effective_from, document)
          VALUES ('MA-IP-CAP', ${maqiao}, 9, 'x', '市级住院救助', 1, '元', '限额', '2030-01-01', 'x')`.execute(db),
    ).rejects.toThrow(/keep the owning unit/);
    await expect(sql`UPDATE expenditure_standard SET value = 1 WHERE code = 'MA-IP-CAP'`.execute(db)).rejects.toThrow(/history/);
    await expect(sql`UPDATE expenditure_standard SET effective_to = '2022-06-30' WHERE code = 'MA-OP-CAP' AND revision = 1`.execute(db)).rejects.toThrow(/is closed/);
    await expect(sql`DELETE FROM expenditure_standard WHERE code = 'MA-OP-CAP' AND revision = 3`.execute(db)).rejects.toThrow(/cannot be deleted/);
    await expect(sql`TRUNCATE expenditure_standard CASCADE`.execute(db)).rejects.toThrow(/TRUNCATE/);
    const ipCap = (await listStandards(db)).filter((s) => s.code === "MA-IP-CAP");
    expect(ipCap.map((s) => s.value)).toEqual(["130000.0000"]);
  });

  it("validates the form field by field", () => {
    const parsed = parseStandardForm({ code: "bad code", name: "", value: "120", form: "比例", unit: "%", effectiveFrom: "2025-02-30", document: "x", category: "c" });
    const rendered = "errors" in parsed ? { errors: Object.fromEntries(Object.entries(parsed.errors).map(([field, problem]) => [field, render("zh", problem)])) } : parsed;
    expect(rendered).toEqual({
      errors: {
        code: expect.stringContaining("大写字母"),
        name: "必填",
        value: "比例应在 0–100（%）之间",
        effectiveFrom: "应为日期 YYYY-MM-DD：2025-02-30",
      },
    });
  });
});
