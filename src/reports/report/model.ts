/**
 * The study report as a document model: sections of blocks (paragraphs, key–value lists, tables,
 * charts, explanation trees). Built once from the StudyResult, the QualificationReport (when the
 * result carries one) and the Study; rendered by the HTML and PDF renderers. Nothing is
 * recomputed here: amounts come from the result; hours and evidence are listed from the study.
 */
import type { Citation, Explanation, Val } from '../../explain/types.js';
import { buildForms, dollarsText, type BuildOptions, type PrintedForm } from '../../forms/index.js';
import type { Cents } from '../../money/cents.js';
import type { Schedule, ScheduleColumn, StudyResult } from '../../study/compute/result.js';
import type { Activity, Study } from '../../study/model.js';
import type { ComponentQualification, QualificationReport } from '../../study/qualify/types.js';
import type { BarChart } from '../charts/index.js';

export type Block =
  | { kind: 'p'; text: string; emphasis?: boolean }
  | { kind: 'h3'; text: string; id?: string }
  | { kind: 'kv'; rows: [string, string][] }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; table: Schedule }
  | { kind: 'chart'; chart: BarChart }
  | { kind: 'form'; form: PrintedForm }
  | { kind: 'explain'; title: string; tree: Explanation };

export interface ReportSection {
  id: string;
  title: string;
  blocks: Block[];
}

export interface ReportModel {
  title: string;
  subtitle: string;
  /** Shown only when passed in (keeps output reproducible). */
  generatedAt?: string;
  preparedBy?: string;
  sections: ReportSection[];
}

export interface ReportOptions extends BuildOptions {
  /** Timestamp printed on the cover; none unless given. */
  generatedAt?: string;
  /** Depth of the explanation trees printed (default 6). */
  explainDepth?: number;
}

type WithQualification = StudyResult & { qualification?: QualificationReport };

export function valText(v: Val<Cents> | undefined): string {
  if (!v) return 'not computed';
  if (v.kind === 'known') return `$${dollarsText(v.value)}`;
  if (v.kind === 'unknown') return 'unknown';
  return `n/a (${v.reason})`;
}

function valCell(v: Val<Cents> | undefined): number | null {
  return v?.kind === 'known' ? v.value : null;
}

const ACTIVITIES: Activity[] = ['direct_research', 'direct_supervision', 'direct_support', 'non_qualified'];
const ACTIVITY_LABEL: Record<Activity, string> = {
  direct_research: 'Direct research',
  direct_supervision: 'Direct supervision',
  direct_support: 'Direct support',
  non_qualified: 'Not qualified',
};
const TEST_LABEL: Record<string, string> = {
  permitted_purpose: '§174 / permitted purpose',
  technological_uncertainty: 'Elimination of uncertainty',
  technological_in_nature: 'Technological in nature',
  process_of_experimentation: 'Process of experimentation',
};
const METHOD = (m: 'regular' | 'asc', c: boolean) => `${m === 'regular' ? 'Regular credit' : 'Alternative simplified credit'}${c ? ', §280C(c) reduced' : ', full credit'}`;

