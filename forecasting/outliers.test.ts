import { describe, expect, it } from "vitest";
import { forecastBudgetLines, totalForecast, type BudgetLineInput } from "./budget-line.ts";
import { fallbackForecast } from "./fallback.ts";
import { addYuan } from "./money.ts";
import { robustOutliers, screenHistory } from "./outliers.ts";
import { createRandom, lognormal, poisson } from "./random.ts";

const cents = (amount: string) => BigInt(amount.replace(".", ""));

describe("the outlier rule (median / MAD of the logarithms)", () => {
  it("flags a value 10× above the median beyond 5 robust sds, however large, and nothing in ordinary spread", () => {
    expect(robustOutliers([100, 120, 90, 110, 105, 50_000])).toEqual([false, false, false, false, false, true]);
    expect(robustOutliers([100, 120, 90, 110, 105, 5e15])).toEqual([false, false, false, false, false, true]);
    // 9× the median is not flagged (the ratio floor), nor is anything among fewer than 5 values.
    expect(robustOutliers([100, 100, 100, 100, 100, 900])).toEqual([false, false, false, false, false, false]);
    expect(robustOutliers([100, 120, 50_000, 0])).toEqual([false, false, false, false]);
  });

  it("below the median it takes 100×: a month of one cheap inpatient is not an outlier", () => {
    expect(robustOutliers([38_000, 36_000, 40_000, 31_000, 2_128, 43_000, 20_000, 38_600])).toEqual(new Array(8).fill(false));
    expect(robustOutliers([38_000, 36_000, 40_000, 31_000, 0.01, 43_000])).toEqual([false, false, false, false, true, false]);
  });

  it("widens with the series' own spread: in a dispersed series 20× is ordinary", () => {
    const dispersed = [10, 200, 50, 1_000, 30, 400, 80, 2_000, 20, 600];
    expect(robustOutliers(dispersed).some(Boolean)).toBe(false);
  });

  it("ignores zeros, negatives and non-finite values", () => {
    expect(robustOutliers([0, -5, Number.NaN, Number.POSITIVE_INFINITY, 100, 110, 90, 100, 105])).toEqual(new Array(9).fill(false));
  });
});

describe("screenHistory", () => {
  const personTimes = [10, 11, 9, 10, 12, 1, 10, 11];
  const amounts = [2000, 2200, 1800, 2000, 2400, 50_000_000, 2000, 2200];

  it("fits a slip at the month's person-times × the median cost and says which month, what and why", () => {
    const screened = screenHistory(personTimes, amounts, "2024-01");
    expect(screened.notes).toEqual([{ code: "outlierCost", params: { month: "2024-06", value: "50000000.00", typical: "200.00" } }]);
    expect(screened.excluded).toEqual([5]);
    expect(screened.amounts[5]).toBe(200);
    expect(screened.personTimes).toEqual(personTimes);
    expect(screened.amounts.filter((_, t) => t !== 5)).toEqual(amounts.filter((_, t) => t !== 5));
  });

  it("a month netting negative (a reversal in a later month) is fitted as empty", () => {
    const screened = screenHistory([10, 10, 10, -3, 10], [2000, 2000, 2000, -600, 2000], "2023-11");
    expect(screened.notes).toEqual([{ code: "negativeMonth", params: { month: "2024-02", value: "-600.00", personTimes: "-3.00" } }]);
    expect(screened.amounts[3]).toBe(0);
    expect(screened.personTimes[3]).toBe(0);
  });

  it("person-times far beyond the line's months are fitted at the median month and the median cost", () => {
    const screened = screenHistory([10, 10, 11, 9, 1_000_000, 10], [2000, 2000, 2200, 1800, 2100, 2000], "2024-01");
    expect(screened.notes.map((n) => [n.code, n.params.month])).toEqual([["outlierVolume", "2024-05"]]);
    expect(screened.personTimes[4]).toBe(10);
    expect(screened.amounts[4]).toBe(2000);
  });

  it("an amount without person-times far above the line's months is not fitted", () => {
    const screened = screenHistory([10, 10, 11, 9, 0, 10], [2000, 2000, 2200, 1800, 9_000_000, 2000], "2024-01");
    expect(screened.notes.map((n) => n.code)).toEqual(["outlierAmount"]);
    expect(screened.amounts[4]).toBe(0);
  });

  it("leaves a clean history as it is, with no notes", () => {
    const random = createRandom(3);
    const volume = Array.from({ length: 36 }, () => poisson(random, 120));
    const paid = volume.map((v) => v * lognormal(random, Math.log(200), 0.2));
    const screened = screenHistory(volume, paid, "2022-01");
    expect(screened.notes).toEqual([]);
    expect(screened.amounts).toEqual(paid);
  });
});

