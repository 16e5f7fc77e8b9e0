import Decimal from "decimal.js";
import {
  forecastBudgetLines,
  restateUnitCost,
  splitTotal,
  totalForecast,
  type AmountInterval,
  type BudgetLineForecast,
  type BudgetLineInput,
  type ForecastNote,
  type PolicyPeriod,
} from "../forecasting/index.ts";
import { formatNumber, money, parseAmountInput, percentage, sumMoney, toAmountString } from "./money.ts";
import { formulaPlanLines, type FormulaData } from "./plan-derived-lines.ts";
import type { Derivation } from "./plan-formulas.ts";

/*
 * Zero-based planning (零基预算) glue between the ledger and the forecasting library, pure: the base
 * year's budget lines with their monthly history and the expenditure-standards catalogue in, one
 * proposed line per category out — quantity × unit price with the forecast, its intervals, the method
 * and why, the basis (依据 and standard), the monthly schedule and the change split.
 */

/** One version of an expenditure standard as the plan needs it. */
export interface PlanStandard {
  id: number;
  code: string;
  revision: number;
  name: string;
  category: string;
  /** 4 decimals; percent for 比例. */
  value: string;
  unit: string;
  form: "定额" | "比例" | "限额";
  beneficiaryGroup: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  document: string;
  /** The unit that sets the standard: a rate pairs only with a cap of the same owner. */
  ownerUnitId?: number;
}

/** What a line is, in the base year and as proposed: its project and unit, its place in 表1-3-1, its 功能分类 and 经济分类. */
export interface LineDescription {
  projectId: number;
  projectName: string;
  unitId: number;
  unitName: string;
  lineNo: number;
  composition: string;
  item: string;
  fundLevel: string;
  fundType: string;
  functionalCode: string | null;
  functionalName: string | null;
  economicCode: string | null;
  economicName: string | null;
}

/** A budget line of the base year (the year before the target), the category to re-derive. */
export interface BaseLine extends LineDescription {
  lineId: number;
  initial: string;
  adjusted: string;
  unitPrice: string | null;
  quantity: string | null;
  basis: string | null;
  months: number[] | null;
  /** The standard version the line names (budget_line.standard_id). */
  standardId: number | null;
}

/** Monthly person-times and amounts (元, float for the models) of a line, from `start` ("YYYY-MM"). */
export interface LineHistory {
  start: string;
  personTimes: number[];
  amounts: number[];
  /** Executed in the base year (exact 元), including its share of mixed batches. */
  executed: string;
  /** The same without the payments left out as 元/万元 slips (what a quantity is derived from; absent: executed). */
  screenedExecuted?: string;
  /** True when part of the history is a share of batches not booked to one line (an estimate). */
  allocated: boolean;
  /** Payments of the line (or shared with it) left out of personTimes/amounts as 元/万元 slips. */
  slips?: SlipPayment[];
}

/** A single payment at least SLIP_RATIO.larger × its project's median amount: kept in the ledger's figures, not learnt from. */
export interface SlipPayment {
  id: string;
  paidOn: string;
  /** Its amount, exact 元. */
  amount: string;
  personTimes: number | null;
  /** The median amount of its project's payments, exact 元. */
  median: string;
}

/** How the year's figure was obtained. */
export type PlanMethod = "model" | "standard" | "formula" | "executed" | "carried";

/**
 * What a planner must look at on a line, as a code with parameters (rendered from the catalogue):
 * carried — no standard, quantity, driver or execution: 沿用上年基数（未零基测算）;
 * plannedQuantity — nothing executed last year: last year's planned quantity kept;
 * zeroDerived — derived to 0 (nothing executed last year): confirm the policy still applies or give a quantity;
 * missingDriver — a formula's driver, standard or share is missing;
 * farFromBase — derived from execution, more than a fifth away from last year's initial budget;
 * negativeClearing — a clearing came out negative (a refund), planned at 0;
 * mayOverlap — derived from an aggregate line's execution while formula lines of the same project exist.
 */
export type PlanAttention =
  | { code: "carried" }
  | { code: "plannedQuantity"; quantity: string }
  | { code: "zeroDerived"; executed: string }
  | { code: "missingDriver"; inputs: string }
  | { code: "farFromBase"; executed: string; initial: string; rate: string }
  | { code: "negativeClearing"; refund: string }
  | { code: "mayOverlap"; items: string };


