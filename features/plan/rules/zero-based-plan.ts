import Decimal from "decimal.js";
import { msg, type Message } from "../../../messages/index.ts";
import { forecastReason } from "./reasons.ts";
import { slipNotes } from "./history.ts";
import {
  forecastBudgetLines,
  restateUnitCost,
  splitTotal,
  type AmountInterval,
  type BudgetLineForecast,
  type BudgetLineInput,
  type ForecastNote,
  type PolicyPeriod,
} from "../../../forecasting/index.ts";
import { cents, money, percentage, times, toAmountString } from "../../../domain/money.ts";
import { formulaPlanLines, type FormulaData } from "./derived-lines.ts";
import { policyOn, policyPeriods, type Policy } from "./policy.ts";
import { MONTHS_OF_YEAR, monthKey } from "../../../domain/dates.ts";
import { inForce, type Derivation } from "../../../domain/plan-formulas.ts";

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

/** Whether a line names a policy basis (依据): a settlement row has none; a line funded during the year has one. */
export const hasPolicyBasis = (basis: string | null): boolean => (basis ?? "").trim() !== "";

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
 * addedInYear — derived from execution of a line whose money came during the year (initial 0): against its adjusted budget;
 * negativeClearing — a clearing came out negative (a refund), planned at 0;
 * mayOverlap — derived from an aggregate line's execution while formula lines of the same project exist.
 */
