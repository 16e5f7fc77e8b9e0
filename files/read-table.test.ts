import Decimal from "decimal.js";
import ExcelJS from "exceljs";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_IMPORT_BYTES, TableFileError, UnknownSheetError, openTable, type OpenedTable, type TableRow } from "./read-table.ts";
import { encodeGb18030 } from "../test/support/gb18030.ts";
import { msg, render, type Message } from "../messages/index.ts";

const zh = (message: Message) => render("zh", message);
const en = (message: Message) => render("en", message);
const missing = (columns: string) => msg("impMissingColumns", { columns });

const fixtures = new URL("../test/fixtures/import/", import.meta.url);
const fixture = (name: string) => ({ path: new URL(name, fixtures).pathname });
const temp = mkdtempSync(join(tmpdir(), "read-table-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const PAYMENT_HEADERS = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"];
const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";

async function rowsOf(table: OpenedTable): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

async function readAll(source: Parameters<typeof openTable>[0], options?: Parameters<typeof openTable>[1]): Promise<{ table: OpenedTable; rows: TableRow[] }> {
  const table = await openTable(source, options);
  return { table, rows: await rowsOf(table) };
}

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<TableFileError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TableFileError);
    return error as TableFileError;
  }
  throw new Error("expected a TableFileError");
}

const total = (rows: TableRow[], column: number) =>
  rows.reduce((sum, row) => sum.plus(row.cells[column]!.replace(/,/g, "") || "0"), new Decimal(0)).toFixed(2);

