/**
 * Spreading one employee's qualified wages over Form 6765 Section G lines 50–52 and business
 * components — federal.md §11 Section G, "80 % wage rule in Section G: UNVERIFIED".
 *
 * Qualified services are hours of direct research (line 50), direct supervision (51) or direct
 * support (52) recorded on a business component; all other hours (non-qualified, or on no
 * component) count only in the employee's total. The employee's qualified wages come from the
 * 80% rule (`qualifiedWages`, Reg. §1.41-2(d)(2)). They are split into
 *  - the time-based part: wages × qualified share (rounded to the cent), and
 *  - the uplift: the rest, which exists only when all wages qualify under the 80% rule.
 * Option `us.forms.f6765.section_g.wage_uplift_spread`:
 *  - `primary_role` (default, the spec's design): the time-based part is spread over
 *    component × activity pro rata to hours; the uplift is spread over components pro rata to
 *    the employee's qualified hours on each, all on the line of the employee's primary role
 *    (given, or else the activity with the most qualified hours; ties research, then supervision,
 *    then support);
 *  - `activity_pro_rata`: all qualified wages are spread over component × activity pro rata to hours.
 * Every split is exact in cents (largest remainder, ties to the lower key), so the cells add up to
 * the employee's qualified wages.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { applyRate, cents, formatCents, nonNegative, sub, ZERO, type Cents } from '../../money/index.js';
import { cite } from './citations.js';
import { largestRemainder } from './irc41f-allocate.js';
import { qualifiedWages } from './qre-wages.js';

export const RULE_SECTION_G_WAGES = 'us.forms.f6765.section_g.wages';

export type QualifiedActivity = 'direct_research' | 'direct_supervision' | 'direct_support';
export type SectionGWageLine = 'line50' | 'line51' | 'line52';

const LINE: Record<QualifiedActivity, SectionGWageLine> = { direct_research: 'line50', direct_supervision: 'line51', direct_support: 'line52' };
const ORDER: QualifiedActivity[] = ['direct_research', 'direct_supervision', 'direct_support'];

export interface EmployeeTimeCell {
  componentId: string | undefined;
  activity: QualifiedActivity | 'non_qualified';
  hours: number;
}

export interface EmployeeSectionGInput {
  employeeId: string;
  /** §3401(a) wages; undefined = unknown. */
  wages: Cents | undefined;
  wotcWages?: Cents;
  time: EmployeeTimeCell[];
  /** The employee's primary role; default: the activity with the most qualified hours. */
  primaryActivity?: QualifiedActivity;
}

export interface SectionGWageCell {
  componentId: string;
  line: SectionGWageLine;
  wages: Cents;
}

export interface EmployeeSectionGWages {
  qualifiedWages: Cents;
  timeBased: Cents;
  uplift: Cents;
  primaryActivity: QualifiedActivity | undefined;
  cells: SectionGWageCell[];
}

const scale = (h: number): bigint => BigInt(Math.round(h * 1e6));

