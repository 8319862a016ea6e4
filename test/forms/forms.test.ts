import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildForms, loadPrintRevisions, printRevisionFor, renderFormCsv, renderFormJson, renderFormPdf, renderForms, renderTableCsv, type PrintedForm } from '../../src/forms/index.js';
import { loadLaw } from '../../src/law/index.js';
import { taxPeriod } from '../../src/periods/index.js';
import { computeStudy } from '../../src/study/compute/index.js';
import type { StudyResult } from '../../src/study/compute/result.js';
import { readStudyFolder } from '../../src/study/folder/index.js';
import type { Study } from '../../src/study/model.js';
import { fixtureResult, fixtureStudy, SCRIPT_NAME } from './fixture.js';
import { pdfPages } from './pdf-text.js';

const root = resolve(__dirname, '..', '..');
function example(name: string): { study: Study; result: StudyResult } {
  const study = readStudyFolder(resolve(root, 'examples', name)).study!;
  return { study, result: computeStudy(loadLaw(), study) };
}
const line = (f: PrintedForm, n: string) => f.sections.flatMap((s) => s.lines).find((l) => l.line === n)!;

describe('Form 6765 revisions', () => {
  const revs = loadPrintRevisions();
  it('the lines 1–44 layout applies to tax years beginning before 2024, the current one from 2024', () => {
    expect(printRevisionFor(revs, 'f6765', { start: '2018-01-01' })?.form).toBe('f6765-lines-1-44');
    expect(printRevisionFor(revs, 'f6765', { start: '2023-12-31' })?.form).toBe('f6765-lines-1-44');
    expect(printRevisionFor(revs, 'f6765', { start: '2023-07-01' })?.form).toBe('f6765-lines-1-44'); // fiscal year 2023-24 begins in 2023
    expect(printRevisionFor(revs, 'f6765', { start: '2024-01-01' })).toBeUndefined();
  });
  it('every printed line of the earlier revision shows a line the current revision has, and 1–44 are all there', () => {
    const rev = printRevisionFor(revs, 'f6765', { start: '2020-01-01' })!;
    const current = loadLaw().form('f6765', taxPeriod('2024-01-01', '2024-12-31'));
    for (const [n, def] of Object.entries(rev.lines)) expect(current.lines[def.current], `line ${n} → ${def.current}`).toBeDefined();
    expect(Object.keys(rev.lines).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 44 }, (_, i) => String(i + 1)));
    // the four QRE categories and the credit lines land where the old face had them (federal.md §11)
    expect([rev.lines['5']!.current, rev.lines['9']!.current, rev.lines['17']!.current, rev.lines['34']!.current, rev.lines['36']!.current, rev.lines['44']!.current]).toEqual(['42', '5', '13', '26', '28', '36']);
  });
});

describe('Gem State Fabrication (2023): Form 6765 in the lines 1–44 layout, Idaho Form 67', () => {
  let forms: PrintedForm[];
  beforeAll(() => {
    const { study, result } = example('gem-state-fabrication');
    forms = buildForms(result, study);
  });
  it('prints the 2023 face with the QREs of the seed article', () => {
    const f = forms.find((x) => x.id === 'f6765')!;
    expect(f.revision).toMatch(/lines 1–44/);
    // README / seed article: wages $1,000,000, supplies $200,000, 65% of the $300,000 contract = $195,000, total $1,395,000
    expect(line(f, '5')).toMatchObject({ value: 1_000_000, engineLine: '42' });
    expect(line(f, '8')).toMatchObject({ value: 195_000, engineLine: '47' });
    expect(line(f, '9')).toMatchObject({ value: 1_395_000, display: '1,395,000', engineLine: '5' });
    expect(line(f, '28').value).toBe(1_395_000);
    expect(line(f, '14').value).toBe(697_500); // 50% of line 9
    // no federal history in the article: the credit lines are unknown, printed as "unknown", never 0
    for (const n of ['10', '17', '34', '36']) expect(line(f, n)).toMatchObject({ status: 'unknown', value: null, display: 'unknown' });
    expect(f.sections.map((s) => s.id)).toEqual(['A', 'B', 'C', 'D']);
  });
  it('Idaho Form 67 lines 1–27 and page 2, credit $22,500 as the article computes', () => {
    const f = forms.find((x) => x.id === 'id67')!;
    expect(line(f, '8').value).toBe(1_200_000);
    expect(line(f, '16').value).toBe(22_500);
    const ids = f.sections.flatMap((s) => s.lines.map((l) => l.line));
    for (let i = 1; i <= 27; i++) if (i !== 24) expect(ids).toContain(String(i));
    expect(ids).toContain('24h');
    expect(f.sections.at(-1)!.id).toBe('page2');
    // line order is natural: 23, 24h, 25
    expect(ids.indexOf('24h')).toBe(ids.indexOf('23') + 1);
  });
});

describe('Sawtooth ML (2025): current revision with Sections A–F', () => {
  it('line 48 adds lines 42, 43, 44 and 47; line 22 is the prior 3 years ÷ 6', async () => {
    const { study, result } = example('sawtooth-ml');
    const f = buildForms(result, study)[0]!;
    expect(f.revision).toBe('Rev. December 2024');
    const v = (n: string) => line(f, n).value as number;
    expect(v('48')).toBe(v('42') + v('43') + v('44') + v('47'));
    // (880,000 + 2,240,000 + 3,910,000) / 6 = 1,171,666.67 → 1,171,667
    expect(v('21')).toBe(7_030_000);
    expect(v('22')).toBe(1_171_667);
    expect(f.sections.map((s) => s.id)).toEqual(expect.arrayContaining(['A', 'B', 'C', 'D', 'E', 'F']));
    const json = JSON.parse((await renderForms(result, study, 'json'))[0]!.data as string);
    expect(json.forms[0].sections.find((s: { id: string }) => s.id === 'F').lines.find((l: { line: string }) => l.line === '48').value).toBe(v('48'));
  });
});