/** One proposed line of the target year (表1-3-1 layout plus the forecast). */
export interface PlanLine extends LineDescription {
  /** Unique within a plan: "L<base line id>", or "F<formula id>" for a line derived by a formula. */
  key: string;
  /** The base-year line it continues (for a formula line: the line it replaces, else the project's first line). */
  sourceLineId: number;
  months: number[];
  /** Proposed quantity (人次 or persons), 2 decimals. */
  quantity: string;
  /** Proposed unit price, 元. */
  unitPrice: string;
  /** unitPrice × quantity, 元 — the 年初预算 the line would get. */
  amount: string;
  /** The model's own figures (null when no monthly person-times history exists). */
  forecast: { amount: string; quantity: number; unitPrice: string; interval80: AmountInterval; interval95: AmountInterval } | null;
  method: PlanMethod;
  /** The method and why, for people. */
  reason: string;
  /** What the forecast's screening set aside (outlier months, a failed model's fallback), as codes with parameters. */
  notes: ForecastNote[];
  /** 依据: the documents of the target year's standards (else the base line's basis). */
  basis: string;
  /** The standard version in force for the target year that the line rests on. */
  standard: { id: number; code: string; revision: number; document: string; value: string; unit: string } | null;
  /** The proposed amount by month (分月安排): adds up to `amount` exactly. */
  monthly: { month: string; amount: string; lower80: string | null; upper80: string | null; lower95: string | null; upper95: string | null }[];
  /** The history for the fan chart: monthly amounts (元, rounded to cents). */
  history: { month: string; amount: string }[];
  lastYear: { initial: string; adjusted: string; executed: string; estimated: boolean };
  /** Change against last year's execution: volume, policy (standards), unit cost and the rest; adds up to total. */
  change: { lastYear: string; volume: string; policy: string; unitCost: string; total: string };
  /** A planner's override, when there is one. */
  override: { quantity: string; unitPrice: string; reason: string; by: string; forecastQuantity: string; forecastUnitPrice: string } | null;
  /**
   * For a line without monthly person-times: last year's planned quantity next to the one derived from last
   * year's execution (executed ÷ the unit price then in force, whole persons), flagged when they differ by
   * more than a fifth. null for modelled and carried lines.
   */
  quantityCheck: { planned: string | null; derived: string | null; flagged: boolean } | null;
  /** For a formula line: drivers × standard × share, each with its year, status and document. */
  derivation: Derivation | null;
  /** What the planner must look at (see PlanAttention). */
  attention: PlanAttention[];
}

/**
 * A base-year line that is not a budget category (initial 0, no quantity: a settlement row such as 马桥's
 * L9–L11 财力结算). It is not planned, but its last-year figures count in the totals, so that every
 * last-year column foots to the ledger.
 */
export interface SettlementRow {
  lineId: number;
  projectId: number;
  unitId: number;
  item: string;
  initial: string;
  adjusted: string;
  executed: string;
}

/** The settlement rows of a project, summed (shown as one "未纳入明细（结算行）" row). */
export interface SettlementTotal {
  items: string[];
  initial: string;
  adjusted: string;
  executed: string;
}

/** Totals of a set of plan lines (the last-year columns include the settlement rows). */
export interface PlanTotal {
  amount: string;
  forecast: string;
  /** Intervals of the forecast total from summed simulated draws, plus the fixed standard lines. */
  interval80: AmountInterval;
  interval95: AmountInterval;
  lastYearInitial: string;
  lastYearAdjusted: string;
  lastYearExecuted: string;
}

const MONTHS_OF_YEAR = Array.from({ length: 12 }, (_, k) => k + 1);
const pad = (n: number) => String(n).padStart(2, "0");
const monthKey = (year: number, month: number) => `${year}-${pad(month)}`;
const monthStart = (month: string) => `${month}-01`;

/** The version of a code in force on a date: inForce(catalogue, "MA-OP-CAP", "2025-01-01")?.value → "2800.0000". */
export function inForce(catalogue: readonly PlanStandard[], code: string, date: string): PlanStandard | undefined {
  return catalogue.find((s) => s.code === code && s.effectiveFrom <= date && (s.effectiveTo === null || s.effectiveTo >= date));
}

/** The codes that set a benefit line's policy: its rate (the linked 比例 standard) and the cap (限额) of the same category and group. */
function policyCodes(catalogue: readonly PlanStandard[], linked: PlanStandard): { rate: string | null; cap: string | null } {
  const capOf = catalogue.find(
    (s) =>
      s.form === "限额" &&
      s.category === linked.category &&
      s.ownerUnitId === linked.ownerUnitId &&
      (s.beneficiaryGroup === null || s.beneficiaryGroup === linked.beneficiaryGroup),
  );
  return { rate: linked.form === "比例" ? linked.code : null, cap: linked.form === "限额" ? linked.code : (capOf?.code ?? null) };
}

interface Policy {
  rate: number;
  cap: number | null;
  standard?: number;
  /** The values as the catalogue states them (decimal text, for people): "60" (%), "2800", "310". */
  text: { rate: string | null; cap: string | null; standard: string | null };
  documents: string[];
}

/** A catalogue value without trailing zeros: plain("60.0000") → "60". */
const plain = (value: string) => new Decimal(value).toFixed();

/** The policy of a line's standard in force on a date (rate as a share, cap in 元, or the fixed standard). */
function policyOn(catalogue: readonly PlanStandard[], linked: PlanStandard, date: string): Policy | undefined {
  if (linked.form === "定额") {
    const version = inForce(catalogue, linked.code, date);
    return version
      ? { rate: 1, cap: null, standard: Number(version.value), text: { rate: null, cap: null, standard: plain(version.value) }, documents: [version.document] }
      : undefined;
  }
  const codes = policyCodes(catalogue, linked);
  const rate = codes.rate ? inForce(catalogue, codes.rate, date) : undefined;
  const cap = codes.cap ? inForce(catalogue, codes.cap, date) : undefined;
  if (!rate && !cap) return undefined;
  return {
    rate: rate ? Number(rate.value) / 100 : 1,
    cap: cap ? Number(cap.value) : null,
    text: { rate: rate ? plain(rate.value) : null, cap: cap ? plain(cap.value) : null, standard: null },
    documents: [...new Set([rate?.document, cap?.document].filter((d): d is string => Boolean(d)))],
  };
}