describe("the fixtures", () => {
  it("reads Excel's “CSV UTF-8”: BOM, CRLF, General numbers, a line break inside a 备注", async () => {
    const { table, rows } = await readAll(fixture("payments-maqiao-utf8-bom.csv"));
    expect(table).toMatchObject({ format: "csv", encoding: "utf-8-bom", sheetName: null, headerRowNumber: 1, headers: PAYMENT_HEADERS });
    expect(rows).toHaveLength(33);
    expect(rows.map((row) => row.rowNumber)).toEqual(Array.from({ length: 33 }, (_, index) => index + 2));
    expect(rows[0]!.cells.slice(0, 12)).toEqual(["2024", MAQIAO, "医疗救助", "", "2024/1/10", "社会化发放", "112", "56307.81", "", "0", "0", ""]);
    const late = rows.find((row) => row.cells[4] === "2024/7/2")!;
    expect(late.rowNumber).toBe(16);
    expect(late.cells.slice(3, 9)).toEqual(["城乡居民基本医疗保险个人缴费补助资金", "2024/7/2", "划拨", "", "32880", "2024/6/20"]);
    expect(late.cells[12]).toContain("专用存款户；\n通知要求6月20日前划拨");
    expect(total(rows, 7)).toBe("1471745.31");
    expect(total(rows, 6)).toBe("1896.00");
    expect(table.notes.map(zh)).toEqual([]);
  });

  it("reads Excel's “CSV（逗号分隔）” from Chinese Windows: GB18030, quoted amounts with thousands separators", async () => {
    const { table, rows } = await readAll(fixture("payments-maqiao-gb18030.csv"));
    expect(table).toMatchObject({ format: "csv", encoding: "gb18030", headers: PAYMENT_HEADERS });
    expect(rows).toHaveLength(33);
    expect(rows[2]!.cells.slice(1, 12)).toEqual([MAQIAO, "医疗救助", "", "2024年2月10日", "社会化发放", "73", "18,096.59", "", "1", "247.90", "2024年2月20日"]);
    expect(rows[2]!.cells[12]).toContain("取本批人均247.90元（18096.59÷73，四舍五入到分）");
    expect(total(rows, 7)).toBe("1471745.31");
  });

  it("reads the XLSX payment ledger with real date cells (custom and built-in formats)", async () => {
    const { table, rows } = await readAll(fixture("payments-maqiao.xlsx"));
    expect(table).toMatchObject({ format: "xlsx", encoding: null, sheetName: "支付明细", headerRowNumber: 1, headers: PAYMENT_HEADERS });
    expect(rows).toHaveLength(33);
    expect(rows[14]!.cells.slice(0, 12)).toEqual(["2024", MAQIAO, "医疗救助", "城乡居民基本医疗保险个人缴费补助资金", "2024-07-02", "划拨", "", "32880", "2024-06-20", "0", "0", ""]);
    expect(rows[2]!.cells.slice(9, 12)).toEqual(["1", "247.9", "2024-02-20"]);
    expect(total(rows, 7)).toBe("1471745.31");
    expect(table.notes.map(zh)).toEqual([]);
  });

  it("reads the XLSX adjustments of 表1-3-2: dates, signed amounts", async () => {
    const { table, rows } = await readAll(fixture("adjustments-maqiao.xlsx"));
    expect(table).toMatchObject({ format: "xlsx", sheetName: "预算调整", headerRowNumber: 1, headers: ["年度", "预算单位", "项目名称", "项目明细", "调整日期", "调整金额(元)", "资金级次", "调整原因", "文号"] });
    expect(rows).toHaveLength(11);
    expect(rows[1]!.cells.slice(0, 7)).toEqual(["2024", MAQIAO, "医疗救助", "城乡居民基本医疗保险个人缴费补助资金", "2024-07-15", "-13620", "镇级"]);
    expect(total(rows, 5)).toBe("121745.31");
    expect(table.notes.map(zh)).toEqual([]);
  });

  it("reads budget lines in 万元 below a merged title, with a 合计 formula that foots", async () => {
    const { table, rows } = await readAll(fixture("budget-lines-maqiao-wan.xlsx"));
    expect(table.headerRowNumber).toBe(2);
    expect(table.headers).toEqual(["年度", "预算单位", "项目名称", "项目构成", "项目明细", "资金级次", "资金类型", "年初预算(万元)", "单价", "数量", "依据", "安排月份"]);
    expect(table.titleRows).toEqual([{ rowNumber: 1, cells: ["2024年马桥镇医疗救助项目预算明细表"] }]);
    expect(rows).toHaveLength(12);
    expect(rows[0]).toEqual({
      rowNumber: 3,
      cells: ["2024", MAQIAO, "医疗救助", "内扣社区医疗互助帮困资金", "社区医疗互助帮困资金", "镇级", "当年财政拨款", "54.6", "1200", "455", "闵医保发〔2023〕4号", "1-12"],
    });
    expect(rows[8]!.cells.slice(4, 12)).toEqual(["直达资金-2024年医疗救助补助资金财力结算", "中央", "当年财政拨款", "0", "", "", "", ""]);
    const totalRow = rows.at(-1)!;
    expect(totalRow.rowNumber).toBe(14);
    expect(totalRow.cells[1]).toBe("合计");
    expect(totalRow.cells[7]).toBe("135");
    expect(total(rows.slice(0, -1), 7)).toBe("135.00");
    expect(table.notes.map(zh)).toContain("第14行第H列是公式，已取其计算结果");
    expect(table.notes.some((note) => zh(note).includes("视为标题，已跳过"))).toBe(true);
  });

  it("takes formulas' cached results, with one note per column", async () => {
    const { table, rows } = await readAll(fixture("formulas.xlsx"));
    expect(rows.map((row) => row.cells[7])).toEqual(["546000", "46500", "2400", "9600", "26000", "270000", "338000", "111500", "0", "0", "0", "1350000"]);
    expect(table.notes.map(zh)).toEqual(["第H列有 9 个公式单元格（第2行至第13行），已取其计算结果"]);
  });

  it("refuses merged cells in the data, naming the range", async () => {
    const error = await failure(openTable(fixture("merged-cells.xlsx")));
    expect(error.message).toMatch(/^C2:C9 是合并单元格：请取消合并并在每一行填写/);
    expect(error).toMatchObject({ rowNumber: 2, column: "C" });
  });

  it("refuses a formula without a cached result, naming the cell", async () => {
    const error = await failure(readAll(fixture("formula-without-result.xlsx")));
    expect(error.message).toMatch(/^第16行第H列的公式没有计算结果：请在 Excel 中打开、重新计算并保存/);
    expect(error).toMatchObject({ rowNumber: 16, column: "H" });
  });

  it("refuses a truncated XLSX before reading anything", async () => {
    const error = await failure(openTable(fixture("corrupt.xlsx")));
    expect(error.message).toMatch(/^XLSX 文件已损坏或不完整/);
  });

  it("refuses an empty file", async () => {
    expect((await failure(openTable(fixture("empty.csv")))).message).toMatch(/^文件为空/);
    expect((await failure(openTable({ bytes: new Uint8Array(0), fileName: "x.xlsx" }))).message).toMatch(/^文件为空/);
  });

  it("passes full-width digits and 全角 commas through as text, not as column breaks", async () => {
    const { table, rows } = await readAll(fixture("fullwidth-digits.csv"));
    expect(table.headers).toEqual(PAYMENT_HEADERS);
    expect(rows).toHaveLength(7);
    expect(rows[0]!.cells.slice(6, 11)).toEqual(["１１２", "５６，３０７．８１", "", "0", "０．００"]);
  });

  it("reads the same rows from bytes as from the path", async () => {
    for (const name of ["payments-maqiao-gb18030.csv", "payments-maqiao.xlsx"]) {
      const fromPath = await readAll(fixture(name));
      const fromBytes = await readAll({ bytes: readFileSync(fixture(name).path), fileName: name });
      expect(fromBytes.rows).toEqual(fromPath.rows);
      expect(fromBytes.table.headers).toEqual(fromPath.table.headers);
    }
  });
});

