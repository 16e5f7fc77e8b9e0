/** todo: the to-do list (待办事项, issue 15) and its filing deadlines, in Chinese (the reference catalogue). */
export const todoMessages = {
  // The panel (app/components/todo-list.tsx) and the page (/todo)
  tdTitle: "待办事项",
  tdNav: "待办",
  tdNone: "目前没有待办事项。",
  tdAsOf: "按{date:date}（北京时间）计",
  tdShown: "显示最紧急的{shown:int}项",
  tdShowAll: "全部待办（{count:int}项）",
  tdCount: "{kind} {count:int}",
  // Kinds
  tdKindReturned: "退回待修改",
  tdKindReview: "待审核",
  tdKindUnfiled: "逾期未报",
  tdKindRectification: "整改逾期",
  tdKindNotice: "结算通知书到期",
  // Columns
  tdColKind: "事项",
  tdColProject: "项目",
  tdColSubject: "表单或事项",
  tdColStatus: "状态",
  tdColDue: "期限",
  tdColAction: "办理",
  // What an entry is about
  tdFormTracking: "运行监控表（截至{periodEnd}）",
  tdFormSelfEvaluation: "绩效自评表",
  tdFormTrackingName: "运行监控表",
  tdFormSelfEvaluationName: "绩效自评表",
  tdRectification: "整改：{indicator}",
  tdNotice: "结算通知书 {number}（{amount:money}元）",
  tdNotStarted: "未填报",
  tdSince: "{date:date}起",
  // The due date
  tdDueOn: "截止{date:date}",
  tdOverdueDays: "逾期{days:int}天",
  tdDueToday: "今日到期",
  tdDaysLeft: "还有{days:int}天",
  tdWorkingDaysLeft: "还有{days:int}个工作日",
  // Where to act
  tdActView: "去查看",
  tdActFill: "去填报",
  tdActRevise: "去修改",
  tdActReview: "去审核",
  tdActRectify: "去整改",
  tdActNotice: "去办理",
  // Filing deadlines on /admin (settings tracking_filing_deadline, self_evaluation_filing_deadline)
  tdDeadlines: "填报截止日",
  tdDeadlinesHint: "运行监控表（截至8月31日）在项目年度的该日之后仍未提交、绩效自评表在次年的该日之后仍未提交，即列入待办事项的“逾期未报”。格式为“月-日”，如 09-15。",
  tdDeadlineTracking: "运行监控表（当年，月-日）",
  tdDeadlineSelfEvaluation: "绩效自评表（次年，月-日）",
  tdDeadlineInvalid: "{form}的截止日应为“月-日”且每年都有该日（如 09-15，不可为 02-29）：{value}",
  tdDeadlineTrackingTooEarly: "运行监控表的截止日应在监控期末8月31日之后：{value}",
} as const;