/** The policy periods over a history: one per month in which a version of the line's standards starts. */
function policyPeriods(catalogue: readonly PlanStandard[], linked: PlanStandard, start: string, endYear: number): PolicyPeriod[] {
  const codes = linked.form === "定额" ? [linked.code] : Object.values(policyCodes(catalogue, linked)).filter((c): c is string => c !== null);
  const starts = new Set<string>([start]);
  for (const s of catalogue) if (codes.includes(s.code) && s.effectiveFrom.slice(0, 7) > start && Number(s.effectiveFrom.slice(0, 4)) <= endYear) starts.add(s.effectiveFrom.slice(0, 7));
  const periods: PolicyPeriod[] = [];
  for (const from of [...starts].sort()) {
    const policy = policyOn(catalogue, linked, monthStart(from));
    if (!policy) continue;
    periods.push(
      policy.standard !== undefined
        ? { from, standard: policy.standard, basis: policy.documents.join("；") }
        : { from, rate: policy.rate, cap: policy.cap, basis: policy.documents.join("；") },
    );
  }
  return periods;
}

/**
 * The change split of a modelled line against last year's exact execution: the library's volume and policy
 * effects, and the rest (unit-cost trend, the proposal's rounding) so that the parts add up exactly.
 */
function modelChange(executed: string, amount: string, change: { volume: string; policy: string }): PlanLine["change"] {
  const volume = cents(change.volume);
  const policy = cents(change.policy);
  const total = cents(money(amount).minus(executed));
  return { lastYear: executed, volume, policy, unitCost: cents(money(total).minus(volume).minus(policy)), total };
}

/** Enough history for the models: a year of months with person-times in most of them. */
function modelable(history: LineHistory | undefined): history is LineHistory {
  if (!history || history.personTimes.length < 12) return false;
  return history.personTimes.filter((v) => v > 0).length >= 6;
}

/** An exact 元 string; a negative zero (a float effect that rounds away) reads "0.00". */
const cents = (value: string | number | Decimal) => {
  const amount = money(value);
  return toAmountString(amount.abs().lessThan("0.005") ? money(0) : amount);
};
const times = (price: string, quantity: string) => toAmountString(money(price).times(quantity));

/**
 * Proposes the target year's lines from the base year's: a line with monthly person-times history is
 * forecast by the library (volume × unit cost restated under the target year's standards). A line without
 * one is priced by the target year's standard (a 定额 standard scales last year's unit price by new ÷ old
 * value; a rate or cap restates it with the cost model) and its quantity is derived from last year's
 * execution — executed ÷ the unit price in force last year, rounded half up to whole persons — rather than
 * carried from last year's plan (the 上年基数 habit); only when nothing was paid to the line and its budget
 * was not cut to zero does the planned quantity stay, said so. Planned and derived quantities are shown side
 * by side and a gap over a fifth is flagged. A line with neither standard nor quantity is carried at last
 * year's initial budget. Lines without any budget (initial 0, no quantity: settlement rows) are not planned
 * but returned as settlement rows, whose last-year figures count in the totals.
 * planLines({ targetYear: 2025, lines, histories, catalogue }) → 8 lines and 3 settlement rows for 马桥's 2024 医疗救助
 */
