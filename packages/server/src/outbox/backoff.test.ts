import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outboxBackoffMs } from './backoff.js';

describe('outbox backoff', () => {
  it('doubles from the base per attempt, without jitter at the midpoint', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5].map((a) => outboxBackoffMs(a, 1000, 60_000, middle))).toEqual([
      1000, 2000, 4000, 8000, 16000,
    ]);
  });

  it('is capped at the maximum', () => {
    expect(outboxBackoffMs(30, 1000, 300_000, () => 0.5)).toBe(300_000);
  });

  it('stays within ±20 % of the exponential delay for any attempt and random draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, draw) => {
          const max = base * 64;
          const nominal = Math.min(max, base * 2 ** (attempt - 1));
          const delay = outboxBackoffMs(attempt, base, max, () => draw);
          expect(delay).toBeGreaterThanOrEqual(Math.max(1, Math.floor(nominal * 0.8)));
          expect(delay).toBeLessThanOrEqual(Math.ceil(nominal * 1.2));
        },
      ),
    );
  });
});
