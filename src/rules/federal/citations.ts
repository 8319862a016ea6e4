/** Citations used by federal rules (the law files carry the parameters' own references). */
import type { Citation } from '../../explain/types.js';

const USC = (section: string, pinpoint?: string): Citation => ({
  title: `26 U.S.C. § ${section}${pinpoint ?? ''}`,
  href: `https://www.law.cornell.edu/uscode/text/26/${section}`,
  ...(pinpoint ? { pinpoint } : {}),
});
const REG = (section: string, pinpoint?: string): Citation => ({
  title: `Treas. Reg. § ${section}${pinpoint ?? ''}`,
  href: `https://www.ecfr.gov/current/title-26/section-${section}`,
  ...(pinpoint ? { pinpoint } : {}),
});
export const cite = { USC, REG, form: (title: string): Citation => ({ title }) };