export function planLines(input: {
  targetYear: number;
  lines: readonly BaseLine[];
  histories: ReadonlyMap<number, LineHistory>;
  catalogue: readonly PlanStandard[];
  /** Formulas, drivers and cost shares (absent: no formula lines). */
  formulas?: FormulaData;
  draws?: number;
}): { lines: PlanLine[]; forecasts: Map<number, BudgetLineForecast>; settlement: SettlementRow[] } {
  const { targetYear, catalogue } = input;
  const targetDate = `${targetYear}-01-01`;
  const baseDate = `${targetYear - 1}-01-01`;
  const byId = new Map(catalogue.map((s) => [s.id, s]));
  // A settlement row has no budget and no unit price; a priced line planned at 0 persons stays a category.
  const isSettlement = (line: BaseLine) =>
    money(line.initial).isZero() && line.unitPrice === null && (line.quantity === null || money(line.quantity).isZero());
  const derived = formulaPlanLines({
    targetYear,
    lines: input.lines.filter((line) => !isSettlement(line)),
    histories: input.histories,
    catalogue,
    data: input.formulas,
  });
  const candidates = input.lines.filter((line) => !isSettlement(line) && !derived.replaced.has(line.lineId));
  const settlement = input.lines.filter(isSettlement).map((line) => ({
    lineId: line.lineId,
    projectId: line.projectId,
    unitId: line.unitId,
    item: line.item,
    initial: line.initial,
    adjusted: line.adjusted,
    executed: input.histories.get(line.lineId)?.executed ?? "0.00",
  }));

  const modelInputs: BudgetLineInput[] = [];
  for (const line of candidates) {
    const history = input.histories.get(line.lineId);
    if (!modelable(history)) continue;
    const linked = line.standardId !== null ? byId.get(line.standardId) : undefined;
    const target = linked ? policyOn(catalogue, linked, targetDate) : undefined;
    const isStandard = linked?.form === "定额" && target?.standard !== undefined;
    modelInputs.push({
      id: String(line.lineId),
      name: line.item,
      kind: isStandard ? "standard" : "benefit",
      start: history.start,
      personTimes: history.personTimes,
      amounts: history.amounts,
      policies: linked ? policyPeriods(catalogue, linked, history.start, targetYear - 1) : [],
      target: {
        year: targetYear,
        policy: target
          ? isStandard
            ? { standard: target.standard, basis: target.documents.join("；") }
            : { rate: target.rate, cap: target.cap, basis: target.documents.join("；") }
          : { basis: line.basis ?? undefined },
      },
    });
  }
  const forecasts = new Map(
    (modelInputs.length > 0 ? forecastBudgetLines(modelInputs, { draws: input.draws ?? 2000 }) : []).map((f) => [Number(f.id), f]),
  );

  const lines = candidates.map((line): PlanLine => {
    const history = input.histories.get(line.lineId);
    const linked = line.standardId !== null ? byId.get(line.standardId) : undefined;
    const targetVersion = linked ? inForce(catalogue, linked.code, targetDate) : undefined;
    const target = linked ? policyOn(catalogue, linked, targetDate) : undefined;
    const months = line.months && line.months.length > 0 ? line.months : MONTHS_OF_YEAR;
    const executed = history?.executed ?? "0.00";
    const common = {
      key: `L${line.lineId}`,
      sourceLineId: line.lineId,
      projectId: line.projectId,
      projectName: line.projectName,
      unitId: line.unitId,
      unitName: line.unitName,
      lineNo: line.lineNo,
      composition: line.composition,
      item: line.item,
      fundLevel: line.fundLevel,
      fundType: line.fundType,
      months,
      functionalCode: line.functionalCode,
      functionalName: line.functionalName,
      economicCode: line.economicCode,
      economicName: line.economicName,
      basis: target?.documents.join("；") || line.basis || "",
      standard: targetVersion
        ? { id: targetVersion.id, code: targetVersion.code, revision: targetVersion.revision, document: targetVersion.document, value: targetVersion.value, unit: targetVersion.unit }
        : null,
      history: history
        ? history.amounts.map((amount, k) => {
            const [y, m] = history.start.split("-").map(Number) as [number, number];
            const index = y * 12 + m - 1 + k;
            return { month: monthKey(Math.floor(index / 12), (index % 12) + 1), amount: cents(amount) };
          })
        : [],
      lastYear: { initial: line.initial, adjusted: line.adjusted, executed, estimated: history?.allocated ?? false },
      override: null,
      derivation: null,
    };
    const forecast = forecasts.get(line.lineId);
    if (forecast) {
      const quantity = cents(forecast.quantity);
      const amount = times(forecast.unitPrice, quantity);
      const split = splitTotal(amount, forecast.monthly.map((m) => Number(m.amount)));
      return {
        ...common,
        quantity,
        unitPrice: forecast.unitPrice,
        amount,
        forecast: { amount: forecast.amount, quantity: forecast.quantity, unitPrice: forecast.unitPrice, interval80: forecast.interval80, interval95: forecast.interval95 },
        method: "model",
        reason: forecast.reason,
        notes: [...slipNotes(history), ...forecast.notes],
        quantityCheck: null,
        attention: [],
        basis: forecast.basis || common.basis,
        monthly: forecast.monthly.map((m, k) => ({ month: m.month, amount: split[k]!, lower80: m.lower80, upper80: m.upper80, lower95: m.lower95, upper95: m.upper95 })),
        change: modelChange(executed, amount, forecast.change),
      };
    }
    // No monthly person-times: quantity from last year's execution × the target year's standard.
    const baseQuantity = line.quantity ?? (line.unitPrice ? "0.00" : null);
    let unitPrice: string;
    let quantity: string;
    let method: PlanMethod;
    let reason: string;
    const attention: PlanAttention[] = [];
    let quantityCheck: PlanLine["quantityCheck"] = null;
    /** The unit price in force last year, against which the change is split (the base line's own without a standard). */
    let priceThen: string | null = null;
    const basePrice = line.unitPrice;
    if (baseQuantity !== null && basePrice !== null) {
      method = "standard";
      const then = linked ? policyOn(catalogue, linked, baseDate) ?? policyOn(catalogue, linked, `${targetYear - 1}-12-31`) : undefined;
      let priceReason: string;
      if (linked && target && then && target.standard !== undefined && then.standard) {
        unitPrice = cents(money(basePrice).times(target.text.standard!).dividedBy(then.text.standard!));
        priceThen = cents(basePrice);
        priceReason =
          target.text.standard === then.text.standard
            ? `单价按定额标准 ${linked.code}（${then.text.standard} 元，未变）`
            : `单价按定额标准 ${linked.code} 调整（${then.text.standard} → ${target.text.standard} 元）`;
      } else if (linked && target && then && target.standard === undefined) {
        const restated = restateUnitCost(Number(basePrice), { rate: then.rate, cap: then.cap }, { rate: target.rate, cap: target.cap });
        const same = then.rate === target.rate && then.cap === target.cap;
        unitPrice = same ? cents(basePrice) : cents(restated);
        priceThen = cents(basePrice);
        const policyText = (p: Policy) => `${p.text.rate ?? "100"}%/${p.text.cap ?? "无"}`;
        priceReason = same
          ? `单价沿用上年（${linked.code} 标准未变）`
          : `单价按新比例/限额重述（${policyText(then)} → ${policyText(target)}）`;
      } else {
        unitPrice = cents(basePrice);
        priceThen = cents(basePrice);
        priceReason = "未关联支出标准：单价沿用上年";
      }
      const planned = cents(baseQuantity);
      const paid = history !== undefined;
      const cutToZero = money(line.adjusted).isZero();
      if ((paid || cutToZero) && !money(priceThen).isZero()) {
        // A payment left out as a 元/万元 slip does not make persons: the quantity comes from the rest.
        const screened = history?.screenedExecuted ?? executed;
        const derived = money(screened).dividedBy(priceThen).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
        quantity = cents(derived);
        const flagged = money(planned).isZero() ? !derived.isZero() : derived.minus(planned).abs().dividedBy(planned).greaterThan("0.2");
        quantityCheck = { planned, derived: quantity, flagged };
        if (derived.isZero()) attention.push({ code: "zeroDerived", executed: screened });
        reason =
          `无月度人次历史：数量按上年执行数${screened === executed ? "" : "（不含疑似元/万元混淆的支付）"}推算 ${formatNumber(screened)} ÷ ${formatNumber(priceThen)} 元 ≈ ${derived.toFixed(0)}（上年计划 ${formatNumber(planned)}${flagged ? "，差异较大，请核实" : ""}）；${priceReason}。` +
          ` No monthly person-times: quantity derived from last year's execution (executed ÷ last year's unit price, whole persons).`;
      } else {
        quantity = planned;
        quantityCheck = { planned, derived: null, flagged: true };
        attention.push({ code: "plannedQuantity", quantity: planned });
        reason =
          `无月度人次历史、上年无执行记录：数量暂沿用上年计划 ${formatNumber(planned)}（上年基数，请核实）；${priceReason}。` +
          ` No person-times and nothing executed last year: last year's planned quantity, to be checked.`;
      }
    } else if (history !== undefined && money(history.screenedExecuted ?? executed).greaterThan(0)) {
      // No unit price × quantity, but the ledger knows what the line cost: last year's execution, not its base.
      const screened = history.screenedExecuted ?? executed;
      quantity = "1.00";
      unitPrice = cents(screened);
      method = "executed";
      const rate = percentage(screened, line.initial);
      const far = money(line.initial).isZero() || money(screened).minus(line.initial).abs().dividedBy(line.initial).greaterThan("0.2");
      if (far) attention.push({ code: "farFromBase", executed: screened, initial: line.initial, rate: rate ?? "—" });
      if (derived.projectsWithFormulas.has(line.projectId)) attention.push({ code: "mayOverlap", items: derived.itemsOf(line.projectId) });
      reason =
        `无单价×数量、无支出标准：按上年执行数测算 ${formatNumber(screened)} 元（上年年初预算 ${formatNumber(line.initial)}，调整后 ${formatNumber(line.adjusted)}，执行为年初预算的 ${rate ?? "—"}%）。` +
        ` No unit price × quantity: derived from last year's execution, not carried at last year's initial budget.`;
    } else {
      quantity = "1.00";
      unitPrice = cents(line.initial);
      method = "carried";
      attention.push({ code: "carried" });
      reason = "无单价×数量、无支出标准、上年无执行：沿用上年年初预算（上年基数，未零基测算），采纳时须写明依据。No unit price × quantity, no standard and nothing executed: last year's initial budget, not zero-based; adoption needs a written basis.";
    }
    const amount = times(unitPrice, quantity);
    const split = splitTotal(amount, MONTHS_OF_YEAR.map((m) => (months.includes(m) ? 1 : 0)));
    const total = cents(money(amount).minus(executed));
    // Against last year's execution E at last year's price P0: volume = Q × P0 − E, policy = Q × (P1 − P0), the rest (rounding) unit cost.
    const volume = priceThen !== null ? cents(money(quantity).times(priceThen).minus(executed)) : "0.00";
    const policy = priceThen !== null ? cents(money(quantity).times(money(unitPrice).minus(priceThen))) : "0.00";
    return {
      ...common,
      quantity,
      unitPrice,
      amount,
      forecast: null,
      method,
      reason,
      notes: slipNotes(history),
      quantityCheck,
      attention,
      monthly: MONTHS_OF_YEAR.map((m, k) => ({ month: monthKey(targetYear, m), amount: split[k]!, lower80: null, upper80: null, lower95: null, upper95: null })),
      change: { lastYear: executed, volume, policy, unitCost: cents(money(total).minus(volume).minus(policy)), total },
    };
  });
  return { lines: derived.merge(lines), forecasts, settlement };
}

