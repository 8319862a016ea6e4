/**
 * Idaho credit for research activities, Form 67 lines 1–16 and page 2 Parts A–C
 * (Idaho Code §63-3029G(1)–(2); IDAPA 35.01.01.720–721; states.md §A4).
 *
 * Every line is a `Val` whose explanation is labelled "Form 67 line N: <caption>" with the caption
 * taken from the form map (law/forms/id-67). Lines are whole dollars; each line is computed from
 * the rounded lines before it. No alternative simplified or incremental method (§63-3029G(1)(c)).
 */
import { explainer, type Explainer, type Val } from '../../../explain/index.js';
import {
  applyRate,
  cmpRate,
  formLineTimesRate,
  formatRate,
  min,
  minRate,
  moneyRatio,
  mulRate,
  nonNegative,
  prorate,
  ratio,
  roundRate,
  roundToDollar,
  sub,
  sum,
  ZERO,
  add,
  type Cents,
  type Rate,
} from '../../../money/index.js';
import type { Law, LawView } from '../../../law/law.js';
import type { FormMap } from '../../../law/schema.js';
import { yearBegun, type TaxPeriod } from '../../../periods/index.js';
import { stateCite } from '../citations.js';

export const RULE_ID67 = 'us.id.research.form67';
export const FORM_ID67 = 'id-67';

export type IdahoEntityType = 'c_corporation' | 's_corporation' | 'partnership' | 'sole_proprietorship' | 'estate_or_trust' | 'tax_exempt' | 'individual';
export type IdahoQreCategory = 'wages' | 'supplies' | 'computers' | 'contract';

/** One prior tax year of Idaho history (Idaho-only figures). */
export interface IdahoHistoryYear {
  /** Calendar year in which the tax year began. */
  yearBegun: number;
  /** Idaho QREs of that year; undefined = not known. */
  qre?: Cents;
  /** Idaho gross receipts (sales-factor numerator, §63-3027(12)–(13)), net of returns and allowances; undefined = not known. */
  grossReceipts?: Cents;
  /** Months in the year when it was a short year (receipts are annualized in Part C). */
  months?: number;
}

export interface IdahoCreditInput {
  /** Tax year of the credit. */
  period: TaxPeriod;
  entityType: IdahoEntityType;
  /** Personal holding companies and service organizations may not use lines 1–3 (Form 67 header). */
  personalHoldingCompany?: boolean;
  serviceOrganization?: boolean;
  /** Idaho QREs by category: contract research already at its §41(b)(3) percentage (e.g. from `sourceQres`). */
  qres: Record<IdahoQreCategory, Val<Cents>>;
  /** Basic research payments for basic research in Idaho (§41(e)); only corporations use them. */
  basicResearchPayments?: Val<Cents>;
  /** Qualified organization base period amount computed with Idaho figures (Form 67 line 2). */
  qualifiedOrgBasePeriodAmount?: Cents;
  /** Treated as a start-up for the federal credit (§41(c)(3)(B)); undefined = not known. */
  federalStartUp?: boolean;
  /** Tax year (begun) in which the Idaho start-up election was made, if ever (irrevocable). */
  startupElectionYear?: number;
  /** Idaho QREs and Idaho gross receipts of tax years beginning 1984–1988 (Part A). */
  basePeriod?: IdahoHistoryYear[];
  /** First tax year (begun) after 1993 with Idaho QREs (start-up year 1 for Part B). */
  firstIdahoQreYear?: number;
  /** Prior tax years' Idaho figures (Part B ratios and Part C receipts). */
  history: IdahoHistoryYear[];
  /** First tax year (begun) in which the taxpayer transacted business in Idaho (Part C). */
  idahoBusinessSince?: number;
  /** For Part B year 11 on: the start-up year numbers (from 5–10) the taxpayer selects; default: the selection giving the lowest percentage. */
  startupSelectedYears?: number[];
  /**
   * HB 559 (2025 on): the part of this year's Idaho QREs, by Form 67 category (contract research at
   * its §41(b)(3) percentage, as on line 7), that is deducted or amortized for Idaho under §174 or
   * §174A in any year. Read only under the per-dollar reading (option us.id.research.hb559_mode);
   * a category with QREs but no figure makes its line unknown. Fed from the §174 schedule.
   */
  section174Deducted?: Partial<Record<IdahoQreCategory, Cents>>;
  /** Answers to open legal questions (option id → choice). */
  options?: Record<string, string>;
}

