import { isIsoDate } from "../dates.ts";
import { money, toAmountString } from "../money.ts";
import { FUND_LEVELS, FUND_TYPES, parseMonths } from "../budget-line-form.ts";
import type { HeaderMapping, ImportKind, MappedColumn } from "./columns.ts";

/** A problem with one cell or row, for the person who made the file: row number, column header, reason in Chinese. */
export interface RowProblem {
  rowNumber: number;
  column: string | null;
  message: string;
}

interface RowBase {
  rowNumber: number;
  year: number;
  unit: string;
  project: string;
}

export interface BudgetLineRow extends RowBase {
  composition: string;
  item: string;
  fundLevel: (typeof FUND_LEVELS)[number];
  fundType: (typeof FUND_TYPES)[number];
  initial: string;
  unitPrice: string | null;
  quantity: string | null;
  basis: string | null;
  months: number[] | null;
  parent: string | null;
}

export interface AdjustmentRow extends RowBase {
  item: string;
  date: string;
  amount: string;
  fundLevel: (typeof FUND_LEVELS)[number];
  reason: string;
  documentNumber: string | null;
}

export interface PaymentRow extends RowBase {
  item: string | null;
  date: string;
  kind: "batch" | "transfer";
  personTimes: number | null;
  amount: string;
  dueDate: string | null;
  returnedCount: number;
  returnedAmount: string;
  reissuedOn: string | null;
  note: string | null;
}

export type ImportRow<K extends ImportKind> = K extends "budget-lines" ? BudgetLineRow : K extends "adjustments" ? AdjustmentRow : PaymentRow;

/** A 合计 row: its amounts, to check that the file foots. */
export interface TotalRow {
  rowNumber: number;
  amounts: Record<string, string>;
}

const TOTAL_LABEL = /^(合计|总计|小计|total)$/i;

/** Full-width digits and punctuation to ASCII, as Excel on Chinese Windows may write them. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}

/**
 * Parses an amount cell into 元 with exactly 2 decimals: thousands separators, full-width digits and a
 * leading ¥ are accepted; a 万元 column is multiplied by 10,000 exactly; more than 2 decimals of 元 is
 * refused. Example: parseImportAmount("147.174531", 10000) → { amount: "1471745.31" }.
 */
export function parseImportAmount(text: string, factor: 1 | 10000, allowNegative = false): { amount: string } | { error: string } {
  // The common case, plain 元 with up to 2 decimals, without decimal arithmetic (imports read 100,000s of rows).
  const plain = factor === 1 ? /^(\d{1,16})(?:\.(\d{1,2}))?$/.exec(text) : null;
  if (plain) return { amount: `${plain[1]!.replace(/^0+(?=\d)/, "")}.${(plain[2] ?? "").padEnd(2, "0")}` };
  const cleaned = toHalfWidth(text).replace(/[,，\s¥￥]/g, "").replace(/^\((.*)\)$/, "-$1");
  if (!/^[-+]?\d+(\.\d+)?$/.test(cleaned)) return { error: `“${text}”不是数字` };
  const amount = money(cleaned).times(factor);
  if (amount.decimalPlaces() > 2) {
    return { error: factor === 10000 ? `${text} 万元 = ${amount.toString()} 元，超过两位小数（精确到分）` : `金额“${text}”超过两位小数（精确到分）` };
  }
  if (amount.isNegative() && !allowNegative) return { error: `金额不能为负数：${text}` };
  if (amount.abs().greaterThanOrEqualTo("1e16")) return { error: `金额过大：${text}` };
  return { amount: toAmountString(amount) };
}

/** Parses a date cell: 2024-07-02, 2024/7/2, 2024.7.2, 2024年7月2日 or 20240702; impossible dates are refused. */
export function parseImportDate(text: string): { date: string } | { error: string } {
  const cleaned = toHalfWidth(text).trim();
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(cleaned) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(cleaned);
  if (!match) return { error: `“${text}”不是日期（应为 YYYY-MM-DD）` };
  const iso = `${match[1]}-${match[2]!.padStart(2, "0")}-${match[3]!.padStart(2, "0")}`;
  if (!isIsoDate(iso)) return { error: `日期不存在：${text}` };
  return { date: iso };
}

