/** Arithmetic mean of a series: mean([1, 2, 6]) → 3. */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length === 0 ? Number.NaN : sum / values.length;
}

/** Sum of a series: sum([1, 2, 6]) → 9. */
export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Median of a series: median([3, 1, 2, 10]) → 2.5. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Quantile of ascending-sorted values by linear interpolation (R type 7): quantileSorted([1, 2, 3, 4], 0.5) → 2.5. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** Autocorrelations at lags 1..maxLag (the R acf definition): acf([1, 2, 3, 4], 1) → [0.25]. */
export function acf(values: readonly number[], maxLag: number): number[] {
  const n = values.length;
  const m = mean(values);
  let denominator = 0;
  for (const value of values) denominator += (value - m) ** 2;
  const result: number[] = [];
  for (let lag = 1; lag <= maxLag; lag++) {
    let numerator = 0;
    for (let t = 0; t + lag < n; t++) numerator += (values[t]! - m) * (values[t + lag]! - m);
    result.push(denominator === 0 ? 0 : numerator / denominator);
  }
  return result;
}

/** Least-squares line through (1, y1) … (n, yn): linearTrend([1, 3, 5]) → { intercept: -1, slope: 2 }. */
export function linearTrend(values: readonly number[]): { intercept: number; slope: number } {
  const n = values.length;
  if (n === 0) return { intercept: Number.NaN, slope: 0 };
  if (n === 1) return { intercept: values[0]!, slope: 0 };
  const meanX = (n + 1) / 2;
  const meanY = mean(values);
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    const dx = t + 1 - meanX;
    sxy += dx * (values[t]! - meanY);
    sxx += dx * dx;
  }
  const slope = sxy / sxx;
  return { intercept: meanY - slope * meanX, slope };
}

/** Golden-section minimum of a function on [lower, upper]: goldenSection((x) => (x - 0.3) ** 2, 0, 1) ≈ 0.3. */
export function goldenSection(f: (x: number) => number, lower: number, upper: number, tolerance = 1e-4): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = lower;
  let b = upper;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tolerance) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/**
 * Nelder–Mead minimum of f over a box (points are clamped into it):
 * nelderMead(([x, y]) => (x - 1) ** 2 + (y - 2) ** 2, [0, 0], [[-5, 5], [-5, 5]]) ≈ [1, 2].
 * The points are preallocated and swapped, never rebuilt (the ETS family evaluates it thousands of times per
 * series); f must not keep the array it is given.
 */
