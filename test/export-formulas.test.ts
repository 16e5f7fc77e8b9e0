import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { sql } from "kysely";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { writeWorkbook, type SheetSpec } from "../files/write-xlsx.ts";
import { bytesSource } from "../files/byte-source.ts";
import { readZipDirectory, readZipText } from "../files/zip-archive.ts";
import { openTable } from "../files/read-table.ts";
import { ledgerWorkbook } from "../app/exports.server.ts";
import { getProjectSummaryLedger, paymentPages } from "../db/projects.ts";
import { withActor } from "../db/audit.ts";
import { importCommand } from "../cli/import.ts";
import { loadTrackingForm, trackingWorkbook } from "../features/tracking/service.ts";
import { loadSelfEvaluation } from "../features/self-evaluation/service.ts";
import { selfEvaluationWorkbook } from "../features/self-evaluation/export.ts";

/*
 * Issue 17 §4: exported text beginning with = + - @ (or a tab, a carriage return) must not become a
 * formula when someone edits the cell in Excel. Every export writes such text as it is, in a cell styled
 * quotePrefix (as if typed after an apostrophe), so that the value stays exact and the export imports back
 * unchanged.
 */

const RISKY = ["=1+1", "=HYPERLINK(\"http://evil.example\",\"点此\")", "+86 21 5555", "-退票重发", "@SUM(A1:A9)", "\tTab", "\rCR", "=cmd|' /C calc'!A0"];
const SAFE = ["plain text", "中文=不是公式", "1+1", " =leading space", "医疗救助"];

