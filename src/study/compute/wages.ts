/**
 * Qualified wages of every employee from the study's time records, and their spread over
 * business components, activities and work locations.
 *
 * Method (written into the explanation and the report):
 *  - An employee's services are measured in hours from the time records for the tax year.
 *  - Qualified services = hours of direct research, direct supervision or direct support on a
 *    business component that qualifies (§41(b)(2)(B)); hours on components that do not qualify and
 *    non-qualified hours are not qualified services.
 *  - The 80% rule (Reg. §1.41-2(d)(2)) is applied per employee by `qualifiedWages`.
 *  - The employee's qualified wages are spread over their qualified hours by component × activity ×
 *    location, pro rata to hours, in exact cents (the default reading for Form 6765 Section G,
 *    federal.md §11; an option may change it once the instructions are confirmed).
 *  - Hours on a component whose qualification `needs_information` make that employee's qualified
 *    wages unknown (listed as missing), never zero.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { add, cents, ZERO, type Cents } from '../../money/cents.js';
import { qualifiedWages, type EmployeeWagesResult } from '../../rules/federal/qre-wages.js';
import type { Activity, BusinessComponent, Employee, Location, Study, TimeRecord } from '../model.js';
import { allocateByWeights } from './allocate.js';

export interface WagePiece {
  employeeId: string;
  componentId: string;
  activity: Exclude<Activity, 'non_qualified'>;
  /** "US-ID", "IN", or "unknown". */
  location: string;
  hours: number;
  wages: Cents;
}

export interface EmployeeQualifiedWages {
  employee: Employee;
  result: Val<EmployeeWagesResult>;
  pieces: WagePiece[];
  totalHours: number;
  qualifiedHours: number;
}

export function locationKey(l: Location | undefined): string {
  if (!l) return 'unknown';
  return l.country === 'US' ? `US-${l.state ?? '?'}` : l.country;
}

/** §3401(a) wages: W-2 box 1 plus the recorded adjustments; undefined when box 1 is unknown. */
export function section3401Wages(e: Employee): Cents | undefined {
  if (e.wagesBox1 === undefined) return undefined;
  return add(e.wagesBox1, ...(e.wageAdjustments ?? []).map((a) => a.amount));
}

/** U.S. possessions that count as the United States for §41(d)(4)(F) (research conducted outside the U.S., Puerto Rico or a possession is excluded). */
const POSSESSIONS = new Set(['US', 'PR', 'GU', 'VI', 'AS', 'MP']);

/** False when the work was done outside the United States and its possessions; true when inside or not known. */
export function notForeign(l: Location | undefined): boolean {
  return l === undefined || POSSESSIONS.has(l.country);
}

const QUALIFIED: ReadonlySet<Activity> = new Set(['direct_research', 'direct_supervision', 'direct_support']);

export function computeEmployeeWages(view: LawView, study: Study): EmployeeQualifiedWages[] {
  const comps = new Map<string, BusinessComponent>(study.components.map((c) => [c.id, c]));
  const byEmp = new Map<string, TimeRecord[]>();
  for (const t of study.time) {
    const list = byEmp.get(t.employeeId);
    if (list) list.push(t);
    else byEmp.set(t.employeeId, [t]);
  }
  return study.employees.map((e) => {
    const recs = byEmp.get(e.id) ?? [];
    let total = 0;
    let qualified = 0;
    const pending = new Set<string>();
    const weights = new Map<string, { piece: Omit<WagePiece, 'wages'> }>();
    for (const r of recs) {
      total += r.hours;
      if (!QUALIFIED.has(r.activity) || r.componentId === undefined) continue;
      // §41(d)(4)(F): hours of research done abroad count in the total, never in qualified services
      if (!notForeign(r.location)) continue;
      const c = comps.get(r.componentId);
      if (!c || c.qualification === 'does_not_qualify') continue;
      if (c.qualification === 'needs_information') {
        pending.add(c.id);
        continue;
      }
      qualified += r.hours;
      const loc = locationKey(r.location);
      const key = `${c.id}\u0000${r.activity}\u0000${loc}`;
      const w = weights.get(key);
      if (w) w.piece.hours += r.hours;
      else weights.set(key, { piece: { employeeId: e.id, componentId: c.id, activity: r.activity as WagePiece['activity'], location: loc, hours: r.hours } });
    }
    const wages = section3401Wages(e);
    let result: Val<EmployeeWagesResult>;
    if (pending.size) {
      const ex = explainer('us.federal.irc41.qre.wages', `Qualified wages of ${e.name}`, []);
      ex.note('Time is recorded on business components whose qualification is not yet decided.');
      result = ex.unknown([...pending].map((id) => `components.${id}.qualification`));
    } else if (recs.length === 0) {
      const ex = explainer('us.federal.irc41.qre.wages', `Qualified wages of ${e.name}`, []);
      ex.note('No time records for this employee: no wages are claimed.');
      result = ex.known({ qualifiedShare: { num: 0n, den: 1n }, substantiallyAll: false, qualifiedWages: ZERO }, '$0.00');
    } else {
      result = qualifiedWages(view, {
        employeeId: e.name,
        wages,
        ...(e.wotcWages !== undefined ? { wotcWages: e.wotcWages } : {}),
        qualifiedMeasure: qualified,
        totalMeasure: total,
      });
      result.why.inputs.push({ name: 'time records', value: `${recs.length} rows, ${round2(total)} h of which ${round2(qualified)} h qualified services`, source: 'time.csv' });
    }
    const pieces: WagePiece[] = [];
    if (result.kind === 'known' && result.value.qualifiedWages !== 0) {
      const entries = [...weights.entries()];
      const alloc = allocateByWeights(result.value.qualifiedWages, entries.map(([k, w]) => [k, w.piece.hours] as const));
      for (const [k, w] of entries) pieces.push({ ...w.piece, wages: alloc.get(k) ?? ZERO });
    }
    return { employee: e, result, pieces, totalHours: total, qualifiedHours: qualified };
  });
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Total of known employee amounts; unknown if any employee is unknown. */
export function totalQualifiedWages(list: EmployeeQualifiedWages[]): Val<Cents> {
  const ex = explainer('study.qre.wages_total', 'Total qualified wages (all business components)', [
    { title: '26 U.S.C. § 41(b)(2)(D)', href: 'https://www.law.cornell.edu/uscode/text/26/41' },
  ]);
  const missing: string[] = [];
  let t = ZERO;
  for (const l of list) {
    if (l.result.kind === 'unknown') missing.push(...l.result.missing);
    else if (l.result.kind === 'known') {
      if (l.result.value.qualifiedWages !== 0) ex.child(l.result);
      t = add(t, l.result.value.qualifiedWages);
    }
  }
  if (missing.length) return ex.unknown(missing);
  ex.formula('sum of each employee’s qualified wages');
  return ex.known(t);
}

export function sumPieces(pieces: Iterable<WagePiece>, pred: (p: WagePiece) => boolean = () => true): Cents {
  let t: Cents = cents(0);
  for (const p of pieces) if (pred(p)) t = add(t, p.wages);
  return t;
}

