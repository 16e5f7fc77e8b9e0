/** money: amounts typed by people; lists of values. */
export const moneyMessages = {
  listSeparator: "、",
  amountRequired: "请填写金额",
  amountGrouping: "“{text}”的千位分隔符位置不对：应从个位起每三位一组（如 1,234,567.89），请检查是否输错了数字",
  amountInvalid: "不是有效的金额：{text}",
  amountTooPrecise: "金额最多两位小数（精确到分）",
  amountNegative: "金额不能为负数",
} as const;
