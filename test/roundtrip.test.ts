import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase, projectIdOf } from "./support/database.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";
import { openTable } from "../files/read-table.ts";
import { runImport } from "../db/import.ts";
import { executionReport } from "../db/execution.ts";
import { getProjectLedger } from "../db/projects.ts";
import { projectExecution } from "../domain/project-execution.ts";
import type { ImportKind } from "../domain/import/columns.ts";
import type { DB } from "../db/connection.ts";

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";

/**
 * Round trip: export 马桥 2024's ledger as the manager downloads it, import its three sheets into an
 * empty database with the CLI's rights, and get the same figures, month by month.
 */
describe("export → import round trip", () => {
  let source: Awaited<ReturnType<typeof freshDatabase>>;
  let target: Awaited<ReturnType<typeof freshDatabase>>;
  let server: RunningServer;

  beforeAll(async () => {
    source = await freshDatabase(inject("serverUrl"), { seed: true });
    target = await freshDatabase(inject("serverUrl"));
    server = await startServer(source.url);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await source?.drop();
    await target?.drop();
  });

  const projectOf = (db: DB) => projectIdOf(db, MAQIAO);

  it("gives identical figures in an empty database", async () => {
    const cookie = await signIn(server.baseUrl, "minhang.manager");
    const response = await fetch(`${server.baseUrl}/projects/${await projectOf(source.db)}/export.xlsx?asOf=2024-12-31`, { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    const bytes = new Uint8Array(await response.arrayBuffer());

    const sheets: Array<[ImportKind, string]> = [
      ["budget-lines", "预算明细"],
      ["adjustments", "预算调整"],
      ["payments", "支付明细"],
    ];
    for (const [kind, sheet] of sheets) {
      const table = await openTable({ bytes, fileName: "ledger.xlsx" }, { sheet });
      expect(table.sheetName).toBe(sheet);
      const report = await runImport(target.db, {
        kind,
        source: table,
        fileHash: `${kind.length}`.padStart(64, "0"),
        fileName: "ledger.xlsx",
        importer: { userId: null, username: "cli", unitSubtree: null, defaultParentUnitId: null },
        commit: true,
      });
      expect(report.errors, kind).toEqual([]);
      expect(report.committed, kind).toBe(true);
    }

    const before = (await getProjectLedger(source.db, await projectOf(source.db)))!;
    const after = (await getProjectLedger(target.db, await projectOf(target.db)))!;
    const figures = (ledger: typeof before) => {
      const view = projectExecution({ fiscalYear: 2024, ...ledger }, "2024-12-31");
      return { figures: view.figures, lines: view.lines.map(({ lineId: _lineId, ...rest }) => rest), chart: view.chart, personTimes: view.personTimes, late: view.lateTransfers };
    };
    expect(figures(after)).toEqual(figures(before));
    expect(after.lines.map((line) => [line.composition, line.item, line.initialAmount, line.unitPrice, line.quantity, line.basis, line.scheduledMonths])).toEqual(
      before.lines.map((line) => [line.composition, line.item, line.initialAmount, line.unitPrice, line.quantity, line.basis, line.scheduledMonths]),
    );
    for (const asOf of ["2024-03-15", "2024-08-31", "2024-12-31"]) {
      const sourceRow = (await executionReport(source.db, { year: 2024, asOf })).rows.find((row) => row.unitName === MAQIAO)!;
      const targetRow = (await executionReport(target.db, { year: 2024, asOf })).rows.find((row) => row.unitName === MAQIAO)!;
      expect({ ...targetRow, projectId: 0, projectCode: null, unitId: 0 }, asOf).toEqual({ ...sourceRow, projectId: 0, projectCode: null, unitId: 0 });
    }
  });
});
