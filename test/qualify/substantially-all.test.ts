/**
 * Substantially all (§41(d)(1)(C); Reg. §1.41-4(a)(6)) at the 80% threshold and the shrink-back
 * (Reg. §1.41-4(b)(2)). Threshold from law/federal/irc41.yaml.
 */
import { describe, expect, it } from 'vitest';
import { loadLaw } from '../../src/law/index.js';
import { rate, ratio } from '../../src/money/rate.js';
import { dollars } from '../../src/money/cents.js';
import { calendarYear, isoDate } from '../../src/periods/index.js';
import { measureSubstantiallyAll, type MeasureLine } from '../../src/rules/qualification/index.js';
import { qualifyStudy, SUBSTANTIALLY_ALL_PARAM } from '../../src/study/qualify/index.js';
import type { BusinessComponent, TimeRecord } from '../../src/study/model.js';
import { emptyStudy } from '../support/study.js';

const law = loadLaw();
const threshold = law.for(calendarYear(2025)).rate(null, SUBSTANTIALLY_ALL_PARAM);
const h = (componentId: string, hours: string, experimentation?: boolean): MeasureLine => ({ componentId, amount: rate(hours), ...(experimentation !== undefined ? { experimentation } : {}) });

function one(lines: MeasureLine[], components = [{ id: 'A' }]) {
  return measureSubstantiallyAll({ components, hours: lines, costs: [], threshold }).results;
}

describe('the threshold', () => {
  it('is 80% from the law file, with its citation', () => {
    expect(threshold).toEqual(rate('0.80'));
    const p = law.parameters.get(SUBSTANTIALLY_ALL_PARAM)!;
    expect(p.reference.map((r) => r.title).join(' ')).toContain('1.41-4(a)(6)');
  });
});

describe('substantially all at the edge', () => {
  // 7,999 of 10,000 hours = 79.99%; 8,000 = 80%; 8,001 = 80.01%.
  it.each([
    ['7999', false, '79.99%'],
    ['8000', true, '80%'],
    ['8001', true, '80.01%'],
  ])('%s of 10,000 hours flagged experimentation → passes %s', (exp, passes) => {
    const other = String(10000 - Number(exp));
    const r = one([h('A', exp, true), h('A', other, false)]).get('A')!;
    expect(r.passes).toBe(passes);
    expect(r.share).toEqual(ratio(BigInt(exp), 10000n));
  });

  it('works in fractional hours exactly (79.99 of 100 fails, 80 of 100.00 passes)', () => {
    expect(one([h('A', '79.99', true), h('A', '20.01', false)]).get('A')!.passes).toBe(false);
    expect(one([h('A', '80', true), h('A', '19.75', false), h('A', '0.25', false)]).get('A')!.passes).toBe(true);
  });

  it('decides only when unflagged hours cannot move the share across the threshold', () => {
    // 70 flagged, 20 unflagged, 10 not: between 70% and 90% → undecided
    expect(one([h('A', '70', true), h('A', '20'), h('A', '10', false)]).get('A')!.passes).toBeNull();
    // 85 flagged, 15 unflagged → at least 85% → passes
    expect(one([h('A', '85', true), h('A', '15')]).get('A')!.passes).toBe(true);
    // 50 flagged, 20 unflagged, 30 not → at most 70% → fails
    expect(one([h('A', '50', true), h('A', '20'), h('A', '30', false)]).get('A')!.passes).toBe(false);
  });

  it('nothing recorded → not measurable, never 0%', () => {
    const r = one([]).get('A')!;
    expect(r.basis).toBe('none');
    expect(r.share).toBeNull();
    expect(r.passes).toBeNull();
  });

  it('uses cost when the component tree has no time, and says so', () => {
    const r = measureSubstantiallyAll({
      components: [{ id: 'A' }],
      hours: [],
      costs: [
        { componentId: 'A', amount: ratio(BigInt(dollars(900))), experimentation: true },
        { componentId: 'A', amount: ratio(BigInt(dollars(100))), experimentation: false },
      ],
      threshold,
    }).results.get('A')!;
    expect(r.basis).toBe('cost');
    expect(r.share).toEqual(rate('0.9'));
    expect(r.method).toMatch(/cost/);
  });
});

