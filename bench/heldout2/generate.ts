/**
 * Held-out forecasting benchmark, set 2 ("heldout2"). THIS SET IS HELD OUT.
 * It was designed independently of the forecasting library, of the library's own generated
 * tuning series and of the earlier held-out set (none of them was read while writing it), only
 * from how real monthly series published by statistics offices, ministries, hospitals,
 * utilities, transport operators and companies behave. Use it ONCE to evaluate a finished
 * method; never tune parameters, model choices, thresholds or defaults against it. Once it has
 * been used for tuning it is no longer held out and a new, independently designed set is needed.
 *
 * `values` = history followed by the hold-out (the last `horizon` = 18 or 24 values). Histories
 * are 36-240 months (about a quarter 36-60). Each series sits on a real calendar ending between
 * 2013 and mid-2026, so weekdays, leap years, Easter, Chinese New Year, the 2008-09 recession and
 * the 2020 pandemic fall where they fell; a series follows Chinese New Year, Easter or neither,
 * and ~15% have southern-hemisphere seasons. Categories (75 series each at the default 600):
 *  - transport_passengers: air traffic (summer/December peaks, holiday travel rush) or commuter
 *    rail (working days, August dip); slope breaks, pandemic collapse and partial recovery,
 *    2022 lockdown dips, strikes, route/line openings or cuts.
 *  - hospital_activity: outpatient visits (working days, holidays), emergency admissions (flu
 *    seasons of varying size and timing) or nearly flat bed-days; Poisson counts, new wings or
 *    closures, pandemic dip, reporting glitches with catch-up.
 *  - unemployment_claims: strong January/July seasonality, trendless mean-reverting level,
 *    2008-09 and 2020 surges with decay, random downturns (some in the hold-out), eligibility
 *    tightening, mass-layoff spikes; negative-binomial counts.
 *  - construction_permits: counts (small areas give zeros) or values; long building cycles, the
 *    2006-09 housing bust, winter troughs of changing depth, lumpy projects, a rush before a
 *    regulation change, high noise.
 *  - tax_receipts: VAT (January high), corporate income tax (quarterly prepayments plus an annual
 *    settlement month), property tax (two instalments, other months zero or tiny) or transaction
 *    taxes (housing cycle); rate changes, deadline slips, 2020 deferrals, refunds and windfalls.
 *  - product_sales: pharmaceutical/consumer products: established, launched (zeros before launch,
 *    S-curve uptake), losing exclusivity (generic cliff) or intermittent low-volume; promotions
 *    with post-promotion dips, stock-outs, price steps, rare discontinuation in the hold-out.
 *  - utility_consumption: electricity (winter and summer peaks), water (summer peak, drought
 *    restrictions), gas (heating, 2022 price shock) or a nearly flat industrial load; weather
 *    anomalies with a warming drift, estimated meter reads, bimonthly billing (zero months)
 *    until a smart-meter switch.
 *  - social_assistance: caseloads (smooth, slow trends, policy steps, lagged recession effects)
 *    and benefit payments (January indexation, 13th-month and one-off payments, weekend pay-date
 *    shifts leaving zero months, quarterly, twice-yearly or annual payments).
 * Noise ranges from ~0.2% (bed-days, flat loads, caseloads) to 30%+ (permits, transaction taxes,
 * intermittent products). All values are finite, >= 0 and rounded to 2 decimals.
 */

export interface HeldoutSeries { id: string; category: string; horizon: number; values: number[] }

// ---------------------------------------------------------------- PRNG (sfc32, splitmix32 seeding)
class Rng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: number, stream: number) {
    let s = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
    const mix = (): number => {
      let z = (s = (s + 0x9e3779b9) | 0);
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b); z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix(); this.b = mix(); this.c = mix(); this.d = mix(); for (let i = 0; i < 12; i++) this.u();
  }
  u(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) + t | 0;
    return (t >>> 0) / 4294967296;
  }
  uni(lo: number, hi: number): number { return lo + (hi - lo) * this.u(); }
  int(lo: number, hi: number): number { return lo + Math.floor((hi - lo + 1) * this.u()); }
  logu(lo: number, hi: number): number { return Math.exp(this.uni(Math.log(lo), Math.log(hi))); }
  chance(p: number): boolean { return this.u() < p; }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.u() * xs.length)]!; }
  norm(): number { return Math.sqrt(-2 * Math.log(Math.max(this.u(), 1e-12))) * Math.cos(2 * Math.PI * this.u()); }
  gamma(k: number): number { // Marsaglia-Tsang
    if (k < 1) return this.gamma(k + 1) * Math.pow(Math.max(this.u(), 1e-12), 1 / k);
    const d = k - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const z = this.norm(), v = (1 + c * z) ** 3;
      if (1 + c * z > 0 && Math.log(Math.max(this.u(), 1e-12)) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
    }
  }
  pois(lam: number): number {
    if (!(lam > 0)) return 0;
    if (lam < 40) { const L = Math.exp(-lam); let k = 0, p = this.u(); while (p > L) { k++; p *= this.u(); } return k; }
    return Math.max(0, Math.round(lam + Math.sqrt(lam) * this.norm()));
  }
  negbin(mu: number, size: number): number { return this.pois((this.gamma(size) * mu) / size); }
}

