import { describe, expect, it } from "vitest";
import { render } from "../../../messages/index.ts";
import { workCalendar } from "../../../domain/workdays.ts";
import { acceptanceDates, judgeAcceptance, judgeBatch, judgeReport, monthlyTimeliness, timelinessRate, timelinessTotal, type BatchDates } from "./batch-timeliness.ts";
import { batchRulesProblems, DEFAULT_BATCH_RULES, readStoredBatchRules, readStoredWarningDays } from "./settings.ts";
import { CALENDAR_2024 as calendar } from "./test-calendar.fixture.ts";

/*
 * The batch rules of 闵医保规发〔2022〕1号 at their boundaries, on the 2024 calendar: 春节 10–17 Feb off, Sundays
 * 4 and 18 Feb worked; 清明 4–5 Apr off, Sunday 7 Apr worked.
 */

const rules = readStoredBatchRules(undefined);
const batch = (dates: Partial<BatchDates> & { paidOn: string }): BatchDates => ({ acceptedOn: null, reviewedOn: null, approvedOn: null, ...dates });
const rule = (dates: BatchDates, name: "acceptance" | "review" | "payment") =>
  judgeBatch(dates, rules, calendar).rules.find((judgement) => judgement.rule === name)!;

describe("the review rule: within 10 working days of acceptance", () => {
  it("is kept on exactly the 10th working day and missed by 1 on the 11th, over the Spring Festival and its make-up Sunday", () => {
    // Thu 8 Feb: Fri 9 (1), 10–17 off, Sun 18 worked (2), 19–23 (3–7), 26–28 (8–10).
    const onTenth = rule(batch({ acceptedOn: "2024-02-08", reviewedOn: "2024-02-28", paidOn: "2024-03-05" }), "review");
    expect(onTenth).toEqual({ rule: "review", status: "on-time", deadline: "2024-02-28" });
    const onEleventh = rule(batch({ acceptedOn: "2024-02-08", reviewedOn: "2024-02-29", paidOn: "2024-03-05" }), "review");
    expect(onEleventh).toEqual({ rule: "review", status: "late", deadline: "2024-02-28", workingDaysLate: 1 });
  });

  it("counts the make-up Sunday of 清明 as a working day late", () => {
    // Wed 20 Mar + 10 working days → Wed 3 Apr; reviewed Mon 8 Apr: 4–5 Apr off, Sat 6 off, Sun 7 worked (1), Mon 8 (2).
    expect(rule(batch({ acceptedOn: "2024-03-20", reviewedOn: "2024-04-03", paidOn: "2024-04-10" }), "review")).toMatchObject({ status: "on-time" });
    expect(rule(batch({ acceptedOn: "2024-03-20", reviewedOn: "2024-04-08", paidOn: "2024-04-10" }), "review")).toEqual({
      rule: "review",
      status: "late",
      deadline: "2024-04-03",
      workingDaysLate: 2,
    });
  });
});

describe("the payment rule: within 5 working days of approval", () => {
  it("is kept on the 5th working day and missed on the 6th, the holiday skipped and the make-up Sunday counted", () => {
    // Wed 7 Feb: Thu 8 (1), Fri 9 (2), Sun 18 (3), Mon 19 (4), Tue 20 (5).
    expect(rule(batch({ approvedOn: "2024-02-07", paidOn: "2024-02-20" }), "payment")).toEqual({ rule: "payment", status: "on-time", deadline: "2024-02-20" });
    expect(rule(batch({ approvedOn: "2024-02-07", paidOn: "2024-02-21" }), "payment")).toEqual({
      rule: "payment",
      status: "late",
      deadline: "2024-02-20",
      workingDaysLate: 1,
    });
  });

  it("flags a payment dated before its approval instead of judging it", () => {
    expect(rule(batch({ approvedOn: "2024-03-12", paidOn: "2024-03-10" }), "payment")).toEqual({ rule: "payment", status: "out-of-order" });
  });
});

