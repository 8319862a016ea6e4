/**
 * The refund-claim packet for an amended return (docs/audit-file.md, "Refund-claim packet"):
 * the items of information a research credit claim for refund must give (Chief Counsel memorandum
 * FAA 20214101F; IRS FAQs "Required information for a valid research credit claim for refund"):
 *
 *   1. every business component to which the credit relates;
 *   2. for each, every research activity performed;
 *   3. for each, the individuals who performed each activity;
 *   4. for each, the information each individual sought to discover;
 *   5. the total qualified employee wage, supply and contract research expenses for the year;
 *   and the declaration under penalties of perjury by the person signing the claim.
 *
 * Built from the study (components, time, contracts, evidence, interviews) and the computed result
 * (QRE totals), with a completeness check per component that says what is missing. The IRS FAQs
 * (updated 2024-06-18) accept claims that omit items 3 and 4 at filing but may ask for them in
 * examination: the packet keeps them and marks them `waivableAtFiling`.
 */
import type { Val } from '../../explain/types.js';
import type { Cents } from '../../money/cents.js';
import type { StudyResult } from '../../study/compute/result.js';
import type { Activity, BusinessComponent, Study } from '../../study/model.js';
import type { QualificationReport } from '../../study/qualify/types.js';

export const REFUND_SOURCES = [
  { title: 'IRS Office of Chief Counsel, Field Attorney Advice 20214101F (Sept. 17, 2021)' },
  { title: 'IRS, Required information for a valid research credit claim for refund (FAQs, updated Oct. 30, 2023, June 18, 2024 and Nov. 25, 2024)', href: 'https://www.irs.gov/businesses/required-information-for-a-valid-research-credit-claim-for-refund' },
];

export type RefundItem = 'business_components' | 'research_activities' | 'individuals' | 'information_sought' | 'totals' | 'declaration';

export const ITEM_TITLES: Record<RefundItem, string> = {
  business_components: 'Item 1: all business components to which the credit relates',
  research_activities: 'Item 2: for each business component, all research activities performed',
  individuals: 'Item 3: the individuals who performed each research activity',
  information_sought: 'Item 4: the information each individual sought to discover',
  totals: 'Item 5: total qualified employee wage, supply and contract research expenses',
  declaration: 'Declaration under penalties of perjury',
};

/** Items the IRS FAQs let a claim omit at filing (they may be requested in examination). */
export const WAIVABLE_AT_FILING: readonly RefundItem[] = ['individuals', 'information_sought'];

export interface RefundIndividual {
  /** Employee id, or the contract id for contract research. */
  id: string;
  name: string;
  title?: string;
  kind: 'employee' | 'contractor';
  hours?: number;
  /** The information the individual sought to discover; null = not recorded. */
  informationSought: string | null;
  /** Where it comes from: the person's own interview answer, or the component's statement. */
  informationSoughtBasis: 'interview' | 'component' | 'none';
}

export interface RefundActivity {
  id: string;
  kind: Exclude<Activity, 'non_qualified'> | 'contract_research';
  description: string;
  individuals: RefundIndividual[];
  /** Evidence items (id) that document the activity. */
  evidenceIds: string[];
}

export interface RefundComponent {
  componentId: string;
  name: string;
  type: BusinessComponent['type'];
  softwareClass?: string;
  memberId?: string;
  qualification: BusinessComponent['qualification'];
  informationSought: string | null;
  activities: RefundActivity[];
  /** The component's QREs as computed (cents); null when the engine has none for it. */
  qre: { wages: number; supplies: number; computers: number; contract: number; total: number } | null;
  evidence: { id: string; kind: string; title: string; sha256?: string; claimedDate?: string; outcome?: string }[];
  /** What this component still lacks for the claim (empty = complete). */
  missing: string[];
}

export interface RefundTotals {
  /** Cents; null = unknown (with what is missing). */
  wages: number | null;
  supplies: number | null;
  computers: number | null;
  contract: number | null;
  basicResearch: number | null;
  total: number | null;
  missing: string[];
}