// ---------------------------------------------------------------- calendar 1988-2027
interface Month { y: number; m: number; days: number; wd: number; dow1: number; cny: number; rush: number; easter: number; eb: number }
const Y0 = 1988, Y1 = 2027;
// Chinese New Year as day of year (Jan d = d, Feb d = 31 + d), 1988..2027
const CNY = [48, 37, 27, 46, 35, 23, 41, 31, 50, 38, 28, 47, 36, 24, 43, 32, 22, 40, 29, 49,
  38, 26, 45, 34, 23, 41, 31, 50, 39, 28, 47, 36, 25, 43, 32, 22, 41, 29, 48, 37];
function easterDoy(y: number): number { // anonymous Gregorian algorithm
  const a = y % 19, b = Math.floor(y / 100), c = y % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, mm = Math.floor((a + 11 * h + 22 * l) / 114);
  const month = Math.floor((h + l - 7 * mm + 114) / 31), day = ((h + l - 7 * mm + 114) % 31) + 1;
  return Math.round((Date.UTC(y, month - 1, day) - Date.UTC(y, 0, 1)) / 86400000) + 1;
}
let CAL: Month[] | null = null;
function calendar(): Month[] {
  if (CAL) return CAL;
  const out: Month[] = [];
  for (let y = Y0; y <= Y1; y++) {
    const share = (start: number, len: number): number[] => {
      const s = new Array<number>(12).fill(0);
      for (let k = 0; k < len; k++) { const mo = new Date(Date.UTC(y, 0, start + k)).getUTCMonth(); s[mo] = s[mo]! + 1 / len; }
      return s;
    };
    const c = CNY[y - Y0]!, e = easterDoy(y);
    const gw = share(c - 1, 7), rush = share(c - 15, 40), eh = share(e - 2, 4), eb = share(e - 7, 15);
    for (let m = 0; m < 12; m++) {
      const days = new Date(Date.UTC(y, m + 1, 0)).getUTCDate(), dow1 = new Date(Date.UTC(y, m, 1)).getUTCDay();
      let wd = 0; for (let d = 0; d < days; d++) if ((dow1 + d) % 7 >= 1 && (dow1 + d) % 7 <= 5) wd++;
      out.push({ y, m, days, wd, dow1, cny: gw[m]!, rush: rush[m]!, easter: eh[m]!, eb: eb[m]! });
    }
  }
  return (CAL = out);
}

// ---------------------------------------------------------------- building blocks
type Hol = 'cny' | 'easter' | 'none';
interface Ctx { r: Rng; n: number; hist: number; h: number; cal: Month[]; hol: Hol; south: boolean; at: (y: number, m: number) => number }
const NEVER = 1e9;
const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));
const ramp = (t: number, t0: number, len: number): number => clamp01((t - t0 + 1) / Math.max(1, len));
/** rise over `rise` months to `size` (log), then decay with half-life `half` */
const bump = (t: number, t0: number, size: number, rise: number, half: number): number =>
  t < t0 ? 0 : t - t0 < rise ? (size * (t - t0 + 1)) / rise : size * Math.pow(0.5, (t - t0 - rise + 1) / half);
/** working days: weekdays less New Year, Christmas/year-end and the moving holiday */
const work = (c: Month, hol: Hol): number =>
  c.wd - (hol === 'cny' ? 5 * c.cny : hol === 'easter' ? 2 * c.easter : 0) - (c.m === 0 || c.m === 11 ? 1 : 0);
