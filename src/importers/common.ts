/** Small helpers shared by the tabular processors. */
import type { Cents } from '../money/cents.js';
import type { IsoDate } from '../periods/date.js';
import type { FieldProblem } from './context.js';
import type { Row } from './csv.js';
import { isBad, parseAmount, parseDate } from './parse.js';
import type { Profile } from './profiles.js';

/** Reads named fields of a row and collects problems. */
export class Fields {
  problems: FieldProblem[] = [];
  row!: Row;
  constructor(
    private readonly cols: Record<string, number>,
    private readonly headers: string[],
    private readonly profile: Profile,
  ) {}

  reset(r: Row): this {
    this.row = r;
    this.problems = [];
    if (r.error) this.problems.push({ column: '(row)', value: '', expected: 'well-formed CSV', message: `CSV syntax: ${r.error}` });
    return this;
  }
  has(f: string): boolean {
    return this.cols[f] !== undefined;
  }
  col(f: string): string {
    const i = this.cols[f];
    return i === undefined ? f : (this.headers[i] ?? f);
  }
  text(f: string): string {
    const i = this.cols[f];
    return i === undefined ? '' : this.row.text(i).trim();
  }
  required(f: string, expected: string): string {
    const t = this.text(f);
    if (t === '') this.problems.push({ column: this.col(f), value: '', expected });
    return t;
  }
  date(f: string, required = true): IsoDate | undefined {
    const t = this.text(f);
    if (t === '') {
      if (required) this.problems.push({ column: this.col(f), value: '', expected: 'a date' });
      return undefined;
    }
    const d = parseDate(t, this.profile.formats.dates, this.profile.formats.zoneOffsetMinutes);
    if (isBad(d)) {
      this.problems.push({ column: this.col(f), value: t, expected: d.expected });
      return undefined;
    }
    return d;
  }
  money(f: string, required = true): Cents | undefined {
    const t = this.text(f);
    if (t === '') {
      if (required) this.problems.push({ column: this.col(f), value: '', expected: 'an amount' });
      return undefined;
    }
    const m = parseAmount(t, this.profile.formats.decimalComma);
    if (isBad(m)) {
      this.problems.push({ column: this.col(f), value: t, expected: m.expected });
      return undefined;
    }
    return m;
  }
}

export function yearOf(d: IsoDate): number {
  return +d.slice(0, 4);
}

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
