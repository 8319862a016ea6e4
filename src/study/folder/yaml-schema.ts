/**
 * zod schema of study.yaml. The YAML is read with the failsafe schema, so every scalar arrives
 * as a string (money never passes through a float); the schema parses each string with the
 * folder's codecs. An empty value ("key:" with nothing after it) means "not known".
 */
import { z } from 'zod';
import type { Cents } from '../../money/cents.js';
import { USPS, bool, date, integer, money, oneOf, share, type Codec } from './values.js';

const ENTITY_TYPES = ['c_corporation', 's_corporation', 'partnership', 'sole_proprietorship', 'estate_or_trust', 'tax_exempt'] as const;

function codec<T>(c: Codec<T>) {
  return z.string({ error: c.expected }).transform((s, ctx) => {
    const r = c.parse(s);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.expected });
      return z.NEVER;
    }
    return r.value;
  });
}

/** An optional value: absent or empty = undefined. */
function opt<T extends z.ZodType>(s: T) {
  return z.preprocess((v) => (v === '' || v === null ? undefined : v), s.optional());
}

const reqText = z.string({ error: 'text' }).min(1, { error: 'non-empty text' });
const optText = opt(reqText);
const m = codec(money);
const d = codec(date);
const b = codec(bool);
const state = z.string().transform((s, ctx) => {
  const u = s.trim().toUpperCase();
  if (!USPS.has(u)) {
    ctx.addIssue({ code: 'custom', message: 'a USPS state code such as ID' });
    return z.NEVER;
  }
  return u;
});
const stateMap = z.record(state, m);
const entity = codec(oneOf(ENTITY_TYPES));
const period = z.strictObject({ start: d, end: d }).refine((p) => p.end >= p.start, { error: 'a period whose end is on or after its start' });

const groupMember = z.strictObject({
  id: reqText,
  name: reqText,
  ein: optText,
  activityCode: optText,
  entityType: opt(entity),
  inControlledGroup: b,
  unitary: opt(b),
});

interface OwnerOut {
  id: string;
  name: string;
  entityType: (typeof ENTITY_TYPES)[number] | 'individual';
  share: string;
  tin?: string | undefined;
  specialAllocation?: { share: string; basis: string } | undefined;
  owners?: OwnerOut[] | undefined;
  facts?:
    | {
        taxAttributable?: Cents | undefined;
        regularTax?: Cents | undefined;
        tentativeMinimumTax?: Cents | undefined;
        carryforwards?: { vintage: string; amount: Cents }[] | undefined;
        priorCredits?: Cents | undefined;
        otherCreditsAhead?: Cents | undefined;
        eligibleSmallBusiness?: boolean | undefined;
        apportionedThreshold?: Cents | undefined;
        priorYearRoom?: Cents | undefined;
      }
    | undefined;
}

// Owners nest (tiered ownership): an owner that is a pass-through lists its own owners.
const owner: z.ZodType<OwnerOut, unknown> = z.lazy(() =>
  z.strictObject({
    id: reqText,
    name: reqText,
    entityType: codec(oneOf([...ENTITY_TYPES, 'individual'] as const)),
    share: codec(share),
    tin: optText,
    specialAllocation: opt(z.strictObject({ share: codec(share), basis: reqText })),
    owners: opt(z.array(owner)),
    facts: opt(
      z.strictObject({
        taxAttributable: opt(m),
        regularTax: opt(m),
        tentativeMinimumTax: opt(m),
        carryforwards: opt(z.array(z.strictObject({ vintage: reqText, amount: m }))),
        priorCredits: opt(m),
        otherCreditsAhead: opt(m),
        eligibleSmallBusiness: opt(b),
        apportionedThreshold: opt(m),
        priorYearRoom: opt(m),
      }),
    ),
  }),
);

const priorYear = z.strictObject({
  period,
  qre: opt(m),
  qreByState: opt(stateMap),
  grossReceipts: opt(m),
  grossReceiptsByState: opt(stateMap),
  basicResearchPayments: opt(m),
  creditClaimed: opt(m),
  method: opt(codec(oneOf(['regular', 'asc'] as const))),
  section280cElected: opt(b),
  payrollElection: opt(z.strictObject({ amount: m, returnFiled: opt(d), usedToDate: opt(m) })),
  section174Capitalized: opt(z.strictObject({ domestic: opt(m), foreign: opt(m) })),
});