/** event time: inside the hold-out with probability pHold, otherwise in the history */
const when = (x: Ctx, pHold: number): number => (x.r.chance(pHold) ? x.hist + x.r.int(0, x.h - 4) : x.r.int(12, x.hist - 6));
function ar1(r: Rng, n: number, phi: number, sd: number): number[] {
  const out: number[] = [];
  for (let t = 0, v = (sd * r.norm()) / Math.sqrt(1 - phi * phi); t < n; t++) { out.push(v); v = phi * v + sd * r.norm(); }
  return out;
}
/** piecewise-linear log trend with up to two slope breaks (possibly inside the hold-out) */
function trendLog(x: Ctx, g: number, brk: number): number[] {
  const { r, n } = x;
  const [b1, b2] = [r.chance(0.5) ? r.int(6, n - 1) : NEVER, r.chance(0.2) ? r.int(6, n - 1) : NEVER].sort((a, b) => a - b) as [number, number];
  const g1 = g + brk * r.norm(), g2 = g1 + brk * r.norm(), out: number[] = [];
  for (let t = 0, v = 0; t < n; t++) { out.push(v); v += t >= b2 ? g2 : t >= b1 ? g1 : g; }
  return out;
}
/** log seasonal factors: jittered base profile, drifting amplitude, optional gradual change of shape */
function seasonLog(x: Ctx, base: readonly number[], amp: number, jitter: number, ampDrift = 0, shapeShift = 0, climate = false): number[] {
  const { r, n } = x, rot = climate && x.south ? 6 : 0;
  const mk = (j: number): number[] => base.map((_, m) => base[(m + rot) % 12]! + j * r.norm()).map((v, _, p) => v - p.reduce((a, b) => a + b, 0) / 12);
  const p1 = mk(jitter), p2 = mk(jitter * 3), tb = r.int(0, n - 1), len = r.int(12, 60);
  return x.cal.map((c, t) => {
    const w = shapeShift * clamp01((t - tb) / len);
    return amp * Math.max(0, 1 + ampDrift * (t / n - 0.5)) * ((1 - w) * p1[c.m]! + w * p2[c.m]!);
  });
}
const shocks = (x: Ctx, rate: number, lo: number, hi: number): number[] => x.cal.map(() => (x.r.chance(rate) ? Math.log(x.r.uni(lo, hi)) : 0));
function moveMass(v: number[], from: number, to: number, frac: number): void {
  if (from < 0 || to < 0 || from >= v.length || to >= v.length) return;
  const d = v[from]! * frac; v[from] = v[from]! - d; v[to] = v[to]! + d;
}
/** pandemic path (log): partial hit at tc (March 2020), collapse the month after, recovery over `recov` months to a permanent `scar` */
const pandemic = (t: number, tc: number, depth: number, recov: number, scar: number): number =>
  t < tc ? 0 : t === tc ? depth * 0.35 : depth + (scar - depth) * Math.pow(clamp01((t - tc - 1) / recov), 0.8);

const P = {
  air: [-0.2, -0.22, -0.04, 0, 0.04, 0.1, 0.23, 0.26, 0.07, 0.02, -0.17, -0.01], commuter: [-0.06, -0.03, 0.04, 0.02, 0.03, 0.01, -0.06, -0.16, 0.05, 0.07, 0.04, -0.05],
  outpatient: [0, 0.02, 0.05, 0, 0, 0, -0.05, -0.12, 0.03, 0.05, 0.04, -0.02], inpatient: [0.08, 0.04, 0.02, -0.02, -0.02, -0.04, -0.03, -0.04, -0.03, 0, 0.02, 0.05],
  claims: [0.4, 0.1, -0.05, -0.15, -0.2, -0.05, 0.15, -0.05, -0.15, -0.1, 0, 0.12], building: [-0.45, -0.35, 0, 0.18, 0.25, 0.25, 0.2, 0.15, 0.08, 0.05, -0.12, -0.35],
  vat: [0.22, -0.16, -0.05, 0, -0.02, 0, 0, -0.03, 0, 0.02, 0, 0.05], flat: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  winter: [0.35, 0.3, 0.1, -0.1, -0.25, -0.3, -0.3, -0.25, -0.05, 0.1, 0.2, 0.3], summer: [-0.3, -0.25, -0.1, 0.1, 0.25, 0.35, 0.35, 0.25, 0, -0.15, -0.25, -0.3],
  gift: [-0.1, -0.15, -0.05, -0.05, 0, -0.05, -0.05, 0, -0.05, 0.05, 0.2, 0.45], power: [0.15, 0.08, 0, -0.1, -0.1, 0.02, 0.15, 0.15, 0, -0.1, -0.05, 0.1],
  water: [-0.12, -0.14, -0.1, -0.04, 0.06, 0.14, 0.2, 0.18, 0.08, -0.02, -0.1, -0.12], gas: [0.7, 0.6, 0.35, 0, -0.35, -0.6, -0.7, -0.7, -0.5, -0.1, 0.3, 0.6],
  welfare: [0.02, 0.02, 0.01, 0, -0.01, -0.02, -0.02, -0.01, -0.01, 0, 0.01, 0.02],
} as const;
// effect of +1 degree C temperature anomaly on log consumption, by month
const TEMP = {
  power: [-0.02, -0.02, -0.01, 0, 0, 0.02, 0.035, 0.035, 0.015, 0, -0.01, -0.02], water: [0, 0, 0, 0.01, 0.03, 0.04, 0.05, 0.05, 0.03, 0.01, 0, 0],
  gas: [-0.07, -0.07, -0.06, -0.04, -0.02, 0, 0, 0, -0.01, -0.04, -0.06, -0.07], flat: P.flat,
} as const;

