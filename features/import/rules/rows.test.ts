import { describe, expect, it } from "vitest";
import { mapHeaders, splitHeader, templateHeaders } from "./columns.ts";
import * as cells from "./cells.ts";
import * as rows from "./rows.ts";
import * as reader from "./row-reader.ts";
import { rendered } from "./render.ts";

// The readers' messages as their Chinese text (the catalogue's, as users see them).
const parseImportAmount = (...args: Parameters<typeof cells.parseImportAmount>) => rendered("zh", cells.parseImportAmount(...args));
const parseImportDate = (text: string) => rendered("zh", cells.parseImportDate(text));
const parseImportInteger = (text: string) => rendered("zh", cells.parseImportInteger(text));
const parseImportRow = (...args: Parameters<typeof rows.parseImportRow>) => rendered("zh", rows.parseImportRow(...args));
const rowReader = (...args: Parameters<typeof reader.rowReader>) => {
  const read = reader.rowReader(...args);
  return (cells: readonly string[], rowNumber: number) => rendered("zh", read(cells, rowNumber));
};
import type { ImportKind } from "./columns.ts";

describe("import headers", () => {
  it("reads Chinese or English names, with the unit in the header", () => {
    expect(splitHeader("年初预算（万元）")).toEqual({ name: "年初预算", unit: "万元" });
    expect(splitHeader("金额(元)")).toEqual({ name: "金额", unit: "元" });
    const mapping = mapHeaders("budget-lines", ["年度", "预算单位", "项目名称", "项目构成", "项目明细", "资金级次", "资金类型", "年初预算(万元)", "单价", "数量", "依据", "安排月份", "经办人"]);
    expect(mapping.columns.find((c) => c.spec.key === "initial")?.factor).toBe(10000);
    expect(mapping.ignored).toEqual(["经办人"]);
    const english = mapHeaders("payments", ["year", "unit", "project", "date", "kind", "amount (yuan)"]);
    expect(english.columns.map((c) => c.spec.key)).toEqual(["year", "unit", "project", "date", "kind", "amount"]);
  });

  it("names every missing column, duplicate and unknown unit", () => {
    expect(() => mapHeaders("payments", ["年度", "预算单位", "金额(美元)", "金额"])).toThrow(/单位“美元”无法识别.*缺少必需的列：项目名称、支付日期、支付方式/);
    expect(() => mapHeaders("adjustments", ["年度", "年度"])).toThrow(/重复/);
  });

  it("offers templates with the official Chinese headers", () => {
    expect(templateHeaders("payments")).toEqual(["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额(元)", "重发日期", "备注", "受理日期", "审核完成日期", "审批日期"]);
  });
});

describe("import cells", () => {
  it("quote at most 50 characters of what was typed (a 20 MB cell does not come back in the answer)", () => {
    const huge = "壹".repeat(100_000);
    const parsed = parseImportAmount(huge, 1) as { error: string };
    expect(parsed.error.length).toBeLessThan(120);
    expect(parsed.error).toContain(`${"壹".repeat(50)}…`);
    const date = parseImportDate(`2024-01-01${"x".repeat(10_000)}`) as { error: string };
    expect(date.error.length).toBeLessThan(120);
  });

  it("converts 万元 to 元 exactly and refuses fractions of a cent", () => {
    expect(parseImportAmount("147.174531", 10000)).toEqual({ amount: "1471745.31" });
    expect(parseImportAmount("135", 10000)).toEqual({ amount: "1350000.00" });
    expect(parseImportAmount("147.1745312", 10000)).toHaveProperty("error");
    expect(parseImportAmount("１８，０９６．５９", 1)).toEqual({ amount: "18096.59" });
    expect(parseImportAmount("18,096.59", 1)).toEqual({ amount: "18096.59" });
    expect(parseImportAmount("¥ 32,880", 1)).toEqual({ amount: "32880.00" });
    expect(parseImportAmount("12.345", 1)).toEqual({ error: "金额“12.345”超过两位小数（精确到分）" });
    expect(parseImportAmount("一万", 1)).toEqual({ error: "“一万”不是数字" });
    expect(parseImportAmount("-5", 1)).toHaveProperty("error");
    expect(parseImportAmount("(5.00)", 1, true)).toEqual({ amount: "-5.00" });
  });

  it("reads the dates Excel users write and refuses impossible ones", () => {
    expect(parseImportDate("2024/7/2")).toEqual({ date: "2024-07-02" });
    expect(parseImportDate("2024年11月15日")).toEqual({ date: "2024-11-15" });
    expect(parseImportDate("20240620")).toEqual({ date: "2024-06-20" });
    expect(parseImportDate("2024-02-30")).toEqual({ error: "日期不存在：2024-02-30" });
    expect(parseImportDate("7月2日")).toHaveProperty("error");
  });
});

