import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase } from "./support/database.ts";
import type { DB } from "../db/pool.ts";
import type { SessionUser } from "../db/users.ts";
import { MAQIAO, maqiaoDemo } from "./support/maqiao.ts";
import { asOfOfQuery, isIsoDate } from "../domain/dates.ts";
import { importFile } from "../features/import/service.ts";
import type { Importer } from "../features/import/queries/run.ts";
import { parseImportRow } from "../features/import/rules/rows.ts";
import { rowReader } from "../features/import/rules/row-reader.ts";
import { mapHeaders } from "../features/import/rules/columns.ts";
import { render, translate } from "../messages/index.ts";
import { workbook, WORKSHEET_END, WORKSHEET_START } from "../files/testing/hostile-zip.ts";

/*
 * Issue 17 §4: what PostgreSQL refuses must be refused before it gets there, as a field, row or 404
 * answer, never as a 500: a NUL in an import cell, an amount beyond NUMERIC(18, 2), a date such as
 * 9999-12-31 in the as-of parameter, ids that are not canonical decimal digits within the int range.
 */

type Args = { request: Request; params: Record<string, string>; context: { get: () => SessionUser | null } };
type Loader = (args: Args) => Promise<unknown>;

const PAYMENT_HEADERS = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"];
const payment = (amount: string, note = "") => ["2024", MAQIAO, "医疗救助", "", "2024-06-15", "社会化发放", "1", amount, "", "", "", "", note];

let demo: DB;
let planner: SessionUser;
let projectId: number;
let lineId: number;
let paymentId: string;

beforeAll(async () => {
  // The routes' database (app/db.server.ts) is the shared demo database; the loaders only read.
  ({ demo, planner, projectId, lineId, paymentId } = await maqiaoDemo());
});

afterAll(async () => {
  await demo?.destroy();
});

const routes: Record<string, () => Promise<unknown>> = {
  "dashboard.tsx": () => import("../app/routes/dashboard.tsx"),
  "execution-json.ts": () => import("../app/routes/execution-json.ts"),
  "project.tsx": () => import("../app/routes/project.tsx"),
  "project-history.tsx": () => import("../app/routes/project-history.tsx"),
  "project-export.ts": () => import("../app/routes/project-export.ts"),
  "line-edit.tsx": () => import("../app/routes/line-edit.tsx"),
  "payment-correct.tsx": () => import("../app/routes/payment-correct.tsx"),
};

async function loaderOf(route: string): Promise<Loader> {
  return ((await routes[route]!()) as { loader: Loader }).loader;
}

/** What a loader answers: its status (a thrown response's, 500 for an error) and body. */
async function call(route: string, url: string, params: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const loader = await loaderOf(route);
  try {
    const result = await loader({ request: new Request(`http://localhost${url}`), params, context: { get: () => planner } });
    if (result instanceof Response) return { status: result.status, body: result.headers.get("Content-Type")?.includes("json") ? await result.json() : null };
    const data = result as { data?: unknown; init?: { status?: number } };
    return { status: data?.init?.status ?? 200, body: data && "data" in data ? data.data : result };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: await thrown.text() };
    const response = thrown as { init?: { status?: number }; data?: unknown };
    return { status: response.init?.status ?? 500, body: response.data ?? String(thrown) };
  }
}

describe("dates beyond the ledger's years", () => {
  it("are no dates: 9999-12-31 is refused where it is typed, 1900–2199 taken", () => {
    expect(isIsoDate("9999-12-31")).toBe(false);
    expect(isIsoDate("2200-01-01")).toBe(false);
    expect(isIsoDate("1899-12-31")).toBe(false);
    expect(isIsoDate("2199-12-31")).toBe(true);
    expect(isIsoDate("1900-01-01")).toBe(true);
    expect(isIsoDate("2024-02-29")).toBe(true);
  });

  it("as the dashboard's as-of date: the default date with a notice, not a 500", async () => {
    const page = await call("dashboard.tsx", "/?year=2024&asOf=9999-12-31");
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ year: 2024, asOf: "2024-12-31", notices: expect.arrayContaining(["invalidDate"]) });
  });

  it("before the year began: the default date with a notice (not every project flagged late), on the dashboard and a project page", async () => {
    expect(asOfOfQuery("2023-01-01", 2024, "2026-12-03")).toEqual({ asOf: "2024-12-31", notice: "asOfBeforeYear" });
    expect(asOfOfQuery("2024-01-01", 2024, "2026-12-03")).toEqual({ asOf: "2024-01-01", notice: null });
    expect(asOfOfQuery("2025-03-01", 2024, "2026-12-03")).toEqual({ asOf: "2025-03-01", notice: null });
    const page = await call("dashboard.tsx", "/?year=2024&asOf=2023-01-01");
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ year: 2024, asOf: "2024-12-31", notices: expect.arrayContaining(["asOfBeforeYear"]) });
    const project = await call("project.tsx", `/projects/${projectId}?asOf=2023-06-30`, { projectId: String(projectId) });
    expect(project.body).toMatchObject({ asOf: "2024-12-31", notices: ["asOfBeforeYear"] });
  });

  it("as the grid's JSON as-of date: the default date, not a 500", async () => {
    const json = await call("execution-json.ts", "/execution.json?year=2024&asOf=9999-12-31");
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ year: 2024, asOf: "2024-12-31" });
  });

  it("as a project page's as-of date: the default date with a notice", async () => {
    const page = await call("project.tsx", `/projects/${projectId}?asOf=9999-12-31`, { projectId: String(projectId) });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ asOf: "2024-12-31", notices: ["invalidDate"] });
  });
});

