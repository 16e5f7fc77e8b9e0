import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatAmount, yuanToWan, type AmountUnit } from "../../domain/money";
import type { PlanBasis } from "../../domain/planned-progress";
import type { ChartPoint } from "../../domain/project-execution";
import { fill, useT } from "../i18n";

/** The message of each plan basis (计划依据). */
const PLAN_BASIS_KEYS = { months: "ppBasisMonths", profile: "ppBasisProfile", even: "ppBasisEven" } as const satisfies Record<PlanBasis, string>;

/**
 * Cumulative executed by month against even time progress (adjusted budget × time progress), against
 * the plan (计划进度: scheduled months, last year's profile) and against the adjusted budget. Amounts
 * become numbers here only to be drawn; labels stay exact.
 */
export function ExecutionChart({ points, planBasis, amountUnit }: { points: ChartPoint[]; planBasis: PlanBasis; amountUnit: AmountUnit }) {
  const { t } = useT();
  const toNumber = (value: string) => Number(amountUnit === "wan" ? yuanToWan(value) : value);
  const series = points.map((point) => ({
    month: point.month,
    monthly: toNumber(point.executed),
    cumulative: toNumber(point.cumulative),
    evenProgress: toNumber(point.evenProgress),
    planned: toNumber(point.planned),
    adjusted: toNumber(point.adjusted),
    exact: point,
  }));
  const unitLabel = amountUnit === "wan" ? t("wan") : t("yuan");
  return (
    <div className="chart" data-testid="execution-chart">
      <p className="chart-unit">
        {t("amountUnit")}
        {t("colon")}
        {unitLabel}
      </p>
      <ResponsiveContainer width="100%" height={320}>
        <ComposedChart data={series} margin={{ top: 10, right: 24, bottom: 0, left: 24 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" />
          <YAxis width={90} tickFormatter={(value: number) => value.toLocaleString("zh-CN")} />
          <Tooltip
            formatter={(_value, name, item) => {
              const exact = (item.payload as { exact: ChartPoint }).exact;
              const key = item.dataKey as "monthly" | "cumulative" | "evenProgress" | "planned" | "adjusted";
              const raw = key === "monthly" ? exact.executed : exact[key];
              return [`${formatAmount(raw, amountUnit)} ${unitLabel}`, name];
            }}
          />
          {/* Legend text in the page's ink (recharts colours it as the series: the light bar's was unreadable); the icons keep the colours. */}
          <Legend formatter={(value: string) => <span style={{ color: "#222" }}>{value}</span>} />
          <Bar dataKey="monthly" name={t("monthlyExecuted")} fill="#a9c2e6" isAnimationActive={false} />
          <Line type="monotone" dataKey="cumulative" name={t("cumulative")} stroke="#1f5fbf" strokeWidth={2} isAnimationActive={false} />
          <Line type="linear" dataKey="evenProgress" name={t("evenProgress")} stroke="#777" strokeDasharray="6 4" dot={false} isAnimationActive={false} />
          <Line
            type="linear"
            dataKey="planned"
            name={fill(t("ppPlannedCurve"), { basis: t(PLAN_BASIS_KEYS[planBasis]) })}
            stroke="#2e8b57"
            strokeDasharray="2 3"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          <Line type="stepAfter" dataKey="adjusted" name={t("adjusted")} stroke="#c0392b" dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
