import { describe, expect, it } from 'vitest';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { isoDate, shiftYears, type IsoDate } from '../../periods/index.js';
import { averageGrossReceipts } from './avg-gross-receipts.js';
import type { PriorYearFacts } from './credit-support.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./avg-gross-receipts.cases.yaml', import.meta.url));

describe('average annual gross receipts (Form 6765 line 7)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as { prior: (number | null | { start: string; end: string; gr: number })[]; firstTaxYearStart?: string };
      const history: PriorYearFacts[] = i.prior.map((p, n) => {
        if (p !== null && typeof p === 'object') return { period: { start: isoDate(p.start), end: isoDate(p.end) }, grossReceipts: usd(p.gr) };
        const period = shiftYears(c.taxPeriod, n + 1);
        return p === null ? { period } : { period, grossReceipts: usd(p) };
      });
      const r = averageGrossReceipts(law.for(c.taxPeriod), { history, ...(i.firstTaxYearStart ? { firstTaxYearStart: i.firstTaxYearStart as IsoDate } : {}) });
      const e = c.expected as { average?: number; unknown?: string[] };
      if (e.unknown) {
        expect(r.kind).toBe('unknown');
        if (r.kind === 'unknown') expect(r.missing).toEqual(e.unknown);
        return;
      }
      expect(r.kind).toBe('known');
      if (r.kind === 'known') expect(r.value).toBe(usd(e.average));
      expect(r.why.params.map((p) => p.id)).toContain('us.federal.irc41.regular.gross_receipts_years');
    });
  }
});
