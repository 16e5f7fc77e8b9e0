import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import Decimal from "decimal.js";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { projectIdOf } from "./support/database.ts";
import { useRoundTrip } from "./support/round-trip.ts";
import { getProjectLedger, getProjectSummaryLedger, paymentPages, paymentsByIds } from "../db/projects.ts";
import { executionReport } from "../db/execution.ts";
import { executionSheet, ledgerWorkbook, linesSheet, paymentsSheet } from "../app/exports.server.ts";
import { writeWorkbook } from "../files/write-xlsx.ts";
import { executionFigures, totalAmounts } from "../domain/execution.ts";
import { previousYearRate, totalPlanFigures } from "../domain/planned-progress.ts";
import { executionTotal } from "../domain/execution-total.ts";
import { formatAmount } from "../domain/money.ts";
import { projectExecution, summaryExecution } from "../domain/project-execution.ts";
import { importCommand } from "../cli/import.ts";

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

/** A sheet's rows below its header as arrays of cell values (column 1 first). */
function body(sheet: ExcelJS.Worksheet, headerRow: number): ExcelJS.CellValue[][] {
  const rows: ExcelJS.CellValue[][] = [];
  for (let number = headerRow + 1; number <= sheet.rowCount; number++) {
    const row = sheet.getRow(number);
    rows.push(Array.from({ length: sheet.columnCount }, (_, index) => row.getCell(index + 1).value));
  }
  return rows;
}

function column(sheet: ExcelJS.Worksheet, headerRow: number, header: string): number {
  const headers = (sheet.getRow(headerRow).values as ExcelJS.CellValue[]).map((value) => String(value ?? ""));
  const index = headers.indexOf(header);
  if (index < 1) throw new Error(`no column ${header} in ${headers.join(", ")}`);
  return index - 1;
}

/** A numeric cell as the exact decimal Excel holds (the shortest decimal of the double). */
const exact = (value: ExcelJS.CellValue) => new Decimal(String(value));
/** 万元 cell → 元 to the cent, as a 2-decimal string (exact: no rounding may be needed). */
function wanCellToYuan(value: ExcelJS.CellValue): string {
  const yuan = exact(value).times(10_000);
  expect(yuan.decimalPlaces(), `${String(value)} 万元 is not a whole number of cents`).toBeLessThanOrEqual(2);
  return yuan.toFixed(2);
}

