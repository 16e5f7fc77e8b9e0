/**
 * The payments larger than their project's whole budget that an import's report lists (decision 012), as one
 * comparable text — the count, then the rows listed — so that a commit confirms exactly what the user saw:
 * overBudgetKey(2, [{ rowNumber: 3 }, { rowNumber: 17 }]) → "2:3,17".
 */
export function overBudgetKey(count: number, listed: ReadonlyArray<{ rowNumber: number }>): string {
  return `${count}:${listed.map((payment) => payment.rowNumber).join(",")}`;
}