/** Each cell's text (shared or inline) and whether its style says quotePrefix, for one worksheet of an .xlsx file. */
async function cells(bytes: Uint8Array, sheetIndex = 1): Promise<Array<{ ref: string; text: string | null; quotePrefix: boolean }>> {
  const source = bytesSource(bytes);
  const entries = await readZipDirectory(source);
  const text = async (name: string) => {
    const entry = entries.find((candidate) => candidate.name === name);
    return entry ? readZipText(source, entry) : "";
  };
  const unescape = (value: string) =>
    value.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/&#(\d+);/g, (_, dec: string) => String.fromCharCode(Number(dec))).replace(/_x([0-9A-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/&amp;/g, "&");
  const styles = await text("xl/styles.xml");
  const cellXfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? "";
  const quoted = [...cellXfs.matchAll(/<xf\b([^>]*?)\/?>/g)].map((match) => /quotePrefix="1"/.test(match[1]!));
  const shared = [...(await text("xl/sharedStrings.xml")).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((match) => unescape([...match[1]!.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join("")));
  const sheet = await text(`xl/worksheets/sheet${sheetIndex}.xml`);
  return [...sheet.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((match) => {
    const attributes = match[2]!;
    const body = match[3] ?? "";
    const style = Number(/\bs="(\d+)"/.exec(attributes)?.[1] ?? 0);
    const type = /\bt="(\w+)"/.exec(attributes)?.[1];
    const value = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
    const inline = /<is>[\s\S]*?<t[^>]*>([\s\S]*?)<\/t>/.exec(body)?.[1];
    const text = type === "s" && value !== undefined ? shared[Number(value)]! : type === "inlineStr" && inline !== undefined ? unescape(inline) : type === "str" && value !== undefined ? unescape(value) : null;
    return { ref: match[1]!, text, quotePrefix: quoted[style] ?? false };
  });
}

describe("formula-like text in exports", () => {
  it("writes it exactly, styled quotePrefix, and nothing else so (files/write-xlsx.ts)", async () => {
    const spec: SheetSpec = {
      name: "测试",
      columns: [
        { header: "文本", key: "text", kind: "text" },
        { header: "金额", key: "amount", kind: "amount" },
      ],
      rows: [...RISKY, ...SAFE].map((text, index) => ({ text, amount: index % 2 === 0 ? "-5.00" : "12.30" })),
      totalRow: { text: "=SUM(B2:B9)", amount: "100.00" },
    };
    const bytes = await writeWorkbook([spec]);
    const written = await cells(bytes);
    const column = written.filter((cell) => /^A\d+$/.test(cell.ref) && cell.ref !== "A1");
    expect(column.map((cell) => cell.text)).toEqual([...RISKY, ...SAFE, "=SUM(B2:B9)"]);
    expect(column.map((cell) => cell.quotePrefix)).toEqual([...RISKY.map(() => true), ...SAFE.map(() => false), true]);
    // Amounts stay numbers (a negative amount is no text to protect).
    expect(written.filter((cell) => /^B\d+$/.test(cell.ref) && cell.ref !== "B1").every((cell) => cell.text === null && !cell.quotePrefix)).toBe(true);
    // The import's reader reads the same text back.
    const table = await openTable({ bytes, fileName: "test.xlsx" }, {});
    const read: string[] = [];
    for await (const row of table.rows) read.push(row.cells[0] ?? "");
    await table.close();
    // (The reader trims cells, as for every import.)
    expect(read.slice(0, RISKY.length + SAFE.length)).toEqual([...RISKY, ...SAFE].map((text) => text.trim()));
  });

  describe("in the ledger, tracking and self-evaluation exports", () => {
    let source: Awaited<ReturnType<typeof freshDatabase>>;
    let target: Awaited<ReturnType<typeof freshDatabase>>;
    let temp: string;
    beforeAll(async () => {
      source = await freshDatabase(inject("serverUrl"), { seed: true });
      target = await freshDatabase(inject("serverUrl"));
      temp = await mkdtemp(path.join(os.tmpdir(), "export-formulas-"));
    }, 120_000);
    afterAll(async () => {
      await source?.drop();
      await target?.drop();
      if (temp) await rm(temp, { recursive: true, force: true });
    });

    it("keeps a project's exported ledger exact through export → import, its formula-like text protected", async () => {
      const db = source.db;
      const projectId = await projectIdOf(db, "上海市闵行区马桥镇社区事务受理服务中心");
      await withActor(db, { userId: null, username: "cli" }, async (trx) => {
        const line = await trx.selectFrom("budget_line").select("id").where("project_id", "=", projectId).orderBy("line_no").executeTakeFirstOrThrow();
        await trx.updateTable("budget_line").set({ basis: "=单价*数量" }).where("id", "=", line.id).execute();
        const payment = await trx.selectFrom("payment").select("id").where("project_id", "=", projectId).orderBy("id").executeTakeFirstOrThrow();
        await trx.updateTable("payment").set({ note: "-退票后重发 @财务科" }).where("id", "=", payment.id).execute();
        await sql`UPDATE budget_adjustment SET reason = '+追加 =年中调整' WHERE id = (SELECT a.id FROM budget_adjustment a JOIN budget_line l ON l.id = a.budget_line_id WHERE l.project_id = ${projectId} ORDER BY a.id LIMIT 1)`.execute(trx);
      });
      const ledger = (await getProjectSummaryLedger(db, projectId))!;
      const bytes = await writeWorkbook(ledgerWorkbook(ledger, paymentPages(db, projectId), "2024-12-31", "yuan", "zh"));
      const protectedTexts = [];
      for (let sheet = 1; sheet <= 3; sheet += 1) protectedTexts.push(...(await cells(bytes, sheet)).filter((cell) => cell.quotePrefix).map((cell) => cell.text));
      expect(protectedTexts).toEqual(expect.arrayContaining(["=单价*数量", "-退票后重发 @财务科", "+追加 =年中调整"]));

      const file = path.join(temp, "ledger.xlsx");
      await writeFile(file, bytes);
      for (const kind of ["budget-lines", "adjustments", "payments"]) {
        const output = new PassThrough();
        let text = "";
        output.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        const code = await importCommand(target.db, [file, "--kind", kind, "--json"], output);
        const report = JSON.parse(text) as { errors: unknown[]; committed: boolean };
        expect(report.errors, kind).toEqual([]);
        expect(code, kind).toBe(0);
        expect(report.committed, kind).toBe(true);
      }
      const texts = async (database: typeof db) => ({
        basis: (await database.selectFrom("budget_line").select("basis").orderBy("basis").execute()).map((row) => row.basis).filter((basis) => basis?.startsWith("=")),
        notes: (await database.selectFrom("payment").select("note").execute()).map((row) => row.note).filter((note) => note?.startsWith("-")),
        reasons: (await database.selectFrom("budget_adjustment").select("reason").execute()).map((row) => row.reason).filter((reason) => reason?.startsWith("+")),
      });
      const after = await texts(target.db);
      expect(after).toEqual({ basis: ["=单价*数量"], notes: ["-退票后重发 @财务科"], reasons: ["+追加 =年中调整"] });
    }, 120_000);

    it("protects what users typed in the tracking form and the self-evaluation", async () => {
      const db = source.db;
      const huacao = await projectIdOf(db, "上海市闵行区华漕镇社区事务受理中心");
      const tracking = await loadTrackingForm(db, huacao, { periodEnd: null, revision: null });
      expect(tracking).toBeTruthy();
      const trackingView = { ...tracking!, fields: { ...tracking!.fields, keyTrackingReason: "=HYPERLINK(\"http://evil.example\")" } };
      const trackingCells = await cells(new Uint8Array(await trackingWorkbook(trackingView as typeof tracking & object, "zh")));
      expect(trackingCells.find((cell) => cell.text === "=HYPERLINK(\"http://evil.example\")")?.quotePrefix).toBe(true);
      // Only that text (and the empty cells merged with it) is so styled.
      expect(trackingCells.filter((cell) => cell.quotePrefix && cell.text !== null).map((cell) => cell.text)).toEqual(["=HYPERLINK(\"http://evil.example\")"]);

      const evaluation = (await loadSelfEvaluation(db, huacao))!;
      expect(evaluation).toBeTruthy();
      const evaluationView = { ...evaluation, actualSummary: "@SUM(1+1)*cmd" };
      const evaluationCells = await cells(new Uint8Array(await selfEvaluationWorkbook(evaluationView, "zh")));
      expect(evaluationCells.find((cell) => cell.text === "@SUM(1+1)*cmd")?.quotePrefix).toBe(true);
      expect(evaluationCells.filter((cell) => cell.quotePrefix && cell.text !== null).every((cell) => /^[=+\-@\t\r]/.test(cell.text!))).toBe(true);
    }, 120_000);
  });
});