function table(id: string, title: string, columns: ScheduleColumn[], rows: Schedule['rows'], totals?: Schedule['totals'], citation: Citation[] = []): Schedule {
  return { id, title, citation, columns, rows, ...(totals ? { totals } : {}) };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function sumKnown(xs: (number | null)[]): number | null {
  return xs.some((x) => x === null) ? null : xs.reduce<number>((a, b) => a + (b as number), 0);
}

function hoursBy(study: Study, pred: (t: Study['time'][number]) => boolean): Map<string, Record<Activity, number>> {
  const m = new Map<string, Record<Activity, number>>();
  for (const t of study.time) {
    if (!pred(t)) continue;
    const r = m.get(t.employeeId) ?? { direct_research: 0, direct_supervision: 0, direct_support: 0, non_qualified: 0 };
    r[t.activity] += t.hours;
    m.set(t.employeeId, r);
  }
  return m;
}

function executiveSummary(r: StudyResult, q: QualificationReport | undefined, study: Study): ReportSection {
  const kv: [string, string][] = [
    ['Taxpayer', `${r.study.taxpayer}${r.study.ein ? ` (EIN ${r.study.ein})` : ''}`],
    ['Entity type', r.study.entityType.replace(/_/g, ' ')],
    ['Tax year', `${r.study.period.start} to ${r.study.period.end}`],
    ['Total federal QREs', valText(r.qre.total)],
    [
      'Federal research credit (chosen)',
      r.federal.credit.kind === 'known' ? `${valText(r.federal.credit)} — ${METHOD(r.federal.chosen.method, r.federal.chosen.section280c)}` : `${valText(r.federal.credit)} (the method is decided once the missing facts are entered)`,
    ],
  ];
  for (const a of r.federal.alternatives) kv.push([`  ${METHOD(a.method, a.section280c)}`, valText(a.credit)]);
  for (const [code, s] of Object.entries(r.states)) kv.push([`${s.name} (${code}) credit`, valText(s.credit)]);
  const qual = study.components.filter((c) => c.qualification === 'qualifies').length;
  kv.push(['Business components', `${study.components.length} studied, ${qual} qualify`]);
  kv.push(['Employees', `${study.employees.length}`]);
  if (q) kv.push(['Study readiness', `${q.readiness.score} / 100`]);
  kv.push(['Open legal questions answered by an option', `${r.flags.length}`]);
  kv.push(['Missing inputs', `${r.missing.length}`]);
  const blocks: Block[] = [{ kind: 'kv', rows: kv }];
  if (r.federal.comparison) blocks.push({ kind: 'p', text: r.federal.comparison });
  blocks.push({
    kind: 'chart',
    chart: {
      id: 'credit-by-method',
      title: 'Federal credit under each method',
      bars: r.federal.alternatives.map((a) => ({
        label: METHOD(a.method, a.section280c),
        value: valCell(a.credit),
        emphasis: r.federal.credit.kind === 'known' && a.method === r.federal.chosen.method && a.section280c === r.federal.chosen.section280c,
      })),
      note: 'The chosen method is highlighted; "unknown" means the method cannot be computed from the facts entered.',
    },
  });
  return { id: 'summary', title: 'Executive summary', blocks };
}

function methodology(r: StudyResult, study: Study, q: QualificationReport | undefined): ReportSection {
  const t = study.taxpayer;
  const blocks: Block[] = [
    {
      kind: 'kv',
      rows: [
        ['Legal name', t.name],
        ['EIN', t.ein ?? 'unknown'],
        ['Principal business activity code', t.activityCode ?? 'unknown'],
        ['States with filings or research', t.states.join(', ') || 'none'],
        ['Controlled or unitary group members', (t.groupMembers ?? []).map((m) => `${m.name}${m.ein ? ` (${m.ein})` : ''}`).join('; ') || 'none'],
        ['Prepared by', study.firm?.name ?? 'not given'],
      ],
    },
  ];
  // Time
  const byBasis = new Map<string, number>();
  let total = 0;
  for (const x of study.time) {
    const k = x.basis ?? 'not stated';
    byBasis.set(k, (byBasis.get(k) ?? 0) + x.hours);
    total += x.hours;
  }
  const basisText = [...byBasis.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, h]) => `${k.replace(/_/g, ' ')}: ${round2(h).toLocaleString('en-US')} hours (${total ? Math.round((h / total) * 1000) / 10 : 0}%)`)
    .join('; ');
  blocks.push({ kind: 'h3', text: 'How time was measured' });
  blocks.push({
    kind: 'p',
    text: `${study.time.length} time records (${round2(total).toLocaleString('en-US')} hours), each kept by employee, business component, activity (direct research, direct supervision, direct support, not qualified) and work location. Basis of the hours: ${basisText || 'no time records'}.`,
  });
  const sources = [...new Set(study.time.map((x) => x.source?.file).filter((f): f is string => !!f))].sort();
  if (sources.length) blocks.push({ kind: 'p', text: `Time sources: ${sources.join(', ')}.` });
  // Wages
  const adjusted = study.employees.filter((e) => e.wageAdjustments?.length).length;
  blocks.push({ kind: 'h3', text: 'How wages were measured' });
  blocks.push({
    kind: 'p',
    text: `Wages are §3401(a) wages (26 U.S.C. § 41(b)(2)(D)): W-2 box 1 for ${study.employees.length} employees${adjusted ? `, adjusted for ${adjusted} employee(s) with a recorded reason` : ''}; wages used for the work opportunity credit are excluded. Each employee's qualified share is the hours of direct research, direct supervision and direct support on qualifying components over all hours.`,
  });
  // 80% rule
  const emps = r.employees ?? [];
  const eighty = emps.filter((e) => /80/.test(e.basis));
  blocks.push({ kind: 'h3', text: 'The 80% rule' });
  blocks.push({
    kind: 'p',
    text: emps.length
      ? `Under Treas. Reg. § 1.41-2(d)(2), when at least 80% of an employee's services are qualified services, all of the wages are treated as qualified. Applied to ${eighty.length} of ${emps.length} employees${eighty.length ? `: ${eighty.map((e) => e.name).join(', ')}` : ''}.`
      : 'Under Treas. Reg. § 1.41-2(d)(2), when at least 80% of an employee\'s services are qualified services, all of the wages are treated as qualified; the per-employee measurement is in the QRE tables below.',
  });
  if (q) {
    blocks.push({ kind: 'h3', text: 'Substantially all (80%) of the activities: process of experimentation' });
    blocks.push({
      kind: 'table',
      table: table(
        'substantially-all',
        'Substantially-all test by business component (Treas. Reg. § 1.41-4(a)(6))',
        [
          { key: 'component', label: 'Business component', kind: 'text' },
          { key: 'method', label: 'How measured', kind: 'text' },
          { key: 'share', label: 'Share', kind: 'text' },
          { key: 'threshold', label: 'Threshold', kind: 'text' },
          { key: 'passes', label: 'Passes', kind: 'text' },
        ],
        q.components.map((c) => ({
          cells: {
            component: c.name,
            method: c.substantiallyAll.method,
            share: c.substantiallyAll.share,
            threshold: c.substantiallyAll.threshold,
            passes: c.substantiallyAll.passes === null ? null : c.substantiallyAll.passes ? 'yes' : `no${c.substantiallyAll.shrinkBack ? ` — shrink-back: ${c.substantiallyAll.shrinkBack.note}` : ''}`,
          },
        })),
      ),
    });
  }
  return { id: 'methodology', title: 'Company and methodology', blocks };
}

