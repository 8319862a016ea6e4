/** Display of amounts as forms print them: whole dollars, "unknown" for unknown (never blank or 0). */
import type { Val } from '../explain/types.js';
import { cents, type Cents } from '../money/cents.js';
import { formatRate, rateToDecimal, type Rate } from '../money/rate.js';
import { roundToDollar } from '../money/rounding.js';
import type { CellValue, LineValue, ScheduleColumn } from '../study/compute/result.js';
import type { LineStatus, PrintedLine } from './model.js';

export const UNKNOWN = 'unknown';
export const NOT_APPLICABLE = 'n/a';
export const NOT_COMPUTED = 'not computed';

/** Whole dollars with thousands separators; negative amounts in parentheses as on the forms. */
export function dollarsText(a: Cents): string {
  const r = roundToDollar(a) / 100;
  const s = Math.abs(r).toLocaleString('en-US');
  return r < 0 ? `(${s})` : s;
}

/** Whole dollars (form rounding) as a number. */
export function wholeDollars(a: Cents): number {
  return roundToDollar(a) / 100;
}

function trimDecimal(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

export function rateText(r: Rate): string {
  return formatRate(r, 2);
}

/** A form line from the engine's value. */
export function printLine(line: string, label: string, kind: PrintedLine['kind'], v: Val<LineValue> | undefined, engineLine?: string): PrintedLine {
  const base = { line, ...(engineLine !== undefined && engineLine !== line ? { engineLine } : {}), label, kind };
  if (!v) return { ...base, status: 'not_computed', value: null, display: NOT_COMPUTED };
  if (v.kind === 'unknown') return { ...base, status: 'unknown', value: null, display: UNKNOWN, missing: [...v.missing] };
  if (v.kind === 'na') return { ...base, status: 'na', value: null, display: NOT_APPLICABLE, reason: v.reason };
  const x = v.value;
  switch (kind) {
    case 'money':
      if (typeof x === 'number') return { ...base, status: 'known', value: wholeDollars(x as Cents), display: dollarsText(x as Cents) };
      break;
    case 'rate':
      if (typeof x === 'object' && x !== null && 'num' in x) return { ...base, status: 'known', value: trimDecimal(rateToDecimal(x as Rate, 6)), display: rateText(x as Rate) };
      break;
    case 'flag':
      if (typeof x === 'boolean') return { ...base, status: 'known', value: x, display: x ? 'Yes' : 'No' };
      break;
  }
  // text, counts, or a value of an unexpected type: print it as it is
  if (typeof x === 'object' && x !== null && 'num' in x) return { ...base, status: 'known', value: trimDecimal(rateToDecimal(x as Rate, 6)), display: rateText(x as Rate) };
  if (typeof x === 'boolean') return { ...base, status: 'known', value: x, display: x ? 'Yes' : 'No' };
  return { ...base, status: 'known', value: typeof x === 'number' ? x : String(x), display: String(x) };
}

export function statusOf(v: Val<unknown> | undefined): LineStatus {
  return v ? v.kind : 'not_computed';
}

/** A schedule cell as printed: money as whole dollars, null as "unknown", a cell the row does not have as "—". */
export function cellText(col: ScheduleColumn, v: CellValue | undefined): string {
  if (v === undefined) return '—';
  if (v === null) return UNKNOWN;
  switch (col.kind) {
    case 'money':
      return typeof v === 'number' ? dollarsText(cents(v)) : String(v);
    case 'rate':
      return typeof v === 'number' ? `${trimDecimal((v * 100).toFixed(4))}%` : String(v);
    case 'hours':
      return typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v);
    case 'count':
      return typeof v === 'number' ? v.toLocaleString('en-US') : String(v);
    case 'flag':
      return typeof v === 'boolean' ? (v ? 'Yes' : 'No') : String(v);
    default:
      return typeof v === 'boolean' ? (v ? 'Yes' : 'No') : String(v);
  }
}

/** A schedule cell for JSON/CSV: money cells in whole dollars, others unchanged; null stays null. */
export function cellValue(col: ScheduleColumn, v: CellValue | undefined): CellValue {
  if (v === undefined) return null;
  if (v !== null && col.kind === 'money' && typeof v === 'number') return wholeDollars(cents(v));
  return v;
}
