import { describe, expect, it } from "vitest";
import { render } from "../../../messages/index.ts";
import { DEFAULT_FILING_DEADLINES } from "../../../db/settings.ts";
import {
  byUrgency,
  chasedYear,
  countByKind,
  daysLate,
  filingDeadline,
  formEntries,
  noticeEntries,
  readFilingDeadlines,
  readMonthDay,
  rectificationEntries,
  todoKindsFor,
  type FormFact,
  type TodoKind,
} from "./index.ts";

const deadlines = DEFAULT_FILING_DEADLINES;

describe("filing deadlines", () => {
  it("falls on 15 September of the project's year (tracking form) and 31 March of the next (self-evaluation) by default", () => {
    expect(filingDeadline("tracking", 2024, deadlines)).toBe("2024-09-15");
    expect(filingDeadline("selfEvaluation", 2024, deadlines)).toBe("2025-03-31");
    expect(filingDeadline("tracking", 2024, { tracking: "10-08", selfEvaluation: "02-28" })).toBe("2024-10-08");
  });

  it("is late from the day after the deadline, not on it", () => {
    expect(daysLate("2024-09-15", "2024-09-14")).toBe(0);
    expect(daysLate("2024-09-15", "2024-09-15")).toBe(0);
    expect(daysLate("2024-09-15", "2024-09-16")).toBe(1);
    expect(daysLate("2025-03-31", "2025-04-01")).toBe(1);
  });

  it("chases the latest fiscal year whose deadline has passed", () => {
    expect(chasedYear("tracking", [2022, 2023, 2024], "2024-09-15", deadlines)).toBe(2023);
    expect(chasedYear("tracking", [2022, 2023, 2024], "2024-09-16", deadlines)).toBe(2024);
    expect(chasedYear("selfEvaluation", [2024], "2025-03-31", deadlines)).toBeNull();
    expect(chasedYear("selfEvaluation", [2024], "2025-04-01", deadlines)).toBe(2024);
    expect(chasedYear("tracking", [], "2025-04-01", deadlines)).toBeNull();
  });

  it("reads month-days as typed, refusing days some years lack and a tracking deadline before its period ends", () => {
    expect(readMonthDay(" 9-5 ")).toBe("09-05");
    expect(readMonthDay("02-29")).toBeNull();
    expect(readMonthDay("13-01")).toBeNull();
    expect(readMonthDay("2024-09-15")).toBeNull();
    expect(readFilingDeadlines({ tracking: "9-30", selfEvaluation: "4-15" })).toEqual({ deadlines: { tracking: "09-30", selfEvaluation: "04-15" } });
    const refused = readFilingDeadlines({ tracking: "08-31", selfEvaluation: "02-29" });
    expect("problems" in refused && refused.problems.map((problem) => render("zh", problem))).toEqual([
      "运行监控表的截止日应在监控期末8月31日之后：08-31",
      "绩效自评表的截止日应为“月-日”且每年都有该日（如 09-15，不可为 02-29）：02-29",
    ]);
    expect("problems" in refused && render("en", refused.problems[1]!)).toBe("The deadline of the self-evaluation should be a month-day that every year has (e.g. 09-15, not 02-29): 02-29");
  });
});

