/** Text and JSON forms of a quick-check result. */
import type { Val } from '../../explain/index.js';
import { formatDollars, roundToDollar, toWholeDollars, type Cents } from '../../money/index.js';
import type { CreditEstimate, QuickCheckResult, Range } from './estimate.js';

function valText(v: Val<Cents>): string {
  return v.kind === 'known' ? formatDollars(roundToDollar(v.value)) : v.kind === 'unknown' ? 'unknown' : 'n/a';
}

export function rangeText(r: Range | undefined): string {
  if (!r) return '—';
  return `${valText(r.low)} – ${valText(r.high)}`;
}

function valJson(v: Val<Cents>) {
  if (v.kind === 'known') return { value: toWholeDollars(roundToDollar(v.value)), explanation: v.why };
  if (v.kind === 'unknown') return { value: null, missing: v.missing, explanation: v.why };
  return { value: null, notApplicable: v.reason, explanation: v.why };
}

function rangeJson(r: Range | undefined) {
  return r ? { low: valJson(r.low), high: valJson(r.high) } : null;
}

function creditJson(c: CreditEstimate) {
  return { id: c.id, label: c.label, applies: c.applies, why: c.why, range: rangeJson(c.range), citations: c.citations, notes: c.notes };
}

/** One JSON document: amounts in whole dollars, null when unknown (with `missing`), explanations included. */
export function quickCheckJson(r: QuickCheckResult) {
  return {
    taxYear: r.taxYear,
    period: r.period,
    verdict: r.verdict,
    reasons: r.reasons,
    profile: r.profile,
    qre: r.qre
      ? { wages: rangeJson(r.qre.wages), cloud: rangeJson(r.qre.cloud), supplies: rangeJson(r.qre.supplies), contractors: rangeJson(r.qre.contractors), total: rangeJson(r.qre.total) }
      : null,
    federal: { regular: creditJson(r.federal.regular), asc: creditJson(r.federal.asc), best: creditJson(r.federal.best), reducedCredit: creditJson(r.federal.reducedCredit) },
    payrollOffset: creditJson(r.payrollOffset),
    states: r.states.map((s) => ({ state: s.state, registry: s.registry ?? null, ...creditJson(s) })),
    assumptions: r.assumptions,
    records: r.records,
    warnings: r.warnings,
  };
}

const VERDICT: Record<QuickCheckResult['verdict'], string> = {
  likely: 'LIKELY QUALIFIES',
  possibly: 'POSSIBLY QUALIFIES (see the warnings)',
  unlikely: 'UNLIKELY TO QUALIFY',
};

/** A readable summary for the terminal. */
export function renderQuickCheck(r: QuickCheckResult): string {
  const out: string[] = [];
  out.push(`Quick check — tax year ${r.taxYear} — ${r.profile.label}`);
  out.push('');
  out.push(`Result: ${VERDICT[r.verdict]}`);
  for (const x of r.reasons) out.push(`  • ${x}`);
  if (r.qre) {
    out.push('');
    out.push('Rough qualified research expenses (low – high):');
    out.push(`  wages            ${rangeText(r.qre.wages)}`);
    out.push(`  cloud compute    ${rangeText(r.qre.cloud)}`);
    out.push(`  supplies         ${rangeText(r.qre.supplies)}`);
    out.push(`  contract         ${rangeText(r.qre.contractors)}`);
    out.push(`  total            ${rangeText(r.qre.total)}`);
  }
  out.push('');
  out.push('Credits:');
  const credit = (c: CreditEstimate) => {
    out.push(`  ${c.label}: ${c.applies === 'no' ? 'does not apply' : rangeText(c.range)}${c.applies === 'maybe' ? ' (maybe)' : ''}`);
    out.push(`      ${c.why}`);
    for (const n of c.notes) out.push(`      note: ${n}`);
  };
  credit(r.federal.best);
  credit(r.federal.asc);
  credit(r.federal.regular);
  credit(r.federal.reducedCredit);
  credit(r.payrollOffset);
  for (const s of r.states) credit(s);
  out.push('');
  out.push('Assumptions:');
  for (const a of r.assumptions) out.push(`  - ${a.text}: ${a.value}  [${a.source}]`);
  if (r.warnings.length) {
    out.push('');
    out.push('Warnings:');
    for (const w of r.warnings) out.push(`  ! ${w}`);
  }
  out.push('');
  out.push('Records to start keeping:');
  for (const x of r.records) out.push(`  - ${x.text}\n      why: ${x.why}`);
  out.push('');
  out.push('This is a rough range from typical shares for the field, not a study: the credit is computed from the records.');
  return out.join('\n');
}
