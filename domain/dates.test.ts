import { describe, expect, it } from "vitest";
import { daysBetween, daysInYear, defaultAsOf, isIsoDate } from "./dates.ts";

describe("dates", () => {
  it("accepts real calendar dates only", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2024-13-01")).toBe(false);
    expect(isIsoDate("2024-8-31")).toBe(false);
  });

  it("counts days", () => {
    expect(daysInYear(2024)).toBe(366);
    expect(daysInYear(2023)).toBe(365);
    expect(daysBetween("2024-06-20", "2024-07-02")).toBe(12);
  });

  it("defaults the as-of date to the year end for past years and today for the current one", () => {
    expect(defaultAsOf(2024, "2026-11-24")).toBe("2024-12-31");
    expect(defaultAsOf(2026, "2026-11-24")).toBe("2026-11-24");
    expect(defaultAsOf(2027, "2026-11-24")).toBe("2027-01-01");
  });
});
