/**
 * Held-out forecasting benchmark, set 3 (heldout3). THIS SET IS HELD OUT. Designed independently of the forecasting library, of
 * its own generated tuning series and of earlier held-out sets (none was read while writing it). Use it ONCE to evaluate a
 * finished method; never tune against it.
 *
 * Each series is a monthly calendar series ending between mid-2023 and mid-2025; `values` = history followed by the hold-out (last
 * `horizon` values). Horizons 12/18/24; histories 36–240 months, 40% of them 36–60 months. Spring Festival dates are real
 * (2000–2028), so the January/February effects move as in reality; the 2020–2022 pandemic disruption is placed in its real months.
 * Everything is deterministic from the seed.
 *
 * Categories (75 series each by default):
 *  gov_medical_assistance   医疗救助 disbursements (万元): illness-driven accrual paid monthly (one-stop hospital settlement), in
 *                           batches (bi-monthly/quarterly/half-yearly whose months slip), or both; batches that become monthly;
 *                           January budget holds, December clearing and advances, pauses with catch-up, standard/coverage changes
 *                           each Jan/Jul, catastrophic cases, hand-over of the function to another bureau (drop to a residual or
 *                           zero).
 *  gov_social_assistance    低保/特困 allowances (caseload × standard, annual raises in Jan/Jul/Oct, some announced late with back-pay
 *                           lumps, verification purges, 2020 expansion, Spring Festival one-off payments, quarterly→monthly
 *                           payment reform); batch subsidies paid 1/2/4 times a year with moving months, programme starts/ends;
 *                           temporary assistance (临时救助): Poisson cases, pre-festival and disaster peaks, many zeros.
 *  gov_payroll_pension      staff wages (headcount drift, raises with back-pay arrears, year-end bonus in Dec, Jan or the pre-festival
 *                           month, mode changes, Dec advance of January pay, reorganisations); pensions (retiree growth,
 *                           yearly adjustment announced mid-year with retro lump, 2014 pension-reform jump and later arrears, Feb
 *                           pension paid before an early festival); public-welfare-post / village-cadre subsidies paid quarterly
 *                           or half-yearly.
 *  gov_projects_procurement routine procurement (December rush, weak Jan, austerity cut) and construction projects (advance,
 *                           progress, completion and retention payments, Jan/Feb deferral, Q4 pulled into December, budget-cut
 *                           and stimulus regimes); lumpy, often many zeros.
 *  gov_revenue_transfers    district tax revenue (Jan settlement peak, quarterly prepayment months, May annual settlement, 2016
 *                           VAT reform, 2019 VAT cut, 2022 VAT credit refunds, big-taxpayer moves, one-off receipts); non-tax
 *                           revenue (lumpy remittances, half-year and December targets, land/asset lumps, fee abolitions);
 *                           transfers from higher-level government (early-year advance, installments, special-fund lumps, year-end
 *                           settlement, 2020–22 direct funds).
 *  econ_retail_tourism      retail sales (festival shopping, Double-11 growing in, pandemic hits), tourist arrivals
 *                           (summer/Golden-Week seasonality, closures to zero, 2023 rebound, changing seasonality), industrial
 *                           output (festival shutdown dip, trend break, inspection shutdowns), intermittent equipment/spare-part
 *                           demand (integer counts, mostly zeros).
 *  energy_agriculture       electricity use (summer and winter peaks varying with each year's weather), heating gas (zero
 *                           summers, coal-to-gas step, moving season start), seasonal produce sales (zero off-season, harvest
 *                           timing shifts, frost years), hydropower (wet season, droughts).
 *  health_counts            integer counts: influenza-like illness (winter epidemic with moving peak, pandemic suppression and
 *                           2023 surges), hand-foot-mouth disease (biennial, May/Oct peaks, vaccine decline), rare notifiable
 *                           diseases (mostly zeros, outbreak clusters, reporting catch-up), hospital outpatient visits (festival
 *                           dip, pandemic drop, new-wing level shifts).
 *
 */

export interface HeldoutSeries { id: string; category: string; horizon: number; values: number[] }

// ---------------------------------------------------------------- random numbers
type Rng = () => number;
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function hash(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) { h = Math.imul(h ^ (x | 0), 0x5bd1e995); h ^= h >>> 15; h = Math.imul(h, 0x27d4eb2d); h ^= h >>> 13; }
  return h >>> 0;
}
const uni = (r: Rng, a: number, b: number): number => a + (b - a) * r();
const int = (r: Rng, a: number, b: number): number => Math.floor(a) + Math.floor((Math.floor(b) - Math.floor(a) + 1) * r());
const chance = (r: Rng, p: number): boolean => r() < p;
function pick<T>(r: Rng, xs: readonly T[]): T { return xs[Math.floor(r() * xs.length)]!; }
function gauss(r: Rng): number { return Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r()); }
/** mean-one lognormal factor */
const lnf = (r: Rng, s: number): number => Math.exp(s * gauss(r) - (s * s) / 2);
const logUni = (r: Rng, a: number, b: number): number => Math.exp(uni(r, Math.log(a), Math.log(b)));
function poisson(r: Rng, lam: number): number {
  if (!(lam > 0)) return 0;
  if (lam > 40) return Math.max(0, Math.round(lam + Math.sqrt(lam) * gauss(r)));
  const L = Math.exp(-lam); let k = -1, p = 1;
  do { k++; p *= r(); } while (p > L); return k;
}