describe("CSV", () => {
  const csvBytes = (text: string) => ({ bytes: Buffer.from(text, "utf8"), fileName: "data.csv" });

  it("detects UTF-8 without a BOM", async () => {
    const { table, rows } = await readAll(csvBytes("年度,金额(元)\n2024,56307.81\n"));
    expect(table.encoding).toBe("utf-8");
    expect(rows).toEqual([{ rowNumber: 2, cells: ["2024", "56307.81"] }]);
  });

  it("decides the encoding from the whole file, not its beginning", async () => {
    const ascii = `year,amount,note\r\n${"2024,1.00,ok\r\n".repeat(40_000)}`;
    const bytes = Buffer.concat([Buffer.from(ascii), Buffer.from([0xc2, 0xed, 0xc7, 0xc5]), Buffer.from(",2.00,x\r\n")]); // 马桥 in GBK
    const path = join(temp, "late-gbk.csv");
    writeFileSync(path, bytes);
    const { table, rows } = await readAll({ path });
    expect(table.encoding).toBe("gb18030");
    expect(rows.at(-1)!.cells).toEqual(["马桥", "2.00", "x"]);
  });

  it("decodes characters cut by chunk boundaries, in UTF-8 and in GB18030", async () => {
    const expected: string[][] = [];
    let text = "预算单位,项目名称,金额(元)\r\n";
    for (let index = 0; index < 30_000; index++) {
      const row = [`马桥镇${index}号单位`, `医疗救助（${"社区".repeat(index % 7)}）`, `${index},${index % 100}`];
      expected.push(row);
      text += `${row[0]},${row[1]},"${row[2]}"\r\n`;
    }
    const gbBytes = encodeGb18030(text);
    for (const [name, bytes, encoding] of [
      ["utf8.csv", Buffer.from(text), "utf-8"],
      ["gb.csv", gbBytes, "gb18030"],
    ] as const) {
      const path = join(temp, name);
      writeFileSync(path, bytes);
      for (const source of [{ path }, { bytes, fileName: name }]) {
        const { table: opened, rows } = await readAll(source);
        expect(opened.encoding).toBe(encoding);
        expect(rows.map((row) => row.cells)).toEqual(expected);
      }
    }
  });

  it("reads tab-separated text when the header has tabs and no commas", async () => {
    const { rows, table } = await readAll(csvBytes("年度\t金额(元)\t备注\n2024\t18,096.59\t甲,乙\n"));
    expect(table.headers).toEqual(["年度", "金额(元)", "备注"]);
    expect(rows[0]!.cells).toEqual(["2024", "18,096.59", "甲,乙"]);
  });

  it("skips one-cell title lines above the header, and says so", async () => {
    const { table, rows } = await readAll(csvBytes("2024年马桥镇医疗救助支付明细,,,\r\n单位：元,,,\r\n,,,\r\n年度,预算单位,金额(元),\r\n2024,马桥,56307.81,\r\n"));
    expect(table.headerRowNumber).toBe(4);
    expect(table.headers).toEqual(["年度", "预算单位", "金额(元)"]);
    expect(table.titleRows.map((row) => row.rowNumber)).toEqual([1, 2]);
    expect(table.notes.map(zh)).toEqual(["第1至2行（“2024年马桥镇医疗救助支付明细”、“单位：元”）在表头上方，视为标题，已跳过；表头在第4行"]);
    expect(rows).toEqual([{ rowNumber: 5, cells: ["2024", "马桥", "56307.81"] }]);
  });

  it("takes a one-column file's first row as its header", async () => {
    const { table, rows } = await readAll(csvBytes("备注\n甲\n乙\n"));
    expect(table.headers).toEqual(["备注"]);
    expect(rows.map((row) => row.cells)).toEqual([["甲"], ["乙"]]);
  });

  it("skips empty rows, pads short rows to the header, keeps cells beyond it", async () => {
    const { rows } = await readAll(csvBytes("a,b,c\n\n,,\n1\n1,2,3,4,,\n"));
    expect(rows).toEqual([
      { rowNumber: 4, cells: ["1", "", ""] },
      { rowNumber: 5, cells: ["1", "2", "3", "4"] },
    ]);
  });

  it("refuses a file with only empty lines", async () => {
    expect((await failure(openTable(csvBytes("\r\n,,,\r\n  \r\n")))).message).toMatch(/^文件为空/);
  });

  it("refuses a quoted field that never closes", async () => {
    const error = await failure(readAll(csvBytes('a,b\n1,"2\n3,4\n')));
    expect(error.rowNumber).toBe(2);
  });
});

