/**
 * What happens to the credit after Form 6765 line 28: the payroll election (Section D and
 * Form 8974, quarter by quarter), the §38(c) limitation and the §39 carryforward ledger.
 * Facts come from the study's tax facts and history; a missing fact makes the affected figure
 * unknown, never zero.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { Law, LawView } from '../../law/law.js';
import { add, formatCents, sub, ZERO, type Cents } from '../../money/cents.js';
import { periodLabel, taxPeriod, yearBegun, type IsoDate, type TaxPeriod } from '../../periods/index.js';
import { applyPayrollCredit, type PayrollCreditResult } from '../../rules/federal/form8974.js';
import { esbTest, qsbTest, type GrossReceiptsYear } from '../../rules/federal/gross-receipts-tests.js';
import { section38Limit } from '../../rules/federal/irc38-limit.js';
import { section39Ledger, type Section39Result } from '../../rules/federal/irc39-ledger.js';
import { sectionD, type SectionDResult } from '../../rules/federal/payroll.js';
import type { Study } from '../model.js';
import { completeHistory } from './history.js';
import type { Schedule } from './result.js';

export interface LimitsResult {
  sectionD: Val<SectionDResult>;
  /** Form 6765 lines 33a–36 as form lines. */
  lines: Record<string, Val<Cents | boolean>>;
  f8974?: Val<PayrollCreditResult>;
  room: Val<Cents>;
  ledger: Val<Section39Result>;
  schedules: Record<string, Schedule>;
}

const PASS_THROUGH = new Set(['s_corporation', 'partnership']);

function priorYears(study: Study): GrossReceiptsYear[] {
  return study.history.map((h) => ({ period: taxPeriod(h.period.start, h.period.end), grossReceipts: h.grossReceipts }));
}

/** "2023" or "2023-07-01/2024-06-30" → the vintage's tax period (calendar year for a bare year). */
export function vintagePeriod(v: string): TaxPeriod {
  const m = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(v);
  if (m) return taxPeriod(m[1]!, m[2]!);
  if (/^\d{4}$/.test(v)) return taxPeriod(`${v}-01-01`, `${v}-12-31`);
  throw new RangeError(`carryforward vintage "${v}" is not a year (2023) or a period (2023-07-01/2024-06-30)`);
}

export interface LimitsOptions {
  /** Form 6765 line 29 (credits received from pass-through entities), added to what the ledger carries. */
  line29?: Val<Cents>;
  /** An estate or trust: the amount it keeps (line 32) replaces lines 28 + 29 in its own ledger. */
  retained?: Val<Cents>;
}

