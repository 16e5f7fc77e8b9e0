/**
 * HELD-OUT forecasting benchmark: synthetic monthly series.
 *
 * This set is HELD OUT. It was designed independently of the project's forecasting library. It was written
 * without reading the library, its design notes or the project's own benchmark generators, using only general
 * knowledge of real monthly economic and administrative series. Use it only to evaluate a finished method.
 * NEVER use it for tuning: no parameter search, no model or rule selection, no repeated "just checking"
 * runs followed by tweaks. After it has been used to tune anything, it is no longer held out, and a new set
 * (new design, new seed) is needed.
 *
 * Shape: `values` is the history followed by the hold-out. The last `horizon` values are the hold-out
 * (24 for about 2/3 of the series, 12 for the rest). History is 36-300 months: about 20% have 36-48, most
 * have 60-180. Each series sits on a real calendar (it ends between 2006 and 2030), so Chinese New Year (real
 * dates, table below), leap Februaries, days per month, the 2008 crisis and the March 2020 shock fall on
 * their real months. The start month is not exposed.
 *
 * Categories (equal shares, assigned round-robin; parameters drawn widely inside each):
 *  tourism    arrivals/nights. Multiplicative log-seasonality of four kinds: summer resort, winter/ski,
 *             city (summer + Easter + autumn), Chinese domestic (CNY, May and October golden weeks).
 *             Amplitude drifts slowly. Log trend with 1-2 slope changes. A March 2020 collapse (-40..-92%,
 *             recovering over 1-3 years) or a random shock (-15..-50%, recovering over 10-26 months). AR(1) noise.
 *  retail     sales. Mix of additive and multiplicative seasonality with a December peak, a smaller November
 *             peak, an optional back-to-school bump and a January-February trough. Trading-day (days in month)
 *             effect. Pre-CNY shopping boost split between Dec, Jan and Feb by the real CNY date. Slow trend,
 *             optional level shift, AR(1) noise.
 *  health     patient counts or claim amounts (count x unit cost with inflation). Poisson counts with
 *             log-normal overdispersion. 40% have means of 3-30, so zeros occur. Winter flu peak whose
 *             severity changes from season to season, or a summer peak. 0-3 policy level shifts of
 *             +/-10-50%, some ramped in. Optional CNY dip, optional 2020 dip, mild trend.
 *  payments   public-finance payments. Monthly, every other month, quarterly, or monthly plus quarterly
 *             batches. Low January, quarter-end and December spikes, year-end top-ups. Growth and policy
 *             steps each January. Skipped batches paid with the next one, one-off lumps, some zero months.
 *  industrial production index or volume. Trend with slope changes, business cycle (two sinusoids, 3-8 years),
 *             2008-09 or random recession, 2020 dip. Additive seasonality that scales partly with the level:
 *             year-end push, optional August shutdown, Spring Festival dip placed by the real CNY date.
 *             Trading days, AR(1) errors.
 *  energy     electricity/gas demand. Heating peak plus cooling peak, with a winter/summer weighting that
 *             shifts slowly. Weather anomalies act through heating or cooling intensity. Trend, days per month,
 *             optional CNY dip, outliers (single spikes, or billing shifted into the next month).
 *
 * Deterministic for a seed. Series i depends only on (seed, i), so a smaller `count` gives a prefix of the set.
 */

export interface HeldoutSeries { id: string; category: string; horizon: number; values: number[] }

