/**
 * A hand-built StudyResult and Study for the parts the compute pipeline may not fill: every kind
 * of line status, Section G with an unknown cell, Form 8974 quarters, §174 and carryforward
 * schedules, employees, QREs by state, and a component whose name is markup.
 */
import { explainer, type Val } from '../../src/explain/index.js';
import { cents, type Cents } from '../../src/money/cents.js';
import { rate } from '../../src/money/rate.js';
import type { FormResult, LineValue, Schedule, StudyResult } from '../../src/study/compute/result.js';
import type { Study } from '../../src/study/model.js';
import type { QualificationReport } from '../../src/study/qualify/types.js';

const known = <T>(v: T, label = 'x'): Val<T> => explainer('test.fixture', label, [{ title: '26 U.S.C. § 41' }]).known(v);
const unknown = (missing: string[]): Val<never> => explainer('test.fixture', 'unknown line', []).unknown(missing);
const na = (why: string): Val<never> => explainer('test.fixture', 'n/a line', []).na(why);
const $ = (d: number) => cents(d * 100);

export const SCRIPT_NAME = '<script>alert("x")</script> & Co';

function f6765(): FormResult {
  const lines: Record<string, Val<LineValue>> = {
    A: known(true),
    '6': known(rate('0.0312')),
    '7': unknown(['history.TY2021.grossReceipts']),
    '13': na('the ASC is used'),
    '20': known($(1_000_000)),
    '21': known($(1_500_000)),
    '22': known(cents(25_000_000)),
    '24': known(cents(10_500_049)), // $105,000.49 prints 105,000
    '28': known(cents(10_500_050)), // $105,000.50 prints 105,001
    '42': known($(700_000)),
    '48': known($(1_000_000)),
  };
  return { id: 'f6765', title: 'Form 6765', revision: 'Rev. December 2024', lines, labels: {}, kinds: { '6': 'rate', A: 'flag' } };
}

const sectionG: Schedule = {
  id: 'sectionG',
  title: 'Section G',
  citation: [{ title: 'Form 6765 (Rev. December 2024), Section G' }],
  columns: [
    { key: 'name', label: '49(c) Business component', kind: 'text' },
    { key: 'ein', label: '49(a) EIN', kind: 'text' },
    { key: 'line53', label: '53 Total wages', kind: 'money' },
    { key: 'total', label: 'Total QREs', kind: 'money' },
  ],
  rows: [
    { cells: { name: SCRIPT_NAME, ein: '12-3456789', line53: $(600_000), total: $(800_000) }, source: 'component X' },
    { cells: { name: 'All other, "quoted", components', ein: null, line53: $(100_000), total: null }, source: 'components Y, Z' },
  ],
  totals: { line53: $(700_000), total: null },
};

const f8974: Schedule = {
  id: 'f8974',
  title: 'Form 8974 by quarter',
  citation: [{ title: 'Form 8974 (Rev. December 2024)' }],
  columns: [
    { key: 'quarter', label: 'Quarter', kind: 'text' },
    { key: 'socialSecurity', label: 'Employer social security tax', kind: 'money' },
    { key: 'credit', label: 'Credit used', kind: 'money' },
  ],
  rows: [
    { cells: { quarter: '2026-Q1', socialSecurity: $(40_000), credit: $(40_000) } },
    { cells: { quarter: '2026-Q2', socialSecurity: null, credit: null } },
  ],
};

const s174: Schedule = {
  id: 's174',
  title: '§174/§174A amounts by year',
  citation: [{ title: '26 U.S.C. § 174A' }],
  columns: [
    { key: 'year', label: 'Vintage', kind: 'text' },
    { key: 'capitalized', label: 'Capitalised', kind: 'money' },
    { key: 'amortized', label: 'Amortised this year', kind: 'money' },
  ],
  rows: [
    { cells: { year: '2023', capitalized: $(2_980_000), amortized: $(596_000) } },
    { cells: { year: '2025', capitalized: 0, amortized: null } },
  ],
};

const carry: Schedule = {
  id: 'carryforward.federal',
  title: 'Federal research credit carryforward (§39) by vintage',
  citation: [{ title: '26 U.S.C. § 39' }],
  columns: [
    { key: 'vintage', label: 'Vintage', kind: 'text' },
    { key: 'amount', label: 'Carried forward', kind: 'money' },
    { key: 'expires', label: 'Expires', kind: 'text' },
  ],
  rows: [{ cells: { vintage: '2024', amount: $(12_345), expires: '2044' } }],
};

