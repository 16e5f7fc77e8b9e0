import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { openTable, type TableRow } from "./read-table.ts";
import { writeWorkbook, type SheetSpec } from "./write-xlsx.ts";

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

const dashboard: SheetSpec = {
  name: "预算执行情况",
  title: "2024 年预算执行情况 截至 2024-08-31",
  columns: [
    { header: "预算单位", key: "unit", kind: "text", width: 36 },
    { header: "项目名称", key: "project", kind: "text" },
    { header: "调整后预算数(元)", key: "adjusted", kind: "amount" },
    { header: "预算执行数(元)", key: "executed", kind: "amount" },
    { header: "预算执行率", key: "executionRate", kind: "percent" },
    { header: "进度差(百分点)", key: "gap", kind: "percent" },
    { header: "人次", key: "personTimes", kind: "integer" },
    { header: "截至日期", key: "asOf", kind: "date" },
    { header: "低于75%", key: "flagged", kind: "text" },
  ],
  rows: [
    { unit: "上海市闵行区马桥镇社区事务受理服务中心", project: "医疗救助", adjusted: "1471745.31", executed: "1471745.31", executionRate: "100.00", gap: "33.33", personTimes: 1896, asOf: "2024-08-31", flagged: false },
    { unit: "上海市闵行区华漕镇社区事务受理中心", project: "医疗救助", adjusted: "1109200.00", executed: "959622.79", executionRate: "86.51", gap: "19.84", personTimes: 1809, asOf: "2024-08-31", flagged: null },
    { unit: "上海市闵行区医疗保障局", project: "医疗救助（区级）", adjusted: "0.00", executed: "-304254.69", executionRate: null, gap: null, personTimes: null, asOf: null, flagged: "是" },
  ],
  totalRow: { unit: "合计", adjusted: "2580945.31", executed: "2127113.41" },
};