// ---------- seeded PRNG: mulberry32 + Box-Muller ----------
class Rng {
  private s: number;
  private spare: number | null = null;
  constructor(seed: number) {
    this.s = seed | 0;
    for (let i = 0; i < 4; i++) this.next();
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = Math.imul(this.s ^ (this.s >>> 15), 1 | this.s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  u(a: number, b: number): number { return a + (b - a) * this.next(); }
  int(a: number, b: number): number { return a + Math.floor((b - a + 1) * this.next()); } // inclusive
  logU(a: number, b: number): number { return Math.exp(this.u(Math.log(a), Math.log(b))); }
  chance(p: number): boolean { return this.next() < p; }
  sign(): number { return this.next() < 0.5 ? -1 : 1; }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)]!; }
  norm(mu = 0, sd = 1): number {
    if (this.spare !== null) { const z = this.spare; this.spare = null; return mu + sd * z; }
    const rad = Math.sqrt(-2 * Math.log(1 - this.next())), th = 2 * Math.PI * this.next();
    this.spare = rad * Math.sin(th);
    return mu + sd * rad * Math.cos(th);
  }
  poisson(lam: number): number {
    if (!(lam > 0)) return 0;
    if (lam >= 40) return Math.max(0, Math.round(this.norm(lam, Math.sqrt(lam))));
    const L = Math.exp(-lam);
    let k = 0, p = this.next();
    while (p > L) { k++; p *= this.next(); }
    return k;
  }
}

