/**
 * Shared vocabulary and building blocks of the state research credits (states.md Part B, Part C).
 *
 * Every state engine takes the same `StateCreditInput` (the state's QREs from `sourceQres`, the
 * state history by prior year, the federal figures a state borrows, the study's `stateFacts` for
 * the state and the option answers) and returns a `StateCreditResult`. The pieces here implement
 * the §41 mechanics the states adopt by reference, each with state figures:
 * - `regularExcess`: QREs over max(fixed-base percentage × average state gross receipts, 50% of QREs)
 *   (§41(c)(1)–(2));
 * - `ascExcess`: QREs over 50% of the average QREs of the 3 preceding years, and whether any of
 *   those years had none (§41(c)(5));
 * - `stateFbp`: the state fixed-base percentage given as a fact, or the start-up 3% (§41(c)(3));
 * - `basicResearch`: §41(e) excess basic research payments with the non-excess part rolled into
 *   contract research at the §41(b)(3) percentage.
 * A fact the study lacks is recorded as `stateFacts.<XX>.<id>` in `missing`; the credit is then
 * unknown, never guessed.
 */
import { collectFlags, explainer, type Explainer, type Val } from '../../explain/index.js';
import type { Citation, ReviewFlag } from '../../explain/types.js';
import {
  add,
  applyRate,
  cmpRate,
  formLineTimesRate,
  formatRate,
  max,
  min,
  minRate,
  moneyRatio,
  nonNegative,
  parseMoney,
  prorate,
  rate as parseRate,
  ratio,
  roundRate,
  roundToDollar,
  sub,
  sum,
  ZERO,
  type Cents,
  type Rate,
} from '../../money/index.js';
import type { LawView } from '../../law/law.js';
import { isShortYear, periodMonths, yearBegun, type TaxPeriod } from '../../periods/index.js';
import type { SourcedQres } from './sourcing.js';
import type { StateLimitation } from './limitation.js';

export type StateEntityType = 'c_corporation' | 's_corporation' | 'partnership' | 'sole_proprietorship' | 'estate_or_trust' | 'tax_exempt' | 'individual';

/** One prior tax year of a state's history (`PriorYear.qreByState[XX]`, `grossReceiptsByState[XX]`, `grossReceipts`). */
export interface StateHistoryYear {
  period: TaxPeriod;
  /** QREs for research conducted in the state that year; undefined = not known. */
  qre?: Cents;
  /** Gross receipts sourced to the state (the sales-factor numerator); undefined = not known. */
  grossReceipts?: Cents;
  /** Total (everywhere) gross receipts; undefined = not known. */
  totalGrossReceipts?: Cents;
}

/** Federal figures some states borrow; each is a `Val` from the federal computation. */
export interface FederalFigures {
  /** Federal QREs of the credit year (Form 6765 line 9 or 28). */
  qres?: Val<Cents>;
  /** Method used on the federal return for the credit year (NJ and AZ must follow it). */
  method?: 'regular' | 'asc';
  /** Federal fixed-base percentage (never reused as a state's; shown for comparison only). */
  fixedBasePercentage?: Val<Rate>;
  /** Treated as a start-up under §41(c)(3)(B) federally. */
  startUp?: boolean;
  /** Federal research credit of the credit year. */
  credit?: Val<Cents>;
}

export interface StateCreditInput {
  /** Tax year of the credit. */
  period: TaxPeriod;
  entityType: StateEntityType;
  /** The state's QREs from `sourceQres` (the same sourced records for every state). */
  qres: SourcedQres;
  /** Prior tax years with the state's figures (any order; missing years are unknown). */
  history: StateHistoryYear[];
  /** Gross receipts of the credit year: sourced to the state and in total. */
  grossReceipts?: { state?: Cents; total?: Cents };
  /** First day of the taxpayer's first tax year; earlier years count as years without QREs or receipts. */
  firstTaxYearStart?: string;
  federal: FederalFigures;
  /** `Study.stateFacts[XX]`: facts the records lack (ids and formats in law/states/<xx>/research-credit.yaml). */
  facts: Record<string, string>;
  /** Answers to open legal questions (option id → choice). */
  options?: Record<string, string>;
}