const FUND_LEVEL_ALIASES: Record<string, (typeof FUND_LEVELS)[number]> = {
  中央: "中央", 中央级: "中央", central: "中央",
  市级: "市级", 市: "市级", city: "市级",
  区级: "区级", 区: "区级", district: "区级",
  镇级: "镇级", 镇: "镇级", 街镇: "镇级", town: "镇级",
};
const FUND_TYPE_ALIASES: Record<string, (typeof FUND_TYPES)[number]> = {
  当年财政拨款: "当年财政拨款", 财政拨款: "当年财政拨款", current: "当年财政拨款",
  上年结转: "上年结转", 结转: "上年结转", "carry-over": "上年结转",
  其他资金: "其他资金", 其他: "其他资金", other: "其他资金",
};
const PAYMENT_KIND_ALIASES: Record<string, "batch" | "transfer"> = {
  社会化发放: "batch", 发放: "batch", batch: "batch",
  划拨: "transfer", 拨付: "transfer", 转拨: "transfer", transfer: "transfer",
};

/**
 * Reads one data row of a file: every cell of the kind's columns parsed and checked. Returns the
 * typed row, a 合计 row (to check footing), or the list of problems with row and column.
 */
export function parseImportRow<K extends ImportKind>(
  kind: K,
  mapping: HeaderMapping,
  cells: readonly string[],
  rowNumber: number,
): { row: ImportRow<K> } | { total: TotalRow } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const values: Record<string, unknown> = {};
  const raw = (column: MappedColumn) => (cells[column.index] ?? "").trim();

  // A 合计 row: the label stands in one of the text columns, amounts beside it.
  const labelled = mapping.columns.some((column) => column.spec.type === "text" && TOTAL_LABEL.test(raw(column)));
  if (labelled) {
    const amounts: Record<string, string> = {};
    for (const column of mapping.columns) {
      if (column.spec.type !== "amount" && column.spec.type !== "signed-amount") continue;
      const parsed = parseImportAmount(raw(column), column.factor, true);
      if (raw(column) !== "" && "amount" in parsed) amounts[column.spec.key] = parsed.amount;
    }
    return { total: { rowNumber, amounts } };
  }

  for (const column of mapping.columns) {
    const text = raw(column);
    const problem = (message: string) => problems.push({ rowNumber, column: column.header, message });
    if (text === "") {
      if (column.spec.required) problem("必填");
      values[column.spec.key] = null;
      continue;
    }
    switch (column.spec.type) {
      case "year": {
        const year = Number(toHalfWidth(text).replace(/年$/, ""));
        if (!Number.isInteger(year) || year < 2000 || year > 2100) problem(`“${text}”不是有效的年度`);
        values.year = year;
        break;
      }
      case "text":
        if (text.length > 500) problem("超过 500 个字符");
        values[column.spec.key] = text;
        break;
      case "amount":
      case "signed-amount": {
        const parsed = parseImportAmount(text, column.spec.key === "quantity" ? 1 : column.factor, column.spec.type === "signed-amount");
        if ("error" in parsed) problem(parsed.error);
        else if (column.spec.type === "signed-amount" && parsed.amount === "0.00") problem("调整金额不能为 0");
        else values[column.spec.key] = parsed.amount;
        break;
      }
      case "date": {
        const parsed = parseImportDate(text);
        if ("error" in parsed) problem(parsed.error);
        else values[column.spec.key] = parsed.date;
        break;
      }
      case "integer": {
        const cleaned = toHalfWidth(text).replace(/[,，\s]/g, "");
        if (!/^\d{1,9}$/.test(cleaned)) problem(`“${text}”不是非负整数`);
        else values[column.spec.key] = Number(cleaned);
        break;
      }
      case "months":
        try {
          values.months = parseMonths(toHalfWidth(text));
        } catch (error) {
          problem((error as Error).message);
        }
        break;
      case "fund-level": {
        const level = FUND_LEVEL_ALIASES[text.toLowerCase()];
        if (!level) problem(`资金级次应为 ${FUND_LEVELS.join("/")}：${text}`);
        values[column.spec.key] = level;
        break;
      }
      case "fund-type": {
        const type = FUND_TYPE_ALIASES[text.toLowerCase()];
        if (!type) problem(`资金类型应为 ${FUND_TYPES.join("/")}：${text}`);
        values[column.spec.key] = type;
        break;
      }
      case "payment-kind": {
        const paymentKind = PAYMENT_KIND_ALIASES[text.toLowerCase()];
        if (!paymentKind) problem(`支付方式应为 社会化发放 或 划拨：${text}`);
        values[column.spec.key] = paymentKind;
        break;
      }
    }
  }
  if (problems.length === 0) problems.push(...crossFieldProblems(kind, values, mapping, rowNumber));
  if (problems.length > 0) return { problems };

  const base = { rowNumber, year: values.year as number, unit: values.unit as string, project: values.project as string };
  if (kind === "budget-lines") {
    const row: BudgetLineRow = {
      ...base,
      composition: (values.composition as string | null) ?? "",
      item: values.item as string,
      fundLevel: values.fundLevel as BudgetLineRow["fundLevel"],
      fundType: values.fundType as BudgetLineRow["fundType"],
      initial: values.initial as string,
      unitPrice: (values.unitPrice as string | null) ?? null,
      quantity: (values.quantity as string | null) ?? null,
      basis: (values.basis as string | null) ?? null,
      months: (values.months as number[] | null) ?? null,
      parent: (values.parent as string | null) ?? null,
    };
    return { row: row as ImportRow<K> };
  }
  if (kind === "adjustments") {
    const row: AdjustmentRow = {
      ...base,
      item: values.item as string,
      date: values.date as string,
      amount: values.amount as string,
      fundLevel: values.fundLevel as AdjustmentRow["fundLevel"],
      reason: values.reason as string,
      documentNumber: (values.documentNumber as string | null) ?? null,
    };
    return { row: row as ImportRow<K> };
  }
  const row: PaymentRow = {
    ...base,
    item: (values.item as string | null) ?? null,
    date: values.date as string,
    kind: values.kind as PaymentRow["kind"],
    personTimes: (values.personTimes as number | null) ?? null,
    amount: values.amount as string,
    dueDate: (values.dueDate as string | null) ?? null,
    returnedCount: (values.returnedCount as number | null) ?? 0,
    returnedAmount: (values.returnedAmount as string | null) ?? "0.00",
    reissuedOn: (values.reissuedOn as string | null) ?? null,
    note: (values.note as string | null) ?? null,
  };
  return { row: row as ImportRow<K> };
}

