/** Citations used by the qualification rules. */
import type { Citation } from '../../explain/types.js';

const usc = (pin: string): Citation => ({ title: `26 U.S.C. § 41${pin}`, href: 'https://www.law.cornell.edu/uscode/text/26/41', pinpoint: pin });
const reg = (section: string, pin = ''): Citation => ({
  title: `Treas. Reg. § ${section}${pin}`,
  href: `https://www.ecfr.gov/current/title-26/section-${section}`,
  ...(pin ? { pinpoint: pin } : {}),
});

export const C = {
  d1: usc('(d)(1)'),
  d1A: usc('(d)(1)(A)'),
  d1B: usc('(d)(1)(B)'),
  d1C: usc('(d)(1)(C)'),
  d2B: usc('(d)(2)(B)'),
  d3: usc('(d)(3)'),
  d4A: usc('(d)(4)(A)'),
  d4B: usc('(d)(4)(B)'),
  d4C: usc('(d)(4)(C)'),
  d4D: usc('(d)(4)(D)'),
  d4E: usc('(d)(4)(E)'),
  d4F: usc('(d)(4)(F)'),
  d4G: usc('(d)(4)(G)'),
  d4H: usc('(d)(4)(H)'),
  reg174: reg('1.174-2', '(a)(1)'),
  regTech: reg('1.41-4', '(a)(4)'),
  regPoe: reg('1.41-4', '(a)(5)'),
  regSubAll: reg('1.41-4', '(a)(6)'),
  regShrink: reg('1.41-4', '(b)(2)'),
  regCommercial: reg('1.41-4', '(c)(2)'),
  regIus: reg('1.41-4', '(c)(6)'),
  regFunded: reg('1.41-4A', '(d)'),
  regRecords: reg('1.41-4', '(d)'),
} as const;
