/**
 * HELD-OUT BENCHMARK SET "heldout5": synthetic but realistic monthly series for judging a forecasting method.
 *
 * THIS SET IS HELD OUT. It was written without any knowledge of the forecasting method it will test. Use it ONCE, to
 * evaluate a finished method. Do not tune parameters, choose models, set defaults or debug against it: once a method
 * has been changed after seeing its results here, this set no longer gives a fair test of that method.
 *
 * Contents (defaults: seed 5, perCategory 75): 8 categories x 75 = 600 series. Each series is monthly and sits on the
 * real calendar. Its last month falls between 2023-12 and 2025-12. `values` holds the whole series; the last `horizon`
 * (12, 18 or 24) values are the hold-out to score, and everything before them is training history (24-240 months:
 * about 47.5% of series are short at 24-60 months, the rest are log-uniform on 61-240).
 * Values are >= 0, rounded to 2 decimals, and integers for count series. Intermittent series contain exact zeros.
 *
 * Categories: county fiscal spending lines (thousand yuan), local government revenue, hospital / health insurance,
 * utilities and energy, retail and consumer, industrial production and trade, low-volume counts, agriculture and
 * environment. Real events fall in their real months: Spring Festival by its Gregorian date (table 2000-2026),
 * Mid-Autumn (table), Easter (computed), SARS 2003, the 2008-09 crisis and the 2009-10 stimulus, the 2013 austerity
 * rules, the 2016 business-tax-to-VAT reform, the 2018-19 and 2025 US tariffs, African swine fever 2019, the 2020-22
 * pandemic (including the 2022 lockdowns and the Dec-2022 exit wave), the 2021 power rationing, the property
 * downturn from 2021, the 2022 VAT credit refunds, the European energy crisis of 2022, pension standard raises, and more.
 * Series mix multiplicative and additive seasonality, drifting seasonal patterns, trend changes, level shifts,
 * outliers (in training and in the hold-out), payment batching, delays and year-end rushes.
 */

export interface HeldoutSeries { id: string; category: string; horizon: number; values: number[] }

// ------------------------------------------------------------------ seeded random numbers (self-contained)
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
function hash(...xs: number[]): number {
  let h = 2166136261;
  for (const x of xs) { h = Math.imul(h ^ (x >>> 0), 16777619); h ^= h >>> 15; h = Math.imul(h, 2246822519); h ^= h >>> 13; }
  return h >>> 0; }