function componentSections(r: StudyResult, study: Study, q: QualificationReport | undefined): ReportSection {
  const blocks: Block[] = [];
  const emp = new Map(study.employees.map((e) => [e.id, e]));
  const qByComp = new Map<string, ComponentQualification>((q?.components ?? []).map((c) => [c.componentId, c]));
  const qre = new Map(r.qre.byComponent.map((c) => [c.componentId, c]));
  for (const c of study.components) {
    const cq = qByComp.get(c.id);
    blocks.push({ kind: 'h3', text: `${c.name} (${c.id})`, id: `component-${c.id}` });
    const result = cq?.result ?? c.qualification;
    blocks.push({
      kind: 'kv',
      rows: [
        ['Type', `${c.type}${c.softwareClass ? ` (software: ${c.softwareClass.replace(/_/g, ' ')})` : ''}`],
        ['Result', result.replace(/_/g, ' ')],
        ['Information sought to be discovered', c.informationSought ?? 'not stated'],
        ['Dates', `${c.startDate ?? '?'} to ${c.endDate ?? 'ongoing'}${c.commercialProductionDate ? `; commercial production ${c.commercialProductionDate}` : ''}`],
        ['QREs', qre.has(c.id) ? `$${dollarsText(qre.get(c.id)!.total)}` : 'none'],
      ],
    });
    if (cq) {
      if (cq.reasons.length) blocks.push({ kind: 'list', items: cq.reasons });
      blocks.push({
        kind: 'table',
        table: table(
          `four-part-${c.id}`,
          'Four-part test (26 U.S.C. § 41(d)(1))',
          [
            { key: 'test', label: 'Test', kind: 'text' },
            { key: 'status', label: 'Result', kind: 'text' },
            { key: 'reasons', label: 'Reasons', kind: 'text' },
            { key: 'evidence', label: 'Evidence', kind: 'text' },
            { key: 'law', label: 'Citations', kind: 'text' },
          ],
          cq.tests.map((t) => ({
            cells: { test: TEST_LABEL[t.test] ?? t.test, status: t.status.replace(/_/g, ' '), reasons: t.reasons.join(' '), evidence: t.evidenceIds.join(', '), law: t.citations.map((x) => x.title).join('; ') },
          })),
        ),
      });
      blocks.push({
        kind: 'table',
        table: table(
          `exclusions-${c.id}`,
          'Exclusions reviewed (26 U.S.C. § 41(d)(4))',
          [
            { key: 'exclusion', label: 'Exclusion', kind: 'text' },
            { key: 'applies', label: 'Applies', kind: 'text' },
            { key: 'reason', label: 'Reason', kind: 'text' },
          ],
          cq.exclusions.map((x) => ({ cells: { exclusion: x.exclusion.replace(/_/g, ' '), applies: x.applies === 'unknown' ? null : x.applies ? 'yes' : 'no', reason: x.reason } })),
        ),
      });
    } else {
      blocks.push({ kind: 'p', text: `Qualification as recorded in the study: ${c.qualification.replace(/_/g, ' ')}. ${c.qualificationReason ?? 'No reason recorded.'}` });
    }
    // Evidence
    const ev = cq
      ? cq.evidence.map((e) => ({ id: e.id, kind: e.kind, title: e.title, sha256: e.sha256, date: e.claimedDate, contemporaneous: e.contemporaneous }))
      : (study.evidence ?? []).filter((e) => e.componentIds.includes(c.id)).map((e) => ({ id: e.id, kind: e.kind, title: e.title, sha256: e.sha256, date: e.claimedDate, contemporaneous: undefined as boolean | null | undefined }));
    if (ev.length)
      blocks.push({
        kind: 'table',
        table: table(
          `evidence-${c.id}`,
          'Evidence cited (ledger id and SHA-256)',
          [
            { key: 'id', label: 'Ledger id', kind: 'text' },
            { key: 'kind', label: 'Kind', kind: 'text' },
            { key: 'title', label: 'Title', kind: 'text' },
            { key: 'date', label: 'Dated', kind: 'text' },
            { key: 'sha256', label: 'SHA-256', kind: 'text' },
            { key: 'contemporaneous', label: 'Contemporaneous', kind: 'text' },
          ],
          ev.map((e) => ({
            cells: {
              id: e.id,
              kind: e.kind.replace(/_/g, ' '),
              title: e.title,
              date: e.date ?? 'undated',
              sha256: e.sha256 ?? 'not captured',
              contemporaneous: e.contemporaneous === undefined ? 'not assessed' : e.contemporaneous === null ? 'undated' : e.contemporaneous ? 'yes' : 'no',
            },
          })),
        ),
      });
    else blocks.push({ kind: 'p', text: 'Evidence: no evidence items are linked to this component in the ledger.' });
    // People and hours
    const hours = hoursBy(study, (t) => t.componentId === c.id);
    const rows = [...hours.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, h]) => {
        const e = emp.get(id);
        return { cells: { name: e?.name ?? id, title: e?.title ?? '', ...Object.fromEntries(ACTIVITIES.map((a) => [a, round2(h[a])])), total: round2(ACTIVITIES.reduce((s, a) => s + h[a], 0)) } };
      });
    if (rows.length)
      blocks.push({
        kind: 'table',
        table: table(
          `people-${c.id}`,
          'People and their hours on this component',
          [
            { key: 'name', label: 'Employee', kind: 'text' },
            { key: 'title', label: 'Title', kind: 'text' },
            ...ACTIVITIES.map((a) => ({ key: a, label: ACTIVITY_LABEL[a], kind: 'hours' as const })),
            { key: 'total', label: 'Total hours', kind: 'hours' },
          ],
          rows,
          Object.fromEntries([...ACTIVITIES, 'total'].map((k) => [k, round2(rows.reduce((s, x) => s + (x.cells[k as keyof typeof x.cells] as number), 0))])),
        ),
      });
  }
  return { id: 'components', title: 'Business components', blocks };
}

