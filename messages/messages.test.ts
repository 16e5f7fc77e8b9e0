import { describe, expect, it } from "vitest";
import { enFeatures } from "./en/index";
import { fill, formatDate, msg, render, translate } from "./index";
import { zhFeatures } from "./zh/index";

// A plural ending ("{days:s}", English only) is not a placeholder of its own: it names one of the message's counts.
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)(?::\w+)?\}/g)].map((m) => m[0]).filter((p) => !p.endsWith(":s}")).sort();
const pluralNames = (text: string) => [...text.matchAll(/\{(\w+):s\}/g)].map((m) => m[1]!);

describe("message catalogues", () => {
  it("gives every feature the same keys in both languages, with the same placeholders and hints", () => {
    for (const [feature, zh] of Object.entries(zhFeatures)) {
      const en = enFeatures[feature.replace(/Zh$/, "") as keyof typeof enFeatures] as Record<string, string>;
      expect(Object.keys(en).sort(), feature).toEqual(Object.keys(zh).sort());
      for (const [key, text] of Object.entries(zh as Record<string, string>)) {
        expect(placeholders(en[key]!), `${feature}.${key}`).toEqual(placeholders(text));
        for (const name of pluralNames(en[key]!)) expect(text, `${feature}.${key}: {${name}:s} names no count`).toMatch(new RegExp(`\\{${name}:(int|num)\\}`));
      }
    }
  });

  it("keeps plural endings ({name:s}) to the English catalogue", () => {
    for (const [feature, zh] of Object.entries(zhFeatures)) {
      for (const [key, text] of Object.entries(zh as Record<string, string>)) expect(pluralNames(text), `${feature}.${key}`).toEqual([]);
    }
  });

  it("puts each key in one feature only", () => {
    const seen = new Map<string, string>();
    for (const [feature, zh] of Object.entries(zhFeatures)) {
      for (const key of Object.keys(zh)) {
        expect(seen.get(key), `${key} in ${feature}`).toBeUndefined();
        seen.set(key, feature);
      }
    }
  });

  it("keeps Chinese out of the English catalogue except official form titles named alongside their English", () => {
    for (const [feature, en] of Object.entries(enFeatures)) {
      for (const [key, text] of Object.entries(en as Record<string, string>)) {
        const chinese = text.match(/[\u3400-\u9fff]+/g) ?? [];
        // An official title may be given in Chinese beside its English name, e.g. "mid-year tracking (运行监控表)".
        const bare = chinese.filter((word) => !text.includes(`(${word}`) && !text.includes(`（${word}`) && !text.includes(`${word})`));
        if (key === "language") continue; // the switch names the other language in its own script: 中文
        expect(bare, `${feature}.${key}: ${text}`).toEqual([]);
      }
    }
  });
});

describe("render", () => {
  it("formats parameters by their hints and renders nested messages in the same language", () => {
    const row = msg("obRow", { row: 3, unit: "马桥镇", project: "医疗救助", year: 2024, amount: "1234567.5", budget: "1000000" });
    expect(render("zh", row)).toContain("第3行");
    expect(render("en", row)).toContain("马桥镇");
    expect(render("zh", row)).not.toContain("{");
  });

  it("formats dates and amounts exactly", () => {
    expect(formatDate("zh", "2024-06-30")).toBe("2024年6月30日");
    expect(formatDate("en", "2024-06-30")).toBe("30 Jun 2024");
    expect(fill("批次 #{id}", { id: "3" })).toBe("批次 #3");
    // English plural endings, in messages and in filled templates.
    expect([1, 2, 0].map((days) => render("en", msg("pmDaysLate", { days })))).toEqual(["1 day", "2 days", "0 days"]);
    expect(render("en", msg("tdWorkingDaysLeft", { days: 1 }))).toBe("1 working day left");
    expect(fill("{n} row{n:s}", { n: 1 })).toBe("1 row");
    expect(translate("en", "saved")).toBe("Saved");
  });
});

describe("formatting agrees with domain/money", () => {
  it("formats amounts and numbers as formatAmount and formatNumber do", async () => {
    const { formatAmount, formatNumber } = await import("../domain/money");
    const { formatParam } = await import("./format");
    for (const value of ["0", "1", "-1234567.5", "1471745.31", "0.005", "999999999999.995", "1218.00", "32880.50"]) {
      expect(formatParam("zh", value, "money"), value).toBe(formatAmount(value, "yuan"));
      expect(formatParam("en", value, "wan"), value).toBe(formatAmount(value, "wan"));
      expect(formatParam("zh", value, "num"), value).toBe(formatNumber(value));
    }
    expect(formatParam("en", "n/a", "money")).toBe("n/a");
  });
});