describe("exports in 万元, dates and totals", () => {
  const files = useRoundTrip("budget-export-");
  let projectId: number;

  beforeAll(async () => {
    projectId = await projectIdOf(files.source.db, MAQIAO);
  });

  async function ledgerFile(unit: "yuan" | "wan"): Promise<Buffer> {
    const summary = (await getProjectSummaryLedger(files.source.db, projectId))!;
    return writeWorkbook(ledgerWorkbook(summary, paymentPages(files.source.db, projectId, 7), "2024-12-31", unit, "zh"));
  }

  it("writes the ledger in 万元 exactly: every cell × 10,000 is the 元 amount to the cent, shown with 2 decimals", async () => {
    const ledger = (await getProjectLedger(files.source.db, projectId))!;
    const workbook = await load(await ledgerFile("wan"));

    const payments = workbook.getWorksheet("支付明细")!;
    const rows = body(payments, 1);
    const amount = column(payments, 1, "金额(万元)");
    const returned = column(payments, 1, "退回金额(万元)");
    const data = rows.slice(0, -1);
    expect(data).toHaveLength(ledger.payments.length);
    expect(data.map((row) => wanCellToYuan(row[amount]!))).toEqual(ledger.payments.map((payment) => payment.amount));
    expect(data.map((row) => wanCellToYuan(row[returned] ?? 0))).toEqual(ledger.payments.map((payment) => payment.returnedAmount));
    // The reviewer's case: 56,307.81 元 is 5.630781 万元, not 5.63.
    expect(ledger.payments.map((payment) => payment.amount)).toContain("56307.81");
    expect(data.map((row) => row[amount])).toContain(5.630781);
    expect(payments.getRow(2).getCell(amount + 1).numFmt).toBe("#,##0.00");
    // The 合计 row below is Excel's SUM of the column, exactly.
    const total = rows.at(-1)!;
    expect(total[2]).toBe("合计");
    expect(exact(total[amount]!).equals(data.reduce((sum, row) => sum.plus(exact(row[amount]!)), new Decimal(0)))).toBe(true);

    const lines = workbook.getWorksheet("预算明细")!;
    const initial = column(lines, 1, "年初预算(万元)");
    const lineRows = body(lines, 1);
    expect(lineRows.slice(0, -1).map((row) => wanCellToYuan(row[initial]!))).toEqual(ledger.lines.map((line) => line.initialAmount));
    const adjusted = column(lines, 1, "调整后预算数(万元)");
    expect(wanCellToYuan(lineRows.at(-1)![adjusted]!)).toBe("1471745.31");

    const adjustments = workbook.getWorksheet("预算调整")!;
    const adjustmentAmount = column(adjustments, 1, "调整金额(万元)");
    expect(body(adjustments, 1).map((row) => wanCellToYuan(row[adjustmentAmount]!))).toEqual(ledger.adjustments.map((adjustment) => adjustment.amount));
  });

  it("imports a 万元 ledger back to the exact 元 budget and payments", async () => {
    const file = path.join(files.temp, "马桥-万元.xlsx");
    await writeFile(file, await ledgerFile("wan"));
    for (const kind of ["budget-lines", "adjustments", "payments"]) {
      const output = new PassThrough();
      let text = "";
      output.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      const code = await importCommand(files.target.db, [file, "--kind", kind, "--json"], output);
      const report = JSON.parse(text) as { errors: unknown[]; committed: boolean; warnings: Array<{ message: string }> };
      expect(report.errors, kind).toEqual([]);
      expect(code, kind).toBe(0);
      // The 合计 rows foot exactly (no "合计行不平" warning).
      expect(report.warnings.map((warning) => warning.message).join("\n"), kind).not.toMatch(/合计行不平/);
    }
    const before = (await getProjectLedger(files.source.db, projectId))!;
    const after = (await getProjectLedger(files.target.db, await projectIdOf(files.target.db, MAQIAO)))!;
    const view = (ledger: typeof before) => projectExecution({ fiscalYear: 2024, ...ledger }, "2024-12-31");
    expect(view(after).figures).toEqual(view(before).figures);
    expect(view(after).figures.adjusted).toBe("1471745.31");
    expect(after.payments.map((payment) => [payment.paidOn, payment.amount, payment.returnedAmount])).toEqual(before.payments.map((payment) => [payment.paidOn, payment.amount, payment.returnedAmount]));
  }, 120_000);

  it("writes dates as date cells (yyyy-mm-dd) and 年度 as a number in the ledger workbook", async () => {
    const ledger = (await getProjectLedger(files.source.db, projectId))!;
    const workbook = await load(await ledgerFile("yuan"));
    const payments = workbook.getWorksheet("支付明细")!;
    const paidOn = column(payments, 1, "支付日期");
    const first = payments.getRow(2);
    expect(first.getCell(1).value).toBe(2024);
    expect(first.getCell(paidOn + 1).value).toEqual(new Date(`${ledger.payments[0]!.paidOn}T00:00:00Z`));
    expect(first.getCell(paidOn + 1).numFmt).toBe("yyyy-mm-dd");
    const dueOn = column(payments, 1, "到期日");
    const transfer = ledger.payments.findIndex((payment) => payment.dueOn !== null);
    expect(transfer).toBeGreaterThanOrEqual(0);
    expect(payments.getRow(transfer + 2).getCell(dueOn + 1).value).toEqual(new Date(`${ledger.payments[transfer]!.dueOn}T00:00:00Z`));
    const adjustments = workbook.getWorksheet("预算调整")!;
    expect(adjustments.getRow(2).getCell(1).value).toBe(2024);
    expect(adjustments.getRow(2).getCell(column(adjustments, 1, "调整日期") + 1).value).toEqual(new Date(`${ledger.adjustments[0]!.adjustedOn}T00:00:00Z`));
    expect(workbook.getWorksheet("预算明细")!.getRow(2).getCell(1).value).toBe(2024);
  });

  it("adds 合计 and 净额 rows to the payments grid export, for the rows exported", async () => {
    const ledger = (await getProjectLedger(files.source.db, projectId))!;
    const summary = (await getProjectSummaryLedger(files.source.db, projectId))!;
    // Some rows, newest first, including one with a returned amount re-issued and, when there is one, one not re-issued.
    const withReturn = ledger.payments.find((payment) => payment.returnedAmount !== "0.00" && payment.reissuedOn !== null)!;
    expect(withReturn).toBeDefined();
    const notReissued = ledger.payments.filter((payment) => payment.returnedAmount !== "0.00" && payment.reissuedOn === null).slice(0, 1);
    const chosen = [...ledger.payments.slice(-5).reverse(), withReturn, ...notReissued];
    const ids = chosen.map((payment) => payment.id);
    const spec = paymentsSheet(summary, paymentsByIds(files.source.db, projectId, ids, 2), "2024-12-31", ["paidOn", "kind", "amount", "returnedAmount", "note"], "yuan", "zh");
    const sheet = (await load(await writeWorkbook([spec]))).worksheets[0]!;
    const rows = body(sheet, 2);
    expect(rows).toHaveLength(chosen.length + 2);
    expect(rows.slice(0, chosen.length).map((row) => row[0])).toEqual(chosen.map((payment) => new Date(`${payment.paidOn}T00:00:00Z`)));
    const amount = chosen.reduce((sum, payment) => sum.plus(payment.amount), new Decimal(0));
    const returned = chosen.reduce((sum, payment) => sum.plus(payment.returnedAmount), new Decimal(0));
    expect(rows.at(-2)).toEqual(["合计", null, amount.toNumber(), returned.toNumber(), null]);
    // 净额 as 预算执行数 counts the payments: less the returned amounts not re-issued by the as-of date.
    const outstanding = chosen.filter((payment) => payment.reissuedOn === null || payment.reissuedOn > "2024-12-31").reduce((sum, payment) => sum.plus(payment.returnedAmount), new Decimal(0));
    expect(rows.at(-1)).toEqual(["净额(扣除未重发退回)", null, amount.minus(outstanding).toNumber(), null, null]);
    expect(sheet.getRow(sheet.rowCount - 1).getCell(3).font.bold).toBe(true);
  });

  it("says which payments fall after the as-of date: listed and in 合计, not in 净额, which is 预算执行数 as of that date", async () => {
    const summary = (await getProjectSummaryLedger(files.source.db, projectId))!;
    const asOf = "2024-06-30";
    const spec = paymentsSheet(summary, paymentPages(files.source.db, projectId), asOf, ["paidOn", "amount", "note"], "yuan", "zh");
    const rows = body((await load(await writeWorkbook([spec]))).worksheets[0]!, 2);
    const [total, after, net] = rows.slice(-3);
    const listed = rows.slice(0, -3);
    const sum = (list: typeof listed) => list.reduce((acc, row) => acc.plus(String(row[1])), new Decimal(0));
    const afterRows = listed.filter((row) => (row[0] as Date).toISOString().slice(0, 10) > asOf);
    expect(afterRows.length).toBeGreaterThan(0);
    expect([total![0], total![1]]).toEqual(["合计", sum(listed).toNumber()]);
    expect([after![0], after![1]]).toEqual([`其中 ${asOf} 之后支付（不计入净额）`, sum(afterRows).toNumber()]);
    expect(net![0]).toBe("净额(扣除未重发退回)");
    expect(new Decimal(String(net![1])).toFixed(2)).toBe(summaryExecution(summary, asOf).figures.executed);
  });

  it("adds to the dashboard export the 合计 row of the screen, for the rows exported; its 万元 SUM matches", async () => {
    const report = await executionReport(files.source.db, { year: 2024, asOf: "2024-08-31" });
    const rows = report.rows.slice(0, Math.max(2, report.rows.length - 1));
    const columns = ["unit", "project", "initial", "adjusted", "executed", "executionRate", "timeProgress", "gap", "plannedProgress", "planGap", "flagged", "behindPlan", "previousYearRate"];
    const spec = executionSheet(report, rows.map((row) => row.projectId), columns, "wan", "zh");
    const sheet = (await load(await writeWorkbook([spec]))).worksheets[0]!;
    expect((sheet.getRow(2).values as ExcelJS.CellValue[]).slice(6)).toEqual(["预算执行率(%)", "时间进度(%)", "进度差(百分点)", "计划进度(%)", "与计划差(百分点)", "预警", "计划预警", "上年同期执行率(%)"]);
    const data = body(sheet, 2);
    const total = data.at(-1)!;
    // As the grid's pinned row and the server's totals (one definition: executionTotal), and from its parts by hand:
    // executionFigures of the exact sums, the plan from the added planned amounts, the flags counted.
    const screen = executionFigures(totalAmounts(rows), report.year, report.asOf, report.threshold);
    const plan = totalPlanFigures(rows, screen, report.threshold);
    const defined = executionTotal(rows, report.year, report.asOf, report.threshold);
    expect([defined.executionRate, defined.plannedProgress, defined.previousYearRate]).toEqual([screen.executionRate, plan.plannedProgress, previousYearRate(rows.map((row) => row.previousYear))]);
    expect(total[0]).toBe("合计");
    expect(total[1]).toBe(rows.length); // the number of projects, as a number
    expect(total.slice(5, 13)).toEqual([
      Number(screen.executionRate),
      Number(screen.timeProgress),
      Number(screen.gap),
      Number(plan.plannedProgress),
      Number(plan.planGap),
      rows.filter((row) => row.flagged).length,
      rows.filter((row) => row.behindPlan).length,
      defined.previousYearRate === null ? null : Number(defined.previousYearRate),
    ]);
    // Every row exported: the screen's own 合计 (the report's total).
    const all = body((await load(await writeWorkbook([executionSheet(report, report.rows.map((row) => row.projectId), columns, "yuan", "zh")]))).worksheets[0]!, 2).at(-1)!;
    expect(all.slice(1, 13)).toEqual([
      report.total.projects,
      Number(report.total.initial),
      Number(report.total.adjusted),
      Number(report.total.executed),
      Number(report.total.executionRate),
      Number(report.total.timeProgress),
      Number(report.total.gap),
      Number(report.total.plannedProgress),
      Number(report.total.planGap),
      report.total.flaggedProjects,
      report.total.behindPlanProjects,
      report.total.previousYearRate === null ? null : Number(report.total.previousYearRate),
    ]);
    // Each project's plan figures and flags as the report gives them.
    for (const [index, row] of rows.entries()) {
      expect(data[index]!.slice(8), row.projectName).toEqual([
        row.plannedProgress === null ? null : Number(row.plannedProgress),
        row.planGap === null ? null : Number(row.planGap),
        row.flagged ? "低于预警线" : null,
        row.behindPlan ? "落后计划" : null,
        row.previousYearRate === null ? null : Number(row.previousYearRate),
      ]);
    }
    for (const [index, key] of [[2, "initial"], [3, "adjusted"], [4, "executed"]] as const) {
      const sum = data.slice(0, -1).reduce((acc, row) => acc.plus(exact(row[index]!)), new Decimal(0));
      // Excel's SUM of the column is the total cell, and shows (2 decimals) what the screen shows.
      expect(sum.equals(exact(total[index]!)), key).toBe(true);
      expect(sum.times(10_000).toFixed(2), key).toBe(screen[key]);
      expect(sum.toFixed(2, Decimal.ROUND_HALF_UP), key).toBe(formatAmount(screen[key], "wan").replace(/,/g, ""));
    }
  });

  it("keeps the lines export and its 合计 the same from the grouped payments", async () => {
    const ledger = (await getProjectLedger(files.source.db, projectId))!;
    const summary = (await getProjectSummaryLedger(files.source.db, projectId))!;
    const sheet = (await load(await writeWorkbook([linesSheet(summary, "2024-12-31", null, ["item", "initial", "adjusted", "executed", "executionRate"], "yuan", "zh")]))).worksheets[0]!;
    const view = projectExecution({ fiscalYear: 2024, ...ledger }, "2024-12-31");
    const total = body(sheet, 2).at(-1)!;
    expect(total).toEqual(["合计", Number(view.figures.initial), Number(view.figures.adjusted), Number(view.figures.executed), Number(view.figures.executionRate)]);
    expect(summary.paymentCount).toBe(ledger.payments.length);
  });
});