// ---------------------------------------------------------------- categories
function transport(x: Ctx): number[] {
  const { r, n, cal, hol } = x, commuter = r.chance(0.35);
  const lvl = Math.log(commuter ? r.logu(200, 60000) : r.logu(40, 8000)); // thousand passengers
  const s = seasonLog(x, commuter ? P.commuter : P.air, r.uni(0.4, 1.6), 0.03, r.uni(-0.8, 0.8), r.chance(0.3) ? 1 : 0);
  const tr = trendLog(x, r.uni(-0.5, 6) / 1200, 0.002), e = ar1(r, n, r.uni(0.1, 0.7), r.logu(0.006, 0.05));
  const hs = r.uni(0.04, 0.2), tc = r.chance(0.85) ? x.at(2020, 2) : NEVER;
  const depth = Math.log(r.uni(0.03, 0.4)), recov = r.int(8, 36), scar = Math.log(r.uni(0.72, 1.05));
  const tStep = r.chance(0.45) ? when(x, 0.3) : NEVER, step = Math.log(r.chance(0.6) ? r.uni(1.08, 1.4) : r.uni(0.7, 0.92)), stepLen = r.int(1, 4);
  const strikes = shocks(x, 0.006, 0.4, 0.85), lock = hol === 'cny' && r.chance(0.6) ? Math.log(r.uni(0.3, 0.75)) : 0;
  return cal.map((c, t) => {
    let l = lvl + tr[t]! + s[t]! + e[t]! + strikes[t]! + step * ramp(t, tStep, stepLen) + pandemic(t, tc, depth, recov, scar);
    if (commuter) l += Math.log(work(c, hol) / 21) - (hol === 'easter' ? hs * c.eb : 0);
    else l += Math.log(c.days / 30.44) + (hol === 'cny' ? 1.6 * hs * c.rush : hol === 'easter' ? hs * c.eb : 0);
    if (c.y === 2022 && (c.m === 3 || c.m === 4 || c.m === 11)) l += lock;
    return Math.exp(l);
  });
}

function hospital(x: Ctx): number[] {
  const { r, n, cal, hol } = x, kind = r.pick(['outpatient', 'emergency', 'beddays'] as const);
  const lvl = Math.log(kind === 'outpatient' ? r.logu(800, 90000) : kind === 'emergency' ? r.logu(150, 12000) : r.logu(2000, 25000));
  const s = seasonLog(x, kind === 'outpatient' ? P.outpatient : P.inpatient, kind === 'beddays' ? r.uni(0, 0.4) : r.uni(0.5, 1.5), 0.015, r.uni(-0.5, 0.5), 0, kind !== 'outpatient');
  const tr = trendLog(x, (kind === 'beddays' ? r.uni(-0.3, 0.3) : r.uni(-1, 4)) / 1200, kind === 'beddays' ? 0 : 0.0015);
  const e = ar1(r, n, r.uni(0.2, 0.8), kind === 'beddays' ? r.logu(0.002, 0.01) : r.logu(0.01, 0.05));
  const fluAmp = kind === 'outpatient' ? r.uni(0, 0.05) : kind === 'emergency' ? r.uni(0.03, 0.2) : r.uni(0, 0.03);
  const flu = Array.from({ length: 25 }, () => [fluAmp * r.gamma(2) * 0.5, r.int(-1, 1)] as const);
  const tStep = r.chance(0.35) ? when(x, 0.25) : NEVER, step = Math.log(r.chance(0.6) ? r.uni(1.15, 1.6) : r.uni(0.65, 0.9)), stepLen = r.int(1, 4);
  const tc = r.chance(0.75) ? x.at(2020, 2) : NEVER, depth = Math.log(kind === 'emergency' ? r.uni(0.55, 0.85) : r.uni(0.35, 0.8));
  const recov = r.int(3, 15), scar = Math.log(r.uni(0.9, 1.05)), y0 = cal[0]!.y;
  const mu = cal.map((c, t) => {
    const season = c.m >= 7 ? c.y - y0 + 1 : c.y - y0, [fi, pk] = flu[season]!, d = (c.m >= 7 ? c.m - 12 : c.m) - pk;
    let l = lvl + tr[t]! + s[t]! + e[t]! + fi * Math.exp(-0.5 * (d / 1.2) ** 2) + step * ramp(t, tStep, stepLen);
    l += pandemic(t, tc, depth, recov, scar) + Math.log(kind === 'outpatient' ? work(c, hol) / 21 : c.days / 30.44);
    return Math.exp(l);
  });
  if (r.chance(0.25)) { const tg = r.int(1, x.hist - 2); moveMass(mu, tg, tg + 1, r.uni(0.3, 0.7)); }
  return mu.map((m) => r.pois(m));
}

