import { describe, expect, it } from 'vitest';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { dollars } from '../../money/index.js';
import { disqualifiedSchedule, multistateSchedule, multistateSummary, sourceQres, type StudyRecords } from './index.js';

const law = loadLaw();
const at = (s: string) => ({ country: 'US', state: s });
// One engineer: 1,500 hours in Idaho, 500 in Texas; a Texas supply; a contractor in Arizona (65% of 300,000).
const records: StudyRecords = {
  employees: [{ id: 'e', wagesBox1: dollars(1000000) }],
  time: [
    { employeeId: 'e', componentId: 'A', activity: 'direct_research', hours: 1500, location: at('ID') },
    { employeeId: 'e', componentId: 'A', activity: 'direct_research', hours: 500, location: at('TX') },
  ],
  supplies: [{ id: 's1', amount: dollars(40000), componentId: 'A', kind: 'supply', location: at('TX') }],
  computers: [],
  contracts: [{ id: 'k1', payee: 'Desert Labs', payeeType: 'general', amount: dollars(300000), componentId: 'A', location: at('AZ'), taxpayerBearsRisk: true, taxpayerHasRights: true }],
  basicResearch: [],
};

describe('multistate summary (states.md Part C item 1): federal and each state from the same records', () => {
  const rows = multistateSummary(law, {
    period: calendarYear(2025),
    records,
    qualifying: new Set(['A']),
    states: ['ID', 'TX', 'AZ', 'IL'],
    entityType: 'c_corporation',
    history: [2022, 2023, 2024].map((y) => ({ period: { start: `${y}-01-01`, end: `${y}-12-31` }, qreByState: { TX: dollars(200000), AZ: dollars(0) }, grossReceiptsByState: { TX: dollars(1000000) } })),
    federal: { method: 'asc' },
    stateFacts: { TX: { higher_ed_contract: 'false', sales_tax_exemption_used: 'false' } },
    idaho: { entityType: 'c_corporation', startupElectionYear: 2025, firstIdahoQreYear: 2025, idahoBusinessSince: 2025, history: [], section174Deducted: { wages: dollars(0) } },
  });
  const by = Object.fromEntries(rows.map((r) => [r.state, r]));
  it('the states add up to the federal QREs of the same records', () => {
    // federal: wages 1,000,000 + supplies 40,000 + contract 195,000
    expect(by.ID!.federalQres.kind === 'known' && by.ID!.federalQres.value).toBe(dollars(1235000));
    const st = (s: string) => (by[s]!.qres.total.kind === 'known' ? (by[s]!.qres.total as { value: number }).value : NaN);
    expect([st('ID'), st('TX'), st('AZ'), st('IL')]).toEqual([dollars(750000), dollars(290000), dollars(195000), 0]);
    expect(st('ID') + st('TX') + st('AZ')).toBe(dollars(1235000));
  });
  it('Idaho through computeIdaho (2.5% with no receipts), Texas through its engine, Illinois through its engine (unknown without its history, named), Arizona unknown with the open question', () => {
    expect(by.ID!.credit.kind === 'known' && by.ID!.credit.value).toBe(dollars(18750));
    // TX: 290,000 − 50% × 200,000 = 190,000 × 8.722% = 16,571.80 → 16,572
    expect(by.TX!.credit.kind === 'known' && by.TX!.credit.value).toBe(dollars(16572));
    expect(by.TX!.carryforwardYears).toBe(20);
    expect(by.IL!.credit.kind).toBe('unknown');
    expect(by.IL!.missing).toEqual(expect.arrayContaining(['history.2022.qreByState.IL', 'history.2023.qreByState.IL', 'history.2024.qreByState.IL']));
    expect(by.AZ!.credit.kind).toBe('unknown'); // ASC with preceding years without Arizona QREs: open question
  });
  it('schedule rows: federal first, then each state with QREs by category, credit, refundable, carryforward and missing', () => {
    const s = multistateSchedule(rows);
    expect(s.rows[0]!.cells.jurisdiction).toMatch(/^Federal/);
    expect(s.rows[0]!.cells.totalQre).toBe(dollars(1235000));
    const tx = s.rows.find((r) => r.cells.jurisdiction === 'TX')!;
    expect(tx.cells).toMatchObject({ wages: dollars(250000), supplies: dollars(40000), contract: 0, totalQre: dollars(290000), credit: dollars(16572), carryforward: '20', status: 'computed' });
    const az = s.rows.find((r) => r.cells.jurisdiction === 'AZ')!;
    expect(az.cells.credit).toBeNull();
    expect(az.cells.status).toMatch(/unknown/);
    const id = s.rows.find((r) => r.cells.jurisdiction === 'ID')!;
    expect(id.cells.carryforward).toBe('14');
  });
});

describe('Federally qualified / Idaho disqualified report (seed article; IDAPA 35.01.01.723(01))', () => {
  it('each line with its reason; lines of unknown location listed, not assumed', () => {
    const recs: StudyRecords = { ...records, supplies: [...records.supplies, { id: 's2', amount: dollars(5000), componentId: 'A', kind: 'supply' }] };
    const s = disqualifiedSchedule(sourceQres(law.for(calendarYear(2023)), { state: 'ID', records: recs, qualifying: new Set(['A']) }));
    const k1 = s.rows.find((r) => r.cells.line === 'k1')!;
    expect(k1.cells).toMatchObject({ amount: dollars(195000), location: 'AZ', classification: 'Federally qualified / ID disqualified' });
    expect(String(k1.cells.reason)).toMatch(/research must be conducted in ID/);
    const s2 = s.rows.find((r) => r.cells.line === 's2')!;
    expect(s2.cells.amount).toBeNull();
    expect(String(s2.cells.reason)).toMatch(/location/);
    // wages 250,000 (TX hours) + supply 40,000 (TX) + contract 195,000 (AZ)
    expect(s.totals!.amount).toBe(dollars(485000));
  });
});
