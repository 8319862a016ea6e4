/**
 * The quick check: from a short questionnaire, whether a company likely does qualified research,
 * which credits apply (federal regular / ASC, the §41(h) payroll offset, state credits from the
 * registry), a rough range (low–high) with every assumption shown, and what records to keep.
 *
 * Rough by design: the shares of spend that qualify come from the sub-sector profile (planning
 * assumptions in data/quickcheck/profiles.yaml); every rate, threshold and count of the law is read
 * from law/ for the tax period through `LawView`, so each bound's explanation lists the parameters
 * it used with their citations. Money is Cents; every bound is a `Val` (a bound that needs a fact
 * the answers do not give is `unknown` with what is missing, never 0).
 */
import { explainer, type Explainer, type Val } from '../../explain/index.js';
import type { Citation } from '../../explain/types.js';
import { LawError, type Law, type LawView } from '../../law/law.js';
import { SUPPORTED } from '../../law/schema.js';
import {
  add,
  applyRate,
  cmpRate,
  formatCents,
  formatRate,
  max,
  min,
  mulRate,
  nonNegative,
  RATE_ONE,
  RATE_ZERO,
  ratio,
  roundToDollar,
  sub,
  subRate,
  sum,
  ZERO,
  type Cents,
  type Rate,
} from '../../money/index.js';
import { calendarYear, type TaxPeriod } from '../../periods/index.js';
import type { StateCreditEntry } from '../../rules/states/registry.js';
import type { QuickCheckData } from './data.js';
import { TECHNICAL_UNCERTAINTY, type Answers, type Profile } from './schema.js';

export type Bound = 'low' | 'high';
export const BOUNDS: readonly Bound[] = ['low', 'high'];

export interface Range {
  low: Val<Cents>;
  high: Val<Cents>;
}

export interface Assumption {
  id: string;
  text: string;
  /** The value assumed, as text ("35%–65%", "$1,200,000"). */
  value: string;
  /** Where it comes from: the answers, the sub-sector profile, or a law parameter with its citation. */
  source: string;
}

export interface CreditEstimate {
  id: string;
  label: string;
  /** yes / no / maybe (depends on facts the quick check does not have). */
  applies: 'yes' | 'no' | 'maybe';
  why: string;
  range?: Range;
  citations: Citation[];
  notes: string[];
}

export interface StateEstimate extends CreditEstimate {
  state: string;
  registry?: Pick<StateCreditEntry, 'name' | 'rates' | 'base' | 'carryforward' | 'refundable' | 'citation' | 'status2026' | 'tag' | 'computed'>;
}

export interface QuickCheckResult {
  taxYear: number;
  period: TaxPeriod;
  verdict: 'likely' | 'possibly' | 'unlikely';
  reasons: string[];
  profile: { id: string; label: string; qualifyingActivities: string[]; primaryExclusion: Profile['primaryExclusion']; source: string };
  /** Rough QREs by category and in total; absent when the work does not look like qualified research. */
  qre?: { wages: Range; cloud: Range; contractors: Range; supplies: Range; total: Range };
  federal: { regular: CreditEstimate; asc: CreditEstimate; best: CreditEstimate; reducedCredit: CreditEstimate };
  payrollOffset: CreditEstimate;
  states: StateEstimate[];
  assumptions: Assumption[];
  records: { id: string; text: string; why: string }[];
  warnings: string[];
}

const USC41 = (pin: string): Citation => ({ title: `26 U.S.C. § 41${pin}`, href: 'https://www.law.cornell.edu/uscode/text/26/41', pinpoint: pin });
const RULE = 'assist.quickcheck';

const pct = (r: Rate) => formatRate(r, 2);
const span = (lo: Rate, hi: Rate) => (cmpRate(lo, hi) === 0 ? pct(lo) : `${pct(lo)}–${pct(hi)}`);

function profileFor(data: QuickCheckData, a: Answers): Profile {
  const p = data.profiles.find((x) => x.id === a.subSector);
  if (!p) throw new Error(`unknown sub-sector "${a.subSector}"; one of: ${data.profiles.map((x) => x.id).join(', ')}`);
  if (p.industry !== a.industry) throw new Error(`sub-sector "${p.id}" belongs to industry "${p.industry}", not "${a.industry}"`);
  return p;
}