function qreSection(r: StudyResult, study: Study): ReportSection {
  const q = r.qre;
  const blocks: Block[] = [];
  const money = (key: string, label: string): ScheduleColumn => ({ key, label, kind: 'money' });
  blocks.push({
    kind: 'table',
    table: table(
      'qre-category',
      'QREs by category (Form 6765 Section F)',
      [{ key: 'category', label: 'Category', kind: 'text' }, money('amount', 'Amount'), { key: 'law', label: 'Law', kind: 'text' }],
      [
        { cells: { category: 'Wages for qualified services', amount: valCell(q.wages), law: '26 U.S.C. § 41(b)(2)(A)(i), (D)' } },
        { cells: { category: 'Supplies', amount: valCell(q.supplies), law: '26 U.S.C. § 41(b)(2)(A)(ii), (C)' } },
        { cells: { category: 'Computer rental and cloud', amount: valCell(q.computers), law: '26 U.S.C. § 41(b)(2)(A)(iii)' } },
        { cells: { category: 'Contract research (applicable percentage)', amount: valCell(q.contract), law: '26 U.S.C. § 41(b)(3)' } },
        { cells: { category: 'Basic research (applicable amount)', amount: valCell(q.basicResearch), law: '26 U.S.C. § 41(e)' } },
      ],
      { category: 'Total QREs', amount: valCell(q.total) },
    ),
  });
  blocks.push({
    kind: 'chart',
    chart: {
      id: 'qre-by-category',
      title: 'QREs by category',
      bars: [
        { label: 'Wages', value: valCell(q.wages) },
        { label: 'Supplies', value: valCell(q.supplies) },
        { label: 'Computers / cloud', value: valCell(q.computers) },
        { label: 'Contract research', value: valCell(q.contract) },
        { label: 'Basic research', value: valCell(q.basicResearch) },
      ],
    },
  });
  const comps = [...q.byComponent].sort((a, b) => b.total - a.total || (a.componentId < b.componentId ? -1 : 1));
  blocks.push({
    kind: 'table',
    table: table(
      'qre-component',
      'QREs by business component',
      [{ key: 'name', label: 'Business component', kind: 'text' }, money('wages', 'Wages'), money('supplies', 'Supplies'), money('computers', 'Computers'), money('contract', 'Contract'), money('total', 'Total')],
      comps.map((c) => ({ cells: { name: `${c.name} (${c.componentId})`, wages: c.wages, supplies: c.supplies, computers: c.computers, contract: c.contract, total: c.total } })),
      Object.fromEntries((['wages', 'supplies', 'computers', 'contract', 'total'] as const).map((k) => [k, comps.reduce((s, c) => s + c[k], 0)])),
    ),
  });
  blocks.push({ kind: 'chart', chart: { id: 'qre-by-component', title: 'QREs by business component', bars: comps.map((c) => ({ label: c.name, value: c.total })) } });
  // Employees
  if (r.employees?.length) {
    const rows = [...r.employees].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    blocks.push({
      kind: 'table',
      table: table(
        'qre-employee',
        'Wage QREs by employee',
        [
          { key: 'name', label: 'Employee', kind: 'text' },
          { key: 'title', label: 'Title', kind: 'text' },
          { key: 'officer', label: 'Officer', kind: 'flag' },
          money('wages', '§3401(a) wages'),
          { key: 'share', label: 'Qualified share', kind: 'text' },
          money('qualified', 'Qualified wages'),
          { key: 'basis', label: 'Basis', kind: 'text' },
        ],
        rows.map((e) => ({ cells: { name: e.name, title: e.title ?? '', officer: e.officer, wages: e.wages, share: e.qualifiedShare, qualified: e.qualifiedWages, basis: e.basis } })),
        { wages: sumKnown(rows.map((e) => e.wages)), qualified: sumKnown(rows.map((e) => e.qualifiedWages)) },
      ),
    });
  } else {
    const hours = hoursBy(study, () => true);
    const rows = study.employees.map((e) => {
      const h = hours.get(e.id);
      const qual = h ? h.direct_research + h.direct_supervision + h.direct_support : 0;
      const all = h ? qual + h.non_qualified : 0;
      return { cells: { name: e.name, title: e.title ?? '', officer: e.officer, wages: e.wagesBox1 ?? null, qualifiedHours: round2(qual), hours: round2(all) } };
    });
    blocks.push({
      kind: 'table',
      table: table(
        'qre-employee',
        'Employees: wages and hours (qualified wages by employee are in the workpapers)',
        [
          { key: 'name', label: 'Employee', kind: 'text' },
          { key: 'title', label: 'Title', kind: 'text' },
          { key: 'officer', label: 'Officer', kind: 'flag' },
          money('wages', 'W-2 box 1'),
          { key: 'qualifiedHours', label: 'Qualified hours (all components)', kind: 'hours' },
          { key: 'hours', label: 'All hours', kind: 'hours' },
        ],
        rows,
      ),
    });
  }
  // States
  const byState = q.byState;
  if (byState && Object.keys(byState).length) {
    const codes = Object.keys(byState).sort();
    blocks.push({
      kind: 'table',
      table: table(
        'qre-state',
        'QREs by state (where the research was performed)',
        [{ key: 'state', label: 'State', kind: 'text' }, money('wages', 'Wages'), money('supplies', 'Supplies'), money('computers', 'Computers'), money('contract', 'Contract'), money('total', 'Total')],
        codes.map((s) => ({ cells: { state: s, ...byState[s]! } })),
      ),
    });
    blocks.push({ kind: 'chart', chart: { id: 'qre-by-state', title: 'QREs by state', bars: codes.map((s) => ({ label: s, value: byState[s]!.total })) } });
  } else {
    const states = Object.entries(r.states).filter(([, s]) => s.qre);
    blocks.push({
      kind: 'chart',
      chart: { id: 'qre-by-state', title: 'QREs by state', bars: states.map(([code, s]) => ({ label: `${s.name} (${code})`, value: valCell(s.qre) })), note: states.length ? undefined : 'QREs by state are not in this result.' } as BarChart,
    });
  }
  // Year over year
  const hist = [...study.history].sort((a, b) => (a.period.start < b.period.start ? -1 : 1));
  blocks.push({
    kind: 'chart',
    chart: {
      id: 'qre-by-year',
      title: 'Federal QREs year over year',
      bars: [
        ...hist.map((h) => ({ label: `Tax year ${h.period.start.slice(0, 4)}`, value: h.qre ?? null })),
        { label: `Tax year ${r.study.period.start.slice(0, 4)} (this study)`, value: valCell(q.total), emphasis: true },
      ],
    },
  });
  return { id: 'qre', title: 'Qualified research expenses', blocks };
}