describe('hand-built result: every status, Section G, Form 8974 and schedules', () => {
  const forms = buildForms(fixtureResult(), fixtureStudy());
  const f = forms[0]!;
  it('form rounding: under 50 cents down, 50 cents up; rates and flags print as the form shows them', () => {
    expect(line(f, '24')).toMatchObject({ value: 105_000, display: '105,000' });
    expect(line(f, '28')).toMatchObject({ value: 105_001, display: '105,001' });
    expect(line(f, '6')).toMatchObject({ kind: 'rate', value: '0.0312', display: '3.12%' });
    expect(line(f, 'A')).toMatchObject({ value: true, display: 'Yes' });
  });
  it('unknown, not applicable and not computed are three different things, none of them 0 or blank', () => {
    expect(line(f, '7')).toMatchObject({ status: 'unknown', display: 'unknown', missing: ['history.TY2021.grossReceipts'] });
    expect(line(f, '13')).toMatchObject({ status: 'na', display: 'n/a', reason: 'the ASC is used' });
    expect(line(f, '29')).toMatchObject({ status: 'not_computed', display: 'not computed', value: null });
    expect(f.notes.join(' ')).toContain('line 7: history.TY2021.grossReceipts');
  });
  it('Section G prints with Form 6765 (2026 face); Form 8974 and the schedules follow in filing order', () => {
    expect(f.tables.map((t) => t.id)).toEqual(['sectionG']);
    expect(forms.map((x) => x.id)).toEqual(['f6765', 'f8974', 's174', 'carryforward.federal']);
  });
  it('JSON keeps unknown as null with its status; CSV writes "unknown" and escapes quotes and commas', () => {
    const j = JSON.parse(renderFormJson(f));
    const l7 = j.sections.flatMap((s: { lines: unknown[] }) => s.lines).find((l: { line: string }) => l.line === '7');
    expect(l7).toMatchObject({ value: null, status: 'unknown', display: 'unknown' });
    expect(j.tables[0].rows[1].cells.total).toBeNull();
    expect(j.tables[0].rows[0].cells.total).toBe(800_000);
    const csv = renderFormCsv(f);
    expect(csv.map((c) => c.name)).toEqual(['f6765.csv', 'f6765.sectionG.csv']);
    const g = renderTableCsv(f.tables[0]!).split('\r\n');
    expect(g[0]).toBe('49(c) Business component,49(a) EIN,53 Total wages,Total QREs,Source');
    expect(g[1]).toBe(`"${SCRIPT_NAME.replace(/"/g, '""')}",12-3456789,600000,800000,component X`);
    expect(g[2]).toBe('"All other, ""quoted"", components",unknown,100000,unknown,"components Y, Z"');
    expect(g[3]).toBe('Total,,700000,unknown,');
    const lines = csv[0]!.text.split('\r\n');
    expect(lines.find((r) => r.includes(',7,7,'))).toContain(',unknown,,unknown,history.TY2021.grossReceipts');
  });
});

describe('PDF', () => {
  it('each form starts a page (a long form continues), with header, line numbers, captions and amounts', async () => {
    const forms = buildForms(fixtureResult(), fixtureStudy());
    const all = await pdfPages(await renderFormPdf(forms));
    const firsts = all.filter((p) => !p.includes('— continued'));
    expect(firsts.length).toBe(forms.length);
    expect(all.length).toBe(forms.length + 1); // the 2026 Form 6765 with Sections A–G takes two pages
    const pages = [firsts[0] + ' ' + all[1], ...firsts.slice(1)];
    const p1 = pages[0]!;
    expect(p1).toContain('Form 6765');
    expect(p1).toContain('Rev. December 2024');
    expect(p1).toContain('Fixture, Inc.');
    expect(p1).toContain('12-3456789');
    expect(p1).toContain('Section A—Regular Credit');
    expect(p1).toMatch(/24 Line 23 × 14% .* 24 105,000/);
    expect(p1).toMatch(/7 Average annual gross receipts 7 unknown/);
    expect(p1).toContain('Section G—Business Component Information');
    expect(pages[1]).toContain('Form 8974');
    expect(pages[2]).toContain('2,980,000');
  });
  it('Gem State Fabrication: Form 6765 (lines 1–44) and Idaho Form 67 with their amounts', async () => {
    const { study, result } = example('gem-state-fabrication');
    const forms = buildForms(result, study);
    const pages = await pdfPages(await renderFormPdf(forms));
    expect(pages.length).toBeGreaterThanOrEqual(forms.length);
    const f6765 = pages.filter((p) => p.includes('Form 6765')).join(' ');
    expect(f6765).toMatch(/9 Total qualified research expenses: add lines 5 through 8 9 1,395,000/);
    expect(f6765).toMatch(/10 Fixed-base percentage, but not more than 16% 10 unknown/);
    const id67 = pages.find((p) => p.includes('Idaho Form 67'))!;
    expect(id67).toMatch(/16 Credit earned \(line 15 × 5%\) 16 22,500/);
  });
});
