import { calibrate, intervalFromDraws, simulatePaths, type Calibration } from "./intervals.ts";
import { isIntermittent } from "./methods/croston.ts";
import { addYuan, splitTotal, subtractYuan, timesQuantity, toYuan, unitPrice } from "./money.ts";
import { DEFAULT_SIGMA, estimateSigma, expectedPayment, fitCostModel, type BenefitPolicy } from "./policy.ts";
import { createRandom, type Random } from "./random.ts";
import { MONTHS } from "./seasonality.ts";
import { forecastSeries, type Selection, type SelectionRule, type SeriesForecast } from "./selection.ts";

/**
 * Policy parameters in force from a month on (依据: the document that sets them). A benefit line uses rate
 * and cap; a standard line (定额, e.g. 310 元 premium subsidy) uses standard.
 */
export interface PolicyPeriod {
  /** First month in force, "YYYY-MM". */
  from: string;
  rate?: number;
  cap?: number | null;
  standard?: number;
  basis?: string;
}

/** The announced parameters for the target year. */
export type TargetPolicy = Omit<PolicyPeriod, "from">;

/** History and policy of one budget line (one category of a project), monthly from `start`. */
export interface BudgetLineInput {
  id: string;
  name: string;
  /** "benefit": payments = rate × cost up to a cap; "standard": a fixed amount per person-time. */
  kind: "benefit" | "standard";
  /** First month of the history, "YYYY-MM". */
  start: string;
  /** Person-times per month (人次). */
  personTimes: readonly number[];
  /** Amount paid per month, 元. */
  amounts: readonly number[];
  /** Policies in force over the history, in any order. */
  policies: readonly PolicyPeriod[];
  /** The year to forecast and its announced policy. */
  target: { year: number; policy: TargetPolicy };
  /** Spread (log-sd) of eligible costs for restating under a new cap (default: estimated from the monthly means, else 1). */
  sigma?: number;
  /**
   * Seasonal indices of person-times by calendar month (January first), e.g. pooled over the same category
   * in other towns with yearlyProfile(); otherwise the line's own (ACF test from 3 years, variance analysis
   * of its whole years from 2).
   */
  seasonalIndices?: readonly number[];
}

/** An interval of exact amounts. */
export interface AmountInterval {
  lower: string;
  upper: string;
}

/** Year-on-year change of a line split into its causes (元; the parts add up to `total`). */
export interface ChangeSplit {
  /** Last 12 months of history, the base. */
  lastYear: string;
  /** More or fewer person-times at last year's unit cost. */
  volume: string;
  /** The new policy applied to last year's cost mix (cap, rate, standard). */
  policy: string;
  /** The trend of unit cost beyond policy. */
  unitCost: string;
  total: string;
}

/** The forecast of one line for the target year, money as exact 元 strings. */
export interface BudgetLineForecast {
  id: string;
  name: string;
  year: number;
  /** Annual person-times (人次). */
  quantity: number;
  /** Amount ÷ quantity, 元 to cents (for a standard line, the standard itself). */
  unitPrice: string;
  /** Annual amount, 元. */
  amount: string;
  interval80: AmountInterval;
  interval95: AmountInterval;
  /** The monthly schedule (分月安排) from the seasonal profile; amounts add up to `amount` exactly. */
  monthly: { month: string; quantity: number; amount: string; lower80: string; upper80: string; lower95: string; upper95: string }[];
  method: { volume: Selection; unitCost: Selection | "standard" | "mean" };
  /** Why, for people. */
  reason: string;
  /** 依据: the documents of the target year's parameters. */
  basis: string;
  change: ChangeSplit;
  /** Simulated annual amounts (float 元), in draw order, for totals over lines. */
  draws: Float64Array;
}

/** Options of a forecast run. */
export interface ForecastOptions {
  /** Simulated paths per line (default 2,000). */
  draws?: number;
  /** Seed of the simulation (default 20240831), so a forecast is reproducible. */
  seed?: number;
  rule?: SelectionRule;
  /** Calibrations to use instead of the lines' own pooled CV errors (e.g. from a larger backtest). */
  calibration?: { volume?: Calibration; unitCost?: Calibration };
}

