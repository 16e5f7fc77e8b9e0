import { createRandom, normal } from "./random.ts";

/* Seeded series for the library's tests (and the plan's message tests): not part of the public API. */

/** n months whose month profile moves steadily from a January peak to a July peak: driftingProfile(1, 120). */
export function driftingProfile(seed: number, n: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, (_, t) => {
    const w = t / n;
    const month = t % 12;
    const profile = (1 - w) * (1 + 0.4 * Math.cos((2 * Math.PI * month) / 12)) + w * (1 + 0.4 * Math.cos((2 * Math.PI * (month - 6)) / 12));
    return Math.round(1000 * profile * (1 + 0.03 * normal(random)));
  });
}

/** Twelve and a half years whose first 70 months fall, with another month profile (an old regime): oldRegime(2). */
export function oldRegime(seed: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: 150 }, (_, t) =>
    t < 70
      ? (2000 - 10 * t) * (1 + 0.4 * Math.cos((2 * Math.PI * t) / 12)) * (1 + 0.04 * normal(random))
      : (800 + 4 * (t - 70)) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 12)) * (1 + 0.04 * normal(random)),
  );
}
