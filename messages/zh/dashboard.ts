/** dashboard: the execution overview (预算执行情况) and its filters. */
export const dashboardMessages = {
  unitWithAll: "{unit}（全部单位）",
} as const;
