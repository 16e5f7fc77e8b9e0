import { difference } from "../domain/money";
import type { LineExecution } from "../domain/project-execution";
import type { BudgetLineRecord } from "../db/projects";

/** A budget line as the project page's lines grid and its export show it: the line and its figures as of a date. */
export interface BudgetLineRow {
  id: number;
  lineNo: number | null;
  composition: string;
  item: string;
  fundLevel: string;
  unitPrice: string | null;
  quantity: string | null;
  initial: string;
  /** Adjusted − initial; null when the line was not adjusted. */
  adjustment: string | null;
  adjusted: string;
  executed: string;
  executionRate: string | null;
  basis: string | null;
  /** 功能分类科目 and 部门经济分类 as "code name". */
  functional: string | null;
  economic: string | null;
}

/** A classification as shown: classificationLabel("2101301", "城乡医疗救助") → "2101301 城乡医疗救助"; null without a code. */
export function classificationLabel(code: string | null, name: string | null): string | null {
  return code ? `${code} ${name ?? ""}`.trim() : null;
}

/** The row of a line and its figures (projectExecution's, in the order of the lines). */
export function budgetLineRow(line: BudgetLineRecord, figures: LineExecution): BudgetLineRow {
  const adjustment = difference(figures.adjusted, figures.initial);
  return {
    id: line.id,
    lineNo: line.lineNo,
    composition: line.composition,
    item: line.item,
    fundLevel: line.fundLevel,
    unitPrice: line.unitPrice,
    quantity: line.quantity,
    initial: figures.initial,
    adjustment: adjustment === "0.00" ? null : adjustment,
    adjusted: figures.adjusted,
    executed: figures.executed,
    executionRate: figures.executionRate,
    basis: line.basis,
    functional: classificationLabel(line.functionalCode, line.functionalName),
    economic: classificationLabel(line.economicCode, line.economicName),
  };
}