// ---------------------------------------------------------------- calendar
interface Ctx { r: Rng; n: number; start: number; yr: number[]; mo: number[] }
function makeCtx(r: Rng, n: number): Ctx {
  const end = 2023 * 12 + 5 + int(r, 0, 24); // last month between 2023-06 and 2025-06
  const start = end - n + 1, yr: number[] = [], mo: number[] = [];
  for (let i = 0; i < n; i++) { yr.push(Math.floor((start + i) / 12)); mo.push(((start + i) % 12) + 1); }
  return { r, n, start, yr, mo };
}
const idxOf = (c: Ctx, y: number, m: number): number => y * 12 + m - 1 - c.start;
const after = (c: Ctx, i: number, y: number, m: number): boolean => c.yr[i]! * 12 + c.mo[i]! >= y * 12 + m;
/** Spring Festival (Chinese New Year) dates 2000–2028 as MDD */
const CNY = [205, 124, 212, 201, 122, 209, 129, 218, 207, 126, 214, 203, 123, 210, 131, 219, 208, 128, 216, 205,
  125, 212, 201, 122, 210, 129, 217, 206, 126];
function cnyDoy(y: number): number {
  const v = CNY[Math.min(Math.max(y - 2000, 0), CNY.length - 1)]!;
  return Math.floor(v / 100) === 1 ? v % 100 : 31 + (v % 100);
}
/** share of the window [festival+from, festival+from+len) falling in month i (only Jan/Feb are non-zero) */
function cnyShare(c: Ctx, i: number, from: number, len: number): number {
  const m = c.mo[i]!; if (m > 2) return 0;
  const a = cnyDoy(c.yr[i]!) + from; let jan = 0;
  for (let k = 0; k < len; k++) if (a + k <= 31) jan++;
  return m === 1 ? jan / len : 1 - jan / len;
}
/** pandemic disruption severity 0..1 in real months */
function covid(c: Ctx, i: number): number {
  const y = c.yr[i]!, m = c.mo[i]!;
  if (y === 2020) return [0.15, 1, 0.7, 0.4, 0.25, 0.15, 0.1, 0.08, 0.05, 0.04, 0.04, 0.05][m - 1]!;
  if (y === 2021) return m === 1 || m === 8 ? 0.12 : 0.04;
  if (y === 2022) return [0.08, 0.1, 0.25, 0.4, 0.35, 0.15, 0.08, 0.1, 0.12, 0.15, 0.3, 0.55][m - 1]!;
  return y === 2023 && m === 1 ? 0.3 : 0;
}

// ---------------------------------------------------------------- building blocks
/** trend: annual growth g, switching to g2 at index `at` (trend break) */
function growth(c: Ctx, g: number, g2 = g, at = c.n): number[] {
  let lv = 1; return Array.from({ length: c.n }, (_, i) => (lv *= Math.pow(1 + (i < at ? g : g2), 1 / 12)));
}
/** multiplicative level path with random permanent steps (policy changes, reclassifications, clients) */
function steps(c: Ctx, rate: number, lo: number, hi: number, months?: number[]): number[] {
  let lv = 1;
  return c.mo.map((m, i) => (i > 0 && (!months || months.includes(m)) && chance(c.r, rate) ? (lv *= uni(c.r, lo, hi)) : lv));
}
/** smooth random 12-month profile around 1 */
function profile(r: Rng, amp: number, peak = int(r, 1, 12)): number[] {
  const a2 = uni(r, 0, 0.5) * amp, p2 = uni(r, 0, 12);
  return Array.from({ length: 12 }, (_, k) => Math.max(0.05, 1 + amp * Math.cos((2 * Math.PI * (k + 1 - peak)) / 12)
    + a2 * Math.cos((4 * Math.PI * (k + 1 - p2)) / 12)));
}
const perturb = (r: Rng, pat: number[], lo: number, hi: number): number[] =>
  pat.map((v) => Math.max(0.05, 1 + (v - 1) * uni(r, lo, hi) + 0.04 * gauss(r)));

interface PayPlan {
  period: number; phase: number; slip: number; skip: number; janHold: number;
  decClear: number; decAdvance: number; pause: number; switchAt?: number; period2?: number;
}
/**
 * Turns an accrual (entitlement / work done) into disbursements: payments fall on calendar due months of a
 * cycle (period months, phase), slip by a month or two, skip months (paid double next time), wait in January for
 * the new budget, pause for a few months (then catch up), clear the backlog in December and sometimes pay
 * ahead in December (so early next-year payments come out small or zero).
 */