export type PlanAttention =
  | { code: "carried" }
  | { code: "plannedQuantity"; quantity: string }
  | { code: "zeroDerived"; executed: string }
  | { code: "missingDriver"; inputs: string }
  | { code: "farFromBase"; executed: string; initial: string; rate: string }
  | { code: "addedInYear"; executed: string; adjusted: string; rate: string }
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
  /** Why the line has its figures (rendered in the user's language). */
  reason: Message;
  /** What the forecast's screening set aside (outlier months, a failed model's fallback), as codes with parameters. */
  notes: ForecastNote[];
  /** 依据: the documents of the target year's standards (else the base line's basis); "" where none is written. */
  basis: string;
  /** The plan's own 依据 where no document gives one (按2024年执行数测算): rendered in the user's language, adopted in Chinese. */
  basisNote: Message | null;
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
 * A base-year line that is not a budget category (initial 0, no unit price or quantity, no policy basis: a
 * settlement row such as 马桥's L9–L11 财力结算). It is not planned, but its last-year figures count in the totals, so that every
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


/**
 * Proposes the target year's lines from the base year's: a line with monthly person-times history is
 * forecast by the library (volume × unit cost restated under the target year's standards). A line without
 * one is priced by the target year's standard (a 定额 standard scales last year's unit price by new ÷ old
 * value; a rate or cap restates it with the cost model) and its quantity is derived from last year's
 * execution — executed ÷ the unit price in force last year, rounded half up to whole persons — rather than
 * carried from last year's plan (the 上年基数 habit); only when nothing was paid to the line and its budget
 * was not cut to zero does the planned quantity stay, said so. Planned and derived quantities are shown side
 * by side and a gap over a fifth is flagged. A line with neither standard nor quantity is carried at last
 * year's initial budget. Lines without any budget or basis (initial 0, no quantity, no 依据: settlement rows) are not planned
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
  // A settlement row has no budget, no unit price and no policy basis; a priced line planned at 0 persons stays a
  // category, and so does a line with a basis whose money came during the year (华漕's 年中追加, initial 0).
  const isSettlement = (line: BaseLine) =>
    money(line.initial).isZero() && line.unitPrice === null && (line.quantity === null || money(line.quantity).isZero()) && !hasPolicyBasis(line.basis);
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
      basisNote: null,
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
        reason: forecastReason(forecast),
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
    let reason: Message;
    const attention: PlanAttention[] = [];
    let quantityCheck: PlanLine["quantityCheck"] = null;
    /** The unit price in force last year, against which the change is split (the base line's own without a standard). */
    let priceThen: string | null = null;
    const basePrice = line.unitPrice;
    if (baseQuantity !== null && basePrice !== null) {
      method = "standard";
      const then = linked ? policyOn(catalogue, linked, baseDate) ?? policyOn(catalogue, linked, `${targetYear - 1}-12-31`) : undefined;
      let priceReason: Message;
      if (linked && target && then && target.standard !== undefined && then.standard) {
        unitPrice = cents(money(basePrice).times(target.text.standard!).dividedBy(then.text.standard!));
        priceThen = cents(basePrice);
        priceReason =
          target.text.standard === then.text.standard
            ? msg("planPriceStandardSame", { code: linked.code, standard: then.text.standard! })
            : msg("planPriceStandardChanged", { code: linked.code, from: then.text.standard!, to: target.text.standard! });
      } else if (linked && target && then && target.standard === undefined) {
        const restated = restateUnitCost(Number(basePrice), { rate: then.rate, cap: then.cap }, { rate: target.rate, cap: target.cap });
        const same = then.rate === target.rate && then.cap === target.cap;
        unitPrice = same ? cents(basePrice) : cents(restated);
        priceThen = cents(basePrice);
        const policyText = (p: Policy) => msg("planPolicyText", { rate: p.text.rate ?? "100", cap: p.text.cap ?? msg("planPolicyNoCap") });
        priceReason = same
          ? msg("planPriceSamePolicy", { code: linked.code })
          : msg("planPriceRestated", { from: policyText(then), to: policyText(target) });
      } else {
        unitPrice = cents(basePrice);
        priceThen = cents(basePrice);
        priceReason = msg("planPriceNoStandard");
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
        reason = msg("planReasonDerived", {
          excluded: msg(screened === executed ? "planBlank" : "planExclSlips"),
          executed: screened,
          price: priceThen,
          derived: derived.toFixed(0),
          planned,
          flag: msg(flagged ? "planCheckFlag" : "planBlank"),
          priceReason,
        });
      } else {
        quantity = planned;
        quantityCheck = { planned, derived: null, flagged: true };
        attention.push({ code: "plannedQuantity", quantity: planned });
        reason = msg("planReasonPlannedQty", { planned, priceReason });
      }
    } else if (history !== undefined && money(history.screenedExecuted ?? executed).greaterThan(0)) {
      // No unit price × quantity, but the ledger knows what the line cost: last year's execution, not its base.
      const screened = history.screenedExecuted ?? executed;
      quantity = "1.00";
      unitPrice = cents(screened);
      method = "executed";
      const rate = percentage(screened, line.initial);
      if (money(line.initial).isZero() && money(line.adjusted).greaterThan(0)) {
        // No initial budget to compare with (money added during the year, 华漕's 年中追加): against the adjusted budget.
        attention.push({ code: "addedInYear", executed: screened, adjusted: line.adjusted, rate: percentage(screened, line.adjusted) ?? "—" });
      } else {
        const far = money(line.initial).isZero() || money(screened).minus(line.initial).abs().dividedBy(line.initial).greaterThan("0.2");
        if (far) attention.push({ code: "farFromBase", executed: screened, initial: line.initial, rate: rate ?? "—" });
      }
      if (derived.projectsWithFormulas.has(line.projectId)) attention.push({ code: "mayOverlap", items: derived.itemsOf(line.projectId) });
      reason = msg("planReasonExecuted", { executed: screened, initial: line.initial, adjusted: line.adjusted, rate: rate ?? "—" });
    } else {
      quantity = "1.00";
      unitPrice = cents(line.initial);
      method = "carried";
      attention.push({ code: "carried" });
      reason = msg("planReasonCarried");
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
      // A line derived from execution rests on the ledger, not on a policy document: its 依据 says so.
      basisNote: method === "executed" && common.basis === "" ? msg("planBasisExecuted", { year: targetYear - 1 }) : null,
      monthly: MONTHS_OF_YEAR.map((m, k) => ({ month: monthKey(targetYear, m), amount: split[k]!, lower80: null, upper80: null, lower95: null, upper95: null })),
      change: { lastYear: executed, volume, policy, unitCost: cents(money(total).minus(volume).minus(policy)), total },
    };
  });
  return { lines: derived.merge(lines), forecasts, settlement };
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
