/**
 * Schedule-ready tables of the state results (the shape of `Schedule` in src/study/compute/result.ts,
 * repeated structurally here because `rules` may not import `study`): money cells are integer
 * cents; null is "unknown", never zero.
 * - `multistateSchedule(rows)`: federal and each state side by side (QREs by category, credit,
 *   refundable, carryforward, missing).
 * - `disqualifiedSchedule(sourced)`: the "Federally Qualified / <State> Disqualified" report, one row
 *   per line with its reason.
 */
import type { Citation, Val } from '../../explain/types.js';
import { sum, type Cents } from '../../money/index.js';
import { QRE_CATEGORIES, type SourcedQres } from './sourcing.js';
import type { StateSummaryRow } from './index.js';
import type { StateLimitation, StateVintage } from './limitation.js';

export type StateCell = string | number | boolean | null;
export interface StateScheduleColumn {
  key: string;
  label: string;
  kind: 'money' | 'rate' | 'text' | 'count' | 'hours' | 'date' | 'flag';
}
export interface StateSchedule {
  id: string;
  title: string;
  citation: Citation[];
  columns: StateScheduleColumn[];
  rows: { cells: Record<string, StateCell>; source?: string }[];
  totals?: Record<string, StateCell>;
  notes?: string[];
}

const cell = (v: Val<Cents>): number | null => (v.kind === 'known' ? v.value : v.kind === 'na' ? null : null);
const CAT_LABEL: Record<string, string> = { wages: 'Wages', supplies: 'Supplies', computers: 'Computer rental', contract: 'Contract research', basicResearch: 'Basic research payments' };

/** Federal and each state side by side, from the same sourced records. */
export function multistateSchedule(rows: StateSummaryRow[]): StateSchedule {
  const columns: StateScheduleColumn[] = [
    { key: 'jurisdiction', label: 'Jurisdiction', kind: 'text' },
    ...QRE_CATEGORIES.map((c) => ({ key: c, label: CAT_LABEL[c]!, kind: 'money' as const })),
    { key: 'totalQre', label: 'QREs (total)', kind: 'money' },
    { key: 'credit', label: 'Credit computed', kind: 'money' },
    { key: 'status', label: 'Status', kind: 'text' },
    { key: 'refundable', label: 'Refundable', kind: 'flag' },
    { key: 'carryforward', label: 'Carryforward (years)', kind: 'text' },
    { key: 'missing', label: 'Missing', kind: 'text' },
  ];
  const out: StateSchedule['rows'] = [];
  const first = rows[0];
  if (first) {
    const f = first.qres.federal;
    out.push({
      cells: {
        jurisdiction: 'Federal (domestic QREs of the same records)',
        ...Object.fromEntries(QRE_CATEGORIES.map((c) => [c, cell(f[c])])),
        totalQre: cell(first.qres.federalTotal),
        credit: null,
        status: 'see Form 6765',
        refundable: null,
        carryforward: '',
        missing: first.qres.federalTotal.kind === 'unknown' ? first.qres.federalTotal.missing.join('; ') : '',
      },
      source: 'us.states.sourcing.federal',
    });
  }
  for (const r of rows) {
    out.push({
      cells: {
        jurisdiction: r.state,
        ...Object.fromEntries(QRE_CATEGORIES.map((c) => [c, cell(r.qres.byCategory[c])])),
        totalQre: cell(r.qres.total),
        credit: r.credit.kind === 'known' ? r.credit.value : null,
        status: r.credit.kind === 'known' ? 'computed' : r.credit.kind === 'unknown' ? 'unknown (facts missing)' : `not computed: ${r.credit.reason}`,
        refundable: r.refundable,
        carryforward: r.carryforwardYears === null ? 'indefinite' : String(r.carryforwardYears),
        missing: r.missing.join('; '),
      },
      source: `us.${r.state.toLowerCase()}.research`,
    });
  }
  return {
    id: 'multistate',
    title: 'Research credit by state (each state from the same sourced records)',
    citation: [{ title: 'rdcredit law spec, states.md Part B and Part C item 1' }],
    columns,
    rows: out,
    notes: ['A state\'s QREs are the federal QREs of research conducted in that state; "unknown" cells lack facts, never zero.'],
  };
}