export function nelderMead(
  f: (x: number[]) => number,
  start: readonly number[],
  bounds: ReadonlyArray<readonly [number, number]>,
  /** `spread`: stop only when every point is within this share of each bound's range of the best (default 1e-3). */
  options: { maxEvaluations?: number; tolerance?: number; step?: number; spread?: number } = {},
): { x: number[]; value: number } {
  const maxEvaluations = options.maxEvaluations ?? 200;
  const tolerance = options.tolerance ?? 1e-7;
  const step = options.step ?? 0.1;
  const dimension = start.length;
  const low = bounds.map((b) => b[0]);
  const high = bounds.map((b) => b[1]);
  const clampAt = (v: number, j: number) => Math.min(high[j]!, Math.max(low[j]!, v));
  let evaluations = 0;
  const evaluate = (x: number[]) => {
    evaluations++;
    const value = f(x);
    return Number.isFinite(value) ? value : Number.MAX_VALUE;
  };
  const simplex: { x: number[]; value: number }[] = [];
  const first = start.map(clampAt);
  simplex.push({ x: first, value: evaluate(first) });
  for (let i = 0; i < dimension; i++) {
    const point = [...first];
    const delta = step * (high[i]! - low[i]!);
    point[i] = point[i]! + delta <= high[i]! ? point[i]! + delta : point[i]! - delta;
    for (let j = 0; j < dimension; j++) point[j] = clampAt(point[j]!, j);
    simplex.push({ x: point, value: evaluate(point) });
  }
  const centroid = new Array<number>(dimension);
  let reflected = new Array<number>(dimension);
  let trial = new Array<number>(dimension);
  // The point centroid + t·(worst − centroid), clamped, written into `into`.
  const along = (t: number, worst: readonly number[], into: number[]) => {
    for (let j = 0; j < dimension; j++) into[j] = clampAt(centroid[j]! + t * (worst[j]! - centroid[j]!), j);
  };
  // Replaces the worst point's coordinates and value by `point` (the worst's old array becomes scratch).
  const replaceWorst = (point: number[], value: number): number[] => {
    const worst = simplex[dimension]!;
    const old = worst.x;
    worst.x = point;
    worst.value = value;
    return old;
  };
  while (evaluations < maxEvaluations) {
    // Stable insertion sort by value (the same order as Array.prototype.sort, which is stable).
    for (let i = 1; i <= dimension; i++) {
      const item = simplex[i]!;
      let k = i - 1;
      while (k >= 0 && simplex[k]!.value - item.value > 0) {
        simplex[k + 1] = simplex[k]!;
        k--;
      }
      simplex[k + 1] = item;
    }
    const best = simplex[0]!;
    const worst = simplex[dimension]!;
    let spread = 0;
    for (let i = 1; i <= dimension; i++) {
      for (let j = 0; j < dimension; j++) {
        const range = high[j]! - low[j]!;
        spread = Math.max(spread, Math.abs(simplex[i]!.x[j]! - best.x[j]!) / (range > 0 ? range : 1));
      }
    }
    if (Math.abs(worst.value - best.value) <= tolerance * (Math.abs(best.value) + 1e-12) && spread < (options.spread ?? 1e-3)) break;
    centroid.fill(0);
    for (let i = 0; i < dimension; i++) for (let j = 0; j < dimension; j++) centroid[j]! += simplex[i]!.x[j]! / dimension;
    along(-1, worst.x, reflected);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < best.value) {
      along(-2, worst.x, trial);
      const expandedValue = evaluate(trial);
      if (expandedValue < reflectedValue) trial = replaceWorst(trial, expandedValue);
      else reflected = replaceWorst(reflected, reflectedValue);
    } else if (reflectedValue < simplex[dimension - 1]!.value) {
      reflected = replaceWorst(reflected, reflectedValue);
    } else {
      along(reflectedValue < worst.value ? -0.5 : 0.5, worst.x, trial);
      const contractedValue = evaluate(trial);
      if (contractedValue < Math.min(reflectedValue, worst.value)) {
        trial = replaceWorst(trial, contractedValue);
      } else {
        for (let i = 1; i <= dimension; i++) {
          const point = simplex[i]!.x;
          for (let j = 0; j < dimension; j++) point[j] = clampAt(best.x[j]! + 0.5 * (point[j]! - best.x[j]!), j);
          simplex[i]!.value = evaluate(point);
        }
      }
    }
  }
  let result = simplex[0]!;
  for (let i = 1; i <= dimension; i++) if (simplex[i]!.value - result.value < 0) result = simplex[i]!;
  return { x: [...result.x], value: result.value };
}

/**
 * The non-decreasing sequence closest to `values` in weighted least squares (pool-adjacent-violators):
 * isotonicIncreasing([1, 3, 2, 4]) → [1, 2.5, 2.5, 4]. A running maximum would ratchet up on every noisy rise.
 */
export function isotonicIncreasing(values: readonly number[], weights?: readonly number[]): number[] {
  const blocks: Array<{ mean: number; weight: number; size: number }> = [];
  values.forEach((value, i) => {
    let block = { mean: value, weight: Math.max(weights?.[i] ?? 1, 1e-12), size: 1 };
    while (blocks.length > 0 && blocks[blocks.length - 1]!.mean > block.mean) {
      const last = blocks.pop()!;
      const weight = last.weight + block.weight;
      block = { mean: (last.mean * last.weight + block.mean * block.weight) / weight, weight, size: last.size + block.size };
    }
    blocks.push(block);
  });
  return blocks.flatMap((block) => new Array<number>(block.size).fill(block.mean));
}