/** The calendar tax period of the quick check; the law files are checked for tax years beginning in SUPPORTED. */
export function quickCheckPeriod(law: Law, year: number): TaxPeriod {
  const p = calendarYear(year);
  if (p.start < SUPPORTED.from || p.start >= SUPPORTED.to)
    throw new LawError(`the law files cover tax years beginning ${SUPPORTED.from} to before ${SUPPORTED.to}; ${year} is outside`);
  law.get('us.federal.irc41.asc.rate', p);
  return p;
}

function verdictOf(a: Answers, p: Profile): { verdict: QuickCheckResult['verdict']; reasons: string[]; warnings: string[] } {
  const reasons: string[] = [];
  const warnings: string[] = [];
  let verdict: QuickCheckResult['verdict'] = 'likely';
  const down = (to: QuickCheckResult['verdict']) => {
    if (to === 'unlikely' || (to === 'possibly' && verdict === 'likely')) verdict = to;
  };
  const technical = a.uncertainty.filter((u) => (TECHNICAL_UNCERTAINTY as readonly string[]).includes(u));
  const experiments = a.experimentation.filter((e) => e !== 'none');
  if (technical.length === 0) {
    down('unlikely');
    reasons.push(
      a.uncertainty.some((u) => u === 'market' || u === 'budget_schedule')
        ? 'The only uncertainty named is business risk (market, budget or schedule). Qualified research must resolve uncertainty about the capability, method or design of the product or process (§41(d)(1); Treas. Reg. § 1.174-2(a)(1)).'
        : 'No technical uncertainty was named: the approach was known at the outset, so there was nothing to discover (§41(d)(1)(A)).',
    );
  } else reasons.push(`Technical uncertainty at the outset: ${technical.join(', ')} (§41(d)(1); Treas. Reg. § 1.174-2(a)(1)).`);
  if (experiments.length === 0) {
    down('unlikely');
    reasons.push('No alternatives were evaluated: without a process of experimentation the work is not qualified research (§41(d)(1)(C)).');
  } else reasons.push(`Alternatives evaluated by: ${experiments.join(', ')} — the elements of a process of experimentation (§41(d)(1)(C)).`);
  if (a.engineeringHeadcount === 0 && a.contractorSpend === 0) {
    down('unlikely');
    reasons.push('No technical staff and no technical contractors: no one performs the research.');
  }
  const hi = p.qualifyingShare;
  if (cmpRate(hi.wages.high, ratio(1, 10)) < 0 && cmpRate(hi.contractors.high, ratio(1, 10)) < 0) {
    down('unlikely');
    reasons.push(`The field "${p.label}" does not usually develop a product, process, software, technique, formula or invention (§41(d)(2)(B)); ${p.primaryExclusion.text}`);
  }
  if (a.entityType === 'tax_exempt') {
    down('unlikely');
    reasons.push('A tax-exempt organization has no income tax for the credit to reduce and cannot be a qualified small business for the payroll offset (§41(h)(3)(B)).');
  }
  if (a.funded === 'most') {
    down('possibly');
    warnings.push('Most of the work is paid for by others: research is excluded to the extent it is funded (§41(d)(4)(H); Treas. Reg. § 1.41-4A(d)). The range assumes the company bears the risk and keeps substantial rights.');
  } else if (a.funded === 'some') warnings.push('Some work is paid for by customers or grants: that part is excluded if the company does not bear the risk or keep substantial rights (§41(d)(4)(H)). The range does not remove it.');
  if (cmpRate(a.foreignShare, ratio(1, 2)) >= 0) {
    down('possibly');
    warnings.push(`About ${pct(a.foreignShare)} of the work is done outside the United States; foreign research is excluded (§41(d)(4)(F)).`);
  }
  if (a.tracking.includes('none') || a.tracking.length === 0) {
    down('possibly');
    warnings.push('Nothing is written down as the work happens: a claim without contemporaneous records is hard to defend (Treas. Reg. § 1.41-4(d); Kyocera AVX; Moore).');
  }
  warnings.push(`Watch: ${p.primaryExclusion.text} (${p.primaryExclusion.citation})`);
  return { verdict, reasons, warnings };
}

function valRange(f: (b: Bound) => Val<Cents>): Range {
  return { low: f('low'), high: f('high') };
}

function known(ex: Explainer, v: Cents): Val<Cents> {
  return ex.known(roundToDollar(v));
}

