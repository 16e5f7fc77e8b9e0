import { fundScore, type BudgetAmounts } from "../../../domain/execution.ts";
import type Decimal from "decimal.js";
import { money, percentage, sumMoney, toAmountString, yuanToWan } from "../../../domain/money.ts";
import type { FundType } from "../../../db/schema.ts";

/*
 * The funds block of the self-evaluation (项目资金（万元）, seeds/003): 年度资金总额 and 其中 当年财政拨款 /
 * 上年结转资金 / 其他资金, each with 年初预算数, 全年预算数 and 全年执行数 from the ledger as of 31 December,
 * computed from exact 元 and shown in 万元; 执行率 per row; 分数 10 and 得分 on the total row only.
 */

/** The rows in the sheet's order: the total, then each fund type. */
export const FUND_ROWS = ["total", "当年财政拨款", "上年结转", "其他资金"] as const;
export type FundRowKind = (typeof FUND_ROWS)[number];

/** The weight of the funds row (分数): 10 of the sheet's 100. */
export const FUNDS_WEIGHT = "10.00";

/** A budget line's (or a fund type's) amounts in 元 as of 31 December. */
export interface FundedAmounts extends BudgetAmounts {
  fundType: FundType;
}

/** One funds row: amounts in 元 (exact) and 万元 (shown), its rate, and on the total row 分数 and 得分. */
export interface FundsRow extends BudgetAmounts {
  kind: FundRowKind;
  initialWan: string;
  adjustedWan: string;
  executedWan: string;
  /** 执行率 = 全年执行数 ÷ 全年预算数, 2 decimals half-up; null when nothing is budgeted. */
  executionRate: string | null;
  /** "10.00" on the total row, null ("-") on the others. */
  weight: string | null;
  /** fundScore of the total row's rate; null ("-") on the others. */
  score: string | null;
}

function row(kind: FundRowKind, amounts: BudgetAmounts): FundsRow {
  const executionRate = percentage(amounts.executed, amounts.adjusted);
  return {
    kind,
    initial: amounts.initial,
    adjusted: amounts.adjusted,
    executed: amounts.executed,
    initialWan: yuanToWan(amounts.initial),
    adjustedWan: yuanToWan(amounts.adjusted),
    executedWan: yuanToWan(amounts.executed),
    executionRate,
    weight: kind === "total" ? FUNDS_WEIGHT : null,
    score: kind === "total" ? fundScore(executionRate) : null, // fundScore's weight is the funds row's 10
  };
}

/**
 * The four funds rows from the project's total (which also counts payments booked to no line) and its
 * lines by fund type. Example (003 医疗救助): total { initial: "4120000.00", adjusted: "3290000.00",
 * executed: "3167300.00" } → 412.00 / 329.00 / 316.73 万元, 96.27%, 分数 10.00, 得分 9.63.
 * What the lines do not account for (payments booked to the project, not to a line) belongs to the
 * lines' one fund type when they have one, else to 当年财政拨款, so that the rows add to the total.
 */
export function fundsRows(total: BudgetAmounts, lines: readonly FundedAmounts[]): FundsRow[] {
  const types = new Set(lines.map((line) => line.fundType));
  const remainderTo: FundRowKind = types.size === 1 ? ([...types][0] as FundRowKind) : "当年财政拨款";
  const fields = ["initial", "adjusted", "executed"] as const;
  const remainder = Object.fromEntries(
    fields.map((field) => [field, money(total[field]).minus(sumMoney(lines.map((line) => line[field])))]),
  ) as Record<(typeof fields)[number], Decimal>;
  return FUND_ROWS.map((kind) => {
    if (kind === "total") return row(kind, total);
    const ofType = lines.filter((line) => line.fundType === kind);
    const amount = (field: (typeof fields)[number]) => {
      const sum = sumMoney(ofType.map((line) => line[field]));
      return toAmountString(kind === remainderTo ? sum.plus(remainder[field]) : sum);
    };
    return row(kind, { initial: amount("initial"), adjusted: amount("adjusted"), executed: amount("executed") });
  });
}
