/**
 * Payroll: register lines (check date, employee, earning type, amount, work state) and the W-2
 * template (one row per employee × EIN × year × state line) → Employee records.
 *
 * Register amounts are keyed to the check date (the W-2 rule); lines whose earning type matches
 * the profile's `excludeEarningTypes` (taxes, deductions, reimbursements, employer cost) are left
 * out. The register sum is a proxy for W-2 box 1, and the record says so in `source.note`.
 */
import { cents, type Cents } from '../money/cents.js';
import type { Employee, Location } from '../study/model.js';
import { type ImportContext, parseLocation } from './context.js';
import type { Row } from './csv.js';
import { Fields, cmpStr, yearOf } from './common.js';
import { pattern } from './parse.js';
import type { Profile } from './profiles.js';
import type { ImportedRecords } from './types.js';

interface Acc {
  id: string;
  name: string;
  title?: string;
  wages: number;
  byState: Map<string, number>;
  lines: number;
  firstRow: number;
}

function checkLocation(f: Fields, field: string): Location | undefined {
  const t = f.text(field);
  const p = parseLocation(t);
  if (p && 'bad' in p) {
    f.problems.push({ column: f.col(field), value: t, expected: p.expected });
    return undefined;
  }
  return p;
}

export class PayrollProcessor {
  private readonly f: Fields;
  private readonly acc = new Map<string, Acc>();
  private readonly years = new Map<number, number>();
  private readonly exclude: RegExp | undefined;

  constructor(
    private readonly ctx: ImportContext,
    private readonly profile: Profile,
    private readonly cols: Record<string, number>,
    headers: string[],
    private readonly year: number | undefined,
  ) {
    this.f = new Fields(cols, headers, profile);
    const ex = profile.constants?.excludeEarningTypes;
    this.exclude = ex ? pattern(ex) : undefined;
  }

  missing(): string[] {
    return ['employee_id', 'check_date', 'amount'].filter((k) => this.cols[k] === undefined);
  }

  row(r: Row): void {
    const f = this.f.reset(r);
    if (f.text('employee_id') === '' && f.text('check_date') === '' && /^total/i.test(r.text(0).trim())) {
      this.ctx.rowsExcluded++;
      return;
    }
    this.ctx.rowsRead++;
    const id0 = f.required('employee_id', 'an employee identifier');
    // Vendors that number employees per company (ADP: Co Code + File #) prefix the company code
    const prefix = f.text('employee_id_prefix');
    const id = id0 !== undefined && prefix ? `${prefix}-${id0}` : id0;
    const date = f.date('check_date');
    const amount = f.money('amount');
    const loc = checkLocation(f, 'work_state');
    if (f.problems.length) return this.ctx.rowErrors(r.line, f.problems);
    const earning = f.text('earning_type');
    if ((this.year !== undefined && yearOf(date!) !== this.year) || (this.exclude && earning && this.exclude.test(earning))) {
      this.ctx.rowsExcluded++;
      return;
    }
    this.years.set(yearOf(date!), (this.years.get(yearOf(date!)) ?? 0) + 1);
    let a = this.acc.get(id);
    if (!a) {
      a = { id, name: f.text('employee_name') || id, wages: 0, byState: new Map(), lines: 0, firstRow: r.line };
      if (f.text('title')) a.title = f.text('title');
      this.acc.set(id, a);
    }
    a.wages += amount!;
    a.lines++;
    if (loc?.state) a.byState.set(loc.state, (a.byState.get(loc.state) ?? 0) + amount!);
    this.ctx.rowsUsed++;
  }

  finish(src: { file: string; sha256: string }): Partial<ImportedRecords> {
    if (this.years.size > 1)
      this.ctx.note('error', `the register spans check-date years ${[...this.years.keys()].sort().join(', ')}; import one year at a time (option year)`, { expected: 'one check-date year' });
    const employees: Employee[] = [...this.acc.values()]
      .sort((x, y) => cmpStr(x.id, y.id))
      .map((a) => {
        const e: Employee = {
          id: a.id,
          name: a.name,
          officer: false,
          wagesBox1: cents(a.wages),
          source: { file: src.file, sha256: src.sha256, row: a.firstRow, note: `sum of ${a.lines} payroll register lines by check date (${this.profile.vendor}); a proxy for W-2 box 1, not the W-2 itself` },
        };
        if (a.title) e.title = a.title;
        const top = [...a.byState].sort((x, y) => y[1] - x[1] || cmpStr(x[0], y[0]))[0];
        if (top) e.homeLocation = { country: 'US', state: top[0] };
        return e;
      });
    if (employees.length) this.ctx.note('info', `wages are register sums by check date (${[...this.years.keys()].join(', ')}), not W-2 box 1; officer status is not in a register and is set to false - review`);
    return { employees };
  }
}

