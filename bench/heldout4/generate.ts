/**
 * Held-out forecasting benchmark, set 4 (heldout4). THIS SET IS HELD OUT. Designed independently of the forecasting library, of its own
 * generated tuning series and of earlier held-out sets (none was read while writing it). Use it ONCE to evaluate a finished method; never
 * tune against it.
 *
 * 8 categories x 75 monthly series (600 by default). Each series sits on the real calendar and ends between Dec 2023 and Dec 2025, so
 * Spring Festival dates, the 2008-09 crisis and the 2020-23 pandemic fall in their real months. Horizons 12, 18 or 24; histories 24-240
 * months, about 47% of them 24-60 months. Values >= 0 with 2 decimals (count categories: integers).
 *
 * Chinese district / town government lines (thousand yuan):
 *  - gov_social_assistance: minimum-living-allowance (dibao) payrolls (caseload x standard; yearly raises, sometimes late and paid with
 *    arrears; monthly, bi-monthly or quarterly pay runs that slip; December clearance; Spring Festival relief landing in Dec, Jan or Feb
 *    with the lunar date; 2019-20 price-linkage one-offs; caseload clean-ups). Medical assistance (claims paid in irregular settlement
 *    rounds until a switch to monthly one-stop settlement, yearly lump of insurance-premium subsidies, Dec 2022 - Jan 2023 COVID wave).
 *    Old-age / disability allowances (quarterly or half-yearly, programmes starting mid-series, reclassification). Veterans' benefits
 *    (August raise with back pay, Spring Festival and Army Day condolence payments).
 *  - gov_batch_transfers: farmland / grain subsidies in one or two batches a year whose month moves, plus corrections; transfers from
 *    higher levels (advances held back until budget approval, Nov-Dec settlement partly slipping into January, special transfers, 2020
 *    direct-allocation funds, slower growth after 2019); housing-renovation subsidies paid in two tranches per approval batch, scaled
 *    down once the poverty campaign ends.
 *  - gov_operating: school and township health-centre spending (payroll increments, pay reforms paid months later with arrears, year-end
 *    bonus in December or before Spring Festival, term-driven purchases, year-end rush, austerity cuts, payroll moved to county pay,
 *    pandemic and 2022 mass-testing costs); utilities and property management of public buildings (weather-driven summer / winter peaks,
 *    lagged and bunched bills, quarterly to annual service fees re-priced at contract renewal, new buildings, energy retrofits).
 *  - gov_capital_collections: capital-project payments (project portfolio with advances, work halted around Spring Festival, invoices
 *    paid in lumps, December settlement, retention money 1-2 years later, more projects with special bonds from 2019); fee and fine
 *    revenue (December target push, quarterly remittance, fee abolitions, enforcement campaigns); resident medical-insurance
 *    contributions (collected Sep-Dec for the next year, window moved into Jan-Feb in some places, rising rates, falling enrolment).
 * Other real-world lines:
 *  - transport_tourism (counts): airports, summer / ski resort hotels, metros, container ports, intercity rail; Chinese or Western
 *    pandemic timelines, Spring Festival rush or shutdown, new lines and terminals, strikes and storms, drifting seasonal amplitude,
 *    post-pandemic scarring, trend breaks.
 *  - weather_agri: electricity (heat waves, days in month), heating gas (coal-to-gas switch, 2022 European price shock), heating-oil
 *    delivery counts (zero in summer), cold-drink sales, harvest procurement (zero outside harvest, moving harvest month, droughts, years
 *    without state purchases), milk collection (2008 melamine shock), hydropower (wet-season rain, 2022 drought, new units).
 *  - industry_retail: manufacturing (trading days, August or Spring Festival shutdowns, 2008-09 crisis, pandemic, trend breaks,
 *    strikes), Western retail (Black Friday pulling spending from Dec to Nov, VAT pull-forward, 2022 inflation), Chinese online sales
 *    (Singles' Day peak growing then fading), product families (zeros before launch, successor launches), cement (property downturn
 *    from mid-2021, power rationing), car sales (purchase-tax incentives and their expiry, chip shortage).
 *  - epi_counts (counts): influenza (varying season timing, 2020-22 suppression, out-of-season 2023 wave), measles outbreaks, dengue
 *    (zero in winter, epidemic years), hand-foot-mouth disease, intermittent spare-part demand with obsolescence, road accidents.
 */

