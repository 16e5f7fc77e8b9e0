import { describe, expect, it } from "vitest";
import { render, translate, type Language, type MessageKey } from "../app/i18n.ts";
import { FIELD_KEYS, TABLE_KEYS, actionLabel, changeText, fieldLabel, fieldValue, recordLabel } from "../app/history-text.ts";
import { FIELD_LABELS } from "../domain/history.ts";

const t = (language: Language) => (key: MessageKey) => translate(language, key);
const zh = t("zh");
const en = t("en");
const CHINESE = /[\u3400-\u9fff]/;

/** 变更记录 and the correction messages in either language (issue 11 §4). */
describe("the audit trail in the user's language", () => {
  it("names every field the trail may show: in Chinese as the domain does, in English without Chinese", () => {
    for (const [field, label] of Object.entries(FIELD_LABELS)) {
      expect(FIELD_KEYS[field], field).toBeDefined();
      expect(fieldLabel(zh, field), field).toBe(label);
      expect(fieldLabel(en, field), field).not.toMatch(CHINESE);
    }
    for (const table of Object.keys(TABLE_KEYS)) expect(recordLabel(en, table, "1"), table).not.toMatch(CHINESE);
    expect(fieldLabel(en, "some_new_column")).toBe("some_new_column");
  });

  it("names records and actions: 支付 #12 / Payment #12, 新增 / Added", () => {
    expect(recordLabel(zh, "payment", "12")).toBe("支付 #12");
    expect(recordLabel(en, "payment", "12")).toBe("Payment #12");
    expect(recordLabel(en, "import_batch", "3")).toBe("Import batch #3");
    expect([actionLabel(zh, "insert"), actionLabel(zh, "update"), actionLabel(zh, "delete")]).toEqual(["新增", "修改", "删除"]);
    expect([actionLabel(en, "insert"), actionLabel(en, "update"), actionLabel(en, "delete")]).toEqual(["Added", "Changed", "Deleted"]);
  });

  it("shows amounts as money, payment kinds, statuses and yes/no by name; other values as stored", () => {
    expect(fieldValue(zh, "amount", "56307.81")).toBe("56,307.81");
    expect(fieldValue(en, "amount", "-56307.81")).toBe("-56,307.81");
    expect(fieldValue(en, "amount", 58000.5)).toBe("58,000.50");
    expect(fieldValue(zh, "kind", "batch")).toBe("社会化发放");
    expect(fieldValue(zh, "kind", "transfer")).toBe("划拨");
    expect(fieldValue(en, "kind", "batch")).toBe("Batch to individuals");
    expect(fieldValue(en, "kind", "transfer")).toBe("Transfer");
    expect(fieldValue(zh, "status", "已撤销")).toBe("已撤销");
    expect([fieldValue(en, "status", "已导入"), fieldValue(en, "status", "已撤销")]).toEqual(["Imported", "Undone"]);
    expect(fieldValue(en, "recurring", true)).toBe("Yes");
    expect(fieldValue(en, "rows", 2)).toBe("2");
    expect(fieldValue(en, "note", null)).toBe("");
    expect(fieldValue(en, "correction_reason", "金额多录一位")).toBe("金额多录一位");
    expect([fieldValue(zh, "fund_level", "中央"), fieldValue(en, "fund_level", "中央"), fieldValue(en, "fund_type", "上年结转")]).toEqual(["中央", "Central", "Carried over from last year"]);
    // A self-evaluation's funds row, the indicator levels and the grade: fixed choices, named; other text as stored.
    expect([fieldValue(en, "fund_row", "当年财政拨款"), fieldValue(en, "fund_row", "total"), fieldValue(zh, "fund_row", "其他资金")]).toEqual(["Current-year appropriation", "Total funds of the year", "其他资金"]);
    expect([fieldValue(en, "level1", "产出指标"), fieldValue(en, "level2", "服务对象满意度指标"), fieldValue(zh, "level2", "数量指标")]).toEqual(["Output", "Beneficiary satisfaction", "数量指标"]);
    expect([fieldValue(en, "grade", "优"), fieldValue(en, "grade", "不合格"), fieldValue(zh, "grade", "良")]).toEqual(["Excellent", "Fail", "良"]);
    expect([fieldValue(en, "level1", "自定义指标"), fieldValue(en, "grade", "甲"), fieldValue(en, "name", "优")]).toEqual(["自定义指标", "甲", "优"]);
    expect(changeText(zh, { field: "amount", before: "88888.00", after: "8888.00" })).toBe("金额 88,888.00 → 8,888.00");
    expect(changeText(en, { field: "kind", before: "batch", after: "transfer" })).toBe("Kind Batch to individuals → Transfer");
    expect(changeText(en, { field: "note", before: null, after: "x" })).toBe("Note — → x");
  });

  it("shows the amounts of an undo's refusal as money", () => {
    const corrected = { code: "corBlk_paymentCorrected" as const, params: { payment: "7", project: "医疗救助", date: "2024-09-03", amount: "2500.00", change: "2024-10-01 10:00 maqiao.planner" } };
    expect(render("zh", corrected)).toBe("支付 #7（医疗救助，2024-09-03，2,500.00 元）导入后已被更正：2024-10-01 10:00 maqiao.planner");
    const over = { code: "corBlk_overBudget" as const, params: { project: "医疗救助", year: "2024", added: "100000.00", used: "50000.00", budget: "1471745.31", executed: "1521745.31" } };
    expect(render("en", over)).toBe(
      "2024 医疗救助: the batch added 100,000.00 yuan, of which payments made since use 50,000.00 yuan (adjusted budget without it 1,471,745.31 yuan, execution to the year end 1,521,745.31 yuan)",
    );
    const adjustment = { code: "corBlk_adjustmentChanged" as const, params: { project: "医疗救助", item: "门急诊", date: "2024-10-08", amount: "12345.00", change: "2024-10-09 09:00 admin" } };
    expect(render("zh", adjustment)).toContain("（门急诊，2024-10-08，12,345.00 元）");
  });
});
