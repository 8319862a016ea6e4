import { describe, expect, it } from 'vitest';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { isoDate } from '../../periods/date.js';
import { firstUsableQuarter, quarterLabel, sectionD, parseQuarter } from './payroll.js';
import type { EntityType } from './gross-receipts-tests.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./payroll.cases.yaml', import.meta.url));

describe('payroll election (Form 6765 Section D) and first usable quarter', () => {
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as Record<string, unknown>;
      const e = c.expected as Record<string, unknown>;
      const view = law.for(c.taxPeriod, c.options ?? {});
      if (i.fn === 'firstQuarter') {
        const r = firstUsableQuarter(view, isoDate(i.filed as string));
        expect(r.kind).toBe('known');
        if (r.kind !== 'known') return;
        expect(quarterLabel(r.value)).toBe(e.quarter);
        expect(r.why.flags.some((f) => f.option === 'us.federal.irc41h.first_quarter_filing_day')).toBe(e.flagged === true);
        return;
      }
      const r = sectionD(view, {
        entityType: i.entityType as EntityType,
        qsb: i.qsb as boolean,
        priorElectionYears: i.prior as number,
        line28: usd(i.line28),
        requested: usd(i.requested),
        ...(i.carryforward !== undefined ? { currentYearCarryforward: usd(i.carryforward) } : {}),
        ...(i.original === false ? { originalTimelyReturn: false } : {}),
      });
      expect(r.kind).toBe('known');
      if (r.kind !== 'known') return;
      expect(r.value.mayElect).toBe(e.mayElect);
      if (!e.mayElect) {
        expect(r.value.line36).toBeNull();
        return;
      }
      for (const k of ['line34', 'line35', 'line36'] as const) if (k in e) expect(r.value[k], k).toBe(e[k] === null ? null : usd(e[k]));
    });
  }

  it('a C corporation without its line 35 carryforward is unknown, not unlimited', () => {
    const r = sectionD(law.for(calendarYear(2025)), { entityType: 'c_corporation', qsb: true, priorElectionYears: 0, line28: usd(1000), requested: usd(1000) });
    expect(r.kind).toBe('unknown');
  });

  it('parses quarter labels strictly', () => {
    expect(parseQuarter('2026-Q3')).toEqual({ year: 2026, quarter: 3 });
    expect(() => parseQuarter('2026-Q5')).toThrow();
  });
});
