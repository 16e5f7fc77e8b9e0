import Decimal from "decimal.js";
import { msg } from "../../../messages/index.ts";
import { splitTotal } from "../../../forecasting/index.ts";
import { money, sumMoney } from "../../../domain/money.ts";
import { MONTHS_OF_YEAR, monthKey } from "../../../domain/dates.ts";
import { derive, driverText, equationText, FUND_LEVEL_KEY, formulaApplies, itemName, type CostShareVersion, type DriverValue, type PlanFormula } from "../../../domain/plan-formulas.ts";
import type { BaseLine, LineHistory, PlanAttention, PlanLine, PlanStandard } from "./zero-based-plan.ts";

/*
 * The plan's lines derived by formulas (drivers × standard × share), pure: which base-year lines they
 * replace, the PlanLines themselves, and where they stand among the project's other lines. Also the
 * header's count of what is not zero-based.
 */

/** The formulas of the units being planned, with the drivers and cost shares they name. */
export interface FormulaData {
  formulas: readonly PlanFormula[];
  drivers: readonly DriverValue[];
  shares: readonly CostShareVersion[];
}

/** Attention codes that leave a line not zero-based (counted in the page header). */
export const NOT_ZERO_BASED: ReadonlySet<PlanAttention["code"]> = new Set(["carried", "plannedQuantity", "missingDriver"]);
/** Attention codes whose line can be adopted only with a written basis (kept as the adopted line's 依据). */
export const NEEDS_BASIS: ReadonlySet<PlanAttention["code"]> = new Set(["carried", "plannedQuantity", "zeroDerived", "missingDriver"]);


/** A formula line's kind for people (筹集 / 清算 / 超支分担, as on the settlement notices). */
export const FORMULA_KIND_KEY = {
  fundraising: "planFormulaKind_fundraising",
  clearing: "planFormulaKind_clearing",
  overspend: "planFormulaKind_overspend",
  quantity: "planFormulaKind_quantity",
} as const satisfies Record<PlanFormula["kind"], string>;

/**
 * The formula lines of a target year for the base lines' projects: derived lines, the base lines they
 * replace (by item), and a merge that puts each formula line where the line it replaces stood (else at
 * the end of its project). The replaced line's last-year figures stay with the first line replacing it,
 * so that the last-year columns still foot to the ledger.
 */
