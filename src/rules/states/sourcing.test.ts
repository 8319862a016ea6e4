import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { dollars, type Cents } from '../../money/index.js';
import { sourceQres } from './sourcing.js';
import type { StudyRecords } from './records.js';

const law = loadLaw();
const view = law.for(calendarYear(2024));
const at = (state: string) => ({ country: 'US', state });
const empty: StudyRecords = { employees: [], time: [], supplies: [], computers: [], contracts: [], basicResearch: [] };
const v = (x: { kind: string; value?: unknown }) => (x.kind === 'known' ? x.value : x.kind);

describe('sourcing QREs to a state', () => {
  it('80% rule first, then split by qualified hours by location (source: states.md §A3 wages row; §41(b)(2)(B))', () => {
    // 85% qualified → all 100,000 qualify; qualified hours 600 in ID, 250 in WA → ID 100,000 × 600/850
    const r = sourceQres(view, {
      state: 'ID',
      records: {
        ...empty,
        employees: [{ id: 'e', wagesBox1: dollars(100000) }],
        time: [
          { employeeId: 'e', componentId: 'A', activity: 'direct_research', hours: 600, location: at('ID') },
          { employeeId: 'e', componentId: 'A', activity: 'direct_support', hours: 250, location: at('WA') },
          { employeeId: 'e', activity: 'non_qualified', hours: 150, location: at('ID') },
        ],
      },
      qualifying: new Set(['A']),
    });
    expect(v(r.byCategory.wages)).toBe(7058824); // 100,000 × 600/850 = 70,588.235… → $70,588.24
    expect(v(r.federal.wages)).toBe(dollars(100000));
    expect(r.disqualified).toEqual([expect.objectContaining({ lineId: 'e', location: 'WA', amount: 2941176 })]);
  });

  it('missing location is unknown and listed, never assumed from the home location', () => {
    const r = sourceQres(view, {
      state: 'ID',
      records: {
        ...empty,
        employees: [{ id: 'e', wagesBox1: dollars(1000), homeLocation: at('ID') }],
        time: [{ employeeId: 'e', componentId: 'A', activity: 'direct_research', hours: 10 }],
        supplies: [{ id: 's', amount: dollars(50), componentId: 'A', kind: 'supply' }],
      },
      qualifying: new Set(['A']),
    });
    expect(r.byCategory.wages.kind).toBe('unknown');
    expect(r.byCategory.supplies.kind).toBe('unknown');
    expect(r.unknownLines.map((u) => u.missing[0])).toEqual(['time.e.location', 'supplies.s.location']);
    expect(r.total.kind).toBe('unknown');
  });

  it('contract research at 65% (75% consortium) where performed; undecided components are unknown', () => {
    const r = sourceQres(view, {
      state: 'ID',
      records: {
        ...empty,
        contracts: [
          { id: 'c1', payee: 'x', payeeType: 'general', amount: dollars(1000), componentId: 'A', location: at('ID'), taxpayerBearsRisk: true, taxpayerHasRights: true },
          { id: 'c2', payee: 'y', payeeType: 'qualified_research_consortium', amount: dollars(1000), componentId: 'A', location: at('ID'), taxpayerBearsRisk: true, taxpayerHasRights: true },
        ],
        computers: [{ id: 'k', amount: dollars(400), componentId: 'A', use: 'mixed', researchShare: '0.25', location: at('ID') }],
      },
      qualifying: new Set(['A']),
    });
    expect(v(r.byCategory.contract)).toBe(dollars(1400));
    expect(v(r.byCategory.computers)).toBe(dollars(100));
    const u = sourceQres(view, { state: 'ID', records: { ...empty, supplies: [{ id: 's', amount: dollars(5), componentId: 'P', kind: 'supply', location: at('ID') }] }, qualifying: new Set(), undecided: new Set(['P']) });
    expect(u.byCategory.supplies.kind).toBe('unknown');
  });

  it('property: state QREs never exceed federal QREs for the same records', () => {
    const st = fc.constantFrom('ID', 'AZ', 'WA', undefined);
    fc.assert(
      fc.property(
        fc.array(fc.record({ hours: fc.integer({ min: 1, max: 500 }), q: fc.boolean(), s: st }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ amt: fc.integer({ min: 0, max: 100000 }), s: st }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 500000 }),
        (time, sup, wages) => {
          const rec: StudyRecords = {
            ...empty,
            employees: [{ id: 'e', wagesBox1: dollars(wages) }],
            time: time.map((t) => ({ employeeId: 'e', componentId: 'A', activity: t.q ? 'direct_research' : 'non_qualified', hours: t.hours, ...(t.s ? { location: at(t.s) } : {}) })),
            supplies: sup.map((s, i) => ({ id: `s${i}`, amount: dollars(s.amt), componentId: 'A', kind: 'supply' as const, ...(s.s ? { location: at(s.s) } : {}) })),
          };
          const r = sourceQres(view, { state: 'ID', records: rec, qualifying: new Set(['A']) });
          for (const c of ['wages', 'supplies'] as const) {
            const a = r.byCategory[c];
            const f = r.federal[c];
            if (a.kind === 'known' && f.kind === 'known' && (a.value as Cents) > (f.value as Cents)) return false;
            if (a.kind === 'known' && f.kind !== 'known') return false;
          }
          return true;
        },
      ),
    );
  });
});