describe("the acceptance rule: on the 10th, the 20th and the month's end", () => {
  it("takes the month's last day for 31 and keeps leap years", () => {
    expect(acceptanceDates("2024-02", [10, 20, 31])).toEqual(["2024-02-10", "2024-02-20", "2024-02-29"]);
    expect(acceptanceDates("2024-04", [31, 10])).toEqual(["2024-04-10", "2024-04-30"]);
  });

  it("is kept on the day, or on the next working day when the day is not one (顺延)", () => {
    expect(judgeAcceptance("2024-01-10", rules, calendar)).toEqual({ rule: "acceptance", status: "on-time", deadline: "2024-01-10" });
    // Sat 10 Feb, in the holiday: the next working day is the make-up Sunday 18 Feb.
    expect(judgeAcceptance("2024-02-18", rules, calendar)).toEqual({ rule: "acceptance", status: "on-time", deadline: "2024-02-18" });
    expect(judgeAcceptance("2024-02-19", rules, calendar)).toEqual({ rule: "acceptance", status: "late", deadline: "2024-02-18", workingDaysLate: 1 });
    // Sunday 31 Mar → Monday 1 Apr.
    expect(judgeAcceptance("2024-04-01", rules, calendar)).toMatchObject({ status: "on-time", deadline: "2024-04-01" });
  });

  it("counts the working days after the acceptance day when accepted off it", () => {
    expect(judgeAcceptance("2024-01-12", rules, calendar)).toEqual({ rule: "acceptance", status: "late", deadline: "2024-01-10", workingDaysLate: 2 });
    // Accepted on 2 Jan: the acceptance day before is Sunday 31 Dec 2023, moved past the New Year holiday to Tue 2 Jan.
    expect(judgeAcceptance("2024-01-02", rules, calendar)).toMatchObject({ status: "on-time", deadline: "2024-01-02" });
  });
});

describe("a batch's verdict", () => {
  it("is on time when every rule is kept, late by the most working days missed, incomplete when a date is missing", () => {
    const onTime = judgeBatch(batch({ acceptedOn: "2023-12-20", reviewedOn: "2024-01-03", approvedOn: "2024-01-05", paidOn: "2024-01-10" }), rules, calendar);
    expect(onTime).toMatchObject({ verdict: "on-time", workingDaysLate: 0 });
    const late = judgeBatch(batch({ acceptedOn: "2024-01-12", reviewedOn: "2024-01-19", approvedOn: "2024-01-22", paidOn: "2024-02-01" }), rules, calendar);
    // Accepted 2 working days after the 10th; paid 3 working days after the 5th after approval (29 Jan).
    expect(late.verdict).toBe("late");
    expect(late.workingDaysLate).toBe(3);
    expect(late.rules.map((judgement) => judgement.status)).toEqual(["late", "on-time", "late"]);
    const incomplete = judgeBatch(batch({ approvedOn: "2024-01-08", paidOn: "2024-01-10" }), rules, calendar);
    expect(incomplete.verdict).toBe("incomplete");
    expect(incomplete.rules.map((judgement) => judgement.status)).toEqual(["missing", "missing", "on-time"]);
  });

  it("does not judge a date the calendar does not cover, and says why", () => {
    const only2024 = workCalendar([], [2024]);
    const judged = judgeBatch(batch({ acceptedOn: "2024-12-20", reviewedOn: "2024-12-31", approvedOn: "2025-01-03", paidOn: "2025-01-07" }), rules, only2024);
    expect(judged.verdict).toBe("incomplete");
    const payment = judged.rules.find((judgement) => judgement.rule === "payment")!;
    expect(payment.status).toBe("not-covered");
    expect(payment.status === "not-covered" && render("zh", payment.problem)).toContain("2025");
  });
});

