import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { cents, cmpRate, dollars, rate, ZERO } from '../../money/index.js';
import { sectionGRequirement } from './section-g-requirement.js';
import { buildSectionG, reconcileSectionG, rowTotals, selectSectionGComponents, type SectionGComponentInput } from './section-g-components.js';
import { spreadEmployeeWages, wageColumnsByComponent, type EmployeeTimeCell, type QualifiedActivity } from './section-g-wages.js';

const law = loadLaw();

describe('Section G requirement', () => {
  const { cases } = loadCases(new URL('./section-g-requirement.cases.yaml', import.meta.url));
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as { qsb?: boolean; qre?: number; gr?: number; original?: boolean };
      const r = sectionGRequirement(law.for(c.taxPeriod), {
        qsbPayrollElection: i.qsb,
        groupQres: i.qre === undefined ? undefined : usd(i.qre),
        grossReceipts: i.gr === undefined ? undefined : usd(i.gr),
        originalReturn: i.original,
      });
      if (c.expected === 'unknown') {
        expect(r.kind).toBe('unknown');
        if (r.kind === 'unknown') expect(r.missing).toEqual(['taxFacts.originalReturn']);
        return;
      }
      expect(r.kind).toBe('known');
      if (r.kind === 'known') expect(r.value.status).toBe(c.expected);
      expect(r.why.params.map((p) => p.id)).toContain('us.forms.f6765.section_g.required');
    });
  }

  it('QSB electing: exempt with the reason; unknown election but over the ceiling is unknown', () => {
    const v = law.for(calendarYear(2026));
    const r = sectionGRequirement(v, { qsbPayrollElection: true, groupQres: undefined, grossReceipts: undefined, originalReturn: undefined });
    expect(r).toMatchObject({ kind: 'known', value: { status: 'exempt', exception: 'qsb_payroll_election' } });
    const u = sectionGRequirement(v, { qsbPayrollElection: undefined, groupQres: dollars(2_000_000), grossReceipts: dollars(1), originalReturn: true });
    expect(u.kind).toBe('unknown');
  });
});

const chooseCases = loadCases(new URL('./section-g-components.cases.yaml', import.meta.url)).cases;

describe('Section G component selection', () => {
  for (const c of chooseCases) {
    it(c.name, () => {
      const i = c.input as { qres?: Record<string, number | string>; equal?: number; each?: number };
      const comps = i.qres
        ? Object.entries(i.qres).map(([id, q]) => ({ id, qre: usd(q) }))
        : Array.from({ length: i.equal! }, (_, k) => ({ id: `bc${String(k).padStart(3, '0')}`, qre: dollars(i.each!) }));
      const r = selectSectionGComponents(law.for(c.taxPeriod, c.options ?? {}), comps);
      expect(r.kind).toBe('known');
      if (r.kind !== 'known') return;
      const e = c.expected as { listed?: string[]; aggregated?: string[]; aggregateQre?: number; listedCount?: number; capped: boolean };
      if (e.listed) expect(r.value.listed.map((l) => l.id)).toEqual(e.listed);
      if (e.aggregated) expect(r.value.aggregated.ids).toEqual(e.aggregated);
      if (e.aggregateQre !== undefined) expect(r.value.aggregated.qre).toBe(usd(e.aggregateQre));
      if (e.listedCount !== undefined) expect(r.value.listed.length).toBe(e.listedCount);
      expect(r.value.capped).toBe(e.capped);
      expect(r.why.flags.map((f) => f.option)).toContain('us.forms.f6765.section_g.stopping_rule');
    });
  }

  it('an unknown component QRE makes the selection unknown', () => {
    const r = selectSectionGComponents(law.for(calendarYear(2026)), [{ id: 'A', qre: undefined }]);
    expect(r.kind).toBe('unknown');
  });

  const arbComps = fc.array(fc.integer({ min: 0, max: 5_000_000_00 }), { minLength: 0, maxLength: 120 });
  for (const rule of ['at_least', 'more_than']) {
    it(`property (${rule}): rows plus aggregate sum to total QREs; rows cover ≥ 80% unless capped at 50; minimal list`, () => {
      const v = law.for(calendarYear(2026), { 'us.forms.f6765.section_g.stopping_rule': rule });
      const eighty = rate('0.80');
      fc.assert(
        fc.property(arbComps, (qs) => {
          const comps: SectionGComponentInput[] = qs.map((q, k) => ({
            id: `c${k}`,
            columns: { line50: cents(Math.floor(q / 2)), line51: ZERO, line52: cents(q - Math.floor(q / 2)), line54: cents(k), line55: ZERO, line56: ZERO },
          }));
          const r = buildSectionG(v, comps);
          if (r.kind !== 'known') return false;
          const t = r.value;
          const rowsSum = t.rows.reduce((s, x) => s + x.total, 0) + (t.aggregate?.total ?? 0);
          const total = comps.reduce((s, c) => s + rowTotals(c.columns).total, 0);
          if (rowsSum !== total || t.totals.total !== total) return false;
          if (t.rows.length > 50) return false;
          const covered = t.rows.reduce((s, x) => s + x.total, 0);
          const ok = total === 0 || covered * 10 >= total * 8 || t.selection.capped;
          if (!ok) return false;
          if (t.selection.capped && t.rows.length !== 50) return false;
          // minimal: without the last listed row the coverage would not be reached
          if (t.rows.length && !t.selection.capped) {
            const before = covered - t.rows[t.rows.length - 1]!.total;
            if (rule === 'at_least' ? before * 10 >= total * 8 : before * 10 > total * 8) return false;
          }
          // descending order
          for (let k = 1; k < t.rows.length; k++) if (t.rows[k]!.total > t.rows[k - 1]!.total) return false;
          return cmpRate(t.selection.coveredShare, eighty) >= 0 || t.selection.capped;
        }),
      );
    });
  }
});