function claims(x: Ctx): number[] {
  const { r, n, cal, hol } = x, lvl = Math.log(r.logu(40, 40000));
  const s = seasonLog(x, P.claims, r.uni(0.4, 1.4), 0.06, r.uni(-0.8, 0.6), r.chance(0.3) ? 1 : 0);
  const cyc = ar1(r, n, r.uni(0.9, 0.98), r.uni(0.015, 0.05)), drift = r.uni(-1.5, 1.5) / 1200;
  const gfc = r.chance(0.85) ? x.at(2008, r.int(6, 11)) : NEVER, gS = Math.log(r.uni(1.4, 2.8)), gR = r.int(4, 10), gH = r.int(10, 30);
  const cv = r.chance(0.85) ? x.at(2020, r.int(2, 3)) : NEVER, cS = Math.log(r.logu(1.3, 15)), cH = r.uni(1.5, 5);
  const rec = r.chance(0.3) ? when(x, 0.4) : NEVER, rS = Math.log(r.uni(1.2, 2)), rR = r.int(3, 9), rH = r.int(8, 24);
  const tPol = r.chance(0.25) ? when(x, 0.2) : NEVER, pol = Math.log(r.uni(0.6, 0.9));
  const layoffs = shocks(x, 0.01, 1.3, 3), size = r.logu(15, 400), tdw = r.uni(0, 0.8);
  return cal.map((c, t) => {
    const l = lvl + drift * t + s[t]! + cyc[t]! + bump(t, gfc, gS, gR, gH) + bump(t, cv, cS, 1, cH) + bump(t, rec, rS, rR, rH);
    return r.negbin(Math.exp(l + pol * ramp(t, tPol, 2) + layoffs[t]! + tdw * Math.log(work(c, hol) / 21)), size);
  });
}

function construction(x: Ctx): number[] {
  const { r, n, cal, hol } = x, value = r.chance(0.3), lvl = Math.log(value ? r.logu(2, 800) : r.logu(3, 3000));
  const s = seasonLog(x, P.building, r.uni(0.2, 1.4), 0.08, r.uni(-0.8, 0.8), 0, true);
  const per = r.uni(60, 150), ph = r.uni(0, 2 * Math.PI), camp = r.uni(0.1, 0.5);
  const e = ar1(r, n, r.uni(0.5, 0.9), r.uni(0.04, 0.12)), white = r.uni(0.03, 0.25), tr = trendLog(x, r.uni(-2, 4) / 1200, 0.003);
  const bust = r.chance(0.6) ? x.at(2006, r.int(3, 11)) : r.chance(0.4) ? when(x, 0.35) : NEVER;
  const bD = Math.log(r.uni(0.25, 0.6)), bL = r.int(12, 36), bR = r.uni(0.2, 0.7);
  const tReg = r.chance(0.25) ? when(x, 0.25) : NEVER, surge = Math.log(r.uni(1.6, 3)), lumps = shocks(x, 0.04, 1.5, 4), size = r.logu(5, 100);
  return cal.map((c, t) => {
    let l = lvl + tr[t]! + s[t]! + e[t]! + white * r.norm() + lumps[t]! + camp * Math.sin((2 * Math.PI * t) / per + ph);
    if (t >= bust) l += bD * clamp01((t - bust) / bL) * (1 - bR * clamp01((t - bust - bL) / 60));
    if (t === tReg) l += surge; else if (t > tReg && t <= tReg + 3) l -= 0.4;
    const mu = Math.exp(l + 0.7 * Math.log(work(c, hol) / 21));
    return value ? mu : r.negbin(mu, size);
  });
}

