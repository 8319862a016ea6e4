/**
 * Generates the Sawtooth Machine Learning example study (examples/sawtooth-ml/) deterministically:
 * a foundation-model / ML-infrastructure team in Boise with remote staff in other states, modelled
 * on seed article 000_f78e15469a132550 (sparse-and-grouped attention pretraining with failed and
 * successful variants; a hybrid parallelism training stack with failed configurations; a custom
 * evaluation framework; a third-party language-model integration that does not qualify).
 *
 * The defence file (defence.ts): evidence items whose content is kept under evidence/ (MLflow
 * runs that failed, diverged and succeeded, ADRs and design documents dated at the outset,
 * tickets, commits and pull requests, benchmark tables, the Kernelworks statement of work,
 * interview notes written after the year), the four-part-test interview of every component, and
 * the reviewer's recorded decisions (evidence.csv, interviews.yaml, qualification-log.yaml).
 *
 * Run: npx tsx examples/sawtooth-ml/generate.ts [outDir]   (default: this folder)
 * The same seed always writes the same bytes; test/store/examples.test.ts and
 * test/examples/examples.test.ts check it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dollars, cents, type Cents } from '../../src/money/cents.js';
import { addDays, isoDate, type IsoDate } from '../../src/periods/date.js';
import type { BusinessComponent, ComputerCost, Employee, Location, Study, TimeRecord } from '../../src/study/model.js';
import { writeStudyFolder } from '../../src/study/folder/index.js';
import { buildDefence, type EvidenceFile } from './defence.js';

/** mulberry32: a small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SEED = 20250101;
const YEAR = 2025;
const us = (state: string): Location => ({ country: 'US', state });

const COMPONENTS: BusinessComponent[] = [
  {
    id: 'SGA',
    name: 'Hybrid sparse-grouped attention for pretraining',
    type: 'software',
    softwareClass: 'non_ius',
    informationSought: 'Whether any attention mechanism can match full-attention quality on a 12-task reasoning, code and long-context benchmark suite at materially lower pretraining compute, and which design does',
    startDate: isoDate('2024-11-01'),
    qualification: 'qualifies',
    qualificationReason:
      'Six alternatives evaluated (full-attention baseline, two grouped-query variants, two sparse variants, a hybrid sparse-grouped pattern) at three model sizes. Training runs: GQA-2 and SPARSE-A diverged at step ~18k (loss spikes; run logs sgA-0412, sgA-0419); SPARSE-B failed to converge on two reasoning tasks (run sgA-0503); GQA-1 converged but trailed baseline by 4.1 points on long-context (sgA-0522); SPARSE-A2 converged but trailed by 2.7 points (sgA-0610); HYBRID-3 matched baseline within 0.3 points at 38% less training compute (sgA-0716, sgA-0802) and was selected for scaling. Ablation spreadsheets and ADR-014.',
  },
  {
    id: 'PAR',
    name: 'Hybrid tensor/pipeline/expert parallel training stack',
    type: 'software',
    softwareClass: 'non_ius',
    informationSought: 'Whether a combination of tensor, pipeline and expert parallelism can train MoE models beyond FSDP memory bounds at the target throughput of 45% MFU',
    startDate: isoDate('2025-02-01'),
    qualification: 'qualifies',
    qualificationReason:
      'Seven parallelism configurations benchmarked at 1B, 13B and 140B parameters. Runs par-c2, par-c4 and par-c5 hit out-of-memory at 140B; par-c3 converged at 22% MFU (below target); par-c6 deadlocked in pipeline flush; par-c7 (TP4×PP8×EP8 with custom all-to-all kernels) reached 47% MFU and was adopted. Kernel ablations attribute the gain to the two custom CUDA kernels (benchmarks in ADR-021).',
  },
  {
    id: 'EVAL',
    name: 'Benchmark and regression evaluation framework',
    type: 'software',
    softwareClass: 'non_ius',
    informationSought: 'Whether an automated evaluation harness can detect the regressions that matter (reasoning, long-context recall, code) within 2 hours of a checkpoint with fewer than 5% false alarms',
    startDate: isoDate('2025-01-15'),
    qualification: 'qualifies',
    qualificationReason: 'Three designs of the scoring pipeline were built and tested against 140 labelled historical regressions; the first two missed long-context recall regressions (recall 61% and 74%); the third (contamination-aware sampling) reached 96% recall at 3.8% false alarms.',
  },
  {
    id: 'LLMAPI',
    name: 'Third-party LLM API integration for the customer support assistant',
    type: 'software',
    softwareClass: 'ius',
    startDate: isoDate('2025-03-01'),
    qualification: 'does_not_qualify',
    qualificationReason: 'Prompting and wiring a third-party language model behind an API with its documented parameters: no technological uncertainty about capability or method and no process of experimentation; the model is not the taxpayer’s (seed: the third-party model layer is excluded).',
  },
  {
    id: 'SERVE',
    name: 'Production inference platform operations',
    type: 'process',
    startDate: isoDate('2024-06-01'),
    commercialProductionDate: isoDate('2024-06-01'),
    qualification: 'does_not_qualify',
    qualificationReason: 'Operating and scaling the released inference service after commercial release: research after commercial production, §41(d)(4)(A); hosting is not a computer-rental QRE.',
  },
];

interface Person {
  name: string;
  title: string;
  role: Employee['role'];
  officer?: boolean;
  home: string;
  wage: [number, number];
  /** Share of weekly hours by component (the rest is non-qualified time on no component). */
  mix: Partial<Record<'SGA' | 'PAR' | 'EVAL' | 'LLMAPI' | 'SERVE', number>>;
  activity: TimeRecord['activity'];
}

