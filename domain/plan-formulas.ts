import Decimal from "decimal.js";
import { msg, type Message } from "../messages";
import { forecastDriver } from "../forecasting/index.ts";
import { formatAmount, formatNumber, money } from "./money.ts";

/*
 * Lines derived from drivers (测算因素) × standard × cost share (分担比例), pure: a formula of a unit's
 * project and the data it names in, the derived quantity, unit price for the unit, amount and — where a
 * driver is estimated or forecast — its 80%/95% interval out. seeds/001's 互助帮困 composition of 马桥
 * for 2024 is five such lines: 497 × 2,610 × 25% = 324,292.50, … (see derive()).
 */

/**
 * The version of a code in force on a date, in a catalogue of versions (standards, cost shares):
 * inForce(catalogue, "MA-OP-CAP", "2025-01-01")?.value → "2800.0000".
 */
export function inForce<T extends { code: string; effectiveFrom: string; effectiveTo: string | null }>(catalogue: readonly T[], code: string, date: string): T | undefined {
  return catalogue.find((s) => s.code === code && s.effectiveFrom <= date && (s.effectiveTo === null || s.effectiveTo >= date));
}

export type FundLevel = "中央" | "市级" | "区级" | "镇级";

/** A fund level's name in the catalogues (中央/市级/区级/镇级 — Central/City/District/Town). */
export const FUND_LEVEL_KEY = { 中央: "drvLevelCentral", 市级: "drvLevelCity", 区级: "drvLevelDistrict", 镇级: "drvLevelTown" } as const satisfies Record<FundLevel, string>;
export type FormulaKind = "fundraising" | "clearing" | "overspend" | "quantity";

/** A driver's value of a unit and year, as entered (actual or estimated) with its document. */
export interface DriverValue {
  unitId: number;
  year: number;
  code: string;
  name: string;
  value: string;
  measure: string;
  status: "actual" | "estimated";
  document: string;
}

/** A version of a cost-sharing rule: each level's percent. */
export interface CostShareVersion {
  id: number;
  code: string;
  revision: number;
  name: string;
  spending: string;
  appliesTo: string;
  shares: Record<FundLevel, string>;
  effectiveFrom: string;
  effectiveTo: string | null;
  document: string;
}

/** A formula (测算公式) of a unit's project, for target years from effectiveFrom to effectiveTo. */
export interface PlanFormula {
  id: number;
  unitId: number;
  projectName: string;
  seq: number;
  composition: string;
  /** The item's name; {Y}, {Y-1}, {Y-2} stand for the target year and the years before it. */
  item: string;
  kind: FormulaKind;
  quantityDriver: string;
  quantityOffset: number;
  minusOffset: number | null;
  priceStandard: string | null;
  priceLess: string | null;
  priceDriver: string | null;
  priceOffset: number | null;
  shareCode: string | null;
  shareLevel: FundLevel | null;
  replacesItem: string | null;
  fundLevel: FundLevel;
  document: string;
  effectiveFrom: number;
  effectiveTo: number | null;
}

/** A standard's version as the formula needs it (a 定额 value in 元). */
export interface FormulaStandard {
  id: number;
  code: string;
  revision: number;
  name: string;
  value: string;
  unit: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  document: string;
}

export interface Interval {
  lower: string;
  upper: string;
}

/** One input of a derivation: a driver's value for a year, as entered or forecast. */
export interface DriverInput {
  code: string;
  name: string;
  year: number;
  /** 4 decimals at most, as stored; "" when missing. */
  value: string;
  measure: string;
  status: "actual" | "estimated" | "forecast" | "missing";
  /** The document of an entered value ("" for a forecast or missing one). */
  document: string;
  /** How a forecast value was estimated (按 2023 年实际值 497 预计（±10.0%/年）); null for an entered or missing one. */
  estimate: Message | null;
  interval80: Interval | null;
  interval95: Interval | null;
}

/** How one line was derived, to show and check by hand. */
export interface Derivation {
  formulaId: number;
  kind: FormulaKind;
  quantity: DriverInput;
  /** Subtracted from quantity (a clearing: this year's participants less last year's). */
  minus: DriverInput | null;
  price:
    | { source: "standard"; code: string; revision: number; value: string; less: { code: string; revision: number; value: string } | null; document: string; standardId: number }
    | { source: "driver"; driver: DriverInput }
    | null;
  share: { code: string; revision: number; level: FundLevel; percent: string; document: string } | null;
  /** quantity − minus, 2 decimals (negative for a clearing of fewer participants). */
  netQuantity: string;
  /** price − less, 元 (before the share). */
  basePrice: string;
  /** basePrice × share, rounded to the cent: what the unit pays per unit of quantity. */
  unitPrice: string;
  amount: string;
  interval80: Interval | null;
  interval95: Interval | null;
  /** Inputs that are missing (the line cannot be derived without them): "MH-PARTICIPANTS 2024", "MH-CARE". */
  missing: string[];
  /** The documents the line rests on (formula, standard): its 依据; the share's and the drivers' own are with each. */
  documents: string[];
}

