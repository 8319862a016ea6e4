/**
 * Acquisitions and dispositions of the major portion of a trade or business (or of a separate
 * unit) — §41(f)(3); federal.md §7.2, TC-12.
 *
 * For a credit year ending after the transfer, the taxpayer's QREs and gross receipts of the
 * measurement-period years (every earlier year used for the credit: fixed-base years, the
 * gross-receipts window, the ASC 3-year window) are adjusted by the predecessor's amounts for the
 * transferred business:
 *  - acquirer: increased (§41(f)(3)(A)); disposer: decreased by the same amounts, if it furnished
 *    the acquirer the information needed (§41(f)(3)(B));
 *  - in the credit year that contains the transfer date, each amount is prorated by
 *    days from the transfer date (inclusive) to the end of the credit year ÷ days in the credit year
 *    (TC-12: 2025-10-02 → 91/365); in later credit years the amounts count in full;
 *  - when the predecessor's years do not line up with the taxpayer's, a predecessor year's amount
 *    is spread equally over its days before the transfer date and each taxpayer year takes the days
 *    that fall in it (federal.md §7.2 "allocate equally by day");
 *  - reimbursement rule (§41(f)(3)(C)): if in one of the 3 tax years after the disposition year the
 *    disposer reimburses the acquirer for research on its behalf, the disposer's QREs for its
 *    fixed-base years are increased by the lesser of the decrease allocable to those years or
 *    (number of those years × the reimbursement). The increase is spread over the fixed-base years
 *    in proportion to each year's decrease (largest remainder, exact in cents) and reported in
 *    `qreForFixedBase` only (it enters the fixed-base percentage, not the ASC base).
 * Every proration is one exact rational rounded once to the cent, per transfer and year.
 */