export interface IdahoCreditResult {
  /** Lines "1"–"16"; line "9" is a rate. */
  lines: Record<string, Val<Cents>>;
  fbp: Val<Rate>;
  /** Which page-2 part set the fixed-base percentage. */
  fbpPart: 'A' | 'B' | undefined;
  avgGrossReceipts: Val<Cents>;
  /** Credit earned (line 16). */
  earned: Val<Cents>;
  startup: { federal: boolean | undefined; electionInForce: boolean; startupYear?: number };
}

const CATS: IdahoQreCategory[] = ['wages', 'supplies', 'computers', 'contract'];
const CAT_LINE: Record<IdahoQreCategory, string> = { wages: '4', supplies: '5', computers: '6', contract: '7' };

function caption(form: FormMap, line: string): string {
  return form.lines[line]?.label ?? `line ${line}`;
}

/** Explainer for one Form 67 line. */
export function lineExplainer(form: FormMap, line: string, citations = [stateCite.idStat('(1)(b)')]): Explainer {
  const isPart = /^[A-C]$/.test(line);
  return explainer(`${RULE_ID67}.${isPart ? 'part_' + line.toLowerCase() : 'line' + line}`, `Form 67 ${isPart ? 'page 2 Part ' + line : 'line ' + line}: ${caption(form, line)}`, [
    stateCite.form67(isPart ? `page 2 Part ${line}` : `line ${line}`),
    ...citations,
  ]);
}

const known = (v: Val<unknown>): boolean => v.kind === 'known';
const missingOf = (...vs: Val<unknown>[]): string[] => vs.flatMap((v) => (v.kind === 'unknown' ? v.missing : []));
const val = <T>(v: Val<T>): T => (v as { value: T }).value;

/** Part A: 1984–1988 Idaho QREs ÷ Idaho gross receipts, rounded, capped at 16%. */
function partA(view: LawView, form: FormMap, input: IdahoCreditInput): Val<Rate> {
  const ex = lineExplainer(form, 'A', [stateCite.idStat('(2)(b)(i)'), stateCite.irc41('(c)(3)(A)')]);
  const years = view.list(ex, 'us.id.research.base_period_years').map(Number);
  const cap = view.rate(ex, 'us.id.research.fbp_cap');
  const places = view.count(ex, 'us.id.research.fbp_rounding_places');
  const rows = (input.basePeriod ?? []).filter((r) => years.includes(r.yearBegun));
  const incomplete = rows.length === 0 || rows.some((r) => r.qre === undefined || r.grossReceipts === undefined);
  if (incomplete) {
    const choice = view.option(ex, 'us.id.research.missing_base_period_records');
    if (choice === 'cap_16') {
      ex.note('1984–1988 Idaho records missing: the 16% cap is used (option cap_16).');
      return ex.known(cap);
    }
    return ex.unknown(rows.length === 0 ? ['idaho.basePeriod (1984–1988 Idaho QREs and gross receipts)'] : rows.filter((r) => r.qre === undefined || r.grossReceipts === undefined).map((r) => `idaho.basePeriod.${r.yearBegun}`));
  }
  const q = sum(rows.map((r) => r.qre!));
  const g = sum(rows.map((r) => r.grossReceipts!));
  ex.input('Idaho QREs 1984–1988', q).input('Idaho gross receipts 1984–1988', g);
  if (g <= 0) {
    ex.note('no Idaho gross receipts in the base period: the cap applies');
    return ex.known(q > 0 ? cap : ratio(0));
  }
  const r = roundRate(moneyRatio(q, g), places);
  const out = minRate(r, cap);
  ex.formula(`min(${formatRate(cap)}, round(QREs ÷ gross receipts, 1/100 of 1%)) = min(${formatRate(cap)}, ${formatRate(r)})`);
  return ex.known(out);
}