describe("writeWorkbook", () => {
  it("writes amounts as exact numbers formatted #,##0.00, under a bold, frozen, filtered header", async () => {
    const workbook = await load(await writeWorkbook([dashboard]));
    const sheet = workbook.getWorksheet("预算执行情况")!;
    expect(sheet.getCell("A1").value).toBe("2024 年预算执行情况 截至 2024-08-31");
    expect(sheet.getRow(2).values).toEqual([, "预算单位", "项目名称", "调整后预算数(元)", "预算执行数(元)", "预算执行率(%)", "进度差(百分点)", "人次", "截至日期", "低于75%"]);
    expect(sheet.getCell("C2").font.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
    expect(sheet.autoFilter).toBe("A2:I5");

    expect(sheet.getCell("C3").value).toBe(1471745.31);
    expect(String(sheet.getCell("C3").value)).toBe("1471745.31");
    expect(sheet.getCell("C3").numFmt).toBe("#,##0.00");
    expect(sheet.getCell("D4").value).toBe(959622.79);
    expect(sheet.getCell("C5").value).toBe(0);
    expect(sheet.getCell("D5").value).toBe(-304254.69);
  });

  it("writes percentages as numbers formatted 0.00, integers as numbers, dates as date cells formatted yyyy-mm-dd", async () => {
    const sheet = (await load(await writeWorkbook([dashboard]))).worksheets[0]!;
    expect(sheet.getCell("E4").value).toBe(86.51);
    expect(sheet.getCell("E4").numFmt).toBe("0.00");
    expect(sheet.getCell("F3").value).toBe(33.33);
    expect(sheet.getCell("G3").value).toBe(1896);
    expect(sheet.getCell("G3").numFmt).toBe("0");
    expect(sheet.getCell("H3").value).toEqual(new Date("2024-08-31T00:00:00Z"));
    expect(sheet.getCell("H3").type).toBe(ExcelJS.ValueType.Date);
    expect(sheet.getCell("H3").numFmt).toBe("yyyy-mm-dd");
    expect(sheet.getCell("I3").value).toBe(false);
    expect(sheet.getCell("I5").value).toBe("是");
  });

  it("keeps text that is not a civil date as text in a date column", async () => {
    const sheet = (await load(await writeWorkbook([{ name: "x", columns: [{ header: "日期", key: "on", kind: "date" }], rows: [{ on: "待定" }, { on: "2024-02-30" }, { on: "2024-02-29" }] }]))).worksheets[0]!;
    expect(sheet.getCell("A2").value).toBe("待定");
    expect(sheet.getCell("A4").value).toEqual(new Date("2024-02-29T00:00:00Z"));
  });

  it("writes exact 万元 amounts (6 decimals) as they are, shown with 2 decimals, so that SUM is exact", async () => {
    const sheet = (await load(await writeWorkbook([{ name: "x", columns: [{ header: "金额(万元)", key: "amount", kind: "amount" }], rows: [{ amount: "5.630781" }, { amount: "0.000001" }] }]))).worksheets[0]!;
    expect(sheet.getCell("A2").value).toBe(5.630781);
    expect(sheet.getCell("A2").numFmt).toBe("#,##0.00");
    expect(sheet.getCell("A3").value).toBe(0.000001);
  });

  it("reads rows from an async iterable and adds total rows computed after them", async () => {
    let sum = 0;
    async function* rows() {
      for (let index = 1; index <= 450; index++) {
        sum += index;
        yield { n: index, on: "2024-07-02" };
      }
    }
    const spec: SheetSpec = {
      name: "x",
      columns: [{ header: "序号", key: "n", kind: "integer" }, { header: "日期", key: "on", kind: "date" }],
      rows: rows(),
      totalRows: () => [{ n: sum }, { n: -1 }],
    };
    const sheet = (await load(await writeWorkbook([spec]))).worksheets[0]!;
    expect(sheet.rowCount).toBe(453);
    expect(sheet.getCell("A451").value).toBe(450);
    expect(sheet.getCell("A452").value).toBe((450 * 451) / 2);
    expect(sheet.getCell("A452").font.bold).toBe(true);
    expect(sheet.getCell("A453").value).toBe(-1);
    expect(sheet.autoFilter).toBe("A1:B451");
  });

  it("leaves empty cells for null values", async () => {
    const sheet = (await load(await writeWorkbook([dashboard]))).worksheets[0]!;
    for (const address of ["E5", "F5", "G5", "H5", "I4"]) expect(sheet.getCell(address).value).toBeNull();
  });

  it("writes a bold total row below the data, outside the filter", async () => {
    const sheet = (await load(await writeWorkbook([dashboard]))).worksheets[0]!;
    expect(sheet.getCell("A6").value).toBe("合计");
    expect(sheet.getCell("C6").value).toBe(2580945.31);
    expect(sheet.getCell("C6").numFmt).toBe("#,##0.00");
    expect(sheet.getCell("C6").font.bold).toBe(true);
    expect(sheet.rowCount).toBe(6);
  });

  it("starts with the header when there is no title, and writes several sheets with Excel-safe names", async () => {
    const lines: SheetSpec = {
      name: "预算明细",
      columns: [
        { header: "项目明细", key: "item", kind: "text" },
        { header: "年初预算(万元)", key: "initial", kind: "amount" },
      ],
      rows: [{ item: "社区医疗互助帮困资金", initial: "54.60" }],
    };
    const workbook = await load(await writeWorkbook([lines, { ...lines, name: "预算明细" }, { ...lines, name: "调整/支付[2024]?" }]));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["预算明细", "预算明细 (2)", "调整_支付_2024__"]);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([, "项目明细", "年初预算(万元)"]);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getCell("B2").value).toBe(54.6);
  });

  it("refuses text in a number column (a programming error, not data)", async () => {
    await expect(
      writeWorkbook([{ name: "x", columns: [{ header: "金额(元)", key: "amount", kind: "amount" }], rows: [{ amount: "1,471,745.31" }] }]),
    ).rejects.toThrow(/expects a number/);
  });

  it("reads back through openTable with the same figures", async () => {
    const table = await openTable({ bytes: await writeWorkbook([dashboard]), fileName: "export.xlsx" });
    expect(table.headerRowNumber).toBe(2);
    const rows: TableRow[] = [];
    for await (const row of table.rows) rows.push(row);
    expect(rows.map((row) => row.cells.slice(0, 8))).toEqual([
      ["上海市闵行区马桥镇社区事务受理服务中心", "医疗救助", "1471745.31", "1471745.31", "100", "33.33", "1896", "2024-08-31"],
      ["上海市闵行区华漕镇社区事务受理中心", "医疗救助", "1109200", "959622.79", "86.51", "19.84", "1809", "2024-08-31"],
      ["上海市闵行区医疗保障局", "医疗救助（区级）", "0", "-304254.69", "", "", "", ""],
      ["合计", "", "2580945.31", "2127113.41", "", "", "", ""],
    ]);
  });

  it("streams a large export", async () => {
    const rows = Array.from({ length: 50_000 }, (_, index) => ({ unit: `马桥镇第${index}批`, amount: `${index}.${String(index % 100).padStart(2, "0")}` }));
    const started = performance.now();
    const bytes = await writeWorkbook([{ name: "支付明细", columns: [{ header: "批次", key: "unit", kind: "text" }, { header: "金额(元)", key: "amount", kind: "amount" }], rows }]);
    expect(performance.now() - started).toBeLessThan(15_000);
    const table = await openTable({ bytes });
    let count = 0;
    let last: TableRow | undefined;
    for await (const row of table.rows) {
      count++;
      last = row;
    }
    expect(count).toBe(50_000);
    expect(last!.cells).toEqual(["马桥镇第49999批", "49999.99"]);
  });
});