/** Runs the quick check. Pure: the caller loads the law and the data. */
export function quickCheck(law: Law, data: QuickCheckData, a: Answers): QuickCheckResult {
  const period = quickCheckPeriod(law, a.taxYear);
  const view: LawView = law.for(period);
  const p = profileFor(data, a);
  const { verdict, reasons, warnings } = verdictOf(a, p);
  const assumptions: Assumption[] = [];
  const assume = (id: string, text: string, value: string, source: string) => {
    if (!assumptions.some((x) => x.id === id)) assumptions.push({ id, text, value, source });
  };
  const Y = a.taxYear;
  const domestic = subRate(RATE_ONE, a.foreignShare);
  const qs = p.qualifyingShare;

  assume('technical_payroll', 'W-2 wages of technical staff', formatCents(a.technicalPayroll), 'answers: technicalPayroll');
  assume('share.wages', 'Share of technical wages for qualified services (research, direct supervision, direct support)', span(qs.wages.low, qs.wages.high), `profile ${p.id} (${p.source})`);
  assume('share.cloud', 'Share of cloud compute used for research rather than production', span(qs.cloud.low, qs.cloud.high), `profile ${p.id}`);
  assume('share.contractors', 'Share of contractor spend that is research on the company’s behalf, at its risk, with rights to the results', span(qs.contractors.low, qs.contractors.high), `profile ${p.id}`);
  assume('share.supplies', 'Share of supplies consumed in research', span(qs.supplies.low, qs.supplies.high), `profile ${p.id}`);
  assume('domestic', 'Share of in-house work done in the United States (foreign research excluded, §41(d)(4)(F))', pct(domestic), 'answers: foreignShare');
  assume('unfunded', 'The work is not funded by others (the company bears the risk and keeps rights)', a.funded === 'none' ? 'as answered' : `answered "${a.funded}": not removed from the range`, 'answers: funded');

  const categories = (b: Bound) => {
    const wages = explainer(`${RULE}.qre.wages.${b}`, `Qualified wages (${b})`, [USC41('(b)(2)(B)')]);
    wages.input('technical payroll', a.technicalPayroll, 'answers').input('share qualified', qs.wages[b], `profile ${p.id}`).input('domestic share', domestic, 'answers');
    wages.formula('technical payroll × share qualified × domestic share');
    const cloud = explainer(`${RULE}.qre.cloud.${b}`, `Computer rental (cloud) for research (${b})`, [USC41('(b)(2)(A)(iii)')]);
    cloud.input('cloud spend', a.cloudSpend, 'answers').input('research share', qs.cloud[b], `profile ${p.id}`).input('domestic share', domestic, 'answers');
    cloud.formula('cloud spend × research share × domestic share');
    const supplies = explainer(`${RULE}.qre.supplies.${b}`, `Research supplies (${b})`, [USC41('(b)(2)(C)')]);
    supplies.input('supplies spend', a.suppliesSpend, 'answers').input('research share', qs.supplies[b], `profile ${p.id}`).input('domestic share', domestic, 'answers');
    supplies.formula('supplies spend × research share × domestic share');
    const contract = explainer(`${RULE}.qre.contractors.${b}`, `Contract research (${b})`, [USC41('(b)(3)(A)')]);
    const r65 = view.rate(contract, 'us.federal.irc41.contract_research.rate_general');
    contract.input('contractor spend', a.contractorSpend, 'answers').input('research share', qs.contractors[b], `profile ${p.id}`);
    contract.formula(`contractor spend × research share × ${pct(r65)}`);
    return {
      wages: known(wages, applyRate(a.technicalPayroll, mulRate(qs.wages[b], domestic))),
      cloud: known(cloud, applyRate(a.cloudSpend, mulRate(qs.cloud[b], domestic))),
      supplies: known(supplies, applyRate(a.suppliesSpend, mulRate(qs.supplies[b], domestic))),
      contractors: known(contract, applyRate(a.contractorSpend, mulRate(qs.contractors[b], r65))),
      r65,
    };
  };

  const noRange = (id: string, label: string, why: string, cites: Citation[]): CreditEstimate => ({ id, label, applies: 'no', why, citations: cites, notes: [] });

  if (verdict === 'unlikely') {
    const why = 'not estimated: the answers do not describe qualified research';
    return {
      taxYear: Y,
      period,
      verdict,
      reasons,
      profile: { id: p.id, label: p.label, qualifyingActivities: p.qualifyingActivities, primaryExclusion: p.primaryExclusion, source: p.source },
      federal: {
        regular: noRange('federal.regular', 'Federal regular credit', why, [USC41('(a)(1)')]),
        asc: noRange('federal.asc', 'Federal alternative simplified credit', why, [USC41('(c)(4)')]),
        best: noRange('federal.best', 'Federal research credit', why, [USC41('(a)')]),
        reducedCredit: noRange('federal.reduced', 'Federal credit with the §280C(c) reduced-credit election', why, []),
      },
      payrollOffset: noRange('federal.payroll_offset', 'Payroll tax offset (§41(h))', why, [USC41('(h)')]),
      states: a.states.map((s) => ({ ...noRange(`state.${s}`, `${s} research credit`, why, []), state: s })),
      assumptions,
      records: recordsFor(data, a),
      warnings,
    };
  }

  const cats = { low: categories('low'), high: categories('high') };
  assume('contract_rate', 'Part of contract research payments that counts (law)', pct(cats.low.r65), 'us.federal.irc41.contract_research.rate_general — 26 U.S.C. § 41(b)(3)(A)');
  const total = valRange((b) => {
    const ex = explainer(`${RULE}.qre.total.${b}`, `Qualified research expenses (${b})`, [USC41('(b)')]);
    const c = cats[b];
    const parts = [c.wages, c.cloud, c.supplies, c.contractors].map((v) => ex.child(v));
    ex.formula('wages + cloud + supplies + contract research');
    return ex.known(sum(parts.map((v) => (v.kind === 'known' ? v.value : ZERO))));
  });
  const qre = {
    wages: { low: cats.low.wages, high: cats.high.wages },
    cloud: { low: cats.low.cloud, high: cats.high.cloud },
    supplies: { low: cats.low.supplies, high: cats.high.supplies },
    contractors: { low: cats.low.contractors, high: cats.high.contractors },
    total,
  };
  const qreOf = (b: Bound): Cents => (total[b].kind === 'known' ? total[b].value : ZERO); // always known here
  const other = (b: Bound): Bound => (b === 'low' ? 'high' : 'low');

  // ---- Federal ASC ------------------------------------------------------------------------
  const ascNotes: string[] = [];
  const ascRange = valRange((b) => {
    const ex = explainer(`${RULE}.federal.asc.${b}`, `Alternative simplified credit (${b})`, [USC41('(c)(4)')]);
    ex.child(total[b]);
    const n = view.count(ex, 'us.federal.irc41.asc.prior_years');
    const years = Array.from({ length: n }, (_, i) => Y - 1 - i);
    const priorGiven = years.map((y) => a.priorQre?.[String(y)]);
    const noResearchYears = years.filter((y) => y < a.researchSince);
    if (noResearchYears.length || priorGiven.some((v) => v !== undefined && v === 0)) {
      const r = view.rate(ex, 'us.federal.irc41.asc.no_prior_qre_rate');
      ex.note(noResearchYears.length ? `no research before ${a.researchSince}: ${noResearchYears.join(', ')} had no QREs` : 'a prior year had no QREs');
      ex.formula(`QREs × ${pct(r)}`);
      return known(ex, applyRate(qreOf(b), r));
    }
    const rateAsc = view.rate(ex, 'us.federal.irc41.asc.rate');
    const frac = view.rate(ex, 'us.federal.irc41.asc.base_fraction');
    const prior = priorGiven.map((v, i) => {
      if (v !== undefined) {
        ex.input(`QREs ${years[i]}`, v, 'answers: priorQre');
        return v;
      }
      // Not given: assume the prior years were of the size of this year's estimate, taking the
      // opposite bound so that the range stays conservative at both ends.
      const assumed = qreOf(other(b));
      ex.input(`QREs ${years[i]} (assumed equal to this year's ${other(b)} estimate)`, assumed, 'assumption');
      return assumed;
    });
    const base = applyRate(sum(prior), mulRate(frac, ratio(1, n)));
    ex.formula(`${pct(rateAsc)} × max(0, QREs − ${pct(frac)} × average QREs of the ${n} prior years)`);
    return known(ex, applyRate(nonNegative(sub(qreOf(b), base)), rateAsc));
  });
  {
    const years = [1, 2, 3].map((i) => Y - i);
    if (years.some((y) => y < a.researchSince)) {
      assume('asc.path', 'ASC uses the rate for a taxpayer with no QREs in one of the 3 prior years', `no research before ${a.researchSince}`, 'answers: researchSince; 26 U.S.C. § 41(c)(4)(B)');
    } else if (years.some((y) => a.priorQre?.[String(y)] === undefined)) {
      assume('asc.prior', 'Prior years’ QREs not given: assumed the size of this year’s estimate (the low end assumes the high estimate, the high end the low estimate)', 'flat spending', 'assumption; growth raises the ASC, a decline lowers it');
      ascNotes.push('Prior-year QREs were not given; the ASC assumes flat spending. Enter them (priorQre) for a closer figure.');
    }
  }
  const asc: CreditEstimate = {
    id: 'federal.asc',
    label: 'Federal alternative simplified credit (Form 6765 Section B)',
    applies: 'yes',
    why: 'Available to any taxpayer with QREs; elected on a timely filed original return.',
    range: ascRange,
    citations: [USC41('(c)(4)')],
    notes: ascNotes,
  };

  // ---- Federal regular credit ---------------------------------------------------------------
  const regNotes: string[] = [];
  const regRange = valRange((b) => {
    const ex = explainer(`${RULE}.federal.regular.${b}`, `Regular credit (${b})`, [USC41('(a)(1)'), USC41('(c)')]);
    ex.child(total[b]);
    let fbp: Rate | undefined;
    if (a.federalFixedBasePercentage !== undefined) {
      const cap = view.rate(ex, 'us.federal.irc41.regular.fbp_cap');
      fbp = cmpRate(a.federalFixedBasePercentage, cap) > 0 ? cap : a.federalFixedBasePercentage;
      ex.input('fixed-base percentage', fbp, 'answers: federalFixedBasePercentage');
    } else {
      const firstCounted = view.count(ex, 'us.federal.irc41.startup.first_counted_year');
      const initialYears = view.count(ex, 'us.federal.irc41.startup.initial_years');
      const n = Y - Math.max(a.researchSince, firstCounted + 1) + 1;
      if (n > initialYears) return ex.unknown(['federalFixedBasePercentage (the company is past its first start-up years; the fixed-base percentage needs its QRE and gross receipts history)']);
      fbp = view.rate(ex, 'us.federal.irc41.startup.initial_fbp');
      ex.input(`start-up year number (years with QREs since ${a.researchSince})`, n, 'answers: researchSince', 'count');
    }
    const grYears = view.count(ex, 'us.federal.irc41.regular.gross_receipts_years');
    const existence = Math.min(a.researchSince, a.firstReceiptsYear ?? a.researchSince, ...Object.keys(a.grossReceipts).map(Number));
    const window = Array.from({ length: grYears }, (_, i) => Y - 1 - i).filter((y) => y >= existence);
    const missing: string[] = [];
    const amounts: Cents[] = [];
    for (const y of window) {
      const g = a.grossReceipts[String(y)];
      if (g !== undefined) {
        ex.input(`gross receipts ${y}`, g, 'answers');
        amounts.push(g);
      } else if (a.firstReceiptsYear === null || (a.firstReceiptsYear !== undefined && y < a.firstReceiptsYear)) {
        ex.input(`gross receipts ${y}`, ZERO, 'answers: no receipts before the first receipts year');
        amounts.push(ZERO);
      } else missing.push(`grossReceipts.${y}`);
    }
    if (missing.length) return ex.unknown(missing);
    const avg = window.length ? applyRate(sum(amounts), ratio(1, window.length)) : ZERO;
    if (!window.length) ex.note('no preceding tax years in existence: average gross receipts are zero');
    const minFrac = view.rate(ex, 'us.federal.irc41.regular.minimum_base_fraction');
    const rate20 = view.rate(ex, 'us.federal.irc41.regular.rate');
    const base = max(applyRate(avg, fbp), applyRate(qreOf(b), minFrac));
    ex.formula(`${pct(rate20)} × max(0, QREs − max(${pct(fbp)} × average gross receipts, ${pct(minFrac)} × QREs))`);
    return known(ex, applyRate(nonNegative(sub(qreOf(b), base)), rate20));
  });
  if (regRange.low.kind === 'unknown') regNotes.push(`Not estimated without more facts: ${regRange.low.missing.join('; ')}.`);
  else if (a.federalFixedBasePercentage === undefined)
    assume('regular.startup', 'Regular credit: start-up fixed-base percentage for the first years with QREs, assuming QREs in every year since research began', `research since ${a.researchSince}`, '26 U.S.C. § 41(c)(3)(B)(ii)(I)');
  const regular: CreditEstimate = {
    id: 'federal.regular',
    label: 'Federal regular credit (Form 6765 Section A)',
    applies: regRange.low.kind === 'unknown' ? 'maybe' : 'yes',
    why: 'The regular credit uses a fixed-base percentage from the company’s history; start-ups use the statutory start-up percentage in their first years.',
    range: regRange,
    citations: [USC41('(a)(1)'), USC41('(c)(3)')],
    notes: regNotes,
  };

  // ---- Best of the two --------------------------------------------------------------------
  const bestRange = valRange((b) => {
    const ex = explainer(`${RULE}.federal.best.${b}`, `Federal credit, larger method (${b})`, [USC41('(a)'), USC41('(c)(4)')]);
    const opts = [ex.child(ascRange[b]), ex.child(regRange[b])].filter((v) => v.kind === 'known');
    if (!opts.length) return ex.unknown([...(ascRange[b].kind === 'unknown' ? ascRange[b].missing : [])]);
    ex.formula('the larger of the methods that can be estimated');
    return ex.known(max(...opts.map((v) => (v as { value: Cents }).value)));
  });
  const best: CreditEstimate = {
    id: 'federal.best',
    label: 'Federal research credit (the larger method)',
    applies: 'yes',
    why: 'The company may use either method; the study computes both from its records.',
    range: bestRange,
    citations: [USC41('(a)'), USC41('(c)(4)')],
    notes: regRange.low.kind === 'unknown' ? ['Regular credit not estimated; the range is the ASC.'] : [],
  };
  const reducedRange = valRange((b) => {
    const ex = explainer(`${RULE}.federal.reduced.${b}`, `Reduced credit under §280C(c)(2) (${b})`, [{ title: '26 U.S.C. § 280C(c)(2)', href: 'https://www.law.cornell.edu/uscode/text/26/280C' }]);
    const v = ex.child(bestRange[b]);
    if (v.kind !== 'known') return ex.unknown(v.kind === 'unknown' ? v.missing : ['federal credit']);
    const r = view.rate(ex, 'us.federal.irc280c.max_corporate_rate');
    ex.formula(`credit × (1 − ${pct(r)})`);
    return known(ex, applyRate(v.value, subRate(RATE_ONE, r)));
  });
  const reducedCredit: CreditEstimate = {
    id: 'federal.reduced',
    label: 'Federal credit if the §280C(c) reduced credit is elected',
    applies: 'yes',
    why: 'Without the election the research deduction or capital account is reduced instead; the net benefit is similar. Choose in the study.',
    range: reducedRange,
    citations: [{ title: '26 U.S.C. § 280C(c)', href: 'https://www.law.cornell.edu/uscode/text/26/280C' }],
    notes: [],
  };

  // ---- Payroll offset (§41(h)) -------------------------------------------------------------
  const payrollOffset = payrollOffsetEstimate(view, a, bestRange);
  if (payrollOffset.applies !== 'no') assume('qsb', 'Qualified small business test read from the gross receipts answers', payrollOffset.why, '26 U.S.C. § 41(h)(3)');

  // ---- States ---------------------------------------------------------------------------
  const states = a.states.map((s) => stateEstimate(law, view, data, a, s, cats, assume));

  if (a.entityType === 's_corporation' || a.entityType === 'partnership' || a.entityType === 'sole_proprietorship')
    warnings.push('A pass-through entity passes the credit to its owners, who use it against their own tax (limited by §41(g) and §38(c)); the payroll offset is elected by the entity.');

  return {
    taxYear: Y,
    period,
    verdict,
    reasons,
    profile: { id: p.id, label: p.label, qualifyingActivities: p.qualifyingActivities, primaryExclusion: p.primaryExclusion, source: p.source },
    qre,
    federal: { regular, asc, best, reducedCredit },
    payrollOffset,
    states,
    assumptions,
    records: recordsFor(data, a),
    warnings,
  };
}