/** Checks between fields of one row (the database enforces the same; here the person learns which cell). */
function crossFieldProblems(kind: ImportKind, values: Record<string, unknown>, mapping: HeaderMapping, rowNumber: number): RowProblem[] {
  const problems: RowProblem[] = [];
  const header = (key: string) => mapping.columns.find((column) => column.spec.key === key)?.header ?? key;
  if (kind === "budget-lines") {
    const { initial, unitPrice, quantity } = values as { initial: string; unitPrice: string | null; quantity: string | null };
    if (unitPrice && quantity && !money(unitPrice).times(quantity).equals(initial)) {
      problems.push({ rowNumber, column: header("initial"), message: `年初预算 ${initial} ≠ 单价 ${unitPrice} × 数量 ${quantity}` });
    }
  }
  if (kind === "payments") {
    const { amount, returnedAmount, returnedCount, reissuedOn, date, dueDate, kind: paymentKind, personTimes } = values as {
      amount: string; returnedAmount: string | null; returnedCount: number | null; reissuedOn: string | null; date: string; dueDate: string | null; kind: string; personTimes: number | null;
    };
    if (returnedAmount && money(returnedAmount).greaterThan(amount)) problems.push({ rowNumber, column: header("returnedAmount"), message: "退回金额大于支付金额" });
    if (returnedCount && personTimes !== null && returnedCount > personTimes) problems.push({ rowNumber, column: header("returnedCount"), message: "退回人次大于人次" });
    if (reissuedOn && (!returnedAmount || money(returnedAmount).isZero())) problems.push({ rowNumber, column: header("reissuedOn"), message: "有重发日期但没有退回金额" });
    if (reissuedOn && reissuedOn < date) problems.push({ rowNumber, column: header("reissuedOn"), message: "重发日期早于支付日期" });
    if (dueDate && paymentKind === "batch") problems.push({ rowNumber, column: header("dueDate"), message: "只有划拨才有到期日" });
    if (money(amount).isZero()) problems.push({ rowNumber, column: header("amount"), message: "支付金额必须大于 0" });
  }
  return problems;
}
