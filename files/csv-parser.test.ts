import { describe, expect, it } from "vitest";
import { CsvParser } from "./csv-parser.ts";
import { TableFileError } from "./table-file-error.ts";
import type { TableRow } from "./read-table.ts";

function parse(text: string, delimiter: "," | "\t" = ",", chunkSize = text.length || 1): TableRow[] {
  const parser = new CsvParser(delimiter);
  const rows: TableRow[] = [];
  for (let at = 0; at < text.length; at += chunkSize) rows.push(...parser.push(text.slice(at, at + chunkSize)));
  rows.push(...parser.finish());
  return rows;
}

const cells = (rows: TableRow[]) => rows.map((row) => row.cells);

describe("CsvParser", () => {
  it("reads the rows Excel writes: CRLF, quoted amounts with thousands separators", () => {
    const text = '年度,预算单位,金额(元)\r\n2024,马桥镇,"18,096.59"\r\n2024,华漕镇,"1,109,200.00"\r\n';
    expect(parse(text)).toEqual([
      { rowNumber: 1, cells: ["年度", "预算单位", "金额(元)"] },
      { rowNumber: 2, cells: ["2024", "马桥镇", "18,096.59"] },
      { rowNumber: 3, cells: ["2024", "华漕镇", "1,109,200.00"] },
    ]);
  });

  it("keeps doubled quotes, embedded commas and line breaks inside quoted fields", () => {
    const text = 'a,b\n"他说""已重发""","第一行\r\n第二行, 仍在同一格"\nx,y';
    expect(parse(text)).toEqual([
      { rowNumber: 1, cells: ["a", "b"] },
      { rowNumber: 2, cells: ['他说"已重发"', "第一行\r\n第二行, 仍在同一格"] },
      { rowNumber: 3, cells: ["x", "y"] },
    ]);
  });

  it("numbers rows as Excel does: blank lines count, a multi-line field is one row", () => {
    const rows = parse('h1,h2\n\n"a\nb",c\n\nd,e\n');
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[4]!.cells).toEqual(["d", "e"]);
  });

  it("accepts LF, CRLF and lone CR line ends, and a last line without one", () => {
    expect(cells(parse("a,b\nc,d\r\ne,f\rg,h"))).toEqual([["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]]);
  });

  it("gives the same rows whatever the chunk boundaries (CRLF, quotes and doubled quotes split)", () => {
    const text = '年度,"金额(元)",备注\r\n2024,"56,307.81","说明：""1人""退回\r\n已重发"\r\n2024,732.25,\r\n\r\n2025,"1,000.00",end';
    const whole = parse(text);
    for (let size = 1; size <= 12; size++) expect(parse(text, ",", size)).toEqual(whole);
  });

  it("trims fields and keeps empty ones", () => {
    expect(cells(parse("  a , ,c  ,\n"))).toEqual([["a", "", "c", ""]]);
  });

  it("is lenient where Excel is: a quote inside an unquoted field, text after a closing quote", () => {
    expect(cells(parse('5"寸,"abc"def, "x,y"\n'))).toEqual([['5"寸', "abcdef", "x,y"]]);
  });

  it("reads tab-separated text with commas inside fields", () => {
    expect(cells(parse("金额\t备注\n18,096.59\t甲,乙\n", "\t"))).toEqual([["金额", "备注"], ["18,096.59", "甲,乙"]]);
  });

  it("refuses a quoted field that never closes, naming the row where it starts", () => {
    const parser = new CsvParser(",");
    parser.push('a,b\n1,2\n3,"unclosed\n4,5\n');
    expect(() => parser.finish()).toThrowError(TableFileError);
    try {
      parser.finish();
    } catch (error) {
      expect((error as TableFileError).rowNumber).toBe(3);
      expect((error as Error).message).toContain("第3行");
    }
  });

  it("returns nothing for empty text", () => {
    expect(parse("")).toEqual([]);
  });
});