class R {
  constructor(private readonly f: () => number) {}
  u(a = 0, b = 1): number { return a + (b - a) * this.f(); }
  i(a: number, b: number): number { return Math.min(b, Math.floor(this.u(a, b + 1))); }
  p(q: number): boolean { return this.f() < q; }
  n(m = 0, s = 1): number { return m + s * Math.sqrt(-2 * Math.log(1 - this.f())) * Math.cos(2 * Math.PI * this.f()); }
  ln(m: number, s: number): number { return m * Math.exp(this.n(-s * s / 2, s)); } // lognormal with mean m
  ch<T>(xs: readonly T[]): T { return xs[Math.min(xs.length - 1, Math.floor(this.f() * xs.length))]!; }
  logU(a: number, b: number): number { return Math.exp(this.u(Math.log(a), Math.log(b))); }
  gam(k: number): number { // Marsaglia-Tsang, unit scale
    if (k < 1) return this.gam(k + 1) * Math.pow(1 - this.f(), 1 / k); const d = k - 1 / 3, c = 1 / Math.sqrt(9 * d); for (;;) {
      const x = this.n(), v0 = 1 + c * x; if (v0 <= 0) continue; const v = v0 * v0 * v0;
      if (Math.log(1 - this.f()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v; } }
  pois(l: number): number { if (!(l > 0)) return 0; if (l > 60) return Math.max(0, Math.round(this.n(l, Math.sqrt(l))));
    let k = 0, p = 1; const L = Math.exp(-l); do { k++; p *= this.f(); } while (p > L); return k - 1; }
  nb(m: number, size: number): number { return this.pois(m * this.gam(size) / size); } // negative binomial (gamma-Poisson)
}
// ------------------------------------------------------------------ calendar
type MD = [number, number];
// Chinese New Year (Spring Festival) Gregorian dates, 2000..2026
const CNY: MD[] = [[2, 5], [1, 24], [2, 12], [2, 1], [1, 22], [2, 9], [1, 29], [2, 18], [2, 7], [1, 26], [2, 14], [2, 3], [1, 23], [2, 10],
  [1, 31], [2, 19], [2, 8], [1, 28], [2, 16], [2, 5], [1, 25], [2, 12], [2, 1], [1, 22], [2, 10], [1, 29], [2, 17]];
// Mid-Autumn Festival Gregorian dates, 2000..2026
const MAF: MD[] = [[9, 12], [10, 1], [9, 21], [9, 11], [9, 28], [9, 18], [10, 6], [9, 25], [9, 14], [10, 3], [9, 22], [9, 12], [9, 30],
  [9, 19], [9, 8], [9, 27], [9, 15], [10, 4], [9, 24], [9, 13], [10, 1], [9, 21], [9, 10], [9, 29], [9, 17], [10, 6], [9, 25]];
const DAY = 864e5;
const at = (y: number, m: number): number => y * 12 + m - 1; // absolute month index, m = 1..12
const Y = (a: number): number => Math.floor(a / 12);
const M = (a: number): number => a - 12 * Y(a) + 1;
const d0 = (a: number): number => Date.UTC(Y(a), M(a) - 1, 1) / DAY;
const dim = (a: number): number => d0(a + 1) - d0(a);
const fromTab = (tab: MD[]) => (y: number): number => {
  const e = tab[Math.min(tab.length - 1, Math.max(0, y - 2000))]!;
  return Date.UTC(y, e[0] - 1, e[1]) / DAY; };
const cnyDay = fromTab(CNY), mafDay = fromTab(MAF);
function easterDay(y: number): number { // anonymous Gregorian algorithm
  const a = y % 19, b = Math.floor(y / 100), c = y % 100, d = Math.floor(b / 4), e = b % 4, f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30, i = Math.floor(c / 4), k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451), x = h + l - 7 * m + 114;
  return Date.UTC(y, Math.floor(x / 31) - 1, (x % 31) + 1) / DAY; }
// days of the window [festival+lo, festival+hi) falling inside month a
function fdays(a: number, fest: (y: number) => number, lo: number, hi: number): number {
  let s = 0; const s0 = d0(a), s1 = s0 + dim(a);
  for (let y = Y(a) - 1; y <= Y(a) + 1; y++) { const f = fest(y); s += Math.max(0, Math.min(s1, f + hi) - Math.max(s0, f + lo)); }
  return s; }
const cnyF = (a: number, lo: number, hi: number): number => fdays(a, cnyDay, lo, hi) / (hi - lo); // share of the CNY window in month a
function wdays(a: number): number { let w = 0; for (let d = d0(a); d < d0(a + 1); d++) { const k = (d + 4) % 7; if (k !== 0 && k !== 6) w++; } return w; }
// approximate Chinese working days: weekdays minus Spring Festival, Labour Day and National Day holidays
const cnwd = (a: number): number => wdays(a) - 0.7 * fdays(a, cnyDay, -1, 6) - (M(a) === 10 ? 4 : M(a) === 5 ? (Y(a) >= 2020 ? 2 : 1) : 0);
// ------------------------------------------------------------------ real events
const ramp = (a: number, s: number, e: number): number => (a <= s ? 0 : a >= e ? 1 : (a - s) / (e - s));
const bump = (a: number, s: number, p: number, e: number): number => (a <= s || a >= e ? 0 : a <= p ? (a - s) / (p - s) : (e - a) / (e - p));
const gfc = (a: number): number => bump(a, at(2008, 9), at(2009, 2), at(2010, 3)); // 2008-09 crisis depth 0..1
const table = (xs: Array<[number, number, number]>): Map<number, number> => new Map(xs.map(([y, m, v]) => [at(y, m), v]));
const COVID_CN = table([[2020, 1, 0.25], [2020, 2, 1], [2020, 3, 0.6], [2020, 4, 0.3], [2020, 5, 0.15], [2020, 6, 0.08], [2020, 7, 0.05],
  [2022, 3, 0.12], [2022, 4, 0.35], [2022, 5, 0.25], [2022, 11, 0.2], [2022, 12, 0.55], [2023, 1, 0.3]]);
const COVID_W = table([[2020, 3, 0.3], [2020, 4, 1], [2020, 5, 0.7], [2020, 6, 0.35], [2020, 7, 0.2], [2020, 8, 0.15], [2020, 9, 0.1],
  [2020, 11, 0.15], [2020, 12, 0.15], [2021, 1, 0.2], [2021, 2, 0.12]]);
const SARS = table([[2003, 4, 0.5], [2003, 5, 0.8], [2003, 6, 0.25]]);
const VATREF = table([[2022, 4, 1], [2022, 5, 0.8], [2022, 6, 0.45], [2022, 7, 0.15]]); // retained VAT credit refunds
const cv = (mp: Map<number, number>, a: number): number => mp.get(a) ?? 0;
const prop = (a: number): number => 1 + 0.4 * ramp(a, at(2015, 6), at(2017, 12)) - 0.8 * ramp(a, at(2021, 7), at(2024, 9)); // property cycle
const cnG = (y: number): number => (y < 2012 ? 0.14 : y < 2015 ? 0.1 : y < 2020 ? 0.07 : 0.045); // nominal growth of the Chinese economy
const tariff = (a: number, us: number): number => 1 + us * (a < at(2018, 9) ? 0 : a <= at(2018, 12) ? 0.12 : a < at(2020, 1) ? -0.2
  : a < at(2024, 11) ? -0.1 : a <= at(2025, 3) ? 0.15 : a <= at(2025, 6) ? -0.4 : -0.2);
// minimum national rural basic pension (yuan / month) and basic public health service standard (yuan / person / year)
const PEN: MD[] = [[at(2009, 10), 55], [at(2014, 7), 70], [at(2018, 1), 88], [at(2020, 1), 93], [at(2022, 1), 98], [at(2023, 1), 103],
  [at(2024, 1), 123], [at(2025, 1), 143]];
const PHS: MD[] = [[2009, 15], [2011, 25], [2013, 30], [2014, 35], [2015, 40], [2016, 45], [2017, 50], [2018, 55], [2019, 69], [2020, 74],
  [2021, 79], [2022, 84], [2023, 89], [2024, 94], [2025, 99]];
const stepVal = (tab: MD[], x: number, d: number): number => { let s = d; for (const [k, v] of tab) if (x >= k) s = v; return s; };
const HOT = new Map([[2013, 1], [2017, 0.7], [2022, 1.3], [2024, 0.6]]), COLD = new Map([[2008, 1.2], [2011, 0.5], [2016, 0.8], [2021, 0.6], [2024, 0.5]]);
// ------------------------------------------------------------------ building blocks
interface Ctx { r: R; n: number; nT: number; a0: number }
type Gen = (c: Ctx) => number[];
interface Sub { tag: string; int?: boolean; f: Gen }
const mk = (c: Ctx, f: (a: number, t: number) => number): number[] => Array.from({ length: c.n }, (_, t) => f(c.a0 + t, t));
const noise = (c: Ctx, sd: number, phi = 0.3): number[] => { let e = 0; return mk(c, () => Math.exp((e = phi * e + c.r.n(0, sd)))); };
const walk = (c: Ctx, g: number, sdG: number, pc = 1 / 48, sdL = 0.004): number[] => {
  let lv = 0, gg = g;
  return mk(c, () => { if (c.r.p(pc)) gg = g + c.r.n(0, sdG); lv += gg / 12 + c.r.n(0, sdL); return Math.exp(lv); }); };
const macro = (c: Ctx, dg: number, sd = 0.005): number[] => { let l = 0; return mk(c, (a) => Math.exp((l += (cnG(Y(a)) + dg) / 12 + c.r.n(0, sd)))); };
const shifts = (c: Ctx, p: number, sd: number, mu = 0): number[] => { let l = 1; return mk(c, () => (c.r.p(p) ? (l *= Math.exp(c.r.n(mu, sd))) : l)); };
const spikes = (c: Ctx, p: number, mx: number): number[] => mk(c, () => (c.r.p(p) ? Math.exp((c.r.p(0.65) ? 1 : -1) * c.r.u(0.25, mx)) : 1));
const stepsAt = (c: Ctx, months: number[], p: number, lo: number, hi: number): number[] => {
  let l = 1; return mk(c, (a) => (months.includes(M(a)) && c.r.p(p) ? (l *= c.r.u(lo, hi)) : l)); };
const yearly = (f: () => number): ((y: number) => number) => {
  const mp = new Map<number, number>();
  return (y) => { let v = mp.get(y); if (v === undefined) mp.set(y, (v = f())); return v; }; };
// random 12-month log profile (smoothed noise around an optional base shape), centred
function prof(r: R, amp: number, base: number[] = []): number[] {
  const raw = Array.from({ length: 12 }, () => r.n(0, amp));
  const sm = raw.map((x, i) => 0.25 * raw[(i + 11) % 12]! + 0.5 * x + 0.25 * raw[(i + 1) % 12]! + (base[i] ?? 0));
  const mu = sm.reduce((s, x) => s + x, 0) / 12;
  return sm.map((x) => x - mu); }
// seasonal factor drifting from one profile to another across the series
const seas = (c: Ctx, s1: number[], s2: number[]): number[] => mk(c, (a, t) => Math.exp(s1[M(a) - 1]! + (s2[M(a) - 1]! - s1[M(a) - 1]!) * t / c.n));
// amounts scheduled per calendar year: f(y) returns [month (may exceed 12), amount]
function byYear(c: Ctx, f: (y: number) => MD[]): number[] {
  const o = new Array<number>(c.n).fill(0);
  for (let y = Y(c.a0) - 1; y <= Y(c.a0 + c.n - 1); y++) for (const [m, v] of f(y)) { const t = at(y, m) - c.a0; if (t >= 0 && t < c.n) o[t]! += v; }
  return o; }
// obligations accrue monthly; cash goes out in batches with probability q, outstanding amounts cleared in `clear` months
function pay(c: Ctx, acc: number[], q: number, clear: number[]): number[] {
  let due = 0;
  return acc.map((x, t) => { due += x; if (c.r.p(q) || clear.includes(M(c.a0 + t))) { const v = due; due = 0; return v; } return 0; }); }
const lvAt = (x: number[], c: Ctx, a: number): number => x[Math.min(c.n - 1, Math.max(0, a - c.a0))]!;
function weather(c: Ctx, sumAmp: number, winAmp: number): number[] { // cooling / heating load index with yearly anomalies
  const { r } = c, hs = yearly(() => r.n(0, 0.6)), cs = yearly(() => r.n(0, 0.6));
  const cool = [0, 0, 0, 0, 0.15, 0.55, 1, 0.95, 0.4, 0.05, 0, 0], heat = [1, 0.8, 0.35, 0.05, 0, 0, 0, 0, 0, 0.05, 0.4, 0.85];
  return mk(c, (a) => { const m = M(a), y = Y(a), wy = m >= 10 ? y + 1 : y;
    return 1 + sumAmp * cool[m - 1]! * Math.max(0.2, 1 + 0.25 * (hs(y) + (HOT.get(y) ?? 0)))
      + winAmp * heat[m - 1]! * Math.max(0.2, 1 + 0.25 * (cs(wy) + (COLD.get(wy) ?? 0))); }); }
const DECHI = [0, -0.25, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0.4];
const SUMMER = [-0.6, -0.7, -0.4, -0.1, 0.3, 0.6, 1, 1, 0.5, 0, -0.3, -0.5];
// ------------------------------------------------------------------ 1. county fiscal spending (thousand yuan)
const fiscal: Sub[] = [
  { tag: 'edu', f: (c) => { // student subsidies paid per school term; delays, split batches, December top-ups
    const { r } = c, base = r.logU(150, 15000), spr = r.ch([3, 3, 4, 5]), aut = r.ch([9, 9, 10, 11]), split = r.p(0.3);
    const lvl = walk(c, r.n(-0.01, 0.04), 0.04), std = stepsAt(c, [1, 7], 0.15, 1.1, 1.45), st = r.p(0.25) ? r.i(0, Math.floor(c.nT / 2)) : 0;
    const o = new Array<number>(c.n).fill(0), put = (t: number, v: number): void => { if (t >= 0 && t < c.n) o[t]! += v; };
    for (let t = st; t < c.n; t++) { const m = M(c.a0 + t), L = base * lvl[t]! * std[t]!; if (m === spr || m === aut) {
        const v = L * r.ln(1, 0.1) * (m === aut ? r.u(1, 1.2) : 1), d = r.p(0.15) ? r.i(1, 3) : 0;
        if (split) { put(t + d, 0.6 * v); put(t + d + r.i(1, 2), 0.4 * v); } else put(t + d, v); }
      if (m === 12 && r.p(0.35)) put(t, L * r.u(0.05, 0.4)); else if (r.p(0.05)) put(t, L * r.u(0.01, 0.12)); }
    return o; } },
  { tag: 'pension', f: (c) => { // rural basic pension: national standard raises, local top-ups, late implementation with arrears
    const { r } = c, n0 = r.logU(2, 60), g = r.n(0.015, 0.02), top = r.u(1, 1.8), lag = r.p(0.4) ? r.i(1, 4) : 0;
    const start = at(2009, 10) + r.i(0, 33), loc = stepsAt(c, [1], 0.12, 1.03, 1.15), q = r.p(0.2), adv = !q && r.p(0.3);
    const std = (a: number): number => (a < start ? 0 : stepVal(PEN, a, 0)); let o = mk(c, (a, t) => {
      const s = std(a - lag), jump = s - std(a - lag - 1), k = n0 * Math.exp(g * t / 12) * top * loc[t]!;
      return a < start ? 0 : k * (s + (a - lag > start && jump > 0 ? lag * jump : 0)) * r.ln(1, 0.01); });
    if (q) o = o.map((v, t) => (M(c.a0 + t) % 3 === 0 ? v + (o[t - 1] ?? 0) + (o[t - 2] ?? 0) : 0));
    else if (adv) o = o.map((v, t) => { const m = M(c.a0 + t); return m === 1 ? v + (o[t + 1] ?? v) : m === 2 ? 0 : v; }); return o; } },
  { tag: 'relief', f: (c) => { // disaster relief: irregular batches, flood season and pre-festival winter relief, disaster years
    const { r } = c, base = r.logU(50, 8000), q = r.u(0.08, 0.3), g = walk(c, r.n(0.04, 0.04), 0.05), yrs = [2008, 2010, 2013, 2016, 2020, 2021, 2023];
    let big = 0; return mk(c, (a, t) => { const m = M(a); if ((m === 6 || m === 7) && r.p(yrs.includes(Y(a)) ? 0.3 : 0.06)) big = r.i(3, 7);
      const boost = big > 0 ? r.u(2, 6) : 1, pm = (m >= 6 && m <= 9) || m === 12 || m === 1 ? 2.2 : 1; if (big > 0) big--;
      return r.p(Math.min(0.9, q * pm * (boost > 1 ? 2.5 : 1))) ? base * g[t]! * boost * r.ln(1, 0.8) : 0; }); } },
  { tag: 'pubhealth', f: (c) => { // basic public health service funds: per-capita standard x population, various schedules
    const { r } = c, pop = r.logU(80, 1500), sched = r.i(0, 2), late = r.u(0, 0.3), drift = r.n(0, 0.01); return byYear(c, (y): MD[] => {
      const tot = pop * stepVal(PHS, y, 10) * r.ln(1, 0.05) * Math.exp(drift * (y - 2015)), sh = (m: number): number => m + (r.p(late) ? r.i(1, 2) : 0);
      if (sched === 0) return [1, 4, 7, 10].map((m): MD => [sh(m), tot / 4]);
      if (sched === 1) return [[sh(r.i(3, 6)), 0.6 * tot], [r.ch([11, 12, 12, 13]), 0.4 * tot]];
      const k = r.i(3, 6), w = Array.from({ length: k }, () => r.gam(1)), sw = w.reduce((s, x) => s + x, 0);
      return w.map((x, j): MD => [j === k - 1 ? 12 : r.i(2, 11), tot * x / sw]); }); } },
  { tag: 'employ', f: (c) => { // employment subsidies: accrued, paid in batches, cleared in December; 2020-22 job-retention surge
    const { r } = c, base = r.logU(20, 3000), g = walk(c, r.n(0.05, 0.05), 0.06), q = r.u(0.3, 0.9), k = r.u(0.5, 3), dec = r.u(1, 2.5);
    const st = r.p(0.3) ? r.i(0, Math.floor(c.nT * 0.6)) : 0, end = r.p(0.1) ? r.i(c.nT, c.n - 3) : c.n;
    const acc = mk(c, (a, t) => (t < st || t >= end ? 0
      : base * g[t]! * (1 + k * bump(a, at(2020, 2), at(2020, 6), at(2022, 12))) * (M(a) === 12 ? dec : 1) * r.ln(1, 0.3)));
    return pay(c, acc, q, [12]); } },
  { tag: 'admin', f: (c) => { // general administration: December rush, weak January, 2013 austerity, 2020 cuts
    const { r } = c, base = r.logU(300, 50000), dec = r.u(1.6, 3.5), jan = r.u(0.4, 0.85), aus = r.u(0.7, 0.92);
    const s = seas(c, prof(r, 0.08), prof(r, 0.08)), lv = walk(c, r.n(0.07, 0.04), 0.04), e = noise(c, r.u(0.04, 0.15)), sh = shifts(c, 1 / 100, 0.15);
    return mk(c, (a, t) => { const m = M(a); return base * lv[t]! * e[t]! * sh[t]! * s[t]! * (m === 12 ? dec : m === 1 ? jan : m % 3 === 0 ? 1.12 : 1)
      * (a >= at(2013, 1) ? aus : 1) * (Y(a) === 2020 ? 0.9 : 1); });
  } },
];
// ------------------------------------------------------------------ 2. local government revenue (thousand yuan)
const revenue: Sub[] = [
  { tag: 'vat', f: (c) => { // domestic VAT: 2016 reform, 2018/2019 rate cuts, 2020 deferrals, 2022 credit refunds
    const { r } = c, base = r.logU(500, 200000), lv = macro(c, r.n(0, 0.03)), e = noise(c, r.u(0.05, 0.18)), s = prof(r, 0.06);
    const ref = r.u(0.3, 0.95), q = r.u(0, 0.25), r16 = r.u(1.15, 1.8);
    return mk(c, (a, t) => { const m = M(a); return base * lv[t]! * e[t]! * Math.exp(s[m - 1]!) * (m === 1 ? 1.2 : 1) * (1 - 0.25 * cnyF(a, 0, 10))
      * ([1, 4, 7, 10].includes(m) ? 1 + q : 1) * (a >= at(2016, 5) ? r16 : 1) * (a >= at(2018, 5) ? 0.97 : 1) * (a >= at(2019, 4) ? 0.93 : 1)
      * (1 - 0.5 * cv(COVID_CN, a - 1)) * (1 - ref * cv(VATREF, a)); });
  } },
  { tag: 'landtax', f: (c) => { // deed tax / land VAT: property cycle, December peak
    const { r } = c, base = r.logU(200, 80000), k = r.u(0.8, 2), lv = macro(c, r.n(0, 0.04)), e = noise(c, r.u(0.1, 0.35), 0.2), s = prof(r, 0.15, DECHI);
    return mk(c, (a, t) => base * lv[t]! * e[t]! * Math.exp(s[M(a) - 1]!) * prop(a) ** k * (1 - 0.4 * cv(COVID_CN, a)) * (1 - 0.35 * cnyF(a, -5, 15))); } },
  { tag: 'landsale', f: (c) => { // land-sale income: lumpy auctions, many empty months, collapse from 2021
    const { r } = c, base = r.logU(2000, 600000), q = r.u(0.12, 0.55), k = r.u(1, 2.5), lv = macro(c, r.n(0, 0.05)), sd = r.u(0.5, 1.1);
    return mk(c, (a, t) => {
      const m = M(a), pr = prop(a) ** k, p = q * (m === 12 ? 2 : m === 6 ? 1.5 : m <= 2 ? 0.5 : 1) * Math.min(1, pr) * (1 - 0.7 * cv(COVID_CN, a));
      return r.p(Math.min(0.95, p)) ? base * lv[t]! * pr * r.ln(1, sd) : 0; }); } },
  { tag: 'nontax', f: (c) => { // non-tax revenue: December push, asset-sale lumps, rising share 2016-2021
    const { r } = c, base = r.logU(100, 60000), dec = r.u(1.3, 4), lv = macro(c, r.n(-0.01, 0.05)), e = noise(c, r.u(0.1, 0.3), 0.1), pl = r.u(0.01, 0.05);
    const push = r.u(0, 0.6);
    return mk(c, (a, t) => base * lv[t]! * e[t]! * (M(a) === 12 ? dec : M(a) === 1 ? 0.7 : 1) * (1 + push * bump(a, at(2016, 1), at(2021, 12), at(2024, 6)))
      * (r.p(pl) ? r.u(2.5, 10) : 1));
  } },
  { tag: 'iit', f: (c) => { // individual income tax: January bonuses, 2011/2018/2019 reforms, Mar-Jun refunds from 2020
    const { r } = c, base = r.logU(100, 50000), jan = r.u(1.3, 2.4), lv = macro(c, r.n(0.02, 0.03)), e = noise(c, r.u(0.04, 0.12));
    return mk(c, (a, t) => { const m = M(a); return base * lv[t]! * e[t]! * (m === 1 ? jan : m === 2 ? 1 + (jan - 1) * 0.4 : 1) * (a >= at(2011, 9) ? 0.75 : 1)
      * (a >= at(2018, 10) ? 0.72 : 1) * (a >= at(2019, 1) ? 0.85 : 1) * (a >= at(2020, 3) && m >= 3 && m <= 6 ? 0.85 : 1) * (1 - 0.3 * cv(COVID_CN, a)); });
  } },
  { tag: 'cit', f: (c) => { // corporate income tax: quarterly prepayments, May annual settlement, profit cycle
    const { r } = c, base = r.logU(100, 80000), qf = r.u(1.8, 4), may = r.u(1.3, 3), lv = macro(c, r.n(-0.01, 0.05)), e = noise(c, r.u(0.08, 0.25), 0);
    const k = r.u(0, 0.8);
    return mk(c, (a, t) => { const m = M(a); return base * lv[t]! * e[t]! * ([1, 4, 7, 10].includes(m) ? qf : m === 5 ? may : 1)
      * (1 - 0.4 * gfc(a - 3)) * (1 - 0.35 * cv(COVID_CN, a - 2)) * prop(a) ** k; });
  } },
];
// ------------------------------------------------------------------ 3. hospitals and health insurance
const health: Sub[] = [
  { tag: 'outpt', int: true, f: (c) => { // outpatient visits: Spring Festival dip, flu seasons, SARS, pandemic, exit wave, mycoplasma
    const { r } = c, base = r.logU(2000, 500000), lv = walk(c, r.n(0.05, 0.03), 0.03), e = noise(c, r.u(0.02, 0.07), 0.4), dip = r.u(0.25, 0.55);
    const flu = r.u(0, 0.2), ped = r.p(0.35), fev = r.p(0.3), k = r.u(0.35, 0.75), sh = shifts(c, 1 / 90, 0.12, 0.04), s = prof(r, 0.04);
    const fs = yearly(() => r.ln(1, 0.45)), fw = [0.9, 0.4, 0.15, 0, 0, 0, 0, 0, 0, 0, 0.2, 0.7]; return mk(c, (a, t) => {
      const m = M(a), y = Y(a), sy = m >= 11 ? y : y - 1;
      const fl = flu * fw[m - 1]! * fs(sy) * (sy === 2020 || sy === 2021 ? 0.2 : 1)
        + (a === at(2023, 3) ? flu * 1.2 : 0) + (ped && y === 2023 && m >= 10 ? 0.25 : 0);
      const ex = fev ? (a === at(2022, 12) ? r.u(1.8, 3) : a === at(2023, 1) ? r.u(1.2, 1.8) : 1) : 1;
      return base * lv[t]! * e[t]! * sh[t]! * Math.exp(s[m - 1]!) * (1 + fl) * ex * (1 - dip * cnyF(a, -3, 12)) * (ped && (m === 7 || m === 8) ? 1.15 : 1)
        * (wdays(a) / 21.7) ** 0.4 * (1 - k * cv(COVID_CN, a)) * (1 - 0.5 * k * cv(SARS, a));
    }); } },
  { tag: 'inpt', int: true, f: (c) => { // inpatient admissions: strong festival dip and rebound, ward openings
    const { r } = c, base = r.logU(150, 12000), lv = walk(c, r.n(0.06, 0.04), 0.04), e = noise(c, r.u(0.02, 0.06), 0.3), beds = shifts(c, 1 / 70, 0.08, 0.05);
    const dip = r.u(0.3, 0.6), k = r.u(0.3, 0.6), s = prof(r, 0.03);
    return mk(c, (a, t) => base * lv[t]! * e[t]! * beds[t]! * Math.exp(s[M(a) - 1]!) * (dim(a) / 30.4) * (1 - dip * cnyF(a, -7, 10))
      * (1 + 0.5 * dip * cnyF(a, 10, 30)) * (1 - k * cv(COVID_CN, a)) * (1 - 0.4 * cv(SARS, a)));
  } },
  { tag: 'claims', f: (c) => { // insurance fund payouts: lagged services, withheld deposits settled at year end, DIP reform
    const { r } = c, base = r.logU(500, 300000), lv = walk(c, r.n(0.09, 0.04), 0.04), skip = r.u(0, 0.2), w = r.u(0.05, 0.2), lag = r.i(1, 2);
    const dip = r.u(0.82, 0.97), merge = r.p(0.3) ? r.u(1.05, 1.15) : 1, janGap = r.u(0, 0.7), late = r.p(0.3);
    const svc = mk(c, (a, t) => base * lv[t]! * r.ln(1, 0.05) * (1 - 0.3 * cnyF(a - lag, -3, 12)) * (1 - 0.5 * cv(COVID_CN, a - lag))
      * (a >= at(2021, 7) ? dip : 1) * (a >= at(2019, 4) ? merge : 1));
    let due = 0, held = 0; return mk(c, (a, t) => { const m = M(a); due += svc[t]!; if ((m === 1 && r.p(janGap)) || (m !== 12 && r.p(skip))) return 0;
      let v = due * (1 - w); held += due * w; due = 0; if (m === (late ? 3 : 12)) { v += held; held = 0; }
      return v; }); } },
  { tag: 'drugs', f: (c) => { // hospital drug purchases: volume-based procurement price cuts, Dec-2022 fever-drug surge
    const { r } = c, base = r.logU(200, 100000), lv = walk(c, r.n(0.06, 0.05), 0.05), e = noise(c, r.u(0.04, 0.15), 0.3), flu = r.u(0, 0.15);
    const s = prof(r, 0.05, [0.1, -0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0.05, 0.15].map((x) => x * flu * 5)), sp = spikes(c, 0.015, 0.8);
    const vbp = [at(2019, 4), at(2019, 12), at(2020, 8), at(2021, 2), at(2021, 6), at(2022, 11)].filter(() => r.p(0.4)).map((x): MD => [x, r.u(0.8, 0.96)]);
    return mk(c, (a, t) => {
      let v = base * lv[t]! * e[t]! * sp[t]! * Math.exp(s[M(a) - 1]!) * (1 - 0.25 * cnyF(a, -3, 12)) * (1 - 0.4 * cv(COVID_CN, a));
      for (const [d, f] of vbp) if (a >= d) v *= f; return v * (a === at(2022, 12) ? r.u(1.4, 3) : a === at(2023, 1) ? r.u(1, 1.5) : 1); }); } },
  { tag: 'vacc', int: true, f: (c) => { // vaccination doses: autumn flu campaign, falling births from 2017, 2020 halt
    const { r } = c, base = r.logU(100, 20000), fluA = r.u(0, 2.5), birth = r.u(0, 1), lv = walk(c, r.n(0.02, 0.03), 0.03), e = noise(c, r.u(0.04, 0.12));
    const fw = [0.05, 0.02, 0, 0, 0, 0, 0, 0.05, 0.6, 1, 0.8, 0.3];
    return mk(c, (a, t) => base * lv[t]! * e[t]! * (1 - 0.45 * birth * ramp(a, at(2017, 6), at(2023, 6)) + fluA * fw[M(a) - 1]! * (Y(a) >= 2020 ? 1.4 : 1))
      * (1 - 0.3 * cnyF(a, -3, 10)) * (1 - 0.85 * cv(COVID_CN, a)) * (wdays(a) / 21.7));
  } },
];
// ------------------------------------------------------------------ 4. utilities and energy
const utilities: Sub[] = [
  { tag: 'reselec', f: (c) => { // residential electricity (MWh): hot summers, cold winters, billing smoothing
    const { r } = c, base = r.logU(500, 400000), w = weather(c, r.u(0.1, 0.6), r.u(0, 0.45)), lv = walk(c, r.n(0.06, 0.03), 0.03, 1 / 60);
    const e = noise(c, r.u(0.02, 0.06), 0.3), bill = r.p(0.3), sh = shifts(c, 1 / 120, 0.06, 0.02), tier = r.u(0.94, 1);
    const x = mk(c, (a, t) => base * lv[t]! * w[t]! * e[t]! * sh[t]! * (dim(a) / 30.4) * (1 + 0.06 * cv(COVID_CN, a)) * (1 + 0.05 * cnyF(a, -5, 10))
      * (a >= at(2012, 7) ? tier : 1));
    return bill ? x.map((v, t) => 0.5 * v + 0.5 * (x[t - 1] ?? v)) : x; } },
  { tag: 'indelec', f: (c) => { // industrial electricity: shutdowns, crisis, 2021 power rationing, plant closures
    const { r } = c, base = r.logU(2000, 2000000), lv = macro(c, r.n(-0.04, 0.04)), e = noise(c, r.u(0.02, 0.08), 0.5), dip = r.u(0.2, 0.5);
    const ration = r.u(0, 0.25), k = r.u(0.1, 0.35), sh = shifts(c, 1 / 100, 0.15), w = weather(c, r.u(0, 0.15), r.u(0, 0.1));
    return mk(c, (a, t) => base * lv[t]! * e[t]! * sh[t]! * w[t]! * (dim(a) / 30.4) * (1 - dip * cnyF(a, -5, 15)) * (1 - k * gfc(a))
      * (1 - 0.5 * cv(COVID_CN, a)) * (a === at(2021, 9) || a === at(2021, 10) ? 1 - ration : 1));
  } },
  { tag: 'water', f: (c) => { // water supply (thousand m3): additive seasonality, leak reduction, new connections, bimonthly billing
    const { r } = c, base = r.logU(30, 30000), amp = r.u(0.02, 0.15), g = r.n(0.03, 0.03), s = prof(r, 0.3, SUMMER), sd = r.u(0.01, 0.06);
    const leak = r.p(0.3) ? r.i(0, c.n - 1) : c.n, lf = r.u(0.8, 0.95), conn = shifts(c, 1 / 60, 0.05, 0.06), bi = r.p(0.25), sb = r.u(0.3, 0.7);
    const x = mk(c, (a, t) => Math.max(0, (base * conn[t]! * Math.max(0.2, 1 + g * t / 12) * (t >= leak ? lf : 1) + base * amp * s[M(a) - 1]!) * (dim(a) / 30.4)
      + base * r.n(0, sd))); return bi ? x.map((v, t) => (M(c.a0 + t) % 2 === 0 ? sb : 1 - sb) * (v + (x[t - 1] ?? v))) : x; } },
  { tag: 'heat', f: (c) => { // northern heating: gas use (coal-to-gas 2017) or heating fees collected Oct-Mar (zero in summer)
    const { r } = c, base = r.logU(100, 200000), w = weather(c, 0, 1), bl = r.u(0.05, 0.35), conv = r.p(0.4) ? r.u(1.3, 2.5) : 1;
    const lv = walk(c, r.n(0.05, 0.04), 0.04), e = noise(c, r.u(0.03, 0.1), 0.3); if (r.p(0.35)) {
      const sh = [[10, 0.3], [11, 0.35], [12, 0.15], [13, 0.06], [14, 0.04], [15, 0.03]];
      return byYear(c, (y) => sh.map(([m, f]): MD => [m! + (r.p(0.15) ? 1 : 0), base * 3 * lvAt(lv, c, at(y, 10)) * f! * r.ln(1, 0.12)])); }
    return mk(c, (a, t) => base * lv[t]! * e[t]! * (bl + (1 - bl) * (w[t]! - 1)) * (a >= at(2017, 11) ? conv : 1) * (a === at(2017, 12) ? 0.85 : 1)
      * (dim(a) / 30.4));
  } },
  { tag: 'euelec', f: (c) => { // European electricity demand: winter peak, crisis, lockdown, 2022 energy-crisis savings
    const { r } = c, base = r.logU(1000, 3000000), w = weather(c, r.u(0, 0.2), r.u(0.1, 0.35)), lv = walk(c, r.n(-0.005, 0.01), 0.01, 1 / 80);
    const e = noise(c, r.u(0.015, 0.05), 0.3), k = r.u(0.05, 0.15), aug = r.u(0, 0.08);
    return mk(c, (a, t) => base * lv[t]! * w[t]! * e[t]! * (dim(a) / 30.4) * (1 - 0.12 * gfc(a)) * (1 - 0.12 * cv(COVID_W, a))
      * (1 - k * ramp(a, at(2022, 8), at(2022, 11))) * (M(a) === 8 ? 1 - aug : 1) * (wdays(a) / 21.7) ** 0.3);
  } },
];
// ------------------------------------------------------------------ 5. retail and consumer
const retail: Sub[] = [
  { tag: 'super', f: (c) => { // supermarket: pre-festival shopping, Mid-Autumn, e-commerce erosion, store refits
    const { r } = c, base = r.logU(300, 300000), up = r.u(0.25, 0.9), lv = walk(c, r.n(0.05, 0.04), 0.05), e = noise(c, r.u(0.02, 0.08), 0.3);
    const s = prof(r, 0.04), ec = r.p(0.4) ? r.u(0.02, 0.08) : 0, ma = r.u(0, 0.3), sh = shifts(c, 1 / 80, 0.12), sp = spikes(c, 0.01, 0.7);
    return mk(c, (a, t) => base * lv[t]! * e[t]! * sh[t]! * sp[t]! * Math.exp(s[M(a) - 1]! - ec * Math.max(0, (a - at(2015, 1)) / 12)) * (dim(a) / 30.4)
      * (1 + up * cnyF(a, -21, 0) - 0.3 * up * cnyF(a, 1, 15)) * (1 + ma * fdays(a, mafDay, -14, 0) / 14) * (M(a) === 10 ? 1.05 : 1)
      * (1 + 0.08 * cv(COVID_CN, a)));
  } },
  { tag: 'restau', f: (c) => { // restaurants: festival dinners, 2013 austerity for high-end, pandemic collapse and 2023 rebound
    const { r } = c, base = r.logU(50, 80000), hi = r.p(0.3), up = r.u(-0.2, 0.4), lv = walk(c, r.n(0.06, 0.05), 0.06), e = noise(c, r.u(0.03, 0.1), 0.3);
    const s = seas(c, prof(r, 0.06), prof(r, 0.06)), k = r.u(0.5, 0.9), reb = r.u(1, 1.25), sh = shifts(c, 1 / 70, 0.15);
    return mk(c, (a, t) => base * lv[t]! * e[t]! * sh[t]! * s[t]! * (1 + up * cnyF(a, -10, 8)) * (hi ? 1 - 0.35 * ramp(a, at(2012, 12), at(2014, 6)) : 1)
      * (1 - k * cv(COVID_CN, a)) * (a >= at(2023, 2) && a <= at(2023, 12) ? reb : 1) * (1 - 0.5 * cv(SARS, a)));
  } },
  { tag: 'festive', f: (c) => { // mooncakes and festival gift boxes: sales in the weeks before the festivals, little else
    const { r } = c, base = r.logU(50, 50000), off = r.p(0.5) ? 0 : r.u(0.01, 0.08), aus = r.u(0.4, 0.9), lv = walk(c, r.n(0.03, 0.06), 0.06);
    const cs = r.u(0, 0.6); return mk(c, (a, t) => base * lv[t]! * (1 - (1 - aus) * ramp(a, at(2013, 1), at(2014, 9)))
      * ((fdays(a, mafDay, -28, 1) / 29 + cs * cnyF(a, -25, 0)) * r.ln(1, 0.15) + off * r.ln(1, 0.3)));
  } },
  { tag: 'online', f: (c) => { // online shop: fast decelerating growth, Singles' Day (pre-sales move into October), 618
    const { r } = c, base = r.logU(100, 500000), g0 = r.u(0.15, 0.6), e = noise(c, r.u(0.04, 0.12), 0.4), d11 = r.u(0.5, 2.5), d618 = r.u(0.2, 1);
    const sh = shifts(c, 1 / 60, 0.2); let l = 0; const x = mk(c, (a, t) => { l += (0.03 + g0 * Math.exp(-Math.max(0, Y(a) - 2012) / 4)) / 12;
      const m = M(a), pre = a >= at(2020, 1) ? 0.35 : 0, s11 = d11 * ramp(a, at(2010, 11), at(2016, 11));
      const fx = m === 11 ? 1 + s11 * (1 - pre) : m === 10 ? 1 + s11 * pre : m === 6 ? 1 + d618 * ramp(a, at(2013, 6), at(2018, 6)) : m === 12 ? 0.95 : 1;
      return Math.exp(l) * e[t]! * sh[t]! * fx * (1 - 0.4 * cnyF(a, -7, 10)) * (1 + 0.1 * cv(COVID_CN, a)); });
    const ref = x.slice(Math.max(0, c.nT - 12), c.nT).reduce((s, v) => s + v, 0) / Math.min(12, c.nT); return x.map((v) => base * v / ref); } },
  { tag: 'western', f: (c) => { // Western department store: Christmas, Black Friday, Easter, recession, lockdown, inflation
    const { r } = c, base = r.logU(200, 2000000), dec = r.u(0.3, 0.9), lv = walk(c, r.n(0.01, 0.03), 0.03), e = noise(c, r.u(0.02, 0.07), 0.3);
    const east = r.u(0, 0.5), k = r.u(0.3, 0.85), s = prof(r, 0.04, [-0.2, -0.25, 0, 0, 0.02, 0, 0, 0.05, -0.05, 0, 0.12, 0]), sh = shifts(c, 1 / 100, 0.15);
    return mk(c, (a, t) => base * lv[t]! * e[t]! * sh[t]! * Math.exp(s[M(a) - 1]!) * (1 + (M(a) === 12 ? dec : 0) + east * fdays(a, easterDay, -14, 1) / 15)
      * (1 - 0.12 * gfc(a)) * (1 - k * cv(COVID_W, a)) * (1 + 0.1 * ramp(a, at(2021, 3), at(2021, 6)) + 0.08 * ramp(a, at(2021, 9), at(2023, 6)))
      * (wdays(a) / 21.7) ** 0.2);
  } },
  { tag: 'autos', int: true, f: (c) => { // car dealer units: tax incentives 2009-10, 2016, 2022; December push; 2024 trade-in
    const { r } = c, base = r.logU(30, 8000), lv = walk(c, r.n(0.05, 0.06), 0.06), e = noise(c, r.u(0.05, 0.14), 0.3), dec = r.u(1.05, 1.4), s = prof(r, 0.05);
    return mk(c, (a, t) => { const y = Y(a), m = M(a); return base * lv[t]! * e[t]! * Math.exp(s[m - 1]!) * (m === 12 ? dec : 1) * (1 - 0.45 * cnyF(a, -7, 12))
      * (y === 2009 || y === 2010 ? 1.3 : y === 2016 ? 1.12 : 1) * ([at(2010, 12), at(2016, 12), at(2017, 12)].includes(a) ? 1.2 : 1)
      * (1 - 0.12 * ramp(a, at(2018, 7), at(2019, 12))) * (1 - 0.75 * cv(COVID_CN, a)) * (a >= at(2022, 6) && a <= at(2022, 12) ? 1.12 : 1)
      * (a >= at(2024, 8) ? 1.1 : 1); });
  } },
];
// ------------------------------------------------------------------ 6. industrial production and trade
const industry: Sub[] = [
  { tag: 'output', f: (c) => { // industrial output value: working days, Spring Festival shutdown, crisis, pandemic, slowing growth
    const { r } = c, base = r.logU(1000, 5000000), lv = macro(c, r.n(-0.02, 0.05)), e = noise(c, r.u(0.02, 0.08), 0.5), sd = r.u(0.3, 0.8), k = r.u(0.1, 0.35);
    const sh = shifts(c, 1 / 90, 0.15), s = prof(r, 0.04, [0, 0, 0, 0, 0, 0.03, 0, 0, 0.02, -0.03, 0.02, 0.08]), tdw = r.u(0.3, 1);
    return mk(c, (a, t) => base * lv[t]! * e[t]! * sh[t]! * Math.exp(s[M(a) - 1]!) * (cnwd(a) / 21.7) ** tdw * (1 - sd * fdays(a, cnyDay, -5, 20) / dim(a))
      * (1 - k * gfc(a)) * (1 - 0.7 * cv(COVID_CN, a)));
  } },
  { tag: 'exports', f: (c) => { // exports (thousand USD): Christmas-goods season, crisis, 2020-22 boom, US tariffs and front-loading
    const { r } = c, base = r.logU(500, 3000000), lv = walk(c, r.n(0.08, 0.06), 0.06, 1 / 36), e = noise(c, r.u(0.05, 0.15), 0.3), us = r.u(0, 0.6);
    const k = r.u(0.15, 0.45), s = prof(r, 0.05, [-0.05, -0.2, -0.05, 0, 0, 0, 0.03, 0.05, 0.08, 0.08, 0.08, 0.1]);
    const boom = r.u(1, 1.35), sp = spikes(c, 0.02, 0.6);
    return mk(c, (a, t) => base * lv[t]! * e[t]! * sp[t]! * Math.exp(s[M(a) - 1]!) * (1 - 0.5 * fdays(a, cnyDay, 0, 25) / dim(a)) * (1 - k * gfc(a - 2))
      * (1 - 0.5 * cv(COVID_CN, a)) * (1 + (boom - 1) * bump(a, at(2020, 6), at(2021, 9), at(2023, 1))) * tariff(a, us));
  } },
  { tag: 'cement', f: (c) => { // cement: construction season, northern winter stop, stimulus, winter curbs from 2017, property slump
    const { r } = c, base = r.logU(50, 500000), north = r.p(0.4), lv = macro(c, r.n(-0.03, 0.04)), e = noise(c, r.u(0.03, 0.1), 0.4), k = r.u(0.5, 1.5);
    const s = prof(r, 0.05, north ? [-0.9, -1, -0.1, 0.15, 0.2, 0.15, 0.05, 0.05, 0.15, 0.2, 0.15, -0.3]
      : [-0.2, -0.4, 0.05, 0.1, 0.1, 0.05, -0.05, -0.05, 0.05, 0.1, 0.1, 0.1]);
    return mk(c, (a, t) => base * lv[t]! * e[t]! * Math.exp(s[M(a) - 1]!) * (1 - 0.4 * cnyF(a, -7, 20)) * prop(a) ** k
      * (1 + 0.2 * bump(a, at(2008, 11), at(2009, 9), at(2011, 6))) * (north && a >= at(2017, 11) && [11, 12, 1, 2, 3].includes(M(a)) ? 0.8 : 1)
      * (1 - 0.6 * cv(COVID_CN, a)));
  } },
  { tag: 'euind', f: (c) => { // European manufacturing: August shutdown, working days, long 2009 slump, lockdown, 2022 energy shock
    const { r } = c, base = r.logU(100, 1000000), aug = r.u(0.05, 0.35), lv = walk(c, r.n(0.01, 0.02), 0.03), e = noise(c, r.u(0.02, 0.06), 0.5);
    const k = r.u(0.15, 0.35), en = r.p(0.4) ? r.u(0.05, 0.25) : 0, s = prof(r, 0.03);
    return mk(c, (a, t) => base * lv[t]! * e[t]! * Math.exp(s[M(a) - 1]!) * (M(a) === 8 ? 1 - aug : M(a) === 12 ? 1 - aug / 3 : 1) * (wdays(a) / 21.7) ** 0.8
      * (1 - k * bump(a, at(2008, 8), at(2009, 4), at(2011, 1))) * (1 - 0.6 * cv(COVID_W, a)) * (1 - en * ramp(a, at(2022, 3), at(2022, 12))));
  } },
  { tag: 'orders', f: (c) => { // small manufacturer's orders: noisy, occasional big contracts, changing trends, no real seasonality
    const { r } = c, base = r.logU(20, 20000), lv = walk(c, r.n(0.03, 0.08), 0.1, 1 / 30, 0.02), p = r.u(0.02, 0.08), sd = r.u(0.2, 0.5);
    return mk(c, (a, t) => base * lv[t]! * r.ln(1, sd) * (r.p(p) ? r.u(2, 6) : 1) * (1 - 0.3 * cnyF(a, -5, 15))
      * (1 - 0.3 * gfc(a)) * (1 - 0.5 * cv(COVID_CN, a)));
  } },
];
// ------------------------------------------------------------------ 7. low-volume counts (integers)
const counts: Sub[] = [
  { tag: 'inspect', f: (c) => { // safety inspections: campaign months, December checks, 2015 law, 2020 stop
    const { r } = c, lam = r.logU(0.6, 15), camp = yearly(() => r.i(3, 11)), cf = r.u(1.5, 3.5), lv = walk(c, r.n(0.02, 0.05), 0.06), sz = r.u(2, 30);
    const law = r.u(1, 1.4);
    return mk(c, (a, t) => r.nb(lam * lv[t]! * (M(a) === camp(Y(a)) || M(a) === 12 ? cf : 1) * (1 - 0.7 * cnyF(a, -3, 12)) * (a >= at(2015, 1) ? law : 1)
      * (1 - 0.9 * cv(COVID_CN, a)), sz));
  } },
  { tag: 'accid', f: (c) => { // road accidents in a small county: winter fog, holiday travel, 2011 drink-driving law, decline
    const { r } = c, lam = r.logU(0.5, 25), s = prof(r, 0.12, [0.15, 0.15, 0, -0.1, 0, 0, 0, 0, 0, 0.1, 0, 0.15]);
    const lv = walk(c, r.n(-0.03, 0.03), 0.03), sz = r.u(5, 60);
    return mk(c, (a, t) => r.nb(lam * lv[t]! * Math.exp(s[M(a) - 1]!) * (dim(a) / 30.4) * (a >= at(2011, 5) ? 0.85 : 1) * (1 - 0.4 * cv(COVID_CN, a))
      * (1 + 0.2 * cnyF(a, -15, 10)), sz));
  } },
  { tag: 'spares', f: (c) => { // spare-part demand: intermittent, lumpy sizes, product ramp-up or run-out
    const { r } = c, p = r.u(0.06, 0.5), m = r.logU(0.5, 12), sz = r.u(0.5, 4), life = r.i(0, 2), r0 = r.i(6, 36), endT = r.i(c.nT - 12, c.n + 24);
    return mk(c, (_a, t) => { const f = life === 1 ? Math.min(1, (t + 1) / r0) : life === 2 ? Math.max(0.15, Math.min(1, (endT - t) / 24)) : 1;
      return r.p(p * f) ? 1 + r.nb(m, sz) : 0; }); } },
  { tag: 'disease', f: (c) => { // notifiable disease cases: HFMD (notifiable from May 2008, EV71 vaccine 2016) or flu-like; NPIs 2020-22
    const { r } = c, kind = r.i(0, 1), lam = r.logU(0.4, 30), lv = walk(c, r.n(0, 0.08), 0.08), sz = r.u(1, 10), npi = r.u(0.1, 0.6), ob = r.u(0.01, 0.04);
    const s = prof(r, 0.15, kind === 0 ? [-1.2, -1.3, -0.8, 0.2, 0.9, 1, 0.4, -0.1, 0.1, 0.3, 0, -0.6]
      : [1, 0.8, 0.3, -0.2, -0.5, -0.6, -0.5, -0.6, -0.5, -0.3, 0.1, 0.6]);
    const st = kind === 0 ? at(2008, 5) : 0, vac = r.u(0.5, 1); let burst = 0; return mk(c, (a, t) => { if (a < st) return 0;
      if (burst > 0) burst--; else if (r.p(ob)) burst = r.i(1, 3);
      return r.nb(lam * lv[t]! * Math.exp(s[M(a) - 1]!) * (burst > 0 ? r.u(2, 6) : 1) * (a >= at(2020, 2) && a <= at(2022, 12) ? npi : 1)
        * (a >= at(2023, 2) && a <= at(2024, 6) ? r.u(1, 2) : 1) * (kind === 0 ? 1 - (1 - vac) * ramp(a, at(2016, 1), at(2019, 1)) : 1), sz);
    }); } },
  { tag: 'fires', f: (c) => { // fire incidents: dry season, Spring Festival fireworks (weaker after city bans from 2018)
    const { r } = c, lam = r.logU(0.3, 8), s = prof(r, 0.15, [0.4, 0.5, 0.4, 0.2, 0, -0.2, -0.3, -0.3, -0.2, 0, 0.1, 0.3]), fw = r.u(1, 5), ban = r.u(0.1, 0.8);
    const lv = walk(c, r.n(-0.01, 0.04), 0.05), sz = r.u(3, 40);
    return mk(c, (a, t) => r.nb(lam * lv[t]! * Math.exp(s[M(a) - 1]!) * (1 + fw * (a >= at(2018, 1) ? ban : 1) * cnyF(a, -1, 15)), sz)); } },
  { tag: 'hotline', f: (c) => { // citizen hotline complaints for one bureau: launch and ramp-up, 2020 merge into 12345
    const { r } = c, st = r.p(0.4) ? r.i(0, Math.floor(c.nT * 0.6)) : -999, lam = r.logU(2, 60), g = r.u(6, 30), merge = r.p(0.5) ? r.u(1.3, 2.5) : 1;
    const s = prof(r, 0.08), sz = r.u(4, 50);
    return mk(c, (a, t) => (t < st ? 0 : r.nb(lam * Math.min(1, (t - st + 1) / g) * Math.exp(s[M(a) - 1]!) * (a >= at(2020, 1) ? merge : 1)
      * (1 - 0.5 * cnyF(a, -2, 10)), sz)));
  } },
];
// ------------------------------------------------------------------ 8. agriculture and environment
const agri: Sub[] = [
  { tag: 'grain', f: (c) => { // grain purchases (tons): harvest months shift by year, policy purchases not triggered in some years
    const { r } = c, crop = r.i(0, 3), hm = [6, 7, 9, 11][crop]!, base = r.logU(20, 100000), pol = r.p(0.5), small = r.p(0.4) ? r.u(0.002, 0.02) : 0;
    const lv = walk(c, r.n(0.01, 0.04), 0.05); const x = byYear(c, (y): MD[] => { if (pol && !r.p(y < 2016 ? 0.85 : 0.45)) return [];
      const st = hm + r.ch([-1, 0, 0, 0, 1]), k = r.i(2, crop === 3 ? 5 : 3), w = Array.from({ length: k }, (_, j) => r.gam(2) * (j === 0 ? 1.5 : 1));
      const sw = w.reduce((p, q) => p + q, 0), tot = base * r.ln(1, 0.2); return w.map((q, j): MD => [st + j, tot * q / sw]); });
    return x.map((v, t) => v * lv[t]! + (small && r.p(0.5) ? base * small * r.ln(1, 0.5) : 0)); } },
  { tag: 'rain', f: (c) => { // reservoir inflow (million m3) from monsoon rain, or irrigation deliveries (zero off-season)
    const { r } = c, south = r.p(0.5), base = r.logU(5, 5000), bf = r.u(0.05, 0.4), k = r.u(0.8, 3), pw = r.u(1, 1.6), irr = r.p(0.35);
    const clim = south ? [0.3, 0.5, 0.8, 1.2, 1.8, 2.4, 1.8, 1.5, 1, 0.6, 0.4, 0.3] : [0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 3, 2.6, 1.2, 0.4, 0.15, 0.05];
    const need = [0, 0, 0.3, 0.6, 1, 1, 1, 0.8, 0.5, 0.2, 0, 0], wet = yearly(() => r.ln(1, 0.25));
    const EVT = table([[2016, 7, 2], [2020, 7, 2.5], [2021, 7, 2.5], [2022, 8, 0.2], [2023, 8, 2]]), lv = walk(c, r.n(0.01, 0.02), 0.02);
    let prev = 0; return mk(c, (a, t) => { const m = M(a), rel = wet(Y(a)) * (EVT.get(a) ?? 1) * r.gam(k) / k, rain = clim[m - 1]! * rel;
      if (irr) return base * lv[t]! * need[m - 1]! * Math.max(0.05, 1.6 - rel) * r.ln(1, 0.05);
      const q = base * (bf + rain ** pw + 0.3 * prev); prev = rain; return q; }); } },
  { tag: 'hogs', int: true, f: (c) => { // hog sales (head): pre-festival peak, pork cycle, 2017 no-farming zones, African swine fever
    const { r } = c, base = r.logU(50, 50000), up = r.u(0.2, 1), per = r.u(36, 50), ph = r.u(0, 6.3), amp = r.u(0.05, 0.2), asf = r.u(0.2, 0.6);
    const lv = walk(c, r.n(0.02, 0.04), 0.05), ban = r.p(0.3) ? r.u(0.5, 0.85) : 1, e = noise(c, r.u(0.04, 0.12), 0.3), sh = shifts(c, 1 / 90, 0.2);
    return mk(c, (a, t) => base * lv[t]! * e[t]! * sh[t]! * (1 + amp * Math.sin(2 * Math.PI * a / per + ph))
      * (1 + up * cnyF(a, -40, 0) - 0.3 * up * cnyF(a, 0, 30))
      * (1 - asf * (ramp(a, at(2019, 3), at(2019, 12)) - ramp(a, at(2020, 4), at(2021, 6)))) * (a >= at(2017, 1) ? ban : 1)
      * (M(a) === 9 || M(a) === 12 ? 1.1 : 1));
  } },
  { tag: 'tourism', int: true, f: (c) => { // scenic-spot visitors: Golden Week, summer, closures 2020-22, 2023 revival, new attractions
    const { r } = c, base = r.logU(500, 400000), lv = walk(c, r.n(0.08, 0.05), 0.06), e = noise(c, r.u(0.05, 0.15), 0.3), north = r.p(0.4);
    const s = prof(r, 0.1, north ? [-0.9, -0.6, -0.5, 0, 0.4, 0.3, 0.7, 0.8, 0.3, 0.6, -0.4, -0.9]
      : [-0.3, 0, -0.1, 0.2, 0.3, 0, 0.3, 0.4, 0, 0.4, -0.1, -0.4]);
    const open = r.p(0.25) ? r.i(0, c.n - 1) : c.n, of = r.u(1.2, 2.2), clos = r.u(0.05, 0.25), dep = r.u(0.5, 0.9), reb = r.u(1, 1.5);
    return mk(c, (a, t) => { const y = Y(a); if (a >= at(2020, 2) && a <= at(2020, 3) && r.p(0.6)) return 0;
      if (y >= 2021 && y <= 2022 && r.p(clos)) return base * lv[t]! * r.u(0, 0.2);
      return base * lv[t]! * e[t]! * Math.exp(s[M(a) - 1]!) * (1 + 0.4 * cnyF(a, -2, 7)) * (M(a) === 5 && y >= 2020 ? 1.15 : 1) * (t >= open ? of : 1)
        * (1 - 0.9 * cv(COVID_CN, a)) * (y === 2021 || y === 2022 ? dep : 1) * (y === 2023 ? reb : 1) * (1 - 0.7 * cv(SARS, a));
    }); } },
  { tag: 'pm25', f: (c) => { // PM2.5 monthly mean (ug/m3): winter peaks, 2013 action plan decline, fireworks, spring dust
    const { r } = c, north = r.p(0.5), base = north ? r.u(60, 110) : r.u(30, 65), e = noise(c, r.u(0.06, 0.15), 0.2), dec = r.u(0.03, 0.08);
    const s = prof(r, 0.06, north ? [0.5, 0.35, 0.15, -0.05, -0.15, -0.25, -0.35, -0.35, -0.2, 0, 0.25, 0.45]
      : [0.4, 0.25, 0.1, -0.05, -0.15, -0.35, -0.4, -0.35, -0.2, 0, 0.2, 0.4]); return mk(c, (a, t) => {
      const tr = -dec * Math.min(8, Math.max(0, (a - at(2013, 1)) / 12)) - (dec / 3) * Math.max(0, (a - at(2021, 1)) / 12);
      const dust = north && (M(a) === 3 || M(a) === 4) && (a === at(2021, 3) || r.p(0.1)) ? r.u(1.1, 1.6) : 1;
      return base * e[t]! * Math.exp(s[M(a) - 1]! + tr) * dust * (a === at(2020, 2) ? 0.8 : 1) * (1 + 0.12 * cnyF(a, -1, 15) * (a >= at(2018, 1) ? 0.4 : 1));
    }); } },
];
// ------------------------------------------------------------------ assembly
const CATS: Array<{ name: string; short: string; subs: Sub[] }> = [{ name: 'county_fiscal_spending', short: 'fis', subs: fiscal },
  { name: 'local_government_revenue', short: 'rev', subs: revenue }, { name: 'health_services_insurance', short: 'hea', subs: health },
  { name: 'utilities_energy', short: 'utl', subs: utilities }, { name: 'retail_consumer', short: 'ret', subs: retail },
  { name: 'industry_trade', short: 'ind', subs: industry }, { name: 'low_volume_counts', short: 'cnt', subs: counts.map((s) => ({ ...s, int: true })) },
  { name: 'agriculture_environment', short: 'agr', subs: agri }];

// generic outlier layer (one-off reporting errors, corrections, extraordinary payments), applied to some non-count series
function addOutliers(r: R, x: number[]): number[] {
  if (!r.p(0.4)) return x;
  const p = r.u(0.005, 0.025);
  return x.map((v) => (r.p(p) ? v * Math.exp((r.p(0.6) ? 1 : -1) * r.u(0.3, 1.2)) : v)); }
function finish(x: number[], nT: number, int: boolean): number[] | undefined {
  if (x.some((v) => !Number.isFinite(v))) return undefined;
  const v = x.map((y) => { const z = Math.max(0, y); return int ? Math.round(z) : Math.round(z * 100) / 100; });
  const tr = v.slice(0, nT), ho = v.slice(nT);
  if (tr.filter((y) => y > 0).length < 3 || new Set(tr).size < 3 || ho.every((y) => y === 0)) return undefined;
  return v; }

export function generateHeldout5(options: { seed?: number; perCategory?: number } = {}): HeldoutSeries[] {
  const seed = options.seed ?? 5, per = options.perCategory ?? 75, out: HeldoutSeries[] = [];
  CATS.forEach((cat, ci) => { const cr = new R(mulberry32(hash(seed, ci, 77))), nShort = Math.round(per * 0.475);
    const short = Array.from({ length: per }, (_, i) => i < nShort);
    for (let i = per - 1; i > 0; i--) { const j = cr.i(0, i); [short[i], short[j]] = [short[j]!, short[i]!]; }
    for (let i = 0; i < per; i++) { const sub = cat.subs[i % cat.subs.length]!, mr = new R(mulberry32(hash(seed, ci, i, 1)));
      const nT = short[i] ? mr.i(24, 60) : Math.min(240, Math.round(mr.logU(61, 240.5))), h = mr.ch([12, 18, 24]), n = nT + h;
      const end = at(2023, 12) + mr.i(0, 24); let vals: number[] | undefined; for (let k = 0; k < 60 && !vals; k++) {
        const c: Ctx = { r: new R(mulberry32(hash(seed, ci, i, 100 + k))), n, nT, a0: end - n + 1 }; const raw = sub.f(c);
        vals = finish(sub.int ? raw : addOutliers(c.r, raw), nT, !!sub.int); }
      if (!vals) throw new Error(`heldout5: could not generate ${cat.short}/${sub.tag}/${i}`);
      out.push({ id: `h5-${cat.short}-${sub.tag}-${String(i).padStart(3, '0')}`, category: cat.name, horizon: h, values: vals }); } });
  return out; }