describe("cells as Excel writes them", () => {
  it("reads a date with Excel's midnight time, refuses any other time of day", () => {
    for (const text of ["2024/7/2 0:00", "2024-07-02 00:00:00", "2024-07-02T00:00:00", "2024/7/2 0:00:00.000", "２０２４/７/２ ０：００", "2024年7月2日 0:00"]) {
      expect(parseImportDate(text), text).toEqual({ date: "2024-07-02" });
    }
    expect(parseImportDate("2024/7/2 9:30")).toEqual({ error: "“2024/7/2 9:30”带有时刻 9:30：日期列只填日期（时刻只能是 0:00）" });
    expect(parseImportDate("2024-07-02 00:00:01")).toHaveProperty("error");
    expect(parseImportDate("２０２４/７/２ １２：００")).toHaveProperty("error");
    expect(parseImportDate("2024-02-30 0:00")).toEqual({ error: "日期不存在：2024-02-30 0:00" });
    expect(parseImportDate("2024/7/2 0")).toHaveProperty("error");
  });

  it("reads the accounting format's zero dash as 0 in amount columns", () => {
    for (const text of ["-", " - ", "¥ -   ", "￥-", "－"]) expect(parseImportAmount(text, 1), text).toEqual({ amount: "0.00" });
    expect(parseImportAmount(" - ", 10000)).toEqual({ amount: "0.00" });
    expect(parseImportAmount("--", 1)).toHaveProperty("error");
    const mapping = mapHeaders("payments", ["年度", "预算单位", "项目名称", "支付日期", "支付方式", "金额", "退回金额"]);
    const read = rowReader("payments", mapping);
    expect(read(["2024", "u", "p", "2024-07-02", "划拨", "100.00", " - "], 2)).toMatchObject({ row: { amount: "100.00", returnedAmount: "0.00" } });
    // Where zero is not allowed, the usual error says so.
    expect(read(["2024", "u", "p", "2024-07-02", "划拨", " - ", ""], 3)).toEqual({ problems: [{ rowNumber: 3, column: "金额", message: "支付金额必须大于 0" }] });
    const adjustments = mapHeaders("adjustments", ["年度", "预算单位", "项目名称", "项目明细", "调整日期", "调整金额", "资金级次", "调整原因"]);
    expect(rowReader("adjustments", adjustments)(["2024", "u", "p", "i", "2024-07-15", "-", "镇级", "年中调整"], 4)).toEqual({
      problems: [{ rowNumber: 4, column: "调整金额", message: "调整金额不能为 0" }],
    });
  });

  it("refuses misplaced thousands separators, half- or full-width", () => {
    expect(parseImportAmount("1,234,567.89", 1)).toEqual({ amount: "1234567.89" });
    expect(parseImportAmount("-1,234.00", 1, true)).toEqual({ amount: "-1234.00" });
    expect(parseImportAmount("(1,234.00)", 1, true)).toEqual({ amount: "-1234.00" });
    expect(parseImportAmount("1,23,456.00", 1)).toEqual({ error: "“1,23,456.00”的千位分隔符位置不对：应从个位起每三位一组（如 1,234,567.89），请检查是否输错了数字" });
    for (const text of ["1,0000.00", "１，０００．００", "１，００００．００", "12,34", ",123", "1,234.5,6", "1,,234"]) {
      const parsed = parseImportAmount(text, 1);
      if (text === "１，０００．００") expect(parsed, text).toEqual({ amount: "1000.00" });
      else expect(parsed, text).toEqual({ error: `“${text}”的千位分隔符位置不对：应从个位起每三位一组（如 1,234,567.89），请检查是否输错了数字` });
    }
    expect(parseImportAmount("1,0000", 10000)).toHaveProperty("error");
    expect(parseImportInteger("1,000")).toEqual({ value: 1000 });
    expect(parseImportInteger("１，０００")).toEqual({ value: 1000 });
    expect(parseImportInteger("10,00")).toHaveProperty("error");
  });
});

