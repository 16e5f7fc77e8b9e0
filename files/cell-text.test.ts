import { describe, expect, it } from "vitest";
import { builtInDateKind, formatDateKind, numberText, serialToDateText, serialToDateTimeText, serialToTimeText } from "./cell-text.ts";

describe("numberText", () => {
  it("keeps the shortest decimal text", () => {
    expect(numberText("2024")).toBe("2024");
    expect(numberText("18096.59")).toBe("18096.59");
    expect(numberText("-304254.69")).toBe("-304254.69");
    expect(numberText("0.5")).toBe("0.5");
  });

  it("drops binary noise beyond Excel's 15 significant digits", () => {
    expect(numberText("1471745.3100000001")).toBe("1471745.31");
    expect(numberText("135.00000000000003")).toBe("135");
    expect(numberText(String(0.1 + 0.2))).toBe("0.3");
    expect(numberText("14225.100000000002")).toBe("14225.1");
  });

  it("never uses exponent notation", () => {
    expect(numberText("1E+21")).toBe("1000000000000000000000");
    expect(numberText("1e21")).toBe("1000000000000000000000");
    expect(numberText("1.5E-7")).toBe("0.00000015");
    expect(numberText("5.4600000000000003E1")).toBe("54.6");
  });

  it("normalises zeros", () => {
    expect(numberText("-0")).toBe("0");
    expect(numberText("0.0")).toBe("0");
    expect(numberText("1.50")).toBe("1.5");
  });
});

describe("date formats", () => {
  it("recognises date and time formats, and not number formats", () => {
    expect(formatDateKind("yyyy/m/d")).toBe(1);
    expect(formatDateKind('yyyy"年"m"月"d"日";@')).toBe(1);
    expect(formatDateKind("[$-804]yyyy年m月d日 aaaa")).toBe(1);
    expect(formatDateKind("mm-dd-yy")).toBe(1);
    expect(formatDateKind("h:mm:ss")).toBe(2);
    expect(formatDateKind("[h]:mm")).toBe(2);
    expect(formatDateKind("#,##0.00")).toBe(0);
    expect(formatDateKind("#,##0.00_);[Red](#,##0.00)")).toBe(0);
    expect(formatDateKind("0.00E+00")).toBe(0);
    expect(formatDateKind("General")).toBe(0);
    expect(formatDateKind('#,##0.00"元"')).toBe(0);
    expect(formatDateKind("@")).toBe(0);
  });

  it("knows Excel's built-in date formats, the zh-CN ones included", () => {
    expect(builtInDateKind(14)).toBe(1);
    expect(builtInDateKind(22)).toBe(1);
    expect(builtInDateKind(31)).toBe(1); // yyyy"年"m"月"d"日"
    expect(builtInDateKind(57)).toBe(1);
    expect(builtInDateKind(20)).toBe(2);
    expect(builtInDateKind(32)).toBe(2); // h"时"mm"分"
    expect(builtInDateKind(4)).toBe(0);
    expect(builtInDateKind(0)).toBe(0);
  });
});

describe("serialToDateText", () => {
  it("gives the civil date, with no time-zone shift", () => {
    expect(serialToDateText(45475, false)).toBe("2024-07-02");
    expect(serialToDateText(45301, false)).toBe("2024-01-10");
    expect(serialToDateText(45657, false)).toBe("2024-12-31");
    expect(serialToDateText(45475.75, false)).toBe("2024-07-02");
    expect(serialToDateText(45475.9999999, false)).toBe("2024-07-03"); // rounds to the second first
  });

  it("handles the 1904 date system", () => {
    expect(serialToDateText(45475 - 1462, true)).toBe("2024-07-02");
  });

  it("returns null outside Excel's calendar", () => {
    expect(serialToDateText(-1, false)).toBeNull();
    expect(serialToDateText(3e6, false)).toBeNull();
  });

  it("keeps a date cell's time of day when it is not midnight, for the importer to refuse", () => {
    expect(serialToDateTimeText(45475, false)).toBe("2024-07-02");
    expect(serialToDateTimeText(45475.75, false)).toBe("2024-07-02 18:00:00");
    expect(serialToDateTimeText(45475.9999999, false)).toBe("2024-07-03");
    expect(serialToDateTimeText(-1, false)).toBeNull();
  });

  it("gives a time of day", () => {
    expect(serialToTimeText(0.5)).toBe("12:00:00");
    expect(serialToTimeText(0.75 + 1 / 86400)).toBe("18:00:01");
  });
});