const monthIndex = (month: string) => {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) throw new RangeError(`month must be YYYY-MM: ${month}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
};
const monthName = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;

/** The policy in force in a month: the latest period starting at or before it. */
export function policyAt(policies: readonly PolicyPeriod[], month: string): PolicyPeriod | undefined {
  const at = monthIndex(month);
  let best: PolicyPeriod | undefined;
  for (const period of policies) if (monthIndex(period.from) <= at && (!best || monthIndex(period.from) > monthIndex(best.from))) best = period;
  return best;
}

const benefitPolicy = (p: TargetPolicy | undefined): BenefitPolicy => ({ rate: p?.rate ?? 1, cap: p?.cap ?? null });

/**
 * Restates a benefit line's monthly amounts under the target policy: the months of each policy period are
 * scaled by expected payment (target) ÷ expected payment (then), from a cost model fitted to that period's
 * mean payment. restateHistory(line)[k] = what month k would have cost under the target year's rate and cap.
 */
export function restateHistory(line: BudgetLineInput): number[] {
  const n = line.amounts.length;
  const start = monthIndex(line.start);
  if (line.kind === "standard") {
    const target = line.target.policy.standard;
    return line.amounts.map((amount, t) => {
      const then = policyAt(line.policies, monthName(start + t))?.standard;
      return target !== undefined && then ? (amount * target) / then : amount;
    });
  }
  const to = benefitPolicy(line.target.policy);
  const groups = new Map<PolicyPeriod | undefined, number[]>();
  for (let t = 0; t < n; t++) {
    const period = policyAt(line.policies, monthName(start + t));
    groups.set(period, [...(groups.get(period) ?? []), t]);
  }
  const restated = [...line.amounts];
  for (const [period, months] of groups) {
    const from = benefitPolicy(period);
    if (from.rate === to.rate && from.cap === to.cap) continue;
    const volume = months.reduce((s, t) => s + line.personTimes[t]!, 0);
    const amount = months.reduce((s, t) => s + line.amounts[t]!, 0);
    if (!(volume > 0 && amount > 0)) continue;
    const sigma =
      line.sigma ??
      estimateSigma(months.map((t) => line.personTimes[t]!), months.map((t) => line.amounts[t]!), from) ??
      DEFAULT_SIGMA;
    const model = fitCostModel(amount / volume, from, sigma);
    const ratio = expectedPayment(model, to) / expectedPayment(model, from);
    for (const t of months) restated[t] = line.amounts[t]! * ratio;
  }
  return restated;
}

interface Prepared {
  line: BudgetLineInput;
  horizon: number;
  restated: number[];
  volume: SeriesForecast;
  unitCost: SeriesForecast | { mean: number[]; kind: "standard" | "mean" };
}

function unitCostSeries(volume: readonly number[], amounts: readonly number[]): number[] {
  const result = new Array<number>(volume.length);
  let previous = Number.NaN;
  for (let t = 0; t < volume.length; t++) {
    if (volume[t]! > 0) previous = amounts[t]! / volume[t]!;
    result[t] = previous;
  }
  const first = result.findIndex(Number.isFinite);
  for (let t = 0; t < first; t++) result[t] = result[first]!;
  return first < 0 ? result.map(() => 0) : result;
}

function splitInteger(total: number, weights: readonly number[]): number[] {
  return splitTotal(total.toFixed(2), weights).map((value) => Math.round(Number(value)));
}

/**
 * Forecasts the target year of several budget lines together (their CV errors are pooled to calibrate the
 * intervals): volume and restated unit cost separately, amount = volume × unit cost, annual intervals from
 * simulated paths, money rounded once at the output.
 * forecastBudgetLines([outpatientLine]).at(0)?.amount → e.g. "270000.00"
 */
export function forecastBudgetLines(lines: readonly BudgetLineInput[], options: ForecastOptions = {}): BudgetLineForecast[] {
  const rule = options.rule ?? "median";
  const prepared: Prepared[] = lines.map((line) => {
    const n = line.personTimes.length;
    if (line.amounts.length !== n) throw new RangeError(`${line.id}: person-times and amounts differ in length`);
    if (n < 2) throw new RangeError(`${line.id}: at least 2 months of history are needed`);
    const end = monthIndex(line.start) + n; // first month after the history
    const targetStart = line.target.year * 12;
    if (end > targetStart) throw new RangeError(`${line.id}: history reaches into the target year ${line.target.year}`);
    const horizon = targetStart + 12 - end;
    const startIndex = monthIndex(line.start);
    const calendar = line.seasonalIndices;
    const indices = calendar ? Array.from({ length: 12 }, (_, k) => calendar[(startIndex + k) % 12]!) : undefined;
    const volume = forecastSeries(line.personTimes, { horizon, rule, indices, cvHorizon: Math.min(horizon, 12) });
    const restated = restateHistory(line);
    let unitCost: Prepared["unitCost"];
    if (line.kind === "standard") {
      unitCost = { mean: new Array<number>(horizon).fill(line.target.policy.standard ?? 0), kind: "standard" };
    } else if (isIntermittent(line.personTimes)) {
      const recent = Math.max(0, n - 24);
      let v = 0, a = 0;
      for (let t = recent; t < n; t++) {
        v += line.personTimes[t]!;
        a += restated[t]!;
      }
      unitCost = { mean: new Array<number>(horizon).fill(v > 0 ? a / v : 0), kind: "mean" };
    } else {
      unitCost = forecastSeries(unitCostSeries(line.personTimes, restated), { horizon, rule, cvHorizon: Math.min(horizon, 12), period: 12 });
    }
    return { line, horizon, restated, volume, unitCost };
  });
  const volumeCalibration = options.calibration?.volume ?? calibrate(prepared.flatMap((p) => p.volume.cvErrors), 12);
  const costErrors = prepared.flatMap((p) => ("cvErrors" in p.unitCost ? p.unitCost.cvErrors : []));
  const costCalibration = options.calibration?.unitCost ?? calibrate(costErrors, 12);
  const random = createRandom(options.seed ?? 20240831);
  return prepared.map((p) => finish(p, volumeCalibration, costCalibration, options.draws ?? 2000, random));
}

function extend(calibration: Calibration, horizon: number): Calibration {
  if (calibration.horizon >= horizon) return calibration;
  // Longer horizons (history ending before December) reuse the last calibrated horizon's spread.
  const pad = (values: number[]) => [...values, ...new Array<number>(horizon - values.length).fill(values[values.length - 1] ?? 0)];
  return {
    horizon,
    lower80: pad(calibration.lower80),
    upper80: pad(calibration.upper80),
    lower95: pad(calibration.lower95),
    upper95: pad(calibration.upper95),
    rmse: pad(calibration.rmse),
    paths: calibration.paths.map(pad),
    counts: pad(calibration.counts),
  };
}

function finish(p: Prepared, volumeCalibration: Calibration, costCalibration: Calibration, drawCount: number, random: Random): BudgetLineForecast {
  const { line, horizon } = p;
  const first = horizon - 12; // index of January of the target year within the forecast
  const volumeMean = p.volume.mean;
  const costMean = p.unitCost.mean;
  const amountMean = volumeMean.map((v, h) => v * costMean[h]!);
  const volumePaths = simulatePaths(volumeMean, p.volume.scale, extend(volumeCalibration, horizon), drawCount, random);
  const costPaths =
    "scale" in p.unitCost ? simulatePaths(costMean, p.unitCost.scale, extend(costCalibration, horizon), drawCount, random) : undefined;
  const draws = new Float64Array(drawCount);
  const monthlyDraws = Array.from({ length: 12 }, () => new Float64Array(drawCount));
  for (let d = 0; d < drawCount; d++) {
    let total = 0;
    for (let h = first; h < horizon; h++) {
      const amount = volumePaths[d]![h]! * (costPaths ? costPaths[d]![h]! : costMean[h]!);
      monthlyDraws[h - first]![d] = amount;
      total += amount;
    }
    draws[d] = total;
  }
  const annualVolume = volumeMean.slice(first).reduce((s, v) => s + v, 0);
  const quantity = Math.round(annualVolume);
  const standard = line.kind === "standard" ? line.target.policy.standard : undefined;
  const amount = standard !== undefined ? timesQuantity(standard, quantity) : toYuan(amountMean.slice(first).reduce((s, v) => s + v, 0));
  const monthlyAmounts = splitTotal(amount, amountMean.slice(first));
  const monthlyQuantities = splitInteger(quantity, volumeMean.slice(first));
  const annual = intervalFromDraws(draws);
  const n = line.personTimes.length;
  const base = Math.max(0, n - 12);
  const lastVolume = line.personTimes.slice(base).reduce((s, v) => s + v, 0);
  const lastAmount = toYuan(line.amounts.slice(base).reduce((s, v) => s + v, 0));
  const lastRestated = p.restated.slice(base).reduce((s, v) => s + v, 0);
  const lastCost = lastVolume > 0 ? Number(lastAmount) / lastVolume : 0;
  const restatedCost = lastVolume > 0 ? lastRestated / lastVolume : 0;
  const total = subtractYuan(amount, lastAmount);
  const volumeEffect = toYuan((annualVolume - lastVolume) * lastCost);
  const policyEffect = toYuan(annualVolume * (restatedCost - lastCost));
  const unitCostEffect = subtractYuan(subtractYuan(total, volumeEffect), policyEffect);
  const basis = [line.target.policy.basis].filter(Boolean).join("；");
  const costMethod = "selection" in p.unitCost ? p.unitCost.selection : p.unitCost.kind;
  const costReason =
    typeof costMethod === "string"
      ? costMethod === "standard"
        ? `单价取目标年度标准 unit price = the target year's standard ${standard} 元`
        : "单价取近24个月按新政策重述的加权平均 unit cost = volume-weighted mean of the last 24 months, restated"
      : `单价（按新政策重述）unit cost (restated): ${costMethod.reason}`;
  return {
    id: line.id,
    name: line.name,
    year: line.target.year,
    quantity,
    unitPrice: standard !== undefined ? toYuan(standard) : unitPrice(amount, quantity),
    amount,
    interval80: { lower: toYuan(Math.min(annual.lower80, Number(amount))), upper: toYuan(Math.max(annual.upper80, Number(amount))) },
    interval95: { lower: toYuan(Math.min(annual.lower95, Number(amount))), upper: toYuan(Math.max(annual.upper95, Number(amount))) },
    monthly: monthlyAmounts.map((monthAmount, k) => {
      const bounds = intervalFromDraws(monthlyDraws[k]!);
      return {
        month: `${line.target.year}-${String(k + 1).padStart(2, "0")}`,
        quantity: monthlyQuantities[k]!,
        amount: monthAmount,
        lower80: toYuan(bounds.lower80),
        upper80: toYuan(bounds.upper80),
        lower95: toYuan(bounds.lower95),
        upper95: toYuan(bounds.upper95),
      };
    }),
    method: { volume: p.volume.selection, unitCost: costMethod },
    reason: `人次 person-times: ${p.volume.selection.reason}；${costReason}`,
    basis,
    change: { lastYear: lastAmount, volume: volumeEffect, policy: policyEffect, unitCost: unitCostEffect, total },
    draws,
  };
}