const cents = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const fixed2 = (d: Decimal) => {
  const c = cents(d);
  return (c.isZero() ? new Decimal(0) : c).toFixed(2);
};

/** Whether a formula applies to a target year. */
export function formulaApplies(formula: Pick<PlanFormula, "effectiveFrom" | "effectiveTo">, targetYear: number): boolean {
  return formula.effectiveFrom <= targetYear && (formula.effectiveTo === null || formula.effectiveTo >= targetYear);
}

/** The item's name for a target year: itemName("筹集{Y}年医疗互助帮困资金", 2024) → "筹集2024年医疗互助帮困资金". */
export function itemName(template: string, targetYear: number): string {
  return template.replace(/\{Y(?:-(\d))?\}/g, (_, back: string | undefined) => String(targetYear - Number(back ?? 0)));
}

/** A driver's value for a unit and year: as entered, else forecast from the unit's earlier values, else missing. */
export function driverInput(drivers: readonly DriverValue[], unitId: number, code: string, year: number): DriverInput {
  const own = drivers.filter((d) => d.unitId === unitId && d.code === code);
  const entered = own.find((d) => d.year === year);
  const name = entered?.name ?? own.at(-1)?.name ?? code;
  const measure = entered?.measure ?? own.at(-1)?.measure ?? "";
  if (entered) return { code, name, year, value: entered.value, measure, status: entered.status, document: entered.document, estimate: null, interval80: null, interval95: null };
  const forecast = forecastDriver(own.map((d) => ({ year: d.year, value: Number(d.value) })), year);
  if (!forecast) return { code, name, year, value: "", measure, status: "missing", document: "", estimate: null, interval80: null, interval95: null };
  const from = own.find((d) => d.year === forecast.from)!;
  const band = (i: { lower: number; upper: number }) => ({ lower: new Decimal(i.lower).toFixed(4), upper: new Decimal(i.upper).toFixed(4) });
  return {
    code,
    name,
    year,
    value: from.value,
    measure,
    status: "forecast",
    document: "",
    estimate: msg("planDriverEstimate", {
      year: forecast.from,
      status: msg(`planDriverStatus_${from.status}`),
      value: new Decimal(from.value).toFixed(),
      spread: (forecast.spread * 100).toFixed(1),
    }),
    interval80: band(forecast.interval80),
    interval95: band(forecast.interval95),
  };
}

/** The amount at the corners of the inputs' intervals (quantity − minus) × price × share: the smallest and largest. */
function amountRange(
  level: "interval80" | "interval95",
  quantity: DriverInput,
  minus: DriverInput | null,
  price: { value: Decimal; input: DriverInput | null },
  shareFactor: Decimal,
): Interval | null {
  const inputs = [quantity, minus, price.input].filter((i): i is DriverInput => i !== null);
  if (!inputs.some((i) => i[level] !== null)) return null;
  const bounds = (input: DriverInput | null, point: Decimal) =>
    input?.[level] ? [new Decimal(input[level]!.lower), new Decimal(input[level]!.upper)] : [point];
  let lower: Decimal | null = null;
  let upper: Decimal | null = null;
  for (const q of bounds(quantity, new Decimal(quantity.value || 0)))
    for (const m of minus ? bounds(minus, new Decimal(minus.value || 0)) : [new Decimal(0)])
      for (const p of bounds(price.input, price.value)) {
        const unit = cents(p.times(shareFactor));
        const amount = cents(cents(q.minus(m)).times(unit));
        lower = lower === null || amount.lessThan(lower) ? amount : lower;
        upper = upper === null || amount.greaterThan(upper) ? amount : upper;
      }
  return { lower: fixed2(lower!), upper: fixed2(upper!) };
}

/**
 * Derives one formula's line for a target year: quantity from the unit's drivers (entered, else forecast
 * from their history with an interval), unit price from the standards in force on 1 January of the target
 * year (less another, e.g. the personal contribution) or from a driver, times the unit's share of the cost
 * share in force then. The unit price for the unit is rounded to the cent and the amount is exactly
 * quantity × that unit price. seeds/001, 2024: derive(筹集医疗, …) → 497 × (2,740 − 130) × 25% → 652.50 → 324,292.50
 */
