/**
 * fast-check generator of valid studies in canonical form (the form readStudyFolder returns):
 * optional fields are either absent or set to a non-empty value; text is trimmed; an employee's
 * wageAdjustments is absent or non-empty.
 */
import fc from 'fast-check';
import { cents, type Cents } from '../../src/money/cents.js';
import { fromDayNumber, type IsoDate } from '../../src/periods/date.js';
import type { Location, Study } from '../../src/study/model.js';
import { ACTIVITIES, COMPONENT_TYPES, COMPUTER_USES, EVIDENCE_KINDS, EVIDENCE_OUTCOMES, PAYEE_TYPES, POOL_CATEGORIES, QUALIFICATIONS, ROLES, SOFTWARE_CLASSES, SUPPLY_KINDS, TIME_BASES } from '../../src/study/folder/tables.js';

const text = fc
  .string({ unit: fc.constantFrom(...'abc XYZ,"\n;:=-#é漢0'.split('')), minLength: 1, maxLength: 12 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0);
const id = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);
const money: fc.Arbitrary<Cents> = fc.integer({ min: -1_000_000_000_00, max: 1_000_000_000_00 }).map((n) => cents(n));
const date: fc.Arbitrary<IsoDate> = fc.integer({ min: 17000, max: 21000 }).map((n) => fromDayNumber(n));
const state = fc.constantFrom('ID', 'AZ', 'CA', 'IN', 'PR', 'DC', 'OR');
const location: fc.Arbitrary<Location> = fc.oneof(
  state.map((s) => ({ country: 'US', state: s })),
  fc.constant({ country: 'US' }),
  fc.constantFrom('IN', 'GB', 'CA', 'DE', 'JP').map((c) => ({ country: c })),
);
const stateMap = fc.dictionary(state, money, { maxKeys: 3 });
const bool = fc.boolean();
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const shareA = fc.constantFrom('0.6', '3/5', '1', '0', '40%', '0.125');
const source = opt(fc.record({ file: text, sha256: fc.stringMatching(/^[0-9a-f]{64}$/), row: fc.nat(100000), note: text }, { requiredKeys: ['file'] }));
const period = fc.tuple(date, fc.integer({ min: 0, max: 370 })).map(([s, n]) => ({ start: s, end: fromDayNumber(Number(new Date(s).getTime() / 86400000) + n) }));

const rec = <T extends Record<string, fc.Arbitrary<unknown>>>(m: T, required: (keyof T)[]) => fc.record(m, { requiredKeys: required as any });
const instant = fc.tuple(date, fc.integer({ min: 0, max: 86399 }), fc.constantFrom('Z', '+02:00', '-07:00')).map(([d, sec, z]) => `${d}T${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor(sec / 60) % 60).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}${z}`);
/** Owners, two tiers deep at most, with the optional special allocation and §41(g) facts. */
const ownerBase = {
  id,
  name: text,
  entityType: fc.constantFrom('individual', 'c_corporation', 'partnership'),
  share: shareA,
  tin: fc.constant('1234'),
  specialAllocation: fc.record({ share: shareA, basis: text }),
  facts: rec(
    { taxAttributable: money, regularTax: money, tentativeMinimumTax: money, carryforwards: fc.array(fc.record({ vintage: fc.constantFrom('2023', '2024'), amount: money }), { maxLength: 2 }) },
    [],
  ),
};
const innerOwner = rec(ownerBase, ['id', 'name', 'entityType', 'share']);
const owner = rec({ ...ownerBase, owners: fc.array(innerOwner, { minLength: 1, maxLength: 2 }) }, ['id', 'name', 'entityType', 'share']);
/** Interview answer values of every type the model allows, including texts that look like numbers or booleans. */
const answerValue = fc.oneof(text, fc.constantFrom('true', '12', '0x1A', 'null', '2025-01-01', ''), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)), fc.integer(), fc.boolean(), fc.array(text, { maxLength: 3 }));

function strip<T>(v: T): T {
  if (Array.isArray(v)) return v.map(strip) as T;
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = strip(x);
    return o as T;
  }
  return v;
}