/** The notes of the payments left out of a line's history as 元/万元 slips: slipNotes(history) → [{ code: "slipPayment", params: { id: "137", ratio: "2,106", … } }]. */
function slipNotes(history: LineHistory | undefined): ForecastNote[] {
  return (history?.slips ?? []).map((slip) => ({
    code: "slipPayment",
    params: {
      id: slip.id,
      date: slip.paidOn,
      amount: slip.amount,
      personTimes: slip.personTimes ?? "—",
      median: slip.median,
      ratio: formatNumber(money(slip.amount).abs().dividedBy(slip.median).toDecimalPlaces(0, Decimal.ROUND_DOWN)),
    },
  }));
}

/**
 * The equation the plan shows for a line, one a reader can check by hand: the proposed amount is exactly
 * quantity × unit price (the unit price rounded to cents); the model's own estimate, which the rounded
 * unit price reproduces only to within half a cent per person-time, is given beside it when it differs.
 * planEquation(line) → { amount: "248873.94", quantity: "1218.00", unitPrice: "204.33", model: "248870.78" }
 */
export function planEquation(line: Pick<PlanLine, "amount" | "quantity" | "unitPrice" | "forecast">): {
  amount: string;
  quantity: string;
  unitPrice: string;
  model: string | null;
} {
  const amount = times(line.unitPrice, line.quantity);
  const model = line.forecast && line.forecast.amount !== amount ? line.forecast.amount : null;
  return { amount, quantity: line.quantity, unitPrice: line.unitPrice, model };
}


