import { describe, expect, it } from 'vitest';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import type { Cents } from '../../money/index.js';
import { sourceQres } from './sourcing.js';
import { computeIdahoCredit } from './idaho/credit.js';
import type { StudyRecords } from './records.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./seed-gem-state.cases.yaml', import.meta.url));

describe('seed case: Gem State Fabrication', () => {
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as any;
      const loc = (s: string) => ({ country: 'US', state: s });
      const records: StudyRecords = {
        employees: i.employees.map((e: any) => ({ id: e.id, wagesBox1: usd(e.wages) })),
        time: i.time.map((t: any) => ({ employeeId: t.employeeId, componentId: t.componentId, activity: t.activity, hours: t.hours, location: loc(t.state) })),
        supplies: i.supplies.map((s: any) => ({ id: s.id, amount: usd(s.amount), componentId: s.componentId, kind: 'supply', location: loc(s.state) })),
        computers: [],
        contracts: i.contracts.map((k: any) => ({ id: k.id, payee: k.payee, payeeType: 'general', amount: usd(k.amount), componentId: k.componentId, location: loc(k.state), taxpayerBearsRisk: true, taxpayerHasRights: true })),
        basicResearch: [],
      };
      const view = law.for(c.taxPeriod);
      const s = sourceQres(view, { state: 'ID', records, qualifying: new Set(i.qualifying) });
      const e = c.expected as any;
      const v = (x: any) => (x.kind === 'known' ? x.value : x.kind);
      expect(v(s.federalTotal)).toBe(usd(e.federalTotal));
      expect(v(s.federal.contract)).toBe(usd(e.federalContract));
      expect(v(s.total)).toBe(usd(e.idahoTotal));
      expect(v(s.byCategory.contract)).toBe(usd(e.idahoContract));
      expect(s.disqualified.map((d) => ({ lineId: d.lineId, amount: d.amount, location: d.location }))).toEqual(e.disqualified.map((d: any) => ({ ...d, amount: usd(d.amount) })));
      expect(s.disqualified[0]!.classification).toBe('federally_qualified_state_disqualified');
      const gr = usd(i.avgReceipts);
      const r = computeIdahoCredit(law, {
        period: c.taxPeriod,
        entityType: 'c_corporation',
        qres: { wages: s.byCategory.wages, supplies: s.byCategory.supplies, computers: s.byCategory.computers, contract: s.byCategory.contract },
        federalStartUp: false,
        basePeriod: [{ yearBegun: 1984, qre: usd(i.fbpBasePeriod[0]), grossReceipts: usd(i.fbpBasePeriod[1]) }],
        idahoBusinessSince: 2000,
        history: [2019, 2020, 2021, 2022].map((y) => ({ yearBegun: y, grossReceipts: gr })),
      });
      for (const [k, want] of Object.entries(e.lines)) expect(v(r.lines[k]!), `line ${k}`).toBe(usd(want) as Cents);
    });
  }
});
