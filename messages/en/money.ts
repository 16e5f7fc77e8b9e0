import type { Mirror } from "../types";
import type { moneyMessages as zh } from "../zh/money";

/** money: amounts typed by people; lists of values. */
export const moneyMessages: Mirror<typeof zh> = {
  listSeparator: ", ",
  amountRequired: "Enter an amount",
  amountGrouping: "“{text}”: thousands separators in the wrong place (groups of three from the units, e.g. 1,234,567.89): is a digit missing or extra?",
  amountInvalid: "Not a valid amount: {text}",
  amountTooPrecise: "An amount has at most two decimals (to the cent)",
  amountNegative: "An amount cannot be negative",
};
