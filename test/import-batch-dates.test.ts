import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { runImport as runImportWithCodes, type Importer, type ImportSource } from "../features/import/queries/run.ts";
import { reportText } from "../features/import/rules/render.ts";
import { templateHeaders } from "../features/import/rules/columns.ts";
import type { DB } from "../db/pool.ts";

/*
 * The payments import's optional columns of a batch's steps (issue 15): 受理日期, 审核完成日期, 审批日期 (or
 * accepted_on, reviewed_on, approved_on) are stored with the payment; a transfer with them, or dates out of
 * order (accepted ≤ reviewed ≤ approved ≤ paid), are refused at their column whether the row is read on the
 * fast path (plain ISO dates) or the general one (dates as 2024年1月3日).
 */

const HUACAO = "上海市闵行区华漕镇社区事务受理中心";
const HEADERS = ["年度", "预算单位", "项目名称", "支付日期", "支付方式", "人次", "金额(元)", "备注", "受理日期", "审核完成日期", "审批日期"];
const cli: Importer = { userId: null, username: "cli", unitSubtree: null, defaultParentUnitId: null };

function source(headers: string[], rows: string[][]): ImportSource {
  return {
    headers,
    rows: (async function* () {
      for (const [index, cells] of rows.entries()) yield { rowNumber: index + 2, cells };
    })(),
  };
}

describe("import of a batch's step dates", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let huacao = 0;
  let hash = 0;
  const run = async (rows: string[][], headers = HEADERS, commit = true) =>
    reportText(
      "zh",
      await runImportWithCodes(db, {
        kind: "payments",
        source: source(headers, rows),
        fileHash: String(++hash).padStart(64, "0"),
        fileName: "steps.csv",
        importer: cli,
        commit,
      }),
    );
  const row = (note: string, dates: [string, string, string], kind = "社会化发放", paid = "2024-09-20") => [
    "2024",
    HUACAO,
    "医疗救助",
    paid,
    kind,
    "10",
    "1000.00",
    note,
    ...dates,
  ];

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
    huacao = await projectIdOf(db, HUACAO);
  });
  afterAll(async () => drop());

  it("offers the three columns in the payments template, after the others", () => {
    expect(templateHeaders("payments").slice(-3)).toEqual(["受理日期", "审核完成日期", "审批日期"]);
  });

  it("stores the dates given, all or some, with each batch", async () => {
    const report = await run([
      row("九月第二批", ["2024-09-10", "2024-09-13", "2024-09-18"]),
      row("九月第二批（仅审批）", ["", "", "2024-09-19"]),
      row("九月第二批（无日期）", ["", "", ""]),
    ]);
    expect(report).toMatchObject({ committed: true, added: 3, errors: [] });
    const stored = await db
      .selectFrom("payment")
      .select(["note", "accepted_on", "reviewed_on", "approved_on"])
      .where("project_id", "=", huacao)
      .where("note", "like", "九月第二批%")
      .orderBy("note")
      .execute();
    expect(stored).toEqual([
      { note: "九月第二批", accepted_on: "2024-09-10", reviewed_on: "2024-09-13", approved_on: "2024-09-18" },
      { note: "九月第二批（仅审批）", accepted_on: null, reviewed_on: null, approved_on: "2024-09-19" },
      { note: "九月第二批（无日期）", accepted_on: null, reviewed_on: null, approved_on: null },
    ]);
  });

  it("reads the English headers and dates as offices write them", async () => {
    const headers = ["year", "unit", "project", "date", "kind", "person_times", "amount", "note", "accepted_on", "reviewed_on", "approved_on"];
    const report = await run([row("十月第一批", ["2024年9月30日", "2024/10/8", "2024-10-09"], "社会化发放", "2024-10-10")], headers);
    expect(report).toMatchObject({ committed: true, added: 1, errors: [] });
    const stored = await db
      .selectFrom("payment")
      .select(["accepted_on", "reviewed_on", "approved_on"])
      .where("note", "=", "十月第一批")
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ accepted_on: "2024-09-30", reviewed_on: "2024-10-08", approved_on: "2024-10-09" });
  });

  it("refuses dates out of order at their column, on either reading path, and writes nothing", async () => {
    const count = async () => (await db.selectFrom("payment").select("id").where("project_id", "=", huacao).execute()).length;
    const before = await count();
    // Plain ISO dates (the fast path) and dates written in Chinese (the general path) are refused alike.
    const report = await run([
      row("审核早于受理", ["2024-09-12", "2024-09-11", "2024-09-18"]),
      row("审批晚于支付", ["2024-09-10", "2024-09-13", "2024-09-23"]),
      row("中文日期", ["2024年9月12日", "2024年9月11日", ""]),
    ]);
    expect(report.committed).toBe(false);
    expect(report.errors).toEqual([
      { rowNumber: 2, column: "审核完成日期", message: "审核完成日期（2024年9月11日）早于受理日期（2024年9月12日）" },
      { rowNumber: 3, column: "审批日期", message: "审批日期（2024年9月23日）晚于支付日期（2024年9月20日）" },
      { rowNumber: 4, column: "审核完成日期", message: "审核完成日期（2024年9月11日）早于受理日期（2024年9月12日）" },
    ]);
    expect(await count()).toBe(before);
  });

  it("refuses the dates on a transfer (划拨), and an impossible date as any date column does", async () => {
    const report = await run([row("划拨不应有受理日期", ["2024-09-10", "", ""], "划拨"), row("不存在的日期", ["2024-09-31", "", ""])], HEADERS, false);
    expect(report.errors).toEqual([
      { rowNumber: 2, column: "受理日期", message: "受理日期只适用于社会化发放批次，划拨不填" },
      { rowNumber: 3, column: "受理日期", message: expect.stringContaining("2024-09-31") },
    ]);
  });
});