describe("the timeliness rate (及时率) per month", () => {
  it("is batches on time ÷ batches with 2 decimals half-up, a batch without dates counting as not on time", () => {
    expect(timelinessRate(25, 26)).toBe("96.15");
    expect(timelinessRate(2, 3)).toBe("66.67");
    expect(timelinessRate(1, 3)).toBe("33.33");
    expect(timelinessRate(0, 0)).toBeNull();
    const march = [
      batch({ acceptedOn: "2024-02-20", reviewedOn: "2024-02-29", approvedOn: "2024-03-04", paidOn: "2024-03-08" }),
      batch({ acceptedOn: "2024-02-29", reviewedOn: "2024-03-12", approvedOn: "2024-03-13", paidOn: "2024-03-15" }),
    ];
    const [month] = monthlyTimeliness({ months: ["2024-03"], batchCounts: new Map([["2024-03", 3]]), dated: march }, rules, calendar);
    expect(month).toEqual({
      month: "2024-03",
      batches: 3,
      onTime: 2,
      late: 0,
      incomplete: 1,
      rate: "66.67",
      minBatches: 2,
      cadenceMet: true,
      reportDue: "2024-04-10",
      reportedOn: null,
      report: { rule: "report", status: "missing" },
    });
  });

  it("asks two batches a month and one in December, and dates December's report in January", () => {
    const months = monthlyTimeliness(
      {
        months: ["2024-11", "2024-12"],
        batchCounts: new Map([
          ["2024-11", 1],
          ["2024-12", 1],
        ]),
        dated: [],
      },
      rules,
      calendar,
    );
    expect(months.map(({ month, cadenceMet, minBatches, reportDue, rate }) => ({ month, cadenceMet, minBatches, reportDue, rate }))).toEqual([
      { month: "2024-11", cadenceMet: false, minBatches: 2, reportDue: "2024-12-10", rate: "0.00" },
      { month: "2024-12", cadenceMet: true, minBatches: 1, reportDue: "2025-01-10", rate: "0.00" },
    ]);
    expect(timelinessTotal(months)).toEqual({ batches: 2, onTime: 0, late: 0, incomplete: 2, rate: "0.00", monthsShort: 1 });
    // A report day past the month's end is its last day.
    const february = monthlyTimeliness({ months: ["2024-01"], batchCounts: new Map(), dated: [] }, { ...rules, reportByDay: 31 }, calendar);
    expect(february[0]).toMatchObject({ reportDue: "2024-02-29", rate: null, cadenceMet: false });
  });
});

describe("the rules as settings", () => {
  it("default to 闵医保规发〔2022〕1号 and keep what can be read of a stored value", () => {
    expect(readStoredBatchRules(undefined)).toEqual(DEFAULT_BATCH_RULES);
    expect(readStoredBatchRules("not json")).toEqual(DEFAULT_BATCH_RULES);
    expect(readStoredBatchRules('{"reviewWorkingDays":15,"paymentWorkingDays":-1,"acceptanceDays":[31,15]}')).toEqual({
      ...DEFAULT_BATCH_RULES,
      reviewWorkingDays: 15,
      acceptanceDays: [15, 31],
    });
    expect(readStoredWarningDays(undefined)).toBe(5);
    expect(readStoredWarningDays("3")).toBe(3);
    expect(readStoredWarningDays("x")).toBe(5);
  });

  it("refuses rules that cannot be kept, field by field", () => {
    const problems = batchRulesProblems({ ...DEFAULT_BATCH_RULES, acceptanceDays: [10, 10], reviewWorkingDays: 1.5, minBatchesDecember: -1 });
    expect(Object.keys(problems).sort()).toEqual(["acceptanceDays", "minBatchesDecember", "reviewWorkingDays"]);
    expect(render("zh", problems.reviewWorkingDays!)).toBe("应为 0 至 60 之间的整数");
    expect(batchRulesProblems(DEFAULT_BATCH_RULES)).toEqual({});
  });
});

describe("the report rule (备案): a month's batches reported by the 10th of the next month", () => {
  it("is kept on the 10th and missed by 1 on the next working day", () => {
    expect(judgeReport("2024-08", "2024-09-10", rules, calendar)).toEqual({ rule: "report", status: "on-time", deadline: "2024-09-10" });
    expect(judgeReport("2024-08", "2024-09-11", rules, calendar)).toEqual({ rule: "report", status: "late", deadline: "2024-09-10", workingDaysLate: 1 });
  });

  it("moves a due day that is not a working day to the next one: 10 Feb 2024 (春节) to the make-up Sunday 18 Feb", () => {
    expect(judgeReport("2024-01", "2024-02-18", rules, calendar)).toEqual({ rule: "report", status: "on-time", deadline: "2024-02-18" });
    expect(judgeReport("2024-01", "2024-02-19", rules, calendar)).toEqual({ rule: "report", status: "late", deadline: "2024-02-18", workingDaysLate: 1 });
  });

  it("is judged per month beside the batches: missing where batches were paid and nothing is recorded, nothing to judge without batches", () => {
    const months = monthlyTimeliness(
      { months: ["2024-08", "2024-09", "2024-10"], batchCounts: new Map([["2024-08", 2], ["2024-09", 2]]), dated: [], reports: new Map([["2024-08", "2024-09-12"]]) },
      rules,
      calendar,
    );
    expect(months.map((month) => [month.month, month.reportedOn, month.report?.status ?? null])).toEqual([
      ["2024-08", "2024-09-12", "late"],
      ["2024-09", null, "missing"],
      ["2024-10", null, null],
    ]);
  });
});