export function fixtureResult(): StudyResult & { qualification?: QualificationReport } {
  const credit = known($(105_001));
  return {
    study: { id: 'fixture-2026', title: 'Fixture study', taxpayer: 'Fixture, Inc.', ein: '12-3456789', entityType: 'c_corporation', period: { start: '2026-01-01', end: '2026-12-31' } },
    qre: {
      wages: known($(700_000)),
      supplies: known($(100_000)),
      computers: known($(150_000)),
      contract: known($(50_000)),
      basicResearch: known(cents(0) as Cents),
      total: known($(1_000_000)),
      byComponent: [
        { componentId: 'X', name: SCRIPT_NAME, wages: $(600_000), supplies: $(100_000), computers: $(100_000), contract: cents(0), total: $(800_000) },
        { componentId: 'Y', name: 'Second component', wages: $(100_000), supplies: cents(0), computers: $(50_000), contract: $(50_000), total: $(200_000) },
      ],
      byState: { ID: { wages: $(500_000), supplies: $(100_000), computers: cents(0), contract: cents(0), total: $(600_000) }, WA: { wages: $(200_000), supplies: cents(0), computers: $(150_000), contract: $(50_000), total: $(400_000) } },
    },
    employees: [
      { id: 'E1', name: 'Ada Engineer', title: 'Engineer', officer: false, wages: $(200_000), qualifiedShare: '1', qualifiedWages: $(200_000), hours: { direct_research: 1800 }, hoursByState: { ID: 1800 }, basis: '80% rule' },
      { id: 'E2', name: 'Bo Manager', officer: true, wages: null, qualifiedShare: null, qualifiedWages: null, hours: {}, hoursByState: {}, basis: 'time entries' },
    ],
    federal: {
      credit,
      chosen: { method: 'asc', section280c: false },
      alternatives: [
        { method: 'regular', section280c: false, credit: unknown(['history.TY2021.grossReceipts']) },
        { method: 'asc', section280c: false, credit },
      ],
      comparison: '',
    },
    states: { ID: { name: 'Idaho', credit: unknown(['taxFacts.idahoTax']), qre: known($(600_000)) } },
    forms: { f6765: f6765() },
    schedules: { sectionG, f8974, s174, 'carryforward.federal': carry },
    flags: [{ option: 'us.forms.f6765.section_g.stopping_rule', chosen: 'at_least', isDefault: true, message: 'UNVERIFIED stopping rule <b>', reference: [{ title: 'Instructions for Form 6765' }] }],
    missing: ['history.TY2021.grossReceipts', 'taxFacts.idahoTax'],
    notes: ['A note with <markup>.'],
  };
}

export function fixtureStudy(): Study {
  return {
    formatVersion: 1,
    id: 'fixture-2026',
    title: 'Fixture study',
    firm: { id: 'f', name: 'Firm & Partners' },
    taxpayer: { id: 't', name: 'Fixture, Inc.', ein: '12-3456789', entityType: 'c_corporation', period: { start: '2026-01-01' as never, end: '2026-12-31' as never }, states: ['ID', 'WA'] },
    history: [{ period: { start: '2025-01-01' as never, end: '2025-12-31' as never }, qre: $(900_000) }, { period: { start: '2024-01-01' as never, end: '2024-12-31' as never } }],
    employees: [
      { id: 'E1', name: 'Ada Engineer', officer: false, wagesBox1: $(200_000), source: { file: 'w2.csv', sha256: 'ab'.repeat(32), row: 2 } },
      { id: 'E2', name: 'Bo Manager', officer: true },
    ],
    time: [
      { employeeId: 'E1', componentId: 'X', activity: 'direct_research', hours: 1800, basis: 'time_entries', source: { file: 'time.csv' } },
      { employeeId: 'E2', componentId: 'X', activity: 'direct_supervision', hours: 200, basis: 'survey' },
      { employeeId: 'E2', activity: 'non_qualified', hours: 1800, basis: 'survey' },
    ],
    components: [
      { id: 'X', name: SCRIPT_NAME, type: 'software', softwareClass: 'non_ius', qualification: 'qualifies', informationSought: 'Whether <b>it</b> works' },
      { id: 'Y', name: 'Second component', type: 'process', qualification: 'needs_information', qualificationReason: 'Interview pending' },
    ],
    supplies: [],
    computers: [],
    contracts: [],
    basicResearch: [],
    energyConsortia: [],
    section174Pools: [],
    taxFacts: {},
    elections: { method: 'best', section280c: 'best' },
    evidence: [
      { id: 'EV-1', kind: 'experiment_run', title: 'Run 42 failed', sha256: 'cd'.repeat(32), claimedDate: '2026-03-01' as never, componentIds: ['X'], employeeIds: ['E1'] },
    ],
  };
}

export function fixtureQualification(): QualificationReport {
  const cite = [{ title: '26 U.S.C. § 41(d)(1)' }];
  return {
    components: [
      {
        componentId: 'X',
        name: SCRIPT_NAME,
        result: 'qualifies',
        reasons: ['Alternatives were evaluated by experiment.'],
        tests: [
          { test: 'permitted_purpose', status: 'met', reasons: ['New function.'], citations: cite, evidenceIds: ['EV-1'] },
          { test: 'technological_uncertainty', status: 'met', reasons: ['Design uncertain.'], citations: cite, evidenceIds: [] },
          { test: 'technological_in_nature', status: 'met', reasons: ['Computer science.'], citations: cite, evidenceIds: [] },
          { test: 'process_of_experimentation', status: 'needs_information', reasons: ['Share of experimentation hours not measured.'], citations: cite, evidenceIds: ['EV-1'] },
        ],
        exclusions: [
          { exclusion: 'funded_research', applies: false, reason: 'No customer funding.', citations: cite },
          { exclusion: 'internal_use_software', applies: 'unknown', reason: 'Sold to third parties?', citations: cite },
        ],
        substantiallyAll: { method: 'experimentation hours / all hours', basis: 'hours', share: '0.9', threshold: '0.8', passes: true },
        evidence: [{ id: 'EV-1', kind: 'experiment_run', title: 'Run 42 failed', sha256: 'cd'.repeat(32), claimedDate: '2026-03-01', contemporaneous: true }],
        readiness: { score: 80, checks: [{ id: 'contemporaneous', title: 'Contemporaneous evidence', status: 'pass', message: 'One dated run.', citation: cite, componentId: 'X' }] },
      },
    ],
    readiness: { score: 72, checks: [{ id: 'section-g', title: 'Section G information', status: 'warn', message: 'Information sought missing for Y.', citation: [{ title: 'Form 6765 Section G' }] }] },
  };
}