export interface HeldoutSeries { id: string; category: string; horizon: number; values: number[] }
// ───────────────────────────── random numbers (mulberry32) ─────────────────────────────
class Rng {
  constructor(private s: number) { this.s = s >>> 0; }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }
  uni(a: number, b: number): number { return a + (b - a) * this.next(); }
  int(a: number, b: number): number { return a + Math.floor(this.next() * (b - a + 1)); } // inclusive
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)] as T; }
  normal(): number { return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next()); }
  logn(sd: number): number { return Math.exp(sd * this.normal() - (sd * sd) / 2); }
  logUni(a: number, b: number): number { return Math.exp(this.uni(Math.log(a), Math.log(b))); }
  poisson(lam: number): number {
    if (!(lam > 0)) return 0; else if (lam > 50) return Math.max(0, Math.round(lam + Math.sqrt(lam) * this.normal()));
    let k = 0, p = this.next();
    while (p > Math.exp(-lam)) { k++; p *= this.next(); }
    return k; }
}
function hash(...xs: number[]): number { // mixes the seed and indices into a 32-bit stream seed
  let h = 0x9e3779b9;
  for (const x of xs) { h = Math.imul(h ^ (x >>> 0), 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16; }
  return h >>> 0; }
// ───────────────────────────── calendar helpers ─────────────────────────────
/** N = number of values; k0 = absolute month (year*12 + month-1) of the first value. */
interface Cal { N: number; k0: number }
const ix = (a: readonly number[], i: number): number => a[i] ?? 0;
const zeros = (n: number): number[] => new Array<number>(n).fill(0);
const ym = (y: number, m: number): number => y * 12 + m - 1;
const at = (c: Cal, y: number, m: number): number => ym(y, m) - c.k0; // month may exceed 12 (rolls into next year)
const firstY = (c: Cal): number => Math.floor(c.k0 / 12), lastY = (c: Cal): number => Math.floor((c.k0 + c.N - 1) / 12);
function add(v: number[], t: number, x: number): void { if (t >= 0 && t < v.length) v[t] = ix(v, t) + x; }
const each = (c: Cal, f: (t: number, y: number, m: number) => void): void => {
  for (let t = 0; t < c.N; t++) f(t, Math.floor((c.k0 + t) / 12), ((c.k0 + t) % 12) + 1); };
function perYear<T>(f: (y: number) => T): (y: number) => T { // lazily drawn yearly value, memoised
  const memo = new Map<number, T>();
  return (y) => (memo.has(y) ? (memo.get(y) as T) : (memo.set(y, f(y)), memo.get(y) as T)); }
const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const weekdays = (y: number, m: number): number =>
  Array.from({ length: daysIn(y, m) }, (_, d) => new Date(Date.UTC(y, m - 1, d + 1)).getUTCDay()).filter((w) => w > 0 && w < 6).length;
/** Day of year of the Spring Festival (lunar new year), 2000-2027. */
const CNY_DOY = [36, 24, 43, 32, 22, 40, 29, 49, 38, 26, 45, 34, 23, 41, 31, 50, 39, 28, 47, 36, 25, 43, 32, 22, 41, 29, 48, 37];
const MSTART = [1, 32, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366];
/** Share of the window [festival - a, festival + b] (days) that falls in month m of year y. */
function fest(y: number, m: number, a: number, b: number): number {
  const c = m === 12 ? (CNY_DOY[y + 1 - 2000] ?? 36) + 365 : (CNY_DOY[y - 2000] ?? 36);
  return Math.max(0, Math.min(c + b, ix(MSTART, m) - 1) - Math.max(c - a, ix(MSTART, m - 1)) + 1) / (a + b + 1); }
/** Multiplier for a festival effect of relative size `depth` acting on the days of the window inside the month. */
const festFx = (y: number, m: number, a: number, b: number, depth: number): number => 1 + (depth * fest(y, m, a, b) * (a + b + 1)) / 30.4;
/** Smooth seasonal bump around month `peak` (wraps over the year end), width w months. */
const bump = (m: number, peak: number, w: number): number => Math.exp(-(Math.min(Math.abs(m - peak), 12 - Math.abs(m - peak)) ** 2) / (2 * w * w));
const ramp = (t: number, t0: number, len: number): number => (t0 < 0 || t < t0 ? 0 : Math.min(1, (t - t0 + 1) / len));
// Mobility relative to normal in the pandemic: China from Jan 2020 (Wuhan, 2021 clusters, 2022 Shanghai and the Nov-Dec exit wave),
// the West from Mar 2020 (lockdowns, winter 2020-21, Omicron).
const COVID = {
  cn: { k: 2020 * 12, v: [0.8, 0.15, 0.3, 0.45, 0.6, 0.65, 0.75, 0.85, 0.9, 0.92, 0.9, 0.85, 0.55, 0.5, 0.9, 0.92, 0.92, 0.88, 0.88, 0.5,
    0.75, 0.8, 0.65, 0.7, 0.7, 0.7, 0.55, 0.3, 0.35, 0.55, 0.7, 0.6, 0.55, 0.5, 0.35, 0.35, 0.65, 0.85, 0.92] },
  w: { k: 2020 * 12 + 2, v: [0.6, 0.15, 0.25, 0.45, 0.6, 0.65, 0.6, 0.55, 0.45, 0.5, 0.4, 0.42, 0.5, 0.55, 0.62, 0.7, 0.8, 0.82, 0.82, 0.85,
    0.83, 0.75, 0.72, 0.8, 0.88, 0.92, 0.94] },
} as const;
const covid = (y: number, m: number, reg: 'cn' | 'w', sev: number): number =>
  Math.max(0.02, 1 - sev * (1 - (COVID[reg].v[ym(y, m) - COVID[reg].k] ?? 1)));
const inRange = (y: number, m: number, y0: number, m0: number, y1: number, m1: number): boolean =>
  ym(y, m) >= ym(y0, m0) && ym(y, m) <= ym(y1, m1);
/** Log random-walk level with annual drift g (g2 after an optional trend break at brk). */
function walk(r: Rng, N: number, g: number, sd: number, brk = -1, g2 = g): number[] {
  let l = 0;
  return Array.from({ length: N }, (_, t) => Math.exp((l += (brk >= 0 && t >= brk ? g2 : g) / 12 + sd * r.normal()))); }
/** Unit-variance AR(1), e.g. monthly temperature anomalies. */
function ar1(r: Rng, N: number, phi: number): number[] {
  let a = r.normal();
  return Array.from({ length: N }, () => (a = phi * a + Math.sqrt(1 - phi * phi) * r.normal())); }
/** Randomly perturbed shape, normalised to mean 1. */
function profile(r: Rng, base: readonly number[], sd: number): number[] {
  const p = base.map((b) => b * r.logn(sd)), s = p.reduce((a, b) => a + b, 0) / p.length;
  return p.map((x) => x / s); }
type Gen = (r: Rng, c: Cal) => number[];
// ───────────────────────────── 1. gov_social_assistance ─────────────────────────────
const govSocial: Gen = (r, c) => {
  const v = zeros(c.N), kind = r.pick(['dibao', 'dibao', 'medical', 'allowance', 'veteran'] as const);
  if (kind === 'dibao') {
    let cases = r.uni(120, 2500), std = 100 * Math.pow(1.09, c.k0 / 12 - 2008) * r.uni(0.6, 1.3); // std: yuan per person-month
    const g = r.uni(-0.07, 0.03), raiseM = r.pick([1, 1, 4, 7, 7, 10]), mode = r.pick(['m', 'm', 'm', 'b', 'q'] as const);
    const ph = r.int(0, 2), review = r.chance(0.45) ? r.int(3, c.N - 3) : -1, relief = r.uni(0.2, 1);
    let owed = 0, late = false, rs = -1, rAt = -1, inc = 0;
    each(c, (t, y, m) => {
      cases *= Math.exp(g / 12 + 0.012 * r.normal()) * (t === review ? 1 - r.uni(0.08, 0.3) : 1); // drift; eligibility review
      if (m === raiseM && r.chance(0.85)) { inc = r.uni(0.03, 0.12); rs = t; rAt = t + r.pick([0, 0, 0, 1, 2, 3]); }
      if (t === rAt) { std *= 1 + inc; owed += ((t - rs) * cases * std * inc) / (1 + inc) / 1000; }
      const month = (cases * std) / 1000, sched = mode === 'm' || (mode === 'q' ? (m - 1) % 3 === ph : (m - 1) % 2 === ph % 2);
      owed += month;
      const pay = m === 12 || ((sched || late) && !r.chance(mode === 'm' ? 0.04 : 0.12));
      late = !pay && (sched || late);
      if (pay) { add(v, t, owed); owed = 0; } // owed includes skipped months and arrears
      add(v, t, relief * month * fest(y, m, 25, 2));
      if (inRange(y, m, 2019, 9, 2020, 6) && r.chance(0.2)) add(v, t, cases * r.uni(0.05, 0.2));
    });
  } else if (kind === 'medical') {
    const base = r.uni(20, 400), lvl = walk(r, c.N, r.uni(0.02, 0.12), 0.02), insured = r.uni(300, 4000);
    const oneStop = r.chance(0.6) ? at(c, r.int(2016, 2022), r.int(1, 12)) : c.N + 1, pm0 = r.pick([3, 5, 9, 11, 12]);
    const premM = perYear(() => Math.min(12, pm0 + r.pick([-1, 0, 0, 0, 1])));
    let acc = 0, next = r.int(1, 3);
    each(c, (t, y, m) => {
      acc += base * ix(lvl, t) * (1 + 0.15 * Math.cos((2 * Math.PI * (m - 1)) / 12)) * r.logn(0.25) * covid(y, m, 'cn', 0.35)
        * (inRange(y, m, 2022, 12, 2023, 1) ? r.uni(1.3, 2) : 1); // exit-wave hospital use
      if (t >= oneStop || t >= next || m === 12) { add(v, t, acc); acc = 0; next = t + r.int(1, 4); }
      if (m === premM(y)) add(v, t, (insured * Math.max(20, 40 + 28 * (y - 2012)) * r.logn(0.05)) / 1000);
    });
  } else if (kind === 'allowance') {
    let n = r.uni(150, 3000), std = r.uni(50, 200), owed = 0, late = false;
    const g = r.uni(0.01, 0.07), sched = r.pick([[1, 4, 7, 10], [3, 6, 9, 12], [6, 12], [1, 7], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]]);
    const start = c.N > 54 && r.chance(0.35) ? r.int(12, c.N - 36) : 0;
    const recl = r.chance(0.15) && c.N - start > 30 ? r.int(start + 12, c.N - 12) : -1, reclF = r.uni(0.3, 0.6);
    each(c, (t, _y, m) => {
      if (t < start) return; // programme not yet introduced
      n *= Math.exp(g / 12 + 0.01 * r.normal()); // ageing population
      if ((m === 1 || m === 7) && r.chance(0.07)) std *= 1 + r.uni(0.2, 0.6);
      const month = (n * std * (recl >= 0 && t >= recl ? reclF : 1)) / 1000;
      owed += t === start && start > 0 && r.chance(0.5) ? m * month : month; // retroactive to January
      const due = sched.includes(m), slip = due && r.chance(0.12);
      if ((due && !slip) || late || m === 12) { add(v, t, owed); owed = 0; late = false; } else if (slip) late = true;
    });
  } else {
    let n = r.uni(60, 1200), std = 300 * Math.pow(1.08, c.k0 / 12 - 2010) * r.uni(0.7, 1.4), rAt = -1, inc = 0, d = 0;
    const g = r.uni(-0.06, 0.01), quarterly = r.chance(0.5), cond = r.uni(0.3, 1.2), armyM = perYear(() => r.pick([7, 7, 8]));
    each(c, (t, y, m) => {
      n *= Math.exp(g / 12 + 0.008 * r.normal());
      if (m === 8 && r.chance(0.9)) { inc = r.uni(0.05, 0.12); d = r.int(0, 4); rAt = t + d; }
      if (t === rAt) { std *= 1 + inc; add(v, t, (d * n * std * inc) / (1 + inc) / 1000); }
      const base = (n * std) / 1000; // monthly entitlement
      if (!quarterly || (m - 1) % 3 === 0) add(v, t, quarterly ? 3 * base : base);
      add(v, t, cond * base * (fest(y, m, 25, 3) + (m === armyM(y) ? 0.6 : 0))); // Spring Festival and Army Day condolences
    });
  }
  return v;
};
// ───────────────────────────── 2. gov_batch_transfers ─────────────────────────────
const govBatch: Gen = (r, c) => {
  const v = zeros(c.N), kind = r.pick(['farm', 'farm', 'transfer', 'transfer', 'housing'] as const);
  if (kind === 'farm') {
    let area = r.uni(3000, 80000), rate = r.uni(70, 130); // mu, yuan per mu
    const mm = r.pick([3, 4, 5, 5, 6]), sec = r.uni(0.05, 0.3), chgY = r.int(2010, 2024), chgF = r.uni(0.8, 1.3), split = r.chance(0.3);
    for (let y = firstY(c); y <= lastY(c); y++) {
      area *= Math.exp(r.uni(-0.025, 0.005)) * (y === chgY ? chgF : 1); // land loss; a standard change
      const amt = (area * rate * r.logn(0.05)) / 1000, m = mm + r.pick([-1, 0, 0, 0, 1, 2]);
      const f = split && r.chance(0.5) ? r.uni(0.3, 0.7) : 1; // sometimes paid out over two months
      add(v, at(c, y, m), amt * f); add(v, at(c, y, m + 1), amt * (1 - f));
      if (r.chance(0.6)) add(v, at(c, y, r.int(8, 11)), amt * sec * r.logn(0.3));
    }
    each(c, (t) => { if (r.chance(0.07)) add(v, t, (area * rate * r.uni(0.003, 0.03)) / 1000); });
  } else if (kind === 'transfer') {
    let A = r.uni(5000, 150000); // annual amount
    const adv = r.uni(0.5, 0.85), quarterly = r.chance(0.35), slipJan = r.uni(0, 0.35), spLam = r.uni(1, 5);
    for (let y = firstY(c) - 1; y <= lastY(c); y++) {
      A *= Math.exp(y >= 2019 ? r.uni(-0.08, 0.06) : r.uni(0, 0.14));
      const a12 = (adv * A) / 12, delay = r.chance(0.6); // advances held until the budget is approved in March
      for (let m = 1; m <= 12; m++) {
        const w = quarterly ? ((m - 1) % 3 === 0 ? 3 : 0) : delay ? (m <= 2 ? 0.4 : m === 3 ? 2.2 : 1) : 1;
        if (w > 0) add(v, at(c, y, m), a12 * w * r.logn(0.03)); }
      const rest = (1 - adv) * A, f = r.uni(0.2, 0.8);
      [f * (1 - slipJan), (1 - f) * (1 - slipJan), slipJan].forEach((w, i) => add(v, at(c, y, 11 + i), rest * w)); // Nov, Dec, next Jan
      for (let i = r.poisson(spLam); i > 0; i--) add(v, at(c, y, r.pick([3, 4, 5, 6, 6, 7, 8, 9, 10, 11, 12, 12])), A * r.uni(0.01, 0.08));
      if (y === 2020 && r.chance(0.8)) add(v, at(c, y, r.int(6, 9)), A * r.uni(0.05, 0.15));
    }
  } else {
    const per = r.uni(15, 40), end = r.int(2021, 2026), tail = r.uni(0.2, 0.5), bm = r.pick([[4], [3, 9], [5, 10], [4, 7, 11]]);
    let lam = r.uni(5, 60);
    for (let y = firstY(c) - 1; y <= lastY(c); y++) {
      for (const m0 of bm) {
        const hh = r.poisson(lam * (y >= end ? tail : 1) * r.logn(0.3)), k = at(c, y, m0 + r.pick([0, 0, 1, 2])), f = r.uni(0.4, 0.6);
        add(v, k + r.int(1, 3), hh * per * f); add(v, k + r.int(5, 11), hh * per * (1 - f) * r.uni(0.9, 1)); // start, completion
      }
      lam *= r.uni(0.9, 1.15);
    }
  }
  return v;
};
// ───────────────────────────── 3. gov_operating ─────────────────────────────
const govOperating: Gen = (r, c) => {
  const v = zeros(c.N), kind = r.pick(['school', 'school', 'health', 'utility', 'utility'] as const);
  if (kind !== 'utility') {
    const school = kind === 'school';
    let staff = r.uni(20, 350), sal = 2500 * Math.pow(1.07, c.k0 / 12 - 2010) * r.uni(0.8, 1.2);
    const nonSal = r.uni(0.15, 0.6), bonusDec = r.chance(0.5), g = school ? r.uni(-0.05, 0.01) : r.uni(-0.01, 0.03);
    const reform = r.chance(0.6) ? r.int(6, c.N - 6) : -1, lag = r.int(2, 9), rInc = r.uni(0.08, 0.25);
    const cut = at(c, r.int(2019, 2024), r.int(1, 12)), cutF = r.uni(0.75, 0.95), recl = r.chance(0.2) ? r.int(6, c.N - 6) : -1;
    const prof = school ? profile(r, [0.7, 0.45, 1.4, 1, 0.9, 1, 0.6, 0.7, 1.6, 1, 1.2, 1.9], 0.15)
      : profile(r, [1.2, 0.9, 1.05, 0.95, 0.9, 0.9, 0.95, 0.95, 0.95, 1, 1.05, 1.5], 0.1);
    const phMonths = r.pick([[6, 12], [3, 6, 9, 12], [4, 10]]), phAmt = r.uni(0.1, 0.4), test22 = r.chance(0.7) ? r.uni(0.2, 1) : 0;
    each(c, (t, y, m) => {
      staff *= Math.exp(g / 12 + 0.004 * r.normal());
      sal *= m === 1 && r.chance(0.6) ? 1 + r.uni(0, 0.05) : 1; // annual increments
      const pay = ((staff * sal) / 1000) * (recl >= 0 && t >= recl ? 0.12 : 1);
      if (reform >= 0 && t === reform + lag) { sal *= 1 + rInc; add(v, t, lag * pay * rInc); } // new scale paid late, with arrears
      let ns = pay * nonSal * ix(prof, m - 1) * r.logn(0.3) * (t >= cut ? cutF : 1);
      if (!school) {
        ns *= inRange(y, m, 2020, 2, 2020, 4) ? r.uni(1.3, 2) : inRange(y, m, 2022, 4, 2022, 11) ? 1 + test22 // testing costs
          : inRange(y, m, 2022, 12, 2023, 1) ? r.uni(1.5, 2.5) : 1; // drugs and oxygen in the exit wave
        if (phMonths.includes(m)) ns += pay * phAmt * r.logn(0.2); // basic public-health service funds
      }
      add(v, t, pay + ns + pay * (school ? 1.5 : 1.2) * (bonusDec ? +(m === 12) : fest(y, m, 20, 0))); // bonus: Dec or before the festival
    });
  } else {
    let e = r.uni(10, 250), fee = r.uni(30, 400), renew = r.int(6, 36), held = 0;
    const sA = r.uni(0.3, 1.1), wA = r.uni(0, 0.7), lagBill = r.chance(0.5), per = r.pick([3, 3, 6, 12]), ph = r.int(0, per - 1);
    const hot = perYear(() => r.logn(0.15)), move = r.chance(0.3) ? r.int(6, c.N - 6) : -1, moveF = r.uni(1.3, 2);
    const retro = r.chance(0.25) ? r.int(6, c.N - 6) : -1, retroF = r.uni(0.7, 0.9);
    each(c, (t, y, m) => {
      if (t === move) { e *= moveF; fee *= moveF; } else if (t === retro) e *= retroF; // new building; energy retrofit
      if (t === renew) { fee *= r.uni(0.9, 1.15); renew += r.int(12, 36); }
      held += e * (1 + sA * bump(m, 7.5, 1.1) * hot(y) + wA * bump(m, 1, 1.2)) * r.logn(0.08) * (m === 2 ? 0.9 : 1);
      if (!r.chance(0.06)) { add(v, lagBill ? t + 1 : t, held); held = 0; }
      if ((m - 1) % per === ph) add(v, t, (fee * per) / 3);
    });
  }
  return v;
};
// ───────────────────────────── 4. gov_capital_collections ─────────────────────────────
const govCapital: Gen = (r, c) => {
  const v = zeros(c.N), kind = r.pick(['capital', 'capital', 'fees', 'insurance'] as const);
  if (kind === 'capital') {
    const due = zeros(c.N), S = r.uni(300, 15000), lam = r.uni(0.8, 4), W = [0.3, 0.1, 0.8, 1, 1, 1, 0.85, 0.85, 1, 1, 1, 0.9];
    const wOf = (t: number): number => ix(W, (c.k0 + t) % 12); // progress weight by calendar month
    let pend = 0;
    for (let y = firstY(c) - 2; y <= lastY(c); y++) {
      for (let i = r.poisson(lam * (y >= 2019 ? r.uni(1.1, 1.8) : 1)); i > 0; i--) {
        const s = at(c, y, r.pick([2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9, 10])), dur = r.int(4, 24), tot = S * r.logn(0.8);
        const adv = r.uni(0.1, 0.3), ret = r.uni(0.03, 0.05), ws = Array.from({ length: dur }, (_, j) => wOf(s + j + 1)).reduce((a, b) => a + b, 0);
        add(due, s, tot * adv);
        for (let j = 1; j <= dur; j++) add(due, s + j, (tot * (1 - adv - ret) * wOf(s + j)) / ws);
        add(due, s + dur + r.int(12, 24), tot * ret);
      }
    }
    each(c, (t, _y, m) => {
      pend += ix(due, t);
      if (m === 12 || r.chance(0.4)) { const p = pend * (m === 12 ? r.uni(0.85, 1) : r.uni(0.4, 1)); add(v, t, p); pend -= p; }
      if (m === 12 && r.chance(0.4)) add(v, t, S * r.uni(0.05, 0.4)); // spend the remaining budget before year end
    });
  } else if (kind === 'fees') {
    const lvl = walk(r, c.N, r.uni(-0.03, 0.08), 0.03), base = r.uni(50, 3000), q = r.chance(0.35), push = r.uni(1.2, 2.5);
    const abol = r.chance(0.5) ? at(c, r.int(2014, 2021), r.pick([1, 4, 7])) : -1, abF = r.uni(0.4, 0.75);
    let acc = 0; // collected but not yet remitted
    each(c, (t, y, m) => {
      const x = base * ix(lvl, t) * r.logn(0.25) * (m === 12 ? push : m === 1 ? 0.6 : m === 2 ? 0.75 : 1) * covid(y, m, 'cn', 0.5);
      acc += x * (abol >= 0 && t >= abol ? abF : 1) * (r.chance(0.03) ? r.uni(1.5, 4) : 1); // fee abolition; enforcement campaign
      if (!q || m % 3 === 0) { add(v, t, acc); acc = 0; }
    });
  } else {
    let P = r.uni(3000, 60000);
    const wA = profile(r, [0.15, 0.25, 0.35, 0.25], 0.3).map((x) => x / 4), wB = profile(r, [0.15, 0.25, 0.3, 0.2, 0.1], 0.3).map((x) => x / 5);
    const chg = r.chance(0.5) ? r.int(2019, 2023) : 9999, trickle = r.uni(0.005, 0.03);
    for (let y = firstY(c) - 1; y <= lastY(c); y++) {
      P *= Math.exp(y >= 2020 ? r.uni(-0.06, -0.01) : r.uni(-0.015, 0.01));
      const tot = (P * Math.max(10, 40 + 28 * (y + 1 - 2012)) * r.logn(0.04)) / 1000; // contributions for next year
      const m0 = (y >= chg ? 10 : 9) + (r.chance(0.2) ? r.pick([-1, 1]) : 0);
      (y >= chg ? wB : wA).forEach((w, i) => add(v, at(c, y, m0 + i), tot * w * r.logn(0.1)));
      for (let m = 1; m <= 12; m++) add(v, at(c, y, m), ((tot * trickle) / 12) * r.logn(0.5));
    }
  }
  return v;
};
// ───────────────────────────── 5. transport_tourism (counts) ─────────────────────────────
const TRANSPORT = {
  air_cn: { s: [1, 1, 0.9, 0.95, 0.95, 0.92, 1.12, 1.18, 0.97, 1.05, 0.92, 0.9], lo: 1e5, hi: 5e6, fx: [15, 25, 0.3] },
  air_w: { s: [0.78, 0.76, 0.92, 0.98, 1.05, 1.12, 1.22, 1.22, 1.08, 1.02, 0.86, 0.9], lo: 5e4, hi: 4e6, fx: [0, 0, 0] },
  hotel_sum: { s: [0.4, 0.45, 0.6, 0.8, 1, 1.4, 1.9, 2, 1.2, 0.8, 0.45, 0.55], lo: 5e3, hi: 3e5, fx: [2, 7, 0.5] },
  hotel_ski: { s: [1.9, 2, 1.5, 0.8, 0.4, 0.5, 0.75, 0.75, 0.5, 0.5, 0.8, 1.6], lo: 5e3, hi: 2e5, fx: [0, 0, 0] },
  metro_cn: { s: [1, 1, 1.02, 1.02, 1, 0.98, 0.97, 0.97, 1.02, 0.98, 1.04, 1.04], lo: 1e6, hi: 8e7, fx: [4, 10, -0.55] },
  metro_w: { s: [0.95, 0.96, 1.02, 1, 1.02, 0.98, 0.9, 0.88, 1.04, 1.06, 1.05, 0.96], lo: 1e6, hi: 5e7, fx: [0, 0, 0] },
  port_cn: { s: [1.04, 1, 0.98, 1, 1.02, 1.02, 1.04, 1.04, 1.02, 0.96, 1.02, 1.04], lo: 2e4, hi: 2e6, fx: [3, 14, -0.5] },
  rail_w: { s: [0.85, 0.86, 0.98, 1, 1.03, 1.04, 1.08, 1.06, 1, 1.02, 0.98, 0.94], lo: 1e5, hi: 5e6, fx: [0, 0, 0] },
} as const;
const transport: Gen = (r, c) => {
  const kind = r.pick(Object.keys(TRANSPORT) as (keyof typeof TRANSPORT)[]), spec = TRANSPORT[kind];
  const reg = kind.endsWith('cn') || (kind === 'hotel_sum' && r.chance(0.5)) ? 'cn' : 'w', [fa, fb, fd] = reg === 'cn' ? spec.fx : [0, 0, 0];
  const L0 = r.logUni(spec.lo, spec.hi), g1 = r.uni(-0.01, reg === 'cn' ? 0.14 : 0.05), brk = r.chance(0.5) ? r.int(12, c.N - 12) : -1;
  const lvl = walk(r, c.N, g1, r.uni(0.004, 0.015), brk, g1 + r.uni(-0.08, 0.03));
  const prof = profile(r, spec.s, 0.04), ampEnd = r.uni(0.6, 1.4), noise = r.uni(0.015, 0.06);
  const sev = kind === 'port_cn' ? 0.35 : r.uni(0.75, 1.1), scar = reg === 'w' ? r.uni(0.8, 1.02) : r.uni(0.9, 1.05);
  const open = r.chance(0.35) ? r.int(6, c.N - 6) : -1, openF = r.uni(0.15, 0.6), openLen = r.int(1, 18), v = zeros(c.N);
  each(c, (t, y, m) => {
    let x = L0 * ix(lvl, t) * (1 + (ix(prof, m - 1) - 1) * (1 + ((ampEnd - 1) * t) / c.N)) * covid(y, m, reg, sev) * r.logn(noise);
    x *= (ym(y, m) >= ym(2020, 3) ? scar : 1) * (fd !== 0 ? festFx(y, m, fa, fb, fd) : 1) * (1 + openF * ramp(t, open, openLen));
    if (r.chance(0.008)) x *= r.uni(0.4, 0.85); else if (r.chance(0.005)) x *= r.uni(1.1, 1.35);
    add(v, t, Math.round(x));
  });
  return v;
};
// ───────────────────────────── 6. weather_agri ─────────────────────────────
const weatherAgri: Gen = (r, c) => {
  const kind = r.pick(['power', 'gas', 'oil', 'drinks', 'harvest', 'harvest', 'milk', 'hydro'] as const), v = zeros(c.N), an = ar1(r, c.N, 0.55);
  const L = r.logUni(50, 50000), noise = r.uni(0.02, 0.07), lvl = walk(r, c.N, r.uni(-0.03, 0.07), 0.008), cn = r.chance(0.6);
  const Tc = (m: number): number => 12 - 14 * Math.cos((2 * Math.PI * (m - 1)) / 12); // continental climate, Jan -2C, Jul 26C
  const hdd = (m: number, a: number): number => Math.max(0, 17 - Tc(m) - 2.5 * a);
  const step = r.chance(0.3) ? r.int(6, c.N - 6) : -1, stepF = r.uni(1.2, 1.8), stepLen = r.int(1, 12), wetY = perYear(() => r.logn(0.25));
  each(c, (t, y, m) => {
    const a = ix(an, t) + (cn && inRange(y, m, 2022, 7, 2022, 8) ? 2 : 0), base = L * ix(lvl, t) * (1 + (stepF - 1) * ramp(t, step, stepLen));
    let x = 0; // harvest is built separately below
    if (kind === 'power') { // summer air-conditioning and winter peaks; Spring Festival factory shutdown
      x = 1 + 0.3 * bump(m, 7.5, 1) * (1 + 0.35 * a) + 0.15 * bump(m, 1, 1.1) * (1 - 0.2 * a);
      x *= (daysIn(y, m) / 30.4) * festFx(y, m, 5, 12, -0.35) * covid(y, m, 'cn', 0.25);
    } else if (kind === 'gas') {
      x = 0.12 + (hdd(m, a) / 12) * (cn && ym(y, m) >= ym(2017, 10) ? 1.8 : 1); // coal-to-gas switch in northern heating
      if (!cn && ym(y, m) >= ym(2022, 9)) x *= 0.85; // price shock, demand reduction
    } else if (kind === 'oil') {
      return add(v, t, r.poisson((L / 500) * Math.pow(hdd(m, a) / 19, 1.3) * ix(lvl, t) * Math.exp(-0.04 * (t / 12)))); // declining use
    } else if (kind === 'drinks') {
      x = (0.45 + 1.3 * bump(m, 7, 1.3) * (1 + 0.25 * a)) * covid(y, m, cn ? 'cn' : 'w', 0.2) * (r.chance(0.04) ? r.uni(1.2, 1.6) : 1);
    } else if (kind === 'milk') {
      x = (1 + 0.18 * bump(m, 5, 1.5) - 0.08 * bump(m, 11, 1.5)) * (daysIn(y, m) / 30.4);
      if (cn && inRange(y, m, 2008, 9, 2009, 8)) x *= 0.7 + (0.3 * (ym(y, m) - ym(2008, 9))) / 12; // melamine scandal
    } else if (kind === 'hydro') {
      x = (0.35 + 1.2 * bump(m, 7.5, 1.4) * (1 - 0.1 * a) * wetY(y)) * (cn && inRange(y, m, 2022, 7, 2022, 9) ? 0.55 : 1); // 2022 drought
    }
    add(v, t, base * x * r.logn(noise));
  });
  if (kind === 'harvest') { // state procurement: zero outside harvest, harvest month moves, droughts, years without purchases
    const crops = r.pick([[6], [10], [6, 10]]), none = perYear(() => r.chance(0.12)), yieldF = perYear(() => r.logn(0.15) * (r.chance(0.08) ? 0.5 : 1));
    for (let y = firstY(c); y <= lastY(c); y++) {
      for (const pm of none(y) ? [] : crops) { // none: market price above the minimum purchase price
        const k = at(c, y, pm + r.pick([-1, 0, 0, 1])), tot = L * ix(lvl, Math.max(0, Math.min(c.N - 1, k))) * 4 * yieldF(y);
        [0.15, 0.55, 0.3].forEach((w, i) => add(v, k - 1 + i, tot * w * r.logn(0.2)));
      }
    }
    each(c, (t) => { if (r.chance(0.05)) add(v, t, L * r.uni(0.01, 0.1)); }); // off-season rotation sales
  }
  return v;
};
// ───────────────────────────── 7. industry_retail ─────────────────────────────
const RETAIL_W = [0.88, 0.85, 0.97, 0.97, 1, 0.98, 1, 1, 0.95, 1, 1.05, 1.35];
const CEMENT = [0.85, 0.8, 0.95, 1.08, 1.12, 1.05, 0.95, 0.95, 1.05, 1.1, 1.15, 1.1];
const AUTO = [1.05, 0.8, 1, 0.92, 0.95, 1, 0.88, 0.92, 1.05, 1.05, 1.1, 1.25];
const industryRetail: Gen = (r, c) => {
  const kind = r.pick(['mfg', 'mfg', 'retail_w', 'online_cn', 'product', 'cement', 'auto'] as const), v = zeros(c.N);
  const cn = kind === 'mfg' ? r.chance(0.5) : kind !== 'retail_w', L = r.logUni(100, 100000), noise = r.uni(0.02, 0.06);
  if (kind === 'product') { // product family: Bass diffusion per generation, the old one fading once its successor launches
    const M = r.logUni(2e3, 2e5), p = r.uni(0.01, 0.03), q = r.uni(0.05, 0.15), G = r.int(30, 72), gens: number[] = [];
    for (let s = r.chance(0.5) ? r.int(1, Math.min(24, c.N - 30)) : -r.int(0, 24); s < c.N; s += G + r.int(-6, 6)) gens.push(s);
    const Ms = gens.map(() => M * r.uni(0.6, 1.4)), e = (s: number): number => Math.exp(-(p + q) * s);
    const F = (s: number): number => (s <= 0 ? 0 : (1 - e(s)) / (1 + (q / p) * e(s))); // Bass cumulative adoption
    each(c, (t, _y, m) => {
      const x = gens.reduce((sum, s, i) => { // generation i sells on a Bass curve and fades once generation i+1 is out
        const nx = gens[i + 1] ?? Infinity;
        return sum + ix(Ms, i) * (F(t - s + 1) - F(t - s)) * (t >= nx ? Math.exp(-(t - nx) / 4) : 1); }, 0);
      add(v, t, r.poisson(x * (1 + 0.35 * bump(m, 11.5, 0.7)) * (r.chance(0.04) ? r.uni(1.3, 1.8) : 1) * r.logn(0.1)));
    });
    return v;
  }
  const brk = r.chance(0.4) ? r.int(12, c.N - 12) : -1, g1 = r.uni(-0.02, cn ? 0.1 : 0.04), beta = r.uni(0.4, 1);
  const lvl = walk(r, c.N, g1, 0.006, brk, g1 + r.uni(-0.08, 0.02)), gfc = r.uni(0.05, cn ? 0.12 : 0.25), dec = r.uni(0.05, 0.2);
  const vat = r.chance(0.25) ? r.int(6, c.N - 3) : -1, ration = r.chance(0.6), a0 = Math.max(0, c.k0 - ym(2010, 1));
  each(c, (t, y, m) => {
    let x = 1; const k = ym(y, m), s = k - ym(2008, 10); // s: months since the Oct 2008 crash
    if (kind === 'mfg' || kind === 'cement') {
      x = Math.pow(weekdays(y, m) / 21.7, beta) * (s >= 0 && s < 12 ? 1 - gfc * Math.sin((Math.PI * (s + 1)) / 13) : 1);
      x *= covid(y, m, cn ? 'cn' : 'w', 0.3) * (cn ? festFx(y, m, 7, 15, kind === 'cement' ? -0.85 : -0.6) : m === 8 ? 0.8 : m === 12 ? 0.9 : 1);
      if (kind === 'cement') { // property downturn from mid-2021; power rationing in autumn 2021
        x *= ix(CEMENT, m - 1) * Math.exp((-dec * Math.max(0, k - ym(2021, 7))) / 12) * (ration && inRange(y, m, 2021, 9, 2021, 10) ? 0.85 : 1); }
    } else if (kind === 'retail_w') {
      const bf = Math.min(1, Math.max(0, (y - 2012) / 8)) * 0.12; // Black Friday moving spending from December to November
      x = (ix(RETAIL_W, m - 1) + (m === 11 ? bf : m === 12 ? -bf : 0)) * covid(y, m, 'w', 0.25);
      x *= Math.exp((0.07 * Math.max(0, Math.min(k, ym(2023, 6)) - ym(2021, 6))) / 12); // inflation burst
      if (t === vat) x *= 1.15; else if (vat >= 0 && t > vat) x *= t === vat + 1 ? 0.88 : 0.99;
    } else if (kind === 'online_cn') {
      const s11 = y <= 2011 ? 0.1 : y <= 2018 ? 0.1 + (y - 2011) * 0.07 : Math.max(0.3, 0.59 - (y - 2018) * 0.06);
      x = (1 + (m === 11 ? s11 : 0) + (y >= 2015 && m === 6 ? 0.15 : 0) + (m === 12 ? 0.08 : 0)) * festFx(y, m, 10, 10, -0.4);
      x *= Math.exp((0.05 * t) / 12 + (0.4 * 40 / 12) * (Math.exp(-a0 / 40) - Math.exp(-(a0 + t) / 40))) * covid(y, m, 'cn', 0.1);
    } else {
      x = ix(AUTO, m - 1) * festFx(y, m, 10, 10, -0.4) * covid(y, m, 'cn', 0.6) * (inRange(y, m, 2009, 3, 2010, 12) ? 1.15 : 1);
      if ([ym(2010, 12), ym(2016, 12), ym(2017, 12), ym(2022, 12)].includes(k)) x *= 1.25; // purchase-tax incentive about to expire
      if ([ym(2011, 1), ym(2018, 1), ym(2023, 1)].includes(k)) x *= k === ym(2023, 1) ? 0.65 : 0.88;
      x *= (inRange(y, m, 2021, 8, 2021, 10) ? 0.85 : 1) * (inRange(y, m, 2022, 6, 2022, 11) ? 1.12 : 1) // chip shortage; 2022 tax cut
        * (k >= ym(2024, 8) ? 1.1 : 1); // trade-in subsidies
    }
    if (r.chance(0.006)) x *= r.uni(0.5, 0.85); // strike, fire, cyber attack
    add(v, t, L * ix(lvl, t) * x * r.logn(noise));
  });
  return v;
};
// ───────────────────────────── 8. epi_counts (counts) ─────────────────────────────
const epiCounts: Gen = (r, c) => {
  const kind = r.pick(['flu', 'measles', 'dengue', 'hfmd', 'spares', 'accidents'] as const), v = zeros(c.N);
  const lam = zeros(c.N), cn = r.chance(0.5), base = r.logUni(0.5, 50), g = r.uni(-0.06, 0.1);
  if (kind === 'spares') {
    const p = r.uni(0.08, 0.6), mean = r.uni(0, 5), obs = r.chance(0.4) ? r.int(12, c.N - 12) : -1, d = r.uni(24, 120);
    each(c, (t) => { if (r.chance(p * (obs >= 0 && t >= obs ? Math.exp(-(t - obs) / d) : 1))) add(v, t, 1 + r.poisson(mean * r.logn(0.5))); });
    return v;
  }
  if (kind === 'flu') {
    const S = base * r.uni(20, 200), w = r.uni(0.7, 1.3), summer = cn && r.chance(0.4);
    for (let y = firstY(c); y <= lastY(c) + 1; y++) {
      const pk = at(c, y, 1) + (cn ? r.pick([-1, 0, 0, 1]) : r.pick([-1, 0, 1, 1, 2])), sz = S * r.logn(0.6) * Math.exp(g * (y - 2015));
      const spk = at(c, y, 7) + r.pick([-1, 0, 1]), ssz = summer && r.chance(0.5) ? sz * r.uni(0.2, 0.8) : 0;
      for (let t = 0; t < c.N; t++) add(lam, t, sz * Math.exp(-((t - pk) ** 2) / (2 * w * w)) + ssz * Math.exp(-((t - spk) ** 2) / 2));
    }
    each(c, (t, y, m) => {
      let x = ix(lam, t) + base * 0.2;
      if (cn ? inRange(y, m, 2020, 2, 2022, 11) : inRange(y, m, 2020, 4, 2022, 9)) x *= 0.03; // non-pharmaceutical interventions
      if (cn && inRange(y, m, 2023, 2, 2023, 4)) x += S * 2 * bump(m, 3, 0.7); // out-of-season 2023 wave
      if (!cn && inRange(y, m, 2022, 10, 2022, 12)) x += S * 1.2 * bump(m, 12, 0.8); // early 2022-23 season
      add(v, t, r.poisson(x * r.logn(0.15)));
    });
    return v;
  }
  const yrF = perYear((y) => (kind === 'dengue' ? r.logn(1) * (r.chance(0.1) || (cn && y === 2014) ? r.uni(10, 30) : 1) : 1));
  const par = r.int(0, 1), vacc = r.chance(0.6), law = r.chance(0.7); // biennial phase, EV71 vaccine, drink-driving law
  let ob = -1, obLen = 0, obSize = 0; // current measles outbreak
  each(c, (t, y, m) => {
    let x = 0; const k = ym(y, m), cv = covid(y, m, cn ? 'cn' : 'w', 0.6); // cv: less contact and reporting in the pandemic
    if (kind === 'measles') {
      x = base * 0.1 * (1 + 0.5 * bump(m, 4, 1.5)) * Math.exp((-0.05 * t) / 12) * cv * (!cn && y >= 2023 ? 3 : 1);
      if (ob < 0 && r.chance(0.015)) { ob = 0; obLen = r.int(2, 7); obSize = base * r.uni(3, 30); }
      if (ob >= 0) { x += obSize * Math.sin((Math.PI * (ob + 0.5)) / obLen); ob = ob + 1 >= obLen ? -1 : ob + 1; }
    } else if (kind === 'dengue') {
      x = (m >= 6 && m <= 11 ? base * bump(m, 9.5, 1.1) * yrF(y) : 0) + 0.03 * base * cv;
    } else if (kind === 'hfmd') {
      x = base * 20 * (0.15 + bump(m, 5.5, 1) + 0.5 * bump(m, 10, 0.8)) * (y % 2 === par ? 1.3 : 0.8) * (vacc && k >= ym(2016, 6) ? 0.7 : 1);
      x *= y === 2020 ? 0.15 : y === 2021 ? 0.7 : y === 2022 ? 0.4 : y === 2023 ? 1.3 : 1;
    } else {
      x = base * 2 * (1 + 0.15 * bump(m, 12, 1.5) + 0.1 * bump(m, 7, 1.5)) * Math.exp((g - 0.05) * (t / 12)) * (law && k >= ym(2011, 5) ? 0.8 : 1) * cv;
    }
    add(v, t, r.poisson(x * r.logn(0.2)));
  });
  return v;
};
// ───────────────────────────── assembly ─────────────────────────────
const CATEGORIES: ReadonlyArray<readonly [string, Gen, boolean]> = [
  ['gov_social_assistance', govSocial, false], ['gov_batch_transfers', govBatch, false], ['gov_operating', govOperating, false],
  ['gov_capital_collections', govCapital, false], ['transport_tourism', transport, true], ['weather_agri', weatherAgri, false],
  ['industry_retail', industryRetail, false], ['epi_counts', epiCounts, true],
];

