import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FINE_PER_CENT, finesToCents, parseMoney, parseMoneyFine } from '../../src/money/cents.js';

describe('amounts below the cent (cloud bills)', () => {
  it('parses ten decimals exactly and rounds once, half away from zero', () => {
    expect(parseMoneyFine('0.0042')).toBe(42_000_000n);
    // 24 hourly lines of $0.0042 = $0.1008 → 10 cents, where rounding each line would give 0
    expect(finesToCents(24n * parseMoneyFine('0.0042'))).toBe(10);
    expect(finesToCents(parseMoneyFine('-0.005'))).toBe(-1);
    expect(finesToCents(parseMoneyFine('(1,234.56789)'))).toBe(-123457);
    expect(parseMoneyFine('1.234,5', { decimalComma: true })).toBe(123_450n * FINE_PER_CENT);
  });
  it('agrees with parseMoney on any amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 99999 }), (w, f) => {
        const text = `${w}.${String(f).padStart(5, '0')}`;
        expect(finesToCents(parseMoneyFine(text))).toBe(parseMoney(text));
      }),
    );
  });
});