function payrollOffsetEstimate(view: LawView, a: Answers, credit: Range): CreditEstimate {
  const cites = [USC41('(h)'), { title: '26 U.S.C. § 3111(f)', href: 'https://www.law.cornell.edu/uscode/text/26/3111' }];
  const base = { id: 'federal.payroll_offset', label: 'Payroll tax offset for a qualified small business (§41(h), Form 8974)', citations: cites };
  if (a.entityType === 'tax_exempt') return { ...base, applies: 'no', why: 'tax-exempt organizations are not qualified small businesses (§41(h)(3)(B))', notes: [] };
  const ex = explainer(`${RULE}.qsb`, 'Qualified small business test', [USC41('(h)(3)')]);
  const ceiling = view.money(ex, 'us.federal.irc41h.qsb_gross_receipts_ceiling');
  const window = view.count(ex, 'us.federal.irc41h.qsb_window_years');
  const maxElections = view.count(ex, 'us.federal.irc41h.max_prior_elections');
  const limit = view.money(ex, 'us.federal.irc41h.election_limit');
  const current = a.grossReceipts[String(a.taxYear)];
  const windowStart = a.taxYear - window + 1;
  const notes: string[] = [];
  if (a.priorPayrollElections !== undefined && a.priorPayrollElections >= maxElections)
    return { ...base, applies: 'no', why: `the payroll offset was already elected for ${a.priorPayrollElections} earlier years (limit ${maxElections}, §41(h)(4)(B)(ii))`, notes };
  if (current !== undefined && current >= ceiling)
    return { ...base, applies: 'no', why: `gross receipts for ${a.taxYear} (${formatCents(current)}) are not below ${formatCents(ceiling)} (§41(h)(3)(A)(i)(I))`, notes };
  const earlierReceipts = Object.entries(a.grossReceipts).some(([y, v]) => Number(y) < windowStart && v > 0) || (a.firstReceiptsYear != null && a.firstReceiptsYear < windowStart);
  if (earlierReceipts)
    return { ...base, applies: 'no', why: `the company had gross receipts before ${windowStart}, the start of the ${window}-year period ending with ${a.taxYear} (§41(h)(3)(A)(i)(II))`, notes };
  const unknownFacts: string[] = [];
  if (current === undefined) unknownFacts.push(`grossReceipts.${a.taxYear}`);
  if (a.firstReceiptsYear === undefined) unknownFacts.push('firstReceiptsYear');
  if (a.priorPayrollElections === undefined) notes.push(`Only if the offset was elected for fewer than ${maxElections} earlier years.`);
  if (a.entityType === 'c_corporation' || a.entityType === 'sole_proprietorship')
    notes.push('For a taxpayer other than a partnership or S corporation the elected amount is also limited to the current-year credit carried forward (unused against income tax), Form 6765 line 35.');
  notes.push('Elected on a timely filed original return; used against the employer share of social security and then Medicare tax from the first quarter beginning after the return is filed (Form 8974).');
  const range = valRange((b) => {
    const e = explainer(`${RULE}.payroll_offset.${b}`, `Payroll tax offset (${b})`, [USC41('(h)(4)(B)')]);
    e.child(ex.known(true, 'yes'));
    const c = e.child(credit[b]);
    if (unknownFacts.length) return e.unknown(unknownFacts);
    if (c.kind !== 'known') return e.unknown(c.kind === 'unknown' ? c.missing : ['federal credit']);
    view.money(e, 'us.federal.irc41h.election_limit');
    e.formula('min(federal credit, election limit)');
    return e.known(min(c.value, limit));
  });
  const why = unknownFacts.length
    ? `may qualify: needs ${unknownFacts.join(', ')}`
    : `gross receipts below ${formatCents(ceiling)} and none before ${windowStart}: a qualified small business`;
  return { ...base, applies: unknownFacts.length ? 'maybe' : 'yes', why, range, notes };
}

