import { describe, expect, it } from "vitest";
import { render, type Message } from "../../../messages/index.ts";
import { FORM_STATES, formStateMessage } from "./states.ts";
import { STAGE_CONCLUSIONS, conclusionMessage, conclusionStatement } from "./conclusion.ts";
import { DEVIATION_CATEGORIES, categoryMessage, validateDeviationCauses } from "./deviation-causes.ts";
import { JUDGEMENTS, LIKELIHOODS, judgementMessage, likelihoodMessage } from "./likelihood.ts";
import { evaluateTrackingForm } from "./evaluation.ts";
import { deviationMessage, evaluateIndicator } from "./indicator.ts";
import { parseTrackingFields } from "./fields.ts";
import { row } from "./fixtures.ts";
import { submissionWarnings } from "./warnings.ts";

/*
 * The English interface shows no Chinese except what users typed: every problem, warning, state,
 * conclusion and fixed choice the rules produce renders in English. The data here (indicator names,
 * values typed in, cause codes) is in Latin letters, so any Chinese found comes from the rules.
 */

const CHINESE = /[\u3400-\u9fff\uff01-\uff5e\u3001\u3002]/;
const english = (message: Message) => render("en", message);

describe("the tracking form's messages in English", () => {
  it("name every submission problem and warning without Chinese", () => {
    const evaluation = evaluateTrackingForm({
      budget: "1000000.00",
      executed: "500000.00",
      execution: { causeCode: "no-such-cause", cause: null, measure: null },
      indicators: [
        row("Timeliness", "100.00%", { actual: "70%" }),
        row("Coverage", "≥85%"),
        row("Accuracy", "100%", { actual: "abc" }),
        row("Unit", "≥5 people", { actual: "3 visits" }),
        row("Typo", "≥", { actual: "1" }),
        row("Huge", "100%", { dueTarget: "≥0.001%", actual: "100%" }),
        row("Left out", "≥1", { tracked: false, untrackedReason: null }),
        row("Rules", "effective", { judgement: "部分达成" }),
      ],
      adjustmentNeeded: true,
      adjustment: { adjustedBudget: "900000.00", decrease: "1.00", increase: null },
      budgetCompletionLikelihood: null,
      targetCompletionLikelihood: null,
      estimatedFullYearExecution: "1500000.00",
      estimatedFullYearPrefill: "800000.00",
      estimatedFullYearReason: null,
    });
    // Above 100%: the warning differs as the adjustment question is answered 否 or not yet.
    const above = (adjustmentNeeded: boolean | null) =>
      submissionWarnings({ budget: "1000000.00", executed: "0.00", execution: {}, indicators: [], adjustmentNeeded, budgetCompletionLikelihood: null, targetCompletionLikelihood: null, estimatedFullYearExecution: "1500000.00" } as never);
    const messages = [...evaluation.problems.map((problem) => problem.message), ...evaluation.warnings, ...above(false), ...above(null)];
    expect(new Set(messages.map((message) => message.code)).size).toBeGreaterThanOrEqual(13);
    for (const message of messages) expect(english(message), message.code).not.toMatch(CHINESE);
    expect(evaluation.problems.map((problem) => english(problem.message))).toContain("Indicator “Timeliness”: the corrective measure is missing");
    expect(english(evaluateIndicator(row("x", "≥", { actual: "1" })).error!)).toBe("Target “≥” cannot be read: at character 2: a digit expected");
    // The same problems in Chinese still read as the official wording.
    expect(render("zh", evaluation.problems.find((problem) => problem.field === "tracked" || problem.field === "untrackedReason")!.message)).toBe("指标“Left out”：不纳入跟踪须说明理由");
  });

  it("name every field it cannot read without Chinese", () => {
    const posted = new Map<string, string>([
      ["adjustedBudget", "1,2x"],
      ["adjustmentDecrease", "-5"],
      ["estimatedFullYear", "1.005"],
      ["budgetLikelihood", "maybe"],
      ["targetLikelihood", "maybe"],
      ["filledOn", "2024-02-30"],
      ["executionCauseCode", "bogus"],
      ["problems", "x".repeat(4001)],
      ["measures", "a\u0000b"],
      ["ind.7.judgement", "sort of"],
      ["ind.7.measure", "\u0000"],
      ["ind.7.causeCode", "bogus"],
    ]);
    const { errors } = parseTrackingFields((name) => posted.get(name) ?? null, ["7"], { causeCodes: ["other"], indicatorNames: { "7": "Timeliness" } });
    expect(Object.keys(errors).length).toBe(posted.size);
    for (const [name, message] of Object.entries(errors)) expect(english(message), name).not.toMatch(CHINESE);
  });

  it("show states, conclusions, likelihoods, judgements, categories and the catalogue's problems in English", () => {
    const groups: Message[][] = [
      FORM_STATES.map(formStateMessage),
      [formStateMessage(null), deviationMessage("-5个百分点")],
      STAGE_CONCLUSIONS.map(conclusionMessage),
      STAGE_CONCLUSIONS.map((conclusion) => conclusionStatement(conclusion, "75.00")),
      LIKELIHOODS.map(likelihoodMessage),
      JUDGEMENTS.map(judgementMessage),
      DEVIATION_CATEGORIES.map(categoryMessage),
      validateDeviationCauses([]),
      validateDeviationCauses([{ code: "Bad Code", category: "other" as never, label: " " }, { code: "Bad Code", category: "其他", label: "x" }]),
    ];
    const messages = groups.flat();
    for (const message of messages) expect(english(message), message.code).not.toMatch(CHINESE);
  });
});
