import { Link } from "react-router";
import type { AmountUnit } from "../../domain/money";
import { useT } from "../i18n";

/** The display unit from the `amount` query parameter: 万元 when "wan", else 元. */
export function amountUnitOf(params: URLSearchParams): AmountUnit {
  return params.get("amount") === "wan" ? "wan" : "yuan";
}

/** A 元 | 万元 toggle that keeps the rest of the query. */
export function AmountUnitSwitch({ current, search }: { current: AmountUnit; search: string }) {
  const { t } = useT();
  const link = (unit: AmountUnit) => {
    const params = new URLSearchParams(search);
    params.set("amount", unit);
    return `?${params.toString()}`;
  };
  return (
    <span className="segmented" role="group" aria-label={t("amountUnit")}>
      {(["yuan", "wan"] as const).map((unit) => (
        <Link
          key={unit}
          to={link(unit)}
          replace
          preventScrollReset
          className={unit === current ? "active" : undefined}
          aria-current={unit === current ? "true" : undefined}
          data-testid={`amount-unit-${unit}`}
        >
          {t(unit)}
        </Link>
      ))}
    </span>
  );
}
