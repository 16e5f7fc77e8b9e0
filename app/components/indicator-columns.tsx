import { levelMessage } from "../../domain/declaration";
import { useT } from "../i18n";

/** The head of an indicator table's first four columns: 一级指标, 二级指标, 三级指标, 年度指标值. */
export function IndicatorHeadings() {
  const { t } = useT();
  return (
    <>
      <th>{t("level1")}</th>
      <th>{t("level2")}</th>
      <th>{t("indicator")}</th>
      <th>{t("annualTarget")}</th>
    </>
  );
}

/** An indicator's place in the tree and its annual target, under <IndicatorHeadings>. */
export function IndicatorCells({ indicator, target }: { indicator: { level1: string; level2: string; name: string }; target: string }) {
  const { m } = useT();
  return (
    <>
      <td>{m(levelMessage(indicator.level1))}</td>
      <td>{m(levelMessage(indicator.level2))}</td>
      <td>{indicator.name}</td>
      <td>{target}</td>
    </>
  );
}