describe("who gets which entries", () => {
  it("gives submitters their returned forms, managers the forms to review, both the late forms and overdue items, planners the notices", () => {
    const kinds = (role: Parameters<typeof todoKindsFor>[0][number]) => [...todoKindsFor([role])].sort();
    expect(kinds("submitter")).toEqual(["rectification", "returned", "unfiled"]);
    expect(kinds("manager")).toEqual(["notice", "rectification", "review", "unfiled"]);
    expect(kinds("planner")).toEqual(["notice"]);
    expect(kinds("viewer")).toEqual([]);
    expect(kinds("admin")).toEqual([]);
  });

  const fact = (over: Partial<FormFact>): FormFact => ({
    form: "tracking",
    projectId: 1,
    project: "医疗救助",
    fiscalYear: 2024,
    unit: "马桥",
    status: null,
    periodEnd: "2024-08-31",
    updatedAt: null,
    ...over,
  });
  const chased = { tracking: 2024, selfEvaluation: 2024 };
  const entriesFor = (roles: Parameters<typeof todoKindsFor>[0], facts: FormFact[], today: string) =>
    formEntries(facts, { kinds: todoKindsFor(roles), today, deadlines, chased }).map((entry) => [entry.kind, entry.projectId, entry.dueOn, entry.daysOverdue, entry.href]);

  const facts = [
    fact({ projectId: 1 }),
    fact({ projectId: 2, status: "draft", updatedAt: "2024-09-01 10:00" }),
    fact({ projectId: 3, status: "returned", updatedAt: "2024-09-10 09:00" }),
    fact({ projectId: 4, status: "submitted", updatedAt: "2024-09-12 09:00" }),
    fact({ projectId: 5, status: "accepted", updatedAt: "2024-09-12 09:00" }),
    fact({ projectId: 6, status: "returned", periodEnd: "2024-06-30", updatedAt: "2024-07-10 09:00" }),
    fact({ projectId: 7, form: "selfEvaluation", periodEnd: null, status: "resubmitted", updatedAt: "2025-02-01 09:00" }),
    // A second revision of an accepted form, opened to correct it: filed, so never late.
    fact({ projectId: 8, status: "draft", updatedAt: "2024-09-12 09:00", acceptedBefore: true }),
  ];

  it("lists no late form on the deadline day, and the returned and submitted ones", () => {
    expect(entriesFor(["submitter"], facts, "2024-09-15")).toEqual([
      ["returned", 3, null, null, "/projects/3/tracking?periodEnd=2024-08-31"],
      ["returned", 6, null, null, "/projects/6/tracking?periodEnd=2024-06-30"],
    ]);
    expect(entriesFor(["manager"], facts, "2024-09-15")).toEqual([
      ["review", 4, null, null, "/projects/4/tracking?periodEnd=2024-08-31"],
      ["review", 7, null, null, "/projects/7/self-evaluation"],
    ]);
  });

  it("lists the unfiled, draft and returned forms of 31 August the day after, a returned one once for its filer", () => {
    expect(entriesFor(["submitter"], facts, "2024-09-16")).toEqual([
      ["unfiled", 1, "2024-09-15", 1, "/projects/1/tracking?periodEnd=2024-08-31"],
      ["unfiled", 2, "2024-09-15", 1, "/projects/2/tracking?periodEnd=2024-08-31"],
      ["returned", 3, "2024-09-15", 1, "/projects/3/tracking?periodEnd=2024-08-31"],
      ["returned", 6, null, null, "/projects/6/tracking?periodEnd=2024-06-30"],
    ]);
    expect(entriesFor(["manager"], facts, "2024-09-16").map(([kind, id]) => `${kind} ${id}`)).toEqual(["unfiled 1", "unfiled 2", "unfiled 3", "review 4", "review 7"]);
    expect(entriesFor(["planner"], facts, "2024-09-16")).toEqual([]);
    expect(entriesFor(["viewer"], facts, "2024-09-16")).toEqual([]);
  });

  it("chases only the year given per form", () => {
    const older = [fact({ projectId: 8, fiscalYear: 2023, periodEnd: "2023-08-31" })];
    expect(formEntries(older, { kinds: todoKindsFor(["submitter"]), today: "2024-09-16", deadlines, chased })).toEqual([]);
    expect(formEntries(older, { kinds: todoKindsFor(["submitter"]), today: "2024-09-16", deadlines, chased: { ...chased, tracking: 2023 } })).toHaveLength(1);
  });
});

describe("order and counts", () => {
  it("puts forms waiting for review first, then the most overdue, then those due soon, then those waiting longest", () => {
    const forms = formEntries(
      [
        { form: "selfEvaluation", projectId: 1, project: "甲", fiscalYear: 2024, unit: "马桥", status: "draft", periodEnd: null, updatedAt: "2025-03-01 08:00" },
        { form: "selfEvaluation", projectId: 6, project: "己", fiscalYear: 2024, unit: "华漕", status: "submitted", periodEnd: null, updatedAt: "2025-04-08 09:00" },
        { form: "tracking", projectId: 2, project: "乙", fiscalYear: 2024, unit: "马桥", status: "returned", periodEnd: "2024-06-30", updatedAt: "2025-01-05 08:00" },
        { form: "tracking", projectId: 3, project: "丙", fiscalYear: 2024, unit: "马桥", status: "returned", periodEnd: "2024-06-30", updatedAt: "2024-12-01 08:00" },
      ],
      { kinds: todoKindsFor(["submitter", "manager"]), today: "2025-04-10", deadlines, chased: { tracking: 2024, selfEvaluation: 2024 } },
    );
    const items = rectificationEntries([{ id: 9, projectId: 4, projectName: "丁", fiscalYear: 2024, unitName: "马桥", indicator: "培训覆盖人次", dueOn: "2025-03-01" }], "2025-04-10");
    const notices = noticeEntries(
      [
        { id: 1, projectId: 5, projectName: "戊", fiscalYear: 2025, unitName: "马桥", number: "闵医保结〔2025〕3号", amount: "795265.75", dueOn: "2025-04-14", workingDaysLeft: 2 },
        { id: 2, projectId: 5, projectName: "戊", fiscalYear: 2025, unitName: "马桥", number: "闵医保结〔2025〕4号", amount: "1000.00", dueOn: "2025-04-10" },
      ],
      "2025-04-10",
    );
    const sorted = byUrgency([...notices, ...forms, ...items]);
    expect(sorted.map((entry) => [entry.key, entry.daysOverdue])).toEqual([
      // A manager's review is first, however many of the units' items are overdue (it was 20th of 20 on /todo).
      ["review:selfEvaluation:6:", null],
      ["rectification:9", 40],
      ["unfiled:selfEvaluation:1:", 10],
      ["notice:2", 0],
      ["notice:1", -4],
      ["returned:tracking:3:2024-06-30", null],
      ["returned:tracking:2:2024-06-30", null],
    ]);
    expect(sorted[1]!.href).toBe("/rectification?status=overdue&year=2024");
    expect(sorted[4]).toMatchObject({ detail: "闵医保结〔2025〕3号", amount: "795265.75", workingDaysLeft: 2, href: "/projects/5" });
    expect(sorted[3]).toMatchObject({ detail: "闵医保结〔2025〕4号", workingDaysLeft: null });
    const counts: Record<TodoKind, number> = { returned: 2, review: 1, unfiled: 1, rectification: 1, notice: 2 };
    expect(countByKind(sorted)).toEqual(counts);
  });
});