export function derive(input: {
  formula: PlanFormula;
  targetYear: number;
  drivers: readonly DriverValue[];
  standards: readonly FormulaStandard[];
  shares: readonly CostShareVersion[];
}): Derivation {
  const { formula: f, targetYear, drivers } = input;
  const date = `${targetYear}-01-01`;
  const missing: string[] = [];
  const quantity = driverInput(drivers, f.unitId, f.quantityDriver, targetYear + f.quantityOffset);
  const minus = f.minusOffset !== null ? driverInput(drivers, f.unitId, f.quantityDriver, targetYear + f.minusOffset) : null;
  for (const d of [quantity, minus]) if (d?.status === "missing") missing.push(`${d.code} ${d.year}`);

  let price: Derivation["price"] = null;
  let basePrice = new Decimal(0);
  let priceInput: DriverInput | null = null;
  if (f.priceStandard !== null) {
    const standard = inForce(input.standards, f.priceStandard, date);
    const less = f.priceLess !== null ? inForce(input.standards, f.priceLess, date) : undefined;
    if (!standard) missing.push(`${f.priceStandard} ${targetYear}`);
    if (f.priceLess !== null && !less) missing.push(`${f.priceLess} ${targetYear}`);
    if (standard) {
      basePrice = money(standard.value).minus(less ? money(less.value) : 0);
      price = {
        source: "standard",
        code: standard.code,
        revision: standard.revision,
        value: new Decimal(standard.value).toFixed(),
        less: less ? { code: less.code, revision: less.revision, value: new Decimal(less.value).toFixed() } : null,
        document: standard.document,
        standardId: standard.id,
      };
    }
  } else if (f.priceDriver !== null) {
    priceInput = driverInput(drivers, f.unitId, f.priceDriver, targetYear + (f.priceOffset ?? 0));
    if (priceInput.status === "missing") missing.push(`${priceInput.code} ${priceInput.year}`);
    else basePrice = new Decimal(priceInput.value);
    price = { source: "driver", driver: priceInput };
  }

  let share: Derivation["share"] = null;
  let shareFactor = new Decimal(1);
  if (f.shareCode !== null && f.shareLevel !== null) {
    const version = inForce(input.shares, f.shareCode, date);
    if (!version) missing.push(`${f.shareCode} ${targetYear}`);
    else {
      const percent = new Decimal(version.shares[f.shareLevel]);
      shareFactor = percent.dividedBy(100);
      share = { code: version.code, revision: version.revision, level: f.shareLevel, percent: percent.toFixed(), document: version.document };
    }
  }

  const net = missing.length > 0 ? new Decimal(0) : cents(new Decimal(quantity.value || 0).minus(minus ? new Decimal(minus.value || 0) : 0));
  const unitPrice = missing.length > 0 ? new Decimal(0) : cents(basePrice.times(shareFactor));
  const amount = cents(net.times(unitPrice));
  const ranges =
    missing.length > 0
      ? { interval80: null, interval95: null }
      : {
          interval80: amountRange("interval80", quantity, minus, { value: basePrice, input: priceInput }, shareFactor),
          interval95: amountRange("interval95", quantity, minus, { value: basePrice, input: priceInput }, shareFactor),
        };
  const documents = [
    f.document,
    price?.source === "standard" ? price.document : null,
  ].filter((d): d is string => Boolean(d));
  return {
    formulaId: f.id,
    kind: f.kind,
    quantity,
    minus,
    price,
    share,
    netQuantity: fixed2(net),
    basePrice: fixed2(basePrice),
    unitPrice: fixed2(unitPrice),
    amount: fixed2(amount),
    ...ranges,
    missing,
    documents: [...new Set(documents)],
  };
}

/** A driver's value for people: "497 人（参加人数，2023 年，实际）". */
export function driverText(d: DriverInput): Message {
  if (d.status === "missing") return msg("planDriverMissing", { name: d.name, year: d.year });
  return msg("planDriverValue", {
    value: new Decimal(d.value).toFixed(),
    measure: d.measure ? ` ${d.measure}` : "",
    name: d.name,
    year: d.year,
    status: msg(`planDriverStatus_${d.status}`),
  });
}

/**
 * The equation of a derived line, checkable by hand: equationText(d) →
 * "(497 − 460) × (2,740 − 130) × 25% = 37 × 652.50 = 24,142.50" (unit price and amount to the cent).
 */
export function equationText(d: Derivation): string {
  const n = (v: string) => formatNumber(new Decimal(v).toFixed());
  const q = d.minus ? `(${n(d.quantity.value || "0")} − ${n(d.minus.value || "0")})` : n(d.quantity.value || "0");
  const p =
    d.price?.source === "standard"
      ? d.price.less
        ? `(${n(d.price.value)} − ${n(d.price.less.value)})`
        : n(d.price.value)
      : d.price?.source === "driver"
        ? n(d.price.driver.value || "0")
        : "?";
  const share = d.share ? ` × ${d.share.percent}%` : "";
  // "≈" where the unit's price was rounded to the cent (the amount is exactly quantity × the rounded price).
  const raw =
    d.price?.source === "standard"
      ? money(d.price.value).minus(d.price.less?.value ?? 0)
      : d.price?.source === "driver"
        ? money(d.price.driver.value || 0)
        : money(0);
  const exact = raw.times(d.share ? money(d.share.percent).dividedBy(100) : 1).equals(d.unitPrice);
  const quantityExact = d.minus === null ? money(d.quantity.value || 0).equals(d.netQuantity) : true;
  return `${q} × ${p}${share} ${exact && quantityExact ? "=" : "≈"} ${n(d.netQuantity)} × ${formatAmount(d.unitPrice)} = ${formatAmount(d.amount)}`;
}
