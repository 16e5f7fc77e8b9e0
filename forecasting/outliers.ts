import { median } from "./stats.ts";

/**
 * Screening a line's monthly history before fitting: months the ledger accepted but a model must not learn
 * from (a 元/万元 slip, a payment booked to the wrong line, a reversal in a later month) are found by a
 * robust rule, replaced by the line's typical value for fitting, and reported as notes (codes with
 * parameters; the app and the CLI word them). The ledger's own figures (last year's execution, the change
 * split's base) are never altered.
 */

/** What the screening or the forecast says about a line, for people: a code and its parameters. */
export interface ForecastNote {
  code: ForecastNoteCode;
  /** Month "YYYY-MM", value and typical value as 2-decimal text, count, error text — as the code needs. */
  params: Record<string, string | number>;
}

export type ForecastNoteCode =
  /** A month's amount per person-time is far from the line's median: fitted at the median. */
  | "outlierCost"
  /** A month's person-times are far from the line's median: fitted at the medians. */
  | "outlierVolume"
  /** A month has an amount but no person-times, far above the line's median month: not fitted. */
  | "outlierAmount"
  /** A month nets negative (a reversal or return beyond the month's payments): not fitted. */
  | "negativeMonth"
  /** The model failed on this line: last 12 months (screened) carried, without intervals. */
  | "fallbackError"
  /** Set by the caller before the history reaches the library: one payment far above its project's median (a 元/万元 slip), left out. */
  | "slipPayment"
  /** The first months of the history lie before the earliest known policy period: taken as under it, not restated. */
  | "beforePolicy";

/**
 * The rule's constants: at least this many values; at least this ratio above (below) the median; and this
 * many robust standard deviations. Below the median the ratio is 100: a month of one or two person-times
 * has a mean cost far from the median by chance (inpatient costs spread widely; the synthetic backtest has
 * such months 18× below), and a low month cannot break a forecast, while a slip of 元 for 万元 is 10,000×.
 */
export const OUTLIER_RULE = { minValues: 5, minRatioAbove: 10, minRatioBelow: 100, robustSds: 5 } as const;

/** 1.4826 × MAD estimates the standard deviation of normal data. */
const MAD_TO_SD = 1.4826;

/**
 * The robust outlier rule on positive values (others are never flagged): on the logarithms, a value is an
 * outlier when it lies more than 5 × 1.4826 × MAD from their median (5 robust standard deviations) and at
 * least 10× above or 100× below the median (OUTLIER_RULE). With fewer than 5 positive values nothing is
 * flagged (one cannot tell which is odd). The median and MAD are not moved by the outliers themselves, so a
 * single 50,000,000 元 month among months of 20,000 元 is found however large it is.
 * robustOutliers([100, 120, 90, 110, 105, 50000]) → [false, false, false, false, false, true]
 */
export function robustOutliers(values: readonly number[]): boolean[] {
  const logs = values.filter((v) => v > 0 && Number.isFinite(v)).map(Math.log);
  if (logs.length < OUTLIER_RULE.minValues) return values.map(() => false);
  const centre = median(logs);
  const mad = median(logs.map((v) => Math.abs(v - centre)));
  const spread = OUTLIER_RULE.robustSds * MAD_TO_SD * mad;
  const above = Math.max(Math.log(OUTLIER_RULE.minRatioAbove), spread);
  const below = Math.max(Math.log(OUTLIER_RULE.minRatioBelow), spread);
  return values.map((v) => v > 0 && Number.isFinite(v) && (Math.log(v) - centre > above || centre - Math.log(v) > below));
}

/** A line's history as fitted: screened person-times and amounts, the months excluded and why. */
export interface ScreenedHistory {
  personTimes: number[];
  amounts: number[];
  /** Indices of the months replaced for fitting. */
  excluded: number[];
  notes: ForecastNote[];
}

const text = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : "0.00");

const monthName = (start: string, offset: number) => {
  const [year, month] = start.split("-").map(Number) as [number, number];
  const index = year * 12 + month - 1 + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
};