export type RefundKind = 'none' | 'full' | 'partial' | 'conditional';

export interface StateCreditResult {
  state: string;
  /** Credit earned / computed for the year (before the state's limitation against tax). */
  credit: Val<Cents>;
  /** Named steps of the state computation (money lines in cents, rates as `Rate`). */
  lines: Record<string, Val<Cents | Rate>>;
  /** Facts or records the computation lacks (then `credit` is unknown). */
  missing: string[];
  /** Whether any part of the credit can be paid out to this taxpayer (given its facts). */
  refundable: boolean;
  refundability: { kind: RefundKind; description: string; share?: Rate; amount?: Val<Cents> };
  /** Years an unused credit carries forward: a number, 0 for none, null for indefinite. */
  carryforwardYears: number | null;
  notes: string[];
  /** Review flags (open legal questions) used anywhere in the computation. */
  flags: ReviewFlag[];
  /**
   * Limitation on use against the state tax of the year, the carryforward ledger by vintage and the
   * refund (src/rules/states/limitation.ts); undefined when the state has none in the law files or the
   * credit does not apply. `allowed` is unknown (with `missing`) when the tax facts are missing.
   */
  limitation?: StateLimitation;
}

export type FactKind = 'bool' | 'rate' | 'money' | 'int' | 'choice';

const BOOL: Record<string, boolean> = { true: true, yes: true, '1': true, false: false, no: false, '0': false };

/**
 * The context one state engine works in: its law view, its facts and what is missing.
 */
export class StateCtx {
  readonly view: LawView;
  readonly missing: string[] = [];
  readonly notes: string[] = [];
  readonly lines: Record<string, Val<Cents | Rate>> = {};
  readonly creditYear: number;

  constructor(
    readonly state: string,
    readonly input: StateCreditInput,
    view: LawView,
  ) {
    this.view = view;
    this.creditYear = yearBegun(input.period);
  }

  /** Rule id of a named step. */
  rule(step: string): string {
    return `us.${this.state.toLowerCase()}.research.${step}`;
  }

  ex(step: string, label: string, cites: Citation[]): Explainer {
    return explainer(this.rule(step), `${this.state} research credit: ${label}`, cites);
  }

  /** Reads a fact. Missing or malformed → recorded as missing (`stateFacts.XX.id`) and undefined. */
  fact(ex: Explainer | null, id: string, kind: 'bool', opts?: { required?: boolean }): boolean | undefined;
  fact(ex: Explainer | null, id: string, kind: 'rate', opts?: { required?: boolean }): Rate | undefined;
  fact(ex: Explainer | null, id: string, kind: 'money', opts?: { required?: boolean }): Cents | undefined;
  fact(ex: Explainer | null, id: string, kind: 'int', opts?: { required?: boolean }): number | undefined;
  fact(ex: Explainer | null, id: string, kind: 'choice', opts: { required?: boolean; choices: string[] }): string | undefined;
  fact(ex: Explainer | null, id: string, kind: FactKind, opts: { required?: boolean; choices?: string[] } = {}): unknown {
    const path = `stateFacts.${this.state}.${id}`;
    const raw = this.input.facts[id];
    const required = opts.required ?? true;
    if (raw === undefined || raw.trim() === '') {
      if (required) this.missing.push(path);
      return undefined;
    }
    const t = raw.trim();
    let v: unknown;
    try {
      switch (kind) {
        case 'bool':
          v = BOOL[t.toLowerCase()];
          break;
        case 'rate':
          v = parseRate(t);
          break;
        case 'money':
          v = parseMoney(t);
          break;
        case 'int':
          v = /^\d+$/.test(t) ? Number(t) : undefined;
          break;
        case 'choice':
          v = opts.choices!.includes(t) ? t : undefined;
          break;
      }
    } catch {
      v = undefined;
    }
    if (v === undefined) {
      this.missing.push(`${path} (invalid value "${t}"; expected ${kind === 'choice' ? opts.choices!.join(' | ') : kind})`);
      return undefined;
    }
    ex?.input(`fact ${id}`, typeof v === 'number' && kind === 'int' ? String(v) : (v as never), `stateFacts.${this.state}`, kind === 'money' ? 'money' : 'text');
    return v;
  }

