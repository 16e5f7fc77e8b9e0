import { randomBytes } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { TableFileError, openTable, type TableRow } from "./read-table.ts";
import { MAX_CELL_CHARS, MAX_COLUMNS, MAX_HELD_CELLS, MAX_SHARED_STRINGS } from "./limits.ts";
import { locateHeader } from "./locate-header.ts";
import { FormulaTally, SheetScanner } from "./sheet-scanner.ts";
import { writeWorkbook } from "./write-xlsx.ts";
import { render, type Message } from "../messages/index.ts";
import { HEADER_ROWS, SST_END, SST_START, WORKSHEET_END, WORKSHEET_START, incompressible, part, workbook, type Piece } from "./testing/hostile-zip.ts";

/*
 * Hostile files (issue 17): each is refused with a message naming the problem, in bounded memory and
 * time. The files are built here; those that inflate to hundreds of MB are repeated deflate segments
 * (files/testing/hostile-zip.ts), a few MB in memory at most.
 */

const MB = 1024 * 1024;
const zh = (message: Message) => render("zh", message);
const en = (message: Message) => render("en", message);

// The garbage collector, to tell memory kept from garbage not yet collected (RSS shows both).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const liveBytes = () => {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

/**
 * Reads a file to its last row; the TableFileError it is refused with, the peak RSS growth and time
 * it cost, and the peak of what was kept alive (collected every 100 rows).
 */