export interface RefundCheckItem {
  item: RefundItem;
  title: string;
  status: 'complete' | 'incomplete';
  waivableAtFiling: boolean;
  missing: string[];
}

export interface RefundPacket {
  format: 'rdcredit-refund-packet-v1';
  taxpayer: { name: string; ein?: string; entityType: string };
  taxYear: { start: string; end: string };
  credit: { federal: number | null; method?: string; section280c?: boolean };
  components: RefundComponent[];
  /** Components of the study the claim does not rely on (they do not qualify), for completeness. */
  excludedComponents: { componentId: string; name: string; reason?: string }[];
  totals: RefundTotals;
  declaration: { text: string; signer?: { name: string; title: string; date: string } };
  check: { complete: boolean; items: RefundCheckItem[] };
  sources: typeof REFUND_SOURCES;
}

export interface RefundOptions {
  qualification?: QualificationReport;
  /** The person signing the claim under penalties of perjury. */
  signer?: { name: string; title: string; date: string };
}

const ACTIVITY_TEXT: Record<Exclude<Activity, 'non_qualified'>, string> = {
  direct_research: 'Direct research',
  direct_supervision: 'Direct supervision of the research',
  direct_support: 'Direct support of the research',
};

const EXPERIMENT_KINDS = new Set(['experiment_run', 'training_run', 'benchmark', 'lab_notebook', 'commit', 'pull_request', 'design_doc', 'adr', 'ticket', 'meeting_notes']);

function centsOf(v: Val<Cents>): number | null {
  return v.kind === 'known' ? v.value : v.kind === 'na' ? 0 : null;
}

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === '';

