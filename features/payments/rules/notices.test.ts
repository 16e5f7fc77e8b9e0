import { describe, expect, it } from "vitest";
import { render } from "../../../messages/index.ts";
import { workCalendar } from "../../../domain/workdays.ts";
import { noticeStatus, noticeTimeliness, parseNoticeForm } from "./notices.ts";
import { CALENDAR_2024 as calendar } from "./test-calendar.fixture.ts";

/*
 * Settlement notices (结算通知书): their state on a day, and the form. seeds/001: due 20 Jun paid 2 Jul, due
 * 14 Nov paid 15 Nov — both late, by calendar days as the project page counts late transfers.
 */

describe("a notice's state", () => {
  it("gives 马桥's two transfers of 2024 as paid late, by 12 and 1 days", () => {
    expect(noticeStatus({ dueOn: "2024-06-20", paidOn: "2024-07-02" }, "2024-12-31", 5, calendar)).toEqual({
      state: "paid-late",
      daysLate: 12,
      workingDaysLeft: null,
      problem: null,
    });
    expect(noticeStatus({ dueOn: "2024-11-14", paidOn: "2024-11-15" }, "2024-12-31", 5, calendar)).toMatchObject({ state: "paid-late", daysLate: 1 });
    expect(noticeStatus({ dueOn: "2024-11-14", paidOn: "2024-11-14" }, "2024-12-31", 5, calendar)).toMatchObject({ state: "paid-on-time", daysLate: 0 });
  });

  it("counts an unpaid notice overdue in calendar days from the day after its due date", () => {
    expect(noticeStatus({ dueOn: "2024-06-20", paidOn: null }, "2024-06-25", 5, calendar)).toMatchObject({ state: "overdue", daysLate: 5 });
    // Paid after the day asked about: unpaid on that day.
    expect(noticeStatus({ dueOn: "2024-06-20", paidOn: "2024-07-02" }, "2024-06-21", 5, calendar)).toMatchObject({ state: "overdue", daysLate: 1 });
    expect(noticeStatus({ dueOn: "2024-06-20", paidOn: null }, "2024-06-20", 5, calendar)).toMatchObject({ state: "due-soon", workingDaysLeft: 0 });
  });

  it("is due soon within 5 working days, the Spring Festival not counted and its make-up Sunday counted", () => {
    // From Thu 8 Feb: Fri 9 (1), Sun 18 (2), Mon 19 (3), … Thu 22 (6).
    expect(noticeStatus({ dueOn: "2024-02-19", paidOn: null }, "2024-02-08", 5, calendar)).toMatchObject({ state: "due-soon", workingDaysLeft: 3 });
    expect(noticeStatus({ dueOn: "2024-02-21", paidOn: null }, "2024-02-08", 5, calendar)).toMatchObject({ state: "due-soon", workingDaysLeft: 5 });
    expect(noticeStatus({ dueOn: "2024-02-22", paidOn: null }, "2024-02-08", 5, calendar)).toMatchObject({ state: "open", workingDaysLeft: 6 });
  });

  it("does not guess working days in a year the calendar does not cover, but knows a date within the calendar days", () => {
    const only2024 = workCalendar([], [2024]);
    const soon = noticeStatus({ dueOn: "2025-01-03", paidOn: null }, "2024-12-31", 5, only2024);
    expect(soon).toMatchObject({ state: "due-soon", workingDaysLeft: null });
    expect(render("zh", soon.problem!)).toContain("2025");
    expect(noticeStatus({ dueOn: "2025-03-01", paidOn: null }, "2024-12-31", 5, only2024)).toMatchObject({ state: "unknown", workingDaysLeft: null });
  });
});

describe("the notices a timeliness indicator counts", () => {
  const due = (dueOn: string, paidOn: string | null) => ({ title: `due ${dueOn}`, dueOn, paidOn });
  it("judges those paid by the day or unpaid past their due date, late ones with their days; not those not yet due", () => {
    const notices = [due("2024-11-14", "2024-11-15"), due("2024-06-20", "2024-07-02"), due("2024-03-01", "2024-02-28"), due("2024-09-30", null), due("2025-01-15", null)];
    expect(noticeTimeliness(notices, "2024-12-31", 5, calendar)).toEqual({
      on: "2024-12-31",
      count: 4,
      onTime: 1,
      paidLate: [
        { title: "due 2024-06-20", dueOn: "2024-06-20", paidOn: "2024-07-02", daysLate: 12 },
        { title: "due 2024-11-14", dueOn: "2024-11-14", paidOn: "2024-11-15", daysLate: 1 },
      ],
      overdue: [{ title: "due 2024-09-30", dueOn: "2024-09-30", paidOn: null, daysLate: 92 }],
    });
    // On its due date an unpaid notice is not late yet; paid early, a notice due later counts as on time.
    expect(noticeTimeliness([due("2024-06-20", null)], "2024-06-20", 5, calendar)).toBeNull();
    expect(noticeTimeliness([due("2024-11-14", "2024-06-01")], "2024-06-30", 5, calendar)).toEqual({ on: "2024-06-30", count: 1, onTime: 1, paidLate: [], overdue: [] });
    expect(noticeTimeliness([], "2024-12-31", 5, calendar)).toBeNull();
  });
});

describe("the notice form", () => {
  const good = {
    projectId: "3",
    documentNumber: "",
    title: " 关于医疗救助资金结算通知书 ",
    issuer: "闵行区医疗保障局、闵行区财政局",
    amount: "32,880",
    issuedOn: "2024-06-05",
    dueOn: "2024-06-20",
    paymentId: "",
    note: "",
  };

  it("reads the fields: text trimmed, the amount in 元 with 2 decimals, optional fields null", () => {
    expect(parseNoticeForm(good)).toEqual({
      values: {
        projectId: 3,
        documentNumber: null,
        title: "关于医疗救助资金结算通知书",
        issuer: "闵行区医疗保障局、闵行区财政局",
        amount: "32880.00",
        issuedOn: "2024-06-05",
        dueOn: "2024-06-20",
        paymentId: null,
        note: null,
      },
    });
  });

  it("names each problem at its field: dates, order, amount, required text", () => {
    const errors = (fields: Record<string, string>) => {
      const parsed = parseNoticeForm({ ...good, ...fields });
      return "errors" in parsed ? Object.fromEntries(Object.entries(parsed.errors).map(([field, message]) => [field, render("zh", message!)])) : {};
    };
    expect(errors({ dueOn: "2024-02-30" })).toEqual({ dueOn: "应为日期 YYYY-MM-DD（2000—2100年）：2024-02-30" });
    expect(errors({ dueOn: "" })).toEqual({ dueOn: "必填" });
    expect(errors({ issuedOn: "2024-06-21" })).toEqual({ issuedOn: "下发日期（2024年6月21日）晚于到期日（2024年6月20日）" });
    expect(errors({ issuedOn: "06/05/2024" })).toEqual({ issuedOn: "应为日期 YYYY-MM-DD（2000—2100年）：06/05/2024" });
    expect(errors({ amount: "0" })).toEqual({ amount: "金额应大于 0" });
    expect(Object.keys(errors({ amount: "三万" }))).toEqual(["amount"]);
    expect(errors({ title: "  ", projectId: "x", paymentId: "12a" })).toEqual({ title: "必填", projectId: "请选择本单位的项目", paymentId: "请选择一笔划拨" });
  });
});
