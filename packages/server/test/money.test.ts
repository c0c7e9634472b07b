import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCents, parseAmountToCents } from '../src/money.js';

describe('amounts are integer cents, never floats', () => {
  it('parses decimal dollar strings exactly', () => {
    expect(parseAmountToCents('250.00')).toBe(25000);
    expect(parseAmountToCents('250.5')).toBe(25050);
    expect(parseAmountToCents('0.29')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
    expect(parseAmountToCents('1.15')).toBe(115); // 1.15 * 100 is 114.99999999999999
    expect(parseAmountToCents('99999999.99')).toBe(9_999_999_999);
  });

  it.each(['', '-1.00', '1.005', '1e2', '0x10', '1,000.00', '.50', '1.', 'NaN', '100000000.00'])(
    'rejects %j',
    (text) => {
      expect(parseAmountToCents(text)).toBeUndefined();
    },
  );

  it('formats cents back to the same text (round trip over every representable amount)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999 }), (cents) => {
        const text = formatCents(cents);
        expect(text).toMatch(/^\d+\.\d{2}$/);
        expect(parseAmountToCents(text)).toBe(cents);
      }),
    );
  });

  it('sums of amounts stay exact', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 99_999_999 }), { maxLength: 50 }), (centsList) => {
        const texts = centsList.map(formatCents);
        const total = texts.reduce((sum, t) => sum + parseAmountToCents(t)!, 0);
        expect(total).toBe(centsList.reduce((a, b) => a + b, 0));
        expect(parseAmountToCents(formatCents(total))).toBe(total);
      }),
    );
  });
});
