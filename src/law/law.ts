/**
 * Parameter lookup for a tax period. Pure: the loader (loader.ts) does the file I/O and
 * hands a validated list of definitions to `makeLaw`.
 */
import type { ParamUse, ReviewFlag } from '../explain/types.js';
import type { Explainer } from '../explain/build.js';
import { dollars, parseMoney, type Cents } from '../money/cents.js';
import { formatRate, rate as parseRate, type Rate } from '../money/rate.js';
import type { TaxPeriod } from '../periods/tax-period.js';
import type { FormMap, KeyedOn, OptionDef, ParameterDef } from './schema.js';
import { SUPPORTED } from './schema.js';

export class LawError extends Error {
  override name = 'LawError';
}

export interface LawProblem {
  file: string;
  id?: string;
  message: string;
}

function scalarText(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

function toMoney(v: unknown): Cents {
  if (typeof v === 'number') return Number.isInteger(v) ? dollars(v) : parseMoney(String(v));
  return parseMoney(String(v));
}

/** Checks the segments of one parameter: sorted, no overlap, no gap inside its coverage. */
export function checkSegments(p: ParameterDef): string[] {
  const problems: string[] = [];
  const segs = p.values;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const next = segs[i + 1];
    if (s.to !== undefined && s.to <= s.from) problems.push(`segment from ${s.from} ends (${s.to}) before it starts`);
    if (next) {
      if (next.from <= s.from) problems.push(`segments out of order or overlapping: ${s.from} then ${next.from}`);
      else if (s.to !== undefined && s.to > next.from) problems.push(`overlap: segment from ${s.from} runs to ${s.to}, past the next start ${next.from}`);
      else if (s.to !== undefined && s.to < next.from) problems.push(`gap: nothing from ${s.to} until ${next.from}`);
    }
  }
  const cov = p.coverage ?? SUPPORTED;
  const first = segs[0];
  if (first && first.from > cov.from) problems.push(`gap: no value before ${first.from}, but coverage starts ${cov.from}`);
  const last = segs[segs.length - 1];
  if (last?.to !== undefined && last.to < cov.to) problems.push(`gap: last segment ends ${last.to}, but coverage runs to ${cov.to}`);
  // values are checked for their unit
  for (const s of segs) {
    try {
      convert(p, s.value);
    } catch (e) {
      problems.push(`value from ${s.from} is not a valid ${p.unit}: ${(e as Error).message}`);
    }
  }
  return problems;
}

function convert(p: ParameterDef, v: unknown): unknown {
  switch (p.unit) {
    case 'rate':
      return parseRate(typeof v === 'number' && !Number.isInteger(v) ? String(v) : (v as string | number));
    case 'money':
      return toMoney(v);
    case 'count':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new LawError(`expected an integer, got ${scalarText(v)}`);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw new LawError(`expected true/false, got ${scalarText(v)}`);
      return v;
    case 'date':
    case 'text':
      return scalarText(v);
    case 'rate_table':
    case 'money_table': {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date) throw new LawError('expected a table');
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = p.unit === 'rate_table' ? parseRate(String(x)) : toMoney(x);
      return out;
    }
    case 'list':
      if (!Array.isArray(v)) throw new LawError('expected a list');
      return v.map(scalarText);
  }
}

function display(p: ParameterDef, v: unknown): string {
  switch (p.unit) {
    case 'rate':
      return formatRate(v as Rate);
    case 'money':
      return `$${((v as number) / 100).toLocaleString('en-US')}`;
    case 'rate_table':
      return Object.entries(v as Record<string, Rate>)
        .map(([k, r]) => `${k}: ${formatRate(r)}`)
        .join(', ');
    case 'money_table':
      return Object.entries(v as Record<string, number>)
        .map(([k, c]) => `${k}: $${(c / 100).toLocaleString('en-US')}`)
        .join(', ');
    default:
      return Array.isArray(v) ? v.join(', ') : String(v);
  }
}

interface Resolved {
  value: unknown;
  use: ParamUse;
}

export interface Law {
  readonly parameters: ReadonlyMap<string, ParameterDef>;
  readonly options: ReadonlyMap<string, OptionDef>;
  /** The revision of a form used for a tax period (by the date the period begins). */
  form(id: string, period: TaxPeriod): FormMap;
  /** The value of a parameter in force on `date` (date interpreted per the parameter's keyed_on). */
  at(id: string, date: string): Resolved;
  /** The value for a tax period: the date picked by the parameter's keyed_on event. */
  get(id: string, period: TaxPeriod, eventDate?: string): Resolved;
  /** A view bound to a period and to the study's chosen options. */
  for(period: TaxPeriod, chosen?: Readonly<Record<string, string>>): LawView;
}