/** Part B: the start-up fixed-base percentage with Idaho figures. */
function partB(view: LawView, form: FormMap, input: IdahoCreditInput, creditYear: number): { v: Val<Rate>; n?: number } {
  const ex = lineExplainer(form, 'B', [stateCite.idapa('721', '(01)(c)'), stateCite.irc41('(c)(3)(B)(ii)')]);
  const cap = view.rate(ex, 'us.id.research.fbp_cap');
  const places = view.count(ex, 'us.id.research.fbp_rounding_places');
  const after = view.count(ex, 'us.id.research.startup.first_counted_year');
  if (input.firstIdahoQreYear === undefined) return { v: ex.unknown(['idaho.firstIdahoQreYear']) };
  const first = Math.max(input.firstIdahoQreYear, after + 1);
  // Number the years after 1993 with Idaho QREs; every year from the first must be known.
  const numbered: IdahoHistoryYear[] = [];
  const missing: string[] = [];
  for (let y = first; y < creditYear; y++) {
    const h = input.history.find((x) => x.yearBegun === y);
    if (!h || h.qre === undefined) missing.push(`idaho.history.${y}.qre`);
    else if (h.qre > 0) numbered.push(h);
  }
  if (missing.length) return { v: ex.unknown(missing) };
  const n = numbered.length + 1;
  ex.input('start-up year of the credit year (years after 1993 with Idaho QREs)', n, undefined, 'count');
  const initialYears = view.count(ex, 'us.id.research.startup.initial_years');
  if (n <= initialYears) {
    const r = view.rate(ex, 'us.id.research.startup.initial_fbp');
    ex.formula(`start-up year ${n} ≤ ${initialYears}: ${formatRate(r)}`);
    return { v: ex.known(r), n };
  }
  const ratioOver = (nums: number[]): Val<Rate> | Rate => {
    const rows = nums.map((k) => numbered[k - 1]!);
    const bad = rows.filter((r) => r.grossReceipts === undefined).map((r) => `idaho.history.${r.yearBegun}.grossReceipts`);
    if (bad.length) return ex.unknown(bad);
    const q = sum(rows.map((r) => r.qre!));
    const g = sum(rows.map((r) => r.grossReceipts!));
    ex.input(`Idaho QREs of start-up years ${nums.join(', ')}`, q).input(`Idaho gross receipts of start-up years ${nums.join(', ')}`, g);
    if (g <= 0) return q > 0 ? cap : ratio(0);
    return moneyRatio(q, g);
  };
  const fractions = view.rateTable(ex, 'us.id.research.startup.phase_in');
  const starts = view.rateTable(ex, 'us.id.research.startup.window_start');
  let pct: Rate;
  if (fractions[String(n)]) {
    const s = Number(starts[String(n)]!.num);
    const nums = Array.from({ length: n - s }, (_, i) => s + i);
    const r = ratioOver(nums);
    if ('kind' in r) return { v: r, n };
    pct = mulRate(r, fractions[String(n)]!);
    ex.formula(`${formatRate(fractions[String(n)]!)} × (Idaho QREs ÷ Idaho gross receipts of start-up years ${s}–${n - 1}) = ${formatRate(pct, 6)}`);
  } else {
    const k = view.count(ex, 'us.id.research.startup.selected_years');
    const pool = [5, 6, 7, 8, 9, 10];
    let choices: number[][];
    if (input.startupSelectedYears) choices = [input.startupSelectedYears];
    else {
      choices = [];
      const rec = (start: number, acc: number[]) => {
        if (acc.length === k) return void choices.push([...acc]);
        for (let i = start; i < pool.length; i++) rec(i + 1, [...acc, pool[i]!]);
      };
      rec(0, []);
    }
    let best: Rate | undefined;
    let bestSel: number[] = [];
    for (const c of choices) {
      const r = ratioOver(c);
      if ('kind' in r) return { v: r, n };
      if (!best || cmpRate(r, best) < 0) [best, bestSel] = [r, c];
    }
    pct = best!;
    ex.formula(`start-up year ${n} ≥ 11: ratio over selected start-up years ${bestSel.join(', ')} = ${formatRate(pct, 6)}`);
    if (!input.startupSelectedYears) ex.note('no selection given: the selection of years giving the lowest percentage is used');
  }
  const rounded = roundRate(pct, places);
  const out = minRate(rounded, cap);
  ex.note(`rounded to 1/100 of 1% (${formatRate(rounded)}), then capped at ${formatRate(cap)}`);
  return { v: ex.known(out), n };
}

