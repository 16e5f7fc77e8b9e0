import type { PolicyPeriod } from "../budget-line.ts";
import { createRandom, lognormal, normal, poisson, type Random } from "../random.ts";

/** The kinds of synthetic budget lines, after 马桥's 表1-3-1. */
export const SYNTHETIC_CATEGORIES = ["outpatient", "inpatient", "district", "premium", "mutualAid"] as const;
export type SyntheticCategory = (typeof SYNTHETIC_CATEGORIES)[number];

/** A policy change with the month it was announced (a backtest may only use it from then on). */
export interface AnnouncedPolicy extends PolicyPeriod {
  announced: string;
}

/** A synthetic budget line with a known generating process. */
export interface SyntheticLine {
  id: string;
  category: SyntheticCategory;
  kind: "benefit" | "standard";
  start: string;
  personTimes: number[];
  amounts: number[];
  /** Policy periods with announcement dates, ascending. */
  policies: AnnouncedPolicy[];
  /** Log-sd of eligible costs of this line (benefit lines). */
  sigma: number;
}

/** Options of the generator. */
export interface SyntheticOptions {
  /** Number of lines (default 500). */
  series?: number;
  seed?: number;
  /** First month (default "2020-01"). */
  start?: string;
  /** Months of history (default 60: 2020–2024). */
  months?: number;
}

const MIX: ReadonlyArray<[SyntheticCategory, number]> = [
  ["outpatient", 0.35],
  ["inpatient", 0.2],
  ["district", 0.2],
  ["premium", 0.15],
  ["mutualAid", 0.1],
];

/** Medical demand by calendar month: winter peak, Spring Festival dip. */
const MEDICAL_SEASON = [1.15, 0.8, 1.0, 1.0, 0.95, 0.95, 1.0, 1.0, 0.95, 0.95, 1.05, 1.2];
/** Enrolment-driven subsidies: most person-times in the autumn enrolment window. */
const ENROLMENT_SEASON = [0.6, 0.4, 0.5, 0.5, 0.5, 0.6, 0.6, 0.6, 1.2, 2.4, 2.4, 1.7];

function category(random: Random): SyntheticCategory {
  let u = random();
  for (const [name, share] of MIX) {
    if (u < share) return name;
    u -= share;
  }
  return "outpatient";
}

function policiesOf(kind: SyntheticCategory): AnnouncedPolicy[] {
  switch (kind) {
    case "outpatient":
      // 沪医保规〔2022〕12号: outpatient cap 2,500 → 2,800 from 2023, announced in the autumn before.
      return [
        { from: "2020-01", announced: "2019-10", rate: 0.6, cap: 2500, basis: "沪医保规〔2019〕门急诊救助" },
        { from: "2023-01", announced: "2022-10", rate: 0.6, cap: 2800, basis: "沪医保规〔2022〕12号" },
      ];
    case "inpatient":
      return [{ from: "2020-01", announced: "2019-10", rate: 0.8, cap: 130000, basis: "沪医保规〔2022〕12号" }];
    case "district":
      // A rate change: district top-up 40% → 50% from 2022.
      return [
        { from: "2020-01", announced: "2019-10", rate: 0.4, cap: 30000, basis: "闵医保发〔2019〕区级救助" },
        { from: "2022-01", announced: "2021-11", rate: 0.5, cap: 30000, basis: "闵医保发〔2021〕区级救助" },
      ];
    case "premium":
      return [
        { from: "2020-01", announced: "2019-10", standard: 280, basis: "沪医保规〔2019〕缴费补助" },
        { from: "2023-01", announced: "2022-10", standard: 310, basis: "沪医保规〔2023〕2号" },
      ];
    case "mutualAid":
      return [
        { from: "2020-01", announced: "2019-10", standard: 2740, basis: "闵医保发〔2019〕互助帮困" },
        { from: "2024-01", announced: "2023-10", standard: 3240, basis: "闵医保发〔2023〕4号" },
      ];
  }
}

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/**
 * Generates reproducible synthetic budget lines: seasonal Poisson person-times with a drifting level and
 * population growth, lognormal eligible costs with medical inflation paid at rate up to a cap (a cap change
 * 2,500 → 2,800 in 2023, a rate change 40% → 50% in 2022), intermittent inpatient lines, and standard ×
 * quantity lines whose standard changes. generateSynthetic({ series: 500, seed: 1 }).length → 500
 */
export function generateSynthetic(options: SyntheticOptions = {}): SyntheticLine[] {
  const count = options.series ?? 500;
  const random = createRandom(options.seed ?? 1);
  const start = options.start ?? "2020-01";
  const months = options.months ?? 60;
  const startIndex = monthIndex(start);
  const lines: SyntheticLine[] = [];
  for (let i = 0; i < count; i++) {
    const kind = category(random);
    const policies = policiesOf(kind);
    const growth = -0.03 + 0.11 * random(); // population change per year
    const inflation = 0.01 + 0.05 * random(); // unit-cost trend per year
    const amplitude = 0.4 + 1.2 * random(); // strength of this line's seasonality
    const season = kind === "premium" || kind === "mutualAid" ? ENROLMENT_SEASON : MEDICAL_SEASON;
    const base =
      kind === "inpatient" ? 0.3 + 1.5 * random() : kind === "outpatient" ? 20 + 150 * random() : kind === "district" ? 5 + 40 * random() : 10 + 60 * random();
    const sigma = kind === "inpatient" ? 0.9 + 0.3 * random() : 0.6 + 0.4 * random();
    const medianCost =
      kind === "outpatient" ? 1500 + 2500 * random() : kind === "inpatient" ? 15000 + 25000 * random() : 3000 + 6000 * random();
    let drift = 0;
    const personTimes: number[] = [];
    const amounts: number[] = [];
    for (let t = 0; t < months; t++) {
      const calendar = (startIndex + t) % 12;
      drift += 0.03 * normal(random);
      drift *= 0.97;
      const factor = 1 + amplitude * (season[calendar]! - 1);
      const mean = base * Math.max(0.05, factor) * (1 + growth) ** (t / 12) * Math.exp(drift);
      const volume = poisson(random, mean);
      const policy = policies.filter((p) => monthIndex(p.from) <= startIndex + t).at(-1)!;
      let amount = 0;
      if (policy.standard !== undefined) {
        amount = volume * policy.standard;
      } else {
        const mu = Math.log(medianCost) + Math.log(1 + inflation) * (t / 12);
        for (let k = 0; k < volume; k++) {
          const payment = policy.rate! * lognormal(random, mu, sigma);
          amount += policy.cap === null || policy.cap === undefined ? payment : Math.min(payment, policy.cap);
        }
      }
      personTimes.push(volume);
      amounts.push(Math.round(amount * 100) / 100);
    }
    lines.push({
      id: `S${String(i + 1).padStart(4, "0")}`,
      category: kind,
      kind: kind === "premium" || kind === "mutualAid" ? "standard" : "benefit",
      start,
      personTimes,
      amounts,
      policies,
      sigma,
    });
  }
  return lines;
}