export function formulaPlanLines(input: {
  targetYear: number;
  lines: readonly BaseLine[];
  histories: ReadonlyMap<number, LineHistory>;
  catalogue: readonly PlanStandard[];
  data: FormulaData | undefined;
}): {
  replaced: Set<number>;
  projectsWithFormulas: Set<number>;
  itemsOf: (projectId: number) => string;
  merge: (lines: PlanLine[]) => PlanLine[];
} {
  const { targetYear } = input;
  const replaced = new Set<number>();
  const derivedLines: Array<{ line: PlanLine; order: number }> = [];
  const projects = new Map<number, BaseLine[]>();
  for (const line of input.lines) projects.set(line.projectId, [...(projects.get(line.projectId) ?? []), line]);
  const applicable = (input.data?.formulas ?? []).filter((f) => formulaApplies(f, targetYear));
  for (const [projectId, own] of projects) {
    const first = own[0]!;
    const formulas = applicable.filter((f) => f.unitId === first.unitId && f.projectName === first.projectName).sort((a, b) => a.seq - b.seq);
    const carriedFigures = new Set<number>();
    for (const formula of formulas) {
      // The line it replaces: the one this formula derived last year (an adopted plan), else the item it names.
      const target =
        own.find((l) => l.item === itemName(formula.item, targetYear - 1) && !replaced.has(l.lineId)) ??
        (formula.replacesItem !== null ? own.find((l) => l.item === formula.replacesItem) : undefined);
      if (target) replaced.add(target.lineId);
      const source = target ?? first;
      const d = derive({ formula, targetYear, drivers: input.data!.drivers, standards: input.catalogue, shares: input.data!.shares });
      const attention: PlanAttention[] = [];
      let amount = d.amount;
      if (d.missing.length > 0) attention.push({ code: "missingDriver", inputs: d.missing.join("、") });
      let quantity = d.netQuantity;
      if (money(amount).isNegative()) {
        // A clearing of fewer participants is a refund, not spending: planned at 0 × the unit price, the refund named.
        attention.push({ code: "negativeClearing", refund: money(amount).abs().toFixed(2) });
        amount = "0.00";
        quantity = "0.00";
      }
      // The replaced line's last-year figures go with the first formula line that replaces it.
      const takesFigures = target !== undefined && !carriedFigures.has(target.lineId);
      if (target) carriedFigures.add(target.lineId);
      const history = takesFigures ? input.histories.get(target.lineId) : undefined;
      const lastYear = takesFigures
        ? { initial: target.initial, adjusted: target.adjusted, executed: history?.executed ?? "0.00", estimated: history?.allocated ?? false }
        : { initial: "0.00", adjusted: "0.00", executed: "0.00", estimated: false };
      const months = source.months && source.months.length > 0 ? source.months : MONTHS_OF_YEAR;
      const weights = MONTHS_OF_YEAR.map((m) => (months.includes(m) ? 1 : 0));
      const split = splitTotal(amount, weights);
      const total = money(amount).minus(lastYear.executed).toFixed(2);
      // An estimated driver's interval, spread over the months like the amount; a clearing's lower bound stops at
      // 0, since a negative clearing is planned at 0 (a refund).
      const clamp = (i: { lower: string; upper: string } | null) =>
        i && { lower: money(i.lower).isNegative() ? "0.00" : i.lower, upper: money(i.upper).isNegative() ? "0.00" : i.upper };
      const interval80 = clamp(d.interval80);
      const interval95 = clamp(d.interval95);
      const bands =
        interval80 && interval95 && money(amount).equals(d.amount)
          ? {
              lower80: splitTotal(interval80.lower, weights),
              upper80: splitTotal(interval80.upper, weights),
              lower95: splitTotal(interval95.lower, weights),
              upper95: splitTotal(interval95.upper, weights),
            }
          : null;
      const price = d.price;
      const standard = price?.source === "standard" ? input.catalogue.find((s) => s.id === price.standardId) : undefined;
      const quantityParts = d.minus ? msg("planQuantityMinus", { quantity: driverText(d.quantity), minus: driverText(d.minus) }) : driverText(d.quantity);
      const priceText =
        d.price?.source === "standard"
          ? d.price.less
            ? msg("planPriceStandardLess", { code: d.price.code, value: d.price.value, lessCode: d.price.less.code, lessValue: d.price.less.value })
            : msg("planPriceStandardText", { code: d.price.code, value: d.price.value })
          : d.price?.source === "driver"
            ? driverText(d.price.driver)
            : msg("planDash");
      const shareText = d.share ? msg("planShareText", { code: d.share.code, revision: d.share.revision, level: msg(FUND_LEVEL_KEY[d.share.level]), percent: d.share.percent }) : msg("planNoShare");
      const replacedText = takesFigures ? msg("planReplaced", { item: target.item }) : msg("planBlank");
      const line: PlanLine = {
        key: `F${formula.id}`,
        sourceLineId: source.lineId,
        projectId,
        projectName: first.projectName,
        unitId: first.unitId,
        unitName: first.unitName,
        lineNo: source.lineNo,
        composition: formula.composition,
        item: itemName(formula.item, targetYear),
        fundLevel: formula.fundLevel,
        fundType: source.fundType,
        functionalCode: source.functionalCode,
        functionalName: source.functionalName,
        economicCode: source.economicCode,
        economicName: source.economicName,
        months,
        quantity,
        unitPrice: d.unitPrice,
        amount,
        forecast:
          bands && interval80 && interval95
            ? { amount, quantity: Number(quantity), unitPrice: d.unitPrice, interval80, interval95 }
            : null,
        method: "formula",
        reason: msg("planReasonFormula", {
          kind: msg(FORMULA_KIND_KEY[formula.kind]),
          equation: equationText(d),
          quantity: quantityParts,
          price: priceText,
          share: shareText,
          replaced: replacedText,
        }),
        notes: [],
        basis: d.documents.join("；"),
        basisNote: null,
        standard: standard
          ? { id: standard.id, code: standard.code, revision: standard.revision, document: standard.document, value: standard.value, unit: standard.unit }
          : null,
        monthly: MONTHS_OF_YEAR.map((m, k) => ({
          month: monthKey(targetYear, m),
          amount: split[k]!,
          lower80: bands?.lower80[k] ?? null,
          upper80: bands?.upper80[k] ?? null,
          lower95: bands?.lower95[k] ?? null,
          upper95: bands?.upper95[k] ?? null,
        })),
        history: [],
        lastYear,
        change: { lastYear: lastYear.executed, volume: "0.00", policy: "0.00", unitCost: total, total },
        override: null,
        quantityCheck: null,
        derivation: d,
        attention,
      };
      derivedLines.push({ line, order: target ? target.lineNo : Number.MAX_SAFE_INTEGER });
    }
  }
  const projectsWithFormulas = new Set(derivedLines.map((d) => d.line.projectId));
  const projectOrder = new Map<number, number>();
  for (const line of input.lines) if (!projectOrder.has(line.projectId)) projectOrder.set(line.projectId, projectOrder.size);
  return {
    replaced,
    projectsWithFormulas,
    itemsOf: (projectId) =>
      derivedLines
        .filter((d) => d.line.projectId === projectId)
        .map((d) => d.line.item)
        .join("、"),
    merge(lines) {
      const entries = [
        ...lines.map((line, k) => ({ line, project: projectOrder.get(line.projectId) ?? 0, order: line.lineNo, k })),
        ...derivedLines.map((d, k) => ({ line: d.line, project: projectOrder.get(d.line.projectId) ?? 0, order: d.order, k: lines.length + k })),
      ];
      entries.sort((a, b) => a.project - b.project || a.order - b.order || a.k - b.k);
      return entries.map((e) => e.line);
    },
  };
}

/**
 * How much of a plan is not zero-based (沿用上年基数 and the like, see NOT_ZERO_BASED): lines counted and their
 * share of the proposed amount, 2 decimals half-up from exact 元, and how many lines adoption will ask a written basis for
 * (those, and lines derived to 0). notZeroBased(lines) → { count: 2, of: 13, amount: "…", share: "3.10", toConfirm: 3 }
 */
export function notZeroBased(lines: readonly Pick<PlanLine, "amount" | "attention">[]): { count: number; of: number; amount: string; share: string | null; toConfirm: number } {
  const flagged = lines.filter((l) => l.attention.some((a) => NOT_ZERO_BASED.has(a.code)));
  const toConfirm = lines.filter((l) => l.attention.some((a) => NEEDS_BASIS.has(a.code))).length;
  const amount = sumMoney(flagged.map((l) => l.amount));
  const total = sumMoney(lines.map((l) => l.amount));
  return {
    count: flagged.length,
    of: lines.length,
    amount: amount.toFixed(2),
    share: total.isZero() ? null : amount.dividedBy(total).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
    toConfirm,
  };
}
