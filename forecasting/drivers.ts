/*
 * Forecasts of a planning driver (测算因素: participants, beneficiaries, a per-capita amount) from its
 * yearly history, for a year whose value is not yet known. Driver histories are a handful of yearly
 * values, far too short for the monthly models: the point forecast is the last known value (a random
 * walk, the forecast that is hardest to beat on short yearly series), and the interval grows with the
 * square root of the horizon from the history's own year-on-year relative changes (root mean square),
 * with at least DRIVER_MIN_SPREAD per year so that one or two equal values do not claim certainty.
 */

/** The smallest relative year-on-year spread an interval assumes (10% a year). */
export const DRIVER_MIN_SPREAD = 0.1;

const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

export interface DriverForecast {
  year: number;
  /** The point forecast (the last known value). */
  value: number;
  /** The year of the last known value it rests on. */
  from: number;
  /** The relative spread per year used (root mean square of the year-on-year changes, at least DRIVER_MIN_SPREAD). */
  spread: number;
  interval80: { lower: number; upper: number };
  interval95: { lower: number; upper: number };
}

/**
 * The forecast of a driver for `year` from its known values of earlier years, or undefined when none is
 * earlier. forecastDriver([{ year: 2022, value: 460 }, { year: 2023, value: 497 }], 2024)
 *   → { value: 497, from: 2023, spread: 0.1, interval80: { lower: 433.3…, upper: 560.6… }, … }
 */
export function forecastDriver(history: ReadonlyArray<{ year: number; value: number }>, year: number): DriverForecast | undefined {
  const known = history.filter((h) => h.year < year && Number.isFinite(h.value)).sort((a, b) => a.year - b.year);
  const last = known.at(-1);
  if (!last) return undefined;
  const changes: number[] = [];
  for (let k = 1; k < known.length; k++) {
    const before = known[k - 1]!;
    const after = known[k]!;
    if (before.value > 0) changes.push((after.value / before.value - 1) / Math.sqrt(after.year - before.year));
  }
  const rms = changes.length > 0 ? Math.sqrt(changes.reduce((s, c) => s + c * c, 0) / changes.length) : 0;
  const spread = Math.max(DRIVER_MIN_SPREAD, rms);
  const width = spread * Math.sqrt(year - last.year) * last.value;
  const band = (z: number) => ({ lower: Math.max(0, last.value - z * width), upper: last.value + z * width });
  return { year, value: last.value, from: last.year, spread, interval80: band(Z80), interval95: band(Z95) };
}