describe("what is not a table", () => {
  it("refuses files over the limit before reading them", async () => {
    expect(MAX_IMPORT_BYTES).toBe(32 * 1024 * 1024);
    const path = join(temp, "big.csv");
    const line = `2024,${MAQIAO},医疗救助,,2024-01-10,社会化发放,112,56307.81,,0,0.00,,\r\n`;
    writeFileSync(path, line.repeat(Math.ceil((50 * 1024 * 1024) / Buffer.byteLength(line))));
    const started = performance.now();
    const error = await failure(openTable({ path }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.message).toMatch(/^文件过大（50\.0 MB，上限 32 MB）/);
    expect((await failure(openTable({ bytes: readFileSync(path), fileName: "big.csv" }))).message).toMatch(/^文件过大/);
    expect((await failure(openTable({ bytes: Buffer.from("a,b\n1,2\n") }, { maxBytes: 4 }))).message).toMatch(/^文件过大/);
  });

  it("says so when the path cannot be read", async () => {
    expect((await failure(openTable({ path: join(temp, "missing.csv") }))).message).toMatch(/^无法读取文件/);
    expect((await failure(openTable({ path: temp }))).message).toMatch(/^无法读取文件/);
  });

  it("names the formats people mistake for XLSX or CSV", async () => {
    const cases: Array<[Uint8Array, string, RegExp]> = [
      [Buffer.from("d0cf11e0a1b11ae1" + "00".repeat(504), "hex"), "预算.xls", /旧版 Excel 97-2003/],
      [Buffer.from("\ufeff年度,金额\r\n", "utf16le"), "data.txt", /UTF-16/],
      [Buffer.from('<html><body><table><tr><td>年度</td></tr></table></body></html>'), "export.xls", /网页（HTML）/],
      [Buffer.from("年度,金额\n2024,1\n"), "data.xlsx", /^XLSX 文件已损坏或不完整/],
      [Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x00, 0x01, 0x02]), "report.pdf", /^文件不是有效的 XLSX 或 CSV 文件/],
      [Buffer.from([0xff, 0xfe - 1, 0xff, 0x80, 0x2c, 0x0a, 0xff, 0xff, 0x0a]), "junk.csv", /^文件不是有效的 CSV 文本/],
    ];
    for (const [bytes, fileName, message] of cases) expect((await failure(openTable({ bytes, fileName }))).message).toMatch(message);
  });

  it("refuses random bytes without hanging", async () => {
    let seed = 7;
    const random = Buffer.alloc(100_000, 0).map(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff);
    await failure(openTable({ bytes: random, fileName: "data.csv" }));
    await failure(openTable({ bytes: Buffer.concat([Buffer.from("PK\x03\x04"), random]), fileName: "data.xlsx" }));
  });

  it("refuses an XLSX cut off anywhere, or with damaged bytes, with a clear message and no hang", async () => {
    const good = readFileSync(fixture("payments-maqiao.xlsx").path);
    for (let cut = 0.05; cut < 1; cut += 0.05) {
      const error = await failure(readAll({ bytes: good.subarray(0, Math.floor(good.length * cut)), fileName: "x.xlsx" }));
      expect(error.message).toMatch(/XLSX 文件已损坏或不完整|文件不是有效的/);
    }
    for (let at = 200; at < good.length - 200; at += 997) {
      const damaged = Buffer.from(good);
      damaged[at] = damaged[at]! ^ 0xff;
      // Damage in unused bytes (ZIP padding, unread parts) may go unnoticed; anything else is a TableFileError.
      await readAll({ bytes: damaged, fileName: "x.xlsx" }).catch((error: unknown) => expect(error).toBeInstanceOf(TableFileError));
    }
  });

  it("refuses a ZIP that holds no workbook, and an OpenDocument spreadsheet", async () => {
    expect((await failure(openTable({ bytes: zip({ "readme.txt": "hello" }) }))).message).toMatch(/^压缩包里没有 Excel 工作簿/);
    expect((await failure(openTable({ bytes: zip({ mimetype: "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>" }) }))).message).toMatch(/OpenDocument/);
  });
});

