/** Citations used by the state rules (parameters carry their own references in law/states). */
import type { Citation } from '../../explain/types.js';

const idStat = (pinpoint: string): Citation => ({
  title: `Idaho Code § 63-3029G${pinpoint}`,
  href: 'https://legislature.idaho.gov/statutesrules/idstat/title63/t63ch30/sect63-3029g/',
  pinpoint,
});
const idapa = (rule: string, pinpoint = ''): Citation => ({ title: `IDAPA 35.01.01.${rule}${pinpoint}`, ...(pinpoint ? { pinpoint } : {}) });
const form67 = (line: string): Citation => ({ title: `Idaho Form 67 (Credit for Idaho Research Activities), ${line}` });

export const stateCite = {
  idStat,
  idapa,
  form67,
  irc41: (pinpoint: string): Citation => ({ title: `26 U.S.C. § 41${pinpoint}`, href: 'https://www.law.cornell.edu/uscode/text/26/41', pinpoint }),
  reg: (section: string, pinpoint = ''): Citation => ({ title: `Treas. Reg. § ${section}${pinpoint}`, ...(pinpoint ? { pinpoint } : {}) }),
  text: (title: string): Citation => ({ title }),
};
