/** money: amounts typed by people; lists of values. */
export const moneyMessages = {
  listSeparator: "、",
  amountRequired: "请填写金额",
  amountInvalid: "不是有效的金额：{text}",
  amountTooPrecise: "金额最多两位小数（精确到分）",
  amountNegative: "金额不能为负数",
} as const;
