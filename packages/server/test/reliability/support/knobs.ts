// The suite's sizes come from the environment so a run can be made bigger (or, while developing, smaller)
// without touching code; the defaults are what CI runs and what docs/reliability.md reports.

/** An integer knob: `NOTIFYKIT_RELIABILITY_<name>` or the CI default. */
export function knob(name: string, ciDefault: number): number {
  const raw = process.env[`NOTIFYKIT_RELIABILITY_${name}`];
  if (raw === undefined || raw.trim() === '') return ciDefault;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`NOTIFYKIT_RELIABILITY_${name} must be an integer ≥ 0`);
  return value;
}

/** The seed every random choice of the suite derives from (printed with each scenario's figures). */
export const SEED = knob('SEED', 20_261_202);

/** A small seeded PRNG (mulberry32): the same seed gives the same kill moments and payout mix. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