/**
 * Screens a monthly history (person-times and amounts from `start`, "YYYY-MM") in three steps, each month
 * at most once: (1) a month netting negative in amount or person-times (a reversal 红字冲销 or a return in a
 * later month) is fitted as empty; (2) person-times far from the median month (robustOutliers) are fitted as
 * the median month, at the median cost; (3) an amount per person-time far from the median is fitted as the
 * month's person-times × the median cost, and an amount in a month without person-times far above the median
 * month is fitted as 0. Non-finite values are fitted as 0.
 * screenHistory([10, 11, 9, 10, 12, 1], [2000, 2200, 1800, 2000, 2400, 50000000], "2024-01").notes
 *   → [{ code: "outlierCost", params: { month: "2024-06", value: "50000000.00", typical: "200.00" } }]
 */
export function screenHistory(personTimes: readonly number[], amounts: readonly number[], start: string): ScreenedHistory {
  const n = personTimes.length;
  const pt = personTimes.map((v) => (Number.isFinite(v) ? v : 0));
  const am = amounts.map((v) => (Number.isFinite(v) ? v : 0));
  const notes: ForecastNote[] = [];
  const excluded = new Set<number>();
  const monthsWithData = pt.filter((v) => v > 0).length;

  for (let t = 0; t < n; t++) {
    if (am[t]! < 0 || pt[t]! < 0) {
      notes.push({ code: "negativeMonth", params: { month: monthName(start, t), value: text(am[t]!), personTimes: text(pt[t]!) } });
      excluded.add(t);
      am[t] = 0;
      pt[t] = 0;
    }
  }

  const clean = (t: number) => !excluded.has(t) && pt[t]! > 0 && am[t]! > 0;
  const costs = () => pt.map((v, t) => (clean(t) ? am[t]! / v : 0));
  const volumeFlags = robustOutliers(pt.map((v, t) => (excluded.has(t) ? 0 : v)));
  const costFlags = robustOutliers(costs());
  const typicalVolume = median(pt.filter((v, t) => v > 0 && !volumeFlags[t] && !excluded.has(t)));
  const typicalCost = median(costs().filter((c, t) => c > 0 && !costFlags[t] && !volumeFlags[t]));
  const hasCost = Number.isFinite(typicalCost) && typicalCost > 0;

  for (let t = 0; t < n; t++) {
    if (excluded.has(t)) continue;
    if (volumeFlags[t] && Number.isFinite(typicalVolume)) {
      notes.push({ code: "outlierVolume", params: { month: monthName(start, t), value: text(pt[t]!), typical: text(typicalVolume) } });
      excluded.add(t);
      pt[t] = typicalVolume;
      am[t] = hasCost ? typicalVolume * typicalCost : 0;
    } else if (costFlags[t] && hasCost) {
      notes.push({ code: "outlierCost", params: { month: monthName(start, t), value: text(am[t]! / pt[t]!), typical: text(typicalCost) } });
      excluded.add(t);
      am[t] = pt[t]! * typicalCost;
    }
  }

  // An amount without person-times, against the months' amounts (when the line has person-times at all).
  if (monthsWithData > 0) {
    const amountFlags = robustOutliers(am.map((v, t) => (excluded.has(t) ? 0 : v)));
    const typicalAmount = median(am.filter((v, t) => v > 0 && !amountFlags[t] && !excluded.has(t)));
    for (let t = 0; t < n; t++) {
      if (excluded.has(t) || !amountFlags[t] || pt[t]! > 0) continue;
      notes.push({ code: "outlierAmount", params: { month: monthName(start, t), value: text(am[t]!), typical: text(typicalAmount) } });
      excluded.add(t);
      am[t] = 0;
    }
  }
  notes.sort((a, b) => String(a.params.month).localeCompare(String(b.params.month)));
  return { personTimes: pt, amounts: am, excluded: [...excluded].sort((a, b) => a - b), notes };
}
