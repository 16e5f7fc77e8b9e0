/** dashboard: the execution overview (预算执行情况) and its filters. */
export const dashboardMessages = {
  dbHeadlineScope: "以上为{unit}（含下级单位）全部 {count:int} 个项目的数字，不随下方表格的筛选变化；表格的合计行只计筛选后显示的项目。",
  dbPrintHeader: "金额单位：{unit} · 打印时间：{time}",
  dbGridFilters: "表格筛选：",
  dbGridNoFilter: "无（全部项目）",
  wanRoundingNote: "因四舍五入，合计数与分项之和可能存在尾差（合计按元精确相加后换算）。",
  unitWithAll: "{unit}（全部单位）",
  // 计划进度 (planned progress) beside 时间进度, and 上年同期执行率.
  ppPlannedProgress: "计划进度",
  ppPlanGap: "与计划差(百分点)",
  ppPlanFlag: "计划预警",
  ppBehindPlan: "落后计划",
  ppBehindPlanProjects: "落后计划项目",
  ppPreviousYearRate: "上年同期执行率",
  ppBasis: "计划依据：{basis}",
  ppBasisMonths: "按安排月份",
  ppBasisProfile: "按上年各月执行",
  ppBasisEven: "全年均衡",
  ppPlannedCurve: "计划进度（{basis}）",
  ppRule: "计划进度：各明细的调整后预算按安排月份分摊（未填为全年），有上年同名项目的按其上年各月执行比例分摊，否则按日均衡 · 与计划差 = 预算执行率 − 计划进度 · 落后计划：执行率低于计划进度的 {threshold}% · 上年同期执行率：上年同一单位同名项目截至上年同日；合计为有上年项目者上年同期执行数之和 ÷ 其上年调整后预算之和",
} as const;