export const arbitraryStudy: fc.Arbitrary<Study> = fc
  .record({
    id,
    title: text,
    firm: opt(fc.record({ id, name: text })),
    client: opt(fc.record({ id, name: text })),
    members: fc.uniqueArray(id, { maxLength: 2 }),
    componentIds: fc.uniqueArray(id, { maxLength: 4 }),
    employeeIds: fc.uniqueArray(id, { minLength: 1, maxLength: 4 }),
    seed: fc.nat(),
  })
  .chain(({ id: sid, title, firm, client, members, componentIds, employeeIds }) => {
    const comp = componentIds.length ? opt(fc.constantFrom(...componentIds)) : fc.constant(undefined);
    const member = members.length ? opt(fc.constantFrom(...members)) : fc.constant(undefined);
    return fc.record({
      taxpayer: rec(
        {
          id,
          name: text,
          ein: fc.constant('12-3456789'),
          entityType: fc.constantFrom('c_corporation', 's_corporation', 'partnership'),
          activityCode: fc.constant('332812'),
          publiclyTraded: bool,
          period,
          states: fc.uniqueArray(state, { maxLength: 3 }),
          groupMembers: fc.tuple(...members.map((m) => rec({ id: fc.constant(m), name: text, ein: fc.constant('98-7654321'), entityType: fc.constant('c_corporation'), inControlledGroup: bool, unitary: bool, activityCode: fc.constant('5415') }, ['id', 'name', 'inControlledGroup']))),
          owners: fc.array(owner, { maxLength: 2 }),
        },
        ['id', 'name', 'entityType', 'period', 'states', 'groupMembers'],
      ),
      grossReceipts: opt(money),
      grossReceiptsByState: opt(stateMap),
      history: fc.array(
        rec(
          {
            period,
            qre: money,
            qreByState: stateMap,
            grossReceipts: money,
            grossReceiptsByState: stateMap,
            basicResearchPayments: money,
            creditClaimed: money,
            method: fc.constantFrom('regular', 'asc'),
            section280cElected: bool,
            payrollElection: rec({ amount: money, returnFiled: date, usedToDate: money }, ['amount']),
            section174Capitalized: rec({ domestic: money, foreign: money }, []),
          },
          ['period'],
        ),
        { maxLength: 3 },
      ),
      employees: fc.tuple(
        ...employeeIds.map((e) =>
          rec(
            {
              id: fc.constant(e),
              name: text,
              title: text,
              role: fc.constantFrom(...ROLES),
              officer: bool,
              wagesBox1: money,
              wageAdjustments: fc.array(fc.record({ amount: money, reason: text }), { minLength: 1, maxLength: 2 }),
              wotcWages: money,
              stateWages: stateMap,
              homeLocation: location,
              memberId: member,
              source,
            },
            ['id', 'name', 'officer'],
          ),
        ),
      ),
      time: fc.array(
        rec(
          {
            employeeId: fc.constantFrom(...employeeIds),
            componentId: comp,
            activity: fc.constantFrom(...ACTIVITIES),
            hours: fc.integer({ min: 0, max: 40000 }).map((n) => n / 8),
            experimentation: bool,
            date,
            location,
            basis: fc.constantFrom(...TIME_BASES),
            source,
          },
          ['employeeId', 'activity', 'hours'],
        ),
        { maxLength: 8 },
      ),
      components: fc.tuple(
        ...componentIds.map((c, i) =>
          rec(
            {
              id: fc.constant(c),
              name: text,
              type: fc.constantFrom(...COMPONENT_TYPES),
              softwareClass: fc.constantFrom(...SOFTWARE_CLASSES),
              parentId: i > 0 ? fc.constant(componentIds[0]!) : fc.constant(undefined),
              memberId: member,
              informationSought: text,
              startDate: date,
              endDate: date,
              commercialProductionDate: date,
              qualification: fc.constantFrom(...QUALIFICATIONS),
              qualificationReason: text,
            },
            ['id', 'name', 'type', 'qualification'],
          ),
        ),
      ),
      supplies: fc.uniqueArray(rec({ id, description: text, amount: money, componentId: comp, kind: fc.constantFrom(...SUPPLY_KINDS), location, date, glAccount: text, source }, ['id', 'description', 'amount', 'kind']), { selector: (x) => x.id, maxLength: 3 }),
      computers: fc.uniqueArray(rec({ id, vendor: text, description: text, amount: money, componentId: comp, use: fc.constantFrom(...COMPUTER_USES), researchShare: shareA, location, date, source }, ['id', 'vendor', 'description', 'amount', 'use']), { selector: (x) => x.id, maxLength: 3 }),
      contracts: fc.uniqueArray(
        rec(
          { id, payee: text, payeeType: fc.constantFrom(...PAYEE_TYPES), energyResearch: bool, amount: money, componentId: comp, location, taxpayerBearsRisk: bool, taxpayerHasRights: bool, prepaidForLaterYears: money, paidDate: date, relatedParty: bool, source },
          ['id', 'payee', 'payeeType', 'amount'],
        ),
        { selector: (x) => x.id, maxLength: 3 },
      ),
      basicResearch: fc.uniqueArray(rec({ id, organization: text, amount: money, cash: bool, writtenAgreement: bool, location, componentId: comp }, ['id', 'organization', 'amount', 'cash', 'writtenAgreement']), { selector: (x) => x.id, maxLength: 2 }),
      energyConsortia: fc.uniqueArray(fc.record({ id, consortium: text, amount: money }), { selector: (x) => x.id, maxLength: 2 }),
      section174Pools: fc.uniqueArray(fc.record({ id, description: text, amount: money, foreign: bool, category: fc.constantFrom(...POOL_CATEGORIES) }), { selector: (x) => x.id, maxLength: 2 }),
      taxFacts: rec(
        {
          regularTax: money,
          tentativeMinimumTax: money,
          priorCredits: money,
          otherGeneralBusinessCredits: money,
          carryforwards: fc.array(fc.record({ vintage: fc.constantFrom('2021', '2022', '2023'), amount: money }), { maxLength: 2 }),
          payrollTaxes: fc.array(fc.record({ quarter: fc.constantFrom('2025-Q1', '2025-Q4'), socialSecurity: money, medicare: money }), { maxLength: 2 }),
          returnFiledDate: date,
          originalReturn: bool,
          marriedFilingSeparately: bool,
        },
        [],
      ),
      elections: rec(
        {
          method: fc.constantFrom('regular', 'asc', 'best'),
          section280c: fc.constantFrom(true, false, 'best'),
          payrollElection: rec({ elect: bool, amount: money }, ['elect']),
          section174aCapitalizeMonths: fc.integer({ min: 60, max: 240 }),
          section174Transition: fc.constantFrom('deduct_2025', 'ratable_2025_2026', 'continue'),
          idahoStartupElection: bool,
          options: fc.dictionary(fc.constantFrom('us.id.hb559', 'us.f6765.sectionG'), fc.constantFrom('a', 'b')),
        },
        ['method', 'section280c'],
      ),
      stateFacts: opt(fc.dictionary(state, fc.dictionary(fc.constantFrom('apportionment_factor', 'refundable_election', 'x1'), text, { minKeys: 1, maxKeys: 2 }), { maxKeys: 2 })),
      evidence: opt(
        fc.uniqueArray(
          rec(
            {
              id,
              kind: fc.constantFrom(...EVIDENCE_KINDS),
              title: text,
              sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
              claimedDate: date,
              capturedAt: instant,
              componentIds: componentIds.length ? fc.uniqueArray(fc.constantFrom(...componentIds), { maxLength: 2 }) : fc.constant([]),
              employeeIds: fc.uniqueArray(fc.constantFrom(...employeeIds), { maxLength: 2 }),
              uri: fc.constantFrom('evidence/notes.md', 'https://git.example/commit/abc', 'mlflow://runs/1'),
              outcome: fc.constantFrom(...EVIDENCE_OUTCOMES),
              summary: text,
              source,
            },
            ['id', 'kind', 'title', 'componentIds', 'employeeIds'],
          ),
          { selector: (x) => x.id, maxLength: 3 },
        ),
      ),
      qualificationLog: componentIds.length
        ? opt(fc.array(rec({ componentId: fc.constantFrom(...componentIds), result: fc.constantFrom(...QUALIFICATIONS), previous: fc.constantFrom(...QUALIFICATIONS), by: text, at: instant, why: text }, ['componentId', 'result', 'by', 'at', 'why']), { maxLength: 3 }))
        : fc.constant(undefined),
      interviewAnswers: fc.array(rec({ question: fc.constantFrom('uncertainty', 'experimentation', 'q3'), value: answerValue, note: text, answeredBy: text, answeredAt: instant, useEvidence: fc.boolean() }, ['question', 'value']), { maxLength: 3 }),
      hasInterviews: fc.boolean(),
    }).map(({ interviewAnswers, hasInterviews, ...r }) =>
      strip({
        formatVersion: 1 as const,
        id: sid,
        title,
        firm,
        client,
        ...r,
        taxpayer: { ...r.taxpayer, groupMembers: members.length ? r.taxpayer.groupMembers : undefined, owners: (r.taxpayer.owners as unknown[] | undefined)?.length ? r.taxpayer.owners : undefined },
        stateFacts: r.stateFacts,
        interviews:
          hasInterviews && componentIds.length
            ? componentIds.slice(0, 2).map((c, i) => ({
                componentId: c,
                answers: i === 0 ? [] : interviewAnswers.map(({ useEvidence, ...a }) => ({ ...a, evidenceIds: useEvidence && r.evidence?.length ? [r.evidence[0]!.id] : undefined })),
              }))
            : undefined,
      }) as unknown as Study,
    );
  });
