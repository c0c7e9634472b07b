import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountToCents, formatCents } from './money.js';

describe('money', () => {
  it.each([
    ['250.00', 25_000],
    ['250', 25_000],
    ['250.5', 25_050],
    ['0.01', 1],
    [' 7.10 ', 710],
    ['9999999.99', 999_999_999],
    ['0.29', 29], // 0.29 * 100 is 28.999999999999996 in floating point
    ['1.15', 115], // 1.15 * 100 is 114.99999999999999
  ])('amountToCents(%j) = %i', (text, cents) => expect(amountToCents(text)).toBe(cents));

  it.each([
    '',
    '-1.00',
    '1.234',
    '1.005',
    '1,00',
    '1,000.00',
    '1e3',
    '0x10',
    '.50',
    'abc',
    'NaN',
    '1.',
    '99999999999999999999',
  ])('refuses %j', (text) => {
    expect(amountToCents(text)).toBeUndefined();
  });

  it.each([
    [25_050, '250.50'],
    [0, '0.00'],
    [5, '0.05'],
    [-1_999, '-19.99'],
  ])('formatCents(%i) = %j', (cents, text) => expect(formatCents(cents)).toBe(text));

  it('round-trips every cent amount exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (cents) => {
        expect(amountToCents(formatCents(cents))).toBe(cents);
      }),
    );
  });

  it('sums of amounts stay exact', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 99_999_999 }), { maxLength: 50 }), (centsList) => {
        const total = centsList.map(formatCents).reduce((sum, t) => sum + amountToCents(t)!, 0);
        expect(total).toBe(centsList.reduce((a, b) => a + b, 0));
        expect(amountToCents(formatCents(total))).toBe(total);
      }),
    );
  });
});
