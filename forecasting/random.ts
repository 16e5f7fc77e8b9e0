/** A seeded pseudo-random source: uniform numbers in [0, 1). */
export type Random = () => number;

/** A reproducible generator (sfc32, seeded through splitmix32): createRandom(42)() → the same number every run. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const splitmix = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/** A standard normal draw (Box–Muller): normal(createRandom(1)) → e.g. −0.42. */
export function normal(random: Random): number {
  let u = random();
  while (u <= Number.MIN_VALUE) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A lognormal draw with the given log-mean and log-sd: lognormal(random, Math.log(1000), 0.5) → e.g. 1,180. */
export function lognormal(random: Random, mu: number, sigma: number): number {
  return Math.exp(mu + sigma * normal(random));
}

/** A Poisson draw (multiplication method below 30, rounded normal above): poisson(random, 4) → e.g. 3. */
export function poisson(random: Random, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random();
  while (product > limit) {
    count++;
    product *= random();
  }
  return count;
}

/** A uniform integer in [0, n): randomInt(random, 6) → 0…5. */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}
