import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { dollars, type Cents } from '../../money/index.js';
import { emptyStudy } from '../../../test/support/study.js';
import { allocateByWeights } from './allocate.js';
import { computeEmployeeWages, totalQualifiedWages } from './wages.js';
import type { BusinessComponent, TimeRecord } from '../model.js';

const view = loadLaw().for(calendarYear(2025));
const comp = (id: string, q: BusinessComponent['qualification']): BusinessComponent => ({ id, name: id, type: 'software', qualification: q });
const t = (employeeId: string, componentId: string | undefined, activity: TimeRecord['activity'], hours: number, state = 'ID'): TimeRecord => ({
  employeeId, activity, hours, location: { country: 'US', state }, ...(componentId ? { componentId } : {}),
});

describe('qualified wages from time records', () => {
  const base = emptyStudy({
    employees: [
      { id: 'a', name: 'Ada', officer: false, wagesBox1: dollars(150000) },
      { id: 'b', name: 'Bo', officer: false, wagesBox1: dollars(100000), wageAdjustments: [{ amount: dollars(-10000), reason: 'group-term life over $50k in box 1' }] },
    ],
    components: [comp('c1', 'qualifies'), comp('c2', 'qualifies'), comp('x', 'does_not_qualify')],
    time: [
      t('a', 'c1', 'direct_research', 1200), t('a', 'c2', 'direct_supervision', 500, 'WA'), t('a', undefined, 'non_qualified', 300),
      t('b', 'c1', 'direct_support', 1000), t('b', 'x', 'direct_research', 1000),
    ],
  });

  it('applies the 80% rule per employee and spreads the wages over components, activities and states', () => {
    const [a, b] = computeEmployeeWages(view, base);
    // Ada: 1,700 of 2,000 h = 85% ≥ 80% → all $150,000
    expect(a!.result.kind).toBe('known');
    if (a!.result.kind === 'known') expect(a!.result.value.qualifiedWages).toBe(dollars(150000));
    const byComp = Object.fromEntries(a!.pieces.map((p) => [`${p.componentId}/${p.activity}/${p.location}`, p.wages]));
    // 1,200/1,700 × 150,000 = 105,882.35…; 500/1,700 × 150,000 = 44,117.65 (exact cents, sum preserved)
    expect(byComp['c1/direct_research/US-ID']).toBe(10588235);
    expect(byComp['c2/direct_supervision/US-WA']).toBe(4411765);
    // Bo: box 1 $100,000 − $10,000 = $90,000 §3401(a); 1,000 of 2,000 h on a qualifying component = 50%
    if (b!.result.kind === 'known') expect(b!.result.value.qualifiedWages).toBe(dollars(45000));
    const total = totalQualifiedWages([a!, b!]);
    expect(total.kind === 'known' && total.value).toBe(dollars(195000));
  });

  it('time on an undecided component makes the employee unknown, not zero', () => {
    const s = { ...base, components: [comp('c1', 'qualifies'), comp('c2', 'needs_information'), comp('x', 'does_not_qualify')] };
    const [a] = computeEmployeeWages(view, s);
    expect(a!.result.kind).toBe('unknown');
    const total = totalQualifiedWages(computeEmployeeWages(view, s));
    expect(total.kind).toBe('unknown');
    if (total.kind === 'unknown') expect(total.missing).toEqual(['components.c2.qualification']);
  });

  it('an employee with no time records is not claimed and says so', () => {
    const s = { ...base, employees: [...base.employees, { id: 'z', name: 'Zed', officer: true, wagesBox1: dollars(400000) }] };
    const z = computeEmployeeWages(view, s)[2]!;
    expect(z.result.kind === 'known' && z.result.value.qualifiedWages).toBe(0);
    expect(z.result.why.notes.join(' ')).toMatch(/No time records/);
  });

  it('allocation parts always add up to the amount and stay within a cent of the exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e11, max: 1e11 }), fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 30 }), (amt, ws) => {
        const m = allocateByWeights(amt as Cents, ws.map((w, i) => [i, w] as const));
        const parts = [...m.values()];
        const total = ws.reduce((a, b) => a + b, 0);
        if (total === 0) return parts.every((p) => p === 0);
        if (parts.reduce((a, b) => a + b, 0) !== amt) return false;
        return ws.every((w, i) => Math.abs(m.get(i)! - (amt * w) / total) < 1.0000001);
      }),
    );
  });
});