function mix32(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------- calendar: month index 0 = January 1995 ----------
const Y0 = 1995;
const COVID = (2020 - Y0) * 12 + 2; // March 2020
const GFC = (2008 - Y0) * 12 + 9; // October 2008
const END_MIN = (2006 - Y0) * 12, END_MAX = (2030 - Y0) * 12 + 11;
// Chinese New Year as day of year (Jan 1 = 1), 1995..2036
const CNY_DOY = [
  31, 50, 38, 28, 47, 36, 24, 43, 32, 22, 40, 29, 49, 38, 26, 45, 34, 23, 41, 31, 50,
  39, 28, 47, 36, 25, 43, 32, 22, 41, 29, 48, 37, 26, 44, 34, 23, 42, 31, 50, 39, 28,
];
const DIM = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const yearOf = (abs: number): number => Y0 + Math.floor(abs / 12);
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (abs: number): number => (abs % 12 === 1 && isLeap(yearOf(abs)) ? 29 : DIM[abs % 12]!);

/** Share of the day window [CNY+from, CNY+to] (inclusive) falling in calendar month `abs`. */
function cnyShare(abs: number, from: number, to: number): number {
  const m = abs % 12;
  if (m > 2 && m < 11) return 0;
  const y = yearOf(abs) + (m === 11 ? 1 : 0);
  const c = CNY_DOY[Math.min(Math.max(y - Y0, 0), CNY_DOY.length - 1)]!;
  const lp = isLeap(y) ? 1 : 0;
  const [lo, hi] = m === 11 ? [-30, 0] : m === 0 ? [1, 31] : m === 1 ? [32, 59 + lp] : [60 + lp, 90 + lp];
  return Math.max(0, Math.min(hi, c + to) - Math.max(lo, c + from) + 1) / (to - from + 1);
}

// ---------- building blocks ----------
type Bump = [center: number, width: number, weight: number]; // center in months, 0 = January
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

function bumps(bs: Bump[]): number[] {
  return Array.from({ length: 12 }, (_, m) =>
    bs.reduce((s, [c, w, a]) => {
      const d = ((((m - c) % 12) + 18) % 12) - 6; // circular distance in months
      return s + a * Math.exp(-0.5 * (d / w) ** 2);
    }, 0));
}

/** Centre a 12-month profile on zero; optionally scale it so that max - min = 1. */
function norm12(p: number[], range = true): number[] {
  const mean = p.reduce((a, b) => a + b, 0) / p.length;
  const q = p.map((v) => v - mean);
  if (!range) return q;
  const r = Math.max(...q) - Math.min(...q) || 1;
  return q.map((v) => v / r);
}

function harmonics(r: Rng, amp: number): number[] {
  const ks = [1, 2, 3].map((k) => [k, (amp * r.next()) / k, r.u(0, 2 * Math.PI)] as const);
  return Array.from({ length: 12 }, (_, m) =>
    ks.reduce((s, [k, a, ph]) => s + a * Math.cos((2 * Math.PI * k * m) / 12 + ph), 0));
}

/** Log-level path: annual slope ~ N(mu, sd), changed by N(0, breakSd) at `breaks` random dates. */
function logTrend(r: Rng, n: number, mu: number, sd: number, breaks: number, breakSd: number): number[] {
  const bp = Array.from({ length: breaks }, () => r.int(6, n - 3));
  let slope = r.norm(mu, sd) / 12, lvl = 0;
  const out: number[] = [];
  for (let t = 0; t < n; t++) {
    for (const b of bp) if (b === t) slope += r.norm(0, breakSd) / 12;
    out.push(lvl);
    lvl += slope;
  }
  return out;
}

function ar1(r: Rng, n: number, phi: number, sd: number): number[] {
  let e = r.norm(0, sd / Math.sqrt(1 - phi * phi));
  const out: number[] = [];
  for (let t = 0; t < n; t++) { out.push(e); e = phi * e + r.norm(0, sd); }
  return out;
}

/** Log multiplier of a shock: falls to (1-depth) over `down` months, recovers over `rec` months, keeps `keep` of the loss. */
function dip(n: number, t0: number, depth: number, down: number, rec: number, keep: number): number[] {
  const lo = Math.log(1 - depth);
  return Array.from({ length: n }, (_, t) => {
    const k = t - t0;
    if (k < 0) return 0;
    if (k < down) return (lo * (k + 1)) / down;
    return lo * (1 - Math.min(1, (k - down + 1) / rec) ** 0.8 * (1 - keep));
  });
}

/** k permanent level shifts of +/-[lo, hi] (relative), each ramped in over 0..maxRamp months. */
function levelShifts(r: Rng, n: number, k: number, lo: number, hi: number, maxRamp: number): number[] {
  const out = zeros(n);
  for (let j = 0; j < k; j++) {
    const t0 = r.int(3, n - 1), d = Math.log(1 + r.sign() * r.u(lo, hi)), ramp = r.int(0, maxRamp);
    for (let t = t0; t < n; t++) out[t] = out[t]! + d * Math.min(1, (t - t0 + 1) / (ramp + 1));
  }
  return out;
}

const spans = (s0: number, n: number, at: number, before: number, after: number): boolean =>
  s0 <= at - before && s0 + n > at + after;

type Gen = (r: Rng, n: number, s0: number) => number[];

// ---------- categories ----------
const tourism: Gen = (r, n, s0) => {
  const L = Math.log(r.logU(300, 3e6));
  const kind = r.int(0, 3);
  const j = (): number => r.u(-0.4, 0.4);
  const peaks: Bump[] =
    kind === 0 ? [[6.6 + j(), r.u(0.7, 1.6), 1], [11.8, 0.5, r.u(0, 0.3)]] // summer resort
      : kind === 1 ? [[0.9 + j(), r.u(0.8, 1.4), 1], [11.6, 0.5, r.u(0.2, 0.6)], [7, 1, r.u(0, 0.4)]] // ski / winter sun
        : kind === 2 ? [[7 + j(), r.u(1, 1.8), 1], [3.4, 0.6, r.u(0.1, 0.5)], [9.5, 0.8, r.u(0, 0.4)]] // city
          : [[4.1, 0.4, r.u(0.2, 0.6)], [7.2, 1, r.u(0.3, 0.8)], [9.1, 0.4, r.u(0.4, 1)]]; // Chinese domestic
  const prof = norm12(bumps(peaks));
  const amp = r.u(0.35, 1.7), ampDrift = r.norm(0, 0.025);
  const cnyW = kind === 3 ? r.u(0.3, 0.9) : 0;
  const tr = logTrend(r, n, 0.035, 0.045, r.int(1, 2), 0.07);
  const sh = spans(s0, n, COVID, 12, 2) && r.chance(0.7)
    ? dip(n, COVID - s0, r.u(0.4, 0.92), r.int(1, 2), r.int(12, 36), r.u(0, 0.25))
    : r.chance(0.35) ? dip(n, r.int(6, n - 3), r.u(0.15, 0.5), 1, r.int(10, 26), r.u(0, 0.3)) : zeros(n);
  const e = ar1(r, n, r.u(0, 0.6), r.u(0.025, 0.09));
  return Array.from({ length: n }, (_, t) => {
    const abs = s0 + t;
    const s = amp * Math.exp((ampDrift * t) / 12) * prof[abs % 12]! + cnyW * cnyShare(abs, -2, 6);
    return Math.exp(L + tr[t]! + s + sh[t]! + e[t]!);
  });
};

const retail: Gen = (r, n, s0) => {
  const L0 = r.logU(500, 5e6);
  const prof = norm12(bumps([
    [11, r.u(0.3, 0.5), 1], [10, 0.35, r.u(0, 0.4)], [7.6, 0.7, r.u(-0.15, 0.25)], [1.2, 0.9, -r.u(0.1, 0.5)],
  ]));
  const amp = r.u(0.15, 0.7), mix = r.u(0.2, 1);
  const S = prof.map((v) => Math.exp(amp * v) - 1);
  const tr = logTrend(r, n, 0.035, 0.03, r.int(0, 2), 0.035);
  const ls = levelShifts(r, n, r.chance(0.3) ? 1 : 0, 0.05, 0.2, 0);
  const cnyW = r.chance(0.6) ? r.u(0.08, 0.4) : 0, td = r.u(0.3, 1);
  const e = ar1(r, n, r.u(0.2, 0.8), r.u(0.012, 0.05));
  return Array.from({ length: n }, (_, t) => {
    const abs = s0 + t, m = abs % 12;
    const lvl = L0 * Math.exp(tr[t]! + ls[t]!);
    const base = Math.max(0.05 * lvl, lvl * (1 + mix * S[m]!) + (1 - mix) * L0 * S[m]!);
    const cal = (1 + td * (daysIn(abs) / 30.44 - 1)) * (1 + cnyW * (cnyShare(abs, -24, -1) - 0.35 * cnyShare(abs, 0, 6)));
    return base * cal * Math.exp(e[t]!);
  });
};

const health: Gen = (r, n, s0) => {
  const tier = r.next();
  const lam0 = tier < 0.4 ? r.logU(3, 30) : tier < 0.8 ? r.logU(30, 300) : r.logU(300, 5000);
  const summer = r.chance(0.25);
  const prof = norm12(bumps(summer
    ? [[r.u(5.5, 7.5), r.u(1, 2), 1]]
    : [[r.u(-0.5, 1.5), r.u(0.8, 1.6), 1], [r.u(2.5, 3.5), 0.6, r.u(0, 0.3)]]));
  const amp = summer ? r.u(0.05, 0.3) : r.u(0.08, 0.5), sevSd = summer ? 0.1 : r.u(0.1, 0.45);
  const sev = Array.from({ length: Math.ceil(n / 12) + 2 }, () => Math.exp(r.norm(0, sevSd)));
  const tr = logTrend(r, n, 0.02, 0.04, r.int(0, 1), 0.04);
  const ls = levelShifts(r, n, r.int(0, 3), 0.1, 0.5, 6);
  const cv = spans(s0, n, COVID, 6, 2) && r.chance(0.4)
    ? dip(n, COVID - s0, r.u(0.1, 0.4), 1, r.int(3, 12), r.u(0, 0.2)) : zeros(n);
  const cnyDip = r.chance(0.4) ? r.u(0.1, 0.4) : 0, od = tier < 0.4 ? r.u(0.05, 0.45) : r.u(0.02, 0.2);
  const cost = r.chance(0.3) ? r.logU(40, 3000) : 0, infl = r.u(0, 0.06);
  const season0 = Math.floor((s0 + 5) / 12);
  return Array.from({ length: n }, (_, t) => {
    const abs = s0 + t, p = prof[abs % 12]!;
    const seas = amp * p * (p > 0 ? sev[Math.floor((abs + 5) / 12) - season0]! : 1);
    const lam = lam0 * Math.exp(tr[t]! + ls[t]! + cv[t]! + seas + r.norm(-od * od / 2, od))
      * (daysIn(abs) / 30.44) * (1 - cnyDip * cnyShare(abs, 0, 6));
    const k = r.poisson(lam);
    return cost ? k * cost * Math.exp((infl * t) / 12 + r.norm(0, 0.08)) : k;
  });
};

const payments: Gen = (r, n, s0) => {
  const base = r.logU(2e4, 5e7);
  const kind = r.pick(["monthly", "monthly", "monthly", "bimonthly", "quarterly", "quarterly", "mixed", "mixed"] as const);
  const ph2 = r.int(0, 1), ph3 = r.pick([0, 1, 2, 2]); // 2 = quarter-end months
  const g = r.u(-0.02, 0.1), stepP = r.u(0, 0.25);
  const qe = r.u(1, 1.8), dec = r.u(1.2, 4), jan = r.u(0.15, 0.95);
  const sd = r.u(0.05, 0.35), lumpP = r.u(0, 0.04), skipP = r.u(0, 0.08);
  const zeroP = kind === "monthly" && r.chance(0.25) ? r.u(0.01, 0.06) : 0;
  const yeTop = kind !== "monthly" && r.chance(0.5) ? r.u(0.3, 1.5) : 0;
  const qShare = kind === "mixed" ? r.u(0.2, 0.6) : 1;
  const monthlyPart = kind === "monthly" ? 1 : kind === "mixed" ? 1 - qShare : 0;
  const noise = (): number => Math.exp(r.norm(-sd * sd / 2, sd));
  let lvl = 1, carry = 0;
  const out: number[] = [];
  for (let t = 0; t < n; t++) {
    const m = (s0 + t) % 12;
    if (m === 0 && t > 0) {
      lvl *= Math.exp(r.norm(g, 0.04));
      if (r.chance(stepP)) lvl *= 1 + r.sign() * r.u(0.15, 0.45);
    }
    const seasonal = m === 11 ? dec : m === 0 ? jan : m % 3 === 2 ? qe : 1;
    let v = 0;
    if (monthlyPart > 0 && !r.chance(zeroP)) v += base * lvl * monthlyPart * seasonal * noise();
    const due = kind === "bimonthly" ? m % 2 === ph2 : kind !== "monthly" && m % 3 === ph3;
    if (due) {
      let amt = base * lvl * qShare * (kind === "bimonthly" ? 2 : 3) * noise() * (m === 11 ? Math.sqrt(dec) : 1) + carry;
      if (r.chance(skipP)) { carry = amt; amt = 0; } else carry = 0;
      v += amt;
    }
    if (m === 11 && yeTop) v += base * lvl * yeTop * noise();
    if (r.chance(lumpP)) v *= r.u(1.5, 5);
    out.push(v);
  }
  return out;
};

const industrial: Gen = (r, n, s0) => {
  const L0 = r.chance(0.5) ? r.u(60, 140) : r.logU(1e3, 1e6);
  const tr = logTrend(r, n, 0.04, 0.035, r.int(1, 2), 0.04);
  const ca = r.u(0.01, 0.07), P = r.u(36, 100), ph = r.u(0, 2 * Math.PI);
  const ca2 = ca * r.u(0, 0.5), P2 = P * r.u(0.35, 0.6), ph2 = r.u(0, 2 * Math.PI);
  const rec = spans(s0, n, GFC, 6, 3) && r.chance(0.6)
    ? dip(n, GFC - s0, r.u(0.08, 0.3), r.int(3, 8), r.int(10, 30), r.u(0, 0.5))
    : r.chance(0.3) ? dip(n, r.int(6, n - 3), r.u(0.04, 0.15), r.int(2, 6), r.int(8, 24), r.u(0, 0.5)) : zeros(n);
  const cv = spans(s0, n, COVID, 6, 2) && r.chance(0.5)
    ? dip(n, COVID - s0 - r.int(0, 1), r.u(0.1, 0.3), 1, r.int(3, 8), r.u(0, 0.1)) : zeros(n);
  const raw = harmonics(r, r.u(0.01, 0.05));
  raw[11] = raw[11]! + r.u(0, 0.08); // year-end push
  if (r.chance(0.3)) raw[7] = raw[7]! - r.u(0.05, 0.3); // August shutdown
  const seas = norm12(raw, false);
  const cnyW = r.chance(0.65) ? r.u(0.1, 0.35) : 0, td = r.u(0.3, 1), kappa = r.u(0, 1);
  const e = ar1(r, n, r.u(0.3, 0.9), r.u(0.005, 0.025));
  return Array.from({ length: n }, (_, t) => {
    const abs = s0 + t;
    const cyc = ca * Math.sin((2 * Math.PI * t) / P + ph) + ca2 * Math.sin((2 * Math.PI * t) / P2 + ph2);
    const lvl = L0 * Math.exp(tr[t]! + cyc + rec[t]! + cv[t]!);
    const unit = L0 * Math.exp(kappa * tr[t]!);
    const cal = td * (daysIn(abs) / 30.44 - 1) - cnyW * cnyShare(abs, -1, 13);
    return Math.max(0.05 * lvl, lvl * (1 + cal) + unit * (seas[abs % 12]! + e[t]!));
  });
};

const energy: Gen = (r, n, s0) => {
  const L = Math.log(r.logU(500, 5e6));
  const cold = bumps([[r.u(-0.4, 0.7), r.u(0.9, 1.6), 1]]), heat = bumps([[r.u(6.2, 7.3), r.u(0.7, 1.3), 1]]);
  const cMean = cold.reduce((a, b) => a + b, 0) / 12, hMean = heat.reduce((a, b) => a + b, 0) / 12;
  const w0 = r.next(), dw = r.norm(-0.01, 0.015); // winter weight, drifting per year (AC adoption etc.)
  const amp = r.u(0.1, 0.6), beta = r.u(0.02, 0.07);
  const wx = ar1(r, n, 0.3, 1);
  const tr = logTrend(r, n, 0.025, 0.025, r.int(0, 2), 0.03);
  const outP = r.u(0, 0.025), cnyW = r.chance(0.4) ? r.u(0.03, 0.15) : 0;
  const e = ar1(r, n, r.u(0, 0.5), r.u(0.008, 0.035));
  const out = Array.from({ length: n }, (_, t) => {
    const abs = s0 + t, m = abs % 12;
    const w = Math.min(1, Math.max(0, w0 + (dw * t) / 12));
    const c = w * (cold[m]! - cMean), h = (1 - w) * (heat[m]! - hMean);
    const weather = beta * wx[t]! * ((1 - w) * heat[m]! - w * cold[m]!); // warm anomaly: more cooling, less heating
    return Math.exp(L + tr[t]! + amp * (c + h) + weather + e[t]!)
      * (daysIn(abs) / 30.44) * (1 - cnyW * cnyShare(abs, 0, 9));
  });
  for (let t = 0; t < n; t++) {
    if (!r.chance(outP)) continue;
    if (r.chance(0.5) || t + 1 >= n) out[t] = out[t]! * (r.chance(0.5) ? r.u(1.2, 1.6) : r.u(0.5, 0.8));
    else { const moved = out[t]! * r.u(0.2, 0.5); out[t] = out[t]! - moved; out[t + 1] = out[t + 1]! + moved; }
  }
  return out;
};

const CATEGORIES: ReadonlyArray<readonly [string, Gen]> = [
  ["tourism", tourism], ["retail", retail], ["health", health],
  ["payments", payments], ["industrial", industrial], ["energy", energy],
];

function historyLength(r: Rng): number {
  const u = r.next();
  if (u < 0.2) return r.int(36, 48);
  if (u < 0.78) return r.int(60, 180);
  if (u < 0.88) return r.int(49, 59);
  return r.int(181, 300);
}

export function generateHeldout(options: { seed?: number; count?: number } = {}): HeldoutSeries[] {
  const seed = options.seed ?? 20261204, count = options.count ?? 600;
  const out: HeldoutSeries[] = [];
  for (let i = 0; i < count; i++) {
    const r = new Rng(mix32(seed, i));
    const [category, gen] = CATEGORIES[i % CATEGORIES.length]!;
    const horizon = r.chance(2 / 3) ? 24 : 12;
    const n = historyLength(r) + horizon;
    const end = r.int(Math.max(n - 1, END_MIN), END_MAX);
    const values = gen(r, n, end - n + 1).map((v) => (Number.isFinite(v) && v > 0 ? Math.round(v * 100) / 100 : 0));
    out.push({ id: `${category}-${String(i).padStart(4, "0")}`, category, horizon, values });
  }
  return out;
}
