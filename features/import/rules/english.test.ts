import { describe, expect, it } from "vitest";
import { render, type Message } from "../../../messages/index.ts";
import { messages as fileMessages, TableFileError, UnknownSheetError } from "../../../files/table-file-error.ts";
import { ImportFormatError, mapHeaders, missingColumnsProblem, type ImportKind } from "./columns.ts";
import { rowReader } from "./row-reader.ts";
import { notesText, problemText, reportText, textOf } from "./render.ts";
import { ReportBuilder } from "./report.ts";

/** CJK characters outside “quoted” text (what the user typed or named stays as written) and outside official terms given in brackets: “(中央)”. */
const untranslated = (text: string) => text.replace(/“[^”]*”/g, "").replace(/\([^)]*[\u4e00-\u9fff][^)]*\)/g, "").match(/[\u4e00-\u9fff]/g);

const PAYMENT_HEADERS = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"];
const LINE_HEADERS = ["年度", "预算单位", "项目名称", "项目构成", "项目明细", "资金级次", "资金类型", "年初预算(万元)", "单价", "数量", "依据", "安排月份"];
const ADJUSTMENT_HEADERS = ["年度", "预算单位", "项目名称", "项目明细", "调整日期", "调整金额", "资金级次", "调整原因"];

function problemsOf(kind: ImportKind, headers: string[], rows: string[][]) {
  const read = rowReader(kind, mapHeaders(kind, headers));
  return rows.flatMap((cells, index) => {
    const result = read(cells, index + 2);
    return "problems" in result ? result.problems : [];
  });
}