/** One employee's qualified wages by component and Section G wage line. */
export function spreadEmployeeWages(view: LawView, input: EmployeeSectionGInput): Val<EmployeeSectionGWages> {
  const ex = explainer(RULE_SECTION_G_WAGES, `Section G wage lines for ${input.employeeId}`, [
    cite.REG('1.41-2', '(d)(2)'),
    cite.form('Form 6765 (Rev. December 2024), lines 50–53'),
  ]);
  const cellHours = new Map<string, { componentId: string; activity: QualifiedActivity; hours: number }>();
  const compHours = new Map<string, number>();
  const actHours = new Map<QualifiedActivity, number>();
  let total = 0;
  let qualified = 0;
  for (const t of input.time) {
    if (!(t.hours >= 0)) throw new RangeError(`negative or invalid hours for ${input.employeeId}`);
    total += t.hours;
    if (t.activity === 'non_qualified' || t.componentId === undefined) continue;
    qualified += t.hours;
    const k = `${t.componentId}\u0000${t.activity}`;
    const c = cellHours.get(k);
    if (c) c.hours += t.hours;
    else cellHours.set(k, { componentId: t.componentId, activity: t.activity, hours: t.hours });
    compHours.set(t.componentId, (compHours.get(t.componentId) ?? 0) + t.hours);
    actHours.set(t.activity, (actHours.get(t.activity) ?? 0) + t.hours);
  }
  const qw = ex.child(
    qualifiedWages(view, {
      employeeId: input.employeeId,
      wages: input.wages,
      ...(input.wotcWages !== undefined ? { wotcWages: input.wotcWages } : {}),
      qualifiedMeasure: input.time.length ? qualified : undefined,
      totalMeasure: input.time.length ? total : undefined,
    }),
  );
  if (qw.kind !== 'known') return qw.kind === 'unknown' ? ex.unknown(qw.missing) : ex.na(qw.reason);
  const QW = qw.value.qualifiedWages;
  const netWages = nonNegative(sub(input.wages!, input.wotcWages ?? ZERO));
  const timeBased = qw.value.substantiallyAll ? applyRate(netWages, qw.value.qualifiedShare) : QW;
  const uplift = sub(QW, timeBased);
  let primary = input.primaryActivity;
  if (!primary) {
    let best = -1;
    for (const a of ORDER) {
      const h = actHours.get(a) ?? 0;
      if (h > best && h > 0) {
        best = h;
        primary = a;
      }
    }
  }
  const how = view.option(ex, 'us.forms.f6765.section_g.wage_uplift_spread');
  const out = new Map<string, SectionGWageCell>();
  const put = (componentId: string, line: SectionGWageLine, w: Cents) => {
    const k = `${componentId}\u0000${line}`;
    const c = out.get(k);
    if (c) c.wages = cents(c.wages + w);
    else out.set(k, { componentId, line, wages: w });
  };
  const cellWeights = [...cellHours.entries()].map(([k, c]) => [k, scale(c.hours)] as const);
  if (how === 'activity_pro_rata' || uplift === 0) {
    const split = largestRemainder(QW, cellWeights);
    for (const [k, c] of cellHours) put(c.componentId, LINE[c.activity], split.get(k)!);
    ex.formula('qualified wages spread over component × activity pro rata to qualified hours');
  } else {
    const base = largestRemainder(timeBased, cellWeights);
    for (const [k, c] of cellHours) put(c.componentId, LINE[c.activity], base.get(k)!);
    const up = largestRemainder(
      uplift,
      [...compHours.entries()].map(([id, h]) => [id, scale(h)] as const),
    );
    for (const [id] of compHours) put(id, LINE[primary!], up.get(id)!);
    ex.formula(`time-based wages pro rata to hours by component × activity; 80%-rule uplift ${formatCents(uplift)} pro rata to qualified hours by component, on the primary-role line (${LINE[primary!]})`);
  }
  const cells = [...out.values()].filter((c) => c.wages !== 0).sort((a, b) => (a.componentId < b.componentId ? -1 : a.componentId > b.componentId ? 1 : a.line < b.line ? -1 : 1));
  ex.input('qualified wages', QW).input('time-based part', timeBased).input('80%-rule uplift', uplift);
  return ex.known({ qualifiedWages: QW, timeBased, uplift, primaryActivity: primary, cells }, formatCents(QW));
}

/** Sums employees' wage cells into Section G lines 50–52 by component. */
export function wageColumnsByComponent(cells: Iterable<SectionGWageCell>): Map<string, Record<SectionGWageLine, Cents>> {
  const m = new Map<string, Record<SectionGWageLine, Cents>>();
  for (const c of cells) {
    const r = m.get(c.componentId) ?? { line50: ZERO, line51: ZERO, line52: ZERO };
    r[c.line] = cents(r[c.line] + c.wages);
    m.set(c.componentId, r);
  }
  return m;
}