function computations(r: StudyResult, forms: PrintedForm[]): ReportSection {
  const blocks: Block[] = [];
  blocks.push({ kind: 'p', text: 'The forms below are printed from the engine\'s form lines (whole dollars); each amount is explained by the trail that follows, with the law it rests on.' });
  for (const f of forms) if (f.kind === 'form') blocks.push({ kind: 'form', form: f });
  blocks.push({ kind: 'explain', title: 'Federal research credit: explanation trail', tree: r.federal.credit.why });
  for (const a of r.federal.alternatives) if (a.credit.kind !== 'known') blocks.push({ kind: 'p', text: `${METHOD(a.method, a.section280c)}: unknown — missing ${a.credit.kind === 'unknown' ? a.credit.missing.join(', ') : a.credit.reason}.` });
  for (const [code, s] of Object.entries(r.states)) {
    blocks.push({ kind: 'explain', title: `${s.name} (${code}) credit: explanation trail`, tree: s.credit.why });
    if (s.note) blocks.push({ kind: 'p', text: s.note });
  }
  for (const f of forms) if (f.kind === 'schedule') blocks.push({ kind: 'form', form: f });
  return { id: 'computations', title: 'Federal and state computations', blocks };
}

function elections(r: StudyResult, study: Study): ReportSection {
  const e = study.elections;
  const rows: [string, string][] = [
    ['Credit method', e.method === 'best' ? `larger of regular and ASC (${r.federal.decided === false ? 'not decided until the missing facts are entered' : `chosen: ${r.federal.chosen.method === 'asc' ? 'ASC' : 'regular'}`})` : e.method],
    ['§280C(c) reduced credit', e.section280c === 'best' ? `engine compares (${r.federal.decided === false ? 'not decided until the missing facts are entered' : `chosen: ${r.federal.chosen.section280c ? 'elected' : 'not elected'}`})` : e.section280c ? 'elected' : 'not elected'],
    ['§41(h) payroll tax election', e.payrollElection ? (e.payrollElection.elect ? `elected${e.payrollElection.amount !== undefined ? `, $${dollarsText(e.payrollElection.amount)}` : ''}` : 'not elected') : 'not elected'],
  ];
  if (e.section174aCapitalizeMonths !== undefined) rows.push(['§174A(c) capitalisation', `${e.section174aCapitalizeMonths} months`]);
  if (e.section174Transition) rows.push(['§174 transition (OBBBA §70302(f)(2))', e.section174Transition.replace(/_/g, ' ')]);
  if (e.idahoStartupElection !== undefined) rows.push(['Idaho start-up election', e.idahoStartupElection ? 'made' : 'not made']);
  const blocks: Block[] = [{ kind: 'kv', rows }];
  blocks.push({
    kind: 'table',
    table: table(
      'review-flags',
      'Open legal questions answered by a named option (review)',
      [
        { key: 'option', label: 'Option', kind: 'text' },
        { key: 'chosen', label: 'Chosen', kind: 'text' },
        { key: 'default', label: 'Default?', kind: 'text' },
        { key: 'message', label: 'Why it needs review', kind: 'text' },
        { key: 'reference', label: 'Reference', kind: 'text' },
      ],
      r.flags.map((f) => ({ cells: { option: f.option, chosen: f.chosen, default: f.isDefault ? 'default' : 'chosen by the preparer', message: f.message, reference: f.reference.map((x) => x.title).join('; ') } })),
    ),
  });
  if (!r.flags.length) blocks.push({ kind: 'p', text: 'No open legal question affected this study.' });
  return { id: 'elections', title: 'Elections and open legal options', blocks };
}