describe("the import's messages in English", () => {
  // Every kind of bad cell and row the row reader refuses, as a file would have them.
  const problems = [
    ...problemsOf("payments", PAYMENT_HEADERS, [
      ["", "U", "P", "", "2024-01-01", "划拨", "1", "1", "", "", "", "", ""],
      ["1999", "U", "P", "", "2024-01-01", "划拨", "1", "1", "", "", "", "", ""],
      ["2024", "U", "P", "", "2024-02-30", "划拨", "1", "1", "", "", "", "", ""],
      ["2024", "U", "P", "", "昨天", "划拨", "1", "1", "", "", "", "", ""],
      ["2024", "U", "P", "", "2024-01-01", "现金", "1", "1", "", "", "", "", ""],
      ["2024", "U", "P", "", "2024-01-01", "划拨", "一人", "1", "", "", "", "", ""],
      ["2024", "U", "P", "", "2024-01-01", "划拨", "1", "一千元", "", "", "", "", ""],
      ["2024", "U", "P", "", "2024-01-01", "划拨", "1", "1.001", "", "", "", "", ""],
      ["2024", "U", "P", "", "2024-01-01", "划拨", "1", "-5", "", "", "", "", ""],
      ["2024", "U", "P", "", "2024-01-01", "划拨", "1", "1e20", "", "", "", "", ""],
      ["2024", "U", "P", "", "2024-01-01", "划拨", "1", "0", "", "", "", "", ""],
      ["2024", "U", "P", "", "2024-01-01", "划拨", "1", "10", "", "2", "20", "", ""],
      ["2024", "U", "P", "", "2024-03-01", "划拨", "1", "10", "", "", "", "2024-02-01", ""],
      ["2024", "U", "P", "", "2024-03-01", "社会化发放", "1", "10", "2024-04-01", "", "", "", ""],
      ["2024", "U", "P", "", "2024-03-01", "划拨", "1", "10", "", "", "5", "2024-02-01", ""],
      ["2024", "U", "P", "", "2024-03-01", "划拨", "1", "10", "", "", "", "", "x".repeat(501)],
      ["2024", "U", "P", "", "2024/3/1 9:30", "划拨", "1", "10", "", "", "", "", ""],
      ["2024", "U", "P", "", "2024-03-01", "划拨", "1", "1,23,456.00", "", "", "", "", ""],
      ["2024", "U", "P", "", "2024-03-01", "划拨", "1", "1", "", "", "", "", "", "234.56"],
    ]),
    ...problemsOf("budget-lines", LINE_HEADERS, [
      ["2024", "U", "P", "", "I", "省级", "当年财政拨款", "1", "", "", "", ""],
      ["2024", "U", "P", "", "I", "镇级", "借款", "1", "", "", "", ""],
      ["2024", "U", "P", "", "I", "镇级", "当年财政拨款", "1.0000001", "", "", "", ""],
      ["2024", "U", "P", "", "I", "镇级", "当年财政拨款", "1", "", "", "", "13-14"],
      ["2024", "U", "P", "", "I", "镇级", "当年财政拨款", "1", "", "", "", "春季"],
      ["2024", "U", "P", "", "I", "镇级", "当年财政拨款", "1", "3", "4", "", ""],
    ]),
    ...problemsOf("adjustments", ADJUSTMENT_HEADERS, [["2024", "U", "P", "I", "2024-05-01", "0", "镇级", "r"]]),
  ];

  it("renders every row error with its place in English, with no Chinese but the data", () => {
    expect(problems.length).toBeGreaterThan(20);
    for (const problem of problems) {
      const text = problemText("en", problem);
      expect(untranslated(text), `${render("zh", problem.message)} → ${text}`).toBeNull();
    }
    const [noSuchDate] = problems.filter((problem) => problem.message.code === "impNoSuchDate");
    expect(problemText("en", noSuchDate!)).toBe("row 4, column “payment date”: no such date: “2024-02-30”");
    expect(problemText("zh", noSuchDate!)).toBe("第4行 “支付日期”列：日期不存在：2024-02-30");
    expect(notesText("en", [noSuchDate!])).toBe("payment date: no such date: “2024-02-30”");
  });

  it("renders the header row's errors (columns) in English", () => {
    const missing = missingColumnsProblem("payments", ["年度", "月份"])!;
    expect(render("zh", missing)).toBe("缺少必需的列：预算单位、项目名称、支付日期、支付方式、金额");
    expect(render("en", missing)).toBe("required columns missing: unit, project, payment date, payment kind, amount");
    let thrown: unknown;
    try {
      mapHeaders("payments", ["年度", "年度", "预算单位", "项目名称", "支付日期", "支付方式", "金额(千元)"]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ImportFormatError);
    const detail = (thrown as ImportFormatError).detail;
    expect(render("zh", detail)).toBe("列“年度”重复；列“金额(千元)”的单位“千元”无法识别（应为 元 或 万元）");
    expect(untranslated(render("en", detail))).toBeNull();
  });

  it("renders the file readers' errors and notes in English", () => {
    const errors: Message[] = [
      fileMessages.empty, fileMessages.noRows, fileMessages.tooLarge(50 * 1024 * 1024, 32 * 1024 * 1024), fileMessages.legacyOrEncrypted, fileMessages.html,
      fileMessages.utf16, fileMessages.badText, fileMessages.corruptZip, fileMessages.merged(["A2:A3", "B2:B3", "C2:D2"], 4), fileMessages.errorValue(2, "C", "#DIV/0!", true),
      fileMessages.formulaWithoutResult(16, "H"), fileMessages.unclosedQuote(3), fileMessages.noSuitableSheet([{ sheet: "预算明细", problem: missingColumnsProblem("adjustments", [])! }]),
      new UnknownSheetError("调整", ["Sheet1", "Sheet2"]).detail, fileMessages.formulasNote("H", 9, 2, 13),
    ];
    for (const message of errors) expect(untranslated(render("en", message)), render("en", message)).toBeNull();
    expect(new TableFileError(fileMessages.empty).message).toBe("文件为空");
    expect(render("en", fileMessages.merged(["A2:A3", "B2:B3", "C2:D2"], 4))).toBe("merged cells A2:A3, B2:B3, C2:D2 (4 in all): unmerge them and fill in every row");
  });

  it("shows a report stored before messages were codes (plain text) as written", () => {
    expect(textOf("en", "未知的预算单位“不存在的中心”")).toBe("未知的预算单位“不存在的中心”");
    expect(problemText("en", { rowNumber: 4, column: "预算单位", message: "未知的预算单位“不存在的中心”" })).toBe("row 4, column “unit”: 未知的预算单位“不存在的中心”");
    expect(notesText("zh", [{ column: null, message: "已存在" }])).toBe("已存在");
  });

  it("gives the CLI's --json the report with its messages as text", () => {
    const out = new ReportBuilder("payments", "a".repeat(64));
    for (const problem of problems.slice(0, 2)) out.addError(problem);
    const text = reportText("en", out.finish());
    expect(text.errors[0]).toEqual({ rowNumber: 2, column: "年度", message: "required" });
    expect(text.errorRows).toBe(2);
  });
});