function disburse(c: Ctx, acc: number[], p: PayPlan): number[] {
  const { r, n } = c;
  const due = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    const P = p.switchAt !== undefined && i >= p.switchAt ? p.period2 ?? p.period : p.period;
    if ((c.mo[i]! - 1) % P !== p.phase % P) continue;
    if (P === 1 && chance(r, p.skip)) continue;
    let j = i;
    if (chance(r, p.slip)) j += chance(r, 0.65) ? 1 : chance(r, 0.5) ? 2 : -1;
    if (j >= 0 && j < n && c.mo[j] === 1 && chance(r, p.janHold)) j++;
    if (j >= 0 && j < n) due[j] = true;
  }
  const out = new Array<number>(n).fill(0);
  let back = 0, pauseLeft = 0;
  for (let i = 0; i < n; i++) {
    back += acc[i]!;
    if (pauseLeft > 0) { pauseLeft--; continue; }
    if (chance(r, p.pause)) { pauseLeft = int(r, 1, 5); continue; }
    const dec = c.mo[i] === 12;
    if (!(due[i] || (dec && chance(r, p.decClear)))) continue;
    let amt = Math.max(back, 0);
    if (dec && chance(r, p.decAdvance)) amt += acc[i]! * uni(r, 0.5, 2.5);
    out[i] = amt; back -= amt;
  }
  return out;
}
const addArr = (a: number[], b: number[]): number[] => a.map((v, i) => v + b[i]!);

// ---------------------------------------------------------------- 1. medical assistance (医疗救助)
function medicalAssistance(c: Ctx): number[] {
  const { r, n } = c;
  const base = logUni(r, 2, 300); // 万元 / month
  const tr = growth(c, uni(r, -0.02, 0.12), uni(r, -0.06, 0.08), int(r, n / 3, 2 * n));
  const pol = steps(c, 0.015, 0.6, 1.7, [1, 7]), wint = uni(r, 0, 0.2), sd = uni(r, 0.1, 0.35);
  const handover = chance(r, 0.12) ? int(r, n / 3, n - 1) : n, resid = chance(r, 0.5) ? 0 : uni(r, 0.05, 0.3);
  const acc = c.mo.map((m, i) => {
    let a = base * tr[i]! * pol[i]! * (1 + wint * Math.cos((2 * Math.PI * (m - 1)) / 12)) * lnf(r, sd) * (1 - 0.4 * covid(c, i));
    if (chance(r, 0.012)) a *= uni(r, 3, 8); // catastrophic-illness case
    return i >= handover ? a * resid : a;
  });
  const monthly: PayPlan = { period: 1, phase: 0, slip: 0.05, skip: 0.08, janHold: 0.5, decClear: 0.9, decAdvance: 0.3, pause: 0.01 };
  const batch: PayPlan = { period: pick(r, [2, 3, 3, 6]), phase: int(r, 0, 5), slip: 0.3, skip: 0, janHold: 0.6, decClear: 0.7, decAdvance: 0.15, pause: 0.01 };
  const mode = pick(r, [0, 0, 0, 1, 1, 2, 2, 3, 3, 3]);
  if (mode === 0) return disburse(c, acc, monthly);
  if (mode === 1) return disburse(c, acc, batch);
  if (mode === 2) return disburse(c, acc, { ...batch, switchAt: int(r, 12, n - 6), period2: 1 });
  const w = uni(r, 0.4, 0.8); // hospital settlement monthly + out-of-hospital claims in batches
  return addArr(disburse(c, acc.map((v) => v * w), monthly), disburse(c, acc.map((v) => v * (1 - w)), batch));
}

