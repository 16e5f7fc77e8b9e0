import { splitTotal } from "../../../forecasting/index.ts";
import { msg, type Message } from "../../../messages/index.ts";
import { money, parseAmount, ungrouped } from "../../../domain/money.ts";
import { cents, times } from "../../../domain/money.ts";
import type { PlanLine } from "./zero-based-plan.ts";

/* A planner's override of a proposed line (quantity and unit price with the reason): the form's checks and its effect on the line. */

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

/** Bounds of an override: a quantity and a unit price far beyond any budget line, below the ledger's limits. */
const MAX_QUANTITY = "1000000000";
const MAX_UNIT_PRICE = "10000000000";

/** A planner's override as submitted: quantity and unit price with the reason. */
export interface OverrideValues {
  quantity: string;
  unitPrice: string;
  reason: string;
}

/** The override form's problems, by field. */
export type OverrideErrors = Partial<Record<keyof OverrideValues, Message>>;

/**
 * Validates an override form field by field: quantity ≥ 0 with at most 2 decimals, unit price in 元 to the
 * cent, and a reason (required: an override is shown as such, with why).
 * parseOverrideForm({ quantity: "1600", unitPrice: "204.33", reason: "" }) → { errors: { reason: { code: "planOvReasonRequired" } } }
 */
export function parseOverrideForm(form: Record<string, string | undefined>): { values: OverrideValues } | { errors: OverrideErrors } {
  const errors: OverrideErrors = {};
  const quantityText = ungrouped(form.quantity ?? "");
  let quantity = "";
  if (quantityText === "") errors.quantity = msg("planOvQuantityRequired");
  else if (quantityText === null || !/^\d+(\.\d{1,2})?$/.test(quantityText)) errors.quantity = msg("planOvQuantityInvalid", { text: form.quantity ?? "" });
  else if (money(quantityText).greaterThan(MAX_QUANTITY)) errors.quantity = msg("planOvQuantityTooLarge", { max: MAX_QUANTITY, text: form.quantity ?? "" });
  else quantity = cents(quantityText);
  const price = parseAmount(form.unitPrice ?? "");
  if ("problem" in price) errors.unitPrice = msg("planOvUnitPrice", { problem: price.problem });
  else if (money(price.amount).greaterThan(MAX_UNIT_PRICE)) errors.unitPrice = msg("planOvUnitPriceTooLarge", { max: MAX_UNIT_PRICE, text: form.unitPrice ?? "" });
  // The amount must fit the ledger's NUMERIC(18, 2): below 10^16 元.
  else if (quantity !== "" && money(price.amount).times(quantity).greaterThanOrEqualTo("1e16"))
    errors.quantity = msg("planOvAmountTooLarge", { price: price.amount, quantity });
  const reason = (form.reason ?? "").trim();
  if (reason === "") errors.reason = msg("planOvReasonRequired");
  else if (reason.length > 500) errors.reason = msg("planOvReasonTooLong");
  if (Object.keys(errors).length > 0 || "problem" in price) return { errors };
  return { values: { quantity, unitPrice: price.amount, reason } };
}
