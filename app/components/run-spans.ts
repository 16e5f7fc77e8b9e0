/**
 * How many rows each run of equal values spans, at the run's first row (0 on the others), for tables that
 * merge repeated cells as the paper forms do (一级/二级指标): runSpans(["a", "a", "b"]) → [2, 0, 1].
 */
export function runSpans(values: readonly string[]): number[] {
  const spans = values.map(() => 0);
  let start = 0;
  for (let index = 1; index <= values.length; index += 1) {
    if (index === values.length || values[index] !== values[start]) {
      spans[start] = index - start;
      start = index;
    }
  }
  return spans;
}

/** The spans of 一级 and 二级指标 over indicator rows: 二级 runs within their 一级. */
export function levelSpans(rows: ReadonlyArray<{ level1: string; level2: string }>): { level1: number[]; level2: number[] } {
  return { level1: runSpans(rows.map((row) => row.level1)), level2: runSpans(rows.map((row) => `${row.level1}\u0000${row.level2}`)) };
}
