import { describe, expect, it } from "vitest";
import { stageConclusion } from "./conclusion.ts";
import { submissionWarnings } from "./warnings.ts";
import { huacaoForm, zh } from "./fixtures.ts";
import type { TrackingFormInput } from "./submission.ts";

describe("submission warnings", () => {
  it("flag an estimated full-year execution below the threshold even when the current rate passes", () => {
    const form = { ...huacaoForm(), estimatedFullYearExecution: "800000.00" };
    const warnings = (change: Partial<TrackingFormInput>) => submissionWarnings({ ...form, ...change }).map(zh);
    expect(stageConclusion({ executionRate: "86.51", targetCompletions: form.indicators }).conclusion).toBe("运行正常");
    expect(warnings({})).toEqual(["全年预计执行率 72.12% 低于 75%"]);
    expect(warnings({ estimatedFullYearExecution: "831900.00" })).toEqual([]); // exactly 75.00%
    expect(warnings({ estimatedFullYearExecution: "831899.00" })).toEqual([]); // 74.9999…, shown and judged as 75.00
    expect(warnings({ estimatedFullYearExecution: "831788.00" })).toEqual(["全年预计执行率 74.99% 低于 75%"]);
    expect(warnings({ estimatedFullYearExecution: "800000.00", threshold: "72.50" })).toEqual(["全年预计执行率 72.12% 低于 72.5%"]);
    expect(warnings({ estimatedFullYearExecution: "1200000.00" })).toEqual(["全年预计执行率 108.19% 超过 100%，可能需要调增预算"]);
    expect(warnings({ estimatedFullYearExecution: null })).toEqual([]);
  });
});