import { explainer, type Explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { addRate, cents, divRoundHalfUp, formatCents, mulRate, ratio, RATE_ZERO, type Cents, type Rate } from '../../money/index.js';
import { addDays, daysBetween, isoDate, shiftYears, taxPeriod, type IsoDate, type TaxPeriod } from '../../periods/index.js';
import { cite } from './citations.js';
import { largestRemainder } from './irc41f-allocate.js';

export const RULE_TRANSFERS = 'us.federal.irc41f.acquisitions';

export interface PeriodSpan {
  start: string;
  end: string;
}

/** One year of the taxpayer's own history (a measurement-period year before the credit year). */
export interface HistoryYear {
  period: PeriodSpan;
  qre: Cents | undefined;
  grossReceipts: Cents | undefined;
  /** The year is one of the fixed-base-percentage years (for the §41(f)(3)(C) reimbursement rule). */
  fixedBaseYear?: boolean;
}

/** Amounts of the transferred business for one of the predecessor's (or the disposer's) years, before the transfer date. */
export interface BusinessYear {
  period: PeriodSpan;
  qre: Cents | undefined;
  grossReceipts: Cents | undefined;
}

export interface BusinessTransfer {
  id: string;
  kind: 'acquisition' | 'disposition';
  /** Date the business changed hands. */
  date: string;
  counterparty: string;
  businessYears: BusinessYear[];
  /** Disposition only: the taxpayer furnished the acquirer the information §41(f)(3)(A) needs. */
  informationFurnished?: boolean;
  /** Disposition only: reimbursement paid in the credit year to the acquirer for research on the taxpayer's behalf. */
  reimbursementInCreditYear?: Cents;
}

export interface TransferAdjustment {
  transferId: string;
  kind: 'acquisition' | 'disposition';
  /** Signed: + for an acquisition, − for a disposition. */
  qre: Cents;
  grossReceipts: Cents;
  /** §41(f)(3)(C) increase to this fixed-base year (dispositions only). */
  reimbursementIncrease?: Cents;
}

export interface AdjustedYear {
  period: TaxPeriod;
  qre: Val<Cents>;
  /** QREs for the fixed-base percentage: `qre` plus any §41(f)(3)(C) reimbursement increase. */
  qreForFixedBase: Val<Cents>;
  grossReceipts: Val<Cents>;
  adjustments: TransferAdjustment[];
}

function overlapDays(a: TaxPeriod, bStart: IsoDate, bEnd: IsoDate): number {
  const s = a.start > bStart ? a.start : bStart;
  const e = a.end < bEnd ? a.end : bEnd;
  return e < s ? 0 : daysBetween(s, e) + 1;
}

function roundRate(r: Rate): Cents {
  return cents(divRoundHalfUp(r.num, r.den));
}

/** Factor applied in the credit year: 0 if the credit year does not end after the transfer, the day fraction in the transfer year, else 1. */
export function transferYearFactor(credit: TaxPeriod, date: IsoDate): { factor: Rate; days?: number; yearDays?: number } {
  if (credit.end <= date) return { factor: RATE_ZERO };
  if (date < credit.start) return { factor: ratio(1) };
  const days = daysBetween(date, credit.end) + 1;
  const yearDays = daysBetween(credit.start, credit.end) + 1;
  return { factor: ratio(days, yearDays), days, yearDays };
}

/** The business amounts attributable to taxpayer year `t`, as an exact rational (before the credit-year factor); or the missing paths. */
function attributable(t: TaxPeriod, x: BusinessTransfer, pick: 'qre' | 'grossReceipts'): Rate | string[] {
  const dayBefore = addDays(isoDate(x.date), -1);
  let r: Rate = RATE_ZERO;
  const missing: string[] = [];
  for (const [i, b] of x.businessYears.entries()) {
    const bs = isoDate(b.period.start);
    const be0 = isoDate(b.period.end);
    const be = be0 < dayBefore ? be0 : dayBefore;
    if (be < bs) continue; // wholly after the transfer
    const ov = overlapDays(t, bs, be);
    if (ov === 0) continue;
    const a = b[pick];
    if (a === undefined) {
      missing.push(`transfers.${x.id}.businessYears.${i}.${pick}`);
      continue;
    }
    r = addRate(r, ratio(BigInt(a) * BigInt(ov), BigInt(daysBetween(bs, be) + 1)));
  }
  return missing.length ? missing : r;
}

export interface TransferInput {
  creditPeriod: TaxPeriod;
  history: HistoryYear[];
  transfers: BusinessTransfer[];
}

/**
 * The taxpayer's measurement-period history adjusted for acquisitions and dispositions, each
 * year with its adjustments explained. History years must end before the credit year begins.
 */
export function adjustHistoryForTransfers(view: LawView, input: TransferInput): AdjustedYear[] {
  const credit = input.creditPeriod;
  const cites = [cite.USC('41', '(f)(3)(A)'), cite.USC('41', '(f)(3)(B)'), cite.USC('41', '(f)(3)(C)'), cite.REG('1.41-6T')];
  const years = input.history.map((h) => {
    const p = taxPeriod(h.period.start, h.period.end);
    if (p.end >= credit.start) throw new RangeError(`history year ${p.start}..${p.end} does not end before the credit year ${credit.start}`);
    return p;
  });

  // Per transfer, per year: signed adjustment amounts or missing paths.
  type Cell = { qre: Cents | string[]; gr: Cents | string[] };
  const cells = new Map<string, Cell[]>();
  const transferNotes = new Map<string, string[]>();
  for (const x of input.transfers) {
    const date = isoDate(x.date);
    const notes: string[] = [];
    transferNotes.set(x.id, notes);
    const { factor, days, yearDays } = transferYearFactor(credit, date);
    const sign = x.kind === 'acquisition' ? 1n : -1n;
    const row: Cell[] = [];
    let skip: string | string[] | undefined;
    if (factor.num === 0n) skip = `${x.kind} on ${x.date}: the credit year does not end after it, no adjustment`;
    else if (x.kind === 'disposition' && x.informationFurnished === undefined) skip = [`transfers.${x.id}.informationFurnished`];
    else if (x.kind === 'disposition' && !x.informationFurnished) skip = `disposition ${x.id}: the information was not furnished to the acquirer, so §41(f)(3)(B) does not reduce the history`;
    if (skip !== undefined) {
      if (typeof skip === 'string') notes.push(skip);
      for (const _ of years) row.push(typeof skip === 'string' ? { qre: cents(0), gr: cents(0) } : { qre: skip, gr: skip });
      cells.set(x.id, row);
      continue;
    }
    notes.push(
      days !== undefined
        ? `${x.kind} ${x.id} (${x.counterparty}) on ${x.date} in the credit year: amounts × ${days}/${yearDays} (days from the transfer date to year end ÷ days in the year)`
        : `${x.kind} ${x.id} (${x.counterparty}) on ${x.date}, before the credit year: amounts count in full`,
    );
    for (const t of years) {
      const one = (pick: 'qre' | 'grossReceipts'): Cents | string[] => {
        const a = attributable(t, x, pick);
        if (Array.isArray(a)) return a;
        return cents(BigInt(roundRate(mulRate(a, factor))) * sign);
      };
      row.push({ qre: one('qre'), gr: one('grossReceipts') });
    }
    cells.set(x.id, row);
  }

  // §41(f)(3)(C) reimbursement increases, by transfer and year index.
  const reimb = new Map<string, Map<number, Cents>>();
  const window = view.count(null, 'us.federal.irc41f.reimbursement_window_years');
  for (const x of input.transfers) {
    if (x.kind !== 'disposition' || !x.reimbursementInCreditYear || x.reimbursementInCreditYear <= 0) continue;
    const date = isoDate(x.date);
    let n = -1;
    for (let k = 0; k <= window; k++) {
      const p = shiftYears(credit, k);
      if (p.start <= date && date <= p.end) n = k;
    }
    const notes = transferNotes.get(x.id)!;
    if (n < 1) {
      notes.push(`reimbursement of ${formatCents(x.reimbursementInCreditYear)}: the credit year is not within ${window} tax years after the disposition year; §41(f)(3)(C) does not apply`);
      continue;
    }
    const row = cells.get(x.id)!;
    const fb = years.map((_, i) => i).filter((i) => input.history[i]!.fixedBaseYear);
    if (fb.some((i) => Array.isArray(row[i]!.qre))) continue; // unknown already recorded on those years
    const decreases = fb.map((i) => [String(i), BigInt(-(row[i]!.qre as Cents))] as const);
    const totalDecrease = decreases.reduce((t, [, d]) => t + d, 0n);
    const cap = BigInt(fb.length) * BigInt(x.reimbursementInCreditYear);
    const inc = cents(totalDecrease < cap ? totalDecrease : cap);
    notes.push(
      `§41(f)(3)(C): reimbursement ${formatCents(x.reimbursementInCreditYear)} in year ${n} after the disposition; fixed-base QREs increased by the lesser of the decrease allocable to the ${fb.length} fixed-base years (${formatCents(cents(totalDecrease))}) and ${fb.length} × the reimbursement (${formatCents(cents(cap))}) = ${formatCents(inc)}, spread in proportion to each year's decrease`,
    );
    const split = largestRemainder(inc, decreases);
    reimb.set(x.id, new Map(fb.map((i) => [i, split.get(String(i))!])));
  }

  return years.map((p, i) => {
    const h = input.history[i]!;
    const label = `${p.start}..${p.end}`;
    const mk = (what: string): Explainer => {
      const e = explainer(RULE_TRANSFERS, `${what} for ${label} adjusted for acquisitions and dispositions`, cites);
      for (const x of input.transfers) for (const n of transferNotes.get(x.id)!) e.note(n);
      return e;
    };
    const adjustments: TransferAdjustment[] = [];
    const build = (what: string, own: Cents | undefined, path: string, pick: (c: Cell) => Cents | string[], extra?: (x: BusinessTransfer) => Cents | undefined): Val<Cents> => {
      const e = mk(what);
      const missing: string[] = [];
      if (own === undefined) missing.push(`history.${label}.${path}`);
      else e.input(`${what} as reported`, own);
      let t = BigInt(own ?? 0);
      for (const x of input.transfers) {
        const c = pick(cells.get(x.id)![i]!);
        if (Array.isArray(c)) {
          missing.push(...c);
          continue;
        }
        if (c !== 0) e.input(`${x.kind} ${x.id} (${x.counterparty})`, c);
        t += BigInt(c);
        const more = extra?.(x);
        if (more) {
          e.input(`§41(f)(3)(C) reimbursement increase (${x.id})`, more);
          t += BigInt(more);
        }
      }
      if (missing.length) return e.unknown(missing);
      if (t < 0n) return e.unknown([`history.${label}.${path}: the disposed business's amounts exceed the amount reported`]);
      e.formula('reported amount + acquired business − disposed business');
      return e.known(cents(t));
    };
    for (const x of input.transfers) {
      const c = cells.get(x.id)![i]!;
      if (Array.isArray(c.qre) || Array.isArray(c.gr)) continue;
      const inc = reimb.get(x.id)?.get(i);
      if (c.qre === 0 && c.gr === 0 && !inc) continue;
      adjustments.push({ transferId: x.id, kind: x.kind, qre: c.qre, grossReceipts: c.gr, ...(inc ? { reimbursementIncrease: inc } : {}) });
    }
    return {
      period: p,
      qre: build('QREs', h.qre, 'qre', (c) => c.qre),
      qreForFixedBase: build('QREs for the fixed-base percentage', h.qre, 'qre', (c) => c.qre, (x) => reimb.get(x.id)?.get(i)),
      grossReceipts: build('Gross receipts', h.grossReceipts, 'grossReceipts', (c) => c.gr),
      adjustments,
    };
  });
}
