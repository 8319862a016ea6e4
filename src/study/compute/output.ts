/** Renders a StudyResult as the `compute --json` document and as a readable summary. */
import { formatDollars, toWholeDollars, type Cents } from '../../money/cents.js';
import { formatRate, rateToDecimal, type Rate } from '../../money/rate.js';
import { roundToDollar } from '../../money/rounding.js';
import type { Val } from '../../explain/types.js';
import type { CellValue, FormResult, LineValue, Schedule, ScheduleColumn, StudyResult } from './result.js';

function cellText(kind: ScheduleColumn['kind'], v: CellValue | undefined): string {
  if (v === null || v === undefined) return kind === 'money' ? 'unknown' : '';
  if (kind === 'money' && typeof v === 'number') return formatDollars(roundToDollar(v as Cents));
  if (kind === 'hours' && typeof v === 'number') return v.toFixed(2);
  if (kind === 'flag') return v ? 'yes' : 'no';
  return String(v);
}

/** A schedule as a plain-text table (money in whole dollars; unknown cells say so). */
export function renderScheduleText(s: Schedule, opts: { maxWidth?: number } = {}): string {
  const max = opts.maxWidth ?? 40;
  const cut = (t: string) => (t.length > max ? t.slice(0, max - 1) + '…' : t);
  const head = s.columns.map((c) => cut(c.label));
  const body = s.rows.map((r) => s.columns.map((c) => cut(cellText(c.kind, r.cells[c.key]))));
  if (s.totals) body.push(s.columns.map((c, i) => (i === 0 ? 'Total' : s.totals![c.key] !== undefined ? cut(cellText(c.kind, s.totals![c.key])) : '')));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const right = s.columns.map((c) => c.kind === 'money' || c.kind === 'count' || c.kind === 'hours' || c.kind === 'rate');
  const line = (cells: string[]) => cells.map((t, i) => (right[i] ? t.padStart(widths[i]!) : t.padEnd(widths[i]!))).join('  ');
  const out = [s.title, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  for (const n of s.notes ?? []) out.push(`Note: ${n}`);
  if (s.citation.length) out.push(`Authority: ${s.citation.map((c) => c.title).join('; ')}`);
  return out.join('\n');
}

function lineJson(kind: FormResult['kinds'][string], v: Val<LineValue>): number | string | boolean | null {
  if (v.kind !== 'known') return null;
  switch (kind) {
    case 'money':
      return toWholeDollars(roundToDollar(v.value as Cents));
    case 'rate':
      return Number(rateToDecimal(v.value as Rate, 6));
    default:
      return v.value as string | boolean;
  }
}

function valJson(v: Val<Cents>): { status: string; dollars?: number; cents?: number; missing?: string[]; reason?: string } {
  if (v.kind === 'known') return { status: 'known', cents: v.value, dollars: toWholeDollars(roundToDollar(v.value)) };
  if (v.kind === 'unknown') return { status: 'unknown', missing: v.missing };
  return { status: 'not_applicable', reason: v.reason };
}

export function toJsonDocument(r: StudyResult): unknown {
  const forms: Record<string, unknown> = {};
  for (const [id, f] of Object.entries(r.forms)) {
    const lines: Record<string, unknown> = {};
    const status: Record<string, string> = {};
    for (const [line, v] of Object.entries(f.lines)) {
      lines[line] = lineJson(f.kinds[line] ?? 'money', v);
      status[line] = v.kind;
    }
    forms[id] = { title: f.title, revision: f.revision, lines, status, labels: f.labels };
  }
  return {
    rdcredit: 1,
    study: r.study,
    qre: {
      wages: valJson(r.qre.wages),
      supplies: valJson(r.qre.supplies),
      computers: valJson(r.qre.computers),
      contract: valJson(r.qre.contract),
      basicResearch: valJson(r.qre.basicResearch),
      total: valJson(r.qre.total),
      byComponent: r.qre.byComponent,
      ...(r.qre.byState ? { byState: r.qre.byState } : {}),
    },
    ...(r.employees ? { employees: r.employees } : {}),
    ...(r.qualification ? { qualification: r.qualification } : {}),
    federal: {
      credit: valJson(r.federal.credit),
      chosen: r.federal.decided === false ? null : r.federal.chosen,
      decided: r.federal.decided !== false,
      alternatives: r.federal.alternatives.map((a) => ({ method: a.method, section280c: a.section280c, credit: valJson(a.credit) })),
      comparison: r.federal.comparison,
    },
    states: Object.fromEntries(
      Object.entries(r.states).map(([k, s]) => [
        k,
        {
          name: s.name,
          credit: valJson(s.credit),
          ...(s.qre ? { qre: valJson(s.qre) } : {}),
          ...(s.refundable !== undefined ? { refundable: s.refundable } : {}),
          ...(s.carryforwardYears !== undefined ? { carryforwardYears: s.carryforwardYears } : {}),
          ...(s.missing?.length ? { missing: s.missing } : {}),
          ...(s.note ? { note: s.note } : {}),
        },
      ]),
    ),
    forms,
    schedules: r.schedules ?? {},
    reviewFlags: r.flags,
    missing: r.missing,
    notes: r.notes,
  };
}

function showVal(v: Val<Cents>): string {
  if (v.kind === 'known') return formatDollars(roundToDollar(v.value));
  if (v.kind === 'unknown') return `unknown (missing: ${v.missing.slice(0, 3).join(', ')}${v.missing.length > 3 ? `, +${v.missing.length - 3} more` : ''})`;
  return `n/a (${v.reason})`;
}

function showLine(kind: FormResult['kinds'][string], v: Val<LineValue>): string {
  if (v.kind === 'unknown') return 'unknown';
  if (v.kind === 'na') return '—';
  if (kind === 'rate') return formatRate(v.value as Rate, 2);
  if (kind === 'money') return formatDollars(roundToDollar(v.value as Cents));
  return String(v.value);
}

/** A readable summary for the terminal. */
export function renderSummary(r: StudyResult, opts: { lines?: boolean } = {}): string {
  const out: string[] = [];
  const p = r.study.period;
  out.push(`${r.study.title}`);
  out.push(`${r.study.taxpayer}${r.study.ein ? ` (EIN ${r.study.ein})` : ''}, ${r.study.entityType.replace(/_/g, ' ')}, tax year ${p.start} to ${p.end}`);
  out.push('');
  out.push('Qualified research expenses (federal)');
  const q = r.qre;
  const rows: [string, Val<Cents>][] = [
    ['Wages', q.wages],
    ['Supplies', q.supplies],
    ['Computer rental / cloud', q.computers],
    ['Contract research (applicable %)', q.contract],
    ['Basic research (applicable)', q.basicResearch],
    ['Total QREs', q.total],
  ];
  for (const [k, v] of rows) out.push(`  ${k.padEnd(36)} ${showVal(v).padStart(14)}`);
  out.push('');
  out.push('Federal research credit (Form 6765)');
  for (const a of r.federal.alternatives)
    out.push(`  ${(a.method === 'regular' ? 'Regular credit' : 'Alternative simplified credit') + (a.section280c ? ', §280C reduced' : ', full credit')}`.padEnd(50) + showVal(a.credit).padStart(14));
  if (r.federal.credit.kind !== 'known') out.push(`  Chosen: not decided until the missing facts below are entered → ${showVal(r.federal.credit)}`);
  else out.push(`  Chosen: ${r.federal.chosen.method === 'regular' ? 'regular' : 'ASC'}${r.federal.chosen.section280c ? ' with the §280C(c)(2) election' : ' without the §280C election'} → ${showVal(r.federal.credit)}`);
  if (r.federal.comparison) out.push(`  ${r.federal.comparison}`);
  const states = Object.entries(r.states);
  if (states.length) {
    out.push('');
    out.push('State credits');
    for (const [code, s] of states) out.push(`  ${`${s.name} (${code})`.padEnd(48)}${showVal(s.credit).padStart(14)}${s.note && s.credit.kind !== 'na' ? `  ${s.note}` : ''}`);
  }
  const sch = r.schedules ?? {};
  const money = (v: CellValue | undefined) => (typeof v === 'number' ? formatDollars(roundToDollar(v as Cents)) : 'unknown');
  const extra: string[] = [];
  const l36 = r.forms.f6765?.lines['36'];
  if (l36?.kind === 'known') extra.push(`  Payroll tax credit elected (line 36)`.padEnd(50) + showVal(l36 as Val<Cents>).padStart(14));
  const cf = sch['carryforward.federal'];
  if (cf?.totals) extra.push(`  Research credit carried forward (§39)`.padEnd(50) + money(cf.totals.remaining).padStart(14));
  if (sch.s174) for (const n of sch.s174.notes ?? []) if (/^§174\/§174A deduction|^§280C/.test(n)) extra.push(`  ${n.replace(/(\d+) cents/, (_m, c: string) => formatDollars(roundToDollar(Number(c) as Cents)))}`);
  if (sch.sectionG) extra.push(`  ${sch.sectionG.notes?.[0] ?? ''}`);
  if (sch['group.allocation']) extra.push(`  Controlled group: credit allocated to ${sch['group.allocation'].rows.length} members by QRE share`);
  if (extra.length) {
    out.push('');
    out.push('After the credit');
    out.push(...extra);
    out.push(`  Schedules: ${Object.keys(sch).join(', ')} (rdcredit compute --schedule <id>)`);
  }
  if (opts.lines) {
    for (const f of Object.values(r.forms)) {
      out.push('');
      out.push(`${f.title} (${f.revision})`);
      for (const [line, v] of Object.entries(f.lines)) out.push(`  ${line.padStart(4)}  ${(f.labels[line] ?? '').slice(0, 60).padEnd(60)} ${showLine(f.kinds[line] ?? 'money', v).padStart(14)}`);
    }
  }
  if (r.qualification) {
    const q = r.qualification;
    const n = (k: string) => q.components.filter((c) => c.result === k).length;
    out.push('');
    out.push(`Qualification (engine's assessment): ${n('qualifies')} qualify, ${n('needs_information')} need information, ${n('does_not_qualify')} do not; exam readiness ${q.readiness.score}/100 (rdcredit qualify <study>)`);
  }
  if (r.flags.length) {
    out.push('');
    out.push('Open legal questions answered by an option (review):');
    for (const f of r.flags) out.push(`  - ${f.option} = ${f.chosen}${f.isDefault ? ' (default)' : ''}`);
  }
  if (r.missing.length) {
    out.push('');
    out.push(`Missing information (${r.missing.length}):`);
    for (const m of r.missing.slice(0, 12)) out.push(`  - ${m}`);
    if (r.missing.length > 12) out.push(`  … and ${r.missing.length - 12} more (see --json)`);
  }
  for (const n of r.notes) out.push(`Note: ${n}`);
  return out.join('\n');
}