  set<T extends Cents | Rate = Cents>(name: string, v: Val<T>): Val<T> {
    this.lines[name] = v as Val<Cents | Rate>;
    return v;
  }
}

export const knownVal = <T>(v: Val<T>): v is Val<T> & { kind: 'known'; value: T } => v.kind === 'known';
export const missingOf = (...vs: Val<unknown>[]): string[] => vs.flatMap((v) => (v.kind === 'unknown' ? v.missing : []));

/** A state-QRE line: the sourced value rounded to the dollar as the state forms print it. */
export function qreLine(ctx: StateCtx, name: string, label: string, v: Val<Cents>, cites: Citation[]): Val<Cents> {
  const ex = ctx.ex(`line.${name}`, label, cites);
  ex.child(v);
  if (v.kind === 'known') return ctx.set(name, ex.known(roundToDollar(v.value)));
  if (v.kind === 'unknown') return ctx.set(name, ex.unknown(v.missing));
  return ctx.set(name, ex.known(ZERO));
}

/** The taxpayer may use the §41(e) basic-research rules (corporations other than S corporations). */
export function basicResearchEntity(t: StateEntityType): boolean {
  return t === 'c_corporation';
}

/**
 * §41(e) with state figures: excess basic research payments over the qualified organization base
 * period amount (fact `qualified_org_base_amount`, needed only when there are payments); the part
 * not over it is contract research at the general §41(b)(3) percentage (§41(e)(1)(B)).
 */
export function basicResearch(ctx: StateCtx, cites: Citation[]): { excess: Val<Cents>; rollover: Val<Cents> } {
  const ex = ctx.ex('line.basic_research_excess', 'excess basic research payments (§41(e))', cites);
  const rx = ctx.ex('line.basic_research_rollover', 'basic research payments not over the base period amount, as contract research (§41(e)(1)(B))', cites);
  const paid = ex.child(ctx.input.qres.byCategory.basicResearch);
  if (!basicResearchEntity(ctx.input.entityType)) {
    const why = 'only corporations other than S corporations use the basic research rules (§41(e))';
    const r = { excess: ctx.set('basic_research_excess', ex.na(why)), rollover: ctx.set('basic_research_rollover', rx.known(ZERO)) };
    if (paid.kind === 'known' && paid.value > 0) ctx.notes.push(`basic research payments are not used: ${why}`);
    return r;
  }
  if (paid.kind !== 'known') return { excess: ctx.set('basic_research_excess', ex.unknown(missingOf(paid))), rollover: ctx.set('basic_research_rollover', rx.unknown(missingOf(paid))) };
  if (paid.value === 0) return { excess: ctx.set('basic_research_excess', ex.known(ZERO)), rollover: ctx.set('basic_research_rollover', rx.known(ZERO)) };
  const base = ctx.fact(ex, 'qualified_org_base_amount', 'money');
  if (base === undefined) return { excess: ctx.set('basic_research_excess', ex.unknown([`stateFacts.${ctx.state}.qualified_org_base_amount`])), rollover: ctx.set('basic_research_rollover', rx.unknown([`stateFacts.${ctx.state}.qualified_org_base_amount`])) };
  const excess = roundToDollar(nonNegative(sub(paid.value, base)));
  const r = ctx.view.rate(rx, 'us.federal.irc41.contract_research.rate_general');
  const roll = roundToDollar(applyRate(min(paid.value, base), r));
  ex.formula('basic research payments − qualified organization base period amount, not less than zero');
  rx.formula(`min(payments, base period amount) × ${formatRate(r)}`);
  return { excess: ctx.set('basic_research_excess', ex.known(excess)), rollover: ctx.set('basic_research_rollover', rx.known(roll)) };
}

