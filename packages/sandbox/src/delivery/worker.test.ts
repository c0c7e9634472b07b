// The retry delay of the delivery worker: the schedule's delay with ±20 % jitter (sandbox README).

import fc from 'fast-check';
import { expect, it } from 'vitest';
import { jitteredDelay } from './worker.js';

it('jitters each scheduled delay by at most ±20 %, across the whole range', () => {
  expect(jitteredDelay(5_000, 0)).toBe(4_000);
  expect(jitteredDelay(5_000, 0.5)).toBe(5_000);
  expect(jitteredDelay(5_000, 1 - Number.EPSILON)).toBe(6_000);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 28_800_000 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (d, r) => {
        const delay = jitteredDelay(d, r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(d * 0.8));
        expect(delay).toBeLessThanOrEqual(Math.ceil(d * 1.2));
      },
    ),
  );
});