/**
 * Applies a planner's override (quantity and unit price, with the reason) to a proposed line: the amount
 * becomes their product and the monthly schedule keeps its shape. The change split moves exactly by the
 * difference: Δquantity × the proposed price to volume, the new quantity × Δprice (and the product's
 * rounding) to unit cost; the policy effect stays. applyOverride(line, { quantity: "1600.00", … }).amount
 */
export function applyOverride(line: PlanLine, override: { quantity: string; unitPrice: string; reason: string; by: string }): PlanLine {
  const amount = times(override.unitPrice, override.quantity);
  const split = splitTotal(amount, line.monthly.map((m) => Number(m.amount) || 0));
  const delta = money(amount).minus(line.amount);
  const volumeDelta = money(cents(money(override.quantity).minus(line.quantity).times(line.unitPrice)));
  const unitCostDelta = delta.minus(volumeDelta);
  return {
    ...line,
    quantity: cents(override.quantity),
    unitPrice: cents(override.unitPrice),
    amount,
    monthly: line.monthly.map((m, k) => ({ ...m, amount: split[k]! })),
    change: {
      ...line.change,
      volume: cents(money(line.change.volume).plus(volumeDelta)),
      unitCost: cents(money(line.change.unitCost).plus(unitCostDelta)),
      total: cents(money(line.change.total).plus(delta)),
    },
    override: { ...override, quantity: cents(override.quantity), unitPrice: cents(override.unitPrice), forecastQuantity: line.quantity, forecastUnitPrice: line.unitPrice },
  };
}

/**
 * Totals of plan lines (a project or a unit): exact sums, and the forecast's intervals from the model
 * lines' summed draws plus the fixed amounts of the other lines. The last-year columns add the settlement
 * rows' figures, so that they foot to the ledger (马桥 2024: 1,350,000.00 / 1,471,745.31 / 1,471,745.31).
 */
export function planTotal(lines: readonly PlanLine[], forecasts: ReadonlyMap<number, BudgetLineForecast>, settlement: readonly SettlementRow[] = []): PlanTotal {
  // A formula line shares its source line's id but is never the model's: it counts as fixed, widened by its own interval.
  const isModel = (l: PlanLine) => l.method !== "formula" && forecasts.has(l.sourceLineId);
  const modelled = lines.filter(isModel).map((l) => forecasts.get(l.sourceLineId)!);
  const fixed = sumMoney(lines.filter((l) => !isModel(l)).map((l) => l.amount));
  const model = modelled.length > 0 ? totalForecast(modelled) : undefined;
  // Formula lines' intervals (estimated drivers) are added as if perfectly correlated: a conservative band.
  const widen = (level: "interval80" | "interval95", side: "lower" | "upper") =>
    sumMoney(lines.filter((l) => l.method === "formula" && l.forecast).map((l) => money(l.forecast![level][side]).minus(l.amount)));
  const shift = (value: string | undefined, level: "interval80" | "interval95", side: "lower" | "upper") =>
    cents(fixed.plus(value ?? "0").plus(widen(level, side)));
  return {
    amount: cents(sumMoney(lines.map((l) => l.amount))),
    forecast: cents(sumMoney(lines.map((l) => l.forecast?.amount ?? l.amount))),
    interval80: { lower: shift(model?.interval80.lower, "interval80", "lower"), upper: shift(model?.interval80.upper, "interval80", "upper") },
    interval95: { lower: shift(model?.interval95.lower, "interval95", "lower"), upper: shift(model?.interval95.upper, "interval95", "upper") },
    lastYearInitial: cents(sumMoney([...lines.map((l) => l.lastYear.initial), ...settlement.map((r) => r.initial)])),
    lastYearAdjusted: cents(sumMoney([...lines.map((l) => l.lastYear.adjusted), ...settlement.map((r) => r.adjusted)])),
    lastYearExecuted: cents(sumMoney([...lines.map((l) => l.lastYear.executed), ...settlement.map((r) => r.executed)])),
  };
}

/** A batch of payments to individuals not booked to one line (a mixed batch), or a line's own payments, per month. */
export interface MonthlyPayments {
  projectId: number;
  /** null: a mixed batch of the project, to be shared out. */
  lineId: number | null;
  month: string;
  personTimes: number;
  /** Net executed, exact 元. */
  amount: string;
  /** Person-times and net amount without the month's 元/万元 slips (absent: the same as personTimes and amount). */
  fitPersonTimes?: number;
  fitAmount?: string;
  /** The slips left out (db/forecast-input.ts flags them by the import's rule). */
  slips?: SlipPayment[];
}