/** Part C: average annual Idaho gross receipts of the 4 preceding years, divided by the years in business in Idaho. */
function partC(view: LawView, form: FormMap, input: IdahoCreditInput, creditYear: number): Val<Cents> {
  const ex = lineExplainer(form, 'C', [stateCite.idStat('(2)(b)(i)'), stateCite.irc41('(c)(1)(B)')]);
  const years = view.count(ex, 'us.id.research.gross_receipts_years');
  if (input.idahoBusinessSince === undefined) return ex.unknown(['idaho.idahoBusinessSince']);
  const inBusiness: number[] = [];
  for (let y = creditYear - years; y < creditYear; y++) if (y >= input.idahoBusinessSince) inBusiness.push(y);
  if (inBusiness.length === 0) {
    ex.formula('no Idaho business in the preceding years: average is zero');
    return ex.known(ZERO);
  }
  const missing: string[] = [];
  const amounts: Cents[] = [];
  for (const y of inBusiness) {
    const h = input.history.find((x) => x.yearBegun === y);
    if (!h || h.grossReceipts === undefined) {
      missing.push(`idaho.history.${y}.grossReceipts`);
      continue;
    }
    const a = h.months !== undefined && h.months < 12 ? prorate(h.grossReceipts, 12, h.months) : h.grossReceipts;
    if (a !== h.grossReceipts) ex.note(`${y}: short year of ${h.months} months annualized`);
    ex.input(`Idaho gross receipts ${y}`, a);
    amounts.push(a);
  }
  if (missing.length) return ex.unknown(missing);
  const avg = roundToDollar(applyRate(sum(amounts), ratio(1, inBusiness.length)));
  ex.formula(
    inBusiness.length < years
      ? `in Idaho for ${inBusiness.length} of the ${years} preceding years: total ÷ ${inBusiness.length}`
      : `total of the ${years} preceding years ÷ ${years}`,
  );
  return ex.known(avg);
}

/**
 * Form 67 lines 1–16 for one taxpayer and year.
 * @param law the loaded law (parameters, options and the Form 67 line map).
 * @param input Idaho-only figures for the credit year and its history.
 */
