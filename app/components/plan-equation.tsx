import { planEquation, type PlanLine } from "../../domain/zero-based-plan";
import { formatAmount, formatNumber } from "../../domain/money";
import { useT } from "../i18n";

/** The line's amount as a checkable product (quantity × unit price to the cent), and the model's unrounded estimate beside it when it differs. */
export function PlanEquationText({ line }: { line: Pick<PlanLine, "amount" | "quantity" | "unitPrice" | "forecast"> }) {
  const { t } = useT();
  const equation = planEquation(line);
  return (
    <span data-testid="plan-equation">
      （{formatAmount(equation.amount)} = {formatNumber(equation.quantity)} × {formatAmount(equation.unitPrice)}
      {equation.model !== null && `；${t("modelFigure")} ${formatAmount(equation.model)}，${t("unitPriceRoundedNote")}`}）
    </span>
  );
}