function risks(r: StudyResult, study: Study, q: QualificationReport | undefined): ReportSection {
  const blocks: Block[] = [];
  if (q) {
    blocks.push({ kind: 'p', text: `Study readiness: ${q.readiness.score} / 100.` });
    const checks = [...q.readiness.checks, ...q.components.flatMap((c) => c.readiness.checks.map((x) => ({ ...x, componentId: x.componentId ?? c.componentId })))];
    blocks.push({
      kind: 'table',
      table: table(
        'readiness',
        'Readiness checks',
        [
          { key: 'status', label: 'Status', kind: 'text' },
          { key: 'component', label: 'Component', kind: 'text' },
          { key: 'title', label: 'Check', kind: 'text' },
          { key: 'message', label: 'Finding', kind: 'text' },
          { key: 'citation', label: 'Authority', kind: 'text' },
        ],
        checks.map((c) => ({ cells: { status: c.status.toUpperCase(), component: c.componentId ?? 'study', title: c.title, message: c.message, citation: c.citation.map((x) => x.title).join('; ') } })),
      ),
    });
  }
  const undecided = study.components.filter((c) => c.qualification === 'needs_information');
  if (undecided.length) blocks.push({ kind: 'p', text: `Components that need information (their costs are unknown, not zero): ${undecided.map((c) => c.name).join(', ')}.` });
  blocks.push({ kind: 'h3', text: `Missing inputs (${r.missing.length})` });
  blocks.push(r.missing.length ? { kind: 'list', items: r.missing } : { kind: 'p', text: 'None: every line could be computed.' });
  if (r.notes.length) {
    blocks.push({ kind: 'h3', text: 'Notes from the computation' });
    blocks.push({ kind: 'list', items: r.notes });
  }
  return { id: 'risks', title: 'Risk flags and readiness', blocks };
}

