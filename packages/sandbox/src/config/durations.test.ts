// The one duration grammar every duration flag shares.

import { describe, expect, it } from 'vitest';
import { parseDuration, parseDurationList } from './durations.js';

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['5s', 5000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['30d', 2_592_000_000],
    ['1.5s', 1500],
    ['42', 42],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('reads bare numbers in the default unit and lists of durations', () => {
    expect(parseDuration('90', 's')).toBe(90_000);
    expect(parseDurationList('100ms, 1s,5m')).toEqual([100, 1000, 300_000]);
    expect(() => parseDuration('5 parsecs')).toThrow(/not a duration/);
    expect(() => parseDurationList(' , ')).toThrow(/empty/);
  });
});