type Cats = Record<Bound, { wages: Val<Cents>; cloud: Val<Cents>; supplies: Val<Cents>; contractors: Val<Cents> }>;

function stateEstimate(
  law: Law,
  view: LawView,
  data: QuickCheckData,
  a: Answers,
  state: string,
  cats: Cats,
  assume: (id: string, text: string, value: string, source: string) => void,
): StateEstimate {
  const entry = data.registry.find((e) => e.state === state);
  if (!entry)
    return { id: `state.${state}`, state, label: `${state}: no state research credit in the registry`, applies: 'no', why: 'law/states/registry.yaml lists no research credit for this state', citations: [], notes: [] };
  const registry = { name: entry.name, rates: entry.rates, base: entry.base, carryforward: entry.carryforward, refundable: entry.refundable, citation: entry.citation, status2026: entry.status2026, tag: entry.tag, computed: entry.computed };
  const base = { id: `state.${state}`, state, label: entry.name, registry, citations: [{ title: entry.citation }] };
  if (/expired|repeal/i.test(entry.status2026))
    return { ...base, applies: 'maybe', why: `registry status: ${entry.status2026}`, notes: [`Method: ${entry.rates}; base ${entry.base}.`] };
  if (state !== 'ID' || !entry.computed)
    return {
      ...base,
      applies: 'maybe',
      why: `${entry.computed ? 'computed by rdcredit in a study from the records, not estimated by the quick check' : 'not computed by rdcredit yet'}; registry: ${entry.rates} (base ${entry.base}; carryforward ${entry.carryforward}; refundable: ${entry.refundable}) [${entry.tag}]`,
      notes: entry.application !== 'none' ? [`Application: ${entry.application}`] : [],
    };
  // Idaho: 5% (law) of Idaho QREs over the base; base = max(FBP × average Idaho receipts, 50% × Idaho QREs).
  const d = a.stateDetails?.[state] ?? {};
  const single = a.states.length === 1;
  const inHouse: Record<Bound, Rate> =
    d.inHouseShare !== undefined ? { low: d.inHouseShare, high: d.inHouseShare } : single ? { low: RATE_ONE, high: RATE_ONE } : { low: RATE_ZERO, high: RATE_ONE };
  const contract: Record<Bound, Rate> = d.contractShare !== undefined ? { low: d.contractShare, high: d.contractShare } : { low: RATE_ZERO, high: RATE_ONE };
  assume(`state.${state}.in_house`, `Share of in-house research done in ${state}`, span(inHouse.low, inHouse.high), d.inHouseShare !== undefined ? 'answers: stateDetails' : single ? 'assumption: the only state named' : 'not given: the range spans 0–100%');
  assume(`state.${state}.contract`, `Share of contract research performed in ${state}`, span(contract.low, contract.high), d.contractShare !== undefined ? 'answers: stateDetails' : 'not given: the range spans 0–100%');
  const period = view.period;
  const range = valRange((b) => {
    const ex = explainer(`${RULE}.state.${state}.${b}`, `${entry.name} (${b})`, [{ title: entry.citation }]);
    const c = cats[b];
    const v = (x: Val<Cents>) => (ex.child(x).kind === 'known' ? (x as { value: Cents }).value : ZERO);
    const stateQre = add(applyRate(add(v(c.wages), v(c.cloud), v(c.supplies)), inHouse[b]), applyRate(v(c.contractors), contract[b]));
    ex.input(`${state} QREs`, stateQre, `in-house × ${pct(inHouse[b])} + contract × ${pct(contract[b])}`);
    const idView = law.for(period);
    const r = idView.rate(ex, 'us.id.research.rate');
    const minFrac = idView.rate(ex, 'us.id.research.minimum_base_fraction');
    const floor = applyRate(stateQre, minFrac);
    let baseAmt: Cents;
    if (d.fixedBasePercentage !== undefined && d.averageGrossReceipts !== undefined) {
      const cap = idView.rate(ex, 'us.id.research.fbp_cap');
      const fbp = cmpRate(d.fixedBasePercentage, cap) > 0 ? cap : d.fixedBasePercentage;
      ex.input('Idaho fixed-base percentage', fbp, 'answers').input('average Idaho gross receipts', d.averageGrossReceipts, 'answers');
      baseAmt = max(applyRate(d.averageGrossReceipts, fbp), floor);
    } else if (b === 'high') {
      ex.note('no Idaho base history given: the high end uses the minimum base (the largest the credit can be)');
      baseAmt = floor;
    } else return ex.unknown([`stateDetails.${state}.fixedBasePercentage`, `stateDetails.${state}.averageGrossReceipts`]);
    ex.formula(`${pct(r)} × max(0, ${state} QREs − max(FBP × average ${state} gross receipts, ${pct(minFrac)} × ${state} QREs))`);
    return known(ex, applyRate(nonNegative(sub(stateQre, baseAmt)), r));
  });
  return { ...base, applies: 'yes', why: `computed by rdcredit (Form 67); only research done in ${state} counts`, range, notes: [] };
}

function recordsFor(data: QuickCheckData, a: Answers): { id: string; text: string; why: string }[] {
  return data.records
    .filter((r) => {
      const w = r.when;
      if (w.always) return true;
      if (w.trackingMissing && !w.trackingMissing.some((t) => a.tracking.includes(t as Answers['tracking'][number]))) return true;
      if (w.contractorSpend && a.contractorSpend > 0) return true;
      if (w.cloudSpend && a.cloudSpend > 0) return true;
      if (w.statesAny && a.states.length > 0) return true;
      return false;
    })
    .map(({ id, text, why }) => ({ id, text, why }));
}