export function generateHeldout4(options: { seed?: number; perCategory?: number } = {}): HeldoutSeries[] {
  const seed = options.seed ?? 4, per = Math.max(1, Math.floor(options.perCategory ?? 75)), out: HeldoutSeries[] = [];
  CATEGORIES.forEach(([name, gen, counts], ci) => {
    const cr = new Rng(hash(seed, ci, 0x4ead));
    const short = Array.from({ length: per }, (_, i) => i < Math.ceil(per * 0.46)); // >= 46% short histories, shuffled
    for (let i = per - 1; i > 0; i--) { const j = cr.int(0, i), tmp = short[i] ?? false; short[i] = short[j] ?? false; short[j] = tmp; }
    for (let i = 0; i < per; i++) {
      const horizon = cr.pick([12, 18, 24]), n = short[i] ? cr.int(24, 60) : Math.round(cr.logUni(61, 240));
      const c: Cal = { N: n + horizon, k0: ym(2023, 12) + cr.int(0, 24) - n - horizon + 1 };
      let values: number[] = [];
      for (let attempt = 0; attempt < 100; attempt++) {
        const raw = gen(new Rng(hash(seed, ci, i, attempt)), c);
        values = raw.map((x) => (Number.isFinite(x) && x > 0 ? (counts ? Math.round(x) : Math.round(x * 100) / 100) : 0));
        if (values.slice(n).some((x) => x > 0)) break; // redraw the rare series whose hold-out is all zero
      }
      if (!values.slice(n).some((x) => x > 0)) values[c.N - 1] = 1;
      out.push({ id: `h4-${name}-${String(i + 1).padStart(3, '0')}`, category: name, horizon, values });
    }
  });
  return out;
}