describe('Section G table and reconciliation with Section F', () => {
  const comp = (id: string, w: number, s: number, c: number, cr: number): SectionGComponentInput => ({
    id,
    memberEin: '12-3456789',
    columns: { line50: dollars(w), line51: ZERO, line52: ZERO, line54: dollars(s), line55: dollars(c), line56: dollars(cr) },
  });
  const comps = [comp('A', 500000, 50000, 10000, 65000), comp('B', 100000, 0, 0, 0), comp('C', 50000, 0, 0, 0)];

  it('reconciles when Section F matches (basic research payments are part of line 56 ↔ line 47)', () => {
    const r = buildSectionG(law.for(calendarYear(2026)), comps, { line42: dollars(650000), line43: dollars(50000), line44: dollars(10000), line45: dollars(45000), line46: dollars(20000) });
    expect(r.kind).toBe('known');
    if (r.kind !== 'known') return;
    expect(r.value.reconciliation).toEqual({ ok: true, differences: [] });
    // A alone: 625,000 of 775,000 = 80.6% ≥ 80%, so B and C are aggregated
    expect(r.value.rows.map((x) => x.componentId)).toEqual(['A']);
    expect(r.value.aggregate).toMatchObject({ componentCount: 2, componentIds: ['B', 'C'], total: dollars(150000), line53: dollars(150000) });
    expect(r.value.rows[0]!.info.memberEin).toBe('12-3456789');
  });

  it('says where Section G and Section F differ', () => {
    const rec = reconcileSectionG(rowTotals({ line50: dollars(10), line51: ZERO, line52: ZERO, line54: dollars(5), line55: ZERO, line56: dollars(3) }), {
      line42: dollars(10),
      line43: dollars(6),
      line44: ZERO,
      line45: dollars(3),
      line46: ZERO,
    });
    expect(rec.ok).toBe(false);
    expect(rec.differences).toEqual([
      { sectionGLine: '54', sectionFLine: '43', sectionG: dollars(5), sectionF: dollars(6), difference: dollars(-1) },
      { sectionGLine: 'total', sectionFLine: '48', sectionG: dollars(18), sectionF: dollars(19), difference: dollars(-1) },
    ]);
  });
});

describe('Section G wage lines (80%-rule uplift spread)', () => {
  const { cases } = loadCases(new URL('./section-g-wages.cases.yaml', import.meta.url));
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as { wages: number; primary?: QualifiedActivity; time: { c?: string; a: EmployeeTimeCell['activity']; h: number }[] };
      const r = spreadEmployeeWages(law.for(c.taxPeriod, c.options ?? {}), {
        employeeId: 'e1',
        wages: usd(i.wages),
        ...(i.primary ? { primaryActivity: i.primary } : {}),
        time: i.time.map((t) => ({ componentId: t.c, activity: t.a, hours: t.h })),
      });
      expect(r.kind).toBe('known');
      if (r.kind !== 'known') return;
      const e = c.expected as { uplift: number; cells: Record<string, number | string> };
      expect(r.value.uplift).toBe(usd(e.uplift));
      expect(Object.fromEntries(r.value.cells.map((x) => [`${x.componentId}/${x.line}`, x.wages]))).toEqual(Object.fromEntries(Object.entries(e.cells).map(([k, v]) => [k, usd(v)])));
      expect(r.why.flags.map((f) => f.option)).toContain('us.forms.f6765.section_g.wage_uplift_spread');
    });
  }

  it('unknown wages stay unknown', () => {
    const r = spreadEmployeeWages(law.for(calendarYear(2026)), { employeeId: 'e2', wages: undefined, time: [{ componentId: 'C', activity: 'direct_research', hours: 1 }] });
    expect(r.kind).toBe('unknown');
  });

  for (const how of ['primary_role', 'activity_pro_rata']) {
    it(`property (${how}): cells add up exactly to qualified wages, none negative`, () => {
      const v = law.for(calendarYear(2025), { 'us.forms.f6765.section_g.wage_uplift_spread': how });
      const act = fc.constantFrom<EmployeeTimeCell['activity']>('direct_research', 'direct_supervision', 'direct_support', 'non_qualified');
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 500_000_00 }),
          fc.array(fc.record({ c: fc.option(fc.constantFrom('A', 'B', 'C'), { nil: undefined }), a: act, h: fc.integer({ min: 0, max: 2000 }) }), { minLength: 1, maxLength: 15 }),
          (w, time) => {
            const r = spreadEmployeeWages(v, { employeeId: 'p', wages: cents(w), time: time.map((t) => ({ componentId: t.c, activity: t.a, hours: t.h })) });
            if (r.kind !== 'known') return false;
            const s = r.value.cells.reduce((t, x) => t + x.wages, 0);
            const cols = wageColumnsByComponent(r.value.cells);
            const s2 = [...cols.values()].reduce((t, x) => t + x.line50 + x.line51 + x.line52, 0);
            return s === r.value.qualifiedWages && s2 === s && r.value.cells.every((x) => x.wages > 0) && r.value.qualifiedWages <= w;
          },
        ),
      );
    });
  }
});

