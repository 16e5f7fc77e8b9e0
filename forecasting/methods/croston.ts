/**
 * Average inter-demand interval: periods per non-zero period (∞ when all are zero);
 * a series is intermittent from 1.32 (Syntetos–Boylan). averageDemandInterval([0, 3, 0, 0, 5, 0]) → 3.
 */
export function averageDemandInterval(values: readonly number[]): number {
  let nonZero = 0;
  for (const value of values) if (value !== 0) nonZero++;
  return nonZero === 0 ? Number.POSITIVE_INFINITY : values.length / nonZero;
}

/** The Syntetos–Boylan cut-off of the average demand interval above which Croston-type methods apply. */
export const INTERMITTENT_ADI = 1.32;

/** Whether a series is intermittent (ADI ≥ 1.32): isIntermittent([0, 3, 0, 0, 5, 0]) → true. */
export function isIntermittent(values: readonly number[]): boolean {
  return averageDemandInterval(values) >= INTERMITTENT_ADI;
}

/**
 * Croston's method with the Syntetos–Boylan bias correction (SBA): smoothed size ÷ smoothed interval × (1 − α/2).
 * crostonSba([0, 4, 0, 4], 2, 0.1) → [1.9, 1.9] (size 4, interval 2, × 0.95).
 */
export function crostonSba(values: readonly number[], horizon: number, alpha = 0.1): number[] {
  let size = Number.NaN;
  let interval = Number.NaN;
  let sinceLast = 0;
  for (const value of values) {
    sinceLast++;
    if (value === 0) continue;
    if (Number.isNaN(size)) {
      size = value;
      interval = sinceLast;
    } else {
      size += alpha * (value - size);
      interval += alpha * (sinceLast - interval);
    }
    sinceLast = 0;
  }
  const level = Number.isNaN(size) ? 0 : ((1 - alpha / 2) * size) / interval;
  return new Array<number>(horizon).fill(level);
}

/**
 * Teunter–Syntetos–Babai (TSB): demand probability updated every period, size on demand periods; forecast = p × size.
 * tsb([0, 4, 0, 4], 1, 0.1, 0.1) → [≈ 2] (probability ½ from the start, size 4).
 */
export function tsb(values: readonly number[], horizon: number, alpha = 0.1, beta = 0.1): number[] {
  let nonZero = 0;
  let total = 0;
  for (const value of values) {
    if (value !== 0) {
      nonZero++;
      total += value;
    }
  }
  if (nonZero === 0) return new Array<number>(horizon).fill(0);
  let probability = nonZero / values.length;
  let size = total / nonZero;
  for (const value of values) {
    if (value !== 0) {
      probability += beta * (1 - probability);
      size += alpha * (value - size);
    } else {
      probability += beta * (0 - probability);
    }
  }
  return new Array<number>(horizon).fill(probability * size);
}
