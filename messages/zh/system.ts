/** system: the database unavailable; values the database cannot store (NUL, amounts and dates out of range). */
export const systemMessages = {
  dbUnavailable: "数据库暂不可用",
  dbUnavailableText: "数据库暂时不可用，系统正在自动恢复，请稍后再试。已保存的数据不会丢失。",
  amountOverLimit: "金额过大：{text}（单笔金额须小于 1 万亿元）",
  importTotalOverLimit: "本文件的金额合计自本行起超过 100 万亿元，无法导入：请检查金额的单位（元/万元）和数值",
  cellHasNul: "第{position}列（{letter}列）含有空字符（NUL，代码 0x00），无法保存：请在文件中删除该字符后重新导入（常见于其他系统导出的文件）",
  dateOutOfRange: "日期超出范围：{text}（应在 {first} 至 {last} 年之间）",
} as const;
