import { describe, expect, it } from "vitest";
import { crossValidate } from "./cross-validation.ts";
import { createRandom, normal } from "./random.ts";

describe("cross-validation with Holt's fits carried from origin to origin (decision 027)", () => {
  const random = createRandom(7);
  const y = Array.from({ length: 72 }, (_, t) => (300 + 4 * t) * (1 + 0.2 * Math.sin((2 * Math.PI * t) / 12)) * (1 + 0.05 * normal(random)));

  it("no origin's forecast sees data after it: changing the last months changes only the origins that saw them", () => {
    const methods = ["holt", "damped", "ets"] as const;
    const before = crossValidate(y, methods, { horizon: 12 });
    const changed = [...y];
    for (let t = 66; t < 72; t++) changed[t] = changed[t]! * 3;
    const after = crossValidate(changed, methods, { horizon: 12 });
    expect(before.origins).toEqual([69, 66, 63, 60]);
    for (const method of methods) {
      before.errors.get(method)!.forEach((origin, k) => {
        const other = after.errors.get(method)![k]!;
        // Months before 66 are the same at the origins fitted on them alone: their forecasts must be the same.
        if (origin.origin <= 66) {
          for (let h = 0; origin.origin + h < 66; h++) expect(other.scaledErrors[h]).toBeCloseTo(origin.scaledErrors[h]!, 12);
        }
      });
      // The origin fitted on the changed months does change (the test can fail).
      expect(after.errors.get(method)![0]!.scaledErrors[0]).not.toBeCloseTo(before.errors.get(method)![0]!.scaledErrors[0]!, 3);
    }
  });

  it("keeps the origins last first and the fitted trend parameters of the last origin", () => {
    const cv = crossValidate(y, ["holt", "damped"], { horizon: 12 });
    expect(cv.errors.get("holt")!.map((o) => o.origin)).toEqual(cv.origins);
    expect(cv.chain.holt!.phi).toBe(1);
    expect(cv.chain.damped!.phi).toBeGreaterThanOrEqual(0.8);
    expect(cv.chain.damped!.phi).toBeLessThanOrEqual(0.98);
    expect(cv.prepared).toHaveLength(cv.origins.length);
  });
});
