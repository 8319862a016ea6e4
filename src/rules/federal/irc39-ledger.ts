/**
 * §39 — the research credit ledger by vintage (federal.md §8.3). Each year's room (from
 * `section38Limit`) is spent on carryforwards oldest first, then on the year's own credit; any unused
 * current credit is carried back 1 tax year (to the room left there) and then forward 20 tax years.
 * A vintage not used by the end of its 20th following tax year expires. Counting is by tax years in
 * the ledger, not calendar years (short years count as years).
 */
import { explainer, type Explainer, type Val } from '../../explain/index.js';
import type { Law } from '../../law/law.js';
import { formatCents, min, sub, sum, ZERO, type Cents } from '../../money/index.js';
import { periodLabel, yearBegun, type TaxPeriod } from '../../periods/tax-period.js';
import { cite } from './citations.js';

export const RULE_39 = 'us.federal.irc39.ledger';

export interface LedgerYear {
  period: TaxPeriod;
  /** Research credit generated in the year (Form 6765 line 28/30 after any payroll portion). */
  generated: Cents | undefined;
  /** Research credit the year can absorb (`section38Limit(...).researchRoom`). */
  room: Cents | undefined;
}

export interface OpeningVintage {
  /** The tax year that generated the credit. */
  vintage: TaxPeriod;
  /** Unused amount at the start of the first ledger year. */
  amount: Cents;
  /** Tax years between the vintage and the first ledger year (1 = the year just before); default: difference of the years begun. */
  age?: number;
}

export interface Section39Input {
  /** Consecutive tax years, in order. */
  years: LedgerYear[];
  /** Carryforwards into the first year. */
  opening?: OpeningVintage[];
  /** Room left in the tax year before the first ledger year, for a carryback from the first year. */
  priorYearRoom?: Cents;
}

export type UseKind = 'carryforward' | 'current' | 'carryback';

export interface VintageUse {
  vintage: string;
  kind: UseKind;
  amount: Cents;
}

export interface LedgerYearResult {
  period: string;
  room: Cents;
  used: VintageUse[];
  expired: { vintage: string; amount: Cents }[];
  roomLeft: Cents;
}

export interface Section39Result {
  years: LedgerYearResult[];
  /** Carryback to the year before the first ledger year. */
  carrybackToPriorYear: Cents;
  /** Unused vintages after the last year, with the last ledger-relative year they may be used. */
  closing: { vintage: string; amount: Cents; usableThrough: string }[];
}

interface Vintage {
  label: string;
  start: TaxPeriod;
  index: number; // ledger index of the generating year (negative for opening)
  carried: Cents; // amount that entered carryforward
  remaining: Cents;
  lastIndex: number;
}