interface W2Acc {
  id: string;
  name: string;
  box1ByEin: Map<string, { amount: Cents; row: number }>;
  state: Map<string, number>;
  work?: Location;
  firstRow: number;
}

export class W2Processor {
  private readonly f: Fields;
  private readonly acc = new Map<string, W2Acc>();
  private readonly years = new Set<string>();

  constructor(
    private readonly ctx: ImportContext,
    profile: Profile,
    private readonly cols: Record<string, number>,
    headers: string[],
    private readonly year: number | undefined,
  ) {
    this.f = new Fields(cols, headers, profile);
  }

  missing(): string[] {
    return ['employee_id', 'box1_wages'].filter((k) => this.cols[k] === undefined);
  }

  row(r: Row): void {
    const f = this.f.reset(r);
    this.ctx.rowsRead++;
    const id = f.required('employee_id', 'an employee identifier');
    const ty = f.text('tax_year');
    if (ty !== '' && !/^\d{4}$/.test(ty)) f.problems.push({ column: f.col('tax_year'), value: ty, expected: 'a four-digit tax year' });
    const box1 = f.money('box1_wages');
    const state = f.text('state');
    const sl = state === '' ? undefined : parseLocation(state);
    if (sl && 'bad' in sl) f.problems.push({ column: f.col('state'), value: state, expected: sl.expected });
    const sw = f.money('box16_state_wages', false);
    if (sw !== undefined && state === '') f.problems.push({ column: f.col('state'), value: '', expected: 'the state (box 15) of the box 16 wages' });
    const work = checkLocation(f, 'work_state_primary');
    const ein = f.text('employer_ein');
    const prior = box1 !== undefined ? this.acc.get(id)?.box1ByEin.get(ein) : undefined;
    if (prior && prior.amount !== box1) f.problems.push({ column: f.col('box1_wages'), value: f.text('box1_wages'), expected: `the same box 1 as row ${prior.row} for this employee and EIN (${prior.amount / 100})` });
    if (f.problems.length) return this.ctx.rowErrors(r.line, f.problems);
    if (this.year !== undefined && ty !== '' && +ty !== this.year) {
      this.ctx.rowsExcluded++;
      return;
    }
    if (ty) this.years.add(ty);
    let a = this.acc.get(id);
    if (!a) {
      a = { id, name: f.text('employee_name') || id, box1ByEin: new Map(), state: new Map(), firstRow: r.line };
      this.acc.set(id, a);
    }
    if (!a.box1ByEin.has(ein)) a.box1ByEin.set(ein, { amount: box1!, row: r.line });
    if (sl && !('bad' in sl) && sl.state && sw !== undefined) a.state.set(sl.state, (a.state.get(sl.state) ?? 0) + sw);
    if (work && !a.work) a.work = work;
    this.ctx.rowsUsed++;
  }

  finish(src: { file: string; sha256: string }): Partial<ImportedRecords> {
    if (this.years.size > 1) this.ctx.note('error', `the W-2 file covers tax years ${[...this.years].sort().join(', ')}; import one year at a time (option year)`, { expected: 'one tax year' });
    const employees = [...this.acc.values()]
      .sort((x, y) => cmpStr(x.id, y.id))
      .map((a) => {
        const box1 = [...a.box1ByEin.values()].reduce((s, v) => s + v.amount, 0);
        const e: Employee = { id: a.id, name: a.name, officer: false, wagesBox1: cents(box1), source: { file: src.file, sha256: src.sha256, row: a.firstRow, note: 'W-2 template' } };
        if (a.state.size) e.stateWages = Object.fromEntries([...a.state].sort((x, y) => cmpStr(x[0], y[0])).map(([k, v]) => [k, cents(v)]));
        if (a.work) e.homeLocation = a.work;
        if (a.box1ByEin.size > 1) this.ctx.note('warning', `employee ${a.id} has W-2s from ${a.box1ByEin.size} EINs; box 1 amounts were added`, { row: a.firstRow, value: a.id, expected: 'one W-2 per employee' });
        const stateSum = [...a.state.values()].reduce((s, v) => s + v, 0);
        if (stateSum > box1) this.ctx.note('warning', `employee ${a.id}: state wage lines (${stateSum / 100}) exceed box 1 (${box1 / 100}); apportion box 1 by work location, do not sum state lines`, { row: a.firstRow, value: a.id, expected: 'state lines ≤ box 1' });
        return e;
      });
    return { employees };
  }
}