/** Parameters and options for one tax period, recording each use into an explanation. */
export interface LawView {
  readonly period: TaxPeriod;
  rate(ex: Explainer | null, id: string, eventDate?: string): Rate;
  money(ex: Explainer | null, id: string, eventDate?: string): Cents;
  count(ex: Explainer | null, id: string, eventDate?: string): number;
  bool(ex: Explainer | null, id: string, eventDate?: string): boolean;
  date(ex: Explainer | null, id: string, eventDate?: string): string;
  text(ex: Explainer | null, id: string, eventDate?: string): string;
  rateTable(ex: Explainer | null, id: string, eventDate?: string): Readonly<Record<string, Rate>>;
  moneyTable(ex: Explainer | null, id: string, eventDate?: string): Readonly<Record<string, Cents>>;
  list(ex: Explainer | null, id: string, eventDate?: string): readonly string[];
  /** The chosen (or default) answer to an open legal question; flags it for review on `ex`. */
  option(ex: Explainer | null, id: string): string;
  /** The review flag for an option as chosen in this view. */
  flagFor(id: string): ReviewFlag;
}

function eventDateFor(keyed: KeyedOn, period: TaxPeriod, eventDate?: string): string {
  switch (keyed) {
    case 'tax_year_beginning':
      return period.start;
    case 'tax_year_ending':
      return period.end;
    default:
      return eventDate ?? period.start;
  }
}

export function makeLaw(params: ParameterDef[], options: OptionDef[], forms: FormMap[] = []): Law {
  const pmap = new Map<string, ParameterDef>();
  const omap = new Map<string, OptionDef>();
  for (const p of params) {
    if (pmap.has(p.id)) throw new LawError(`parameter defined twice: ${p.id}`);
    pmap.set(p.id, p);
  }
  for (const o of options) {
    if (omap.has(o.id) || pmap.has(o.id)) throw new LawError(`option id defined twice: ${o.id}`);
    if (!(o.default in o.choices)) throw new LawError(`option ${o.id}: default "${o.default}" is not one of its choices`);
    omap.set(o.id, o);
  }
  const cache = new Map<string, Resolved>();

  const at = (id: string, date: string): Resolved => {
    const key = `${id}@${date}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const p = pmap.get(id);
    if (!p) throw new LawError(`no such parameter: ${id}`);
    let seg: (typeof p.values)[number] | undefined;
    for (const s of p.values) if (s.from <= date && (s.to === undefined || date < s.to)) seg = s;
    if (!seg) throw new LawError(`parameter ${id} has no value for ${date}`);
    const value = convert(p, seg.value);
    const r: Resolved = {
      value,
      use: { id, value: display(p, value), effectiveFrom: seg.from, keyedOn: p.keyed_on, reference: p.reference, status: p.status },
    };
    cache.set(key, r);
    return r;
  };

  const get = (id: string, period: TaxPeriod, eventDate?: string): Resolved => {
    const p = pmap.get(id);
    if (!p) throw new LawError(`no such parameter: ${id}`);
    return at(id, eventDateFor(p.keyed_on, period, eventDate));
  };

  const law: Law = {
    parameters: pmap,
    options: omap,
    form(id, period) {
      const f = forms.find((x) => x.form === id && x.applies.from <= period.start && (x.applies.to === undefined || period.start < x.applies.to));
      if (!f) throw new LawError(`no revision of form ${id} for a tax year beginning ${period.start}`);
      return f;
    },
    at,
    get,
    for(period, chosen = {}) {
      for (const [id, c] of Object.entries(chosen)) {
        const o = omap.get(id);
        if (!o) throw new LawError(`unknown option: ${id}`);
        if (!(c in o.choices)) throw new LawError(`option ${id}: "${c}" is not one of ${Object.keys(o.choices).join(', ')}`);
      }
      const read = <T>(ex: Explainer | null, id: string, eventDate?: string): T => {
        const r = get(id, period, eventDate);
        ex?.param(r.use);
        return r.value as T;
      };
      const flagFor = (id: string): ReviewFlag => {
        const o = omap.get(id);
        if (!o) throw new LawError(`no such option: ${id}`);
        const c = chosen[id] ?? o.default;
        return { option: id, chosen: c, isDefault: c === o.default, message: `${o.review} Chosen: ${o.choices[c]}`, reference: o.reference };
      };
      return {
        period,
        rate: (ex, id, d) => read<Rate>(ex, id, d),
        money: (ex, id, d) => read<Cents>(ex, id, d),
        count: (ex, id, d) => read<number>(ex, id, d),
        bool: (ex, id, d) => read<boolean>(ex, id, d),
        date: (ex, id, d) => read<string>(ex, id, d),
        text: (ex, id, d) => read<string>(ex, id, d),
        rateTable: (ex, id, d) => read<Record<string, Rate>>(ex, id, d),
        moneyTable: (ex, id, d) => read<Record<string, Cents>>(ex, id, d),
        list: (ex, id, d) => read<string[]>(ex, id, d),
        option(ex, id) {
          const f = flagFor(id);
          ex?.flag(f);
          return f.chosen;
        },
        flagFor,
      };
    },
  };
  return law;
}