describe("import rows", () => {
  const headers = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"];
  const mapping = mapHeaders("payments", headers);

  it("reads a payment row", () => {
    const result = parseImportRow("payments", mapping, ["2024", "马桥中心", "医疗救助", "", "2024-05-10", "社会化发放", "66", "21,310.33", "", "66", "21310.33", "2024-05-31", "66 人发放失败退回，已重发"], 7);
    expect(result).toEqual({
      row: {
        rowNumber: 7, year: 2024, unit: "马桥中心", project: "医疗救助", item: null, date: "2024-05-10", kind: "batch", personTimes: 66,
        amount: "21310.33", dueDate: null, returnedCount: 66, returnedAmount: "21310.33", reissuedOn: "2024-05-31", note: "66 人发放失败退回，已重发",
      },
    });
  });

  it("names the row and column of every problem", () => {
    const result = parseImportRow("payments", mapping, ["2024", "", "医疗救助", "", "2024-02-30", "现金", "x", "12.345", "", "", "", "", ""], 9);
    expect(result).toEqual({
      problems: [
        { rowNumber: 9, column: "预算单位", message: "必填" },
        { rowNumber: 9, column: "支付日期", message: "日期不存在：2024-02-30" },
        { rowNumber: 9, column: "支付方式", message: "支付方式应为 社会化发放 或 划拨：现金" },
        { rowNumber: 9, column: "人次", message: "“x”不是非负整数" },
        { rowNumber: 9, column: "金额(元)", message: "金额“12.345”超过两位小数（精确到分）" },
      ],
    });
  });

  it("checks fields against each other: returned ≤ paid, re-issue after payment, due dates only on transfers", () => {
    const result = parseImportRow("payments", mapping, ["2024", "u", "p", "", "2024-05-10", "社会化发放", "1", "100", "2024-05-01", "1", "200", "2024-05-01", ""], 3);
    expect("problems" in result && result.problems.map((p) => p.message)).toEqual(["退回金额大于支付金额", "重发日期早于支付日期", "只有划拨才有到期日"]);
  });

  it("recognises a 合计 row and keeps its amounts for the footing check", () => {
    expect(parseImportRow("payments", mapping, ["", "合计", "", "", "", "", "1896", "639,318.31", "", "", "", "", ""], 40)).toEqual({
      total: { rowNumber: 40, amounts: { amount: "639318.31" } },
    });
  });
});