/** Builds the packet and its completeness check. */
export function buildRefundPacket(study: Study, result: StudyResult, opts: RefundOptions = {}): RefundPacket {
  const emp = new Map(study.employees.map((e) => [e.id, e]));
  const qual = new Map((opts.qualification?.components ?? []).map((c) => [c.componentId, c]));
  const interviews = new Map((study.interviews ?? []).map((i) => [i.componentId, i]));
  const claimed = study.components.filter((c) => c.qualification !== 'does_not_qualify');

  const components: RefundComponent[] = claimed.map((c) => {
    const q = qual.get(c.id);
    // what each person sought, from their own interview answers on the component (question ids naming it)
    const ownAnswer = new Map<string, string>();
    for (const a of interviews.get(c.id)?.answers ?? [])
      if (a.answeredBy && /information|sought|uncertain/i.test(a.question) && typeof a.value === 'string' && !blank(a.value)) ownAnswer.set(a.answeredBy, a.value);
    const infoFor = (id: string): Pick<RefundIndividual, 'informationSought' | 'informationSoughtBasis'> => {
      const own = ownAnswer.get(id);
      if (own) return { informationSought: own, informationSoughtBasis: 'interview' };
      if (!blank(c.informationSought)) return { informationSought: c.informationSought!, informationSoughtBasis: 'component' };
      return { informationSought: null, informationSoughtBasis: 'none' };
    };
    const evidence = (study.evidence ?? []).filter((e) => e.componentIds.includes(c.id));
    const narrative = q?.tests.find((t) => t.test === 'process_of_experimentation')?.reasons.join(' ') || c.qualificationReason || '';

    const activities: RefundActivity[] = [];
    for (const kind of ['direct_research', 'direct_supervision', 'direct_support'] as const) {
      const hours = new Map<string, number>();
      for (const t of study.time) if (t.componentId === c.id && t.activity === kind && t.hours > 0) hours.set(t.employeeId, (hours.get(t.employeeId) ?? 0) + t.hours);
      if (!hours.size) continue;
      const people = [...hours.keys()];
      activities.push({
        id: `${c.id}:${kind}`,
        kind,
        description: `${ACTIVITY_TEXT[kind]} on ${c.name}${kind === 'direct_research' && narrative ? `: ${narrative}` : ''}`,
        individuals: people.sort().map((id) => {
          const e = emp.get(id);
          return { id, name: e?.name ?? id, ...(e?.title ? { title: e.title } : {}), kind: 'employee' as const, hours: Math.round(hours.get(id)! * 100) / 100, ...infoFor(id) };
        }),
        evidenceIds: evidence.filter((e) => EXPERIMENT_KINDS.has(e.kind) && e.employeeIds.some((x) => hours.has(x))).map((e) => e.id),
      });
    }
    for (const k of study.contracts.filter((x) => x.componentId === c.id)) {
      activities.push({
        id: `${c.id}:contract:${k.id}`,
        kind: 'contract_research',
        description: `Contract research on ${c.name} performed by ${k.payee}${k.source?.note ? `: ${k.source.note}` : ''}`,
        individuals: [{ id: k.id, name: k.payee, kind: 'contractor', ...infoFor(k.id) }],
        evidenceIds: evidence.filter((e) => e.kind === 'contract').map((e) => e.id),
      });
    }
    const bc = result.qre.byComponent.find((x) => x.componentId === c.id);
    const missing: string[] = [];
    if (c.qualification === 'needs_information') missing.push('qualification not decided (needs information)');
    if (!activities.length) missing.push('research activities: no qualified time or contract research is recorded on the component');
    if (activities.length && activities.every((a) => !a.individuals.length)) missing.push('individuals: no one is recorded as performing the activities');
    if (blank(c.informationSought)) missing.push('information sought to be discovered (component)');
    const noInfo = activities.flatMap((a) => a.individuals).filter((i) => i.informationSought === null);
    if (noInfo.length) missing.push(`information sought by ${noInfo.length} individual(s): ${[...new Set(noInfo.map((i) => i.name))].slice(0, 5).join(', ')}`);
    if (!bc && c.qualification === 'qualifies') missing.push('QREs of the component: none computed');
    return {
      componentId: c.id,
      name: c.name,
      type: c.type,
      ...(c.softwareClass ? { softwareClass: c.softwareClass } : {}),
      ...(c.memberId ? { memberId: c.memberId } : {}),
      qualification: c.qualification,
      informationSought: blank(c.informationSought) ? null : c.informationSought!,
      activities,
      qre: bc ? { wages: bc.wages, supplies: bc.supplies, computers: bc.computers, contract: bc.contract, total: bc.total } : null,
      evidence: evidence.map((e) => ({ id: e.id, kind: e.kind, title: e.title, ...(e.sha256 ? { sha256: e.sha256 } : {}), ...(e.claimedDate ? { claimedDate: e.claimedDate } : {}), ...(e.outcome ? { outcome: e.outcome } : {}) })),
      missing,
    };
  });

  const q = result.qre;
  const totals: RefundTotals = {
    wages: centsOf(q.wages),
    supplies: centsOf(q.supplies),
    computers: centsOf(q.computers),
    contract: centsOf(q.contract),
    basicResearch: centsOf(q.basicResearch),
    total: centsOf(q.total),
    missing: [...new Set([q.wages, q.supplies, q.computers, q.contract, q.total].flatMap((v) => (v.kind === 'unknown' ? v.missing : [])))].sort(),
  };

  // the check, item by item
  const perComponent = (pred: (m: string) => boolean) => components.flatMap((c) => c.missing.filter(pred).map((m) => `${c.componentId} (${c.name}): ${m}`));
  const items: RefundCheckItem[] = [
    {
      item: 'business_components',
      missing: [...(components.length ? [] : ['no business component is identified']), ...perComponent((m) => m.startsWith('qualification'))],
    },
    { item: 'research_activities', missing: perComponent((m) => m.startsWith('research activities')) },
    { item: 'individuals', missing: perComponent((m) => m.startsWith('individuals')) },
    { item: 'information_sought', missing: perComponent((m) => m.startsWith('information sought')) },
    {
      item: 'totals',
      missing: [
        ...(['wages', 'supplies', 'contract'] as const).filter((k) => totals[k] === null).map((k) => `total qualified ${k === 'wages' ? 'employee wage' : k === 'supplies' ? 'supply' : 'contract research'} expenses are unknown`),
        ...(totals.missing.length ? [`missing inputs: ${totals.missing.slice(0, 8).join(', ')}${totals.missing.length > 8 ? ` (+${totals.missing.length - 8} more)` : ''}`] : []),
        ...perComponent((m) => m.startsWith('QREs')),
      ],
    },
    { item: 'declaration', missing: opts.signer ? [] : ['the claim is not yet signed under penalties of perjury (name, title, date)'] },
  ].map((x) => ({
    item: x.item as RefundItem,
    title: ITEM_TITLES[x.item as RefundItem],
    status: x.missing.length ? ('incomplete' as const) : ('complete' as const),
    waivableAtFiling: WAIVABLE_AT_FILING.includes(x.item as RefundItem),
    missing: x.missing,
  }));

  const fed = result.federal.credit;
  return {
    format: 'rdcredit-refund-packet-v1',
    taxpayer: { name: study.taxpayer.name, ...(study.taxpayer.ein ? { ein: study.taxpayer.ein } : {}), entityType: study.taxpayer.entityType },
    taxYear: { start: study.taxpayer.period.start, end: study.taxpayer.period.end },
    credit: {
      federal: fed.kind === 'known' ? fed.value : null,
      ...(fed.kind === 'known' ? { method: result.federal.chosen.method, section280c: result.federal.chosen.section280c } : {}),
    },
    components,
    excludedComponents: study.components.filter((c) => c.qualification === 'does_not_qualify').map((c) => ({ componentId: c.id, name: c.name, ...(c.qualificationReason ? { reason: c.qualificationReason } : {}) })),
    totals,
    declaration: {
      text: 'Under penalties of perjury, I declare that I have examined this claim, including the accompanying schedules and statements, and to the best of my knowledge and belief, it is true, correct, and complete.',
      ...(opts.signer ? { signer: opts.signer } : {}),
    },
    check: { complete: items.every((i) => i.status === 'complete'), items },
    sources: REFUND_SOURCES,
  };
}