function tax(x: Ctx): number[] {
  const { r, n, cal, hol } = x, kind = r.pick(['vat', 'vat', 'cit', 'property', 'transaction'] as const);
  const lvl = Math.log(r.logu(5, 5000)), tr = trendLog(x, r.uni(1, 10) / 1200, 0.004); // million currency
  const cyc = ar1(r, n, r.uni(0.7, 0.95), kind === 'cit' || kind === 'transaction' ? r.uni(0.04, 0.12) : r.uni(0.01, 0.04)), noise = r.logu(0.01, kind === 'transaction' ? 0.25 : 0.1);
  let w: number[];
  if (kind === 'vat') w = P.vat.map((v) => Math.exp(v * r.uni(0.5, 1.5)));
  else if (kind === 'transaction') w = P.building.map((v) => Math.exp(0.6 * v));
  else if (kind === 'cit') {
    const west = r.chance(0.4), settle = west ? 3 : 4, small = r.uni(0.05, 0.3);
    w = P.flat.map((_, m) => (m === settle ? r.uni(2, 5) : m % 3 === (west ? 2 : 0) ? r.uni(2.2, 3.2) : small * r.uni(0.5, 1.5)));
  } else {
    const m1 = r.int(3, 5), tiny = r.chance(0.5) ? 0 : r.uni(0.02, 0.1);
    w = P.flat.map((_, m) => (m === m1 || m === m1 + 6 ? r.uni(4.5, 6.5) : tiny * r.uni(0, 2)));
  }
  const wm = w.reduce((a, b) => a + b, 0) / 12;
  const t1 = r.chance(0.5) ? when(x, 0.2) : NEVER, s1 = Math.log(r.chance(0.6) ? r.uni(0.8, 0.95) : r.uni(1.05, 1.25));
  const t2 = r.chance(0.25) ? when(x, 0.15) : NEVER, s2 = Math.log(r.uni(0.85, 1.15));
  const reassess = kind === 'property' ? r.int(3, 6) : 0, odd = shocks(x, 0.012, 0.2, 3);
  const bust = kind === 'transaction' && r.chance(0.5) ? x.at(2007, r.int(0, 11)) : NEVER;
  const v = cal.map((c, t) => {
    let l = lvl + tr[t]! + cyc[t]! + noise * r.norm() + odd[t]! + s1 * ramp(t, t1, 1) + s2 * ramp(t, t2, 1);
    if (reassess) l += 0.08 * Math.floor((c.y - cal[0]!.y) / reassess);
    if (t >= bust) l += Math.log(0.45) * clamp01((t - bust) / 18) * (1 - 0.5 * clamp01((t - bust - 24) / 48));
    return (Math.exp(l) * w[c.m]!) / wm;
  });
  cal.forEach((c, t) => { // deadline slips into the next month (weekend, holiday, system outage)
    const big = w[c.m]! / wm > 1.5 || kind === 'vat';
    if (big && (r.chance(0.06) || (hol === 'cny' && c.cny > 0.4 && r.chance(0.5)))) moveMass(v, t, t + 1, r.uni(0.2, 0.8));
  });
  if (r.chance(0.5)) { // 2020 deferrals, paid later in the year
    const t0 = x.at(2020, 1), frac = r.uni(0.15, 0.5), to = r.int(6, 10);
    for (let k = 0; k < 4; k++) moveMass(v, t0 + k, t0 + to + (k % 3), frac);
  }
  return v;
}

function sales(x: Ctx): number[] {
  const { r, n, cal, hol } = x, kind = r.pick(['established', 'established', 'launch', 'loe', 'intermittent'] as const);
  const s = seasonLog(x, r.pick([P.flat, P.winter, P.summer, P.gift]), r.uni(0.3, 1.3), 0.05, r.uni(-0.6, 0.6), 0, true);
  const lvl = Math.log(kind === 'intermittent' ? r.logu(0.3, 4) : r.logu(50, 50000)), tr = trendLog(x, r.uni(-4, 8) / 1200, 0.004);
  const e = ar1(r, n, r.uni(0.3, 0.9), r.uni(0.02, 0.1)), white = r.logu(0.02, 0.2), beta = r.uni(0, 1), hs = r.uni(-0.1, 0.2);
  const tL = kind === 'launch' ? r.int(-12, x.hist - 8) : -NEVER, mid = r.int(6, 18), sc = r.uni(2, 6);
  const tLoe = kind === 'loe' ? when(x, 0.35) : NEVER, loe = Math.log(r.uni(0.15, 0.6)), loeLen = r.int(2, 6);
  const tD = kind !== 'launch' && r.chance(0.04) ? when(x, 1) : NEVER, dLen = r.int(1, 4);
  const tPr = r.chance(0.3) ? when(x, 0.2) : NEVER, price = Math.log(r.uni(0.8, 0.95)), mult = cal.map(() => 1), pr = r.chance(0.6) ? r.uni(0.04, 0.15) : 0;
  for (let t = 0; t < n; t++) if (r.chance(pr)) { mult[t] = mult[t]! * r.uni(1.3, 2.5); if (t + 1 < n) mult[t + 1] = mult[t + 1]! * r.uni(0.7, 0.92); }
  if (r.chance(0.25)) { const ts = when(x, 0.1); for (const k of r.chance(0.5) ? [0] : [0, 1]) mult[ts + k] = r.uni(0, 0.2); if (ts + 2 < n) mult[ts + 2] = r.uni(1.2, 1.6); }
  const size = r.uni(0.5, 3);
  return cal.map((c, t) => {
    if (t < tL) return 0; // not yet launched
    let l = lvl + tr[t]! + s[t]! + e[t]! + loe * ramp(t, tLoe, loeLen) + price * ramp(t, tPr, 1) + beta * Math.log(work(c, hol) / 21);
    l += hs * (hol === 'cny' ? c.rush : hol === 'easter' ? c.eb : 0);
    if (tL > -NEVER) l -= Math.log(1 + Math.exp(-(t - tL - mid) / sc));
    const mu = Math.exp(l) * mult[t]! * (1 - ramp(t, tD, dLen));
    return kind === 'intermittent' ? r.negbin(mu, size) : mu * Math.exp(white * r.norm());
  });
}

