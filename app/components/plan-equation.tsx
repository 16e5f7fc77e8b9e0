import { planEquation, type PlanLine } from "../../features/plan/rules/zero-based-plan";
import { formatAmount, formatNumber } from "../../domain/money";
import { useT } from "../i18n";

/** The line's amount as a checkable product (quantity × unit price to the cent), and the model's unrounded estimate beside it when it differs. */
export function PlanEquationText({ line }: { line: Pick<PlanLine, "amount" | "quantity" | "unitPrice" | "forecast"> }) {
  const { t, language } = useT();
  const equation = planEquation(line);
  const [open, sep, close] = language === "zh" ? ["（", "；", "）"] : [" (", "; ", ")"];
  return (
    <span data-testid="plan-equation">
      {open}
      {formatAmount(equation.amount)} = {formatNumber(equation.quantity)} × {formatAmount(equation.unitPrice)}
      {equation.model !== null && `${sep}${t("modelFigure")} ${formatAmount(equation.model)}${language === "zh" ? "，" : ", "}${t("unitPriceRoundedNote")}`}
      {close}
    </span>
  );
}
