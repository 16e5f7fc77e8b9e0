import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatAmount } from "../../domain/money";
import { useT } from "../i18n";

/** A month of the fan chart: history (executed) or forecast with its 80% and 95% bounds, exact 元 strings. */
export interface FanPoint {
  month: string;
  history?: string;
  forecast?: string;
  lower80?: string | null;
  upper80?: string | null;
  lower95?: string | null;
  upper95?: string | null;
}

/**
 * A fan chart of one budget line by month: the history, the forecast and its 80%/95% bands (stacked areas
 * from the lower bound up). Amounts become numbers here only to be drawn; the tooltip shows exact 元.
 */
export function FanChart({ points, label }: { points: FanPoint[]; label: string }) {
  const { t } = useT();
  const n = (value: string | null | undefined) => (value === null || value === undefined ? undefined : Number(value));
  const series = points.map((p) => {
    const l95 = n(p.lower95);
    const l80 = n(p.lower80);
    const u80 = n(p.upper80);
    const u95 = n(p.upper95);
    return {
      month: p.month,
      history: n(p.history),
      forecast: n(p.forecast),
      // Stacked: the invisible base up to the 95% lower bound, then the bands on top of it.
      base: l95,
      band95low: l95 !== undefined && l80 !== undefined ? l80 - l95 : undefined,
      band80: l80 !== undefined && u80 !== undefined ? u80 - l80 : undefined,
      band95high: u80 !== undefined && u95 !== undefined ? u95 - u80 : undefined,
      exact: p,
    };
  });
  return (
    <div className="fan-chart" data-testid="fan-chart" aria-label={`${t("fanChart")}${t("trColon")}${label}`}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={series} margin={{ top: 8, right: 16, bottom: 0, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" fontSize={11} />
          <YAxis width={80} fontSize={11} tickFormatter={(value: number) => value.toLocaleString("zh-CN")} />
          <Tooltip
            formatter={(_value, name, item) => {
              const exact = (item.payload as { exact: FanPoint }).exact;
              const key = item.dataKey as string;
              const range = (lower?: string | null, upper?: string | null) => (lower && upper ? `${formatAmount(lower)}–${formatAmount(upper)}` : undefined);
              const text =
                key === "history" ? exact.history && formatAmount(exact.history) : key === "forecast" ? exact.forecast && formatAmount(exact.forecast) : key === "band80" ? range(exact.lower80, exact.upper80) : key === "band95low" ? range(exact.lower95, exact.upper95) : undefined;
              return text ? [`${text} ${t("yuan")}`, name] : [null, null];
            }}
            // In the page's ink: recharts would colour each line as its (light) band.
            itemStyle={{ color: "#222" }}
          />
          {/* Legend text in the page's ink; recharts would colour it as the light bands. */}
          <Legend formatter={(value: string) => <span style={{ color: "#222" }}>{value}</span>} />
          {/* The base and the upper 95% band are drawn only: the tooltip names the 95% interval once (band95low). */}
          <Area dataKey="base" stackId="fan" stroke="none" fill="transparent" legendType="none" tooltipType="none" isAnimationActive={false} />
          <Area dataKey="band95low" stackId="fan" stroke="none" fill="#dbe6f6" name={t("interval95")} isAnimationActive={false} />
          <Area dataKey="band80" stackId="fan" stroke="none" fill="#a9c3ea" name={t("interval80")} isAnimationActive={false} />
          <Area dataKey="band95high" stackId="fan" stroke="none" fill="#dbe6f6" legendType="none" tooltipType="none" isAnimationActive={false} />
          <Line dataKey="history" name={t("executed")} stroke="#555" dot={false} isAnimationActive={false} connectNulls={false} />
          <Line dataKey="forecast" name={t("fanProposed")} stroke="#1f5fbf" strokeWidth={2} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
