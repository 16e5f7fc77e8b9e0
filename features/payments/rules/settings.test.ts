import { describe, expect, it } from "vitest";
import { batchRulesProblems, typedTimeRules, TIME_RULE_FIELDS, type TimeRuleField } from "./settings.ts";

const TYPED: Record<TimeRuleField, string> = {
  acceptanceDays: "10, 20，31",
  reviewWorkingDays: "10",
  paymentWorkingDays: " 5 ",
  reportByDay: "10",
  minBatchesPerMonth: "2",
  minBatchesDecember: "1",
  warningDays: "5",
};

describe("the time rules as typed on /admin", () => {
  it("reads acceptance days separated by commas (either width), 、 or spaces, and whole numbers", () => {
    expect(typedTimeRules(TYPED)).toEqual({
      rules: { acceptanceDays: [10, 20, 31], reviewWorkingDays: 10, paymentWorkingDays: 5, reportByDay: 10, minBatchesPerMonth: 2, minBatchesDecember: 1 },
      warningDays: 5,
    });
    expect(typedTimeRules({ ...TYPED, acceptanceDays: "10、20 31" }).rules.acceptanceDays).toEqual([10, 20, 31]);
  });

  it("keeps what is not a whole number as text, so that the check refuses it at its field", () => {
    const typed = typedTimeRules({ ...TYPED, acceptanceDays: "10, 二十", reviewWorkingDays: "十", paymentWorkingDays: "2.5", reportByDay: "" });
    expect(Object.keys(batchRulesProblems(typed.rules)).sort()).toEqual(["acceptanceDays", "paymentWorkingDays", "reportByDay", "reviewWorkingDays"]);
    expect(batchRulesProblems(typedTimeRules({ ...TYPED, acceptanceDays: "10, 10" }).rules)).toHaveProperty("acceptanceDays");
    expect(TIME_RULE_FIELDS).toHaveLength(7);
  });
});
