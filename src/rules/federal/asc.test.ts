import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear, isoDate, shiftYears, type IsoDate, type TaxPeriod } from '../../periods/index.js';
import { applyRate, rate } from '../../money/index.js';
import { collectFlags, explainer, type Val } from '../../explain/index.js';
import { alternativeSimplifiedCredit } from './asc.js';
import type { PriorYearFacts } from './credit-support.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./asc.cases.yaml', import.meta.url));
const k = <T>(v: T): Val<T> => explainer('test', 'given', []).known(v);

type Prior = number | null | 'none' | { start: string; end: string; qre: number };

function history(period: TaxPeriod, prior: Prior[]): { history: PriorYearFacts[]; firstTaxYearStart?: IsoDate } {
  const out: PriorYearFacts[] = [];
  let first: IsoDate | undefined;
  prior.forEach((p, n) => {
    if (p === 'none') {
      first ??= out[out.length - 1]?.period.start ?? period.start;
      return;
    }
    if (p !== null && typeof p === 'object') out.push({ period: { start: isoDate(p.start), end: isoDate(p.end) }, qre: usd(p.qre) });
    else {
      const pp = shiftYears(period.end < `${period.start.slice(0, 4)}-12-31` ? calendarYear(Number(period.start.slice(0, 4))) : period, n + 1);
      out.push(p === null ? { period: pp } : { period: pp, qre: usd(p) });
    }
  });
  return { history: out, ...(first ? { firstTaxYearStart: first } : {}) };
}

function run(view: ReturnType<typeof law.for>, i: Record<string, unknown>) {
  return alternativeSimplifiedCredit(view, {
    energyConsortium: k(usd(i.energy ?? 0)),
    basicResearch: k(usd(i.basic ?? 0)),
    qobpa: k(usd(i.qobpa ?? 0)),
    qre: k(usd(i.qre)),
    ...history(view.period, i.prior as Prior[]),
    section280c: i.elect280C === true,
  });
}

describe('alternative simplified credit, Form 6765 Section B', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = run(law.for(c.taxPeriod, c.options ?? {}), c.input);
      for (const [key, want] of Object.entries(c.expected as Record<string, unknown>)) {
        if (key === 'flag') {
          expect(collectFlags(r.credit.why).map((f) => f.option).concat(collectFlags(r.lines['21'].why).map((f) => f.option))).toContain(want);
          continue;
        }
        if (key === 'sixPercent') {
          expect(r.sixPercentPath).toBe(want);
          continue;
        }
        if (key === 'skipped') {
          for (const n of want as string[]) expect(r.lines[n as '22'].kind).toBe('na');
          continue;
        }
        const v = r.lines[key as '14'];
        if (want === 'unknown') {
          expect(v.kind, `line ${key}`).toBe('unknown');
          continue;
        }
        expect(v.kind, `line ${key}`).toBe('known');
        if (v.kind === 'known') expect(v.value, `line ${key}`).toBe(usd(want));
        expect(v.why.label).toContain(`Form 6765 line ${key}`);
      }
    });
  }

  it('the short-year option is not consulted (no review flag) when no year is short', () => {
    const r = run(law.for(calendarYear(2025)), { qre: 53704, prior: [50000, 46000, 44382] });
    expect(collectFlags(r.lines['21'].why)).toEqual([]);
  });

  it('properties: 0 ≤ credit ≤ 14% × QREs; monotone in current QREs; §280C credit ≤ full credit', () => {
    const view = law.for(calendarYear(2025));
    const amt = fc.integer({ min: 0, max: 20_000_000 });
    fc.assert(
      fc.property(amt, amt, fc.tuple(amt, amt, amt), (q, dq, prior) => {
        const a = run(view, { qre: q, prior });
        const b = run(view, { qre: q + dq, prior });
        const e = run(view, { qre: q, prior, elect280C: true });
        if (a.credit.kind !== 'known' || b.credit.kind !== 'known' || e.credit.kind !== 'known') return false;
        const cap = applyRate(usd(q), rate('0.14')) + 100; // + one dollar of line rounding
        return a.credit.value >= 0 && a.credit.value <= cap && a.credit.value <= b.credit.value && e.credit.value <= a.credit.value;
      }),
    );
  });
});
