import { describe, expect, it } from "vitest";
import { columnInEnglish, hasEnglishTemplate, importMessageInEnglish } from "./english.ts";
import { mapHeaders, type ImportKind } from "./columns.ts";
import { rowReader } from "./rows.ts";

/** CJK characters outside “quoted” text (what the user typed stays as typed) and outside the official 中文 terms given in brackets. */
const untranslated = (text: string) => text.replace(/“[^”]*”/g, "").replace(/[\u4e00-\u9fff]+\s*\(([^)]*)\)/g, "$1").match(/[\u4e00-\u9fff]/g);

const PAYMENT_HEADERS = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"];
const LINE_HEADERS = ["年度", "预算单位", "项目名称", "项目构成", "项目明细", "资金级次", "资金类型", "年初预算(万元)", "单价", "数量", "依据", "安排月份"];
const ADJUSTMENT_HEADERS = ["年度", "预算单位", "项目名称", "项目明细", "调整日期", "调整金额", "资金级次", "调整原因"];

function messagesOf(kind: ImportKind, headers: string[], rows: string[][]): string[] {
  const read = rowReader(kind, mapHeaders(kind, headers));
  return rows.flatMap((cells, index) => {
    const result = read(cells, index + 2);
    return "problems" in result ? result.problems.map((problem) => problem.message) : [];
  });
}

describe("import messages in English", () => {
  // Every kind of bad cell and row the row reader refuses, as a file would have them.
  const messages = [
    ...messagesOf("payments", PAYMENT_HEADERS, [
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
    ...messagesOf("budget-lines", LINE_HEADERS, [
      ["2024", "U", "P", "", "I", "省级", "当年财政拨款", "1", "", "", "", ""],
      ["2024", "U", "P", "", "I", "镇级", "借款", "1", "", "", "", ""],
      ["2024", "U", "P", "", "I", "镇级", "当年财政拨款", "1.0000001", "", "", "", ""],
      ["2024", "U", "P", "", "I", "镇级", "当年财政拨款", "1", "", "", "", "13-14"],
      ["2024", "U", "P", "", "I", "镇级", "当年财政拨款", "1", "", "", "", "春季"],
      ["2024", "U", "P", "", "I", "镇级", "当年财政拨款", "1", "3", "4", "", ""],
    ]),
    ...messagesOf("adjustments", ADJUSTMENT_HEADERS, [["2024", "U", "P", "I", "2024-05-01", "0", "镇级", "r"]]),
  ];

  it("has a template for every message the row reader writes, and leaves no Chinese untranslated", () => {
    expect(messages.length).toBeGreaterThan(20);
    for (const message of messages) {
      expect(hasEnglishTemplate(message), message).toBe(true);
      expect(untranslated(importMessageInEnglish(message)), `${message} → ${importMessageInEnglish(message)}`).toBeNull();
    }
  });

  it("renders the importer's row, ledger and file messages", () => {
    expect(importMessageInEnglish("未知的预算单位“不存在的中心”")).toBe("unknown unit “不存在的中心”");
    expect(importMessageInEnglish("与第3行重复，已跳过")).toBe("duplicate of row 3: skipped");
    expect(importMessageInEnglish("金额是本项目各行中位数 25,000.00 的 2,000 倍，疑似元/万元混淆")).toBe(
      "amount 2,000 times the median of the project's rows (25,000.00): 元/万元 (yuan/10k yuan) mix-up?",
    );
    expect(importMessageInEnglish("金额是本项目各行中位数 35,000.00 的 1/10,000，疑似元/万元混淆")).toBe(
      "amount 1/10,000 of the median of the project's rows (35,000.00): 元/万元 (yuan/10k yuan) mix-up?",
    );
    expect(importMessageInEnglish("单笔支付 50,000,000.00 元超过本项目 2024 年调整后预算 1,471,745.31 元，须确认后才能导入")).toBe(
      "this one payment of 50,000,000.00 yuan exceeds the project's adjusted budget for 2024 (1,471,745.31 yuan): import only after confirming it",
    );
    expect(importMessageInEnglish("年初预算 1.00 → 2.00")).toBe("initial budget 1.00 → 2.00");
    expect(importMessageInEnglish("缺少必需的列：支付日期、金额")).toBe("required columns missing: 支付日期 (payment date), 金额 (amount)");
    expect(importMessageInEnglish("工作表“说明”没有数据，工作表“预算明细”不含所需的列，已读取工作表“支付明细”")).toBe(
      "worksheet “说明” empty; worksheet “预算明细” without the columns needed: read worksheet “支付明细”",
    );
    expect(importMessageInEnglish("只读取了工作表“支付明细”；其余工作表（月度汇总）未读取")).toBe("only worksheet “支付明细” was read; the others (“月度汇总”) were not");
    expect(importMessageInEnglish("支付日期：日期不存在：2024-02-30；金额(元)：“x”不是数字")).toBe("payment date: no such date: “2024-02-30”; amount (yuan): “x” is not a number");
    expect(importMessageInEnglish("导入后 2024 马桥 医疗救助 的支付 1.00 元超过调整后预算 0.50 元（截至 2024 年末）")).toBe(
      "after the import, payments of 2024 “马桥 医疗救助” (1.00 yuan) exceed the adjusted budget (0.50 yuan) at the end of 2024",
    );
    expect(importMessageInEnglish("……另有 5 行与前面的行重复，已跳过")).toBe("… and 5 more rows: duplicates of earlier rows, skipped");
    expect(importMessageInEnglish("文件为空 (the file is empty)")).toBe("the file is empty");
    expect(importMessageInEnglish("文件“empty.csv”为空")).toBe("the file “empty.csv” is empty");
    expect(importMessageInEnglish("金额(万元)：5.12345678 万元 = 51234.5678 元，超过两位小数（精确到分）")).toBe(
      "amount (10k yuan): 5.12345678 10k yuan = 51234.5678 yuan: more than 2 decimals of yuan (cents)",
    );
    expect(importMessageInEnglish("金额“1”与下一列“备注”的“234.56”疑似一个被千位分隔符拆开的数（1,234.56）：CSV 中带千位分隔符的数字须加引号")).toBe(
      "amount “1” and “234.56” in the next column (“note”) look like one number split at its thousands separator (1,234.56): in a CSV, numbers with separators must be quoted",
    );
    // Unknown text stays as written rather than vanishing.
    expect(importMessageInEnglish("全新的消息")).toBe("全新的消息");
    expect(columnInEnglish("金额(万元)")).toBe("amount (10k yuan)");
    expect(columnInEnglish("自定义列")).toBe("自定义列");
  });
});
