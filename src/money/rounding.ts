/**
 * The one rounding policy (ADR 0001).
 *  - Intermediate amounts are kept in cents; a rate applied to cents rounds half away
 *    from zero to the cent (`applyRate`).
 *  - Form lines are whole dollars: Form 6765 and its instructions let amounts be rounded
 *    to whole dollars, dropping amounts under 50 cents and rounding 50 to 99 cents up.
 *    Each line is rounded where it is printed, and later lines compute from the rounded
 *    lines, as a preparer filling in the form does.
 */
import { cents, type Cents } from './cents.js';
import { applyRate, type Rate } from './rate.js';

/** Whole-dollar rounding for a form line: under 50 cents down, 50–99 cents up (half away from zero). */
export function roundToDollar(a: Cents): Cents {
  const neg = a < 0;
  const abs = Math.abs(a);
  const r = abs % 100;
  const whole = abs - r + (r >= 50 ? 100 : 0);
  return cents(neg ? -whole : whole);
}

/** A form line: the amount rounded to whole dollars. */
export const formLine = roundToDollar;

/** A form line computed as `line × rate` from an already rounded line. */
export function formLineTimesRate(line: Cents, r: Rate): Cents {
  return roundToDollar(applyRate(line, r));
}

export function isWholeDollars(a: Cents): boolean {
  return a % 100 === 0;
}
