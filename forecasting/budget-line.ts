import { calibrate, centredCalibration, commonErrorSpread, intervalFromDraws, simulatePaths, type Calibration, type ErrorSeries } from "./intervals.ts";
import { isIntermittent } from "./methods/croston.ts";
import { fallbackForecast } from "./fallback.ts";
import { addYuan, splitInteger, splitTotal, subtractYuan, timesQuantity, toYuan, unitPrice } from "./money.ts";
import { screenHistory, type ForecastNote } from "./outliers.ts";
import { createRandom, normal, type Random } from "./random.ts";
import { lastYearRange, monthIndex, monthsBeforePolicies, restatement } from "./restatement.ts";
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
  /**
   * What people should know about the data behind the forecast (months excluded from fitting and why, a
   * simpler method and why), as codes with parameters in month order; empty when the history was clean.
   */
  notes: ForecastNote[];
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

interface Prepared {
  /** The line as the ledger gives it (last year's execution, the change split's base). */
  line: BudgetLineInput;
  /** The line as fitted: its history screened (screenHistory), outliers replaced by typical values. */
  fitted: BudgetLineInput;
  notes: ForecastNote[];
  horizon: number;
  restated: number[];
  /**
   * Last year's restated amount under the 10% / 90% points of the cost spread, ÷ the estimate's: the
   * restatement's uncertainty, drawn into the unit-cost paths (1 and 1 when nothing is restated or σ is given).
   */
  restatementRange: { lower: number; upper: number };
  /** The restated unit-cost series the cost forecast was fitted to (regular benefit lines). */
  costSeries?: number[];
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

/**
 * Forecasts the target year of several budget lines together (their CV errors are pooled to calibrate the
 * intervals): volume and restated unit cost separately, amount = volume × unit cost, annual intervals from
 * simulated paths, money rounded once at the output.
 * forecastBudgetLines([outpatientLine]).at(0)?.amount → e.g. "270000.00"
 */
export function forecastBudgetLines(lines: readonly BudgetLineInput[], options: ForecastOptions = {}): BudgetLineForecast[] {
  const rule = options.rule ?? "median";
  const drawCount = options.draws ?? 2000;
  for (const line of lines) {
    const n = line.personTimes.length;
    if (line.amounts.length !== n) throw new RangeError(`${line.id}: person-times and amounts differ in length`);
    if (n < 2) throw new RangeError(`${line.id}: at least 2 months of history are needed`);
    if (monthIndex(line.start) + n > line.target.year * 12) throw new RangeError(`${line.id}: history reaches into the target year ${line.target.year}`);
  }
  // A line whose model fails (never expected: the history is screened and every draw checked) falls back
  // alone to its last 12 screened months, said so in its notes; the other lines are forecast as usual.
  const attempts = lines.map((line): Prepared | { line: BudgetLineInput; error: unknown } => {
    try {
      return prepareLine(line, rule);
    } catch (error) {
      return { line, error };
    }
  });
  const prepared = attempts.filter((a): a is Prepared => !("error" in a));
  const volumeCalibration = options.calibration?.volume ?? calibrate(prepared.flatMap((p) => p.volume.cvErrors), 12);
  const costErrors = prepared.flatMap((p) => ("cvErrors" in p.unitCost ? p.unitCost.cvErrors : []));
  const costCalibration = options.calibration?.unitCost ?? calibrate(costErrors, 12);
  const random = createRandom(options.seed ?? 20240831);
  const shared = sharedShocks(prepared, drawCount, random);
  // Each line's own paths spread around its point forecast; the shared part comes from `shared`.
  const volumePaths = centredCalibration(volumeCalibration);
  const costPaths = centredCalibration(costCalibration);
  return attempts.map((attempt) => {
    if ("error" in attempt) return fallbackForecast(attempt.line, drawCount, attempt.error);
    try {
      return finish(attempt, volumePaths, costPaths, drawCount, random, shared);
    } catch (error) {
      return fallbackForecast(attempt.line, drawCount, error);
    }
  });
}

/** Screens a line's history and forecasts its volume and unit cost (the simulation comes in `finish`). */
function prepareLine(line: BudgetLineInput, rule: SelectionRule): Prepared {
  const screened = screenHistory(line.personTimes, line.amounts, line.start);
  const before = monthsBeforePolicies(line);
  const notes: ForecastNote[] = before
    ? [{ code: "beforePolicy", params: { months: before.months, start: line.start, from: before.from } }, ...screened.notes]
    : screened.notes;
  const fitted: BudgetLineInput = { ...line, personTimes: screened.personTimes, amounts: screened.amounts };
  const n = line.personTimes.length;
  const end = monthIndex(line.start) + n; // first month after the history
  const targetStart = line.target.year * 12;
  const horizon = targetStart + 12 - end;
  const startIndex = monthIndex(line.start);
  const calendar = line.seasonalIndices;
  const indices = calendar ? Array.from({ length: 12 }, (_, k) => calendar[(startIndex + k) % 12]!) : undefined;
  const volume = forecastSeries(fitted.personTimes, { horizon, rule, indices, cvHorizon: Math.min(horizon, 12) });
  const restatedRange = restatement(fitted);
  const restated = restatedRange.restated;
  const restatementRange = lastYearRange(restatedRange);
  let unitCost: Prepared["unitCost"];
  let costSeries: number[] | undefined;
  if (line.kind === "standard") {
    unitCost = { mean: new Array<number>(horizon).fill(line.target.policy.standard ?? 0), kind: "standard" };
  } else if (isIntermittent(fitted.personTimes)) {
    const recent = Math.max(0, n - 24);
    let v = 0, a = 0;
    for (let t = recent; t < n; t++) {
      v += fitted.personTimes[t]!;
      a += restated[t]!;
    }
    unitCost = { mean: new Array<number>(horizon).fill(v > 0 ? a / v : 0), kind: "mean" };
  } else {
    costSeries = unitCostSeries(fitted.personTimes, restated);
    unitCost = forecastSeries(costSeries, { horizon, rule, cvHorizon: Math.min(horizon, 12), period: 12 });
  }
  return { line, fitted, notes, horizon, restated, restatementRange, costSeries, volume, unitCost };
}

/**
 * Errors the lines of one run share, drawn once per simulated path and applied to every line (so the draws
 * of a total are joint draws): person-times and unit costs each get a factor exp(τ·z) with z standard
 * normal and τ the common spread their CV errors show at the same calendar origins (commonErrorSpread).
 */
interface SharedShocks {
  volumeSpread: number;
  costSpread: number;
  volume: Float64Array;
  cost: Float64Array;
}

/** The largest common spread (log-sd) drawn: factors stay within about e^±4 at the 95% level of 2,000 draws. */
const MAX_COMMON_SPREAD = 1;

function sharedShocks(prepared: readonly Prepared[], drawCount: number, random: Random): SharedShocks {
  const volumeSeries: ErrorSeries[] = [];
  const costSeries: ErrorSeries[] = [];
  for (const p of prepared) {
    const n = p.fitted.personTimes.length;
    const base = Math.max(0, n - 12);
    const lastVolume = p.fitted.personTimes.slice(base).reduce((s, v) => s + v, 0);
    const lastRestated = p.restated.slice(base).reduce((s, v) => s + v, 0);
    if (!(lastVolume > 0)) continue;
    const start = monthIndex(p.fitted.start);
    volumeSeries.push({ values: p.fitted.personTimes, start, weight: lastRestated / lastVolume, cvErrors: p.volume.cvErrors });
    if (p.costSeries && "cvErrors" in p.unitCost) costSeries.push({ values: p.costSeries, start, weight: lastVolume, cvErrors: p.unitCost.cvErrors });
  }
  // Bounded: a spread of relative errors beyond 100% says the CV windows were unusable, not that the run's
  // lines may all be 10^170 times their forecast (an unbounded exp(τ·z) overflowed to Infinity before).
  const volumeSpread = Math.min(MAX_COMMON_SPREAD, commonErrorSpread(volumeSeries));
  const costSpread = Math.min(MAX_COMMON_SPREAD, commonErrorSpread(costSeries));
  const factors = (spread: number) => {
    const result = new Float64Array(drawCount);
    for (let d = 0; d < drawCount; d++) result[d] = spread > 0 ? Math.exp(spread * normal(random)) : 1;
    return result;
  };
  return { volumeSpread, costSpread, volume: factors(volumeSpread), cost: factors(costSpread) };
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

function finish(
  p: Prepared,
  volumeCalibration: Calibration,
  costCalibration: Calibration,
  drawCount: number,
  random: Random,
  shared: SharedShocks,
): BudgetLineForecast {
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
    // Shared factors: the same draw index carries the same common error in every line of the run.
    let factor = shared.volume[d]! * (line.kind === "benefit" ? shared.cost[d]! : 1);
    // The restatement's own uncertainty (the line's estimated cost spread), piecewise linear between its 10/50/90% points.
    const { lower, upper } = p.restatementRange;
    if (lower !== 1 || upper !== 1) {
      const z = normal(random) / 1.2816;
      factor *= Math.max(0, 1 + (z < 0 ? (1 - lower) * z : (upper - 1) * z));
    }
    for (let h = first; h < horizon; h++) {
      const amount = factor * volumePaths[d]![h]! * (costPaths ? costPaths[d]![h]! : costMean[h]!);
      monthlyDraws[h - first]![d] = amount;
      total += amount;
    }
    draws[d] = total;
  }
  if (!draws.every(Number.isFinite)) throw new RangeError(`${line.id}: simulated amounts are not finite`);
  const annualVolume = volumeMean.slice(first).reduce((s, v) => s + v, 0);
  const quantity = Math.round(annualVolume);
  const standard = line.kind === "standard" ? line.target.policy.standard : undefined;
  const amount = standard !== undefined ? timesQuantity(standard, quantity) : toYuan(amountMean.slice(first).reduce((s, v) => s + v, 0));
  const monthlyAmounts = splitTotal(amount, amountMean.slice(first));
  const monthlyQuantities = splitInteger(quantity, volumeMean.slice(first));
  const annual = intervalFromDraws(draws);
  const n = line.personTimes.length;
  const base = Math.max(0, n - 12);
  // The base is the ledger's last 12 months; the volume and policy effects are measured on them as fitted
  // (screened), so that a month excluded from fitting shows in the rest (unit cost and other), not as policy.
  const lastAmount = toYuan(line.amounts.slice(base).reduce((s, v) => s + v, 0));
  const lastVolume = p.fitted.personTimes.slice(base).reduce((s, v) => s + v, 0);
  const lastFitted = p.fitted.amounts.slice(base).reduce((s, v) => s + v, 0);
  const lastRestated = p.restated.slice(base).reduce((s, v) => s + v, 0);
  const lastCost = lastVolume > 0 ? lastFitted / lastVolume : 0;
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
    notes: p.notes,
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