/** Total state QREs (wages + supplies + computers + contract + basic-research rollover), in whole dollars. */
export function totalQres(ctx: StateCtx, rollover: Val<Cents> | undefined, cites: Citation[]): Val<Cents> {
  const q = ctx.input.qres;
  const ex = ctx.ex('line.qre', `${ctx.state} qualified research expenses (research conducted in ${ctx.state})`, cites);
  const parts = [q.byCategory.wages, q.byCategory.supplies, q.byCategory.computers, q.byCategory.contract, ...(rollover ? [rollover] : [])].map((v) => ex.child(v));
  ex.formula(`wages + supplies + computer rental + contract research${rollover ? ' + basic research rollover' : ''}`);
  const m = missingOf(...parts);
  if (m.length) return ctx.set('qre', ex.unknown(m));
  const total = roundToDollar(sum(parts.map((p) => (p.kind === 'known' ? p.value : ZERO))));
  const fed = ctx.input.federal.qres;
  if (fed?.kind === 'known' && total > fed.value) {
    ex.note(`the ${ctx.state} QREs exceed the federal QREs given (${fed.value / 100} dollars): every state QRE must be a federal QRE`);
    ctx.notes.push(`${ctx.state} QREs exceed the federal QREs given: check the federal figures`);
  }
  return ctx.set('qre', ex.known(total));
}

interface PriorYear {
  year: number;
  row?: StateHistoryYear;
  /** Before the taxpayer's first tax year: counts as a year with nothing. */
  notInExistence: boolean;
}

/** The `n` tax years before the credit year, newest first. */
export function priorYears(ctx: StateCtx, n: number): PriorYear[] {
  const first = ctx.input.firstTaxYearStart ? Number(ctx.input.firstTaxYearStart.slice(0, 4)) : undefined;
  const out: PriorYear[] = [];
  for (let k = 1; k <= n; k++) {
    const y = ctx.creditYear - k;
    const row = ctx.input.history.find((h) => yearBegun(h.period) === y);
    out.push({ year: y, ...(row ? { row } : {}), notInExistence: !row && first !== undefined && y < first });
  }
  return out;
}

/** Annualized gross receipts of a prior year (short years × 12 / months). */
function annualized(row: StateHistoryYear, amount: Cents, ex: Explainer, label: string): Cents {
  if (isShortYear(row.period)) {
    const m = periodMonths(row.period);
    const a = prorate(amount, 12, m);
    ex.input(`${label} (short year of ${m} months, annualized × 12/${m})`, a);
    return a;
  }
  ex.input(label, amount);
  return amount;
}

/**
 * Average annual gross receipts of the preceding years (§41(c)(1)(B) with state figures): the
 * years in existence only; short years annualized; none → 0.
 */
export function averageReceipts(ctx: StateCtx, which: 'state' | 'total', cites: Citation[]): Val<Cents> {
  const ex = ctx.ex('line.average_gross_receipts', `average annual ${which === 'state' ? ctx.state + ' ' : 'total '}gross receipts of the preceding years`, cites);
  const n = ctx.view.count(ex, 'us.states.irc41.gross_receipts_years');
  const years = priorYears(ctx, n);
  const missing: string[] = [];
  const amounts: Cents[] = [];
  for (const y of years) {
    if (y.notInExistence) continue;
    const v = which === 'state' ? y.row?.grossReceipts : y.row?.totalGrossReceipts;
    if (!y.row || v === undefined) {
      missing.push(which === 'state' ? `history.${y.year}.grossReceiptsByState.${ctx.state}` : `history.${y.year}.grossReceipts`);
      continue;
    }
    amounts.push(annualized(y.row, v, ex, `${which === 'state' ? ctx.state + ' ' : ''}gross receipts ${y.year}`));
  }
  if (missing.length) return ctx.set('average_gross_receipts', ex.unknown(missing));
  if (amounts.length === 0) {
    ex.note('no preceding tax year: the average is zero');
    return ctx.set('average_gross_receipts', ex.known(ZERO));
  }
  ex.formula(amounts.length < n ? `total of the ${amounts.length} years in existence ÷ ${amounts.length}` : `total of the ${n} preceding years ÷ ${n}`);
  return ctx.set('average_gross_receipts', ex.known(roundToDollar(prorate(sum(amounts), 1, amounts.length))));
}

