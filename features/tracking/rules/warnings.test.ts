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
    expect(warnings({ estimatedFullYearExecution: "1200000.00", adjustmentNeeded: null })).toEqual(["全年预计执行率 108.19% 超过 100%，可能需要调增预算"]);
    // Answered 否, the estimate and the answer disagree (华漕's paper form: 129.77% and 否); answered 是, nothing to add.
    expect(warnings({ estimatedFullYearExecution: "1200000.00", adjustmentNeeded: false })).toEqual([
      "全年预计执行率 108.19% 超过 100%，而“是否需要预算调整”填的是“否”：请核对预计数或调整意见",
    ]);
    expect(warnings({ estimatedFullYearExecution: "1200000.00", adjustmentNeeded: true })).toEqual([]);
    expect(warnings({ estimatedFullYearExecution: null })).toEqual([]);
  });
});