describe("XLSX cells", () => {
  async function exceljsWorkbook(build: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    build(workbook.addWorksheet("数据"));
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  it("refuses error values, naming the cell", async () => {
    const withError = await exceljsWorkbook((sheet) => {
      sheet.addRow(["项目", "金额(元)", "执行率"]);
      sheet.addRow(["医疗救助", 1471745.31, { formula: "B2/0", result: { error: "#DIV/0!" } }]);
    });
    const error = await failure(readAll({ bytes: withError }));
    expect(error.message).toMatch(/^第2行第C列的公式结果是错误值 #DIV\/0!/);
    expect(error).toMatchObject({ rowNumber: 2, column: "C" });
    const withRef = await exceljsWorkbook((sheet) => {
      sheet.addRow(["项目", "金额(元)"]);
      sheet.addRow(["医疗救助", { error: "#REF!" }]);
    });
    expect((await failure(readAll({ bytes: withRef }))).message).toMatch(/^第2行第B列是错误值 #REF!/);
  });

  it("turns booleans, rich text, shared-formula text and large numbers into text", async () => {
    const bytes = await exceljsWorkbook((sheet) => {
      sheet.addRow(["a", "b", "c", "d"]);
      sheet.addRow([true, { richText: [{ text: "马桥" }, { font: { bold: true }, text: "镇" }] }, { formula: "A1&B1", result: "ab" }, 1e21]);
      sheet.addRow([false, "  spaced  ", { sharedFormula: "C2", result: "cd" }, -0.000015]);
    });
    const { rows, table } = await readAll({ bytes });
    expect(rows.map((row) => row.cells)).toEqual([
      ["TRUE", "马桥镇", "ab", "1000000000000000000000"],
      ["FALSE", "spaced", "cd", "-0.000015"],
    ]);
    expect(table.notes.map(zh)).toEqual(["第C列有 2 个公式单元格（第2行至第3行），已取其计算结果"]);
  });

  it("reads Chinese shared strings cut by chunk boundaries intact", async () => {
    const expected: string[][] = [];
    const bytes = await exceljsWorkbook((sheet) => {
      sheet.addRow(["预算单位", "备注"]);
      for (let index = 0; index < 20_000; index++) {
        const row = [`上海市闵行区马桥镇第${index}社区`, `第${index}批社会化发放，${"已重发".repeat(index % 5)}`];
        expected.push(row);
        sheet.addRow(row);
      }
    });
    const { rows } = await readAll({ bytes });
    expect(rows.map((row) => row.cells)).toEqual(expected);
  });

  it("reads what other writers produce: inline strings, ISO dates, zh-CN built-in date formats, prefixes", async () => {
    const sheet = `<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>支付日期</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:r><x:t>金额</x:t></x:r><x:r><x:t xml:space="preserve">(元) </x:t></x:r></x:is></x:c><x:c t="inlineStr"><x:is><x:t>备注</x:t><x:rPh sb="0" eb="2"><x:t>beizhu</x:t></x:rPh></x:is></x:c></x:row>
<x:row r="3"><x:c r="A3" s="1"><x:v>45475</x:v></x:c><x:c r="B3" s="2"><x:v>32880</x:v></x:c><x:c r="C3" t="inlineStr"><x:is><x:t>A &amp; B &lt;逾期&gt;_x000D_</x:t></x:is></x:c></x:row>
<x:row><x:c t="d"><x:v>2024-11-15T00:00:00Z</x:v></x:c><x:c s="3"><x:v>4281.25</x:v></x:c><x:c t="str"><x:f>"x"</x:f><x:v></x:v></x:c></x:row>
</x:sheetData></x:worksheet>`;
    const styles = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="176" formatCode="#,##0.00&quot;元&quot;"/></numFmts>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="31" applyNumberFormat="1"/><xf numFmtId="4"/><xf numFmtId="176" applyNumberFormat="1"><alignment horizontal="right"/></xf></cellXfs></styleSheet>`;
    const { table, rows } = await readAll({ bytes: xlsx({ sheets: [{ name: "支付", xml: sheet }], styles }) });
    expect(table.headers).toEqual(["支付日期", "金额(元)", "备注"]);
    expect(rows).toEqual([
      { rowNumber: 3, cells: ["2024-07-02", "32880", "A & B <逾期>"] },
      { rowNumber: 4, cells: ["2024-11-15", "4281.25", ""] },
    ]);
  });

  it("keeps a date cell's time of day unless it is midnight", async () => {
    const sheet = sheetXml([["支付日期", "到期日"], [{ s: 1, v: "45475" }, { s: 1, v: "45475.375" }]]);
    const styles = `<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="22"/></cellXfs></styleSheet>`;
    const { rows } = await readAll({ bytes: xlsx({ sheets: [{ name: "S", xml: sheet }], styles }) });
    expect(rows[0]!.cells).toEqual(["2024-07-02", "2024-07-02 09:00:00"]);
    const iso = sheetXml([["a", "b"], [{ t: "d", v: "2024-11-15T00:00:00Z" }, { t: "d", v: "2024-11-15T09:30:00" }]]);
    expect((await readAll({ bytes: xlsx({ sheets: [{ name: "S", xml: iso }] }) })).rows[0]!.cells).toEqual(["2024-11-15", "2024-11-15 09:30:00"]);
  });

  it("uses the 1904 date system when the workbook says so", async () => {
    const sheet = sheetXml([["日期", "x"], [{ s: 1, v: String(45475 - 1462) }, "1"]]);
    const styles = `<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`;
    const { rows } = await readAll({ bytes: xlsx({ sheets: [{ name: "S", xml: sheet }], styles, date1904: true }) });
    expect(rows[0]!.cells).toEqual(["2024-07-02", "1"]);
  });

  it("reads the first visible sheet with data and says which sheets it left", async () => {
    const bytes = xlsx({
      sheets: [
        { name: "代码表", xml: sheetXml([["代码", "名称"], ["1", "中央"]]), state: "hidden" },
        { name: "说明", xml: sheetXml([]) },
        { name: "支付明细", xml: sheetXml([["年度", "金额(元)"], ["2024", "56307.81"]]) },
        { name: "月度汇总", xml: sheetXml([["月份", "金额"], ["1", "87149.70"]]) },
      ],
    });
    const { table, rows } = await readAll({ bytes });
    expect(table.sheetName).toBe("支付明细");
    expect(rows).toEqual([{ rowNumber: 2, cells: ["2024", "56307.81"] }]);
    expect(table.notes.map(zh)).toEqual(["工作表“说明”没有数据，已读取工作表“支付明细”", "只读取了工作表“支付明细”；其余工作表（月度汇总）未读取"]);
  });

  it("reads a worksheet chosen by name, hidden or not", async () => {
    const bytes = xlsx({
      sheets: [
        { name: "预算明细", xml: sheetXml([["项目明细", "年初预算(元)"], ["社区医疗互助帮困资金", "546000"]]) },
        { name: "支付明细", xml: sheetXml([["支付日期", "金额(元)"], ["2024-01-10", "56307.81"]]), state: "hidden" },
      ],
    });
    const { table, rows } = await readAll({ bytes }, { sheet: "支付明细" });
    expect(table.sheetName).toBe("支付明细");
    expect(table.notes.map(zh)).toEqual([]);
    expect(rows[0]!.cells).toEqual(["2024-01-10", "56307.81"]);
    expect((await failure(openTable({ bytes }, { sheet: "预算调整" }))).message).toMatch(/^工作簿中没有名为“预算调整”的工作表/);
  });

  it("reads the first worksheet whose header the importer accepts, and names it", async () => {
    const bytes = xlsx({
      sheets: [
        { name: "预算明细", xml: sheetXml([["项目明细", "年初预算(元)"], ["社区医疗互助帮困资金", "546000"]]) },
        { name: "说明", xml: sheetXml([]) },
        { name: "支付明细", xml: sheetXml([["支付日期", "金额(元)"], ["2024-01-10", "56307.81"]]) },
        { name: "月度汇总", xml: sheetXml([["月份", "金额(元)"], ["1", "87149.70"]]) },
      ],
    });
    const needsDate = (headers: readonly string[]) => (headers.includes("支付日期") ? null : missing("支付日期"));
    const { table, rows } = await readAll({ bytes }, { headerProblem: needsDate });
    expect(table.sheetName).toBe("支付明细");
    expect(rows).toEqual([{ rowNumber: 2, cells: ["2024-01-10", "56307.81"] }]);
    expect(table.notes.map(zh)).toEqual(["工作表“说明”没有数据，工作表“预算明细”不含所需的列，已读取工作表“支付明细”", "只读取了工作表“支付明细”；其余工作表（月度汇总）未读取"]);
    expect(en(table.notes[0]!)).toBe("skipped “说明” (empty); skipped “预算明细” (without the columns needed): read worksheet “支付明细”");
    // The first sheet accepted: the note names it all the same.
    expect((await readAll({ bytes }, { headerProblem: () => null })).table.notes.map(zh)).toEqual(["只读取了工作表“预算明细”；其余工作表（说明、支付明细、月度汇总）未读取"]);
    // No sheet accepted: every sheet's reason.
    expect((await failure(openTable({ bytes }, { headerProblem: () => missing("调整日期") }))).message).toBe(
      "工作簿中没有可导入的工作表：工作表“预算明细”缺少必需的列：调整日期；工作表“支付明细”缺少必需的列：调整日期；工作表“月度汇总”缺少必需的列：调整日期",
    );
    // A name given wins over the choice; an unknown name lists the sheets there are.
    expect((await readAll({ bytes }, { sheet: "月度汇总", headerProblem: needsDate })).table.sheetName).toBe("月度汇总");
    const unknown = await failure(openTable({ bytes }, { sheet: "调整" }));
    expect(unknown).toBeInstanceOf(UnknownSheetError);
    expect(unknown.message).toBe("工作簿中没有名为“调整”的工作表；工作表有：预算明细、说明、支付明细、月度汇总");
    expect(en(unknown.detail)).toBe("no worksheet named “调整”; the worksheets are: 预算明细, 说明, 支付明细, 月度汇总");
    expect((await failure(openTable({ bytes }, { sheet: "说明" }))).message).toMatch(/^工作表“说明”没有任何有内容的行/);
  });

  it("reads a single worksheet whatever its header, for the importer to say what it lacks", async () => {
    const bytes = xlsx({ sheets: [{ name: "说明", xml: sheetXml([]) }, { name: "支付", xml: sheetXml([["月份", "金额(元)"], ["1", "2.00"]]) }] });
    const { table } = await readAll({ bytes }, { headerProblem: () => missing("支付日期") });
    expect(table.sheetName).toBe("支付");
    expect(table.notes.map(zh)).toEqual(["工作表“说明”没有数据，已读取工作表“支付”"]);
  });

  it("allows a merged title above the header, refuses a merged header", async () => {
    const rows = [["2024年支付明细"], ["年度", "金额(元)"], ["2024", "1.00"]];
    const titleMerged = xlsx({ sheets: [{ name: "S", xml: sheetXml(rows, ["A1:B1"]) }] });
    expect((await readAll({ bytes: titleMerged })).table.headerRowNumber).toBe(2);
    const headerMerged = xlsx({ sheets: [{ name: "S", xml: sheetXml(rows, ["A1:B1", "A2:A3", "B2:B3", "C2:D2", "E3:E4"]) }] });
    expect((await failure(openTable({ bytes: headerMerged }))).message).toMatch(/^A2:A3、B2:B3、C2:D2 等 4 处 是合并单元格/);
  });

  it("refuses a workbook that would inflate beyond the limit", async () => {
    const bomb = xlsx({ sheets: [{ name: "S", xml: sheetXml([["a", "b"]]) }] });
    patchDeclaredSize(bomb, "xl/worksheets/sheet1.xml", 0x7fffffff);
    expect((await failure(openTable({ bytes: bomb }))).message).toMatch(/解压后超过/);
  });
});

describe("streaming", () => {
  it("releases the file when the rows are abandoned or never read", async () => {
    const table = await openTable(fixture("payments-maqiao.xlsx"));
    for await (const row of table.rows) {
      expect(row.rowNumber).toBe(2);
      break;
    }
    const unread = await openTable(fixture("payments-maqiao-gb18030.csv"));
    await unread.close();
    await table.close();
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-made workbooks, for what exceljs does not write.

type Cell = string | { s?: number; t?: string; v: string };

function sheetXml(rows: Cell[][], merges: string[] = []): string {
  const cells = rows
    .map((row, r) => {
      const inner = row
        .map((cell, c) => {
          const ref = `${String.fromCharCode(65 + c)}${r + 1}`;
          if (typeof cell === "string") return `<c r="${ref}" t="inlineStr"><is><t>${cell}</t></is></c>`;
          return `<c r="${ref}"${cell.s ? ` s="${cell.s}"` : ""}${cell.t ? ` t="${cell.t}"` : ""}><v>${cell.v}</v></c>`;
        })
        .join("");
      return `<row r="${r + 1}">${inner}</row>`;
    })
    .join("");
  const merged = merges.length > 0 ? `<mergeCells count="${merges.length}">${merges.map((ref) => `<mergeCell ref="${ref}"/>`).join("")}</mergeCells>` : "";
  return `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${cells}</sheetData>${merged}</worksheet>`;
}

function xlsx(options: { sheets: Array<{ name: string; xml: string; state?: string }>; styles?: string; date1904?: boolean }): Buffer {
  const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const parts: Record<string, string> = {
    "_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${rel}">${options.date1904 ? '<workbookPr date1904="1"/>' : ""}<sheets>${options.sheets
      .map((sheet, index) => `<sheet name="${sheet.name}" sheetId="${index + 1}"${sheet.state ? ` state="${sheet.state}"` : ""} r:id="rId${index + 1}"/>`)
      .join("")}</sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${options.sheets
      .map((_, index) => `<Relationship Id="rId${index + 1}" Type="${rel}/worksheet" Target="worksheets/sheet${index + 1}.xml"/>`)
      .join("")}<Relationship Id="rIdS" Type="${rel}/styles" Target="/xl/styles.xml"/></Relationships>`,
  };
  if (options.styles) parts["xl/styles.xml"] = options.styles;
  options.sheets.forEach((sheet, index) => (parts[`xl/worksheets/sheet${index + 1}.xml`] = sheet.xml));
  return zip(parts);
}

/** A ZIP of deflated entries, with the local headers and central directory of the format. */
function zip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, "utf8");
    const compressed = deflateRawSync(data);
    const nameBytes = Buffer.from(name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    directory.push(central, nameBytes);
    offset += 30 + nameBytes.length + compressed.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
}

/** Changes the uncompressed size the central directory declares for an entry. */
function patchDeclaredSize(archive: Buffer, name: string, size: number): void {
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let at = archive.indexOf(signature); at !== -1; at = archive.indexOf(signature, at + 1)) {
    if (archive.toString("utf8", at + 46, at + 46 + archive.readUInt16LE(at + 28)) === name) archive.writeUInt32LE(size, at + 24);
  }
}