export function computeIdahoCredit(law: Law, input: IdahoCreditInput): IdahoCreditResult {
  const view = law.for(input.period, input.options ?? {});
  const form = law.form(FORM_ID67, input.period);
  const creditYear = yearBegun(input.period);
  const lines: Record<string, Val<Cents>> = {};

  // Lines 1–3: basic research (corporations other than S corporations, PHCs and service organizations).
  const corp = input.entityType === 'c_corporation' && !input.personalHoldingCompany && !input.serviceOrganization;
  const l1x = lineExplainer(form, '1', [stateCite.idStat('(1)(b)'), stateCite.irc41('(e)')]);
  const l2x = lineExplainer(form, '2', [stateCite.irc41('(e)(3)')]);
  let nonExcessBasic: Cents = ZERO;
  if (!corp) {
    const why = 'only corporations other than S corporations, personal holding companies and service organizations use lines 1–3; others start at line 4';
    lines['1'] = l1x.na(why);
    lines['2'] = l2x.na(why);
    lines['3'] = lineExplainer(form, '3').na(why);
  } else {
    const bp = input.basicResearchPayments;
    if (bp === undefined || (bp.kind === 'known' && bp.value === 0)) {
      lines['1'] = l1x.known(ZERO);
      lines['2'] = input.qualifiedOrgBasePeriodAmount === undefined ? l2x.known(ZERO) : l2x.input('Idaho qualified organization base period amount', input.qualifiedOrgBasePeriodAmount).known(roundToDollar(input.qualifiedOrgBasePeriodAmount));
    } else {
      l1x.child(bp);
      lines['1'] = bp.kind === 'known' ? l1x.known(roundToDollar(bp.value)) : l1x.unknown(missingOf(bp));
      lines['2'] =
        input.qualifiedOrgBasePeriodAmount === undefined
          ? l2x.unknown(['idaho.qualifiedOrgBasePeriodAmount'])
          : l2x.input('Idaho qualified organization base period amount', input.qualifiedOrgBasePeriodAmount).known(roundToDollar(input.qualifiedOrgBasePeriodAmount));
    }
    const l3x = lineExplainer(form, '3').formula('line 1 − line 2, not less than zero');
    l3x.child(lines['1']!);
    l3x.child(lines['2']!);
    if (known(lines['1']!) && known(lines['2']!)) {
      const l1 = val(lines['1']!);
      const l2 = val(lines['2']!);
      lines['3'] = l3x.known(nonNegative(sub(l1, l2)));
      nonExcessBasic = min(l1, l2);
    } else lines['3'] = l3x.unknown(missingOf(lines['1']!, lines['2']!));
  }

  // HB 559 (2026): exclusion of amounts deducted or amortized under §174/§174A.
  const hb559 = view.bool(null, 'us.id.research.hb559_in_force');
  const hbMode = hb559 ? view.option(null, 'us.id.research.hb559_mode') : 'none';

  // Lines 4–7.
  for (const c of CATS) {
    const n = CAT_LINE[c];
    const ex = lineExplainer(form, n, [stateCite.idStat('(2)(a)'), stateCite.idapa('723', '(01)')]);
    const q = ex.child(input.qres[c]);
    if (hb559) {
      view.bool(ex, 'us.id.research.hb559_in_force');
      view.option(ex, 'us.id.research.hb559_mode');
    }
    let extra: Cents = ZERO;
    if (c === 'contract' && nonExcessBasic > 0) {
      const r = view.rate(ex, 'us.federal.irc41.contract_research.rate_general');
      extra = applyRate(nonExcessBasic, r);
      ex.input('basic research payments not over the base period amount, at the contract-research percentage', extra);
      ex.note('the part of basic research payments that does not exceed line 2 is contract research (§41(e)(1)(B); 2001 instructions, line 7)');
    }
    if (q.kind !== 'known') {
      lines[n] = q.kind === 'unknown' ? ex.unknown(q.missing) : ex.known(roundToDollar(extra));
      continue;
    }
    let amount = add(q.value, extra);
    if (hbMode === 'per_dollar_exclusion') {
      const d = input.section174Deducted?.[c] ?? (amount === 0 ? ZERO : undefined);
      if (d === undefined) {
        lines[n] = ex.unknown([`idaho.section174Deducted.${c}`]);
        continue;
      }
      ex.input('less Idaho QREs deducted or amortized for Idaho under §174/§174A (HB 559)', d);
      amount = nonNegative(sub(amount, d));
    }
    lines[n] = ex.known(roundToDollar(amount));
  }
  const l8x = lineExplainer(form, '8').formula('line 4 + line 5 + line 6 + line 7');
  const q4 = ['4', '5', '6', '7'].map((n) => l8x.child(lines[n]!));
  lines['8'] = q4.every(known) ? l8x.known(sum(q4.map((v) => val(v)))) : l8x.unknown(missingOf(...q4));

  // Line 9: fixed-base percentage (Part A or Part B).
  const electionInForce = input.startupElectionYear !== undefined && input.startupElectionYear <= creditYear;
  const l9x = lineExplainer(form, '9', [stateCite.idStat('(2)(b)'), stateCite.idapa('721', '(01)')]);
  let fbp: Val<Rate>;
  let fbpPart: 'A' | 'B' | undefined;
  let startupYear: number | undefined;
  if (input.federalStartUp || electionInForce) {
    const b = partB(view, form, input, creditYear);
    startupYear = b.n;
    fbpPart = 'B';
    l9x.child(b.v);
    l9x.input('federal start-up', input.federalStartUp ?? 'unknown').input('Idaho start-up election in force', electionInForce);
    if (electionInForce && input.startupElectionYear! < creditYear) l9x.note(`Idaho start-up election made for ${input.startupElectionYear}: irrevocable, binds this year (IDAPA 35.01.01.721(01))`);
    fbp = b.v.kind === 'known' ? l9x.known(b.v.value) : b.v.kind === 'unknown' ? l9x.unknown(b.v.missing) : l9x.na(b.v.reason);
  } else if (input.federalStartUp === undefined && (input.basePeriod ?? []).length === 0) {
    fbp = l9x.unknown(['idaho.federalStartUp (or 1984–1988 Idaho records, or the Idaho start-up election)']);
  } else {
    const a = partA(view, form, input);
    fbpPart = 'A';
    l9x.child(a);
    fbp = a.kind === 'known' ? l9x.known(a.value) : a.kind === 'unknown' ? l9x.unknown(a.missing) : l9x.na(a.reason);
  }
  lines['9'] = fbp as unknown as Val<Cents>;

  // Line 10: Part C.
  const l10x = lineExplainer(form, '10', [stateCite.idStat('(2)(b)(i)')]);
  const c = l10x.child(partC(view, form, input, creditYear));
  const avg = c.kind === 'known' ? l10x.known(c.value) : l10x.unknown(missingOf(c));
  lines['10'] = avg;

  // Lines 11–16.
  const l11x = lineExplainer(form, '11').formula('line 10 × line 9');
  l11x.child(fbp);
  l11x.child(avg);
  lines['11'] = fbp.kind === 'known' && avg.kind === 'known' ? l11x.known(formLineTimesRate(avg.value, fbp.value)) : l11x.unknown(missingOf(fbp, avg));
  const l12x = lineExplainer(form, '12').formula('line 8 − line 11, not less than zero');
  l12x.child(lines['8']!);
  l12x.child(lines['11']!);
  lines['12'] = known(lines['8']!) && known(lines['11']!) ? l12x.known(nonNegative(sub(val(lines['8']!), val(lines['11']!)))) : l12x.unknown(missingOf(lines['8']!, lines['11']!));
  const l13x = lineExplainer(form, '13', [stateCite.irc41('(c)(2)')]);
  const half = view.rate(l13x, 'us.id.research.minimum_base_fraction');
  l13x.formula(`line 8 × ${formatRate(half)}`).child(lines['8']!);
  lines['13'] = known(lines['8']!) ? l13x.known(formLineTimesRate(val(lines['8']!), half)) : l13x.unknown(missingOf(lines['8']!));
  const l14x = lineExplainer(form, '14').formula('smaller of line 12 and line 13');
  l14x.child(lines['12']!);
  l14x.child(lines['13']!);
  lines['14'] = known(lines['12']!) && known(lines['13']!) ? l14x.known(min(val(lines['12']!), val(lines['13']!))) : l14x.unknown(missingOf(lines['12']!, lines['13']!));
  const l15x = lineExplainer(form, '15').formula(corp ? 'line 3 + line 14' : 'line 14 (lines 1–3 not used)');
  if (corp) l15x.child(lines['3']!);
  l15x.child(lines['14']!);
  const parts15 = corp ? [lines['3']!, lines['14']!] : [lines['14']!];
  lines['15'] = parts15.every(known) ? l15x.known(sum(parts15.map((v) => val(v)))) : l15x.unknown(missingOf(...parts15));
  const l16x = lineExplainer(form, '16', [stateCite.idStat('(1)(b)')]);
  const r = view.rate(l16x, 'us.id.research.rate');
  const rb = view.rate(l16x, 'us.id.research.basic_research_rate');
  l16x.child(lines['15']!);
  // HB 559: the review flag shows on the credit in every year the rule is in force, whichever reading.
  if (hb559) l16x.flag(view.flagFor('us.id.research.hb559_mode'));
  if (known(lines['15']!)) {
    if (cmpRate(r, rb) === 0) l16x.formula(`line 15 × ${formatRate(r)}`);
    const earned =
      cmpRate(r, rb) === 0 || !corp
        ? formLineTimesRate(val(lines['15']!), r)
        : roundToDollar(add(applyRate(val(lines['3']!), rb), applyRate(val(lines['14']!), r)));
    lines['16'] = l16x.known(earned);
  } else lines['16'] = l16x.unknown(missingOf(lines['15']!));

  return {
    lines,
    fbp,
    fbpPart,
    avgGrossReceipts: avg,
    earned: lines['16']!,
    startup: { federal: input.federalStartUp, electionInForce, ...(startupYear !== undefined ? { startupYear } : {}) },
  };
}