/** A line of a history year, for sharing out its project's mixed batches and for matching to a base line. */
export interface HistoryLine {
  lineId: number;
  projectId: number;
  /** The base-year line this line continues (same unit, project name, composition and item), if any. */
  baseLineId: number | null;
  /** Planned person-times: the key for sharing out mixed batches. */
  quantity: string | null;
  initial: string;
  /** True for lines paid to individuals by person-time (a rate or cap standard, or none): they share mixed batches. */
  sharesBatches: boolean;
}

/**
 * Builds each base line's monthly history from the payments: its own payments, plus a share of its
 * project's mixed batches (person-times by planned quantity, amounts by planned amount — an estimate),
 * from January of the first year with data to December of the base year (or, while that year is in
 * progress, to the last month with payments), empty months as 0.
 * lineHistories({ baseYear: 2024, lines, payments }).get(L6) → 12 months of 人次 and 元
 */
export function lineHistories(input: { baseYear: number; lines: readonly HistoryLine[]; payments: readonly MonthlyPayments[] }): Map<number, LineHistory> {
  const sharers = new Map<number, HistoryLine[]>();
  for (const line of input.lines) {
    if (!line.sharesBatches || line.quantity === null || money(line.quantity).isZero()) continue;
    sharers.set(line.projectId, [...(sharers.get(line.projectId) ?? []), line]);
  }
  const byLine = new Map(input.lines.map((l) => [l.lineId, l]));
  // Per base line and month: v, a what the forecast learns from (slips left out), e the executed amount.
  type Cell = { v: number; a: Decimal; e: Decimal };
  const series = new Map<number, { months: Map<string, Cell>; allocated: boolean; slips: Map<string, SlipPayment> }>();
  const add = (baseLineId: number, month: string, v: number, a: Decimal, e: Decimal, allocated: boolean, slips: readonly SlipPayment[]) => {
    const entry = series.get(baseLineId) ?? { months: new Map(), allocated: false, slips: new Map() };
    const cell = entry.months.get(month) ?? { v: 0, a: money(0), e: money(0) };
    cell.v += v;
    cell.a = cell.a.plus(a);
    cell.e = cell.e.plus(e);
    entry.months.set(month, cell);
    entry.allocated ||= allocated;
    for (const slip of slips) entry.slips.set(slip.id, slip);
    series.set(baseLineId, entry);
  };
  for (const payment of input.payments) {
    const fitPersonTimes = payment.fitPersonTimes ?? payment.personTimes;
    const fitAmount = payment.fitAmount ?? payment.amount;
    const slips = payment.slips ?? [];
    if (payment.lineId !== null) {
      const line = byLine.get(payment.lineId);
      if (line?.baseLineId != null) add(line.baseLineId, payment.month, fitPersonTimes, money(fitAmount), money(payment.amount), false, slips);
      continue;
    }
    const shares = sharers.get(payment.projectId) ?? [];
    const totalQuantity = sumMoney(shares.map((l) => l.quantity!));
    const totalInitial = sumMoney(shares.map((l) => l.initial));
    // The amount is shared out to the cent by largest remainder, so the lines' shares add up to the batch.
    const weights = shares.map((l) => (totalInitial.isZero() ? money(l.quantity!) : money(l.initial)).toNumber());
    const executedShares = splitTotal(cents(payment.amount), weights);
    const fitShares = splitTotal(cents(fitAmount), weights);
    shares.forEach((line, k) => {
      if (line.baseLineId === null) return;
      const quantityShare = money(line.quantity!).dividedBy(totalQuantity).toNumber();
      add(line.baseLineId, payment.month, fitPersonTimes * quantityShare, money(fitShares[k]!), money(executedShares[k]!), true, slips);
    });
  }
  // A base year still in progress ends at the last month with any payment of the line's projects: the
  // months after it are not yet known, not zero (the models then forecast the rest of it too).
  const lastMonth = new Map<number, string>();
  for (const payment of input.payments) if ((lastMonth.get(payment.projectId) ?? "") < payment.month) lastMonth.set(payment.projectId, payment.month);
  const family = new Map<number, string>();
  for (const line of input.lines) {
    const last = lastMonth.get(line.projectId);
    if (line.baseLineId !== null && last !== undefined && (family.get(line.baseLineId) ?? "") < last) family.set(line.baseLineId, last);
  }
  const result = new Map<number, LineHistory>();
  for (const [baseLineId, entry] of series) {
    const firstYear = Math.min(...[...entry.months.keys()].map((m) => Number(m.slice(0, 4))));
    const end = [family.get(baseLineId) ?? monthKey(input.baseYear, 12), monthKey(input.baseYear, 12)].sort()[0]!;
    const personTimes: number[] = [];
    const amounts: number[] = [];
    let executed = money(0);
    let screened = money(0);
    for (let year = firstYear; year <= input.baseYear; year++) {
      for (const m of MONTHS_OF_YEAR) {
        if (monthKey(year, m) > end) break;
        const cell = entry.months.get(monthKey(year, m));
        personTimes.push(cell ? cell.v : 0);
        amounts.push(cell ? cell.a.toNumber() : 0);
        if (year === input.baseYear && cell) {
          executed = executed.plus(cell.e);
          screened = screened.plus(cell.a);
        }
      }
    }
    result.set(baseLineId, {
      start: monthKey(firstYear, 1),
      personTimes,
      amounts,
      executed: cents(executed),
      screenedExecuted: cents(screened),
      allocated: entry.allocated,
      slips: [...entry.slips.values()],
    });
  }
  return result;
}

