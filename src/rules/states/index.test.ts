import { describe, expect, it } from 'vitest';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { dollars } from '../../money/index.js';
import { computeIdaho, multistateSummary, type StudyRecords } from './index.js';

const law = loadLaw();
const at = (s: string) => ({ country: 'US', state: s });
const records: StudyRecords = {
  employees: [{ id: 'e', wagesBox1: dollars(1000000) }],
  time: [
    { employeeId: 'e', componentId: 'A', activity: 'direct_research', hours: 1500, location: at('ID') },
    { employeeId: 'e', componentId: 'A', activity: 'direct_research', hours: 500, location: at('AZ') },
  ],
  supplies: [],
  computers: [],
  contracts: [],
  basicResearch: [],
};

describe('public surface', () => {
  it('multistateSummary: same records, each state side by side; ID credit computed (2.5% with no receipts)', () => {
    const rows = multistateSummary(law, {
      period: calendarYear(2024),
      records,
      qualifying: new Set(['A']),
      states: ['ID', 'AZ'],
      idaho: { entityType: 'c_corporation', startupElectionYear: 2024, firstIdahoQreYear: 2024, idahoBusinessSince: 2024, history: [] },
    });
    const id = rows[0]!;
    const az = rows[1]!;
    expect(id.qres.total.kind === 'known' && id.qres.total.value).toBe(dollars(750000));
    expect(az.qres.total.kind === 'known' && az.qres.total.value).toBe(dollars(250000));
    expect(id.credit.kind === 'known' && id.credit.value).toBe(dollars(18750)); // 2.5% × 750,000
    expect(az.credit.kind).toBe('unknown'); // AZ has an engine: without its facts the credit is unknown, with them named
    if (az.credit.kind === 'unknown') expect(az.credit.missing).toEqual(expect.arrayContaining(['federal.method']));
    expect(az.federalQres.kind === 'known' && az.federalQres.value).toBe(dollars(1000000));
  });

  it('computeIdaho: partnership passes the credit to owners (lines 16 → 20 → owners)', () => {
    const r = computeIdaho(law, {
      period: calendarYear(2024),
      entityType: 'partnership',
      qres: multistateSummary(law, { period: calendarYear(2024), records, qualifying: new Set(['A']), states: ['ID'] })[0]!.qres.byCategory as never,
      startupElectionYear: 2024,
      firstIdahoQreYear: 2024,
      idahoBusinessSince: 2024,
      history: [],
      tax: dollars(0),
      creditsAhead: {},
      owners: [
        { id: 'p1', share: '0.6' },
        { id: 'p2', share: '0.4' },
      ],
    });
    expect(r.lines['16']!.kind === 'known' && r.lines['16']!.value).toBe(dollars(18750));
    expect(r.owners.map((o) => (o.share.kind === 'known' ? o.share.value : null))).toEqual([dollars(11250), dollars(7500)]);
  });
});
