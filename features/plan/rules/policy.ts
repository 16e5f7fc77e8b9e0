import Decimal from "decimal.js";
import type { PolicyPeriod } from "../../../forecasting/index.ts";
import { inForce } from "../../../domain/plan-formulas.ts";
import type { PlanStandard } from "./zero-based-plan.ts";

/* The policy of a plan line's standard on a date: its rate and cap (or fixed value), with the documents. */

const monthStart = (month: string) => `${month}-01`;

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

export interface Policy {
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
export function policyOn(catalogue: readonly PlanStandard[], linked: PlanStandard, date: string): Policy | undefined {
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
export function policyPeriods(catalogue: readonly PlanStandard[], linked: PlanStandard, start: string, endYear: number): PolicyPeriod[] {
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
