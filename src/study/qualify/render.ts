/** A readable terminal summary of a qualification report, per component. */
import type { ComponentQualification, QualificationReport, ReadinessCheck } from './types.js';

const RESULT: Record<ComponentQualification['result'], string> = {
  qualifies: 'QUALIFIES',
  does_not_qualify: 'DOES NOT QUALIFY',
  needs_information: 'NEEDS INFORMATION',
};
const TEST: Record<string, string> = {
  met: 'met',
  not_met: 'NOT MET',
  needs_information: 'needs information',
};
const MARK: Record<ReadinessCheck['status'], string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL', na: 'n/a ' };

/** "0.7999" → "79.99%" (a share as a percent to 1/100, half up; exact on the decimal text). */
export function percent(s: string | null): string {
  if (s === null) return 'unknown';
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return s;
  const f = (m[2] ?? '').padEnd(7, '0');
  const micro = BigInt(m[1]!) * 10_000_000n + BigInt(f.slice(0, 7)); // share × 1e7
  const hundredths = (micro + 500n) / 1000n; // percent × 100 (share × 1e4), half up
  const txt = `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`.replace(/\.?0+$/, '');
  return `${txt}%`;
}

/** Word-wraps `text`; the first line starts with `first`, the others with `rest` (default: as many spaces). */
function wrap(text: string, first: string, rest: string = ' '.repeat(first.length), width = 100): string[] {
  const lines: string[] = [];
  let cur = '';
  const indent = () => (lines.length === 0 ? first : rest);
  for (const w of text.split(/\s+/)) {
    if (cur && (indent() + cur + ' ' + w).length > width) {
      lines.push(indent() + cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(indent() + cur);
  return lines;
}

export function renderComponent(c: ComponentQualification): string[] {
  const out: string[] = [];
  out.push(`${c.componentId}  ${c.name}${c.parentId ? `  (part of ${c.parentId})` : ''}`);
  out.push(`  Result: ${RESULT[c.result]}    readiness ${c.readiness.score}/100${c.recorded && c.recorded !== c.result ? `    study records: ${c.recorded}` : ''}`);
  if (c.lastDecision) out.push(`  Last decision: ${c.lastDecision.result} by ${c.lastDecision.by} at ${c.lastDecision.at}: ${c.lastDecision.why}`);
  for (const r of c.reasons) out.push(...wrap(r, '    - '));
  out.push('  Four-part test:');
  for (const t of c.tests) out.push(`    ${t.test.replaceAll('_', ' ').padEnd(28)} ${TEST[t.status]}${t.evidenceIds.length ? `  [evidence: ${t.evidenceIds.join(', ')}]` : ''}`);
  const ex = c.exclusions.filter((e) => e.applies !== false || e.partial);
  out.push(`  Exclusions: ${ex.length === 0 ? 'none applies' : ''}`);
  for (const e of ex) out.push(`    ${e.exclusion.replaceAll('_', ' ').padEnd(28)} ${e.applies === true ? 'APPLIES' : e.applies === 'unknown' ? 'unknown' : 'partly'}: ${e.partial && e.applies !== true ? e.partial.note : e.reason}`);
  const s = c.substantiallyAll;
  out.push(
    `  Substantially all: ${percent(s.share)} by ${s.basis} (threshold ${percent(s.threshold)}) → ${s.passes === true ? 'passes' : s.passes === false ? 'fails' : 'undecided'}${s.coveredBy ? ` (covered by ${s.coveredBy})` : ''}`,
  );
  out.push(...wrap(`method: ${s.method}`, '    '));
  if (s.measured) out.push(`    measured: ${s.measured.experimentation} of ${s.measured.total} flagged experimentation, ${s.measured.unflagged} not flagged`);
  if (s.shrinkBack) out.push(...wrap(s.shrinkBack.note, '    '));
  const ev = c.evidence;
  const timely = ev.filter((e) => e.contemporaneous === true).length;
  const late = ev.filter((e) => e.contemporaneous === false).length;
  const undated = ev.filter((e) => e.contemporaneous === null).length;
  out.push(`  Evidence: ${ev.length} item(s): ${timely} contemporaneous, ${late} after the tax year, ${undated} undated`);
  const notable = c.readiness.checks.filter((k) => k.status === 'fail' || k.status === 'warn');
  if (notable.length) {
    out.push('  Readiness:');
    for (const k of notable) out.push(...wrap(`${MARK[k.status]} ${k.title}: ${k.message} (${k.citation[0]?.title ?? ''})`, '    ', '         '));
  }
  if (c.openQuestions?.length) out.push(...wrap(`Open questions: ${c.openQuestions.join(', ')}`, '  '));
  return out;
}

export function renderQualificationText(report: QualificationReport): string {
  const lines: string[] = [];
  const n = (r: ComponentQualification['result']) => report.components.filter((c) => c.result === r).length;
  lines.push(
    `Qualification${report.period ? ` — tax year ${report.period.start} to ${report.period.end}` : ''}: ${report.components.length} business component(s): ${n('qualifies')} qualify, ${n('does_not_qualify')} do not, ${n('needs_information')} need information`,
  );
  lines.push(`Exam readiness (study): ${report.readiness.score}/100`);
  for (const k of report.readiness.checks) lines.push(...wrap(`${MARK[k.status]} ${k.title}: ${k.message}`, '  '));
  for (const c of report.components) {
    lines.push('');
    lines.push(...renderComponent(c));
  }
  if (report.problems?.length) {
    lines.push('');
    lines.push('Problems:');
    for (const p of report.problems) lines.push(...wrap(`${p.severity}: ${p.componentId ? `${p.componentId}: ` : ''}${p.message}`, '  '));
  }
  return lines.join('\n') + '\n';
}