function documentation(study: Study): ReportSection {
  const blocks: Block[] = [];
  const ev = [...(study.evidence ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1));
  blocks.push({
    kind: 'table',
    table: table(
      'evidence-index',
      'Evidence ledger',
      [
        { key: 'id', label: 'Ledger id', kind: 'text' },
        { key: 'kind', label: 'Kind', kind: 'text' },
        { key: 'title', label: 'Title', kind: 'text' },
        { key: 'date', label: 'Dated', kind: 'text' },
        { key: 'components', label: 'Components', kind: 'text' },
        { key: 'sha256', label: 'SHA-256', kind: 'text' },
        { key: 'uri', label: 'Location', kind: 'text' },
      ],
      ev.map((e) => ({ cells: { id: e.id, kind: e.kind.replace(/_/g, ' '), title: e.title, date: e.claimedDate ?? 'undated', components: e.componentIds.join(', '), sha256: e.sha256 ?? 'not captured', uri: e.uri ?? '' } })),
    ),
  });
  if (!ev.length) blocks.push({ kind: 'p', text: 'No evidence items are in the ledger for this study.' });
  // Imported source files
  const files = new Map<string, { sha256?: string; rows: number; tables: Set<string> }>();
  const note = (tableName: string, s: { file?: string; sha256?: string } | undefined) => {
    if (!s?.file) return;
    const f = files.get(s.file) ?? { rows: 0, tables: new Set<string>() };
    f.rows++;
    f.tables.add(tableName);
    if (s.sha256) f.sha256 = s.sha256;
    files.set(s.file, f);
  };
  for (const e of study.employees) note('employees', e.source);
  for (const t of study.time) note('time', t.source);
  for (const x of study.supplies) note('supplies', x.source);
  for (const x of study.computers) note('computers', x.source);
  for (const x of study.contracts) note('contracts', x.source);
  blocks.push({
    kind: 'table',
    table: table(
      'source-files',
      'Source records imported',
      [
        { key: 'file', label: 'File', kind: 'text' },
        { key: 'tables', label: 'Used for', kind: 'text' },
        { key: 'rows', label: 'Rows', kind: 'count' },
        { key: 'sha256', label: 'SHA-256', kind: 'text' },
      ],
      [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, f]) => ({ cells: { file, tables: [...f.tables].join(', '), rows: f.rows, sha256: f.sha256 ?? 'not recorded' } })),
    ),
  });
  return { id: 'documentation', title: 'Documentation index', blocks };
}

/** The report's content, shared by the HTML and PDF renderers. */
export function buildReportModel(result: StudyResult, study: Study, opts: ReportOptions = {}): ReportModel {
  const q = (result as WithQualification).qualification;
  const forms = buildForms(result, study, opts);
  return {
    title: `Research credit study: ${result.study.taxpayer}`,
    subtitle: `${result.study.title} — tax year ${result.study.period.start} to ${result.study.period.end}`,
    ...(opts.generatedAt ? { generatedAt: opts.generatedAt } : {}),
    ...(study.firm ? { preparedBy: study.firm.name } : {}),
    sections: [
      executiveSummary(result, q, study),
      methodology(result, study, q),
      componentSections(result, study, q),
      qreSection(result, study),
      computations(result, forms),
      elections(result, study),
      risks(result, study, q),
      documentation(study),
    ],
  };
}