/**
 * The state's fixed-base percentage: from fact `fixed_base_percentage` (decimal, as determined with
 * the state's own QREs and receipts), or 3% when fact `start_up_year` is 1–5 (§41(c)(3)(B)(ii)(I)).
 * Rounded to 1/100 of 1% and capped at 16%.
 */
export function stateFbp(ctx: StateCtx, cites: Citation[], extra?: (ex: Explainer) => Rate | undefined): Val<Rate> {
  const ex = ctx.ex('line.fixed_base_percentage', `${ctx.state} fixed-base percentage (state QREs ÷ state gross receipts; not more than 16%)`, cites);
  const cap = ctx.view.rate(ex, 'us.states.irc41.fbp_cap');
  const places = ctx.view.count(ex, 'us.states.irc41.fbp_rounding_places');
  const special = extra?.(ex);
  if (special) return ctx.set('fixed_base_percentage', ex.known(special));
  const hasFbp = ctx.input.facts['fixed_base_percentage'] !== undefined;
  const su = ctx.fact(ex, 'start_up_year', 'int', { required: false });
  if (!hasFbp && su !== undefined) {
    const initialYears = ctx.view.count(ex, 'us.states.irc41.startup_initial_years');
    if (su >= 1 && su <= initialYears) {
      const r = ctx.view.rate(ex, 'us.states.irc41.startup_initial_fbp');
      ex.formula(`start-up year ${su} ≤ ${initialYears}: ${formatRate(r)}`);
      return ctx.set('fixed_base_percentage', ex.known(r));
    }
    ex.note(`start-up year ${su}: the phase-in percentage must be given as fact fixed_base_percentage`);
  }
  const given = ctx.fact(ex, 'fixed_base_percentage', 'rate');
  if (given === undefined) return ctx.set('fixed_base_percentage', ex.unknown([`stateFacts.${ctx.state}.fixed_base_percentage`]));
  const rounded = roundRate(given, places);
  const out = minRate(rounded, cap);
  ex.formula(`min(${formatRate(cap)}, ${formatRate(rounded)})`);
  if (cmpRate(given, cap) > 0) ex.note(`capped at ${formatRate(cap)}`);
  return ctx.set('fixed_base_percentage', ex.known(out));
}

/**
 * §41(c)(1)–(2) with state figures: base = FBP × average receipts, not less than 50% of QREs;
 * excess = QREs − base, not less than zero. Lines: base, minimum_base, excess.
 */
