/** cli: the `budget` command's own texts (usage, headings, table headers). */
export const cliMessages = {
  // Usage and errors of the command line (cli/main.ts, cli/args.ts)
  cliUsage: `用法：
  budget db migrate                      运行数据库迁移
  budget db seed                         向空数据库导入演示数据
  budget execution [--year 2024] [--as-of 2024-08-31] [--unit NAME] [--json]
                                         预算执行情况，每个项目一行
  budget unit add NAME --level city|district|town|unit|department [--parent NAME]
                                         新增组织单位
  budget user list [--json]              用户列表
  budget user add NAME --unit UNIT --role planner[,viewer] [--display-name TEXT] [--password-stdin]
                                         新增用户；不给密码则生成随机密码
  budget user passwd NAME [--password-stdin]
                                         重置密码
{import}
{importLog}
{backtest}
{forecast}
数据库：DATABASE_URL，未设置时使用 .data/postgres 下的内嵌 PostgreSQL。`,
  cliError: "错误：{text}",
  cliUnknownCommand: "未知命令：{command}",
  cliUnknownSubcommand: "未知子命令：{command}",
  cliUnexpectedArgs: "多余的参数：{args}",
  cliUnknownOption: "未知选项：{option}",
  cliOptionNeedsValue: "{option} 需要一个值",
  cliOptionTakesNoValue: "{option} 不带值",
  cliUnknownUnit: "未知单位：{unit}",
  cliYearRange: "--year 应为 {from}–{to} 的四位年度：{value}",
  cliAsOfDate: "--as-of 应为日期 YYYY-MM-DD：{value}",
  cliUsageHeading: "用法：",
  // budget unit add, budget user (cli/units.ts, cli/users.ts)
  cliMissingUnitName: "缺少单位名称",
  cliLevelChoice: "--level 应为 {levels}",
  cliUnknownParentUnit: "未知上级单位：{unit}",
  cliUnitExists: "单位已存在：{unit}",
  cliUnitCreated: "已创建单位：{unit}",
  cliUnitCreatedUnder: "已创建单位：{unit}（上级 {parent}）",
  cliMissingUsername: "缺少用户名",
  cliMissingUnitOption: "缺少 --unit",
  cliRoleChoice: "--role 应为 {roles} 之一或多个（逗号分隔）",
  cliUnknownUser: "未知用户：{username}",
  cliUserCreated: "已创建用户：{username}（{unit}；{roles}）",
  cliInitialPassword: "初始密码：{password}",
  cliPasswordReset: "已重置密码：{username}",
  cliNewPassword: "新密码：{password}",
  // budget backtest (cli/backtest.ts)
  cliBacktestUsage: `  budget backtest [--json] [--m3 FILE] [--series N] [--seed S] [--horizon H] [--history M]
                                         预测方法回测：合成预算行（N 条，默认 500，种子 S）、按特性生成的序列（留出 H 个月，默认 12）
                                         及 M3 格式的月度数据文件（--m3，按文件自带的留出期）；--history M 只用每条序列最近 M 个月拟合`,
  cliBacktestSeries: "--series 应为 1–100000 的整数：{value}",
  cliBacktestSeed: "--seed 应为非负整数：{value}",
  cliBacktestM3Path: "--m3 需要文件路径",
  cliBacktestHorizon: "--horizon 应为 1–60 的整数（月）：{value}",
  cliBacktestHistory: "--history 应为 12–1000 的整数（月）：{value}",
  cliBacktestM3Unreadable: "无法读取 M3 文件 {file}：{reason}",
  // budget db
  cliDbApplied: "已运行迁移：{names}",
  cliDbUpToDate: "数据库已是最新",
  cliDbNotEmpty: "数据库已有数据，未导入演示数据",
  cliDbSeeded: "已导入演示数据：{units} 个单位、{projects} 个项目、{payments} 笔支付、{trackingForms} 份运行监控表",
  // budget execution (the other columns: unit, project, initialAmount, gap, flag, flagged, total)
  cliExecTitle: "{year} 年度预算执行情况 截至 {asOf}（时间进度 {progress}%，预警线 {threshold}%）",
  cliColAdjusted: "调整后预算(元)",
  cliColExecuted: "执行数(元)",
  cliColRate: "执行率%",
  cliProjectCount: "{count:int} 个项目",
  cliFlaggedCount: "{count} 个预警",
  // budget forecast (cli/forecast.ts; the other columns: composition, item, unitPrice, quantity, interval80, interval95, standardBasis)
  cliForecastUsage: `  budget forecast --year 2025 [--unit NAME] [--project NAME] [--no-overrides] [--json]
                                         零基预算预测：每条预算明细的数量、单价、金额、80%/95%区间、方法、依据、分月安排、增减因素；
                                         默认含编制人员保存的人工调整（同 /plan 页面），--no-overrides 只看模型和标准的预测`,
  cliForecastMissingYear: "缺少 --year（要预测的预算年度）",
  cliUnitNeedsName: "--unit 需要单位名称",
  cliProjectNeedsName: "--project 需要项目名称",
  cliForecastNoLines: "{year} 年没有可据以预测的预算明细",
  cliForecastOverrides: "含编制人员保存的人工调整 {count:int} 条（同 /plan 页面；--no-overrides 只看预测）",
  cliForecastNoOverrides: "未含人工调整（--no-overrides：模型和标准的预测）",
  cliForecastTitle: "{year} 年度零基预算预测（依据 {baseYear} 年预算明细、支付记录、支出标准、测算因素和分担比例；{overrides}）",
  cliColAmount: "金额(元)",
  cliColMethod: "方法",
  cliMethodStandard: "标准×数量",
  cliMethodFormula: "因素×标准×分担",
  cliMethodExecuted: "按上年执行",
  cliStandardRef: "{basis}（{code} 第{revision}版）",
  cliLineReason: "{item}：{reason}",
  cliDataNotes: "数据提示（异常月：每人次金额、人次或无人次的金额高出本明细各月中位数 {above} 倍以上或低于其 1/{below}，且偏离超过 {sds} 个稳健标准差 1.4826×MAD）：",
  cliOverride: "人工调整（{by}）：数量 {fromQuantity} → {quantity}，单价 {fromPrice} → {price}；理由：{reason}",
  cliChange: "较上年执行数 {lastYear}：人次 {volume}，政策标准 {policy}，次均费用及其他 {unitCost}，合计 {total}",
  cliMonthly: "分月 {months}",
  cliMonthAmount: "{month}月 {amount}",
  cliMonthSeparator: "，",
  cliSettlement: "未纳入明细（结算行）：{items}：上年调整后 {adjusted}，上年执行 {executed}",
  cliItemSeparator: "；",
  cliTarget: "绩效目标 {name} {target}：计划 {planned}{ratio}",
  cliTargetRatio: "（{ratio}%{flag}）",
  cliTargetFlag: "，差异超过 20% ⚠",
  cliProjectTotal: "项目合计 {amount}（上年基数 {initial}，上年调整后 {adjusted}，上年执行 {executed}）",
  cliUnitTotal: "单位合计 {unit}：{amount}",
  cliGrandTotal: "总计 {amount}（80%区间 {interval80}，95%区间 {interval95}）",
} as const;