describe("ids in the URL", () => {
  it("name a project only in canonical decimal digits within the int range: anything else answers 404", async () => {
    const id = String(projectId);
    const malformed = [`0${id}`, `00${id}`, `${id}e0`, `0x${projectId.toString(16)}`, ` ${id}`, `${id} `, `+${id}`, `${id}.0`, "99999999999999999999999", "2147483648", "4294967297", "0", "-1"];
    for (const text of malformed) {
      expect(await call("project.tsx", `/projects/${encodeURIComponent(text)}`, { projectId: text }), JSON.stringify(text)).toMatchObject({ status: 404 });
      expect(await call("project-history.tsx", `/projects/${encodeURIComponent(text)}/history`, { projectId: text }), `history ${JSON.stringify(text)}`).toMatchObject({ status: 404 });
      expect(await call("project-export.ts", `/projects/${encodeURIComponent(text)}/export.xlsx`, { projectId: text }), `export ${JSON.stringify(text)}`).toMatchObject({ status: 404 });
      expect(await call("line-edit.tsx", `/projects/${encodeURIComponent(text)}/lines/${lineId}/edit`, { projectId: text, lineId: String(lineId) }), `line ${JSON.stringify(text)}`).toMatchObject({ status: 404 });
    }
    expect(await call("project.tsx", `/projects/${id}`, { projectId: id })).toMatchObject({ status: 200 });
  });

  it("name a line or a payment only in canonical digits too", async () => {
    const project = String(projectId);
    for (const text of [`0${lineId}`, `${lineId}e0`, "2147483648"]) {
      expect(await call("line-edit.tsx", "/x", { projectId: project, lineId: text }), text).toMatchObject({ status: 404 });
    }
    for (const text of [`0${paymentId}`, `${paymentId}e0`, "9999999999999999999", "1".repeat(19)]) {
      expect(await call("payment-correct.tsx", "/x", { projectId: project, paymentId: text }), text).toMatchObject({ status: 404 });
    }
    expect(await call("line-edit.tsx", "/x", { projectId: project, lineId: String(lineId) })).toMatchObject({ status: 200 });
    expect(await call("payment-correct.tsx", "/x", { projectId: project, paymentId })).toMatchObject({ status: 200 });
  });
});