function utility(x: Ctx): number[] {
  const { r, n, cal } = x, kind = r.pick(['power', 'power', 'water', 'gas', 'flat'] as const), flat = kind === 'flat';
  const s = seasonLog(x, P[kind], flat ? r.uni(0, 0.3) : r.uni(0.5, 1.4), flat ? 0.01 : 0.03, r.uni(-0.4, 0.4), 0, true);
  const lvl = Math.log(r.logu(100, 500000)), tr = trendLog(x, (flat ? 0 : r.uni(-1.5, 3.5)) / 1200, flat ? 0 : 0.0015);
  const e = ar1(r, n, r.uni(0.3, 0.9), flat ? r.logu(0.002, 0.008) : r.logu(0.004, 0.025));
  const temp = ar1(r, n, 0.3, 1), sens = r.uni(0.5, 1.5), rot = x.south ? 6 : 0, y0 = cal[0]!.y;
  const tStep = kind === 'power' && r.chance(0.3) ? when(x, 0.25) : NEVER, step = Math.log(r.uni(1.05, 1.3));
  const tDr = kind === 'water' && r.chance(0.4) ? when(x, 0.2) : NEVER, drL = r.int(12, 30), dr = Math.log(r.uni(0.72, 0.9)), drK = r.uni(0.3, 1);
  const tGas = kind === 'gas' && r.chance(0.7) ? x.at(2022, 8) : NEVER, gas = Math.log(r.uni(0.75, 0.92));
  const tc = kind === 'power' && r.chance(0.5) ? x.at(2020, 3) : NEVER, shut = flat ? shocks(x, 0.015, 0.05, 0.5) : cal.map(() => 0);
  const v = cal.map((c, t) => {
    let l = lvl + tr[t]! + s[t]! + e[t]! + shut[t]! + sens * TEMP[kind][(c.m + rot) % 12]! * (temp[t]! + 0.03 * (c.y - y0));
    l += Math.log(c.days / 30.44) + step * ramp(t, tStep, 2) + gas * ramp(t, tGas, 3) + (t >= tc && t < tc + 3 ? -0.08 : 0);
    if (t >= tDr) l += dr * (t < tDr + drL ? 1 : drK * 0.3);
    return Math.exp(l);
  });
  if (r.chance(0.2)) { const tg = r.int(1, n - 2); moveMass(v, tg, tg + 1, r.uni(0.2, 0.5)); } // estimated read, corrected next bill
  if (!flat && r.chance(0.12)) { // bimonthly billing until smart meters arrive
    const sw = r.chance(0.5) ? r.int(12, x.hist - 12) : NEVER, odd = r.int(0, 1);
    for (let t = 1; t < Math.min(n, sw); t++) if (t % 2 === odd) moveMass(v, t - 1, t, 1);
  }
  return v;
}

