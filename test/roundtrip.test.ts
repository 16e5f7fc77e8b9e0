import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectIdOf } from "./support/database.ts";
import { useRoundTrip } from "./support/round-trip.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { importCommand } from "../cli/import.ts";
import { executionReport } from "../db/execution.ts";
import { getProjectLedger } from "../db/projects.ts";
import { projectExecution } from "../domain/project-execution.ts";
import type { ImportKind } from "../features/import/rules/columns.ts";
import type { DB } from "../db/pool.ts";

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";

/**
 * Round trip: export 马桥 2024's ledger as the manager downloads it, import the workbook file three
 * times (budget-lines, adjustments, payments) into an empty database through the CLI's entry, naming
 * no sheet (each kind finds its own), and get the same figures, month by month.
 */
describe("export → import round trip", () => {
  const files = useRoundTrip("budget-roundtrip-");
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(files.source.url);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  const projectOf = (db: DB) => projectIdOf(db, MAQIAO);

  it("gives identical figures in an empty database", async () => {
    const cookie = await signIn(server.baseUrl, "minhang.manager");
    const response = await fetch(`${server.baseUrl}/projects/${await projectOf(files.source.db)}/export.xlsx?asOf=2024-12-31`, { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    const bytes = new Uint8Array(await response.arrayBuffer());

    const file = path.join(files.temp, "马桥镇医疗救助台账.xlsx");
    await writeFile(file, bytes);

    const sheets: Array<[ImportKind, string]> = [
      ["budget-lines", "预算明细"],
      ["adjustments", "预算调整"],
      ["payments", "支付明细"],
    ];
    for (const [kind, sheet] of sheets) {
      const output = new PassThrough();
      let text = "";
      output.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      const code = await importCommand(files.target.db, [file, "--kind", kind, "--json"], output);
      const report = JSON.parse(text) as { errors: unknown[]; committed: boolean; warnings: Array<{ message: string }> };
      expect(report.errors, kind).toEqual([]);
      expect(code, kind).toBe(0);
      expect(report.committed, kind).toBe(true);
      expect(report.warnings.map((warning) => warning.message).join("\n"), kind).toMatch(new RegExp(`已读取工作表“${sheet}”|只读取了工作表“${sheet}”`));
    }

    const before = (await getProjectLedger(files.source.db, await projectOf(files.source.db)))!;
    const after = (await getProjectLedger(files.target.db, await projectOf(files.target.db)))!;
    const figures = (ledger: typeof before) => {
      const view = projectExecution({ fiscalYear: 2024, ...ledger }, "2024-12-31");
      return { figures: view.figures, lines: view.lines.map(({ lineId: _lineId, ...rest }) => rest), chart: view.chart, personTimes: view.personTimes, late: view.lateTransfers };
    };
    expect(figures(after)).toEqual(figures(before));
    // The batches' 受理 / 审核完成 / 审批 dates come back with them (26 dated batches in the demo).
    const steps = (ledger: typeof before) => ledger.payments.map((p) => [p.paidOn, p.amount, p.acceptedOn, p.reviewedOn, p.approvedOn].join(" "));
    expect(before.payments.filter((p) => p.acceptedOn !== null)).toHaveLength(26);
    expect(steps(after)).toEqual(steps(before));
    expect(after.lines.map((line) => [line.composition, line.item, line.initialAmount, line.unitPrice, line.quantity, line.basis, line.scheduledMonths])).toEqual(
      before.lines.map((line) => [line.composition, line.item, line.initialAmount, line.unitPrice, line.quantity, line.basis, line.scheduledMonths]),
    );
    for (const asOf of ["2024-03-15", "2024-08-31", "2024-12-31"]) {
      const sourceRow = (await executionReport(files.source.db, { year: 2024, asOf })).rows.find((row) => row.unitName === MAQIAO)!;
      const targetRow = (await executionReport(files.target.db, { year: 2024, asOf })).rows.find((row) => row.unitName === MAQIAO)!;
      // The ledger's figures are the same; the planned progress and last year's rate also read the years before,
      // which one project's export does not carry (the empty database has no 2023), so they are left out here.
      const ledgerOnly = (row: typeof sourceRow) => {
        const { behindPlan: _b, planBasis: _p, planGap: _g, planned: _d, plannedProgress: _r, previousYearRate: _y, previousYear: _py, ...rest } = row as typeof row & Record<string, unknown>;
        return { ...rest, projectId: 0, projectCode: null, unitId: 0 };
      };
      expect(ledgerOnly(targetRow), asOf).toEqual(ledgerOnly(sourceRow));
    }
  });
});