/** Totals over lines (a project or a unit): exact amount, and intervals from the summed simulated draws. */
export interface ForecastTotal {
  amount: string;
  interval80: AmountInterval;
  interval95: AmountInterval;
  lastYear: string;
}

/**
 * Adds forecast lines into a project or unit total; intervals come from adding the lines' simulated draws
 * (never their bounds). totalForecast(lines).amount → the exact sum of the lines' amounts.
 */
export function totalForecast(lines: readonly BudgetLineForecast[]): ForecastTotal {
  const amount = addYuan(lines.map((l) => l.amount));
  const drawCount = Math.min(...lines.map((l) => l.draws.length));
  const sums = new Float64Array(Number.isFinite(drawCount) ? drawCount : 0);
  for (const line of lines) for (let d = 0; d < sums.length; d++) sums[d]! += line.draws[d]!;
  const bounds = sums.length > 0 ? intervalFromDraws(sums) : { lower80: 0, upper80: 0, lower95: 0, upper95: 0 };
  return {
    amount,
    interval80: { lower: toYuan(Math.min(bounds.lower80, Number(amount))), upper: toYuan(Math.max(bounds.upper80, Number(amount))) },
    interval95: { lower: toYuan(Math.min(bounds.lower95, Number(amount))), upper: toYuan(Math.max(bounds.upper95, Number(amount))) },
    lastYear: addYuan(lines.map((l) => l.change.lastYear)),
  };
}

export { MONTHS };
