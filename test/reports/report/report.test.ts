import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainer } from '../../../src/explain/index.js';
import { loadLaw } from '../../../src/law/index.js';
import { cents } from '../../../src/money/cents.js';
import { chartSvg, layoutBarChart } from '../../../src/reports/charts/index.js';
import { buildReportModel, renderExplanationHtml, renderReportHtml, renderReportPdf } from '../../../src/reports/report/index.js';
import { computeStudy } from '../../../src/study/compute/index.js';
import { readStudyFolder } from '../../../src/study/folder/index.js';
import { fixtureQualification, fixtureResult, fixtureStudy, SCRIPT_NAME } from '../../forms/fixture.js';
import { pdfPages } from '../../forms/pdf-text.js';

const root = resolve(__dirname, '..', '..', '..');

/** Anything in the HTML that would make a browser fetch something, or run code. */
function externalRefs(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\b(src|href|xlink:href|action|poster|data)\s*=\s*["']?([^"'\s>]*)/gi)) if (!m[2]!.startsWith('#')) out.push(m[0]);
  for (const m of html.matchAll(/url\(|@import|<script|<link|<iframe|<img|<object|<embed/gi)) out.push(m[0]);
  return out;
}

describe('study report (HTML)', () => {
  const result = { ...fixtureResult(), qualification: fixtureQualification() };
  const study = fixtureStudy();
  const html = renderReportHtml(result, study);

  it('is self-contained: no external resources, no scripts', () => {
    expect(externalRefs(html)).toEqual([]);
  });
  it('escapes a component named <script> everywhere, and every other text from the study', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(html).not.toContain('<b>');
    expect(html).toContain('Whether &lt;b&gt;it&lt;/b&gt; works');
    expect(html).toContain('A note with &lt;markup&gt;.');
  });
  it('has every section, in order, and the five charts', () => {
    const titles = [...html.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(titles).toEqual(['Contents', 'Executive summary', 'Company and methodology', 'Business components', 'Qualified research expenses', 'Federal and state computations', 'Elections and open legal options', 'Risk flags and readiness', 'Documentation index']);
    expect((html.match(/<svg /g) ?? []).length).toBe(5);
    for (const t of ['Federal credit under each method', 'QREs by category', 'QREs by business component', 'QREs by state', 'Federal QREs year over year']) expect(html).toContain(`aria-label="${t}"`);
  });
  it('renders the four-part test, exclusions, evidence by ledger id and SHA-256, and people with hours', () => {
    expect(html).toContain('Process of experimentation</td><td class="t">needs information');
    expect(html).toContain('internal use software</td><td class="t unk">unknown');
    expect(html).toContain(`EV-1</td><td class="t">experiment run</td><td class="t">Run 42 failed</td><td class="t">2026-03-01</td><td class="t">${'cd'.repeat(32)}`);
    expect(html).toMatch(/Ada Engineer<\/td><td class="t"><\/td><td class="n">1,800<\/td>/);
    expect(html).toContain('Study readiness');
  });
  it('falls back to the recorded qualification when the result has no qualification report', () => {
    const h = renderReportHtml(fixtureResult(), study);
    expect(h).toContain('Qualification as recorded in the study: needs information. Interview pending');
    expect(h).not.toContain('Four-part test');
  });
  it('shows unknown as unknown, the review flag with its default, and the missing inputs', () => {
    expect(html).toContain('<th>Idaho (ID) credit</th><td class="unk">unknown</td>');
    expect(html).toContain('us.forms.f6765.section_g.stopping_rule</td><td class="t">at_least</td><td class="t">default</td><td class="t">UNVERIFIED stopping rule &lt;b&gt;');
    expect(html).toContain('<li>taxFacts.idahoTax</li>');
  });
  it('is deterministic: no timestamp unless one is passed in', () => {
    expect(renderReportHtml(result, study)).toBe(html);
    expect(renderReportHtml(result, study, { generatedAt: '2026-05-01T10:00:00Z' })).toContain('generated 2026-05-01T10:00:00Z');
    expect(html).not.toMatch(/generated/);
  });
});

describe('explanation trail (HTML)', () => {
  it('renders label, value, rule, formula, law, inputs and review flags, escaped, to the given depth', () => {
    const leaf = explainer('leaf.rule', 'Leaf <i>', [{ title: '26 U.S.C. § 41(c)(4)' }]).input('QREs', '$1 & 2').known(cents(100));
    const m = explainer('mid.rule', 'Middle', []).formula('a × b');
    m.child(leaf);
    const mid = m.known(cents(200));
    const t = explainer('top.rule', 'Top', []).flag({ option: 'opt.x', chosen: 'a', isDefault: true, message: 'check <this>', reference: [] });
    t.child(mid);
    const top = t.known(cents(300));
    const h = renderExplanationHtml(top.why);
    expect(h).toContain('<span class="xlabel">Leaf &lt;i&gt;</span>');
    expect(h).toContain('[leaf.rule]');
    expect(h).toContain('formula: <code>a × b</code>');
    expect(h).toContain('law: 26 U.S.C. § 41(c)(4)');
    expect(h).toContain('input QREs = $1 &amp; 2');
    expect(h).toContain('REVIEW <code>opt.x</code> = a (default): check &lt;this&gt;');
    const shallow = renderExplanationHtml(top.why, { maxDepth: 1 });
    expect(shallow).toContain('Middle');
    expect(shallow).not.toContain('Leaf');
    expect(shallow).toContain('… 1 more step(s)');
  });
});

describe('charts', () => {
  it('bar lengths are proportional to the values; unknown draws no bar and says so', () => {
    const c = { id: 'c', title: 'T <&>', bars: [{ label: 'a', value: cents(100_000) }, { label: 'b', value: cents(50_000) }, { label: 'c', value: null }] };
    const rects = layoutBarChart(c, 500).primitives.filter((p) => p.kind === 'rect') as { w: number }[];
    expect(rects.length).toBe(2);
    expect(rects[1]!.w * 2).toBeCloseTo(rects[0]!.w, 0);
    const svg = chartSvg(c);
    expect(svg).toContain('>unknown<');
    expect(svg).toContain('T &lt;&amp;&gt;');
    expect(svg).toContain('$1,000');
  });
});

describe('study report (PDF)', () => {
  it('hand-built result: opens, has the cover and every section, the charts and the unknown credit', async () => {
    const result = { ...fixtureResult(), qualification: fixtureQualification() };
    const pages = await pdfPages(await renderReportPdf(result, fixtureStudy()));
    const text = pages.join(' ');
    expect(pages.length).toBeGreaterThanOrEqual(9); // cover + one page or more per section
    expect(pages[0]).toContain('Research credit study: Fixture, Inc.');
    for (const s of ['1. Executive summary', '3. Business components', '5. Federal and state computations', '8. Documentation index']) expect(text).toContain(s);
    expect(text).toContain('Federal credit under each method');
    expect(text).toContain('$105,001');
    expect(text).toMatch(/Idaho \(ID\) credit unknown/);
    expect(text).toContain(SCRIPT_NAME); // the PDF prints the name as text
    expect(text.replace(/\s/g, '')).toContain('cd'.repeat(32)); // wrapped in its cell
  });
  it('Sawtooth ML: the report PDF renders the federal credit and the explanation trail', async () => {
    const study = readStudyFolder(resolve(root, 'examples', 'sawtooth-ml')).study!;
    const result = computeStudy(loadLaw(), study);
    const model = buildReportModel(result, study);
    expect(model.sections.map((s) => s.id)).toEqual(['summary', 'methodology', 'components', 'qre', 'computations', 'elections', 'risks', 'documentation']);
    const text = (await pdfPages(await renderReportPdf(result, study))).join(' ');
    const credit = result.federal.credit;
    expect(credit.kind).toBe('known');
    const dollars = Math.round((credit as { value: number }).value / 100).toLocaleString('en-US');
    expect(text).toContain(`$${dollars}`);
    expect(text).toContain('Federal research credit: explanation trail');
    expect(text).toContain('Hybrid sparse-grouped attention for pretraining');
  }, 60_000);
});