describe("the fast row reader", () => {
  // Cell variants per column kind: plain ones (the fast path) and every form the general rules know.
  const variants: Record<string, string[]> = {
    year: ["2024", "２０２４", "2024年", "1999", "2101", "0024", "", "x"],
    unit: ["马桥中心", "", "合计", " 华漕 ", "a".repeat(501), "total"],
    project: ["医疗救助", "小计", ""],
    item: ["", "市级政策门急诊救助", "tab\there"],
    date: ["2024-05-10", "2024/5/10 0:00", "2024-05-10 00:00:00", "2024-05-10 09:30:00", "2024/5/10", "2024-02-29", "2023-02-29", "2024-02-30", "0099-01-01", "20240510", "2024-13-01", "", "2024-5-1"],
    kind: ["社会化发放", "划拨", "Transfer", "constructor", "现金", "toString", ""],
    count: ["66", "0", "", "1,000", "10,00", "１２", "-1", "1234567890", "1.5"],
    amount: ["21310.33", "0.00", "0", " - ", "1,0000.00", "1,23,456.00", "007.5", "1.", ".5", "12.345", "18,096.59", "１８０９６．５９", "¥ 32,880", "99999999999999.99", "9999999999999999", "-5", "", "1e3"],
    returned: ["", "0", "-", "0.00", "100", "21310.33", "21310.34", "1,000"],
    reissued: ["", "2024-05-31", "2024-05-01", "2024-02-30"],
    due: ["", "2024-06-30", "2024/6/30"],
    fundLevel: ["镇级", "镇", "Town", "县级", "valueOf", ""],
    fundType: ["当年财政拨款", "结转", "其他", "hasOwnProperty", ""],
    months: ["1-12", "3,6,9", "13", ""],
    signed: ["100.00", "-100.00", "0", "(5.00)", "1,000", ""],
  };
  const layouts: Array<{ kind: ImportKind; headers: string[]; columns: string[] }> = [
    {
      kind: "payments",
      headers: ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"],
      columns: ["year", "unit", "project", "item", "date", "kind", "count", "amount", "due", "count", "returned", "reissued", "item"],
    },
    {
      kind: "payments",
      headers: ["年度", "预算单位", "项目名称", "支付日期", "支付方式", "金额(万元)"],
      columns: ["year", "unit", "project", "date", "kind", "amount"],
    },
    {
      kind: "budget-lines",
      headers: ["年度", "预算单位", "项目名称", "项目构成", "项目明细", "资金级次", "资金类型", "年初预算", "单价", "数量", "依据", "安排月份"],
      columns: ["year", "unit", "project", "item", "item", "fundLevel", "fundType", "amount", "returned", "count", "item", "months"],
    },
    {
      kind: "budget-lines",
      headers: ["年度", "预算单位", "项目名称", "项目明细", "资金级次", "资金类型", "年初预算", "单价", "数量"],
      columns: ["year", "unit", "project", "item", "fundLevel", "fundType", "amount", "returned", "count"],
    },
    {
      kind: "adjustments",
      headers: ["年度", "预算单位", "项目名称", "项目明细", "调整日期", "调整金额", "资金级次", "调整原因"],
      columns: ["year", "unit", "project", "item", "date", "signed", "fundLevel", "item"],
    },
  ];

  it("gives parseImportRow's result for every row, plain or not", () => {
    let fast = 0;
    for (const { kind, headers, columns } of layouts) {
      const mapping = mapHeaders(kind, headers);
      const read = rowReader(kind, mapping);
      // A deterministic walk over the variants: each row varies every column by a different stride.
      for (let n = 0; n < 20_000; n++) {
        const cells = columns.map((column, index) => {
          const options = variants[column]!;
          const pick = n % 3 === 0 ? 0 : (n * (index + 7) + Math.floor(n / (index + 2))) % options.length;
          return options[pick]!;
        });
        const expected = parseImportRow(kind, mapping, cells, n + 2);
        expect(read(cells, n + 2)).toEqual(expected);
        if ("row" in expected) fast++;
      }
    }
    // The walk must reach valid rows of every kind, not only errors.
    expect(fast).toBeGreaterThan(5_000);
  });

  it("refuses a row with a filled cell beyond the header: an unquoted thousands separator in a CSV", () => {
    const mapping = mapHeaders("payments", ["年度", "预算单位", "项目名称", "支付日期", "支付方式", "人次", "金额"]);
    const read = rowReader("payments", mapping);
    const split = ["2024", "上海市闵行区马桥镇社区事务受理服务中心", "医疗救助", "2024/11/14", "社会化发放", "3", "1", "234.56"];
    const expected = {
      problems: [
        {
          rowNumber: 5,
          column: null,
          message: "第8列（H列）没有表头，却有内容“234.56”：该行比表头（7列）多出字段：金额中的千位分隔符是否未加引号（CSV 中应写作 \"1,234.56\" 或 1234.56）？",
        },
      ],
    };
    expect(read(split, 5)).toEqual(expected);
    expect(parseImportRow("payments", mapping, split, 5)).toEqual(expected);
    // Plain cells take the fast path: the stray cell must be seen there too.
    expect(read(["2024", "u", "p", "2024-11-14", "社会化发放", "3", "1", "234.56"], 6)).toMatchObject({ problems: [{ rowNumber: 6, column: null, message: expect.stringMatching(/^第8列（H列）没有表头/) }] });
    expect(read(["2024", "u", "p", "2024-11-14", "社会化发放", "3", "1.00", "", "", "x"], 7)).toMatchObject({ problems: [{ message: expect.stringMatching(/^第10列（J列）没有表头，却有内容“x”/) }] });
    // Empty trailing cells are no content.
    expect(read(["2024", "u", "p", "2024-11-14", "社会化发放", "3", "1234.56", "", " ", ""], 8)).toMatchObject({ row: { amount: "1234.56" } });
  });

  it("refuses a filled cell under an empty header cell between headers", () => {
    const mapping = mapHeaders("payments", ["年度", "预算单位", "项目名称", "", "支付日期", "支付方式", "金额"]);
    expect(mapping.unheaded).toEqual([3]);
    const read = rowReader("payments", mapping);
    expect(read(["2024", "u", "p", "", "2024-11-14", "划拨", "1.00"], 2)).toMatchObject({ row: { amount: "1.00" } });
    expect(read(["2024", "u", "p", "备用", "2024-11-14", "划拨", "1.00"], 3)).toEqual({
      problems: [{ rowNumber: 3, column: null, message: "第4列（D列）没有表头，却有内容“备用”：请为该列填写表头，或删除该列的内容" }],
    });
  });

  it("refuses what only looks like an alias (a name on Object's prototype)", () => {
    const mapping = mapHeaders("payments", ["年度", "预算单位", "项目名称", "支付日期", "支付方式", "金额"]);
    expect(rowReader("payments", mapping)(["2024", "u", "p", "2024-05-10", "constructor", "1.00"], 2)).toEqual({
      problems: [{ rowNumber: 2, column: "支付方式", message: "支付方式应为 社会化发放 或 划拨：constructor" }],
    });
  });
});