const taxFacts = z.strictObject({
  regularTax: opt(m),
  tentativeMinimumTax: opt(m),
  priorCredits: opt(m),
  otherGeneralBusinessCredits: opt(m),
  priorYearRoom: opt(m),
  section38ThresholdShare: opt(m),
  sectionE: opt(z.strictObject({ acquisitionOrDisposition: opt(b), newCategoriesOfExpenses: opt(b), asc730Directive: opt(b) })),
  payrollCreditOtherEin: optText,
  passThroughCreditsReceived: opt(z.array(z.strictObject({ from: reqText, amount: m }))),
  carryforwards: opt(z.array(z.strictObject({ vintage: reqText, amount: m }))),
  payrollTaxes: opt(
    z.array(
      z.strictObject({
        quarter: z.string().regex(/^\d{4}-Q[1-4]$/, { error: 'a calendar quarter such as 2025-Q1' }),
        socialSecurity: m,
        medicare: m,
      }),
    ),
  ),
  returnFiledDate: opt(d),
  originalReturn: opt(b),
  marriedFilingSeparately: opt(b),
});

const elections = z.strictObject({
  method: codec(oneOf(['regular', 'asc', 'best'] as const)),
  section280c: z.string().transform((s, ctx) => {
    if (s.trim().toLowerCase() === 'best') return 'best' as const;
    const r = bool.parse(s);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: 'true, false or best' });
      return z.NEVER;
    }
    return r.value;
  }),
  payrollElection: opt(z.strictObject({ elect: b, amount: opt(m) })),
  section174aCapitalizeMonths: opt(
    codec(integer).refine((n) => n >= 60, { error: 'a whole number of months, at least 60' }),
  ),
  section174Transition: opt(codec(oneOf(['deduct_2025', 'ratable_2025_2026', 'continue'] as const))),
  idahoStartupElection: opt(b),
  idahoStartupElectionYear: opt(codec(integer)),
  options: opt(z.record(z.string(), reqText)),
});

const intCodec = codec(integer);
const baseFacts = z.strictObject({
  firstTaxYearStart: opt(d),
  federalFixedBase: opt(z.strictObject({ percentage: z.string().regex(/^0?\.[0-9]+$|^0$/, { error: 'a decimal fraction such as 0.05' }), source: reqText })),
  federalStartUp: opt(b),
  basePeriod: opt(
    z.array(z.strictObject({ year: intCodec, qre: opt(m), grossReceipts: opt(m), idahoQre: opt(m), idahoGrossReceipts: opt(m) })),
  ),
  idahoBusinessSince: opt(intCodec),
});

export const StudyYaml = z.strictObject({
  formatVersion: z.literal('1', { error: 'formatVersion 1' }).transform(() => 1 as const),
  id: reqText,
  title: reqText,
  firm: opt(z.strictObject({ id: reqText, name: reqText })),
  client: opt(z.strictObject({ id: reqText, name: reqText })),
  taxpayer: z.strictObject({
    id: reqText,
    name: reqText,
    ein: optText,
    entityType: entity,
    activityCode: optText,
    publiclyTraded: opt(b),
    period,
    states: z.preprocess((v) => (v === '' || v === undefined ? [] : v), z.array(state)),
    groupMembers: opt(z.array(groupMember)),
    owners: opt(z.array(owner)),
  }),
  grossReceipts: opt(m),
  grossReceiptsByState: opt(stateMap),
  history: z.preprocess((v) => (v === '' || v === undefined ? [] : v), z.array(priorYear)),
  taxFacts: z.preprocess((v) => (v === '' || v === undefined ? {} : v), taxFacts),
  elections,
  baseFacts: opt(baseFacts),
  stateFacts: opt(z.record(state, z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'a fact id in snake_case' }), z.string({ error: 'the fact as text' })))),
});

export type StudyYamlOut = z.output<typeof StudyYaml>;