// ---------------------------------------------------------------- 2. social assistance & subsidy batches
function socialAssistance(c: Ctx): number[] {
  const { r, n } = c, kind = int(r, 0, 2);
  if (kind === 0) { // 低保 / 特困供养: caseload × standard
    let cases = logUni(r, 150, 15000), std = (120 + 28 * (c.yr[0]! - 2000)) * uni(r, 0.7, 1.4);
    const drift = uni(r, -0.07, 0.03), gap = uni(r, 0.35, 0.7), raiseMo = pick(r, [1, 1, 7, 7, 10]);
    const pFest = uni(r, 0, 0.9), festAmt = uni(r, 100, 600);
    const acc: number[] = [], extra = new Array<number>(n).fill(0);
    let pend: { at: number; delta: number; d: number } | null = null;
    for (let i = 0; i < n; i++) {
      const m = c.mo[i]!;
      if (i > 0) cases *= Math.pow(1 + drift, 1 / 12) * (chance(r, 0.012) ? uni(r, 0.72, 0.95) : 1) * lnf(r, 0.01);
      if (c.yr[i] === 2020 && m === 4 && chance(r, 0.5)) cases *= uni(r, 1.05, 1.25); // coverage expansion
      if (m === raiseMo && !pend && chance(r, 0.85)) { const d = chance(r, 0.4) ? int(r, 2, 6) : 0; pend = { at: i + d, delta: std * uni(r, 0.03, 0.12), d }; }
      if (pend && i >= pend.at) { std += pend.delta; extra[i]! += (cases * pend.delta * gap * pend.d) / 1e4; pend = null; } // back-pay
      acc.push((cases * std * gap * lnf(r, 0.02)) / 1e4);
      if (m <= 2 && cnyShare(c, i, -21, 21) >= 0.5 && chance(r, pFest)) extra[i]! += (cases * festAmt * lnf(r, 0.2)) / 1e4;
      if (c.yr[i]! >= 2019 && c.yr[i]! <= 2021 && chance(r, 0.04)) extra[i]! += (cases * uni(r, 20, 120)) / 1e4; // price subsidy
    }
    const plan: PayPlan = { period: 1, phase: 0, slip: 0.05, skip: 0.04, janHold: 0.25, decClear: 0.95, decAdvance: 0.1, pause: 0.005 };
    if (chance(r, 0.25)) { plan.period = 3; plan.phase = int(r, 0, 2); plan.switchAt = int(r, 12, n - 6); plan.period2 = 1; }
    return addArr(disburse(c, acc, plan), extra);
  }
  if (kind === 1) { // subsidy batches (farmland, elderly, disability, veteran allowances)
    const annual = logUni(r, 5, 800), tr = growth(c, uni(r, -0.02, 0.08)), pol = steps(c, 0.01, 0.7, 1.5, [1]);
    const from = chance(r, 0.2) ? int(r, 6, n / 2) : 0, to = chance(r, 0.1) ? int(r, n / 2, n) : n;
    const acc = c.mo.map((_, i) => (i < from || i >= to ? 0 : (annual / 12) * tr[i]! * pol[i]! * lnf(r, 0.05)));
    const k = pick(r, [1, 1, 2, 2, 4]), phase = k === 1 ? pick(r, [3, 4, 5, 8, 10]) : k === 2 ? pick(r, [2, 5]) : 2;
    return disburse(c, acc, { period: 12 / k, phase, slip: 0.35, skip: 0, janHold: 0.5, decClear: 0.3, decAdvance: 0, pause: 0.01 });
  }
  // temporary assistance (临时救助): Poisson cases, paid quickly
  const lam0 = uni(r, 0.3, 12), size = uni(r, 0.2, 3), pol = steps(c, 0.008, 0.5, 2), pre = uni(r, 0.5, 3);
  let disaster = 0;
  const acc = c.mo.map((m, i) => {
    if (m >= 6 && m <= 9 && disaster === 0 && chance(r, 0.04)) disaster = int(r, 1, 2);
    const boost = disaster > 0 ? uni(r, 3, 10) : 1; if (disaster > 0) disaster--;
    const k = poisson(r, lam0 * pol[i]! * (1 + pre * cnyShare(c, i, -21, 21)) * boost);
    return k === 0 ? 0 : k * size * lnf(r, 0.6 / Math.sqrt(k));
  });
  return disburse(c, acc, { period: 1, phase: 0, slip: 0.05, skip: 0.15, janHold: 0.3, decClear: 0.9, decAdvance: 0, pause: 0.01 });
}

// ---------------------------------------------------------------- 3. payroll and pensions
function payrollPension(c: Ctx): number[] {
  const { r, n } = c, kind = int(r, 0, 2), out = new Array<number>(n).fill(0);
  if (kind === 0) { // wages of budget-funded staff (万元)
    let head = logUni(r, 20, 3000), wage = (0.25 + 0.045 * (c.yr[0]! - 2000)) * uni(r, 0.8, 1.3);
    const drift = uni(r, -0.02, 0.03), bonus = uni(r, 0.5, 3), modes = ['dec', 'jan', 'cny', 'split'] as const;
    let mode = pick(r, modes); const switchAt = chance(r, 0.3) ? int(r, 12, n) : n; let skipJan = false;
    for (let i = 0; i < n; i++) {
      const m = c.mo[i]!;
      if (i === switchAt) mode = pick(r, modes);
      head *= Math.pow(1 + drift, 1 / 12) * (chance(r, 0.006) ? uni(r, 0.6, 1.4) : 1);
      if (chance(r, 0.02)) { // pay raise, often back-dated
        const delta = wage * uni(r, 0.04, 0.15); wage += delta;
        if (chance(r, 0.5)) { const j = i + int(r, 0, 4); if (j < n) out[j]! += head * delta * int(r, 3, 12); }
      }
      const base = head * wage * lnf(r, 0.015) * (m === 7 ? uni(r, 1, 1.06) : 1);
      if (skipJan && m === 1) { skipJan = false; continue; }
      out[i]! += base;
      const b = head * wage * bonus * lnf(r, 0.15);
      if ((mode === 'dec' && m === 12) || (mode === 'jan' && m === 1)) out[i]! += b;
      if (mode === 'cny' && m <= 2 && cnyShare(c, i, -14, 14) >= 0.5) out[i]! += b;
      if (mode === 'split' && (m === 6 || m === 12)) out[i]! += b / 2;
      if (m === 12 && chance(r, 0.04)) { out[i]! += base; skipJan = true; } // January pay advanced into December
    }
    return out;
  }
  if (kind === 1) { // pensions
    let ret = logUni(r, 10, 2000), pen = (0.1 + 0.02 * (c.yr[0]! - 2000)) * uni(r, 0.8, 1.3);
    const g = uni(r, 0.01, 0.07), pEarly = uni(r, 0, 0.6);
    const reform = chance(r, 0.35) ? idxOf(c, 2014, 10) : -1, pre = uni(r, 0.05, 0.25), annMo = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const m = c.mo[i]!, y = c.yr[i]!;
      ret *= Math.pow(1 + g, 1 / 12) * (chance(r, 0.004) ? uni(r, 0.8, 1.25) : 1);
      if (!annMo.has(y)) annMo.set(y, chance(r, 0.9) ? int(r, 5, 9) : 0); // yearly adjustment, retro to January
      if (m === annMo.get(y)) { const delta = pen * Math.max(0.02, 0.1 - 0.005 * (y - 2005)) * uni(r, 0.8, 1.2); pen += delta; out[i]! += ret * delta * (m - 1) * (reform >= 0 && i < reform ? pre : 1); }
      let v = ret * pen * lnf(r, 0.01);
      if (reform >= 0 && i < reform) v *= pre;
      out[i]! += v;
    }
    if (reform >= 0 && reform < n) { const j = reform + int(r, 18, 34); if (j < n) out[j]! += ret * pen * 0.08 * 20; } // reform arrears
    for (let i = 1; i < n; i++) if (c.mo[i] === 2 && cnyDoy(c.yr[i]!) <= 40 && chance(r, pEarly)) { out[i - 1]! += out[i]!; out[i] = 0; }
    return out;
  }
  // public-welfare posts / village cadre / forest ranger subsidies, paid quarterly or half-yearly
  const posts = steps(c, 0.02, 0.6, 1.6, [1, 7]), rate = logUni(r, 2, 60), tr = growth(c, uni(r, 0, 0.06));
  const acc = c.mo.map((_, i) => rate * posts[i]! * tr[i]!);
  return disburse(c, acc, { period: pick(r, [3, 3, 6]), phase: int(r, 0, 5), slip: 0.3, skip: 0, janHold: 0.6, decClear: 0.6, decAdvance: 0.05, pause: 0.02 });
}