describe('shrink-back through two levels', () => {
  // R (own: 0/300) ─┬─ A (own 150/200) ── A1 (900/1000 = 90%)
  //                 └─ B (300/500 = 60%)
  // A with A1: 1050/1200 = 87.5% → passes; so R (1350/2000 = 67.5%) shrinks back to A, the
  // first level. Make A fail too (own 0/400): A = 900/1400 = 64.3% → shrink to A1 at level two.
  const components = [{ id: 'R' }, { id: 'A', parentId: 'R' }, { id: 'B', parentId: 'R' }, { id: 'A1', parentId: 'A' }];
  it('one level: the most significant child that passes', () => {
    const r = measureSubstantiallyAll({
      components,
      hours: [h('R', '300', false), h('A', '150', true), h('A', '50', false), h('A1', '900', true), h('A1', '100', false), h('B', '300', true), h('B', '200', false)],
      costs: [],
      threshold,
    }).results;
    expect(r.get('R')!.passes).toBe(false);
    expect(r.get('R')!.shrinkBack?.to).toBe('A');
    expect(r.get('A')!.share).toEqual(ratio(1050n, 1200n));
    expect(r.get('A1')!.passes).toBe(true); // passes on its own, so it needs no cover
    expect(r.get('B')!.coveredBy).toBeUndefined(); // R fails, so nothing covers B
  });

  it('two levels: down to the grandchild when every child fails', () => {
    const r = measureSubstantiallyAll({
      components,
      hours: [h('R', '300', false), h('A', '400', false), h('A1', '900', true), h('A1', '100', false), h('B', '300', true), h('B', '200', false)],
      costs: [],
      threshold,
    }).results;
    expect(r.get('R')!.passes).toBe(false);
    expect(r.get('A')!.passes).toBe(false);
    expect(r.get('B')!.passes).toBe(false);
    expect(r.get('R')!.shrinkBack).toMatchObject({ to: 'A1', share: rate('0.9') });
    expect(r.get('A')!.shrinkBack?.to).toBe('A1');
    expect(r.get('B')!.shrinkBack).toMatchObject({ to: null });
    expect(r.get('A1')!.passes).toBe(true);
    expect(r.get('A1')!.coveredBy).toBeUndefined();
  });

  it('prefers the larger of two passing siblings', () => {
    const r = measureSubstantiallyAll({
      components: [{ id: 'R' }, { id: 'S', parentId: 'R' }, { id: 'L', parentId: 'R' }],
      hours: [h('R', '5000', false), h('S', '100', true), h('L', '900', true), h('L', '100', false)],
      costs: [],
      threshold,
    }).results;
    expect(r.get('R')!.shrinkBack?.to).toBe('L');
  });

  it('reports that none passes, and reports bad trees', () => {
    const { results, problems } = measureSubstantiallyAll({
      components: [{ id: 'X', parentId: 'Y' }, { id: 'P', parentId: 'Q' }, { id: 'Q', parentId: 'P' }],
      hours: [h('X', '10', false)],
      costs: [],
      threshold,
    });
    expect(results.get('X')!.shrinkBack?.to).toBeNull();
    expect(problems.map((p) => p.message).join('\n')).toMatch(/does not exist[\s\S]*loops back/);
  });
});

describe('through qualifyStudy', () => {
  const comp = (id: string, parentId?: string): BusinessComponent => ({ id, name: id, type: 'software', softwareClass: 'non_ius', qualification: 'needs_information', ...(parentId ? { parentId } : {}) });
  const t = (componentId: string, hours: number, experimentation: boolean): TimeRecord => ({ employeeId: 'e', componentId, activity: 'direct_research', hours, experimentation, basis: 'time_entries' });
  it('writes the method, the threshold and the measured hours, with the law parameter in the explanation', () => {
    const study = emptyStudy({ components: [comp('A')], time: [t('A', 79.99, true), t('A', 20.01, false)] });
    const s = qualifyStudy(study, { law }).components[0]!.substantiallyAll;
    expect(s).toMatchObject({ basis: 'hours', share: '0.7999', threshold: '0.8', passes: false, measured: { total: '100', experimentation: '79.99', unflagged: '0' } });
    expect(s.method).toMatch(/hours flagged as a process of experimentation/);
    expect(s.explanation!.params.map((p) => p.id)).toContain(SUBSTANTIALLY_ALL_PARAM);
    expect(s.shrinkBack?.note).toMatch(/no sub-components/);
  });

  it('a time record dated on the first day counts like any other', () => {
    const study = emptyStudy({ components: [comp('A')], time: [{ ...t('A', 8, true), date: isoDate('2025-01-01') }, { ...t('A', 2, false), date: isoDate('2025-12-31') }] });
    expect(qualifyStudy(study, { law }).components[0]!.substantiallyAll.share).toBe('0.8');
  });
});