/** The "Federally Qualified / <State> Disqualified" report: each line with its reason. */
export function disqualifiedSchedule(sourced: SourcedQres): StateSchedule {
  const rows = sourced.disqualified.map((d) => ({
    cells: { category: CAT_LABEL[d.category]!, line: d.lineId, amount: d.amount, location: d.location, classification: d.classification === 'federally_qualified_state_disqualified' ? `Federally qualified / ${sourced.state} disqualified` : 'Not federally qualified (foreign research)', reason: d.reason } as Record<string, StateCell>,
    source: `${d.category}.${d.lineId}`,
  }));
  const unknown = sourced.unknownLines.map((u) => ({
    cells: { category: CAT_LABEL[u.category]!, line: u.lineId, amount: null, location: null, classification: 'Location or qualification unknown', reason: `missing: ${u.missing.join(', ')}` } as Record<string, StateCell>,
    source: `${u.category}.${u.lineId}`,
  }));
  return {
    id: `disqualified.${sourced.state.toLowerCase()}`,
    title: `Federally qualified / ${sourced.state} disqualified amounts`,
    citation: sourced.state === 'ID' ? [{ title: 'IDAPA 35.01.01.720(01), .723(01)' }, { title: 'Idaho Code § 63-3029G(2)(a)' }] : [{ title: `${sourced.state}: research must be conducted in the state (states.md Part C item 1)` }],
    columns: [
      { key: 'category', label: 'Category', kind: 'text' },
      { key: 'line', label: 'Line', kind: 'text' },
      { key: 'amount', label: 'Federally qualified amount', kind: 'money' },
      { key: 'location', label: 'Where performed', kind: 'text' },
      { key: 'classification', label: 'Classification', kind: 'text' },
      { key: 'reason', label: 'Reason', kind: 'text' },
    ],
    rows: [...rows, ...unknown],
    totals: { amount: sum(sourced.disqualified.filter((d) => d.classification === 'federally_qualified_state_disqualified').map((d) => d.amount)) },
    notes: ['Totals count only federally qualified amounts excluded from the state; lines of unknown location are listed, never assumed in or out.'],
  };
}

/**
 * The carryforward ledger of one state's research credit by vintage (schedule `carryforward.<xx>`):
 * used this year, expired, lapsed (current-year credit that may not carry), carried forward with the
 * last year of use. Undefined when the state has no limitation or nothing to show; when the
 * limitation is unknown the schedule says so in a note and lists only what carried in.
 */
export function stateCarryforwardSchedule(state: string, lim: StateLimitation | undefined, year: number): StateSchedule | undefined {
  if (!lim) return undefined;
  const xx = state.toLowerCase();
  const key = (v: StateVintage) => `${v.year}|${v.expiresAfter === null ? 'none' : v.expiresAfter}`;
  const rowsBy = new Map<string, { vintage: number; expires: number | null; used: number; expired: number; lapsed: number; carried: number }>();
  const row = (v: StateVintage) => {
    const k = key(v);
    if (!rowsBy.has(k)) rowsBy.set(k, { vintage: v.year, expires: v.expiresAfter, used: 0, expired: 0, lapsed: 0, carried: 0 });
    return rowsBy.get(k)!;
  };
  for (const v of lim.used) row(v).used += v.amount;
  for (const v of lim.expired) row(v).expired += v.amount;
  for (const v of lim.carryforward) row(v).carried += v.amount;
  if (lim.lapsed > 0) row({ year, amount: lim.lapsed, expiresAfter: year }).lapsed += lim.lapsed;
  const refund = lim.refund?.kind === 'known' ? lim.refund.value : null;
  if (rowsBy.size === 0 && lim.allowed.kind === 'known' && !refund) return undefined;
  const rows = [...rowsBy.values()]
    .sort((a, b) => a.vintage - b.vintage || (a.expires ?? 1e9) - (b.expires ?? 1e9))
    .map((r) => ({
      cells: { vintage: String(r.vintage), expires: r.expires === null ? 'no expiry' : String(r.expires), used: r.used, expired: r.expired, lapsed: r.lapsed, carried: r.carried } as Record<string, StateCell>,
      source: `us.${xx}.research.limitation`,
    }));
  const tot = (k: 'used' | 'expired' | 'lapsed' | 'carried') => rows.reduce((s, r) => s + (r.cells[k] as number), 0);
  const notes: string[] = [];
  if (lim.allowed.kind !== 'known') notes.push(`The limitation is unknown: missing ${lim.missing.join(', ') || 'the credit of the year'}. Nothing is shown as used or carried until the facts are given.`);
  if (refund !== null) notes.push(`Refund of the year: ${(refund / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} dollars.`);
  return {
    id: `carryforward.${xx}`,
    title: `${state} research credit carryforward by vintage (oldest first)`,
    citation: [{ title: `law/states/${xx}/limitation.yaml (states.md Part C item 8)` }],
    columns: [
      { key: 'vintage', label: 'Year generated', kind: 'text' },
      { key: 'expires', label: 'Usable through', kind: 'text' },
      { key: 'used', label: 'Used this year', kind: 'money' },
      { key: 'expired', label: 'Expired', kind: 'money' },
      { key: 'lapsed', label: 'Lapsed (may not carry)', kind: 'money' },
      { key: 'carried', label: 'Carried forward', kind: 'money' },
    ],
    rows,
    totals: { used: tot('used'), expired: tot('expired'), lapsed: tot('lapsed'), carried: tot('carried') },
    notes,
  };
}