export function section39Ledger(law: Law, input: Section39Input): Val<Section39Result> {
  const ex = explainer(RULE_39, 'Research credit carryback and carryforward by vintage (§39)', [cite.USC('39', '(a)'), cite.USC('38', '(d)')]);
  if (input.years.length === 0) return ex.na('no tax years given');
  const missing: string[] = [];
  input.years.forEach((y) => {
    if (y.generated === undefined) missing.push(`credit.${periodLabel(y.period)}.generated`);
    if (y.room === undefined) missing.push(`credit.${periodLabel(y.period)}.room`);
  });
  if (missing.length) return ex.unknown(missing);

  const first = input.years[0]!.period;
  const vintages: Vintage[] = [];
  for (const o of input.opening ?? []) {
    const v = law.for(o.vintage);
    const cf = v.count(ex, 'us.federal.irc39.carryforward_years');
    const age = o.age ?? yearBegun(first) - yearBegun(o.vintage);
    vintages.push({ label: periodLabel(o.vintage), start: o.vintage, index: -age, carried: o.amount, remaining: o.amount, lastIndex: -age + cf });
  }
  const results: LedgerYearResult[] = [];
  const roomLeft: Cents[] = input.years.map((y) => y.room!);
  let carrybackToPrior = ZERO;
  let priorRoom = input.priorYearRoom;
  const vex = new Map<string, Explainer>();
  const vexFor = (v: Vintage): Explainer => {
    let e = vex.get(v.label);
    if (!e) {
      e = explainer(`${RULE_39}.vintage`, `Research credit of ${v.label}`, [cite.USC('39', '(a)')]);
      vex.set(v.label, e);
    }
    return e;
  };
  const note = (v: Vintage, year: string, kind: UseKind, amt: Cents) => {
    vexFor(v).note(`${formatCents(amt)} used in ${year} as ${kind}; ${formatCents(v.remaining)} left${kind !== 'carryback' ? `; usable through ledger year ${v.lastIndex < input.years.length ? periodLabel(input.years[Math.max(0, v.lastIndex)]!.period) : `${v.lastIndex - v.index} tax years after ${v.label}`}` : ''}`);
  };

  input.years.forEach((y, i) => {
    const label = periodLabel(y.period);
    const r: LedgerYearResult = { period: label, room: y.room!, used: [], expired: [], roomLeft: ZERO };
    results.push(r);
    // expiry
    for (const v of vintages) {
      if (v.remaining > 0 && v.lastIndex < i) {
        r.expired.push({ vintage: v.label, amount: v.remaining });
        vexFor(v).note(`${formatCents(v.remaining)} expired unused before ${label} (§39(a)(1)(B))`);
        v.remaining = ZERO;
      }
    }
    // carryforwards, oldest first
    for (const v of [...vintages].sort((a, b) => a.index - b.index)) {
      if (v.remaining <= 0 || roomLeft[i]! <= 0) continue;
      const t = min(v.remaining, roomLeft[i]!);
      v.remaining = sub(v.remaining, t);
      roomLeft[i] = sub(roomLeft[i]!, t);
      r.used.push({ vintage: v.label, kind: 'carryforward', amount: t });
      note(v, label, 'carryforward', t);
    }
    // the year's own credit
    const yv = law.for(y.period);
    const cb = yv.count(ex, 'us.federal.irc39.carryback_years');
    const cf = yv.count(ex, 'us.federal.irc39.carryforward_years');
    const gen = y.generated!;
    const cur = min(gen, roomLeft[i]!);
    roomLeft[i] = sub(roomLeft[i]!, cur);
    if (cur > 0) r.used.push({ vintage: label, kind: 'current', amount: cur });
    let unused = sub(gen, cur);
    const self: Vintage = { label, start: y.period, index: i, carried: ZERO, remaining: unused, lastIndex: i + cf };
    // carryback: earliest year first
    for (let k = cb; k >= 1 && unused > 0; k--) {
      const j = i - k;
      if (j >= 0) {
        const t = min(unused, roomLeft[j]!);
        if (t > 0) {
          roomLeft[j] = sub(roomLeft[j]!, t);
          results[j]!.used.push({ vintage: label, kind: 'carryback', amount: t });
          results[j]!.roomLeft = roomLeft[j]!;
          unused = sub(unused, t);
          self.remaining = unused;
          note(self, results[j]!.period, 'carryback', t);
        }
      } else if (j === -1) {
        if (priorRoom === undefined) {
          missing.push('credit.priorYearRoom');
          continue;
        }
        const t = min(unused, priorRoom);
        priorRoom = sub(priorRoom, t);
        carrybackToPrior = sum([carrybackToPrior, t]);
        unused = sub(unused, t);
        self.remaining = unused;
        if (t > 0) note(self, 'the preceding tax year', 'carryback', t);
      } else missing.push(`credit.room.${k}_years_before_first`);
    }
    self.carried = unused;
    if (unused > 0) vintages.push(self);
    r.roomLeft = roomLeft[i]!;
  });
  if (missing.length) return ex.unknown(missing);
  for (const e of vex.values()) ex.child(e.build('see notes'));
  const closing = vintages
    .filter((v) => v.remaining > 0)
    .map((v) => ({ vintage: v.label, amount: v.remaining, usableThrough: v.lastIndex < input.years.length ? periodLabel(input.years[v.lastIndex]!.period) : `${v.lastIndex - v.index} tax years after ${v.label}` }));
  ex.formula('each year: carryforwards oldest first, then the current credit; unused current credit back 1 year, then forward 20');
  return ex.known({ years: results, carrybackToPriorYear: carrybackToPrior, closing }, `${formatCents(sum(closing.map((c) => c.amount)))} carried forward at the end`);
}
