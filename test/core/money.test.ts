import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyRate, cents, dollars, formatCents, formLineTimesRate, moneyRatio, parseMoney, rate, ratio, roundRate, roundToDollar,
  rateToDecimal, cmpRate, add, sub, MoneyError, type Cents,
} from '../../src/money/index.js';

describe('money', () => {
  it('refuses fractional cents and unsafe integers', () => {
    expect(() => cents(1.5)).toThrow(MoneyError);
    expect(() => cents(2 ** 60)).toThrow(MoneyError);
    expect(dollars(12)).toBe(1200);
  });

  it('parses amounts exactly, including accounting negatives and decimal commas', () => {
    expect(parseMoney('1,234.56')).toBe(123456);
    expect(parseMoney('$-12')).toBe(-1200);
    expect(parseMoney('(45.10)')).toBe(-4510);
    expect(parseMoney('0.105')).toBe(11); // half away from zero
    expect(parseMoney('-0.105')).toBe(-11);
    expect(parseMoney('1.234,56', { decimalComma: true })).toBe(123456);
    expect(parseMoney('.5')).toBe(50);
    expect(() => parseMoney('12abc')).toThrow(MoneyError);
    expect(() => parseMoney('(12')).toThrow(MoneyError);
    expect(() => parseMoney('')).toThrow(MoneyError);
  });

  it('rounds form lines to whole dollars: under 50 cents down, 50–99 up', () => {
    expect(roundToDollar(cents(424298))).toBe(424300);
    expect(roundToDollar(cents(424249))).toBe(424200);
    expect(roundToDollar(cents(424250))).toBe(424300);
    expect(roundToDollar(cents(-150))).toBe(-200);
    // TC-03: 30,307 × 14% = 4,242.98 → 4,243; 4,243 × 79% = 3,351.97 → 3,352
    const l24 = formLineTimesRate(dollars(30307), rate('0.14'));
    expect(l24).toBe(dollars(4243));
    expect(formLineTimesRate(l24, rate('0.79'))).toBe(dollars(3352));
  });

  it('keeps rates exact and rounds the fixed-base percentage to 1/100 of 1%', () => {
    expect(rate('15.8%')).toEqual(rate('0.158'));
    expect(rate('1/6')).toEqual(ratio(1, 6));
    // TC-06 year 6: 1/6 × 1.0M / 6M = 0.027777… → 0.0278
    const r = roundRate(ratio(1, 36), 4);
    expect(rateToDecimal(r, 4)).toBe('0.0278');
    expect(cmpRate(rate('0.16'), rate('0.1600'))).toBe(0);
    expect(moneyRatio(dollars(1), dollars(3))).toEqual(ratio(1, 3));
  });

  it('formats for people', () => {
    expect(formatCents(cents(123456789))).toBe('$1,234,567.89');
    expect(formatCents(cents(-5))).toBe('-$0.05');
  });

  it('applyRate is within half a cent of the exact product and never drifts on sums', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 10000 }), (c, bp) => {
        const r = ratio(bp, 10000);
        const got = BigInt(applyRate(c as Cents, r));
        const exact2 = BigInt(c) * BigInt(bp) * 2n; // 2 × exact × 10000
        const diff = got * 20000n - exact2;
        return diff <= 10000n && diff >= -10000n;
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e10, max: 1e10 })), (xs) => {
        const total = xs.reduce<Cents>((t, x) => add(t, x as Cents), cents(0));
        return sub(total, total) === 0 && total === xs.reduce((a, b) => a + b, 0);
      }),
    );
  });
});