export function computeLimits(law: Law, view: LawView, study: Study, period: TaxPeriod, line28: Val<Cents>, lo: LimitsOptions = {}): LimitsResult {
  const tf = study.taxFacts;
  const entity = study.taxpayer.entityType;
  const options = study.elections.options ?? {};
  const lines: LimitsResult['lines'] = {};
  const schedules: Record<string, Schedule> = {};
  const l28 = line28.kind === 'known' ? line28.value : undefined;

  // §38(c) room and the §39 ledger (entity level; pass-throughs are limited at the owner level)
  const exRoom = explainer('study.irc38.room', 'Research credit the year can absorb (§38(c))', [{ title: '26 U.S.C. § 38(c)' }]);
  let room: Val<Cents>;
  if (PASS_THROUGH.has(entity)) room = exRoom.na('limited at the owners’ level (pass-through entity)');
  else {
    const esb = esbTest(view, { period, priorYears: priorYears(study), entityType: entity, publiclyTraded: study.taxpayer.publiclyTraded });
    const lim = section38Limit(view, {
      corporate: entity === 'c_corporation',
      regularTax: tf.regularTax,
      tentativeMinimumTax: tf.tentativeMinimumTax,
      priorCredits: tf.priorCredits,
      ...(tf.marriedFilingSeparately !== undefined ? { marriedFilingSeparately: tf.marriedFilingSeparately } : {}),
      researchIsSpecifiedCredit: esb.kind === 'known' ? esb.value.esb : false,
      ...(tf.otherGeneralBusinessCredits !== undefined ? { otherCreditsAhead: tf.otherGeneralBusinessCredits } : {}),
      ...(tf.section38ThresholdShare !== undefined ? { apportionedThreshold: tf.section38ThresholdShare } : {}),
    });
    const groupMember = (study.taxpayer.groupMembers ?? []).some((m) => m.inControlledGroup);
    exRoom.child(esb);
    exRoom.child(lim);
    if (groupMember && tf.section38ThresholdShare === undefined) room = exRoom.unknown(['taxFacts.section38ThresholdShare (the part of the §38(c) $25,000 apportioned to this member of the controlled group, §38(c)(6)(B))']);
    else if (tf.otherGeneralBusinessCredits === undefined) room = exRoom.unknown(['taxFacts.otherGeneralBusinessCredits (0 when no other general business credit ranks ahead)']);
    else if (esb.kind === 'unknown' && (tf.tentativeMinimumTax ?? ZERO) !== ZERO) room = exRoom.unknown(esb.missing);
    else if (lim.kind === 'known') room = exRoom.known(lim.value.researchRoom, String(lim.value.researchRoom));
    else if (lim.kind === 'unknown') room = exRoom.unknown(lim.missing.map((m) => `taxFacts.${m}`));
    else room = exRoom.na(lim.reason);
  }

  // Carryforwards into the year: unknown when earlier credits were claimed but none are listed
  const claimedBefore = study.history.some((h) => (h.creditClaimed ?? 0) > 0);
  const opening: { vintage: string; amount: Cents }[] | undefined = tf.carryforwards ?? (claimedBefore ? undefined : []);

  // Section D
  const wants = study.elections.payrollElection?.elect === true;
  const qsb = qsbTest(view, {
    period,
    entityType: entity,
    grossReceipts: study.grossReceipts,
    firstReceiptsYearStart: firstReceiptsYear(study),
  });
  // Elections recorded in the history (§41(h)(4)(B)(ii) counts preceding tax years with an election)
  const priorElections = study.history.filter((h) => h.payrollElection !== undefined).length;
  const sd = wants
    ? sectionD(view, {
        entityType: entity,
        qsb: qsb.kind === 'known' ? qsb.value.qsb : undefined,
        priorElectionYears: priorElections,
        line28: l28,
        requested: study.elections.payrollElection?.amount ?? l28,
        ...(tf.originalReturn !== undefined ? { originalTimelyReturn: tf.originalReturn } : {}),
        // Line 35: the research credit of the year that the §38(c) limit leaves unused (carried
        // forward): carryforwards from earlier years use the room first (§39; FIFO), then this year's
        ...(!PASS_THROUGH.has(entity) && l28 !== undefined && room.kind === 'known' && opening !== undefined
          ? { currentYearCarryforward: currentYearCarryforward(l28, room.value, opening) }
          : {}),
      })
    : explainer('us.federal.f6765.section_d', 'Form 6765 Section D — payroll tax election', []).na('no payroll tax election requested (elections.payrollElection)');
  if (wants) sd.why.children.unshift(qsb.why);
  const ex33 = explainer('us.federal.f6765.line33a', 'Form 6765 line 33a: qualified small business electing the payroll tax credit', [{ title: '26 U.S.C. § 41(h)' }, { title: 'Form 6765 (Rev. December 2024), line 33a' }]);
  ex33.child(sd);
  lines['33a'] = !wants ? ex33.known(false, 'no (no election requested)') : sd.kind === 'unknown' ? ex33.unknown(sd.missing) : ex33.known(sd.kind === 'known' && sd.value.mayElect, sd.kind === 'known' && sd.value.mayElect ? 'yes' : 'no');
  const pick = (k: 'line34' | 'line35' | 'line36'): Val<Cents> => {
    const e = explainer(`us.federal.f6765.${k}`, `Form 6765 ${k.replace('line', 'line ')}`, []);
    if (sd.kind === 'na') return e.na(sd.reason);
    if (sd.kind === 'unknown') return e.unknown(sd.missing);
    const v = sd.value[k];
    e.child(sd);
    return v === null ? e.na(sd.value.reason) : e.known(v, formatCents(v));
  };
  lines['34'] = pick('line34');
  lines['35'] = pick('line35');
  lines['36'] = pick('line36');
  // The payroll portion leaves the income-tax credit; unknown when the election's amount is unknown
  const payroll: Cents | undefined = !wants || lines['36'].kind === 'na' ? ZERO : lines['36'].kind === 'known' ? (lines['36'].value as Cents) : undefined;

  // Form 8974, quarter by quarter, when the election yields a credit and payroll taxes are given
  let f8974: Val<PayrollCreditResult> | undefined;
  const ex8974 = explainer('us.federal.f8974.quarterly', 'Payroll tax credit by quarter (Form 8974)', [{ title: 'Form 8974 (Rev. December 2024)' }]);
  const missing8974 = [
    ...(tf.returnFiledDate ? [] : ['taxFacts.returnFiledDate']),
    ...study.history.filter((h) => h.payrollElection && h.payrollElection.returnFiled === undefined).map((h) => `history.${h.period.start.slice(0, 4)}.payrollElection.returnFiled`),
    ...study.history.filter((h) => h.payrollElection && h.payrollElection.usedToDate === undefined).map((h) => `history.${h.period.start.slice(0, 4)}.payrollElection.usedToDate`),
  ];
  if (wants && lines['36'].kind === 'known' && missing8974.length) f8974 = ex8974.unknown(missing8974);
  else if (wants && lines['36'].kind === 'known' && tf.returnFiledDate) {
    f8974 = applyPayrollCredit(
      law,
      [
        // Earlier years' elections still being used, then this year's
        ...study.history
          .filter((h) => h.payrollElection?.returnFiled !== undefined)
          .map((h) => ({
            electionYear: taxPeriod(h.period.start, h.period.end),
            amount: h.payrollElection!.amount,
            returnFiled: h.payrollElection!.returnFiled!,
            ...(h.payrollElection!.usedToDate !== undefined ? { usedBefore: h.payrollElection!.usedToDate } : {}),
          })),
        { electionYear: period, amount: lines['36'].value as Cents, returnFiled: tf.returnFiledDate },
      ],
      (tf.payrollTaxes ?? []).map((q) => ({ quarter: q.quarter, employerSocialSecurity: q.socialSecurity, employerMedicare: q.medicare })),
      options,
    );
    if (f8974.kind === 'known')
      schedules.f8974 = {
        id: 'f8974',
        title: 'Form 8974 — payroll tax credit by quarter',
        citation: [{ title: '26 U.S.C. § 3111(f)' }, { title: 'Form 8974 (Rev. December 2024)' }],
        columns: [
          { key: 'quarter', label: 'Quarter', kind: 'text' },
          { key: 'available', label: 'Credit available (line 7)', kind: 'money' },
          { key: 'socialSecurity', label: 'Against social security (line 12)', kind: 'money' },
          { key: 'medicare', label: 'Against Medicare', kind: 'money' },
          { key: 'total', label: 'Credit for the quarter (line 17)', kind: 'money' },
          { key: 'carried', label: 'Carried to next quarter', kind: 'money' },
        ],
        rows: f8974.value.quarters.map((q) => ({ cells: { ...q }, source: 'us.federal.f8974.quarterly' })),
      };
  }

  // What the ledger carries: lines 28 + 29 less the payroll portion (line 36); an estate or trust: line 32
  const l29 = lo.line29 === undefined ? ZERO : lo.line29.kind === 'known' ? lo.line29.value : undefined;
  const kept = lo.retained ? (lo.retained.kind === 'known' ? lo.retained.value : undefined) : l28 === undefined || l29 === undefined ? undefined : add(l28, l29);
  // (line 32 of an estate or trust is already net of the payroll portion split off before line 31)
  const generated = lo.retained ? kept : kept === undefined || payroll === undefined ? undefined : sub(kept, payroll);
  const badVintage = (tf.carryforwards ?? []).find((c) => !/^\d{4}$|^\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}$/.test(c.vintage));
  const exLedger = explainer('us.federal.irc39.ledger', 'Research credit ledger (§39)', [{ title: '26 U.S.C. § 39' }]);
  const ledger: Val<Section39Result> = opening === undefined
    ? exLedger.unknown(['taxFacts.carryforwards (research credits were claimed in earlier years: list what is left by vintage, or none)'])
    : badVintage
      ? exLedger.unknown([`taxFacts.carryforwards: vintage "${badVintage.vintage}" is not a year (2023) or a period (2023-07-01/2024-06-30)`])
      : section39Ledger(law, {
    years: [{ period, generated, room: room.kind === 'known' ? room.value : undefined }],
    opening: opening.map((c) => ({ vintage: vintagePeriod(c.vintage), amount: c.amount })),
    ...(tf.priorYearRoom !== undefined ? { priorYearRoom: tf.priorYearRoom } : {}),
  });
  if (ledger.kind === 'known') schedules['carryforward.federal'] = ledgerSchedule(ledger.value, (opening ?? []).map((c) => ({ vintage: c.vintage, amount: c.amount })), generated, period);

  return { sectionD: sd, lines, ...(f8974 ? { f8974 } : {}), room, ledger, schedules };
}