export function regularExcess(ctx: StateCtx, qre: Val<Cents>, fbp: Val<Rate>, avg: Val<Cents>, cites: Citation[], opts: { minimumBase?: boolean } = {}): Val<Cents> {
  const bx = ctx.ex('line.base', 'base amount (fixed-base percentage × average annual gross receipts)', cites).formula('average gross receipts × fixed-base percentage');
  bx.child(fbp);
  bx.child(avg);
  const base = ctx.set('base', fbp.kind === 'known' && avg.kind === 'known' ? bx.known(formLineTimesRate(avg.value, fbp.value)) : bx.unknown(missingOf(fbp, avg)));
  const mx = ctx.ex('line.minimum_base', 'minimum base amount (50% of QREs, §41(c)(2))', cites);
  const half = ctx.view.rate(mx, 'us.states.irc41.minimum_base_fraction');
  mx.child(qre);
  const useMin = opts.minimumBase ?? true;
  const minBase = ctx.set('minimum_base', !useMin ? mx.na('no minimum base under the option chosen') : qre.kind === 'known' ? mx.formula(`QREs × ${formatRate(half)}`).known(formLineTimesRate(qre.value, half)) : mx.unknown(missingOf(qre)));
  const ex = ctx.ex('line.excess', 'QREs over the base amount', cites).formula(useMin ? 'QREs − max(base amount, minimum base amount), not less than zero' : 'QREs − base amount, not less than zero');
  for (const v of [qre, base, minBase]) ex.child(v);
  const m = missingOf(qre, base, minBase);
  if (m.length || qre.kind !== 'known' || base.kind !== 'known') return ctx.set('excess', ex.unknown(m));
  const b = minBase.kind === 'known' ? max(base.value, minBase.value) : base.value;
  return ctx.set('excess', ex.known(nonNegative(sub(qre.value, b))));
}

export interface AscPart {
  /** QREs over 50% of the 3-year average (not less than zero). */
  excess: Val<Cents>;
  /** Some preceding year of the 3 had no state QREs (the "no prior QREs" rate then applies). */
  noPrior: boolean | undefined;
}

/**
 * §41(c)(5) with state figures: the average of the state QREs of the 3 preceding years, the base
 * (50% of it) and the excess. `noPrior` is true when any of the 3 years had no state QREs
 * (including years before the taxpayer existed).
 */
export function ascExcess(ctx: StateCtx, qre: Val<Cents>, cites: Citation[]): AscPart {
  const ax = ctx.ex('line.prior_average', 'average QREs of the 3 preceding tax years', cites);
  const n = ctx.view.count(ax, 'us.states.irc41.asc_prior_years');
  const years = priorYears(ctx, n);
  const missing: string[] = [];
  const amounts: Cents[] = [];
  for (const y of years) {
    if (y.notInExistence) {
      ax.input(`${ctx.state} QREs ${y.year}`, ZERO, 'before the first tax year');
      amounts.push(ZERO);
      continue;
    }
    if (!y.row || y.row.qre === undefined) {
      missing.push(`history.${y.year}.qreByState.${ctx.state}`);
      continue;
    }
    ax.input(`${ctx.state} QREs ${y.year}`, y.row.qre);
    amounts.push(y.row.qre);
  }
  const bx = ctx.ex('line.asc_base', 'base: 50% of the 3-year average', cites);
  const ex = ctx.ex('line.excess', 'QREs over 50% of the 3-year average', cites);
  if (missing.length) {
    ctx.set('prior_average', ax.unknown(missing));
    ctx.set('asc_base', bx.unknown(missing));
    return { excess: ctx.set('excess', ex.unknown([...missingOf(qre), ...missing])), noPrior: undefined };
  }
  const noPrior = amounts.some((a) => a === 0);
  const avg = ctx.set('prior_average', ax.formula(`total ÷ ${n}`).known(roundToDollar(prorate(sum(amounts), 1, n))));
  const frac = ctx.view.rate(bx, 'us.states.irc41.asc_base_fraction');
  bx.child(avg);
  const base = ctx.set('asc_base', bx.formula(`average × ${formatRate(frac)}`).known(formLineTimesRate((avg as { value: Cents }).value, frac)));
  ex.child(qre);
  ex.child(base);
  ex.formula('QREs − base, not less than zero');
  if (noPrior) ex.note(`a preceding year had no ${ctx.state} QREs: the state's rate for that case applies to current QREs`);
  if (qre.kind !== 'known') return { excess: ctx.set('excess', ex.unknown(missingOf(qre))), noPrior };
  return { excess: ctx.set('excess', ex.known(nonNegative(sub(qre.value, (base as { value: Cents }).value)))), noPrior };
}