/** Plan lines grouped by unit and project, with totals at each level (and overall). */
export interface PlanGroups {
  total: PlanTotal;
  units: Array<{
    unitId: number;
    unitName: string;
    total: PlanTotal;
    projects: Array<{ projectId: number; projectName: string; total: PlanTotal; lines: PlanLine[]; settlement: SettlementTotal | null }>;
  }>;
}

/**
 * Groups plan lines by unit, then project, in their order, with the settlement rows of the same projects
 * in the totals and as one summed row per project: groupPlan(lines, forecasts, settlement).units[0].projects[0].total.amount.
 */
export function groupPlan(lines: readonly PlanLine[], forecasts: ReadonlyMap<number, BudgetLineForecast>, settlement: readonly SettlementRow[] = []): PlanGroups {
  const planned = new Set(lines.map((l) => l.projectId));
  const rows = settlement.filter((r) => planned.has(r.projectId));
  const units = new Map<number, { unitName: string; projects: Map<number, { projectName: string; lines: PlanLine[] }> }>();
  for (const line of lines) {
    const unit = units.get(line.unitId) ?? { unitName: line.unitName, projects: new Map() };
    const project = unit.projects.get(line.projectId) ?? { projectName: line.projectName, lines: [] };
    project.lines.push(line);
    unit.projects.set(line.projectId, project);
    units.set(line.unitId, unit);
  }
  const summed = (of: readonly SettlementRow[]): SettlementTotal | null =>
    of.length === 0
      ? null
      : {
          items: of.map((r) => r.item),
          initial: cents(sumMoney(of.map((r) => r.initial))),
          adjusted: cents(sumMoney(of.map((r) => r.adjusted))),
          executed: cents(sumMoney(of.map((r) => r.executed))),
        };
  return {
    total: planTotal(lines, forecasts, rows),
    units: [...units].map(([unitId, unit]) => {
      const projects = [...unit.projects].map(([projectId, p]) => {
        const own = rows.filter((r) => r.projectId === projectId);
        return { projectId, projectName: p.projectName, total: planTotal(p.lines, forecasts, own), lines: p.lines, settlement: summed(own) };
      });
      const unitRows = rows.filter((r) => unit.projects.has(r.projectId));
      return { unitId, unitName: unit.unitName, total: planTotal(projects.flatMap((p) => p.lines), forecasts, unitRows), projects };
    }),
  };
}

/** Bounds of an override: a quantity and a unit price far beyond any budget line, below the ledger's limits. */
const MAX_QUANTITY = "1000000000";
const MAX_UNIT_PRICE = "10000000000";

/** A planner's override as submitted: quantity and unit price with the reason. */
export interface OverrideValues {
  quantity: string;
  unitPrice: string;
  reason: string;
}

/**
 * Validates an override form field by field: quantity ≥ 0 with at most 2 decimals, unit price in 元 to the
 * cent, and a reason (required: an override is shown as such, with why).
 * parseOverrideForm({ quantity: "1600", unitPrice: "204.33", reason: "" }) → { errors: { reason: "必填：…" } }
 */
export function parseOverrideForm(form: Record<string, string | undefined>): { values: OverrideValues } | { errors: Partial<Record<keyof OverrideValues, string>> } {
  const errors: Partial<Record<keyof OverrideValues, string>> = {};
  const quantityText = (form.quantity ?? "").trim().replace(/[,，\s]/g, "");
  let quantity = "";
  if (quantityText === "") errors.quantity = "请填写数量";
  else if (!/^\d+(\.\d{1,2})?$/.test(quantityText)) errors.quantity = `数量应为不小于 0、最多两位小数的数：${form.quantity}`;
  else if (money(quantityText).greaterThan(MAX_QUANTITY)) errors.quantity = `数量不能超过 ${formatNumber(MAX_QUANTITY)}：${form.quantity}`;
  else quantity = cents(quantityText);
  const price = parseAmountInput(form.unitPrice ?? "");
  if ("error" in price) errors.unitPrice = `单价：${price.error}`;
  else if (money(price.amount).greaterThan(MAX_UNIT_PRICE)) errors.unitPrice = `单价不能超过 ${formatNumber(MAX_UNIT_PRICE)} 元：${form.unitPrice}`;
  // The amount must fit the ledger's NUMERIC(18, 2): below 10^16 元.
  else if (quantity !== "" && money(price.amount).times(quantity).greaterThanOrEqualTo("1e16"))
    errors.quantity = `金额（单价 × 数量）超过上限 10^16 元：${formatNumber(price.amount)} × ${formatNumber(quantity)}`;
  const reason = (form.reason ?? "").trim();
  if (reason === "") errors.reason = "必填：人工调整须说明理由";
  else if (reason.length > 500) errors.reason = "最多 500 个字符";
  if (Object.keys(errors).length > 0 || "error" in price) return { errors };
  return { values: { quantity, unitPrice: price.amount, reason } };
}
