import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLaw } from '../../../src/law/index.js';
import { buildRefundPacket, refundPacketCsv, refundPacketMarkdown, type RefundItem, type RefundPacket } from '../../../src/reports/refund/index.js';
import { computeStudy } from '../../../src/study/compute/index.js';
import { parseCsv, readStudyFolder } from '../../../src/study/folder/index.js';
import type { Study } from '../../../src/study/model.js';

const law = loadLaw();
const load = (name: string): Study => {
  const { study, diagnostics } = readStudyFolder(resolve(__dirname, '..', '..', '..', 'examples', name));
  if (!study) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return study;
};
const packet = (s: Study, signed = true): RefundPacket => buildRefundPacket(s, computeStudy(law, s), signed ? { signer: { name: 'Pat Preparer', title: 'CFO', date: '2026-03-01' } } : {});
const item = (p: RefundPacket, id: RefundItem) => p.check.items.find((i) => i.item === id)!;

describe('refund-claim packet from the examples', () => {
  it('Gem State: component A with its eight engineers and the Phoenix contractor; B and D are not claimed; totals as the article', () => {
    const p = packet(load('gem-state-fabrication'));
    expect(p.components.map((c) => c.componentId)).toEqual(['A']);
    expect(p.excludedComponents.map((c) => c.componentId)).toEqual(['B', 'D']);
    const a = p.components[0]!;
    const research = a.activities.find((x) => x.kind === 'direct_research')!;
    expect(research.individuals).toHaveLength(8);
    expect(research.individuals.every((i) => i.informationSought?.startsWith('Whether a new thermal coating formula') && i.informationSoughtBasis === 'component')).toBe(true);
    expect(a.activities.find((x) => x.kind === 'contract_research')!.individuals[0]).toMatchObject({ name: 'Non-employee researcher (Phoenix)', kind: 'contractor' });
    // seed article: wages 1,000,000 + supplies 200,000 (component A) and 65% × 300,000 contract = 195,000
    expect(p.totals).toMatchObject({ wages: 100000000, supplies: 20000000, contract: 19500000, total: 139500000 });
    expect(p.check.complete).toBe(true);
    expect(a.missing).toEqual([]);
  });

  it('Sawtooth ML: every qualifying component, its people by activity, the information sought; unsigned → only the declaration is missing', () => {
    const s = load('sawtooth-ml');
    const p = packet(s, false);
    const claimed = s.components.filter((c) => c.qualification !== 'does_not_qualify').map((c) => c.id);
    expect(p.components.map((c) => c.componentId)).toEqual(claimed);
    for (const c of p.components) {
      expect(c.activities.length, c.componentId).toBeGreaterThan(0);
      const hours = s.time.filter((t) => t.componentId === c.componentId && t.activity !== 'non_qualified').reduce((a, t) => a + t.hours, 0);
      const listed = c.activities.flatMap((a) => a.individuals).reduce((a, i) => a + (i.hours ?? 0), 0);
      expect(listed).toBeCloseTo(hours, 1);
    }
    expect(p.check.items.filter((i) => i.status === 'incomplete').map((i) => i.item)).toEqual(['declaration']);
    const md = refundPacketMarkdown(p);
    expect(md).toMatch(/## Completeness check: INCOMPLETE/);
    expect(md).toMatch(/### SGA — Hybrid sparse-grouped attention for pretraining/);
    expect(md).toMatch(/Signed: _+ \(name, title, date\)/);
    const [head, ...rows] = parseCsv(refundPacketCsv(p)).map((r) => r.cells);
    const at = (name: string) => head!.indexOf(name);
    const people = rows.filter((r) => r[at('component_id')] === 'PAR' && r[at('individual_kind')] === 'employee');
    expect(people.length).toBe(p.components.find((c) => c.componentId === 'PAR')!.activities.flatMap((a) => a.individuals).filter((i) => i.kind === 'employee').length);
    expect(people.every((r) => r[at('information_sought')]!.startsWith('Whether a combination of tensor'))).toBe(true);
  });
});

describe('the completeness check names what is missing', () => {
  it('no information sought on a component (item 4)', () => {
    const s = load('sawtooth-ml');
    s.components = s.components.map((c) => (c.id === 'EVAL' ? { ...c, informationSought: undefined } : c));
    const p = packet(s);
    const i = item(p, 'information_sought');
    expect(i.status).toBe('incomplete');
    expect(i.waivableAtFiling).toBe(true);
    expect(i.missing.some((m) => m.startsWith('EVAL (Benchmark and regression evaluation framework): information sought to be discovered'))).toBe(true);
    expect(p.components.find((c) => c.componentId === 'EVAL')!.activities.flatMap((a) => a.individuals).every((x) => x.informationSought === null)).toBe(true);
    expect(item(p, 'research_activities').status).toBe('complete');
  });

  it('no time or contract on a component: activities (item 2) are missing', () => {
    const s = load('sawtooth-ml');
    s.time = s.time.filter((t) => t.componentId !== 'EVAL');
    const p = packet(s);
    expect(item(p, 'research_activities').missing).toEqual(['EVAL (Benchmark and regression evaluation framework): research activities: no qualified time or contract research is recorded on the component']);
  });

  it('an undecided component (item 1) and an unknown contract total (item 5)', () => {
    const s = load('gem-state-fabrication');
    s.contracts = s.contracts.map((c) => ({ ...c, taxpayerHasRights: undefined }));
    s.components = s.components.map((c) => (c.id === 'D' ? { ...c, qualification: 'needs_information' as const } : c));
    const p = packet(s);
    expect(item(p, 'business_components').missing).toEqual(['D (Client load-bearing adaptation): qualification not decided (needs information)']);
    const t = item(p, 'totals');
    expect(t.missing).toContain('total qualified contract research expenses are unknown');
    expect(t.missing.some((m) => m.includes('contracts.C-1.taxpayerHasRights'))).toBe(true);
    expect(p.totals.contract).toBeNull();
    // D's engineers now worked on an undecided component: their wages are unknown too, never 0
    expect(p.totals.wages).toBeNull();
    expect(t.missing.some((m) => m.includes('components.D.qualification'))).toBe(true);
    expect(p.totals.supplies).toBe(20000000);
    expect(refundPacketMarkdown(p)).toMatch(/\| Contract research \(applicable amount\) \| unknown \|/);
  });

  it('no individuals recorded for a contract-only component (item 3 needs someone) and no components at all (item 1)', () => {
    const s = load('gem-state-fabrication');
    s.time = s.time.filter((t) => t.componentId !== 'A');
    const p = packet(s);
    // the contractor is the only performer left; the employees' research activity is gone
    expect(p.components[0]!.activities.map((a) => a.kind)).toEqual(['contract_research']);
    const none = packet({ ...s, components: [], time: [], contracts: [], supplies: [] });
    expect(item(none, 'business_components').missing).toEqual(['no business component is identified']);
    expect(none.check.complete).toBe(false);
  });

  it("an individual's own interview answer is used as what that person sought", () => {
    const s = load('gem-state-fabrication');
    s.interviews = [{ componentId: 'A', answers: [{ question: 'information_sought', value: 'Which binder ratio survives 500 thermal cycles', answeredBy: 'GSF-103' }] }];
    const p = packet(s);
    const i = p.components[0]!.activities[0]!.individuals.find((x) => x.id === 'GSF-103')!;
    expect(i).toMatchObject({ informationSought: 'Which binder ratio survives 500 thermal cycles', informationSoughtBasis: 'interview' });
  });
});