/** `amount × rate`, rounded to the dollar, as a named line. */
export function timesRate(ctx: StateCtx, name: string, label: string, amount: Val<Cents>, r: Rate, cites: Citation[]): Val<Cents> {
  const ex = ctx.ex(`line.${name}`, label, cites).formula(`× ${formatRate(r, 6)}`);
  ex.child(amount);
  if (amount.kind === 'known') return ctx.set(name, ex.known(formLineTimesRate(amount.value, r)));
  if (amount.kind === 'na') return ctx.set(name, ex.known(ZERO));
  return ctx.set(name, ex.unknown(amount.missing));
}

/** Two-tier rate: `low` on the amount up to `threshold`, `high` above it. */
export function tiered(amount: Cents, threshold: Cents, low: Rate, high: Rate): Cents {
  const first = min(amount, threshold);
  const rest = nonNegative(sub(amount, threshold));
  return roundToDollar(add(applyRate(first, low), applyRate(rest, high)));
}

/** Sum of known parts as the credit line; unknown if any part is unknown (n/a counts as zero). */
export function sumLine(ctx: StateCtx, name: string, label: string, parts: Val<Cents>[], cites: Citation[], formula: string): Val<Cents> {
  const ex = ctx.ex(`line.${name}`, label, cites).formula(formula);
  for (const p of parts) ex.child(p);
  const m = missingOf(...parts);
  if (m.length) return ctx.set(name, ex.unknown(m));
  return ctx.set(name, ex.known(sum(parts.map((p) => (p.kind === 'known' ? p.value : ZERO)))));
}

/**
 * Closes a state computation: the credit line is unknown whenever a fact is missing (named), the
 * review flags are gathered from every line.
 */
export function finish(ctx: StateCtx, credit: Val<Cents>, rest: Omit<StateCreditResult, 'state' | 'credit' | 'lines' | 'missing' | 'notes' | 'flags'>): StateCreditResult {
  let c = credit;
  const missing = [...new Set([...ctx.missing, ...missingOf(credit)])];
  if (missing.length && credit.kind !== 'na') {
    const ex = ctx.ex('credit', 'credit (facts missing)', []);
    ex.child(credit);
    c = ex.unknown(missing);
  }
  ctx.lines['credit'] = c;
  const flags = new Map<string, ReviewFlag>();
  for (const v of Object.values(ctx.lines)) for (const f of collectFlags(v.why)) if (!flags.has(f.option)) flags.set(f.option, f);
  // Every output that used an open question carries its flag: put them on the credit itself.
  for (const f of flags.values()) if (!c.why.flags.some((g) => g.option === f.option)) c.why.flags.push(f);
  return { state: ctx.state, credit: c, lines: ctx.lines, missing, notes: ctx.notes, flags: [...flags.values()], ...rest };
}

/** A ratio of two amounts as an exact rate (0 when the denominator is 0). */
export function safeRatio(a: Cents, b: Cents): Rate {
  return b === 0 ? ratio(0) : moneyRatio(a, b);
}

/** Carryforward years from a text parameter ("indefinite" → null). */
export function carryforwardYears(ctx: StateCtx, id: string): number | null {
  const t = ctx.view.text(null, id);
  return t === 'indefinite' ? null : Number(t);
}

/** A citation by title (with an optional link). */
export const cite = (title: string, href?: string): Citation => (href ? { title, href } : { title });

/** The entity is a corporation (C or S). */
export const isCorporation = (t: StateEntityType): boolean => t === 'c_corporation' || t === 's_corporation';

/** A credit that does not apply to this taxpayer: n/a with the reason, no facts asked. */
export function notApplicable(ctx: StateCtx, reason: string, rest: Omit<StateCreditResult, 'state' | 'credit' | 'lines' | 'missing' | 'notes' | 'flags'>): StateCreditResult {
  const c = ctx.ex('credit', 'credit', []).na(reason);
  ctx.lines['credit'] = c;
  return { state: ctx.state, credit: c, lines: ctx.lines, missing: [], notes: ctx.notes, flags: [], ...rest };
}