const usd = (c: number | null): string => (c === null ? 'unknown' : `$${(c / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per component × activity × individual (the examiner's spreadsheet view). Money in dollars. */
export function refundPacketCsv(p: RefundPacket): string {
  const head = ['component_id', 'component', 'component_information_sought', 'activity_id', 'activity', 'activity_description', 'individual_id', 'individual', 'individual_kind', 'title', 'hours', 'information_sought', 'information_sought_basis', 'component_qre', 'evidence_ids', 'missing'];
  const rows: unknown[][] = [];
  for (const c of p.components) {
    const base = [c.componentId, c.name, c.informationSought ?? 'unknown'];
    const tail = (a?: RefundActivity) => [c.qre ? (c.qre.total / 100).toFixed(2) : 'unknown', (a?.evidenceIds ?? []).join(' '), c.missing.join('; ')];
    if (!c.activities.length) rows.push([...base, '', '', '', '', '', '', '', '', '', '', ...tail()]);
    for (const a of c.activities) {
      if (!a.individuals.length) rows.push([...base, a.id, a.kind, a.description, '', '', '', '', '', '', '', ...tail(a)]);
      for (const i of a.individuals) rows.push([...base, a.id, a.kind, a.description, i.id, i.name, i.kind, i.title ?? '', i.hours ?? '', i.informationSought ?? 'unknown', i.informationSoughtBasis, ...tail(a)]);
    }
  }
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** The packet as a Markdown document (for review, or to print with the claim). */
export function refundPacketMarkdown(p: RefundPacket): string {
  const out: string[] = [];
  out.push(`# Research credit claim for refund — items of information`);
  out.push('');
  out.push(`**Taxpayer:** ${p.taxpayer.name}${p.taxpayer.ein ? ` (EIN ${p.taxpayer.ein})` : ''}  `);
  out.push(`**Tax year:** ${p.taxYear.start} to ${p.taxYear.end}  `);
  out.push(`**Federal research credit:** ${usd(p.credit.federal)}${p.credit.method ? ` (${p.credit.method === 'asc' ? 'alternative simplified credit' : 'regular credit'}${p.credit.section280c ? ', §280C(c) reduced credit' : ''})` : ''}`);
  out.push('');
  out.push(`## Completeness check: ${p.check.complete ? 'complete' : 'INCOMPLETE'}`);
  out.push('');
  out.push('| Item | Status | What is missing |');
  out.push('| --- | --- | --- |');
  for (const i of p.check.items) out.push(`| ${i.title}${i.waivableAtFiling ? ' ¹' : ''} | ${i.status} | ${i.missing.length ? i.missing.join('<br>') : '—'} |`);
  out.push('');
  out.push('¹ The IRS FAQs accept a claim that omits this item at filing; the IRS may still ask for it in examination.');
  out.push('');
  out.push('## Item 5: totals');
  out.push('');
  out.push('| Qualified research expenses | Amount |');
  out.push('| --- | ---: |');
  out.push(`| Employee wages | ${usd(p.totals.wages)} |`);
  out.push(`| Supplies | ${usd(p.totals.supplies)} |`);
  out.push(`| Rental or lease of computers | ${usd(p.totals.computers)} |`);
  out.push(`| Contract research (applicable amount) | ${usd(p.totals.contract)} |`);
  out.push(`| Basic research payments (applicable amount) | ${usd(p.totals.basicResearch)} |`);
  out.push(`| **Total** | **${usd(p.totals.total)}** |`);
  out.push('');
  out.push(`## Items 1–4: business components (${p.components.length})`);
  for (const c of p.components) {
    out.push('');
    out.push(`### ${c.componentId} — ${c.name}`);
    out.push('');
    out.push(`Type: ${c.type}${c.softwareClass ? ` (${c.softwareClass.replace(/_/g, ' ')})` : ''}; qualification: ${c.qualification.replace(/_/g, ' ')}; QREs: ${c.qre ? usd(c.qre.total) : 'unknown'}`);
    out.push('');
    out.push(`**Information sought to be discovered:** ${c.informationSought ?? '_not recorded_'}`);
    for (const a of c.activities) {
      out.push('');
      out.push(`- **${a.description}**`);
      for (const i of a.individuals)
        out.push(`  - ${i.name}${i.title ? `, ${i.title}` : ''}${i.hours !== undefined ? ` — ${i.hours} hours` : ''}${i.informationSoughtBasis === 'interview' ? ` — sought: ${i.informationSought}` : i.informationSought === null ? ' — information sought: _not recorded_' : ''}`);
      if (a.evidenceIds.length) out.push(`  - Evidence: ${a.evidenceIds.join(', ')}`);
    }
    if (!c.activities.length) out.push('', '_No research activity is recorded._');
    if (c.evidence.length) {
      out.push('');
      out.push('Evidence: ' + c.evidence.map((e) => `${e.id} (${e.kind}${e.claimedDate ? `, ${e.claimedDate}` : ''}${e.sha256 ? `, sha256 ${e.sha256.slice(0, 12)}…` : ''})`).join('; '));
    }
    if (c.missing.length) out.push('', `**Missing:** ${c.missing.join('; ')}`);
  }
  if (p.excludedComponents.length) {
    out.push('');
    out.push('## Components not claimed (do not qualify)');
    out.push('');
    for (const c of p.excludedComponents) out.push(`- ${c.componentId} — ${c.name}${c.reason ? `: ${c.reason}` : ''}`);
  }
  out.push('');
  out.push('## Declaration');
  out.push('');
  out.push(p.declaration.text);
  out.push('');
  out.push(p.declaration.signer ? `Signed: ${p.declaration.signer.name}, ${p.declaration.signer.title}, ${p.declaration.signer.date}` : 'Signed: ______________________ (name, title, date)');
  out.push('');
  out.push('Sources: ' + p.sources.map((s) => s.title).join('; '));
  return out.join('\n') + '\n';
}