const FIRST = ['Avery', 'Blake', 'Casey', 'Devon', 'Emerson', 'Finley', 'Gray', 'Harper', 'Indy', 'Jules', 'Kai', 'Logan', 'Morgan', 'Noel', 'Oakley', 'Parker', 'Quinn', 'Reese', 'Sage', 'Tatum', 'Umi', 'Vale', 'Wren', 'Xen', 'Yael', 'Zion', 'Arden', 'Bellamy', 'Corin', 'Dallas', 'Ellis', 'Frankie'];
const LAST = ['Anders', 'Baker', 'Chen', 'Diaz', 'Ekwueme', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Larsen', 'Mendoza', 'Nakamura', 'Okafor', 'Petrov', 'Quintero', 'Rossi', 'Singh', 'Tanaka', 'Ueda', 'Varga', 'Walker', 'Xu', 'Yilmaz', 'Zhang'];

const PEOPLE: Person[] = [
  { name: '', title: 'Chief Executive Officer', role: 'executive', officer: true, home: 'ID', wage: [240000, 240000], mix: { SGA: 0.1 }, activity: 'direct_supervision' },
  { name: '', title: 'Chief Scientist', role: 'scientist', officer: true, home: 'ID', wage: [285000, 285000], mix: { SGA: 0.55, PAR: 0.1, EVAL: 0.15 }, activity: 'direct_supervision' },
  { name: '', title: 'Head of ML Infrastructure', role: 'manager', home: 'ID', wage: [230000, 250000], mix: { PAR: 0.6, SERVE: 0.15 }, activity: 'direct_supervision' },
  ...Array.from({ length: 6 }, (): Person => ({ name: '', title: 'Research Scientist', role: 'researcher', home: 'ID', wage: [175000, 235000], mix: { SGA: 0.75, EVAL: 0.1 }, activity: 'direct_research' })),
  ...Array.from({ length: 5 }, (): Person => ({ name: '', title: 'ML Engineer', role: 'engineer', home: 'ID', wage: [155000, 205000], mix: { PAR: 0.5, SGA: 0.2, EVAL: 0.1 }, activity: 'direct_research' })),
  ...Array.from({ length: 2 }, (): Person => ({ name: '', title: 'Infrastructure Engineer', role: 'engineer', home: 'ID', wage: [150000, 185000], mix: { PAR: 0.45, SERVE: 0.35 }, activity: 'direct_research' })),
  { name: '', title: 'Applied Engineer', role: 'engineer', home: 'ID', wage: [140000, 160000], mix: { LLMAPI: 0.7, SERVE: 0.1 }, activity: 'direct_research' },
  { name: '', title: 'Data Operations Specialist', role: 'support', home: 'ID', wage: [85000, 98000], mix: { SGA: 0.5, EVAL: 0.3 }, activity: 'direct_support' },
  { name: '', title: 'Office and People Operations', role: 'other', home: 'ID', wage: [72000, 80000], mix: {}, activity: 'non_qualified' },
  { name: '', title: 'Account Executive', role: 'other', home: 'ID', wage: [110000, 130000], mix: {}, activity: 'non_qualified' },
  // Remote staff.
  { name: '', title: 'Senior Research Scientist', role: 'researcher', home: 'WA', wage: [230000, 260000], mix: { SGA: 0.8 }, activity: 'direct_research' },
  { name: '', title: 'ML Engineer', role: 'engineer', home: 'WA', wage: [170000, 200000], mix: { PAR: 0.7, EVAL: 0.1 }, activity: 'direct_research' },
  { name: '', title: 'Research Engineer', role: 'engineer', home: 'OR', wage: [165000, 190000], mix: { EVAL: 0.6, SGA: 0.2 }, activity: 'direct_research' },
  { name: '', title: 'Site Reliability Engineer', role: 'engineer', home: 'OR', wage: [150000, 175000], mix: { SERVE: 0.8 }, activity: 'direct_research' },
  { name: '', title: 'Research Scientist', role: 'researcher', home: 'CA', wage: [210000, 245000], mix: { SGA: 0.7, EVAL: 0.15 }, activity: 'direct_research' },
  { name: '', title: 'GPU Kernel Engineer', role: 'engineer', home: 'CA', wage: [220000, 250000], mix: { PAR: 0.85 }, activity: 'direct_research' },
  { name: '', title: 'Product Manager, Assistant', role: 'manager', home: 'CA', wage: [180000, 200000], mix: { LLMAPI: 0.5 }, activity: 'non_qualified' },
  { name: '', title: 'ML Engineer', role: 'engineer', home: 'CO', wage: [160000, 185000], mix: { SGA: 0.4, PAR: 0.3 }, activity: 'direct_research' },
  { name: '', title: 'Evaluation Engineer', role: 'engineer', home: 'UT', wage: [145000, 170000], mix: { EVAL: 0.75 }, activity: 'direct_research' },
];

/** States with a wage income tax among the homes (WA has none: no box 16 line). */
const INCOME_TAX_STATES = new Set(['ID', 'OR', 'CA', 'CO', 'UT']);

function round2(x: number): number {
  return Math.round(x * 4) / 4; // quarter hours
}

export function buildStudy(seed = SEED): Study {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const employees: Employee[] = [];
  const time: TimeRecord[] = [];
  const usedNames = new Set<string>();
  PEOPLE.forEach((p, i) => {
    let name = '';
    do name = `${pick(FIRST)} ${pick(LAST)}`;
    while (usedNames.has(name));
    usedNames.add(name);
    const id = `SML-${String(1001 + i)}`;
    const wage = dollars(p.wage[0] + Math.floor((r() * (p.wage[1] - p.wage[0] + 1)) / 500) * 500);
    const e: Employee = {
      id,
      name,
      title: p.title,
      role: p.role!,
      officer: p.officer ?? false,
      wagesBox1: wage,
      stateWages: INCOME_TAX_STATES.has(p.home) ? { [p.home]: wage } : {},
      homeLocation: us(p.home),
      source: { file: 'gusto-w2-2025.csv', row: i + 2, note: 'W-2 box 1 and box 16' },
    };
    employees.push(e);
    // Weekly time entries, Monday dates, 50 working weeks (2 weeks of leave at random).
    let monday = isoDate('2024-12-30');
    const leave = new Set([Math.floor(r() * 52), Math.floor(r() * 52)]);
    // Remote staff come to Boise for two offsite weeks; one Boise engineer works from Hawaii for two weeks.
    const offsite = new Set([10, 36]);
    for (let w = 0; w < 53; w++, monday = addDays(monday, 7)) {
      if (monday < isoDate(`${YEAR}-01-01`) || monday > isoDate(`${YEAR}-12-31`) || leave.has(w)) continue;
      let where = us(p.home);
      if (p.home !== 'ID' && offsite.has(w)) where = us('ID');
      if (i === 9 && (w === 30 || w === 31)) where = us('HI');
      const total = 40 + (r() < 0.3 ? round2(r() * 6) : 0);
      let left = total;
      for (const [comp, share] of Object.entries(p.mix)) {
        const h = round2(total * share! * (0.85 + r() * 0.3));
        if (h <= 0 || h > left) continue;
        left -= h;
        const qualifies = COMPONENTS.find((c) => c.id === comp)!.qualification === 'qualifies';
        time.push({
          employeeId: id,
          componentId: comp,
          activity: qualifies ? p.activity : 'non_qualified',
          hours: h,
          experimentation: qualifies ? r() < 0.9 : false,
          date: monday,
          location: where,
          basis: 'time_entries',
          source: { file: 'jira-tempo-worklogs-2025.json', note: `week of ${monday}` },
        });
      }
      if (left > 0)
        time.push({ employeeId: id, activity: 'non_qualified', hours: left, date: monday, location: where, basis: 'time_entries', source: { file: 'jira-tempo-worklogs-2025.json', note: `week of ${monday}` } });
    }
  });

  const computers: ComputerCost[] = [];
  for (let m = 1; m <= 12; m++) {
    const d = isoDate(`${YEAR}-${String(m).padStart(2, '0')}-01`);
    const k = (base: number, spread: number): Cents => cents(Math.round((base + r() * spread) * 100));
    computers.push({ id: `AWS-TRN-${m}`, vendor: 'Amazon Web Services', description: `p5 training cluster (us-west-2), sparse-attention pretraining and ablation runs, ${d.slice(0, 7)}`, amount: k(48000, 26000), componentId: 'SGA', use: 'research', location: us('OR'), date: d, source: { file: 'aws-cur2-2025.parquet.csv', note: 'cost category: training' } });
    if (m >= 2)
      computers.push({ id: `GCP-PAR-${m}`, vendor: 'Google Cloud', description: `A3 benchmark cluster (us-central1), parallelism configuration benchmarks, ${d.slice(0, 7)}`, amount: k(21000, 12000), componentId: 'PAR', use: 'research', location: us('IA'), date: d, source: { file: 'gcp-billing-export-2025.csv' } });
    computers.push({ id: `AWS-INF-${m}`, vendor: 'Amazon Web Services', description: `Production inference endpoints (us-west-2), ${d.slice(0, 7)}`, amount: k(31000, 9000), componentId: 'SERVE', use: 'production', location: us('OR'), date: d, source: { file: 'aws-cur2-2025.parquet.csv', note: 'cost category: inference' } });
    computers.push({ id: `AWS-DEV-${m}`, vendor: 'Amazon Web Services', description: `Shared development cluster, ${d.slice(0, 7)}`, amount: k(6000, 2500), use: 'mixed', researchShare: '0.7', location: us('OR'), date: d });
  }
  computers.push({ id: 'OPENAI-API', vendor: 'Third-party model provider', description: 'LLM API usage for the support assistant', amount: cents(3_845_212), componentId: 'LLMAPI', use: 'production', date: isoDate(`${YEAR}-12-31`) });

  // The defence file draws on its own PRNG stream, so the records above do not move.
  const defence = buildDefence(seed, employees, COMPONENTS);

  return {
    formatVersion: 1,
    id: 'sawtooth-ml-2025',
    title: 'Sawtooth Machine Learning — 2025 federal and state research credit study',
    firm: { id: 'example-cpa', name: 'Example CPA LLP' },
    client: { id: 'sawtooth-ml', name: 'Sawtooth Machine Learning, Inc.' },
    taxpayer: {
      id: 'sawtooth-ml',
      name: 'Sawtooth Machine Learning, Inc.',
      ein: '88-1234567',
      entityType: 'c_corporation',
      activityCode: '541715',
      publiclyTraded: false,
      period: { start: isoDate(`${YEAR}-01-01`), end: isoDate(`${YEAR}-12-31`) },
      states: ['ID', 'WA', 'OR', 'CA', 'CO', 'UT'],
    },
    grossReceipts: dollars(4_200_000),
    grossReceiptsByState: { ID: dollars(610_000), CA: dollars(1_480_000), WA: dollars(520_000) },
    history: [
      { period: { start: isoDate('2024-01-01'), end: isoDate('2024-12-31') }, qre: dollars(3_910_000), qreByState: { ID: dollars(2_450_000), CA: dollars(310_000), UT: dollars(120_000) }, grossReceipts: dollars(1_850_000), grossReceiptsByState: { ID: dollars(240_000), CA: dollars(760_000), UT: dollars(0) }, creditClaimed: dollars(236_000), method: 'asc', section280cElected: true, payrollElection: { amount: dollars(236_000), returnFiled: isoDate('2025-04-15'), usedToDate: dollars(141_600) }, section174Capitalized: { domestic: dollars(5_120_000), foreign: dollars(0) } },
      { period: { start: isoDate('2023-01-01'), end: isoDate('2023-12-31') }, qre: dollars(2_240_000), qreByState: { ID: dollars(1_510_000), CA: dollars(140_000), UT: dollars(60_000) }, grossReceipts: dollars(310_000), grossReceiptsByState: { ID: dollars(45_000), CA: dollars(120_000), UT: dollars(0) }, creditClaimed: dollars(134_400), method: 'asc', section280cElected: true, payrollElection: { amount: dollars(134_400), returnFiled: isoDate('2024-04-15'), usedToDate: dollars(134_400) }, section174Capitalized: { domestic: dollars(2_980_000), foreign: dollars(0) } },
      { period: { start: isoDate('2022-01-01'), end: isoDate('2022-12-31') }, qre: dollars(880_000), qreByState: { ID: dollars(640_000), CA: dollars(0), UT: dollars(0) }, grossReceipts: dollars(0), grossReceiptsByState: {}, creditClaimed: dollars(52_800), method: 'asc', section280cElected: true, section174Capitalized: { domestic: dollars(1_150_000), foreign: dollars(0) } },
    ],
    employees,
    time,
    components: COMPONENTS,
    supplies: [{ id: 'SUP-1', description: 'GPU workstations for researchers (capitalised equipment)', amount: dollars(96_400), componentId: 'SGA', kind: 'depreciable_property', location: us('ID'), date: isoDate(`${YEAR}-02-14`), glAccount: '1520 Computer equipment' }],
    computers,
    contracts: [
      { id: 'CTR-1', payee: 'Kernelworks LLC', payeeType: 'general', energyResearch: false, amount: dollars(184_000), componentId: 'PAR', location: us('WA'), taxpayerBearsRisk: true, taxpayerHasRights: true, paidDate: isoDate(`${YEAR}-09-30`), relatedParty: false, source: { file: 'qbo-1099-2025.csv', note: 'custom all-to-all CUDA kernels; fixed fee per milestone, payable whether or not the kernels meet target; Sawtooth owns the code' } },
    ],
    basicResearch: [],
    energyConsortia: [],
    section174Pools: [
      { id: 'P-RENT', description: 'Boise office rent allocated to research space', amount: dollars(142_000), foreign: false, category: 'facilities' },
      { id: 'P-DEP', description: 'Depreciation of GPU workstations', amount: dollars(19_280), foreign: false, category: 'depreciation' },
    ],
    // A loss year: no regular tax, no tentative minimum tax (not an applicable corporation for CAMT).
    // Employer payroll taxes for the four quarters after the return is filed, for Form 8974:
    // 6.2% social security and 1.45% Medicare of this year's wages spread evenly (an assumption of the example).
    taxFacts: {
      regularTax: dollars(0),
      tentativeMinimumTax: dollars(0),
      priorCredits: dollars(0),
      // 2024 was a loss year too: nothing of a carryback could be absorbed there
      priorYearRoom: dollars(0),
      otherGeneralBusinessCredits: dollars(0),
      // Form 6765 Section E: no acquisition, no new kinds of expenses, QREs not under the ASC 730 directive
      sectionE: { acquisitionOrDisposition: false, newCategoriesOfExpenses: false, asc730Directive: false },
      // The 2022 credit ($52,800, no payroll election that year) is still unused after two loss
      // years; the 2023 and 2024 credits went entirely to payroll elections.
      carryforwards: [{ vintage: '2022', amount: dollars(52_800) }],
      returnFiledDate: isoDate(`${YEAR + 1}-04-15`),
      originalReturn: true,
      payrollTaxes: payrollQuarters(employees),
    },
    elections: { method: 'best', section280c: 'best', payrollElection: { elect: true }, idahoStartupElection: false },
    // Facts the state credits need that the records do not give (docs/states.md): California by the
    // ASC (elected on the original return); Utah start-up year 4 (first Utah QREs in 2022); Idaho:
    // no Idaho income tax in a loss year and no Rule 799 credit ahead of the research credit.
    stateFacts: { CA: { method: 'asc' }, UT: { start_up_year: '4' }, ID: { income_tax: '0', credits_ahead: '0' } },
    // Incorporated in Boise on 2022-01-01: no tax years before 2022, a start-up under §41(c)(3)(B).
    baseFacts: { firstTaxYearStart: isoDate('2022-01-01'), federalStartUp: true, idahoBusinessSince: 2022 },
    evidence: defence.evidence,
    interviews: defence.interviews,
    qualificationLog: defence.qualificationLog,
  };
}

/** The example's study and the content files of its evidence items (paths inside the study folder). */
export function buildExample(seed = SEED): { study: Study; files: EvidenceFile[] } {
  const study = buildStudy(seed);
  return { study, files: buildDefence(seed, study.employees, study.components).files };
}

/** Writes the study folder and its evidence/ files (the evidence folder is rewritten whole). */
export function writeExample(out: string, seed = SEED): { study: Study; files: EvidenceFile[] } {
  const ex = buildExample(seed);
  writeStudyFolder(ex.study, out);
  rmSync(join(out, 'evidence'), { recursive: true, force: true });
  for (const f of ex.files) {
    const path = join(out, ...f.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
  }
  // Keep the evidence bytes exactly as hashed (no line-ending conversion on checkout).
  writeFileSync(join(out, 'evidence', '.gitattributes'), '* -text\n');
  return ex;
}

function payrollQuarters(employees: Study['employees']): NonNullable<Study['taxFacts']['payrollTaxes']> {
  const base = 176_100_00; // social security wage base, 2025 (dollars × 100)
  let ss = 0;
  let med = 0;
  for (const e of employees) {
    const w = e.wagesBox1 ?? 0;
    ss += Math.round((Math.min(w, base) * 62) / 1000);
    med += Math.round((w * 145) / 10000);
  }
  const q = (n: number, i: number) => cents(Math.floor(n / 4) + (i === 0 ? n % 4 : 0));
  return ['2026-Q2', '2026-Q3', '2026-Q4', '2027-Q1'].map((quarter, i) => ({ quarter, socialSecurity: q(ss, i), medicare: q(med, i) }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
  const { study: s, files } = writeExample(out);
  console.log(`wrote ${out}: ${s.employees.length} employees, ${s.time.length} time records, ${s.computers.length} computer lines, ${s.evidence!.length} evidence items (${files.length} files), ${s.interviews!.length} interviews`);
}