/** 马桥's four person-time lines of 2024 (mixed batches shared out), as the ledger gives them. */
function maqiaoLines(): BudgetLineInput[] {
  const shares = [
    { id: "5", pt: [11.08, 8.6, 6.89, 8.25, 8.72, 14.73, 9.13, 7.01, 10.78, 12.02, 8.31, 6.19], am: [3039.43, 1245.84, 1046.63, 1551.72, 1329.41, 3241.37, 2186.83, 734.04, 2422.03, 1933.47, 1558.56, 2007.5] },
    { id: "7", pt: [11.08, 8.6, 6.89, 8.25, 8.72, 14.73, 9.13, 7.01, 10.78, 12.02, 8.31, 6.19], am: [39512.54, 16195.94, 13606.21, 20172.37, 17282.32, 42137.83, 28428.75, 9542.5, 31486.35, 25135.05, 20261.25, 26097.49] },
    { id: "6", pt: [127.83, 99.27, 79.56, 95.19, 100.63, 169.99, 105.39, 80.92, 124.43, 138.71, 95.87, 71.4], am: [31563.27, 12937.58, 10868.87, 16114.02, 13805.4, 33660.4, 22709.36, 7622.71, 25151.81, 20078.29, 16185.02, 20847.11] },
    { id: "8", pt: [38.01, 29.52, 23.65, 28.3, 29.92, 50.54, 31.34, 24.06, 37.0, 41.24, 28.51, 21.23], am: [13034.46, 5342.74, 4488.44, 6654.5, 5701.12, 13900.5, 9378.12, 3147.89, 10386.77, 8291.59, 6683.82, 8609.09] },
  ];
  return shares.map((s) => ({ id: s.id, name: s.id, kind: "benefit", start: "2024-01", personTimes: s.pt, amounts: s.am, policies: [], target: { year: 2025, policy: {} } }));
}

describe("forecastBudgetLines on a ledger with a slip", () => {
  it("the issue's case: 50,000,000 元 for 1 人次 in December, shared over four lines — finite, footing, explained", () => {
    const share = { "5": [0.0349, 0.0589], "7": [0.4534, 0.0589], "6": [0.3622, 0.68], "8": [0.1496, 0.2022] } as Record<string, [number, number]>;
    const lines = maqiaoLines().map((line) => {
      const [amountShare, volumeShare] = share[line.id]!;
      return { ...line, amounts: line.amounts.map((a, t) => (t === 11 ? a + 5e7 * amountShare : a)), personTimes: line.personTimes.map((v, t) => (t === 11 ? v + volumeShare : v)) };
    });
    // Before: the common unit-cost spread came out at τ ≈ 398, exp(τ·z) overflowed and Infinity × 0 made NaN draws.
    const clean = forecastBudgetLines(maqiaoLines(), { draws: 500 });
    const forecasts = forecastBudgetLines(lines, { draws: 500 });
    forecasts.forEach((f, i) => {
      expect(f.notes.map((n) => [n.code, n.params.month])).toEqual([["outlierCost", "2024-12"]]);
      expect(f.draws.every(Number.isFinite)).toBe(true);
      expect(addYuan(f.monthly.map((m) => m.amount))).toBe(f.amount);
      expect(cents(f.change.volume) + cents(f.change.policy) + cents(f.change.unitCost)).toBe(cents(f.change.total));
      // Measured 0.803 on every line: December, the dearest month, is fitted at the median cost with its real batch.
      expect(Number(f.amount) / Number(clean[i]!.amount)).toBeGreaterThan(0.79);
      expect(Number(f.amount) / Number(clean[i]!.amount)).toBeLessThan(1.21);
    });
    expect(clean.every((f) => f.notes.length === 0)).toBe(true);
    const total = totalForecast(forecasts);
    expect(Number(total.interval95.lower)).toBeLessThanOrEqual(Number(total.amount));
    expect(Number(total.interval95.upper)).toBeGreaterThanOrEqual(Number(total.amount));
  });

  it("a line that cannot be modelled falls back alone to its last 12 screened months, said so, footing", () => {
    const [line] = maqiaoLines();
    const fallback = fallbackForecast({ ...line!, amounts: line!.amounts.map((a, t) => (t === 3 ? 9e9 : a)) }, 100, new RangeError("simulated amounts are not finite"));
    expect(fallback.notes.map((n) => n.code)).toEqual(["outlierCost", "fallbackError"]);
    expect(fallback.notes.at(-1)!.params.error).toBe("simulated amounts are not finite");
    expect(addYuan(fallback.monthly.map((m) => m.amount))).toBe(fallback.amount);
    expect(fallback.quantity).toBe(Math.round(line!.personTimes.reduce((s, v) => s + v, 0)));
    expect(fallback.interval80).toEqual({ lower: fallback.amount, upper: fallback.amount });
    expect(cents(fallback.change.lastYear) + cents(fallback.change.total)).toBe(cents(fallback.amount));
    expect([...fallback.draws].every((d) => d === Number(fallback.amount))).toBe(true);
    // Even a history of non-finite values gives exact amounts.
    const broken = fallbackForecast({ ...line!, amounts: line!.amounts.map(() => Number.NaN) }, 10, new Error("x"));
    expect(broken.amount).toBe("0.00");
  });
});