async function refusal(bytes: Buffer, fileName = "hostile.xlsx"): Promise<{ error: TableFileError; growthMb: number; liveMb: number; ms: number }> {
  const live = liveBytes();
  let livePeak = live;
  const base = process.memoryUsage().rss;
  let peak = base;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  const started = performance.now();
  let error: unknown;
  try {
    const table = await openTable({ bytes, fileName });
    let rows = 0;
    for await (const _row of table.rows) if (++rows % 100 === 0) livePeak = Math.max(livePeak, liveBytes());
    error = new Error(`expected a TableFileError, read ${rows} rows`);
  } catch (thrown) {
    error = thrown;
  } finally {
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const ms = performance.now() - started;
  if (!(error instanceof TableFileError)) throw error;
  return { error, growthMb: (peak - base) / MB, liveMb: (livePeak - live) / MB, ms };
}

/** Comments of random text: what keeps a hostile part's compression at real-workbook ratios. */
function noise(kilobytes: number): Piece[] {
  return Array.from({ length: kilobytes / 64 }, () => `<!--${randomBytes(48 * 1024).toString("base64")}-->`);
}

const sheet = (...rows: Piece[]): Piece[] => [WORKSHEET_START, HEADER_ROWS, ...rows, WORKSHEET_END];

/** Rows from row 3 on, each of one cell in column XFD. */
const xfdRows = (count: number): string => Array.from({ length: count }, (_, index) => `<row r="${index + 3}"><c r="XFD${index + 3}"><v>1</v></c></row>`).join("");

/** A CSV header of 16,384 distinct columns. */
const wideHeader = (): string => Array.from({ length: MAX_COLUMNS }, (_, index) => `h${index}`).join(",");

describe("columns beyond XFD", () => {
  it("refuses a cell reference padded to a huge column (r=\"AAAAAAA2\"), naming it", async () => {
    const bytes = workbook({ sheet: sheet(`<row r="3"><c r="AAAAAAA3" t="inlineStr"><is><t>x</t></is></c></row>`) });
    const { error, growthMb, ms } = await refusal(bytes);
    expect(error.detail.code).toBe("imFileColumnBeyondXfd");
    expect(zh(error.detail)).toBe("第3行的单元格 AAAAAAA3 超出了 Excel 的最后一列 XFD（第 16,384 列）：不是正常的 Excel 工作簿，无法导入");
    expect(en(error.detail)).toContain("cell AAAAAAA3 in row 3 lies beyond column XFD");
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(2_000);
  });

  it("reads a cell in column XFD and refuses one in XFE, or a row of 16,385 cells without references", async () => {
    const xfd = await openTable({ bytes: workbook({ sheet: sheet(`<row r="3"><c r="A3"><v>2025</v></c><c r="XFD3"><v>7</v></c></row>`) }) });
    const rows = [];
    for await (const row of xfd.rows) rows.push(row);
    expect(rows[1]!.cells).toHaveLength(MAX_COLUMNS);
    expect(rows[1]!.cells[MAX_COLUMNS - 1]).toBe("7");

    const xfe = await refusal(workbook({ sheet: sheet(`<row r="3"><c r="XFE3"><v>7</v></c></row>`) }));
    expect(zh(xfe.error.detail)).toContain("XFE3");
    const wide = await refusal(workbook({ sheet: sheet(`<row r="3">`, { repeat: "<c><v>1</v></c>", times: MAX_COLUMNS + 1 }, `</row>`) }));
    expect(wide.error.detail.code).toBe("imFileColumnBeyondXfd");
  });

  it("hands rows reaching column XFD on in batches of at most a million cells", async () => {
    // 2,000 rows of one cell in XFD (a 256 KB chunk holds 7,000): 16,384 cells (128 KB) each once
    // padded, 256 MB (900 MB for a whole chunk) if they piled up before being handed on.
    const scanner = new SheetScanner({ sharedStrings: [], dateKinds: new Uint8Array(0), date1904: false, sheetName: "S", formulas: new FormulaTally() });
    scanner.feed(`${WORKSHEET_START}${xfdRows(2_000)}`);
    const batches: number[] = [];
    for (;;) {
      batches.push(scanner.takeRows().length);
      if (!scanner.paused) break;
      scanner.feed("");
    }
    expect(batches.reduce((sum, rows) => sum + rows, 0)).toBe(2_000);
    expect(Math.max(...batches) * MAX_COLUMNS).toBeLessThanOrEqual(MAX_HELD_CELLS + MAX_COLUMNS);
    expect(batches.length).toBeGreaterThan(30);

    // Read through: 500 rows of 16,384 cells, each handed on and let go.
    const table = await openTable({ bytes: workbook({ sheet: sheet(xfdRows(500)) }) });
    let wide = 0;
    for await (const row of table.rows) if (row.cells.length === MAX_COLUMNS) wide++;
    expect(wide).toBe(500);
  });

  it("refuses rows padded beyond 16 million cells in all, in bounded memory and time", async () => {
    const xlsx = await refusal(workbook({ sheet: sheet(xfdRows(20_000)) }));
    expect(xlsx.error.detail.code).toBe("imFileTooManyCells");
    expect(zh(xlsx.error.detail)).toBe("表格的单元格（含每行补齐到表头宽度的空单元格）超过 16,000,000 个，超出可导入的范围：请删除多余的列或拆分成几个文件后再导入");
    // Each row is 128 KB once padded, 16 million cells 128 MB in all: allocated and dropped one row at
    // a time (RSS shows the collector's lag), a few rows kept at once.
    expect(xlsx.liveMb).toBeLessThan(50);
    expect(xlsx.growthMb).toBeLessThan(250);
    expect(xlsx.ms).toBeLessThan(5_000);
    const csv = await refusal(Buffer.concat([Buffer.from(`${wideHeader()}\n`), Buffer.alloc(16 * MB, "x\n")]), "padded.csv");
    expect(csv.error.detail.code).toBe("imFileTooManyCells");
    expect(csv.liveMb).toBeLessThan(50);
    expect(csv.growthMb).toBeLessThan(250);
    expect(csv.ms).toBeLessThan(5_000);
  });

  it("refuses a CSV row of more than 16,384 columns", async () => {
    const { error } = await refusal(Buffer.from(`年度,金额\n${",".repeat(MAX_COLUMNS)}x\n`), "wide.csv");
    expect(error.detail.code).toBe("imFileTooManyColumns");
    expect(zh(error.detail)).toBe("第2行超过 16,384 列（Excel 最多到 XFD 列）：无法导入");
  });

  it("pads a CSV's short rows to a 16,384-column header in a copy, not in the batch they came from", async () => {
    const table = await openTable({ bytes: Buffer.concat([Buffer.from(`${wideHeader()}\n`), Buffer.alloc(1_000, "x\n")]), fileName: "padded.csv" });
    let padded = 0;
    for await (const row of table.rows) if (row.cells.length === MAX_COLUMNS) padded++;
    expect(padded).toBe(500);
    const rows: TableRow[] = [{ rowNumber: 2, cells: ["x"] }];
    const located = await locateHeader((async function* () {
      yield [{ rowNumber: 1, cells: ["a", "b", "c"] }, ...rows];
    })());
    for await (const row of located!.rows) expect(row.cells).toEqual(["x", "", ""]);
    expect(rows[0]!.cells).toEqual(["x"]);
  });
});

describe("cell text", () => {
  it("refuses a 20 MB CSV of one unquoted cell at once, quoting its first 50 characters", async () => {
    const { error, growthMb, ms } = await refusal(Buffer.alloc(20 * MB, "x"), "one-cell.csv");
    expect(error.detail.code).toBe("imFileCellTooLong");
    expect(zh(error.detail)).toBe(`第1行第A列的内容超过 32,767 个字符（Excel 单元格的上限）：“${"x".repeat(50)}…”`);
    expect(en(error.detail)).toBe(`cell A1 holds more than 32,767 characters (the most an Excel cell holds): “${"x".repeat(50)}…”`);
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(2_000);
  });

  it("refuses a quoted CSV field longer than Excel's 32,767 characters, accepts one of exactly that", async () => {
    const exact = await openTable({ bytes: Buffer.from(`年度,备注\n2024,"${"长".repeat(MAX_CELL_CHARS)}"\n`), fileName: "ok.csv" });
    for await (const row of exact.rows) expect(row.cells[1]).toHaveLength(MAX_CELL_CHARS);
    const { error } = await refusal(Buffer.from(`年度,备注\n2024,"${"长".repeat(MAX_CELL_CHARS + 1)}"\n`), "long.csv");
    expect(zh(error.detail)).toBe(`第2行第B列的内容超过 32,767 个字符（Excel 单元格的上限）：“${"长".repeat(50)}…”`);
  });

  it("refuses a 10 MB inline string in an XLSX cell, naming the cell", async () => {
    const bytes = workbook({ sheet: sheet(`<row r="3"><c r="B3" t="inlineStr"><is><t>`, { repeat: "y".repeat(MB), times: 10 }, `</t></is></c></row>`) });
    const { error, growthMb, ms } = await refusal(bytes);
    expect(zh(error.detail)).toBe(`第3行第B列的内容超过 32,767 个字符（Excel 单元格的上限）：“${"y".repeat(50)}…”`);
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(2_000);
  });

  it("refuses a 300 MB inline string (a ZIP bomb: 1,000 times its compressed size) before inflating it", async () => {
    const bytes = workbook({ sheet: sheet(`<row r="3"><c r="B3" t="inlineStr"><is><t>`, { repeat: "y".repeat(MB), times: 300 }, `</t></is></c></row>`) });
    expect(bytes.length).toBeLessThan(MB);
    const { error, growthMb, ms } = await refusal(bytes);
    expect(error.detail.code).toBe("imFileZipBomb");
    expect(zh(error.detail)).toMatch(/^XLSX 文件中的 xl\/worksheets\/sheet1\.xml 解压后是压缩后的 100 倍以上（300\.0 MB）/);
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(2_000);
  });

  it("refuses a value of a million digits", async () => {
    const { error } = await refusal(workbook({ sheet: sheet(`<row r="3"><c r="A3"><v>`, { repeat: "9".repeat(1024), times: 1024 }, `</v></c></row>`) }));
    expect(zh(error.detail)).toMatch(/^第3行第A列的内容超过 32,767 个字符/);
  });

  it("shortens a long title row in the notes", async () => {
    const table = await openTable({ bytes: Buffer.from(`${"标".repeat(30_000)}\n年度,金额\n2024,1\n`), fileName: "title.csv" });
    expect(zh(table.notes[0]!)).toBe(`第1行（“${"标".repeat(50)}…”）在表头上方，视为标题，已跳过；表头在第2行`);
    await table.close();
  });
});

describe("shared strings", () => {
  it("refuses 40 million tiny shared strings (680 MB declared) in bounded memory and time", async () => {
    const sharedStrings = part("xl/sharedStrings.xml", [SST_START, { repeat: "<si><t>a</t></si>".repeat(64 * 1024), times: 640 }, SST_END]);
    expect(sharedStrings.size).toBeGreaterThan(600 * MB);
    const { error, growthMb, ms } = await refusal(workbook({ sharedStrings }));
    expect(["imFilePartTooLarge", "imFileZipBomb"]).toContain(error.detail.code);
    expect(zh(error.detail)).toContain("xl/sharedStrings.xml");
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(2_000);
  });

  it("stops at 2,000,000 shared strings while reading them, in bounded memory", async () => {
    // 2.2 million strings in 38 MB, with random comments so that it compresses as real text does.
    const sharedStrings = part("xl/sharedStrings.xml", [SST_START, ...noise(512), { repeat: "<si><t>a</t></si>".repeat(100_000), times: 22 }, SST_END]);
    const { error, growthMb, ms } = await refusal(workbook({ sharedStrings }));
    expect(error.detail.code).toBe("imFileTooManyTexts");
    expect(zh(error.detail)).toBe("工作簿中不同的文字超过 2,000,000 条，超出可导入的范围：请拆分成几个文件后再导入");
    expect(MAX_SHARED_STRINGS).toBe(2_000_000);
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(5_000);
  });

  it("refuses shared strings adding up to more than 32 million characters", async () => {
    const text = randomBytes(22_500).toString("base64"); // 30,000 characters, incompressible enough
    const sharedStrings = part("xl/sharedStrings.xml", [SST_START, { repeat: `<si><t>${text}</t></si>`, times: 1_100 }, SST_END]);
    const { error, growthMb } = await refusal(workbook({ sharedStrings }));
    expect(error.detail.code).toBe("imFileTextsTooLarge");
    expect(growthMb).toBeLessThan(100);
  });

  it("refuses rows that name one long shared string in every cell past 64 million characters in all", async () => {
    const sharedStrings = part("xl/sharedStrings.xml", [SST_START, `<si><t>${"备".repeat(32_000)}</t></si>`, SST_END]);
    const cells = (row: number, count: number) => `<row r="${row}">${`<c t="s"><v>0</v></c>`.repeat(count)}</row>`;
    // A header of 16,384 such cells: 524 million characters from a 1 MB file.
    const header = await refusal(workbook({ sharedStrings, sheet: [WORKSHEET_START, cells(1, MAX_COLUMNS), WORKSHEET_END] }));
    expect(zh(header.error.detail)).toBe("工作簿中的文字合计超过 64,000,000 个字符，超出可导入的范围：请拆分成几个文件后再导入");
    // 13 columns of them in 10,000 rows.
    const rows = await refusal(workbook({ sharedStrings, sheet: [WORKSHEET_START, HEADER_ROWS, ...Array.from({ length: 10_000 }, (_, index) => cells(index + 3, 13)), WORKSHEET_END] }));
    expect(rows.error.detail.code).toBe("imFileTextsTooLarge");
    expect(rows.ms).toBeLessThan(2_000);
  });

  it("refuses a shared string longer than 32,767 characters", async () => {
    const sharedStrings = part("xl/sharedStrings.xml", [SST_START, "<si><t>", { repeat: "z", times: MAX_CELL_CHARS + 1 }, "</t></si>", SST_END]);
    const { error } = await refusal(workbook({ sharedStrings }));
    expect(zh(error.detail)).toBe(`工作簿中有一段文字超过 32,767 个字符（Excel 单元格的上限）：“${"z".repeat(50)}…”`);
  });

  it("reads a start tag of a million “>” inside a quoted attribute in one pass, not one per “>”", async () => {
    const sharedStrings = part("xl/sharedStrings.xml", [SST_START, `<si a="`, { repeat: ">".repeat(1024), times: 1000 }, `"><t>a</t></si>`, SST_END]);
    const started = performance.now();
    const table = await openTable({ bytes: workbook({ sharedStrings }) });
    await table.close();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("parts", () => {
  it("refuses a 300 MB workbook.xml without reading it whole", async () => {
    const workbookXml = part("xl/workbook.xml", [`<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>`, { repeat: " ".repeat(MB), times: 300 }, `</workbook>`]);
    const { error, growthMb, ms } = await refusal(workbook({ workbookXml, extra: [incompressible("xl/media/image1.png", 4 * MB)] }));
    expect(error.detail.code).toBe("imFilePartTooLarge");
    expect(zh(error.detail)).toBe("XLSX 文件中的 xl/workbook.xml 解压后超过 16 MB，不是正常的 Excel 工作簿：无法导入");
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(2_000);
  });

  it("refuses 400 MB after </sheetData> in bounded memory", async () => {
    const bytes = workbook({ sheet: [WORKSHEET_START, HEADER_ROWS, "</sheetData>", { repeat: "<x/>".repeat(256 * 1024), times: 400 }, "</worksheet>"] });
    const { error, growthMb, ms } = await refusal(bytes);
    expect(error.detail.code).toBe("imFileZipBomb");
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(2_000);
  });

  it("stops reading past the data after 16 MB, even when the part compresses like a real one", async () => {
    const bytes = workbook({ sheet: [WORKSHEET_START, HEADER_ROWS, "</sheetData>", ...noise(320), { repeat: "<x/>".repeat(256 * 1024), times: 24 }, `<mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells></worksheet>`] });
    const { error, growthMb, ms } = await refusal(bytes);
    expect(error.detail.code).toBe("imFileAfterData");
    expect(zh(error.detail)).toBe("工作表“S”在数据之后还有超过 16 MB 的内容，不是正常的 Excel 工作表：请在 Excel 中重新保存后再导入");
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(5_000);
  });

  it("refuses 900 MB of whitespace in a worksheet at once", async () => {
    const bytes = workbook({ sheet: [WORKSHEET_START, HEADER_ROWS, { repeat: " ".repeat(MB), times: 900 }, WORKSHEET_END], extra: [incompressible("xl/media/image1.png", 10 * MB)] });
    const { error, ms } = await refusal(bytes);
    expect(error.detail.code).toBe("imFileSheetTooLarge");
    expect(zh(error.detail)).toBe("工作表“S”解压后超过 512 MB：请拆分成几个文件后再导入");
    expect(ms).toBeLessThan(2_000);
  });

  it("stops at 16 MB of a worksheet that holds no cell, even when the part compresses like a real one", async () => {
    const noise = `<!--${randomBytes(48 * 1024).toString("base64")}-->`;
    const junk = workbook({ sheet: [WORKSHEET_START, HEADER_ROWS, { repeat: noise + "<x/>".repeat(1_200_000), times: 30 }, WORKSHEET_END] });
    const { error, growthMb, ms } = await refusal(junk);
    expect(zh(error.detail)).toBe("工作表“S”中有超过 16 MB 的内容不属于任何单元格，不是正常的 Excel 工作表：请在 Excel 中重新保存后再导入");
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(5_000);
  });

  it("refuses a workbook of 5,000 worksheets and one of 70,000 cell formats", async () => {
    const sheets = Array.from({ length: 5_000 }, (_, index) => `<sheet name="S${index}" sheetId="${index + 1}" r:id="rId${index + 1}"/>`).join("");
    const workbookXml = part("xl/workbook.xml", `<workbook xmlns:r="r"><sheets>${sheets}</sheets></workbook>`);
    expect((await refusal(workbook({ workbookXml }))).error.detail.code).toBe("imFileTooManySheets");
    const styles = part("xl/styles.xml", ["<styleSheet><cellXfs>", { repeat: `<xf numFmtId="0"/>`, times: 70_000 }, "</cellXfs></styleSheet>"]);
    expect(zh((await refusal(workbook({ styles }))).error.detail)).toBe("工作簿中的单元格格式超过 65,490 种（Excel 的上限）：不是正常的 Excel 工作簿，无法导入");
  });

  it("refuses two worksheets that are the same part", async () => {
    const workbookXml = part("xl/workbook.xml", `<workbook xmlns:r="r"><sheets><sheet name="A" sheetId="1" r:id="rId1"/><sheet name="B" sheetId="2" r:id="rId1"/></sheets></workbook>`);
    expect((await refusal(workbook({ workbookXml }))).error.detail.code).toBe("fileCorruptZip");
  });
});

describe("real sizes", () => {
  it("still reads a 50,000-row ledger, as Excel and as CSV", async () => {
    const headers = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "备注"];
    const row = (index: number) => ["2024", "上海市闵行区马桥镇社区事务受理服务中心", `项目${index % 50}`, `明细${index % 700}`, "2024-03-01", "社会化发放", String(index % 120), `${index}.25`, `第${index}笔`];
    const rows = Array.from({ length: 50_000 }, (_, index) => row(index));
    const xlsx = await writeWorkbook([{ name: "支付", columns: headers.map((header, index) => ({ header, key: String(index), kind: "text" as const })), rows: rows.map((cells) => Object.fromEntries(cells.map((cell, index) => [String(index), cell]))) }]);
    const csv = Buffer.from([headers, ...rows].map((cells) => cells.join(",")).join("\r\n"));
    for (const [bytes, fileName] of [[xlsx, "ledger.xlsx"], [csv, "ledger.csv"]] as const) {
      const table = await openTable({ bytes, fileName });
      let count = 0;
      let last: string[] = [];
      for await (const read of table.rows) {
        count++;
        last = read.cells;
      }
      expect(count).toBe(50_000);
      expect(last).toEqual(row(49_999));
    }
  });
});