function social(x: Ctx): number[] {
  const { r, n, cal } = x, kind = r.pick(['caseload', 'caseload', 'caseload', 'monthly', 'monthly', 'monthly', 'quarterly', 'semiannual', 'annual'] as const);
  const flat = r.chance(0.2), lvl = Math.log(r.logu(150, 400000)), tr = trendLog(x, (flat ? r.uni(-0.3, 0.3) : r.uni(-4, 4)) / 1200, flat ? 0 : 0.002);
  const sm = ar1(r, n, 0.95, flat ? 0.0015 : r.uni(0.002, 0.008)), s = seasonLog(x, P.welfare, r.uni(0, 1.5), 0.005);
  const gfc = x.at(2009, r.int(0, 6)), gS = Math.log(r.uni(1.02, 1.3)), cv = x.at(2020, 3), cS = Math.log(r.uni(1.0, 1.25));
  const pol = Array.from({ length: r.int(0, 2) }, () => [when(x, 0.2), Math.log(r.uni(0.7, 1.3)), r.int(1, 12)] as const);
  const caseload = cal.map((_, t) => {
    let l = lvl + tr[t]! + sm[t]! + s[t]! + bump(t, gfc, gS, 12, 40) + bump(t, cv, cS, 3, 18);
    for (const [tp, sz, len] of pol) l += sz * ramp(t, tp, len);
    return Math.exp(l);
  });
  if (kind === 'caseload') return caseload.map((v) => Math.round(v));
  let rate = r.logu(0.05, 2); // thousand currency per case per month
  const idx = r.uni(-0.01, 0.05), thirteenth = r.chance(0.25), topUp = r.chance(0.4) ? r.uni(1.3, 2) : 1;
  const tRate = r.chance(0.3) ? when(x, 0.2) : NEVER, rateStep = r.uni(0.85, 1.2), jit = r.logu(0.002, 0.02);
  const accrual = cal.map((c, t) => {
    if (c.m === 0 && t > 0) rate *= 1 + Math.max(0, idx + 0.015 * r.norm());
    if (t === tRate) rate *= rateStep;
    const extra = (thirteenth && c.m === 11 ? 2 : 1) * (c.y === 2020 && c.m >= 3 && c.m <= 5 ? topUp : 1);
    return caseload[t]! * rate * extra * Math.exp(jit * r.norm());
  });
  if (kind === 'monthly' && r.chance(0.35)) // paid on the 1st, brought forward a month when that is a weekend or New Year's Day
    for (let t = 1; t < n; t++) { const c = cal[t]!; if (c.dow1 === 0 || c.dow1 === 6 || c.m === 0) moveMass(accrual, t, t - 1, 1); }
  if (kind === 'monthly') return accrual;
  const every = kind === 'quarterly' ? 3 : kind === 'semiannual' ? 6 : 12, off = r.int(0, every - 1), resid = r.chance(0.3) ? r.uni(0.002, 0.02) : 0;
  const out = cal.map(() => 0); let acc = 0;
  cal.forEach((c, t) => {
    acc += accrual[t]!;
    if (c.m % every === off) { out[t] = acc; acc = 0; } else if (resid && r.chance(0.5)) out[t] = accrual[t]! * resid * every;
  });
  return out;
}

// ---------------------------------------------------------------- assembly
const CATEGORIES: ReadonlyArray<readonly [string, (x: Ctx) => number[]]> = [
  ['transport_passengers', transport], ['hospital_activity', hospital], ['unemployment_claims', claims], ['construction_permits', construction],
  ['tax_receipts', tax], ['product_sales', sales], ['utility_consumption', utility], ['social_assistance', social],
];

export function generateHeldout2(options: { seed?: number; count?: number } = {}): HeldoutSeries[] {
  const seed = options.seed ?? 7331, count = options.count ?? 600, all = calendar(), out: HeldoutSeries[] = [];
  for (let i = 0; i < count; i++) {
    const r = new Rng(seed, i), k = i % CATEGORIES.length, j = Math.floor(i / CATEGORIES.length);
    const [category, gen] = CATEGORIES[k]!;
    const horizon = (j + Math.floor(j / 4) + k) % 2 === 0 ? 18 : 24;
    const hist = j % 4 === 0 ? r.int(36, 60) : r.int(61, 240), n = hist + horizon;
    const end = (2026 - Y0) * 12 + 5 - Math.floor(r.u() ** 2 * 162), cal = all.slice(end - n + 1, end + 1), first = cal[0]!;
    const hol = r.pick(['cny', 'cny', 'easter', 'easter', 'none'] as const);
    const x: Ctx = { r, n, hist, h: horizon, cal, hol, south: r.chance(0.15), at: (y, m) => (y - first.y) * 12 + m - first.m };
    const values = gen(x).map((v) => Math.max(0, Math.round(v * 100) / 100));
    if (values.length !== n || !values.every(Number.isFinite)) throw new Error(`heldout2: series ${i} is malformed (${category})`);
    out.push({ id: `h2-${String(i).padStart(4, '0')}-${category}`, category, horizon, values });
  }
  return out;
}