describe("import cells PostgreSQL cannot store", () => {
  let db: DB;
  let drop: () => Promise<void>;
  const importer: Importer = { userId: null, username: "maqiao.planner", unitSubtree: null, defaultParentUnitId: null };
  const paymentCount = async () => Number((await db.selectFrom("payment").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
  });
  afterAll(async () => drop?.());

  /** An XLSX of payments (inline strings, as the cell text is written), checked or committed. */
  async function importXlsx(rows: string[][], commit: boolean) {
    const cell = (text: string, column: number, row: number) => `<c r="${String.fromCharCode(65 + column)}${row}" t="inlineStr"><is><t>${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</t></is></c>`;
    const xmlRows = [PAYMENT_HEADERS, ...rows].map((cells, r) => `<row r="${r + 1}">${cells.map((text, c) => (text === "" ? "" : cell(text, c, r + 1))).join("")}</row>`);
    const bytes = workbook({ sheet: [WORKSHEET_START, ...xmlRows, WORKSHEET_END] });
    const outcome = await importFile(db, importer, {
      kind: "payments",
      file: { bytes, fileName: "支付.xlsx" },
      fileName: "支付.xlsx",
      fileHash: createHash("sha256").update(bytes).digest("hex"),
      commit,
    });
    if (outcome.outcome !== "report") throw new Error(`not a report: ${JSON.stringify(outcome)}`);
    return outcome.report;
  }

  it("a NUL in a cell (an XLSX's _x0000_) is a row and column error, and nothing is written", async () => {
    const before = await paymentCount();
    for (const commit of [false, true]) {
      const report = await importXlsx([payment("100.00", "正常"), payment("200.00", "备注_x0000_尾"), payment("300.00")], commit);
      expect(report.committed).toBe(false);
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]).toMatchObject({ rowNumber: 3, column: "备注" });
      expect(render("zh", report.errors[0]!.message)).toContain("第13列（M列）含有空字符（NUL");
      expect(render("en", report.errors[0]!.message)).toContain("column 13 (M) holds a NUL character");
    }
    // In the project name too (the fast path reads text columns itself).
    const named = await importXlsx([["2024", MAQIAO, "医疗_x0000_救助", "", "2024-06-15", "社会化发放", "1", "1.00", "", "", "", "", ""]], true);
    expect(named.errors[0]).toMatchObject({ rowNumber: 2, column: "项目名称" });
    expect(await paymentCount()).toBe(before);
  });

  it("an amount beyond what the ledger's NUMERIC(18, 2) sums can hold is a field error, not “numeric field overflow”", async () => {
    const before = await paymentCount();
    for (const amount of ["9999999999999999.99", "1000000000000.00", "1000000000000", "1,000,000,000,000.00"]) {
      const report = await importXlsx([payment(amount)], true);
      expect(report.committed, amount).toBe(false);
      expect(report.errors, amount).toHaveLength(1);
      expect(report.errors[0]).toMatchObject({ rowNumber: 2, column: "金额(元)" });
      expect(render("zh", report.errors[0]!.message)).toContain("单笔金额须小于 1 万亿元");
      expect(report.warnings.map((warning) => render("en", warning.message)).join(" ")).not.toContain("overflow");
    }
    expect(await paymentCount()).toBe(before);
    // Just below the limit: read (a dry run; the over-budget check says what it is).
    const largest = await importXlsx([payment("999999999999.99")], false);
    expect(largest.errors).toEqual([]);
    expect(largest.overBudgetCount).toBe(1);
  });

  it("a date beyond the ledger's years (an Excel serial of 9999-12-31) is a field error naming the range", async () => {
    const report = await importXlsx([["2024", MAQIAO, "医疗救助", "", "9999-12-31", "社会化发放", "1", "1.00", "", "", "", "", ""]], true);
    expect(report.committed).toBe(false);
    expect(report.errors[0]).toMatchObject({ rowNumber: 2, column: "支付日期" });
    expect(render("zh", report.errors[0]!.message)).toBe("日期超出范围：9999-12-31（应在 1900 至 2199 年之间）");
  });

  it("a file whose amounts together pass 100 万亿元 is refused from the row that passes it", async () => {
    const mapping = mapHeaders("payments", PAYMENT_HEADERS);
    const read = rowReader("payments", mapping);
    const results = Array.from({ length: 101 }, (_, k) => read(payment("999999999999.99", `r${k}`), k + 2));
    expect(results.slice(0, 100).every((result) => "row" in result)).toBe(true);
    expect(results[100]).toEqual({ problems: [{ rowNumber: 102, column: "金额(元)", message: { code: "importTotalOverLimit" } }] });
    expect(translate("en", "importTotalOverLimit")).toContain("100 trillion");
  });

  it("the fast path and the general rules agree on amounts at the limit and on NUL", () => {
    const mapping = mapHeaders("payments", PAYMENT_HEADERS);
    const dated = (date: string) => ["2024", MAQIAO, "医疗救助", "", date, "社会化发放", "1", "1.00", "", "", "", "", ""];
    for (const cells of [dated("9999-12-31"), dated("2199-12-31"), dated("1899-12-31"), payment("999999999999.99"), payment("1000000000000.00"), payment("0001000000000000"), payment("00999999999999.99"), payment("1.00", "a\u0000b")]) {
      const fast = rowReader("payments", mapping)(cells, 2);
      const general = parseImportRow("payments", mapping, cells, 2);
      expect(fast, cells.join(",")).toEqual(general);
    }
  });
});
