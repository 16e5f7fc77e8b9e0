import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DB } from "../db/pool.ts";
import { unitSubtreeIds } from "../db/units.ts";
import type { Role } from "../domain/permissions.ts";
import { render } from "../messages/index.ts";
import { writeWorkbook } from "../files/write-xlsx.ts";
import { importNotices, type NoticeImportOutcome } from "../features/payments/notice-import.ts";
import type { NoticeActor } from "../features/payments/notices.ts";
import { transferChoices } from "../features/payments/queries/notices.ts";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";

/*
 * Settlement notices imported from files as offices write them (a GB-free UTF-8 CSV with a BOM, an XLSX with
 * date and number cells), on the demo database: every problem named by row and column and nothing written;
 * a check writes nothing; an import writes all rows in one audited transaction; a day paid finds the
 * settling transfer. Over HTTP the /notices page takes the file (multipart). Needs a build for the HTTP part.
 */

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const HUACAO = "上海市闵行区华漕镇社区事务受理中心";
const HEADER = "项目,通知名称,下发单位,金额（元）,到期日,文号,结算支付日期,备注,预算单位";

describe("settlement notices from a file", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let server: RunningServer;
  const actors = new Map<string, NoticeActor>();
  let projectName = "";
  let freeTransfer = { paidOn: "", amount: "" };
  const csv = (...lines: string[]) => new TextEncoder().encode(`\uFEFF${[HEADER, ...lines].join("\r\n")}\r\n`);
  const count = async () => Number((await db.selectFrom("settlement_notice").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
  const problemsOf = (outcome: NoticeImportOutcome) =>
    outcome.kind === "invalid" ? outcome.problems.map((problem) => [problem.rowNumber, problem.column, render("zh", problem.message)]) : outcome;

  beforeAll(async () => {
    const fresh = await freshDatabase(inject("serverUrl"), { seed: true });
    db = fresh.db;
    drop = fresh.drop;
    for (const user of await db.selectFrom("app_user").select(["id", "username", "roles", "unit_id"]).execute()) {
      actors.set(user.username, { userId: user.id, username: user.username, roles: user.roles as Role[], unitSubtree: await unitSubtreeIds(db, user.unit_id!) });
    }
    const maqiao = await projectIdOf(db, MAQIAO);
    projectName = (await db.selectFrom("project").select("name").where("id", "=", maqiao).executeTakeFirstOrThrow()).name;
    const free = (await transferChoices(db, [maqiao])).filter((transfer) => transfer.settles === null);
    freeTransfer = { paidOn: free[0]!.paidOn, amount: free[0]!.amount };
    server = await startServer(fresh.url);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("names every problem by row and column and writes nothing", async () => {
    const before = await count();
    const outcome = await importNotices(db, actors.get("maqiao.planner")!, {
      fileName: "notices.csv",
      commit: true,
      bytes: csv(
        `${projectName},关于医疗救助资金结算通知书,上海市闵行区医疗保障局,"12,000.00",2024/12/20,闵医保〔2024〕101号,,,`,
        // The demo's June notice again (no 文号: the same by name, due date and amount).
        `${projectName},关于医疗救助资金结算通知书,上海市闵行区医疗保障局、上海市闵行区财政局,32880,2024年6月20日,,,,`,
        `${projectName},关于医疗救助资金结算通知书,上海市闵行区医疗保障局,"1,23,000",2024-13-01,闵医保〔2024〕102号,,,`,
        `${projectName},关于医疗救助资金结算通知书,上海市闵行区医疗保障局,100,2024-12-20,闵医保〔2024〕103号,,,${HUACAO}`,
        `不存在的项目,关于医疗救助资金结算通知书,上海市闵行区医疗保障局,100,2024-12-20,闵医保〔2024〕104号,,,`,
        `${projectName},关于医疗救助资金结算通知书,上海市闵行区医疗保障局,100,2024-12-20,闵医保〔2024〕101号,,,`,
        `${projectName},,上海市闵行区医疗保障局,0,2024-12-20,闵医保〔2024〕105号,2024-01-01,,`,
        // Every problem of a row at once: an unreadable amount and a missing name.
        `${projectName},,上海市闵行区医疗保障局,abc,2024-12-20,闵医保〔2024〕106号,,,`,
      ),
    });
    const demoJune = await db.selectFrom("settlement_notice").select("id").where("due_on", "=", "2024-06-20").executeTakeFirstOrThrow();
    expect(problemsOf(outcome)).toEqual([
      [3, "title", `这份通知书已登记（#${demoJune.id}）`],
      [4, "amount", expect.stringContaining("1,23,000")],
      [4, "dueOn", expect.stringContaining("2024-13-01")],
      [5, "unit", `你可登记的单位中没有 2024 年的项目“${projectName}”`],
      [6, "project", "你可登记的单位中没有 2024 年的项目“不存在的项目”"],
      [7, "documentNumber", "与第 2 行是同一份通知书"],
      [8, "title", "必填"],
      [8, "amount", "金额应大于 0"],
      [9, "amount", expect.stringContaining("abc")],
      [9, "title", "必填"],
    ]);
    expect(await count()).toBe(before);
  });

  it("refuses a file without a required column, and a role that may not enter notices", async () => {
    const noDue = new TextEncoder().encode(`项目,通知名称,下发单位,金额\n${projectName},x,y,1\n`);
    expect(problemsOf(await importNotices(db, actors.get("maqiao.planner")!, { fileName: "a.csv", commit: false, bytes: noDue }))).toEqual([[1, null, "缺少必填列：到期日"]]);
    expect(await importNotices(db, actors.get("maqiao.submitter")!, { fileName: "a.csv", commit: false, bytes: noDue })).toMatchObject({ kind: "refused", status: 403 });
  });

  it("checks an XLSX without writing, then imports it in one audited transaction, the day paid finding the transfer", async () => {
    const bytes = await writeWorkbook([
      {
        name: "结算通知书",
        columns: [
          { header: "项目名称", key: "project", kind: "text" },
          { header: "通知名称", key: "title", kind: "text" },
          { header: "下发单位", key: "issuer", kind: "text" },
          { header: "金额(元)", key: "amount", kind: "amount" },
          { header: "到期日", key: "due", kind: "date" },
          { header: "结算支付日期", key: "paid", kind: "date" },
          { header: "文号", key: "number", kind: "text" },
          { header: "经办人", key: "clerk", kind: "text" },
        ],
        rows: [
          { project: projectName, title: "关于医疗救助资金结算通知书", issuer: "上海市闵行区医疗保障局", amount: freshAmount(freeTransfer.amount), due: freeTransfer.paidOn, paid: freeTransfer.paidOn, number: "闵医保〔2024〕201号", clerk: "张三" },
          { project: projectName, title: "关于医疗救助资金结算通知书", issuer: "上海市闵行区医疗保障局", amount: "4500.5", due: "2024-12-27", paid: null, number: "闵医保〔2024〕202号", clerk: "李四" },
        ],
      },
    ]);
    const before = await count();
    const checked = await importNotices(db, actors.get("maqiao.planner")!, { fileName: "notices.xlsx", commit: false, bytes: new Uint8Array(bytes) });
    expect(checked).toMatchObject({ kind: "checked", total: (Number(freeTransfer.amount) + 4500.5).toFixed(2) });
    expect(checked.kind === "checked" && checked.notes.map((note) => render("zh", note))).toContain("以下列不属于结算通知书，已忽略：经办人");
    expect(await count()).toBe(before);
    const imported = await importNotices(db, actors.get("maqiao.planner")!, { fileName: "notices.xlsx", commit: true, bytes: new Uint8Array(bytes) });
    expect(imported.kind).toBe("imported");
    expect(await count()).toBe(before + 2);
    const rows = await db
      .selectFrom("settlement_notice as n")
      .leftJoin("payment as p", "p.id", "n.payment_id")
      .select(["n.document_number", "n.amount", "n.due_on", "p.paid_on"])
      .where("n.document_number", "in", ["闵医保〔2024〕201号", "闵医保〔2024〕202号"])
      .orderBy("n.document_number")
      .execute();
    expect(rows.map((row) => [row.document_number, row.amount, row.due_on, row.paid_on])).toEqual([
      ["闵医保〔2024〕201号", freeTransfer.amount, freeTransfer.paidOn, freeTransfer.paidOn],
      ["闵医保〔2024〕202号", "4500.50", "2024-12-27", null],
    ]);
    const audited = await db.selectFrom("audit_log").select("username").where("table_name", "=", "settlement_notice").where("action", "=", "insert").execute();
    expect(audited.filter((entry) => entry.username === "maqiao.planner")).toHaveLength(2);
    // The same file again: both already registered.
    const again = await importNotices(db, actors.get("maqiao.planner")!, { fileName: "notices.xlsx", commit: true, bytes: new Uint8Array(bytes) });
    expect(again.kind === "invalid" && again.problems.map((problem) => problem.column)).toEqual(["documentNumber", "documentNumber"]);
  });

  it("takes the file on /notices (multipart) and shows the problems by row", async () => {
    const cookie = await signIn(server.baseUrl, "maqiao.planner");
    const body = new FormData();
    body.set("intent", "import-check");
    body.set("file", new Blob([csv(`${projectName},关于医疗救助资金结算通知书,上海市闵行区医疗保障局,abc,2024-12-20,闵医保〔2024〕301号,,,`)]), "notices.csv");
    const response = await fetch(`${server.baseUrl}/notices?year=2024`, { method: "POST", headers: { Cookie: cookie, Origin: server.baseUrl }, body });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('data-testid="notice-import-problems"');
    expect(html).toMatch(/<td class="num">2<\/td><td>金额（元）<\/td><td>[^<]*abc/);
  });
});

/** The transfer's amount as a number cell (Excel has no trailing zeros). */
function freshAmount(amount: string): string {
  return String(Number(amount));
}