// ---------------------------------------------------------------- 4. projects and procurement
function projectsProcurement(c: Ctx): number[] {
  const { r, n } = c;
  const out = new Array<number>(n).fill(0), pDefer = uni(r, 0.2, 0.7), pRush = uni(r, 0.1, 0.5);
  const add = (i: number, v: number): void => {
    if (i < 0 || i >= n) return; const m = c.mo[i]!; let j = i;
    if (m <= 2 && chance(r, pDefer)) j += 3 - m; // nothing paid before the budget is approved
    else if (m >= 10 && m < 12 && chance(r, pRush)) j += 12 - m; // pulled into the December rush
    if (j < n) out[j]! += v;
  };
  const kind = int(r, 0, 2);
  if (kind !== 1) { // routine procurement
    const b = logUni(r, 1, 200), dec = uni(r, 1.5, 5), jan = uni(r, 0.1, 0.6), pz = chance(r, 0.4) ? uni(r, 0.05, 0.4) : 0;
    const cut = steps(c, 0.008, 0.5, 1.3), aust = uni(r, 0.6, 0.9), tr = growth(c, uni(r, -0.03, 0.08));
    for (let i = 0; i < n; i++) {
      const m = c.mo[i]!;
      if (chance(r, pz)) continue;
      const s = m === 12 ? dec : m === 1 ? jan : m % 3 === 0 ? 1.2 : 1;
      out[i]! += b * s * cut[i]! * tr[i]! * (after(c, i, 2013, 1) ? aust : 1) * lnf(r, 0.3);
    }
  }
  if (kind !== 0) { // construction projects
    const lam = logUni(r, 0.03, 0.8), regime = steps(c, 0.01, 0.3, 2), med = logUni(r, 20, 2000);
    for (let i = -24; i < n; i++) {
      const m = ((((c.start + i) % 12) + 12) % 12) + 1;
      const k = poisson(r, lam * regime[Math.max(i, 0)]! * (m >= 3 && m <= 6 ? 1.5 : 0.8));
      for (let q = 0; q < k; q++) {
        const cost = med * lnf(r, 1), dur = int(r, 3, 18), adv = chance(r, 0.6) ? uni(r, 0.1, 0.3) : 0;
        const prog = uni(r, 0.4, 0.6), ret = chance(r, 0.7) ? uni(r, 0.03, 0.05) : 0, step = pick(r, [1, 1, 2, 3]);
        add(i + int(r, 0, 2), cost * adv);
        const ks = Math.max(1, Math.floor(dur / step));
        for (let s = 1; s <= ks; s++) add(i + s * step, (cost * prog / ks) * lnf(r, 0.3));
        add(i + dur + int(r, 1, 8), cost * (1 - adv - prog - ret));
        add(i + dur + int(r, 12, 26), cost * ret);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- 5. revenue and transfers
function revenueTransfers(c: Ctx): number[] {
  const { r, n } = c, kind = int(r, 0, 2);
  if (kind === 0) { // tax revenue
    const pat = perturb(r, [1.45, 0.75, 0.85, 1.15, 1.25, 0.9, 1.1, 0.85, 0.9, 1.1, 0.85, 0.95], 0.4, 1.4);
    const base = logUni(r, 50, 5000), tr = growth(c, uni(r, 0.04, 0.16), uni(r, -0.02, 0.07), idxOf(c, int(r, 2012, 2016), 1));
    const ygz = chance(r, 0.6) ? uni(r, 0.7, 0.95) : 1, vat = uni(r, 0.88, 0.97), refund = chance(r, 0.6) ? uni(r, 0.1, 0.7) : 1;
    const moves = steps(c, 0.008, 0.6, 1.4), sd = uni(r, 0.04, 0.15), hol = uni(r, 0.1, 0.3);
    return c.mo.map((m, i) => {
      let v = base * pat[m - 1]! * tr[i]! * moves[i]! * lnf(r, sd) * (1 - 0.5 * covid(c, i)) * (1 - hol * cnyShare(c, i, 0, 7));
      if (after(c, i, 2016, 5)) v *= ygz;
      if (after(c, i, 2019, 4)) v *= vat;
      if (c.yr[i] === 2022 && m >= 4 && m <= 7) v *= refund * uni(r, 0.8, 1.2);
      if (chance(r, 0.012)) v += base * tr[i]! * uni(r, 1, 5); // land VAT liquidation, equity transfer...
      return v;
    });
  }
  if (kind === 1) { // non-tax revenue remitted to the treasury
    const base = logUni(r, 5, 800), tr = growth(c, uni(r, -0.02, 0.1)), fees = steps(c, 0.008, 0.4, 1.3), dec = uni(r, 1.5, 4);
    const jun = uni(r, 1, 1.5);
    const acc = c.mo.map((m, i) => {
      let v = base * tr[i]! * fees[i]! * (m === 12 ? dec : m === 6 ? jun : 1) * lnf(r, 0.35);
      if (chance(r, 0.02)) v += base * uni(r, 3, 15); // land / asset disposal
      return v;
    });
    return disburse(c, acc, { period: pick(r, [1, 1, 2, 3]), phase: int(r, 0, 2), slip: 0.2, skip: 0.15, janHold: 0.3, decClear: 0.95, decAdvance: 0, pause: 0.01 });
  }
  // transfers from higher-level government
  const out = new Array<number>(n).fill(0), t0 = logUni(r, 200, 20000), g = uni(r, 0, 0.1), gs = uni(r, 0.3, 0.7);
  const put = (y: number, m: number, v: number): void => { const i = idxOf(c, y, m); if (i >= 0 && i < n) out[i]! += v; };
  for (let y = c.yr[0]!; y <= c.yr[n - 1]!; y++) {
    const T = t0 * Math.pow(1 + g, y - 2010) * lnf(r, 0.15) * (y >= 2020 && y <= 2022 ? uni(r, 1.1, 1.5) : 1);
    const gen = T * gs, adv = uni(r, 0.25, 0.4);
    put(y, chance(r, 0.2) ? 1 : pick(r, [2, 3]), gen * adv);
    const inst = pick(r, [[5, 8, 11], [6, 9, 11], [4, 7, 10], [6, 10]]);
    for (const m of inst) put(y, Math.min(12, m + (chance(r, 0.3) ? 1 : 0)), (gen * (1 - adv)) / inst.length);
    const settle = uni(r, 0.05, 0.2), ks = int(r, 3, 10);
    for (let k = 0; k < ks; k++) put(y, pick(r, [3, 4, 5, 6, 6, 7, 8, 9, 10, 11, 11, 12]), (T * (1 - gs - settle) * lnf(r, 0.7)) / ks);
    put(y, chance(r, 0.75) ? 12 : 11, T * Math.max(settle, 0));
  }
  return out;
}

// ---------------------------------------------------------------- 6. retail, tourism, industry, intermittent demand
function retailTourism(c: Ctx): number[] {
  const { r, n } = c, kind = int(r, 0, 3);
  if (kind === 3) { // intermittent equipment / spare-part demand (units)
    const lam = uni(r, 0.1, 3), lv = steps(c, 0.01, 0.3, 2.5), big = uni(r, 0, 0.3);
    return c.mo.map((_, i) => { const k = poisson(r, lam * lv[i]!); return k > 0 && chance(r, big) ? k * int(r, 2, 10) : k; });
  }
  const base = logUni(r, 10, 50000), lv = steps(c, 0.006, 0.6, 1.5), sd = uni(r, 0.02, 0.1);
  const tr = growth(c, uni(r, 0.0, 0.14), uni(r, -0.03, 0.06), int(r, n / 4, 1.5 * n)), expo = uni(r, 0.3, 0.8);
  if (kind === 0) { // retail sales
    const pat = perturb(r, [1.08, 0.92, 0.95, 0.93, 0.97, 1.0, 0.94, 0.95, 1.0, 1.05, 1.04, 1.2], 0.5, 1.5);
    const fest = uni(r, 0.05, 0.3), d11 = uni(r, 0, 0.3);
    return c.mo.map((m, i) => base * pat[m - 1]! * tr[i]! * lv[i]! * lnf(r, sd) * (1 + fest * cnyShare(c, i, -21, 21))
      * (m === 11 ? 1 + d11 * Math.min(1, Math.max(0, (c.yr[i]! - 2011) / 8)) : 1) * (1 - expo * covid(c, i)));
  }
  if (kind === 1) { // tourist arrivals (thousand persons), seasonality drifting from pattern A to B
    const A = profile(r, uni(r, 0.2, 0.7), int(r, 7, 8)), B = profile(r, uni(r, 0.2, 0.7), pick(r, [1, 2, 7, 10]));
    const gw = uni(r, 0, 0.4), fest = uni(r, -0.3, 0.5), e = uni(r, 0.7, 1.3), blend = chance(r, 0.5) ? 1 : 0, reb = uni(r, 1, 1.35);
    return c.mo.map((m, i) => {
      const w = blend * (i / n), s = (1 - w) * A[m - 1]! + w * B[m - 1]!;
      return base * s * tr[i]! * lv[i]! * lnf(r, sd * 1.5) * (m === 10 ? 1 + gw : 1) * (1 + fest * cnyShare(c, i, 0, 7))
        * Math.max(0, 1 - e * covid(c, i) * uni(r, 0.8, 1.6)) * (c.yr[i] === 2023 ? reb : 1);
    });
  }
  // industrial output
  const dip = uni(r, 0.2, 0.5), shutP = chance(r, 0.25) ? 0.015 : 0; let shut = 0;
  return c.mo.map((m, i) => {
    if (shut > 0) { shut--; return 0; }
    if (chance(r, shutP)) { shut = int(r, 1, 7); return 0; } // inspection / maintenance shutdown
    return base * tr[i]! * lv[i]! * lnf(r, sd) * (1 - dip * cnyShare(c, i, 0, 14)) * (m === 12 ? 1.1 : m === 3 ? 1.05 : 1) * (1 - 0.5 * expo * covid(c, i));
  });
}

// ---------------------------------------------------------------- 7. energy and agriculture
function energyAgriculture(c: Ctx): number[] {
  const { r, n } = c, kind = int(r, 0, 3);
  const base = logUni(r, 5, 20000), tr = growth(c, uni(r, -0.02, 0.1), uni(r, -0.04, 0.06), int(r, n / 3, 2 * n));
  const lv = steps(c, 0.006, 0.5, 1.6), yearly = new Map<number, number>();
  const yf = (y: number, s: number): number => { if (!yearly.has(y)) yearly.set(y, lnf(r, s)); return yearly.get(y)!; };
  if (kind === 0) { // electricity consumption
    const su = uni(r, 0.05, 0.4), wi = uni(r, 0, 0.3), dip = uni(r, 0.05, 0.3);
    return c.mo.map((m, i) => {
      const hot = yf(c.yr[i]!, 0.4);
      const sea = 1 + su * hot * (m === 7 || m === 8 ? 1 : m === 6 || m === 9 ? 0.4 : 0) + wi * (m === 12 || m === 1 ? 1 : m === 2 ? 0.5 : 0);
      return base * sea * tr[i]! * lv[i]! * lnf(r, 0.03) * (1 - dip * cnyShare(c, i, 0, 10)) * (1 - 0.3 * covid(c, i));
    });
  }
  if (kind === 1) { // heating gas (zero summers when there is no base load)
    const dd = [1.0, 0.9, 0.6, 0.15, 0, 0, 0, 0, 0, 0.08, 0.5, 0.9], bl = chance(r, 0.5) ? 0 : uni(r, 0.02, 0.15), c2g = chance(r, 0.4) ? uni(r, 1.5, 3) : 1;
    return c.mo.map((m, i) => {
      const cold = yf(c.yr[i]! + (m >= 9 ? 1 : 0), 0.15);
      const d = m === 11 || m === 3 ? dd[m - 1]! * uni(r, 0.4, 1.4) : dd[m - 1]!;
      return base * tr[i]! * lv[i]! * (bl + d * cold) * lnf(r, 0.05) * (after(c, i, 2017, 11) ? c2g : 1);
    });
  }
  if (kind === 2) { // seasonal produce sales: zero off-season, moving harvest
    const s0 = int(r, 1, 12), L = int(r, 2, 5), off = chance(r, 0.5) ? 0 : uni(r, 0.01, 0.08);
    const shifts = new Map<number, number>();
    return c.mo.map((m, i) => {
      const y = c.yr[i]!;
      if (!shifts.has(y)) shifts.set(y, chance(r, 0.35) ? pick(r, [-1, 1]) : 0);
      const pos = (((m - s0 - shifts.get(y)!) % 12) + 12) % 12;
      const w = pos < L ? 1 - Math.abs(pos - (L - 1) / 2) / L : off;
      const frost = yf(y, 0.3) * (yf(-y, 1.2) < 0.1 ? 0.2 : 1); // frost / drought years
      return base * tr[i]! * lv[i]! * w * frost * lnf(r, 0.15);
    });
  }
  // hydropower generation
  const pat = profile(r, uni(r, 0.3, 0.8), int(r, 6, 8));
  return c.mo.map((m, i) => base * pat[m - 1]! * yf(c.yr[i]!, 0.25) * lv[i]! * lnf(r, 0.12) * (chance(r, 0.01) ? 0 : 1));
}

// ---------------------------------------------------------------- 8. health counts
function healthCounts(c: Ctx): number[] {
  const { r, n } = c, kind = int(r, 0, 3);
  const tr = growth(c, uni(r, -0.03, 0.08)), lv = steps(c, 0.006, 0.6, 1.8), supp = uni(r, 0.05, 0.4);
  if (kind === 0) { // influenza-like illness
    const b = logUni(r, 2, 400), south = chance(r, 0.4) ? uni(r, 0.3, 1.5) : 0, seasons = new Map<number, [number, number]>();
    return c.mo.map((m, i) => {
      const s = c.yr[i]! + (m >= 8 ? 1 : 0);
      if (!seasons.has(s)) seasons.set(s, [pick(r, [0, 1, 1, 2, 3]), 3 * lnf(r, 0.6)]);
      const [pk, mag] = seasons.get(s)!;
      const off = (((m % 12) - pk + 6 + 12) % 12) - 6; // months from peak (Dec = 0)
      let lam = b * (1 + mag * Math.exp(-(off * off) / 2) + south * (m === 6 || m === 7 ? 1 : 0));
      if (after(c, i, 2020, 2) && !after(c, i, 2023, 1)) lam *= supp;
      if (c.yr[i] === 2023 && (m === 3 || m === 4 || m === 12)) lam *= uni(r, 2, 5);
      return poisson(r, lam * tr[i]! * lv[i]! * lnf(r, 0.15));
    });
  }
  if (kind === 1) { // hand-foot-mouth disease
    const b = logUni(r, 3, 300), autumn = uni(r, 0.2, 0.7), bi = uni(r, 0, 0.5);
    return c.mo.map((m, i) => {
      const y = c.yr[i]!, sea = 0.15 + Math.exp(-((m - 5) ** 2) / 2) + autumn * Math.exp(-((m - 10) ** 2) / 1.5);
      const vac = y >= 2016 ? Math.exp(-0.15 * (y - 2016 + m / 12)) : 1;
      return poisson(r, b * sea * (1 + (y % 2 === 0 ? bi : -bi)) * vac * lv[i]! * (1 - (1 - supp) * Math.min(1, 3 * covid(c, i))) * lnf(r, 0.2));
    });
  }
  if (kind === 2) { // rare notifiable disease: mostly zeros, outbreak clusters, reporting catch-up
    const lam = uni(r, 0.05, 1); let ob = 0, obSize = 0;
    return c.mo.map((_, i) => {
      if (ob === 0 && chance(r, 0.02)) { ob = int(r, 1, 3); obSize = uni(r, 3, 30); }
      const extra = ob > 0 ? obSize * lnf(r, 0.5) : 0; if (ob > 0) ob--;
      return poisson(r, lam * lv[i]! + extra) + (chance(r, 0.01) ? int(r, 3, 12) : 0);
    });
  }
  // hospital outpatient visits
  const b = logUni(r, 2000, 200000), dip = uni(r, 0.15, 0.35), summer = uni(r, 0, 0.15), drop = uni(r, 0.3, 0.7);
  return c.mo.map((m, i) => poisson(r, b * tr[i]! * lv[i]! * (1 - dip * cnyShare(c, i, 0, 10)) * (m === 7 || m === 8 ? 1 + summer : 1)
    * (1 - drop * covid(c, i)) * lnf(r, 0.04)));
}

// ---------------------------------------------------------------- assembly
const CATEGORIES: ReadonlyArray<readonly [string, (c: Ctx) => number[]]> = [
  ['gov_medical_assistance', medicalAssistance], ['gov_social_assistance', socialAssistance], ['gov_payroll_pension', payrollPension],
  ['gov_projects_procurement', projectsProcurement], ['gov_revenue_transfers', revenueTransfers],
  ['econ_retail_tourism', retailTourism], ['energy_agriculture', energyAgriculture], ['health_counts', healthCounts],
];

export function generateHeldout3(options?: { seed?: number; perCategory?: number }): HeldoutSeries[] {
  const seed = options?.seed ?? 3, per = options?.perCategory ?? 75, out: HeldoutSeries[] = [];
  CATEGORIES.forEach(([category, gen], k) => {
    for (let j = 0; j < per; j++) {
      const r = mulberry32(hash(seed, k, j, 0x4e3));
      const horizon = pick(r, [12, 18, 24] as const);
      const hist = j % 5 < 2 ? int(r, 36, 60) : 61 + Math.floor(180 * Math.pow(r(), 1.2));
      let values: number[] = [];
      for (let attempt = 0; attempt < 8; attempt++) { // redraw degenerate histories (fewer than 6 non-zero months)
        values = gen(makeCtx(r, hist + horizon)).map((v) => (Number.isFinite(v) && v > 0 ? Math.round(v * 100) / 100 : 0));
        if (values.slice(0, hist).filter((v) => v > 0).length >= 6) break;
      }
      out.push({ id: `${category}-${String(j + 1).padStart(3, '0')}`, category, horizon, values });
    }
  });
  return out;
}