/**
 * Start of the first tax year with gross receipts, as far as the study can tell: the earliest
 * history year with receipts when the history reaches back to the first tax year; otherwise the
 * first tax year itself is a safe bound only if receipts began then; unknown when neither is known.
 */
/** Line 35: this year's credit left after the §38(c) room is used by earlier vintages first, then by it. */
function currentYearCarryforward(l28: Cents, room: Cents, opening: { amount: Cents }[]): Cents {
  const earlier = opening.reduce((t, o) => add(t, o.amount), ZERO);
  const left = room > earlier ? sub(room, earlier) : ZERO;
  return l28 > left ? sub(l28, left) : ZERO;
}

function firstReceiptsYear(study: Study): IsoDate | 'none' | undefined {
  const hist = completeHistory(study, study.history, study.taxpayer.period.start);
  if (hist === undefined) return undefined;
  for (const h of hist) {
    if (h.grossReceipts === undefined) return undefined;
    if (h.grossReceipts > 0) return h.period.start;
  }
  return (study.grossReceipts ?? 0) > 0 ? study.taxpayer.period.start : 'none';
}

function ledgerSchedule(r: Section39Result, opening: { vintage: string; amount: Cents }[], generated: Cents | undefined, period: TaxPeriod): Schedule {
  const used = new Map<string, Cents>();
  for (const y of r.years) for (const u of y.used) used.set(u.vintage, ((used.get(u.vintage) ?? 0) + u.amount) as Cents);
  const expired = new Map<string, Cents>();
  for (const y of r.years) for (const e of y.expired) expired.set(e.vintage, ((expired.get(e.vintage) ?? 0) + e.amount) as Cents);
  const closing = new Map(r.closing.map((c) => [c.vintage, c]));
  const vintages = [
    ...opening.map((o) => ({ label: o.vintage, key: periodLabel(vintagePeriod(o.vintage)), start: o.amount })),
    { label: String(yearBegun(period)), key: periodLabel(period), start: generated ?? ZERO },
  ];
  const rows = vintages.map((v) => {
    const key = v.key;
    return {
      cells: {
        vintage: v.label,
        available: v.start,
        used: used.get(key) ?? 0,
        expired: expired.get(key) ?? 0,
        remaining: closing.get(key)?.amount ?? 0,
        usableThrough: closing.get(key)?.usableThrough ?? null,
      },
      source: 'us.federal.irc39.ledger',
    };
  });
  return {
    id: 'carryforward.federal',
    title: 'Federal research credit carryforward by vintage (§39)',
    citation: [{ title: '26 U.S.C. § 39' }, { title: 'Form 3800' }],
    columns: [
      { key: 'vintage', label: 'Tax year generated', kind: 'text' },
      { key: 'available', label: 'Available at start', kind: 'money' },
      { key: 'used', label: 'Used this year', kind: 'money' },
      { key: 'expired', label: 'Expired', kind: 'money' },
      { key: 'remaining', label: 'Carried forward', kind: 'money' },
      { key: 'usableThrough', label: 'Usable through', kind: 'text' },
    ],
    rows,
    totals: {
      available: rows.reduce((s, x) => s + (x.cells.available as number), 0),
      used: rows.reduce((s, x) => s + (x.cells.used as number), 0),
      expired: rows.reduce((s, x) => s + (x.cells.expired as number), 0),
      remaining: rows.reduce((s, x) => s + (x.cells.remaining as number), 0),
    },
    ...(r.carrybackToPriorYear ? { notes: [`Carryback to the preceding tax year: ${r.carrybackToPriorYear} cents.`] } : {}),
  };
}
