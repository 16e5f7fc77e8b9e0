import { goldenSection } from "../stats.ts";

/** A fitted exponential-smoothing model: its point forecast and in-sample one-step squared error. */
export interface SmoothingFit {
  forecast: number[];
  /** Sum of squared one-step-ahead errors in sample. */
  sse: number;
  /** Number of estimated parameters, initial states included. */
  parameters: number;
}

const ALPHA_MIN = 1e-4;
const ALPHA_MAX = 0.9999;

/**
 * SSE of simple exponential smoothing with smoothing `alpha` and the least-squares initial level
 * (the errors are linear in it), and the final level.
 */
export function sesCriterion(values: readonly number[], alpha: number): { sse: number; level: number } {
  const n = values.length;
  const keep = 1 - alpha;
  // Errors with initial level 0 (a), and their sensitivity to the initial level (b = keep^t).
  let level = 0;
  let b = 1;
  let sab = 0;
  let sbb = 0;
  let saa = 0;
  for (let t = 0; t < n; t++) {
    const a = values[t]! - level;
    sab += a * b;
    sbb += b * b;
    saa += a * a;
    level += alpha * a;
    b *= keep;
  }
  const initial = sbb > 0 ? sab / sbb : 0;
  const sse = Math.max(0, saa - 2 * initial * sab + initial * initial * sbb);
  // Final level is linear in the initial level with coefficient keep^n (= b now).
  return { sse, level: level + b * initial };
}

/** Simple exponential smoothing with smoothing parameter and initial level by least squares: ses([5, 5, 5], 2).forecast → [5, 5]. */
export function ses(values: readonly number[], horizon: number, alpha?: number): SmoothingFit {
  const n = values.length;
  if (n === 0) return { forecast: new Array<number>(horizon).fill(Number.NaN), sse: Number.NaN, parameters: 2 };
  if (n === 1) return { forecast: new Array<number>(horizon).fill(values[0]!), sse: 0, parameters: 2 };
  const chosen = alpha ?? optimiseAlpha(values);
  const { sse, level } = sesCriterion(values, chosen);
  return { forecast: new Array<number>(horizon).fill(level), sse, parameters: 2 };
}

/** The SSE-optimal smoothing parameter of SES, by a coarse grid then golden section. */
export function optimiseAlpha(values: readonly number[]): number {
  let best = ALPHA_MIN;
  let bestSse = Number.POSITIVE_INFINITY;
  const grid = [ALPHA_MIN, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.9, ALPHA_MAX];
  let bestIndex = 0;
  grid.forEach((alpha, i) => {
    const { sse } = sesCriterion(values, alpha);
    if (sse < bestSse) {
      bestSse = sse;
      best = alpha;
      bestIndex = i;
    }
  });
  const lower = grid[Math.max(0, bestIndex - 1)]!;
  const upper = grid[Math.min(grid.length - 1, bestIndex + 1)]!;
  const refined = goldenSection((alpha) => sesCriterion(values, alpha).sse, lower, upper, 1e-4);
  return sesCriterion(values, refined).sse <= bestSse ? refined : best;
}
